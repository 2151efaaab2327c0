"""ABC cut-off widget (p07): numbers match crmlib, errors explained, fast, and its labels never collide."""

import re

import pandas as pd
import pytest

import crmlib as crm
from crmlib.course.errors import CRMError
from crmlib.widgets import abc_cutoffs as abcw

from crmlib.widgets.abc_cutoffs import label_collisions as collisions, segment_hits_box, svgs, text_boxes


@pytest.fixture(scope="module")
def totals():
    return crm.load_dataset("p07_orders").groupby("客户编号")["金额"].sum()


def test_view_matches_crmlib(totals):
    curve = abcw.pareto_curve(totals)
    for cuts in [(0.8, 0.95), (0.7, 0.9), (0.6, 0.99), (0.85, 0.86)]:
        table = abcw.abc_counts(curve, *cuts)
        expected = crm.abc_classify(totals, cuts)["ABC"].value_counts(sort=False)
        assert table["客户数"].tolist() == expected.tolist()
    assert abcw.top_share(curve) == pytest.approx(crm.pareto_share(totals, 0.2))


def test_view_html_shows_the_numbers(totals):
    html = abcw.abc_cutoffs_view(abcw.pareto_curve(totals), 0.8, 0.95)
    counts = crm.abc_classify(totals)["ABC"].value_counts(sort=False)
    assert f"A 类 {counts['A']} 家客户" in html
    assert f"{crm.pareto_share(totals, 0.2):.1%}" in html
    assert html.count("<svg") == 1 and "A/B 分界 80%" in html and "B/C 分界 95%" in html
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert str(counts["B"]) in cells and str(counts["C"]) in cells


@pytest.mark.parametrize(
    "a, b, message", [(0.9, 0.8, "必须低于"), (80, 95, "不能大于"), ("0.8", 0.95, "应该是一个数字")]
)
def test_bad_cuts_are_explained(totals, a, b, message):
    with pytest.raises(CRMError, match=message):
        abcw.abc_cutoffs_view(totals, a, b)


def test_bad_values_are_explained():
    with pytest.raises(CRMError, match="一列数据"):
        abcw.pareto_curve([1, 2, 3])
    with pytest.raises(CRMError, match="负数"):
        abcw.pareto_curve(pd.Series({"甲": -5.0, "乙": 3.0}))


def test_widget_updates_on_slider(totals, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    box = abcw.build_abc_cutoffs(totals)
    a_slider, html = box.children[1], box.children[3]
    a_slider.value = 0.7
    n_a = int((crm.abc_classify(totals, (0.7, 0.95))["ABC"] == "A").sum())
    assert f"A 类 {n_a} 家客户" in html.value
    assert abcw.abc_cutoffs(totals) is None


# ------------------------------------------------------------------ label geometry


def test_geometry_helper_sees_a_collision():
    # the old layout: a label drawn on the plot, just above its line, where the curve passes
    svg = (
        '<svg><polyline points="0,100 300,20" fill="none"/>'
        '<text x="300" y="46" text-anchor="end">B/C 分界 95%</text></svg>'
    )
    assert collisions(svg)
    assert segment_hits_box((0, 0, 10, 10, "line"), (4, 4, 6, 6, ""))
    assert not segment_hits_box((0, 0, 10, 0, "line"), (4, 4, 6, 6, ""))


@pytest.mark.parametrize("a, b", [(0.80, 0.95), (0.50, 0.80), (0.90, 0.91), (0.79, 0.80), (0.60, 0.99)])
def test_labels_never_collide(totals, a, b):
    html = abcw.abc_cutoffs_view(abcw.pareto_curve(totals), a, b)
    (svg,) = svgs(html)
    assert collisions(svg) == []
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))
    assert all(0 <= box[0] and box[2] <= width for box in text_boxes(svg))


def test_reference_labels_sit_outside_the_plot(totals):
    svg = svgs(abcw.abc_cutoffs_view(abcw.pareto_curve(totals), 0.8, 0.95))[0]
    plot_right = max(float(x) for x in re.findall(r'<line x1="[\d.]+" x2="([\d.]+)"', svg))
    labels = [b for b in text_boxes(svg) if "分界" in b[4]]
    assert len(labels) == 2 and all(b[0] > plot_right for b in labels)


def test_spread_labels_keeps_distance_and_band():
    ys = abcw.spread_labels([50, 50, 51, 300], 20, 305)
    assert sorted(ys)[1] - sorted(ys)[0] >= abcw.LINE_GAP and ys[3] == 300
    assert abcw.spread_labels([400, 401], 20, 300) == [285.0, 300.0]
    assert abcw.spread_labels([], 0, 10) == []
