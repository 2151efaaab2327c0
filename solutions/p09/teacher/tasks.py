"""Hidden grading of p09's data tasks (teacher only; runs in the clean grading process).

The PSS-10 totals are computed here from the raw answers (items 4, 5, 7, 8
reversed as 4 − x, incomplete forms dropped), independently of
``crm.pss10_scores``, so a bug there cannot make a wrong answer right.
"""

import pandas as pd

import crmlib as crm
from crmlib.grading.judge import same_items, same_number, same_series, task

ITEMS = [f"题{i}" for i in range(1, 11)]
REVERSED = [f"题{i}" for i in (4, 5, 7, 8)]


def totals(q):
    """PSS-10 totals of the complete questionnaires (index as in `q`)."""
    t = q[ITEMS].astype(float)
    t[REVERSED] = 4 - t[REVERSED]
    return t.sum(axis=1, min_count=10).dropna()


def phone_weeks(data):
    agents = data("p09_agents")[["坐席编号", "班组"]]
    return crm.team_weeks(data("p09_shifts"), data("p09_pss")).merge(agents, on="坐席编号")


@task("t1_test", "在线组卡顿周平均分")
def t1(ans, data):
    expected = t1_expected(data)
    return [
        same_number(
            ans["在线组卡顿周平均分"],
            expected,
            "在线组卡顿周平均分",
            hint="只取在线组、周次为 2025-11-24 的问卷；第 4、5、7、8 题按 4 − 选项分计；"
            "漏答的问卷不计总分，也不进平均。",
        )
    ]


@task("t2_test", "电话组相关系数")
def t2(ans, data):
    tw = phone_weeks(data)
    phone = tw[tw["班组"] == "电话组"]
    expected = phone["每小时接待量"].corr(phone["总分"])
    return [
        same_number(
            ans["电话组相关系数"],
            expected,
            "电话组相关系数",
            hint="一位坐席一周一个点；每小时接待量 = 一周接待量合计 ÷ 在线小时合计；只看电话组。",
        )
    ]


@task("t3_test", "高分来源次数")
def t3(ans, data):
    q = data("p09_pss")
    high = totals(q)
    high = high[high >= 27].index
    expected = q.loc[high, "压力来源"].dropna().value_counts()
    return [
        same_series(
            ans["高分来源次数"],
            expected,
            "高分来源次数",
            hint="先按规则计分（含反向题），只留 27 分及以上、答完整的问卷，再数压力来源。",
        )
    ]


@task("t4_test", "休息相关坐席")
def t4(ans, data):
    tw = phone_weeks(data)
    r = tw.groupby("坐席编号")[["每班休息次数", "总分"]].apply(lambda d: d["每班休息次数"].corr(d["总分"]))
    expected = r[r <= -0.3].index.tolist()
    return [
        same_items(
            ans["休息相关坐席"],
            expected,
            "休息相关坐席",
            hint="逐个坐席求“每班休息次数”和总分的相关系数（请假日不算班次），门槛是小于或等于 −0.3。",
        )
    ]


# ------------------------------------------------------------------ teacher aid


def fact_sheet(data):
    """The figures the teacher aid lists (data tasks' expected values and the centre's key numbers)."""
    q = data("p09_pss")
    t = totals(q)
    weekly = t.groupby(q.loc[t.index, "周次"]).mean()
    tw = phone_weeks(data)
    phone = tw[tw["班组"] == "电话组"]
    r = tw.groupby("坐席编号")[["每班休息次数", "总分"]].apply(lambda d: d["每班休息次数"].corr(d["总分"]))
    high = q.loc[t[t >= 27].index, "压力来源"].dropna().value_counts()
    rows = [
        ("任务 1 在线组卡顿周平均分（周次 2025-11-24）", f"{t1_expected(data):.2f}"),
        ("任务 2 电话组相关系数", f"{phone['每小时接待量'].corr(phone['总分']):.3f}"),
        ("任务 3 高分问卷（≥27）份数，其中写了来源的", f"{int((t >= 27).sum())}，{int(high.sum())}"),
        ("任务 3 高分问卷里次数最多的来源", "、".join(f"{k} {v}" for k, v in high[high == high.max()].items())),
        ("任务 4 休息相关坐席（r ≤ −0.3）", "、".join(sorted(r[r <= -0.3].index))),
        ("答完整的问卷 / 漏答的问卷", f"{len(t)} / {len(q) - len(t)}"),
        ("全队平均分最高的一周（周一）", f"{weekly.idxmax():%Y-%m-%d}（{weekly.max():.1f} 分）"),
        ("全队平均分最低的一周（周一）", f"{weekly.idxmin():%Y-%m-%d}（{weekly.min():.1f} 分）"),
        ("三类压力来源被写下的次数", "、".join(f"{k} {v}" for k, v in q["来源类别"].value_counts().items())),
        ("全队：每班休息次数与总分的相关系数", f"{tw['每班休息次数'].corr(tw['总分']):.2f}"),
    ]
    return pd.DataFrame(rows, columns=["项目", "数值"])


def t1_expected(data):
    q = data("p09_pss")
    agents = data("p09_agents")
    chat = agents.loc[agents["班组"] == "在线组", "坐席编号"]
    return totals(q[(q["周次"] == pd.Timestamp("2025-11-24")) & q["坐席编号"].isin(chat)]).mean()


def aid_markdown(data):
    """The fact sheet as a markdown table (what teacher/aid.md holds)."""
    t = fact_sheet(data)
    return "| 项目 | 数值 |\n|---|---|\n" + "".join(f"| {a} | {b} |\n" for a, b in t.itertuples(index=False))
