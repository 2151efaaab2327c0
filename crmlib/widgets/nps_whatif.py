"""NPS what-if (净推荐值推演): move customers between detractors, passives and promoters.

Start from the real answers; three sliders move some detractors to passives,
some passives to promoters, and some promoters down to passives (a service
failure). The view shows the new NPS next to the old one and the three
groups as stacked bars, so a student sees that lifting a detractor to
passive is worth as much NPS as lifting a passive to promoter.

>>> g = nps_counts([10, 9, 8, 3, 2])
>>> g
{'贬损者': 2, '中立者': 1, '推荐者': 2}
>>> moved_counts(g, d2p=1)
{'贬损者': 1, '中立者': 2, '推荐者': 2}
>>> "NPS" in nps_whatif_view(g, d2p=1)
True
"""

from html import escape

from ..course.errors import CRMError, as_number
from ..course.fonts import PALETTE
from ..course.ui import show
from ..topics.satisfaction import NPS_GROUPS, nps_groups

COLORS = {"贬损者": PALETTE[3], "中立者": PALETTE[5], "推荐者": PALETTE[2]}


def nps_counts(scores):
    """Number of detractors, passives and promoters among valid 0–10 scores."""
    g = nps_groups(scores).value_counts()
    return {k: int(g.get(k, 0)) for k in NPS_GROUPS}


def _nps(c):
    n = sum(c.values())
    return 100.0 * (c["推荐者"] - c["贬损者"]) / n


def moved_counts(counts, d2p=0, p2r=0, r2p=0):
    """Counts after moving d2p detractors → passives, p2r passives → promoters, r2p promoters → passives.

    Moves happen in that order and are capped by who is there (a move asking
    for more people than the group has raises CRMError).

    >>> moved_counts({"贬损者": 1, "中立者": 0, "推荐者": 0}, d2p=1, p2r=1)
    {'贬损者': 0, '中立者': 0, '推荐者': 1}
    """
    c = _check_counts(counts)
    for key, src, dst, what in (
        (d2p, "贬损者", "中立者", "贬损者→中立者"),
        (p2r, "中立者", "推荐者", "中立者→推荐者"),
        (r2p, "推荐者", "中立者", "推荐者→中立者"),
    ):
        k = as_number(key, what, minimum=0)
        if k != int(k):
            raise CRMError(f"「{what}」的人数应该是整数，你给的是 {k:g}。")
        k = int(k)
        if k > c[src]:
            raise CRMError(f"「{what}」要移动 {k} 人，但此时只有 {c[src]} 位{src}。请减少人数。")
        c[src] -= k
        c[dst] += k
    return c


def _check_counts(counts):
    """Group counts as a dict; a list/Series of 0–10 scores is counted first."""
    if not isinstance(counts, dict):
        return nps_counts(counts)
    missing = [g for g in NPS_GROUPS if g not in counts]
    if missing:
        raise CRMError(f"分组人数里缺少「{'、'.join(missing)}」。请用 crm.nps_counts(评分) 得到三个分组的人数。")
    out = {}
    for g in NPS_GROUPS:
        k = as_number(counts[g], f"{g}人数", minimum=0)
        if k != int(k):
            raise CRMError(f"「{g}人数」应该是整数，你给的是 {k:g}。")
        out[g] = int(k)
    return out


def _bar(label, c, y, width=440, left=70):
    n = sum(c.values())
    out, x = [f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'], left
    for g in NPS_GROUPS:
        w = width * c[g] / n
        out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="22" fill="{COLORS[g]}"/>')
        if w >= 34:
            out.append(
                f'<text x="{x + w / 2:.1f}" y="{y + 15}" text-anchor="middle" fill="white">{c[g] / n:.0%}</text>'
            )
        x += w
    return "".join(out)


def nps_whatif_view(counts, d2p=0, p2r=0, r2p=0):
    """HTML for one slider position (pure).

    >>> "+20.0" in nps_whatif_view({"贬损者": 1, "中立者": 3, "推荐者": 1}, p2r=1)
    True
    """
    before = _check_counts(counts)
    if sum(before.values()) == 0:
        raise CRMError("没有任何有效评分，无法计算 NPS。")
    after = moved_counts(before, d2p, p2r, r2p)
    n = sum(before.values())
    old, new = _nps(before), _nps(after)
    from ..course.charts import FONT

    legend = "".join(
        f'<rect x="{70 + 90 * i}" y="80" width="10" height="10" fill="{COLORS[g]}"/>'
        f'<text x="{84 + 90 * i}" y="89">{g}</text>'
        for i, g in enumerate(NPS_GROUPS)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="540" height="98" {FONT} font-size="12">'
        f'<rect width="540" height="98" fill="white"/>{_bar("调整前", before, 8)}{_bar("调整后", after, 42)}'
        f"{legend}</svg>"
    )
    rows = "".join(
        f"<tr><td style='padding:2px 10px'>{g}</td><td style='padding:2px 10px;text-align:right'>{before[g]}</td>"
        f"<td style='padding:2px 10px;text-align:right'>{after[g]}</td></tr>"
        for g in NPS_GROUPS
    )
    table = (
        f"<table style='border-collapse:collapse'><tr><th style='padding:2px 10px'>分组</th>"
        f"<th style='padding:2px 10px'>调整前</th><th style='padding:2px 10px'>调整后</th></tr>{rows}</table>"
    )
    step = 100 / n
    lead = (
        f"<p style='margin:4px 0'><b>NPS：{old:+.1f} → {new:+.1f}</b>（变化 {new - old:+.1f}）。"
        f"共 {n} 位有效受访者，每把 1 人从贬损者变成中立者、或从中立者变成推荐者，NPS 都加 {step:.2f}；"
        f"一位推荐者变成中立者，NPS 就减 {step:.2f}。</p>"
    )
    return f"<div>{lead}{svg}{table}</div>"


def build_nps_whatif(scores):
    """The widget over the valid scores of `scores` (three sliders), not yet displayed."""
    import ipywidgets as w

    c = nps_counts(scores)
    style, layout = {"description_width": "150px"}, w.Layout(width="460px")
    s1 = w.IntSlider(0, 0, c["贬损者"], description="贬损者 → 中立者（人）", style=style, layout=layout)
    s2 = w.IntSlider(0, 0, c["中立者"] + c["贬损者"], description="中立者 → 推荐者（人）", style=style, layout=layout)
    s3 = w.IntSlider(0, 0, c["推荐者"], description="推荐者 → 中立者（人）", style=style, layout=layout)
    out = w.HTML(nps_whatif_view(c))

    def update(_change):
        try:
            out.value = nps_whatif_view(c, s1.value, s2.value, s3.value)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    for s in (s1, s2, s3):
        s.observe(update, names="value")
    return w.VBox([w.HTML("<b>NPS 推演</b>：假如改进服务能让一部分客户换一个分组，NPS 会变成多少？"), s1, s2, s3, out])


def nps_whatif(scores):
    """Show the NPS what-if widget (static default view under nbgrader)."""
    show(build_nps_whatif(scores), nps_whatif_view(nps_counts(scores)))


def BENCH():
    """Benchmark hook: counts computed once from the p06 survey; one slider move = one view call."""
    import itertools

    from ..course.datasets import load_dataset

    c = nps_counts(load_dataset("p06_survey")["推荐意愿"].dropna())
    moves = itertools.cycle(range(0, min(c["贬损者"], 40)))

    def update():
        return nps_whatif_view(c, next(moves), 5, 2)

    return update
