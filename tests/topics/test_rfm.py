"""rfm_table against hand-computed cases and the literal qcut formula."""

import numpy as np
import pandas as pd
import pytest

from crmlib import CRMError, rfm_table
from crmlib.topics.rfm import rank_scores


def make_orders(rows, columns=("客户编号", "下单日期", "金额")):
    df = pd.DataFrame(rows, columns=list(columns))
    df[columns[1]] = pd.to_datetime(df[columns[1]])
    return df


@pytest.fixture
def orders():
    return make_orders(
        [
            ("C3", "2024-06-01", 100.0),
            ("C1", "2024-05-01", 300.0),
            ("C2", "2024-03-15", 900.0),
            ("C3", "2024-06-25", 100.0),
            ("C1", "2024-06-20", 200.0),
            ("C3", "2024-06-30", 150.0),
        ]
    )


def test_hand_computed_table(orders):
    out = rfm_table(orders, bins=3)
    assert list(out.columns) == ["R", "F", "M", "R评分", "F评分", "M评分", "RFM"]
    assert out.index.name == "客户编号"
    assert out.index.tolist() == ["C1", "C2", "C3"]
    # asof = 2024-07-01 (day after the last date)
    assert out["R"].tolist() == [11, 108, 1]
    assert out["F"].tolist() == [2, 1, 3]
    assert out["M"].tolist() == [500.0, 900.0, 350.0]
    # 3 customers, 3 bins: scores are the ranks
    assert out["R评分"].tolist() == [2, 1, 3]
    assert out["F评分"].tolist() == [2, 1, 3]
    assert out["M评分"].tolist() == [2, 3, 1]
    assert out["RFM"].tolist() == ["222", "113", "331"]
    assert out["R"].dtype == np.int64 and out["R评分"].dtype == np.int64


def test_explicit_asof_and_same_day(orders):
    out = rfm_table(orders, asof="2024-07-31", bins=3)
    assert out["R"].tolist() == [41, 138, 31]
    assert rfm_table(orders, asof=pd.Timestamp("2024-06-30"))["R"].tolist() == [10, 107, 0]


def test_times_of_day_are_ignored():
    o = make_orders([("A", "2024-01-01 23:59", 1.0), ("B", "2024-01-02 00:01", 1.0)])
    out = rfm_table(o, asof="2024-01-03 08:00")
    assert out["R"].tolist() == [2, 1]
    assert rfm_table(o)["R"].tolist() == [2, 1]  # default asof 2024-01-03


def test_time_zone_dates_use_local_days():
    o = make_orders([("A", "2024-03-30 23:30", 1.0), ("B", "2024-04-01 00:30", 1.0)])
    o["下单日期"] = o["下单日期"].dt.tz_localize("Europe/Berlin")  # DST starts 2024-03-31
    assert rfm_table(o, asof="2024-04-10")["R"].tolist() == [11, 9]
    assert rfm_table(o)["R"].tolist() == [3, 1]


def test_asof_before_a_purchase(orders):
    with pytest.raises(CRMError, match="早于数据里最后一次下单"):
        rfm_table(orders, asof="2024-06-29")


def test_asof_not_a_date(orders):
    with pytest.raises(CRMError, match="无法识别为日期"):
        rfm_table(orders, asof="下个月")


def test_frequency_counts_distinct_orders():
    o = make_orders(
        [
            ("A", "2024-01-01", 10.0, "D1"),
            ("A", "2024-01-01", 5.0, "D1"),
            ("A", "2024-01-05", 5.0, "D2"),
            ("B", "2024-01-03", 1.0, "D3"),
        ],
        columns=("客户编号", "下单日期", "金额", "订单编号"),
    )
    assert rfm_table(o, order="订单编号")["F"].tolist() == [2, 1]
    assert rfm_table(o)["F"].tolist() == [3, 1]
    assert rfm_table(o)["M"].tolist() == [20.0, 1.0]


def test_single_customer_gets_middle_score():
    o = make_orders([("A", "2024-01-01", 10.0), ("A", "2024-02-01", 20.0)])
    out = rfm_table(o)
    assert out.loc["A", "RFM"] == "333"
    assert rfm_table(o, bins=4).loc["A", "RFM"] == "222"
    assert rfm_table(o, bins=1).loc["A", "RFM"] == "111"


def test_fewer_customers_than_bins():
    o = make_orders([("A", "2024-01-01", 10.0), ("B", "2024-01-02", 30.0), ("C", "2024-01-03", 20.0)])
    out = rfm_table(o, bins=5)
    # ranks 1..3 cut at edges 1, 1.4, 1.8, 2.2, 2.6, 3 -> scores 1, 3, 5
    assert out["R评分"].tolist() == [1, 3, 5]
    assert out["M评分"].tolist() == [1, 5, 3]
    # all F equal: ties go by customer order
    assert out["F评分"].tolist() == [1, 3, 5]
    two = rfm_table(o[o["客户编号"] != "C"], bins=5)
    assert two["RFM"].tolist() == ["111", "555"]


def test_ties_broken_by_customer_order():
    o = make_orders(
        [("B", "2024-01-01", 5.0), ("A", "2024-01-01", 5.0), ("D", "2024-01-01", 5.0), ("C", "2024-01-01", 5.0)]
    )
    out = rfm_table(o, bins=2)
    assert out.index.tolist() == ["A", "B", "C", "D"]
    assert out["RFM"].tolist() == ["111", "111", "222", "222"]


def test_other_column_names():
    o = make_orders([("x", "2024-01-01", 1), ("y", "2024-01-02", 2)], columns=("id", "day", "amt"))
    out = rfm_table(o, customer="id", date="day", amount="amt", bins=2)
    assert out.index.name == "id"
    assert out["M"].tolist() == [1, 2]
    assert out["RFM"].tolist() == ["111", "222"]


def literal_scores(x, bins):
    return pd.qcut(x.rank(method="first"), bins, labels=list(range(1, bins + 1))).astype(int)


@pytest.mark.parametrize("bins", [5, 3, 4, 7])
def test_scores_equal_literal_qcut_formula(bins):
    rng = np.random.default_rng(bins)
    n_cust = 500
    ids = [f"C{i:04d}" for i in rng.permutation(n_cust)]
    cust = rng.choice(ids, 3000)
    cust[:n_cust] = ids  # every customer buys at least once
    o = pd.DataFrame(
        {
            "客户编号": cust,
            "下单日期": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 200, len(cust)), unit="D"),
            "金额": rng.integers(0, 30, len(cust)) * 10.0,  # many ties
        }
    )
    out = rfm_table(o, bins=bins)
    assert len(out) == n_cust and out.index.is_monotonic_increasing
    assert (literal_scores(-out["R"], bins) == out["R评分"]).all()
    assert (literal_scores(out["F"], bins) == out["F评分"]).all()
    assert (literal_scores(out["M"], bins) == out["M评分"]).all()
    code = out["R评分"].astype(str) + out["F评分"].astype(str) + out["M评分"].astype(str)
    assert (code == out["RFM"]).all()
    # plain pandas for R, F, M
    g = o.groupby("客户编号")
    asof = o["下单日期"].max() + pd.Timedelta(days=1)
    assert ((asof - g["下单日期"].max()).dt.days == out["R"]).all()
    assert (g.size() == out["F"]).all()
    assert np.allclose(g["金额"].sum(), out["M"])


@pytest.mark.parametrize("n", [2, 3, 9, 10, 11, 26])
def test_rank_scores_small_n_match_qcut(n):
    x = pd.Series(np.arange(n) % 3)
    for bins in (1, 2, 5, 9):
        assert (rank_scores(x.to_numpy(), bins) == literal_scores(x, bins).to_numpy()).all()


def test_string_dates(orders):
    orders["下单日期"] = orders["下单日期"].dt.strftime("%Y-%m-%d")
    with pytest.raises(CRMError, match=r"pd.to_datetime"):
        rfm_table(orders)


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda o: o.assign(金额=-o["金额"]), "负数"),
        (lambda o: o.drop(columns="金额"), "找不到列「金额」"),
        (lambda o: o.rename(columns={"客户编号": "客户 编号"}), "你是不是想写「客户 编号」"),
        (lambda o: o.iloc[:0], "是空的"),
        (lambda o: o.assign(客户编号=[None] + o["客户编号"].tolist()[1:]), "「客户编号」列里有 1 个空值"),
        (lambda o: o.assign(下单日期=o["下单日期"].where(o.index > 0)), "空日期"),
        (lambda o: o.assign(金额=o["金额"].astype(str)), "应该是数字"),
    ],
)
def test_bad_orders(orders, change, words):
    with pytest.raises(CRMError, match=words):
        rfm_table(change(orders))


def test_missing_order_ids(orders):
    orders["订单编号"] = ["D1", None, "D3", "D4", "D5", "D6"]
    with pytest.raises(CRMError, match="「订单编号」列里有 1 个空值"):
        rfm_table(orders, order="订单编号")


def test_missing_order_column(orders):
    with pytest.raises(CRMError, match="找不到列「订单编号」"):
        rfm_table(orders, order="订单编号")


@pytest.mark.parametrize("bins, words", [(0, "不能小于 1"), (10, "不能大于 9"), (2.5, "整数"), ("5", "一个数字")])
def test_bad_bins(orders, bins, words):
    with pytest.raises(CRMError, match=words):
        rfm_table(orders, bins=bins)


def test_not_a_frame():
    with pytest.raises(CRMError, match="应该是一个表格"):
        rfm_table([1, 2, 3])
