"""Every figure or named fact the p07 notebook states about its data, with the code that checks it.

Each text appears word for word in a markdown cell of solutions/p07/p07_key_accounts.ipynb.
"""

import functools

import numpy as np
import pandas as pd

import crmlib as crm
from crmlib.course.facts import fact as _fact


def fact(text):
    """crmlib's @fact, with the check's result made a plain bool (numpy gives np.True_)."""

    def wrap(func):
        @functools.wraps(func)
        def check(data):
            return bool(func(data))

        return _fact(text)(check)

    return wrap


ROLES = {"使用者", "影响者", "采购者", "决策者", "批准者", "把关者"}


def _orders(data):
    return data("p07_orders")


def _totals(data):
    return _orders(data).groupby("客户编号")["金额"].sum().sort_values(ascending=False)


def _acc(data):
    return data("p07_accounts").set_index("客户编号")


def _abc(data):
    return crm.abc_classify(_totals(data))


def _share(data, ids):
    t = _totals(data)
    return t[list(ids)].sum() / t.sum()


def _k(data, cid="K0011"):
    o = _orders(data)
    return o[o["客户编号"] == cid]


def _year(df, y):
    return df[df["下单日期"].dt.year == y]


def _roles_per_account(data):
    c, a = data("p07_contacts"), data("p07_accounts")
    n = c.groupby("客户编号")["采购角色"].nunique().reindex(a["客户编号"]).to_numpy()
    return pd.Series(n, index=a["客户编号"])


# ---------------------------------------------------------------- 任务提出 and the calendar


@fact("有 200 家企业客户，由 5 位客户经理分片负责")
def accounts_and_managers(data):
    a = data("p07_accounts")
    return len(a) == 200 and a["客户经理"].nunique() == 5


@fact("| 3610 行 |")
def order_rows(data):
    return len(_orders(data)) == 3610


@fact("| 765 行 |")
def contact_rows(data):
    return len(data("p07_contacts")) == 765


@fact("周一到周五每天七百笔上下")
def weekdays(data):
    n = _orders(data)["下单日期"].dt.day_of_week.value_counts()
    return all(600 <= n[d] <= 800 for d in range(5))


@fact("周六、周日加起来只有一百多笔")
def weekend(data):
    n = _orders(data)["下单日期"].dt.day_of_week.isin([5, 6]).sum()
    return 100 <= n < 200


@fact("其中一大半落在调休上班日，其余是普通周六的零星订单；普通的周日一笔也没有")
def weekend_kinds(data):
    from crmlib.generators import common

    d = _orders(data)["下单日期"]
    wk = d[d.dt.day_of_week >= 5]
    work = common.is_workday(wk)
    off = wk[~work]
    return work.mean() > 0.5 and len(off) > 0 and (off.dt.day_of_week == 5).all()


@fact("两年里金额最低的两个月是 2023 年 1 月和 2024 年 2 月")
def lowest_months(data):
    o = _orders(data)
    m = o.groupby(o["下单日期"].dt.to_period("M"))["金额"].sum().nsmallest(2)
    return {str(p) for p in m.index} == {"2023-01", "2024-02"}


# ---------------------------------------------------------------- 知识点1


@fact("排第一的天津泰盈汽车配件有限公司一家占总额的 8.3%")
def top_one(data):
    t = _totals(data)
    return (
        _acc(data).at[t.index[0], "客户名称"] == "天津泰盈汽车配件有限公司" and round(t.iloc[0] / t.sum(), 3) == 0.083
    )


@fact("和第二名廊坊峰益食品科技有限公司（一家食品厂）加起来约占 15%")
def top_two(data):
    t, a = _totals(data), _acc(data)
    second = t.index[1]
    return (
        a.at[second, "客户名称"] == "廊坊峰益食品科技有限公司"
        and a.at[second, "行业"] == "食品加工"
        and 0.145 <= t.iloc[:2].sum() / t.sum() < 0.155
    )


@fact("前十名合计约占四成")
def top_ten(data):
    t = _totals(data)
    return 0.38 <= t.head(10).sum() / t.sum() <= 0.42


@fact("前十名里有两家是中型企业")
def top_ten_sizes(data):
    return (_acc(data).loc[_totals(data).index[:10], "企业规模"] == "中型").sum() == 2


@fact("有的大型企业两年只向我们买了几千元")
def big_buys_little(data):
    a, t = _acc(data), _totals(data)
    big = t[t.index.isin(a.index[a["企业规模"] == "大型"])]
    return (big < 10_000).any()


# ---------------------------------------------------------------- 知识点2, 3


@fact(
    "K0011 廊坊恒程汽车部件有限公司是一家中型企业，2010 年就开始和我们合作，月结 60 天，两年采购额排在全部客户的第 4 位"
)
def k0011_card(data):
    row = _acc(data).loc["K0011"]
    return (
        row["客户名称"] == "廊坊恒程汽车部件有限公司"
        and row["企业规模"] == "中型"
        and row["合作起始日期"].year == 2010
        and row["结算方式"] == "月结60天"
        and list(_totals(data).index).index("K0011") == 3
    )


@fact("我们认识它的 5 位联系人，覆盖了六类采购角色中的五类，只缺把关者")
def k0011_roles(data):
    c = data("p07_contacts")
    k = c[c["客户编号"] == "K0011"]
    return k["联系人"].nunique() == 5 and ROLES - set(k["采购角色"]) == {"把关者"}


@fact("大型、中型、小型、微型企业平均都登记了 4 类上下的角色")
def roles_by_size(data):
    n = _roles_per_account(data)
    means = n.groupby(_acc(data).loc[n.index, "企业规模"].to_numpy()).mean()
    return len(means) == 4 and means.between(3.5, 4.5).all() and means.max() - means.min() < 0.5


@fact("合作 8 年以上的客户平均登记了 4.2 类，3 年以内的只有 3.4 类")
def roles_by_tenure(data):
    n = _roles_per_account(data)
    years = (pd.Timestamp("2024-12-31") - _acc(data).loc[n.index, "合作起始日期"]).dt.days / 365.25
    return round(n[(years > 8).to_numpy()].mean(), 1) == 4.2 and round(n[(years <= 3).to_numpy()].mean(), 1) == 3.4


@fact("联系人表的行数比人数多")
def rows_vs_people(data):
    c = data("p07_contacts")
    return len(c) > len(c.drop_duplicates(["客户编号", "联系人"]))


# ---------------------------------------------------------------- 知识点4, 5, 6


@fact("前两名客户加起来约占 15%")
def top_two_risk(data):
    t = _totals(data)
    return 0.145 <= t.iloc[:2].sum() / t.sum() < 0.155


@fact("如果其中一家离开，全年销售会少掉几十万元")
def one_leaves(data):
    per_year = _totals(data).iloc[:2] / 2
    return ((per_year >= 200_000) & (per_year < 1_000_000)).all()


@fact("A 类 49 家客户（占有订单客户的四分之一）贡献了约八成的金额")
def a_class(data):
    c = _abc(data)
    a = c[c["ABC"] == "A"]
    return len(a) == 49 and round(len(a) / len(c), 2) == 0.25 and 0.79 <= a["价值"].sum() / c["价值"].sum() <= 0.82


@fact("前 20% 的客户贡献了 75.3%")
def top_20(data):
    return round(crm.pareto_share(_totals(data), top=0.2), 3) == 0.753


@fact("C 类 97 家客户加起来还不到 5%")
def c_class(data):
    c = _abc(data)
    cc = c[c["ABC"] == "C"]
    return len(cc) == 97 and cc["价值"].sum() / c["价值"].sum() < 0.05


@fact("A 类 49 家里，中型和小型企业有 31 家")
def a_sizes(data):
    c = _abc(data)
    a = c.index[c["ABC"] == "A"]
    return _acc(data).loc[a, "企业规模"].isin(["中型", "小型"]).sum() == 31


@fact("有 4 家大型企业落在 C 类，两年只向我们买了几千到一万元")
def big_in_c(data):
    c, acc = _abc(data), _acc(data)
    big_c = c[(c["ABC"] == "C") & (acc.loc[c.index, "企业规模"] == "大型").to_numpy()]
    return len(big_c) == 4 and big_c["价值"].between(1000, 11000).all()


@fact("关键客户（重要 2 家 + 主要 8 家，共 10 家）贡献了约 41% 的金额")
def key_accounts(data):
    p = crm.customer_pyramid(_totals(data))
    n = p["等级"].value_counts()
    key = p[p["等级"].isin(["重要客户", "主要客户"])]
    return n["重要客户"] == 2 and n["主要客户"] == 8 and round(key["价值"].sum() / p["价值"].sum(), 2) == 0.41


@fact("小客户有 156 家，加起来约占四分之一")
def small_customers(data):
    p = crm.customer_pyramid(_totals(data))
    s = p[p["等级"] == "小客户"]
    return len(s) == 156 and 0.23 <= s["价值"].sum() / p["价值"].sum() <= 0.27


# ---------------------------------------------------------------- 知识点7


@fact("这 6 家客户都是 27 天前最后一次下单，R 完全一样，可 K0006 的 R评分是 2，另外 5 家是 3")
def rfm_tie(data):
    r = crm.rfm_table(_orders(data))
    tie = r[r["R"] == 27]
    return (
        len(tie) == 6
        and tie.at["K0006", "R评分"] == 2
        and (tie.drop("K0006")["R评分"] == 3).all()
        and tie.index[0] == "K0006"
    )


@fact("K0102 沧州信捷新材料有限公司六成的金额是清洁用品，K0140 七成是办公用品，K0126 九成以上是五金工具和电工电料")
def product_mix(data):
    o = _orders(data)
    mix = pd.crosstab(o["客户编号"], o["产品线"], values=o["金额"], aggfunc="sum", normalize="index").fillna(0)
    return (
        _acc(data).at["K0102", "客户名称"] == "沧州信捷新材料有限公司"
        and round(mix.at["K0102", "清洁用品"], 1) == 0.6
        and round(mix.at["K0140", "办公用品"], 1) == 0.7
        and mix.at["K0126", "五金工具"] + mix.at["K0126", "电工电料"] > 0.9
    )


@fact("K0011 五条线都买，唯独没有买过清洁用品")
def k0011_lines(data):
    lines = set(_k(data)["产品线"])
    return len(lines) == 5 and "清洁用品" not in lines


# ---------------------------------------------------------------- 知识点8 SWOT


@fact("K0011 2024 年的采购额比 2023 年少了约四成")
def k0011_year(data):
    k = _k(data)
    return 0.35 <= 1 - _year(k, 2024)["金额"].sum() / _year(k, 2023)["金额"].sum() <= 0.45


@fact("金额最大的五金工具从约 19.9 万元掉到约 9.6 万元，少了一半以上，办公用品少了两成多，只有电工电料略有增加")
def k0011_by_line(data):
    k = _k(data)
    by = k.pivot_table(index="产品线", columns=k["下单日期"].dt.year, values="金额", aggfunc="sum", fill_value=0)
    change = by[2024] / by[2023] - 1
    return (
        by.sum(axis=1).idxmax() == "五金工具"
        and round(by.at["五金工具", 2023] / 1e4, 1) == 19.9
        and round(by.at["五金工具", 2024] / 1e4, 1) == 9.6
        and change["五金工具"] < -0.5
        and -0.3 < change["办公用品"] <= -0.2
        and list(change.index[change > 0]) == ["电工电料"]
        and change["电工电料"] < 0.25
    )


@fact("下单次数从 34 次减到 23 次")
def k0011_orders(data):
    k = _k(data)
    return len(_year(k, 2023)) == 34 and len(_year(k, 2024)) == 23


@fact("合作 14 年，月结 60 天；五条产品线都有供应；运营总监（决策者）和设备维修班长（使用者）与我们关系密切")
def k0011_strengths(data):
    years = (pd.Timestamp("2024-12-31") - _acc(data).at["K0011", "合作起始日期"]).days / 365.25
    c = data("p07_contacts")
    close = c[(c["客户编号"] == "K0011") & (c["关系程度"] == "密切")]
    return int(years) == 14 and set(zip(close["职务"], close["采购角色"])) == {
        ("运营总监", "决策者"),
        ("设备维修班长", "使用者"),
    }


@fact("采购部经理、技术部工程师和财务总监关系只是一般；没有认识把关者")
def k0011_weak(data):
    c = data("p07_contacts")
    k = c[c["客户编号"] == "K0011"].set_index("职务")
    return (k.loc[["采购部经理", "技术部工程师", "财务总监"], "关系程度"] == "一般").all() and "把关者" not in set(
        k["采购角色"]
    )


@fact("近半年采购额比前半年下降 80%")
def k0011_drop(data):
    return round(crm.warning_signs(_orders(data)).at["K0011", "变化率"], 2) == -0.80


# ---------------------------------------------------------------- 知识点9


def _forecast(data):
    k = _k(data)
    q = k.groupby(k["下单日期"].dt.to_period("Q"))["金额"].sum()
    slope, icpt = np.polyfit(np.arange(len(q)), q.to_numpy(), 1)
    return q, np.clip(icpt + slope * np.arange(len(q), len(q) + 4), 0, None).sum()


@fact("2025 年只有 8 万元左右")
def k0011_trend(data):
    return 7.5e4 <= _forecast(data)[1] < 8.5e4


@fact("| 维持现状 | 约 9 万元 | 2024 年下半年的水平 × 2 |")
def k0011_flat(data):
    q, _ = _forecast(data)
    return round(q.iloc[-2:].sum() * 2 / 1e4) == 9


@fact("| 恢复合作 | 约 29 万元 | 回到 2024 年全年的水平")
def k0011_recover(data):
    return round(_year(_k(data), 2024)["金额"].sum() / 1e4) == 29


@fact("A 类客户每单金额大，配送费用只占金额的 1.8%；C 类客户每单只有一千元出头，配送费用率是 9.2%")
def cost_by_class(data):
    o = _orders(data).join(_abc(data)["ABC"], on="客户编号")
    g = o.groupby("ABC", observed=True).agg(n=("金额", "size"), amt=("金额", "sum"), cost=("配送费用", "sum"))
    rate = g["cost"] / g["amt"]
    per = g["amt"] / g["n"]
    return round(rate["A"], 3) == 0.018 and round(rate["C"], 3) == 0.092 and 1000 <= per["C"] < 1300


@fact("2024 年它的配送费用率约 1.2%")
def k0011_cost(data):
    k = _year(_k(data), 2024)
    return round(k["配送费用"].sum() / k["金额"].sum(), 3) == 0.012


@fact("配送费用加拜访费用只占 3% 左右")
def k0011_cost_plan(data):
    k = _year(_k(data), 2024)
    total = k["配送费用"].sum() / k["金额"].sum() + 4800 / 290_000
    return 0.025 <= total <= 0.035


# ---------------------------------------------------------------- 知识点12, 13, 14, 15


def _warn(data):
    return crm.warning_signs(_orders(data))


@fact("A 类里有 10 家客户触发了征兆")
def a_with_signs(data):
    c, w = _abc(data), _warn(data)
    return ((w["征兆数"] > 0) & w.index.isin(c.index[c["ABC"] == "A"])).sum() == 10


@fact("K0078 和 K0129 都是建筑工程公司，它们被标出来是因为入冬后很久没有下单，可近半年的采购额并没有减少")
def seasonal_builders(data):
    w, a = _warn(data), _acc(data)
    rows = w.loc[["K0078", "K0129"]]
    return (
        (a.loc[["K0078", "K0129"], "行业"] == "建筑工程").all()
        and (rows["间隔倍数"] >= 2).all()
        and (rows["变化率"] >= 0).all()
        and (rows["最近下单日期"] >= "2024-11-01").all()
    )


@fact("北方工地冬季停工，这是它们每年的规律")
def builders_every_winter(data):
    o = _orders(data)
    for cid in ["K0078", "K0129"]:
        k = o[o["客户编号"] == cid]
        winter = k[(k["下单日期"] >= "2023-12-01") & (k["下单日期"] < "2024-03-01")]
        other = k[(k["下单日期"] >= "2023-03-01") & (k["下单日期"] < "2023-12-01")]
        if len(winter) / 3 > 0.5 * len(other) / 9:  # winter months: under half the usual orders
            return False
    return True


@fact("K0190 天津铭诚电子科技有限公司已经 250 天没有下单，近半年一笔采购都没有")
def lost_account(data):
    w = _warn(data).loc["K0190"]
    return (
        _acc(data).at["K0190", "客户名称"] == "天津铭诚电子科技有限公司"
        and w["未下单天数"] == 250
        and w["近期采购额"] == 0
    )


@fact("它最近一次下单才过去 19 天，“久未下单”没有触发，可近半年的采购额比前半年少了 80%")
def k0011_recent(data):
    w = _warn(data).loc["K0011"]
    return w["未下单天数"] == 19 and w["间隔倍数"] < 2 and round(w["变化率"], 2) == -0.80


@fact(
    "客户档案里有 200 家客户，订单表里只有 196 家——有 3 家是 2024 年 12 月刚签约、还没下单的新客户，还有 1 家 7 月签约后一直没有下单"
)
def no_orders(data):
    a, o = _acc(data), _orders(data)
    idle = a.loc[sorted(set(a.index) - set(o["客户编号"]))]
    start = idle["合作起始日期"].dt.to_period("M").astype(str).value_counts()
    return len(a) == 200 and o["客户编号"].nunique() == 196 and start.to_dict() == {"2024-12": 3, "2024-07": 1}


@fact("4 家落在 C 类的大型企业")
def big_in_c_again(data):
    return big_in_c(data)


@fact("一年少收约 2.3 万元，比它全年的配送费用还多好几倍")
def negotiation(data):
    k = _year(_k(data), 2024)
    cut = k["金额"].sum() * 0.08
    return round(cut / 1e4, 1) == 2.3 and cut > 4 * k["配送费用"].sum()


# ---------------------------------------------------------------- 解决方案 第 5 步


@fact("我们四分之一的客户（A 类 49 家）贡献了约八成的销售额；前 20% 客户的金额占比是 75.3%")
def summary_abc(data):
    return a_class(data) and top_20(data)


@fact("A 类里一多半是中型和小型企业，另有 4 家大型企业落在 C 类")
def summary_sizes(data):
    return a_sizes(data) and big_in_c(data)


@fact("关键客户（重要 + 主要）共 10 家，贡献了约 41% 的金额；排名前两位的客户合计约占 15%")
def summary_key(data):
    return key_accounts(data) and top_two_risk(data)


@fact("A 类里有 10 家触发了跳槽征兆")
def summary_signs(data):
    return a_with_signs(data)


@fact("K0011 近半年采购额下降 80%、五金工具少了一半，K0190 已 250 天没有下单")
def summary_two(data):
    return k0011_drop(data) and k0011_by_line(data) and lost_account(data)


@fact("K0078、K0129 是建筑企业冬季停工")
def summary_builders(data):
    return seasonal_builders(data) and builders_every_winter(data)


@fact("A 类客户中只有 16 家六类角色都认识，有 4 家只认识两类")
def summary_roles(data):
    c, contacts = _abc(data), data("p07_contacts")
    a = c.index[c["ABC"] == "A"]
    n = contacts[contacts["客户编号"].isin(a)].groupby("客户编号")["采购角色"].nunique().reindex(a, fill_value=0)
    return (n == 6).sum() == 16 and (n == 2).sum() == 4


# ---------------------------------------------------------------- reference plan (K0190)


@fact("两年采购额约 21.6 万元，属于 A 类客户；2023 年约 15.7 万元，2024 年约 5.9 万元，而且都集中在 4 月以前")
def k0190_amounts(data):
    k = _k(data, "K0190")
    c = _abc(data)
    return (
        round(k["金额"].sum() / 1e4, 1) == 21.6
        and c.at["K0190", "ABC"] == "A"
        and round(_year(k, 2023)["金额"].sum() / 1e4, 1) == 15.7
        and round(_year(k, 2024)["金额"].sum() / 1e4, 1) == 5.9
        and k["下单日期"].max() < pd.Timestamp("2024-05-01")
    )


@fact("办公用品约占 50%，劳保用品约占 39%，五金工具约占 11%，电工电料、清洁用品、包装材料都没有买过")
def k0190_mix(data):
    k = _k(data, "K0190")
    mix = (k.groupby("产品线")["金额"].sum() / k["金额"].sum()).round(2).to_dict()
    return mix == {"办公用品": 0.50, "劳保用品": 0.39, "五金工具": 0.11}


@fact(
    "最后一次下单是 2024 年 4 月 26 日，到分析日已有 250 天没有下单，是通常间隔的 13.9 倍；近 180 天没有任何采购，而前 180 天采购了约 5.9 万元"
)
def k0190_signs(data):
    w = _warn(data).loc["K0190"]
    return (
        w["最近下单日期"] == pd.Timestamp("2024-04-26")
        and w["未下单天数"] == 250
        and round(w["间隔倍数"], 1) == 13.9
        and w["近期采购额"] == 0
        and round(w["前期采购额"] / 1e4, 1) == 5.9
        and w["征兆数"] == 2
    )


@fact(
    "我们认识采购专员（关系一般）、设备维修班长（使用者）、技术部工程师（影响者）和前台主管（把关者），后三位关系密切"
)
def k0190_people(data):
    c = data("p07_contacts")
    k = c[c["客户编号"] == "K0190"].set_index("职务")
    return (
        set(k.index) == {"采购专员", "设备维修班长", "技术部工程师", "前台主管"}
        and k.at["采购专员", "关系程度"] == "一般"
        and (k.loc[["设备维修班长", "技术部工程师", "前台主管"], "关系程度"] == "密切").all()
    )


@fact("决策者和批准者一个都没有登记")
def k0190_no_top(data):
    c = data("p07_contacts")
    return not c[(c["客户编号"] == "K0190") & c["采购角色"].isin(["决策者", "批准者"])].shape[0]


@fact("两年配送费用率只有约 1.2%")
def k0190_cost(data):
    k = _k(data, "K0190")
    return round(k["配送费用"].sum() / k["金额"].sum(), 3) == 0.012


@fact("| 200 行 |")
def account_rows(data):
    return len(data("p07_accounts")) == 200


@fact("| 不采取行动 | 约 8 万元 | 直线外推 |")
def k0011_trend_row(data):
    return k0011_trend(data)


@fact("铭诚电子是天津的大型电子电器企业，2012 年开始合作，月结 30 天")
def k0190_card(data):
    row = _acc(data).loc["K0190"]
    return (
        row["城市"] == "天津"
        and row["企业规模"] == "大型"
        and row["行业"] == "电子电器"
        and row["合作起始日期"].year == 2012
        and row["结算方式"] == "月结30天"
    )


@fact("它过去大约 18 天下一次单")
def k0190_interval(data):
    return _warn(data).at["K0190", "通常间隔"] == 18


@fact("S 优势：合作 12 年")
def k0190_years(data):
    return int((pd.Timestamp("2024-12-31") - _acc(data).at["K0190", "合作起始日期"]).days / 365.25) == 12


@fact("2024 年 4 月以后再没有订单")
def k0190_last(data):
    return _k(data, "K0190")["下单日期"].max() < pd.Timestamp("2024-05-01")


@fact("全年采购额恢复到约 8 万元（2023 年约 15.7 万元的一半")
def k0190_target(data):
    return round(_year(_k(data, "K0190"), 2023)["金额"].sum() / 1e4, 1) == 15.7
