"""Grading speed: ``course.py grade`` vs stock ``nbgrader autograde`` on the same class, in the same run.

A throw-away course holds p01 and `n` submissions (the solution, with the
quiz answers varied so the class is not uniform). Stock autograde runs
first, sequentially, as nbgrader does; then ``grade_class`` with one worker
per core. Budget: ours ≤ 0.6 × stock (issue: "Grading that no student can
game or break").
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 0.6


def _course(tmp, n):
    sys.path.insert(0, str(ROOT / "tests"))
    import nbformat
    from support import make_course

    make_course(tmp, projects=("p01",))
    master = nbformat.read(ROOT / "solutions" / "p01" / "p01_crm_work.ipynb", as_version=4)
    ids = [f"s{k:03d}" for k in range(n)]
    for k, sid in enumerate(ids):
        nb = nbformat.from_dict(master)
        if k % 3 == 1:
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == "q02":
                    cell.source = '答案2 = "错"'
        folder = Path(tmp) / "grading" / "submitted" / sid / "p01"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "p01_crm_work.ipynb")
    return ids


def run(n=40):
    """Time both graders on `n` submissions; print and return the figures."""
    from crmlib.grading import gradebook
    from crmlib.grading.grader import grade_class, load_assignment, submissions

    with tempfile.TemporaryDirectory(prefix="crm-bench-grade-") as tmp:
        tmp = Path(tmp)
        ids = _course(tmp, n)
        gradebook.ensure_assignment(tmp, "p01")
        gradebook.add_students(tmp, ids)
        env = {**os.environ, "CRM_GRADER": "1"}
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", "p01", "--force"],
            cwd=tmp,
            env=env,
            capture_output=True,
            check=True,
        )
        stock = time.perf_counter() - start
        a = load_assignment("p01", tmp)
        start = time.perf_counter()
        outcomes = grade_class(a, submissions(tmp, "p01", a.notebook_name))
        for o in outcomes:
            gradebook.record(tmp, a, o)
        ours = time.perf_counter() - start
    return {
        "n": n,
        "stock_s": stock,
        "ours_s": ours,
        "ratio": ours / stock,
        "budget": BUDGET,
        "workers": os.cpu_count(),
        "within_budget": ours / stock <= BUDGET,
    }


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 40))
