"""Helpers shared by the test suite (import as ``import support``; tests/conftest.py puts tests/ on sys.path)."""

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLYPH_RE = re.compile(r"missing from font|Glyph \d+.*missing|findfont: Font family .* not found")
HEADINGS = ["课前导读", "任务提出", "相关知识点", "解决方案", "课后习题", "实践训练", "小结"]
EMOJI_RE = re.compile("[\u2705\u274c\U0001f4a1\u26a0\U0001f300-\U0001faff\u2714\u2716\u2718]")


def load_file(path, name):
    """Import the Python file `path` as module `name` (teacher files are not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cached_load(name):
    """``crm.load_dataset(name)``: read once per test process (load_dataset keeps the frame), a copy per call."""
    from crmlib.course.datasets import load_dataset

    return load_dataset(name)


def passes_by_task(teacher, answers):
    """{grade id: True if every check of that task passes} for a loaded teacher/tasks.py module."""
    from crmlib.grading.judge import tasks_of

    return {gid: all(r.ok for r in t.func(answers, cached_load)) for gid, t in tasks_of(teacher).items()}


def check_round_trip(teacher, answers, wrong):
    """The solution passes every task, a blank submission none, and `wrong(value)` in one answer fails one task."""
    assert all(passes_by_task(teacher, answers).values()), "the solution gets full points"
    blank = {name: {"__missing__": True} for name in answers}
    assert not any(passes_by_task(teacher, blank).values()), "a blank submission gets nothing"
    for name in answers:  # one wrong answer costs only its own task
        result = passes_by_task(teacher, dict(answers, **{name: wrong(answers[name])}))
        assert sum(not ok for ok in result.values()) == 1, name


@dataclass(frozen=True)
class CourseNotebook:
    """A released project: its master in solutions/ and its student copy in notebooks/."""

    project: str
    master: Path
    released: Path

    @property
    def teacher(self):
        return self.master.parent / "teacher"

    def __str__(self):
        return self.project


def course_notebooks():
    """Every project the manifest releases whose master exists, in order."""
    from crmlib.course.manifest import released_projects

    out = []
    for p in released_projects():
        master = ROOT / "solutions" / p.id / p.notebook
        if master.exists():
            out.append(CourseNotebook(p.id, master, ROOT / "notebooks" / p.id / p.notebook))
    return out


def read_notebook(path):
    import nbformat

    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell):
    return nbgrader_meta(cell).get("grade_id", "")


def is_auto_graded(cell):
    m = nbgrader_meta(cell)
    return bool(m.get("grade")) and not m.get("solution") and cell.cell_type == "code"


def is_manually_graded(cell):
    m = nbgrader_meta(cell)
    return bool(m.get("grade")) and bool(m.get("solution"))


def cell_label(nb, cell):
    gid = grade_id(cell)
    return f"第 {nb.cells.index(cell) + 1} 格" + (f"（{gid}）" if gid else "")


def output_texts(cell):
    """Every piece of text a code cell printed (streams, errors, text/plain)."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield out.get("name", ""), out.get("text", "")
        elif out.get("output_type") == "error":
            yield "error", "\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}"
        else:
            data = out.get("data", {})
            if "text/plain" in data:
                yield "text/plain", data["text/plain"]


def execute(path, timeout=300):
    """Run a notebook in a fresh kernel as a student's would (inline charts); return the executed copy."""
    import os

    from nbclient import NotebookClient

    nb = read_notebook(path)
    saved = os.environ.pop("MPLBACKEND", None)
    try:
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(Path(path).parent)}},
        ).execute()
    finally:
        if saved is not None:
            os.environ["MPLBACKEND"] = saved
    return nb


def make_course(dest, projects=("p01", "p07")):
    """A throw-away course for grading tests: config, masters and student copies of `projects`, under git."""
    import shutil
    import subprocess

    dest = Path(dest)
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    for sub in ("solutions", "notebooks"):
        for p in projects:
            if (ROOT / sub / p).exists():
                shutil.copytree(ROOT / sub / p, dest / sub / p)
    (dest / ".gitignore").write_text("/grading/\n", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-qm", "course"], cwd=dest, check=True)
    return dest
