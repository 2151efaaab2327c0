"""Pareto widget: numbers from crm.pareto_table, labels clear of bars and lines, speed."""

import re

import pytest

from crmlib.course.datasets import load_dataset
from crmlib.course.errors import CRMError
from crmlib.topics.pareto import pareto_table
from crmlib.widgets.pareto_chart import BENCH, FIELDS, PERIODS, pareto_chart_view, pareto_svg

TEXT = re.compile(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')


@pytest.fixture(scope="module")
def cases():
    return load_dataset("p05_complaints")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("cut", [0.6, 0.75, 0.8, 0.95])
def test_labels_never_sit_on_the_plot(cases, field, cut):
    svg = pareto_svg(pareto_table(cases, field, cut=cut), cut, title="标题")
    top, bottom, left, right = 40, 340 - 70, 52, 640 - 74
    texts = [(float(x), float(y), t) for x, y, t in TEXT.findall(svg)]
    inside = [t for x, y, t in texts if left < x < right and top < y < bottom]
    assert not inside, inside  # bars, the line and the cut line have the plot area to themselves
    right_axis = sorted(y for x, y, t in texts if x > right)
    assert all(b - a >= 12 for a, b in zip(right_axis, right_axis[1:])), right_axis  # no two margin labels collide
    names = [(x, t) for x, y, t in texts if y == bottom + 16]
    widths = [12 * len(t) for _, t in names]
    gaps = [names[i + 1][0] - names[i][0] for i in range(len(names) - 1)]
    assert all(g >= (widths[i] + widths[i + 1]) / 2 for i, g in enumerate(gaps)), names


def test_view_numbers_follow_pareto_table(cases):
    q4 = cases[cases["受理时间"].dt.quarter == 4]
    few = pareto_table(q4, "渠道", cut=0.75)
    html = pareto_chart_view(cases, "渠道", "第四季度", 0.75)
    assert f"需要 {int(few['关键少数'].sum())} 个组" in html and f"共 {len(q4)} 件投诉" in html


def test_every_choice_renders():
    update = BENCH()  # its speed is measured by `course.py bench`
    for _ in range(len(FIELDS) * len(PERIODS)):
        assert "<svg" in update()


def test_errors_are_chinese(cases):
    with pytest.raises(CRMError, match="期间"):
        pareto_chart_view(cases, "渠道", "第五季度")
    with pytest.raises(CRMError, match="找不到列"):
        pareto_chart_view(cases, "原因")
    assert "没有投诉记录" in pareto_chart_view(cases[cases["受理时间"].dt.month < 3], "渠道", "第三季度")
