"""What one customer is worth (客户的价值): a lifetime of purchases, against what it costs to win them.

A customer is not one sale: a family that spends 150 元 at the supermarket
twice a week for 20 years brings 300,000 元. And winning a new customer costs
several times (the textbook figure is 5～6 倍) what keeping an existing one does.

>>> lifetime_value(150, 100, 20)
300000.0
>>> lifetime_value(150, 100, 20, margin=0.2)
60000.0
"""

import itertools
import math

import pandas as pd

from ..course.errors import CRMError, as_number

#: Acquiring a new customer costs about 5～6 times as much as keeping one.
ACQUIRE_MULTIPLE = 5.0


def _inputs(spend_per_visit, visits_per_year, years, margin):
    spend = as_number(spend_per_visit, "单次消费额", minimum=0)
    visits = as_number(visits_per_year, "每年消费次数", minimum=0)
    years = as_number(years, "合作年数", minimum=0, maximum=100)
    margin = 1.0 if margin is None else as_number(margin, "毛利率", minimum=0, maximum=1)
    return spend, visits, years, margin


def _discount(discount):
    return as_number(discount, "折现率", minimum=0, maximum=0.5)


def lifetime_value(spend_per_visit, visits_per_year, years, margin=None, discount=0.0):
    """Lifetime value of one customer: spend × visits per year × years (× margin).

    Without `margin` this is the lifetime *revenue* (终身消费额); with a margin
    between 0 and 1 (0.2 = 20 %) it is the lifetime gross profit (终身毛利).
    Undiscounted by default: 1 元 in year 20 counts as much as 1 元 today.
    With ``discount=r`` (0.05 = 5 % a year) each year's value is divided by
    (1 + r) ** year (year 1 … n, whole years only), i.e. today's money.

    >>> lifetime_value(80, 24, 5)
    9600.0
    >>> round(lifetime_value(100, 10, 2, discount=0.1), 2)    # 1000/1.1 + 1000/1.21
    1735.54
    """
    spend, visits, years, margin = _inputs(spend_per_visit, visits_per_year, years, margin)
    r = _discount(discount)
    if r == 0:
        return spend * visits * years * margin
    return float(cumulative_value(spend, visits, years, margin, discount=r).iloc[-1])


def cumulative_value(spend_per_visit, visits_per_year, years, margin=None, discount=0.0):
    """Value accumulated by the end of each year, as a Series indexed 1…years (named 年).

    With ``discount=r`` each year's value is discounted by (1 + r) ** year.

    >>> cumulative_value(100, 10, 3).tolist()
    [1000.0, 2000.0, 3000.0]
    >>> cumulative_value(100, 10, 2, discount=0.25).tolist()
    [800.0, 1440.0]
    """
    spend, visits, n, margin = _inputs(spend_per_visit, visits_per_year, years, margin)
    r = _discount(discount)
    if n < 1 or not float(n).is_integer():
        raise CRMError(f"「合作年数」应该是不小于 1 的整数，你给的是 {n:g}。")
    per_year = spend * visits * margin
    yearly = [per_year / (1 + r) ** y for y in range(1, int(n) + 1)]
    return pd.Series(list(itertools.accumulate(yearly)), index=pd.RangeIndex(1, int(n) + 1, name="年"), name="累计价值")


def value_vs_acquisition(spend_per_visit, visits_per_year, years, acquisition_cost, margin=None):
    """Compare a customer's lifetime value with what it cost to acquire them.

    Returns a dict (Chinese keys): 终身消费额, 终身价值 (profit if `margin`
    is given, else equal to the revenue), 获客成本, 价值倍数 (终身价值 ÷ 获客成本),
    回本消费次数 (purchases needed before the acquisition cost is earned back,
    rounded up), 回本年数 (undiscounted) and 期内回本 (True when the cost is earned
    back within `years`; when False, 回本年数 lies beyond the period — the
    customer never pays back while the relationship lasts).

    >>> r = value_vs_acquisition(200, 12, 5, acquisition_cost=600, margin=0.25)
    >>> r["终身价值"], r["价值倍数"], r["回本消费次数"], r["回本年数"], r["期内回本"]
    (3000.0, 5.0, 12, 1.0, True)
    >>> value_vs_acquisition(200, 12, 1, acquisition_cost=1200, margin=0.25)["期内回本"]
    False
    """
    spend, visits, years, margin = _inputs(spend_per_visit, visits_per_year, years, margin)
    cost = as_number(acquisition_cost, "获客成本", minimum=0)
    if cost == 0:
        raise CRMError("「获客成本」是 0，无法计算价值倍数。请填写开发一个新客户实际花费的金额（大于 0）。")
    per_visit = spend * margin
    revenue = spend * visits * years
    value = revenue * margin
    return {
        "终身消费额": revenue,
        "终身价值": value,
        "获客成本": cost,
        "价值倍数": value / cost,
        "回本消费次数": math.ceil(round(cost / per_visit, 9)) if per_visit > 0 else math.inf,
        "回本年数": cost / (per_visit * visits) if per_visit * visits > 0 else math.inf,
        "期内回本": value >= cost,
    }


def acquisition_vs_retention(customers, retention_cost, multiple=ACQUIRE_MULTIPLE):
    """Cost of keeping `customers` existing customers vs winning as many new ones.

    `retention_cost` is what keeping one customer costs (回访、关怀、优惠);
    winning a new one costs `multiple` times as much (textbook: 5～6).

    >>> acquisition_vs_retention(100, 50)
    {'留住老客户的成本': 5000.0, '开发同样多新客户的成本': 25000.0, '多花的钱': 20000.0}
    """
    n = as_number(customers, "客户数", minimum=0)
    keep = as_number(retention_cost, "留住一位老客户的成本", minimum=0)
    k = as_number(multiple, "倍数", minimum=1, maximum=20)
    new = n * keep * k
    return {"留住老客户的成本": n * keep, "开发同样多新客户的成本": new, "多花的钱": new - n * keep}
