"""五个维度先改哪一个：gap by dimension × adjustable importance weights → priority ranking.

The view takes one segment's dimension gaps (``servqual_gaps(...)["差距"]``,
computed once per segment when the widget is built) and five importance
points. The weighted contribution of a dimension is 权重 × 差距 with the
weights normalised to sum 1 (as ``crm.servqual_gaps``); the most negative
contribution is the dimension to fix first. The table also shows each
dimension's rank with equal weights, so the student sees what the weights change.

>>> g = pd.Series({"有形度": -0.1, "信赖度": -1.0, "反应度": -0.9, "专业度": -0.6, "同理度": -0.8})
>>> priority_table(g, {"有形度": 10, "信赖度": 10, "反应度": 50, "专业度": 15, "同理度": 15})["加权排名"].tolist()
[5, 3, 1, 4, 2]
"""

from html import escape

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_columns
from ..course.ui import html_table, show
from ..topics.servqual import DIMENSIONS

NEG, POS = "#C8453B", "#3A9D5D"


def _gap_series(gaps):
    if isinstance(gaps, pd.DataFrame):
        if "差距" not in gaps.columns:
            raise CRMError("差距表应该是 crm.servqual_gaps(...) 的结果，或者一列以维度为索引的差距。")
        gaps = gaps["差距"]
    if isinstance(gaps, dict):
        gaps = pd.Series(gaps)
    if not isinstance(gaps, pd.Series) or gaps.empty:
        raise CRMError("差距应该是一列以维度为索引的数（pandas Series），例如 crm.servqual_gaps(...)['差距']。")
    if gaps.isna().any():
        raise CRMError(f"维度「{'、'.join(gaps.index[gaps.isna()].astype(str))}」没有差距（没有有效答案），无法排序。")
    return gaps.astype(float)


def _ranks(values):
    """1 = most negative; ties broken by the order of the dimensions."""
    order = np.argsort(values.to_numpy(), kind="stable")
    ranks = np.empty(len(values), dtype=int)
    ranks[order] = np.arange(1, len(values) + 1)
    return ranks


def priority_table(gaps, weights):
    """Per dimension: gap, weight share, weighted contribution, rank weighted and with equal weights.

    >>> t = priority_table(pd.Series({"甲": -1.0, "乙": -0.5}), {"甲": 1, "乙": 3})
    >>> t["加权贡献"].tolist(), t["等权排名"].tolist(), t["加权排名"].tolist()
    ([-0.25, -0.375], [1, 2], [2, 1])
    """
    g = _gap_series(gaps)
    if isinstance(weights, dict):
        weights = pd.Series(weights)
    missing = [d for d in g.index if d not in weights.index]
    if missing:
        raise CRMError(f"权重里缺少维度「{'、'.join(map(str, missing))}」。")
    w = pd.Series([as_number(weights[d], f"「{d}」的重要性", minimum=0) for d in g.index], index=g.index)
    if w.sum() <= 0:
        raise CRMError("五个维度的重要性全部是 0，无法加权。请至少给一个维度大于 0 的分数。")
    share = w / w.sum()
    t = pd.DataFrame({"差距": g, "重要性": w, "权重": share, "加权贡献": share * g})
    t["等权排名"] = _ranks(g)
    t["加权排名"] = _ranks(t["加权贡献"])
    return t


def _bars(t, width=560, bar=22):
    """Diverging bars of the weighted contributions (negative to the left)."""
    left, right, top = 64, 20, 10
    height = top + len(t) * bar * 1.35 + 26
    mid = left + (width - left - right) * 0.72  # gaps are mostly negative: more room on the left
    v_all = t["加权贡献"].astype(float) + 0.0
    neg = max(float(-v_all.min()), 0.05)
    pos = max(float(v_all.max()), 0.05)
    scale = min((mid - left) / neg, (width - right - mid - 56) / pos)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" font-size="12" '
        "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\">"
        f'<rect width="{width}" height="{height:.0f}" fill="white"/>'
    ]
    for i, (dim, r) in enumerate(t.sort_values("加权排名").iterrows()):
        y = top + i * bar * 1.35
        v = round(float(r["加权贡献"]), 3) + 0.0
        x0 = mid + min(v, 0) * scale
        c = NEG if v < 0 else POS
        label_x = mid + 6 + max(v, 0) * scale  # value label right of the zero line (or of a positive bar)
        out.append(
            f'<text x="8" y="{y + bar * 0.7:.1f}">{escape(str(dim))}</text>'
            f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(abs(v) * scale, 1):.1f}" height="{bar}" fill="{c}" rx="2"/>'
            f'<text x="{label_x:.1f}" y="{y + bar * 0.7:.1f}" fill="{c}">{v:+.3f}</text>'
        )
    out.append(
        f'<line x1="{mid:.1f}" x2="{mid:.1f}" y1="{top - 4}" y2="{height - 22:.0f}" stroke="#555"/>'
        f'<text x="{mid:.1f}" y="{height - 6:.0f}" text-anchor="middle" fill="#555">0（加权贡献 = 权重 × 差距）</text>'
    )
    return "".join(out) + "</svg>"


def servqual_weights_view(gaps, weights, segment="全部客户"):
    """HTML for one position of the five weight sliders."""
    t = priority_table(gaps, weights)
    first = t["加权排名"].idxmin()
    plain = t["等权排名"].idxmin()
    overall = float(t["加权贡献"].sum())
    moved = [
        f"{escape(str(d))}（第 {int(r['等权排名'])} → 第 {int(r['加权排名'])}）"
        for d, r in t.iterrows()
        if r["等权排名"] != r["加权排名"]
    ]
    if first == plain:
        change = f"和五个维度同等重要时一样，最该先改的仍是<b>{escape(str(first))}</b>。"
    else:
        change = (
            f"如果五个维度同等重要，最差的是<b>{escape(str(plain))}</b>；"
            f"按现在的重要性，应当先改<b>{escape(str(first))}</b>。"
        )
    if moved:
        change += "排名有变化的维度：" + "、".join(moved) + "。"
    lead = (
        f"<p>{escape(segment)}：总体加权差距 <b>{overall:+.3f}</b>（Σ 权重 × 差距 ÷ Σ 权重）。"
        f"优先改进：<b style='color:{NEG}'>{escape(str(first))}</b>。{change}</p>"
    )
    rows = [
        [
            d,
            f"{r['差距']:+.3f}",
            f"{r['重要性']:g}",
            f"{r['权重']:.0%}",
            f"{r['加权贡献'] + 0.0:+.3f}",
            int(r["等权排名"]),
            int(r["加权排名"]),
        ]
        for d, r in t.iterrows()
    ]
    table = html_table(rows, header=["维度", "差距", "重要性（分）", "权重", "加权贡献", "等权排名", "加权排名"])
    return f"<div>{lead}{table}<div style='margin-top:8px'>{_bars(t)}</div></div>"


def segment_gaps(survey, items, respondents, columns=("渠道", "客户类型"), exclude=()):
    """{segment name: gap Series} for all customers and every value of `columns` (computed once).

    `exclude`: respondent ids to leave out (e.g. straight-liners).
    """
    from ..topics.servqual import servqual_gaps

    require_columns(survey, ["问卷编号", "题号", "期望", "感知"], "问卷答案")
    require_columns(respondents, ["问卷编号", *columns], "填写人表")
    survey = survey[~survey["问卷编号"].isin(list(exclude))]
    out = {"全部客户": servqual_gaps(survey, items)["差距"]}
    for col in columns:
        for value in respondents[col].dropna().unique():
            ids = respondents.loc[respondents[col] == value, "问卷编号"]
            out[f"{col}：{value}"] = servqual_gaps(survey[survey["问卷编号"].isin(ids)], items)["差距"]
    return out


def build_servqual_weights(segments, weights=None):
    """The widget: a segment menu and five importance sliders (points), not yet displayed.

    >>> g = pd.Series({"有形度": -0.1, "信赖度": -1.0, "反应度": -0.9, "专业度": -0.6, "同理度": -0.8})
    >>> box = build_servqual_weights({"全部客户": g})
    >>> box.children[4].value = 60   # 反应度 matters most
    >>> "优先改进：<b style='color:#C8453B'>反应度" in box.children[-1].value
    True
    """
    import ipywidgets as w

    segments = _segments(segments)
    names = list(segments)
    dims = list(_gap_series(segments[names[0]]).index)
    start = dict(weights) if weights is not None else {d: 20 for d in dims}
    menu = w.Dropdown(options=names, value=names[0], description="客户群", style={"description_width": "90px"})
    sliders = [
        w.IntSlider(
            value=int(start.get(d, 20)), min=0, max=60, step=5, description=f"{d}", style={"description_width": "90px"}
        )
        for d in dims
    ]
    out = w.HTML(servqual_weights_view(segments[names[0]], start, names[0]))

    def update(_=None):
        try:
            out.value = servqual_weights_view(
                segments[menu.value], {d: s.value for d, s in zip(dims, sliders)}, menu.value
            )
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    for s in [menu, *sliders]:
        s.observe(update, "value")
    title = w.HTML("<b>选择客户群，拖动滑块给五个维度打重要性分（不必凑满 100，会自动换算成权重）</b>")
    return w.VBox([title, menu, *sliders, out])


def _segments(segments):
    """{name: gaps} from a dict, or one gap Series / servqual_gaps table."""
    if isinstance(segments, (pd.Series, pd.DataFrame)):
        return {"全部客户": segments}
    if not isinstance(segments, dict) or not segments:
        raise CRMError(
            "控件需要各客户群的差距：crm.segment_gaps(答案, 题目, 填写人) 的结果，"
            f"或者一列以维度为索引的差距。收到的却是 {type(segments).__name__}。"
        )
    return segments


def servqual_weights(segments, weights=None):
    """Show the weights widget (static default view under nbgrader).

    `segments`: {name: gap Series} (see :func:`segment_gaps`) or one gap Series.
    """
    segments = _segments(segments)
    first = next(iter(segments))
    dims = list(_gap_series(segments[first]).index)
    start = dict(weights) if weights is not None else {d: 20 for d in dims}
    show(build_servqual_weights(segments, weights), servqual_weights_view(segments[first], start, first))


def BENCH():
    """Benchmark hook: gaps per segment computed once; one slider move = one view call."""
    import itertools

    from ..course.datasets import load_dataset
    from ..topics.servqual import straight_liners

    ans = load_dataset("p04_answers")
    segs = segment_gaps(ans, load_dataset("p04_items"), load_dataset("p04_respondents"), exclude=straight_liners(ans))
    names = itertools.cycle(segs)
    pts = itertools.cycle([dict(zip(DIMENSIONS, [10, 30, v, 20, 15])) for v in range(0, 61, 5)])

    def update():
        name = next(names)
        return servqual_weights_view(segs[name], next(pts), name)

    return update
