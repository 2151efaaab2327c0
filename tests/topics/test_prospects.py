"""Funnel, cost per won customer, lead score and duplicate leads against hand-computed cases."""

import numpy as np
import pandas as pd
import pytest

from crmlib import CRMError, classify_scores, cost_per_won, drop_duplicate_leads, find_duplicates, funnel, lead_score

S = ["新线索", "已联系", "需求确认", "方案报价", "成交"]


# --- funnel ---------------------------------------------------------------


def test_funnel_counts_a_lead_that_skipped_a_stage_at_the_skipped_stage():
    # one lead went 已联系 -> 方案报价 without a logged 需求确认: its furthest stage is 方案报价
    leads = pd.DataFrame({"阶段": ["新线索", "已联系", "方案报价", "成交", "已联系", "需求确认"]})
    f = funnel(leads, S)
    # reached: 新线索 6, 已联系 5, 需求确认 3, 方案报价 2, 成交 1
    assert f["到达数"].tolist() == [6, 5, 3, 2, 1]
    assert np.allclose(f["阶段转化率"], [1, 5 / 6, 3 / 5, 2 / 3, 1 / 2])
    assert np.allclose(f["累计转化率"], [1, 5 / 6, 3 / 6, 2 / 6, 1 / 6])
    assert f.index.name == "阶段" and f.index.tolist() == S


def test_funnel_by_group_is_sorted_and_each_group_starts_at_one():
    leads = pd.DataFrame({"渠道": ["转介绍", "展会", "展会", "转介绍"], "阶段": ["成交", "新线索", "已联系", "成交"]})
    f = funnel(leads, ["新线索", "已联系", "成交"], by="渠道")
    assert f.index.get_level_values(0).unique().tolist() == ["展会", "转介绍"]
    assert f.loc["展会", "到达数"].tolist() == [2, 1, 0]
    assert f.loc["转介绍", "到达数"].tolist() == [2, 2, 2]
    assert f.loc[("展会", "成交"), "阶段转化率"] == 0
    assert f.xs("成交", level="阶段")["累计转化率"].tolist() == [0.0, 1.0]


def test_funnel_step_after_an_empty_stage_is_nan_not_zero():
    f = funnel(pd.DataFrame({"阶段": ["甲", "甲"]}), ["甲", "乙", "丙"])
    assert f["到达数"].tolist() == [2, 0, 0]
    assert f["阶段转化率"].iloc[1] == 0 and np.isnan(f["阶段转化率"].iloc[2])


def test_funnel_single_lead():
    f = funnel(pd.DataFrame({"阶段": ["成交"]}), S)
    assert f["到达数"].tolist() == [1] * 5 and f["累计转化率"].tolist() == [1.0] * 5


def test_funnel_unknown_stage_names_the_value():
    with pytest.raises(CRMError, match="「报价」不在阶段列表里"):
        funnel(pd.DataFrame({"阶段": ["新线索", "报价"]}), S)


def test_funnel_empty_stage_and_missing_column_and_bad_stage_list():
    with pytest.raises(CRMError, match="空值"):
        funnel(pd.DataFrame({"阶段": ["新线索", None]}), S)
    with pytest.raises(CRMError, match="找不到列「阶段」"):
        funnel(pd.DataFrame({"状态": ["新线索"]}), S)
    with pytest.raises(CRMError, match="出现了不止一次"):
        funnel(pd.DataFrame({"阶段": ["新线索"]}), ["新线索", "成交", "新线索"])
    with pytest.raises(CRMError, match="至少要有两个阶段"):
        funnel(pd.DataFrame({"阶段": ["新线索"]}), ["新线索"])
    with pytest.raises(CRMError, match="空的"):
        funnel(pd.DataFrame({"阶段": []}), S)


# --- cost per won -----------------------------------------------------------


def test_cost_per_won_hand_case():
    leads = pd.DataFrame(
        {
            "渠道": ["展会"] * 4 + ["电话"] * 3,
            "阶段": ["成交", "成交", "方案报价", "新线索", "已联系", "成交", "新线索"],
        }
    )
    t = cost_per_won(leads, {"展会": 10000, "电话": 900})
    assert t.loc["展会", "每成交客户成本"] == 5000 and t.loc["展会", "每条线索成本"] == 2500
    assert t.loc["电话", "每成交客户成本"] == 900 and t.loc["电话", "每条线索成本"] == 300
    assert t["成交数"].tolist() == [2, 1]


def test_cost_per_won_errors():
    leads = pd.DataFrame({"渠道": ["展会", "电话"], "阶段": ["成交", "成交"]})
    with pytest.raises(CRMError, match="「电话」有线索，却没有给出它的费用"):
        cost_per_won(leads, {"展会": 100})
    with pytest.raises(CRMError, match="不能小于 0"):
        cost_per_won(leads, {"展会": 100, "电话": -5})


# --- lead score -------------------------------------------------------------

RULES = {"预算": {"高": 1, "中": 0.5, "其他": 0.2}, "决策人": {"是": 1, "否": 0}, "需求": {"明确": 1, "仅了解": 0}}


def test_lead_score_weighted_average_on_0_100():
    leads = pd.DataFrame(
        {"预算": ["中", None, "高"], "决策人": ["是", "否", "否"], "需求": ["明确", "明确", "仅了解"]},
        index=["L1", "L2", "L3"],
    )
    out = lead_score(leads, {"预算": 2, "决策人": 1, "需求": 1}, RULES)
    # L1: (2×0.5 + 1 + 1)/4 = 75; L2: (2×0.2 + 0 + 1)/4 = 35; L3: (2×1 + 0 + 0)/4 = 50
    assert out.index.tolist() == ["L1", "L3", "L2"]
    assert out["得分"].tolist() == [75.0, 50.0, 35.0]
    assert out["等级"].astype(str).tolist() == ["A", "B", "C"]
    assert len(leads.columns) == 3  # input not changed


def test_lead_score_weights_need_not_sum_to_one():
    leads = pd.DataFrame({"预算": ["中"], "决策人": ["是"], "需求": ["明确"]})
    a = lead_score(leads, {"预算": 2, "决策人": 1, "需求": 1}, RULES)["得分"].iloc[0]
    b = lead_score(leads, {"预算": 0.5, "决策人": 0.25, "需求": 0.25}, RULES)["得分"].iloc[0]
    assert a == b == 75.0


def test_score_exactly_on_a_cut_off_goes_up_and_ties_keep_input_order():
    leads = pd.DataFrame(
        {"预算": ["中", "高", "中"], "决策人": ["否", "否", "否"], "需求": ["仅了解"] * 3}, index=["乙", "甲", "丙"]
    )
    out = lead_score(leads, {"预算": 1}, RULES, cuts=(100, 50))
    assert out.index.tolist() == ["甲", "乙", "丙"]  # 乙 and 丙 tie at 50: input order kept
    assert out["等级"].astype(str).tolist() == ["A", "B", "B"]  # 100 ≥ 100 -> A; 50 ≥ 50 -> B
    assert classify_scores(pd.Series([69.9999999999, 40.0, 39.99]))[0] == "A"  # within 1e-9 of the cut
    assert classify_scores(pd.Series([69.99, 40.0, 39.99])).astype(str).tolist() == ["B", "B", "C"]


def test_interval_rule_reversed():
    leads = pd.DataFrame({"联系次数": [1, 4, 9]})
    out = lead_score(leads, {"联系次数": 1}, {"联系次数": ("区间", 7, 1)})
    assert out["得分"].tolist() == [100.0, 50.0, 0.0]


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"预算": 0, "决策人": 0}, "权重加起来是 0"),
        ({"预算": -1, "决策人": 2}, "不能小于 0"),
        ({}, "应该是一个字典"),
        ({"预算": "三"}, "应该是一个数字"),
    ],
)
def test_lead_score_bad_weights(weights, message):
    leads = pd.DataFrame({"预算": ["高"], "决策人": ["是"], "需求": ["明确"]})
    with pytest.raises(CRMError, match=message):
        lead_score(leads, weights, RULES)


def test_lead_score_missing_column_rule_and_value():
    leads = pd.DataFrame({"预算": ["高"], "决策人": ["也许"]})
    with pytest.raises(CRMError, match="找不到列「需求」"):
        lead_score(leads, {"需求": 1}, RULES)
    with pytest.raises(CRMError, match="「决策人」里的 「也许」 没有写在评分规则里"):
        lead_score(leads, {"决策人": 1}, RULES)
    with pytest.raises(CRMError, match="没有评分规则"):
        lead_score(leads, {"预算": 1}, {})
    with pytest.raises(CRMError, match="A 类分数线（30）不能低于 B 类分数线（60）"):
        lead_score(leads, {"预算": 1}, RULES, cuts=(30, 60))
    with pytest.raises(CRMError, match="不能大于 1"):
        lead_score(leads, {"预算": 1}, {"预算": {"高": 5}})


# --- duplicates -------------------------------------------------------------


def test_duplicates_by_name_variant_phone_format_and_chain():
    leads = pd.DataFrame(
        {
            "公司名称": [
                "苏州瑞达机械有限公司",
                "苏州瑞达机械有限责任公司",
                "海川（无锡）电子有限公司",
                "无锡海川电子有限公司",
                "明达 食品有限公司",
                "明达食品",
                "宏远物流有限公司",
            ],
            "手机": [
                "13800000001",
                "13800000009",
                "139 0000 0002",
                "+86 139-0000-0002",
                "13700000003",
                None,
                "13800000001",
            ],
        },
        index=[10, 11, 12, 13, 14, 15, 16],
    )
    d = find_duplicates(leads)
    # 10~11 by name (suffix), 10~16 by phone -> one group of three; 12~13 by phone only; 14~15 by name (space)
    assert d.index.tolist() == [10, 11, 16, 12, 13, 14, 15]
    assert d["重复组"].tolist() == [1, 1, 1, 2, 2, 3, 3]
    assert d["组内序号"].tolist() == [1, 2, 3, 1, 2, 1, 2]
    assert (d["组内序号"] > 1).sum() == 4
    assert drop_duplicate_leads(leads).index.tolist() == [10, 12, 14]


def test_no_duplicates_and_empty_phones_never_match():
    leads = pd.DataFrame({"公司名称": ["甲公司", "乙公司"], "手机": [None, ""]})
    assert find_duplicates(leads).empty
    with pytest.raises(CRMError, match="找不到列「手机」"):
        find_duplicates(leads.drop(columns="手机"))
