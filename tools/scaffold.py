#!/usr/bin/env python3
"""python course.py new pNN slug 标题 — scaffold a learning project that passes the quick tests as it stands.

It writes every file CONTRIBUTING.md §1 lists, each holding one small, real
example of its kind (one dataset, one data task with its visible and hidden
check, one graded and one practice question, one fact, one written task),
registers the project in the manifest as ``draft``, then generates the data,
the quiz cells and the student copy. Writing the project = replacing the
examples and adding more. Nothing existing is overwritten.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def say(msg):
    print(f"[new] {msg}", flush=True)


def md(source, gid, **extra):
    meta = {"grade": False, "grade_id": gid, "locked": True, "schema_version": 3, "solution": False, "task": False}
    meta.update(extra)
    return {"cell_type": "markdown", "metadata": {"nbgrader": meta}, "source": source}


def code(source, gid=None, **extra):
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
    if gid:
        meta = {"grade": False, "grade_id": gid, "locked": False, "schema_version": 3, "solution": False, "task": False}
        meta.update(extra)
        cell["metadata"]["nbgrader"] = meta
    return cell


def master(pid, number, title):
    ds = f"{pid}_example"
    cells = [
        md(
            f"# 学习项目{number} {title}\n\n**学习目标**\n\n- 知识技能目标\n  - （写本项目要掌握的知识和技能）\n"
            "- 素质目标\n  - （用自己的话写要养成的职业素质）\n\n**建议课时**：4 课时。\n\n"
            "**本项目满分 9 分**：自动评分 4 分（课后习题 2 分 + 实践训练 2 分），教师评分 5 分。\n\n"
            "**使用说明**：从上到下依次运行每个代码格；检查格出现 `√` 表示格式对了，出现 `×` 时按提示修改。",
            "title",
        ),
        code(
            "import pandas as pd\nimport matplotlib.pyplot as plt\nimport crmlib as crm\ncrm.setup()",
            "setup",
            locked=True,
        ),
        md("## 课前导读\n\n（一个原创的小案例，引出本项目的问题。）", "intro"),
        md(f"## 任务提出\n\n（虚构公司里的一项具体工作任务。）本项目的示例数据 `{ds}` 有 12 个月的接待量。", "task"),
        code(f'示例 = crm.load_dataset("{ds}")\n示例.head()'),
        md("## 相关知识点\n\n### 知识点1 （名称）\n\n（讲解，再用数据演示。）", "k1"),
        md("## 解决方案\n\n（用 crmlib 一步步完成任务。）", "solution_head"),
        code('示例.groupby("季度")["接待量"].sum()'),
        md("## 课后习题", "quiz_head"),
        md("## 实践训练", "practice_head"),
        md(
            "### 任务 1　全年接待量（2 分）\n\n把 12 个月的接待量加起来，存入变量 `全年接待量`（一个整数）。"
            "提示：先想清楚是对哪一列求和。",
            "t1_prompt",
        ),
        code(
            '### BEGIN SOLUTION\n全年接待量 = int(示例["接待量"].sum())\n### END SOLUTION\n全年接待量',
            "t1",
            solution=True,
        ),
        code(f'crm.check_task("{pid}-t1", 全年接待量)', "t1_test", grade=True, locked=True, points=2),
        md(
            "### 书面作业（5 分，教师评分）\n\n（写任务要求。）\n\n**评分标准**\n\n| 评分项 | 分值 | 得分要求 |\n"
            "|---|---|---|\n| 内容 | 3 | （要点） |\n| 表达 | 2 | （要点） |",
            "written_prompt",
        ),
        {
            "cell_type": "markdown",
            "source": "（参考答案，发布时会被替换。）",
            "metadata": {
                "nbgrader": {
                    "grade": True,
                    "grade_id": "written",
                    "locked": False,
                    "points": 5,
                    "schema_version": 3,
                    "solution": True,
                    "task": False,
                }
            },
        },
        md("## 小结\n\n- [ ] 我能……", "summary"),
    ]
    meta = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return {"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


FILES = {
    "solutions/{pid}/teacher/graded.yaml": """# 评分题库（只给教师）：课后习题由 python course.py release 从这里生成。
project: {pid}
questions:
  - id: {pid}-g01
    type: 判断
    point: 知识点1
    stem: （示例题，请替换）把一年 12 个月的接待量相加，就得到全年接待量。
    answer: 对
    explanation: 全年合计就是各月之和。
""",
    "solutions/{pid}/teacher/tasks.py": '''"""Hidden grading of {pid}'s data tasks (teacher only; runs in the clean grading process)."""
from crmlib.grading.judge import same_number, task


@task("t1_test", "全年接待量")
def t1(ans, data):
    expected = int(data("{pid}_example")["接待量"].sum())
    return [same_number(ans["全年接待量"], expected, "全年接待量", integer=True, hint="对接待量这一列求和。")]
''',
    "solutions/{pid}/teacher/facts.py": '''"""Every figure the prose of {pid} states about its data, with the code that checks it."""
from crmlib.course.facts import fact


@fact("示例数据 `{pid}_example` 有 12 个月的接待量")
def twelve_months(data):
    return len(data("{pid}_example")) == 12
''',
    "solutions/{pid}/teacher/aid.md": "# {pid} 书面作业 · 教师辅助\n\n（事实清单和参考答案要点；数据里没有的内容标“（假设）”。）\n",
    "solutions/{pid}/teacher/practice_key.yaml": "# 练习题库的答案（只给教师）\n{pid}-01: 错\n",
    "exercises/{pid}.yaml": """project: {pid}
title: {title}
questions:
  - id: {pid}-01
    type: 判断
    stem: （示例练习题，请替换）全年接待量等于各月接待量的平均数。
    explanation: 全年合计是各月之和，不是平均数。
""",
    "crmlib/tasks/{pid}.py": '''"""Visible checks of {pid}'s data tasks: shape, range and the named mistakes; never the right value."""
from ..course.datasets import load_dataset
from ..course.visible import not_mistaken, number


def t1(value):
    """全年接待量 (an integer)."""
    v = number(value, "全年接待量", minimum=0, integer=True)
    months = load_dataset("{pid}_example")["接待量"]
    not_mistaken(v, {{"求了平均数，而不是把 12 个月加起来": months.mean()}}, "全年接待量")
''',
    "crmlib/generators/{pid}.py": '''"""Synthetic data of project {pid} {title} (a small example to replace).

>>> make_example().shape
(12, 3)
"""
import pandas as pd

from . import Dataset
from .common import rng

SEED = {seed}


def make_example():
    """Twelve months of contacts of a fictional service desk."""
    r = rng(SEED)
    months = pd.period_range("2025-01", periods=12, freq="M")
    return pd.DataFrame({{"月份": months.astype(str), "季度": [f"Q{{(m.month - 1) // 3 + 1}}" for m in months],
                         "接待量": r.integers(800, 1600, size=12)}})


DATASETS = {{"{pid}_example": Dataset(make_example, "示例：每月接待量")}}
''',
    "datasets/{pid}.md": """# {pid} {title} · 数据卡

### {pid}_example — 示例：每月接待量

| 列 | 含义 | 单位 / 取值 |
|---|---|---|
| 月份 | 统计月份 | `2025-01` … `2025-12` |
| 季度 | 所在季度 | `Q1` … `Q4` |
| 接待量 | 当月接待的来电或会话数 | 次 |
""",
}


def add_to_manifest(pid, slug, title):
    from crmlib.course.manifest import MANIFEST, projects

    known = {p.id: p for p in projects()}
    text = MANIFEST.read_text(encoding="utf-8")
    if pid in known:
        if known[pid].status != "planned":
            raise SystemExit(f"{pid} 已经是 {known[pid].status} 状态的项目，不能再新建。")
        block = re.compile(rf"- id: {pid}\n  slug: .*\n  title: .*\n  status: planned")
        text = block.sub(f"- id: {pid}\n  slug: {slug}\n  title: {title}\n  status: draft", text)
    else:
        text = text.rstrip() + f"\n- id: {pid}\n  slug: {slug}\n  title: {title}\n  status: draft\n"
    MANIFEST.write_text(text, encoding="utf-8")


def add_facade_section(pid, title):
    init = ROOT / "crmlib" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    name = pid.upper()
    if f"\n{name} = " in text:
        return
    text = text.replace("\nSECTIONS = {", f"\n# --- {pid} {title} ---\n{name} = []\n\nSECTIONS = {{")
    # SECTIONS is written one entry per line with a trailing comma (ruff format's layout)
    text = re.sub(r"(SECTIONS = \{[^}]*?),?\s*\}", lambda m: m.group(1) + f',\n    "{pid}": {name},\n}}', text, count=1)
    init.write_text(text, encoding="utf-8")


def scaffold(pid, slug, title):
    if not re.fullmatch(r"p\d\d", pid):
        raise SystemExit(f"项目编号「{pid}」的格式不对：写成 p10 这样（p + 两位数字）。")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", slug):
        raise SystemExit(f"英文短名「{slug}」只能用小写字母、数字和下划线，例如 key_accounts。")
    number = int(pid[1:])
    nb_path = ROOT / "solutions" / pid / f"{pid}_{slug}.ipynb"
    targets = [ROOT / f.format(pid=pid) for f in FILES] + [nb_path]
    existing = [str(p.relative_to(ROOT)) for p in targets if p.exists()]
    if existing:
        raise SystemExit(f"这些文件已经存在，不会覆盖：{'、'.join(existing)}")
    add_to_manifest(pid, slug, title)
    add_facade_section(pid, title)
    for pattern, content in FILES.items():
        path = ROOT / pattern.format(pid=pid)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content.format(pid=pid, title=title, seed=20250000 + number), encoding="utf-8")
    nb_path.parent.mkdir(parents=True, exist_ok=True)
    nb_path.write_text(json.dumps(master(pid, number, title), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    py = sys.executable
    code = [str(ROOT / pattern.format(pid=pid)) for pattern in FILES if pattern.endswith(".py")]
    subprocess.run([py, "-m", "ruff", "format", "--quiet", *code], cwd=ROOT, check=True)  # the quick tier checks it
    subprocess.run([py, "-m", "crmlib.generators", pid], cwd=ROOT, check=True)
    subprocess.run([py, str(ROOT / "tools" / "release.py"), pid], cwd=ROOT, check=True)
    say(f"已新建学习项目 {pid} {title}：从 {nb_path.relative_to(ROOT)} 开始写，写法见 CONTRIBUTING.md。")


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("用法：python course.py new p10 slug 中文标题")
        return 2
    scaffold(*args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
