"""crmlib.topics.receivables: ageing boundaries, as-of cut-offs, ledger quirks and provision, by hand."""

import pandas as pd
import pytest

import crmlib as crm
from crmlib.course.errors import CRMError

ASOF = pd.Timestamp("2025-06-30")


def inv(rows):
    """rows: (invoice, customer, issued, due, amount[, original])"""
    out = pd.DataFrame(
        [r + (None,) * (6 - len(r)) for r in rows],
        columns=["发票号", "客户编号", "开票日期", "到期日", "金额", "原发票号"],
    )
    out["开票日期"], out["到期日"] = pd.to_datetime(out["开票日期"]), pd.to_datetime(out["到期日"])
    return out


def pay(rows):
    out = pd.DataFrame(rows, columns=["发票号", "客户编号", "收款日期", "金额"])
    out["收款日期"] = pd.to_datetime(out["收款日期"])
    return out


@pytest.mark.parametrize(
    "days_late, bucket",
    [
        (-10, "未到期"),
        (0, "未到期"),
        (1, "1-30天"),
        (30, "1-30天"),
        (31, "31-60天"),
        (60, "31-60天"),
        (61, "61-90天"),
        (90, "61-90天"),
        (91, "91-180天"),
        (180, "91-180天"),
        (181, "180天以上"),
    ],
)
def test_bucket_boundaries(days_late, bucket):
    due = ASOF - pd.Timedelta(days=days_late)
    a = crm.ageing(inv([("F1", "C1", due - pd.Timedelta(days=30), due, 100.0)]), None, ASOF)
    assert a.detail["逾期天数"].iloc[0] == days_late and a.detail["账龄"].iloc[0] == bucket
    assert crm.bucket_of(days_late) == bucket


def test_asof_cuts_invoices_and_payments():
    i = inv([("F1", "C1", "2025-05-01", "2025-05-31", 1000.0), ("F2", "C1", "2025-07-01", "2025-07-31", 500.0)])
    p = pay([("F1", "C1", "2025-06-15", 400.0), ("F1", "C1", "2025-07-05", 600.0)])
    a = crm.ageing(i, p, ASOF)
    assert a.detail[["发票号", "已收金额", "未收金额", "逾期天数", "账龄"]].values.tolist() == [
        ["F1", 400.0, 600.0, 30, "1-30天"]
    ]
    assert crm.ageing(i, p, "2025-07-31").detail["发票号"].tolist() == ["F2"]  # F1 settled, F2 due today


def test_credit_note_double_payment_and_unknown_invoice():
    i = inv(
        [
            ("F1", "C1", "2025-05-01", "2025-05-31", 1000.0),
            ("R1", "C1", "2025-05-10", "2025-05-10", -200.0, "F1"),
            ("F2", "C2", "2025-05-01", "2025-05-31", 300.0),
            ("R9", "C2", "2025-05-02", "2025-05-02", -50.0, "F404"),
        ]
    )
    p = pay([("F2", "C2", "2025-05-30", 300.0), ("F2", "C2", "2025-06-03", 300.0), ("F999", "C1", "2025-06-01", 70.0)])
    d = crm.ageing(i, p, ASOF).detail.set_index("发票号")
    assert d.loc["F1", "未收金额"] == 800.0 and d.loc["F1", "已收金额"] == 200.0  # credit note applied
    assert d.loc["F2", ["未收金额", "账龄"]].tolist() == [-300.0, "多收待退"]
    assert d.loc["F999", ["未收金额", "账龄"]].tolist() == [-70.0, "待核销"]
    assert d.loc["R9", ["未收金额", "账龄"]].tolist() == [-50.0, "待核销"]  # its original is unknown
    by = crm.ageing(i, p, ASOF).by_customer
    assert by.loc["C1", "1-30天"] == 800.0 and by.loc["C1", "逾期占比"] == 1.0
    assert by.loc["C2", "逾期金额"] == 0.0 and pd.isna(by.loc["C2", "逾期占比"])


def test_custom_buckets_and_single_row():
    i = inv([("F1", "C1", "2025-01-01", "2025-04-01", 10.0), ("F2", "C1", "2025-01-01", "2025-03-31", 10.0)])
    a = crm.ageing(i, None, ASOF, buckets=(30, 90))
    assert a.detail["逾期天数"].tolist() == [90, 91]
    assert a.detail["账龄"].tolist() == ["31-90天", "90天以上"]  # closed on the right, the last bucket open
    assert list(a.by_customer.columns[:4]) == ["未到期", "1-30天", "31-90天", "90天以上"]


def test_overdue_share_and_provision_by_hand():
    d = pd.DataFrame(
        {
            "未收金额": [1000.0, 500.0, 300.0, 200.0, -40.0],
            "账龄": ["未到期", "1-30天", "91-180天", "180天以上", "多收待退"],
        }
    )
    assert crm.overdue_share(d) == pytest.approx(1000 / 2000)
    prov = crm.bad_debt_provision(d)
    assert prov.loc["合计", "坏账准备"] == pytest.approx(500 * 0.02 + 300 * 0.30 + 200 * 0.80)
    own = crm.bad_debt_provision(d, {"未到期": 0, "1-30天": 0.1, "91-180天": 0.5, "180天以上": 1})
    assert own.loc["合计", "坏账准备"] == pytest.approx(50 + 150 + 200)
    with pytest.raises(CRMError, match="没有计提比例"):
        crm.bad_debt_provision(d, {"未到期": 0})


def test_errors_are_chinese():
    good = inv([("F1", "C1", "2025-05-01", "2025-05-31", 100.0)])
    with pytest.raises(CRMError, match="出现了不止一次"):
        crm.ageing(pd.concat([good, good]), None, ASOF)
    with pytest.raises(CRMError, match="正数"):
        crm.ageing(good, pay([("F1", "C1", "2025-05-01", -5.0)]), ASOF)
    with pytest.raises(CRMError, match="不是日期"):
        crm.ageing(good, None, "月底")
    with pytest.raises(CRMError, match="账龄分段"):
        crm.ageing(good, None, ASOF, buckets=(60, 30))
    with pytest.raises(CRMError, match="找不到列"):
        crm.ageing(good.drop(columns="到期日"), None, ASOF)


def test_course_ledger_totals_balance():
    i, p = crm.load_dataset("p03_invoices"), crm.load_dataset("p03_payments")
    a = crm.ageing(i, p, "2025-12-31")
    assert a.detail["未收金额"].sum() == pytest.approx(i["金额"].sum() - p["金额"].sum(), abs=0.05)
    assert a.by_customer["合计"].sum() == pytest.approx(a.detail["未收金额"].sum(), abs=0.05)
