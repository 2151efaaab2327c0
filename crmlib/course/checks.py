"""Student-facing checks for notebook exercises: Chinese messages and hints.

Visible tests call these to check the *shape* of an answer (assigned, a
number, the right columns) and give a hint without revealing the answer;
hidden tests call them with the expected value computed from the data.

>>> check_close(0.5, 0.5, "达标率")
>>> check_close(0.4, 0.5, "达标率", hint="分母应该是全部坐席数")
Traceback (most recent call last):
...
crmlib.course.checks.CheckFailed: 「达标率」的值不对：得到 0.4。
提示：分母应该是全部坐席数
"""

import math
import numbers

import numpy as np
import pandas as pd


TYPE_NAMES = {
    bool: "真假值",
    int: "整数",
    float: "小数",
    str: "文字",
    list: "列表",
    tuple: "元组",
    dict: "字典",
    set: "集合",
    type(None): "空值 None",
}


def type_name(value):
    """The Chinese name of a value's type, for messages.

    >>> type_name(3), type_name("3"), type_name(pd.Series([1])), type_name(pd.DataFrame())
    ('整数', '文字', '一列数据（Series）', '表格（DataFrame）')
    """
    if isinstance(value, pd.DataFrame):
        return "表格（DataFrame）"
    if isinstance(value, pd.Series):
        return "一列数据（Series）"
    if isinstance(value, np.integer):
        return "整数"
    if isinstance(value, np.floating):
        return "小数"
    for kind, name in TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return f"{type(value).__name__} 类型"


class CheckFailed(AssertionError):
    """An exercise check failed; the message says what to look at."""

    def _render_traceback_(self):
        return [f"\x1b[31m× 检查未通过：\x1b[0m{self}"]


_LAST_CELL = {"failed": False}


def record_cell_result(result):
    """IPython ``post_run_cell`` hook (installed by ``crm.setup()``): remember if the cell failed."""
    _LAST_CELL["failed"] = not result.success


def track_cells():
    """Install :func:`record_cell_result` in this IPython kernel (once); no-op elsewhere."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if record_cell_result not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", record_cell_result)
    return True


def previous_cell_failed():
    """True when the cell run just before this one ended in an error."""
    return _LAST_CELL["failed"]


def fail(problem, hint=None):
    """Raise CheckFailed with a problem statement and an optional hint."""
    raise CheckFailed(problem + (f"\n提示：{hint}" if hint else ""))


def ok(message="检查通过！"):
    """Print a success line (visible tests end with this)."""
    print("√ " + message)


def check_choice(answer, qtype, options="ABCD"):
    """Visible check of a 课后习题 answer: given and well formed; never says whether it is right.

    >>> check_choice("b", "单选", "ABCD")
    √ 已作答，格式正确（单选题，答案记为 B）。提交后由评分程序判分。
    >>> check_choice("", "判断")
    Traceback (most recent call last):
    ...
    crmlib.course.checks.CheckFailed: 这道判断题还没有作答：请把答案写在引号里，例如 答案 = "对"。
    """
    from ..questions.answers import normalize_answer
    from .errors import CRMError

    if previous_cell_failed():
        fail("上一格没有运行成功，答案没有记下来。", "看上一格的红色提示，改好后先运行上一格，再运行本格。")
    try:
        value = normalize_answer(answer, qtype, options if qtype != "判断" else "ABCDEF")
    except CRMError as exc:
        raise CheckFailed(str(exc)) from None
    ok(f"已作答，格式正确（{qtype}题，答案记为 {value}）。提交后由评分程序判分。")


def check_answered(value, name):
    """Fail if the student has not assigned `name` yet (None, ... or a stub)."""
    if value is None or value is Ellipsis or value is NotImplemented:
        fail(f"「{name}」还没有作答。", "把 None 或 ... 换成你的答案，再运行本格。")


def check_number(value, name, hint=None, minimum=None, maximum=None):
    """Check that `value` is a real number in [minimum, maximum].

    >>> check_number("12", "平均处理时长")
    Traceback (most recent call last):
    ...
    crmlib.course.checks.CheckFailed: 「平均处理时长」应该是一个数字，现在是文字 '12'。
    提示：去掉引号；如果是从表格取出的一列，请再求平均或取出一个值。
    """
    check_answered(value, name)
    if isinstance(value, bool) or not isinstance(value, (numbers.Number, np.number)):
        fail(
            f"「{name}」应该是一个数字，现在是{type_name(value)} {value!r}。",
            hint or "去掉引号；如果是从表格取出的一列，请再求平均或取出一个值。",
        )
    if math.isnan(float(value)):
        fail(f"「{name}」是 NaN（空值）。", hint or "检查计算中是否用到了空列或除以了 0。")
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        fail(f"「{name}」= {value:g}，超出了合理范围 [{minimum}, {maximum}]。", hint)


def check_close(actual, expected, name, hint=None, rel=1e-6, abs_tol=1e-9):
    """Check a number against the expected value (hidden tests)."""
    check_number(actual, name, hint)
    if not math.isclose(float(actual), float(expected), rel_tol=rel, abs_tol=abs_tol):
        fail(f"「{name}」的值不对：得到 {actual:g}。", hint)


def check_frame(df, name, columns=(), rows=None, min_rows=1, hint=None):
    """Check that `df` is a DataFrame with the given columns and row count."""
    check_answered(df, name)
    if isinstance(df, pd.Series) and columns:
        fail(
            f"「{name}」是一列（Series），应该是一个表格（DataFrame）。",
            hint or "用 .to_frame() 或 .reset_index() 把它变成表格。",
        )
    if not isinstance(df, pd.DataFrame):
        fail(f"「{name}」应该是一个表格（DataFrame），现在是{type_name(df)}。", hint)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        fail(f"「{name}」缺少列：{'、'.join(map(str, missing))}。现有的列：{'、'.join(map(str, df.columns))}。", hint)
    if rows is not None and len(df) != rows:
        fail(f"「{name}」应该有 {rows} 行，现在有 {len(df)} 行。", hint)
    if len(df) < min_rows:
        fail(f"「{name}」是空表。", hint or "检查筛选条件是不是把所有行都去掉了。")


def check_same_items(actual, expected, name, hint=None):
    """Check that two collections hold the same items, order ignored."""
    check_answered(actual, name)
    if isinstance(actual, (str, bytes)) or not hasattr(actual, "__iter__"):
        fail(
            f"「{name}」应该是一组值（列表），现在是{type_name(actual)}。",
            hint or "用 list(...) 或 表.index.tolist() 得到一个列表。",
        )
    got, want = set(actual), set(expected)
    if got != want:
        extra, lacking = len(got - want), len(want - got)
        fail(f"「{name}」不对：多了 {extra} 项，少了 {lacking} 项（共应有 {len(want)} 项）。", hint)


def check_series_close(actual, expected, name, hint=None, rel=1e-6):
    """Check a Series (index and values) against the expected one, order ignored."""
    check_answered(actual, name)
    if isinstance(actual, pd.DataFrame) and actual.shape[1] == 1:
        actual = actual.iloc[:, 0]
    if not isinstance(actual, pd.Series):
        fail(f"「{name}」应该是一列数据（Series），现在是{type_name(actual)}。", hint)
    check_same_items(actual.index, expected.index, f"{name}的索引", hint)
    a = actual.reindex(expected.index).astype(float).to_numpy()
    if not np.allclose(a, expected.astype(float).to_numpy(), rtol=rel, atol=1e-9):
        fail(f"「{name}」的数值不对。", hint)
