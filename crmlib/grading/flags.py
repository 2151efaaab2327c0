"""Suspicious code in a submission: flags for the teacher to read, never automatic zeros.

>>> flags_of(["import crmlib as crm\\ncrm.check_task = print"])
['给模块的属性赋值（crm.check_task = …），可能在改写检查或评分函数']
>>> flags_of(["x = 1"])
[]
"""

import ast
import re

MODULES = {
    "subprocess": "调用外部程序（subprocess）",
    "ctypes": "使用 ctypes（可能让内核崩溃或改内存）",
    "sqlite3": "直接操作数据库（sqlite3）",
    "nbgrader": "调用 nbgrader",
    "socket": "网络连接（socket）",
    "shutil": "复制、删除文件（shutil）",
    "importlib": "动态导入模块（importlib）",
    "signal": "修改信号处理（可能想躲过超时）",
    "multiprocessing": "启动子进程（multiprocessing）",
    "builtins": "修改内置函数（builtins）",
}
CALLS = {
    "os.system": "运行系统命令（os.system）",
    "os.popen": "运行系统命令（os.popen）",
    "os.fork": "创建子进程（os.fork）",
    "os._exit": "强制结束内核（os._exit）",
    "os.kill": "结束进程（os.kill）",
    "os.remove": "删除文件",
    "os.unlink": "删除文件",
    "os.chdir": "切换工作文件夹",
    "exec": "动态执行代码（exec）",
    "eval": "动态执行代码（eval）",
    "get_ipython": "操作 IPython 内核（get_ipython）",
    "__import__": "动态导入（__import__）",
    "setattr": "动态修改属性（setattr）",
}
HOOKS = re.compile(
    r"input_transformers|ast_transformers|events\.register|set_custom_exc|register_magic|sys\.modules"
    r"|sys\.meta_path|sys\.path|__builtins__"
)
OUTSIDE = re.compile(r"""['"](?:/|[A-Za-z]:\\|\.\.[/\\]|~)[^'"]*['"]""")


def _name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _name(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return ""


def _flags_of_tree(tree):
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for n in names:
                root = n.split(".")[0]
                if root in MODULES:
                    out.append(MODULES[root])
                if n.startswith("crmlib.") and not n.startswith("crmlib.tasks"):
                    out.append(f"导入 crmlib 的内部模块（{n}）")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Attribute):
                    out.append(f"给模块的属性赋值（{_name(t)} = …），可能在改写检查或评分函数")
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            for key, text in CALLS.items():
                if (
                    name == key
                    or name.endswith("." + key.split(".")[-1])
                    and key.startswith("os.")
                    and name.startswith("os")
                ):
                    out.append(text)
            if name in ("open", "io.open", "pathlib.Path", "Path") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and OUTSIDE.fullmatch(repr(arg.value)):
                    out.append(f"打开本文件夹以外的路径（{arg.value[:60]}）")
    return out


def flags_of(sources):
    """Chinese descriptions of suspicious things in the student's code cells (deduplicated, in order)."""
    out = []
    for src in sources:
        text = src if isinstance(src, str) else "".join(src)
        try:
            tree = ast.parse("\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("%", "!"))))
            found = _flags_of_tree(tree)
        except SyntaxError:
            found = []
        if HOOKS.search(text):
            found.append("动了 IPython 的钩子、sys.modules 或内置对象")
        if re.search(r"(?m)^\s*[%!]", text):
            found.append("使用魔法命令或 ! 运行系统命令")
        for f in found:
            if f not in out:
                out.append(f)
    return out
