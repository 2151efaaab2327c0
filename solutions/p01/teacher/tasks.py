"""Hidden grading of p01's data tasks (teacher only; runs in the clean grading process)."""

import crmlib as crm
from crmlib.grading.judge import same_items, same_number, same_series, task

Q1 = ["2025-01", "2025-02", "2025-03"]
Q2 = ["2025-04", "2025-05", "2025-06"]


@task("t1_test", "热线一组解决率")
def t1(ans, data):
    kpi = data("p01_kpi")
    group = kpi[(kpi["班组"] == "热线一组") & kpi["月份"].isin(Q1)]
    expected = crm.team_kpis(group, by="坐席编号")["一次解决率"]
    return [
        same_series(
            ans["热线一组解决率"],
            expected,
            "热线一组解决率",
            hint="只看 1—3 月；以接待量为权重：一次解决数合计 ÷ 接待量合计，而不是对比率求平均。",
        )
    ]


@task("t2_test", "投诉偏高坐席")
def t2(ans, data):
    kpi = data("p01_kpi")
    q2 = kpi[kpi["月份"].isin(Q2)]
    rates = crm.team_kpis(q2, by="坐席编号")["万投比"]
    expected = rates[rates > 12].index.tolist()
    return [
        same_items(
            ans["投诉偏高坐席"],
            expected,
            "投诉偏高坐席",
            hint="只看 4—6 月；每位坐席先分别合计投诉数和接待量，再相除。",
        )
    ]


@task("t3_test", "八月岗位目标")
def t3(ans, data):
    posts = data("p01_posts")
    active = posts[posts["人均月标准量"] > 0].set_index("岗位")
    heads = active["人数"].astype(float)
    heads["在线客服专员"] += 2 * 0.5  # two new online agents, each at half the standard in their first month
    capacity = heads * active["人均月标准量"]
    expected = 26000 * capacity / capacity.sum()
    return [
        same_series(
            ans["八月岗位目标"],
            expected,
            "八月岗位目标",
            hint="先算各岗位 8 月的产能（2 名新人各按半个标准量计），再按产能占比分配 26000 次；份额不要先取整。",
        )
    ]


@task("t4_test", "一季度服务水平")
def t4(ans, data):
    queue = data("p01_queue")
    expected = crm.queue_kpis(queue[queue["月份"].isin(Q1)], by=None).loc["全部", "服务水平"]
    return [
        same_number(
            ans["一季度服务水平"],
            expected,
            "一季度服务水平",
            hint="分子是 20 秒内接通的来电，分母是全部呼入（放弃的也算）；三个月先合计再相除。",
        )
    ]
