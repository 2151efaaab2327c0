"""Synthetic dataset of project p05 正确处理客户投诉.

A fictional small-appliance maker, 杭州澜禾电器有限公司, sells air fryers, rice
cookers, robot vacuums, blenders, kettles and humidifiers online and in
shops. ``p05_complaints`` holds every complaint it received in 2025 (about
3000 rows), exported on 2026-01-05 09:00:

- channels: 热线 and 在线客服 are staffed 08:00–22:00 every day (thinly over
  春节 and 国庆); 电子邮件, 应用商店评论 and 12315 转办 are handled by a back
  office on China working days 09:00–18:00. The back office is a queue, so
  cases that pile up over the long holidays are answered days later
  (the holiday backlog after 春节 and 国庆).
- causes depend on product and season (deliveries after 618 and 双十一,
  kettles' quality, robot vacuums' repairs), so the Pareto of one product or
  quarter differs from the whole year's.
- quirks: reopened cases (重开次数 > 0, the resolved time is the final
  closing), a few closed cases without a resolved time (录入遗漏), open cases
  at the export, satisfaction only for customers who answered the follow-up
  call, repurchase unknown while the 90-day window is still open.
- recovery: satisfaction and repurchase come from hidden variables (each
  customer's own loyalty, how fast and how fair the recovery felt, noise),
  so fast, fair recovery helps on average, some fast cases still lose the
  customer and some slow ones win them back.

>>> c = make_complaints()
>>> 2500 < len(c) < 3500, c["渠道"].nunique(), c["受理时间"].dt.year.unique().tolist()
(True, 5, [2025])
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset
from . import common
from ..topics.sla import DAY_HOURS, WORK_START, _days, _working_clock

SEED = 20250505
COMPANY = "杭州澜禾电器有限公司"
START, END = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")
ASOF = pd.Timestamp("2026-01-05 09:00")  # the export
CHANNELS = {"热线": 0.33, "在线客服": 0.30, "电子邮件": 0.11, "应用商店评论": 0.17, "12315 转办": 0.09}
LIVE = ("热线", "在线客服")  # staffed 08:00–22:00 every day
PRODUCTS = {"空气炸锅": 0.21, "电饭煲": 0.19, "扫地机器人": 0.19, "破壁机": 0.14, "电热水壶": 0.15, "加湿器": 0.12}
CAUSES = ["产品质量", "物流配送", "安装维修", "客服态度", "价格促销", "退换货办理", "使用说明"]
# product -> weight of each cause (same order as CAUSES)
CAUSE_W = {
    "空气炸锅": [6, 3.5, 0.4, 0.7, 1.2, 1.6, 0.8],
    "电饭煲": [6.5, 3, 0.4, 0.7, 1.0, 1.4, 0.7],
    "扫地机器人": [3.5, 2, 5, 0.8, 0.8, 1.5, 2.6],
    "破壁机": [5, 3, 0.4, 0.8, 1.2, 1.6, 0.9],
    "电热水壶": [8, 2.4, 0.2, 0.6, 0.7, 1.2, 0.3],
    "加湿器": [5.5, 2.6, 0.4, 0.7, 0.8, 1.4, 1.8],
}
SEVERITY = ["一般", "较重", "严重"]
HOLIDAYS = [
    (pd.Timestamp("2025-01-28"), pd.Timestamp("2025-02-04")),  # 春节
    (pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-08")),
]  # 国庆、中秋
SUMMARY = {  # cause -> short complaint texts ({p} = product)
    "产品质量": [
        "{p}用了不到一个月就不能开机",
        "{p}底部漏水，担心安全",
        "{p}有明显异味，怀疑材料有问题",
        "新买的{p}外壳开裂",
        "{p}工作时噪音很大，和宣传不符",
    ],
    "物流配送": [
        "{p}下单一周还没发货",
        "快递把{p}外箱压坏了",
        "{p}送错了型号",
        "物流信息三天没有更新，{p}不知道在哪里",
        "配送员没打电话就把{p}放在驿站",
    ],
    "安装维修": [
        "{p}报修后一直没人上门",
        "维修后的{p}又出现同样的问题",
        "上门师傅迟到两小时还多收费",
        "{p}返厂维修超过两周没有消息",
    ],
    "客服态度": [
        "客服说话不耐烦，问题没解决就挂电话",
        "在线客服一直发模板话术",
        "反映{p}的问题被踢皮球，让我找快递",
        "答应回电却没有回电",
    ],
    "价格促销": ["{p}刚买就降价，要求退差价", "活动赠品没有收到", "优惠券下单时无法使用", "{p}页面价格和结算价不一致"],
    "退换货办理": ["{p}申请退货一直在审核", "换货寄回后迟迟没有收到新机", "退款金额少了", "七天无理由退货被拒绝"],
    "使用说明": ["说明书看不懂，{p}不会设置", "{p}的手机应用连不上", "不知道{p}怎么清洗", "{p}的预约功能怎么用"],
}


def _rng(offset=0):
    """The generator's random source; `offset` separates the streams.

    >>> float(_rng().random()) == float(_rng().random())
    True
    """
    return np.random.default_rng(SEED + offset)


# ------------------------------------------------------------ working clock


@lru_cache(maxsize=1)
def _table():
    return _days(START - pd.Timedelta(days=3), ASOF + pd.Timedelta(days=400))


def _to_clock(times):
    """Working hours (09:00–18:00 on China working days) since the table start."""
    return _working_clock(times, *_table())


def _from_clock(w):
    """The moment at which the working clock reads `w` (inverse of ``_to_clock``).

    >>> t = pd.DatetimeIndex(["2025-01-27 17:00", "2025-02-05 10:30"])
    >>> _from_clock(_to_clock(t)).strftime("%m-%d %H:%M").tolist()
    ['01-27 17:00', '02-05 10:30']
    """
    days, work, before = _table()
    w = np.asarray(w, dtype=float)
    # the working day whose hours contain w: last working day with before <= w (w on a day end stays there)
    wd = np.flatnonzero(work)
    i = wd[np.clip(np.searchsorted(before[wd], w, side="right") - 1, 0, len(wd) - 1)]
    rest = np.minimum(w - before[i], DAY_HOURS)
    return days[i] + pd.to_timedelta(WORK_START + rest, unit="h")


def _in_holiday(times):
    t = pd.DatetimeIndex(times).normalize()
    return np.any([(t >= a) & (t <= b) for a, b in HOLIDAYS], axis=0)


# ------------------------------------------------------------ arrivals


def _daily_rate(days):
    """Expected complaints per day: base, weekends, 春节 (deliveries and gifts), 618 and 双十一 peaks."""
    rate = np.full(len(days), 7.0)
    rate[days.day_of_week >= 5] *= 1.15
    md = days.month * 100 + days.day
    rate[(md >= 120) & (md <= 215)] *= 1.35
    rate[(md >= 616) & (md <= 705)] *= 1.6
    rate[(md >= 1111) & (md <= 1130)] *= 2.1
    rate[(days.month >= 11) | (days.month <= 2)] *= 1.1
    return rate


def _arrivals(rng):
    days = pd.date_range(START, END, freq="D")
    n = rng.poisson(_daily_rate(days))
    day = np.repeat(days, n)
    channel = rng.choice(list(CHANNELS), len(day), p=list(CHANNELS.values()))
    hours = np.where(np.isin(channel, LIVE), rng.uniform(8, 22, len(day)), rng.uniform(0, 24, len(day)))
    # 12315 referrals arrive in the regulator's office hours on working days
    ref = channel == "12315 转办"
    hours[ref] = rng.uniform(9, 17, ref.sum())
    t = pd.DatetimeIndex(day) + pd.to_timedelta(np.round(hours * 60), unit="min")
    if ref.any():
        t_ref = pd.DatetimeIndex(t[ref])
        shift = ~common.is_workday(t_ref)
        if shift.any():
            nxt = _from_clock(_to_clock(t_ref[shift].normalize()) + 0.0)  # next working day 09:00
            t_ref = t_ref.to_numpy().copy()
            t_ref[shift] = (nxt + pd.to_timedelta(rng.uniform(0.5, 7.5, shift.sum()), unit="h")).to_numpy()
            t = t.to_numpy().copy()
            t[ref] = t_ref
            t = pd.DatetimeIndex(t)
    order = np.argsort(t.to_numpy(), kind="stable")
    return pd.DatetimeIndex(t[order]).floor("min"), channel[order]


# ------------------------------------------------------------ the table


@lru_cache(maxsize=1)
def _complaints():
    rng = _rng()
    received, channel = _arrivals(rng)
    n = len(received)
    month = received.month.to_numpy()
    product_p = np.array(list(PRODUCTS.values()))
    products = np.empty(n, dtype=object)
    for i in range(n):  # humidifiers in winter, fryers and blenders in summer
        p = product_p.copy()
        if month[i] in (11, 12, 1, 2):
            p[5] *= 2.2
        if month[i] in (6, 7, 8):
            p[0] *= 1.3
            p[3] *= 1.3
            p[5] *= 0.4
        products[i] = list(PRODUCTS)[rng.choice(6, p=p / p.sum())]
    md = received.month * 100 + received.day
    peak = np.asarray(((md >= 616) & (md <= 710)) | ((md >= 1111) & (md <= 1205)) | ((md >= 120) & (md <= 212)))
    causes = np.empty(n, dtype=object)
    for i in range(n):
        w = np.array(CAUSE_W[products[i]], dtype=float)
        if peak[i]:
            w[1] *= 2.6  # deliveries
            w[4] *= 1.8  # price promises
        if channel[i] == "应用商店评论":
            w[6] *= 1.8  # app does not connect
            w[3] *= 1.3
        causes[i] = CAUSES[rng.choice(len(CAUSES), p=w / w.sum())]
    sev_p = {
        "产品质量": [0.45, 0.38, 0.17],
        "物流配送": [0.62, 0.32, 0.06],
        "安装维修": [0.42, 0.43, 0.15],
        "客服态度": [0.55, 0.35, 0.10],
        "价格促销": [0.70, 0.26, 0.04],
        "退换货办理": [0.50, 0.38, 0.12],
        "使用说明": [0.88, 0.11, 0.01],
    }
    sev = np.array([rng.choice(3, p=sev_p[c]) for c in causes])
    sev[(channel == "12315 转办") & (sev == 0)] = rng.choice(
        [0, 1, 2], ((channel == "12315 转办") & (sev == 0)).sum(), p=[0.35, 0.45, 0.2]
    )
    # ---- first response
    first = np.empty(n, dtype="datetime64[ns]")
    hol = _in_holiday(received)
    live = np.isin(channel, LIVE)
    hour = (received.hour + received.minute / 60).to_numpy()
    wait = np.where(channel == "热线", rng.exponential(0.12, n), rng.exponential(0.05, n))
    wait = np.where(hol, rng.exponential(2.5, n), wait)  # thin holiday shifts: call-backs
    inside = (hour >= 8) & (hour < 22)
    t_live = received + pd.to_timedelta(wait, unit="h")
    next_morning = received.normalize() + pd.Timedelta(days=1) + pd.to_timedelta(8 + rng.exponential(0.6, n), unit="h")
    t_live = np.where(inside, t_live.to_numpy(), next_morning.to_numpy())
    first[live] = t_live[live]
    back = ~live
    w_arr = _to_clock(received[back])
    order = np.argsort(w_arr, kind="stable")
    service = rng.exponential(0.75, back.sum())  # working hours per case: about 1.3 cases an hour
    service[channel[back] == "12315 转办"] *= 1.6
    done = np.empty(back.sum())
    clock = 0.0
    for k in order:
        clock = max(clock, w_arr[k]) + service[k]
        done[k] = clock
    done += rng.exponential(0.4, back.sum())
    first[back] = _from_clock(done).to_numpy()
    first = pd.DatetimeIndex(first).floor("min")
    # ---- resolution (working hours of handling after the first response, by cause and severity)
    base = {
        "产品质量": 30,
        "物流配送": 14,
        "安装维修": 40,
        "客服态度": 6,
        "价格促销": 9,
        "退换货办理": 26,
        "使用说明": 2,
    }
    handle = np.array([base[c] for c in causes]) * np.array([0.7, 1.05, 1.5])[sev] * rng.lognormal(0, 0.75, n)
    quick = np.isin(causes, ["使用说明", "客服态度"]) & live & (rng.random(n) < 0.55)
    handle[quick] = rng.uniform(0.05, 0.5, quick.sum())  # settled on the call
    # a sluggish team in late summer and a push before the year end
    handle *= np.where((month >= 7) & (month <= 8), 1.25, 1.0) * np.where(month == 12, 0.85, 1.0)
    reopen = np.where(
        rng.random(n) < 0.08 + 0.05 * (sev == 2) + 0.04 * np.isin(causes, ["安装维修", "产品质量"]),
        rng.choice([1, 1, 1, 2], n),
        0,
    )
    handle += reopen * rng.uniform(8, 40, n)
    stuck = rng.random(n) < 0.006  # disputes that drag on
    handle[stuck] += rng.uniform(300, 900, stuck.sum())
    resolved = _from_clock(_to_clock(first) + handle)
    resolved = pd.DatetimeIndex(
        np.where(quick, (first + pd.to_timedelta(handle, unit="h")).to_numpy(), resolved.to_numpy())
    ).floor("min")
    open_ = resolved > ASOF
    # ---- compensation: what the case deserves, and what was given
    deserve = np.array([0.0, 60.0, 220.0])[sev] * np.where(
        np.isin(causes, ["产品质量", "安装维修", "退换货办理"]), 1.6, 1.0
    )
    generosity = rng.lognormal(0, 0.55, n) * np.where(rng.random(n) < 0.12, 0.25, 1.0)  # a few low-ball offers
    amount = deserve * generosity
    coupon = (sev == 0) & (rng.random(n) < 0.35)
    amount[coupon] = rng.choice([10, 20, 30], coupon.sum())
    amount = np.round(amount / 10) * 10
    kind = np.where(
        amount == 0,
        "无",
        np.where(
            amount <= 50, "优惠券", np.where(np.isin(causes, ["产品质量", "安装维修"]) & (sev == 2), "换新", "部分退款")
        ),
    )
    amount[open_] = 0
    kind[open_] = "无"
    fair = np.log((amount + 20) / (deserve + 20))
    # ---- satisfaction and repurchase from hidden variables
    hours = (resolved - received) / pd.Timedelta(hours=1)
    hours = np.asarray(hours, dtype=float)
    loyalty = rng.normal(0, 0.9, n)
    mood = (
        3.75
        - 0.45 * np.log1p(hours / 24)
        + 0.7 * np.clip(fair, -1.5, 1.0)
        - 0.55 * reopen
        - 0.25 * sev
        + 0.25 * loyalty
        + rng.normal(0, 0.85, n)
    )
    sat = np.clip(np.round(mood), 1, 5)
    answered = (rng.random(n) < 0.72) & ~open_
    satisfaction = np.where(answered, sat, np.nan)
    logit = -0.35 + 0.75 * (mood - 3) + 0.8 * loyalty + rng.normal(0, 0.6, n)
    buy = rng.random(n) < 1 / (1 + np.exp(-logit))
    window_open = received + pd.Timedelta(days=90) > ASOF
    repurchase = np.where(window_open, None, np.where(buy, "是", "否"))
    # ---- customers: a few complain more than once
    n_cust = int(n * 0.86)
    cust_of = np.where(rng.random(n) < 0.12, rng.integers(0, n_cust // 6, n), rng.integers(0, n_cust, n))
    names = np.array(common.person_names(SEED, n_cust))
    summary = [SUMMARY[c][rng.integers(len(SUMMARY[c]))].format(p=p) for c, p in zip(causes, products)]
    status = np.where(open_, "处理中", "已解决")
    resolved_out = pd.Series(resolved).where(~open_)
    missing = (~open_) & (rng.random(n) < 0.012)  # closed but the time was never entered
    resolved_out[missing] = pd.NaT
    df = pd.DataFrame(
        {
            "投诉编号": [f"TS{t:%y%m}{i + 1:05d}" for i, t in enumerate(received)],
            "受理时间": received,
            "渠道": channel,
            "客户编号": [f"C{k + 1:05d}" for k in cust_of],
            "客户姓名": names[cust_of],
            "产品": products,
            "投诉类别": causes,
            "严重程度": np.array(SEVERITY)[sev],
            "投诉摘要": summary,
            "首次响应时间": first,
            "解决时间": resolved_out.to_numpy(),
            "处理状态": status,
            "重开次数": reopen.astype(int),
            "补偿方式": kind,
            "补偿金额": amount.astype(int),
            "处理后满意度": satisfaction,
            "90天内复购": repurchase,
        }
    )
    return df


def make_complaints():
    """p05_complaints: one row per complaint received in 2025 (exported 2026-01-05 09:00).

    >>> c = make_complaints()
    >>> c.columns.tolist()[:6]
    ['投诉编号', '受理时间', '渠道', '客户编号', '客户姓名', '产品']
    >>> bool((c["首次响应时间"] >= c["受理时间"]).all()), bool((c["解决时间"].dropna() >= c["首次响应时间"][c["解决时间"].notna()]).all())
    (True, True)
    """
    return _complaints().copy()


DATASETS = {
    "p05_complaints": Dataset(
        make=make_complaints, title="正确处理客户投诉：2025 年投诉记录", dates=("受理时间", "首次响应时间", "解决时间")
    ),
}
