"""Synthetic datasets of project p09 客户服务代表正确处理工作压力.

A fictional after-sales service centre, 禾川电器客户服务中心 in 武汉, has twelve
agents in two groups: 电话组 (phone, A01–A06) and 在线组 (web chat, A07–A12; a
chat agent handles several chats at once, so contacts per hour are higher
there without being harder work). One quarter of the real China calendar,
2025-09-29 (Monday) .. 2025-12-28 (Sunday), thirteen weeks:

- ``p09_agents``: the roster.
- ``p09_shifts``: one row per agent and scheduled day. Working days (调休
  Saturdays included) everyone is scheduled; on weekends and public holidays
  two agents are on duty by rota (法定节假日 duty counts as overtime). Absence
  days are rows with 出勤 = 病假 / 事假 and zeros. The 国庆/中秋 return day, the
  双十一 week and the week after it are busy; 2025-11-25 the order system
  was slow all day. A few break counts were not logged (empty).
- ``p09_pss``: each agent's weekly PSS-10 answers (the last working day of
  the week, period "最近一周"), with the main stress trigger they named. Some
  weeks are missing (absent, or skipped) and a few forms are incomplete.
- ``p09_log``: the personal stress log one new agent kept for two weeks.

How stress arises (hidden from the tasks, never a rule an answer can quote):
each agent has an own baseline and own sensitivities; perceived stress rises
with the agent's own workload, difficult contacts and overtime, plus noise
and a carry-over from the week before; more breaks than usual lower it for
some agents and hardly at all for others; two agents are counter-examples
(a calm veteran under heavy load, a lightly loaded agent stressed by matters
outside work).

>>> agents, shifts, pss = make_agents(), make_shifts(), make_pss()
>>> len(agents), shifts["坐席编号"].isin(agents["坐席编号"]).all(), pss["周次"].nunique()
(12, np.True_, 13)
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset
from .common import holiday_name, is_workday, person_names

SEED = 20250929
START, END = pd.Timestamp("2025-09-29"), pd.Timestamp("2025-12-28")
GROUPS = {"电话组": ["A01", "A02", "A03", "A04", "A05", "A06"], "在线组": ["A07", "A08", "A09", "A10", "A11", "A12"]}
RATE = {"电话组": 8.4, "在线组": 13.5}  # contacts per online hour on an ordinary day
DIFFICULT = {"电话组": 0.055, "在线组": 0.035}  # share of difficult contacts
MONTHS = {
    "A01": 26,
    "A02": 14,
    "A03": 38,
    "A04": 71,
    "A05": 9,
    "A06": 4,
    "A07": 3,
    "A08": 22,
    "A09": 45,
    "A10": 17,
    "A11": 11,
    "A12": 30,
}
# agent -> (baseline, load sensitivity, difficult sensitivity, overtime sensitivity, break effect, break habit)
PROFILE = {
    "A01": (15.0, 1.8, 0.45, 0.9, 3.2, 2.0),
    "A02": (16.5, 1.2, 0.55, 0.5, 0.3, 1.6),
    "A03": (14.0, 1.0, 0.35, 1.1, 2.8, 2.4),  # takes escalations (more difficult contacts)
    "A04": (9.5, 0.3, 0.10, 0.2, 0.2, 2.2),  # calm veteran: heavy load, low scores
    "A05": (17.0, 2.2, 0.50, 0.8, 3.6, 1.3),
    "A06": (18.5, 1.6, 0.60, 0.6, 0.4, 1.1),
    "A07": (19.5, 1.9, 0.70, 0.9, 3.0, 1.2),  # new agent, keeps the stress log
    "A08": (13.5, 1.4, 0.50, 0.7, 0.2, 2.0),
    "A09": (12.0, 0.9, 0.40, 0.6, 2.6, 2.6),  # takes escalations
    "A10": (20.5, 0.4, 0.20, 0.3, 0.5, 2.3),  # stressed by matters outside work
    "A11": (15.5, 1.5, 0.45, 0.8, 3.4, 1.5),
    "A12": (12.5, 1.1, 0.40, 1.0, 0.3, 1.9),
}
ESCALATION = {"A03": 2.0, "A09": 2.2}  # multiplier of the difficult share
ITEM_OFFSET = np.array([0.15, -0.1, 0.35, -0.15, 0.0, -0.05, -0.2, 0.05, 0.1, -0.15])
REVERSE = np.array([i in (4, 5, 7, 8) for i in range(1, 11)])

TRIGGERS = {  # trigger -> source
    "客户情绪激动、出言不逊": "客户压力",
    "同一问题被客户反复催促": "客户压力",
    "投诉升级到上级": "客户压力",
    "考核指标（接通率、满意度）": "公司压力",
    "加班和排班": "公司压力",
    "系统卡顿、查询慢": "公司压力",
    "流程繁琐、权限不够": "公司压力",
    "睡眠不好、身体疲劳": "自身压力",
    "家里的事情": "自身压力",
    "担心自己做不好": "自身压力",
    "考证和学习任务": "自身压力",
}


def _rng(offset=0):
    return np.random.default_rng(SEED + offset)


def _days():
    return pd.date_range(START, END, freq="D")


def _demand(day):
    """How busy the centre is on `day` (1 = ordinary)."""
    d = day.strftime("%m-%d")
    f = 1.0
    if day.day_of_week == 0:
        f *= 1.12
    if d in ("10-09", "10-10"):
        f *= 1.45  # first working days after the 国庆/中秋 break
    if "11-10" <= d <= "11-16":
        f *= 1.35 if d not in ("11-11", "11-12") else 1.55  # 双十一
    if "11-17" <= d <= "11-21":
        f *= 1.2  # returns and installation after 双十一
    if "12-01" <= d <= "12-10":
        f *= 0.92
    if d == "12-12":
        f *= 1.2
    if d in ("12-24", "12-25", "12-26"):
        f *= 0.9
    if holiday_name(day) in ("国庆节", "中秋节"):
        f *= 1.3
    return f


def make_agents():
    names = person_names(SEED, 12)
    rows = []
    for i, (group, ids) in enumerate(GROUPS.items()):
        for aid in ids:
            rows.append(
                (aid, names[int(aid[1:]) - 1], group, MONTHS[aid], "二线（升级投诉）" if aid in ESCALATION else "一线")
            )
    return pd.DataFrame(rows, columns=["坐席编号", "姓名", "班组", "入职月数", "岗位"])


def _group_of(aid):
    return next(g for g, ids in GROUPS.items() if aid in ids)


@lru_cache(maxsize=None)
def _shifts():
    rng = _rng(1)
    days = _days()
    work = is_workday(days)
    agents = [a for ids in GROUPS.values() for a in ids]
    skill = {a: float(rng.uniform(0.88, 1.12)) for a in agents}
    rows = []
    duty_turn = 0
    for day, is_work in zip(days, work):
        hol = holiday_name(day)
        if is_work:
            scheduled = agents
        else:  # two on duty by rota, one from each group
            k = duty_turn % 6
            scheduled = [GROUPS["电话组"][k], GROUPS["在线组"][(k + 2) % 6]]
            duty_turn += 1
        dem = _demand(day)
        slow = day == pd.Timestamp("2025-11-25")
        for a in agents:
            if a not in scheduled:
                continue
            group = _group_of(a)
            base, s_load, s_diff, s_ot, k_break, habit = PROFILE[a]
            p_absent = (
                0.02
                + (0.03 if a in ("A06", "A10") else 0)
                + (0.02 if "11-17" <= day.strftime("%m-%d") <= "11-28" else 0)
            )
            if is_work and rng.random() < p_absent:
                rows.append((day, a, "常规", rng.choice(["病假", "事假"], p=[0.6, 0.4]), 0.0, 0, 0, 0, 0))
                continue
            shift = "常规" if is_work else "值班"
            ot = 0
            if dem > 1.15 and rng.random() < 0.55 + 0.3 * (dem - 1.15):
                ot = int(rng.choice([30, 45, 60, 90, 120], p=[0.3, 0.25, 0.25, 0.15, 0.05]))
            elif rng.random() < 0.06:
                ot = int(rng.choice([15, 30, 45]))
            if shift == "值班" and hol:
                ot += 480  # a public-holiday duty day is overtime
            hours = round(float(rng.uniform(6.8, 7.6)) + ot % 480 / 60, 1)
            rate = RATE[group] * skill[a] * dem**0.55 * float(rng.normal(1, 0.07))
            contacts = int(max(5, round(rate * hours)))
            share = DIFFICULT[group] * ESCALATION.get(a, 1.0) * dem**0.8 * (2.6 if slow else 1.0)
            difficult = int(rng.binomial(contacts, min(share, 0.5)))
            breaks = int(np.clip(round(rng.normal(habit - 0.9 * (dem - 1) + 0.25 * rng.normal(), 0.55)), 0, 5))
            rows.append((day, a, shift, "出勤", hours, contacts, difficult, breaks, ot))
    df = pd.DataFrame(
        rows, columns=["日期", "坐席编号", "班次", "出勤", "在线小时", "接待量", "难缠接待", "休息次数", "加班分钟"]
    )
    df["休息次数"] = df["休息次数"].astype(float)
    lost = rng.random(len(df)) < 0.02
    df.loc[lost & (df["出勤"] == "出勤"), "休息次数"] = np.nan  # break clock-outs not logged
    return df


def make_shifts():
    return _shifts().copy()


def _week_load(shifts):
    s = shifts.copy()
    s["周次"] = s["日期"] - pd.to_timedelta(s["日期"].dt.day_of_week, unit="D")
    on = s[s["出勤"] == "出勤"]
    g = on.groupby(["坐席编号", "周次"])
    w = pd.DataFrame(
        {
            "rate": g["接待量"].sum() / g["在线小时"].sum(),
            "diff": g["难缠接待"].sum(),
            "ot": g["加班分钟"].sum() / 60,
            "breaks": g["休息次数"].mean(),
            "n": g.size(),
        }
    )
    return w


@lru_cache(maxsize=None)
def _pss():
    rng = _rng(2)
    shifts = _shifts()
    load = _week_load(shifts)
    agents = make_agents().set_index("坐席编号")
    weeks = pd.date_range(START, END, freq="W-MON")
    answer_days = _answer_days()
    rows = []
    for a in agents.index:
        base, s_load, s_diff, s_ot, k_break, habit = PROFILE[a]
        group = agents.at[a, "班组"]
        mine = load.loc[a]
        rate_ref = mine["rate"].median()
        prev = 0.0
        for wk in weeks:
            if wk not in mine.index:
                continue
            w = mine.loc[wk]
            per_day = w["diff"] / max(w["n"], 1)
            latent = (
                base
                - 0.5
                - (1.5 if group == "在线组" else 0)
                + s_load * 6 * (w["rate"] / rate_ref - 1)
                + s_diff * (per_day - 0.4) * 2.2
                + s_ot * min(w["ot"], 10) / 2.5
                - k_break * (w["breaks"] - habit)
                + 0.45 * prev
            )
            if a == "A10" and pd.Timestamp("2025-11-03") <= wk <= pd.Timestamp("2025-11-24"):
                latent += 6.0  # family matters, not work
            if a == "A07":
                latent -= 0.35 * (wk - START).days / 7  # settles in over the quarter
            noise = float(rng.normal(0, 3.0))
            prev = noise + 0.45 * prev
            latent = float(np.clip(latent + noise, 2, 38))
            day = answer_days.get((a, wk))
            if day is None or rng.random() < 0.05:
                continue  # absent on the day, or skipped this week
            sev = np.clip(np.round(latent / 10 + ITEM_OFFSET + rng.normal(0, 0.55, 10)), 0, 4)
            items = np.where(REVERSE, 4 - sev, sev).astype(float)
            if rng.random() < 0.03:
                items[int(rng.integers(10))] = np.nan  # an item left blank
            trigger = _trigger(rng, a, wk, w, latent, agents.at[a, "入职月数"])
            rows.append((wk, day, a, *items, trigger, TRIGGERS.get(trigger, "")))
    cols = ["周次", "填写日期", "坐席编号", *[f"题{i}" for i in range(1, 11)], "压力来源", "来源类别"]
    df = pd.DataFrame(rows, columns=cols)
    for c in cols[3:13]:
        df[c] = df[c].astype("Int64")
    df["压力来源"] = df["压力来源"].replace("", np.nan)
    df["来源类别"] = df["来源类别"].replace("", np.nan)
    return df.sort_values(["周次", "坐席编号"]).reset_index(drop=True)


@lru_cache(maxsize=None)
def _answer_days():
    """{(agent, Monday): the last day of that week the agent worked a regular shift} (the form is filled at the
    end of a shift); weeks with no such day are missing."""
    shifts = _shifts()
    s = shifts[(shifts["出勤"] == "出勤") & (shifts["班次"] == "常规")]
    monday = s["日期"].dt.normalize() - pd.to_timedelta(s["日期"].dt.day_of_week, unit="D")
    return s.groupby([s["坐席编号"], monday])["日期"].max().to_dict()


def _trigger(rng, agent, week, w, latent, months):
    if rng.random() < 0.05:
        return ""  # named none
    slow_week = week == pd.Timestamp("2025-11-24")
    per_day = w["diff"] / max(w["n"], 1)
    weights = {
        "客户情绪激动、出言不逊": 0.5 + 0.25 * per_day,
        "同一问题被客户反复催促": 1.0 + 0.1 * max(w["rate"] - 9, 0),
        "投诉升级到上级": 0.2 + (0.8 if agent in ESCALATION else 0),
        "考核指标（接通率、满意度）": 1.6 + (0.8 if week.day >= 22 else 0),
        "加班和排班": 0.2 + 0.3 * min(w["ot"], 10),
        "系统卡顿、查询慢": 0.25 + (4.0 if slow_week else 0),
        "流程繁琐、权限不够": 0.6,
        "睡眠不好、身体疲劳": 0.1 + 0.12 * max(latent - 15, 0) ** 1.3,
        "家里的事情": 0.2
        + (14.0 if agent == "A10" and pd.Timestamp("2025-11-03") <= week <= pd.Timestamp("2025-11-24") else 0),
        "担心自己做不好": 0.2 + (1.4 if months < 6 else 0),
        "考证和学习任务": 0.1 + (1.0 if agent in ("A05", "A11") else 0),
    }
    names = list(weights)
    p = np.array([weights[n] for n in names], dtype=float)
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def make_pss():
    return _pss().copy()


LOG = [  # (date, time, event, source, intensity 1-10, body and mood, what I did)
    (
        "2025-11-10",
        "09:40",
        "开班半小时排队 30 多个，连续接了 8 通催发货电话",
        "客户压力",
        6,
        "心跳快，说话越来越急",
        "挂断后做了三次慢呼吸，再接下一通",
    ),
    (
        "2025-11-10",
        "15:20",
        "一位客户骂了我五分钟，说要投诉我",
        "客户压力",
        8,
        "手发抖，想哭",
        "按流程转给组长，自己去茶水间站了 5 分钟",
    ),
    ("2025-11-10", "21:30", "下班后一直想着那个客户", "自身压力", 5, "睡不着，刷手机到一点", "刷短视频到很晚"),
    ("2025-11-11", "11:00", "系统提示我上午接通率低于目标", "公司压力", 6, "烦躁，胃不舒服", "午饭没吃，接着上线"),
    (
        "2025-11-11",
        "18:30",
        "组长通知今晚加班一小时",
        "公司压力",
        5,
        "很累，有点委屈",
        "给室友发消息吐槽了几句，心里好受些",
    ),
    (
        "2025-11-12",
        "10:15",
        "客户说上次的承诺没有兑现，要求赔偿",
        "客户压力",
        7,
        "脸发热，想反驳",
        "先在心里数到十，再复述客户的诉求",
    ),
    ("2025-11-12", "16:00", "同事帮我接了一个难缠的电话", "公司压力", 3, "松了口气", "下班请同事喝了杯奶茶，聊了聊"),
    ("2025-11-13", "14:30", "连续两小时没有离开座位", "公司压力", 6, "肩颈僵硬，眼睛发酸", "没有休息，一直接到下班"),
    ("2025-11-13", "20:00", "担心自己试用期考核过不了", "自身压力", 7, "心里发慌", "喝了两罐啤酒才睡着"),
    ("2025-11-14", "09:30", "早上起晚了，差点迟到", "自身压力", 4, "慌张", "给自己定了 23:30 放下手机的闹钟"),
    ("2025-11-14", "17:40", "本周接待量全组第三", "自身压力", 2, "有点高兴", "记在登记本上，奖励自己周末去爬山"),
    (
        "2025-11-17",
        "10:00",
        "退货高峰，好几个客户问同一个问题",
        "客户压力",
        5,
        "不耐烦",
        "把常见问答整理成便签贴在屏幕边",
    ),
    (
        "2025-11-17",
        "19:00",
        "下班路上还在想白天那几个退货单",
        "自身压力",
        3,
        "有点放不下",
        "在江边快走了 40 分钟，回来早早睡了",
    ),
    (
        "2025-11-18",
        "15:00",
        "客户投诉升级，组长找我了解情况",
        "客户压力",
        7,
        "紧张，手心出汗",
        "如实说明经过，和组长一起复盘了话术",
    ),
    ("2025-11-19", "12:30", "午休时心里还是堵", "自身压力", 5, "闷闷的", "到楼下透了 10 分钟气，晒了晒太阳"),
    (
        "2025-11-20",
        "16:45",
        "系统又卡了，客户等得不耐烦",
        "公司压力",
        6,
        "着急",
        "向客户说明原因并约定回电时间，记下来反映给组长",
    ),
    (
        "2025-11-21",
        "18:00",
        "周五要交试用期周小结，担心写不好",
        "自身压力",
        3,
        "有点紧张",
        "翻看两周的登记本，圈出最常出现的两件事写进小结",
    ),
]


def make_log():
    df = pd.DataFrame(LOG, columns=["日期", "时间", "事件", "压力来源", "强度", "身体和情绪反应", "我的做法"])
    df["日期"] = pd.to_datetime(df["日期"])
    return df


DATASETS = {
    "p09_agents": Dataset(make=make_agents, title="工作压力：客服中心坐席名单"),
    "p09_shifts": Dataset(make=make_shifts, title="工作压力：一个季度的排班与接待记录", dates=("日期",)),
    "p09_pss": Dataset(make=make_pss, title="工作压力：每周 PSS-10 压力问卷", dates=("周次", "填写日期")),
    "p09_log": Dataset(make=make_log, title="工作压力：新员工的压力登记本", dates=("日期",)),
}
