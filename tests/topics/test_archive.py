"""crmlib.topics.archive: a real SQLite file — keys and constraints, repeatable builds, Chinese errors."""

import sqlite3

import pandas as pd
import pytest

import crmlib as crm
from crmlib.course.errors import CRMError

CUST = pd.DataFrame(
    {
        "客户编号": ["C0001", "C0002"],
        "客户名称": ["甲有限公司", "乙有限公司"],
        "城市": ["苏州", "无锡"],
        "建档日期": pd.to_datetime(["2020-01-02", "2021-03-04"]),
    }
)
INV = pd.DataFrame(
    {
        "发票号": ["F1", "F2", "R1"],
        "客户编号": ["C0001", "C0002", "C0001"],
        "销售区域": ["苏南区"] * 3,
        "开票日期": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-10"]),
        "到期日": pd.to_datetime(["2025-02-01", "2025-02-02", "2025-01-10"]),
        "金额": [1000.0, 500.0, -100.0],
        "原发票号": [None, None, "F1"],
    }
)
PAY = pd.DataFrame(
    {
        "收款号": ["S1"],
        "客户编号": ["C0001"],
        "发票号": ["F1"],
        "收款日期": pd.to_datetime(["2025-02-01"]),
        "金额": [600.0],
    }
)


def build(path, **kw):
    args = dict(customers=CUST, invoices=INV, payments=PAY)
    args.update(kw)
    return crm.build_archive(path, **args)


def test_build_query_and_views(tmp_path):
    db = build(tmp_path / "a.db")
    assert crm.archive_tables(db) == [
        "contacts",
        "credit",
        "customers",
        "invoices",
        "payments",
        "v_customer_balance",
        "v_invoice_balance",
    ]
    bal = crm.query(db, "SELECT 发票号, 已收金额, 未收金额 FROM v_invoice_balance ORDER BY 发票号")
    assert bal.values.tolist() == [["F1", 700.0, 300.0], ["F2", 0.0, 500.0]]  # credit note + payment
    cb = crm.query(db, "SELECT 客户编号, 未收金额 FROM v_customer_balance ORDER BY 客户编号")
    assert cb.values.tolist() == [["C0001", 300.0], ["C0002", 500.0]]
    assert crm.query(db, "SELECT 建档日期 FROM customers WHERE 客户编号 = ?", ("C0002",)).iloc[0, 0] == "2021-03-04"
    cols = crm.archive_columns(db, "invoices")
    assert cols.loc[cols["主键"] == 1, "列名"].tolist() == ["发票号"]
    idx = crm.query(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'")["name"]
    assert {"idx_invoices_customer", "idx_payments_invoice"} <= set(idx)


def test_rebuild_is_identical_and_never_duplicates(tmp_path):
    path = tmp_path / "a.db"
    build(path)
    first = crm.file_digest(path)
    build(path)
    build(path)
    assert crm.file_digest(path) == first
    assert crm.query(path, "SELECT COUNT(*) AS n FROM invoices")["n"][0] == 3
    # the same data in another row order gives the same file too
    build(path, customers=CUST.iloc[::-1], invoices=INV.sample(frac=1, random_state=1))
    assert crm.file_digest(path) == first


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(invoices=INV.assign(客户编号=["C0001", "C9999", "C0001"])), "违反了约束"),
        (dict(invoices=INV.assign(金额=[1000.0, 0.0, -100.0])), "违反了约束"),
        (dict(invoices=pd.concat([INV, INV.iloc[:1]])), "重复的键"),
        (dict(customers=CUST.assign(客户编号=["C0001", "K2"])), "违反了约束"),
        (dict(customers=CUST.iloc[:0]), "客户表是空的"),
    ],
)
def test_bad_rows_stop_the_build_and_keep_the_old_file(tmp_path, bad, message):
    path = tmp_path / "a.db"
    build(path)
    before = crm.file_digest(path)
    with pytest.raises(CRMError, match=message):
        build(path, **bad)
    assert crm.file_digest(path) == before
    assert not list(tmp_path.glob("*.building"))


def test_locked_database_gets_a_chinese_message(tmp_path, monkeypatch):
    monkeypatch.setattr("crmlib.topics.archive.LOCK_WAIT", 0.05)  # no need to wait the real 2 s here
    path = tmp_path / "a.db"
    build(path)
    before = crm.file_digest(path)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CRMError, match="正被别的程序占用"):
            build(path)
        with pytest.raises(CRMError, match="锁住"):
            crm.query(path, "SELECT * FROM customers")
    finally:
        holder.rollback()
        holder.close()
    assert crm.file_digest(path) == before


def test_missing_database_is_not_created(tmp_path):
    path = tmp_path / "没有.db"
    with pytest.raises(CRMError, match="找不到数据库文件"):
        crm.query(path, "SELECT 1")
    assert not path.exists()


def test_query_errors_in_chinese(tmp_path):
    db = build(tmp_path / "a.db")
    with pytest.raises(CRMError, match="没有表「customer」"):
        crm.query(db, "SELECT * FROM customer")
    with pytest.raises(CRMError, match="列「名称」不存在"):
        crm.query(db, "SELECT 名称 FROM customers")
    with pytest.raises(CRMError, match="中文标点「，」"):
        crm.query(db, "SELECT 客户编号，客户名称 FROM customers")
    with pytest.raises(CRMError, match="语法有误"):
        crm.query(db, "SELEC 客户编号 FROM customers")
    with pytest.raises(CRMError, match="SQL 语句是空的"):
        crm.query(db, "  ")
    with pytest.raises(CRMError, match=r"应以 \.db 结尾"):
        crm.build_archive(tmp_path / "a.xlsx", CUST)
    (tmp_path / "坏.db").write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(CRMError, match="不是一个可用的 SQLite 数据库"):
        crm.build_archive(tmp_path / "坏.db", CUST)


def test_gbk_csv_is_read_and_a_foreign_encoding_is_explained(tmp_path):
    gbk = tmp_path / "客户.csv"
    CUST.assign(建档日期=["2020-01-02", "2021-03-04"]).to_csv(gbk, index=False, encoding="gbk")
    back = crm.read_csv(gbk, dates=("建档日期",))
    db = crm.build_archive(tmp_path / "b.db", back)
    assert crm.query(db, "SELECT 客户名称 FROM customers ORDER BY 客户编号")["客户名称"].tolist() == [
        "甲有限公司",
        "乙有限公司",
    ]
    other = tmp_path / "utf16.csv"
    other.write_bytes("客户编号,客户名称\nC0001,甲\n".encode("utf-16"))
    with pytest.raises(CRMError, match="编码"):
        crm.read_csv(other)


def test_course_archive_row_counts(tmp_path):
    c = crm.clean_customers(crm.load_dataset("p03_customers_raw"))
    inv, pay = crm.load_dataset("p03_invoices"), crm.load_dataset("p03_payments")
    db = crm.build_archive(tmp_path / "客户档案.db", c.customers, c.contacts, None, inv, pay)
    counts = {
        t: crm.query(db, f"SELECT COUNT(*) AS n FROM {t}")["n"][0]
        for t in ["customers", "contacts", "invoices", "payments"]
    }
    assert counts == {"customers": 300, "contacts": len(c.contacts), "invoices": len(inv), "payments": len(pay)}
    open_sql = crm.query(db, "SELECT SUM(未收金额) AS s FROM v_invoice_balance")["s"][0]
    unmatched = pay.loc[~pay["发票号"].isin(inv["发票号"]), "金额"].sum()
    assert open_sql == pytest.approx(inv["金额"].sum() - pay["金额"].sum() + unmatched, abs=0.05)
