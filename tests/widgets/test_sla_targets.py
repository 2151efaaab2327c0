"""SLA widget: same numbers as crm.sla_share, worst weeks, speed, static view."""

import numpy as np
import pandas as pd
import pytest

from crmlib.course.datasets import load_dataset
from crmlib.course.errors import CRMError
from crmlib.topics.sla import sla_share
from crmlib.widgets.sla_targets import BENCH, prepare_sla, sla_table, sla_targets_view, worst_weeks

ASOF = "2026-01-05 09:00"


@pytest.fixture(scope="module")
def cases():
    return load_dataset("p05_complaints")


@pytest.fixture(scope="module")
def prepared(cases):
    return prepare_sla(cases, asof=ASOF)


@pytest.mark.parametrize("first, resolve, clock", [(4, 120, "calendar"), (2, 27, "working"), (0.5, 240, "calendar")])
def test_table_agrees_with_sla_share(cases, prepared, first, resolve, clock):
    t = sla_table(prepared, first, resolve, clock)
    fr = sla_share(cases, "受理时间", "首次响应时间", first, by="渠道", calendar=clock)["达标率"]
    kept = cases[~((cases["处理状态"] == "已解决") & cases["解决时间"].isna())]
    rr = sla_share(kept, "受理时间", "解决时间", resolve, by="渠道", calendar=clock, asof=ASOF)["达标率"]
    assert np.allclose(t["首响达标率"], fr.reindex(t.index))
    assert np.allclose(t["解决达标率"], rr.reindex(t.index))


def test_worst_weeks_show_the_holiday_backlog(prepared):
    w = worst_weeks(prepared, 120, min_cases=20)
    assert w["受理周（周一）"].tolist()[:2] == ["2025-01-27", "2025-09-29"]
    assert (w["超时比例"].diff().dropna() <= 0).all()


def test_hand_computed_week():
    t = pd.DataFrame(
        {
            "渠道": ["热线"] * 3,
            "处理状态": ["已解决", "已解决", "处理中"],
            "受理时间": pd.to_datetime(["2025-03-03 09:00", "2025-03-04 09:00", "2025-03-05 09:00"]),
            "首次响应时间": pd.to_datetime(["2025-03-03 09:05"] * 3),
            "解决时间": pd.to_datetime(["2025-03-03 10:00", "2025-03-10 09:00", None]),
        }
    )
    t.loc[1:, "首次响应时间"] = pd.to_datetime(["2025-03-04 09:05", "2025-03-05 09:05"])
    d = prepare_sla(t, asof="2025-03-09 09:00")
    # case 2: 144 h > 72 late; case 3 open 96 h > 72 late
    assert worst_weeks(d, 72).iloc[0].tolist() == ["2025-03-03", 2, 2 / 3]
    assert sla_table(d, 1, 72)["解决达标率"].tolist() == [1 / 3]


def test_view_is_chinese():
    update = BENCH()  # its speed is measured by `course.py bench`
    html = update()
    assert "积压最重的三周" in html and "<svg" in html


def test_bad_target_is_a_chinese_error(prepared):
    with pytest.raises(CRMError, match="不能小于 0"):
        sla_targets_view(prepared, -1, 72)
