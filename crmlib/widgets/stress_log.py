"""压力登记本: an entry form that saves to the student's own workspace and shows one week.

Entries are dicts (or DataFrame rows) with 日期, 时间, 事件, 压力来源, 强度 (1–10),
身体和情绪反应, 我的做法. The pure view draws one week (Monday–Sunday): the
number of entries and the highest intensity per day, the entries, and a short
summary (most frequent source, the hardest day). The form appends an entry
and saves the whole log with ``crmlib.course.store`` under ``saved/p09_stress_log.json``
only when 保存这条记录 is pressed; under grading only the static view of an
empty week is shown and nothing is read or written.

>>> log = [{"日期": "2025-11-10", "时间": "09:40", "事件": "排队很长", "压力来源": "客户压力", "强度": 6,
...         "身体和情绪反应": "心跳快", "我的做法": "慢呼吸"}]
>>> html = stress_log_view(log, "2025-11-12")
>>> "2025-11-10" in html and "1 条" in html and "<svg" in html
True
"""

import datetime
import numbers
from html import escape

import pandas as pd

from ..course.errors import CRMError
from ..course.ui import html_table, in_grading, show

STORE_NAME = "p09_stress_log"
SOURCES = ("客户压力", "公司压力", "自身压力", "学习压力", "其他")
FIELDS = ("日期", "时间", "事件", "压力来源", "强度", "身体和情绪反应", "我的做法")
WEEKDAYS = "一二三四五六日"


def check_entry(entry):
    """One log entry, cleaned (date as YYYY-MM-DD, intensity int 1–10); Chinese error otherwise.

    >>> check_entry({"日期": "2025-11-10", "事件": "排队很长", "强度": 6})["日期"]
    '2025-11-10'
    >>> check_entry({"日期": "2025-11-10", "事件": "", "强度": 6})
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 「事件」还没有写：用一句话记下发生了什么，例如“客户连续催了三次发货”。
    >>> check_entry({"日期": "2025-11-10", "事件": "加班", "强度": 12})
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 「强度」要在 1～10 之间（1 = 几乎没感觉，10 = 非常强烈），你给的是 12。
    """
    if not isinstance(entry, dict):
        raise CRMError(
            f"一条登记应该是一个字典，例如 {{'日期': '2025-11-10', '事件': '……', '强度': 6}}，你给的是 {type(entry).__name__}。"
        )
    raw = entry.get("日期")
    try:
        if isinstance(raw, datetime.date) and not pd.isna(raw):  # date, datetime, Timestamp: no parsing needed
            day = raw.strftime("%Y-%m-%d")
        else:
            day = pd.Timestamp(raw).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        raise CRMError(f"「日期」看不懂：{raw!r}。请写成 2025-11-10 这样的格式。") from None
    event = str(entry.get("事件") or "").strip()
    if not event:
        raise CRMError("「事件」还没有写：用一句话记下发生了什么，例如“客户连续催了三次发货”。")
    level = entry.get("强度")
    if isinstance(level, bool) or not isinstance(level, numbers.Number) or level != int(level) or not 1 <= level <= 10:
        raise CRMError(f"「强度」要在 1～10 之间（1 = 几乎没感觉，10 = 非常强烈），你给的是 {level}。")
    clean = {k: str(entry.get(k) or "").strip() for k in FIELDS}
    clean.update(日期=day, 事件=event, 强度=int(level))
    return clean


def _entries(entries):
    if entries is None:
        return []
    if isinstance(entries, pd.DataFrame):
        if entries.empty:
            raise CRMError(
                '登记本表格是空的（没有任何行）。没有记录时请传入空列表 []，或者先用 crm.load_dataset("p09_log") 读入示例。'
            )
        entries = entries.to_dict("records")
    if isinstance(entries, (str, bytes, dict)) or not hasattr(entries, "__iter__"):
        raise CRMError(
            f"登记本应该是一张表格或一个记录列表，收到的是 {type(entries).__name__}。"
            '示例登记本可以用 crm.load_dataset("p09_log") 读入。'
        )
    return [check_entry(e) for e in entries]


def monday(day):
    """The Monday of `day`'s week as a Timestamp.

    >>> monday("2025-11-16").strftime("%Y-%m-%d"), monday("2025-11-17").strftime("%Y-%m-%d")
    ('2025-11-10', '2025-11-17')
    """
    try:
        d = pd.Timestamp(day).normalize()
    except (TypeError, ValueError):
        d = pd.NaT
    if d is pd.NaT:
        raise CRMError(f'看不懂要显示哪一周：{day!r:.40}。请写一个日期，例如 "2025-11-10"。')
    return d - pd.Timedelta(days=d.day_of_week)


def week_summary(entries, week):
    """Per day of the week of `week`: number of entries and highest intensity (0 when none).

    >>> s = week_summary([{"日期": "2025-11-10", "事件": "a", "强度": 3}, {"日期": "2025-11-10", "事件": "b", "强度": 7}], "2025-11-10")
    >>> s["条数"].tolist(), s["最高强度"].tolist()
    ([2, 0, 0, 0, 0, 0, 0], [7, 0, 0, 0, 0, 0, 0])
    """
    rows = _week_rows(_entries(entries), monday(week))
    return pd.DataFrame(rows, columns=["日期", "条数", "最高强度"])


def _week_rows(clean, start):
    """[(day, number of entries, highest intensity)] for the 7 days from `start` (plain Python: fast)."""
    by_day = {}
    for e in clean:
        by_day.setdefault(e["日期"], []).append(e["强度"])
    days = [start + pd.Timedelta(days=i) for i in range(7)]
    return [
        (d, len(by_day.get(k, [])), max(by_day.get(k, [0]))) for d, k in ((d, d.strftime("%Y-%m-%d")) for d in days)
    ]


def _week_svg(rows, width=560):
    left, top, h, colw = 30, 20, 110, (width - 40) / 7
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{top + h + 44}' "
        "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\" font-size='12'>",
        f"<text x='{left}' y='12' fill='#555'>每天最高的压力强度（1～10），柱上是当天记了几条</text>",
    ]
    for i, (day, count, top_level) in enumerate(rows):
        x = left + i * colw
        bh = h * top_level / 10
        color = "#E5B48A" if top_level >= 7 else "#E8D28A" if top_level >= 4 else "#9CC3A0"
        if count:
            parts.append(
                f"<rect x='{x + 8:.1f}' y='{top + h - bh:.1f}' width='{colw - 16:.1f}' height='{bh:.1f}' fill='{color}'/>"
            )
            parts.append(
                f"<text x='{x + colw / 2:.1f}' y='{top + h - bh - 4:.1f}' text-anchor='middle'>{count} 条</text>"
            )
        parts.append(f"<text x='{x + colw / 2:.1f}' y='{top + h + 16}' text-anchor='middle'>周{WEEKDAYS[i]}</text>")
        parts.append(
            f"<text x='{x + colw / 2:.1f}' y='{top + h + 32}' text-anchor='middle' fill='#777' font-size='11'>"
            f"{day.strftime('%m-%d')}</text>"
        )
    parts.append(f"<line x1='{left}' y1='{top + h}' x2='{width - 10}' y2='{top + h}' stroke='#999'/></svg>")
    return "".join(parts)


def stress_log_view(entries, week=None):
    """HTML of one week of a stress log (`week`: any date in it; default this week)."""
    from collections import Counter

    week = monday(week if week is not None else datetime.date.today())
    clean = _entries(entries)
    rows = _week_rows(clean, week)
    end = week + pd.Timedelta(days=6)
    first, last = week.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")
    mine = sorted((e for e in clean if first <= e["日期"] <= last), key=lambda e: (e["日期"], e["时间"]))
    head = (
        f"<p style='margin:4px 0'><b>{week:%Y-%m-%d}（周一）～ {end:%m-%d}（周日）</b>：本周记了 {len(mine)} 条。</p>"
    )
    if not mine:
        return (
            f"<div>{head}<p>这一周还没有记录。感到有压力的时候，花一分钟写下：什么事、什么时候、"
            f"身体和心情有什么反应、你是怎么做的。记上一两周，规律自然会浮现出来。</p>{_week_svg(rows)}</div>"
        )
    source, times = Counter(e["压力来源"] or "未填" for e in mine).most_common(1)[0]
    hardest = max(range(7), key=lambda i: (rows[i][2], -i))
    mean = sum(e["强度"] for e in mine) / len(mine)
    lead = (
        f"<p style='margin:4px 0'>平均强度 {mean:.1f}；出现最多的是「{escape(source)}」（{times} 条）；"
        f"最吃力的一天是周{WEEKDAYS[hardest]}（最高 {rows[hardest][2]} 分）。"
        "回头看看：哪些做法让你好受了，哪些只是暂时躲开？</p>"
    )
    table = html_table(
        [
            [e["日期"][5:], e["时间"], e["事件"], e["压力来源"], e["强度"], e["身体和情绪反应"], e["我的做法"]]
            for e in mine
        ],
        header=["日期", "时间", "事件", "来源", "强度", "反应", "我的做法"],
    ).replace("text-align:right'>", "text-align:left'>")
    return f"<div>{head}{lead}{_week_svg(rows)}{table}</div>"


def build_stress_log(week=None):
    """The form, 保存这条记录, week navigation and the live week view (loads the student's saved log)."""
    import ipywidgets as w

    from ..course import store

    entries = store.load(STORE_NAME, default=[]) or []
    state = {"week": monday(week if week is not None else datetime.date.today())}
    style = {"description_width": "90px"}
    wide = w.Layout(width="520px")
    day = w.DatePicker(value=datetime.date.today(), description="日期", style=style)
    time = w.Text(value=datetime.datetime.now().strftime("%H:%M"), description="时间", style=style)
    event = w.Text(placeholder="发生了什么？例如：客户连续催了三次发货", description="事件", style=style, layout=wide)
    source = w.Dropdown(options=list(SOURCES), description="压力来源", style=style)
    level = w.IntSlider(value=5, min=1, max=10, description="强度（1～10）", style=style)
    body = w.Text(placeholder="例如：心跳快、肩膀发紧、想哭", description="身体和情绪", style=style, layout=wide)
    action = w.Text(placeholder="例如：慢呼吸三次、出去走了 5 分钟", description="我的做法", style=style, layout=wide)
    save = w.Button(description="保存这条记录")
    prev, nxt = w.Button(description="上一周"), w.Button(description="下一周")
    msg = w.HTML()
    out = w.HTML(stress_log_view(entries, state["week"]))

    def redraw():
        out.value = stress_log_view(entries, state["week"])

    def on_save(_):
        try:
            entry = check_entry(
                {
                    "日期": day.value,
                    "时间": time.value,
                    "事件": event.value,
                    "压力来源": source.value,
                    "强度": level.value,
                    "身体和情绪反应": body.value,
                    "我的做法": action.value,
                }
            )
        except CRMError as err:
            msg.value = f"<p style='color:#A0522D'>{escape(str(err))}</p>"
            return
        entries.append(entry)
        store.save(STORE_NAME, entries)
        state["week"] = monday(entry["日期"])
        event.value = body.value = action.value = ""
        msg.value = f"<p>已保存（共 {len(entries)} 条，存在你自己工作区的 saved 文件夹里，不参与评分）。</p>"
        redraw()

    def move(days):
        def go(_):
            state["week"] = state["week"] + pd.Timedelta(days=days)
            redraw()

        return go

    save.on_click(on_save)
    prev.on_click(move(-7))
    nxt.on_click(move(7))
    return w.VBox(
        [
            w.HTML("<b>我的压力登记本</b>（写给自己看的，不评分）"),
            day,
            time,
            event,
            source,
            level,
            body,
            action,
            save,
            msg,
            w.HBox([prev, nxt]),
            out,
        ]
    )


def stress_log(week=None):
    """Show the stress-log form (under grading: the static view of an empty week; nothing is read)."""
    show(None if in_grading() else build_stress_log(week), stress_log_view([], week))


def BENCH():
    """Benchmark hook (benchmarks/run.py): one save or week move = one stress_log_view call on the sample log."""
    import itertools

    from ..course.datasets import load_dataset

    log = load_dataset("p09_log").to_dict("records")
    weeks = itertools.cycle(["2025-11-10", "2025-11-17", "2025-11-24"])

    def update():
        return stress_log_view(log, next(weeks))

    return update
