"""PSS-10 scoring and the shift-log helpers of p09, on hand-computed cases."""

import numpy as np
import pandas as pd
import pytest

from crmlib.course.errors import CRMError
from crmlib.topics.stress import (
    ITEM_COLUMNS,
    pss10_band,
    pss10_score,
    pss10_scores,
    scored_items,
    team_weeks,
    trigger_counts,
    week_start,
    weekly_workload,
)


# ------------------------------------------------------------------ pss10_score


@pytest.mark.parametrize(
    "answers, total",
    [
        ([0] * 10, 16),  # only the four reverse items score (4 each)
        ([4] * 10, 24),  # 6 × 4 + 4 × 0
        ([2] * 10, 20),  # the midpoint stays the midpoint
        ([4, 4, 4, 0, 0, 4, 0, 0, 4, 4], 40),  # maximum
        ([0, 0, 0, 4, 4, 0, 4, 4, 0, 0], 0),  # minimum
        ([1, 2, 3, 4, 0, 1, 2, 3, 4, 0], 1 + 2 + 3 + 0 + 4 + 1 + 2 + 1 + 4 + 0),  # = 18
        ([3, 2, 3, 1, 2, 3, 1, 2, 2, 3], 26),
    ],
)
def test_hand_computed_totals(answers, total):
    assert pss10_score(answers) == total


def test_reverse_items_are_4_5_7_8():
    for item in range(1, 11):
        answers = [0, 0, 0, 4, 4, 0, 4, 4, 0, 0]  # total 0
        bumped = list(answers)
        bumped[item - 1] = 2  # every item moved to 2 adds exactly 2 points
        assert pss10_score(bumped) == 2, item


def test_accepts_numpy_series_dict_and_integral_floats():
    a = [3, 2, 3, 1, 2, 3, 1, 2, 2, 3]
    assert pss10_score(np.array(a)) == 26
    assert pss10_score(pd.Series(a, index=ITEM_COLUMNS)) == 26
    assert pss10_score({i: v for i, v in enumerate(a, 1)}) == 26
    assert pss10_score([float(v) for v in a]) == 26


@pytest.mark.parametrize(
    "answers",
    [
        [2] * 9,  # nine answers
        [2] * 11,  # eleven
        [2] * 9 + [None],  # one blank
        [2] * 9 + [np.nan],
        [2] * 9 + [5],  # out of range
        [2] * 9 + [-1],
        [2] * 9 + [2.5],  # not a whole point
        [2] * 9 + ["2"],  # text
        [2] * 9 + [True],
        [],
    ],
)
def test_fewer_than_ten_valid_answers_is_a_chinese_error(answers):
    with pytest.raises(CRMError, match="PSS-10"):
        pss10_score(answers)


def test_no_partial_total():
    with pytest.raises(CRMError, match="不计总分"):
        pss10_score([4, 4, 4, 0, 0, 4, 0, 0, 4, None])


def test_text_is_an_error():
    with pytest.raises(CRMError, match="列表"):
        pss10_score("2222222222")


def test_scored_items():
    assert scored_items([0, 0, 0, 1, 3, 0, 4, 0, 0, 0]) == [0, 0, 0, 3, 1, 0, 0, 4, 0, 0]
    assert sum(scored_items([1, 2, 3, 4, 0, 1, 2, 3, 4, 0])) == 18


# ------------------------------------------------------------------ bands


@pytest.mark.parametrize("total, band", [(0, "低"), (13, "低"), (14, "中等"), (26, "中等"), (27, "高"), (40, "高")])
def test_band_boundaries(total, band):
    assert pss10_band(total) == band


@pytest.mark.parametrize("total", [-1, 41, 13.5, "20", None])
def test_band_rejects_impossible_totals(total):
    with pytest.raises(CRMError):
        pss10_band(total)


# ------------------------------------------------------------------ tables


def test_pss10_scores_table():
    t = pd.DataFrame(
        [[0] * 10, [4, 4, 4, 0, 0, 4, 0, 0, 4, 4], [2] * 9 + [None], [1] * 10],
        columns=ITEM_COLUMNS,
        index=["甲", "乙", "丙", "丁"],
    )
    out = pss10_scores(t)
    assert out["总分"].tolist()[:2] == [16, 40]
    assert np.isnan(out.loc["丙", "总分"])
    assert out.loc["丁", "总分"] == 6 * 1 + 4 * 3
    assert out["压力水平"].tolist() == ["中等", "高", "未答完", "中等"]
    assert list(out.index) == ["甲", "乙", "丙", "丁"]  # index kept


def test_pss10_scores_out_of_range_row_is_not_scored():
    t = pd.DataFrame([[2] * 9 + [7]], columns=ITEM_COLUMNS)
    assert pss10_scores(t)["压力水平"].iloc[0] == "未答完"


def test_pss10_scores_missing_column():
    with pytest.raises(CRMError, match="题10"):
        pss10_scores(pd.DataFrame([[2] * 9], columns=ITEM_COLUMNS[:9]))


def _log(rows):
    return pd.DataFrame(
        rows, columns=["日期", "坐席编号", "出勤", "在线小时", "接待量", "难缠接待", "休息次数", "加班分钟"]
    ).assign(日期=lambda d: pd.to_datetime(d["日期"]))


def test_week_start_monday_to_sunday():
    d = pd.Series(pd.to_datetime(["2025-10-05", "2025-10-06", "2025-10-12", "2025-10-13"]))
    assert week_start(d).dt.strftime("%Y-%m-%d").tolist() == ["2025-09-29", "2025-10-06", "2025-10-06", "2025-10-13"]


def test_weekly_workload_ratio_of_sums_and_absence():
    log = _log(
        [
            ("2025-10-13", "A01", "出勤", 8.0, 80, 4, 2, 30),
            ("2025-10-14", "A01", "出勤", 2.0, 40, 2, np.nan, 0),  # break count not logged
            ("2025-10-15", "A01", "病假", 0.0, 0, 0, 0, 0),
            ("2025-10-20", "A01", "出勤", 7.0, 70, 7, 1, 0),  # next week
            ("2025-10-13", "A02", "事假", 0.0, 0, 0, 0, 0),  # a week with no shift worked
        ]
    )
    w = weekly_workload(log).set_index(["坐席编号", "周次"])
    first = w.loc[("A01", pd.Timestamp("2025-10-13"))]
    assert first["出勤班次"] == 2 and first["缺勤天数"] == 1
    assert first["每小时接待量"] == pytest.approx(120 / 10)  # not (10 + 20) / 2 = 15
    assert first["难缠占比"] == pytest.approx(6 / 120)
    assert first["每班休息次数"] == pytest.approx(2.0)  # unknown break count left out, absence not a 0
    assert first["加班小时"] == pytest.approx(0.5)
    assert w.loc[("A01", pd.Timestamp("2025-10-20")), "每小时接待量"] == pytest.approx(10.0)
    assert np.isnan(w.loc[("A02", pd.Timestamp("2025-10-13")), "每小时接待量"])


def test_team_weeks_keeps_complete_forms_of_worked_weeks():
    log = _log(
        [
            ("2025-10-13", "A01", "出勤", 8.0, 80, 4, 2, 0),
            ("2025-10-13", "A02", "出勤", 8.0, 64, 1, 3, 0),
            ("2025-10-13", "A03", "病假", 0.0, 0, 0, 0, 0),
        ]
    )
    q = pd.DataFrame(
        [["2025-10-13", "A01"] + [3] * 10, ["2025-10-13", "A02"] + [2] * 9 + [None], ["2025-10-13", "A03"] + [1] * 10],
        columns=["周次", "坐席编号", *ITEM_COLUMNS],
    )
    tw = team_weeks(log, q)
    assert tw["坐席编号"].tolist() == ["A01"]
    assert tw["总分"].iloc[0] == 3 * 6 + 1 * 4


def test_team_weeks_no_overlap_is_a_chinese_error():
    log = _log([("2025-10-13", "A01", "出勤", 8.0, 80, 4, 2, 0)])
    q = pd.DataFrame([["2025-10-20", "A01"] + [2] * 10], columns=["周次", "坐席编号", *ITEM_COLUMNS])
    with pytest.raises(CRMError, match="对不上"):
        team_weeks(log, q)


def test_trigger_counts_order_and_ties():
    q = pd.DataFrame(
        [
            [2] * 10 + ["乙"],
            [2] * 10 + ["甲"],
            [4, 4, 4, 0, 0, 4, 0, 0, 4, 4] + ["丙"],
            [2] * 10 + [None],
            [2] * 9 + [None, "丙"],
        ],
        columns=[*ITEM_COLUMNS, "压力来源"],
    )
    assert trigger_counts(q).to_dict() == {"丙": 2, "乙": 1, "甲": 1}
    assert list(trigger_counts(q).index) == ["丙", "乙", "甲"]  # equal counts by name
    with pytest.raises(TypeError):  # one call must not answer p09 task 3: filter the 高 questionnaires first
        trigger_counts(q, min_total=27)


def test_real_data_scores_are_in_range():
    from crmlib.generators.p09 import make_pss

    out = pss10_scores(make_pss())
    complete = out[out["压力水平"] != "未答完"]
    assert complete["总分"].between(0, 40).all()
    assert 0 < (out["压力水平"] == "未答完").sum() < 10  # a few incomplete forms, as in a real export
    assert set(complete["压力水平"]) == {"低", "中等", "高"}
