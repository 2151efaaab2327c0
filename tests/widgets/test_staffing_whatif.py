"""Staffing what-if view: numbers come from the Erlang C model, the verdict follows them."""

import crmlib as crm
from crmlib.topics.staffing import agents_needed, service_level
from crmlib.widgets.staffing_whatif import staffing_view


def test_view_shows_model_numbers():
    html = staffing_view(106, 284, 10)
    assert f"{service_level(106, 284, 10):.1%}" in html
    assert f"需要 {agents_needed(106, 284, 0.8)} 人" in html and "×" in html and "还差" in html
    assert html.count("<svg") == 1


def test_view_when_enough_agents_and_when_overloaded():
    assert "√" in staffing_view(80, 265, 12) and "已经够用" in staffing_view(80, 265, 12)
    over = staffing_view(150, 300, 10)  # 12.5 erlangs on 10 agents
    assert "排队越来越长" in over and "100%以上" in over


def test_facade():
    assert crm.staffing_view is staffing_view
