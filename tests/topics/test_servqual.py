"""SERVQUAL gaps checked against a small survey computed by hand."""

import doctest

import numpy as np
import pandas as pd
import pytest

import crmlib.topics.servqual as sq
from crmlib.course.errors import CRMError

ITEMS = pd.DataFrame({"题号": ["Q1", "Q2", "Q3", "Q4"], "维度": ["有形度", "有形度", "信赖度", "同理度"]})

# Three respondents × four items. By hand (valid = both values in 1–7):
#   有形度  Q1: (5,4) (6,6) (7,7)   Q2: (4,5) (None,3) (6,8)   -> valid 4 pairs,
#           E = (5+6+7+4)/4 = 5.5, P = (4+6+7+5)/4 = 5.5, gap 0; invalid 2
#   信赖度  Q3: (7,5) (6,4) (7,7)  -> E 6.667, P 5.333, gap -4/3
#   同理度  Q4: (6,6) (0,3) (5,4)   -> valid 2: E 5.5, P 5.0, gap -0.5; invalid 1
SURVEY = pd.DataFrame(
    {
        "问卷编号": ["R1"] * 4 + ["R2"] * 4 + ["R3"] * 4,
        "题号": ["Q1", "Q2", "Q3", "Q4"] * 3,
        "期望": [5, 4, 7, 6, 6, None, 6, 0, 7, 6, 7, 5],
        "感知": [4, 5, 5, 6, 6, 3, 4, 3, 7, 8, 7, 4],
    }
)


def test_doctests():
    assert doctest.testmod(sq).failed == 0


def test_gaps_by_hand():
    t = sq.servqual_gaps(SURVEY, ITEMS)
    assert t.index.tolist() == ["有形度", "信赖度", "同理度"]
    assert t.loc["有形度", "期望"] == pytest.approx(5.5)
    assert t.loc["有形度", "差距"] == pytest.approx(0.0)
    assert t.loc["信赖度", "差距"] == pytest.approx(-4 / 3)
    assert t.loc["同理度", "差距"] == pytest.approx(-0.5)
    assert t["有效答案数"].tolist() == [4, 3, 2]
    assert t["无效答案数"].tolist() == [2, 0, 1]
    assert t["权重"].tolist() == pytest.approx([1 / 3] * 3)
    assert sq.overall_gap(SURVEY, ITEMS) == pytest.approx((0 - 4 / 3 - 0.5) / 3)


def test_pooled_not_mean_of_item_means():
    # 有形度 item means: Q1 gap (−1+0+0)/3 = −1/3, Q2 gap +1 (one pair): mean of means 1/3, pooled 0
    t = sq.servqual_gaps(SURVEY, ITEMS)
    assert t.loc["有形度", "差距"] == pytest.approx(0.0)


def test_weighted_overall():
    w = {"有形度": 20, "信赖度": 50, "同理度": 30}
    expected = (20 * 0 + 50 * (-4 / 3) + 30 * (-0.5)) / 100
    assert sq.overall_gap(SURVEY, ITEMS, w) == pytest.approx(expected)
    t = sq.servqual_gaps(SURVEY, ITEMS, pd.Series(w))
    assert t["权重"].sum() == pytest.approx(1)
    assert t["加权贡献"].sum() == pytest.approx(expected)
    # shares and points give the same result; a zero weight drops a dimension
    assert sq.overall_gap(SURVEY, ITEMS, {"有形度": 0.2, "信赖度": 0.5, "同理度": 0.3}) == pytest.approx(expected)
    assert sq.overall_gap(SURVEY, ITEMS, {"有形度": 0, "信赖度": 1, "同理度": 0}) == pytest.approx(-4 / 3)


def test_mapping_items_and_order_independence():
    mapping = dict(zip(ITEMS["题号"], ITEMS["维度"]))
    a = sq.servqual_gaps(SURVEY, mapping)
    b = sq.servqual_gaps(SURVEY.sample(frac=1, random_state=3), mapping)
    pd.testing.assert_frame_equal(a, b)


def test_text_answers_are_invalid():
    s = SURVEY.astype({"期望": object})
    s.loc[0, "期望"] = "五"
    t = sq.servqual_gaps(s, ITEMS)
    assert t.loc["有形度", "有效答案数"] == 3


def test_single_row_and_dimension_without_answers():
    one = pd.DataFrame({"题号": ["Q3"], "期望": [7], "感知": [6]})
    t = sq.servqual_gaps(one, ITEMS)
    assert t.loc["信赖度", "差距"] == -1
    assert np.isnan(t.loc["有形度", "差距"]) and t.loc["有形度", "有效答案数"] == 0
    with pytest.raises(CRMError, match="没有任何有效答案"):
        sq.overall_gap(one, ITEMS)


def test_errors_are_chinese():
    with pytest.raises(CRMError, match="不在题目表里"):
        sq.servqual_gaps(SURVEY, {"Q1": "有形度"})
    with pytest.raises(CRMError, match="缺少维度"):
        sq.servqual_gaps(SURVEY, ITEMS, {"有形度": 1})
    with pytest.raises(CRMError, match="在问卷里没有"):
        sq.servqual_gaps(SURVEY, ITEMS, {"有形度": 1, "信赖度": 1, "同理度": 1, "反应度": 1})
    with pytest.raises(CRMError, match="全部是 0"):
        sq.servqual_gaps(SURVEY, ITEMS, {"有形度": 0, "信赖度": 0, "同理度": 0})
    with pytest.raises(CRMError, match="不能小于 0"):
        sq.servqual_gaps(SURVEY, ITEMS, {"有形度": -1, "信赖度": 1, "同理度": 1})
    with pytest.raises(CRMError, match="找不到列"):
        sq.servqual_gaps(SURVEY.rename(columns={"感知": "实际"}), ITEMS)
    with pytest.raises(CRMError, match="空的"):
        sq.servqual_gaps(SURVEY.iloc[:0], ITEMS)
    with pytest.raises(CRMError, match="出现了不止一次"):
        sq.servqual_gaps(SURVEY, pd.concat([ITEMS, ITEMS.head(1)]))


def test_straight_liners():
    s = pd.DataFrame(
        {
            "问卷编号": ["A"] * 4 + ["B"] * 4 + ["C"] * 4 + ["D"] * 4,
            "题号": ["Q1", "Q2", "Q3", "Q4"] * 4,
            "期望": [7, 7, 7, 7] + [7, 7, 7, 7] + [7, 7, 7, None] + [5, 5, 5, 5],
            "感知": [7, 7, 7, 7] + [7, 6, 7, 7] + [4, 4, 4, 4] + [5, 5, 5, 9],
        }
    )
    # A all 7/7; B varies in 感知 (honest); C constant over its 3 valid pairs; D: 3 valid pairs
    assert sq.straight_liners(s, min_answers=3) == ["A", "C", "D"]
    assert sq.straight_liners(s, min_answers=4) == ["A"]
    assert sq.straight_liners(s) == []  # default needs 10 valid pairs


@pytest.mark.parametrize(
    "e, p, tol, verdict",
    [
        (6, 5, 0, "不满"),
        (6, 6, 0, "满意"),
        (5, 7, 0, "惊喜"),
        (6, 5.5, 0.5, "满意"),
        (6, 6.5, 0.5, "满意"),
        (6, 6.6, 0.5, "惊喜"),
        (5.1, 5.3, 0.2, "满意"),
        (1, 7, 0, "惊喜"),
        (7, 1, 6, "满意"),
    ],
)
def test_verdict_boundaries(e, p, tol, verdict):
    assert sq.satisfaction_verdict(e, p, tol) == verdict


def test_verdict_rejects_out_of_scale():
    with pytest.raises(CRMError, match="不能大于 7"):
        sq.satisfaction_verdict(8, 5)
    with pytest.raises(CRMError, match="应该是一个数字"):
        sq.satisfaction_verdict("六", 5)
