"""Warning signs of key accounts: each rule on its own, boundaries, bad input."""

import numpy as np
import pandas as pd
import pytest

from crmlib import CRMError, account_history, warning_signs

COLUMNS = [
    "最近下单日期",
    "未下单天数",
    "下单次数",
    "通常间隔",
    "间隔倍数",
    "近期采购额",
    "前期采购额",
    "变化率",
    "征兆",
    "征兆数",
    "数据备注",
]


def make_orders(rows):
    df = pd.DataFrame(rows, columns=["客户编号", "下单日期", "金额"])
    df["下单日期"] = pd.to_datetime(df["下单日期"], format="ISO8601")
    return df


def every(days, start="2024-01-01", customer="K", amount=100.0, count=4):
    """`count` orders `days` apart."""
    first = pd.Timestamp(start)
    return [(customer, first + pd.Timedelta(days=days * i), amount) for i in range(count)]


def test_columns_and_quiet_account():
    o = make_orders(every(30))  # 01-01, 01-31, 03-01, 03-31
    ws = warning_signs(o, asof="2024-04-10")
    assert list(ws.columns) == COLUMNS
    assert ws.index.name == "客户编号"
    row = ws.loc["K"]
    assert row["最近下单日期"] == pd.Timestamp("2024-03-31")
    assert row["未下单天数"] == 10
    assert row["下单次数"] == 4
    assert row["通常间隔"] == 30
    assert row["间隔倍数"] == pytest.approx(1 / 3)
    assert row["近期采购额"] == 400 and row["前期采购额"] == 0
    assert np.isnan(row["变化率"])
    assert row["征兆"] == "" and row["征兆数"] == 0


# --- rule 1: 久未下单 -------------------------------------------------------


def test_gap_fires_at_exact_factor():
    o = make_orders(every(30))
    row = warning_signs(o, asof="2024-05-30").loc["K"]  # 60 days = 2.0 x 30
    assert row["间隔倍数"] == 2.0
    assert row["征兆"] == "已 60 天未下单，是其通常间隔（30 天）的 2.0 倍"
    assert row["征兆数"] == 1


def test_gap_does_not_fire_below_factor():
    o = make_orders(every(30))
    row = warning_signs(o, asof="2024-05-29").loc["K"]  # 59 days
    assert row["征兆数"] == 0


def test_gap_factor_parameter_and_median_interval():
    # gaps 10, 10, 40 -> median 10; asof 25 days after the last order
    o = make_orders([("K", d, 1.0) for d in ["2024-01-01", "2024-01-11", "2024-01-21", "2024-03-01"]])
    ws = warning_signs(o, asof="2024-03-26")
    assert ws.loc["K", "通常间隔"] == 10
    assert ws.loc["K", "征兆"] == "已 25 天未下单，是其通常间隔（10 天）的 2.5 倍"
    assert warning_signs(o, asof="2024-03-26", gap_factor=3)["征兆数"].iloc[0] == 0


def test_same_day_orders_are_one_order_day():
    o = make_orders(
        [("K", "2024-01-01", 1.0), ("K", "2024-01-01 15:00", 1.0), ("K", "2024-01-21", 1.0), ("K", "2024-02-10", 1.0)]
    )
    ws = warning_signs(o, asof="2024-02-20")
    assert ws.loc["K", "下单次数"] == 3
    assert ws.loc["K", "通常间隔"] == 20  # not the median of 0, 20, 20
    hist = account_history(o, "K")
    assert hist["间隔天数"].tolist()[1:] == [0, 20, 20]
    assert hist.loc[hist["间隔天数"] > 0, "间隔天数"].median() == ws.loc["K", "通常间隔"]


# --- data note: 只在 1 天下过单 (not a warning sign) ----------------------------


def test_single_order_day_is_a_data_note_not_a_sign():
    o = make_orders(
        [("K", "2024-01-01", 100.0), ("K", "2024-01-01", 50.0), ("M", "2024-01-01", 10.0), ("M", "2024-02-01", 10.0)]
    )
    ws = warning_signs(o, asof="2024-12-31")
    row = ws.loc["K"]
    assert row["下单次数"] == 1
    assert np.isnan(row["通常间隔"]) and np.isnan(row["间隔倍数"])
    assert row["征兆"] == "" and row["征兆数"] == 0
    assert row["数据备注"].startswith("数据不足：只在 1 天下过单")
    assert ws.loc["M", "数据备注"] == ""


def test_single_order_day_can_still_show_a_drop():
    # one order day in the prior window, nothing since: the drop rule still speaks
    o = make_orders([("K", "2024-01-01", 500.0)])
    row = warning_signs(o, asof="2024-06-30").loc["K"]
    assert row["征兆数"] == 1 and row["征兆"].startswith("近 180 天没有采购")
    assert row["数据备注"] != ""


# --- rule 3: 采购额下降 -----------------------------------------------------


def windows(recent, prior):
    """Account K: `prior` 200 days before asof, `recent` 10 days before, and a steady rhythm."""
    return make_orders(
        [("K", "2024-01-01", prior), ("K", "2024-06-01", recent), ("K", "2024-06-11", 0.0), ("K", "2024-06-21", 0.0)]
    )


ASOF = "2024-06-30"  # window 180: recent = 2024-01-02 … 06-30, prior = 2023-07-06 … 2024-01-01


def test_drop_fires_at_exact_threshold():
    row = warning_signs(windows(70.0, 100.0), asof=ASOF).loc["K"]
    assert row["近期采购额"] == 70 and row["前期采购额"] == 100
    assert row["变化率"] == pytest.approx(-0.3)
    assert row["征兆"] == "近 180 天采购额比前 180 天下降 30%"
    assert row["征兆数"] == 1


def test_drop_does_not_fire_below_threshold():
    assert warning_signs(windows(71.0, 100.0), asof=ASOF)["征兆数"].iloc[0] == 0
    assert warning_signs(windows(71.0, 100.0), asof=ASOF, drop_threshold=0.29)["征兆数"].iloc[0] == 1


def test_growth_and_no_prior_purchases_do_not_fire():
    assert warning_signs(windows(500.0, 100.0), asof=ASOF)["征兆数"].iloc[0] == 0
    row = warning_signs(windows(500.0, 0.0), asof=ASOF).loc["K"]
    assert np.isnan(row["变化率"]) and row["征兆数"] == 0


def test_no_recent_purchases():
    o = make_orders([("K", "2023-11-01", 2000.0), ("K", "2023-12-01", 10000.0)])
    row = warning_signs(o, asof="2024-06-01").loc["K"]  # 183 days: both in the prior window
    assert row["近期采购额"] == 0 and row["前期采购额"] == 12000
    assert row["变化率"] == -1
    assert row["征兆"] == (
        "已 183 天未下单，是其通常间隔（30 天）的 6.1 倍；近 180 天没有采购，而前 180 天采购了 12,000 元"
    )
    assert row["征兆数"] == 2


def test_window_edges():
    asof = pd.Timestamp("2024-12-31")
    ago = [0, 10, 10, 11, 20, 21]  # days before asof
    o = make_orders([("K", asof - pd.Timedelta(days=d), 1.0 * 10**i) for i, d in enumerate(ago)])
    row = warning_signs(o, asof=asof, window_days=10).loc["K"]
    assert row["近期采购额"] == 1 + 10 + 100  # 0 … 10 days before asof
    assert row["前期采购额"] == 1000 + 10000  # 11 … 20 days before asof
    assert row["未下单天数"] == 0


def test_default_asof_is_day_after_last_order():
    o = make_orders(every(30, count=3) + every(5, start="2024-02-25", customer="L", count=2))
    ws = warning_signs(o)  # last order 2024-03-01 -> asof 2024-03-02
    assert ws.index.tolist() == ["K", "L"]
    assert ws["未下单天数"].tolist() == [1, 1]


def test_several_accounts_one_row_each():
    o = make_orders(every(30, customer="B") + every(7, customer="A", count=2) + [("C", "2024-01-03", 5.0)])
    ws = warning_signs(o, asof="2024-06-30")
    assert ws.index.tolist() == ["A", "B", "C"]
    assert ws["下单次数"].tolist() == [2, 4, 1]
    assert ws["通常间隔"].tolist()[:2] == [7, 30]


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kw, words",
    [
        ({"window_days": 0}, "不能小于 1"),
        ({"window_days": 30.5}, "整数天"),
        ({"gap_factor": 0.5}, "不能小于 1"),
        ({"drop_threshold": 30}, "0.3"),
        ({"drop_threshold": 0}, "0.3"),
        ({"asof": "2024-01-15"}, "早于数据里最后一次下单"),
    ],
)
def test_bad_parameters(kw, words):
    with pytest.raises(CRMError, match=words):
        warning_signs(make_orders(every(30)), **kw)


def test_string_dates():
    o = make_orders(every(30))
    o["下单日期"] = o["下单日期"].astype(str)
    with pytest.raises(CRMError, match="pd.to_datetime"):
        warning_signs(o)


# --- account_history ------------------------------------------------------


def test_account_history_sorted_with_intervals():
    o = make_orders(
        [
            ("K1", "2024-03-01", 120.0),
            ("K2", "2024-01-05", 80.0),
            ("K1", "2024-01-01", 100.0),
            ("K1", "2024-01-31", 90.0),
        ]
    )
    h = account_history(o, "K1")
    assert h.index.tolist() == [0, 1, 2]
    assert h["金额"].tolist() == [100.0, 90.0, 120.0]
    assert np.isnan(h["间隔天数"].iloc[0])
    assert h["间隔天数"].tolist()[1:] == [30.0, 30.0]
    assert list(h.columns) == ["客户编号", "下单日期", "金额", "间隔天数"]


def test_account_history_unknown_ids():
    o = make_orders([("K001", "2024-01-01", 1.0), ("K002", "2024-01-02", 1.0)])
    with pytest.raises(CRMError, match="你是不是想写「K001」"):
        account_history(o, "K01")
    o["客户编号"] = ["1001", "1002"]
    with pytest.raises(CRMError, match="引号"):
        account_history(o, 1001)
    with pytest.raises(CRMError, match="没有客户「X」"):
        account_history(o, "X")
