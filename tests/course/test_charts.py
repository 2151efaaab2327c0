"""SVG widget charts: labels never overlap the drawn lines or each other (geometry, not eyesight)."""

import re

import pytest

from crmlib.course.charts import line_chart, spread, text_width

NUM = r"(-?[\d.]+)"


def boxes(svg, cls):
    """(x0, y0, x1, y1) of the <text class=cls> labels, from their position and estimated width."""
    out = []
    for x, y, body in re.findall(rf'<text class="{cls}" x="{NUM}" y="{NUM}"[^>]*>([^<]*)</text>', svg):
        x, y = float(x), float(y)
        out.append((x, y - 12, x + text_width(body), y + 2))
    return out


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(
    "values", [{"预警线": 0.30, "通常间隔": 0.31}, {"A/B 分界 80%": 0.80, "B/C 分界 95%": 0.95, "线3": 0.96}]
)
def test_reference_labels_clear_of_plot_and_each_other(values):
    svg = line_chart(list(range(12)), {"累计占比": [i / 11 for i in range(12)]}, hlines=values, percent=True)
    plot_right = max(float(x) for x in re.findall(r'<line x1="[\d.]+" x2="([\d.]+)"', svg))
    labels = boxes(svg, "refline")
    assert len(labels) == len(values)
    assert all(b[0] > plot_right for b in labels), "参考线的标签应在绘图区外，不能压在曲线上"
    assert not any(overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :]), "标签互相重叠"
    width = float(re.search(r'width="(\d+)"', svg).group(1))
    assert all(b[2] <= width for b in labels), "标签超出了图的右边"


def test_legend_entries_do_not_overlap():
    svg = line_chart([1, 2, 3], {"累计消费额（元）": [1, 2, 3], "获客成本（元）": [2, 2, 2], "回本": [0, 1, 3]})
    legend = boxes(svg, "legend")
    assert not any(overlap(a, b) for i, a in enumerate(legend) for b in legend[i + 1 :])


def test_spread_keeps_order_and_gap():
    ys = spread([50, 51, 52, 200], 15, 0, 300)
    assert ys[0] < ys[1] < ys[2] and min(b - a for a, b in zip(ys, ys[1:])) >= 15 - 1e-9
