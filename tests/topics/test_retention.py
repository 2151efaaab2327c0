"""Hand-computed cases for crm.cohort_retention and crm.clv (p06)."""

import numpy as np
import pandas as pd
import pytest

from crmlib.course.errors import CRMError
from crmlib.topics.retention import clv, clv_curve, cohort_retention


def frame(rows):
    ids, days = zip(*rows)
    return pd.DataFrame({"客户编号": list(ids), "下单日期": pd.to_datetime(list(days))})


def test_cohort_hand_computed_with_gap_and_not_observed():
    o = frame(
        [
            ("A", "2024-01-31"),
            ("A", "2024-03-01"),
            ("B", "2024-01-01"),
            ("B", "2024-01-15"),
            ("C", "2024-02-10"),
            ("C", "2024-03-31"),
            ("D", "2024-03-05"),
        ]
    )
    t = cohort_retention(o)
    assert [str(p) for p in t.index] == ["2024-01", "2024-02", "2024-03"]
    assert t.columns.tolist() == [0, 1, 2]
    # Jan cohort {A, B}: Feb nobody (0.0, observed), Mar A -> 0.5
    assert t.loc["2024-01"].tolist() == [1.0, 0.0, 0.5]
    # Feb cohort {C}: Mar -> 1.0, k=2 (April) not observed -> NaN
    assert t.loc["2024-02", 1] == 1.0 and np.isnan(t.loc["2024-02", 2])
    assert t.loc["2024-03", 0] == 1.0 and t.loc["2024-03", [1, 2]].isna().all()


def test_cohort_calendar_month_not_30_days():
    # 31 Jan -> 1 Feb is one calendar month later although only one day apart
    t = cohort_retention(frame([("A", "2024-01-31"), ("A", "2024-02-01")]))
    assert t.loc["2024-01", 1] == 1.0


def test_cohort_empty_months_have_no_row_and_row_order():
    # nobody starts in Feb or Mar; input rows out of order
    o = frame([("B", "2024-04-02"), ("A", "2024-01-10"), ("A", "2024-04-20")])
    t = cohort_retention(o)
    assert [str(p) for p in t.index] == ["2024-01", "2024-04"]
    assert t.loc["2024-01"].tolist() == [1.0, 0.0, 0.0, 1.0]
    c = cohort_retention(o, counts=True)
    assert c.loc["2024-01"].tolist() == [1.0, 0.0, 0.0, 1.0] and c.loc["2024-04", 0] == 1.0


def test_cohort_single_customer_single_order():
    t = cohort_retention(frame([("A", "2025-05-05")]))
    assert t.shape == (1, 1) and t.iloc[0, 0] == 1.0


def test_cohort_repeat_purchases_count_once():
    o = frame([("A", "2024-01-01"), ("A", "2024-02-01"), ("A", "2024-02-02"), ("B", "2024-01-05")])
    assert cohort_retention(o).loc["2024-01", 1] == 0.5
    assert cohort_retention(o, counts=True).loc["2024-01", 1] == 1.0


def test_cohort_quarters_and_time_zone():
    o = frame([("A", "2024-03-31"), ("A", "2024-04-01"), ("B", "2024-05-01")])
    t = cohort_retention(o, freq="Q")
    assert [str(p) for p in t.index] == ["2024Q1", "2024Q2"] and t.loc["2024Q1", 1] == 1.0
    z = o.assign(下单日期=o["下单日期"].dt.tz_localize("Asia/Shanghai"))
    assert cohort_retention(z).equals(cohort_retention(o))


def test_cohort_same_as_naive_pandas():
    rng = np.random.default_rng(3)
    o = pd.DataFrame(
        {
            "客户编号": rng.integers(0, 60, 500).astype(str),
            "下单日期": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, 500), "D"),
        }
    )
    t = cohort_retention(o)
    m = o["下单日期"].dt.to_period("M")
    first = m.groupby(o["客户编号"]).transform("min")
    k = (m - first).apply(lambda x: x.n)
    pairs = pd.DataFrame({"c": first, "k": k, "id": o["客户编号"]}).drop_duplicates()
    want = pairs.groupby(["c", "k"])["id"].nunique().unstack(fill_value=0)
    want = want.div(want[0], axis=0)
    last = m.max()
    for c in want.index:
        for kk in t.columns:
            observed = c + kk <= last
            got = t.loc[c, kk]
            if not observed:
                assert np.isnan(got)
            else:
                assert got == pytest.approx(want.loc[c].get(kk, 0.0))


def test_cohort_errors():
    with pytest.raises(CRMError, match="找不到列"):
        cohort_retention(pd.DataFrame({"客户": ["A"], "下单日期": pd.to_datetime(["2024-01-01"])}))
    with pytest.raises(CRMError, match="不是日期"):
        cohort_retention(pd.DataFrame({"客户编号": ["A"], "下单日期": ["2024-01-01"]}))
    with pytest.raises(CRMError, match="空值"):
        cohort_retention(pd.DataFrame({"客户编号": ["A", None], "下单日期": pd.to_datetime(["2024-01-01"] * 2)}))
    with pytest.raises(CRMError, match="freq"):
        cohort_retention(frame([("A", "2024-01-01")]), freq="W")
    with pytest.raises(CRMError, match="空的"):
        cohort_retention(pd.DataFrame({"客户编号": [], "下单日期": pd.to_datetime([])}))


# ---------------------------------------------------------------- CLV
def test_clv_hand_computed_finite():
    # 100/1.1 + 80/1.21 + 64/1.331
    assert clv(100, 0.8, 0.1, years=3) == pytest.approx(100 / 1.1 + 80 / 1.21 + 64 / 1.331)
    assert clv(100, 0.5, 0, years=1) == 100.0
    assert clv(100, 0, 0, years=10) == 100.0


def test_clv_infinite_is_limit_of_finite():
    assert clv(100, 0.8, 0.1) == pytest.approx(100 / 0.3)
    assert clv(100, 0.8, 0.1, years=200) == pytest.approx(clv(100, 0.8, 0.1))
    assert clv(50, 0, 0) == 50.0


def test_clv_negative_margin_and_zero_discount():
    assert clv(-10, 0.5, 0) == -20.0


def test_clv_curve_is_cumulative():
    c = clv_curve(100, 0.5, 0, 3)
    assert c.tolist() == [100.0, 150.0, 175.0] and c.index.tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    "args, kw, words",
    [
        ((100, 1.0, 0.1), {}, "0 到 1"),
        ((100, -0.1, 0.1), {}, "0 到 1"),
        ((100, 80, 0.1), {}, "0 到 1"),
        ((100, 0.5, -1), {}, "大于 -1"),
        ((100, 0.5, 0.1), {"years": 2.5}, "整数"),
        ((100, 0.5, 0.1), {"years": 0}, "不能小于 1"),
        (("100", 0.5, 0.1), {}, "数字"),
        ((100, 0.9, -0.2), {}, "没有上限"),
    ],
)
def test_clv_errors(args, kw, words):
    with pytest.raises(CRMError, match=words):
        clv(*args, **kw)
