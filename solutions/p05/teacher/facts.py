"""Every figure or named fact the p05 master states about its data, with the check (teacher only)."""

import crmlib as crm
from crmlib.course.facts import fact

ASOF = "2026-01-05 09:00"


def _closed_known(data):
    c = data("p05_complaints")
    k = c[c["解决时间"].notna() & c["90天内复购"].notna()].copy()
    k["用时"] = crm.elapsed_hours(k["受理时间"], k["解决时间"])
    k["复购"] = k["90天内复购"] == "是"
    return k


@fact("全年共受理 3111 件投诉")
def total(data):
    return bool(len(data("p05_complaints")) == 3111)


@fact("11 月的投诉量全年最多，几乎是最少的 5 月的两倍")
def november(data):
    m = data("p05_complaints")["受理时间"].dt.month.value_counts()
    return bool(m.idxmax() == 11 and m.idxmin() == 5 and 1.85 <= m[11] / m[5] < 2.0)


@fact("6 月（618 大促）和 1 月（年货、春节物流）也明显偏高")
def june_january(data):
    m = data("p05_complaints")["受理时间"].dt.month.value_counts()
    others = m.drop([1, 6, 11])
    return bool(m[6] > others.max() and m[1] > others.max())


@fact("满意度打 5 分的客户，复购率约为 71%；打 1 分的只有约 13%")
def satisfaction_repurchase(data):
    c = data("p05_complaints")
    k = c[c["90天内复购"].notna() & c["处理后满意度"].notna()]
    rate = (k["90天内复购"] == "是").groupby(k["处理后满意度"]).mean()
    return bool(round(rate[5.0], 2) == 0.71 and round(rate[1.0], 2) == 0.13)


@fact("已解决的案件里，有近三成没有回访满意度")
def no_survey(data):
    c = data("p05_complaints")
    share = c[c["处理状态"] == "已解决"]["处理后满意度"].isna().mean()
    return bool(0.27 <= share < 0.30)


@fact("已回访客户的平均满意度只有 2.9 分左右")
def mean_satisfaction(data):
    c = data("p05_complaints")
    return bool(round(c[c["处理状态"] == "已解决"]["处理后满意度"].mean(), 1) == 2.9)


@fact("热线和在线客服 99% 以上的投诉在 4 小时内得到首次响应")
def live_first_response(data):
    t = crm.sla_share(data("p05_complaints"), "受理时间", "首次响应时间", 4, by="渠道")["达标率"]
    return bool(t["热线"] >= 0.99 and t["在线客服"] >= 0.99)


@fact("电子邮件和应用商店评论在 4 小时内得到首次响应的不到四分之一")
def back_office_first_response(data):
    t = crm.sla_share(data("p05_complaints"), "受理时间", "首次响应时间", 4, by="渠道")["达标率"]
    return bool(t["电子邮件"] < 0.25 and t["应用商店评论"] < 0.25)


@fact("积压最重的是春节所在的那一周（1 月 27 日这一周）受理的投诉，超过八成没能在 5 天内解决")
def spring_festival_backlog(data):
    from crmlib.widgets.sla_targets import prepare_sla, worst_weeks

    w = worst_weeks(prepare_sla(data("p05_complaints"), asof=ASOF), 120, min_cases=20)
    return bool(w.iloc[0, 0] == "2025-01-27" and w.iloc[0, 2] > 0.8)


@fact("国庆前后也一样")
def national_day_backlog(data):
    from crmlib.widgets.sla_targets import prepare_sla, worst_weeks

    w = worst_weeks(prepare_sla(data("p05_complaints"), asof=ASOF), 120, min_cases=20)
    return bool(w.iloc[1, 0] == "2025-09-29" and w.iloc[1, 2] >= 0.75)


@fact("产品质量和物流配送两类就占了六成以上")
def two_causes(data):
    t = crm.pareto_table(data("p05_complaints"), "投诉类别")
    return bool(t.index[:2].tolist() == ["产品质量", "物流配送"] and t["累计占比"].iloc[1] > 0.6)


@fact("产品质量、物流配送、退换货办理、使用说明四类合计超过八成")
def four_causes(data):
    t = crm.pareto_table(data("p05_complaints"), "投诉类别")
    return bool(crm.vital_few(t) == ["产品质量", "物流配送", "退换货办理", "使用说明"] and t["累计占比"].iloc[3] > 0.8)


@fact("其中产品质量一类就超过三分之一")
def quality_third(data):
    return bool(crm.pareto_table(data("p05_complaints"), "投诉类别").loc["产品质量", "占比"] > 1 / 3)


@fact("热线是最大的投诉渠道，约占三分之一")
def hotline_share(data):
    s = data("p05_complaints")["渠道"].value_counts(normalize=True)
    return bool(s.idxmax() == "热线" and 0.30 <= s["热线"] <= 0.36)


@fact("产品质量类投诉的重开比例最高")
def reopened(data):
    c = data("p05_complaints")
    return bool((c["重开次数"] > 0).groupby(c["投诉类别"]).mean().idxmax() == "产品质量")


@fact("导出时还有 34 件投诉在处理中，另有 36 件已解决却漏填了解决时间")
def open_and_missing(data):
    c = data("p05_complaints")
    missing = ((c["处理状态"] == "已解决") & c["解决时间"].isna()).sum()
    return bool((c["处理状态"] == "处理中").sum() == 34 and missing == 36)


@fact("解决时限则是所有渠道都只做到六成左右")
def resolution_by_channel(data):
    c = data("p05_complaints")
    kept = c[~((c["处理状态"] == "已解决") & c["解决时间"].isna())]
    t = crm.sla_share(kept, "受理时间", "解决时间", 120, by="渠道", asof=ASOF)["达标率"]
    return bool(bool(t.between(0.55, 0.67).all()))


@fact("后台渠道只有两到五成达标")
def back_office_range(data):
    t = crm.sla_share(data("p05_complaints"), "受理时间", "首次响应时间", 4, by="渠道")["达标率"]
    back = t[["电子邮件", "应用商店评论", "12315 转办"]]
    return bool(bool(back.between(0.2, 0.5).all()))


@fact("72 小时内解决的投诉，90 天内复购率约为 48%；超过 72 小时的约为 36%")
def fast_slow(data):
    k = _closed_known(data)
    fast = k["用时"] <= 72
    return bool(round(k["复购"][fast].mean(), 2) == 0.48 and round(k["复购"][~fast].mean(), 2) == 0.36)


@fact("解决用了十天以上的投诉里，仍有 103 件投诉的客户在 90 天内又买了我们的产品")
def slow_recovered(data):
    k = _closed_known(data)
    return bool(int(((k["用时"] > 240) & k["复购"]).sum()) == 103)


@fact("很多 24 小时内就解决了的客户也没有再来")
def fast_lost(data):
    k = _closed_known(data)
    return bool(int(((k["用时"] <= 24) & ~k["复购"]).sum()) > 100)


@fact("对应投诉记录 `TS250200300`")
def letter_case(data):
    c = data("p05_complaints").set_index("投诉编号").loc["TS250200300"]
    return bool(
        (
            c["客户姓名"] == "魏金凤"
            and c["渠道"] == "电子邮件"
            and c["产品"] == "加湿器"
            and str(c["受理时间"]) == "2025-02-02 20:46:00"
            and "异味" in c["投诉摘要"]
        )
    )


@fact("她的邮件在假期里等了好几天")
def letter_waited(data):
    c = data("p05_complaints").set_index("投诉编号").loc["TS250200300"]
    return bool(str(c["首次响应时间"]) == "2025-02-06 11:17:00")


@fact("双十一的订单集中发货，物流配送和价格促销类投诉的比例都比平时高")
def november_mix(data):
    c = data("p05_complaints")
    nov = c["受理时间"].dt.month == 11
    share = lambda rows, cause: (rows["投诉类别"] == cause).mean()
    return bool(all(share(c[nov], k) > share(c[~nov], k) for k in ("物流配送", "价格促销")))


@fact("12315 转办件虽然少，较重和严重的比例却最高")
def referral_severity(data):
    c = data("p05_complaints")
    heavy = c["严重程度"].isin(["较重", "严重"]).groupby(c["渠道"]).mean()
    counts = c["渠道"].value_counts()
    return bool(heavy.idxmax() == "12315 转办" and counts.idxmin() == "12315 转办")


@fact("扫地机器人的第一大投诉原因就不是产品质量，而是安装维修")
def robot_first_cause(data):
    c = data("p05_complaints")
    return bool(crm.pareto_table(c[c["产品"] == "扫地机器人"], "投诉类别").index[0] == "安装维修")


@fact("补偿不低于同等严重程度中位数的案件，回访满意度平均高出近半分，复购率也高出 5 个多百分点")
def fair_compensation(data):
    c = data("p05_complaints")
    heavy = c[c["严重程度"].isin(["较重", "严重"]) & (c["处理状态"] == "已解决")].copy()
    fair = heavy["补偿金额"] >= heavy.groupby("严重程度")["补偿金额"].transform("median")
    sat = heavy.groupby(fair)["处理后满意度"].mean()
    known = heavy[heavy["90天内复购"].notna()]
    buy = (known["90天内复购"] == "是").groupby(fair[known.index]).mean()
    return bool(0.4 <= sat[True] - sat[False] < 0.5 and 0.05 <= buy[True] - buy[False] < 0.06)


@fact("平均每天八九件")
def per_day(data):
    return bool(8 <= len(data("p05_complaints")) / 365 < 10)


@fact("10 月上旬以后受理的案件，到导出时还不满 90 天，“90天内复购”一列是空的")
def repurchase_window(data):
    c = data("p05_complaints")
    unknown = c["90天内复购"].isna()
    first_unknown = c.loc[unknown, "受理时间"].min()
    return bool(
        first_unknown.month == 10 and first_unknown.day <= 10 and (unknown == (c["受理时间"] >= first_unknown)).all()
    )
