"""Importance–performance quadrants (重要性–表现分析) with movable cut lines.

Each attribute is a point (x = importance, y = performance). Two sliders move
the vertical and horizontal cut lines (they start at the means, as
``crm.ipa_quadrants`` does); the table says which quadrant each attribute
falls in. An attribute exactly on a line counts as high.

>>> import pandas as pd
>>> imp = pd.Series({"价格": 4.5, "停车": 3.0, "新鲜": 4.4})
>>> perf = pd.Series({"价格": 3.1, "停车": 3.0, "新鲜": 4.3})
>>> html = ipa_view(imp, perf)
>>> "重点改进" in html and "<svg" in html
True
"""

from html import escape

from ..course.charts import FONT
from ..course.errors import CRMError, require_frame
from ..course.fonts import PALETTE
from ..course.ui import html_table, show
from ..topics.satisfaction import QUADRANTS, ipa_quadrants

QUAD_COLORS = {"继续保持": PALETTE[2], "重点改进": PALETTE[3], "低优先": PALETTE[5], "过度投入": PALETTE[1]}
W, H, LEFT, RIGHT, TOP, BOTTOM = 560, 400, 56, 20, 34, 44


def _text_width(s):
    return sum(12.5 if ord(ch) > 255 else 7 for ch in s)


def place_labels(points, boxes_avoid=()):
    """Greedy label placement: for each (x, y, text) try right, left, above, below of the point,
    then further out, and keep the first spot that overlaps no label placed before.

    Returns [(x, y, anchor, box)], box = (x0, y0, x1, y1) of the text.

    >>> spots = place_labels([(100, 100, "甲乙"), (102, 101, "丙丁")])
    >>> spots[0][3] != spots[1][3]
    True
    """
    placed, out = list(boxes_avoid), []
    for x, y, text in points:
        w = _text_width(text)
        cands = []
        for d in (0, 12, 24, 36):
            cands += [
                (x + 7, y + 4 + d, "start"),
                (x - 7, y + 4 + d, "end"),
                (x + 7, y + 4 - d, "start"),
                (x - 7, y + 4 - d, "end"),
                (x, y - 9 - d, "middle"),
                (x, y + 18 + d, "middle"),
            ]
        best = None
        for cx, cy, anchor in cands:
            x0 = cx if anchor == "start" else cx - w if anchor == "end" else cx - w / 2
            box = (x0, cy - 11, x0 + w, cy + 2)
            inside = box[0] >= LEFT and box[2] <= W - RIGHT and box[1] >= TOP and box[3] <= H - BOTTOM
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                best = (cx, cy, anchor, box)
                break
        if best is None:
            cx, cy, anchor = cands[0]
            best = (cx, cy, anchor, (cx, cy - 11, cx + w, cy + 2))
        placed.append(best[3])
        out.append(best)
    return out


def _axis(values, cut):
    lo, hi = min(list(values) + [cut]), max(list(values) + [cut])
    pad = max((hi - lo) * 0.12, 0.1)
    return lo - pad, hi + pad


def ipa_view(importance, performance, i_cut=None, p_cut=None):
    """HTML for one position of the cut lines (pure). ``None`` = the mean.

    >>> import pandas as pd
    >>> h = ipa_view(pd.Series({"甲": 4.0, "乙": 3.0}), pd.Series({"甲": 3.0, "乙": 4.0}), i_cut=3.0)
    >>> "过度投入" in h
    True
    """
    cut = ("mean" if i_cut is None else i_cut, "mean" if p_cut is None else p_cut)
    t = ipa_quadrants(importance, performance, cut=cut)
    ci, cp = t.attrs["分界线"]["重要性"], t.attrs["分界线"]["表现"]
    (x0, x1), (y0, y1) = _axis(t["重要性"], ci), _axis(t["表现"], cp)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(v):
        return LEFT + pw * (v - x0) / (x1 - x0)

    def py(v):
        return TOP + ph * (1 - (v - y0) / (y1 - y0))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" {FONT} font-size="12">'
        f'<rect width="{W}" height="{H}" fill="white"/>'
        f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">重要性–表现四象限</text>'
        f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>'
    ]
    # quadrant names in the corners
    corners = [
        ("重点改进", LEFT + pw - 6, TOP + ph - 8, "end"),
        ("继续保持", LEFT + pw - 6, TOP + 16, "end"),
        ("低优先", LEFT + 6, TOP + ph - 8, "start"),
        ("过度投入", LEFT + 6, TOP + 16, "start"),
    ]
    avoid = []
    for name, x, y, anchor in corners:
        out.append(
            f'<text x="{x}" y="{y}" text-anchor="{anchor}" fill="{QUAD_COLORS[name]}" opacity="0.75">{name}</text>'
        )
        w = _text_width(name)
        avoid.append((x - w if anchor == "end" else x, y - 11, x if anchor == "end" else x + w, y + 2))
    for k in range(5):  # ticks
        xv, yv = x0 + (x1 - x0) * k / 4, y0 + (y1 - y0) * k / 4
        out.append(
            f'<text x="{px(xv):.1f}" y="{H - BOTTOM + 15}" text-anchor="middle" fill="#555">{xv:.2f}</text>'
            f'<text x="{LEFT - 5}" y="{py(yv) + 4:.1f}" text-anchor="end" fill="#555">{yv:.2f}</text>'
        )
    out.append(
        f'<line x1="{px(ci):.1f}" x2="{px(ci):.1f}" y1="{TOP}" y2="{TOP + ph}" stroke="{PALETTE[0]}" stroke-dasharray="6,4"/>'
        f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{py(cp):.1f}" y2="{py(cp):.1f}" stroke="{PALETTE[0]}" stroke-dasharray="6,4"/>'
        f'<text x="{W / 2}" y="{H - 8}" text-anchor="middle" fill="#555">重要性（平均分）→  分界 {ci:.2f}</text>'
        f'<text x="14" y="{TOP + ph / 2}" transform="rotate(-90 14 {TOP + ph / 2})" text-anchor="middle" '
        f'fill="#555">表现（平均分）→  分界 {cp:.2f}</text>'
    )
    pts = [(px(r.重要性), py(r.表现), str(name)) for name, r in t.iterrows()]
    dots = [(x - 4, y - 4, x + 4, y + 4) for x, y, _ in pts]
    for (x, y, name), (lx, ly, anchor, _), q in zip(pts, place_labels(pts, avoid + dots), t["象限"]):
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{QUAD_COLORS[q]}"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{escape(name)}</text>'
        )
    out.append("</svg>")
    rows = [[q, "、".join(map(str, t.index[t["象限"] == q])) or "—"] for q in QUADRANTS]
    lead = (
        f"<p style='margin:4px 0'>重要性分界 {ci:.2f}，表现分界 {cp:.2f}（恰好落在线上的算“高”）。"
        f"“重点改进”里的指标是客户很看重、我们却做得不够好的地方。</p>"
    )
    return f"<div>{lead}{''.join(out)}{html_table(rows, header=['象限', '指标'])}</div>"


def build_ipa(importance, performance):
    """The widget (two sliders for the cut lines, starting at the means), not yet displayed."""
    import ipywidgets as w

    t = ipa_quadrants(importance, performance)
    ci, cp = t.attrs["分界线"]["重要性"], t.attrs["分界线"]["表现"]
    style, layout = {"description_width": "110px"}, w.Layout(width="440px")
    si = w.FloatSlider(
        value=round(ci, 2),
        min=round(t["重要性"].min() - 0.3, 1),
        max=round(t["重要性"].max() + 0.3, 1),
        step=0.05,
        description="重要性分界线",
        style=style,
        layout=layout,
    )
    sp = w.FloatSlider(
        value=round(cp, 2),
        min=round(t["表现"].min() - 0.3, 1),
        max=round(t["表现"].max() + 0.3, 1),
        step=0.05,
        description="表现分界线",
        style=style,
        layout=layout,
    )
    out = w.HTML(ipa_view(importance, performance))

    def update(_change):
        try:
            out.value = ipa_view(importance, performance, si.value, sp.value)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    si.observe(update, names="value")
    sp.observe(update, names="value")
    return w.VBox([w.HTML("<b>拖动两条分界线</b>，看哪些指标换了象限"), si, sp, out])


def ipa_explorer(importance, performance):
    """Show the IPA widget (static view at the means under nbgrader)."""
    show(build_ipa(importance, performance), ipa_view(importance, performance))


def survey_means(survey):
    """Mean importance and performance per attribute of a p06-style survey (columns 重要性_X, 表现_X).

    >>> import pandas as pd
    >>> s = pd.DataFrame({"重要性_价格": [4, 5], "表现_价格": [3, None]})
    >>> [v.to_dict() for v in survey_means(s)]
    [{'价格': 4.5}, {'价格': 3.0}]
    """
    require_frame(survey, "调查表")
    imp = survey.filter(regex="^重要性_").mean()
    perf = survey.filter(regex="^表现_").mean()
    if imp.empty or perf.empty:
        raise CRMError("调查表里找不到以“重要性_”和“表现_”开头的列。请传入 p06_survey 这样的问卷表。")
    imp.index = [c.split("_", 1)[1] for c in imp.index]
    perf.index = [c.split("_", 1)[1] for c in perf.index]
    return imp, perf


def BENCH():
    """Benchmark hook: means computed once from the p06 survey; one slider move = one ipa_view call."""
    import itertools

    from ..course.datasets import load_dataset

    imp, perf = survey_means(load_dataset("p06_survey"))
    cuts = itertools.cycle([3.3 + k * 0.05 for k in range(20)])

    def update():
        return ipa_view(imp, perf, next(cuts), 3.8)

    return update
