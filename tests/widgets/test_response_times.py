"""First-response-by-hour widget: hourly table semantics (unanswered in the denominator, empty
hours), day types on the China calendar, target line and legend in the SVG, reacting to the
slider, static under grading, speed."""

import re

import numpy as np
import pandas as pd
import pytest

import crmlib as crm
from crmlib.course.errors import CRMError
from crmlib.widgets import response_times as rt


@pytest.fixture(scope="module")
def data():
    return rt.prepare_response_data(crm.load_dataset("p08_messages"))


def test_hourly_counts_unanswered_and_leaves_empty_hours_empty():
    t = pd.Timestamp
    fr = pd.DataFrame(
        {
            "首响秒数": [20.0, 90.0, np.nan, 30.0],
            "客户首条消息": [
                t("2025-09-01 10:05"),
                t("2025-09-01 10:50"),
                t("2025-09-01 10:59"),
                t("2025-09-20 21:00"),
            ],
        }
    )
    d = rt.prepare_response_data(fr)
    assert d["日期类型"].tolist() == ["工作日", "工作日", "工作日", "店庆日"]
    h = rt.hourly(d, 60)
    assert h.loc[10, "会话数"] == 3 and h.loc[10, "目标内占比"] == pytest.approx(1 / 3)
    assert h.loc[10, "首响中位数（秒）"] == 55.0
    assert h.loc[3, "会话数"] == 0 and np.isnan(h.loc[3, "目标内占比"])
    assert rt.hourly(d, 60, "店庆日").loc[21, "目标内占比"] == 1.0


def test_calendar_day_types(data):
    days = data.assign(日=data["客户首条消息"].dt.normalize()).groupby("日")["日期类型"].first()
    assert days[pd.Timestamp("2025-09-20")] == "店庆日"
    assert days[pd.Timestamp("2025-09-28")] == "工作日"  # a Sunday worked before 国庆 (调休)
    assert days[pd.Timestamp("2025-09-27")] == "休息日"


def test_view_headline_matches_within_target(data):
    html = rt.response_times_view(data, 60)
    share = crm.within_target(data, 60)
    assert f"{share:.1%} 在 60 秒内" in html
    assert "目标 60 秒" in html and "<svg" in html


def test_target_line_moves_with_the_slider(data):
    def line_y(html):
        return float(re.search(r'y1="([\d.]+)" y2="[\d.]+" stroke="#333" stroke-dasharray', html).group(1))

    assert line_y(rt.response_times_view(data, 120)) < line_y(rt.response_times_view(data, 60))


def test_errors(data):
    with pytest.raises(CRMError, match="日期类型"):
        rt.hourly(data, 60, "节假日")
    with pytest.raises(CRMError, match="目标秒数"):
        rt.hourly(data, 0)


def test_widget_reacts(data):
    box = rt.build_response_times(crm.load_dataset("p08_messages"))
    (slider, kind), out = box.children[0].children, box.children[1]
    before = out.value
    kind.value = "店庆日"
    assert out.value != before and "店庆日" in out.value
    slider.value = 200
    assert "目标 200 秒" in out.value


def test_static_under_grading(monkeypatch):
    shown = []
    monkeypatch.setattr(rt, "show", lambda widget, html: shown.append(html))
    assert rt.response_times(crm.load_dataset("p08_messages")) is None
    assert "<svg" in shown[0]
