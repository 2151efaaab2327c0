"""End to end through nbgrader, as a teacher would run it, in a temporary course directory.

For every assignment in solutions/ (the tiny fixture p99 while there is none):
generate_assignment → three students with Chinese names submit (a) the model
solution, (b) the untouched student copy, (c) the solution with one concept
answer made wrong → autograde → export with the course's CSV plugin.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from nbgrader.api import Gradebook

from crmlib.questions import question

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = sorted({p.parent for p in (ROOT / "solutions").glob("p*/*.ipynb")})
ASSIGNMENTS = REAL or [FIXTURES / "solutions" / "p99"]
STUDENTS = {"2024001": ("张", "小明"), "2024002": ("李", "小红"), "2024003": ("王", "小刚")}
SOLVED, UNTOUCHED, ONE_WRONG = STUDENTS
GRADE_CALL = re.compile(r'grade_choice\(\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*"([^"]*)"\s*\)')


def bank_dir(master_dir):
    """Where the assignment's question bank lives (the fixture has its own)."""
    return FIXTURES / "exercises" if master_dir.is_relative_to(FIXTURES) else ROOT / "exercises"


def course_env(master_dir):
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    env.update(CRM_EXERCISES=str(bank_dir(master_dir)), PYTHONUTF8="1", JUPYTER_PLATFORM_DIRS="1")
    # nbgrader runs the `alembic` command to create its database: the venv's scripts must be on PATH.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def nbgrader(course, env, *args):
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}"],
                          cwd=course, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} 失败：\n{done.stdout}\n{done.stderr}"
    return done


def wrong_answer(qid, key, master_dir):
    """A valid answer to `qid` that differs from `key`."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRM_EXERCISES", str(bank_dir(master_dir)))
        q = question(qid)
    if q.type == "判断":
        return "错" if key == "对" else "对"
    candidates = list(q.letters) if q.type == "单选" else [q.letters[:2], q.letters[0]]
    return next(c for c in candidates if c != key)


def with_one_wrong_answer(nb, master_dir):
    """Change the first concept answer that a hidden grade_choice test checks."""
    sources = ["".join(c["source"]) for c in nb["cells"]]
    qid, var, key = next(m.groups() for src in sources for m in GRADE_CALL.finditer(src))
    assign = re.compile(rf'^({re.escape(var)}\s*=\s*)"[^"]*"', re.M)
    index = next(i for i, src in enumerate(sources)
                 if nb["cells"][i]["metadata"].get("nbgrader", {}).get("solution") and assign.search(src))
    nb["cells"][index]["source"] = assign.sub(rf'\g<1>"{wrong_answer(qid, key, master_dir)}"', sources[index])
    return nb


def submit(course, project, student, notebooks):
    folder = course / "grading" / "submitted" / student / project
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        (folder / name).write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "timestamp.txt").write_text("2025-03-10 09:00:00.000000 UTC")


def read_nb(path):
    return json.loads(path.read_text(encoding="utf-8"))


def grade_assignment(master_dir, course):
    """The whole teacher workflow for one assignment in the empty folder `course`."""
    project = master_dir.name
    shutil.copy(ROOT / "nbgrader_config.py", course)  # its root and database follow the file
    shutil.copytree(master_dir, course / "solutions" / project)
    (course / "grading").mkdir()  # git-ignored in the repo; sqlite needs the folder
    env = course_env(master_dir)
    nbgrader(course, env, "generate_assignment", project, "--force")

    db_url = "sqlite:///" + (course / "grading" / "gradebook.db").as_posix()
    with Gradebook(db_url, course_id="crm") as gb:
        for sid, (last, first) in STUDENTS.items():
            gb.update_or_create_student(sid, last_name=last, first_name=first)
    masters = {p.name: read_nb(p) for p in sorted(master_dir.glob("*.ipynb"))}
    released = {name: read_nb(course / "notebooks" / project / name) for name in masters}
    first = next(iter(masters))
    wrong = dict(masters, **{first: with_one_wrong_answer(read_nb(master_dir / first), master_dir)})
    for sid, notebooks in ((SOLVED, masters), (UNTOUCHED, released), (ONE_WRONG, wrong)):
        submit(course, project, sid, notebooks)

    nbgrader(course, env, "autograde", project)
    nbgrader(course, env, "export")
    with Gradebook(db_url, course_id="crm") as gb:
        assignment = gb.find_assignment(project)
        scores = {sid: gb.find_submission(project, sid).code_score for sid in STUDENTS}
        return {"course": course, "project": project, "max": assignment.max_code_score, "scores": scores}


@pytest.fixture(scope="module")
def all_graded(tmp_path_factory):
    """Grade every assignment at once (each in its own course folder); futures by project."""
    pool = ThreadPoolExecutor(max_workers=len(ASSIGNMENTS))
    futures = {d.name: pool.submit(grade_assignment, d, tmp_path_factory.mktemp(f"course-{d.name}"))
               for d in ASSIGNMENTS}
    yield futures
    pool.shutdown()


@pytest.fixture(params=ASSIGNMENTS, ids=[p.name for p in ASSIGNMENTS])
def graded(request, all_graded):
    return all_graded[request.param.name].result()


def test_solution_gets_full_auto_points(graded):
    assert graded["max"] > 0
    assert graded["scores"][SOLVED] == pytest.approx(graded["max"])


def test_untouched_release_gets_zero(graded):
    assert graded["scores"][UNTOUCHED] == 0


def test_one_wrong_concept_answer_gives_partial_points(graded):
    assert 0 < graded["scores"][ONE_WRONG] < graded["max"]


def test_export_is_excel_ready_csv_with_chinese_names(graded):
    path = graded["course"] / "成绩.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    table = pd.read_csv(path, dtype={"学号": str})
    assert list(table.columns) == ["作业", "截止时间", "提交时间", "学号", "姓", "名", "邮箱",
                                   "原始得分", "迟交扣分", "得分", "满分"]
    rows = table.set_index("学号")
    assert rows.loc[SOLVED, "姓"] == "张" and rows.loc[SOLVED, "名"] == "小明"
    assert rows.loc[SOLVED, "作业"] == graded["project"]
    assert rows.loc[SOLVED, "得分"] == pytest.approx(graded["scores"][SOLVED])
    assert rows.loc[UNTOUCHED, "得分"] == 0
    assert str(rows.loc[SOLVED, "提交时间"]).startswith("2025-03-10 09:00:00")
