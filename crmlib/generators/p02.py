"""Synthetic datasets of project p02 开发潜在的客户.

A fictional supplier of energy monitoring and saving retrofits for factories
and warehouses, 苏州澜拓节能科技有限公司, logs every lead of the spring
season 2025 (registered 2025-03-01 .. 2025-05-31, exported 2025-06-30):

- ``p02_leads``: one row per lead as the CRM exports it: channel, company,
  contact, industry, city, size, budget band (some empty), whether the
  decision maker was reached, stated need, the furthest funnel stage and the
  date of each stage (a skipped stage has no date), contact attempts, owner,
  status and deal value. Quirks: the same company entered twice from two
  channels (name written differently or phone typed with spaces/+86),
  missing budgets, skipped stages, web and platform leads on weekends.
- ``p02_channel_costs``: what each channel cost in each month of the season.

Channel quality is drawn per lead from several overlapping effects (size,
budget, decision maker, need, an industry × channel term and noise), so no
channel is best everywhere.

>>> leads = make_leads()
>>> 480 <= len(leads) <= 540, leads["线索编号"].is_unique
(True, True)
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset
from . import common

SEED = 20250302
START, END, EXPORT = pd.Timestamp("2025-03-01"), pd.Timestamp("2025-05-31"), pd.Timestamp("2025-06-30")
COMPANY = "苏州澜拓节能科技有限公司"
STAGES = ["新线索", "已联系", "需求确认", "方案报价", "成交"]
STAGE_DATES = ["登记日期", "首次联系日期", "需求确认日期", "报价日期", "成交日期"]
CHANNELS = ["展会", "电话", "网站表单", "转介绍", "电商平台"]
N_BASE = {"展会": 72, "电话": 128, "网站表单": 112, "转介绍": 48, "电商平台": 124}
# Two trade fairs (three days each, all working days).
FAIRS = [pd.date_range("2025-03-19", "2025-03-21"), pd.date_range("2025-04-16", "2025-04-18")]
# Monthly cost of each channel (元): fair booths, call seats + lists, search ads, referral rewards, platform fee + ads.
COSTS = {
    "展会": {"2025-03": 86000, "2025-04": 78000, "2025-05": 6000},
    "电话": {"2025-03": 18000, "2025-04": 18000, "2025-05": 18000},
    "网站表单": {"2025-03": 11000, "2025-04": 12500, "2025-05": 13500},
    "转介绍": {"2025-03": 6000, "2025-04": 8000, "2025-05": 9000},
    "电商平台": {"2025-03": 16000, "2025-04": 7000, "2025-05": 7000},
}
COST_NOTES = {
    "展会": "两场工业展的展位、搭建、差旅和资料",
    "电话": "两名电话销售的坐席费和名单费",
    "网站表单": "搜索推广和落地页",
    "转介绍": "老客户推荐奖励和答谢活动",
    "电商平台": "平台年费（3 月缴纳）和站内推广",
}
INDUSTRIES = {  # 行业 -> company name suffixes
    "机械制造": ["机械有限公司", "精密机械有限公司", "装备有限公司"],
    "电子电器": ["电子有限公司", "电器有限公司", "电子科技有限公司"],
    "食品加工": ["食品有限公司", "食品科技有限公司"],
    "纺织服装": ["纺织有限公司", "服饰有限公司", "针织有限公司"],
    "化工材料": ["化工有限公司", "新材料有限公司"],
    "物流仓储": ["物流有限公司", "仓储有限公司", "供应链有限公司"],
}
IND_P = {  # industry mix per channel
    "展会": [0.30, 0.25, 0.10, 0.08, 0.17, 0.10],
    "电话": [0.22, 0.18, 0.18, 0.20, 0.10, 0.12],
    "网站表单": [0.20, 0.22, 0.16, 0.14, 0.12, 0.16],
    "转介绍": [0.20, 0.15, 0.20, 0.20, 0.10, 0.15],
    "电商平台": [0.15, 0.18, 0.20, 0.22, 0.07, 0.18],
}
# Referrals work best on average, but not among food and textile firms (peers refer
# each other for price comparison); platform leads do unusually well in logistics.
IND_EFFECT = {
    ("转介绍", "食品加工"): -1.6,
    ("转介绍", "纺织服装"): -1.3,
    ("电商平台", "物流仓储"): 0.9,
    ("展会", "化工材料"): 0.5,
    ("电话", "纺织服装"): 0.4,
    ("网站表单", "食品加工"): 0.4,
}
CHANNEL_EFFECT = {"展会": 0.15, "电话": -0.45, "网站表单": 0.0, "转介绍": 1.0, "电商平台": -0.3}
SIZES = ["大型", "中型", "小型", "微型"]
SIZE_P = {
    "展会": [0.30, 0.42, 0.22, 0.06],
    "电话": [0.08, 0.30, 0.40, 0.22],
    "网站表单": [0.10, 0.32, 0.38, 0.20],
    "转介绍": [0.12, 0.38, 0.35, 0.15],
    "电商平台": [0.03, 0.17, 0.42, 0.38],
}
BUDGETS = ["50万以上", "20～50万", "5～20万", "5万以下"]
BUDGET_BY_SIZE = {
    "大型": [0.45, 0.35, 0.15, 0.05],
    "中型": [0.12, 0.40, 0.38, 0.10],
    "小型": [0.03, 0.15, 0.52, 0.30],
    "微型": [0.0, 0.05, 0.35, 0.60],
}
BUDGET_MISSING = {"展会": 0.12, "电话": 0.22, "网站表单": 0.28, "转介绍": 0.08, "电商平台": 0.30}
DM_P = {"展会": 0.45, "电话": 0.22, "网站表单": 0.35, "转介绍": 0.70, "电商平台": 0.40}
NEEDS = {  # 需求程度 -> stated needs
    "明确": [
        "电费占成本比重高，想做节能改造",
        "要通过年底的能耗审计",
        "空压机房改造，已有预算",
        "新厂房配电与能耗监测一起规划",
    ],
    "有意向": ["想先装能耗监测看看哪里浪费", "设备老化，考虑明年更换", "老板关心双碳考核，先了解方案"],
    "仅了解": ["只是问问价格", "收集资料做比较", "同行推荐来看看"],
}
NEED_P = {
    "展会": [0.30, 0.40, 0.30],
    "电话": [0.15, 0.35, 0.50],
    "网站表单": [0.30, 0.40, 0.30],
    "转介绍": [0.40, 0.40, 0.20],
    "电商平台": [0.20, 0.35, 0.45],
}
DEAL_BASE = {"大型": 820000, "中型": 300000, "小型": 110000, "微型": 42000}  # typical deal (元)
CITY_P = {
    "苏州": 14,
    "无锡": 8,
    "上海": 10,
    "南京": 6,
    "杭州": 7,
    "宁波": 5,
    "合肥": 4,
    "温州": 3,
    "青岛": 3,
    "济南": 2,
    "郑州": 2,
    "武汉": 2,
    "东莞": 3,
    "佛山": 2,
}
SKIP_CONFIRM_REFERRAL = 0.35  # referred leads that go from first contact straight to a quote
ONLINE_QUOTE_PLATFORM = 0.30  # platform leads that ask for a quote online before any call


def _rng(offset=0):
    return common.rng(SEED + offset)


def _mobiles(seed, n):
    """`n` distinct mobile numbers in a fixed order (common.mobiles orders a set, which
    depends on the process's hash seed)."""
    r, out, seen = common.rng(seed), [], set()
    while len(out) < n:
        m = common.MOBILE_PREFIXES[int(r.integers(len(common.MOBILE_PREFIXES)))] + f"{int(r.integers(10**8)):08d}"
        if m not in seen:
            seen.add(m)
            out.append(m)
    return out


def _cities(rng, n):
    names = [c for c, w in CITY_P.items() if w > 0 and c in common.CITIES]
    w = np.array([CITY_P[c] for c in names], dtype=float)
    return rng.choice(names, size=n, p=w / w.sum())


def _next_workday(day):
    day = pd.Timestamp(day).normalize()
    while not common.is_workday_on(day):
        day += pd.Timedelta(days=1)
    return day


def _registration_dates(rng, channel, n):
    days = pd.date_range(START, END, freq="D")
    work = common.is_workday(days)
    if channel == "展会":
        fair = pd.DatetimeIndex(np.concatenate([f.values for f in FAIRS]))
        picks = rng.choice(len(fair), size=n, p=np.tile([0.42, 0.35, 0.23], 2) / 2)
        return fair[picks]
    weight = np.where(work, 1.0, 0.0)
    if channel in ("网站表单", "电商平台"):  # online: weekends and holidays too, a little less
        weight = np.where(work, 1.0, 0.45)
    if channel == "电话":  # the call team starts in the second week of March
        weight = np.where(days < pd.Timestamp("2025-03-10"), 0.0, weight)
    return days[rng.choice(len(days), size=n, p=weight / weight.sum())]


@lru_cache(maxsize=1)
def _base_leads():
    rng = _rng()
    rows = []
    for channel in CHANNELS:
        n = N_BASE[channel]
        inds = rng.choice(list(INDUSTRIES), size=n, p=IND_P[channel])
        sizes = rng.choice(SIZES, size=n, p=SIZE_P[channel])
        dates = _registration_dates(rng, channel, n)
        for i in range(n):
            size = sizes[i]
            budget = rng.choice(BUDGETS, p=BUDGET_BY_SIZE[size])
            if rng.random() < BUDGET_MISSING[channel]:
                budget = None
            need_level = rng.choice(list(NEEDS), p=NEED_P[channel])
            rows.append(
                {
                    "渠道": channel,
                    "行业": inds[i],
                    "企业规模": size,
                    "预算": budget,
                    "决策人": "是" if rng.random() < DM_P[channel] + (0.1 if size in ("小型", "微型") else 0) else "否",
                    "需求程度": need_level,
                    "需求描述": rng.choice(NEEDS[need_level]),
                    "登记日期": dates[i],
                }
            )
    df = pd.DataFrame(rows)
    n = len(df)
    df["城市"] = _cities(rng, n)
    df["公司名称"] = [c + name for c, name in zip(df["城市"], common.company_names(SEED, n, "有限公司"))]
    # industry-specific suffix instead of the plain one
    suffix = [rng.choice(INDUSTRIES[ind]) for ind in df["行业"]]
    df["公司名称"] = [name[: -len("有限公司")] + s for name, s in zip(df["公司名称"], suffix)]
    df["联系人"] = common.person_names(SEED, n)
    df["手机"] = _mobiles(SEED, n)
    df["曾合作"] = np.where(rng.random(n) < 0.045, "是", "否")
    return df, rng


def _quality(df, rng):
    """Latent readiness of each lead (log-odds scale)."""
    q = np.array([CHANNEL_EFFECT[c] + IND_EFFECT.get((c, i), 0.0) for c, i in zip(df["渠道"], df["行业"])])
    q += df["需求程度"].map({"明确": 1.1, "有意向": 0.2, "仅了解": -1.2}).to_numpy()
    q += np.where(df["决策人"] == "是", 0.8, -0.3)
    q += df["预算"].map({"50万以上": 0.3, "20～50万": 0.4, "5～20万": 0.2, "5万以下": -0.4}).fillna(-0.35).to_numpy()
    q += df["企业规模"].map({"大型": -0.15, "中型": 0.15, "小型": 0.1, "微型": -0.2}).to_numpy()
    q += np.where(df["曾合作"] == "是", 0.5, 0.0)
    return q + rng.normal(0, 0.7, len(df))


STEP_BASE = [1.6, -0.1, 0.2, -0.2]  # log-odds of passing 新线索→联系, →确认, →报价, →成交 at quality 0
GAP_DAYS = [(1, 6), (3, 15), (5, 20), (7, 30)]  # working-day-ish gaps between stages


def _progress(df, rng):
    q = _quality(df, rng)
    n = len(df)
    reached = np.zeros(n, dtype=int)
    dates = {c: [pd.NaT] * n for c in STAGE_DATES[1:]}
    skipped = {c: np.zeros(n, dtype=bool) for c in STAGE_DATES[1:]}
    last = list(df["登记日期"])
    attempts = np.zeros(n, dtype=int)
    for i in range(n):
        day = df["登记日期"].iloc[i]
        channel = df["渠道"].iloc[i]
        stage = 0
        for k in range(4):
            p = 1 / (1 + np.exp(-(STEP_BASE[k] + q[i])))
            if channel == "电话" and k == 0:
                p = 1.0  # a phone lead is logged after a call got through
            if rng.random() >= p:
                break
            lo, hi = GAP_DAYS[k]
            nxt = _next_workday(day + pd.Timedelta(days=int(rng.integers(lo, hi + 1))))
            if nxt > EXPORT:
                break
            stage, day = k + 1, nxt
            dates[STAGE_DATES[k + 1]][i] = day
        # skipped steps: the stage was passed but never logged
        if stage >= 3 and channel == "转介绍" and rng.random() < SKIP_CONFIRM_REFERRAL:
            dates["需求确认日期"][i] = pd.NaT
            skipped["需求确认日期"][i] = True
        if stage >= 3 and channel == "电商平台" and rng.random() < ONLINE_QUOTE_PLATFORM:
            dates["首次联系日期"][i] = pd.NaT
            dates["需求确认日期"][i] = pd.NaT
        reached[i] = stage
        last[i] = day
        base = {0: (1, 5), 1: (1, 4), 2: (2, 6), 3: (3, 9), 4: (4, 13)}[stage]
        attempts[i] = int(rng.integers(base[0], base[1] + 1))
    return reached, dates, last, attempts, q


def _status(reached, last, rng):
    out = []
    for r, day in zip(reached, last):
        if r == 4:
            out.append("已成交")
            continue
        idle = (EXPORT - day).days
        p_open = 0.85 if idle < 25 else (0.45 if idle < 50 else 0.12)
        if r == 3:
            p_open = min(1.0, p_open + 0.15)
        out.append("跟进中" if rng.random() < p_open else "已放弃")
    return out


def _owners():
    return common.person_names(SEED + 7, 5)


def _assign_owner(rng, channel, size):
    o = _owners()
    if channel == "展会" or size == "大型":
        return o[0] if rng.random() < 0.6 else o[1]
    if channel in ("电话",):
        return o[2] if rng.random() < 0.55 else o[3]
    return o[int(rng.integers(1, 5))]


def _phone_variant(rng, phone):
    kind = rng.integers(3)
    if kind == 0:
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    if kind == 1:
        return f"+86 {phone}"
    return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"


def _name_variant(rng, name, city):
    kind = rng.integers(3)
    short = name[len(city) :] if name.startswith(city) else name
    if kind == 0:  # city moved into brackets after the trade name
        return short[:2] + f"（{city}）" + short[2:]
    if kind == 1:
        return name.replace("有限公司", "有限责任公司")
    return name[: -len("有限公司")] if name.endswith("有限公司") else name


def _duplicates(df, rng):
    """Second entries of the same company from another channel (a later date)."""
    pick = rng.choice(len(df), size=30, replace=False)
    extra = []
    mob = iter(_mobiles(SEED + 99, 40))
    people = iter(common.person_names(SEED + 99, 40))
    for j, i in enumerate(pick):
        row = df.iloc[i].copy()
        others = [c for c in CHANNELS if c != row["渠道"]]
        w = np.array([0.15 if c == "展会" else 0.3 for c in others])
        row["渠道"] = rng.choice(others, p=w / w.sum())
        shift = int(rng.integers(3, 40))
        row["登记日期"] = min(END, row["登记日期"] + pd.Timedelta(days=shift))
        if row["渠道"] in ("展会", "电话", "转介绍"):
            row["登记日期"] = _next_workday(row["登记日期"])
            if row["渠道"] == "展会":
                row["登记日期"] = FAIRS[1][int(rng.integers(3))]
            if row["登记日期"] > END:  # the season ends on a Saturday: last working day before it
                row["登记日期"] = common.workdays(END - pd.Timedelta(days=10), END)[-1]
        mode = j % 3
        if mode == 0:  # same person, phone typed differently, name as before
            row["手机"] = _phone_variant(rng, row["手机"])
        elif mode == 1:  # same person and phone, company written differently
            row["公司名称"] = _name_variant(rng, row["公司名称"], row["城市"])
        else:  # a colleague from the same company: other person and phone, name varied slightly
            row["联系人"], row["手机"] = next(people), next(mob)
            if rng.random() < 0.5:
                row["公司名称"] = row["公司名称"].replace("有限公司", " 有限公司")
        row["预算"] = row["预算"] if rng.random() < 0.5 else None
        row["需求程度"] = "仅了解" if rng.random() < 0.5 else row["需求程度"]
        row["需求描述"] = rng.choice(NEEDS[row["需求程度"]])
        row["决策人"] = "否" if rng.random() < 0.6 else row["决策人"]
        row["_dup"] = True
        extra.append(row)
    return pd.DataFrame(extra)


@lru_cache(maxsize=1)
def _leads():
    base, rng = _base_leads()
    base = base.copy()
    base["_dup"] = False
    dups = _duplicates(base, rng)
    df = pd.concat([base, dups], ignore_index=True)
    df["登记日期"] = pd.to_datetime(df["登记日期"])
    reached, dates, last, attempts, _ = _progress(df, rng)
    # a duplicate entry rarely gets far: the second owner finds the first file
    is_dup = df["_dup"].to_numpy()
    for i in np.flatnonzero(is_dup & (reached > 1)):
        reached[i] = 1
        for c in STAGE_DATES[2:]:
            dates[c][i] = pd.NaT
        last[i] = dates["首次联系日期"][i] if not pd.isna(dates["首次联系日期"][i]) else df["登记日期"].iloc[i]
    df["阶段"] = [STAGES[r] for r in reached]
    for c in STAGE_DATES[1:]:
        df[c] = pd.to_datetime(pd.Series(dates[c]))
    df["联系次数"] = attempts
    df["状态"] = _status(reached, last, rng)
    df["最近跟进日期"] = pd.to_datetime(pd.Series(last))
    df["负责人"] = [_assign_owner(rng, c, s) for c, s in zip(df["渠道"], df["企业规模"])]
    # deal value: size, budget and fair visitors (bigger projects); noise
    won = df["阶段"] == "成交"
    factor = df["预算"].map({"50万以上": 1.35, "20～50万": 1.05, "5～20万": 0.8, "5万以下": 0.55}).fillna(0.9)
    factor *= np.where(df["渠道"] == "展会", 1.25, 1.0)
    value = df["企业规模"].map(DEAL_BASE) * factor * np.exp(rng.normal(0, 0.35, len(df)))
    df["成交金额"] = np.where(won, (value / 100).round() * 100, np.nan)
    df = df.sort_values(["登记日期", "渠道"], kind="stable").reset_index(drop=True)
    df.insert(0, "线索编号", [f"L{i + 1:04d}" for i in range(len(df))])
    cols = [
        "线索编号",
        "登记日期",
        "渠道",
        "公司名称",
        "联系人",
        "手机",
        "行业",
        "城市",
        "企业规模",
        "预算",
        "决策人",
        "需求程度",
        "需求描述",
        "曾合作",
        "阶段",
        "首次联系日期",
        "需求确认日期",
        "报价日期",
        "成交日期",
        "最近跟进日期",
        "联系次数",
        "负责人",
        "状态",
        "成交金额",
    ]
    return df[cols]


def make_leads():
    """One row per lead of the spring season 2025 (see the module docstring)."""
    return _leads().copy()


def make_channel_costs():
    """Cost of each channel in each month of the season (元).

    >>> make_channel_costs()["费用"].sum()
    np.int64(314000)
    """
    rows = [{"月份": m, "渠道": c, "费用": v, "说明": COST_NOTES[c]} for c in CHANNELS for m, v in COSTS[c].items()]
    return pd.DataFrame(rows)


DATASETS = {
    "p02_leads": Dataset(
        make=make_leads,
        title="开发潜在的客户：春季线索表",
        dates=("登记日期", "首次联系日期", "需求确认日期", "报价日期", "成交日期", "最近跟进日期"),
    ),
    "p02_channel_costs": Dataset(make=make_channel_costs, title="开发潜在的客户：各渠道月度费用"),
}
