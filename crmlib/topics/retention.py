"""Retention: cohort retention tables and customer lifetime value (CLV).

- ``cohort_retention``: a customer's cohort (同期群) is the calendar month of
  their first purchase; column k is the share of the cohort who bought in
  the k-th calendar month after it (column 0 is 1.0). Months not yet
  observed are NaN, not 0.
- ``clv``: margin m at the end of each year t = 1…T, the customer still
  there in year t with probability r^(t−1), discount rate d:
  CLV = Σₜ m·r^(t−1) / (1+d)^t; with ``years=None`` the infinite sum
  m / (1 + d − r).

>>> round(clv(100, 0.8, 0.1), 2)            # 100 / (1.1 − 0.8)
333.33
>>> clv(100, 0.5, 0.0, years=2)            # 100 + 50
150.0
"""

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_columns, require_datetime
from .rfm import calendar_days

FREQS = {"M": ("月", 1), "Q": ("季", 3)}


def _period_numbers(dates, step):
    """Calendar period of each date as an integer (months since 1970, or quarters)."""
    if getattr(dates.dt, "tz", None) is not None:
        dates = calendar_days(dates)  # local wall-clock days
    months = dates.to_numpy().astype("datetime64[M]").astype(np.int64)
    return months // step if step > 1 else months


def _first_per_customer(codes, periods, n):
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, codes, periods)
    return first


def cohort_retention(orders, customer="客户编号", date="下单日期", freq="M", counts=False):
    """Cohort retention table: one row per cohort, one column per period after it.

    - A customer's cohort is the calendar month (``freq="Q"``: quarter) of
      their first purchase in `orders`.
    - Column k (k = 0, 1, …) is the share of the cohort's customers who
      bought at least once in the k-th calendar period after the cohort
      period; column 0 is 1.0. Several purchases in one period count once.
    - Rows are cohorts in time order (index: ``pd.Period``, named 首购月 or
      首购季). A month in which nobody bought for the first time has no row.
    - Periods after the last one in the data are not observed yet: NaN, not 0.
      An observed period with no buyers is 0.0.
    - ``counts=True`` gives the number of customers instead of the share
      (column 0 is then the cohort size; unobserved cells are still NaN).

    Dates must be dates (datetime64), not text; a time zone is dropped
    (local calendar days count). Empty ids, missing columns or an empty table
    raise CRMError.

    >>> orders = pd.DataFrame({
    ...     "客户编号": ["A", "A", "B", "B", "C", "C", "A"],
    ...     "下单日期": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-01-20", "2024-03-01",
    ...                              "2024-02-03", "2024-02-28", "2024-02-11"])})
    >>> cohort_retention(orders)            # doctest: +NORMALIZE_WHITESPACE
    间隔月数    0    1    2
    首购月
    2024-01  1.0  0.5  0.5
    2024-02  1.0  0.0  NaN
    >>> cohort_retention(orders, counts=True)[0].tolist()
    [2.0, 1.0]
    """
    require_columns(orders, [customer, date], "订单表")
    if freq not in FREQS:
        raise CRMError(f'freq 只能是 "M"（按月）或 "Q"（按季度），你给的是 {freq!r}。')
    word, step = FREQS[freq]
    dates = orders[date]
    require_datetime(dates, date)
    ids = orders[customer]
    missing = int(ids.isna().sum())
    if missing:
        raise CRMError(
            f"「{customer}」列里有 {missing} 个空值，无法确定这些订单属于哪个客户。"
            f"请先补齐或删除这些行（例如 订单.dropna(subset=['{customer}'])）。"
        )
    codes, _ = pd.factorize(ids, sort=False)
    codes = codes.astype(np.int64)
    per = _period_numbers(dates, step)
    n_cust = int(codes.max()) + 1
    first = _first_per_customer(codes, per, n_cust)
    last = int(per.max())
    cohorts, cohort_idx = np.unique(first, return_inverse=True)  # customer -> cohort row
    width = last - int(cohorts[0]) + 1
    k = per - first[codes]
    if n_cust * width <= 60_000_000:
        seen = np.zeros(n_cust * width, dtype=bool)
        seen[codes * width + k] = True
        hit = np.flatnonzero(seen)
        cust, kk = hit // width, hit % width
    else:  # very long histories: distinct (customer, k) pairs by sorting
        pairs = np.unique(codes * width + k)
        cust, kk = pairs // width, pairs % width
    table = np.bincount(cohort_idx[cust] * width + kk, minlength=len(cohorts) * width)
    table = table.reshape(len(cohorts), width).astype(float)
    observed = (last - cohorts)[:, None] >= np.arange(width)[None, :]
    table[~observed] = np.nan
    if not counts:
        table = table / table[:, :1]
    if step == 1:
        index = pd.PeriodIndex(cohorts.astype("datetime64[M]"), freq="M")
    else:
        index = pd.PeriodIndex(
            [pd.Period(year=int(q // 4) + 1970, quarter=int(q % 4) + 1, freq="Q") for q in cohorts], freq="Q"
        )
    return pd.DataFrame(table, index=index.rename(f"首购{word}"), columns=pd.RangeIndex(width, name=f"间隔{word}数"))


def _rates(retention, discount):
    r = as_number(retention, "留存率 retention")
    d = as_number(discount, "折现率 discount")
    if not 0 <= r < 1:
        raise CRMError(
            f"留存率 retention 应该在 0 到 1 之间（可以是 0，不能是 1），你给的是 {r:g}。"
            "写成小数，例如 80% 写 0.8；留存率为 1 表示客户永远不走，价值会是无穷大。"
        )
    if d <= -1:
        raise CRMError(f"折现率 discount 必须大于 -1，你给的是 {d:g}。写成小数，例如 10% 写 0.1。")
    return r, d


def _years(years):
    t = as_number(years, "年数 years", minimum=1, maximum=200)
    if t != int(t):
        raise CRMError(f"年数 years 应该是整数（例如 5），你给的是 {t:g}。")
    return int(t)


def clv_curve(margin, retention, discount, years):
    """Cumulative CLV after 1, 2, …, `years` years (a Series indexed 1…years, named 累计价值).

    >>> clv_curve(100, 0.5, 0.0, 3).tolist()
    [100.0, 150.0, 175.0]
    """
    m = as_number(margin, "每年毛利 margin")
    r, d = _rates(retention, discount)
    t = np.arange(1, _years(years) + 1)
    return pd.Series(np.cumsum(m * r ** (t - 1) / (1 + d) ** t), index=pd.Index(t, name="年"), name="累计价值")


def clv(margin, retention, discount, years=None):
    """Customer lifetime value: CLV = Σₜ₌₁ᵀ m·r^(t−1) / (1+d)^t.

    The margin m (per year, 元) arrives at the end of each year; the customer
    is still a customer in year t with probability r^(t−1) (so year 1 counts
    in full); d is the yearly discount rate. ``years=None`` is the infinite
    sum m / (1 + d − r). Rates are decimals (0.8, not 80). A retention rate
    outside [0, 1), a discount rate ≤ −1, a non-integer horizon, or
    (infinite horizon) r ≥ 1 + d raise CRMError.

    >>> clv(100, 0, 0.1, years=3)              # only year 1: 100 / 1.1
    90.9090909090909
    >>> round(clv(1000, 0.8, 0.1, years=3), 2)  # 1000/1.1 + 800/1.21 + 640/1.331
    2051.09
    >>> clv(100, 1.0, 0.1)
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 留存率 retention 应该在 0 到 1 之间（可以是 0，不能是 1），你给的是 1。写成小数，例如 80% 写 0.8；留存率为 1 表示客户永远不走，价值会是无穷大。
    """
    m = as_number(margin, "每年毛利 margin")
    r, d = _rates(retention, discount)
    if years is None:
        if r >= 1 + d:
            raise CRMError(
                f"留存率 {r:g} 不低于 1 + 折现率（{1 + d:g}），无限期的价值没有上限。"
                "请给出有限的年数 years，或检查折现率是不是写成了负数。"
            )
        return float(m / (1 + d - r))
    return float(clv_curve(m, r, d, years).iloc[-1])
