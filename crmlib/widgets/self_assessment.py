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
from ..course import store
from ..course.ui import html_table, show

DEFAULT_POST = "热线客服专员"
SAVE_NAME = "p01_self_assessment"  # saved/p01_self_assessment.json in the student's workspace


def scores_table(scores, post=DEFAULT_POST):
    """The 16 item scores and the four group averages as a Markdown table to paste into the written task.

    >>> print(scores_table({i: 3 for items in QUALITY_ITEMS.values() for i in items}).splitlines()[2])
    | 心理素质 | 3.00 | 4 | 遇事冷静应变 3、承受挫折委屈 3、管理自身情绪 3、保持积极心态 3 |
    """
    table = gap_table(scores, post)
    lines = [f"| 素质 | 自评 | {post}要求 | 各项得分 |", "|---|---|---|---|"]
    for group, items in QUALITY_ITEMS.items():
        detail = "、".join(f"{i} {scores.get(i, '')}" for i in items)
        lines.append(f"| {group} | {table.at[group, '自评']:.2f} | {int(table.at[group, '岗位要求'])} | {detail} |")
    return "\n".join(lines)


def assessment_view(scores, post=DEFAULT_POST):
    """HTML for one self-assessment (pure; what each slider move calls).

    `scores` maps the four groups, or the items of QUALITY_ITEMS, to 1～5.
    """
    table = gap_table(scores, post)
    chart = radar_chart(
        GROUPS,
        {"我的自评": table["自评"].tolist(), f"{post}要求": table["岗位要求"].tolist()},
        max_value=5,
        title=f"我的素质 vs {post}的要求",
        size=360,
    )
    rows = [[g, f"{r['自评']:.2f}", int(r["岗位要求"]), f"{r['差距']:+.2f}", r["结论"]] for g, r in table.iterrows()]
    tips = "".join(f"<li style='margin-bottom:4px'>{escape(t)}</li>" for t in advice(table["自评"], post))
    met = int((table["差距"] >= 0).sum())
    return (
        f"<div style='display:flex;gap:18px;flex-wrap:wrap;align-items:flex-start'><div>{chart}</div>"
        f"<div style='max-width:460px'><p><b>{met}/4</b> 类素质达到「{escape(post)}」的要求。</p>"
        f"{html_table(rows, header=['素质', '自评', '岗位要求', '差距', '结论'])}"
        f"<p style='margin:10px 0 4px'><b>提升建议</b></p><ul style='padding-left:18px'>{tips}</ul></div></div>"
    )


def build_self_assessment(post=DEFAULT_POST, start=3):
    """The ipywidgets box: a post selector, 16 item sliders in four groups, the live view, and 保存.

    Scores saved earlier (``saved/p01_self_assessment.json`` in the workspace) are loaded back.
    """
    import ipywidgets as w

    saved = store.load(SAVE_NAME, default={}) or {}
    post = saved.get("post", post) if saved.get("post") in POST_PROFILES else post
    choose = w.Dropdown(
        options=list(POST_PROFILES), value=post, description="目标岗位", style={"description_width": "70px"}
    )
    sliders = {
        item: w.IntSlider(
            value=int(saved.get("scores", {}).get(item, start)),
            min=1,
            max=5,
            step=1,
            description=item,
            style={"description_width": "110px"},
            layout=w.Layout(width="300px"),
        )
        for items in QUALITY_ITEMS.values()
        for item in items
    }
    current = lambda: {i: s.value for i, s in sliders.items()}  # noqa: E731
    out = w.HTML(assessment_view(current(), post))
    note = w.HTML("（已读入你上次保存的分数）" if saved else "")
    copy_box = w.Textarea(layout=w.Layout(width="640px", height="130px"))

    def update(_change):
        out.value = assessment_view(current(), choose.value)

    def save(_button):
        path = store.save(SAVE_NAME, {"post": choose.value, "scores": current()})
        copy_box.value = scores_table(current(), choose.value)
        note.value = f"√ 已保存到 {escape(str(path.relative_to(path.parents[1])))}。下面的表格可以复制到书面作业里。"

    for s in [choose, *sliders.values()]:
        s.observe(update, names="value")
    button = w.Button(description="保存我的自评", button_style="primary", layout=w.Layout(width="140px"))
    button.on_click(save)
    groups = [w.VBox([w.HTML(f"<b>{g}</b>"), *(sliders[i] for i in items)]) for g, items in QUALITY_ITEMS.items()]
    grid = w.GridBox(groups, layout=w.Layout(grid_template_columns="repeat(2, 320px)", grid_gap="6px 24px"))
    intro = w.HTML(
        "<b>素质自评</b>：1 分=很不符合，3 分=基本符合，5 分=完全符合。诚实打分，才能找准努力方向。"
        "按“保存我的自评”把分数存进你自己的文件夹，下次打开会自动读回。"
    )
    return w.VBox([intro, choose, grid, out, w.HBox([button, note]), copy_box])


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
