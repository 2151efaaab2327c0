"""Visible checks of p01's data tasks: shape, range and the named mistakes; never the right value."""

from ..course.datasets import derived, load_dataset
from ..course.visible import answered, not_mistaken, number, same_value
from ..course.checks import fail, type_name

Q1 = ["2025-01", "2025-02", "2025-03"]
Q2 = ["2025-04", "2025-05", "2025-06"]
LIMIT = 12  # 万投比 threshold of task 2


def t1(value):
    """热线一组每位坐席一季度（1—3 月）的一次解决率 (a Series indexed by 坐席编号)."""
    import pandas as pd

    answered(value, "热线一组解决率")
    if isinstance(value, dict):  # as the hidden grading reads it
        value = pd.Series(value)
    if not isinstance(value, pd.Series):
        fail(
            f"「热线一组解决率」应该是一列数据（Series），现在是{type_name(value)}。",
            "两列合计相除得到的就是以坐席编号为索引的 Series。",
        )
    kpi = load_dataset("p01_kpi")
    team = kpi[kpi["班组"] == "热线一组"]
    if set(value.index) != set(team["坐席编号"]):
        fail("「热线一组解决率」的索引应该正好是热线一组 7 位坐席的编号。", "先筛出热线一组，再按坐席编号分组。")
    for agent, rate in value.items():
        number(rate, f"{agent} 的一次解决率", minimum=0, maximum=1, hint="一次解决率是 0～1 的小数，不要乘以 100。")

    def weighted(rows):
        sums = (rows["接待量"] * rows["一次解决率"]).groupby(rows["坐席编号"]).sum()
        return sums / rows.groupby("坐席编号")["接待量"].sum()

    q1 = team[team["月份"].isin(Q1)]
    mistakes = {
        "直接对各月的一次解决率求了平均（没有按接待量加权）": q1.groupby("坐席编号")["一次解决率"].mean(),
        "用了上半年全部月份，而不是一季度（1—3 月）": weighted(team),
        "用了上半年全部月份，还直接对比率求了平均": team.groupby("坐席编号")["一次解决率"].mean(),
    }
    for label, wrong in mistakes.items():
        if (value - wrong.reindex(value.index)).abs().max() < 2e-4:  # a 4-decimal rounding still matches
            fail(f"「热线一组解决率」看起来用了一个常见的错误做法：{label}。请回到题目要求，换一种算法再试。")


def t2(value):
    """第二季度万投比（每万次接待的投诉数）高于 12 的坐席编号列表."""
    from ..course.visible import id_list

    kpi = load_dataset("p01_kpi")
    items = id_list(value, "投诉偏高坐席", set(kpi["坐席编号"]), what="坐席编号")
    if not items:
        fail("「投诉偏高坐席」是空列表。", "检查筛选条件：先算每万次接待的投诉数，再和 12 比较。")

    def over(rows, scale):
        sums = rows.groupby("坐席编号")[["投诉数", "接待量"]].sum()
        rate = sums["投诉数"] / sums["接待量"] * scale
        return set(rate[rate > LIMIT].index)

    q2 = kpi[kpi["月份"].isin(Q2)]
    plain = q2.assign(r=q2["投诉数"] / q2["接待量"] * 10000).groupby("坐席编号")["r"].mean()
    not_mistaken(
        items,
        {
            "用了上半年全部月份，而不是二季度（4—6 月）": over(kpi, 10000),
            "只乘了 100（那是每百次接待的投诉数，题目要的是每万次）": over(q2, 100),
            "直接对各月的比率求了平均（应该先合计再相除）": set(plain[plain > LIMIT].index),
        },
        "投诉偏高坐席",
    )


def _t3_mistakes(posts):
    """{description: wrong 八月岗位目标} for the mistakes task 3 warns about, from the data only. The rounding
    mistake needs the unrounded shares; only their rounded (wrong) split leaves this function."""
    active = posts[posts["人均月标准量"] > 0].set_index("岗位")
    standard = active["人均月标准量"]
    heads = active["人数"].astype(float)
    online = "在线客服专员"

    def split(weights):
        return 26000 * weights / weights.sum()

    eight = heads.copy()
    eight[online] += 2  # the two new agents at the full standard
    half = heads.copy()
    half[online] += 1  # two new agents at half the standard each
    whole_half = heads.copy()
    whole_half[online] = (heads[online] + 2) * 0.5
    shares = split(half * standard) / 26000
    return {
        "2 名新人也按 100% 的标准量算了（题目说新人第一个月只按 50% 计）": split(eight * standard),
        "在线客服专员还按 6 人算，没有加上 2 名新人": split(heads * standard),
        "把 50% 用在了在线客服专员全部 8 人身上（只有 2 名新人按一半算）": split(whole_half * standard),
        "只按人数平均分配，没有乘以人均月标准量": split(eight),
        "按折算人数平均分配，没有乘以人均月标准量": split(half),
        "先把各岗位的份额四舍五入成整数百分比再分配（份额不要先取整）": 26000 * shares.round(2),
    }


def t3(value):
    """8 月按产能（2 名新人各按半个标准量）分解 26000 次的岗位目标 (a Series indexed by 岗位)."""
    import pandas as pd

    answered(value, "八月岗位目标")
    if isinstance(value, dict):  # as the hidden grading reads it
        value = pd.Series(value)
    if not isinstance(value, pd.Series):
        fail(
            f"「八月岗位目标」应该是一列数据（Series），现在是{type_name(value)}。",
            "先把岗位设为索引再计算，结果就是以岗位为索引的 Series。",
        )
    posts = load_dataset("p01_posts")
    strange = [x for x in value.index if x not in set(posts["岗位"])]
    if strange:
        fail(f"「八月岗位目标」的索引里有不是岗位名称的内容：{strange[:3]}。", "把“岗位”一列设为索引。")
    active = set(posts.loc[posts["人均月标准量"] > 0, "岗位"])
    if set(value.index) != active:
        fail(
            f"「八月岗位目标」应该正好包含人均月标准量大于 0 的 {len(active)} 个岗位。",
            "先筛出人均月标准量大于 0 的岗位，再分配目标。",
        )
    total = number(float(value.sum()), "各岗位目标之和")
    if abs(total - 26000) > 1:
        fail(f"各岗位目标加起来是 {total:,.0f}，应该等于部门目标 26000。", "检查是否漏了岗位或多算了岗位。")
    for label, wrong in derived(_t3_mistakes, "p01_posts").items():
        # 4 significant figures, or a whole-number split that moved a remainder (off by at most 1)
        if all(same_value(value[k], wrong[k]) or abs(float(value[k]) - wrong[k]) <= 1 for k in wrong.index):
            fail(f"「八月岗位目标」看起来用了一个常见的错误做法：{label}。请回到题目要求，换一种算法再试。")


def t4(value):
    """一季度 400 热线队列的服务水平 (one number, 0…1)."""
    value = number(value, "一季度服务水平", minimum=0, maximum=1, hint="服务水平是 0～1 的小数，不要乘以 100。")
    q = load_dataset("p01_queue")
    q1 = q[q["月份"].isin(Q1)]
    not_mistaken(
        value,
        {
            "除以了接通量（放弃的来电也是客户打进来的，要算在呼入量里）": q1["20秒内接通量"].sum() / q1["接通量"].sum(),
            "直接对三个月的服务水平求了平均（应该先合计再相除）": (q1["20秒内接通量"] / q1["呼入量"]).mean(),
            "用了上半年六个月，而不是一季度（1—3 月）": q["20秒内接通量"].sum() / q["呼入量"].sum(),
        },
        "一季度服务水平",
    )
