"""Speed of crm.cohort_retention against a bare pandas groupby (budget: 3x).

The floor is ``orders.groupby(customer)[date].min().dt.to_period("M")``: the
first purchase month per customer, which any cohort table has to find. Same
1,000,000 order lines as the p07 benchmark (about 350,000 customers, text ids).

    python benchmarks/p06_analytics.py        # prints the figures
    from benchmarks.p06_analytics import run  # returns them as a dict
"""

import crmlib as crm

try:
    from benchmarks.p07_analytics import make_orders, median_seconds
except ImportError:  # run as a script from benchmarks/
    from p07_analytics import make_orders, median_seconds

BUDGET = 3.0


def floor(orders):
    return orders.groupby("客户编号")["下单日期"].min().dt.to_period("M")


def run(repeat=3):
    """Time the floor and cohort_retention on 1,000,000 lines; print and return the ratio."""
    orders = make_orders()
    t_floor = median_seconds(lambda: floor(orders), repeat)
    t_cohort = median_seconds(lambda: crm.cohort_retention(orders), repeat)
    ratio = t_cohort / t_floor
    print(f"p06 cohort_retention: {len(orders):,} order lines, {orders['客户编号'].nunique():,} customers (medians)")
    print(f"  floor  groupby().min().to_period('M')  {t_floor * 1000:8.1f} ms")
    print(
        f"  cohort_retention                     {t_cohort * 1000:8.1f} ms  {ratio:4.2f}x floor "
        f"(budget {BUDGET:.0f}x): {'within budget' if ratio <= BUDGET else 'OVER BUDGET'}"
    )
    return {
        "rows": len(orders),
        "floor_s": t_floor,
        "cohort_retention_s": t_cohort,
        "ratio": ratio,
        "budget": BUDGET,
        "within_budget": ratio <= BUDGET,
    }


if __name__ == "__main__":
    run()
