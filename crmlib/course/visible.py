"""Visible checks of the data tasks: what a student's check cell runs (``crm.check_task``).

A visible check never knows the right answer. It checks that the answer is
there and has the right shape, that the cell above ran without an error, and
it recognises the *named misconceptions* of a task: it computes each typical
wrong value from the data and says which mistake it sees. Everything else is
left to ``course.py grade`` (or ``crm.score()``), which compares with the
expected value in a separate, clean process.

Each project's checks live in ``crmlib/tasks/pNN.py`` as functions named by
task id (``t1``, ``t2`` …) that take the student's values.

>>> import pandas as pd
>>> number(0.8, "达标率", minimum=0, maximum=1)
0.8
>>> not_mistaken(0.8123, {"把各组的比率直接求平均": 0.8123}, "达标率")
Traceback (most recent call last):
...
crmlib.course.checks.CheckFailed: 「达标率」看起来用了一个常见的错误做法：把各组的比率直接求平均。请回到题目要求，换一种算法再试。
"""

import importlib
import math
import numbers

import numpy as np
import pandas as pd

from .checks import fail, previous_cell_failed, type_name
from .errors import CRMError

OK = "√"  # a status mark every CJK font has (no emoji font needed)


def passed(message):
    """Print the closing line of a visible check."""
    print(f"{OK} {message}")


def answered(value, name):
    """Fail if `name` is still unanswered (None, "", ..., or the stub)."""
    if previous_cell_failed():
        fail(
            f"上一格没有运行成功，所以「{name}」可能还是旧的值或者根本没有值。",
            "先把上面的作答格改到运行不出错（看它下面的红色提示），再运行本格。",
        )
    blank = isinstance(value, str) and not value.strip()
    if value is None or value is Ellipsis or blank:
        fail(f"「{name}」还没有作答。", "在上面的作答格里算出它，运行作答格，再运行本格。")
    return value


def number(value, name, minimum=None, maximum=None, integer=False, hint=None):
    """`value` as a float (or int) in [minimum, maximum]; Chinese failure otherwise."""
    answered(value, name)
    if isinstance(value, (pd.Series, pd.DataFrame)) and value.size == 1:
        fail(
            f"「{name}」是只有一个值的{type_name(value)}，应该是一个数。", hint or "用 .iloc[0] 或 .item() 取出那个数。"
        )
    if isinstance(value, bool) or not isinstance(value, (numbers.Number, np.number)):
        fail(
            f"「{name}」应该是一个数，现在是{type_name(value)}：{value!r:.60}。",
            hint or "去掉引号；如果是从表格取出的一列，请再求和、求平均或取出一个值。",
        )
    if math.isnan(float(value)):
        fail(f"「{name}」是空值（NaN）。", hint or "检查计算中是否用到了空列，或者除以了 0。")
    if integer and float(value) != int(value):
        fail(f"「{name}」应该是一个整数（个数），现在是 {value}。", hint or "个数用 len(...) 或 .sum() 数出来。")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        lo = "" if minimum is None else f"不小于 {minimum}"
        hi = "" if maximum is None else f"不大于 {maximum}"
        fail(f"「{name}」= {value:g}，不在合理范围内（应该{lo}{'、' if lo and hi else ''}{hi}）。", hint)
    return int(value) if integer else float(value)


def id_list(value, name, known, what="编号", hint=None):
    """`value` as a list of ids, each in `known`; Chinese failure otherwise."""
    answered(value, name)
    if isinstance(value, pd.Index):
        value = value.tolist()
    if isinstance(value, pd.Series):
        fail(
            f"「{name}」是一列数据（Series），应该是一个{what}列表。",
            hint or '如果编号在索引里，用 .index.tolist()；如果在某一列里，用 表["列名"].tolist()。',
        )
    if isinstance(value, pd.DataFrame):
        fail(f"「{name}」是一个表格，应该是一个{what}列表。", hint or "取出编号所在的那一列（或索引），再 .tolist()。")
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        fail(f"「{name}」应该是一个列表，现在是{type_name(value)}。", hint or "用方括号把编号括起来，或用 .tolist()。")
    items = list(value)
    strange = [v for v in items if v not in set(known)]
    if strange:
        fail(
            f"「{name}」里有 {len(strange)} 项不是{what}，例如 {strange[0]!r}。",
            hint or f"列表里应该是{what}，而不是分数、行号或名称。",
        )
    if len(set(items)) != len(items):
        fail(f"「{name}」里有重复的{what}。", hint or "每个编号只写一次（可以用 set 或 drop_duplicates 去重）。")
    return items


def frame(value, name, columns=(), hint=None):
    """`value` as a non-empty DataFrame with `columns`; Chinese failure otherwise."""
    answered(value, name)
    if isinstance(value, pd.Series):
        fail(
            f"「{name}」是一列数据（Series），应该是一个表格（DataFrame）。",
            hint or "用 .to_frame() 或 .reset_index() 把它变成表格。",
        )
    if not isinstance(value, pd.DataFrame):
        fail(f"「{name}」应该是一个表格，现在是{type_name(value)}。", hint)
    missing = [c for c in columns if c not in value.columns]
    if missing:
        fail(
            f"「{name}」缺少列：{'、'.join(map(str, missing))}。现有的列：{'、'.join(map(str, value.columns))}。", hint
        )
    if value.empty:
        fail(f"「{name}」是空表。", hint or "检查筛选条件是不是把所有行都去掉了。")
    return value


def same_value(a, b, sig=4):
    """True when a and b agree to `sig` significant figures (the course's fair rounding rule).

    >>> same_value(0.87346, 0.8735), same_value(0.8712, 0.8705), same_value(12, 12.0)
    (True, False, True)
    """
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(a) or math.isnan(b):
        return False
    if b == 0:
        return abs(a) < 1e-9
    unit = 10 ** (math.floor(math.log10(abs(b))) - sig + 1)
    return abs(a - b) <= unit / 2 + 1e-12 * abs(b)


def _matches(value, wrong):
    if isinstance(wrong, (set, frozenset, list, tuple, pd.Index)):
        try:
            return set(value) == set(wrong)
        except TypeError:
            return False
    if isinstance(value, (numbers.Number, np.number)) and not isinstance(value, bool):
        return same_value(value, wrong)
    return False


def not_mistaken(value, mistakes, name):
    """Fail naming the mistake when `value` equals one of the typical wrong values.

    `mistakes` maps a Chinese description of the mistake to the wrong value it
    gives (computed from the data). Numbers match to 4 significant figures,
    collections as sets, so a rounding difference never triggers it.
    """
    for description, wrong in mistakes.items():
        if _matches(value, wrong):
            fail(f"「{name}」看起来用了一个常见的错误做法：{description}。请回到题目要求，换一种算法再试。")


def check_task(task_id, *values):
    """The visible check of a data task: ``crm.check_task("p07-t1", A类客户数)``.

    Runs ``crmlib.tasks.p07.t1(*values)``. Says what is wrong in Chinese, or
    that the answer has the right form; never whether it is right.
    """
    project, _, task = str(task_id).partition("-")
    try:
        module = importlib.import_module(f"crmlib.tasks.{project}")
        check = getattr(module, task)
    except (ImportError, AttributeError):
        raise CRMError(f"没有名为「{task_id}」的检查。检查格应该保持原样，不要修改。") from None
    check(*values)
    passed("格式正确，也没有发现常见错误。数值对不对，要提交后由评分程序核对；自学时可以运行 crm.score() 看得分。")
