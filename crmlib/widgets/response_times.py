"""首次响应时间按小时：a target slider and a day-type choice → median first response by
hour of day (with the target line) and the share of sessions answered within it.

The first responses are computed once (:func:`prepare_response_data`); a
slider move only groups ~700 rows and draws an SVG.

>>> import pandas as pd
>>> t = pd.Timestamp("2025-09-01 10:00")
>>> fr = pd.DataFrame({"首响秒数": [20.0, 90.0, float("nan")], "客户首条消息": [t, t, t]})
>>> data = prepare_response_data(fr)
>>> hourly(data, 60).loc[10, ["会话数", "目标内占比"]].tolist()
[3.0, 0.3333333333333333]
"""

from html import escape

import numpy as np
import pandas as pd

from ..course.charts import FONT
from ..course.errors import CRMError, as_number, require_columns
from ..course.fonts import PALETTE
from ..course.ui import show
from ..generators.common import is_workday
from ..topics.online_service import first_response

DAY_TYPES = ["全部", "工作日", "休息日", "店庆日"]
SALE_DAY = pd.Timestamp("2025-09-20")
CLIP = 300  # seconds: taller bars are cut at the top of the chart
STAFFED = list(range(9, 24))  # the shop's human agents work 9—24 点 (任务提出); 0—8 点 only the bot answers


def prepare_response_data(first_or_messages):
    """First responses with 小时 and 日期类型 columns (from messages or a :func:`first_response` table)."""
    data = first_or_messages
    if isinstance(data, pd.DataFrame) and "发言方" in data.columns:
        data = first_response(data)
    require_columns(data, ["首响秒数", "客户首条消息"], "首次响应表")
    out = data[["首响秒数", "客户首条消息"]].copy()
    out["小时"] = out["客户首条消息"].dt.hour
    day = out["客户首条消息"].dt.normalize()
    kind = np.where(is_workday(day), "工作日", "休息日")
    out["日期类型"] = np.where(day == SALE_DAY, "店庆日", kind)
    return out


def _select(data, day_type):
    """(hours, seconds) numpy arrays of the sessions of `day_type`."""
    if day_type not in DAY_TYPES:
        raise CRMError(f"日期类型只能是 {'、'.join(DAY_TYPES)} 之一，收到的是「{day_type}」。")
    if not isinstance(data, pd.DataFrame) or not {"小时", "首响秒数", "日期类型"} <= set(data.columns):
        raise CRMError(
            "首次响应图需要 crm.prepare_response_data(消息) 的结果（含「小时」「首响秒数」「日期类型」三列），"
            "请先用它处理聊天记录，再把结果传进来。"
        )
    hours = data["小时"].to_numpy(dtype=int)
    secs = data["首响秒数"].to_numpy(dtype=float)
    if day_type != "全部":
        keep = data["日期类型"].to_numpy(dtype=object) == day_type
        hours, secs = hours[keep], secs[keep]
    return hours, secs


def _table(hours, secs, target):
    count = np.bincount(hours, minlength=24).astype(float)
    inside = np.bincount(hours, weights=(secs <= target).astype(float), minlength=24)
    answered = ~np.isnan(secs)
    order = np.lexsort((secs[answered], hours[answered]))
    h_sorted, s_sorted = hours[answered][order], secs[answered][order]
    bounds = np.searchsorted(h_sorted, np.arange(25))
    median = []
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        n = b - a
        median.append(
            np.nan
            if n == 0
            else float(s_sorted[a + n // 2])
            if n % 2
            else float(s_sorted[a + n // 2 - 1] + s_sorted[a + n // 2]) / 2
        )
    share = np.full(24, np.nan)
    np.divide(inside, count, out=share, where=count > 0)
    return pd.DataFrame(
        {"会话数": count, "首响中位数（秒）": median, "目标内": inside, "目标内占比": share},
        index=pd.RangeIndex(24, name="小时"),
    )


def hourly(data, target=60, day_type="全部"):
    """Per hour 0–23: 会话数, 首响中位数（秒） (answered sessions), 目标内占比 (of all sessions)."""
    target = as_number(target, "目标秒数", minimum=1)
    return _table(*_select(data, day_type), target)


def _chart(table, target, width=640):
    left, right, top, panel, gap = 56, 16, 30, 150, 46
    height = top + panel * 2 + gap + 34
    step = (width - left - right) / 24
    bar = step * 0.7
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="12"><rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="18" font-size="13" font-weight="bold">首次响应时间中位数（秒，按客户进线的小时）</text>',
    ]
    y0 = top + panel

    def y_of(v):
        return y0 - min(v, CLIP) / CLIP * panel

    for tick in (0, 100, 200, 300):
        y = y_of(tick)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick if tick < CLIP else "≥300"}</text>'
        )
    counts = table["会话数"].tolist()
    for h, med in enumerate(table["首响中位数（秒）"].tolist()):
        x = left + h * step + (step - bar) / 2
        if med != med and counts[h] > 0:  # sessions came in, none got a human reply: not "fast", say so
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{y0 - 4:.1f}" text-anchor="middle" fill="{PALETTE[3]}" '
                f'font-weight="bold">无</text>'
            )
        if med == med:
            color = PALETTE[0] if med <= target else PALETTE[3]
            out.append(
                f'<rect x="{x:.1f}" y="{y_of(med):.1f}" width="{bar:.1f}" height="{y0 - y_of(med):.1f}" fill="{color}"/>'
            )
            if med > CLIP:
                cx = x + bar / 2
                out.append(
                    f'<polygon points="{cx - 4:.1f},{y_of(CLIP) + 9:.1f} {cx + 4:.1f},{y_of(CLIP) + 9:.1f} '
                    f'{cx:.1f},{y_of(CLIP) + 2:.1f}" fill="white"/>'
                )
    ty = y_of(target)
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#333" stroke-dasharray="6,3"/>'
    )
    out.append(
        f'<line x1="{width - right - 210}" x2="{width - right - 186}" y1="14" y2="14" stroke="#333" '
        f'stroke-dasharray="6,3"/><text x="{width - right - 180}" y="18">目标 {target:g} 秒</text>'
        f'<rect x="{width - right - 68}" y="8" width="10" height="10" fill="{PALETTE[3]}"/>'
        f'<text x="{width - right}" y="18" text-anchor="end">超过目标</text>'
    )
    # share panel
    top2 = y0 + gap
    out.append(
        f'<text x="{left}" y="{top2 - 10}" font-size="13" font-weight="bold">目标内占比（未回复的会话算作未达标）</text>'
    )
    y1 = top2 + panel
    for tick in (0, 0.5, 1.0):
        y = y1 - tick * panel
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick:.0%}</text>'
        )
    for h, share in enumerate(table["目标内占比"].tolist()):
        x = left + h * step + (step - bar) / 2
        if share == share and share == 0:  # 0% is a result, not a missing bar
            out.append(f'<rect x="{x:.1f}" y="{y1 - 2:.1f}" width="{bar:.1f}" height="2" fill="{PALETTE[3]}"/>')
        elif share == share:
            out.append(
                f'<rect x="{x:.1f}" y="{y1 - share * panel:.1f}" width="{bar:.1f}" height="{share * panel:.1f}" fill="{PALETTE[1]}"/>'
            )
        if h % 3 == 0:
            out.append(
                f'<text x="{left + (h + 0.5) * step:.1f}" y="{y1 + 16:.1f}" text-anchor="middle" fill="#555">{h}时</text>'
            )
    return "".join(out) + "</svg>"


def response_times_view(data, target=60, day_type="全部"):
    """HTML: headline share within target, the two-panel chart, and the three slowest busy hours."""
    target = as_number(target, "目标秒数", minimum=1)
    hours, secs = _select(data, day_type)
    table = _table(hours, secs, target)
    n = len(secs)
    if n == 0:
        return "<p>这一类日期没有会话。</p>"
    within = float((secs <= target).sum())
    unanswered = int(np.isnan(secs).sum())
    staffed = table.loc[STAFFED]
    busy = staffed[staffed["会话数"] >= max(3, staffed["会话数"].max() * 0.25)].sort_values("目标内占比").head(3)
    worst = "、".join(f"{h}时（{s:.0%}）" for h, s in busy["目标内占比"].items())
    night = table.drop(index=STAFFED)
    head = (
        f"<p style='margin:4px 0'><b>{escape(day_type)}</b>：{n} 个会话，{within / n:.1%} 在 {target:g} 秒内得到人工回复，"
        f"{unanswered} 个会话始终没有人工回复。</p>"
        f"<p style='margin:4px 0'>有人工客服值班的 9—23 点里，会话较多、达标最差的时段是：{worst or '（没有）'}。"
        f"0—8 点没有人工客服：{int(night['会话数'].sum())} 个会话，在目标内得到人工回复的 {int(night['目标内'].sum())} 个。"
        + (
            "图中标“无”的小时：有客户进线，却没有一个会话等到人工回复。"
            if ((table["会话数"] > 0) & table["首响中位数（秒）"].isna()).any()
            else ""
        )
        + "</p>"
    )
    return head + _chart(table, target)


def build_response_times(messages, target=60):
    """The widget (a VBox: slider, day-type buttons, HTML output), not yet displayed."""
    import ipywidgets as w

    data = prepare_response_data(messages)
    slider = w.IntSlider(
        value=int(target),
        min=10,
        max=300,
        step=10,
        description="目标（秒）",
        continuous_update=True,
        style={"description_width": "initial"},
    )
    kind = w.ToggleButtons(
        options=DAY_TYPES,
        value="全部",
        description="日期",
        style={"button_width": "64px", "description_width": "initial"},
        # ipywidgets 8 renders ToggleButtons as a block, so the label sat above the buttons
        layout=w.Layout(display="flex", align_items="center"),
    )
    out = w.HTML(response_times_view(data, target))

    def update(_=None):
        out.value = response_times_view(data, slider.value, kind.value)

    slider.observe(update, "value")
    kind.observe(update, "value")
    return w.VBox([w.HBox([slider, kind]), out])


def response_times(messages, target=60):
    """Interactive: a target slider (10–300 s) and a day-type choice (static HTML under grading)."""
    show(build_response_times(messages, target), response_times_view(prepare_response_data(messages), target))


def BENCH():
    """Benchmark hook: data prepared once; one slider move = one response_times_view call."""
    import itertools

    from ..course.datasets import load_dataset

    data = prepare_response_data(load_dataset("p08_messages"))
    args = itertools.cycle([(t, k) for t in range(10, 301, 20) for k in DAY_TYPES])

    def update():
        return response_times_view(data, *next(args))

    return update
