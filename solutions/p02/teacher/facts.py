"""Every figure or named fact the p02 notebook states about its data, with the code that checks it."""

import crmlib as crm
from crmlib.course.facts import fact, once


@once
def _dedup(data):
    return crm.drop_duplicate_leads(data("p02_leads"))


def _won_rate(df, by):
    return (df["阶段"] == "成交").groupby(df[by]).mean()


def _closed(data):
    d = _dedup(data)
    return d[d["状态"] != "跟进中"]


def _man(data):
    c = _closed(data)
    key = (
        c["预算"].isin(["50万以上", "20～50万", "5～20万"]).map({True: "M", False: "m"})
        + (c["决策人"] == "是").map({True: "A", False: "a"})
        + (c["需求程度"] != "仅了解").map({True: "N", False: "n"})
    )
    return (c["阶段"] == "成交").groupby(key).mean()


@fact("去重以后共 484 家公司")
def dedup_count(data):
    return len(_dedup(data)) == 484


@fact("成交的现实客户 87 家")
def won_count(data):
    return int((_dedup(data)["阶段"] == "成交").sum()) == 87


@fact("正在跟进的潜在客户和目标客户一百多家")
def open_count(data):
    d = _dedup(data)
    n = int(((d["状态"] == "跟进中") & (d["阶段"] != "成交")).sum())
    return 100 <= n < 200


@fact("被放弃的超过一半")
def dropped_half(data):
    d = _dedup(data)
    return (d["状态"] == "已放弃").mean() > 0.5


@fact("以前合作过的 30 家“流失客户”这次的成交率比新公司略高")
def former_customers(data):
    d = _dedup(data)
    r = _won_rate(d, "曾合作")
    return int((d["曾合作"] == "是").sum()) == 30 and 0 < r["是"] - r["否"] < 0.1


@fact("大型企业成交率最高、单子也最大，但线索很少")
def large_firms(data):
    d = _dedup(data)
    r = _won_rate(d, "企业规模")
    deal = d.groupby("企业规模")["成交金额"].mean()
    n = d["企业规模"].value_counts()
    return r.idxmax() == "大型" and deal.idxmax() == "大型" and n.idxmin() == "大型"


@fact("微型企业的成交率不到一成，平均每单只有四万多元")
def micro_firms(data):
    d = _dedup(data)
    deal = d.groupby("企业规模")["成交金额"].mean()["微型"]
    return _won_rate(d, "企业规模")["微型"] < 0.1 and 40000 <= deal < 50000


@fact("化工材料企业平均成交金额最高")
def chemicals(data):
    return _dedup(data).groupby("行业")["成交金额"].mean().idxmax() == "化工材料"


def _best_worst(data):
    d = _dedup(data)
    w = d[d["阶段"] == "成交"].copy()
    w["每次联系金额"] = w["成交金额"] / w["联系次数"]
    return w.sort_values("每次联系金额", ascending=False)


@fact("排在最前面的都是中大型企业，联系四到十次就签下了几十万到上百万元的项目")
def best_customers(data):
    top = _best_worst(data).head(5)
    return (
        top["企业规模"].isin(["大型", "中型"]).all()
        and top["联系次数"].between(4, 10).all()
        and top["成交金额"].min() >= 100000
        and top["成交金额"].max() >= 1000000
    )


@fact("排在最后的是小微企业，有的联系了十几次，只成交了一两万元")
def worst_customers(data):
    tail = _best_worst(data).tail(5)
    return (
        tail["企业规模"].isin(["小型", "微型"]).all() and ((tail["联系次数"] >= 10) & (tail["成交金额"] < 20000)).any()
    )


@fact("转介绍的成交率最高（三分之一），电话和电商平台最低，只有一成左右")
def channel_rates(data):
    r = _won_rate(_dedup(data), "渠道").sort_values()
    return (
        r.idxmax() == "转介绍"
        and abs(r["转介绍"] - 1 / 3) < 0.01
        and set(r.index[:2]) == {"电话", "电商平台"}
        and r.iloc[:2].between(0.08, 0.13).all()
    )


@fact("在食品加工行业，转介绍的成交率只有一成左右，比网站表单、电话和电商平台都低")
def referral_food(data):
    d = _dedup(data)
    r = _won_rate(d[d["行业"] == "食品加工"], "渠道")
    return 0.08 <= r["转介绍"] <= 0.12 and all(r["转介绍"] < r[c] for c in ("网站表单", "电话", "电商平台"))


def _costs(data):
    return crm.cost_per_won(_dedup(data), data("p02_channel_costs").groupby("渠道")["费用"].sum())


@fact("展会每签下一个客户要花八千多元，是所有渠道里最贵的")
def fair_cost(data):
    c = _costs(data)["每成交客户成本"]
    return c.idxmax() == "展会" and 8000 <= c["展会"] < 9000


@fact("展会客户的平均成交金额超过 50 万元，也是最高的")
def fair_deal(data):
    deal = _dedup(data).groupby("渠道")["成交金额"].mean()
    return deal.idxmax() == "展会" and deal["展会"] > 500000


@fact("转介绍的每成交客户成本最低")
def referral_cheapest(data):
    return _costs(data)["每成交客户成本"].idxmin() == "转介绍"


@fact("展会 5 月没有新登记的线索，但 5 月仍有一笔费用")
def fair_may(data):
    leads, costs = data("p02_leads"), data("p02_channel_costs")
    fair = leads[leads["渠道"] == "展会"]
    may_cost = costs[(costs["渠道"] == "展会") & (costs["月份"] == "2025-05")]["费用"]
    return not (fair["登记日期"].dt.month == 5).any() and len(may_cost) == 1 and may_cost.iloc[0] > 0


@fact("30 组重复里，只有一半左右能用“名称一字不差”找出来")
def exact_name_half(data):
    leads = data("p02_leads")
    groups = crm.find_duplicates(leads)["重复组"].nunique()
    return groups == 30 and 12 <= int(leads.duplicated("公司名称").sum()) <= 18


@fact("从线索到成交的转化率约为 18%")
def overall_rate(data):
    return abs(crm.funnel(_dedup(data), crm.STAGES)["累计转化率"].iloc[-1] - 0.18) < 0.005


@fact("M+A+N 的成交率超过五成")
def man_full(data):
    return _man(data)["MAN"] > 0.5


@fact("m+a+n 一家也没有成交")
def man_none(data):
    return _man(data)["man"] == 0


@fact("m+A+N：它的成交率和 M+A+N 几乎一样高")
def man_budget_unknown(data):
    r = _man(data)
    return abs(r["mAN"] - r["MAN"]) < 0.02


@fact("约四分之一的预算是空的")
def budget_missing(data):
    return abs(data("p02_leads")["预算"].isna().mean() - 0.25) < 0.02


@fact("A 类的成交率约六成，C 类只有 6% 左右")
def classes_validated(data):
    s = crm.lead_score(_closed(data), crm.LEAD_WEIGHTS, crm.LEAD_RULES)
    r = (s["阶段"] == "成交").groupby(s["等级"], observed=False).mean()
    return abs(r["A"] - 0.6) < 0.03 and abs(r["C"] - 0.06) < 0.01


@fact("流失最多的是“已联系 → 需求确认”这一步：联系上的线索只有一半左右确认了需求")
def biggest_leak(data):
    f = crm.funnel(_dedup(data), crm.STAGES)
    lost = -f["到达数"].diff()
    return (
        lost.idxmax() == "需求确认"
        and f["阶段转化率"].idxmin() == "需求确认"
        and 0.45 <= f.loc["需求确认", "阶段转化率"] <= 0.55
    )


@fact("春季 514 条线索里有 30 组是同一家公司的重复登记，去重后 484 家")
def solution_dedup(data):
    leads = data("p02_leads")
    return len(leads) == 514 and crm.find_duplicates(leads)["重复组"].nunique() == 30 and len(_dedup(data)) == 484


@fact("整体上约 18% 的线索最终成交")
def solution_rate(data):
    return overall_rate(data)


@fact("转介绍成交率最高、每成交客户成本最低")
def solution_referral(data):
    return _won_rate(_dedup(data), "渠道").idxmax() == "转介绍" and referral_cheapest(data)


@fact("展会每成交客户成本最高，带来的却是平均金额最大的项目")
def solution_fair(data):
    return fair_cost(data) and fair_deal(data)


@fact("电话销售成交率低")
def solution_phone(data):
    r = _won_rate(_dedup(data), "渠道")
    return r["电话"] <= r.sort_values().iloc[1]


@fact("跟进中的线索里有 23 条 A 类")
def solution_a_class(data):
    d = _dedup(data)
    s = crm.lead_score(d[d["状态"] == "跟进中"], crm.LEAD_WEIGHTS, crm.LEAD_RULES)
    return int((s["等级"] == "A").sum()) == 23


@fact("3 月 20 日在展会上登记，联系人高桂香，已确认是能拍板的人")
def l0100_basics(data):
    r = data("p02_leads").set_index("线索编号").loc["L0100"]
    return (
        str(r["登记日期"].date()) == "2025-03-20"
        and r["渠道"] == "展会"
        and r["联系人"] == "高桂香"
        and r["决策人"] == "是"
        and r["公司名称"] == "武汉博晖电子有限公司"
    )


@fact("此后负责人打了 4 次电话都没有联系上，线索至今还是“新线索”")
def l0100_status(data):
    r = data("p02_leads").set_index("线索编号").loc["L0100"]
    import pandas as pd

    return (
        r["联系次数"] == 4
        and r["阶段"] == "新线索"
        and pd.isna(r["预算"])
        and r["需求描述"] == "电费占成本比重高，想做节能改造"
    )


def _as_bool(func):
    """Facts return plain True/False (not numpy booleans)."""

    def check(data):
        return bool(func(data))

    check.fact_text, check.__name__, check.__doc__ = func.fact_text, func.__name__, func.__doc__
    return check


for _name, _func in list(globals().items()):
    if callable(_func) and hasattr(_func, "fact_text"):
        globals()[_name] = _as_bool(_func)


# --- added sections (知识点4 conditions, 知识点9 pull vs push) ---


def _conditions(data):
    d = _dedup(data)
    n = (
        (d["需求程度"] != "仅了解").astype(int)
        + d["预算"].isin(["50万以上", "20～50万", "5～20万"]).astype(int)
        + (d["决策人"] == "是").astype(int)
    )
    return (d["阶段"] == "成交").groupby(n).agg(["size", "mean"])


@fact("满足的条件越多，成交率越高；三条都不满足的 54 家一家也没有成交")
def conditions(data):
    t = _conditions(data)
    return bool(t["mean"].is_monotonic_increasing and t.loc[0, "size"] == 54 and t.loc[0, "mean"] == 0)


def _pull_push(data):
    d = _dedup(data)
    way = d["渠道"].map({"网站表单": "拉", "电商平台": "拉"}).fillna("推")
    costs = data("p02_channel_costs")
    cost = costs.groupby(costs["渠道"].map({"网站表单": "拉", "电商平台": "拉"}).fillna("推"))["费用"].sum()
    won = d["阶段"] == "成交"
    t = won.groupby(way).agg(["size", "sum", "mean"])
    t["金额"] = d["成交金额"].groupby(way).sum()
    t["中大型"] = d["企业规模"].isin(["大型", "中型"]).groupby(way).mean()
    t["每条"] = cost / t["size"]
    t["每成交"] = cost / t["sum"]
    return t


@fact(
    "“拉”来的线索每条成本不到 300 元，每成交客户成本也更低；"
    "“推”的成交率更高，带来的成交金额是“拉”的两倍多，客户里中大型企业也更多"
)
def pull_push(data):
    t = _pull_push(data)
    return bool(
        t.loc["拉", "每条"] < 300
        and t.loc["拉", "每成交"] < t.loc["推", "每成交"]
        and t.loc["推", "mean"] > t.loc["拉", "mean"]
        and t.loc["推", "金额"] > 2 * t.loc["拉", "金额"]
        and t.loc["推", "中大型"] > t.loc["拉", "中大型"]
    )


@fact("一直没联系上就放弃的新线索有 62 条，其中 25 条只试了一两次就放弃了")
def gave_up_early(data):
    d = _dedup(data)
    n = d[(d["阶段"] == "新线索") & (d["状态"] == "已放弃")]
    return bool(len(n) == 62 and int((n["联系次数"] <= 2).sum()) == 25)


# --- second-reader review: 已放弃 vs 非客户, phone leads, food referrals, unknown budgets ---


def _dropped(data):
    d = _dedup(data)
    return d[d["状态"] == "已放弃"]


@fact("被放弃的 278 家里，只有 133 家自己说“仅了解”")
def dropped_only_browsing(data):
    a = _dropped(data)
    return bool(len(a) == 278 and int((a["需求程度"] == "仅了解").sum()) == 133)


@fact("另外 145 家当初表示过需求")
def dropped_with_need(data):
    return bool(int((_dropped(data)["需求程度"] != "仅了解").sum()) == 145)


@fact("电话渠道的 127 条线索全部走到了“已联系”")
def phone_all_contacted(data):
    f = crm.funnel(_dedup(data), crm.STAGES, by="渠道")["到达数"]
    return bool(f.loc[("电话", "新线索")] == 127 and f.loc[("电话", "已联系")] == 127)


@fact("食品加工行业转介绍来的 11 家里只成交了 1 家，而且其中多数自己说需求“明确”")
def food_referrals(data):
    d = _dedup(data)
    r = d[(d["行业"] == "食品加工") & (d["渠道"] == "转介绍")]
    return bool(len(r) == 11 and int((r["阶段"] == "成交").sum()) == 1 and (r["需求程度"] == "明确").mean() > 0.5)


@fact("每个格子背后的线索都不多（有的只有三五家）")
def small_cells(data):
    d = _dedup(data)
    n = d.groupby(["行业", "渠道"]).size()
    return bool(n.min() <= 5 and n.median() < 25)


@fact("m+A+N 的 33 家里有 21 家")
def man_unknown_budget(data):
    c = _closed(data)
    g = c[~c["预算"].isin(["50万以上", "20～50万", "5～20万"]) & (c["决策人"] == "是") & (c["需求程度"] != "仅了解")]
    return bool(len(g) == 33 and int(g["预算"].isna().sum()) == 21)


@fact("预算未知的成交率（21%）和“5～20万”（24%）差不多，远高于“5万以下”（13%）")
def unknown_budget_rate(data):
    c = _closed(data)
    r = (c["阶段"] == "成交").groupby(c["预算"].fillna("未知")).mean()
    return bool(round(r["未知"], 2) == 0.21 and round(r["5～20万"], 2) == 0.24 and round(r["5万以下"], 2) == 0.13)
