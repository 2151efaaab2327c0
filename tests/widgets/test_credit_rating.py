"""The 6C credit-rating widget: pure view agrees with crm.credit_table, is fast, and is static under grading."""

import pytest

import crmlib as crm
from crmlib.topics.credit import DEFAULT_WEIGHTS
from crmlib.widgets import credit_rating as w


@pytest.fixture(scope="module")
def prepared():
    return w.prepare_credit_data(crm.load_dataset("p03_credit_survey"), crm.load_dataset("p03_statements"))


def test_view_shows_the_table_result(prepared):
    scores, net = prepared
    table = crm.credit_table(scores, net)
    html = w.credit_rating_view(scores, net, None, "C0230")
    row = table.loc["C0230"]
    assert f"{row['得分']:.1f}" in html and f"<b>{row['等级']}</b>" in html
    assert f"{row['建议额度'] / 1e4:,.1f} 万元" in html
    assert "第 " in html  # C0230 is not in the top 12: its own row is appended


@pytest.mark.parametrize(
    "weights",
    [
        None,
        {"品格": 30, "能力": 20, "资本": 20, "抵押": 10, "条件": 10, "连续性": 10},
        {"品格": 1},
        {k: 1 for k in crm.FACTORS_6C},
    ],
)
def test_fast_path_equals_credit_table(prepared, weights):
    scores, net = prepared
    from crmlib.topics.credit import check_weights

    codes, score, grade, limit, _, _ = w._table_arrays(scores, net, check_weights(weights or DEFAULT_WEIGHTS))
    table = crm.credit_table(scores, net, weights)
    assert list(codes) == list(table.index)
    assert list(score) == table["得分"].tolist() and list(grade) == table["等级"].tolist()
    assert list(limit) == table["建议额度"].tolist()


def test_moving_a_weight_changes_the_rating(prepared):
    scores, net = prepared
    before = w.credit_rating_view(scores, net, DEFAULT_WEIGHTS, "C0230")
    after = w.credit_rating_view(scores, net, dict(DEFAULT_WEIGHTS, 品格=0.40), "C0230")
    assert "信用等级 <b>B</b>" in before and "信用等级 <b>A</b>" in after


def test_widget_updates_and_reports_errors(prepared):
    scores, net = prepared
    box = w.build_credit_rating(scores, net)
    sliders = box.children[2].children
    for s in sliders:
        s.value = 0
    assert "都是 0" in box.children[-1].value  # all weights zero: a Chinese message, not a crash
    sliders[0].value = 50
    assert "加权得分" in box.children[-1].value


def test_static_under_grading(prepared, monkeypatch):
    from IPython.display import HTML

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    w.credit_rating_widget(crm.load_dataset("p03_credit_survey"), crm.load_dataset("p03_statements"))
    assert len(shown) == 1 and isinstance(shown[0], HTML)
