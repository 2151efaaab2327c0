"""Customer value segmentation: ABC classes, Pareto share, customer pyramid.

Every function takes ``values``: a pandas Series of non-negative numbers
indexed by customer (one entry per customer), for example
``订单.groupby("客户编号")["金额"].sum()``.

Ranking rule shared by all three: larger value first; equal values are
ordered by customer id ascending, so the result never depends on the order
of the input rows.

>>> v = pd.Series({"甲": 60, "乙": 25, "丙": 10, "丁": 5})
>>> abc_classify(v)["ABC"].tolist()
['A', 'A', 'B', 'C']
"""

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_nonnegative, require_series

#: Shares within this relative tolerance of a cut count as reaching it, so a
#: share of 0.8 computed as 0.7999999999999999 still reaches 0.80.
TOLERANCE = 1e-9

ABC_CLASSES = ["A", "B", "C"]
PYRAMID_GRADES = ["重要客户", "主要客户", "普通客户", "小客户"]


def _customer_values(values, name="客户价值"):
    """Validate a per-customer value Series; return it with a unique index."""
    values = require_series(values, name)
    require_nonnegative(values, name)
    dup = values.index[values.index.duplicated()]
    if len(dup):
        raise CRMError(
            f"「{name}」里客户「{dup[0]}」出现了不止一次，每个客户只能有一个值。"
            "请先按客户汇总，例如 订单.groupby('客户编号')['金额'].sum()。"
        )
    return values


def _total(values, name="客户价值"):
    total = float(values.sum())
    if total <= 0:
        raise CRMError(
            f"「{name}」全部是 0，总价值为 0，无法计算各客户的占比。请检查是否选错了列，或筛选后只剩下没有消费的客户。"
        )
    return total


def rank_order(values):
    """Positions of `values` ranked by value descending, ties by index ascending.

    >>> rank_order(pd.Series({"b": 5, "a": 5, "c": 9})).tolist()
    [2, 1, 0]
    """
    index_order = np.arange(len(values))
    if not values.index.is_monotonic_increasing:
        index_order = np.argsort(values.index.to_numpy(), kind="stable")
    v = values.to_numpy(dtype=float)[index_order]
    return index_order[np.argsort(-v, kind="stable")]


def ranked_values(values):
    """The values sorted by the ranking rule (descending, ties by index ascending).

    >>> ranked_values(pd.Series({"b": 5, "a": 5, "c": 9})).index.tolist()
    ['c', 'a', 'b']
    """
    return values.iloc[rank_order(values)]


def _check_cuts(cuts):
    if isinstance(cuts, (str, bytes)) or not hasattr(cuts, "__len__") or len(cuts) != 2:
        raise CRMError(f"「cuts」应该是两个分界点，例如 (0.80, 0.95)，你给的是 {cuts!r}。")
    c1 = as_number(cuts[0], "A 类分界点 cuts[0]")
    c2 = as_number(cuts[1], "B 类分界点 cuts[1]")
    if not 0 < c1 <= c2 <= 1:
        raise CRMError(
            f"分界点要满足 0 < A 类分界点 ≤ B 类分界点 ≤ 1，你给的是 ({c1:g}, {c2:g})。"
            "请写成小数，例如 80% 写作 0.80：cuts=(0.80, 0.95)。"
        )
    return c1, c2


def abc_classify(values, cuts=(0.80, 0.95)):
    """ABC classification of customers by their share of the total value.

    Customers are ranked by value descending (ties: customer id ascending).
    Class A is the smallest set of top customers whose combined value reaches
    at least ``cuts[0]`` of the total; B extends it to the smallest set
    reaching ``cuts[1]``; all others are C. "Reaches" allows a relative
    tolerance of 1e-9, so float noise at an exact boundary does not move a
    customer. The top customer is always A. If ``cuts[0] == cuts[1]`` class
    B is empty; customers with value 0 are always C.

    Returns a DataFrame indexed by customer (index name kept) in rank order,
    with columns ``价值`` (the value; always this name whatever the Series
    is called), ``占比`` (value / total), ``累计占比`` (running share up to
    and including this customer) and ``ABC`` (ordered categorical A < B < C,
    so ``value_counts(sort=False)`` lists all three classes).

    A total of 0 (all values 0) raises CRMError: shares are undefined.

    >>> v = pd.Series({"甲": 50, "乙": 30, "丙": 15, "丁": 5})
    >>> abc_classify(v)
       价值    占比  累计占比 ABC
    甲  50  0.50  0.50   A
    乙  30  0.30  0.80   A
    丙  15  0.15  0.95   B
    丁   5  0.05  1.00   C
    """
    values = _customer_values(values)
    c1, c2 = _check_cuts(cuts)
    total = _total(values)
    ranked = ranked_values(values)
    v = ranked.to_numpy()
    cum = np.cumsum(v, dtype=float)
    before = cum - v  # value of the customers ranked above
    codes = (before >= (c1 - TOLERANCE) * total).astype(np.int8)
    codes += before >= (c2 - TOLERANCE) * total
    out = pd.DataFrame({"价值": v, "占比": v / total, "累计占比": cum / total}, index=ranked.index)
    out["ABC"] = pd.Categorical.from_codes(codes, categories=ABC_CLASSES, ordered=True)
    return out


def pareto_share(values, top=0.2):
    """Share of the total value held by the top ``top`` fraction of customers.

    The number of top customers is ``ceil(top × n)`` (at least 1; float noise
    such as 0.1 × 30 = 3.0000000000000004 is rounded away first), ranked as in
    ``abc_classify``. The "80/20 rule" says ``pareto_share(v, 0.2)`` is about 0.8.
    A total of 0 raises CRMError.

    >>> v = pd.Series({"甲": 50, "乙": 30, "丙": 15, "丁": 5, "戊": 0})
    >>> pareto_share(v, 0.2)   # top 1 of 5 customers
    0.5
    >>> pareto_share(v, 0.5)   # ceil(2.5) = top 3
    0.95
    """
    values = _customer_values(values)
    top = as_number(top, "前多少比例的客户 top")
    if not 0 < top <= 1:
        raise CRMError(f"「top」是客户比例，应在 0 到 1 之间（例如前 20% 写作 0.2），你给的是 {top:g}。")
    total = _total(values)
    k = max(1, int(np.ceil(round(top * len(values), 9))))
    v = np.sort(values.to_numpy())[::-1]
    return float(v[:k].sum() / total)


def _check_shares(shares):
    if isinstance(shares, (str, bytes)) or not hasattr(shares, "__len__") or len(shares) != 4:
        raise CRMError(
            "「shares」应该是 4 个比例，依次对应重要客户、主要客户、普通客户、小客户，"
            f"例如 (0.01, 0.04, 0.15, 0.80)，你给的是 {shares!r}。"
        )
    s = np.array([as_number(x, f"第 {i + 1} 个比例", minimum=0) for i, x in enumerate(shares)])
    if abs(s.sum() - 1) > 1e-6:
        raise CRMError(f"4 个比例加起来应该等于 1（100%），现在是 {s.sum():g}。请调整后再试。")
    return s


def pyramid_counts(n, shares=(0.01, 0.04, 0.15, 0.80)):
    """How many of ``n`` ranked customers fall in each pyramid grade.

    Cumulative ceiling: the top j grades together hold ``ceil(n × (s1+…+sj))``
    customers (computed after rounding to 9 decimals, so 0.2 × 100 counts as
    exactly 20); the last grade takes the rest.

    >>> pyramid_counts(100)
    [1, 4, 15, 80]
    >>> pyramid_counts(10)   # ceil(0.1)=1, ceil(0.5)=1, ceil(2.0)=2, 10
    [1, 0, 1, 8]
    """
    n_float = as_number(n, "客户数 n", minimum=1)
    if n_float != int(n_float):
        raise CRMError(f"客户数 n 应该是整数，你给的是 {n_float:g}。可以用 len(表) 得到客户数。")
    n = int(n_float)
    s = _check_shares(shares)
    ends = np.ceil(np.round(n * np.cumsum(s), 9)).astype(int)
    ends = np.minimum(ends, n)
    ends[-1] = n
    return np.diff(ends, prepend=0).tolist()


def customer_pyramid(values, shares=(0.01, 0.04, 0.15, 0.80)):
    """Customer pyramid: grade customers by value rank into four levels.

    The common pyramid convention: the top 1% of customers by value are
    重要客户, the next 4% 主要客户, the next 15% 普通客户 and the remaining
    80% 小客户. ``shares`` gives these population shares (four numbers that
    add up to 1). Counts use the cumulative ceiling of ``pyramid_counts``:
    the top j grades together hold ``ceil(n × (s1+…+sj))`` customers, so the
    top customer is always 重要客户 when the first share is positive.
    Ranking as in ``abc_classify`` (value descending, ties by id ascending).

    Returns a DataFrame in rank order with columns ``价值``, ``排名`` (1 = most
    valuable) and ``等级`` (ordered categorical 重要客户 < … < 小客户). Unlike
    ABC, a total of 0 is allowed: grades depend on rank only.

    >>> v = pd.Series([9, 7, 7, 3, 1], index=list("abcde"))
    >>> customer_pyramid(v, shares=(0.2, 0.2, 0.2, 0.4))
       价值  排名    等级
    a   9   1  重要客户
    b   7   2  主要客户
    c   7   3  普通客户
    d   3   4   小客户
    e   1   5   小客户
    """
    values = _customer_values(values)
    counts = pyramid_counts(len(values), shares)
    ranked = ranked_values(values)
    codes = np.repeat(np.arange(4, dtype=np.int8), counts)
    out = pd.DataFrame({"价值": ranked.to_numpy(), "排名": np.arange(1, len(ranked) + 1)}, index=ranked.index)
    out["等级"] = pd.Categorical.from_codes(codes, categories=PYRAMID_GRADES, ordered=True)
    return out
