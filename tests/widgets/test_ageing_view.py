"""The ageing widget: its numpy path agrees with crm.ageing on every month end, is fast, and is static under grading."""

import pandas as pd
import pytest

import crmlib as crm
from crmlib.topics.receivables import DEFAULT_RATES
from crmlib.widgets import ageing_view as w


@pytest.fixture(scope="module")
def ledger_data():
    return crm.load_dataset("p03_invoices"), crm.load_dataset("p03_payments")


@pytest.mark.parametrize("asof", [d.strftime("%Y-%m-%d") for d in pd.date_range("2025-01-31", "2025-12-31", freq="ME")])
def test_fast_path_equals_ageing(ledger_data, asof):
    inv, pay = ledger_data
    ledger = w.prepare_ageing(inv, pay)
    amounts, overdue, owed, extra = w.ledger_state(ledger, asof)
    result = crm.ageing(inv, pay, asof)
    detail = result.detail
    normal = detail[detail["账龄"].isin(amounts.index)]
    want = normal.groupby("账龄")["未收金额"].sum().reindex(amounts.index, fill_value=0.0)
    assert (amounts - want).abs().max() < 0.01
    assert extra == {k: int((detail["账龄"] == k).sum()) for k in ("多收待退", "待核销")}
    by = result.by_customer
    got = pd.Series(overdue, index=ledger.codes)
    assert (got.reindex(by.index, fill_value=0) - by["逾期金额"]).abs().max() < 0.01
    prov = crm.bad_debt_provision(detail).loc["合计", "坏账准备"]
    assert abs(sum(amounts[k] * DEFAULT_RATES[k] for k in amounts.index) - prov) < 0.05


def test_view_numbers(ledger_data):
    inv, pay = ledger_data
    html = w.ageing_view(w.prepare_ageing(inv, pay), "2025-12-31")
    share = crm.overdue_share(crm.ageing(inv, pay, "2025-12-31").detail)
    assert f"逾期占比 {share:.1%}" in html and "多收待退 1 笔" in html and "待核销 1 笔" in html
    assert "C0112" in html


def test_widget_moves_and_static_under_grading(ledger_data, monkeypatch):
    inv, pay = ledger_data
    box = w.build_ageing(w.prepare_ageing(inv, pay), "2025-12-31")
    box.children[1].value = "2025-06-30"
    assert "2025-06-30" in box.children[2].value
    from IPython.display import HTML

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    w.ageing_widget(inv, pay)
    assert len(shown) == 1 and isinstance(shown[0], HTML)
