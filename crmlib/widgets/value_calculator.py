"""Customer-value calculator (客户价值计算器): what one customer is worth over the years.

Sliders for spend per visit, visits per year, years, gross margin and the
cost of winning the customer; the view shows the lifetime value, how many
times it covers the acquisition cost, when the cost is earned back, and a
chart of the value piling up year by year against the acquisition cost.

>>> html = value_view(200, 12, 5, 600, margin=0.25)
>>> "3,000 元" in html and "5.0 倍" in html
True
"""

from html import escape

from ..course.charts import line_chart, nice_top
from ..course.ui import show
from ..topics.value import ACQUIRE_MULTIPLE, cumulative_value, value_vs_acquisition

DEFAULTS = {
    "spend_per_visit": 150,
    "visits_per_year": 50,
    "years": 10,
    "acquisition_cost": 1500,
    "margin": 0.2,
    "discount": 0.0,
}


def _card(label, value, note=""):
    return (
        f"<div style='border:1px solid #ddd;border-radius:6px;padding:6px 12px;min-width:120px'>"
        f"<div style='color:#666;font-size:12px'>{escape(label)}</div>"
        f"<div style='font-size:18px;font-weight:bold'>{escape(value)}</div>"
        f"<div style='color:#888;font-size:11px'>{escape(note)}</div></div>"
    )


def _verdict(ratio, pays_back):
    if not pays_back:
        return (
            "× 合作期内收不回获客成本：这位客户在合作结束前带来的毛利还抵不上开发他的花费，"
            "按现在的条件，开发他是亏本的。要么延长合作（把客户留住），要么提高复购，要么降低开发成本。"
        )
    if ratio >= 3:
        return "终身价值是获客成本的好几倍：在这位客户身上多花一点服务成本、把他留住，非常划算。"
    if ratio >= 1:
        return "终身价值能收回获客成本，但余量不大：客户一旦提前流失，这笔开发投入就可能亏掉。"
    return "终身价值还抵不上获客成本：要么提高复购、延长合作年数，要么降低开发成本。"


def value_view(spend_per_visit, visits_per_year, years, acquisition_cost, margin=0.2, discount=0.0):
    """HTML of the calculator for one set of inputs (pure; what each slider move calls).

    With `discount` > 0 the lifetime value and the curve are in today's money;
    the payback card says plainly when the cost is not earned back within the period.

    >>> "合作期内收不回" in value_view(150, 1, 1, 1500, 0.2)
    True
    """
    r = value_vs_acquisition(spend_per_visit, visits_per_year, years, acquisition_cost, margin=margin)
    curve = cumulative_value(spend_per_visit, visits_per_year, years, margin=margin, discount=discount)
    value = float(curve.iloc[-1])
    ratio, pays_back = value / r["获客成本"], value >= r["获客成本"]
    label = "累计毛利（元）" if not discount else f"累计毛利，按 {discount:.0%} 折现（元）"
    chart = line_chart(
        [f"{y}年" for y in curve.index],
        {label: curve.tolist()},
        title="这位客户逐年累计带来的毛利",
        hlines={"获客成本": r["获客成本"]},
        width=560,
        height=280,
        y_max=nice_top(max(curve.max(), r["获客成本"], 4.0)),
    )
    keep = r["获客成本"] / ACQUIRE_MULTIPLE
    cards = "".join(
        [
            _card("终身消费额", f"{r['终身消费额']:,.0f} 元", "单次消费 × 每年次数 × 年数"),
            _card(
                "终身价值（毛利）",
                f"{value:,.0f} 元",
                f"毛利率 {margin:.0%}" + (f"，折现率 {discount:.0%}" if discount else "，未折现"),
            ),
            _card("价值倍数", f"{ratio:.1f} 倍", "终身价值 ÷ 获客成本"),
            _card("回本需要", f"{r['回本消费次数']} 次消费", f"约 {r['回本年数']:.1f} 年（未折现）")
            if pays_back
            else _card("回本", "× 合作期内收不回", f"要约 {r['回本年数']:.1f} 年，合作只有 {years:g} 年"),
        ]
    )
    text = (
        f"<p style='margin:6px 0'>{escape(_verdict(ratio, pays_back))}</p>"
        f"<p style='margin:6px 0;color:#555'>按“开发新客户的成本约是留住老客户的 5～6 倍”估算，"
        f"留住这位老客户大约只需 {keep:,.0f} 元；他若流失，再开发一位新客户又要 {r['获客成本']:,.0f} 元。</p>"
    )
    return f"<div><div style='display:flex;gap:10px;flex-wrap:wrap;margin-bottom:6px'>{cards}</div>{text}{chart}</div>"


def build_value_calculator(**start):
    """The ipywidgets box (sliders + live view); `start` overrides DEFAULTS."""
    import ipywidgets as w

    v = {**DEFAULTS, **start}
    style, layout = {"description_width": "110px"}, w.Layout(width="420px")

    def slider(kind, key, lo, hi, step, label, **kw):
        return kind(value=v[key], min=lo, max=hi, step=step, description=label, style=style, layout=layout, **kw)

    sliders = {
        "spend_per_visit": slider(w.IntSlider, "spend_per_visit", 10, 2000, 10, "单次消费额（元）"),
        "visits_per_year": slider(w.IntSlider, "visits_per_year", 1, 150, 1, "每年消费次数"),
        "years": slider(w.IntSlider, "years", 1, 30, 1, "合作年数"),
        "margin": slider(w.FloatSlider, "margin", 0.05, 0.6, 0.01, "毛利率", readout_format=".0%"),
        "acquisition_cost": slider(w.IntSlider, "acquisition_cost", 100, 20000, 100, "获客成本（元）"),
        "discount": slider(w.FloatSlider, "discount", 0.0, 0.15, 0.01, "折现率", readout_format=".0%"),
    }
    out = w.HTML(value_view(**v))

    def update(_change):
        out.value = value_view(**{k: s.value for k, s in sliders.items()})

    for s in sliders.values():
        s.observe(update, names="value")
    return w.VBox([w.HTML("<b>客户价值计算器</b>：拖动滑块，看一位客户一生能带来多少价值"), *sliders.values(), out])


def value_calculator(**start):
    """Show the calculator (static default view under nbgrader). Keyword overrides as in DEFAULTS."""
    v = {**DEFAULTS, **start}
    show(build_value_calculator(**v), value_view(**v))


def BENCH():
    """Benchmark hook (benchmarks/run.py): one slider move = one value_view call."""
    import itertools

    years = itertools.cycle(range(1, 31))

    def update():
        return value_view(150, 50, next(years), 1500, 0.2, 0.05)

    return update
