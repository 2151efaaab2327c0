"""crm.pareto_table: hand-computed cases (ties, the 80% boundary, missing labels, sums, errors)."""

import pandas as pd
import pytest

from crmlib.course.errors import CRMError
from crmlib.topics.pareto import pareto_table, vital_few


def test_counts_rows_per_group_sorted_with_cumulative_share():
    t = pareto_table(pd.DataFrame({"类别": list("AABBBC") + ["D"] * 4}), "类别")
    assert t.index.tolist() == ["D", "B", "A", "C"]
    assert t["数量"].tolist() == [4, 3, 2, 1]
    assert t["累计占比"].round(2).tolist() == [0.4, 0.7, 0.9, 1.0]
    assert t["关键少数"].tolist() == [True, True, True, False]  # A crosses 80% and is in
    assert t.index.name == "类别"


def test_exact_boundary_reaches_the_cut():
    # 0.5 + 0.3 = 0.8 exactly (as float 0.7999999999999999): the third group is not needed
    t = pareto_table(pd.Series({"甲": 0.5, "乙": 0.3, "丙": 0.2}))
    assert vital_few(t) == ["甲", "乙"]


def test_ties_are_broken_by_name():
    t = pareto_table(pd.Series({"b": 2, "a": 2, "c": 6}))
    assert t.index.tolist() == ["c", "a", "b"]
    # the same ranking whatever the row order of a detail table
    rows = pd.DataFrame({"类别": ["b", "a", "c", "c", "b", "a", "c"]})
    assert pareto_table(rows, "类别").index.tolist() == ["c", "a", "b"]


def test_single_group_is_the_vital_few():
    t = pareto_table(pd.DataFrame({"渠道": ["热线", "热线"]}), "渠道")
    assert t["占比"].tolist() == [1.0] and vital_few(t) == ["热线"]


def test_missing_labels_are_a_group_not_dropped():
    t = pareto_table(pd.Series(["质量", None, "质量", None, None], name="类别"))
    assert t.loc["（未填写）", "数量"] == 3 and t["数量"].sum() == 5


def test_sum_of_a_value_column():
    df = pd.DataFrame({"产品": ["锅", "壶", "锅"], "补偿金额": [100, 300, 50]})
    t = pareto_table(df, "产品", value="补偿金额")
    assert t.columns[0] == "合计" and t["合计"].tolist() == [300, 150]


def test_cut_changes_the_vital_few():
    s = pd.Series({"a": 50, "b": 30, "c": 15, "d": 5})
    assert vital_few(pareto_table(s, cut=0.5)) == ["a"]
    assert vital_few(pareto_table(s, cut=0.95)) == ["a", "b", "c"]
    assert vital_few(pareto_table(s, cut=1.0)) == ["a", "b", "c", "d"]


def test_zero_group_never_in_vital_few():
    t = pareto_table(pd.Series({"a": 5, "b": 0}), cut=1.0)
    assert vital_few(t) == ["a"]


@pytest.mark.parametrize(
    "bad, by, msg",
    [
        (pd.DataFrame({"类别": []}), "类别", "空"),
        (pd.DataFrame({"类别": ["A"]}), "原因", "找不到列"),
        (pd.DataFrame({"类别": ["A"]}), None, "按哪一列"),
        (pd.Series({"a": -1, "b": 2}), None, "负数"),
        (pd.Series({"a": 0, "b": 0}), None, "全部是 0"),
        ([1, 2], None, "DataFrame"),
    ],
)
def test_errors_are_chinese(bad, by, msg):
    with pytest.raises(CRMError, match=msg):
        pareto_table(bad, by)


def test_bad_cut():
    with pytest.raises(CRMError, match="0 到 1"):
        pareto_table(pd.Series({"a": 1}), cut=80)
