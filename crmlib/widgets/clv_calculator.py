"""CLV calculator (客户终生价值计算器): margin, retention, discount and horizon → value curve.

The view shows CLV over the chosen horizon, the infinite-horizon value
m / (1 + d − r), how much of it the first years already hold, and the
cumulative value year by year (``crm.clv_curve``), so a student sees that a
few points of retention move the value far more than the horizon does.

>>> html = clv_view(300, 0.8, 0.08, 10)
>>> "终生价值" in html and "<svg" in html
True
"""

from html import escape

from ..course.charts import line_chart, nice_top
from ..course.errors import CRMError
from ..course.ui import show
from ..topics.retention import clv, clv_curve

DEFAULTS = {"margin": 300.0, "retention": 0.75, "discount": 0.08, "years": 10}


def _card(label, value, note=""):
    return (
        f"<div style='border:1px solid #ddd;border-radius:6px;padding:6px 12px;min-width:130px'>"
        f"<div style='color:#666;font-size:12px'>{escape(label)}</div>"
        f"<div style='font-size:18px;font-weight:bold'>{escape(value)}</div>"
        f"<div style='color:#888;font-size:11px'>{escape(note)}</div></div>"
    )


def clv_view(margin, retention, discount, years):
    """HTML for one set of inputs (pure; what each slider move calls).

    >>> "1,333 元" in clv_view(400, 0.8, 0.1, 5)      # 400 / (1.1 − 0.8) = 1,333
    True
    """
    curve = clv_curve(margin, retention, discount, years)
    total = float(curve.iloc[-1])
    limit = clv(margin, retention, discount)
    half = int((curve >= limit / 2).to_numpy().argmax()) + 1 if (curve >= limit / 2).any() else None
    keep = 1 / (1 - retention) if retention < 1 else float("inf")
    top = nice_top(max(abs(limit), abs(total), 1.0))
    chart = line_chart(
        [f"{t}年" for t in curve.index],
        {"累计终生价值（元）": curve.tolist()},
        title="逐年累计的终生价值（已折现）",
        hlines={"无限期上限": limit},
        width=560,
        height=280,
        y_max=top if limit >= 0 else None,
    )
    cards = "".join(
        [
            _card(f"{years} 年的终生价值", f"{total:,.0f} 元", "Σ m·r^(t−1)/(1+d)^t"),
            _card("无限期的终生价值", f"{limit:,.0f} 元", "m / (1 + d − r)"),
            _card("平均留存年数", f"{keep:.1f} 年", "1 / (1 − 留存率)"),
            _card("达到上限一半", f"第 {half} 年" if half else f"{years} 年内未达到", "累计价值 ≥ 上限的 50%"),
        ]
    )
    note = (
        f"<p style='margin:6px 0'>每年毛利 {margin:,.0f} 元、留存率 {retention:.0%}、折现率 {discount:.0%}："
        f"第 1 年的 {margin:,.0f} 元折现后值 {curve.iloc[0]:,.0f} 元；越往后，客户还在的概率越小、"
        f"折现越多，每年新增的价值越来越少。</p>"
    )
    return f"<div><div style='display:flex;gap:10px;flex-wrap:wrap;margin-bottom:6px'>{cards}</div>{note}{chart}</div>"


def build_clv_calculator(
    margin=DEFAULTS["margin"], retention=DEFAULTS["retention"], discount=DEFAULTS["discount"], years=DEFAULTS["years"]
):
    """The ipywidgets box (four sliders + live view), starting at the given values."""
    import ipywidgets as w

    clv_view(margin, retention, discount, years)  # Chinese error now if a start value is wrong
    v = {"margin": margin, "retention": retention, "discount": discount, "years": years}
    style, layout = {"description_width": "120px"}, w.Layout(width="440px")
    sliders = {
        "margin": w.FloatSlider(
            value=v["margin"],
            min=0,
            max=3000,
            step=10,
            description="每年毛利（元）",
            style=style,
            layout=layout,
            readout_format=",.0f",
        ),
        "retention": w.FloatSlider(
            value=v["retention"],
            min=0,
            max=0.97,
            step=0.01,
            description="年留存率",
            style=style,
            layout=layout,
            readout_format=".0%",
        ),
        "discount": w.FloatSlider(
            value=v["discount"],
            min=0,
            max=0.3,
            step=0.01,
            description="折现率",
            style=style,
            layout=layout,
            readout_format=".0%",
        ),
        "years": w.IntSlider(value=v["years"], min=1, max=30, description="计算年数", style=style, layout=layout),
    }
    out = w.HTML(clv_view(**v))

    def update(_change):
        try:
            out.value = clv_view(**{k: s.value for k, s in sliders.items()})
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    for s in sliders.values():
        s.observe(update, names="value")
    return w.VBox(
        [
            w.HTML("<b>客户终生价值计算器</b>：拖动滑块，看留存率、折现率和年数怎样改变一位客户的价值"),
            *sliders.values(),
            out,
        ]
    )


def clv_calculator(
    margin=DEFAULTS["margin"], retention=DEFAULTS["retention"], discount=DEFAULTS["discount"], years=DEFAULTS["years"]
):
    """Show the calculator (static start view under nbgrader).

    `margin`: yearly gross margin (元); `retention`, `discount`: decimals; `years`: horizon.
    """
    html = clv_view(margin, retention, discount, years)
    show(build_clv_calculator(margin, retention, discount, years), html)


def BENCH():
    """Benchmark hook: one slider move = one clv_view call."""
    import itertools

    rates = itertools.cycle([r / 100 for r in range(50, 96)])

    def update():
        return clv_view(300, next(rates), 0.08, 10)

    return update
