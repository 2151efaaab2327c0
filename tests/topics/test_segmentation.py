"""ABC classification, Pareto share and customer pyramid against hand-computed cases."""

import numpy as np
import pandas as pd
import pytest

from crmlib import CRMError, abc_classify, customer_pyramid, pareto_share, pyramid_counts


def classes(values, **kw):
    return "".join(abc_classify(values, **kw)["ABC"].astype(str))


# --- abc_classify ---------------------------------------------------------


def test_abc_columns_order_and_shares():
    v = pd.Series({"丁": 5, "乙": 30, "甲": 50, "丙": 15}, name="金额").rename_axis("客户编号")
    out = abc_classify(v)
    assert list(out.columns) == ["价值", "占比", "累计占比", "ABC"]
    assert out.index.name == "客户编号"
    assert out.index.tolist() == ["甲", "乙", "丙", "丁"]
    assert out["价值"].tolist() == [50, 30, 15, 5]
    assert np.allclose(out["占比"], [0.5, 0.3, 0.15, 0.05])
    assert np.allclose(out["累计占比"], [0.5, 0.8, 0.95, 1.0])
    # 乙 brings the running share to exactly 0.80 -> still A; 丙 exactly 0.95 -> B
    assert out["ABC"].astype(str).tolist() == ["A", "A", "B", "C"]


def test_abc_just_below_cut_pulls_next_customer_into_a():
    v = pd.Series({"甲": 50, "乙": 29, "丙": 16, "丁": 5})
    # 甲+乙 = 79% < 80%, so 丙 is needed: A = 甲乙丙 (95%), then 95% already reached -> 丁 C
    assert classes(v) == "AAAC"


def test_abc_float_boundary_counts_as_reaching_cut():
    # ten equal shares of 0.1: the running share of the 8th is 0.7999999999999999
    v = pd.Series([0.1] * 10, index=range(10))
    out = abc_classify(v)
    assert out["累计占比"].iloc[7] < 0.8  # the float noise is really there
    assert classes(v) == "AAAAAAAABB"


def test_abc_tolerance_is_tiny():
    v = pd.Series({"a": 79.999, "b": 20.001})
    assert classes(v, cuts=(0.8, 1.0)) == "AA"


def test_abc_ties_ordered_by_customer_id():
    v = pd.Series({"c": 10, "a": 10, "d": 10, "b": 10, "e": 10})
    out = abc_classify(v)
    assert out.index.tolist() == ["a", "b", "c", "d", "e"]
    # running shares before each: 0, .2, .4, .6, .8 -> e starts at 80%: B
    assert classes(v) == "AAAAB"


def test_abc_independent_of_input_order():
    rng = np.random.default_rng(1)
    v = pd.Series(rng.integers(0, 20, 60), index=[f"C{i:02d}" for i in range(60)])
    shuffled = v.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(abc_classify(v), abc_classify(shuffled))


def test_abc_all_equal_ten_customers():
    v = pd.Series(7, index=list("abcdefghij"))
    assert classes(v) == "AAAAAAAABB"


def test_abc_single_customer_is_a():
    out = abc_classify(pd.Series({"唯一": 3.5}))
    assert out["ABC"].tolist() == ["A"]
    assert out["占比"].tolist() == [1.0]


def test_abc_zero_values_are_c_even_with_cut_one():
    v = pd.Series({"a": 60, "b": 40, "c": 0, "d": 0})
    assert classes(v, cuts=(0.6, 1.0)) == "ABCC"


def test_abc_equal_cuts_give_empty_b_but_keep_category():
    out = abc_classify(pd.Series({"a": 70, "b": 20, "c": 10}), cuts=(0.9, 0.9))
    assert "".join(out["ABC"].astype(str)) == "AAC"
    assert out["ABC"].value_counts(sort=False).to_dict() == {"A": 2, "B": 0, "C": 1}


def test_abc_accepts_dict():
    assert classes({"x": 1, "y": 9}) == "AB"


@pytest.mark.parametrize(
    "cuts, words",
    [
        ((0.95, 0.80), "0 < A 类分界点 ≤ B 类分界点 ≤ 1"),
        ((0, 0.9), "0 < A 类分界点"),
        ((80, 95), "0.80"),
        ((0.8,), "两个分界点"),
        ("0.8", "两个分界点"),
        (("0.8", 0.95), "应该是一个数字"),
    ],
)
def test_abc_bad_cuts(cuts, words):
    with pytest.raises(CRMError, match=words):
        abc_classify(pd.Series({"a": 1}), cuts=cuts)


def test_abc_all_zero_total():
    with pytest.raises(CRMError, match="总价值为 0"):
        abc_classify(pd.Series({"a": 0, "b": 0}))


@pytest.mark.parametrize(
    "values, words",
    [
        (pd.Series({"a": -1, "b": 5}), "负数"),
        (pd.Series({"a": "5", "b": "6"}), "应该是数字"),
        (pd.Series({"a": 1.0, "b": np.nan}), "空值"),
        (pd.Series([1, 2], index=["a", "a"]), "出现了不止一次"),
        (pd.DataFrame({"v": [1]}), "应该是一列数据"),
        (pd.Series([], dtype=float), "是空的"),
    ],
)
def test_abc_bad_values(values, words):
    with pytest.raises(CRMError, match=words):
        abc_classify(values)


# --- pareto_share ---------------------------------------------------------


def test_pareto_hand_computed():
    v = pd.Series({"甲": 50, "乙": 30, "丙": 15, "丁": 5, "戊": 0})
    assert pareto_share(v) == 0.5  # ceil(0.2*5) = 1
    assert pareto_share(v, 0.5) == pytest.approx(0.95)  # ceil(2.5) = 3
    assert pareto_share(v, 1) == 1.0
    assert pareto_share(v, 0.01) == 0.5  # at least one customer


def test_pareto_count_is_not_fooled_by_float_noise():
    v = pd.Series(np.arange(100, 0, -1), index=range(100))  # 100..1, total 5050
    assert 0.07 * 100 > 7  # 7.000000000000001
    assert pareto_share(v, 0.07) == pytest.approx(679 / 5050)  # top 7 (100..94), not 8
    w = pd.Series(np.arange(30, 0, -1), index=range(30))  # total 465
    assert pareto_share(w, 0.1) == pytest.approx(87 / 465)  # top 3


def test_pareto_all_equal():
    assert pareto_share(pd.Series(4, index=range(10)), 0.2) == pytest.approx(0.2)


@pytest.mark.parametrize("top", [0, 1.5, 20, -0.2])
def test_pareto_bad_top(top):
    with pytest.raises(CRMError, match="0.2"):
        pareto_share(pd.Series({"a": 1}), top)


def test_pareto_zero_total():
    with pytest.raises(CRMError, match="总价值为 0"):
        pareto_share(pd.Series({"a": 0}))


# --- customer_pyramid -----------------------------------------------------


@pytest.mark.parametrize(
    "n, counts",
    [
        (100, [1, 4, 15, 80]),
        (10, [1, 0, 1, 8]),  # ceil(0.1)=1, ceil(0.5)=1, ceil(2)=2
        (20, [1, 0, 3, 16]),  # ceil(0.2)=1, ceil(1)=1, ceil(4)=4: 0.2*20 is 4.000…1 in floats
        (1, [1, 0, 0, 0]),
        (3, [1, 0, 0, 2]),  # ceil(0.03)=1, ceil(0.15)=1, ceil(0.6)=1
        (250, [3, 10, 37, 200]),  # ceil(2.5)=3, ceil(12.5)=13, ceil(50)=50
    ],
)
def test_pyramid_counts(n, counts):
    assert pyramid_counts(n) == counts


def test_pyramid_counts_float_noise():
    # cumulative 0.1, 0.30000000000000004, 0.6000000000000001, 1.0
    assert pyramid_counts(10, (0.1, 0.2, 0.3, 0.4)) == [1, 2, 3, 4]


@pytest.mark.parametrize("n, words", [(0, "不能小于 1"), (2.5, "整数"), ("10", "应该是一个数字")])
def test_pyramid_counts_bad_n(n, words):
    with pytest.raises(CRMError, match=words):
        pyramid_counts(n)


def test_pyramid_frame():
    v = pd.Series({"e": 1, "b": 7, "a": 9, "c": 7, "d": 3}).rename_axis("客户编号")
    out = customer_pyramid(v, shares=(0.2, 0.2, 0.2, 0.4))
    assert list(out.columns) == ["价值", "排名", "等级"]
    assert out.index.name == "客户编号"
    assert out.index.tolist() == ["a", "b", "c", "d", "e"]  # b before c: tie by id
    assert out["排名"].tolist() == [1, 2, 3, 4, 5]
    assert out["等级"].astype(str).tolist() == ["重要客户", "主要客户", "普通客户", "小客户", "小客户"]
    assert list(out["等级"].cat.categories) == ["重要客户", "主要客户", "普通客户", "小客户"]


def test_pyramid_default_shares_100_customers():
    v = pd.Series(np.arange(100, 0, -1), index=range(100))
    counts = customer_pyramid(v)["等级"].value_counts(sort=False).tolist()
    assert counts == [1, 4, 15, 80]


def test_pyramid_single_customer_and_zero_total():
    assert customer_pyramid(pd.Series({"a": 5}))["等级"].tolist() == ["重要客户"]
    out = customer_pyramid(pd.Series({"b": 0, "a": 0}))
    assert out.index.tolist() == ["a", "b"]


@pytest.mark.parametrize(
    "shares, words",
    [
        ((0.5, 0.5, 0.5, 0.5), "加起来应该等于 1"),
        ((0.2, 0.3, 0.5), "4 个比例"),
        ((-0.1, 0.2, 0.1, 0.8), "不能小于 0"),
    ],
)
def test_pyramid_bad_shares(shares, words):
    with pytest.raises(CRMError, match=words):
        customer_pyramid(pd.Series({"a": 1}), shares=shares)
