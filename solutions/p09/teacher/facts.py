"""Every figure or named fact the p09 notebook states about its data, with the check that it holds."""

import pandas as pd

import crmlib as crm
from crmlib.course.facts import fact, once


@once
def _scores(data):
    return crm.pss10_scores(data("p09_pss"))


@once
def _weeks(data):
    agents = data("p09_agents")[["坐席编号", "班组"]]
    return crm.team_weeks(data("p09_shifts"), data("p09_pss")).merge(agents, on="坐席编号")


def _weekly_mean(data):
    return _scores(data).groupby("周次")["总分"].mean()


@fact("143 份答完整的问卷")
def complete_forms(data):
    return bool(int(_scores(data)["总分"].notna().sum()) == 143)


@fact("4 份问卷漏答了一题")
def incomplete_forms(data):
    q = data("p09_pss")
    items = [f"题{i}" for i in range(1, 11)]
    blanks = q[items].isna().sum(axis=1)
    return bool(int((blanks > 0).sum()) == 4 and int(blanks.max()) == 1)


@fact("大多数问卷落在“中等”")
def mostly_moderate(data):
    levels = _scores(data)["压力水平"]
    return bool((levels == "中等").sum() > 0.5 * (levels != "未答完").sum())


@fact("“高”的问卷不多")
def few_high(data):
    levels = _scores(data)["压力水平"]
    return bool((levels == "高").sum() < 0.15 * (levels != "未答完").sum())


@fact("A07 的登记本两周共 17 条")
def log_entries(data):
    log = data("p09_log")
    return bool(
        len(log) == 17
        and log["日期"].min() == pd.Timestamp("2025-11-10")
        and log["日期"].max() <= pd.Timestamp("2025-11-21")
    )


@fact("强度最高的一条是被客户骂了五分钟（8 分）")
def log_strongest(data):
    log = data("p09_log")
    top = log.loc[log["强度"].idxmax()]
    return bool(top["强度"] == 8 and "骂了我五分钟" in top["事件"] and (log["强度"] == 8).sum() == 1)


@fact("客户带来的事平均强度最高")
def log_customer_strongest(data):
    return bool(data("p09_log").groupby("压力来源")["强度"].mean().idxmax() == "客户压力")


@fact("她记下的“自身压力”条数最多")
def log_self_most(data):
    counts = data("p09_log")["压力来源"].value_counts()
    return bool(counts.idxmax() == "自身压力" and counts.iloc[0] > counts.iloc[1])


@fact("记下的条数也少了")
def log_fewer_second_week(data):
    log = data("p09_log")
    first = (log["日期"] <= pd.Timestamp("2025-11-16")).sum()
    return bool((len(log) - first) < first)


@fact("相关系数约为 −0.30")
def breaks_team(data):
    tw = _weeks(data)
    return bool(round(tw["每班休息次数"].corr(tw["总分"]), 2) == -0.30)


@fact("“双十一”那一周（11 月 10 日起）全队平均分最高")
def peak_week(data):
    return _weekly_mean(data).idxmax() == pd.Timestamp("2025-11-10")


@fact("之后一周的退换货高峰也不低")
def week_after_peak(data):
    m = _weekly_mean(data)
    return bool(m[pd.Timestamp("2025-11-17")] >= m.sort_values(ascending=False).iloc[2])


@fact("国庆长假收尾、复工的那一周（10 月 6 日起）也有一个小高峰")
def national_day_week(data):
    m = _weekly_mean(data)
    w = pd.Timestamp("2025-10-06")
    return bool(m[w] > m[pd.Timestamp("2025-09-29")] and m[w] > m[pd.Timestamp("2025-10-13")])


@fact("到了 12 月，分数回落")
def december(data):
    m = _weekly_mean(data)
    return bool(m[m.index >= pd.Timestamp("2025-12-01")].max() < m[pd.Timestamp("2025-11-24")])


@fact("加班小时和难缠接待与压力分的相关系数都在 0.3 左右")
def overtime_difficult(data):
    tw = _weeks(data)
    return bool(all(0.25 <= tw[c].corr(tw["总分"]) <= 0.35 for c in ("加班小时", "难缠接待")))


@fact("相关系数只有 0.15 左右")
def contacts_team(data):
    tw = _weeks(data)
    r = tw["每小时接待量"].corr(tw["总分"])
    groups = [g["每小时接待量"].corr(g["总分"]) for _, g in tw.groupby("班组")]
    return bool(0.12 <= r <= 0.18 and all(x > r for x in groups))


@fact("在线组每小时接待量比电话组高出五成以上")
def chat_rate(data):
    m = _weeks(data).groupby("班组")["每小时接待量"].mean()
    return bool(m["在线组"] > 1.5 * m["电话组"])


@fact("两组的压力分却差不多")
def groups_same_score(data):
    m = _weeks(data).groupby("班组")["总分"].mean()
    return bool(abs(m["在线组"] - m["电话组"]) < 1)


@fact("缺勤天数和压力分几乎没有关系")
def absence(data):
    tw = _weeks(data)
    return bool(abs(tw["缺勤天数"].corr(tw["总分"])) < 0.1)


@fact("最常被写下的来源是“考核指标（接通率、满意度）”")
def top_trigger(data):
    return crm.trigger_counts(data("p09_pss")).index[0] == "考核指标（接通率、满意度）"


@fact("其次是客户反复催促和客户情绪激动")
def next_triggers(data):
    return bool(
        list(crm.trigger_counts(data("p09_pss")).index[1:3]) == ["同一问题被客户反复催促", "客户情绪激动、出言不逊"]
    )


@fact("公司压力和客户压力被提到的次数差不多，自身压力最少")
def sources(data):
    c = data("p09_pss")["来源类别"].value_counts()
    return bool(abs(c["公司压力"] - c["客户压力"]) <= 0.15 * c["公司压力"] and c["自身压力"] < 0.5 * c["客户压力"])


@fact("在 27 分及以上的问卷里，自身压力的占比是全部问卷里的两倍左右")
def self_in_high(data):
    s = _scores(data).dropna(subset=["来源类别"])
    high = (s.loc[s["总分"] >= 27, "来源类别"] == "自身压力").mean()
    return bool(1.7 <= high / (s["来源类别"] == "自身压力").mean() <= 2.4)


@fact("A04 的平均分只有 10 分左右")
def a04_low(data):
    m = _scores(data).groupby("坐席编号")["总分"].mean()
    return bool(9 <= m["A04"] <= 11 and m.idxmin() == "A04")


@fact("A04 的工作量和电话组其他一线坐席差不多")
def a04_load(data):
    agents = data("p09_agents")
    first_line = agents.loc[(agents["班组"] == "电话组") & (agents["岗位"] == "一线"), "坐席编号"]
    tw = _weeks(data)
    phone = tw[tw["坐席编号"].isin(first_line)].groupby("坐席编号")[["每小时接待量", "难缠接待"]].mean()
    return bool(all(abs(phone.loc["A04", c] / phone.drop("A04")[c].mean() - 1) < 0.15 for c in phone.columns))


@fact("A10 接到的难缠接待是全队最少的")
def a10_difficult(data):
    return _weeks(data).groupby("坐席编号")["难缠接待"].mean().idxmin() == "A10"


@fact("11 月却有两周写下的压力来源是“家里的事情”")
def a10_family(data):
    q = data("p09_pss")
    mine = q[(q["坐席编号"] == "A10") & (q["压力来源"] == "家里的事情")]
    return bool(len(mine) == 2 and (mine["周次"].dt.month == 11).all())


@fact("全队平均分一直在“中等”范围里起伏")
def weekly_all_moderate(data):
    m = _weekly_mean(data)
    return bool(((m >= 14) & (m <= 26)).all())


@fact("全队大多数周处在“中等”范围")
def most_weeks_moderate(data):
    m = _weekly_mean(data)
    return bool(((m >= 14) & (m <= 26)).mean() > 0.5)


@fact("有的坐席休息多的周明显轻松，有的几乎看不出差别")
def breaks_differ(data):
    tw = _weeks(data)
    r = tw.groupby("坐席编号")[["每班休息次数", "总分"]].apply(lambda d: d["每班休息次数"].corr(d["总分"]))
    return bool((r <= -0.5).sum() >= 3 and (r.abs() < 0.1).sum() >= 3)


@fact("入职快六年")
def a04_tenure(data):
    months = data("p09_agents").set_index("坐席编号").at["A04", "入职月数"]
    return bool(66 <= months < 72)


@fact("其中有好几条是下班以后还在想着白天的事、熬夜刷手机、喝酒才睡着")
def log_unhealthy(data):
    own = data("p09_log")
    own = own[own["压力来源"] == "自身压力"]
    text = own["事件"] + own["身体和情绪反应"] + own["我的做法"]
    return bool(all(text.str.contains(k).any() for k in ("一直想着", "刷手机", "啤酒")))


@fact("到了第二周，她开始用快走、透气、整理常见问答来应对")
def log_second_week(data):
    log = data("p09_log")
    later = log.loc[log["日期"] >= pd.Timestamp("2025-11-17"), "我的做法"]
    earlier = log.loc[log["日期"] < pd.Timestamp("2025-11-17"), "我的做法"]
    keys = ("快走", "透了", "常见问答")
    return bool(all(later.str.contains(k).any() and not earlier.str.contains(k).any() for k in keys))
