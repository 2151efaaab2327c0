"""期望与感知：two sliders (expectation, perception) and a tolerance → 不满 / 满意 / 惊喜 with the gap.

The verdict is ``crm.satisfaction_verdict``: gap = perception − expectation;
within ±tolerance it is 满意, below 不满, above 惊喜. Under the slider pair the
view lists the survey's five dimensions with their average expectation and
perception and the verdict at the same tolerance, so the student sees the
rule applied to real figures.

>>> html = expectation_view(6, 5)
>>> "不满" in html and "-1.0" in html
True
"""

from html import escape

import pandas as pd

from ..course.errors import CRMError, as_number
from ..course.ui import html_table, show
from ..topics.servqual import SCALE, satisfaction_verdict

COLORS = {"不满": "#C8453B", "满意": "#2F6DB5", "惊喜": "#3A9D5D"}
MEANING = {
    "不满": "实际感受低于期望：客户觉得“没做到”，容易抱怨、流失。",
    "满意": "实际感受与期望相当：客户觉得“应该的”，满意但不一定记得住。",
    "惊喜": "实际感受超出期望：客户觉得“想不到”，最容易带来好口碑和回头客。",
}


def _scale_svg(e, p, tol, width=560, height=96):
    """A 1–7 ruler with the expectation, its tolerance band and the perception."""
    left, right = 40, 40
    lo, hi = SCALE

    def x(v):
        return left + (width - left - right) * (v - lo) / (hi - lo)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-size="12" '
        "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\">"
        f'<rect width="{width}" height="{height}" fill="white"/>'
    ]
    band_lo, band_hi = max(lo, e - tol), min(hi, e + tol)
    out.append(
        f'<rect x="{x(band_lo):.1f}" y="36" width="{max(x(band_hi) - x(band_lo), 2):.1f}" height="16" '
        'fill="#2F6DB5" opacity="0.18"/>'
    )
    out.append(f'<line x1="{x(lo)}" x2="{x(hi)}" y1="44" y2="44" stroke="#888" stroke-width="2"/>')
    for v in range(lo, hi + 1):
        out.append(
            f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="40" y2="48" stroke="#888"/>'
            f'<text x="{x(v):.1f}" y="66" text-anchor="middle" fill="#555">{v}</text>'
        )
    verdict = satisfaction_verdict(e, p, tol)
    c = COLORS[verdict]
    out.append(
        f'<line x1="{x(e):.1f}" x2="{x(e):.1f}" y1="28" y2="52" stroke="#333" stroke-width="3"/>'
        f'<text x="{x(e):.1f}" y="20" text-anchor="middle">期望 {e:.1f}</text>'
    )
    out.append(
        f'<circle cx="{x(p):.1f}" cy="44" r="7" fill="{c}"/>'
        f'<text x="{x(p):.1f}" y="88" text-anchor="middle" fill="{c}">感知 {p:.1f}</text>'
    )
    return "".join(out) + "</svg>"


def reference_table(gaps):
    """Average expectation and perception per dimension from a ``servqual_gaps`` table (computed once).

    >>> import pandas as pd
    >>> reference_table(pd.DataFrame({"期望": [6.2], "感知": [5.1]}, index=["信赖度"]))["感知"].tolist()
    [5.1]
    """
    if not isinstance(gaps, pd.DataFrame) or not {"期望", "感知"} <= set(gaps.columns):
        raise CRMError("参照表应该是 crm.servqual_gaps(...) 的结果（有「期望」「感知」两列）。")
    return gaps[["期望", "感知"]].dropna().astype(float)


def expectation_view(expectation, perception, tolerance=0.0, reference=None):
    """HTML for one slider position: verdict, gap, ruler, and the dimensions' verdicts.

    `reference`: a table from :func:`reference_table` (optional).
    """
    e = as_number(expectation, "期望值", minimum=SCALE[0], maximum=SCALE[1])
    p = as_number(perception, "感知值", minimum=SCALE[0], maximum=SCALE[1])
    t = as_number(tolerance, "容忍范围", minimum=0, maximum=2)
    verdict = satisfaction_verdict(e, p, t)
    gap = p - e
    c = COLORS[verdict]
    head = (
        f"<p><span style='display:inline-block;padding:2px 12px;border-radius:4px;background:{c};color:white;"
        f"font-weight:bold;font-size:16px'>{verdict}</span>　差距 = 感知 − 期望 = {p:.1f} − {e:.1f} = "
        f"<b>{gap:+.1f}</b>（容忍范围 ±{t:.1f}）</p><p>{escape(MEANING[verdict])}</p>"
    )
    parts = [head, _scale_svg(e, p, t)]
    if reference is not None:
        rows = []
        for dim, r in reference.iterrows():
            v = satisfaction_verdict(min(max(r["期望"], 1), 7), min(max(r["感知"], 1), 7), t)
            rows.append([dim, f"{r['期望']:.2f}", f"{r['感知']:.2f}", f"{r['感知'] - r['期望']:+.2f}", v])
        parts.append("<p style='margin-top:8px'>问卷里五个维度的平均分，按同样的容忍范围判断：</p>")
        parts.append(html_table(rows, header=["维度", "平均期望", "平均感知", "差距", "判断"]))
    return "<div>" + "".join(parts) + "</div>"


def build_expectation(reference=None, expectation=6.0, perception=5.0, tolerance=0.0):
    """The widget (three sliders), not yet displayed.

    >>> box = build_expectation(expectation=6, perception=5)
    >>> box.children[2].value = 6.5   # move the perception slider
    >>> "惊喜" in box.children[4].value
    True
    """
    import ipywidgets as w

    style = {"description_width": "90px"}
    se = w.FloatSlider(value=expectation, min=1, max=7, step=0.1, description="期望", style=style, readout_format=".1f")
    sp = w.FloatSlider(value=perception, min=1, max=7, step=0.1, description="感知", style=style, readout_format=".1f")
    st = w.FloatSlider(
        value=tolerance, min=0, max=1.5, step=0.1, description="容忍范围 ±", style=style, readout_format=".1f"
    )
    out = w.HTML(expectation_view(expectation, perception, tolerance, reference))

    def update(_=None):
        try:
            out.value = expectation_view(se.value, sp.value, st.value, reference)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    for s in (se, sp, st):
        s.observe(update, "value")
    return w.VBox([w.HTML("<b>拖动滑块：客户期望多少、实际感受到多少？</b>"), se, sp, st, out])


def expectation_sliders(gaps=None, expectation=6.0, perception=5.0, tolerance=0.0):
    """Show the expectation/perception widget; `gaps` = a ``crm.servqual_gaps`` table for the reference rows."""
    ref = reference_table(gaps) if gaps is not None else None
    show(
        build_expectation(ref, expectation, perception, tolerance),
        expectation_view(expectation, perception, tolerance, ref),
    )


def BENCH():
    """Benchmark hook: one slider move = one expectation_view call with the p04 reference table."""
    import itertools

    from ..course.datasets import load_dataset
    from ..topics.servqual import servqual_gaps

    ref = reference_table(servqual_gaps(load_dataset("p04_answers"), load_dataset("p04_items")))
    moves = itertools.cycle([(6.0, p / 10, 0.3) for p in range(10, 71, 3)])

    def update():
        return expectation_view(*next(moves), reference=ref)

    return update
