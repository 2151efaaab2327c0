"""Pareto analysis of complaints (or any counts): the vital few groups that make up most of the total.

Same convention as ``crm.abc_classify`` (it is reused here): groups are ranked
by value, largest first, equal values by group name ascending; the "vital
few" (关键少数) is the smallest set of top groups whose combined share reaches
the cut (default 80%), so the group that crosses the cut is still in it.

>>> 投诉 = pd.DataFrame({"类别": ["质量", "物流", "质量", "态度", "质量", "物流"]})
>>> t = pareto_table(投诉, "类别")
>>> t.index.tolist(), t["数量"].tolist(), t["关键少数"].tolist()
(['质量', '物流', '态度'], [3, 2, 1], [True, True, False])
>>> t["累计占比"].round(3).tolist()
[0.5, 0.833, 1.0]
"""

import pandas as pd

from ..course.errors import CRMError, as_number, require_columns, require_frame, require_nonnegative
from .segmentation import abc_classify

MISSING = "（未填写）"  # the group of rows whose `by` value is empty


def _per_group(values_or_counts, by, value):
    """(Series of non-negative values indexed by group, name of the value column)."""
    if isinstance(values_or_counts, pd.DataFrame):
        table = require_frame(values_or_counts, "数据表")
        if by is None:
            raise CRMError('传入的是一张表，还要告诉我按哪一列分组，例如 crm.pareto_table(投诉, "类别")。')
        require_columns(table, [by] + ([value] if value is not None else []), "数据表")
        groups = table[by].astype(object).where(table[by].notna(), MISSING)
        if value is None:
            return groups.value_counts(), "数量"
        amounts = table[value]
        require_nonnegative(amounts, value)
        return amounts.groupby(groups).sum(), "合计"
    if isinstance(values_or_counts, dict):
        values_or_counts = pd.Series(values_or_counts)
    if not isinstance(values_or_counts, pd.Series):
        raise CRMError(
            f"pareto_table 需要一张表（DataFrame）加分组列名，或者一列数据（Series），"
            f"收到的却是 {type(values_or_counts).__name__}。"
        )
    s = values_or_counts
    if s.empty:
        raise CRMError("传入的数据是空的，没有可以排序的分组。请检查前面的筛选条件。")
    if by is not None:
        raise CRMError('传入的是一列数据时不需要 by；如果要按某列分组，请传入整张表：crm.pareto_table(表, "列名")。')
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        require_nonnegative(s, "各组数值")
        dup = s.index[s.index.duplicated()]
        if len(dup):
            raise CRMError(
                f"各组数值里「{dup[0]}」出现了不止一次，每组只能有一个值。"
                '如果这是一列明细，请传入整张表并写出分组列：crm.pareto_table(表, "列名")。'
            )
        return s.rename(None), "数量"
    # a column of labels (e.g. 投诉["类别"]): count each label
    return s.astype(object).where(s.notna(), MISSING).value_counts(), "数量"


def pareto_table(values_or_counts, by=None, value=None, cut=0.80):
    """Pareto table: total per group, sorted descending, with share, cumulative share and the vital few.

    Input, one of:

    - a DataFrame and ``by``, a column name: counts the rows of each group
      (column ``数量``); with ``value`` (a column of non-negative numbers,
      e.g. ``"补偿金额"``) sums it per group instead (column ``合计``);
    - a Series of labels (e.g. ``投诉["类别"]``): counts each label;
    - a numeric Series indexed by group (counts or sums already made).

    Empty labels are grouped as ``"（未填写）"``, never dropped silently.
    Ranking: value descending, ties by group name ascending. ``占比`` is the
    group's share of the total, ``累计占比`` the running share up to and
    including it, ``关键少数`` True for the smallest set of top groups whose
    combined share reaches ``cut`` (the group that crosses the cut is in;
    a share within 1e-9 of the cut counts as reaching it; groups with 0 are
    never in it). This is class A of ``crm.abc_classify(…, cuts=(cut, cut))``.

    >>> pareto_table(pd.Series({"甲": 3, "乙": 3, "丙": 14}))   # tie: 乙 before 甲
       数量    占比  累计占比   关键少数
    丙  14  0.70  0.70   True
    乙   3  0.15  0.85   True
    甲   3  0.15  1.00  False
    """
    cut = as_number(cut, "关键少数的累计占比 cut")
    if not 0 < cut <= 1:
        raise CRMError(f"「cut」是累计占比，应在 0 到 1 之间（80% 写作 0.8），你给的是 {cut:g}。")
    values, column = _per_group(values_or_counts, by, value)
    if float(values.sum()) <= 0:
        raise CRMError("各组的数值全部是 0，总数为 0，算不出占比。请检查是否选错了列或筛掉了全部行。")
    ranked = abc_classify(values, cuts=(cut, cut))
    out = pd.DataFrame(
        {
            column: ranked["价值"],
            "占比": ranked["占比"],
            "累计占比": ranked["累计占比"],
            "关键少数": (ranked["ABC"] == "A").to_numpy(),
        },
        index=ranked.index,
    )
    if isinstance(values_or_counts, pd.DataFrame):
        out.index.name = by
    elif column == "数量" and not pd.api.types.is_numeric_dtype(values_or_counts):
        out.index.name = values_or_counts.name
    else:
        out.index.name = values_or_counts.index.name
    return out


def vital_few(table):
    """The group names of the vital few of a ``pareto_table`` result, in rank order.

    >>> vital_few(pareto_table(pd.Series({"甲": 6, "乙": 3, "丙": 1})))
    ['甲', '乙']
    """
    if not isinstance(table, pd.DataFrame) or "关键少数" not in table.columns:
        raise CRMError("vital_few 需要 crm.pareto_table(...) 的结果（带“关键少数”列的表）。")
    return table.index[table["关键少数"]].tolist()
