"""应收账款账龄：pick an analysis date → open amount per ageing bucket, overdue share, the
bad-debt provision, and the customers with the most overdue money.

The ledger is checked with ``crm.ageing`` and turned into arrays once
(:func:`prepare_ageing`); a date change is then a few numpy operations with the
same rules (a test checks both agree on every month end of the course data).

>>> import pandas as pd
>>> inv = pd.DataFrame({"发票号": ["F1", "F2"], "客户编号": ["C1", "C2"],
...     "开票日期": pd.to_datetime(["2025-01-02", "2025-03-01"]),
...     "到期日": pd.to_datetime(["2025-01-31", "2025-03-31"]), "金额": [1000.0, 500.0]})
>>> html = ageing_view(prepare_ageing(inv, None), "2025-03-31")
>>> "31-60天" in html and "逾期占比" in html
True
"""

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from ..course import charts as svg
from ..course.errors import CRMError, require_columns
from ..course.ui import html_table, show
from ..topics.receivables import DEFAULT_RATES, ageing, bucket_labels

COLORS = ["#2F6DB5", "#7FB069", "#E0B12C", "#E08A2C", "#C8453B", "#7A1F1A"]


@dataclass(frozen=True)
class Ledger:
    """The ledger as arrays, so a date change is a few numpy operations (same rules as ``crm.ageing``)."""

    issued: np.ndarray  # invoice date (days), normal invoices
    due: np.ndarray
    amount: np.ndarray
    customer: np.ndarray  # position in `codes`
    codes: np.ndarray
    note_of: np.ndarray  # credit notes: position of the original invoice
    note_day: np.ndarray
    note_amount: np.ndarray
    pay_of: np.ndarray  # payments: position of the invoice (-1 = unknown invoice number)
    pay_day: np.ndarray
    pay_amount: np.ndarray
    names: dict  # 客户编号 -> 客户名称 (may be empty)


def _days(values):
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]").astype(np.int64)


def _day(value):
    """One date as days since 1970 (cheap: no pandas array round trip)."""
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def prepare_ageing(invoices, payments, customers=None):
    """Check the ledger once with ``crm.ageing`` and turn it into arrays for fast date changes."""
    require_columns(invoices, ["发票号", "客户编号", "开票日期", "到期日", "金额"], "发票表")
    ageing(invoices, payments, pd.to_datetime(invoices["开票日期"]).max())  # validates, Chinese errors
    inv = invoices.reset_index(drop=True)
    orig = inv["原发票号"] if "原发票号" in inv.columns else pd.Series(None, index=inv.index)
    is_note = (inv["金额"] < 0) & orig.notna() & orig.isin(inv["发票号"])
    normal, notes = inv[~is_note].reset_index(drop=True), inv[is_note]
    pos = pd.Series(np.arange(len(normal)), index=normal["发票号"])
    codes, cust = np.unique(normal["客户编号"].astype(str), return_inverse=True)
    pay = (
        payments
        if payments is not None and len(payments)
        else pd.DataFrame({"发票号": [], "收款日期": pd.to_datetime([]), "金额": []})
    )
    names = {}
    if customers is not None and {"客户编号", "客户名称"} <= set(customers.columns):
        names = dict(zip(customers["客户编号"], customers["客户名称"]))
    return Ledger(
        _days(normal["开票日期"]),
        _days(normal["到期日"]),
        normal["金额"].to_numpy(float),
        cust,
        codes,
        orig[is_note].map(pos).to_numpy(int),
        _days(notes["开票日期"]),
        notes["金额"].to_numpy(float),
        pay["发票号"].map(pos).fillna(-1).to_numpy(int),
        _days(pay["收款日期"]),
        pay["金额"].to_numpy(float),
        names,
    )


def ledger_state(ledger, asof, buckets=(30, 60, 90, 180)):
    """(open amount per bucket as a Series, overdue per customer, open per customer, extra lines)
    as of `asof`, computed on the arrays."""
    day = _day(asof)
    n = len(ledger.amount)
    pays = ledger.pay_day <= day
    known = pays & (ledger.pay_of >= 0)
    paid = np.bincount(ledger.pay_of[known], weights=ledger.pay_amount[known], minlength=n)
    nts = ledger.note_day <= day
    credit = np.bincount(ledger.note_of[nts], weights=ledger.note_amount[nts], minlength=n)
    open_ = np.round(ledger.amount - paid + credit, 2)
    live = (ledger.issued <= day) & (np.abs(open_) > 0.004)
    b = np.asarray(buckets)
    late = day - ledger.due
    pos = np.where(late <= 0, 0, 1 + np.searchsorted(b, late, side="left"))
    good = live & (open_ > 0)
    labels = bucket_labels(buckets)
    amounts = pd.Series(np.bincount(pos[good], weights=open_[good], minlength=len(labels)), index=labels)
    over = good & (pos > 0)
    k = len(ledger.codes)
    overdue = np.bincount(ledger.customer[over], weights=open_[over], minlength=k)
    owed = np.bincount(ledger.customer[good], weights=open_[good], minlength=k)
    extra = {"多收待退": int((live & (open_ < 0)).sum()), "待核销": int((pays & (ledger.pay_of < 0)).sum())}
    return amounts, overdue, owed, extra


def ageing_view(ledger, asof, rates=None, top=8):
    """HTML for one analysis date: bucket bars, overdue share, provision, top overdue customers."""
    if not isinstance(ledger, Ledger):
        raise CRMError("ageing_view 需要先用 prepare_ageing(发票表, 收款表) 准备好的账本。")
    asof = pd.Timestamp(asof)
    amounts, overdue, owed, extra = ledger_state(ledger, asof)
    labels = list(amounts.index)
    if amounts.sum() <= 0:
        return f"<p>{asof:%Y-%m-%d} 没有未收的应收账款。</p>"
    rates = DEFAULT_RATES if rates is None else rates
    open_amounts = amounts.to_numpy(float)
    rate_list = np.array([rates[k] for k in labels], dtype=float)
    provisions = np.round(open_amounts * rate_list, 2)
    total_prov = float(provisions.sum())
    share = float(open_amounts[1:].sum() / open_amounts.sum())
    chart = svg.bar_chart(
        labels,
        (amounts / 1e4).round(2).tolist(),
        title=f"{asof:%Y-%m-%d} 各账龄段未收金额（万元）",
        colors=COLORS,
        width=500,
    )
    lead = (
        f"<p>截至 <b>{asof:%Y-%m-%d}</b>：未收应收账款 <b>{amounts.sum() / 1e4:,.1f} 万元</b>，"
        f"其中逾期 {amounts.iloc[1:].sum() / 1e4:,.1f} 万元，<b>逾期占比 {share:.1%}</b>；"
        f"按账龄计提坏账准备 <b>{total_prov / 1e4:,.2f} 万元</b>。</p>"
    )
    if any(extra.values()):
        lead += (
            "<p>另有需要财务处理的款项（"
            + "、".join(f"{k} {v} 笔" for k, v in extra.items() if v)
            + "），不计入账龄和坏账准备。</p>"
        )
    prov_rows = [
        [k, f"{a / 1e4:,.2f}", f"{r:.0%}", f"{p / 1e4:,.2f}"]
        for k, a, r, p in zip(labels, open_amounts, rate_list, provisions)
    ]
    prov_rows.append(["合计", f"{amounts.sum() / 1e4:,.2f}", "", f"{total_prov / 1e4:,.2f}"])
    prov_table = html_table(prov_rows, header=["账龄", "未收（万元）", "计提比例", "坏账准备（万元）"])
    order = [i for i in np.lexsort((ledger.codes, -overdue)) if overdue[i] > 0][:top]
    cust_rows = [
        [
            ledger.codes[i],
            escape(str(ledger.names.get(ledger.codes[i], "")))[:14],
            f"{overdue[i] / 1e4:,.2f}",
            f"{overdue[i] / owed[i]:.0%}",
        ]
        for i in order
    ]
    cust_table = html_table(cust_rows, header=["客户编号", "客户名称", "逾期（万元）", "逾期占比"])
    return (
        f"<div>{lead}<div style='display:flex;gap:16px;flex-wrap:wrap'><div>{chart}</div>"
        f"<div><b>坏账准备</b>{prov_table}</div></div>"
        f"<div style='margin-top:8px'><b>逾期金额最多的 {len(order)} 家客户</b>{cust_table}</div></div>"
    )


def build_ageing(ledger, asof="2025-12-31"):
    """The widget: a slider over the month ends of the ledger's year, not yet displayed.

    >>> import pandas as pd
    >>> inv = pd.DataFrame({"发票号": ["F1"], "客户编号": ["C1"], "开票日期": pd.to_datetime(["2025-01-02"]),
    ...     "到期日": pd.to_datetime(["2025-01-31"]), "金额": [1000.0]})
    >>> box = build_ageing(prepare_ageing(inv, None), "2025-12-31")
    >>> box.children[1].value = "2025-03-31"
    >>> "2025-03-31" in box.children[2].value
    True
    """
    import ipywidgets as w

    first = pd.Timestamp(int(ledger.issued.min()), unit="D")
    ends = pd.date_range(first, pd.Timestamp(asof) + pd.offsets.MonthEnd(0), freq="ME")
    options = [f"{d:%Y-%m-%d}" for d in ends]
    value = f"{pd.Timestamp(asof):%Y-%m-%d}"
    if value not in options:
        options.append(value)
    pick = w.SelectionSlider(
        options=options, value=value, description="分析日", continuous_update=False, layout=w.Layout(width="560px")
    )
    out = w.HTML(ageing_view(ledger, value))

    def update(_=None):
        try:
            out.value = ageing_view(ledger, pick.value)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    pick.observe(update, "value")
    return w.VBox([w.HTML("<b>拖动滑块选择分析日（每月最后一天），看账龄结构和坏账准备怎么变</b>"), pick, out])


def ageing_widget(invoices, payments, customers=None, asof="2025-12-31"):
    """Show the ageing widget (static view of `asof` under grading)."""
    ledger = prepare_ageing(invoices, payments, customers)
    show(build_ageing(ledger, asof), ageing_view(ledger, asof))


def BENCH():
    """Benchmark hook: one slider move = one ageing_view call on the p03 ledger."""
    import itertools

    from ..course.datasets import load_dataset

    ledger = prepare_ageing(load_dataset("p03_invoices"), load_dataset("p03_payments"))
    dates = itertools.cycle(pd.date_range("2025-02-28", "2025-12-31", freq="ME"))

    def update():
        return ageing_view(ledger, next(dates))

    return update
