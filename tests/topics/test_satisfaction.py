"""Hand-computed cases for crm.nps, crm.csi and crm.ipa_quadrants (p06)."""

import numpy as np
import pandas as pd
import pytest

from crmlib.course.errors import CRMError
from crmlib.topics.satisfaction import csi, ipa_quadrants, nps, nps_groups


# ---------------------------------------------------------------- NPS
def test_nps_boundaries_6_7_8_9():
    # 6 is a detractor, 7 and 8 passives, 9 a promoter: (1 - 1) / 4
    assert nps([6, 7, 8, 9]) == 0.0
    assert nps([9, 10]) == 100.0
    assert nps([0, 6]) == -100.0
    assert nps([7, 8]) == 0.0


def test_nps_hand_computed():
    # 3 promoters, 2 passives, 5 detractors of 10 -> (3 - 5) / 10 = -20
    assert nps([10, 9, 9, 8, 7, 6, 5, 3, 0, 6]) == -20.0
    # 2 of 3 promoters, 1 detractor: 100 / 3
    assert nps(np.array([9, 10, 2])) == pytest.approx(100 / 3)


def test_nps_single_respondent():
    assert nps([10]) == 100.0
    assert nps(pd.Series([5])) == -100.0
    assert nps([8]) == 0.0


def test_nps_missing_ignored_and_counted(capsys):
    assert nps(pd.Series([10, np.nan, 0, None, 9], dtype="float")) == pytest.approx(100 / 3)
    assert "2 个空值" in capsys.readouterr().out


def test_nps_integer_floats_accepted():
    assert nps(pd.Series([9.0, 6.0])) == 0.0


@pytest.mark.parametrize(
    "bad, words",
    [
        ([11], "0～10"),
        ([-1], "0～10"),
        ([7.5], "整数"),
        (["9"], "0～10 的整数"),
        ([np.nan, None], "没有任何有效"),
        ([], "没有任何有效"),
        ([True, False], "布尔"),
    ],
)
def test_nps_errors_in_chinese(bad, words):
    with pytest.raises(CRMError, match=words):
        nps(pd.Series(bad, dtype=bool) if bad == [True, False] else bad)


def test_nps_rejects_a_table_and_a_number():
    with pytest.raises(CRMError, match="一列数"):
        nps(pd.DataFrame({"a": [9]}))
    with pytest.raises(CRMError, match="一列数"):
        nps(9)


def test_nps_groups():
    assert nps_groups([6, 7, 9]).tolist() == ["贬损者", "中立者", "推荐者"]


# ---------------------------------------------------------------- CSI
def test_csi_hand_computed():
    # weights 5, 3, 2; performance 4, 3, 2 -> (20 + 9 + 4) / 10 = 3.3 -> (3.3 - 1) / 4 = 57.5
    r = csi([5, 3, 2], [4, 3, 2])
    assert r.加权均值 == pytest.approx(3.3)
    assert r.指数 == pytest.approx(57.5)
    assert tuple(r) == pytest.approx((3.3, 57.5))


def test_csi_boundaries_of_scale():
    assert csi([1, 2], [5, 5]).指数 == 100.0
    assert csi([1, 2], [1, 1]).指数 == 0.0
    assert csi([1], [7], scale=(0, 10)).指数 == pytest.approx(70.0)


def test_csi_equal_weights_is_plain_mean_and_zero_weight_drops():
    assert csi([1, 1, 1], [2, 3, 4]).加权均值 == 3.0
    assert csi([0, 1], [1, 4]).加权均值 == 4.0


def test_csi_aligns_series_by_index():
    w = pd.Series({"价格": 3.0, "服务": 1.0})
    p = pd.Series({"服务": 5.0, "价格": 1.0})
    assert csi(w, p).加权均值 == pytest.approx((3 * 1 + 1 * 5) / 4)


@pytest.mark.parametrize(
    "w, p, kw, words",
    [
        ([1, 1], [3], {}, "个数必须相同"),
        ([-1, 2], [3, 3], {}, "负数"),
        ([0, 0], [3, 3], {}, "全部为 0"),
        ([1, 1], [3, 6], {}, "超出了量表"),
        ([1, 1], [3, np.nan], {}, "空值"),
        ([1], [3], {"scale": (5, 1)}, "必须小于"),
        ([1], [3], {"scale": 5}, "scale"),
        ([], [], {}, "没有任何指标"),
    ],
)
def test_csi_errors(w, p, kw, words):
    with pytest.raises(CRMError, match=words):
        csi(w, p, **kw)


def test_csi_mismatched_index():
    with pytest.raises(CRMError, match="对不上"):
        csi(pd.Series({"a": 1}), pd.Series({"b": 2}))


# ---------------------------------------------------------------- IPA
def test_ipa_four_quadrants_by_mean():
    imp = pd.Series({"甲": 5.0, "乙": 5.0, "丙": 1.0, "丁": 1.0})
    perf = pd.Series({"甲": 4.0, "乙": 2.0, "丙": 2.0, "丁": 4.0})
    t = ipa_quadrants(imp, perf)  # cuts 3.0 and 3.0
    assert t["象限"].tolist() == ["继续保持", "重点改进", "低优先", "过度投入"]
    assert t.attrs["分界线"] == {"重要性": 3.0, "表现": 3.0}
    assert list(t.columns) == ["重要性", "表现", "象限"]


def test_ipa_on_the_line_counts_as_high():
    # mean importance 0.2 (computed as 0.20000000000000004), attribute at exactly 0.2
    t = ipa_quadrants([0.1, 0.2, 0.3], [3, 3, 3])
    assert t["象限"].tolist() == ["过度投入", "继续保持", "继续保持"]
    t = ipa_quadrants([4, 3], [2, 5], cut=(4, 5))
    assert t["象限"].tolist() == ["重点改进", "过度投入"]


def test_ipa_ties_all_equal_are_all_high():
    assert set(ipa_quadrants([3, 3], [4, 4])["象限"]) == {"继续保持"}


def test_ipa_single_attribute_and_median():
    assert ipa_quadrants([4], [2])["象限"].tolist() == ["继续保持"]
    t = ipa_quadrants([1, 2, 10], [1, 2, 10], cut="median")  # median 2 vs mean 4.33
    assert t["象限"].tolist() == ["低优先", "继续保持", "继续保持"]


def test_ipa_errors():
    with pytest.raises(CRMError, match="mean"):
        ipa_quadrants([1], [1], cut="平均")
    with pytest.raises(CRMError, match="两个数"):
        ipa_quadrants([1], [1], cut=(1, 2, 3))
