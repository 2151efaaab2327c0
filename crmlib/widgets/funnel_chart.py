"""销售漏斗（按渠道）: filters (channel, industry, month) → funnel with stage counts, step and
overall conversion, and a per-channel table with cost per won customer.

The data is prepared once (:func:`prepare_funnel`: stage positions as
integers, month labels); a filter change only masks arrays, counts and draws
an SVG. Costs are per channel and month, so they can be split by month but
not by industry: with an industry chosen the cost columns say so instead of
showing a number that is not true.

>>> import pandas as pd
>>> leads = pd.DataFrame({"渠道": ["展会", "展会", "电话"], "行业": ["机械", "食品", "机械"],
...     "登记日期": pd.to_datetime(["2025-03-03", "2025-04-01", "2025-03-05"]),
...     "阶段": ["成交", "已联系", "新线索"]})
>>> costs = pd.DataFrame({"月份": ["2025-03", "2025-04", "2025-03", "2025-04"],
...     "渠道": ["展会", "展会", "电话", "电话"], "费用": [900, 100, 50, 50]})
>>> prep = prepare_funnel(leads, costs, stages=["新线索", "已联系", "成交"])
>>> funnel_counts(prep, channel="展会")
[2, 2, 1]
>>> "每成交客户成本" in funnel_view(prep)
True
"""

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from ..course.errors import CRMError, require_columns
from ..course.fonts import PALETTE
from ..course.ui import html_table, show
from ..topics.prospects import STAGES, stage_positions

ALL = "全部"
FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC','Source Han Sans SC',sans-serif\""


@dataclass(frozen=True)
class FunnelData:
    stages: list
    pos: np.ndarray  # furthest stage reached, as 0..len(stages)-1
    channel: np.ndarray
    industry: np.ndarray
    month: np.ndarray
    value: np.ndarray  # deal value (0 when not won)
    channels: list
    industries: list
    months: list
    costs: dict  # (channel, month) -> cost


def prepare_funnel(leads, costs, stages=STAGES, date_col="登记日期"):
    """Arrays for the view, computed once (validates columns and stage names)."""
    require_columns(leads, ["渠道", "行业", "阶段", date_col], "线索表")
    require_columns(costs, ["月份", "渠道", "费用"], "费用表")
    pos = stage_positions(leads["阶段"], stages).to_numpy()
    month = pd.to_datetime(leads[date_col]).dt.strftime("%Y-%m").to_numpy()
    value = (
        pd.to_numeric(leads["成交金额"], errors="coerce").fillna(0).to_numpy()
        if "成交金额" in leads.columns
        else np.zeros(len(leads))
    )
    cost = {(c, str(m)): float(v) for c, m, v in zip(costs["渠道"], costs["月份"], costs["费用"])}
    return FunnelData(
        list(stages),
        pos,
        leads["渠道"].astype(str).to_numpy(),
        leads["行业"].astype(str).to_numpy(),
        month,
        value,
        sorted(set(leads["渠道"].astype(str))),
        sorted(set(leads["行业"].astype(str))),
        sorted(set(month)),
        cost,
    )


def _mask(prep, channel=ALL, industry=ALL, month=ALL):
    m = np.ones(len(prep.pos), dtype=bool)
    for value, arr, options, what in (
        (channel, prep.channel, prep.channels, "渠道"),
        (industry, prep.industry, prep.industries, "行业"),
        (month, prep.month, prep.months, "月份"),
    ):
        if value != ALL:
            if value not in options:
                raise CRMError(f"没有名为「{value}」的{what}。可选：{ALL}、{'、'.join(options)}。")
            m &= arr == value
    return m


def funnel_counts(prep, channel=ALL, industry=ALL, month=ALL):
    """Leads that reached each stage (a later stage counts for the earlier ones)."""
    p = prep.pos[_mask(prep, channel, industry, month)]
    return [int((p >= k).sum()) for k in range(len(prep.stages))]


def _pct(a, b):
    return f"{a / b:.1%}" if b else "—"


def funnel_svg(stages, counts, title="", width=560):
    """A centred funnel: one bar per stage, width ∝ count; stage names on the left,
    numbers in a column on the right (never on the bars, so they cannot overlap).

    >>> funnel_svg(["甲", "乙"], [10, 4]).count("<rect")
    3
    """
    left, right_col, row, top = 80, 190, 34, 34 if title else 10
    bar_area = width - left - right_col
    height = top + row * len(stages) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'{FONT} font-size="12"><rect width="{width}" height="{height}" fill="white"/>'
    ]
    if title:
        out.append(
            f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14" '
            f'font-weight="bold">{escape(title)}</text>'
        )
    first = counts[0] if counts and counts[0] else 0
    for k, (stage, n) in enumerate(zip(stages, counts)):
        y = top + k * row
        w = bar_area * (n / first) if first else 0
        x = left + (bar_area - w) / 2
        step = "" if k == 0 else f"，阶段 {_pct(n, counts[k - 1])}"
        out.append(
            f'<text x="{left - 8}" y="{y + 19}" text-anchor="end">{escape(stage)}</text>'
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}" fill-opacity="{1 - 0.12 * k:.2f}" rx="2"/>'
            f'<text x="{width - right_col + 8}" y="{y + 19}">{n} 条{step}</text>'
        )
    return "".join(out) + "</svg>"


def channel_table(prep, industry=ALL, month=ALL):
    """Per channel: leads, won, conversion, cost, cost per lead and per won customer, average deal.

    Costs are summed over the chosen month (or the season); with an industry
    chosen they are not shown (costs are not recorded per industry).
    """
    won_k = len(prep.stages) - 1
    base = _mask(prep, ALL, industry, month)
    months = prep.months if month == ALL else [month]
    rows = []
    for ch in prep.channels:
        m = base & (prep.channel == ch)
        n, won = int(m.sum()), int((prep.pos[m] >= won_k).sum())
        cost = sum(prep.costs.get((ch, mo), 0.0) for mo in months)
        avg = prep.value[m & (prep.pos >= won_k)].mean() if won else np.nan
        rows.append(
            {
                "渠道": ch,
                "线索数": n,
                "成交数": won,
                "成交率": won / n if n else np.nan,
                "费用": np.nan if industry != ALL else cost,
                "每条线索成本": np.nan if industry != ALL or not n else cost / n,
                "每成交客户成本": np.nan if industry != ALL or not won else cost / won,
                "平均成交金额": avg,
            }
        )
    return pd.DataFrame(rows).set_index("渠道")


def _money(v):
    return "—" if pd.isna(v) else f"{v:,.0f}"


def funnel_view(prep, channel=ALL, industry=ALL, month=ALL):
    """HTML for one filter setting: funnel SVG, stage table, channel table.

    `prep` comes from :func:`prepare_funnel` (the leads and the cost table together).
    """
    if not isinstance(prep, FunnelData):
        raise CRMError(
            "funnel_view 需要先准备好的漏斗数据：prep = crm.prepare_funnel(线索表, 费用表)，"
            f"再 crm.funnel_view(prep, 渠道)。收到的却是 {type(prep).__name__}。"
        )
    counts = funnel_counts(prep, channel, industry, month)
    what = "、".join(x for x in (channel, industry, month) if x != ALL) or "全部线索"
    svg = funnel_svg(prep.stages, counts, title=f"销售漏斗：{what}")
    rows = [
        [s, n, "—" if k == 0 else _pct(n, counts[k - 1]), _pct(n, counts[0])]
        for k, (s, n) in enumerate(zip(prep.stages, counts))
    ]
    stage_tab = html_table(rows, header=["阶段", "到达数", "阶段转化率", "累计转化率"])
    t = channel_table(prep, industry, month)
    crow = [
        [
            f"{r.Index}（所选）" if r.Index == channel else r.Index,
            int(r.线索数),
            int(r.成交数),
            "—" if pd.isna(r.成交率) else f"{r.成交率:.1%}",
            _money(r.费用),
            _money(r.每条线索成本),
            _money(r.每成交客户成本),
            _money(r.平均成交金额),
        ]
        for r in t.itertuples()
    ]
    ctab = html_table(
        crow,
        header=["渠道", "线索数", "成交数", "成交率", "费用（元）", "每条线索成本", "每成交客户成本", "平均成交金额"],
    )
    note = (
        "<p style='color:#555'>说明：到达数按“走到的最远阶段”计算，跳过某一步的线索也算经过了那一步。"
        + (
            "费用只按渠道和月份记账，选了行业以后无法把费用分摊到行业，所以费用几列显示“—”。"
            if industry != ALL
            else "费用按所选月份合计；每成交客户成本 = 费用 ÷ 成交数。"
        )
        + "</p>"
    )
    return (
        f"<div style='display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start'>"
        f"<div>{svg}</div><div>{stage_tab}</div></div><div style='margin-top:8px'>{ctab}</div>{note}"
    )


def build_funnel_chart(leads, costs, stages=STAGES):
    """The widget: three dropdowns (渠道, 行业, 月份) over the prepared data."""
    import ipywidgets as w

    prep = prepare_funnel(leads, costs, stages)
    style = {"description_width": "50px"}
    dd = [
        w.Dropdown(options=[ALL] + opts, value=ALL, description=label, style=style, layout=w.Layout(width="200px"))
        for label, opts in (("渠道", prep.channels), ("行业", prep.industries), ("月份", prep.months))
    ]
    out = w.HTML(funnel_view(prep))

    def update(_=None):
        try:
            out.value = funnel_view(prep, *(d.value for d in dd))
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{err}</p>"

    for d in dd:
        d.observe(update, "value")
    return w.VBox([w.HTML("<b>选择渠道、行业或月份，看漏斗和各渠道成本怎么变</b>"), w.HBox(dd), out])


def funnel_chart(leads, costs, stages=STAGES):
    """Show the funnel widget (a static all-leads view under nbgrader)."""
    show(build_funnel_chart(leads, costs, stages), funnel_view(prepare_funnel(leads, costs, stages)))


def BENCH():
    """One filter change = one funnel_view call on the p02 data."""
    import itertools

    from ..course.datasets import load_dataset

    prep = prepare_funnel(load_dataset("p02_leads"), load_dataset("p02_channel_costs"))
    settings = itertools.cycle(
        [(ch, ALL, ALL) for ch in [ALL] + prep.channels]
        + [(ALL, ind, ALL) for ind in prep.industries]
        + [(ALL, ALL, m) for m in prep.months]
    )

    def update():
        return funnel_view(prep, *next(settings))

    return update
