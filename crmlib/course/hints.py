"""Chinese hints under the Python errors beginners meet most often.

A student who runs a check before the answer cell sees ``NameError: name
'答案1' is not defined`` — English, and no word on what to do. After
``friendly_errors()`` (called by ``crm.setup()``) the usual traceback is still
shown, followed by a Chinese line saying what went wrong and how to fix it.

>>> print(explain(NameError("name '答案1' is not defined")))
「答案1」还没有定义。常见原因：定义它的格子还没有运行，或运行时出了错；也可能是名字写错了（注意中英文标点、全角半角）。请从上往下依次运行，先运行作答格，再运行检查格。
>>> explain(ValueError("x")) is None
True
"""
import re

_NAME = re.compile(r"name '(.+?)' is not defined")


def _name_error(exc):
    m = _NAME.search(str(exc))
    name = m.group(1) if m else "这个名字"
    return (f"「{name}」还没有定义。常见原因：定义它的格子还没有运行，或运行时出了错；"
            "也可能是名字写错了（注意中英文标点、全角半角）。请从上往下依次运行，先运行作答格，再运行检查格。")


def _not_implemented(exc):
    return "这一格还没有作答：删掉 raise NotImplementedError(...) 这一行，在原处写上你的答案，再运行本格和下面的检查格。"


def _key_error(exc):
    key = exc.args[0] if exc.args else ""
    return (f"找不到「{key}」。如果它是列名，请用 表.columns 看看现有的列，检查是否写错"
            "（注意全角、半角和空格）；如果它是行的编号，请确认这一行存在。")


def _file_not_found(exc):
    return ("找不到这个文件。请检查文件名和所在文件夹；课程数据请用 crm.load_dataset(\"名称\") 读取，"
            "不需要写路径。")


HINTS = {NameError: _name_error, NotImplementedError: _not_implemented,
         KeyError: _key_error, FileNotFoundError: _file_not_found}


def explain(exc):
    """The Chinese hint for an exception, or None when there is none."""
    for etype, hint in HINTS.items():
        if isinstance(exc, etype):
            return hint(exc)
    return None


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython custom-exception handler: the normal traceback, then the hint."""
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    hint = explain(value)
    if hint:
        print("💡 提示：" + hint)


def friendly_errors():
    """Show a Chinese hint under common errors in this IPython kernel; return True if active.

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
    shell.set_custom_exc(tuple(HINTS), _handler)
    return True
