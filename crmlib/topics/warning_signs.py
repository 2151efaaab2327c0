"""Warning signs that a key account may be leaving (大客户“跳槽”征兆).

Two warning rules, simple enough to check by hand, and one data note:

1. 久未下单: the days since the last order are at least ``gap_factor`` times
   the account's own typical interval (median gap between its order days).
2. 采购额下降: purchases in the last ``window_days`` fell by at least
   ``drop_threshold`` compared with the ``window_days`` before.

An account that ordered on one day only has no interval at all. That is not
a sign of leaving but a lack of data: it is reported in ``数据备注``
("数据不足"), never counted in ``征兆数``.

>>> orders = pd.DataFrame({"客户编号": ["K1"] * 4,
...     "下单日期": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-03-01", "2024-03-31"]),
...     "金额": [100.0] * 4})
>>> warning_signs(orders, asof="2024-06-29", window_days=90).loc["K1", "征兆"]
'已 90 天未下单，是其通常间隔（30 天）的 3.0 倍；近 90 天采购额比前 90 天下降 67%'
"""

import difflib

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number
from .rfm import calendar_days, order_lines, resolve_asof

TOLERANCE = 1e-9
INTERVAL = "间隔天数"


def _check_rules(window_days, gap_factor, drop_threshold):
    w = as_number(window_days, "对比窗口天数 window_days", minimum=1)
    if w != int(w):
        raise CRMError(f"对比窗口天数 window_days 应该是整数天（例如 180），你给的是 {w:g}。")
    gap = as_number(gap_factor, "间隔倍数阈值 gap_factor", minimum=1)
    drop = as_number(drop_threshold, "下降幅度阈值 drop_threshold")
    if not 0 < drop <= 1:
        raise CRMError(f"下降幅度阈值 drop_threshold 应在 0 到 1 之间（下降 30% 写作 0.3），你给的是 {drop:g}。")
    return int(w), gap, drop


def _typical_interval(code, offset, n):
    """Per customer code 0…n-1: number of distinct order days and median gap (days)."""
    width = int(offset.max()) + 1
    pairs = np.unique(code * width + offset)  # distinct (customer, day), sorted
    pair_code, pair_day = np.divmod(pairs, width)
    gap = np.diff(pair_day)
    same = pair_code[1:] == pair_code[:-1]
    typical = pd.Series(gap[same], dtype=float).groupby(pair_code[1:][same]).median()
    return np.bincount(pair_code, minlength=n), typical.reindex(range(n)).to_numpy()


DATA_NOTE = "数据不足：只在 1 天下过单，无法判断通常的下单间隔，需要人工了解"


def _flags(since, typical, ratio, n_days, recent, prior, change, w, gap, drop):
    """The Chinese sentences of the warning rules that fire, for one account."""
    out = []
    if n_days > 1 and ratio >= gap - TOLERANCE:
        out.append(f"已 {since} 天未下单，是其通常间隔（{typical:g} 天）的 {ratio:.1f} 倍")
    if prior > 0 and change <= -drop + TOLERANCE:
        if recent == 0:
            out.append(f"近 {w} 天没有采购，而前 {w} 天采购了 {prior:,.0f} 元")
        else:
            out.append(f"近 {w} 天采购额比前 {w} 天下降 {-change:.0%}")
    return out


def warning_signs(
    orders,
    customer="客户编号",
    date="下单日期",
    amount="金额",
    asof=None,
    window_days=180,
    gap_factor=2.0,
    drop_threshold=0.3,
):
    """Check every account for warning signs of leaving; one row per account.

    Days are calendar days (times ignored). ``asof`` is the analysis day,
    by default the day after the latest order (as in ``rfm_table``).

    Columns (index: customer id ascending, named like the customer column):

    - ``最近下单日期``: day of the last order.
    - ``未下单天数``: days from that day to ``asof``.
    - ``下单次数``: number of distinct order days (several orders on one day count once).
    - ``通常间隔``: median gap in days between consecutive order days
      (NaN with a single order day); equals the median of the positive
      ``间隔天数`` of ``account_history``.
    - ``间隔倍数``: 未下单天数 / 通常间隔.
    - ``近期采购额``: amount ordered in the last ``window_days`` days
      (asof − window_days ≤ day ≤ asof).
    - ``前期采购额``: amount in the ``window_days`` days before that
      (asof − 2·window_days ≤ day < asof − window_days).
    - ``变化率``: (近期 − 前期) / 前期 as a fraction (-0.45 = down 45%); NaN if 前期 is 0.
    - ``征兆``: the sentences of the warning rules that fired, joined by "；" ("" if none).
    - ``征兆数``: how many warning rules fired (0–2).
    - ``数据备注``: ``DATA_NOTE`` when the account ordered on one day only
      (no interval can be judged), else "". Not a warning sign, not counted.

    Rules: 久未下单 if 下单次数 ≥ 2 and 间隔倍数 ≥ ``gap_factor``;
    采购额下降 if 前期 > 0 and 变化率 ≤ −``drop_threshold``. Exact boundaries fire.

    >>> orders = pd.DataFrame({"客户编号": ["K1", "K1", "K2"],
    ...     "下单日期": pd.to_datetime(["2024-01-01", "2024-01-11", "2024-01-30"]),
    ...     "金额": [500.0, 300.0, 80.0]})
    >>> ws = warning_signs(orders, window_days=10)
    >>> ws[["未下单天数", "通常间隔", "间隔倍数", "征兆数"]]  # doctest: +NORMALIZE_WHITESPACE
          未下单天数  通常间隔  间隔倍数  征兆数
    客户编号
    K1       20  10.0   2.0    2
    K2        1   NaN   NaN    0
    >>> ws.loc["K2", "数据备注"][:4]
    '数据不足'
    >>> ws.loc["K1", "征兆"]
    '已 20 天未下单，是其通常间隔（10 天）的 2.0 倍；近 10 天没有采购，而前 10 天采购了 300 元'
    """
    order_lines(orders, customer, date, amount)
    w, gap, drop = _check_rules(window_days, gap_factor, drop_threshold)
    code, ids = pd.factorize(orders[customer], sort=True)
    day = calendar_days(orders[date])
    first = day.min()
    offset = (day - first).dt.days.to_numpy(dtype=np.int64)  # day number per line
    last = first + pd.to_timedelta(pd.Series(offset).groupby(code).max().to_numpy(), unit="D")
    last = pd.Series(last, index=pd.Index(ids, name=customer))
    asof_day = resolve_asof(last, asof)
    ago = (asof_day - first).days - offset
    n = len(ids)
    amt = orders[amount].to_numpy(dtype=float)
    n_days, typical = _typical_interval(code, offset, n)
    out = pd.DataFrame({"最近下单日期": last, "未下单天数": (asof_day - last).dt.days})
    out["下单次数"] = n_days
    out["通常间隔"] = typical
    out["间隔倍数"] = out["未下单天数"] / out["通常间隔"]
    out["近期采购额"] = np.bincount(code, weights=np.where(ago <= w, amt, 0), minlength=n)
    out["前期采购额"] = np.bincount(code, weights=np.where((ago > w) & (ago <= 2 * w), amt, 0), minlength=n)
    out["变化率"] = (out["近期采购额"] - out["前期采购额"]) / out["前期采购额"].where(out["前期采购额"] > 0)
    flags = [
        _flags(*row, w, gap, drop)
        for row in zip(
            out["未下单天数"],
            out["通常间隔"],
            out["间隔倍数"],
            out["下单次数"],
            out["近期采购额"],
            out["前期采购额"],
            out["变化率"],
        )
    ]
    out["征兆"] = pd.array(["；".join(f) for f in flags], dtype="str")
    out["征兆数"] = np.array([len(f) for f in flags], dtype=np.int64)
    out["数据备注"] = pd.array([DATA_NOTE if k == 1 else "" for k in n_days], dtype="str")
    return out


def _find_account(orders, customer, customer_id):
    rows = orders[orders[customer] == customer_id]
    if len(rows):
        return rows
    ids = [str(i) for i in orders[customer].unique()]
    close = difflib.get_close_matches(str(customer_id), ids, n=1, cutoff=0.6)
    if str(customer_id) in ids:
        guess = f"表里有「{customer_id}」，但它是文字，不是数字：请给它加上引号。"
    elif close:
        guess = f"你是不是想写「{close[0]}」？"
    else:
        guess = f"例如：{'、'.join(ids[:5])}。"
    raise CRMError(f"订单表的「{customer}」列里没有客户「{customer_id}」。{guess}")


def account_history(orders, customer_id, customer="客户编号", date="下单日期", amount="金额"):
    """One account's orders sorted by date, with the gap since the previous order.

    Returns that account's rows (all columns, stable-sorted by date, index
    0…k-1) plus ``间隔天数``: calendar days since the previous row's order day
    (NaN for the first order, 0 for a second order on the same day). An
    unknown ``customer_id`` raises CRMError suggesting a close id.

    >>> orders = pd.DataFrame({"客户编号": ["K1", "K2", "K1", "K1"],
    ...     "下单日期": pd.to_datetime(["2024-03-01", "2024-01-05", "2024-01-01", "2024-01-31"]),
    ...     "金额": [120.0, 80.0, 100.0, 90.0]})
    >>> account_history(orders, "K1")
      客户编号       下单日期     金额  间隔天数
    0   K1 2024-01-01  100.0   NaN
    1   K1 2024-01-31   90.0  30.0
    2   K1 2024-03-01  120.0  30.0
    """
    order_lines(orders, customer, date, amount)
    rows = _find_account(orders, customer, customer_id)
    rows = rows.sort_values(date, kind="stable").reset_index(drop=True)
    rows[INTERVAL] = calendar_days(rows[date]).diff().dt.days.astype(float)
    return rows
