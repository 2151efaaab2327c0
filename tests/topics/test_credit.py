"""crmlib.topics.credit: ratios and 6C score → rating → limit, computed by hand."""

import math

import pandas as pd
import pytest

import crmlib as crm
from crmlib.course.errors import CRMError

ROW = {
    "客户编号": "C1",
    "流动资产": 300.0,
    "存货": 120.0,
    "流动负债": 200.0,
    "资产总额": 1000.0,
    "负债总额": 450.0,
    "营业收入": 1200.0,
    "期初应收账款": 180.0,
    "期末应收账款": 220.0,
}


def test_ratios_by_hand():
    assert crm.current_ratio(300, 200) == 1.5
    assert crm.quick_ratio(300, 120, 200) == pytest.approx(0.9)
    assert crm.debt_ratio(450, 1000) == 0.45
    assert crm.receivables_turnover(1200, 180, 220) == 6.0  # 1200 / ((180 + 220) / 2)
    assert crm.days_sales_outstanding(1200, 180, 220) == 60.0  # 360 / 6
    assert crm.days_sales_outstanding(1200, 180, 220, days=365) == pytest.approx(365 / 6)


def test_ratio_table_and_zero_denominators():
    t = pd.DataFrame([ROW, dict(ROW, 客户编号="C2", 流动负债=0.0, 期初应收账款=0.0, 期末应收账款=0.0)])
    out = crm.financial_ratios(t).set_index("客户编号")
    assert out.loc["C1"].round(6).tolist() == [1.5, 0.9, 0.45, 6.0, 60.0, 550.0]
    assert math.isnan(out.loc["C2", "流动比率"]) and math.isnan(out.loc["C2", "应收账款周转率"])
    assert out.loc["C2", "资产负债率"] == 0.45
    with pytest.raises(CRMError, match="分母是 0"):
        crm.current_ratio(100, 0)
    with pytest.raises(CRMError, match="找不到列"):
        crm.financial_ratios(pd.DataFrame([{"流动资产": 1}]))


def test_score_weights_are_scaled():
    scores = {"品格": 80, "能力": 70, "资本": 60, "抵押": 50, "条件": 70, "连续性": 90}
    assert crm.credit_score(scores) == 70.5  # 0.25*80+0.25*70+0.2*60+0.1*50+0.1*70+0.1*90
    as_percent = {"品格": 25, "能力": 25, "资本": 20, "抵押": 10, "条件": 10, "连续性": 10}
    assert crm.credit_score(scores, as_percent) == 70.5
    assert crm.credit_score({"品格": 90}, {"品格": 1, "能力": 0}) == 90.0  # zero-weight factor may be missing
    with pytest.raises(CRMError, match="缺少信用要素"):
        crm.credit_score({"品格": 90}, {"品格": 1, "能力": 1})
    with pytest.raises(CRMError, match="都是 0"):
        crm.credit_score(scores, {"品格": 0})
    with pytest.raises(CRMError, match="不能大于 100|不能小于"):
        crm.credit_score(dict(scores, 品格=120))


@pytest.mark.parametrize(
    "score, grade",
    [(100, "AAA"), (90, "AAA"), (89.99, "AA"), (80, "AA"), (79.99, "A"), (70, "A"), (60, "B"), (59.99, "C"), (0, "C")],
)
def test_rating_bands_lower_bound_included(score, grade):
    assert crm.credit_rating(score) == grade


def test_limits():
    assert crm.credit_limit(10_000_000, "AAA") == 300_000
    assert crm.credit_limit(10_000_000, "B") == 100_000
    assert crm.credit_limit(-1, "AA") == 0.0
    with pytest.raises(CRMError, match="不认识的信用等级"):
        crm.credit_limit(1, "D")


def test_credit_table_ties_and_errors():
    sc = pd.DataFrame({"品格": [80, 80, 50]}, index=pd.Index(["C2", "C1", "C3"], name="客户编号"))
    out = crm.credit_table(sc, pd.Series({"C1": 1e6, "C2": 2e6, "C3": 1e6}), {"品格": 1})
    assert out.index.tolist() == ["C2", "C1", "C3"]  # stable: ties keep the input order
    assert out["建议额度"].tolist() == [40_000.0, 20_000.0, 0.0]
    with pytest.raises(CRMError, match="没有净资产"):
        crm.credit_table(sc, pd.Series({"C1": 1.0}), {"品格": 1})


def test_course_data_prepared_in_yuan():
    scores, net = crm.prepare_credit_data(crm.load_dataset("p03_credit_survey"), crm.load_dataset("p03_statements"))
    st = crm.load_dataset("p03_statements")
    row = st[(st["客户编号"] == "C0038")].iloc[-1]
    assert row["年度"] == 2023 and net["C0038"] == pytest.approx((row["资产总额"] - row["负债总额"]) * 1e4)
    assert len(scores) == len(net) == 40
