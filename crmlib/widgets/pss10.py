"""PSS-10 压力自测: ten questions, scored with the reverse items, shown with its band.

The student's own answers stay in the widget. Nothing is stored unless the
student presses 保存, and then only into their own workspace through
``crmlib.course.store`` (``saved/p09_pss10.json``); no answer is ever put into
a variable, a graded cell or a file the grader reads. Under grading the cell
shows only the blank form's static view.

The wording of every result is meant for a student who may be anxious: the
band is described as "how the last weeks felt", never as a verdict, and the
view always says that it is a self-check, not a diagnosis, and where to find help.

>>> html = pss10_view([None] * 10)
>>> "还没有作答" in html and "不是诊断" in html and "心理咨询中心" in html
True
>>> html = pss10_view([2] * 10)
>>> "20 分" in html and "中等" in html
True
"""

import numbers
from html import escape

import pandas as pd

from ..course.errors import CRMError
from ..course.ui import html_table, in_grading, show
from ..topics.stress import PSS10_BANDS, PSS10_CHOICES, PSS10_ITEMS, REVERSE_ITEMS, pss10_band, pss10_score

STORE_NAME = "p09_pss10"
QUESTION = "在最近一个月里，你有多经常……"

INTRO = (
    "<p style='margin:4px 0'><b>PSS-10 压力自测</b>（知觉压力量表，10 题）。回想<b>最近一个月</b>，"
    "下面这些感受出现得有多经常？选最接近的一项就好，没有对错，也不用想太久。</p>"
)

NOTE = (
    "<div style='background:#F3F6FA;border-left:4px solid #6B8EBF;padding:8px 12px;margin:8px 0;max-width:760px'>"
    "<b>先说清楚三件事</b><ul style='margin:4px 0;padding-left:20px'>"
    "<li>这是帮你留意自己状态的小工具，<b>不是诊断</b>。分数只反映最近一段时间的感受，生活一变，它也会变。</li>"
    "<li>做不做、做几次都由你自己决定，<b>不影响任何成绩</b>。</li>"
    "<li>你的选择只留在这个页面上，不会写进作答格，也不会进入评分文件；只有你点「保存」，"
    "才会存到你自己的工作区（saved 文件夹），方便以后自己对比。</li></ul></div>"
)

HELP = (
    "<div style='background:#F5F8F2;border-left:4px solid #7FA36B;padding:8px 12px;margin:8px 0;max-width:760px'>"
    "<b>想找人聊聊的时候，可以找谁</b><ul style='margin:4px 0;padding-left:20px'>"
    "<li><b>学校的心理咨询中心</b>（也叫心理健康教育中心）：一般不收费，可以预约和老师一对一面谈；"
    "谈话内容老师会保密，只有涉及生命安全时才会例外，开始前老师会跟你说明；</li>"
    "<li>辅导员、班主任，或者你信任的老师、家人、朋友；</li>"
    "<li><b>医生</b>：如果睡不好、吃不下、心情低落持续了两周以上，或者已经影响上课和生活，"
    "可以去医院的心理科或精神心理科看看，这和感冒了去看医生一样平常；</li>"
    "<li>全国统一心理援助热线 <b>12356</b>。</li></ul>"
    "<p style='margin:4px 0'>如果你有伤害自己的念头，请马上告诉身边的人，或拨打 12356；情况紧急时拨打 120 或 110。"
    "你不需要一个人扛着。</p></div>"
)

MEANING = {
    "低": (
        "你最近大体应付得过来，压力感在较低的一档。分数低不代表没有烦心事；哪天遇到难处，下面这些支持同样为你准备着。"
    ),
    "中等": (
        "很多学生和上班族都在这一档：有些事让你紧张，但大多数时候还能应付。"
        "可以从本项目的减压方法里挑一两个你觉得顺手的，试上一周，比如按时休息、出门走走、和信任的人聊聊。"
    ),
    "高": (
        "这个分数提示你最近过得不轻松，感受到的压力比较大。先别急着担心：这个分数说的是“最近很累”，"
        "不是说你哪里不好，也不是诊断。压力大的时候，最有用的往往是别一个人扛——"
        "和信任的同学、家人或辅导员说一说，或者去学校心理咨询中心聊一聊，那里的老师很熟悉学生的这类困扰。"
        "今天先为自己做一件小事，比如早点睡、出去走一走。"
    ),
}
COLORS = {"低": "#9CC3A0", "中等": "#E8D28A", "高": "#E5B48A"}  # soft, no alarm red


def check_answers(answers):
    """The ten answers as a list of 0–4 or None (unanswered); Chinese error otherwise.

    >>> check_answers([1, None, 3, 0, 4, 2, 2, 2, 2, 2])[:3]
    [1, None, 3]
    >>> check_answers([1, 2])
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 自测一共 10 题，这里有 2 个答案。请按第 1 题到第 10 题的顺序给出 10 个答案（没答的写 None）。
    """
    if isinstance(answers, (str, bytes, dict, pd.DataFrame)) or not hasattr(answers, "__iter__"):
        raise CRMError(
            f"自测的答案应该是 10 个 0～4 的整数组成的列表（没答的写 None），收到的是 {type(answers).__name__}。"
        )
    answers = list(answers)
    if len(answers) != 10:
        raise CRMError(
            f"自测一共 10 题，这里有 {len(answers)} 个答案。请按第 1 题到第 10 题的顺序给出 10 个答案（没答的写 None）。"
        )
    out = []
    for i, a in enumerate(answers, 1):
        if a is None:
            out.append(None)
        elif isinstance(a, str) and a in PSS10_CHOICES:
            out.append(PSS10_CHOICES.index(a))
        elif isinstance(a, numbers.Integral) and not isinstance(a, bool) and 0 <= a <= 4:
            out.append(int(a))
        else:
            raise CRMError(f"第 {i} 题的答案「{a}」看不懂。请用 0～4 的整数，或 {'、'.join(PSS10_CHOICES)} 之一。")
    return out


def scale_svg(total, width=520):
    """A 0–40 bar with the three bands and a marker at `total`.

    The band names sit under the bar (centred in their band) and the tick
    numbers under the band edges, so the marker never crosses a label.

    >>> svg = scale_svg(20)
    >>> svg.count("<rect") == 3 and ">20<" in svg
    True
    """
    left, right, top, h = 20, width - 20, 24, 18
    x = lambda v: left + (right - left) * v / 40  # noqa: E731
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{top + h + 40}' "
        "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\" font-size='12'>"
    ]
    for lo, hi, label in PSS10_BANDS:
        x0, x1 = x(lo), x(hi + 1 if hi < 40 else 40)
        parts.append(f"<rect x='{x0:.1f}' y='{top}' width='{x1 - x0:.1f}' height='{h}' fill='{COLORS[label]}'/>")
        parts.append(
            f"<text x='{(x0 + x1) / 2:.1f}' y='{top + h + 30}' text-anchor='middle' fill='#333'>{label}</text>"
        )
    for v in (0, 14, 27, 40):
        parts.append(
            f"<text x='{x(v):.1f}' y='{top + h + 14}' text-anchor='middle' fill='#666' font-size='11'>{v}</text>"
        )
    if total is not None:
        xt = x(total)
        parts.append(
            f"<line x1='{xt:.1f}' y1='{top - 3}' x2='{xt:.1f}' y2='{top + h}' stroke='#2F4F6F' stroke-width='3'/>"
        )
        parts.append(
            f"<text x='{min(max(xt, left + 12), right - 12):.1f}' y='{top - 7}' text-anchor='middle' "
            f"fill='#2F4F6F' font-weight='bold'>{total}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def item_table(answers):
    """HTML table: each item, the choice, and its points after reversing (items 4, 5, 7, 8)."""
    rows = []
    for i, (text, a) in enumerate(zip(PSS10_ITEMS, answers), 1):
        reverse = i in REVERSE_ITEMS
        points = "" if a is None else (4 - a if reverse else a)
        how = "反向：4 − 选项分" if reverse else "直接计分"
        rows.append([i, text, "未答" if a is None else f"{PSS10_CHOICES[a]}（{a}）", how, points])
    return html_table(rows, header=["题", "感受", "你的选择", "计分方式", "得分"]).replace(
        "text-align:right'>", "text-align:left'>"
    )


def pss10_view(answers):
    """HTML of the self-assessment for `answers` (ten values 0–4, or None where not yet answered)."""
    answers = check_answers(answers)
    done = sum(a is not None for a in answers)
    if done < 10:
        left = 10 - done
        status = (
            "<p>还没有作答。每题点一个选项，十题都答完后，这里会显示总分和它的含义。</p>"
            if done == 0
            else f"<p>已经答了 {done} 题，还有 {left} 题。十题都答完才计算总分——少答的题如果直接不算，分数会显得偏低。</p>"
        )
        return f"<div>{INTRO}{NOTE}{status}{scale_svg(None)}{HELP}</div>"
    total = pss10_score(answers)
    band = pss10_band(total)
    lo, hi = next((lo, hi) for lo, hi, label in PSS10_BANDS if label == band)
    head = (
        f"<p style='font-size:15px;margin:6px 0'>你的总分是 <b>{total} 分</b>（范围 0～40），"
        f"落在「{band}」这一档（{lo}～{hi} 分）。</p>"
    )
    meaning = f"<p style='max-width:760px'>{escape(MEANING[band])}</p>"
    how = (
        "<details style='margin:6px 0'><summary>这个分数是怎么算出来的？</summary>"
        "<p>第 4、5、7、8 题说的是“有信心”“顺心”这类正面感受，所以反过来计分（4 − 选项分），"
        "其余 6 题直接计分，十题相加就是总分，范围 0～40。分档 0～13 / 14～26 / 27～40 是常用的自查约定，"
        "量表的作者 Cohen 等人并没有给出诊断用的分界线。</p>"
        f"{item_table(answers)}</details>"
    )
    return f"<div>{INTRO}{NOTE}{head}{scale_svg(total)}{meaning}{how}{HELP}</div>"


def build_pss10(answers=None):
    """The form (ten rows of five buttons, none preselected unless `answers` says so), the live view, 保存 and 清空."""
    import datetime

    import ipywidgets as w

    from ..course import store

    start = check_answers(answers if answers is not None else [None] * 10)
    rows, buttons = [], []
    for i, text in enumerate(PSS10_ITEMS, 1):
        b = w.ToggleButtons(
            options=list(PSS10_CHOICES),
            index=start[i - 1],
            style={"button_width": "56px"},
            layout=w.Layout(width="auto"),
        )
        buttons.append(b)
        rows.append(w.HBox([w.HTML(f"<div style='width:330px'>{i}. {escape(text)}</div>"), b]))
    out = w.HTML(pss10_view(start))
    save = w.Button(
        description="保存（只存到我的工作区）", layout=w.Layout(width="220px"), disabled=any(a is None for a in start)
    )
    clear = w.Button(description="清空我保存的记录", layout=w.Layout(width="160px"))
    msg = w.HTML()

    def current():
        return [b.index for b in buttons]

    def update(_=None):
        answers = current()
        out.value = pss10_view(answers)
        save.disabled = any(a is None for a in answers)

    def on_save(_):
        answers = current()
        if any(a is None for a in answers):
            msg.value = "十题都答完才能保存。"
            return
        history = store.load(STORE_NAME, default=[]) or []
        total = pss10_score(answers)
        history.append(
            {
                "时间": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
                "答案": answers,
                "总分": total,
                "分档": pss10_band(total),
            }
        )
        path = store.save(STORE_NAME, history)
        earlier = "；".join(f"{h['时间'][:10]} {h['总分']} 分" for h in history[-4:-1])
        msg.value = (
            f"<p>已保存到你的工作区：{escape(path.name)}（在 saved 文件夹里）。它只用来让你自己回看，评分程序不读它；"
            "不想保留时，随时点「清空我保存的记录」。"
            + (f"之前保存的：{escape(earlier)}。" if earlier else "")
            + "</p>"
        )

    def on_clear(_):
        store.save(STORE_NAME, [])
        msg.value = "<p>已清空你保存的自测记录。</p>"

    for b in buttons:
        b.observe(update, "index")
    save.on_click(on_save)
    clear.on_click(on_clear)
    head = w.HTML(f"<b>{QUESTION}</b>（从不 · 很少 · 有时 · 经常 · 总是）")
    return w.VBox([head, *rows, w.HBox([save, clear]), msg, out])


def pss10(answers=None):
    """Show the PSS-10 self-assessment (under grading: the blank form's static view only).

    `answers`: optional starting choices (ten values 0–4 or None), e.g. for a
    teacher's demonstration; students just call ``crm.pss10()``.
    """
    start = check_answers(answers if answers is not None else [None] * 10)
    show(None if in_grading() else build_pss10(start), pss10_view([None] * 10))


def BENCH():
    """Benchmark hook (benchmarks/run.py): one button click = one pss10_view call."""
    import itertools

    patterns = itertools.cycle([[2] * 10, [4, 4, 4, 0, 0, 4, 0, 0, 4, 4], [1] * 10, [None] * 3 + [2] * 7])

    def update():
        return pss10_view(next(patterns))

    return update
