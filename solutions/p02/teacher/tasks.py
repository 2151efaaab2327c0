"""Hidden grading of p02's data tasks: expected values computed from the data, never pasted."""

import crmlib as crm
from crmlib.course.facts import once
from crmlib.grading.judge import same_items, same_series, task

MONTHS_T2 = ["2025-04", "2025-05"]
WEIGHTS_T3 = {"预算": 2, "决策人": 2, "需求程度": 5, "企业规模": 1}


@once  # every task starts from the de-duplicated leads: computed once per grading run
def _dedup(data):
    return crm.drop_duplicate_leads(data("p02_leads"))


@task("t1_test", "机械确认率")
def t1(ans, data):
    m = _dedup(data)
    m = m[m["行业"] == "机械制造"]
    expected = crm.funnel(m, crm.STAGES, by="渠道").xs("需求确认", level="阶段")["阶段转化率"]
    return [
        same_series(
            ans["机械确认率"],
            expected,
            "机械确认率",
            hint="走到“需求确认”的线索包括停在更后面阶段的线索；按阶段列数，不要按日期列是否为空来数。",
        )
    ]


@task("t2_test", "四五月每成交成本")
def t2(ans, data):
    leads = _dedup(data)
    costs = data("p02_channel_costs")
    two = leads[leads["登记日期"].dt.strftime("%Y-%m").isin(MONTHS_T2)]
    cost = costs[costs["月份"].isin(MONTHS_T2)].groupby("渠道")["费用"].sum()
    expected = crm.cost_per_won(two, cost)["每成交客户成本"]
    return [
        same_series(
            ans["四五月每成交成本"],
            expected,
            "四五月每成交成本",
            hint="把 4、5 月当成一个整体：分子是两个月的费用之和（展会 5 月的费用也算），"
            "分母是 4、5 月登记、最终成交的客户数之和；不要把两个月各自的每成交成本求平均，也不要只用一个月。",
        )
    ]


@task("t3_test", "通话名单")
def t3(ans, data):
    leads = _dedup(data)
    pool = leads[(leads["状态"] == "跟进中") & (leads["联系次数"] <= 4)]
    expected = crm.lead_score(pool, WEIGHTS_T3, crm.LEAD_RULES)["线索编号"].head(40).tolist()
    return [
        same_items(
            ans["通话名单"],
            expected,
            "通话名单",
            hint="依次检查：去重、只留跟进中、联系次数不超过 4 次、题目给的权重、取前 40 条。",
        )
    ]


@task("t4_test", "撞单线索")
def t4(ans, data):
    dup = crm.find_duplicates(data("p02_leads"))
    first = dup[dup["组内序号"] == 1].set_index("重复组")["负责人"]
    extra = dup[dup["组内序号"] > 1]
    expected = extra[extra["负责人"] != extra["重复组"].map(first)]["线索编号"].tolist()
    return [
        same_items(
            ans["撞单线索"],
            expected,
            "撞单线索",
            hint="重复要按标准化后的名称或手机号来找；每组第一条不算，只列负责人与第一条不同的记录。",
        )
    ]
