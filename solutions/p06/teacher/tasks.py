"""Hidden grading of p06 客户满意度与忠诚度管理's data tasks (teacher only, clean grading process).

Every expected value is computed from the datasets here; nothing is pasted.
"""

import pandas as pd

import crmlib as crm
from crmlib.grading.judge import same_items, same_number, same_series, task


def _survey(data):
    return data("p06_survey").drop_duplicates("客户编号", keep="last")


def expected_t1(data):
    s = _survey(data)
    w, p = crm.survey_means(s[(s["门店"] == "城东店") & (s["客户类型"] == "银发客户")])
    return crm.csi(w, p).指数


def expected_t2(data):
    s = _survey(data)
    return crm.nps(s.loc[s["门店"] == "城西店", "推荐意愿"].dropna())


def expected_t3(data):
    s = _survey(data)
    w, p = crm.survey_means(s[s["客户类型"] == "学生"])
    q = crm.ipa_quadrants(w, p)
    return q.index[q["象限"] == "重点改进"].tolist()


def expected_t4(data):
    n = crm.cohort_retention(data("p06_orders"), counts=True).loc["2024-10":"2024-12"]
    return float(n[3].sum() / n[0].sum())


def expected_t5(data):
    orders, members = data("p06_orders"), data("p06_members")
    who = orders["客户编号"].map(members.set_index("客户编号")["客户类型"])
    home = orders["客户编号"].map(members.set_index("客户编号")["常去门店"])
    mine = (who == "银发客户") & (home == "城西店")
    base = orders[mine & (orders["下单日期"].dt.year == 2023)]
    people = pd.Series(base["客户编号"].unique())
    later = orders.loc[orders["下单日期"].dt.year == 2024, "客户编号"]
    return crm.clv(base["毛利"].sum() / len(people), people.isin(later).mean(), 0.08, years=5)


def expected_t6(data):
    s, orders, members = _survey(data), data("p06_orders"), data("p06_members")
    joined = s["客户编号"].map(members.set_index("客户编号")["入会日期"])
    promoters = s[(s["推荐意愿"] >= 9) & (joined >= "2023-01-01")]
    later = orders.loc[orders["下单日期"] >= "2025-07-01", "客户编号"]
    return (~promoters["客户编号"].isin(later)).groupby(promoters["客户类型"]).mean()


@task("t1_test", "城东银发指数")
def t1(ans, data):
    return [
        same_number(
            ans["城东银发指数"],
            expected_t1(data),
            "城东银发指数",
            hint="先去重，只留城东店的银发客户，用这组人自己的平均重要性给平均表现加权，再换算到 0～100。",
        )
    ]


@task("t2_test", "城西NPS")
def t2(ans, data):
    return [
        same_number(
            ans["城西NPS"],
            expected_t2(data),
            "城西NPS",
            hint="去重后只留城西店，9～10 分减 0～6 分的人数，除以有效评分人数，再乘以 100。",
        )
    ]


@task("t3_test", "学生重点改进")
def t3(ans, data):
    return [
        same_items(
            ans["学生重点改进"],
            expected_t3(data),
            "学生重点改进",
            hint="只用学生的问卷求各项平均，分界线也用学生自己的平均值。",
        )
    ]


@task("t4_test", "四季度批第3月")
def t4(ans, data):
    return [
        same_number(
            ans["四季度批第3月"],
            expected_t4(data),
            "四季度批第3月",
            hint="三批人数不同，不能把三个比例直接平均：把 2024-10、11、12 三批“首购后第 3 个月来过”的人数加起来，"
            "除以三批的总人数；各批从自己的首购月往后数，不要按季度分批，也别数成第 2 或第 4 个月。",
        )
    ]


@task("t5_test", "城西银发CLV")
def t5(ans, data):
    return [
        same_number(
            ans["城西银发CLV"],
            expected_t5(data),
            "城西银发CLV",
            hint="按会员档案圈出常去城西店的银发客户（不是按小票上的门店）；m = 其中 2023 年买过的人在各店的毛利 ÷ 人数；"
            "r = 这些人里 2024 年又来的比例；d = 0.08，5 年。",
        )
    ]


@task("t6_test", "新会员推荐者流失")
def t6(ans, data):
    return [
        same_series(
            ans["新会员推荐者流失"],
            expected_t6(data),
            "新会员推荐者流失",
            hint="去重后只留推荐意愿 9～10 分、入会日期在 2023-01-01 及以后的受访者（入会日期要从会员档案对上）；"
            "2025-07-01 以后没有消费记录的算流失；按客户类型求比例。",
        )
    ]
