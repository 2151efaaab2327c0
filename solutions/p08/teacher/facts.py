"""Every figure or named fact the p08 notebook's prose states about the data, with its check."""

import pandas as pd

import crmlib as crm
from crmlib.course.facts import fact, once

SALE_DAY = "2025-09-20"


@once
def _first(data):
    fr = crm.first_response(data("p08_messages"))
    return fr.join(crm.prepare_response_data(fr)[["小时", "日期类型"]])


@once
def _checked(data):
    return crm.check_replies(data("p08_messages"))


def _period(fr):
    return pd.cut(fr["小时"], [-1, 8, 17, 23], labels=["夜间", "白天", "晚上"])


@fact("那天 9—24 点有 5 名客服同时在线")
def sale_day_agents(data):
    m = data("p08_messages")
    day = m[(m["时间"].dt.normalize() == SALE_DAY) & (m["发言方"] == "客服")]
    return bool(day["客服"].nunique() == 5 and day["时间"].dt.hour.min() >= 9)


@fact("大约三分之一的会话先由机器人回答")
def bot_share(data):
    return bool(0.28 <= (data("p08_sessions")["机器人先接待"] == "是").mean() <= 0.38)


@fact("从订单页进来的客户最多")
def order_page(data):
    return bool(data("p08_sessions")["进线入口"].value_counts().idxmax() == "订单页")


@fact("“问候”最多")
def hello_most(data):
    m = data("p08_messages")
    return bool(m[m["发言方"] == "客户"]["意图"].value_counts().idxmax() == "问候")


@fact("真正的问题里，物流最多，其次是价格")
def top_two_messages(data):
    m = data("p08_messages")
    q = m[(m["发言方"] == "客户") & m["意图"].notna() & (m["意图"] != "问候")]
    return bool(q["意图"].value_counts().index[:2].tolist() == ["物流", "价格"])


@fact("先经过机器人的客户，最后大多还是要求转人工")
def bot_to_human(data):
    s, m = data("p08_sessions"), data("p08_messages")
    asked = set(m[(m["发言方"] == "客户") & m["内容"].str.contains("人工")]["会话编号"])
    bot = s[s["机器人先接待"] == "是"]["会话编号"]
    return bool(bot.isin(asked).mean() > 0.5)


@fact("白天的目标内占比最高")
def daytime_best(data):
    fr = _first(data)
    return bool(crm.response_summary(fr, 60, by=_period(fr))["目标内占比"].idxmax() == "白天")


@fact("夜里来的客户没有一个在 60 秒内等到人工回复")
def night_none(data):
    fr = _first(data)
    return bool(int((fr[fr["小时"] < 9]["首响秒数"] <= 60).sum()) == 0)


@fact("店庆日的目标内占比最低")
def sale_day_lowest(data):
    return bool(crm.response_summary(_first(data), 60, by="日期类型")["目标内占比"].idxmin() == "店庆日")


@fact("没有等到人工回复的会话接近四分之一")
def sale_day_unanswered(data):
    t = crm.response_summary(_first(data), 60, by="日期类型")
    share = t.loc["店庆日", "未回复"] / t.loc["店庆日", "会话数"]
    return bool(0.2 <= share < 0.25)


@fact("休息日也明显比工作日差")
def rest_days_worse(data):
    t = crm.response_summary(_first(data), 60, by="日期类型")["目标内占比"]
    return bool(t["工作日"] - t["休息日"] > 0.08)


@fact("会话数在晚上 20—22 点最多")
def evening_peak(data):
    fr = _first(data)
    return bool(20 <= fr["小时"].value_counts().idxmax() <= 22)


@fact("目标内占比却在这时掉了下来")
def evening_share_drops(data):
    fr = _first(data)
    t = crm.response_summary(fr, 60, by="小时")
    return bool(t.loc[20:22, "目标内占比"].max() < t.loc[9:17, "目标内占比"].min())


@fact("先经过机器人的会话，60 秒内等到人工的比例远低于直接转人工的会话")
def bot_sessions_slower(data):
    fr = _first(data)
    fr["机器人先接待"] = data("p08_sessions").set_index("会话编号")["机器人先接待"]
    t = crm.response_summary(fr, 60, by="机器人先接待")["目标内占比"]
    return bool(t["否"] > 2 * t["是"])


@fact("物流类问题最多，价格其次")
def top_two_sessions(data):
    m = data("p08_messages")
    q = m[(m["发言方"] == "客户") & m["意图"].notna() & (m["意图"] != "问候")]
    return bool(
        q.groupby("意图")["会话编号"].nunique().sort_values(ascending=False).index[:2].tolist() == ["物流", "价格"]
    )


@fact("“下一步”不足最多")
def next_step_most(data):
    c = _checked(data)
    return bool(c[["问候", "欢送", "称呼", "禁用语", "答题", "长度", "下一步"]].sum().idxmax() == "下一步")


@fact("每位客服都有违反规范的回复")
def every_agent(data):
    c = _checked(data)
    bad = c[["问候", "称呼", "禁用语", "答题"]].any(axis=1)
    return bool(bad.groupby(c["客服"]).sum().gt(0).all())


@fact("全月 60 秒内由人工回复的会话不到一半")
def month_share(data):
    return bool(crm.within_target(_first(data), 60) < 0.5)


@fact("晚高峰和店庆日最慢")
def slowest(data):
    fr = _first(data)
    by_period = crm.response_summary(fr, 60, by=_period(fr))["目标内占比"]
    return bool(by_period["晚上"] < by_period["白天"] and sale_day_lowest(data))


@fact("夜里来的客户基本等不到人工")
def night_unanswered(data):
    fr = _first(data)
    return bool((fr[fr["小时"] < 9]["状态"] == "未回复").mean() > 0.5)


@fact("店庆之后客户问的问题明显变了")
def after_sale_shift(data):
    m = data("p08_messages")
    q = m[(m["发言方"] == "客户") & m["意图"].notna() & (m["意图"] != "问候")]
    before = q[q["时间"] < SALE_DAY]["意图"].value_counts(normalize=True)
    after = q[(q["时间"] >= "2025-09-21") & (q["时间"] < "2025-09-28")]["意图"].value_counts(normalize=True)
    return bool(after["退换货"] > before["退换货"] * 1.5 and after["价格"] < before["价格"] * 0.7)


@fact("其中“保证不掉色”“今天一定能到”“就这个价”在我们的聊天记录里真的出现过")
def quoted_replies(data):
    m = data("p08_messages")
    agent = m[m["发言方"] == "客服"]["内容"]
    return bool(all(agent.str.contains(t, regex=False).any() for t in ("保证不掉色", "今天一定能到", "就这个价")))


@fact("| M03472 | 9 月 21 日 15:50 | 怎么还没发货？都三天了 |")
def written_1(data):
    return bool(_message(data, "M03472", "2025-09-21 15:50", "怎么还没发货？都三天了"))


@fact("| M03486 | 9 月 21 日 16:24 | 收到有线头，能退吗 |")
def written_2(data):
    return bool(_message(data, "M03486", "2025-09-21 16:24", "收到有线头，能退吗"))


@fact("| M04566 | 9 月 29 日 10:41 | 我昨天买的今天降价了，能退差价吗 |")
def written_3(data):
    return bool(_message(data, "M04566", "2025-09-29 10:41", "我昨天买的今天降价了，能退差价吗"))


def _message(data, mid, minute, text):
    m = data("p08_messages").set_index("消息编号")
    row = m.loc[mid]
    return bool(row["发言方"] == "客户" and row["内容"] == text and row["时间"].strftime("%Y-%m-%d %H:%M") == minute)


@fact("发票包装类的回复最容易答非所问，价格类的回复里禁用语最多")
def hardest_intents(data):
    c = _checked(data)
    t = c[c["意图"].notna() & (c["意图"] != "问候")].groupby("意图")[["禁用语", "答题"]].mean()
    return bool(t["答题"].idxmax() == "发票包装" and t["禁用语"].idxmax() == "价格")


@fact("他们已经买了东西，多半是来问物流和售后的")
def order_page_questions(data):
    s, m = data("p08_sessions"), data("p08_messages")
    asks = m[(m["发言方"] == "客户") & m["意图"].notna() & (m["意图"] != "问候")]
    first = asks.drop_duplicates("会话编号").set_index("会话编号")["意图"]
    from_orders = first.reindex(s[s["进线入口"] == "订单页"]["会话编号"]).dropna()
    return bool(from_orders.isin(["物流", "退换货"]).mean() > 0.5)


@fact("它们大多是“转人工”“还在吗”这样的话，也有少数提问漏标了")
def unlabelled(data):
    m = data("p08_messages")
    blank = m[(m["发言方"] == "客户") & m["意图"].isna()]["内容"]
    chatter = blank.str.contains("人工|还在吗|人呢|有人吗")
    return bool(chatter.mean() > 0.5 and (~chatter).sum() > 0)


@fact("晚上是咨询最多的时段")
def evening_busiest(data):
    fr = _first(data)
    return bool(_period(fr).value_counts().idxmax() == "晚上")


@fact("王波的禁用语和答非所问的比例都是全组最高，答非所问的比例是其他每位同事的两倍多")
def one_agent_stands_out(data):
    c = _checked(data)
    rates = c.groupby("客服")[["禁用语", "答题"]].mean()
    others = rates.drop("王波")
    return bool(
        rates["禁用语"].idxmax() == "王波"
        and rates["答题"].idxmax() == "王波"
        and rates.at["王波", "答题"] > 2 * others["答题"].max()
    )


@fact("被标出来的有“百分之百是全网最低价”这样的过度承诺，也有“价格都写在页面上了，你没看清楚”这样指责客户的话")
def price_forbidden_examples(data):
    c = _checked(data)
    flagged = c.loc[(c["意图"] == "价格") & c["禁用语"], "内容"]
    return bool(flagged.str.contains("百分之百是全网最低价").any() and flagged.str.contains("你没看清楚").any())


@fact("而“就这个价”里没有一个禁用词，禁用语规则查不出它")
def cold_reply_not_forbidden(data):
    r = crm.reply_check("就这个价。", "能便宜点吗").set_index("规则")["结果"]
    return bool(r["禁用语"] == "√")


@fact("回复检查器只能从“太短”“没有下一步”看出它敷衍")
def cold_reply_length(data):
    r = crm.reply_check("就这个价。", {"客户消息": "能便宜点吗", "意图": "价格", "首条回复": False}).set_index("规则")[
        "结果"
    ]
    return bool(r["长度"] == "×" and r["下一步"] != "√" and r["禁用语"] == "√" and r["答题"] == "√")
