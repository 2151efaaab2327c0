"""Hidden grading of p02's data tasks: expected values computed from the data, never pasted."""

import crmlib as crm
from crmlib.grading.judge import same_items, same_series, task

WEIGHTS_T3 = {"预算": 2, "决策人": 2, "需求程度": 5, "企业规模": 1}


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


@task("t2_test", "四月每成交成本")
def t2(ans, data):
    leads = _dedup(data)
    costs = data("p02_channel_costs")
    april = leads[leads["登记日期"].dt.strftime("%Y-%m") == "2025-04"]
    cost = costs[costs["月份"] == "2025-04"].set_index("渠道")["费用"]
    expected = crm.cost_per_won(april, cost)["每成交客户成本"]
    return [
        same_series(
            ans["四月每成交成本"],
            expected,
            "四月每成交成本",
            hint="分子用 4 月的费用，分母用 4 月登记、最终成交的客户数。",
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
