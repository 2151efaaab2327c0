"""Funnel widget: counts equal crm.funnel, costs equal crm.cost_per_won, filters work, fast enough."""

import re

import numpy as np
import pytest

from crmlib import CRMError, STAGES, cost_per_won, funnel, load_dataset
from crmlib.widgets.funnel_chart import (
    build_funnel_chart,
    channel_table,
    funnel_counts,
    funnel_svg,
    funnel_view,
    prepare_funnel,
)


@pytest.fixture(scope="module")
def data():
    leads, costs = load_dataset("p02_leads"), load_dataset("p02_channel_costs")
    return leads, costs, prepare_funnel(leads, costs)


def test_counts_equal_crm_funnel_for_each_filter(data):
    leads, _, prep = data
    assert funnel_counts(prep) == funnel(leads, STAGES)["到达数"].tolist()
    sub = leads[(leads["渠道"] == "转介绍") & (leads["行业"] == "机械制造")]
    assert funnel_counts(prep, "转介绍", "机械制造") == funnel(sub, STAGES)["到达数"].tolist()
    april = leads[leads["登记日期"].dt.strftime("%Y-%m") == "2025-04"]
    assert funnel_counts(prep, month="2025-04") == funnel(april, STAGES)["到达数"].tolist()


def test_channel_costs_equal_cost_per_won(data):
    leads, costs, prep = data
    want = cost_per_won(leads, costs.groupby("渠道")["费用"].sum())
    got = channel_table(prep)
    assert np.allclose(got["每成交客户成本"], want.loc[got.index, "每成交客户成本"])
    april = leads[leads["登记日期"].dt.strftime("%Y-%m") == "2025-04"]
    want4 = cost_per_won(april, costs[costs["月份"] == "2025-04"].set_index("渠道")["费用"])
    assert np.allclose(channel_table(prep, month="2025-04")["每成交客户成本"], want4.loc[got.index, "每成交客户成本"])


def test_industry_filter_hides_costs_instead_of_inventing_them(data):
    _, _, prep = data
    t = channel_table(prep, industry="食品加工")
    assert t["每成交客户成本"].isna().all() and t["线索数"].sum() > 0
    assert "无法把费用分摊到行业" in funnel_view(prep, industry="食品加工")


def test_unknown_filter_value(data):
    with pytest.raises(CRMError, match="没有名为「微信」的渠道"):
        funnel_view(data[2], channel="微信")


def test_svg_labels_do_not_overlap():
    svg = funnel_svg(STAGES, [500, 400, 200, 120, 80], title="示例")
    ys = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', svg)]
    right = sorted(ys[1:][1::2])  # the number column, one per stage
    assert all(b - a >= 20 for a, b in zip(right, right[1:]))
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths == sorted(widths, reverse=True)


def test_widget_dropdown_updates(data):
    leads, costs, _ = data
    box = build_funnel_chart(leads, costs)
    box.children[1].children[0].value = "展会"
    assert "销售漏斗：展会" in box.children[2].value
