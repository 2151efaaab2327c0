"""Account risk widget (p07): the view shows the account's real figures and signs, the
data note apart from the signs, it is fast, errors are explained, and no label collides."""

import pandas as pd
import pytest

import crmlib as crm
from crmlib.course.errors import CRMError
from crmlib.widgets import account_risk as riskw
from crmlib.widgets.abc_cutoffs import label_collisions, svgs, text_boxes


@pytest.fixture(scope="module")
def orders():
    return crm.load_dataset("p07_orders")


@pytest.fixture(scope="module")
def accounts():
    return crm.load_dataset("p07_accounts")


@pytest.fixture(scope="module")
def risk_data(orders, accounts):
    return riskw.prepare_risk_data(orders, accounts)


@pytest.fixture(scope="module")
def ws(orders):
    return crm.warning_signs(orders)


def test_view_shows_the_account(risk_data, orders, accounts, ws):
    html = riskw.account_risk_view(risk_data, "K0011")
    assert accounts.set_index("客户编号").at["K0011", "客户名称"] in html and html.count("<svg") == 2
    for sign in ws.at["K0011", "征兆"].split("；"):
        assert sign in html
    total = orders.loc[orders["客户编号"] == "K0011", "金额"].sum()
    assert f"{total / 1e4:,.2f} 万元" in html
    assert f"{int(ws.at['K0011', '未下单天数'])} 天" in html


def test_all_clear_account(risk_data, ws):
    calm = ws.index[(ws["征兆数"] == 0) & (ws["数据备注"] == "")][0]
    assert "未发现预警征兆" in riskw.account_risk_view(risk_data, calm)


def test_single_order_day_is_a_data_note_not_a_sign(risk_data, ws):
    once = ws.index[ws["数据备注"] != ""]
    assert len(once) > 0 and (ws.loc[once, "征兆数"] == 0).all()
    html = riskw.account_risk_view(risk_data, once[0])
    assert "数据不足" in html and "不是跳槽征兆" in html and "触发了" not in html


def test_histories_match_account_history(risk_data, orders):
    for cid in ["K0011", "K0190"]:
        hist = crm.account_history(orders, cid)
        labels, amounts, gaps = risk_data.histories[cid]
        assert amounts.tolist() == pytest.approx(hist["金额"].tolist())
        assert pd.Series(gaps[1:]).tolist() == hist["间隔天数"].iloc[1:].tolist()
        assert risk_data.monthly.loc[cid].sum() == pytest.approx(hist["金额"].sum())


def test_default_and_options(risk_data, orders, ws):
    totals = orders.groupby("客户编号")["金额"].sum()
    default = riskw.default_account(risk_data)
    assert ws.at[default, "征兆数"] > 0
    assert (ws.loc[totals[totals > totals[default]].index, "征兆数"] == 0).all()
    options = riskw.account_options(risk_data)
    assert len(options) == orders["客户编号"].nunique() and options[0][1] == totals.idxmax()
    assert sum(label.endswith("△") for label, _ in options) == (ws["征兆数"] > 0).sum()
    assert not any(ch in label for label, _ in options for ch in "⚠✅❌💡")


def test_unknown_account_is_explained(risk_data):
    with pytest.raises(CRMError, match="没有客户「K011」。你是不是想写「K0"):
        riskw.account_risk_view(risk_data, "K011")
    with pytest.raises(CRMError, match="还没有它的订单"):
        riskw.account_risk_view(risk_data, "K0027")


def test_bad_orders_are_explained(orders):
    bad = orders.assign(下单日期=orders["下单日期"].dt.strftime("%Y-%m-%d"))
    with pytest.raises(CRMError, match="不是日期"):
        riskw.prepare_risk_data(bad)
    with pytest.raises(CRMError, match="客户名称"):
        riskw.prepare_risk_data(orders, pd.DataFrame({"客户编号": ["K0001"], "名称": ["甲"]}))


def test_widget_dropdown_updates(orders, accounts, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    box, _ = riskw.build_account_risk(orders, accounts)
    pick, html = box.children[1], box.children[2]
    pick.value = "K0190"
    assert "K0190" in html.value and "天未下单" in html.value
    assert riskw.account_risk(orders, accounts) is None


# ------------------------------------------------------------------ label geometry


def test_every_account_view_has_no_label_collision(risk_data):
    """预警线 and 通常间隔 (and 月均) sit in the right margin, stacked: never on a line, never on each other."""
    bad = {}
    for cid in risk_data.totals.index:
        for svg in svgs(riskw.account_risk_view(risk_data, cid)):
            found = label_collisions(svg)
            if found:
                bad[cid] = found
    assert bad == {}


def test_close_reference_lines_get_separate_labels():
    # typical gap 1 day: 通常间隔 1 and 预警线 2 are a few pixels apart on a 200-day axis
    o = pd.DataFrame(
        {
            "客户编号": ["K1"] * 5,
            "下单日期": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-07-20"]),
            "金额": [10.0] * 5,
        }
    )
    svg = svgs(riskw.account_risk_view(riskw.prepare_risk_data(o), "K1"))[1]
    labels = [b for b in text_boxes(svg) if b[4].startswith(("通常间隔", "预警线"))]
    assert len(labels) == 2
    assert label_collisions(svg) == []
