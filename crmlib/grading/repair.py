"""Find and read a submission however it was handed in, and line its cells up with the assignment.

Students rename files, nest them one folder too deep, copy cells, delete a
check cell, type an answer into a new cell, or save with an old nbgrader or
nbformat 3. None of that should cost the points their answers deserve:

* :func:`find_notebook` picks the student's notebook for a project anywhere
  under their folder (any name, any depth, checkpoints skipped);
* :func:`read_notebook` reads nbformat 3 or 4, with or without a BOM, and says
  in Chinese when a file is empty or not a notebook at all;
* :func:`plan` keeps the student's code cells in their order, puts the
  assignment's own version of every locked cell (setup and check cells) in
  place of whatever the student left there, re-inserts deleted check cells
  after their answer cell, and notes every repair in Chinese.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat


class Unreadable(Exception):
    """The submission cannot be read as a notebook (the message is Chinese)."""


def _meta(cell):
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def _norm(src):
    return re.sub(r"\s+", "", "".join(src) if isinstance(src, list) else str(src or ""))


def find_notebook(folder, project, notebook_name):
    """The submitted notebook of `project` under a student's `folder`, or None.

    Prefers the exact name; else any ``*.ipynb`` (not a checkpoint) whose
    grade ids or name say it is this project, newest first.
    """
    folder = Path(folder)
    found = [p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    if not found:
        return None
    exact = [p for p in found if p.name == notebook_name]
    if exact:
        return min(exact, key=lambda p: len(p.parts))

    def score(p):
        hits = 0
        try:
            text = p.read_text(encoding="utf-8-sig", errors="replace")
            hits = len(re.findall(r'"grade_id":\s*"(?:q\d\d|t\d+|written|setup)', text))
        except OSError:
            pass
        return (project in p.name.lower(), hits > 0, hits, p.stat().st_mtime)

    best = max(found, key=score)
    s = score(best)
    return best if (s[0] or s[1] or len(found) == 1) else None


def read_notebook(path):
    """Read a notebook (nbformat 3 or 4) as a v4 NotebookNode; raise Unreadable in Chinese."""
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise Unreadable("文件是空的（0 字节或只有空白），可能是保存时出错或交错了文件。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("文件不是 UTF-8 文本，不是一个笔记本文件。") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise Unreadable(
            f"文件内容不是完整的 JSON（第 {getattr(exc, 'lineno', '?')} 行附近损坏），"
            "可能是复制时被截断或用文本编辑器改坏了。"
        ) from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise Unreadable("文件是 JSON，但不是笔记本（没有 cells）。")
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
    except Exception:  # noqa: BLE001  (old or odd metadata): keep what can be kept
        cells = data.get("cells") or [c for ws in data.get("worksheets", []) for c in ws.get("cells", [])]
        nb = nbformat.v4.new_notebook()
        for c in cells:
            src = c.get("source", c.get("input", ""))
            src = "".join(src) if isinstance(src, list) else str(src)
            new = nbformat.v4.new_code_cell(src) if c.get("cell_type") == "code" else nbformat.v4.new_markdown_cell(src)
            new.metadata = c.get("metadata", {}) or {}
            nb.cells.append(new)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []  # never trust or keep the student's saved outputs (widget state, huge prints)
    nb.metadata.pop("widgets", None)
    return nb


@dataclass
class Step:
    """One code cell to run: its source, and for a check cell the grade id it stands for."""

    source: str
    test_id: str = ""  # grade id of a check cell (its master source is used)
    answer_id: str = ""  # grade id of an answer cell, if the student's cell carries one
    student_index: int = -1  # index in the student's notebook (-1: inserted by the grader)


@dataclass
class Plan:
    steps: list
    repairs: list = field(default_factory=list)  # Chinese notes on what was fixed
    written: str = ""  # the student's written answer (markdown), "" if none found


def _master_parts(master):
    tests, locked_code, order = {}, {}, []
    for cell in master.cells:
        m = _meta(cell)
        gid = m.get("grade_id", "")
        if cell.cell_type == "code" and m.get("grade") and not m.get("solution"):
            tests[gid] = cell.source
        elif cell.cell_type == "code" and m.get("locked") and not m.get("solution"):
            locked_code[gid] = cell.source
        if gid:
            order.append(gid)
    return tests, locked_code, order


def _written_answer(student, master, repairs):
    answers = [c for c in student.cells if c.cell_type == "markdown" and _meta(c).get("grade_id") == "written"]
    if answers:
        if len(answers) > 1:
            repairs.append(f"书面作业格出现了 {len(answers)} 次，取内容最长的一格。")
        return max(answers, key=lambda c: len(c.source)).source
    prompt = next((c for c in master.cells if _meta(c).get("grade_id") == "written_prompt"), None)
    if prompt is None:
        return ""
    for i, c in enumerate(student.cells):
        if c.cell_type == "markdown" and _norm(c.source) == _norm(prompt.source):
            nxt = student.cells[i + 1] if i + 1 < len(student.cells) else None
            if nxt is not None and nxt.cell_type == "markdown":
                repairs.append("书面作业格的评分标记丢了，按位置（题目下面一格）找到了答案。")
                return nxt.source
    repairs.append("没有找到书面作业格，请老师打开原文件看一看。")
    return ""


def plan(student, master):
    """The steps to run for `student` (a v4 notebook) against the `master` (or released) notebook."""
    tests, locked_code, order = _master_parts(master)
    by_source = {_norm(src): gid for gid, src in {**tests, **locked_code}.items()}
    steps, seen, repairs = [], set(), []
    for i, cell in enumerate(student.cells):
        if cell.cell_type != "code":
            continue
        gid = _meta(cell).get("grade_id", "")
        match = gid if gid in tests or gid in locked_code else by_source.get(_norm(cell.source), "")
        if match and not gid:
            repairs.append(f"第 {i + 1} 格的评分标记丢了（可能是旧版或复制的格子），按内容认出它是「{match}」。")
        if match:
            if match in seen:
                repairs.append(f"「{match}」出现了不止一次（复制了格子），多出来的一格不运行。")
                continue
            seen.add(match)
            steps.append(
                Step(locked_code.get(match) or tests[match], test_id=match if match in tests else "", student_index=i)
            )
            continue
        if gid and gid not in order:
            gid = ""
        steps.append(Step(cell.source, answer_id=gid, student_index=i))
    if "setup" in locked_code and "setup" not in seen:
        steps.insert(0, Step(locked_code["setup"]))
        repairs.append("准备格被删掉了，评分时补上了。")
    for gid in order:
        if gid in tests and gid not in seen:
            answer = gid[:-5] if gid.endswith("_test") else ""
            at = max((k for k, s in enumerate(steps) if s.answer_id == answer), default=None)
            if at is None:  # no answer cell either: before the next check cell of the assignment
                at = next(
                    (k - 1 for k, s in enumerate(steps) if s.test_id and order.index(s.test_id) > order.index(gid)),
                    len(steps) - 1,
                )
            steps.insert(at + 1, Step(tests[gid], test_id=gid))
            repairs.append(f"检查格「{gid}」被删掉了，评分时在它的作答格后面补上了。")
    return Plan(steps, repairs, _written_answer(student, master, repairs))
