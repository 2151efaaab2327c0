"""RFM analysis: recency, frequency and monetary value of each customer.

``orders`` is an order table with one row per order (or order line): the
customer, the order date (datetime, not text) and the amount.

>>> orders = pd.DataFrame({"客户编号": ["K2", "K2", "K1"],
...                        "下单日期": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01"]),
...                        "金额": [100.0, 200.0, 50.0]})
>>> rfm_table(orders, bins=2)["RFM"].tolist()
['111', '222']
"""

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_columns, require_datetime, require_nonnegative


def order_lines(orders, customer="客户编号", date="下单日期", amount="金额", order=None):
    """Validate an order table: columns present, dates are dates, amounts >= 0, ids filled."""
    cols = [customer, date, amount] + ([order] if order is not None else [])
    require_columns(orders, cols, "订单表")
    require_datetime(orders[date], date)
    require_nonnegative(orders[amount], amount)
    for col in cols[:1] + cols[3:]:
        missing = int(orders[col].isna().sum())
        if missing:
            raise CRMError(
                f"「{col}」列里有 {missing} 个空值，无法确定这些行属于哪个客户或订单。"
                "请先补齐或删除这些行（例如 订单.dropna(subset=['" + col + "'])）。"
            )
    return orders


def resolve_asof(last_dates, asof=None):
    """The analysis day (midnight) from ``asof``; default: the day after the latest date.

    Raises CRMError if ``asof`` is not a date or is earlier than the day of a purchase.

    >>> resolve_asof(pd.Series(pd.to_datetime(["2024-01-05 15:30", "2024-01-02 09:00"])))
    Timestamp('2024-01-06 00:00:00')
    """
    latest = calendar_days(last_dates).max()
    if asof is None:
        return latest + pd.Timedelta(days=1)
    try:
        day = pd.Timestamp(asof)
    except (TypeError, ValueError):
        day = pd.NaT
    if day is pd.NaT:
        raise CRMError(f"分析日期 asof 无法识别为日期：{asof!r}。请写成 '2024-06-30' 这样的格式。")
    if day.tz is not None:
        day = day.tz_localize(None)  # compare wall-clock days
    day = day.normalize()
    if day < latest:
        raise CRMError(
            f"分析日期 asof（{day:%Y-%m-%d}）早于数据里最后一次下单（{latest:%Y-%m-%d}）。"
            "请把 asof 设为最后下单日当天或之后，或先筛掉 asof 之后的订单。"
        )
    return day


def calendar_days(dates):
    """Dates at midnight, as local wall-clock days (any time zone dropped).

    >>> calendar_days(pd.Series(pd.to_datetime(["2024-03-01 18:30"]))).tolist()
    [Timestamp('2024-03-01 00:00:00')]
    """
    days = dates.dt.normalize()
    return days.dt.tz_localize(None) if days.dt.tz is not None else days


def _check_bins(bins):
    b = as_number(bins, "分档数 bins", minimum=1, maximum=9)
    if b != int(b):
        raise CRMError(f"分档数 bins 应该是整数（例如 5），你给的是 {b:g}。")
    return int(b)


def scores_by_rank(n, bins=5):
    """Score of rank 1…n: ``pd.qcut(ranks 1…n, bins, labels=1..bins)`` as an int array.

    A single customer gets the middle score ``(bins + 1) // 2`` (qcut itself
    fails there because all its edges coincide).

    >>> scores_by_rank(3, bins=5).tolist()   # edges 1, 1.4, 1.8, 2.2, 2.6, 3
    [1, 3, 5]
    """
    if n == 1:
        return np.array([(bins + 1) // 2])
    return pd.qcut(np.arange(1, n + 1, dtype=float), bins, labels=False) + 1


def rank_scores(x, bins=5, by_rank=None):
    """Scores 1…bins of ``x`` (higher x, higher score), as integers.

    Exactly ``pd.qcut(pd.Series(x).rank(method="first"), bins, labels=1..bins)``:
    ranks 1…n (ties by position), cut at the quantiles of the ranks. As the
    ranks are always 1…n, each value simply gets the score of its rank
    (``scores_by_rank``; pass it as ``by_rank`` to reuse it). Fewer values
    than bins works (3 values with 5 bins score 1, 3, 5); a single value
    gets the middle score ``(bins + 1) // 2``.

    >>> rank_scores(np.array([30, 10, 20, 10]), bins=2).tolist()
    [2, 1, 2, 1]
    >>> rank_scores(np.array([7]), bins=5).tolist()
    [3]
    """
    x = np.asarray(x)
    if by_rank is None:
        by_rank = scores_by_rank(len(x), bins)
    scores = np.empty(len(x), dtype=np.int64)
    scores[np.argsort(x, kind="stable")] = by_rank
    return scores


def _rfm_codes(r, f, m, bins):
    table = np.array(
        [f"{a}{b}{c}" for a in range(1, bins + 1) for b in range(1, bins + 1) for c in range(1, bins + 1)], dtype=object
    )
    return table[((r - 1) * bins + (f - 1)) * bins + (m - 1)]


def rfm_table(orders, customer="客户编号", date="下单日期", amount="金额", order=None, asof=None, bins=5):
    """One row per customer with R, F, M and their scores.

    - ``R``: whole calendar days from the customer's last purchase day to
      ``asof`` (times of day ignored; dates with a time zone count in
      their local wall-clock days). Default ``asof``: the day after the
      latest date in the data, so the most recent buyers have R = 1. An
      ``asof`` earlier than the day of some purchase raises CRMError.
    - ``F``: number of distinct values of column ``order`` if given (several
      lines of one order count once), else number of rows.
    - ``M``: sum of ``amount``.
    - ``R评分``, ``F评分``, ``M评分``: integer scores 1…``bins`` (higher is
      better), ``pd.qcut(x.rank(method="first"), bins, labels=1..bins)`` on
      the customers in index order, with x = -R, F and M (see ``rank_scores``;
      a single customer gets the middle score ``(bins + 1) // 2``).
    - ``RFM``: the three scores as text, e.g. "545" (``bins`` is 1…9 so each
      score is one digit).

    Indexed by customer id (index named like the customer column), sorted
    ascending. Dates stored as text, negative amounts, empty ids, missing
    columns or an empty table raise CRMError with a Chinese hint.

    >>> orders = pd.DataFrame({
    ...     "客户编号": ["C1", "C1", "C2", "C3", "C3", "C3"],
    ...     "下单日期": pd.to_datetime(["2024-05-01", "2024-06-20", "2024-03-15",
    ...                              "2024-06-01", "2024-06-25", "2024-06-30"]),
    ...     "金额": [300.0, 200.0, 900.0, 100.0, 100.0, 150.0]})
    >>> rfm_table(orders, bins=3)  # doctest: +NORMALIZE_WHITESPACE
            R  F      M  R评分  F评分  M评分  RFM
    客户编号
    C1     11  2  500.0    2    2    2  222
    C2    108  1  900.0    1    1    3  113
    C3      1  3  350.0    3    3    1  331
    """
    order_lines(orders, customer, date, amount, order)
    bins = _check_bins(bins)
    count = (order, "nunique") if order is not None else (date, "size")
    g = orders.groupby(customer, sort=True, observed=True).agg(最近=(date, "max"), F=count, M=(amount, "sum"))
    last = calendar_days(g["最近"])
    r = (resolve_asof(last, asof) - last).dt.days.to_numpy(dtype=np.int64)
    f = g["F"].to_numpy(dtype=np.int64)
    by_rank = scores_by_rank(len(g), bins)
    rs, fs, ms = (rank_scores(x, bins, by_rank) for x in (-r, f, g["M"].to_numpy()))
    out = pd.DataFrame({"R": r, "F": f, "M": g["M"].to_numpy(), "R评分": rs, "F评分": fs, "M评分": ms}, index=g.index)
    out["RFM"] = pd.array(_rfm_codes(rs, fs, ms, bins), dtype="str")
    return out
