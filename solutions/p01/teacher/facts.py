"""Every figure or named fact the p01 notebook states about its data, with the code that checks it.

Each text appears word for word (whitespace aside) in a markdown cell of solutions/p01/p01_crm_work.ipynb.
Percentages are checked as the notebook prints them (rounded to 0.1 %).
"""

import functools

import crmlib as crm
from crmlib.course.facts import fact as _fact, once
from crmlib.generators.common import workdays_per_month


def fact(text):
    """crmlib's @fact, with the check's result made a plain bool (numpy gives np.True_)."""

    def wrap(func):
        @functools.wraps(func)
        def check(data):
            return bool(func(data))

        return _fact(text)(check)

    return wrap


def _pct(x):
    return round(float(x) * 100, 1)


def _kpi(data):
    return data("p01_kpi")


@once
def _queue_month(data):
    return crm.queue_kpis(data("p01_queue"), by="月份")


@once
def _months(data):
    return crm.team_kpis(_kpi(data), by="月份")


@once
def _agents(data):
    return crm.team_kpis(_kpi(data), by="坐席编号")


# ------------------------------------------------------------------ calendar and queue (知识点4)


@fact("所以 1 月、2 月各只有 19 个工作日")
def short_months(data):
    days = workdays_per_month("2025-01-01", "2025-06-30")
    q = data("p01_queue").set_index("月份")["工作日数"]
    return days.iloc[0] == days.iloc[1] == 19 and q["2025-01"] == q["2025-02"] == 19


@fact("1 月高峰时段排了 9 人，服务水平 90.6%")
def january(data):
    q = data("p01_queue").set_index("月份")
    return q.loc["2025-01", "高峰在岗坐席"] == 9 and _pct(_queue_month(data).loc["2025-01", "服务水平"]) == 90.6


@fact("高峰小时只排了 8 人，服务水平降到 83.3%")
def february(data):
    q = data("p01_queue").set_index("月份")
    return q.loc["2025-02", "高峰在岗坐席"] == 8 and _pct(_queue_month(data).loc["2025-02", "服务水平"]) == 83.3


@fact("6 月“618”大促，高峰每小时进来 100 多个电话，只多排了 1 人")
def june_peak(data):
    q = data("p01_queue").set_index("月份")
    return (
        100 < q.loc["2025-06", "高峰小时来电"] < 200
        and q.loc["2025-06", "高峰在岗坐席"] == q.loc["2025-05", "高峰在岗坐席"] + 1
    )


@fact("服务水平跌到 75.7%，有 6.6% 的来电在排队时挂断")
def june_sl(data):
    m = _queue_month(data).loc["2025-06"]
    return _pct(m["服务水平"]) == 75.7 and _pct(m["放弃率"]) == 6.6


@fact("服务水平却上下差了十几个百分点")
def spread(data):
    sl = _queue_month(data)["服务水平"]
    return 0.10 <= sl.max() - sl.min() < 0.20


# ------------------------------------------------------------------ weighting (知识点7)


@fact("3 月她病假，只上了 6 天班，接待了 254 次，一次解决率恰好很高（93%）")
def sick_month(data):
    row = _kpi(data).query("坐席编号 == 'KF07' and 月份 == '2025-03'").iloc[0]
    return row["出勤天数"] == 6 and row["接待量"] == 254 and row["一次解决率"] == 0.93


@fact("只有 254 次接待的 3 月和接待七八百次的月份分量一样，把她的一次解决率抬高了约 1.4 个百分点")
def sick_month_effect(data):
    k = _kpi(data)
    k = k[k["坐席编号"] == "KF07"]
    others = k[k["月份"] != "2025-03"]["接待量"]
    plain = k["一次解决率"].mean()
    weighted = (k["接待量"] * k["一次解决率"]).sum() / k["接待量"].sum()
    return round((plain - weighted) * 100, 1) == 1.4 and others.median() < 900 and others.min() >= 700


@fact("星禾电器大约每一千次接待才有一件")
def complaints_per_thousand(data):
    return 8 <= crm.team_kpis(_kpi(data), by=None).loc["全部", "万投比"] <= 12


# ------------------------------------------------------------------ solution, step 1–3


@fact("1—3 月每月 19 行，4 月起 20 行：新员工 KF20 宋晨阳是 4 月入职的")
def rows_per_month(data):
    k = _kpi(data)
    n = k.groupby("月份").size()
    return n[:3].eq(19).all() and n[3:].eq(20).all() and k[k["坐席编号"] == "KF20"]["月份"].min() == "2025-04"


@fact("上半年全中心共接待约 10.6 万次，平均每次 276 秒，一次解决率 80.5%，满意度 4.56 分")
def centre(data):
    r = crm.team_kpis(_kpi(data), by=None).loc["全部"]
    return (
        round(r["接待量"] / 1e4, 1) == 10.6
        and round(r["平均处理时长"]) == 276
        and _pct(r["一次解决率"]) == 80.5
        and round(r["满意度"], 2) == 4.56
    )


@fact("万投比 9.8（大约每千次接待一件有效投诉）")
def centre_complaints(data):
    return round(crm.team_kpis(_kpi(data), by=None).loc["全部", "万投比"], 1) == 9.8


@fact("四项坐席指标**整体都达到了中心目标**")
def centre_meets(data):
    return crm.meets_target(crm.team_kpis(_kpi(data), by=None)).all(axis=None)


@fact("**在线组**处理时长最长（292 秒）")
def online_aht(data):
    t = crm.team_kpis(_kpi(data), by="班组")
    return t["平均处理时长"].idxmax() == "在线组" and round(t.loc["在线组", "平均处理时长"]) == 292


@fact("它的一次解决率最低（80.1%），紧贴目标线，值得关注；万投比却是三组里最低的（7.9）")
def online_rates(data):
    t = crm.team_kpis(_kpi(data), by="班组")
    return (
        t["一次解决率"].idxmin() == "在线组"
        and _pct(t.loc["在线组", "一次解决率"]) == 80.1
        and t["万投比"].idxmin() == "在线组"
        and round(t.loc["在线组", "万投比"], 1) == 7.9
    )


@fact("**热线二组**满意度最低（4.54 分）")
def team2(data):
    t = crm.team_kpis(_kpi(data), by="班组")
    return t["满意度"].idxmin() == "热线二组" and round(t.loc["热线二组", "满意度"], 2) == 4.54


@fact("**热线一组**一次解决率最高（80.9%），万投比却最高（10.9）")
def team1(data):
    t = crm.team_kpis(_kpi(data), by="班组")
    return (
        t["一次解决率"].idxmax() == "热线一组"
        and _pct(t.loc["热线一组", "一次解决率"]) == 80.9
        and t["万投比"].idxmax() == "热线一组"
        and round(t.loc["热线一组", "万投比"], 1) == 10.9
    )


@fact("上半年热线队列的服务水平是 85.6%，达到 80% 的目标；放弃率 4.4%")
def queue_half_year(data):
    r = crm.queue_kpis(data("p01_queue"), by=None).loc["全部"]
    return _pct(r["服务水平"]) == 85.6 and _pct(r["放弃率"]) == 4.4


@fact("接待量是上半年最少的两个月；5 月有劳动节，也是 19 天，接待量比 4 月少")
def short_months_volume(data):
    m = _months(data)["接待量"]
    q = data("p01_queue").set_index("月份")["工作日数"]
    return set(m.nsmallest(2).index) == {"2025-01", "2025-02"} and q["2025-05"] == 19 and m["2025-05"] < m["2025-04"]


@fact("每个工作日的接待量比 4 月多两成以上，平均处理时长升到 294 秒，一次解决率降到 79.9%")
def june_agents(data):
    m = _months(data)
    days = data("p01_queue").set_index("月份")["工作日数"]
    per_day = m["接待量"] / days
    return (
        per_day["2025-06"] / per_day["2025-04"] > 1.2
        and round(m.loc["2025-06", "平均处理时长"]) == 294
        and _pct(m.loc["2025-06", "一次解决率"]) == 79.9
    )


@fact("满意度降到 4.49 分——**两项坐席指标当月没有达标**，热线队列的服务水平也只有 75.7%")
def june_misses(data):
    m = _months(data)
    ok = crm.meets_target(m).loc["2025-06"]
    return (
        round(m.loc["2025-06", "满意度"], 2) == 4.49
        and (~ok).sum() == 2
        and _pct(_queue_month(data).loc["2025-06", "服务水平"]) == 75.7
    )


# ------------------------------------------------------------------ step 4: agents below target


@fact("20 位坐席中有 7 位至少一项没有达标")
def seven_below(data):
    return crm.below_target(_kpi(data))["坐席编号"].nunique() == 7


def _misses(data):
    b = crm.below_target(_kpi(data))
    return b.groupby("坐席编号")["指标"].agg(set)


@fact("**新员工宋晨阳（KF20）**：四项都没达标")
def rookie_misses(data):
    return _misses(data)["KF20"] == set(crm.DEFAULT_TARGETS)


@fact("一次解决率（70.3% → 74.5% → 76.5%）和处理时长（334 → 322 → 317 秒）")
def rookie_trend(data):
    k = _kpi(data)
    r = k[k["坐席编号"] == "KF20"].sort_values("月份")
    return [_pct(x) for x in r["一次解决率"]] == [70.3, 74.5, 76.5] and r["平均处理时长"].tolist() == [334, 322, 317]


@fact("**赵子轩、杨俊杰**：一次解决率、满意度、万投比三项同时没达标")
def three_misses(data):
    m = _misses(data)
    return m["KF04"] == m["KF12"] == {"一次解决率", "满意度", "万投比"}


@fact("**高明轩**：一次解决率和满意度两项偏低，满意度只差一点")
def kf16(data):
    b = crm.below_target(_kpi(data)).set_index(["坐席编号", "指标"])
    return _misses(data)["KF16"] == {"一次解决率", "满意度"} and b.loc[("KF16", "满意度"), "差距"] < 0.02


@fact("**蒋文博、郑宇航、罗天宇**：只有一次解决率低于 80%，差距都在 1.5 个百分点以内")
def small_misses(data):
    b = crm.below_target(_kpi(data)).set_index("坐席编号")
    m = _misses(data)
    return all(m[a] == {"一次解决率"} and b.loc[a, "差距"] < 0.015 for a in ("KF10", "KF08", "KF18"))


# ------------------------------------------------------------------ steps 5–6: goals and staffing


@fact("其实 6 月热线坐席人均已经接了 1,000 多次，超过标准量 900 次一成多")
def june_per_agent(data):
    k = _kpi(data)
    june = k[(k["月份"] == "2025-06") & k["班组"].str.startswith("热线")]
    per = june["接待量"].sum() / len(june)
    return 1000 < per < 900 * 1.2


@fact("6 月高峰只排了 10 人，话务量已有 8.4 爱尔兰，坐席占用率 84%，高峰小时的服务水平只有 56% 左右")
def june_erlang(data):
    j = data("p01_queue").set_index("月份").loc["2025-06"]
    row = crm.staffing_table(j["高峰小时来电"], j["平均处理时长"], [j["高峰在岗坐席"]]).iloc[0]
    return (
        j["高峰在岗坐席"] == 10
        and round(row["话务量"], 1) == 8.4
        and round(row["占用率"] * 100) == 84
        and round(row["服务水平"] * 100) == 56
    )


@fact("要让高峰也达到 80%，需要 12 人")
def june_needed(data):
    j = data("p01_queue").set_index("月份").loc["2025-06"]
    return crm.agents_needed(j["高峰小时来电"], j["平均处理时长"]) == 12


@fact("7 月高峰要排 13 人才能让服务水平回到 80%，比 6 月多 3 人")
def july_needed(data):
    j = data("p01_queue").set_index("月份").loc["2025-06"]
    calls = round(j["高峰小时来电"] * 1.1)  # the forecast stated in the prose: one tenth more, about 117
    return calls == 117 and crm.agents_needed(calls, j["平均处理时长"]) == 13 == j["高峰在岗坐席"] + 3


@fact("一线岗位 25 人，占了四分之三以上的人手（78.1%）")
def frontline_share(data):
    p = data("p01_posts")
    front = p.loc[p["类别"] == "一线", "人数"].sum()
    return front == 25 and round(front / p["人数"].sum() * 100, 1) == 78.1


@fact("三个岗位的标准产能合计 22,200 次，而目标是 28,000 次，**负荷率 126.1%**")
def july_load(data):
    g = crm.post_goals(data("p01_posts"), 28000)
    return len(g) == 3 and g["标准产能"].sum() == 22200 and round(g["负荷率"].iloc[0] * 100, 1) == 126.1


# ------------------------------------------------------------------ 任务提出 and the post table


@fact("中心有 32 名员工")
def staff(data):
    return data("p01_posts")["人数"].sum() == 32


@fact("20 名一线坐席每人每月的接待量")
def agents(data):
    p = data("p01_posts").set_index("岗位")["人数"]
    return _kpi(data)["坐席编号"].nunique() == 20 == p["热线客服专员"] + p["在线客服专员"]


@fact("下面把 8 个岗位逐一列出来")
def eight_posts(data):
    return len(data("p01_posts")) == 8


# ------------------------------------------------------------------ 知识点5: the worked customer-value example (no dataset)


def _family(discount=0.0):
    return crm.lifetime_value(3000, 0.5, 20, margin=0.25, discount=discount)


@fact("一位家庭客户 20 年能带来几千元毛利，远超开发他的花费")
def family_value(data):
    return 1000 <= _family() < 10000 and _family() > 800


@fact("到第 3 年年底，这位客户带来的毛利就超过了开发他的成本（第 2 年年底还差 50 元）")
def family_payback(data):
    c = crm.cumulative_value(3000, 0.5, 20, margin=0.25)
    return c.loc[2] < 800 <= c.loc[3] and round(800 - c.loc[2]) == 50


@fact("如果合作满 20 年，他的终身价值是获客成本的 9 倍多")
def family_multiple(data):
    return 9 <= _family() / 800 < 10


@fact("上面的 7,500 元是把 20 年里每一年的毛利直接相加")
def family_undiscounted(data):
    return round(_family()) == 7500


@fact("折现以后，这位客户的终身价值少了近四成，但仍是获客成本的五倍多")
def family_discounted(data):
    cut = 1 - _family(0.05) / _family()
    return 0.35 <= cut < 0.40 and 5 <= _family(0.05) / 800 < 6


@fact("开发一位新客户正好是上面说的 800 元")
def acquisition_cost(data):
    r = crm.acquisition_vs_retention(500, 160, multiple=5)
    return r["开发同样多新客户的成本"] / 500 == 800


@fact("把单次消费额设为 1,500 元、每年 1 次、合作 20 年、毛利率 25%、获客成本 800 元（每年的毛利同样是 375 元）")
def calculator_same_customer(data):
    yearly = crm.cumulative_value(1500, 1, 20, margin=0.25)
    return yearly.loc[1] == 375 and yearly.equals(crm.cumulative_value(3000, 0.5, 20, margin=0.25))
