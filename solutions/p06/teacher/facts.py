"""Facts the p06 notebook states about its data, each with the code that checks it."""

import crmlib as crm
from crmlib.course.facts import fact


def _survey(data):
    return data("p06_survey").drop_duplicates("客户编号", keep="last")


def _later(data):
    o = data("p06_orders")
    return set(o.loc[o["下单日期"] >= "2025-07-01", "客户编号"])


@fact("有几位会员把问卷**提交了两次**（问卷编号不同、答案完全一样）")
def dup_submissions(data):
    s = data("p06_survey")
    dup = s[s["客户编号"].duplicated(keep=False)]
    return bool(len(dup) > 0 and dup.drop(columns="问卷编号").duplicated(keep=False).all())


@fact("银发客户最看重价格实惠，上班族最看重结账速度和配送到家，家庭客户最看重商品新鲜")
def top_importance(data):
    s = _survey(data)
    imp = s.groupby("客户类型")[[c for c in s.columns if c.startswith("重要性_")]].mean()
    top = {g: [c.split("_", 1)[1] for c in row.sort_values(ascending=False).index[:2]] for g, row in imp.iterrows()}
    return bool(
        top["银发客户"][0] == "价格实惠"
        and top["上班族"] == ["结账速度", "配送到家"]
        and top["家庭客户"][0] == "商品新鲜"
    )


@fact("上班族的总体满意度平均 4.32 分，四类客户里最高")
def workers_most_satisfied(data):
    m = _survey(data).groupby("客户类型")["总体满意度"].mean()
    return bool(round(m["上班族"], 2) == 4.32 and m.idxmax() == "上班族")


@fact("可是他们的指名度最低，对涨价的敏感仅次于学生，两年人均购买额只有家庭客户的约四分之一")
def workers_least_loyal_attitudes(data):
    s = _survey(data)
    o = data("p06_orders")
    g = s.groupby("客户类型")
    first = g["首选本店"].apply(lambda x: (x == "是").mean())
    price = g["涨价仍会光顾"].mean().sort_values()
    two = o[o["下单日期"].dt.year.isin([2024, 2025])].groupby("客户编号")["金额"].sum()
    spend = two.reindex(s["客户编号"]).fillna(0).groupby(s.set_index("客户编号")["客户类型"]).mean()
    return bool(
        (
            first.idxmin() == "上班族"
            and price.index[:2].tolist() == ["学生", "上班族"]
            and 0.2 <= spend["上班族"] / spend["家庭客户"] < 0.3
        )
    )


@fact("城西店的停车便利得分是三家店里最低的")
def west_parking(data):
    s = _survey(data)
    return bool(s.groupby("门店")["表现_停车便利"].mean().idxmin() == "城西店")


@fact("美誉度也最高")
def workers_praise(data):
    s = _survey(data)
    praise = s.groupby("客户类型")["推荐意愿"].apply(lambda x: (x >= 9).sum() / x.notna().sum())
    return bool(praise.idxmax() == "上班族")


@fact("2023 年 1 月这一批有 226 人")
def first_cohort(data):
    return bool(crm.cohort_retention(data("p06_orders"), counts=True).loc["2023-01", 0] == 226)


@fact("首购后第 1 个月还会回来的约占 64%，第 12 个月约占 36%")
def average_retention(data):
    a = crm.cohort_retention(data("p06_orders")).loc["2023-02":].mean()
    return bool(round(a[1], 2) == 0.64 and round(a[12], 2) == 0.36)


@fact("上班族受访者有 56% 再也没来买过")
def workers_gone(data):
    s = _survey(data)
    w = s[s["客户类型"] == "上班族"]
    return bool(round((~w["客户编号"].isin(_later(data))).mean(), 2) == 0.56)


@fact("银发客户到 2025 年下半年仍在购物的超过八成，上班族却只有四成多")
def satisfied_stay(data):
    s = _survey(data)
    sat = s[s["总体满意度"] >= 4]
    stay = sat["客户编号"].isin(_later(data)).groupby(sat["客户类型"]).mean()
    return bool(stay["银发客户"] > 0.8 and 0.4 <= stay["上班族"] < 0.5)


@fact("而银发客户的平均满意度反而是四类里最低的")
def silver_least_satisfied(data):
    return bool(_survey(data).groupby("客户类型")["总体满意度"].mean().idxmin() == "银发客户")


@fact("同一类客户内部，打 4～5 分的人和打 1～3 分的人留下来的比例相差不大（最多 10 个百分点）")
def satisfaction_small_effect(data):
    s = _survey(data)
    stay = s["客户编号"].isin(_later(data))
    hi = s["总体满意度"] >= 4
    by = stay.groupby([s["客户类型"], hi]).mean().unstack()
    return bool((((by[True] - by[False]).abs() <= 0.1 + 1e-9).all()))


@fact("有 8 份问卷每一项都填了最高分")
def straight_liners(data):
    s = _survey(data)
    return bool(int(s.filter(regex="^(重要性|表现)_").eq(5).all(axis=1).sum()) == 8)


@fact("全部受访者的加权满意度指数约为 69.3")
def overall_csi(data):
    w, p = crm.survey_means(_survey(data))
    return bool(round(crm.csi(w, p).指数, 1) == 69.3)


@fact("NPS 只有个位数：推荐者约三成四，贬损者也有两成七")
def overall_nps(data):
    v = _survey(data)["推荐意愿"].dropna()
    return bool(0 < crm.nps(v) < 10 and round((v >= 9).mean(), 2) == 0.34 and round((v <= 6).mean(), 2) == 0.27)


@fact("价格实惠是唯一落在“重点改进”象限的指标")
def price_to_fix(data):
    w, p = crm.survey_means(_survey(data))
    q = crm.ipa_quadrants(w, p)
    return bool(q.index[q["象限"] == "重点改进"].tolist() == ["价格实惠"])


@fact("表现却只比停车便利好一点")
def price_second_worst(data):
    _, p = crm.survey_means(_survey(data))
    return bool(p.sort_values().index[:2].tolist() == ["停车便利", "价格实惠"])


@fact("环境整洁做得最好，重要性却偏低，属于“过度投入”")
def tidy_overdone(data):
    w, p = crm.survey_means(_survey(data))
    q = crm.ipa_quadrants(w, p)
    return bool(p.idxmax() == "环境整洁" and q.loc["环境整洁", "象限"] == "过度投入")


@fact("员工态度、品类齐全的重要性只比分界线高不到 0.15 分")
def near_the_line(data):
    w, _ = crm.survey_means(_survey(data))
    gap = w[["员工态度", "品类齐全"]] - w.mean()
    return bool((((gap >= 0) & (gap < 0.15)).all()))


@fact("城西店的平均分最高（4.01 分），可城西店却有 16% 的受访者只打了 1～2 分，另外一半打了满分")
def west_split(data):
    s = _survey(data)
    g = s.groupby("门店")["总体满意度"]
    west = s.loc[s["门店"] == "城西店", "总体满意度"]
    return bool(
        (
            g.mean().idxmax() == "城西店"
            and round(west.mean(), 2) == 4.01
            and round((west <= 2).mean(), 2) == 0.16
            and round((west == 5).mean(), 2) == 0.5
        )
    )


@fact("家庭客户 2024 年的人均毛利约 562 元，其中 72% 在 2025 年又来买过")
def family_value(data):
    o, m = data("p06_orders"), data("p06_members")
    kind = o["客户编号"].map(m.set_index("客户编号")["客户类型"])
    fam = o[(kind == "家庭客户") & (o["下单日期"].dt.year == 2024)]
    people = fam["客户编号"].unique()
    later = set(o.loc[o["下单日期"].dt.year == 2025, "客户编号"])
    r = sum(p in later for p in people) / len(people)
    return bool(round(fam["毛利"].sum() / len(people)) == 562 and round(r, 2) == 0.72)


@fact("一位家庭客户的 10 年终生价值上千元，一位学生只有一百多元")
def clv_by_segment(data):
    o, m = data("p06_orders"), data("p06_members")
    kind = o["客户编号"].map(m.set_index("客户编号")["客户类型"])
    later = set(o.loc[o["下单日期"].dt.year == 2025, "客户编号"])

    def value(g):
        x = o[(kind == g) & (o["下单日期"].dt.year == 2024)]
        people = x["客户编号"].unique()
        r = sum(p in later for p in people) / len(people)
        return crm.clv(x["毛利"].sum() / len(people), r, 0.08, years=10)

    return bool(1000 <= value("家庭客户") < 10000 and 100 <= value("学生") < 200)


@fact("上班族 NPS 约为 +47，也是最高")
def workers_nps(data):
    s = _survey(data)
    n = s.groupby("客户类型")["推荐意愿"].apply(lambda x: crm.nps(x.dropna()))
    return bool(round(n["上班族"]) == 47 and n.idxmax() == "上班族")


@fact("银发客户 NPS 为负，却最忠诚")
def silver_nps(data):
    s = _survey(data)
    n = crm.nps(s.loc[s["客户类型"] == "银发客户", "推荐意愿"].dropna())
    stay = s["客户编号"].isin(_later(data)).groupby(s["客户类型"]).mean()
    return bool(n < 0 and stay.idxmax() == "银发客户")


@fact("我们的数据里电话回访都在工作日进行，门店扫码则每天都有")
def phone_on_workdays(data):
    from crmlib.generators import common

    s = data("p06_survey")
    phone = common.is_workday(s.loc[s["调查方式"] == "电话回访", "调查日期"]).all()
    scan = (~common.is_workday(s.loc[s["调查方式"] == "门店扫码", "调查日期"])).any()
    return bool((phone and scan))


@fact("停车便利表现最差，但重要性也最低")
def parking_lowest(data):
    w, p = crm.survey_means(_survey(data))
    return bool(p.idxmin() == "停车便利" and w.idxmin() == "停车便利")


@fact("新会员头三个月流失最多")
def early_churn(data):
    a = crm.cohort_retention(data("p06_orders")).loc["2023-02":].mean()
    return bool(1 - a[3] > a[3] - a[12])


@fact("2024 年买过东西的会员人均毛利约 367 元，其中约 65% 在 2025 年又来了")
def member_value_inputs(data):
    o = data("p06_orders")
    y24 = o[o["下单日期"].dt.year == 2024]
    people = y24["客户编号"].unique()
    later = set(o.loc[o["下单日期"].dt.year == 2025, "客户编号"])
    r = sum(p in later for p in people) / len(people)
    return bool(round(y24["毛利"].sum() / len(people)) == 367 and round(r, 2) == 0.65)


@fact("可调查后留下来的比例最低")
def workers_stay_least(data):
    s = _survey(data)
    stay = s["客户编号"].isin(_later(data)).groupby(s["客户类型"]).mean()
    return bool(stay.idxmin() == "上班族")


@fact("熬过一年的，大多成了稳定的常客")
def survivors_stay(data):
    a = crm.cohort_retention(data("p06_orders")).loc["2023-02":].mean()
    return bool(a[24] / a[12] > 0.7 and (a[12] - a[24]) < (a[1] - a[12]) / 2)


@fact("城东店是会员最多的门店")
def east_biggest(data):
    return bool(data("p06_members")["常去门店"].value_counts().idxmax() == "城东店")


@fact("这批打高分的上班族里，有一半多已经半年没有刷过会员卡了")
def satisfied_workers_gone(data):
    s = _survey(data)
    w = s[(s["客户类型"] == "上班族") & (s["总体满意度"] >= 4)]
    return bool(0.5 < (~w["客户编号"].isin(_later(data))).mean() < 0.6)


@fact("打分并不突出的退休老人，八成多到现在还在来买菜")
def silver_still_come(data):
    s = _survey(data)
    silver = s[s["客户类型"] == "银发客户"]
    return bool(0.8 < silver["客户编号"].isin(_later(data)).mean() < 0.9)


@fact("打 1～3 分的受访者近一年投诉过的占 12%，打 4～5 分的只占 4%；前者的 NPS 在 −50 以下，后者是 +36")
def unsatisfied_complain(data):
    s = _survey(data)
    hi = s["总体满意度"] >= 4
    rate = (s["近一年投诉过"] == "是").groupby(hi).mean()
    n = s.groupby(hi)["推荐意愿"].apply(lambda x: crm.nps(x.dropna()))
    return bool(
        round(rate[False], 2) == 0.12 and round(rate[True], 2) == 0.04 and n[False] < -50 and round(n[True]) == 36
    )


@fact("满意度不高的银发客户照样留了下来")
def unsatisfied_silver_stay(data):
    s = _survey(data)
    low = s[(s["客户类型"] == "银发客户") & (s["总体满意度"] <= 3)]
    return bool(low["客户编号"].isin(_later(data)).mean() > 0.8)


@fact("每一类客户里，答“首选本店”的受访者留下来的比例都比答“否”的高出 15 个百分点以上，上班族是 62% 对 29%")
def first_choice_predicts(data):
    s = _survey(data)
    stay = s["客户编号"].isin(_later(data))
    by = stay.groupby([s["客户类型"], s["首选本店"]]).mean().unstack()
    gap = by["是"] - by["否"]
    return bool(
        (gap > 0.15).all() and round(by.loc["上班族", "是"], 2) == 0.62 and round(by.loc["上班族", "否"], 2) == 0.29
    )


@fact("NPS 约 +7：推荐者约三成四，贬损者约两成七")
def written_nps(data):
    v = _survey(data)["推荐意愿"].dropna()
    return bool(round(crm.nps(v)) == 7 and round((v >= 9).mean(), 2) == 0.34 and round((v <= 6).mean(), 2) == 0.27)


@fact("重要性平均 4.2 分，表现只有 3.3 分")
def price_means(data):
    w, p = crm.survey_means(_survey(data))
    return bool(round(w["价格实惠"], 1) == 4.2 and round(p["价格实惠"], 1) == 3.3)


@fact("满意的上班族中约 55% 在 2025 年下半年已不再购物；银发客户满意度最低，却有八成以上仍在购物")
def written_workers(data):
    s = _survey(data)
    w = s[(s["客户类型"] == "上班族") & (s["总体满意度"] >= 4)]
    silver = s[s["客户类型"] == "银发客户"]
    return bool(
        round((~w["客户编号"].isin(_later(data))).mean(), 2) == 0.55
        and silver["客户编号"].isin(_later(data)).mean() > 0.8
        and s.groupby("客户类型")["总体满意度"].mean().idxmin() == "银发客户"
    )
