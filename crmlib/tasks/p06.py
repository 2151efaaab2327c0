"""Visible checks of p06 客户满意度与忠诚度管理's data tasks (``crm.check_task("p06-tK", …)``).

Each check looks at the shape of the answer and recognises the mistakes the
task warns about, by computing each *wrong* value from the data. It never
computes the right answer (that is ``solutions/p06/teacher/tasks.py``).
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from ..course.checks import fail
from ..course.datasets import derived, load_dataset
from ..course.visible import answered, id_list, not_mistaken, number
from ..topics.retention import clv, cohort_retention
from ..topics.satisfaction import csi, ipa_quadrants, nps
from ..widgets.ipa_quadrants import survey_means

SEGMENTS = ["家庭客户", "上班族", "银发客户", "学生"]


@lru_cache(maxsize=1)
def _data():
    return load_dataset("p06_survey"), load_dataset("p06_orders"), load_dataset("p06_members")


def _dedup(survey):
    return survey.drop_duplicates("客户编号", keep="last")


def _quiet_nps(scores):
    s = pd.Series(scores).dropna()
    return nps(s) if len(s) else np.nan


def t1(城东银发指数):
    """CSI (0–100) of 银发客户 of 城东店, with their own weights."""
    value = number(
        城东银发指数,
        "城东银发指数",
        minimum=0,
        maximum=100,
        hint="写成 0～100 的指数（例如 65.3），不是 1～5 分的加权平均。",
    )
    not_mistaken(value, mistakes_t1(), "城东银发指数")


def _east_silver(survey):
    return survey[(survey["门店"] == "城东店") & (survey["客户类型"] == "银发客户")]


def mistakes_t1():
    survey, _, _ = _data()
    s = _dedup(survey)
    all_w, _ = survey_means(s)
    w, p = survey_means(_east_silver(s))
    raw_w, raw_p = survey_means(_east_silver(survey))
    seg_w, seg_p = survey_means(s[s["客户类型"] == "银发客户"])
    return {
        "用了全体受访者的重要性作权重，而不是这组客户自己的": csi(all_w, p).指数,
        "没有加权，直接把各项表现求了平均": (p.mean() - 1) / 4 * 100,
        "忘了先去掉重复提交的问卷": csi(raw_w, raw_p).指数,
        "把 1～5 分直接乘以 20，而不是 (x − 1) ÷ 4 × 100": csi(w, p).加权均值 * 20,
        "用了三家店全部的银发客户，没有只看城东店": csi(seg_w, seg_p).指数,
    }


def t2(城西NPS):
    """NPS of 城西店 respondents."""
    value = number(城西NPS, "城西NPS", minimum=-100, maximum=100, hint="NPS 在 −100～100 之间，写成 12.5 这样的数。")
    not_mistaken(value, mistakes_t2(), "城西NPS")


def mistakes_t2():
    survey, _, _ = _data()
    s = _dedup(survey)
    west = s.loc[s["门店"] == "城西店", "推荐意愿"].dropna()
    raw = survey.loc[survey["门店"] == "城西店", "推荐意愿"].dropna()
    n_all = int((s["门店"] == "城西店").sum())
    return {
        "写成了 0～1 的比例（NPS 要乘以 100）": _quiet_nps(west) / 100,
        "只算了推荐者的比例，没有减去贬损者": 100 * (west >= 9).mean(),
        "把 7～8 分也算成了推荐者": 100 * ((west >= 7).sum() - (west <= 6).sum()) / len(west),
        "把空白问卷也算进了分母": 100 * ((west >= 9).sum() - (west <= 6).sum()) / n_all,
        "忘了先去掉重复提交的问卷": _quiet_nps(raw),
        "算成了全部门店的 NPS": _quiet_nps(s["推荐意愿"]),
    }


def t3(学生重点改进):
    """Attributes in 重点改进 for 学生 (cuts at the students' own means)."""
    survey, _, _ = _data()
    s = _dedup(survey)
    all_w, all_p = survey_means(s)
    items = id_list(
        学生重点改进,
        "学生重点改进",
        set(all_w.index),
        what="指标名称",
        hint='列表里写指标名称，例如 "价格实惠"，不要带“重要性_”“表现_”前缀。',
    )
    if not items:
        fail("「学生重点改进」是空列表。", "学生这一组至少有一项指标落在“重点改进”象限，请检查筛选条件。")
    not_mistaken(items, mistakes_t3(), "学生重点改进")


def mistakes_t3():
    survey, _, _ = _data()
    s = _dedup(survey)
    all_w, all_p = survey_means(s)
    w, p = survey_means(s[s["客户类型"] == "学生"])
    overall = ipa_quadrants(all_w, all_p)
    q = ipa_quadrants(w, p)
    return {
        "用了全体受访者的四象限，没有只看学生": overall.index[overall["象限"] == "重点改进"],
        "取成了“过度投入”象限（重要性低、表现高），方向反了": q.index[q["象限"] == "过度投入"],
    }


def t4(四季度批第3月):
    """Month-3 retention of the 2024-10, 2024-11 and 2024-12 cohorts taken together."""
    value = number(
        四季度批第3月, "四季度批第3月", minimum=0, maximum=1, hint="写成 0～1 的小数，不要乘以 100，也不要写人数。"
    )
    not_mistaken(value, mistakes_t4(), "四季度批第3月")


def mistakes_t4():
    _, orders, _ = _data()
    months = ["2024-10", "2024-11", "2024-12"]
    rates = cohort_retention(orders).loc[months]
    n = cohort_retention(orders, counts=True).loc[months]
    quarters = cohort_retention(orders, freq="Q").loc["2024Q4"]
    o = orders.assign(月=orders["下单日期"].dt.to_period("M"))
    first = o.groupby("客户编号")["月"].min()
    mine = o[o["客户编号"].map(first).astype(str).isin(months)]
    gap = (mine["月"] - mine["客户编号"].map(first)).map(lambda d: d.n)
    within = mine.loc[gap.between(1, 3), "客户编号"].nunique()
    return {
        "把三批的比例直接平均了（三批人数不同，要先把人数加总再相除）": rates[3].mean(),
        "改成了按季度分批，取了第 3 个季度": quarters[3],
        "改成了按季度分批，取了下一个季度": quarters[1],
        "只算了 2024 年 12 月那一批": rates.loc["2024-12", 3],
        "只算了 2024 年 10 月那一批": rates.loc["2024-10", 3],
        "取成了第 2 个月（第 0 列是首购月本身）": n[2].sum() / n[0].sum(),
        "取成了第 4 个月": n[4].sum() / n[0].sum(),
        "算成了“第 1～3 个月里来过”的比例，而不是只看第 3 个月": within / n[0].sum(),
        "用了所有批次第 3 个月的平均留存（解决方案第 5 步那张表）": cohort_retention(orders).loc["2023-02":, 3].mean(),
    }


def t5(城西银发CLV):
    """5-year CLV of a 银发客户 whose 常去门店 is 城西店, base year 2023 (margin of 2023, share back in 2024)."""
    value = number(城西银发CLV, "城西银发CLV", minimum=0, hint="写成以元为单位的一个数。")
    not_mistaken(value, mistakes_t5(), "城西银发CLV")


def _base_year(orders, keep, year):
    """(margin per customer, share back next year, people) of the rows `keep` of ``year``'s orders."""
    x = orders[keep & (orders["下单日期"].dt.year == year)]
    people = x["客户编号"].unique()
    later = set(orders.loc[orders["下单日期"].dt.year == year + 1, "客户编号"])
    return x["毛利"].sum() / len(people), float(np.mean([p in later for p in people])), x, people


def _t5_mistakes(orders, members):
    who = members.set_index("客户编号")
    kind = orders["客户编号"].map(who["客户类型"])
    home = orders["客户编号"].map(who["常去门店"])
    mine = (kind == "银发客户") & (home == "城西店")
    m, r, x, people = _base_year(orders, mine, 2023)
    _, r_all, _, _ = _base_year(orders, pd.Series(True, index=orders.index), 2023)
    m_silver, r_silver, _, _ = _base_year(orders, kind == "银发客户", 2023)
    m_till, r_till, _, _ = _base_year(orders, (kind == "银发客户") & (orders["门店"] == "城西店"), 2023)
    m24, r24, _, _ = _base_year(orders, mine, 2024)
    return {
        "用了无限期的公式，没有只算 5 年": clv(m, r, 0.08),
        "用了消费金额，而不是毛利": clv(x["金额"].sum() / len(people), r, 0.08, years=5),
        "用了全体会员的留存率，不是这组客户的": clv(m, r_all, 0.08, years=5),
        "把每一次购物当成一位客户（除以了记录条数）": clv(x["毛利"].mean(), r, 0.08, years=5),
        "把折现率写成了 8 而不是 0.08": clv(m, r, 8, years=5),
        "用了三家店全部的银发客户，没有只看常去城西店的": clv(m_silver, r_silver, 0.08, years=5),
        "按小票上的门店圈了客户（那是每次购物的门店，不是会员的常去门店）": clv(m_till, r_till, 0.08, years=5),
        "基年用成了 2024 年（知识点13 那张表的口径），不是 2023 年": clv(m24, r24, 0.08, years=5),
    }


def mistakes_t5():
    return derived(_t5_mistakes, "p06_orders", "p06_members")


def t6(新会员推荐者流失):
    """Share lost after 2025-07-01 among promoters (推荐意愿 9–10) who joined in 2023 or later, by segment."""
    name = "新会员推荐者流失"
    value = 新会员推荐者流失
    answered(value, name)
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if isinstance(value, dict):  # as the hidden grading reads it
        value = pd.Series(value)
    if not isinstance(value, pd.Series):
        fail(
            f"「{name}」应该是一列数据（Series），索引是客户类型，现在是 {type(value).__name__}。",
            "按客户类型分组求比例，得到的就是以客户类型为索引的一列数。",
        )
    if set(map(str, value.index)) != set(SEGMENTS):
        fail(
            f"「{name}」的索引应该正好是四种客户类型：" + "、".join(SEGMENTS) + "。",
            "检查是不是按别的列（例如入会年份）分了组，或者把客户类型放在了值里。",
        )
    for k, v in value.items():
        number(v, f"{name}[{k}]", minimum=0, maximum=1, hint="每个值是 0～1 的比例。")
    got = value.rename(index=str)
    for desc, w in mistakes_t6().items():
        if all(abs(float(got[k]) - float(w[k])) < 5e-4 for k in SEGMENTS):
            fail(f"「{name}」看起来用了一个常见的错误做法：{desc}。请回到题目要求，换一种算法再试。")


def _t6_mistakes(survey, orders, members):
    joined = survey["客户编号"].map(members.set_index("客户编号")["入会日期"])
    new = survey[joined >= "2023-01-01"]
    s = _dedup(new)
    later = set(orders.loc[orders["下单日期"] >= "2025-07-01", "客户编号"])

    def lost(df):
        return (~df["客户编号"].isin(later)).groupby(df["客户类型"]).mean()

    promoters = s[s["推荐意愿"] >= 9]
    everyone = _dedup(survey)
    year = s["客户编号"].map(members.set_index("客户编号")["入会日期"]).dt.year
    return {
        "算成了仍在购物的比例，而不是流失的比例": 1 - lost(promoters),
        "用了全部推荐者，没有只看 2023 年及以后入会的新会员": lost(everyone[everyone["推荐意愿"] >= 9]),
        "只看了 2024 年入会的会员（2023 年入会的也是新会员）": lost(promoters[year.loc[promoters.index] >= 2024]),
        "用了总体满意度 ≥ 4 的新会员（知识点7 的口径），不是推荐者": lost(s[s["总体满意度"] >= 4]),
        "把 7～8 分的中立者也算成了推荐者": lost(s[s["推荐意愿"] >= 7]),
        "只算了打 10 分的人（推荐者是 9～10 分）": lost(s[s["推荐意愿"] >= 10]),
        "用了全部新会员受访者，没有只看推荐者": lost(s),
        "忘了先去掉重复提交的问卷": lost(new[new["推荐意愿"] >= 9]),
    }


def mistakes_t6():
    return derived(_t6_mistakes, "p06_survey", "p06_orders", "p06_members")
