"""Lead-scoring widget: same ranking and classes as crm.lead_score, moves with the weights, fast enough."""

import pytest

from crmlib import CRMError, LEAD_RULES, LEAD_WEIGHTS, lead_score, load_dataset
from crmlib.widgets.lead_scoring import build_lead_scoring, lead_scoring_view, prepare_scoring, ranked_ids


@pytest.fixture(scope="module")
def open_leads():
    leads = load_dataset("p02_leads")
    return leads[leads["状态"] == "跟进中"]


def test_view_ranking_equals_lead_score(open_leads):
    prep = prepare_scoring(open_leads)
    for weights in (LEAD_WEIGHTS, {"预算": 1, "决策人": 5, "需求程度": 2, "企业规模": 7}):
        want = lead_score(open_leads.set_index("线索编号"), weights, LEAD_RULES).index.tolist()
        assert ranked_ids(prep, weights) == want


def test_class_counts_in_view_match_lead_score(open_leads):
    prep = prepare_scoring(open_leads)
    weights = {"预算": 2, "决策人": 2, "需求程度": 2, "企业规模": 4}
    html = lead_scoring_view(prep, weights, cuts=(60, 35))
    counts = lead_score(open_leads, weights, LEAD_RULES, cuts=(60, 35))["等级"].value_counts()
    assert f"A 类 <b>{counts['A']}</b> 条，B 类 <b>{counts['B']}</b> 条，C 类 <b>{counts['C']}</b> 条" in html


def test_moving_size_weight_changes_the_list(open_leads):
    prep = prepare_scoring(open_leads)
    assert "换掉了 0 条" in lead_scoring_view(prep)
    html = lead_scoring_view(prep, {"预算": 3, "决策人": 3, "需求程度": 4, "企业规模": 10})
    assert "换掉了 0 条" not in html and "新进名单" in html


def test_bad_weights_and_cuts_give_chinese_errors(open_leads):
    prep = prepare_scoring(open_leads)
    with pytest.raises(CRMError, match="所有权重都是 0"):
        lead_scoring_view(prep, {"预算": 0, "决策人": 0, "需求程度": 0, "企业规模": 0})
    with pytest.raises(CRMError, match="不能低于 B 类分数线"):
        lead_scoring_view(prep, cuts=(30, 50))


def test_widget_updates_on_slider(open_leads):
    box = build_lead_scoring(open_leads)
    out = box.children[2]
    before = out.value
    box.children[1].children[0].children[3].value = 9  # 企业规模 weight
    assert out.value != before and "企业规模 9" in out.value
    box.children[1].children[1].children[1].value = 70  # B line up to the A line
    assert "B 类 ≥ 70 分" in out.value
