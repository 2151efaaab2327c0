"""Weights widget: ranking by weighted contribution, equal-weight comparison, speed."""

import doctest

import pandas as pd
import pytest

import crmlib.widgets.servqual_weights as sw
from crmlib.course.errors import CRMError

GAPS = pd.Series({"有形度": -0.1, "信赖度": -1.0, "反应度": -0.9, "专业度": -0.6, "同理度": -0.8})


def test_doctests():
    assert doctest.testmod(sw).failed == 0


def test_priority_by_hand():
    t = sw.priority_table(GAPS, {"有形度": 10, "信赖度": 20, "反应度": 40, "专业度": 20, "同理度": 10})
    # contributions: -0.01, -0.2, -0.36, -0.12, -0.08
    assert t["加权贡献"].tolist() == pytest.approx([-0.01, -0.2, -0.36, -0.12, -0.08])
    assert t["加权排名"].tolist() == [5, 2, 1, 3, 4]
    assert t["等权排名"].tolist() == [5, 1, 2, 4, 3]
    assert t["加权贡献"].sum() == pytest.approx(-0.77)


def test_ties_follow_dimension_order():
    t = sw.priority_table(pd.Series({"甲": -1.0, "乙": -1.0}), {"甲": 1, "乙": 1})
    assert t["加权排名"].tolist() == [1, 2]


def test_view_says_when_weights_change_the_first_dimension():
    same = sw.servqual_weights_view(GAPS, dict.fromkeys(GAPS.index, 20))
    assert "仍是<b>信赖度</b>" in same
    flipped = sw.servqual_weights_view(GAPS, {"有形度": 10, "信赖度": 20, "反应度": 40, "专业度": 20, "同理度": 10})
    assert "最差的是<b>信赖度</b>" in flipped and "应当先改<b>反应度</b>" in flipped


def test_errors():
    with pytest.raises(CRMError, match="全部是 0"):
        sw.priority_table(GAPS, dict.fromkeys(GAPS.index, 0))
    with pytest.raises(CRMError, match="缺少维度"):
        sw.priority_table(GAPS, {"有形度": 1})
    with pytest.raises(CRMError, match="没有差距"):
        sw.priority_table(pd.Series({"有形度": None, "信赖度": -1.0}), {"有形度": 1, "信赖度": 1})


def test_segments_from_data_differ():
    from crmlib.course.datasets import load_dataset
    from crmlib.topics.servqual import straight_liners

    ans = load_dataset("p04_answers")
    s = sw.segment_gaps(ans, load_dataset("p04_items"), load_dataset("p04_respondents"), exclude=straight_liners(ans))
    weakest = {name: g.idxmin() for name, g in s.items()}
    assert len(set(weakest.values())) >= 3  # the weakest dimension depends on the segment


def test_bars_stay_inside_the_svg():
    import re

    svg = sw._bars(sw.priority_table(pd.Series({"甲": -2.0, "乙": 0.5}), {"甲": 1, "乙": 1}))
    width = float(re.search(r'width="(\d+)"', svg).group(1))
    for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="22"', svg):
        assert float(x) >= 60 and float(x) + float(w) <= width


def test_bench_hook_renders():
    update = sw.BENCH()  # its speed is measured by `course.py bench`
    assert "<svg" in update() or "<table" in update()
