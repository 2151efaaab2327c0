"""crm.sla_share: both clocks on the real China calendar, open cases, boundaries, groups, errors."""

import pandas as pd
import pytest

from crmlib.course.errors import CRMError
from crmlib.topics.sla import elapsed_hours, sla_share, sla_status


def frame(rows):
    return pd.DataFrame(rows, columns=["渠道", "受理", "回复"]).assign(
        受理=lambda d: pd.to_datetime(d["受理"]), 回复=lambda d: pd.to_datetime(d["回复"])
    )


def test_working_hours_skip_nights_weekends_and_spring_festival():
    f = frame(
        [
            ["邮件", "2025-01-27 17:00", "2025-02-05 10:00"],  # 春节: 1 h Monday + 1 h on 02-05
            ["邮件", "2025-01-26 10:00", "2025-01-26 12:00"],  # Sunday 01-26 is a 调休 working day
            ["邮件", "2025-01-03 20:00", "2025-01-06 08:00"],
        ]
    )  # Friday night to Monday before opening
    assert elapsed_hours(f["受理"], f["回复"], "working").tolist() == [2.0, 2.0, 0.0]
    assert elapsed_hours(f["受理"], f["回复"]).tolist() == [209.0, 2.0, 60.0]


def test_target_boundary_is_within():
    f = frame([["热线", "2025-03-03 09:00", "2025-03-04 09:00"], ["热线", "2025-03-03 09:00", "2025-03-04 09:01"]])
    assert sla_status(f, "受理", "回复", 24).tolist() == ["达标", "超时"]
    assert sla_share(f, "受理", "回复", 24) == 0.5


def test_open_cases_late_once_the_target_passed_pending_before():
    f = frame(
        [
            ["热线", "2025-03-03 09:00", "2025-03-03 10:00"],
            ["热线", "2025-03-03 09:00", None],
            ["热线", "2025-03-04 08:00", None],
        ]
    )
    # asof 03-04 09:30: case 2 open 24.5 h (late), case 3 open 1.5 h (pending, left out)
    st = sla_status(f, "受理", "回复", 24, asof="2025-03-04 09:30")
    assert st.tolist() == ["达标", "超时", "未到期"]
    assert sla_share(f, "受理", "回复", 24, asof="2025-03-04 09:30") == 0.5
    by = sla_share(f, "受理", "回复", 24, by="渠道", asof="2025-03-04 09:30")
    assert by.loc["热线"].tolist() == [2, 1, 0.5, 1, 1]


def test_working_clock_changes_the_answer():
    # Friday 17:00 -> Monday 10:00: 65 calendar hours, 2 working hours
    f = frame([["邮件", "2025-03-07 17:00", "2025-03-10 10:00"]])
    assert sla_share(f, "受理", "回复", 8) == 0.0
    assert sla_share(f, "受理", "回复", 8, calendar="working") == 1.0
    assert sla_share(f, "受理", "回复", 8, calendar="工作小时") == 1.0


def test_by_group_sorted_and_single_row():
    f = frame([["邮件", "2025-03-03 09:00", "2025-03-03 09:30"], ["热线", "2025-03-03 09:00", "2025-03-05 09:00"]])
    t = sla_share(f, "受理", "回复", 1, by="渠道")
    assert t.index.tolist() == sorted(["邮件", "热线"]) and t["达标率"].to_dict() == {"热线": 0.0, "邮件": 1.0}


@pytest.mark.parametrize(
    "kwargs, msg",
    [
        ({"target": -1}, "不能小于 0"),
        ({"target": 24, "calendar": "weekdays"}, "calendar"),
        ({"target": "24"}, "数字"),
    ],
)
def test_bad_arguments(kwargs, msg):
    f = frame([["热线", "2025-03-03 09:00", "2025-03-03 10:00"]])
    with pytest.raises(CRMError, match=msg):
        sla_share(f, "受理", "回复", **kwargs)


def test_text_times_and_reversed_times_and_all_pending():
    raw = pd.DataFrame({"受理": ["2025-03-03 09:00"], "回复": ["2025-03-03 10:00"]})
    with pytest.raises(CRMError, match="to_datetime"):
        sla_share(raw, "受理", "回复", 24)
    f = frame([["热线", "2025-03-03 09:00", "2025-03-02 10:00"]])
    with pytest.raises(CRMError, match="早于"):
        sla_share(f, "受理", "回复", 24)
    f = frame([["热线", "2025-03-03 09:00", None]])
    with pytest.raises(CRMError, match="没到期"):
        sla_share(f, "受理", "回复", 24, asof="2025-03-03 10:00")
    with pytest.raises(CRMError, match="找不到列"):
        sla_share(f, "受理", "解决", 24)
