"""``python course.py grade pNN``: grade a class in sandboxed kernels; judge in a clean process.

For each submission (in parallel, one worker per core):

1. find and read the notebook however it was handed in (``repair``);
2. copy nothing but what it needs into a scratch folder outside the
   repository and run its cells there in a fresh kernel (``kernel``,
   ``sandbox``), with a time limit per cell and an output cap; a cell that
   hangs or kills the kernel is skipped and the rest still runs;
3. at every check cell, run the assignment's own visible check (feedback)
   and take the student's answer values as JSON (``capture``);
4. judge those values here, where no student code ever runs, against keys
   and expected values computed from the course data (``judge``);
5. check that the repository's tracked files and every other submission are
   byte-identical to before; any change stops the run, naming the submission.

At the end the results go into nbgrader's gradebook (so formgrader,
feedback and export work as usual) and ``grading/autograded/`` holds each
graded copy: the student's cells with their outputs, the check cells with
their score and Chinese message, and no hidden test, key or expected value.
"""

import ast
import concurrent.futures
import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course.paths import course_root
from ..questions.answers import canonical
from ..questions.graded import load_graded
from . import judge
from .flags import flags_of
from .kernel import CellTimeout, Kernel, KernelDied
from .repair import Unreadable, find_notebook, plan, read_notebook

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CAPTURE = "__import__('crmlib.grading.capture', fromlist=['_']).dumps({names!r}, globals())"
MAX_RESTARTS = 3


class IntegrityError(Exception):
    """A submission changed a repository file or another submission (the message is Chinese)."""


# ---------------------------------------------------------------- the assignment


@dataclass
class Assignment:
    """Everything the judge needs about one project, loaded once per run."""

    project: str
    root: Path
    master: object  # the master notebook (solutions/)
    released: object  # the student copy (notebooks/): metadata with nbgrader checksums
    notebook_name: str
    points: dict  # test grade id -> points
    quiz: dict  # test grade id -> (variable, Question, canonical key)
    tasks: dict  # test grade id -> judge.Task
    _data: dict = field(default_factory=dict)

    def data(self, name):
        """A course dataset (loaded once, handed out as a copy)."""
        from ..course.datasets import load_dataset

        if name not in self._data:
            self._data[name] = load_dataset(name)
        return self._data[name].copy()

    def names_for(self, test_id):
        if test_id in self.quiz:
            return [self.quiz[test_id][0]]
        if test_id in self.tasks:
            return list(self.tasks[test_id].names)
        return []


def _load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_assignment(project, root=None):
    """Load master, student copy, graded pool and hidden tasks of `project` (teacher side)."""
    from ..course.manifest import project as manifest_project

    root = Path(root or course_root() or ".")
    p = manifest_project(project)
    master_path = root / "solutions" / project / p.notebook
    released_path = root / "notebooks" / project / p.notebook
    if not master_path.exists() or not released_path.exists():
        raise SystemExit(f"找不到 {project} 的母版或学生版（{master_path.name}）。请先运行 python course.py release。")
    master = nbformat.read(master_path, as_version=4)
    released = nbformat.read(released_path, as_version=4)
    points, quiz = {}, {}
    for cell in master.cells:
        m = cell.metadata.get("nbgrader", {})
        if m.get("grade") and not m.get("solution"):
            points[m["grade_id"]] = float(m.get("points", 0))
    teacher = root / "solutions" / project / "teacher"
    if (teacher / "graded.yaml").exists():
        pool = list(load_graded(teacher / "graded.yaml", project))
        for n, q in enumerate(pool, 1):
            quiz[f"q{n:02d}_test"] = (f"答案{n}", q, canonical(q, q.answer))
    tasks = {}
    if (teacher / "tasks.py").exists():
        tasks = judge.tasks_of(_load_module(teacher / "tasks.py", f"crm_tasks_{project}"))
    unknown = [g for g in points if g not in quiz and g not in tasks]
    if unknown:
        raise SystemExit(f"{project} 的检查格 {'、'.join(unknown)} 在评分题库和 tasks.py 里都没有对应的评分规则。")
    return Assignment(project, root, master, released, p.notebook, points, quiz, tasks)


# ---------------------------------------------------------------- one submission


@dataclass
class Outcome:
    """The result of grading one submission."""

    student: str
    scores: dict = field(default_factory=dict)  # test grade id -> points earned
    messages: dict = field(default_factory=dict)  # test grade id -> Chinese failure messages
    repairs: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    notebook: object = None  # the graded copy
    timestamp: object = None
    written: bool = False

    def total(self):
        return round(sum(self.scores.values()), 2)


def judge_answers(assignment, test_id, answers):
    """(points, [messages]) for one check cell from the captured answer values."""
    pts = assignment.points[test_id]
    if test_id in assignment.quiz:
        var, q, key = assignment.quiz[test_id]
        value = answers.get(var, judge.MISSING)
        if judge._missing(value) or value in ("", None):
            return 0.0, [f"「{var}」没有作答。"]
        try:
            given = canonical(q, value)
        except Exception as exc:  # noqa: BLE001  (any unreadable answer is simply wrong, with the reason)
            return 0.0, [f"「{var}」的格式不对：{exc}"]
        return (pts, []) if given == key else (0.0, [f"「{var}」答错了。"])
    task = assignment.tasks[test_id]
    try:
        results = task.func(answers, assignment.data)
        return judge.score(results, pts)
    except Exception as exc:  # noqa: BLE001  (a value of an unexpected shape): no points, a clear note
        return 0.0, [f"答案的形式无法核对（{type(exc).__name__}），请检查变量的类型。"]


def _capture(kernel, names, timeout):
    if not names:
        return {}
    _, reply = kernel.run("", timeout=timeout, expressions={"v": CAPTURE.format(names=names)})
    got = (reply.get("user_expressions") or {}).get("v", {})
    if got.get("status") != "ok":
        return {}
    try:
        return json.loads(ast.literal_eval(got["data"]["text/plain"]))
    except (ValueError, SyntaxError, KeyError, TypeError):
        return {}


def _soften(outputs):
    """Check-cell outputs as plain text on stdout (an error or stderr there must not decide the grade)."""
    text = []
    for out in outputs:
        if out["output_type"] == "stream":
            text.append(out["text"])
        elif out["output_type"] == "error":
            text.append(ANSI.sub("", "\n".join(out.get("traceback") or [f"{out['ename']}: {out['evalue']}"])) + "\n")
        elif "text/plain" in out.get("data", {}):
            text.append(str(out["data"]["text/plain"]) + "\n")
    return [{"output_type": "stream", "name": "stdout", "text": "".join(text)}] if text else []


def _score_outputs(earned, pts, messages):
    line = f"【评分】本题 {earned:g} / {pts:g} 分。" + ("" if not messages else " " + " ".join(messages))
    outs = [{"output_type": "stream", "name": "stdout", "text": line + "\n"}]
    if earned <= 0:
        outs.append(
            {
                "output_type": "error",
                "ename": "未得分",
                "evalue": " ".join(messages) or "答案不正确。",
                "traceback": [line],
            }
        )
    elif earned < pts:
        outs.append(
            {
                "output_type": "execute_result",
                "execution_count": None,
                "metadata": {},
                "data": {"text/plain": f"{earned:g}"},
            }
        )
    return outs


def run_submission(assignment, student_nb, timeout=60, sandbox=True, workdir=None):
    """Run a submission's plan in a fresh sandboxed kernel; return (Plan, outputs per step, answers, problems, note)."""
    the_plan = plan(student_nb, assignment.released)
    outputs, answers, problems, skipped, note = {}, {}, [], set(), ""
    scratch = Path(tempfile.mkdtemp(prefix="crm-grade-", dir=workdir))
    try:
        start, restarts = 0, 0
        while True:
            kernel = Kernel(scratch / f"k{restarts}", sandbox=sandbox)
            note = kernel.note
            failed_at = None
            try:
                for i, step in enumerate(the_plan.steps):
                    if i in skipped:
                        continue
                    replay = i < start
                    try:
                        outs, _ = kernel.run(step.source, timeout=timeout)
                        if not replay:
                            outputs[i] = outs
                        if step.test_id and not replay:
                            answers[step.test_id] = _capture(kernel, assignment.names_for(step.test_id), timeout)
                    except CellTimeout:
                        failed_at, why = i, f"超过 {timeout} 秒还没有运行完（死循环或太慢），已停止并跳过这一格"
                        break
                    except KernelDied:
                        failed_at, why = i, "让内核崩溃或退出了（如 os._exit、内存耗尽），已跳过这一格"
                        break
            finally:
                kernel.kill()
            if failed_at is None:
                break
            problems.append(f"第 {the_plan.steps[failed_at].student_index + 1} 格{why}；前后其他格照常评分。")
            outputs[failed_at] = [{"output_type": "stream", "name": "stdout", "text": f"【评分】这一格{why}。\n"}]
            skipped.add(failed_at)
            start, restarts = failed_at + 1, restarts + 1
            if restarts >= MAX_RESTARTS:
                problems.append(f"内核已经重启 {MAX_RESTARTS} 次，后面的格子不再运行。")
                skipped.update(range(failed_at + 1, len(the_plan.steps)))
                break
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return the_plan, outputs, answers, problems, note


def _released_meta(assignment):
    return {
        c.metadata["nbgrader"]["grade_id"]: c
        for c in assignment.released.cells
        if c.metadata.get("nbgrader", {}).get("grade_id")
    }


def graded_copy(assignment, student_nb, the_plan, outputs, scored):
    """The graded notebook: student cells in order, the assignment's check cells with scores."""
    meta = _released_meta(assignment)
    used, cells = set(), []
    step_of = {s.student_index: (i, s) for i, s in enumerate(the_plan.steps) if s.student_index >= 0}
    inserted = {}
    last = -1
    for i, s in enumerate(the_plan.steps):
        if s.student_index >= 0:
            last = s.student_index
        else:
            inserted.setdefault(last, []).append((i, s))

    def code_cell(i, s):
        gid = s.test_id or s.answer_id
        cell = nbformat.v4.new_code_cell(s.source)
        if gid and gid not in used and gid in meta:
            cell.metadata["nbgrader"] = dict(meta[gid].metadata["nbgrader"])
            used.add(gid)
        outs = outputs.get(i, [])
        if s.test_id:
            earned, msgs = scored.get(s.test_id, (0.0, ["没有运行到这一格。"]))
            outs = _soften(outs) + _score_outputs(earned, assignment.points[s.test_id], msgs)
        cell.outputs = [nbformat.from_dict(o) for o in outs]
        return cell

    for i in sorted(inserted.get(-1, [])):
        cells.append(code_cell(*i))
    for idx, cell in enumerate(student_nb.cells):
        if cell.cell_type == "code":
            if idx in step_of:
                cells.append(code_cell(*step_of[idx]))
        else:
            new = nbformat.v4.new_markdown_cell(cell.source)
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if gid == "written" and the_plan.written and cell.source != the_plan.written:
                gid = ""
            if gid in meta and gid not in used:
                new.metadata["nbgrader"] = dict(meta[gid].metadata["nbgrader"])
                used.add(gid)
            cells.append(new)
        for pair in sorted(inserted.get(idx, [])):
            cells.append(code_cell(*pair))
    if "written" in meta and "written" not in used:
        # recovered by position, or missing: a cell that carries the written task's grade
        w = nbformat.v4.new_markdown_cell(the_plan.written or meta["written"].source)
        w.metadata["nbgrader"] = dict(meta["written"].metadata["nbgrader"])
        cells.append(w)
    nb = nbformat.v4.new_notebook(cells=cells, metadata=dict(assignment.released.metadata))
    return nb


def grade_submission(assignment, student, path, timeout=60, sandbox=True, workdir=None):
    """Grade one student's file (or None when nothing was handed in); return an Outcome."""
    out = Outcome(student, scores={g: 0.0 for g in assignment.points})
    if path is None:
        out.problems.append(f"没有找到 {assignment.project} 的笔记本文件。")
        return out
    out.timestamp = _timestamp(path)
    try:
        student_nb = read_notebook(path)
    except Unreadable as exc:
        out.problems.append(f"文件「{Path(path).name}」读不出来：{exc}")
        return out
    the_plan, outputs, answers, problems, note = run_submission(assignment, student_nb, timeout, sandbox, workdir)
    out.repairs, out.problems = the_plan.repairs, problems
    if note:
        out.problems.insert(0, note)
    out.flags = flags_of([s.source for s in the_plan.steps if not s.test_id])
    scored = {}
    for test_id in assignment.points:
        earned, msgs = judge_answers(assignment, test_id, answers.get(test_id, {}))
        scored[test_id] = (earned, msgs)
        out.scores[test_id], out.messages[test_id] = earned, msgs
    out.notebook = graded_copy(assignment, student_nb, the_plan, outputs, scored)
    out.written = bool(the_plan.written.strip())
    return out


def _timestamp(path):
    """The submission time: timestamp.txt beside (or above) the notebook, else the file's time."""
    for folder in [Path(path).parent, *Path(path).parents][:3]:
        ts = folder / "timestamp.txt"
        if ts.exists():
            text = ts.read_text(encoding="utf-8", errors="replace").strip()
            try:
                return dt.datetime.fromisoformat(text.replace(" UTC", "+00:00"))
            except ValueError:
                break
    return dt.datetime.fromtimestamp(Path(path).stat().st_mtime, dt.timezone.utc)


# ---------------------------------------------------------------- integrity


def snapshot(root, extra_dirs=()):
    """{path: sha256} of the repository's tracked files and of every file under `extra_dirs`."""
    root = Path(root)
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
        files = [root / p for p in listed.decode("utf-8").split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        skip = {".venv", ".git", "grading", "my_work"}
        files = [p for p in root.rglob("*") if p.is_file() and not (set(p.relative_to(root).parts) & skip)]
    for d in extra_dirs:
        files += [p for p in Path(d).rglob("*") if p.is_file()]
    out = {}
    for p in files:
        try:
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError:
            out[str(p)] = None
    return out


def check_integrity(before, after, student):
    """Raise IntegrityError naming `student` if anything in `before` changed."""
    changed = [p for p in before if after.get(p) != before[p]] + [p for p in after if p not in before]
    if changed:
        raise IntegrityError(
            f"评分已停止：运行学号 {student} 的作业之后，下面的文件被改动了："
            f"{'、'.join(changed[:5])}{' 等' if len(changed) > 5 else ''}。"
            "请用 git status 查看并恢复（git checkout -- 文件），再单独检查这份作业。"
        )


# ---------------------------------------------------------------- the class


def submissions(root, project, notebook_name, students=None):
    """[(student id, notebook path or None)] under grading/submitted/ (or the given students)."""
    base = Path(root) / "grading" / "submitted"
    ids = students or sorted(p.name for p in base.iterdir() if p.is_dir()) if base.exists() else (students or [])
    out = []
    for sid in ids:
        folder = base / sid
        path = None
        if folder.exists():
            path = find_notebook(folder / project if (folder / project).exists() else folder, project, notebook_name)
        out.append((sid, path))
    return out


def grade_class(assignment, subs, timeout=60, workers=None, sandbox=True, on_done=None):
    """Grade every (student, path) in parallel; check integrity after each; return Outcomes in order."""
    root = assignment.root
    submitted = root / "grading" / "submitted"
    before = snapshot(root, [submitted] if submitted.exists() else [])
    workers = workers or os.cpu_count() or 1
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(grade_submission, assignment, sid, path, timeout, sandbox): sid for sid, path in subs}
        for fut in concurrent.futures.as_completed(futures):
            sid = futures[fut]
            results[sid] = fut.result()
            check_integrity(before, snapshot(root, [submitted] if submitted.exists() else []), sid)
            if on_done:
                on_done(results[sid])
    return [results[sid] for sid, _ in subs]


def summary(outcomes, assignment):
    """The Chinese report printed at the end of a run, one block per student."""
    total = sum(assignment.points.values())
    lines = [f"{assignment.project} 自动评分结果（自动评分部分满分 {total:g} 分）："]
    for o in outcomes:
        lines.append(f"- {o.student}：{o.total():g} / {total:g}")
        for label, items in (
            ("已修复", o.repairs),
            ("需要注意", o.problems),
            ("可疑代码（请老师看一看，不自动扣分）", o.flags),
        ):
            if items:
                lines.append(f"    {label}：" + "；".join(items))
        lost = [f"{g}（{'；'.join(m)}）" for g, m in o.messages.items() if m]
        if lost:
            lines.append("    未得满分：" + "、".join(lost))
        if not o.written and o.notebook is not None and "written" in _released_meta(assignment):
            lines.append("    书面作业：没有写（或没有找到）。")
    return "\n".join(lines)
