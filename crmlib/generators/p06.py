"""Synthetic datasets of project p06 客户满意度与忠诚度管理.

A fictional supermarket chain, 润禾生活超市 in 杭州, with three stores (城东店,
城西店, 滨江店) and a membership card. Three years of member purchases
(2023-01-01 .. 2025-12-31) and a member survey taken in November 2024:

- ``p06_members``: one row per member (segment, home store, join date).
- ``p06_orders``: one row per shopping trip of a member (amount, gross margin).
- ``p06_survey``: one row per returned questionnaire: importance and
  performance of eight attributes, overall satisfaction, likelihood to
  recommend (0–10), intention to come back and three loyalty questions.

How the story is built (and why no answer restates a rule):

- Every member has a latent satisfaction and a latent attachment. Each month
  a member may leave for good (a hazard); the hazard falls with attachment
  and, more weakly, with satisfaction. Trips per month follow the segment's
  habits. So satisfaction helps loyalty, but does not decide it.
- 上班族 (office workers) rate the stores highly (fast checkout, delivery)
  but their attachment is low: they switch to apps and convenience stores.
  Some of them are loyal all the same; 银发客户 are less satisfied and yet
  stay the longest.
- 城西店 was refitted in September 2024: its members split into delighted and
  annoyed ones, so its mean satisfaction looks ordinary while few answers
  sit in the middle.
- Importance weights differ by segment (price for 银发客户, freshness for
  families, speed and delivery for 上班族).
- Real quirks: members who already shopped before 2023 all show up with a
  first purchase in January 2023; six questionnaires (one of each segment, two more from 城西店) were submitted twice;
  some answers are blank; a few respondents ticked 5 everywhere; phone
  interviews (电话回访) happen on China working days only, in-store scans any day.
- Shopping follows the China calendar: more trips on weekends and public
  holidays, a rush before 春节 and quiet days during it.

>>> m, o, s = make_members(), make_orders(), make_survey()
>>> o["客户编号"].isin(m["客户编号"]).all() and s["客户编号"].isin(m["客户编号"]).all()
np.True_
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset
from . import common

SEED = 20240606
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")
SURVEY_START, SURVEY_END = pd.Timestamp("2024-11-04"), pd.Timestamp("2024-11-29")
STORES = ["城东店", "城西店", "滨江店"]
SEGMENTS = ["家庭客户", "上班族", "银发客户", "学生"]
SEG_SHARE = [0.38, 0.30, 0.22, 0.10]
ATTRIBUTES = ["商品新鲜", "价格实惠", "品类齐全", "结账速度", "员工态度", "环境整洁", "停车便利", "配送到家"]

# segment -> (satisfaction mean, attachment mean, trips per active month, basket 元)
SEG = {
    "家庭客户": (3.85, 0.30, 1.7, 168.0),
    "上班族": (4.25, -1.25, 1.1, 96.0),
    "银发客户": (3.55, 0.95, 2.2, 72.0),
    "学生": (3.70, -0.60, 0.9, 45.0),
}
# importance of each attribute (1–5 scale, before noise), by segment
IMPORTANCE = {
    "家庭客户": [4.8, 4.3, 4.2, 3.4, 3.7, 3.6, 3.5, 3.0],
    "上班族": [4.2, 3.3, 3.6, 4.7, 3.5, 3.4, 2.6, 4.5],
    "银发客户": [4.5, 4.8, 3.4, 3.0, 4.5, 3.5, 2.2, 2.6],
    "学生": [3.6, 4.7, 3.8, 4.0, 3.2, 3.0, 1.9, 3.6],
}
# performance around an average member (satisfaction 3.8)
PERFORMANCE = [4.2, 3.1, 3.9, 3.2, 4.0, 4.4, 3.0, 3.6]


def _rng(k=0):
    return common.rng(SEED + k)


@lru_cache(maxsize=None)
def _day_weights():
    """Shopping weight of each calendar day: weekends/holidays busier, 春节 rush then lull."""
    days = pd.date_range(START, END, freq="D")
    work = common.is_workday(days)
    w = np.where(work, 1.0, 1.45)
    names = np.array([common.holiday_name(d) for d in days])
    spring = np.flatnonzero(np.char.find(names.astype(str), "春节") >= 0)
    for i in spring:
        w[i] = 0.35
    # the ten days before each 春节 holiday block: buying for the new year
    starts = [i for i in spring if i == 0 or i - 1 not in set(spring)]
    for i in starts:
        w[max(0, i - 10) : i] *= 2.0
    return days, w


@lru_cache(maxsize=None)
def _members():
    rng = _rng(1)
    months = pd.period_range("2023-01", "2025-12", freq="M")
    joins = rng.poisson(30, len(months))
    joins[0] = 220  # members from before 2023 first appear in January 2023
    joins[:3] += 6  # spring promotion
    n = int(joins.sum())
    join_month = np.repeat(np.arange(len(months)), joins)
    seg = rng.choice(SEGMENTS, n, p=SEG_SHARE)
    store = rng.choice(STORES, n, p=[0.4, 0.33, 0.27])
    sat = np.array([SEG[s][0] for s in seg]) + rng.normal(0, 0.45, n)
    # 城西店 after its refit: delighted or annoyed, few in between
    west = store == "城西店"
    happy = rng.random(n) < 0.6
    sat = np.where(west, np.where(happy, sat + 0.9, sat - 1.4), sat)
    attach = np.array([SEG[s][1] for s in seg]) + rng.normal(0, 0.75, n)
    loyal_workers = (seg == "上班族") & (rng.random(n) < 0.18)  # live next door: loyal anyway
    attach = np.where(loyal_workers, attach + 1.6, attach)
    ids = [f"M{i:05d}" for i in range(1, n + 1)]
    names = common.person_names(SEED, n)
    day_in_month = rng.integers(1, 29, n)
    join_dates = [months[m].start_time + pd.Timedelta(days=int(d) - 1) for m, d in zip(join_month, day_in_month)]
    return pd.DataFrame(
        {
            "客户编号": ids,
            "姓名": names,
            "客户类型": seg,
            "常去门店": store,
            "入会日期": pd.to_datetime(join_dates),
            "lat_sat": sat,
            "lat_attach": attach,
            "join_k": join_month,
        }
    )


def make_members():
    """p06_members: one row per member.

    >>> m = make_members()
    >>> m.columns.tolist()
    ['客户编号', '姓名', '客户类型', '常去门店', '入会日期']
    """
    m = _members()
    out = m[["客户编号", "姓名", "客户类型", "常去门店", "入会日期"]].copy()
    # members from before 2023 joined earlier than the data shows
    old = m["join_k"].eq(0).to_numpy() & (np.arange(len(m)) < 220)
    r = _rng(2)
    back = pd.to_timedelta(r.integers(30, 1800, int(old.sum())), unit="D")
    out.loc[old, "入会日期"] = pd.Timestamp("2023-01-01") - back
    return out


@lru_cache(maxsize=None)
def _orders():
    rng = _rng(3)
    m = _members()
    days, w = _day_weights()
    months = pd.period_range("2023-01", "2025-12", freq="M")
    month_of_day = days.to_period("M")
    # each month's days and their weights, by month number (computed once, not per member and month)
    day_idx = [np.flatnonzero(month_of_day == p) for p in months]
    day_cdf = [common.cumulative(w[idx] / w[idx].sum()) for idx in day_idx]
    rows_cust, rows_day, rows_amt = [], [], []
    for i, r in enumerate(m.itertuples()):
        _, _, trips, basket = SEG[r.客户类型]
        hazard = 1 / (1 + np.exp(2.9 + 1.5 * r.lat_attach + 0.55 * (r.lat_sat - 3.8)))
        habit = rng.gamma(4.0, 0.25)  # some shop a lot, some little
        for k in range(r.join_k, len(months)):
            if k > r.join_k and rng.random() < hazard:
                break
            n = rng.poisson(trips * habit) if k > r.join_k else max(1, rng.poisson(trips * habit))
            if n == 0:
                continue
            idx, cdf = day_idx[k], day_cdf[k]
            if k == r.join_k:  # first trip on the join day
                first = idx[0] + (r.入会日期.day - 1)
                picks = [first] + list(common.draw(rng, idx, cdf, n - 1))
            else:
                picks = common.draw(rng, idx, cdf, n)
            rows_cust += [i] * len(picks)
            rows_day += list(picks)
            rows_amt += list(np.round(rng.lognormal(np.log(basket), 0.55, len(picks)), 1))
    cust = np.array(rows_cust)
    o = pd.DataFrame(
        {
            "客户编号": m["客户编号"].to_numpy()[cust],
            "下单日期": days[np.array(rows_day)],
            "门店": m["常去门店"].to_numpy()[cust],
            "金额": rows_amt,
        }
    )
    # one trip in ten goes to another store
    other = rng.random(len(o)) < 0.1
    o.loc[other, "门店"] = rng.choice(STORES, int(other.sum()))
    # spring-festival rush: bigger baskets
    rush = pd.Series(w[np.array(rows_day)] >= 2.0)
    o.loc[rush.to_numpy(), "金额"] = (o.loc[rush.to_numpy(), "金额"] * 1.6).round(1)
    o["毛利"] = (o["金额"] * rng.normal(0.2, 0.03, len(o)).clip(0.08, 0.32)).round(1)
    o = o.sort_values(["下单日期", "客户编号"], kind="stable").reset_index(drop=True)
    d = o["下单日期"].dt
    ymd = (d.year % 100 * 10000 + d.month * 100 + d.day).to_numpy()
    o.insert(0, "小票号", [f"X{v:06d}{i:05d}" for i, v in enumerate(ymd.tolist())])
    return o


def make_orders():
    """p06_orders: one row per shopping trip of a member, 2023-01-01 .. 2025-12-31.

    >>> o = make_orders()
    >>> o.columns.tolist()
    ['小票号', '客户编号', '下单日期', '门店', '金额', '毛利']
    >>> bool((o["毛利"] < o["金额"]).all())
    True
    """
    return _orders().copy()


def _likert(rng, x, sd):
    return np.clip(np.round(x + rng.normal(0, sd, len(x))), 1, 5).astype(float)


@lru_cache(maxsize=None)
def _survey():
    rng = _rng(4)
    m = _members()
    o = _orders()
    window = o[(o["下单日期"] >= "2024-08-01") & (o["下单日期"] <= "2024-10-31")]
    active = m[m["客户编号"].isin(window["客户编号"])]
    resp = active[rng.random(len(active)) < 0.78].reset_index(drop=True)
    n = len(resp)
    sat = resp["lat_sat"].to_numpy()
    seg = resp["客户类型"].to_numpy()
    data = {}
    for j, a in enumerate(ATTRIBUTES):
        base = np.array([IMPORTANCE[s][j] for s in seg])
        data[f"重要性_{a}"] = _likert(rng, base, 0.55)
    for j, a in enumerate(ATTRIBUTES):
        x = PERFORMANCE[j] + 0.75 * (sat - 3.8)
        if a in ("结账速度", "配送到家"):
            x = x + np.where(seg == "上班族", 0.45, 0.0)
        if a == "停车便利":
            x = x + np.where(resp["常去门店"].to_numpy() == "城西店", -0.5, 0.0)
        data[f"表现_{a}"] = _likert(rng, x, 0.7)
    overall = _likert(rng, sat, 0.45)
    recommend = np.clip(np.round(2.1 * sat - 0.6 + rng.normal(0, 1.0, n)), 0, 10)
    attach = resp["lat_attach"].to_numpy()
    again = _likert(rng, 0.55 * sat + 0.55 * attach + 1.9, 0.6)
    first_choice = np.where(rng.random(n) < 1 / (1 + np.exp(-(1.1 * attach + 0.5 * (sat - 3.8)))), "是", "否")
    complained = np.where(rng.random(n) < 1 / (1 + np.exp(2.2 + 1.2 * (sat - 3.3))), "是", "否")
    price_ok = _likert(rng, 2.9 + 0.8 * attach + 0.3 * (sat - 3.8) - np.where(seg == "学生", 0.6, 0), 0.7)
    way = rng.choice(["门店扫码", "电话回访", "小程序"], n, p=[0.45, 0.3, 0.25])
    days = pd.date_range(SURVEY_START, SURVEY_END, freq="D")
    work = common.workdays(SURVEY_START, SURVEY_END)
    date = np.where(way == "电话回访", rng.choice(work, n), rng.choice(days, n))
    s = pd.DataFrame(
        {
            "客户编号": resp["客户编号"],
            "调查日期": pd.to_datetime(date),
            "调查方式": way,
            "门店": resp["常去门店"],
            "客户类型": seg,
            **data,
            "总体满意度": overall,
            "推荐意愿": recommend,
            "复购意愿": again,
            "首选本店": first_choice,
            "近一年投诉过": complained,
            "涨价仍会光顾": price_ok,
        }
    )
    # straight-liners: 5 everywhere
    liner = rng.choice(n, 9, replace=False)
    for c in s.columns:
        if c.startswith(("重要性_", "表现_")) or c in ("总体满意度", "复购意愿", "涨价仍会光顾"):
            s.loc[liner, c] = 5.0
    s.loc[liner, "推荐意愿"] = 10.0
    # blanks: skipped questions
    for c, k in (("推荐意愿", 14), ("重要性_配送到家", 11), ("表现_配送到家", 23), ("表现_停车便利", 8)):
        s.loc[rng.choice(n, k, replace=False), c] = np.nan
    s = s.sort_values(["调查日期", "客户编号"], kind="stable").reset_index(drop=True)
    # six questionnaires submitted twice (same answers, a later number)
    one_each = [int(rng.choice(np.flatnonzero(s["客户类型"].to_numpy() == g))) for g in SEGMENTS]
    west = np.flatnonzero(s["门店"].to_numpy() == "城西店")
    rest = rng.choice(np.setdiff1d(west, one_each), 2, replace=False).tolist()
    dup = s.iloc[sorted(one_each + rest)]
    s = pd.concat([s, dup], ignore_index=True)
    s.insert(0, "问卷编号", [f"Q{i:04d}" for i in range(1, len(s) + 1)])
    scores = [c for c in s.columns if c.startswith(("重要性_", "表现_"))]
    for c in scores + ["总体满意度", "推荐意愿", "复购意愿", "涨价仍会光顾"]:
        # whole numbers; a column with blanks stays float (as read back from the CSV)
        s[c] = s[c].astype("float64" if s[c].isna().any() else "int64")
    return s


def make_survey():
    """p06_survey: one row per returned questionnaire (November 2024).

    >>> s = make_survey()
    >>> bool(s["推荐意愿"].dropna().between(0, 10).all()), int(s["客户编号"].duplicated().sum())
    (True, 6)
    """
    return _survey().copy()


DATASETS = {
    "p06_members": Dataset(make=make_members, title="满意度与忠诚度：会员档案", dates=("入会日期",)),
    "p06_orders": Dataset(make=make_orders, title="满意度与忠诚度：会员三年购物记录", dates=("下单日期",)),
    "p06_survey": Dataset(make=make_survey, title="满意度与忠诚度：2024 年 11 月会员满意度调查", dates=("调查日期",)),
}
