"""Credit analysis: the financial ratios a credit clerk reads, and the 5C/6C score → rating → credit limit.

Ratios take numbers or pandas Series (one value per customer) and return the
same shape. A zero denominator gives NaN (and a Chinese error for a single
number), never an infinite or silently wrong value.

>>> current_ratio(300, 200), quick_ratio(300, 120, 200), debt_ratio(450, 1000)
(1.5, 0.9, 0.45)
>>> receivables_turnover(1200, 180, 220), days_sales_outstanding(1200, 180, 220)
(6.0, 60.0)
>>> s = credit_score({"品格": 80, "能力": 70, "资本": 60, "抵押": 50, "条件": 70, "连续性": 90})
>>> s, credit_rating(s), credit_limit(5_000_000, credit_rating(s))
(70.5, 'A', 75000.0)
"""

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_columns

FACTORS_5C = ["品格", "能力", "资本", "抵押", "条件"]
FACTORS_6C = FACTORS_5C + ["连续性"]
#: Default weights (sum 1): character and capacity matter most to a supplier's credit clerk.
DEFAULT_WEIGHTS = {"品格": 0.25, "能力": 0.25, "资本": 0.20, "抵押": 0.10, "条件": 0.10, "连续性": 0.10}
#: Rating bands on the 0–100 score: lowest score of each grade, best first.
RATING_BANDS = [("AAA", 90), ("AA", 80), ("A", 70), ("B", 60), ("C", 0)]
#: Suggested credit limit as a share of the customer's net assets (净资产), by grade —
#: the course company's credit policy (an assumption; every company sets its own).
LIMIT_SHARE = {"AAA": 0.03, "AA": 0.02, "A": 0.015, "B": 0.01, "C": 0.0}
STATEMENT_COLUMNS = ["流动资产", "存货", "流动负债", "资产总额", "负债总额", "营业收入", "期初应收账款", "期末应收账款"]


def _ratio(num, den, name):
    if isinstance(num, pd.Series) or isinstance(den, pd.Series):
        num, den = pd.to_numeric(num, errors="coerce"), pd.to_numeric(den, errors="coerce")
        return (num / den.where(den != 0)).astype(float)
    a, b = as_number(num, name + "的分子"), as_number(den, name + "的分母")
    if b == 0:
        raise CRMError(f"{name}的分母是 0，无法计算。请检查报表数据是否缺失（例如流动负债或资产总额为 0）。")
    return a / b


def current_ratio(current_assets, current_liabilities):
    """流动比率 = 流动资产 ÷ 流动负债.

    Short-term paying power; about 2 is comfortable for a trading or
    manufacturing customer, below 1 means current debts exceed current assets.

    >>> current_ratio(pd.Series([300, 100]), pd.Series([200, 0])).tolist()
    [1.5, nan]
    """
    return _ratio(current_assets, current_liabilities, "流动比率")


def quick_ratio(current_assets, inventory, current_liabilities):
    """速动比率 = (流动资产 − 存货) ÷ 流动负债.

    Like the current ratio without stock, which may not sell quickly; about 1
    is comfortable.

    >>> quick_ratio(300, 300, 200)
    0.0
    """
    if isinstance(current_assets, pd.Series) or isinstance(inventory, pd.Series):
        quick = pd.to_numeric(current_assets, errors="coerce") - pd.to_numeric(inventory, errors="coerce")
    else:
        quick = as_number(current_assets, "流动资产") - as_number(inventory, "存货", minimum=0)
    return _ratio(quick, current_liabilities, "速动比率")


def debt_ratio(total_liabilities, total_assets):
    """资产负债率 = 负债总额 ÷ 资产总额 (a share, 0.45 = 45%).

    The higher it is, the more of the customer's assets belong to its
    creditors; above about 0.7 a supplier should be careful.

    >>> debt_ratio(0, 500)
    0.0
    """
    return _ratio(total_liabilities, total_assets, "资产负债率")


def receivables_turnover(revenue, receivables_begin, receivables_end):
    """应收账款周转率（次）= 营业收入 ÷ 平均应收账款, 平均应收账款 = (期初 + 期末) ÷ 2.

    How many times a year the customer collects its own receivables.

    >>> receivables_turnover(1000, 100, 300)
    5.0
    """
    if isinstance(receivables_begin, pd.Series) or isinstance(receivables_end, pd.Series):
        avg = (pd.to_numeric(receivables_begin, errors="coerce") + pd.to_numeric(receivables_end, errors="coerce")) / 2
    else:
        avg = (
            as_number(receivables_begin, "期初应收账款", minimum=0)
            + as_number(receivables_end, "期末应收账款", minimum=0)
        ) / 2
    return _ratio(revenue, avg, "应收账款周转率")


def days_sales_outstanding(revenue, receivables_begin, receivables_end, days=360):
    """应收账款周转天数 = 计算期天数 ÷ 应收账款周转率 = 平均应收账款 × 天数 ÷ 营业收入.

    The average number of days the customer waits for its own customers to
    pay. `days` is 360 by the usual Chinese financial-analysis convention
    (use 365 if your company does).

    >>> days_sales_outstanding(1000, 100, 300), days_sales_outstanding(1000, 100, 300, days=365)
    (72.0, 73.0)
    """
    days = as_number(days, "计算期天数", minimum=1)
    return days / receivables_turnover(revenue, receivables_begin, receivables_end)


def financial_ratios(statements, days=360):
    """All five ratios for every row of a statements table.

    `statements` needs 流动资产, 存货, 流动负债, 资产总额, 负债总额, 营业收入,
    期初应收账款, 期末应收账款 (same unit); other columns (客户编号, 年度 …) are
    kept in front. Adds 净资产 = 资产总额 − 负债总额.

    >>> t = pd.DataFrame({"客户编号": ["C1"], "流动资产": [300], "存货": [120], "流动负债": [200],
    ...     "资产总额": [1000], "负债总额": [450], "营业收入": [1200], "期初应收账款": [180], "期末应收账款": [220]})
    >>> financial_ratios(t).iloc[0, 1:].tolist()
    [1.5, 0.9, 0.45, 6.0, 60.0, 550.0]
    """
    require_columns(statements, STATEMENT_COLUMNS, "财务报表")
    s = statements
    for col in STATEMENT_COLUMNS:
        if not pd.api.types.is_numeric_dtype(s[col]):
            raise CRMError(f"财务报表的「{col}」列不是数字（类型 {s[col].dtype}）。请先用 pd.to_numeric 转换。")
    keep = [c for c in s.columns if c not in STATEMENT_COLUMNS and c not in ("净利润",)]
    out = s[keep].copy()
    out["流动比率"] = current_ratio(s["流动资产"], s["流动负债"])
    out["速动比率"] = quick_ratio(s["流动资产"], s["存货"], s["流动负债"])
    out["资产负债率"] = debt_ratio(s["负债总额"], s["资产总额"])
    out["应收账款周转率"] = receivables_turnover(s["营业收入"], s["期初应收账款"], s["期末应收账款"])
    out["应收账款周转天数"] = days_sales_outstanding(s["营业收入"], s["期初应收账款"], s["期末应收账款"], days)
    out["净资产"] = s["资产总额"] - s["负债总额"]
    return out


# ---------------------------------------------------------------- 5C / 6C


def check_weights(weights):
    """Weights as a dict over known factors, scaled to sum 1 (so 30/25/… works too).

    >>> check_weights({"品格": 2, "能力": 2})
    {'品格': 0.5, '能力': 0.5}
    >>> check_weights({"品德": 1})
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 不认识的信用要素「品德」。可用的要素：品格、能力、资本、抵押、条件、连续性。
    """
    if isinstance(weights, pd.Series):
        weights = weights.to_dict()
    if not isinstance(weights, dict) or not weights:
        raise CRMError('权重应该写成字典，例如 {"品格": 0.3, "能力": 0.3, "资本": 0.2, "抵押": 0.1, "条件": 0.1}。')
    for k in weights:
        if k not in FACTORS_6C:
            raise CRMError(f"不认识的信用要素「{k}」。可用的要素：{'、'.join(FACTORS_6C)}。")
    w = {k: as_number(v, f"「{k}」的权重", minimum=0) for k, v in weights.items()}
    total = sum(w.values())
    if total <= 0:
        raise CRMError("所有权重都是 0，无法计算加权得分。请至少给一个要素正的权重。")
    return {k: v / total for k, v in w.items()}


def credit_score(scores, weights=None):
    """Weighted 5C/6C score on 0–100: Σ 权重 × 要素得分, weights scaled to sum 1.

    `scores`: a dict (one customer) or a DataFrame with one column per factor
    (one row per customer; returns a Series). Each factor score is 0–100.
    Factors with weight 0 may be missing.

    >>> credit_score({"品格": 90, "能力": 60}, {"品格": 1, "能力": 1})
    75.0
    >>> df = pd.DataFrame({"品格": [90, 50], "能力": [60, 50]}, index=["C1", "C2"])
    >>> credit_score(df, {"品格": 3, "能力": 1}).tolist()
    [82.5, 50.0]
    """
    w = check_weights(DEFAULT_WEIGHTS if weights is None else weights)
    used = [k for k, v in w.items() if v > 0]
    if isinstance(scores, pd.DataFrame):
        require_columns(scores, used, "信用评分表")
        try:
            part = scores[used].to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise CRMError("信用评分表里有不是数字的得分。请先把每个要素的得分整理成 0～100 的数。") from None
        if np.isnan(part).any():
            raise CRMError("信用评分表里有空值。请先补齐每个要素的得分（0～100）。")
        if ((part < 0) | (part > 100)).any():
            raise CRMError("信用要素得分应在 0～100 之间，请检查评分表。")
        return pd.Series(np.round(part @ np.array([w[k] for k in used]), 6), index=scores.index)
    if isinstance(scores, pd.Series):
        scores = scores.to_dict()
    if not isinstance(scores, dict):
        raise CRMError("要素得分应该是字典（一个客户）或表格（每行一个客户）。")
    missing = [k for k in used if k not in scores]
    if missing:
        raise CRMError(f"缺少信用要素「{'、'.join(missing)}」的得分。")
    return round(sum(w[k] * as_number(scores[k], f"「{k}」得分", 0, 100) for k in used), 6)


def credit_rating(score, bands=None):
    """Grade of a 0–100 score: AAA ≥ 90, AA ≥ 80, A ≥ 70, B ≥ 60, C below (lower bound included).

    Works on a number or a Series.

    >>> credit_rating(90), credit_rating(89.99), credit_rating(60), credit_rating(59.9)
    ('AAA', 'AA', 'B', 'C')
    """
    bands = RATING_BANDS if bands is None else bands
    if isinstance(score, pd.Series):
        values = pd.to_numeric(score, errors="coerce")
        if values.isna().any() or ((values < 0) | (values > 100)).any():
            raise CRMError("信用得分应该是 0～100 之间的数，请检查得分列里有没有空值或超出范围的值。")
        v = values.to_numpy(dtype=float)
        grades = np.full(len(v), bands[-1][0], dtype=object)
        for grade, low in reversed(bands[:-1]):
            grades[v >= low - 1e-9] = grade
        return pd.Series(grades, index=score.index, name="等级")
    v = as_number(score, "信用得分", 0, 100)
    for grade, low in bands:
        if v >= low - 1e-9:
            return grade
    return bands[-1][0]


def credit_limit(net_assets, rating, shares=None):
    """Suggested credit limit = 净资产 × the grade's share (AAA 3%, AA 2%, A 1.5%, B 1%,
    C 0 → 款到发货 cash before delivery), in the unit of `net_assets`. Negative net assets give 0.

    >>> credit_limit(8_000_000, "AA"), credit_limit(-50, "AAA"), credit_limit(800, "C")
    (160000.0, 0.0, 0.0)
    """
    shares = LIMIT_SHARE if shares is None else shares
    if isinstance(rating, pd.Series):
        unknown = set(rating) - set(shares)
        if unknown:
            raise CRMError(f"不认识的信用等级「{sorted(unknown)[0]}」。可用的等级：{'、'.join(shares)}。")
        net = np.asarray(net_assets, dtype=float)
        share = np.array([shares[r] for r in rating], dtype=float)
        return pd.Series(np.round(np.clip(net, 0, None) * share, 6), index=rating.index)
    if rating not in shares:
        raise CRMError(f"不认识的信用等级「{rating}」。可用的等级：{'、'.join(shares)}。")
    n = as_number(net_assets, "净资产")
    return round(max(n, 0.0) * shares[rating], 6)


def credit_table(scores, net_assets, weights=None):
    """Score, rating and suggested limit for every customer.

    `scores`: one row per customer (index = 客户编号), factor columns 0–100;
    `net_assets`: a Series of 净资产 on the same index. Returns 得分, 等级, 建议额度,
    sorted by score (highest first, ties by index).

    >>> sc = pd.DataFrame({"品格": [95, 40]}, index=["C1", "C2"])
    >>> credit_table(sc, pd.Series({"C1": 1_000_000, "C2": 300_000}), {"品格": 1}).values.tolist()
    [[95.0, 'AAA', 30000.0], [40.0, 'C', 0.0]]
    """
    score = credit_score(scores, weights)
    if not isinstance(net_assets, pd.Series):
        raise CRMError("净资产应该是一列数据（Series），索引是客户编号。")
    missing = [i for i in score.index if i not in net_assets.index]
    if missing:
        raise CRMError(
            f"客户「{missing[0]}」等 {len(missing)} 家没有净资产数据，无法给出额度。请检查两张表的客户编号。"
        )
    out = pd.DataFrame({"得分": score})
    out["等级"] = credit_rating(out["得分"])
    out["建议额度"] = credit_limit(net_assets.loc[out.index], out["等级"])
    out.index.name = scores.index.name or "客户编号"
    return out.sort_values("得分", ascending=False, kind="stable")
