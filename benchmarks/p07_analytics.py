"""Speed of the p07 analytics (rfm_table, abc_classify) against bare pandas.

Generates 1,000,000 order lines of about 350,000 customers, times the bare
``groupby().agg()`` of last date, count and sum (the floor), then
``rfm_table`` (budget: 4x the floor) and ``abc_classify`` of the per-customer
sums (budget: 2x the floor). Medians of a few repetitions.

    python benchmarks/p07_analytics.py        # prints the figures
    from benchmarks.p07_analytics import run  # returns them as a dict
"""

import time

import numpy as np
import pandas as pd

import crmlib as crm

N_ROWS = 1_000_000
N_IDS = 440_000  # ids drawn with skewed weights: about 350,000 distinct buyers
BUDGETS = {"rfm_table": 4.0, "abc_classify": 2.0}


def make_orders(n_rows=N_ROWS, n_ids=N_IDS, seed=7):
    """Synthetic order lines with text customer ids like the course data."""
    rng = np.random.default_rng(seed)
    weights = rng.gamma(2.0, 1.0, n_ids)
    cust = rng.choice(n_ids, n_rows, p=weights / weights.sum())
    ids = np.char.add("K", np.char.zfill(np.arange(n_ids).astype(str), 6)).astype(object)
    days = rng.integers(0, 730, n_rows).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "客户编号": pd.array(ids[cust], dtype="str"),
            "下单日期": pd.Series(np.datetime64("2023-01-01") + days).astype("datetime64[s]"),
            "金额": np.round(rng.lognormal(6.0, 1.0, n_rows), 2),
        }
    )


def median_seconds(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def floor(orders):
    return orders.groupby("客户编号").agg(最近=("下单日期", "max"), F=("下单日期", "size"), M=("金额", "sum"))


def measure(orders, repeat=5):
    """Figures for one order table."""
    sums = floor(orders)["M"]
    t_floor = median_seconds(lambda: floor(orders), repeat)
    t_rfm = median_seconds(lambda: crm.rfm_table(orders), repeat)
    t_abc = median_seconds(lambda: crm.abc_classify(sums), repeat)
    ratio = {"rfm_table": t_rfm / t_floor, "abc_classify": t_abc / t_floor}
    return {
        "rows": len(orders),
        "customers": int(sums.size),
        "floor_s": t_floor,
        "rfm_table_s": t_rfm,
        "abc_classify_s": t_abc,
        "ratio": ratio,
        "budget": dict(BUDGETS),
        "within_budget": {k: ratio[k] <= BUDGETS[k] for k in BUDGETS},
    }


def run(repeat=5):
    """Time floor, rfm_table and abc_classify; return the figures as a dict.

    The main figures use text ids (as in the course data). ``int_ids`` repeats
    the measurement with integer ids, where the floor is much faster, so the
    fixed costs of crmlib weigh more.
    """
    orders = make_orders()
    result = measure(orders, repeat)
    as_int = orders.assign(客户编号=orders["客户编号"].str[1:].astype("int64"))
    result["int_ids"] = measure(as_int, repeat)
    return result


def _report(title, r):
    print(f"{title}: {r['rows']:,} order lines, {r['customers']:,} customers (medians)")
    print(f"  floor  groupby().agg(max, size, sum)  {r['floor_s'] * 1000:8.1f} ms")
    for name in BUDGETS:
        ok = "within budget" if r["within_budget"][name] else "OVER BUDGET"
        print(
            f"  {name:<13}{'':22}{r[name + '_s'] * 1000:8.1f} ms  "
            f"{r['ratio'][name]:4.2f}x floor (budget {r['budget'][name]:.0f}x): {ok}"
        )


def main():
    r = run()
    _report("p07 analytics, text customer ids", r)
    _report("p07 analytics, integer customer ids", r["int_ids"])
    return r


if __name__ == "__main__":
    main()
