"""Erlang C staffing model, against published values and hand-computed cases."""

import math

import pandas as pd
import pytest

import crmlib as crm
from crmlib import CRMError
from crmlib.topics import staffing


def test_published_erlang_c_example():
    # Wikipedia's Erlang C example (also reproduced in the Maxima "erlang" package notes):
    # 0.2 calls/s, 240 s per call (A = 48 erlangs), 55 agents → P(wait) 0.2387, P(wait ≤ 15 s) 0.8459.
    assert staffing.wait_probability(720, 240, 55) == pytest.approx(0.2387, abs=5e-5)
    assert staffing.service_level(720, 240, 55, 15) == pytest.approx(0.8459, abs=5e-5)


def test_published_erlang_c_curve_value():
    # Textbook M/M/m example: 120 customers/h, 3 min each (A = 6 erlangs), 10 servers → P(wait) ≈ 0.10.
    assert staffing.wait_probability(120, 180, 10) == pytest.approx(0.1013, abs=5e-4)


def test_hand_computed_small_queue():
    # One agent, A = 0.5 erlang: P(wait) = A = 0.5; SL(t) = 1 - 0.5·exp(-(1 - 0.5)·t/AHT)
    assert staffing.wait_probability(10, 180, 1) == pytest.approx(0.5)
    assert staffing.service_level(10, 180, 1, 20) == pytest.approx(1 - 0.5 * math.exp(-0.5 * 20 / 180))
    # Two agents, A = 1: B(2,1) = 0.2, C = 2·0.2 / (2 - 1·0.8) = 1/3
    assert staffing.wait_probability(20, 180, 2) == pytest.approx(1 / 3)


def test_boundaries_and_no_calls():
    assert staffing.wait_probability(120, 180, 6) == 1.0  # agents = traffic: the queue never clears
    assert staffing.service_level(120, 180, 5) == 0.0
    assert staffing.wait_probability(0, 180, 3) == 0.0 and staffing.service_level(0, 180, 3) == 1.0
    assert staffing.service_level(120, 180, 10, 0) == pytest.approx(1 - staffing.wait_probability(120, 180, 10))


def test_more_agents_never_lower_the_service_level():
    sl = [staffing.service_level(106, 284, n) for n in range(9, 20)]
    assert sl == sorted(sl) and sl[0] < 0.8 < sl[-1]


def test_agents_needed_is_the_smallest_that_meets_the_target():
    n = staffing.agents_needed(106, 284, 0.8)
    assert staffing.service_level(106, 284, n) >= 0.8 > staffing.service_level(106, 284, n - 1)


def test_staffing_table_columns():
    t = crm.staffing_table(120, 180, [5, 10])
    assert list(t.columns) == ["在岗坐席", "话务量", "占用率", "等待概率", "服务水平", "平均等待秒"]
    assert math.isinf(t.loc[0, "平均等待秒"]) and t.loc[1, "占用率"] == pytest.approx(0.6)
    assert t.loc[1, "平均等待秒"] == pytest.approx(t.loc[1, "等待概率"] * 180 / 4)


def test_queue_kpis_count_abandoned_calls():
    q = pd.DataFrame(
        {
            "月份": ["1月", "2月"],
            "呼入量": [100, 300],
            "接通量": [95, 270],
            "20秒内接通量": [90, 210],
            "放弃量": [5, 30],
        }
    )
    out = crm.queue_kpis(q)
    assert out["服务水平"].tolist() == pytest.approx([0.9, 0.7])  # ÷ offered, not ÷ answered (0.947, 0.778)
    whole = crm.queue_kpis(q, by=None).loc["全部"]
    assert whole["服务水平"] == pytest.approx(300 / 400) and whole["放弃率"] == pytest.approx(35 / 400)


@pytest.mark.parametrize(
    "bad, word",
    [
        (lambda: staffing.service_level(-1, 180, 5), "来电"),
        (lambda: staffing.service_level(100, 0, 5), "处理时长"),
        (lambda: staffing.service_level(100, 180, 5.5), "整数"),
        (lambda: staffing.agents_needed(100, 180, 1.5), "目标"),
        (lambda: staffing.staffing_table(100, 180, []), "至少"),
        (lambda: crm.queue_kpis(pd.DataFrame({"呼入量": [1]})), "接通量"),
        (
            lambda: crm.queue_kpis(
                pd.DataFrame({"呼入量": [10], "接通量": [9], "20秒内接通量": [10], "放弃量": [1]}), by=None
            ),
            "对不上",
        ),
    ],
)
def test_bad_input(bad, word):
    with pytest.raises(CRMError, match=word):
        bad()
