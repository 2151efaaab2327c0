"""ABC 分类的分界线：two sliders (A cut, B cut) → class counts, value shares and
the Pareto curve.

The view is a pure function over a :class:`ParetoCurve` computed once from
the customers' values, so a slider move only does a binary search and draws
an SVG (well under a millisecond on 200 accounts).

Convention (same as ``crm.abc_classify``): customers are sorted by value,
largest first; a customer is A while the cumulative share *before* it is
below the A cut (so the customer that crosses 80% is still A), B while it is
below the B cut, C after that.

>>> import pandas as pd
>>> curve = pareto_curve(pd.Series({"甲": 70, "乙": 20, "丙": 6, "丁": 4}))
>>> abc_counts(curve, 0.8, 0.95)["客户数"].tolist()
[2, 1, 1]
"""

import math
import re
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from ..course import charts as svg
from ..course.fonts import PALETTE
from ..course.errors import CRMError, as_number, require_nonnegative, require_series
from ..topics.segmentation import TOLERANCE, ranked_values
from ..course.ui import html_table, show

CLASSES = ["A", "B", "C"]
GRID = np.linspace(0, 1, 21)  # customer share 0%, 5%, … 100% for the curve


@dataclass(frozen=True)
class ParetoCurve:
    """Customers sorted by value (desc) with their cumulative value share."""

    names: np.ndarray
    values: np.ndarray
    cum_share: np.ndarray

    @property
    def total(self):
        return float(self.values.sum())


def pareto_curve(values):
    """Precompute the sorted values and cumulative shares (once per widget).

    >>> c = pareto_curve(pd.Series({"甲": 1.0, "乙": 3.0}))
    >>> c.names.tolist(), c.cum_share.tolist()
    (['乙', '甲'], [0.75, 1.0])
    >>> pareto_curve(pd.Series({"甲": 0.0}))
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 客户价值全部为 0，无法计算占比。请检查是不是用错了金额列或筛掉了所有订单。
    """
    values = require_series(values, "客户价值")
    require_nonnegative(values, "客户价值")
    s = ranked_values(values)
    total = float(s.sum())
    if total <= 0:
        raise CRMError("客户价值全部为 0，无法计算占比。请检查是不是用错了金额列或筛掉了所有订单。")
    v = s.to_numpy(dtype=float)
    return ParetoCurve(names=s.index.to_numpy(), values=v, cum_share=np.cumsum(v) / total)


def check_cuts(a_cut, b_cut):
    """Validate the two cut-offs (shares between 0 and 1, A below B); return floats.

    >>> check_cuts(0.8, 0.95)
    (0.8, 0.95)
    >>> check_cuts(0.9, 0.7)
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: A 类分界线（90%）必须低于 B 类分界线（70%）。例如 A 取 80%、B 取 95%。
    """
    a = as_number(a_cut, "A 类分界线", minimum=0.01, maximum=0.99)
    b = as_number(b_cut, "B 类分界线", minimum=0.02, maximum=1.0)
    if a >= b:
        raise CRMError(f"A 类分界线（{a:.0%}）必须低于 B 类分界线（{b:.0%}）。例如 A 取 80%、B 取 95%。")
    return a, b


def class_bounds(curve, a_cut, b_cut):
    """How many customers fall in A and in A+B under the given cuts.

    >>> class_bounds(pareto_curve(pd.Series([70, 20, 6, 4])), 0.8, 0.95)
    (2, 3)
    """
    before = np.concatenate([[0.0], curve.cum_share[:-1]])  # share held by the customers ranked above
    n_a = int(np.searchsorted(before, a_cut - TOLERANCE, side="left"))
    n_ab = int(np.searchsorted(before, b_cut - TOLERANCE, side="left"))
    return max(n_a, 1), max(n_ab, max(n_a, 1))


def abc_counts(curve, a_cut=0.80, b_cut=0.95):
    """Per class: number and share of customers, value and share of value.

    >>> t = abc_counts(pareto_curve(pd.Series([70, 20, 6, 4])))
    >>> t["金额占比"].round(2).tolist()
    [0.9, 0.06, 0.04]
    """
    a, b = check_cuts(a_cut, b_cut)
    n_a, n_ab = class_bounds(curve, a, b)
    n = len(curve.values)
    edges = [0, n_a, n_ab, n]
    sums = [float(curve.values[edges[i] : edges[i + 1]].sum()) for i in range(3)]
    counts = [edges[i + 1] - edges[i] for i in range(3)]
    return pd.DataFrame(
        {
            "类别": CLASSES,
            "客户数": counts,
            "客户占比": [c / n for c in counts],
            "金额": sums,
            "金额占比": [s / curve.total for s in sums],
        }
    )


def top_share(curve, top=0.2):
    """Share of value held by the top `top` fraction of customers, ceil(top × n)
    of them (as ``crm.pareto_share``).

    >>> top_share(pareto_curve(pd.Series([70, 20, 6, 4, 0])), 0.2)
    0.7
    """
    k = max(1, int(np.ceil(round(len(curve.values) * top, 9))))
    return float(curve.cum_share[k - 1])


def curve_points(curve):
    """Cumulative value share at customer shares 0%, 5%, …, 100% (interpolated).

    >>> curve_points(pareto_curve(pd.Series([1, 1, 1, 1])))[[0, 10, 20]].round(2).tolist()
    [0.0, 0.5, 1.0]
    """
    n = len(curve.values)
    return np.interp(GRID * n, np.arange(n + 1), np.concatenate([[0.0], curve.cum_share]))


# ------------------------------------------------ a line chart whose labels cannot collide

FONT_PX = 12
LINE_GAP = 15  # minimum vertical distance between two margin labels


def text_width(text, size=FONT_PX):
    """Estimated width in px of `text` (CJK full width, others ~0.62 em).

    >>> text_width("B/C 分界 95%")
    83.52
    """
    return round(sum(size if ord(ch) > 0x2E80 else 0.62 * size for ch in str(text)), 2)


def spread_labels(ys, low, high, gap=LINE_GAP):
    """Label baselines near `ys` (any order), at least `gap` apart, kept within [low, high].

    Labels are stacked in y order and pushed apart where they would touch,
    then the whole stack is shifted back inside the band if needed.

    >>> spread_labels([100, 104, 300], 20, 320)
    [100, 115, 300]
    >>> spread_labels([310, 318], 20, 320)
    [305, 320]
    """
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = [0.0] * len(ys)
    prev = -math.inf
    for i in order:
        out[i] = max(ys[i], prev + gap, low)
        prev = out[i]
    over = (prev - high) if order else 0
    if over > 0:
        for i in order:
            out[i] -= over
        prev = -math.inf
        for i in order:  # shifting down may break the low bound: re-stack from low
            out[i] = max(out[i], prev + gap, low)
            prev = out[i]
    return [round(v, 1) for v in out]


def labelled_line_chart(
    x, series, title="", y_label="", hlines=None, width=600, height=300, y_max=None, percent=False, markers=True
):
    """Lines over a shared x axis with dashed reference lines (`hlines`: label -> y).

    Unlike a label drawn on the plot, each reference label sits in a right
    margin outside the plot area, level with its line (a short leader joins
    them), stacked so that no two labels touch: no label can cover a line or
    another label. x tick labels are thinned so they never touch either.

    >>> svg_ = labelled_line_chart(["1月", "2月"], {"金额": [1, 3]}, hlines={"甲": 2, "乙": 2.05})
    >>> svg_.count("<text") >= 6 and "甲" in svg_
    True
    """
    hlines = dict(hlines or {})
    labels = {name: f"{name} {(f'{v:.0%}' if percent else svg._fmt(v))}" for name, v in hlines.items()}
    right = 16 + max([text_width(t) for t in labels.values()] + [0]) + (14 if hlines else 0)
    left, top, bottom = 68, 34 if title else 12, 46
    n = max(len(x), 2)
    ys = [v for vals in series.values() for v in vals] + list(hlines.values())
    low_v = min(0.0, min(ys + [0]))
    top_v = y_max if y_max is not None else svg.nice_top(max(ys + [1e-12]) - low_v) + low_v
    pw, ph = width - left - right, height - top - bottom

    def px(i):
        return left + pw * i / (n - 1)

    def py(v):
        return top + ph * (1 - (v - low_v) / ((top_v - low_v) or 1))

    def lab(v):
        return f"{v:.0%}" if percent else svg._fmt(v)

    out = [svg._open(width, height, title)]
    for k in range(5):  # grid and y ticks
        v = low_v + (top_v - low_v) * k / 4
        out.append(
            f'<line x1="{left}" x2="{left + pw:.1f}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 5}" y="{py(v) + 4:.1f}" text-anchor="end" fill="#555">{lab(v)}</text>'
        )
    widest = max([text_width(str(t)) for t in x] + [1])
    step = max(1, math.ceil((widest + 8) / (pw / (n - 1))))
    for i in range(0, len(x), step):  # x ticks, thinned so neighbours never touch
        out.append(
            f'<text x="{px(i):.1f}" y="{height - bottom + 18}" text-anchor="middle" fill="#555">'
            f"{escape(str(x[i]))}</text>"
        )
    legend_x = left + 8
    for j, (name, vals) in enumerate(series.items()):
        c = PALETTE[j % len(PALETTE)]
        pts = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(vals))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="2"/>')
        if markers and len(vals) <= 40:
            out += [f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="3" fill="{c}"/>' for i, v in enumerate(vals)]
        out.append(
            f'<rect x="{legend_x}" y="{height - 16}" width="10" height="10" fill="{c}"/>'
            f'<text x="{legend_x + 14}" y="{height - 7}">{escape(name)}</text>'
        )
        legend_x += 14 + text_width(name) + 24
    names = list(hlines)
    spots = spread_labels([py(hlines[k]) + 4 for k in names], top + FONT_PX, top + ph + 4)
    for j, name in enumerate(names):
        c = PALETTE[(3 + j) % len(PALETTE)]
        y, ty = py(hlines[name]), spots[j]
        edge = left + pw
        out.append(
            f'<line x1="{left}" x2="{edge:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{c}" stroke-dasharray="6,4"/>'
            f'<polyline points="{edge:.1f},{y:.1f} {edge + 8:.1f},{ty - 4:.1f}" fill="none" stroke="{c}"/>'
            f'<text x="{edge + 11:.1f}" y="{ty:.1f}" fill="{c}">{escape(labels[name])}</text>'
        )
    if y_label:
        out.append(
            f'<text x="12" y="{top + ph / 2}" transform="rotate(-90 12 {top + ph / 2})" '
            f'text-anchor="middle" fill="#555">{escape(y_label)}</text>'
        )
    return "".join(out) + "</svg>"


# ------------------------------------------------ geometry check of a chart's labels (used by the tests)
# Text boxes are estimated with ``text_width`` (CJK one em, others 0.62 em), the
# same estimate the layout uses; real browser fonts are narrower, so a chart that
# passes here has no overlap on screen either.

ATTR = re.compile(r"""([\w-]+)=["']([^"']*)["']""")


def _attrs(tag):
    return dict(ATTR.findall(tag))


def text_boxes(svg, default_size=12):
    """[(x0, y0, x1, y1, text)] of every unrotated <text> element."""
    out = []
    for tag, body in re.findall(r"<text([^>]*)>([^<]*)</text>", svg):
        a = _attrs(tag)
        if "transform" in a:
            continue
        size = float(a.get("font-size", default_size))
        x, y = float(a["x"]), float(a["y"])
        w = text_width(body, size)
        anchor = a.get("text-anchor", "start")
        x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        out.append((x0, y - 0.85 * size, x0 + w, y + 0.2 * size, body))
    return out


def segments(svg):
    """[(x1, y1, x2, y2, kind)] of every <line> and every polyline piece (grid lines excluded)."""
    out = []
    for tag in re.findall(r"<line([^>]*)/>", svg):
        a = _attrs(tag)
        if a.get("stroke") == "#ddd":
            continue  # light grid: labels may sit next to it
        out.append((float(a["x1"]), float(a["y1"]), float(a["x2"]), float(a["y2"]), "line"))
    for tag in re.findall(r"<polyline([^>]*)/>", svg):
        pts = [tuple(map(float, p.split(","))) for p in _attrs(tag)["points"].split()]
        out += [(*p, *q, "polyline") for p, q in zip(pts, pts[1:])]
    return out


def boxes_overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def segment_hits_box(s, box, pad=1.0):
    """True if segment s crosses the rectangle (Liang–Barsky clipping)."""
    x0, y0, x1, y1 = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
    ax, ay, dx, dy = s[0], s[1], s[2] - s[0], s[3] - s[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def label_collisions(svg):
    """Chinese list of label/label and label/line collisions in one SVG."""
    boxes, segs, found = text_boxes(svg), segments(svg), []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if boxes_overlap(a, b):
                found.append(f"「{a[4]}」与「{b[4]}」重叠")
        for s in segs:
            if segment_hits_box(s, a):
                found.append(f"「{a[4]}」压在一条{s[4]}上 {s[:4]}")
    return found


def svgs(html):
    """The <svg> elements of an HTML view, as strings."""
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


def abc_cutoffs_view(curve, a_cut=0.80, b_cut=0.95):
    """HTML for one slider position: summary line, class table and Pareto SVG.

    >>> html = abc_cutoffs_view(pareto_curve(pd.Series([70, 20, 6, 4])))
    >>> "A 类" in html and "<svg" in html
    True
    """
    if not isinstance(curve, ParetoCurve):
        curve = pareto_curve(curve)
    t = abc_counts(curve, a_cut, b_cut)
    a, b = check_cuts(a_cut, b_cut)
    rows = [
        [f"{r.类别} 类", r.客户数, f"{r.客户占比:.1%}", f"{r.金额 / 1e4:,.1f}", f"{r.金额占比:.1%}"]
        for r in t.itertuples()
    ]
    rows.append(["合计", len(curve.values), "100.0%", f"{curve.total / 1e4:,.1f}", "100.0%"])
    table = html_table(rows, header=["类别", "客户数", "客户占比", "金额（万元）", "金额占比"])
    chart = labelled_line_chart(
        [f"{g:.0%}" for g in GRID],
        {"累计金额占比": curve_points(curve).tolist(), "平均分布（参照）": GRID.tolist()},
        title="帕累托曲线：客户按金额从大到小排列",
        y_label="累计金额占比",
        hlines={"A/B 分界": a, "B/C 分界": b},
        percent=True,
        y_max=1.0,
        markers=False,
        width=600,
        height=320,
    )
    lead = (
        f"<p>按 A={a:.0%}、B={b:.0%} 的累计金额分界：A 类 {t.客户数[0]} 家客户"
        f"（占客户数 {t.客户占比[0]:.1%}）贡献了 {t.金额占比[0]:.1%} 的金额；"
        f"前 20% 的客户合计贡献 {top_share(curve):.1%}。横轴是客户数累计占比。</p>"
    )
    return f"<div>{lead}{table}<div style='margin-top:8px'>{chart}</div></div>"


def build_abc_cutoffs(values, a_cut=0.80, b_cut=0.95):
    """The widget (two sliders over the customers' values), not yet displayed.

    `values`: a Series indexed by customer (e.g. two-year totals).

    >>> box = build_abc_cutoffs(pd.Series({"甲": 70, "乙": 20, "丙": 6, "丁": 4}))
    >>> box.children[1].value = 0.6   # move the A slider
    >>> "A=60%" in box.children[3].value
    True
    """
    import ipywidgets as w

    curve = pareto_curve(values)
    a, b = check_cuts(a_cut, b_cut)
    style = {"description_width": "110px"}
    sa = w.FloatSlider(
        value=a,
        min=0.50,
        max=0.90,
        step=0.01,
        description="A 类分界线",
        readout_format=".0%",
        style=style,
        continuous_update=True,
    )
    sb = w.FloatSlider(
        value=b,
        min=0.80,
        max=0.99,
        step=0.01,
        description="B 类分界线",
        readout_format=".0%",
        style=style,
        continuous_update=True,
    )
    out = w.HTML(abc_cutoffs_view(curve, a, b))

    def update(_=None):
        try:
            out.value = abc_cutoffs_view(curve, sa.value, sb.value)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{err}</p>"

    sa.observe(update, "value")
    sb.observe(update, "value")
    return w.VBox([w.HTML("<b>拖动滑块，改变 A、B 类的累计金额分界线</b>"), sa, sb, out])


def abc_cutoffs(values, a_cut=0.80, b_cut=0.95):
    """Show the ABC cut-off widget (static default view under nbgrader)."""
    show(build_abc_cutoffs(values, a_cut, b_cut), abc_cutoffs_view(pareto_curve(values), a_cut, b_cut))


def BENCH():
    """Benchmark hook (benchmarks/run.py): the curve is built once (as when the widget
    is created); one slider move = one abc_cutoffs_view call on the p07 data."""
    import itertools

    from ..course.datasets import load_dataset

    orders = load_dataset("p07_orders")
    curve = pareto_curve(orders.groupby("客户编号")["金额"].sum())
    cuts = itertools.cycle([(a / 100, 0.95) for a in range(60, 91, 2)])

    def update():
        return abc_cutoffs_view(curve, *next(cuts))

    return update
