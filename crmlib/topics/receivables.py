"""Receivables: ageing (账龄分析) as of a date and bad-debt provision (坏账准备) by bucket.

Semantics of :func:`ageing`:

- Only invoices issued on or before `asof` count; payments and credit notes
  count only if dated on or before `asof`.
- Open amount of an invoice = its amount − payments applied to it − credit
  notes (negative invoices whose 原发票号 names it).
- Days past due = `asof` − 到期日 in calendar days. Bucket "未到期" while that
  is ≤ 0 (the due date itself is not overdue); then 1–30, 31–60, 61–90,
  91–180 and 180 天以上 for the default buckets (closed on the right, the
  last open).
- Nothing disappears: an invoice paid more than once has a negative open
  amount and bucket "多收待退"; a payment whose invoice number is not in the
  ledger, or a credit note without an original invoice, is a line of its own
  with bucket "待核销". Invoices with open amount exactly 0 are settled and
  left out of the detail.

>>> inv = pd.DataFrame({"发票号": ["F1", "F2"], "客户编号": ["C1", "C1"],
...     "开票日期": pd.to_datetime(["2025-01-02", "2025-03-01"]),
...     "到期日": pd.to_datetime(["2025-01-31", "2025-03-31"]), "金额": [1000.0, 500.0]})
>>> pay = pd.DataFrame({"发票号": ["F1"], "客户编号": ["C1"], "收款日期": pd.to_datetime(["2025-02-10"]), "金额": [400.0]})
>>> a = ageing(inv, pay, "2025-03-31")
>>> a.detail[["发票号", "未收金额", "逾期天数", "账龄"]].values.tolist()
[['F1', 600.0, 59, '31-60天'], ['F2', 500.0, 0, '未到期']]
>>> a.by_customer.loc["C1", ["合计", "逾期金额", "逾期占比"]].tolist()
[1100.0, 600.0, 0.5454545454545454]
"""

from collections import namedtuple

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_columns

NOT_DUE, OVERPAID, UNMATCHED = "未到期", "多收待退", "待核销"
#: Provision rates by bucket (the fictional company's policy in this course, an assumption).
DEFAULT_RATES = {"未到期": 0.0, "1-30天": 0.02, "31-60天": 0.05, "61-90天": 0.10, "91-180天": 0.30, "180天以上": 0.80}

Ageing = namedtuple("Ageing", "detail by_customer")


def bucket_labels(buckets=(30, 60, 90, 180)):
    """Bucket names, in order: 未到期, 1-30天, …, and the open last one.

    >>> bucket_labels((30, 90))
    ['未到期', '1-30天', '31-90天', '90天以上']
    """
    b = _check_buckets(buckets)
    labels, low = [NOT_DUE], 1
    for high in b:
        labels.append(f"{low}-{high}天")
        low = high + 1
    return labels + [f"{b[-1]}天以上"]


def _check_buckets(buckets):
    try:
        b = [int(x) for x in buckets]
    except (TypeError, ValueError):
        raise CRMError("账龄分段应该是一组天数，例如 (30, 60, 90, 180)。") from None
    if not b or b[0] < 1 or any(x >= y for x, y in zip(b, b[1:])):
        raise CRMError(f"账龄分段 {tuple(buckets)} 不对：应该是从小到大、大于 0 的天数，例如 (30, 60, 90, 180)。")
    return b


def bucket_of(days, buckets=(30, 60, 90, 180)):
    """Bucket name of a number of days past due (≤ 0 → 未到期; right end closed).

    >>> [bucket_of(d) for d in (-5, 0, 1, 30, 31, 180, 181)]
    ['未到期', '未到期', '1-30天', '1-30天', '31-60天', '91-180天', '180天以上']
    """
    b = _check_buckets(buckets)
    labels = bucket_labels(b)
    days = as_number(days, "逾期天数")
    if days <= 0:
        return labels[0]
    return labels[1 + int(np.searchsorted(b, days, side="left"))]


def _dates(df, col, what):
    values = pd.to_datetime(df[col], errors="coerce")
    bad = values.isna() & df[col].notna()
    if bad.any() or values.isna().any():
        raise CRMError(
            f"{what}的「{col}」列有空值或无法识别的日期（共 {int(values.isna().sum())} 个）。"
            "请先用 crm.clean_date 整理，或把这些行交给财务核对。"
        )
    return values


def ageing(invoices, payments, asof, buckets=(30, 60, 90, 180)):
    """Receivables ageing as of `asof`: ``Ageing(detail, by_customer)``.

    `invoices`: 发票号, 客户编号, 开票日期, 到期日, 金额 (credit notes negative, with
    an optional 原发票号 column naming the invoice they reduce; other columns such
    as 销售区域 are kept). `payments`: 发票号, 客户编号, 收款日期, 金额 (> 0).

    ``detail``: one row per open item — 发票号, 客户编号, 开票日期, 到期日, 金额,
    已收金额, 未收金额, 逾期天数, 账龄 (plus kept columns).
    ``by_customer``: one row per customer (index 客户编号), the open amount per
    bucket in bucket order, then 合计, 逾期金额 (all buckets except 未到期 and the
    two special ones) and 逾期占比 = 逾期金额 ÷ 合计 of positive open amounts.

    >>> inv = pd.DataFrame({"发票号": ["F1", "R1"], "客户编号": ["C1", "C1"],
    ...     "开票日期": pd.to_datetime(["2025-01-02", "2025-01-20"]), "到期日": pd.to_datetime(["2025-01-31", "2025-01-20"]),
    ...     "金额": [1000.0, -100.0], "原发票号": [None, "F1"]})
    >>> pay = pd.DataFrame({"发票号": ["F1", "F1", "F9"], "客户编号": ["C1"] * 3,
    ...     "收款日期": pd.to_datetime(["2025-02-01", "2025-02-01", "2025-02-02"]), "金额": [900.0, 900.0, 50.0]})
    >>> ageing(inv, pay, "2025-03-01").detail[["发票号", "未收金额", "账龄"]].values.tolist()
    [['F1', -900.0, '多收待退'], ['F9', -50.0, '待核销']]
    >>> ageing(inv, pay, "2025-01-25").detail[["发票号", "未收金额", "账龄"]].values.tolist()
    [['F1', 900.0, '未到期']]
    """
    require_columns(invoices, ["发票号", "客户编号", "开票日期", "到期日", "金额"], "发票表")
    if payments is None:
        payments = pd.DataFrame(columns=["发票号", "客户编号", "收款日期", "金额"])
    if not isinstance(payments, pd.DataFrame):
        raise CRMError("收款表应该是一个表格（DataFrame）；没有收款时可以传入 None。")
    if len(payments):
        require_columns(payments, ["发票号", "客户编号", "收款日期", "金额"], "收款表")
    try:
        asof = pd.Timestamp(asof).normalize()
    except (ValueError, TypeError):
        raise CRMError(f'分析日「{asof}」不是日期。请写成 "2025-12-31" 这样的格式。') from None
    labels = bucket_labels(buckets)
    inv = invoices.copy()
    inv["开票日期"], inv["到期日"] = _dates(inv, "开票日期", "发票表"), _dates(inv, "到期日", "发票表")
    inv["金额"] = pd.to_numeric(inv["金额"], errors="coerce")
    if inv["金额"].isna().any():
        raise CRMError("发票表的「金额」列有空值或不是数字。请先核对这些发票。")
    dup = inv["发票号"][inv["发票号"].duplicated()]
    if len(dup):
        raise CRMError(
            f"发票号「{dup.iloc[0]}」在发票表里出现了不止一次。一张发票只能有一行，请先查清是重复导出还是编号错误。"
        )
    inv = inv[inv["开票日期"] <= asof]
    if "原发票号" not in inv.columns:
        inv["原发票号"] = None
    is_note = (inv["金额"] < 0) & inv["原发票号"].notna() & inv["原发票号"].isin(inv["发票号"])
    notes = inv[is_note].groupby("原发票号")["金额"].sum()
    items = inv[~is_note].copy()

    pay = payments.copy()
    if len(pay):
        pay["收款日期"] = _dates(pay, "收款日期", "收款表")
        pay["金额"] = pd.to_numeric(pay["金额"], errors="coerce")
        if pay["金额"].isna().any() or (pay["金额"] <= 0).any():
            raise CRMError("收款表的「金额」应该都是正数。退款请单独记录，不要写成负的收款。")
        pay = pay[pay["收款日期"] <= asof]
    paid = pay.groupby("发票号")["金额"].sum() if len(pay) else pd.Series(dtype=float)
    items["已收金额"] = items["发票号"].map(paid).fillna(0.0) - items["发票号"].map(notes).fillna(0.0)
    items["未收金额"] = (items["金额"] - items["已收金额"]).round(2)
    items = items[items["未收金额"].abs() > 0.004].copy()
    items["逾期天数"] = (asof - items["到期日"]).dt.days
    b = np.asarray(_check_buckets(buckets))
    days = items["逾期天数"].to_numpy()
    pos = np.where(days <= 0, 0, 1 + np.searchsorted(b, days, side="left"))
    items["账龄"] = np.asarray(labels, dtype=object)[pos]
    items.loc[items["未收金额"] < 0, "账龄"] = OVERPAID
    items.loc[items["金额"] < 0, "账龄"] = UNMATCHED  # credit note without a known original invoice

    if len(pay):
        lost = pay[~pay["发票号"].isin(inv["发票号"])]
        if len(lost):
            extra = lost.groupby(["发票号", "客户编号"], as_index=False)["金额"].sum()
            extra = extra.assign(
                开票日期=pd.NaT,
                到期日=pd.NaT,
                已收金额=extra["金额"],
                金额=0.0,
                未收金额=-extra["金额"],
                逾期天数=np.nan,
                账龄=UNMATCHED,
            )
            items = pd.concat([items, extra], ignore_index=True)

    items = items[items["未收金额"].abs() > 0.004]
    first = ["发票号", "客户编号", "开票日期", "到期日", "金额", "已收金额", "未收金额", "逾期天数", "账龄"]
    keep = [c for c in invoices.columns if c not in first and c != "原发票号"]
    detail = items[first + keep].sort_values(["客户编号", "发票号"], ignore_index=True)
    detail["逾期天数"] = detail["逾期天数"].astype("Int64")

    order = labels + [OVERPAID, UNMATCHED]
    table = detail.groupby(["客户编号", "账龄"])["未收金额"].sum().unstack(fill_value=0.0)
    table = table.reindex(columns=order, fill_value=0.0).astype(float)
    table = table.loc[:, [c for c in order if c in labels or table[c].abs().sum() > 0]]
    positive = table[labels]
    table["合计"] = table.sum(axis=1)
    table["逾期金额"] = positive[labels[1:]].sum(axis=1)
    base = positive.sum(axis=1)
    table["逾期占比"] = (table["逾期金额"] / base.where(base > 0)).astype(float)
    table.columns.name = None
    return Ageing(detail, table)


def overdue_share(detail):
    """Overall overdue share = overdue open amount ÷ open amount of normal items
    (overpaid and unmatched lines left out).

    >>> d = pd.DataFrame({"未收金额": [600.0, 400.0, -50.0], "账龄": ["31-60天", "未到期", "待核销"]})
    >>> overdue_share(d)
    0.6
    """
    require_columns(detail, ["未收金额", "账龄"], "账龄明细")
    normal = detail[~detail["账龄"].isin([OVERPAID, UNMATCHED])]
    total = float(normal["未收金额"].sum())
    if total <= 0:
        raise CRMError("没有未收的应收账款，无法计算逾期占比。")
    return float(normal.loc[normal["账龄"] != NOT_DUE, "未收金额"].sum()) / total


def bad_debt_provision(detail, rates=None):
    """坏账准备 by bucket: open amount × the bucket's rate (账龄分析法).

    `detail`: the ``detail`` of :func:`ageing` (or any table with 账龄 and
    未收金额). `rates`: {bucket: rate 0–1}; default :data:`DEFAULT_RATES`, the
    course company's policy. Overpaid and unmatched lines are not provisioned.
    Returns a table per bucket: 未收金额, 计提比例, 坏账准备, with a 合计 row.

    >>> d = pd.DataFrame({"未收金额": [1000.0, 200.0, -50.0], "账龄": ["未到期", "180天以上", "多收待退"]})
    >>> float(bad_debt_provision(d).loc["合计", "坏账准备"])
    160.0
    """
    require_columns(detail, ["未收金额", "账龄"], "账龄明细")
    rates = dict(DEFAULT_RATES if rates is None else rates)
    for k, v in rates.items():
        rates[k] = as_number(v, f"「{k}」的计提比例", 0, 1)
    normal = detail[~detail["账龄"].isin([OVERPAID, UNMATCHED])]
    missing = sorted(set(normal["账龄"]) - set(rates))
    if missing:
        raise CRMError(
            f'账龄段「{"、".join(missing)}」没有计提比例。请在 rates 里补上，例如 {{"{missing[0]}": 0.05}}。'
        )
    amounts = normal.groupby("账龄")["未收金额"].sum()
    out = pd.DataFrame({"未收金额": [float(amounts.get(k, 0.0)) for k in rates]}, index=list(rates))
    out["计提比例"] = list(rates.values())
    out["坏账准备"] = (out["未收金额"] * out["计提比例"]).round(2)
    out.loc["合计"] = [out["未收金额"].sum(), np.nan, out["坏账准备"].sum()]
    out.index.name = "账龄"
    return out
