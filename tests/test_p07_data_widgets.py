"""Project p07 大客户管理: the datasets tell the story the notebook needs, and the
two widgets (ABC cut-offs, account risk) show the right numbers quickly."""
import re
import time

import pandas as pd
import pytest
import yaml

import crmlib as crm
from crmlib.course.errors import CRMError
from crmlib.generators import p07
from crmlib.widgets import abc_cutoffs as abcw
from crmlib.widgets import account_risk as riskw
from conftest import ROOT

ROLES = {"使用者", "影响者", "采购者", "决策者", "批准者", "把关者"}


@pytest.fixture(scope="module")
def accounts():
    return crm.load_dataset("p07_accounts")


@pytest.fixture(scope="module")
def orders():
    return crm.load_dataset("p07_orders")


@pytest.fixture(scope="module")
def contacts():
    return crm.load_dataset("p07_contacts")


@pytest.fixture(scope="module")
def totals(orders):
    return orders.groupby("客户编号")["金额"].sum()


@pytest.fixture(scope="module")
def risk_data(orders, accounts):
    return riskw.prepare_risk_data(orders, accounts)


# ------------------------------------------------------------------ datasets

def test_columns_and_sizes(accounts, orders, contacts):
    assert accounts.columns.tolist() == ["客户编号", "客户名称", "行业", "城市", "企业规模", "客户经理",
                                         "合作起始日期", "结算方式"]
    assert orders.columns.tolist() == ["订单编号", "客户编号", "下单日期", "产品线", "数量", "单价", "金额"]
    assert contacts.columns.tolist() == ["客户编号", "联系人", "职务", "采购角色", "联系电话", "关系程度"]
    assert len(accounts) == 200
    assert 3000 <= len(orders) <= 5000
    assert 400 <= len(contacts) <= 900


def test_generation_is_deterministic_and_fast():
    p07._plan.cache_clear()
    p07._orders.cache_clear()
    start = time.perf_counter()
    first = [p07.make_accounts(), p07.make_orders(), p07.make_contacts()]
    assert time.perf_counter() - start < 1.0
    p07._plan.cache_clear()
    p07._orders.cache_clear()
    second = [p07.make_accounts(), p07.make_orders(), p07.make_contacts()]
    for a, b in zip(first, second):
        pd.testing.assert_frame_equal(a, b)


def test_keys_and_values_are_clean(accounts, orders, contacts):
    assert accounts["客户编号"].is_unique and accounts["客户名称"].is_unique
    assert orders["订单编号"].is_unique
    assert orders["客户编号"].isin(accounts["客户编号"]).all()
    assert contacts["客户编号"].isin(accounts["客户编号"]).all()
    assert set(contacts["客户编号"]) == set(accounts["客户编号"])
    assert (orders["金额"] > 0).all() and (orders["数量"] >= 1).all()
    assert (orders["金额"] - (orders["数量"] * orders["单价"]).round(2)).abs().max() < 0.005
    assert orders["下单日期"].between("2023-01-01", "2024-12-31").all()
    assert orders["下单日期"].is_monotonic_increasing
    assert set(contacts["采购角色"]) == ROLES
    assert contacts["联系电话"].str.fullmatch(r"1\d\d\*{4}\d{4}").all()


def test_no_orders_during_spring_festival(orders):
    d = orders["下单日期"]
    assert not d.between("2023-01-20", "2023-01-28").any()
    assert not d.between("2024-02-09", "2024-02-18").any()


def test_three_new_accounts_have_no_orders(accounts, orders):
    idle = set(accounts["客户编号"]) - set(orders["客户编号"])
    assert len(idle) == 3
    assert (accounts.set_index("客户编号").loc[sorted(idle), "合作起始日期"] >= "2024-12-01").all()


def test_value_is_heavy_tailed_about_80_20(totals):
    share = crm.pareto_share(totals, 0.2)
    assert 0.75 <= share <= 0.88
    classes = crm.abc_classify(totals)["ABC"].value_counts()
    assert 25 <= classes["A"] <= 50 and classes["C"] > classes["B"] > classes["A"] * 0.8


def test_big_accounts_are_mostly_big_firms(accounts, totals):
    top = totals.sort_values(ascending=False).head(20).index
    sizes = accounts.set_index("客户编号").loc[top, "企业规模"]
    assert (sizes == "大型").mean() >= 0.6


def test_warning_signs_find_real_cases(orders, totals):
    ws = crm.warning_signs(orders)
    flagged = ws[ws["征兆数"] > 0]
    assert 20 <= len(flagged) <= 70
    abc = crm.abc_classify(totals)["ABC"]
    a_flagged = flagged.index[flagged.index.map(abc) == "A"]
    assert 3 <= len(a_flagged) <= 10
    assert (ws["未下单天数"] > 180).sum() >= 5  # accounts that stopped ordering
    assert (ws["下单次数"] == 1).sum() >= 2  # one-off buyers


def test_rfm_has_important_value_and_keep_customers(orders):
    r = crm.rfm_table(orders)
    high_fm = (r["F评分"] >= 4) & (r["M评分"] >= 4)
    assert (high_fm & (r["R评分"] >= 4)).sum() >= 20
    assert (high_fm & (r["R评分"] <= 3)).sum() >= 5


def test_some_key_accounts_lack_buying_roles(contacts, totals):
    abc = crm.abc_classify(totals)
    a_ids = abc.index[abc["ABC"] == "A"]
    n = contacts[contacts["客户编号"].isin(a_ids)].groupby("客户编号")["采购角色"].nunique()
    assert 3 <= (n < 6).sum() < len(a_ids)


def test_readme_has_a_p07_section():
    text = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    section = text.split("## p07", 1)[1]
    for name in p07.DATASETS:
        assert f"### {name}" in section
    for col in ["客户编号", "客户名称", "合作起始日期", "订单编号", "下单日期", "金额", "采购角色", "联系电话"]:
        assert f"| {col} |" in section


# ------------------------------------------------------------------ ABC widget

def test_abc_view_matches_crmlib(totals):
    curve = abcw.pareto_curve(totals)
    for cuts in [(0.8, 0.95), (0.7, 0.9), (0.6, 0.99), (0.85, 0.86)]:
        table = abcw.abc_counts(curve, *cuts)
        expected = crm.abc_classify(totals, cuts)["ABC"].value_counts(sort=False)
        assert table["客户数"].tolist() == expected.tolist()
    assert abcw.top_share(curve) == pytest.approx(crm.pareto_share(totals, 0.2))


def test_abc_view_html_shows_the_numbers(totals):
    html = abcw.abc_cutoffs_view(abcw.pareto_curve(totals), 0.8, 0.95)
    counts = crm.abc_classify(totals)["ABC"].value_counts(sort=False)
    assert f"A 类 {counts['A']} 家客户" in html
    assert f"{crm.pareto_share(totals, 0.2):.1%}" in html
    assert html.count("<svg") == 1 and "A/B 分界" in html and "B/C 分界" in html
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert str(counts["B"]) in cells and str(counts["C"]) in cells


def test_abc_view_is_fast(totals):
    curve = abcw.pareto_curve(totals)
    start = time.perf_counter()
    for a in range(50, 90):
        abcw.abc_cutoffs_view(curve, a / 100, 0.95)
    assert (time.perf_counter() - start) / 40 < 0.03


@pytest.mark.parametrize("a, b, message", [
    (0.9, 0.8, "必须低于"),
    (80, 95, "不能大于"),
    ("0.8", 0.95, "应该是一个数字"),
])
def test_abc_bad_cuts_are_explained(totals, a, b, message):
    with pytest.raises(CRMError, match=message):
        abcw.abc_cutoffs_view(totals, a, b)


def test_abc_bad_values_are_explained():
    with pytest.raises(CRMError, match="一列数据"):
        abcw.pareto_curve([1, 2, 3])
    with pytest.raises(CRMError, match="负数"):
        abcw.pareto_curve(pd.Series({"甲": -5.0, "乙": 3.0}))


def test_abc_widget_updates_on_slider(totals, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    box = abcw.build_abc_cutoffs(totals)
    a_slider, html = box.children[1], box.children[3]
    a_slider.value = 0.7
    n_a = int((crm.abc_classify(totals, (0.7, 0.95))["ABC"] == "A").sum())
    assert f"A 类 {n_a} 家客户" in html.value
    assert abcw.abc_cutoffs(totals) is None  # displays, returns nothing (no double display)


# ------------------------------------------------------------------ account risk widget

def test_risk_view_shows_the_account(risk_data, orders, accounts):
    ws = crm.warning_signs(orders)
    html = riskw.account_risk_view(risk_data, "K0067")
    name = accounts.set_index("客户编号").at["K0067", "客户名称"]
    assert name in html and html.count("<svg") == 2
    for sign in ws.at["K0067", "征兆"].split("；"):
        assert sign in html
    total = orders.loc[orders["客户编号"] == "K0067", "金额"].sum()
    assert f"{total / 1e4:,.2f} 万元" in html
    assert f"{int(ws.at['K0067', '未下单天数'])} 天" in html


def test_risk_view_all_clear_and_single_order(risk_data, orders):
    ws = crm.warning_signs(orders)
    calm = ws.index[ws["征兆数"] == 0][0]
    assert "未发现预警征兆" in riskw.account_risk_view(risk_data, calm)
    once = ws.index[ws["下单次数"] == 1][0]
    html = riskw.account_risk_view(risk_data, once)
    assert "只有一次下单" in html or "只在 1 天下过单" in html


def test_risk_histories_match_account_history(risk_data, orders):
    for cid in ["K0067", "K0027"]:
        hist = crm.account_history(orders, cid)
        labels, amounts, gaps = risk_data.histories[cid]
        assert amounts.tolist() == pytest.approx(hist["金额"].tolist())
        assert pd.Series(gaps[1:]).tolist() == hist["间隔天数"].iloc[1:].tolist()
        assert risk_data.monthly.loc[cid].sum() == pytest.approx(hist["金额"].sum())


def test_risk_default_and_options(risk_data, orders, totals):
    ws = crm.warning_signs(orders)
    default = riskw.default_account(risk_data)
    assert ws.at[default, "征兆数"] > 0
    bigger = totals[totals > totals[default]].index
    assert (ws.loc[bigger, "征兆数"] == 0).all()
    options = riskw.account_options(risk_data)
    assert len(options) == orders["客户编号"].nunique()
    assert options[0][1] == totals.idxmax()
    assert sum("⚠" in label for label, _ in options) == (ws["征兆数"] > 0).sum()


def test_risk_view_is_fast(risk_data):
    ids = list(risk_data.totals.index)
    start = time.perf_counter()
    for cid in ids:
        riskw.account_risk_view(risk_data, cid)
    assert (time.perf_counter() - start) / len(ids) < 0.03


def test_risk_unknown_account_is_explained(risk_data):
    with pytest.raises(CRMError, match="没有客户「K067」。你是不是想写「K0"):
        riskw.account_risk_view(risk_data, "K067")
    with pytest.raises(CRMError, match="还没有它的订单"):
        riskw.account_risk_view(risk_data, "K0009")


def test_risk_bad_orders_are_explained(orders):
    bad = orders.assign(下单日期=orders["下单日期"].dt.strftime("%Y-%m-%d"))
    with pytest.raises(CRMError, match="不是日期"):
        riskw.prepare_risk_data(bad)
    with pytest.raises(CRMError, match="客户名称"):
        riskw.prepare_risk_data(orders, pd.DataFrame({"客户编号": ["K0001"], "名称": ["甲"]}))


def test_risk_widget_dropdown_updates(orders, accounts, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    box, _ = riskw.build_account_risk(orders, accounts)
    pick, html = box.children[1], box.children[2]
    pick.value = "K0027"
    assert "K0027" in html.value and "天未下单" in html.value
    assert riskw.account_risk(orders, accounts) is None


# ------------------------------------------------------------------ bank and notebook

def test_bank_and_key_agree():
    bank = crm.load_bank("p07")
    key = yaml.safe_load((ROOT / "solutions" / "p07" / "answer_key.yaml").read_text(encoding="utf-8"))
    assert len(bank) >= 15
    assert {q.type for q in bank} == {"判断", "单选", "多选"}
    assert [q.id for q in bank] == list(key)
    for qid, answer in key.items():
        crm.grade_choice(qid, answer, answer)
