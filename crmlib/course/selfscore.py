"""``crm.score()``: a self-learner's real score, from the notebook itself.

It runs the same grader as the teacher's ``python course.py grade`` on the
notebook's last *saved* version (press Ctrl+S first), in a separate process,
and prints a Chinese report per question: points, and for what failed the
hint, never the answer. It needs the teacher's materials (the full course
repository); in a class release they are absent and it says so.
"""

import os
import subprocess
import sys
from pathlib import Path

from .errors import CRMError
from .paths import course_root


def _notebook_path():
    """The path of the running notebook (JupyterLab tells the kernel), or None."""
    for key in ("JPY_SESSION_NAME",):
        value = os.environ.get(key)
        if value and value.endswith(".ipynb"):
            return Path(value)
    try:
        from IPython import get_ipython

        session = (get_ipython() or {}).user_ns.get("__session__") if get_ipython() else None
    except ImportError:
        session = None
    return Path(session) if session and str(session).endswith(".ipynb") else None


def score(notebook=None):
    """Grade the saved notebook (default: the one running) and print the report."""
    root = course_root()
    if root is None:
        print(
            "本机只有学生版课程（没有教师的评分材料），所以不能自己评分。作业提交后，老师评分时会给出每题的得分和提示。"
        )
        return None
    path = Path(notebook) if notebook else _notebook_path()
    if path is None or not path.exists():
        raise CRMError('找不到要评分的笔记本文件。请先按 Ctrl+S 保存，或者写成 crm.score("p01_crm_work.ipynb")。')
    print(f"正在评分：{path.name}（用的是最后一次保存的版本；刚改过的话请先按 Ctrl+S 保存）……", flush=True)
    out = subprocess.run(
        [sys.executable, str(root / "course.py"), "score", "--notebook", str(path.resolve())],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=root,
    )
    print(out.stdout.strip() or out.stderr.strip()[-2000:])
    return out.returncode == 0
