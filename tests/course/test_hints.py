"""A corpus of beginner mistakes: each must show its Chinese hint FIRST, then a short traceback.

The cells run in a real IPython shell (in a child process, so this test
session's ``get_ipython()`` stays None) after ``crm.setup()``.
"""

import json
import re
import subprocess
import sys
import textwrap

import pytest

SETUP = """
import pandas as pd
import crmlib as crm
crm.setup()
表 = pd.DataFrame({"客户编号": ["K1", "K2", "K3"], "城市": ["天津", "北京", "天津"],
                  "金额": [1200, 800, 300], "角色": ["采购者", "决策者", "使用者"]})
总金额 = 2300
"""

CORPUS = [  # (code, what the first line must say)
    ("答案1 = “对”", "中文标点「“」"),
    ('答案1 ＝ "对"', "全角等号"),
    ("x = [1，2]", "中文逗号"),
    ("print（1）", "中文左括号"),
    ("答案1 = C", '要加英文引号，例如 答案1 = "C"'),
    ("答案2 = 对", "要加英文引号"),
    ('表[(表["城市"] == "天津") and (表["金额"] > 100)]', "用 & 表示"),
    ('if 表["金额"] > 100:\n    pass', "用 & 表示"),
    ('"26000" * 1.5', "不能直接做算术"),
    ('表["金额"] + "元"', "不能直接做算术"),
    ('"100" + 5', "不能直接做算术"),
    ('表.loc[0, "金额"] = "暂无"', "数字列，不能写入文字"),
    ('表["城市名"]', "你是不是想写「城市」"),
    ('表.groupby("角色名")["金额"].sum()', "你是不是想写「角色」"),
    ('表.groupyb("城市")', "你是不是想写 .groupby"),
    ('表["金额"].summ()', "你是不是想写 .sum"),
    ('表["金额"] == 表["金额"].head(2)', "长度（行数）不一样"),
    ("表.iloc[10]", "超出了范围"),
    ("[1, 2][5]", "超出了范围"),
    ("1 / 0", "除数是 0"),
    ('总金额 / len(表[表["城市"] == "拉萨"])', "除数是 0"),
    ('raise NotImplementedError("本题还没有作答")', "删掉 raise NotImplementedError"),
    ("未定义变量 + 1", "「未定义变量」还没有定义"),
    ("print(总金颔)", "你是不是想写「总金额」"),
    ("import panda", "没有名为「panda」的模块"),
    ('open("客户.csv")', "crm.load_dataset"),
    ('crm.abc_classify("客户数据.csv")', "输入有误"),
    ("crm.rfm_table(表)", "输入有误"),
    ('表[表["金额"] > "5000"]', "数字和文字比较"),
    ("def f(a, b):\n    return a\nf(1)", "少给了 1 个参数"),
    ('表("城市")', "不是函数"),
    ("for x in range(3)\n    print(x)", "冒号"),
    ('print("abc)', "没有配对"),
    ("if True:\nprint(1)", "缩进"),
    ('表["新列"] = [1, 2]', "长度（行数）不一样"),
    ('pd.to_numeric(pd.Series(["1", "暂无"]))', "转不成数字"),
    ('crm.check_number("12", "平均处理时长")', "检查未通过"),
]

RUNNER = textwrap.dedent("""
    import contextlib, io, json, re, sys
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance(colors="nocolor")
    shown = []
    shell._showtraceback = lambda etype, value, stb: shown.append(shell.InteractiveTB.stb2text(stb))
    cases = json.loads(sys.stdin.read())
    out = []
    with contextlib.redirect_stdout(io.StringIO()):
        ready = shell.run_cell(cases["setup"])
    assert ready.success, ready.error_in_exec
    for cell in cases["cells"]:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            for pre in cell["before"]:
                shell.run_cell(pre)
            buf.truncate(0); buf.seek(0); shown.clear()
            result = shell.run_cell(cell["code"])
        text = "\\n".join(shown) + buf.getvalue()
        out.append({"text": re.sub(r"\\x1b\\[[0-9;]*m", "", text), "failed": not result.success})
    print(json.dumps(out, ensure_ascii=False))
""")


def run_cells(cells):
    payload = json.dumps({"setup": SETUP, "cells": cells}, ensure_ascii=False)
    done = subprocess.run(
        [sys.executable, "-c", RUNNER], input=payload, capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def results():
    cells = [{"before": [], "code": code} for code, _ in CORPUS]
    cells.append({"before": ['答案3 = "A"', "答案3 = “B”"], "code": 'crm.check_choice(答案3, "单选", "ABCD")'})
    return run_cells(cells)


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("index", range(len(CORPUS)), ids=[c[0][:20] for c in CORPUS])
def test_hint_comes_first(results, index):
    code, expected = CORPUS[index]
    got = results[index]
    assert got["failed"], f"{code!r} 应该运行失败"
    lines = [line for line in got["text"].splitlines() if line.strip()]
    assert lines, f"{code!r} 没有输出"
    head = "\n".join(lines[:2])
    assert expected in head, f"{code!r}: 第一行应有「{expected}」，实际输出：\n{got['text'][:800]}"
    assert re.search(r"[\u4e00-\u9fff]", lines[0]), f"{code!r}: 第一行应是中文提示：{lines[0]}"
    assert "site-packages" not in got["text"], f"{code!r}: 库内部的调用应折叠：\n{got['text'][:1500]}"


def test_check_after_a_failed_answer_cell_says_so(results):
    got = results[-1]
    assert got["failed"] and "上一格没有运行成功" in got["text"] and "√" not in got["text"]
