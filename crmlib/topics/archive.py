"""The customer archive as a real SQLite database file (standard library ``sqlite3``).

:func:`build_archive` writes five tables — customers, contacts, credit,
invoices, payments — with keys, constraints, indexes and two views
(:data:`SCHEMA` is the readable SQL). Building is repeatable: the file is
written fresh into a temporary file next to the target and then swapped in,
so re-running gives byte-for-byte the same file and never duplicates rows; if
anything fails, the old file is left as it was.

:func:`query` runs SQL and returns a DataFrame (``pd.read_sql_query``), with
Chinese messages for a missing file, a locked database, an unknown table or a
SQL typo. Column names are Chinese, table names English (as the schema).

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "客户档案.db")
>>> cust = pd.DataFrame({"客户编号": ["C0001"], "客户名称": ["苏州瑞达包装有限公司"], "城市": ["苏州"],
...     "建档日期": pd.to_datetime(["2020-01-02"])})
>>> _ = build_archive(path, cust)
>>> query(path, "SELECT 客户编号, 客户名称 FROM customers").values.tolist()
[['C0001', '苏州瑞达包装有限公司']]
>>> query(path, "SELECT * FROM customer").shape
Traceback (most recent call last):
...
crmlib.course.errors.CRMError: 数据库里没有表「customer」。现有的表和视图：contacts、credit、customers、invoices、payments、v_customer_balance、v_invoice_balance。
"""

import hashlib
import os
import sqlite3
from pathlib import Path

import pandas as pd

from ..course.errors import CRMError

LOCK_WAIT = 2  # seconds a query waits for another program's lock before saying so in Chinese

SCHEMA = """
-- 客户主档：一家客户一行
CREATE TABLE customers (
    客户编号   TEXT PRIMARY KEY CHECK (客户编号 GLOB 'C[0-9][0-9][0-9][0-9]'),
    客户名称   TEXT NOT NULL UNIQUE,
    城市       TEXT,
    行业       TEXT,
    地址       TEXT,
    建档日期   TEXT CHECK (建档日期 IS NULL OR 建档日期 GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
);
-- 联系人：一家客户可以有多位
CREATE TABLE contacts (
    联系人编号 INTEGER PRIMARY KEY,
    客户编号   TEXT NOT NULL REFERENCES customers(客户编号),
    联系人     TEXT,
    电话       TEXT,
    电话类型   TEXT CHECK (电话类型 IN ('手机', '固话', '')),
    UNIQUE (客户编号, 联系人, 电话)
);
-- 信用评估：有报表的客户一行
CREATE TABLE credit (
    客户编号   TEXT PRIMARY KEY REFERENCES customers(客户编号),
    得分       REAL NOT NULL CHECK (得分 BETWEEN 0 AND 100),
    等级       TEXT NOT NULL CHECK (等级 IN ('AAA', 'AA', 'A', 'B', 'C')),
    建议额度   REAL NOT NULL CHECK (建议额度 >= 0)
);
-- 发票（红字发票金额为负，原发票号指向被冲减的发票）
CREATE TABLE invoices (
    发票号     TEXT PRIMARY KEY,
    客户编号   TEXT NOT NULL REFERENCES customers(客户编号),
    销售区域   TEXT,
    开票日期   TEXT NOT NULL,
    到期日     TEXT NOT NULL CHECK (到期日 >= 开票日期),
    金额       REAL NOT NULL CHECK (金额 <> 0),
    原发票号   TEXT REFERENCES invoices(发票号)
);
-- 收款：一笔收款核销一张发票
CREATE TABLE payments (
    收款号     TEXT PRIMARY KEY,
    客户编号   TEXT NOT NULL REFERENCES customers(客户编号),
    发票号     TEXT NOT NULL,
    收款日期   TEXT NOT NULL,
    金额       REAL NOT NULL CHECK (金额 > 0),
    收款方式   TEXT
);
CREATE INDEX idx_contacts_customer ON contacts(客户编号);
CREATE INDEX idx_invoices_customer ON invoices(客户编号);
CREATE INDEX idx_invoices_due ON invoices(到期日);
CREATE INDEX idx_invoices_original ON invoices(原发票号);
CREATE INDEX idx_payments_invoice ON payments(发票号);
-- 视图：每张发票已收多少、还欠多少（红字发票冲减原发票）
CREATE VIEW v_invoice_balance AS
SELECT i.发票号, i.客户编号, i.销售区域, i.开票日期, i.到期日, i.金额,
       COALESCE((SELECT SUM(p.金额) FROM payments p WHERE p.发票号 = i.发票号), 0)
     - COALESCE((SELECT SUM(r.金额) FROM invoices r WHERE r.原发票号 = i.发票号), 0) AS 已收金额,
       i.金额 - COALESCE((SELECT SUM(p.金额) FROM payments p WHERE p.发票号 = i.发票号), 0)
     + COALESCE((SELECT SUM(r.金额) FROM invoices r WHERE r.原发票号 = i.发票号), 0) AS 未收金额
FROM invoices i
WHERE i.原发票号 IS NULL;
-- 视图：每家客户的开票、收款和余额
CREATE VIEW v_customer_balance AS
SELECT c.客户编号, c.客户名称, c.城市,
       COUNT(b.发票号) AS 发票数,
       COALESCE(SUM(b.金额), 0) AS 开票金额,
       COALESCE(SUM(b.未收金额), 0) AS 未收金额
FROM customers c LEFT JOIN v_invoice_balance b ON b.客户编号 = c.客户编号
GROUP BY c.客户编号, c.客户名称, c.城市;
"""

TABLES = {  # table -> its columns in schema order (what build_archive writes)
    "customers": ["客户编号", "客户名称", "城市", "行业", "地址", "建档日期"],
    "contacts": ["客户编号", "联系人", "电话", "电话类型"],
    "credit": ["客户编号", "得分", "等级", "建议额度"],
    "invoices": ["发票号", "客户编号", "销售区域", "开票日期", "到期日", "金额", "原发票号"],
    "payments": ["收款号", "客户编号", "发票号", "收款日期", "金额", "收款方式"],
}
KEYS = {
    "customers": ["客户编号"],
    "contacts": ["客户编号", "联系人", "电话"],
    "credit": ["客户编号"],
    "invoices": ["发票号"],
    "payments": ["收款号"],
}


def _rows(df, table):
    """Rows of `df` for `table`: schema columns (missing → NULL), dates as YYYY-MM-DD text, sorted by key."""
    if df is None:
        return []
    if not isinstance(df, pd.DataFrame):
        raise CRMError(f"写入 {table} 表的数据应该是一个表格（DataFrame），收到的是 {type(df).__name__}。")
    cols = TABLES[table]
    need = [c for c in KEYS[table] if c not in df.columns]
    if need:
        raise CRMError(
            f"写入 {table} 表的数据缺少列「{'、'.join(need)}」。现有的列：{'、'.join(map(str, df.columns))}。"
        )
    out = pd.DataFrame({c: (df[c] if c in df.columns else None) for c in cols})
    for c in cols:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    dup = out[out.duplicated(KEYS[table], keep=False)]
    if len(dup):
        key = "、".join(map(str, dup.iloc[0][KEYS[table]].tolist()))
        raise CRMError(f"{table} 表里有重复的键「{key}」（共 {len(dup)} 行）。数据库不允许重复，请先去重再建库。")
    out = out.sort_values(KEYS[table], kind="stable")
    out = out.astype(object).where(out.notna(), None)
    return [tuple(r) for r in out.itertuples(index=False)]


def _as_path(path, what="数据库文件"):
    if isinstance(path, sqlite3.Connection):
        return path
    if not isinstance(path, (str, os.PathLike)):
        raise CRMError(f'{what}应该写成文件名，例如 "客户档案.db"，你传入的是{type(path).__name__}。')
    return Path(path)


def _check_not_locked(path):
    """Fail in Chinese if another program holds a write lock on the existing file."""
    if not path.exists():
        return
    try:
        con = sqlite3.connect(path, timeout=0.2)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.rollback()
        finally:
            con.close()
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            raise CRMError(
                f"数据库文件「{path.name}」正被别的程序占用（例如 DB Browser 里有没保存的修改，"
                "或另一个笔记本正在写它）。请先在那个程序里保存或关闭它，再重新运行本格；原来的文件没有被改动。"
            ) from None
        raise CRMError(
            f"「{path.name}」不是一个可用的 SQLite 数据库（{err}）。请换一个文件名，或删除这个文件后重建。"
        ) from None
    except sqlite3.DatabaseError as err:
        raise CRMError(
            f"「{path.name}」不是一个可用的 SQLite 数据库（{err}）。请换一个文件名，或删除这个文件后重建。"
        ) from None


def build_archive(path, customers, contacts=None, credit=None, invoices=None, payments=None):
    """Build (or rebuild) the archive file at `path`; returns its Path.

    Each argument is a DataFrame with the columns of :data:`TABLES` (missing
    optional columns become NULL; dates become YYYY-MM-DD text). Rows are
    written sorted by key, in one transaction, with foreign keys checked; a
    row that breaks a key or a constraint stops the build with a Chinese
    message naming the table, and the previous file stays untouched.
    """
    path = _as_path(path)
    if path.suffix.lower() not in (".db", ".sqlite", ".sqlite3"):
        raise CRMError(f'数据库文件名「{path.name}」应以 .db 结尾，例如 "客户档案.db"。')
    if not path.parent.exists():
        raise CRMError(f"文件夹「{path.parent}」不存在。请先建好文件夹，或换一个保存位置。")
    _check_not_locked(path)
    data = {"customers": customers, "contacts": contacts, "credit": credit, "invoices": invoices, "payments": payments}
    rows = {t: _rows(df, t) for t, df in data.items()}
    if not rows["customers"]:
        raise CRMError("客户表是空的，无法建立客户档案库。请先整理出客户主档。")
    tmp = path.with_name(path.name + ".building")
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    try:
        # a scratch file swapped in at the end: no need to sync every statement to disk
        con.execute("PRAGMA synchronous = OFF")
        con.execute("PRAGMA journal_mode = MEMORY")
        con.execute("PRAGMA foreign_keys = ON")
        con.executescript("BEGIN;\n" + SCHEMA + "\nCOMMIT;")
        with con:
            for table, values in rows.items():
                if not values:
                    continue
                cols = TABLES[table]
                sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                try:
                    con.executemany(sql, values)
                except sqlite3.IntegrityError as err:
                    raise CRMError(
                        f"写入 {table} 表时违反了约束（{err}）。常见原因：客户编号在客户表里不存在、"
                        "金额为 0 或到期日早于开票日期。请先修正这些行。"
                    ) from None
        bad = con.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            raise CRMError(f"{bad[0][0]} 表里有 {len(bad)} 行指向不存在的记录（外键错误）。")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, path)
    return path


def file_digest(path):
    """SHA-256 of a file (to show that a rebuild gives the same file)."""
    p = _as_path(path, "文件")
    if not p.exists():
        raise CRMError(f"找不到文件「{path}」。请先运行建库的那一格，或检查文件名。")
    return hashlib.sha256(p.read_bytes()).hexdigest()


def connect(path):
    """Open an existing archive read-write; a missing file is an error (sqlite3 would
    silently create an empty one).

    >>> connect("没有这个文件.db")
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 找不到数据库文件「没有这个文件.db」。请先运行建库的那一格（crm.build_archive），或检查文件名和文件夹。
    """
    if isinstance(path, sqlite3.Connection):
        return path
    p = _as_path(path)
    if not p.exists():
        raise CRMError(f"找不到数据库文件「{path}」。请先运行建库的那一格（crm.build_archive），或检查文件名和文件夹。")
    return sqlite3.connect(f"file:{p.resolve()}?mode=rw", uri=True, timeout=LOCK_WAIT)


def tables(path):
    """Names of the tables and views in the archive, sorted."""
    con = connect(path)
    try:
        return [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
    finally:
        if not isinstance(path, sqlite3.Connection):
            con.close()


def query(path, sql, params=()):
    """Run one SQL query on the archive and return a DataFrame (``pd.read_sql_query``).

    `path`: the .db file (or an open connection). Errors come back in Chinese.
    """
    if not isinstance(sql, str) or not sql.strip():
        raise CRMError('SQL 语句是空的。请在引号里写一条 SELECT 语句，例如 "SELECT * FROM customers"。')
    con = connect(path)
    try:
        return pd.read_sql_query(sql, con, params=params)
    except Exception as err:  # pandas wraps sqlite3 errors in DatabaseError
        text = str(err)
        if "no such table" in text:
            name = text.split("no such table:")[-1].strip()
            raise CRMError(f"数据库里没有表「{name}」。现有的表和视图：{'、'.join(tables(con))}。") from None
        if "no such column" in text:
            name = text.split("no such column:")[-1].strip()
            odd = [ch for ch in "，；（）‘’“”" if ch in name]
            if odd:
                raise CRMError(
                    f"SQL 里的「{name}」含有中文标点「{odd[0]}」。SQL 的逗号、括号和引号都要用英文（半角）的，"
                    "例如 SELECT 客户编号, 客户名称 FROM customers。"
                ) from None
            raise CRMError(
                f"SQL 里的列「{name}」不存在。请用 crm.archive_columns(文件, 表名) 查看列名"
                "（注意中文列名和全角、半角）。"
            ) from None
        if "locked" in text or "busy" in text:
            raise CRMError(
                "数据库正被别的程序锁住（例如另一个程序正在写入）。请稍等几秒或关闭那个程序，再运行一次。"
            ) from None
        if "syntax error" in text:
            raise CRMError(
                f"SQL 语法有误：{text.split(':', 1)[-1].strip()}。常见原因：用了中文逗号或引号、少了逗号、关键字拼错。"
            ) from None
        raise CRMError(f"SQL 运行出错：{text}") from None
    finally:
        if not isinstance(path, sqlite3.Connection):
            con.close()


def archive_columns(path, table):
    """The columns of one table or view, as a DataFrame (列名, 类型, 非空, 主键)."""
    if table not in tables(path):
        raise CRMError(f"数据库里没有表「{table}」。现有的表和视图：{'、'.join(tables(path))}。")
    info = query(path, f"PRAGMA table_info({table})")
    return info.rename(columns={"name": "列名", "type": "类型", "notnull": "非空", "pk": "主键"})[
        ["列名", "类型", "非空", "主键"]
    ]
