"""投诉的帕累托图: choose a field (投诉类别, 产品, 渠道), a quarter and the cut → bars,
cumulative line, the cut line and the vital few.

The view is a pure function of a table and three choices; ``crm.pareto_table``
does the counting (same ranking and vital-few rule), and the chart is a
hand-drawn SVG: value labels sit *under* the axis next to the group names, the
cut label sits in the right margin, so no label ever lies on a bar or a line.

>>> import pandas as pd
>>> t = pd.DataFrame({"投诉类别": list("AAABBC"), "受理时间": pd.to_datetime(["2025-01-05"] * 6)})
>>> "关键少数" in pareto_chart_view(t, "投诉类别") and "<svg" in pareto_chart_view(t, "投诉类别")
True
"""

from html import escape

import pandas as pd

from ..course import charts as svg
from ..course.errors import CRMError, as_number, require_columns, require_frame
from ..course.fonts import PALETTE
from ..course.ui import html_table, show
from ..topics.pareto import pareto_table

FIELDS = ["投诉类别", "产品", "渠道"]
PERIODS = ["全年", "第一季度", "第二季度", "第三季度", "第四季度"]
MAX_GROUPS = 12  # a Pareto chart of more groups is unreadable; the table keeps them all


def pareto_svg(table, cut=0.8, title="", width=640, height=340):
    """SVG Pareto chart of a ``pareto_table`` result (at most 12 groups).

    Bars (left axis, counts) in rank order, vital few in blue; the cumulative
    share as a line (right axis, %); the cut as a dashed line labelled in the
    right margin. Group names and counts are written below the x axis.

    >>> t = pareto_table(pd.Series({"甲": 6, "乙": 3, "丙": 1}))
    >>> s = pareto_svg(t, 0.8)
    >>> s.count("<rect") - 1, "80%" in s    # 3 bars + 2 legend boxes (+ background)
    (5, True)
    """
    if len(table) > MAX_GROUPS:
        raise CRMError(f"分组有 {len(table)} 个，帕累托图最多画 {MAX_GROUPS} 个。请换一个分组更少的字段。")
    left, right, top, bottom = 52, 74, 40 if title else 16, 70
    pw, ph = width - left - right, height - top - bottom
    values = table.iloc[:, 0].astype(float).tolist()
    cum = table["累计占比"].tolist()
    vital = table["关键少数"].tolist()
    vmax = svg.nice_top(max(values + [1e-9]))
    slot = pw / len(values)

    def y_count(v):
        return top + ph * (1 - v / vmax)

    def y_share(p):
        return top + ph * (1 - p)

    out = [svg._open(width, height, title)]
    for k in range(5):  # left axis: counts, with the grid
        v = vmax * k / 4
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y_count(v):.1f}" y2="{y_count(v):.1f}" stroke="#e4e4e4"/>'
            f'<text x="{left - 6}" y="{y_count(v) + 4:.1f}" text-anchor="end" fill="#555">{svg._fmt(v)}</text>'
        )
    y_cut = y_share(cut)
    for k in range(5):  # right axis: cumulative share; a tick too close to the cut label is left out
        p = k / 4
        if abs(y_share(p) - y_cut) >= 14:
            out.append(f'<text x="{left + pw + 6}" y="{y_share(p) + 4:.1f}" fill="#555">{p:.0%}</text>')
    for i, (name, v, on) in enumerate(zip(table.index, values, vital)):
        x = left + slot * i
        w = slot * 0.62
        color = PALETTE[0] if on else "#B9C2CC"
        out.append(
            f'<rect x="{x + (slot - w) / 2:.1f}" y="{y_count(v):.1f}" width="{w:.1f}" '
            f'height="{top + ph - y_count(v):.1f}" fill="{color}"><title>{escape(str(name))}：{svg._fmt(v)}</title></rect>'
            f'<text x="{x + slot / 2:.1f}" y="{top + ph + 16}" text-anchor="middle">{escape(str(name))}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{top + ph + 32}" text-anchor="middle" fill="#555">'
            f"{svg._fmt(v)}｜{cum[i]:.0%}</text>"
        )
    pts = " ".join(f"{left + slot * (i + 0.5):.1f},{y_share(c):.1f}" for i, c in enumerate(cum))
    out.append(
        f'<polyline points="{left:.1f},{y_share(0):.1f} {pts}" fill="none" stroke="{PALETTE[1]}" stroke-width="2"/>'
    )
    out += [
        f'<circle cx="{left + slot * (i + 0.5):.1f}" cy="{y_share(c):.1f}" r="3.5" fill="{PALETTE[1]}">'
        f"<title>累计 {c:.1%}</title></circle>"
        for i, c in enumerate(cum)
    ]
    out.append(
        f'<line x1="{left}" x2="{left + pw}" y1="{y_cut:.1f}" y2="{y_cut:.1f}" stroke="{PALETTE[3]}" '
        f'stroke-dasharray="6,4"/><text x="{left + pw + 6}" y="{y_cut + 4:.1f}" fill="{PALETTE[3]}" '
        f'font-weight="bold">{cut:.0%} 线</text>'
    )
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#888"/>')
    ly = height - 10
    out.append(
        f'<rect x="{left}" y="{ly - 9}" width="10" height="10" fill="{PALETTE[0]}"/>'
        f'<text x="{left + 14}" y="{ly}">关键少数</text>'
        f'<rect x="{left + 84}" y="{ly - 9}" width="10" height="10" fill="#B9C2CC"/>'
        f'<text x="{left + 98}" y="{ly}">其余</text>'
        f'<line x1="{left + 146}" x2="{left + 166}" y1="{ly - 4}" y2="{ly - 4}" stroke="{PALETTE[1]}" stroke-width="2"/>'
        f'<text x="{left + 170}" y="{ly}">累计占比（右轴）　轴下数字：件数｜累计占比</text>'
    )
    return "".join(out) + "</svg>"


def _period(cases, period):
    if period not in PERIODS:
        raise CRMError(f"「期间」只能是 {'、'.join(PERIODS)} 之一，你给的是 {period!r}。")
    if period == "全年":
        return cases
    require_columns(cases, ["受理时间"], "投诉表")
    q = PERIODS.index(period)
    return cases[cases["受理时间"].dt.quarter == q]


def prepare_pareto(cases):
    """Counts per group for every field and period (once per widget): {(field, period): Series}.

    >>> t = pd.DataFrame({"渠道": ["热线", "邮件", "热线"], "受理时间": pd.to_datetime(["2025-01-02", "2025-05-02", "2025-05-03"])})
    >>> prepare_pareto(t)[("渠道", "第二季度")].to_dict()
    {'邮件': 1, '热线': 1}
    """
    require_frame(cases, "投诉表")
    counts = {}
    for period in PERIODS:
        part = _period(cases, period) if "受理时间" in cases.columns or period == "全年" else None
        for field in FIELDS:
            if field in cases.columns and part is not None:
                labels = part[field].astype(object).where(part[field].notna(), "（未填写）")
                counts[(field, period)] = labels.value_counts().rename(None)
    return counts


def pareto_chart_view(cases, field="投诉类别", period="全年", cut=0.80):
    """HTML for one choice: a sentence on the vital few, the Pareto SVG and the table.

    `cases` is the complaint table or what :func:`prepare_pareto` made of it.

    >>> t = pd.DataFrame({"渠道": ["热线"] * 5 + ["邮件"] * 3 + ["评论"] * 2,
    ...                   "受理时间": pd.to_datetime(["2025-04-01"] * 10)})
    >>> html = pareto_chart_view(t, "渠道", "第二季度", 0.8)
    >>> "2 个" in html and "热线、邮件" in html
    True
    """
    cut = as_number(cut, "分界线", minimum=0.5, maximum=0.99)
    if period not in PERIODS:
        raise CRMError(f"「期间」只能是 {'、'.join(PERIODS)} 之一，你给的是 {period!r}。")
    if isinstance(cases, pd.DataFrame):
        require_frame(cases, "投诉表")
        require_columns(cases, [field], "投诉表")
        part = _period(cases, period)
        counts = part[field].astype(object).where(part[field].notna(), "（未填写）").value_counts().rename(None)
    elif not isinstance(cases, dict):
        require_frame(cases, "投诉表")  # raises the Chinese message for anything that is not a table
    else:
        if (field, period) not in cases:
            raise CRMError(f"投诉表里找不到列「{field}」。可选的字段：{'、'.join(FIELDS)}。")
        counts = cases[(field, period)]
    n = int(counts.sum())
    if n == 0:
        return f"<p>{escape(period)}没有投诉记录。</p>"
    table = pareto_table(counts, cut=cut)
    table.index.name = field
    names = table.index.tolist()
    value, part_share, cum, vital = (table[c].to_numpy() for c in ("数量", "占比", "累计占比", "关键少数"))
    few = [g for g, v in zip(names, vital) if v]
    share = float(part_share[vital].sum())
    lead = (
        f"<p>{escape(period)}共 {n} 件投诉，按「{escape(field)}」分成 {len(table)} 组。"
        f"累计到 {cut:.0%} 需要 {len(few)} 个组（关键少数）：<b>{escape('、'.join(map(str, few)))}</b>，"
        f"合计占 {share:.1%}；组数占 {len(few) / len(table):.0%}。</p>"
    )
    chart = pareto_svg(table.head(MAX_GROUPS), cut, title=f"{period}投诉的帕累托图：按{field}")
    rows = [
        [g, int(v), f"{p:.1%}", f"{c:.1%}", "√" if k else ""]
        for g, v, p, c, k in zip(names, value, part_share, cum, vital)
    ]
    return f"<div>{lead}{chart}{html_table(rows, header=[field, '件数', '占比', '累计占比', '关键少数'])}</div>"


def build_pareto_chart(cases, field="投诉类别", period="全年", cut=0.80):
    """The widget (field and period menus, cut slider), not yet displayed.

    >>> t = pd.DataFrame({"投诉类别": list("AAB"), "产品": list("xyy"), "渠道": list("ppq"),
    ...                   "受理时间": pd.to_datetime(["2025-01-02", "2025-05-02", "2025-05-03"])})
    >>> box = build_pareto_chart(t)
    >>> box.children[1].children[0].value = "产品"
    >>> "按「产品」" in box.children[2].value
    True
    """
    import ipywidgets as w

    pareto_chart_view(cases, field, period, cut)  # fail early with a Chinese message
    counts = prepare_pareto(cases)
    pick = w.Dropdown(
        options=[f for f in FIELDS if f in cases.columns],
        value=field,
        description="分组字段",
        layout=w.Layout(width="220px"),
    )
    when = w.Dropdown(options=PERIODS, value=period, description="期间", layout=w.Layout(width="200px"))
    line = w.FloatSlider(
        value=cut, min=0.6, max=0.95, step=0.05, description="分界线", readout_format=".0%", continuous_update=True
    )
    out = w.HTML(pareto_chart_view(counts, field, period, cut))

    def update(_=None):
        try:
            out.value = pareto_chart_view(counts, pick.value, when.value, line.value)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    for c in (pick, when, line):
        c.observe(update, "value")
    return w.VBox([w.HTML("<b>选一个字段和期间，看哪些组是“关键少数”</b>"), w.HBox([pick, when, line]), out])


def pareto_chart(cases, field="投诉类别", period="全年", cut=0.80):
    """Show the Pareto widget (static default view under nbgrader)."""
    show(build_pareto_chart(cases, field, period, cut), pareto_chart_view(cases, field, period, cut))


def BENCH():
    """Benchmark hook: counts prepared once (as when the widget is built); one menu change = one view."""
    import itertools

    from ..course.datasets import load_dataset

    counts = prepare_pareto(load_dataset("p05_complaints"))
    choices = itertools.cycle([(f, p) for f in FIELDS for p in PERIODS])

    def update():
        return pareto_chart_view(counts, *next(choices))

    return update
