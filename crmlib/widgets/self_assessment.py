"""Self-assessment of the four quality groups (素质自评), drawn as a radar chart.

One slider (1～5) per item of QUALITY_ITEMS and a post selector; the view
draws the student's group scores against the post's requirement and lists
what to practise where the student falls short.

>>> html = assessment_view({"心理素质": 2, "品格素质": 4, "技能素质": 4, "综合素质": 3}, "热线客服专员")
>>> "<svg" in html and "需要提升" in html and "-2" in html
True
"""
from html import escape

from ..topics.quality import GROUPS, POST_PROFILES, QUALITY_ITEMS, advice, gap_table
from ..course.charts import radar_chart
from ..course.ui import html_table, show

DEFAULT_POST = "热线客服专员"


def assessment_view(scores, post=DEFAULT_POST):
    """HTML for one self-assessment (pure; what each slider move calls).

    `scores` maps the four groups, or the items of QUALITY_ITEMS, to 1～5.
    """
    table = gap_table(scores, post)
    chart = radar_chart(GROUPS, {"我的自评": table["自评"].tolist(), f"{post}要求": table["岗位要求"].tolist()},
                        max_value=5, title=f"我的素质 vs {post}的要求", size=360)
    rows = [[g, f"{r['自评']:.2f}", int(r["岗位要求"]), f"{r['差距']:+.2f}", r["结论"]] for g, r in table.iterrows()]
    tips = "".join(f"<li style='margin-bottom:4px'>{escape(t)}</li>" for t in advice(table["自评"], post))
    met = int((table["差距"] >= 0).sum())
    return (f"<div style='display:flex;gap:18px;flex-wrap:wrap;align-items:flex-start'><div>{chart}</div>"
            f"<div style='max-width:460px'><p><b>{met}/4</b> 类素质达到「{escape(post)}」的要求。</p>"
            f"{html_table(rows, header=['素质', '自评', '岗位要求', '差距', '结论'])}"
            f"<p style='margin:10px 0 4px'><b>提升建议</b></p><ul style='padding-left:18px'>{tips}</ul></div></div>")


def build_self_assessment(post=DEFAULT_POST, start=3):
    """The ipywidgets box: a post selector, 16 item sliders in four groups, the live view."""
    import ipywidgets as w

    choose = w.Dropdown(options=list(POST_PROFILES), value=post, description="目标岗位",
                        style={"description_width": "70px"})
    sliders = {item: w.IntSlider(value=start, min=1, max=5, step=1, description=item, style={"description_width": "110px"},
                                 layout=w.Layout(width="300px"))
               for items in QUALITY_ITEMS.values() for item in items}
    out = w.HTML(assessment_view({i: s.value for i, s in sliders.items()}, post))

    def update(_change):
        out.value = assessment_view({i: s.value for i, s in sliders.items()}, choose.value)

    for s in [choose, *sliders.values()]:
        s.observe(update, names="value")
    groups = [w.VBox([w.HTML(f"<b>{g}</b>"), *(sliders[i] for i in items)]) for g, items in QUALITY_ITEMS.items()]
    grid = w.GridBox(groups, layout=w.Layout(grid_template_columns="repeat(2, 320px)", grid_gap="6px 24px"))
    intro = w.HTML("<b>素质自评</b>：1 分=很不符合，3 分=基本符合，5 分=完全符合。诚实打分，才能找准努力方向。")
    return w.VBox([intro, choose, grid, out])


def self_assessment(post=DEFAULT_POST, start=3):
    """Show the self-assessment (static view of all-`start` scores under nbgrader)."""
    static = assessment_view({i: start for items in QUALITY_ITEMS.values() for i in items}, post)
    show(build_self_assessment(post, start), static)


def BENCH():
    """Benchmark hook (benchmarks/run.py): one slider move = one assessment_view call."""
    import itertools
    levels = itertools.cycle([1, 2, 3, 4, 5])
    items = [item for group in QUALITY_ITEMS.values() for item in group]

    def update():
        first = next(levels)
        return assessment_view({item: (first if i == 0 else 3) for i, item in enumerate(items)}, DEFAULT_POST)
    return update
