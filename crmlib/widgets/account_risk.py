"""单个客户的风险视图：pick an account → its monthly purchases, the intervals
between its orders, and the warning signs (大客户“跳槽”征兆) that fired.

Everything heavy (the warning-sign table, per-account histories, monthly
totals) is computed once by :func:`prepare_risk_data`; choosing an account
only slices arrays and draws two SVG charts.

>>> import pandas as pd
>>> orders = pd.DataFrame({"客户编号": ["K1", "K1", "K1", "K2"],
...     "下单日期": pd.to_datetime(["2024-01-05", "2024-02-04", "2024-03-05", "2024-06-28"]),
...     "金额": [100.0, 120.0, 40.0, 80.0]})
>>> data = prepare_risk_data(orders)
>>> "久未下单" in account_risk_view(data, "K1") or "未下单" in account_risk_view(data, "K1")
True
"""

import difflib
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from ..course.errors import CRMError, require_columns
from ..topics.rfm import order_lines
from ..course.ui import html_table, show
from ..topics.warning_signs import warning_signs
from .abc_cutoffs import labelled_line_chart


@dataclass(frozen=True)
class RiskData:
    """Precomputed inputs of the view (one object per widget)."""

    risk: pd.DataFrame  # crm.warning_signs output, indexed by customer
    monthly: pd.DataFrame  # customer × month (labels like "24-05") purchase totals
    histories: dict  # customer -> (date labels, amounts, gaps in days)
    names: dict  # customer -> display name ("" if unknown)
    totals: pd.Series  # customer -> total amount, descending
    gap_factor: float


def _names(accounts, customer, name_col):
    """Map customer id -> name from an accounts table (or empty).

    >>> _names(pd.DataFrame({"客户编号": ["K1"], "客户名称": ["甲公司"]}), "客户编号", "客户名称")
    {'K1': '甲公司'}
    """
    if accounts is None:
        return {}
    require_columns(accounts, [customer, name_col], "客户档案")
    return dict(zip(accounts[customer], accounts[name_col].astype(str)))


def _monthly(orders, customer, date, amount, asof_day):
    """Purchase totals per customer and calendar month up to the month of asof (zeros filled)."""
    month = orders[date].dt.to_period("M")
    table = orders.groupby([orders[customer], month], observed=True)[amount].sum().unstack(fill_value=0.0)
    last = max((asof_day - pd.Timedelta(days=1)).to_period("M"), month.max())
    months = pd.period_range(month.min(), last, freq="M")
    table = table.reindex(columns=months, fill_value=0.0)
    table.columns = [f"{p:%y-%m}" for p in months]
    return table


def _histories(orders, customer, date, amount):
    """Per customer: order date labels, amounts and day gaps (as account_history)."""
    s = orders[[customer, date, amount]].sort_values([customer, date], kind="stable")
    day = s[date].dt.normalize()
    gap = day.diff().dt.days.astype(float)
    gap[s[customer].ne(s[customer].shift()).to_numpy()] = np.nan
    labels = day.dt.strftime("%y-%m-%d").to_numpy()
    out = {}
    cust = s[customer].to_numpy()
    amounts = s[amount].to_numpy(dtype=float)
    gaps = gap.to_numpy()
    starts = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]])
    ends = np.r_[starts[1:], len(cust)]
    for a, b in zip(starts, ends):
        out[cust[a]] = (labels[a:b], amounts[a:b], gaps[a:b])
    return out


def prepare_risk_data(
    orders,
    accounts=None,
    customer="客户编号",
    date="下单日期",
    amount="金额",
    name="客户名称",
    asof=None,
    window_days=180,
    gap_factor=2.0,
    drop_threshold=0.3,
):
    """Compute everything the view needs, once (rules as in ``crm.warning_signs``).

    >>> o = pd.DataFrame({"客户编号": ["K1"], "下单日期": pd.to_datetime(["2024-01-05"]), "金额": [10.0]})
    >>> prepare_risk_data(o).monthly.columns.tolist()
    ['24-01']
    """
    order_lines(orders, customer, date, amount)
    risk = warning_signs(
        orders,
        customer=customer,
        date=date,
        amount=amount,
        asof=asof,
        window_days=window_days,
        gap_factor=gap_factor,
        drop_threshold=drop_threshold,
    )
    asof_day = risk["最近下单日期"].max() + pd.Timedelta(days=1) if asof is None else pd.Timestamp(asof)
    totals = orders.groupby(customer, observed=True)[amount].sum().sort_values(ascending=False, kind="stable")
    return RiskData(
        risk=risk,
        monthly=_monthly(orders, customer, date, amount, asof_day),
        histories=_histories(orders, customer, date, amount),
        names=_names(accounts, customer, name),
        totals=totals,
        gap_factor=float(gap_factor),
    )


def _check_account(data, customer_id):
    """Fail with a Chinese hint when the account is not in the data.

    >>> d = RiskData(pd.DataFrame(index=["K0001"]), None, {}, {}, pd.Series(dtype=float), 2.0)
    >>> _check_account(d, "K001")
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 订单数据里没有客户「K001」。你是不是想写「K0001」？
    """
    if customer_id in data.risk.index:
        return customer_id
    if customer_id in data.names:
        raise CRMError(
            f"客户「{customer_id}」（{data.names[customer_id]}）在客户档案里，但订单表里还没有它的订单，"
            "无法画出采购走势。请换一个下过单的客户。"
        )
    ids = [str(i) for i in data.risk.index]
    close = difflib.get_close_matches(str(customer_id), ids, n=1, cutoff=0.6)
    hint = f"你是不是想写「{close[0]}」？" if close else f"例如：{'、'.join(ids[:5])}。"
    raise CRMError(f"订单数据里没有客户「{customer_id}」。{hint}")


def _fmt_money(x):
    """Yuan as 万元 text.

    >>> _fmt_money(123456)
    '12.35 万元'
    """
    return f"{x / 1e4:,.2f} 万元"


def _stats_rows(row, total):
    """Key figures of one account as table rows."""
    typical = "—" if pd.isna(row.通常间隔) else f"{row.通常间隔:g} 天"
    ratio = "—" if pd.isna(row.间隔倍数) else f"{row.间隔倍数:.1f} 倍"
    change = "—" if pd.isna(row.变化率) else f"{row.变化率:+.0%}"
    return [
        ["两年采购额", _fmt_money(total)],
        ["下单次数（按天计）", int(row.下单次数)],
        ["最近下单日期", f"{row.最近下单日期:%Y-%m-%d}"],
        ["未下单天数", f"{int(row.未下单天数)} 天"],
        ["通常间隔（中位数）", typical],
        ["未下单天数 ÷ 通常间隔", ratio],
        ["近期采购额", _fmt_money(row.近期采购额)],
        ["前期采购额", _fmt_money(row.前期采购额)],
        ["变化率", change],
    ]


def _flags_html(signs, note=""):
    """The fired warning signs as a coloured box (or an all-clear line); a data note apart.

    >>> "未发现" in _flags_html("")
    True
    >>> "数据不足" in _flags_html("", "数据不足：只在 1 天下过单")
    True
    """
    if note:
        return (
            "<div style='padding:6px 10px;background:#F2F2F2;border-left:4px solid #8C8C8C'>"
            f"△ {escape(note)}（这不是跳槽征兆，不计入征兆数）。</div>"
        )
    if not signs:
        return (
            "<div style='padding:6px 10px;background:#EAF5EE;border-left:4px solid #3A9D5D'>"
            "√ 按当前规则未发现预警征兆。</div>"
        )
    items = "".join(f"<li>{escape(s)}</li>" for s in signs.split("；"))
    return (
        "<div style='padding:6px 10px;background:#FBECEA;border-left:4px solid #C8453B'>"
        f"<b>△ 触发了 {len(signs.split('；'))} 条预警征兆：</b><ul style='margin:4px 0'>{items}</ul></div>"
    )


def as_risk_data(data):
    """Accept prepared RiskData, or an order table (prepared on the spot).

    >>> as_risk_data("订单.csv")
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 第一个参数应该是订单表（DataFrame）或 crm.prepare_risk_data(订单, 客户) 的结果，收到的却是 str。请先用 crm.load_dataset("p07_orders") 读入订单。
    """
    if isinstance(data, RiskData):
        return data
    if isinstance(data, pd.DataFrame):
        return prepare_risk_data(data)
    raise CRMError(
        f"第一个参数应该是订单表（DataFrame）或 crm.prepare_risk_data(订单, 客户) 的结果，"
        f'收到的却是 {type(data).__name__}。请先用 crm.load_dataset("p07_orders") 读入订单。'
    )


def account_risk_view(data, customer_id):
    """HTML for one account: key figures, warning signs and two SVG charts.

    `data`: the result of :func:`prepare_risk_data` (fast), or an order table.

    >>> o = pd.DataFrame({"客户编号": ["K1", "K1"], "下单日期": pd.to_datetime(["2024-01-05", "2024-01-25"]),
    ...                   "金额": [100.0, 50.0]})
    >>> html = account_risk_view(prepare_risk_data(o), "K1")
    >>> "通常间隔" in html and html.count("<svg") == 2
    True
    """
    data = as_risk_data(data)
    cid = _check_account(data, customer_id)
    row = data.risk.loc[cid]
    labels, amounts, gaps = data.histories[cid]
    month = data.monthly.loc[cid]
    title = f"{cid} {data.names.get(cid, '')}".strip()
    chart1 = labelled_line_chart(
        list(month.index),
        {"每月采购额（元）": month.to_list()},
        title="每月采购额",
        y_label="元",
        hlines={"月均": float(month.mean())},
        width=600,
        height=260,
    )
    if len(gaps) > 1:
        lines = {}
        if not pd.isna(row.通常间隔):
            lines = {"通常间隔": float(row.通常间隔), "预警线": float(row.通常间隔) * data.gap_factor}
        x = list(labels[1:]) + ["至今"]
        chart2 = labelled_line_chart(
            x,
            {"两次下单相隔天数": list(gaps[1:]) + [float(row.未下单天数)]},
            title="下单间隔（最后一点是距今天数）",
            y_label="天",
            hlines=lines,
            width=600,
            height=260,
        )
    else:
        chart2 = (
            "<svg xmlns='http://www.w3.org/2000/svg' width='600' height='40'>"
            "<text x='10' y='25'>只有一次下单，无法画出下单间隔。</text></svg>"
        )
    table = html_table(_stats_rows(row, float(data.totals.get(cid, 0.0))), header=["指标", "数值"])
    return (
        f"<div><h4 style='margin:4px 0'>{escape(title)}</h4>{_flags_html(row.征兆, row.数据备注)}"
        f"<div style='display:flex;gap:16px;flex-wrap:wrap;margin-top:8px'><div>{table}</div>"
        f"<div>{chart1}<br>{chart2}</div></div></div>"
    )


def account_options(data):
    """Dropdown entries (label, id), biggest accounts first; △ marks accounts with signs.

    >>> o = pd.DataFrame({"客户编号": ["K1", "K2"], "下单日期": pd.to_datetime(["2024-01-05", "2024-01-25"]),
    ...                   "金额": [100.0, 500.0]})
    >>> account_options(prepare_risk_data(o))[0][1]
    'K2'
    """
    out = []
    for cid in data.totals.index:
        mark = " △" if data.risk.at[cid, "征兆数"] > 0 else ""
        label = f"{cid} {data.names.get(cid, '')}".strip()
        out.append((f"{label}（{data.totals[cid] / 1e4:,.0f} 万元）{mark}", cid))
    return out


def default_account(data):
    """The biggest account that shows a warning sign (else the biggest account).

    >>> o = pd.DataFrame({"客户编号": ["K1"], "下单日期": pd.to_datetime(["2024-01-05"]), "金额": [1.0]})
    >>> default_account(prepare_risk_data(o))
    'K1'
    """
    flagged = [c for c in data.totals.index if data.risk.at[c, "征兆数"] > 0]
    return flagged[0] if flagged else data.totals.index[0]


def build_account_risk(orders, accounts=None, default=None, **rules):
    """The widget (dropdown of accounts → risk view), not yet displayed; also returns the data.

    `rules` are passed to ``crm.warning_signs`` (asof, window_days, gap_factor, drop_threshold).

    >>> o = pd.DataFrame({"客户编号": ["K1", "K1", "K2"],
    ...     "下单日期": pd.to_datetime(["2024-01-05", "2024-01-25", "2024-02-01"]), "金额": [1.0, 2.0, 3.0]})
    >>> box, data = build_account_risk(o)
    >>> box.children[1].value = "K1"
    >>> "K1" in box.children[2].value
    True
    """
    import ipywidgets as w

    data = prepare_risk_data(orders, accounts, **rules)
    first = _check_account(data, default) if default is not None else default_account(data)
    pick = w.Dropdown(
        options=account_options(data),
        value=first,
        description="选择客户",
        layout=w.Layout(width="560px"),
        style={"description_width": "70px"},
    )
    out = w.HTML(account_risk_view(data, first))

    def update(change):
        out.value = account_risk_view(data, change["new"])

    pick.observe(update, "value")
    box = w.VBox([w.HTML("<b>选择一个客户，查看它的采购走势和预警征兆（△ 表示已触发征兆）</b>"), pick, out])
    return box, data


def account_risk(orders, accounts=None, default=None, **rules):
    """Show the account risk widget (static view of the default account under nbgrader).

    `accounts` (optional) supplies names (客户名称); `default` the first account shown,
    else the biggest account with a warning sign.
    """
    box, data = build_account_risk(orders, accounts, default, **rules)
    show(box, account_risk_view(data, box.children[1].value))


def BENCH():
    """Benchmark hook (benchmarks/run.py): prepare_risk_data runs once (as when the
    widget is created); one dropdown change = one account_risk_view call."""
    import itertools

    from ..course.datasets import load_dataset

    data = prepare_risk_data(load_dataset("p07_orders"), load_dataset("p07_accounts"))
    ids = itertools.cycle(list(data.totals.index))

    def update():
        return account_risk_view(data, next(ids))

    return update
