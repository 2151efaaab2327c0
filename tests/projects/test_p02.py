"""p02 开发潜在的客户: facts hold and are in the notebook, hidden grading gives full points to the
solution and less to the named mistakes, visible checks pass the solution and catch each mistake,
and the data tells its story (counter-examples, skipped stages, duplicates, calendar)."""

import json
from pathlib import Path

import pandas as pd
import pytest

from support import load_file, cached_load

import crmlib as crm
from crmlib.course.checks import CheckFailed
from crmlib.course.facts import facts_of
from crmlib.course.visible import same_value
from crmlib.generators import common
from crmlib.grading.judge import tasks_of
from crmlib.tasks import p02 as visible

MONTHS = ["2025-04", "2025-05"]
ROOT = Path(__file__).resolve().parents[2]
TEACHER = ROOT / "solutions" / "p02" / "teacher"
MASTER = ROOT / "solutions" / "p02" / "p02_prospects.ipynb"


def _load(path):
    return load_file(path, f"p02_{path.stem}")


@pytest.fixture(scope="module")
def data():
    return cached_load


@pytest.fixture(scope="module")
def markdown():
    nb = json.loads(MASTER.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


# --- facts ------------------------------------------------------------------


def test_enough_facts():
    facts = facts_of(_load(TEACHER / "facts.py"))
    assert len(facts) >= 25
    # each fact is checked against the master and the data by tests/whole_course (test_facts_are_stated_and_true)


# --- the solution's answers, computed as the master does -----------------------


def solution_answers(data):
    leads, costs = data("p02_leads"), data("p02_channel_costs")
    dd = crm.drop_duplicate_leads(leads)
    m = dd[dd["行业"] == "机械制造"]
    t1 = crm.funnel(m, crm.STAGES, by="渠道").xs("需求确认", level="阶段")["阶段转化率"]
    two = dd[dd["登记日期"].dt.strftime("%Y-%m").isin(MONTHS)]
    t2 = crm.cost_per_won(two, costs[costs["月份"].isin(MONTHS)].groupby("渠道")["费用"].sum())["每成交客户成本"]
    pool = dd[(dd["状态"] == "跟进中") & (dd["联系次数"] <= 4)]
    weights = {"预算": 2, "决策人": 2, "需求程度": 5, "企业规模": 1}
    t3 = crm.lead_score(pool, weights, crm.LEAD_RULES)["线索编号"].head(40).tolist()
    g = crm.find_duplicates(leads)
    first = g[g["组内序号"] == 1].set_index("重复组")["负责人"]
    extra = g[g["组内序号"] > 1]
    t4 = extra[extra["负责人"] != extra["重复组"].map(first)]["线索编号"].tolist()
    return {"机械确认率": t1, "四五月每成交成本": t2, "通话名单": t3, "撞单线索": t4}


def wrong_answers(data):
    """One typical mistake per task (the ones the prompts warn about)."""
    leads = data("p02_leads")
    dd = crm.drop_duplicate_leads(leads)
    m = dd[dd["行业"] == "机械制造"]
    t1 = m.groupby("渠道").apply(lambda g: g["需求确认日期"].notna().sum() / g["首次联系日期"].notna().sum())
    t2 = t2_mistakes(data)["averaged"]
    pool = dd[(dd["状态"] == "跟进中") & (dd["联系次数"] <= 4)]
    t3 = crm.lead_score(pool, crm.LEAD_WEIGHTS, crm.LEAD_RULES)["线索编号"].head(40).tolist()
    t4 = crm.find_duplicates(leads).query("组内序号 > 1")["线索编号"].tolist()
    return {"机械确认率": t1, "四五月每成交成本": t2, "通话名单": t3, "撞单线索": t4}


def t2_mistakes(data):
    """Task 2's named mistakes, each computed the way a student would (April and May together is right)."""
    leads, costs = data("p02_leads"), data("p02_channel_costs")
    dd = crm.drop_duplicate_leads(leads)
    month = dd["登记日期"].dt.strftime("%Y-%m")

    def per_won(months, cost_months=None):
        part = dd[month.isin(months)]
        cost = costs[costs["月份"].isin(cost_months or months)].groupby("渠道")["费用"].sum()
        return crm.cost_per_won(part, cost)["每成交客户成本"]

    april, may = per_won(["2025-04"]), per_won(["2025-05"])  # 展会 has no May deal: NaN
    two = dd[month.isin(MONTHS)]
    cost = costs[costs["月份"].isin(MONTHS)].groupby("渠道")["费用"].sum()
    return {
        "averaged": pd.concat([april, may], axis=1).mean(axis=1),  # pandas skips 展会's NaN
        "april only": april,
        "may only": may,
        "whole season": per_won(["2025-03", "2025-04", "2025-05"]),
        "season cost": per_won(MONTHS, ["2025-03", "2025-04", "2025-05"]),
        "per lead": crm.cost_per_won(two, cost)["每条线索成本"],
        "by deal date": cost / dd[dd["成交日期"].dt.strftime("%Y-%m").isin(MONTHS)].groupby("渠道").size(),
    }


def _score(tasks, ans, data):
    out = {}
    for gid, t in tasks.items():
        results = t.func({n: ans[n] for n in t.names}, data)
        out[gid] = sum(r.weight for r in results if r.ok) / sum(r.weight for r in results)
    return out


def test_hidden_grading_full_for_solution_zero_for_blank_and_each_mistake(data):
    tasks = tasks_of(_load(TEACHER / "tasks.py"))
    assert set(tasks) == {"t1_test", "t2_test", "t3_test", "t4_test"}
    right = solution_answers(data)
    assert _score(tasks, right, data) == {g: 1.0 for g in tasks}
    blank = {k: {"__missing__": True} for k in right}
    assert set(_score(tasks, blank, data).values()) == {0.0}
    wrong = wrong_answers(data)
    for name in right:  # one wrong answer costs exactly that task
        ans = dict(right, **{name: wrong[name]})
        scores = _score(tasks, ans, data)
        lost = [g for g, s in scores.items() if s < 1]
        assert len(lost) == 1 and name in tasks[lost[0]].names


def test_rounded_answers_still_count(data):
    tasks = tasks_of(_load(TEACHER / "tasks.py"))
    right = solution_answers(data)
    ans = dict(right, 机械确认率=right["机械确认率"].round(4), 四五月每成交成本=right["四五月每成交成本"].round(1))
    assert _score(tasks, ans, data)["t1_test"] == 1 and _score(tasks, ans, data)["t2_test"] == 1


# --- visible checks -------------------------------------------------------------


def test_visible_checks_pass_the_solution(data):
    right = solution_answers(data)
    visible.t1(right["机械确认率"])
    visible.t2(right["四五月每成交成本"])
    visible.t3(right["通话名单"])
    visible.t4(right["撞单线索"])


@pytest.mark.parametrize(
    "task, message", [("t1", "日期列"), ("t2", "求平均"), ("t3", "默认权重"), ("t4", "没有比较负责人")]
)
def test_visible_checks_name_each_mistake(data, task, message):
    name = {"t1": "机械确认率", "t2": "四五月每成交成本", "t3": "通话名单", "t4": "撞单线索"}[task]
    with pytest.raises(CheckFailed, match=message):
        getattr(visible, task)(wrong_answers(data)[name])


def test_visible_checks_other_mistakes(data):
    leads = data("p02_leads")
    dd = crm.drop_duplicate_leads(leads)
    right = solution_answers(data)
    with pytest.raises(CheckFailed, match="不要乘以 100"):
        visible.t1(right["机械确认率"] * 100)
    weights = {"预算": 2, "决策人": 2, "需求程度": 5, "企业规模": 1}
    no_limit = crm.lead_score(dd[dd["状态"] == "跟进中"], weights, crm.LEAD_RULES)["线索编号"].head(40).tolist()
    with pytest.raises(CheckFailed, match="联系次数超过 4 次"):
        visible.t3(no_limit)
    raw = leads[(leads["状态"] == "跟进中") & (leads["联系次数"] <= 4)]
    with pytest.raises(CheckFailed, match="没有去重"):
        visible.t3(crm.lead_score(raw, weights, crm.LEAD_RULES)["线索编号"].head(40).tolist())
    with pytest.raises(CheckFailed, match="正好 40 条"):
        visible.t3(right["通话名单"][:30])
    with pytest.raises(CheckFailed, match="最早登记的那条"):
        visible.t4(right["撞单线索"] + [crm.find_duplicates(leads)["线索编号"].iloc[0]])
    with pytest.raises(CheckFailed, match="Series"):
        visible.t2(1000.0)


T2_MESSAGES = {
    "averaged": "求平均",
    "april only": "只用了 4 月",
    "may only": "只用了 5 月",
    "whole season": "整个季度的费用和成交数",
    "season cost": "分子用了整个季度",
    "per lead": "每条线索成本",
    "by deal date": "成交日期",
}


@pytest.mark.parametrize("mistake", sorted(T2_MESSAGES))
def test_t2_each_named_mistake_is_caught_and_loses_the_points(data, mistake):
    right = solution_answers(data)["四五月每成交成本"]
    wrong = t2_mistakes(data)[mistake]
    # the data makes the mistake differ from the right answer in every channel it gives a value for
    assert all(not same_value(wrong[ch], right[ch]) for ch in right.index if not pd.isna(wrong[ch]))
    with pytest.raises(CheckFailed, match=T2_MESSAGES[mistake]):
        visible.t2(wrong)
    t2 = tasks_of(_load(TEACHER / "tasks.py"))["t2_test"]
    assert not any(r.ok for r in t2.func({"四五月每成交成本": wrong}, data))


def test_t2_fair_may_cost_and_zero_deals(data):
    right = solution_answers(data)["四五月每成交成本"]
    mistakes = t2_mistakes(data)
    # 展会 has a May cost but no May lead: dropping that cost, or dividing by May's 0 deals, is caught
    april_fair = mistakes["april only"]["展会"]
    assert pd.isna(mistakes["may only"]["展会"]) and not same_value(april_fair, right["展会"])
    for fair, message in ((april_fair, "漏掉了展会 5 月的费用"), (float("inf"), "除以了 0")):
        with pytest.raises(CheckFailed, match=message):
            visible.t2(right.where(right.index != "展会", fair))
    # averaging the two months is caught however 展会's missing May ratio was filled
    with pytest.raises(CheckFailed, match="求平均"):
        visible.t2((mistakes["april only"] + mistakes["may only"].fillna(0)) / 2)


# --- the data tells its story ---------------------------------------------------


def test_data_counter_examples(data):
    dd = crm.drop_duplicate_leads(data("p02_leads"))
    won = dd["阶段"] == "成交"
    rate = won.groupby(dd["渠道"]).mean()
    by_ind = pd.crosstab(dd["行业"], dd["渠道"], values=won, aggfunc="mean")
    # referrals best on average, but not in every industry
    assert rate.idxmax() == "转介绍"
    assert (by_ind["转介绍"] < by_ind.drop(columns="转介绍").max(axis=1)).any()
    # big firms are not all A-class prospects
    open_ = dd[dd["状态"] == "跟进中"]
    s = crm.lead_score(open_, crm.LEAD_WEIGHTS, crm.LEAD_RULES)
    assert set(s.loc[s["企业规模"] == "大型", "等级"].astype(str)) >= {"A", "B"}


def test_data_quirks_and_calendar(data):
    leads = data("p02_leads")
    assert 480 <= len(leads) <= 540 and leads["线索编号"].is_unique
    # skipped stages: reached a quote without a confirmation date
    skipped = leads["阶段"].isin(["方案报价", "成交"]) & leads["需求确认日期"].isna()
    assert skipped.sum() >= 5
    assert 0.15 < leads["预算"].isna().mean() < 0.35
    assert leads["手机"].str.contains(r"[ +\-]").sum() >= 5
    # stage dates in order where present
    cols = ["登记日期", "首次联系日期", "需求确认日期", "报价日期", "成交日期"]
    for a, b in zip(cols, cols[1:]):
        both = leads[a].notna() & leads[b].notna()
        assert (leads.loc[both, b] >= leads.loc[both, a]).all()
    # phone, fair and referral leads only on China working days; online ones also on days off
    offline = leads[leads["渠道"].isin(["展会", "电话", "转介绍"])]
    assert common.is_workday(offline["登记日期"]).all()
    assert (~common.is_workday(leads["登记日期"])).sum() > 10
    assert leads["登记日期"].between("2025-03-01", "2025-05-31").all()
    costs = data("p02_channel_costs")
    assert set(costs["渠道"]) == set(leads["渠道"]) and len(costs) == 15
