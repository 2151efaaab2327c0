"""Staffing what-if (排班测算): peak-hour calls, handling time and agents on shift → service level.

Sliders for the calls arriving in the peak hour, the average handling time
and the agents logged in; the view (Erlang C, ``crmlib.topics.staffing``)
shows the traffic in erlangs, occupancy, the chance a caller waits, the
service level (answered within 20 s) and how many agents the 80 % target
needs, with a curve of service level against the number of agents.

>>> html = staffing_view(106, 284, 10)
>>> "服务水平" in html and "需要 12 人" in html
True
"""

import math
from html import escape

from ..course.charts import line_chart
from ..course.errors import as_number
from ..course.ui import show
from ..topics.staffing import agents_needed, staffing_table

DEFAULTS = {"calls_per_hour": 106, "aht_seconds": 284, "agents": 10}
TARGET, SECONDS = 0.8, 20


def _card(label, value, note=""):
    return (
        f"<div style='border:1px solid #ddd;border-radius:6px;padding:6px 12px;min-width:110px'>"
        f"<div style='color:#666;font-size:12px'>{escape(label)}</div>"
        f"<div style='font-size:18px;font-weight:bold'>{escape(value)}</div>"
        f"<div style='color:#888;font-size:11px'>{escape(note)}</div></div>"
    )


def staffing_view(calls_per_hour, aht_seconds, agents, target=TARGET, target_seconds=SECONDS):
    """HTML of the what-if for one set of inputs (pure; what each slider move calls)."""
    calls = as_number(calls_per_hour, "每小时来电量", minimum=1)
    aht = as_number(aht_seconds, "平均处理时长（秒）", minimum=1)
    row = staffing_table(calls, aht, [agents], target_seconds).iloc[0]
    need = agents_needed(calls, aht, target, target_seconds)
    lo = max(1, math.floor(row["话务量"]))
    counts = list(range(lo, max(need, int(agents)) + 4))
    curve = staffing_table(calls, aht, counts, target_seconds)
    chart = line_chart(
        [f"{n}人" for n in counts],
        {"服务水平": curve["服务水平"].tolist()},
        title="在岗坐席数与服务水平（高峰小时）",
        hlines={"目标": target},
        width=560,
        height=260,
        y_max=1.0,
        percent=True,
    )
    ok = row["服务水平"] >= target
    wait = "排队越来越长" if math.isinf(row["平均等待秒"]) else f"{row['平均等待秒']:.0f} 秒"
    cards = "".join(
        [
            _card("话务量", f"{row['话务量']:.1f} 爱尔兰", "来电 × 处理时长 ÷ 3600"),
            _card("坐席占用率", "100%以上" if row["占用率"] >= 1 else f"{row['占用率']:.0%}", "话务量 ÷ 在岗坐席"),
            _card("来电要排队的概率", f"{row['等待概率']:.0%}", f"平均等待 {wait}"),
            _card("服务水平", f"{'√' if ok else '×'} {row['服务水平']:.1%}", f"{target_seconds:g} 秒内接起 ÷ 呼入"),
            _card("达到目标", f"需要 {need} 人", f"服务水平 ≥ {target:.0%}"),
        ]
    )
    gap = need - int(agents)
    if gap <= 0:
        note = "现有人手已经够用。"
    elif row["占用率"] >= 1:
        note = (
            f"还差 {gap} 人：在岗人数不比话务量多，坐席再努力也接不完这么多来电，队伍只会越排越长；"
            "只能靠排班加人、错峰或分流（在线、自助）。"
        )
    else:
        note = (
            f"还差 {gap} 人：电话最终都接得完，但很多客户要先排队，单靠坐席接快一点补不上；"
            "要靠排班加人、错峰或分流（在线、自助）。"
        )
    return (
        f"<div><div style='display:flex;gap:8px;flex-wrap:wrap;margin-bottom:6px'>{cards}</div>"
        f"<p style='margin:6px 0'>{escape(note)}</p>{chart}</div>"
    )


def build_staffing(**start):
    """The ipywidgets box (sliders + live view); `start` overrides DEFAULTS."""
    import ipywidgets as w

    v = {**DEFAULTS, **start}
    style, layout = {"description_width": "130px"}, w.Layout(width="440px")
    sliders = {
        "calls_per_hour": w.IntSlider(
            value=v["calls_per_hour"], min=20, max=200, step=1, description="高峰每小时来电", style=style, layout=layout
        ),
        "aht_seconds": w.IntSlider(
            value=v["aht_seconds"],
            min=120,
            max=480,
            step=5,
            description="平均处理时长（秒）",
            style=style,
            layout=layout,
        ),
        "agents": w.IntSlider(
            value=v["agents"], min=1, max=30, step=1, description="在岗坐席数", style=style, layout=layout
        ),
    }
    out = w.HTML(staffing_view(**v))

    def update(_change):
        out.value = staffing_view(**{k: s.value for k, s in sliders.items()})

    for s in sliders.values():
        s.observe(update, names="value")
    return w.VBox(
        [w.HTML("<b>排班测算</b>：拖动滑块，看来电量、处理时长和在岗人数怎样决定服务水平"), *sliders.values(), out]
    )


def staffing_whatif(
    calls_per_hour=DEFAULTS["calls_per_hour"], aht_seconds=DEFAULTS["aht_seconds"], agents=DEFAULTS["agents"]
):
    """Show the what-if with these starting values (static view under nbgrader)."""
    v = {
        "calls_per_hour": as_number(calls_per_hour, "每小时来电量", minimum=20, maximum=200),
        "aht_seconds": as_number(aht_seconds, "平均处理时长（秒）", minimum=120, maximum=480),
        "agents": as_number(agents, "在岗坐席数", minimum=1, maximum=30),
    }
    v = {k: int(x) for k, x in v.items()}
    show(build_staffing(**v), staffing_view(**v))


def BENCH():
    """Benchmark hook (benchmarks/run.py): one slider move = one staffing_view call."""
    import itertools

    agents = itertools.cycle(range(6, 20))

    def update():
        return staffing_view(106, 284, next(agents))

    return update
