"""Hidden grading of data tasks: expected values and comparisons, in the clean grading process.

Each project has ``solutions/pNN/teacher/tasks.py`` (teacher only). A task is
a function decorated with :func:`task`, named by its test cell's grade id and
the variables it reads from the student's notebook. It receives the
student's values (decoded from JSON, see ``capture``) and a ``data(name)``
loader of the course datasets, and returns a list of :class:`Result` made by
the comparisons below. Points are shared by weight::

    @task("t1_test", "A类客户数")
    def t1(ans, data):
        orders = data("p07_orders")
        expected = ...
        return [same_number(ans["A类客户数"], expected, "A类客户数", hint="……")]

No student code ever runs in this process; the student's kernel only hands
over values. A hint names the method or the mistake, never the value.

>>> same_number(0.87346, 0.873456, "比率").ok, same_number(0.85, 0.873456, "比率").ok
(True, False)
>>> same_items(["K1", "K2"], ["K2", "K1"], "客户").ok
True
"""

from dataclasses import dataclass

import pandas as pd

from ..course.visible import same_value

TASKS = {}  # filled per tasks.py module: grade id -> Task
MISSING = {"__missing__": True}  # what capture sends for an undefined variable


@dataclass(frozen=True)
class Result:
    """One comparison: passed or not, its weight, and the Chinese message when it failed."""

    ok: bool
    message: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class Task:
    grade_id: str
    names: tuple  # variables read from the student's kernel
    func: object


def task(grade_id, *names):
    """Register a hidden task for the test cell `grade_id`, reading variables `names`."""

    def wrap(func):
        func.task = Task(grade_id, tuple(names), func)
        return func

    return wrap


def tasks_of(module):
    """{grade id: Task} of a loaded tasks.py module."""
    return {f.task.grade_id: f.task for f in vars(module).values() if hasattr(f, "task")}


def _missing(value):
    return isinstance(value, dict) and value.get("__missing__") is True


def _failed(name, problem, hint, weight):
    return Result(False, f"「{name}」{problem}" + (f"提示：{hint}" if hint else ""), weight)


def decode(value):
    """A captured value back as plain Python / pandas (Series and DataFrames were encoded)."""
    if isinstance(value, dict) and "__pandas__" in value:
        kind = value["__pandas__"]
        if kind == "Series":
            return pd.Series(value["values"], index=value["index"], name=value.get("name"))
        if kind == "DataFrame":
            return pd.DataFrame(value["data"], index=value["index"], columns=value["columns"])
        if kind == "Index":
            return list(value["values"])
    return value


def same_number(actual, expected, name, hint=None, weight=1.0, sig=4, integer=False):
    """Right when `actual` equals `expected` to `sig` significant figures (integers exactly)."""
    if _missing(actual):
        return _failed(name, "没有找到（变量没有定义，或作答格运行出错）。", hint, weight)
    actual = decode(actual)
    if isinstance(actual, bool) or not isinstance(actual, (int, float)):
        return _failed(name, "不是一个数。", hint, weight)
    if integer:
        good = float(actual) == float(expected)
    else:
        good = same_value(actual, expected, sig)
    return Result(True, "", weight) if good else _failed(name, "的值不对。", hint, weight)


def same_items(actual, expected, name, hint=None, weight=1.0):
    """Right when `actual` holds exactly the items of `expected` (order ignored)."""
    if _missing(actual):
        return _failed(name, "没有找到（变量没有定义，或作答格运行出错）。", hint, weight)
    actual = decode(actual)
    if isinstance(actual, pd.Series):
        actual = actual.tolist()
    if isinstance(actual, (str, bytes)) or not isinstance(actual, (list, tuple, set)):
        return _failed(name, "不是一个列表。", hint, weight)
    try:
        got = set(actual)
    except TypeError:
        return _failed(name, "里有无法比较的内容。", hint, weight)
    want = set(expected)
    if got == want:
        return Result(True, "", weight)
    return _failed(name, f"不对：多了 {len(got - want)} 项，少了 {len(want - got)} 项。", hint, weight)


def same_text(actual, expected, name, hint=None, weight=1.0):
    """Right when the text equals `expected` after trimming spaces."""
    if _missing(actual) or not isinstance(actual, str):
        return _failed(name, "没有找到，或者不是文字。", hint, weight)
    ok = actual.strip() == str(expected).strip()
    return Result(True, "", weight) if ok else _failed(name, "不对。", hint, weight)


def same_series(actual, expected, name, hint=None, weight=1.0, sig=4):
    """Right when a Series (or a one-column table) has the expected index and values (order ignored)."""
    if _missing(actual):
        return _failed(name, "没有找到（变量没有定义，或作答格运行出错）。", hint, weight)
    actual = decode(actual)
    if isinstance(actual, pd.DataFrame) and actual.shape[1] == 1:
        actual = actual.iloc[:, 0]
    if isinstance(actual, dict):
        actual = pd.Series(actual)
    if not isinstance(actual, pd.Series):
        return _failed(name, "不是一列数据（Series）。", hint, weight)
    got = {str(k): v for k, v in actual.items()}
    want = {str(k): v for k, v in expected.items()}
    if set(got) != set(want):
        return _failed(
            name,
            f"的索引不对：多了 {len(set(got) - set(want))} 项，少了 {len(set(want) - set(got))} 项。",
            hint,
            weight,
        )
    bad = [k for k in want if not same_value(got[k], want[k], sig)]
    if bad:
        return _failed(name, f"有 {len(bad)} 个数值不对。", hint, weight)
    return Result(True, "", weight)


def same_frame(actual, expected, name, columns=None, hint=None, weight=1.0, sig=4, keys=None):
    """Right when a table has the expected rows and values in `columns` (row order ignored).

    Rows are matched on `keys` (columns) or on the index.
    """
    if _missing(actual):
        return _failed(name, "没有找到（变量没有定义，或作答格运行出错）。", hint, weight)
    actual = decode(actual)
    if not isinstance(actual, pd.DataFrame):
        return _failed(name, "不是一个表格（DataFrame）。", hint, weight)
    columns = list(columns or expected.columns)
    lacking = [c for c in columns + list(keys or []) if c not in actual.columns]
    if lacking:
        return _failed(name, f"缺少列：{'、'.join(map(str, lacking))}。", hint, weight)
    a = actual.set_index(list(keys)) if keys else actual
    e = expected.set_index(list(keys)) if keys else expected
    a.index = a.index.map(str)
    e.index = e.index.map(str)
    if len(a) != len(e) or set(a.index) != set(e.index):
        return _failed(name, f"的行不对：应该有 {len(e)} 行，现在有 {len(a)} 行（或者行不一样）。", hint, weight)
    for col in columns:
        for k in e.index:
            want, got = e.at[k, col], a.at[k, col]
            if isinstance(want, (int, float)) and not isinstance(want, bool):
                good = same_value(got, want, sig)
            else:
                good = str(got).strip() == str(want).strip()
            if not good:
                return _failed(name, f"的「{col}」列有数值不对。", hint, weight)
    return Result(True, "", weight)


def score(results, points):
    """(points earned, messages of the failed comparisons) from a task's results."""
    results = list(results)
    total = sum(r.weight for r in results) or 1.0
    earned = points * sum(r.weight for r in results if r.ok) / total
    return round(earned, 2), [r.message for r in results if not r.ok]
