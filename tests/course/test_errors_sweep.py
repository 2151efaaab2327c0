"""Every crmlib function a student can call fails on bad data with a CHINESE message.

A generic sweep: each public callable of ``crmlib`` (``crmlib.__all__`` if it
is defined, else the public functions in ``dir(crmlib)``) gets, as its first
argument, three things students really pass by mistake:

* an empty table (a filter that removed every row),
* a table without the expected columns (the wrong file, a misspelt column),
* a wrong type (the file NAME instead of the loaded table).

It must raise ``crmlib.course.errors.CRMError`` (``check_*`` helpers may raise
``CheckFailed``) whose message contains Chinese, never a ``KeyError``,
``AttributeError`` or ``TypeError`` from inside pandas.

Other required parameters are filled with plausible values (``FILLERS``).
The ``check_*`` helpers are exempt from the "missing columns" case only: they
check exactly the columns they are told to, and by default none.

Functions that take no data at all are listed in ``NO_DATA`` with the reason;
that list is the only way out of the sweep.
"""

import inspect
import re

import pandas as pd
import pytest

import crmlib
from crmlib.course.checks import CheckFailed
from crmlib.course.errors import CRMError

CHINESE = re.compile(r"[\u4e00-\u9fff]")

NO_DATA = {
    "setup": "no arguments (notebook set-up: charts and error hints)",
    "setup_plots": "no arguments (chart style)",
    "use_chinese_font": "no arguments (chart font)",
    "ok": "prints a success message; takes only text",
    "load_dataset": "takes a dataset name; its errors are tested in test_datasets.py",
    "read_csv": "takes a file path; its errors are tested in test_datasets.py",
    "load_bank": "takes a project id (question bank); tested in test_quiz.py",
    "quiz": "takes a project id (practice widget); tested in test_quiz.py",
    "check_choice": "takes an answer text, a question type and options; tested in tests/questions/test_bank.py",
    "check_task": "takes a task id and the student's values; each project's checks are tested per project",
    "score": "takes an optional notebook path; tested in tests/grading/test_selfscore.py",
    "reply_check": "takes a reply text (a file-name string is valid input); tested in tests/topics/test_online_service.py",
    "reply_problems": "takes a reply text; tested in tests/topics/test_online_service.py",
    **{
        name: "takes one text value (a phone, date, name, ID or address string is valid input); "
        "its Chinese errors for unreadable values are tested in tests/topics/test_customer_data.py"
        for name in (
            "mask_address",
            "mask_id",
            "mask_name",
            "mask_phone",
            "name_key",
            "to_halfwidth",
            "clean_code",
            "clean_date",
            "clean_name",
            "clean_phone",
        )
    },
    "check_answer": "takes a question id and an answer text; tested in test_quiz.py",
    "normalize_answer": "takes an answer text; tested in test_quiz.py",
    "check_answered": "accepts any value by design: it only checks that something was assigned",
    "post_profile": "takes a job-post name (text), no data",
    "value_calculator": "takes only slider start values (keywords), no data",
    "self_assessment": "takes a job-post name and a slider start value, no data",
}

# id -> (Chinese description for messages, maker)
BAD_INPUTS = {
    "empty": ("空表", lambda: pd.DataFrame()),
    "missing_columns": ("缺列的表", lambda: pd.DataFrame({"无关列": [1, 2, 3], "备注": ["甲", "乙", "丙"]})),
    "wrong_type": ("文件名字符串（不是表格）", lambda: "客户数据.csv"),
}

# Values for the other required parameters, by parameter name (else 1).
FILLERS = {
    "name": "测试值",
    "expected": lambda: pd.Series({"甲": 1.0, "乙": 2.0}),
    "post": "热线客服专员",
    "customer_id": "K001",
    "total": 100,
    "weights": lambda: [1, 1],
    "key": "A",
    "qtype": "单选",
}


def public_callables():
    names = getattr(crmlib, "__all__", None)
    if names is None:
        names = [n for n in dir(crmlib) if not n.startswith("_")]
    found = {}
    for name in names:
        obj = getattr(crmlib, name)
        if inspect.isclass(obj) or inspect.ismodule(obj) or not callable(obj):
            continue
        found[name] = obj
    return found


FUNCTIONS = public_callables()
SWEPT = sorted(n for n in FUNCTIONS if n not in NO_DATA)


def _call(func, bad):
    sig = inspect.signature(func)
    params = [p for p in sig.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not params:
        pytest.fail(f"{func.__name__}{sig} 没有位置参数，不是接收数据的函数：请把它加进 NO_DATA 并写明理由")
    args = [bad]
    for p in params[1:]:
        if p.default is not p.empty:
            break
        fill = FILLERS.get(p.name, 1)
        args.append(fill() if callable(fill) else fill)
    return func(*args)


def test_no_data_list_is_current():
    stale = sorted(set(NO_DATA) - set(FUNCTIONS))
    assert not stale, f"NO_DATA 里的这些函数已不再由 crmlib 导出，请删掉：{stale}"


@pytest.mark.parametrize("name", SWEPT)
def test_bad_data_gives_a_chinese_error(name):
    """Every kind of bad input, one test per function (the cases of one function fail together, each named)."""
    problems = [problem for case in BAD_INPUTS if (problem := _bad_input_problem(name, case))]
    assert not problems, "\n".join(problems)


def _bad_input_problem(name, case):
    """What is wrong with crm.<name>'s answer to the bad input `case`, or None."""
    func = FUNCTIONS[name]
    what, make = BAD_INPUTS[case]
    bad = make()
    allowed = (CRMError, CheckFailed) if name.startswith("check_") else (CRMError,)
    try:
        result = _call(func, bad)
    except allowed as exc:
        if not CHINESE.search(str(exc)):
            return f"crm.{name}({what}) 的错误信息应是中文：{exc!r}"
        return None
    except Exception as exc:  # noqa: BLE001 - we report what leaked out
        return (
            f"crm.{name}(…{what}…) 抛出了 {type(exc).__name__}: {str(exc)[:300]}；"
            f"学生看不懂，应先校验输入并抛出带中文说明的 CRMError（见 crmlib/errors.py 的 require_*）"
        )
    if name.startswith("check_") and case == "missing_columns":
        return None
    return (
        f"crm.{name}(…{what}…) 没有报错，返回了 {type(result).__name__}；"
        "应抛出带中文说明的 CRMError，告诉学生哪里错了、怎么改"
    )
