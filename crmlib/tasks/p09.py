"""Visible checks of p09's data tasks: shape, range and the named mistakes; never the right value.

Every wrong value below is computed from the data the way the mistake would
compute it (forgetting the reverse items, counting a blank item as 0, using
the whole team, …), so a student who made that mistake is told which one.
"""

import numbers
from functools import lru_cache

import pandas as pd

from ..course.checks import fail, type_name
from ..course.datasets import load_dataset
from ..course.visible import answered, id_list, not_mistaken, number

ITEMS = [f"题{i}" for i in range(1, 11)]
REVERSED = [f"题{i}" for i in (4, 5, 7, 8)]
SLOW_WEEK = pd.Timestamp("2025-11-24")


def _sums(q, reverse=4, complete_only=True):
    t = q[ITEMS].astype(float)
    if reverse is not None:
        t[REVERSED] = reverse - t[REVERSED]
    return t.sum(axis=1, min_count=10 if complete_only else 1)


def t1(value):
    """在线组卡顿周平均分: mean total of the 在线组's complete questionnaires of the week of 2025-11-24."""
    v = number(value, "在线组卡顿周平均分", minimum=0, maximum=40, hint="PSS-10 的总分在 0～40 之间，平均分也一样。")
    q = load_dataset("p09_pss")
    agents = load_dataset("p09_agents")
    chat = agents.loc[agents["班组"] == "在线组", "坐席编号"]
    week = q[q["周次"] == SLOW_WEEK]
    mine = week[week["坐席编号"].isin(chat)]
    not_mistaken(
        v,
        {
            "用了这一周全队（两个组）的问卷，题目只要在线组": _sums(week).mean(),
            "筛成了电话组（题目要的是在线组）": _sums(week[~week["坐席编号"].isin(chat)]).mean(),
            "没有对第 4、5、7、8 题反向计分（直接把十题的选项分相加）": _sums(mine, reverse=None).mean(),
            "没有反向计分，还把漏答的题当成了 0 分": _sums(mine, reverse=None, complete_only=False).mean(),
            "把反向题算成了 5 − 选项分（本问卷的选项是 0～4 分，反向应是 4 − 选项分）": _sums(mine, reverse=5).mean(),
            "把漏答的题当成 0 分，算进了平均数（没答完的问卷不计总分）": _sums(mine, complete_only=False).mean(),
            "用了在线组整个季度的问卷，而不是周次为 2025-11-24 的那一周": _sums(q[q["坐席编号"].isin(chat)]).mean(),
        },
        "在线组卡顿周平均分",
    )


@lru_cache(maxsize=1)
def _team_weeks():
    """The team's agent-weeks with 班组 (cached: the course data does not change inside a kernel)."""
    from ..topics.stress import team_weeks

    agents = load_dataset("p09_agents")[["坐席编号", "班组"]]
    return team_weeks(load_dataset("p09_shifts"), load_dataset("p09_pss")).merge(agents, on="坐席编号")


@lru_cache(maxsize=2)
def _daily_ratio_corr(group):
    """Correlation when 每小时接待量 is a mean of daily ratios (a ratio of ratios)."""
    from ..topics.stress import week_start

    shifts = load_dataset("p09_shifts")
    agents = load_dataset("p09_agents")
    s = shifts[
        (shifts["出勤"] == "出勤") & shifts["坐席编号"].isin(agents.loc[agents["班组"] == group, "坐席编号"])
    ].copy()
    s["周次"] = week_start(s["日期"]).to_numpy()
    s["比率"] = s["接待量"] / s["在线小时"]
    daily = s.groupby(["坐席编号", "周次"])["比率"].mean().rename("日均比率").reset_index()
    tw = _team_weeks().merge(daily, on=["坐席编号", "周次"])
    return tw["日均比率"].corr(tw["总分"])


def t2(value):
    """电话组相关系数: corr(每小时接待量, 总分) over the phone group's agent-weeks."""
    v = number(
        value,
        "电话组相关系数",
        minimum=-1,
        maximum=1,
        hint="相关系数在 −1～1 之间；请用 pandas 的相关系数方法，不要自己乘以 100。",
    )
    tw = _team_weeks()
    phone, chat = tw[tw["班组"] == "电话组"], tw[tw["班组"] == "在线组"]
    not_mistaken(
        v,
        {
            "用了全队的数据（题目只看电话组）": tw["每小时接待量"].corr(tw["总分"]),
            "筛成了在线组（题目要的是电话组）": chat["每小时接待量"].corr(chat["总分"]),
            "用了一周的接待量，而不是每小时接待量": phone["接待量"].corr(phone["总分"]),
            "用了难缠接待，而不是每小时接待量": phone["难缠接待"].corr(phone["总分"]),
            "每小时接待量用每天的比率直接平均（应该一周合计接待量 ÷ 合计在线小时）": _daily_ratio_corr("电话组"),
        },
        "电话组相关系数",
    )


def _counts(q):
    return {str(k): int(v) for k, v in q["压力来源"].dropna().value_counts().items()}


def t3(value):
    """高分来源次数: Series 压力来源 -> count, over complete questionnaires with a total of 27 or more."""
    answered(value, "高分来源次数")
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if not isinstance(value, pd.Series):
        fail(
            f"「高分来源次数」应该是一列数据（Series），现在是{type_name(value)}。",
            "对“压力来源”一列计数，得到的就是以压力来源为索引的 Series。",
        )
    q = load_dataset("p09_pss")
    known = set(q["压力来源"].dropna())
    strange = [k for k in value.index if k not in known]
    if strange:
        fail(
            f"「高分来源次数」的索引里有不是压力来源的内容，例如 {strange[0]!r}。",
            "索引应该是“压力来源”列里的文字，值是次数。",
        )
    for k, n in value.items():
        if isinstance(n, bool) or not isinstance(n, numbers.Number) or n != int(n) or n < 1:
            fail(
                f"「高分来源次数」里「{k}」的值是 {n!r}，应该是不小于 1 的整数（次数）。",
                "用计数的方法，而不是求和或求平均。",
            )
    got = {str(k): int(n) for k, n in value.items()}
    totals = _sums(q)
    wrong = {
        "数了全部问卷，没有只看 27 分及以上的": _counts(q),
        "用了“大于 27”，把正好 27 分的问卷漏掉了（题目是 27 分及以上）": _counts(q[totals > 27]),
        "没有对第 4、5、7、8 题反向计分，筛出的高分问卷不对": _counts(q[_sums(q, reverse=None) >= 27]),
        "把 14 分及以上（中等和高）都算进来了": _counts(q[totals >= 14]),
    }
    for description, counts in wrong.items():
        if got == counts:
            fail(f"「高分来源次数」看起来用了一个常见的错误做法：{description}。请回到题目要求，换一种算法再试。")


def t4(value):
    """休息相关坐席: agents whose corr(每班休息次数, 总分) ≤ −0.3."""
    agents = load_dataset("p09_agents")
    items = id_list(value, "休息相关坐席", set(agents["坐席编号"]), what="坐席编号")
    if not items:
        fail("「休息相关坐席」是空列表。", "检查门槛的方向：相关系数小于或等于 −0.3 的坐席。")
    tw = _team_weeks()

    def pick(frame, column, rule):
        r = frame.groupby("坐席编号")[[column, "总分"]].apply(lambda d: d[column].corr(d["总分"]))
        return set(r[rule(r)].index)

    # the week's total number of breaks instead of breaks per shift worked
    from ..topics.stress import week_start

    s = load_dataset("p09_shifts").copy()
    s["周次"] = week_start(s["日期"]).to_numpy()
    total = s.groupby(["坐席编号", "周次"])["休息次数"].sum().rename("一周合计").reset_index()
    weekly_total = tw.merge(total, on=["坐席编号", "周次"])
    not_mistaken(
        items,
        {
            "把所有负相关的坐席都算进来了（门槛是 −0.3，不是 0）": pick(tw, "每班休息次数", lambda r: r < 0),
            "把门槛写成了 +0.3（负相关才表示“休息多、分数低”）": pick(tw, "每班休息次数", lambda r: r >= 0.3),
            "用了一周的休息次数合计，而不是每班休息次数（出勤天数不同的周不能直接比）": pick(
                weekly_total, "一周合计", lambda r: r <= -0.3
            ),
        },
        "休息相关坐席",
    )
