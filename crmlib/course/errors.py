"""Input checks that fail with a Chinese message saying what is wrong and how to fix it.

Every crmlib function a student calls validates its input with these helpers,
so a wrong column name or a negative amount never ends in a traceback from
deep inside pandas.

>>> import pandas as pd
>>> require_columns(pd.DataFrame({"客户": [1]}), ["金额"])
Traceback (most recent call last):
...
crmlib.course.errors.CRMError: 数据里找不到列「金额」。现有的列：客户。请检查列名是否写错（注意全角、半角和空格）。
"""

import difflib
import numbers

import numpy as np
import pandas as pd


class CRMError(ValueError):
    """Bad input; the message is Chinese and tells the student how to fix it."""

    def _render_traceback_(self):
        # IPython shows this instead of a long traceback.
        return [f"\x1b[31m输入有误（{type(self).__name__}）：\x1b[0m{self}"]


def _fmt_list(items, limit=12):
    items = [str(i) for i in items]
    more = f" 等共 {len(items)} 个" if len(items) > limit else ""
    return "、".join(items[:limit]) + more


def require_frame(df, what="数据"):
    """Check that `df` is a non-empty DataFrame.

    >>> require_frame(pd.DataFrame(), "订单表")
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 订单表是空的（没有任何行）。请确认数据已正确读入，或筛选条件没有把所有行都去掉。
    """
    if not isinstance(df, pd.DataFrame):
        raise CRMError(
            f"{what}应该是一个表格（pandas DataFrame），收到的却是 {type(df).__name__}。"
            "请用 pd.read_csv(...) 或 crm.load_dataset(...) 读入数据后再传入。"
        )
    if df.empty:
        raise CRMError(f"{what}是空的（没有任何行）。请确认数据已正确读入，或筛选条件没有把所有行都去掉。")
    return df


def require_columns(df, columns, what="数据"):
    """Check that every name in `columns` is a column of `df`; suggest close names."""
    require_frame(df, what)
    for col in columns:
        if col not in df.columns:
            names = [str(c) for c in df.columns]
            close = difflib.get_close_matches(str(col), names, n=1, cutoff=0.5)
            guess = f"你是不是想写「{close[0]}」？" if close else ""
            raise CRMError(
                f"{what}里找不到列「{col}」。{guess}现有的列：{_fmt_list(names)}。"
                "请检查列名是否写错（注意全角、半角和空格）。"
            )
    return df


def require_series(values, name="数值"):
    """Check that `values` is a pandas Series (or convert a dict); return it."""
    if isinstance(values, dict):
        values = pd.Series(values)
    if not isinstance(values, pd.Series):
        raise CRMError(
            f"{name}应该是一列数据（pandas Series，索引是客户），收到的却是 {type(values).__name__}。"
            "可以用 表.groupby('客户')['金额'].sum() 得到这样的一列。"
        )
    if values.empty:
        raise CRMError(f"{name}是空的，没有任何客户。请检查前面的筛选或汇总步骤。")
    return values


def require_numeric(series, name="数值"):
    """Check that a Series is numeric with no missing values."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise CRMError(
            f"「{name}」应该是数字，但这一列的类型是 {series.dtype}。"
            "如果数字里有“元”、逗号等文字，请先清理并用 pd.to_numeric(...) 转换。"
        )
    if series.isna().any():
        raise CRMError(f"「{name}」里有 {int(series.isna().sum())} 个空值。请先补齐或删除这些行（例如 .dropna()）。")
    return series


def require_nonnegative(series, name="数值"):
    """Check that a numeric Series has no negative values.

    >>> require_nonnegative(pd.Series([5.0, -2.0]), "金额")
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 「金额」里有 1 个负数（例如 第 1 行 的 -2.0）。金额和数量不能为负；退款请单独记录，或先把这些行筛掉。
    """
    require_numeric(series, name)
    neg = series[series < 0]
    if len(neg):
        where = f"第 {neg.index[0]} 行" if pd.api.types.is_integer_dtype(series.index) else f"{neg.index[0]}"
        raise CRMError(
            f"「{name}」里有 {len(neg)} 个负数（例如 {where} 的 {neg.iloc[0]}）。"
            "金额和数量不能为负；退款请单独记录，或先把这些行筛掉。"
        )
    return series


def require_datetime(series, name="日期"):
    """Check that a Series holds dates (datetime64), not text."""
    if not pd.api.types.is_datetime64_any_dtype(series):
        raise CRMError(
            f"「{name}」列是 {series.dtype} 类型，不是日期。请先转换：表['{name}'] = pd.to_datetime(表['{name}'])。"
        )
    if series.isna().any():
        raise CRMError(f"「{name}」里有 {int(series.isna().sum())} 个空日期。请先补齐或删除这些行。")
    return series


def as_number(x, name="数值", minimum=None, maximum=None):
    """Return `x` as a float, or fail with a Chinese message.

    >>> as_number(3, "年数", minimum=0)
    3.0
    >>> as_number(-1, "单次消费", minimum=0)
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 「单次消费」不能小于 0，你给的是 -1。
    """
    if isinstance(x, bool) or not isinstance(x, (numbers.Number, np.number)):
        raise CRMError(
            f"「{name}」应该是一个数字，你给的是 {x!r}（{type(x).__name__}）。如果是带引号的文字，请去掉引号。"
        )
    x = float(x)
    if np.isnan(x):
        raise CRMError(f"「{name}」是空值（NaN），请给出一个数字。")
    if minimum is not None and x < minimum:
        raise CRMError(f"「{name}」不能小于 {minimum:g}，你给的是 {x:g}。")
    if maximum is not None and x > maximum:
        raise CRMError(f"「{name}」不能大于 {maximum:g}，你给的是 {x:g}。")
    return x
