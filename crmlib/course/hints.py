"""Chinese hints first, then a short traceback: the errors beginners meet most often.

After ``friendly_errors()`` (called by ``crm.setup()``) a failed cell shows,
in this order: a Chinese line saying what went wrong and how to fix it; then
Python's own error, shortened to the student's code (library frames are
folded into one line). The cell still fails, so grading still sees it.
Code that Python cannot even read (full-width punctuation, Chinese quotes,
unclosed brackets) is caught *before* the cell runs, with the line and the
character named.

>>> print(explain(NameError("name '答案1' is not defined")))
「答案1」还没有定义。常见原因：定义它的格子还没有运行，或者运行时出了错；也可能是名字写错了。请从上往下依次运行，先运行作答格，再运行检查格。
>>> print(explain(NameError("name 'C' is not defined")))
Python 把 C 当成了一个变量名。选择题的答案是文字，要加英文引号，例如 答案1 = "C"。
>>> explain(ValueError("x")) is None
True
>>> print(syntax_hint("答案1 = “对”"))
第 1 行有中文标点「“」（中文左引号）。代码里的标点要用英文半角：引号写成 "，等号写成 =，逗号写成 ,，括号写成 ( )。（中文只能写在引号里面或 # 后面。）
"""

import difflib
import re
import types

FULL_WIDTH = {
    "“": "中文左引号",
    "”": "中文右引号",
    "‘": "中文单引号",
    "’": "中文单引号",
    "＝": "全角等号",
    "，": "中文逗号",
    "（": "中文左括号",
    "）": "中文右括号",
    "：": "中文冒号",
    "；": "中文分号",
    "［": "全角方括号",
    "］": "全角方括号",
    "＋": "全角加号",
    "－": "全角减号",
    "＊": "全角乘号",
    "／": "全角斜杠",
    "＜": "全角小于号",
    "＞": "全角大于号",
    "。": "中文句号",
    "、": "中文顿号",
    "！": "中文感叹号",
    "｛": "全角大括号",
    "｝": "全角大括号",
    "　": "全角空格",
}
ANSWER_WORDS = set("ABCDEF") | {
    "对",
    "错",
    "正确",
    "错误",
    "AB",
    "AC",
    "AD",
    "BC",
    "BD",
    "CD",
    "ABC",
    "ABD",
    "ACD",
    "BCD",
    "ABCD",
}


# ---------------------------------------------------------------- code that does not parse


def _outside_strings(line, state):
    """Yield (column, char) of characters outside string literals and comments; `state` carries open quotes."""
    i = 0
    while i < len(line):
        ch = line[i]
        quote = state.get("quote")
        if quote:
            if ch == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                state["quote"] = None
                i += len(quote)
                continue
            i += 1
            continue
        if ch == "#":
            return
        if ch in "\"'":
            triple = line[i : i + 3]
            state["quote"] = triple if triple in ('"""', "'''") else ch
            i += len(state["quote"])
            continue
        yield i, ch
        i += 1
    if state.get("quote") in ('"', "'"):
        state["quote"] = None  # a one-line string never continues onto the next line


def syntax_hint(source, error=None):
    """The Chinese explanation of why `source` does not parse (full-width punctuation first)."""
    state = {}
    for n, line in enumerate(source.splitlines(), 1):
        for _, ch in _outside_strings(line, state):
            if ch in FULL_WIDTH:
                return (
                    f"第 {n} 行有中文标点「{ch}」（{FULL_WIDTH[ch]}）。代码里的标点要用英文半角："
                    '引号写成 "，等号写成 =，逗号写成 ,，括号写成 ( )。（中文只能写在引号里面或 # 后面。）'
                )
    if error is None:
        return None
    where = f"第 {error.lineno} 行" if getattr(error, "lineno", None) else "这一格"
    msg = str(getattr(error, "msg", error))
    if isinstance(error, IndentationError):
        return f"{where}的缩进（行首的空格）不对。同一层的代码要对齐；if、for、def 下面的代码要多缩进 4 个空格。"
    if "was never closed" in msg or "unexpected EOF" in msg or "unterminated" in msg or "EOL" in msg:
        return f'{where}有括号或引号没有配对：每个 ( [ {{ " 都要有对应的 ) ] }} "。'
    if "expected ':'" in msg:
        return f"{where}末尾少了英文冒号 :（if、for、def 这一行的末尾要加）。"
    if "invalid character" in msg:
        return f"{where}有 Python 不认识的字符（常见的是中文标点或全角符号），请改成英文半角。"
    return (
        f"{where}的写法 Python 看不懂。常见原因：括号或引号没配对、漏了逗号或冒号、用了中文标点、"
        "把 = 写成了 ==（或反过来）。"
    )


class CodeNotReadable(Exception):
    """A cell Python cannot parse; raised in place of the cell with the Chinese hint and Python's own words."""

    def __init__(self, hint, detail):
        super().__init__(hint)
        self.hint, self.detail = hint, detail

    def _render_traceback_(self):
        return [f"\x1b[1;31m提示：\x1b[0m{self.hint}", "", f"（Python 的原话：{self.detail}）"]


def _check_parses(lines):
    """IPython input transformer (first phase): replace an unparsable cell by one that raises CodeNotReadable.

    Cells with IPython syntax (%magics, !commands) are judged after IPython's own translation.
    """
    source = "".join(lines)
    try:
        compile(source, "<cell>", "exec")
        return lines
    except SyntaxError as exc:
        try:
            from IPython.core.inputtransformer2 import TransformerManager

            compile(TransformerManager().transform_cell(source), "<cell>", "exec")
            return lines
        except SyntaxError:
            pass
        except Exception:  # noqa: BLE001  (IPython could not translate it either: report the first error)
            pass
        hint = syntax_hint(source, exc)
        detail = f"{type(exc).__name__}: {exc.msg}（第 {exc.lineno} 行）"
    return [f"raise __import__('crmlib.course.hints', fromlist=['_']).CodeNotReadable({hint!r}, {detail!r})\n"]


# ---------------------------------------------------------------- errors while running


def _name_error(exc, ctx):
    m = re.search(r"name '(.+?)' is not defined", str(exc))
    name = m.group(1) if m else "这个名字"
    if name in ANSWER_WORDS:
        return f'Python 把 {name} 当成了一个变量名。选择题的答案是文字，要加英文引号，例如 答案1 = "{name}"。'
    close = difflib.get_close_matches(name, [k for k in ctx.get("names", []) if not k.startswith("_")], n=1)
    guess = f"你是不是想写「{close[0]}」？" if close else ""
    return (
        f"「{name}」还没有定义。{guess}常见原因：定义它的格子还没有运行，或者运行时出了错；也可能是名字写错了。"
        "请从上往下依次运行，先运行作答格，再运行检查格。"
    )


def _key_error(exc, ctx):
    key = exc.args[0] if exc.args else ""
    key = re.sub(r"^Column not found: ", "", str(key)) if isinstance(key, str) else key
    cols = ctx.get("columns")
    if cols:
        close = difflib.get_close_matches(str(key), [str(c) for c in cols], n=1, cutoff=0.3)
        guess = f"你是不是想写「{close[0]}」？" if close else ""
        return (
            f"表格里没有名为「{key}」的列。{guess}现有的列：{'、'.join(map(str, list(cols)[:15]))}。"
            "注意全角、半角和空格。"
        )
    return (
        f"找不到「{key}」。如果它是列名，请用 表.columns 看看现有的列（注意全角、半角和空格）；"
        "如果它是行的编号，请确认这一行存在。"
    )


def _attribute_error(exc, ctx):
    m = re.search(r"'(\w+)' object has no attribute '(\w+)'", str(exc))
    if not m:
        return None
    kind, attr = m.groups()
    options = ctx.get("attributes", [])
    close = difflib.get_close_matches(attr, options, n=1, cutoff=0.6)
    guess = f"你是不是想写 .{close[0]}？" if close else ""
    col = ""
    if ctx.get("columns") is not None and kind == "DataFrame":
        col = '如果它是列名，请用 表["列名"] 取列。'
    return f"{kind} 没有叫 .{attr} 的方法或属性。{guess}{col}检查拼写和大小写。"


def _type_error(exc, ctx):
    text = str(exc)
    if re.search(
        r"can't multiply sequence|can only concatenate str|unsupported operand type.*'str'|"
        r"did not contain a loop with signature|must be str, not|ufunc .* not supported for the input",
        text,
    ):
        return (
            "有一个值是文字（字符串），不能直接做算术。去掉数字两边的引号；如果是从表格读来的列，"
            "用 pd.to_numeric(列) 或 .astype(float) 转成数字。"
        )
    if re.search(
        r"not supported between instances of '(int|float)' and 'str'|'(str)' and '(int|float)'|"
        r"Invalid comparison between dtype=\w+ and str",
        text,
    ):
        return '在拿数字和文字比较大小。数字不要加引号，例如写 表["金额"] > 5000，而不是 > "5000"。'
    if re.search(r"Invalid value .* for dtype|cannot set a value|Cannot setitem on a Categorical", text):
        return "这一列是数字列，不能写入文字。写入数字（不加引号），或者先新建一列文字列。"
    m = re.search(r"missing (\d+) required positional argument", text)
    if m:
        return f"调用函数时少给了 {m.group(1)} 个参数。把光标放在函数名后按 Shift+Tab，可以看到它需要哪些参数。"
    m = re.search(r"'(\w+)' object is not callable", text)
    if m:
        return f'{m.group(1)} 不是函数，不能在后面加圆括号调用。取列、取行用方括号：表["列名"]。'
    if "unhashable type" in text:
        return "这里需要一个单独的值（比如一个列名），却给了一个列表或表格。检查方括号是不是多了一层。"
    return None


def _value_error(exc, ctx):
    text = str(exc)
    if "truth value of a" in text and "ambiguous" in text:
        return (
            "两组条件不能用 and / or 连接。筛选表格时用 & 表示“并且”、| 表示“或者”，"
            '每个条件都加圆括号，例如 表[(表["城市"] == "天津") & (表["金额"] > 100)]。'
        )
    if "identically-labeled" in text or "Lengths must match" in text or "Length of values" in text:
        return "两组数据的长度（行数）不一样，不能逐行比较或赋值。检查它们是不是来自同一张表、有没有一组被筛选过。"
    if "could not convert string to float" in text or "Unable to parse string" in text:
        return "有的值是文字，转不成数字。先看一看这一列里有没有“暂无”“-”这样的文字，再决定去掉还是替换。"
    return None


def _index_error(exc, ctx):
    return (
        "取的位置超出了范围：这张表（或这个列表）没有那么多行。用 len(表) 看一看有几行；"
        "位置从 0 开始数，最后一行是 -1。"
    )


def _zero_division(exc, ctx):
    return "除数是 0。检查分母：是不是筛选后一行都不剩了，或者某一组的数量是 0？"


def _not_implemented(exc, ctx):
    return (
        "这一格还没有作答：删掉 raise NotImplementedError(...) 这一行，在原处写上你的代码，再运行本格和下面的检查格。"
    )


def _file_not_found(exc, ctx):
    return '找不到这个文件。请检查文件名和所在文件夹；课程数据请用 crm.load_dataset("名称") 读取，不需要写路径。'


def _module_not_found(exc, ctx):
    name = getattr(exc, "name", "") or ""
    return (
        f"没有名为「{name}」的模块。检查拼写（例如 pandas 不要写成 panda，crmlib 不要写成 crmlb）；"
        "本课程用到的软件都已经装好了。"
    )


def _unicode_error(exc, ctx):
    return '文件的编码读不出来。课程里的 CSV 请用 crm.read_csv("文件名") 读取，它认得 UTF-8 和 GBK。'


HINTS = [
    (NotImplementedError, _not_implemented),
    (NameError, _name_error),
    (KeyError, _key_error),
    (AttributeError, _attribute_error),
    (TypeError, _type_error),
    (ValueError, _value_error),
    (IndexError, _index_error),
    (ZeroDivisionError, _zero_division),
    (ModuleNotFoundError, _module_not_found),
    (FileNotFoundError, _file_not_found),
    (UnicodeDecodeError, _unicode_error),
]


def explain(exc, ctx=None):
    """The Chinese hint for an exception (with context from the failing code), or None."""
    for etype, hint in HINTS:
        if isinstance(exc, etype):
            text = hint(exc, ctx or {})
            if text:
                return text
    return None


def _context(tb, shell):
    """Names, and the columns/attributes of the innermost pandas object seen in the traceback."""
    import pandas as pd

    ctx = {"names": list(getattr(shell, "user_ns", {}) or {})}
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        for value in list(frame.f_locals.values()):
            obj = getattr(value, "obj", value)  # a GroupBy knows its frame
            if isinstance(obj, pd.DataFrame):
                ctx.setdefault("columns", list(obj.columns))
                ctx.setdefault("attributes", [a for a in dir(obj) if not a.startswith("_")])
            elif isinstance(obj, pd.Series):
                ctx.setdefault("attributes", [a for a in dir(obj) if not a.startswith("_")])
        if "columns" in ctx:
            break
    return ctx


def _is_user_frame(frame):
    name = frame.f_code.co_filename
    return name.startswith("<ipython-input") or bool(re.search(r"ipykernel_\d+[/\\]\d+\.py$", name)) or name == "<cell>"


def _shorten(tb):
    """(traceback with only the student's frames, number of library frames folded)."""
    frames, folded = [], 0
    while tb is not None:
        if _is_user_frame(tb.tb_frame):
            frames.append(tb)
        elif frames:  # library code called from the student's code (IPython's own frames before it are not counted)
            folded += 1
        tb = tb.tb_next
    new = None
    for t in reversed(frames):
        new = types.TracebackType(new, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return new, folded


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython custom-exception handler: show the Chinese hint first, then the shortened traceback.

    IPython discards what a handler returns when it catches the exception
    while running a cell, so the handler shows it itself (an ``error``
    output in a kernel, which still marks the cell as failed).
    """
    stb = _structured(shell, etype, value, tb, tb_offset)
    shell._showtraceback(etype, value, stb)
    return stb


def _structured(shell, etype, value, tb, tb_offset):
    if hasattr(value, "_render_traceback_"):
        return value._render_traceback_()
    try:
        hint = explain(value, _context(tb, shell))
        short, folded = _shorten(tb)
        if short is not None:  # the library's own earlier exceptions are internals too
            value.__cause__, value.__context__, value.__suppress_context__ = None, None, True
        stb = shell.InteractiveTB.structured_traceback(etype, value, short or tb, tb_offset=0 if short else tb_offset)
        head = []
        if hint:
            head = [f"\x1b[1;31m提示：\x1b[0m{hint}", ""]
        if folded and short is not None:
            head.append(
                f"\x1b[2m（下面是 Python 的原始报错，只保留了你写的代码；库内部的 {folded} 层调用已折叠）\x1b[0m"
            )
        return head + stb
    except Exception:  # noqa: BLE001  (never let the helper hide the real error)
        return shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)


def friendly_errors():
    """Install the hints in this IPython kernel (once); return True if active.

    Outside IPython (a plain script, the test suite) it does nothing.

    >>> friendly_errors()
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((Exception,), _handler)
    if _check_parses not in shell.input_transformers_cleanup:
        shell.input_transformers_cleanup.insert(0, _check_parses)
    return True
