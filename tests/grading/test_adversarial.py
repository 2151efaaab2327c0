"""Careless and adversarial submissions, graded through ``course.py grade``'s engine on p01.

Each kind of submission is graded as a fair teacher would grade it. Then, for
the whole run: the repository is unchanged, no submission touched another's
grade or the gradebook, and no feedback holds a hidden test, key or expected value.
"""

import copy
import re
import time

import nbformat
import pytest

from crmlib.grading import gradebook
from crmlib.grading.grader import grade_class, load_assignment, snapshot, submissions
from crmlib.grading.sandbox import sandbox_available
from support import make_course

pytestmark = pytest.mark.full
P = "p01"
FULL = None  # set from the assignment

PLAIN_MEAN_T1 = '热线一组解决率 = 绩效[绩效["班组"] == "热线一组"].groupby("坐席编号")["一次解决率"].mean()'


def gid(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def wrong_letter(a, key):
    var, q, k = a.quiz[key]
    if q.type == "判断":
        return "错" if k == "对" else "对"
    letters = q.letters or "ABCD"
    if q.type == "单选":
        return next(ch for ch in letters if ch != k)
    return letters[0] if k != letters[0] else letters[:2]


def solution(a):
    return copy.deepcopy(a.master)


def all_wrong(a):
    """Every quiz answer wrong and every data-task variable set to None (works for any project)."""
    return generic_wrong(a)


def after_setup(nb, code):
    i = next(k for k, c in enumerate(nb.cells) if gid(c) == "setup")
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(code))
    return nb


def after(nb, grade_id, code):
    i = next(k for k, c in enumerate(nb.cells) if gid(c) == grade_id)
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(code))
    return nb


# What the attack does with a key file it finds: answers in the order the quiz numbers them (答案1, 答案2, …).
ANSWERS_OF = """
pool = yaml.safe_load(open(path, encoding="utf-8"))
_found = [q["answer"] for item in pool["questions"] for q in (item.get("questions") or [item])]
"""


def test_the_key_hunt_would_score_full_marks_if_it_found_the_key():
    """The control for s05/t05_reads_key scoring 0: with the key file in hand, the attack's answers are exactly
    the graded answers, question by question, so only the sandbox stands between it and full marks."""
    import yaml

    from crmlib.questions.graded import answer_name, key_of, load_graded
    from support import ROOT

    for project in ("p01", "p07"):
        path = ROOT / "solutions" / project / "teacher" / "graded.yaml"
        found = {"yaml": yaml, "path": path}
        exec(ANSWERS_OF, found)
        pool = load_graded(path, project)
        key = key_of(pool)
        assert {answer_name(n): a for n, a in enumerate(found["_found"], 1)} == {
            answer_name(n): key[q.id] for n, q in enumerate(pool, 1)
        }, project


# Looks for the key everywhere a student would (relative and absolute repository paths, a few levels under /, and
# every folder the kernel can read: crmlib, the environment, home, /tmp, /srv, /opt, /var), once per kernel, and
# sets what it found before every check. Not "/**": /usr/bin/X11 -> . makes that search endless on Debian.
READ_KEY = (
    """
import glob, os, sys, yaml, crmlib
if "_found" not in globals():
    _found = []
    key = "solutions/p01/teacher/graded.yaml"
    patterns = ["../../../../" + key, "{root}/" + key, "/*/" + key, "/*/*/" + key, "/*/*/*/" + key]
    for top in [os.path.dirname(crmlib.__file__), sys.prefix, sys.base_prefix, os.path.expanduser("~"),
                os.path.dirname("{root}"), "/tmp", "/srv", "/home", "/opt", "/var", "/work"]:
        patterns.append(os.path.join(top, "**", "p01", "teacher", "graded.yaml"))  # this project's, not another's
    for pattern in patterns:
        for path in glob.glob(pattern, recursive=True)[:1] if not _found else []:
"""
    + "\n".join("            " + line for line in ANSWERS_OF.strip().splitlines())
    + """
    print("找到的答案文件：", len(_found))
for n, answer in enumerate(_found, 1):
    globals()[f"答案{{n}}"] = answer
"""
)

GRADEBOOK = """
import glob
for db in glob.glob("{root}/grading/gradebook.db") + glob.glob("../../**/gradebook.db", recursive=True):
    from nbgrader.api import Gradebook
    with Gradebook("sqlite:///" + db) as gb:
        for g in gb.db.query(__import__("nbgrader").api.Grade).all():
            g.manual_score = 999
        gb.db.commit()
"""

DETACHED = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(4)
        open("{root}/grading/pwned.txt", "w").write("x")
        open("{root}/solutions/p01/teacher/graded.yaml", "a").write("# pwned")
        os._exit(0)
    os._exit(0)
"""

SABOTAGE = """
import crmlib, os
for path in ["{root}/notebooks/p01/p01_crm_work.ipynb", crmlib.__file__,
             os.path.join(os.path.dirname(crmlib.__file__), "course", "checks.py")]:
    try:
        open(path, "a").write("\\n# sabotage\\n")
    except OSError as exc:
        print("blocked", exc)
try:
    os.remove("{root}/grading/submitted/s02_blank/p01/p01_crm_work.ipynb")
except OSError as exc:
    print("blocked", exc)
"""

PATCH_KERNEL = """
import crmlib as crm, crmlib.course.visible as v, crmlib.grading.capture as cap, math, numpy as np, builtins
crm.check_task = lambda *a, **k: print("√ 全对")
v.same_value = lambda a, b, sig=4: True
math.isclose = lambda *a, **k: True
np.allclose = lambda *a, **k: True
crm.team_kpis = lambda *a, **k: None
real = cap.dumps
cap.dumps = lambda names, ns: real(names, ns)
get_ipython().input_transformers_post.append(lambda lines: [] if any("check_task" in l for l in lines) else lines)
"""

HUGE = 'print("客" * 60_000_000)'
CRASH = "import os\nos._exit(3)"
SEGFAULT = "import ctypes\nctypes.string_at(0)"
HANG = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
NETWORK = (
    "import socket\ns = socket.socket()\ntry:\n    s.connect(('127.0.0.1', 22))\n"
    "except OSError as exc:\n    print('no network', exc)"
)


def kinds(a, root):
    """[(student id, writer(folder), expected auto points)]: every kind of submission this test grades."""
    full = sum(a.points.values())
    t1pts = a.points["t1_test"]
    q1pts = a.points["q01_test"]

    def nb_writer(make, name=None, depth=("p01",), version=4):
        def write(folder):
            nb = make()
            path = folder.joinpath(*depth) / (name or a.notebook_name)
            path.parent.mkdir(parents=True, exist_ok=True)
            if version == 3:
                nb = nbformat.convert(nb, 3)
                path.write_text(nbformat.writes(nb, version=3), encoding="utf-8")
            else:
                nbformat.write(nb, path)

        return write

    def raw_writer(text):
        def write(folder):
            (folder / "p01").mkdir(parents=True)
            (folder / "p01" / a.notebook_name).write_text(text, encoding="utf-8")

        return write

    def strip_meta(nb):
        for c in nb.cells:
            c.metadata.pop("nbgrader", None)
        return nb

    def old_meta(nb):
        for c in nb.cells:
            if "nbgrader" in c.metadata:
                c.metadata["nbgrader"]["schema_version"] = 1
                c.metadata["nbgrader"].pop("task", None)
        return nb

    def duplicate(nb, grade_id):
        i = next(k for k, c in enumerate(nb.cells) if gid(c) == grade_id)
        nb.cells.insert(i + 1, copy.deepcopy(nb.cells[i]))
        return nb

    def delete(nb, grade_id):
        nb.cells = [c for c in nb.cells if gid(c) != grade_id]
        return nb

    def answer_in_new_cell(nb):
        i = next(k for k, c in enumerate(nb.cells) if gid(c) == "t2")
        code = nb.cells[i].source
        nb.cells[i].source = "# 请在这里作答\n"
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell(code))
        return nb

    def rounded(nb):
        return after(nb, "t1", "热线一组解决率 = 热线一组解决率.round(4)")

    def widget_state(nb):
        nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"x": {"a": "y" * 1000}}}}
        return nb

    def with_file(write, name, text):
        def w(folder):
            write(folder)
            (folder / "p01" / name).write_text(text, encoding="utf-8")

        return w

    sol = lambda: solution(a)  # noqa: E731
    bad = lambda: all_wrong(a)  # noqa: E731
    r = str(root)
    return [
        ("s01_solution", nb_writer(sol), full),
        ("s02_blank", nb_writer(lambda: copy.deepcopy(a.released)), 0),
        (
            "s03_one_wrong",
            nb_writer(lambda: after(solution(a), "q01", f'答案1 = "{wrong_letter(a, "q01_test")}"')),
            full - q1pts,
        ),
        ("s04_all_wrong", nb_writer(bad), 0),
        ("s05_reads_key", nb_writer(lambda: _before_each_check(all_wrong(a), READ_KEY.format(root=r))), 0),
        ("s06_gradebook", nb_writer(lambda: after_setup(all_wrong(a), GRADEBOOK.format(root=r))), 0),
        ("s07_detached", nb_writer(lambda: after_setup(all_wrong(a), DETACHED.format(root=r))), 0),
        ("s08_sabotage", nb_writer(lambda: after_setup(all_wrong(a), SABOTAGE.format(root=r))), 0),
        ("s09_patches_kernel", nb_writer(lambda: after_setup(all_wrong(a), PATCH_KERNEL)), 0),
        (
            "s10_module_beside",
            with_file(
                nb_writer(bad),
                "crmlib.py",
                "def check_task(*a):\n    print('√')\ndef __getattr__(n):\n    return lambda *a, **k: None\n",
            ),
            0,
        ),
        ("s11_huge_output", nb_writer(lambda: after_setup(solution(a), HUGE)), full),
        ("s12_crash", nb_writer(lambda: after(solution(a), "t1_test", CRASH)), full),
        ("s13_segfault", nb_writer(lambda: after(solution(a), "q03_test", SEGFAULT)), full),
        ("s14_hang", nb_writer(lambda: after(solution(a), "t2_test", HANG)), full),
        ("s15_duplicate_answer", nb_writer(lambda: duplicate(solution(a), "t1")), full),
        ("s16_duplicate_check", nb_writer(lambda: duplicate(solution(a), "t3_test")), full),
        ("s17_no_metadata", nb_writer(lambda: strip_meta(solution(a))), full),
        ("s18_old_metadata", nb_writer(lambda: old_meta(solution(a))), full),
        ("s19_deleted_check", nb_writer(lambda: delete(delete(solution(a), "t1_test"), "q02_test")), full),
        ("s20_answer_new_cell", nb_writer(lambda: answer_in_new_cell(solution(a))), full),
        ("s21_renamed_chinese", nb_writer(sol, name="我的作业（终稿）.ipynb"), full),
        ("s22_too_deep", nb_writer(sol, depth=("p01", "p01")), full),
        ("s23_nbformat3", nb_writer(sol, version=3), full),
        ("s24_corrupt_json", raw_writer(nbformat.writes(solution(a))[:5000]), 0),
        ("s25_empty_file", raw_writer(""), 0),
        ("s26_widget_state", nb_writer(lambda: widget_state(solution(a))), full),
        ("s27_rounded_rates", nb_writer(lambda: rounded(solution(a))), full),
        ("s28_network", nb_writer(lambda: after_setup(all_wrong(a), NETWORK)), 0),
        ("s29_t1_plain_mean", nb_writer(lambda: after(solution(a), "t1", PLAIN_MEAN_T1)), full - t1pts),
        ("s30_nothing_handed_in", lambda folder: folder.mkdir(parents=True, exist_ok=True), 0),
    ]


def _before_each_check(nb, code):
    """`code` in a new cell right before every quiz check (so a key it finds would replace the wrong answers)."""
    cells = []
    for c in nb.cells:
        if re.fullmatch(r"q\d\d_test", gid(c)):
            cells.append(nbformat.v4.new_code_cell(code))
        cells.append(c)
    nb.cells = cells
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("course"), projects=("p01",))


@pytest.fixture(scope="module")
def graded(course):
    a = load_assignment(P, course)
    base = course / "grading" / "submitted"
    table = kinds(a, course)
    for sid, write, _ in table:
        folder = base / sid
        folder.mkdir(parents=True, exist_ok=True)
        write(folder)
    gradebook.ensure_assignment(course, P)
    gradebook.add_students(course, [sid for sid, _, _ in table])
    before = snapshot(course)
    subs = submissions(course, P, a.notebook_name)
    outcomes = {o.student: o for o in grade_class(a, subs, timeout=10)}
    for o in outcomes.values():
        gradebook.record(course, a, o)
    time.sleep(5)  # give a detached process the time it asked for
    return a, table, outcomes, before


def test_enough_kinds(graded):
    assert len(graded[1]) >= 25


@pytest.mark.parametrize("index", range(30))
def test_each_kind_gets_the_grade_it_deserves(graded, index):
    a, table, outcomes, _ = graded
    sid, _, expected = table[index]
    o = outcomes[sid]
    assert o.total() == pytest.approx(expected), (sid, o.scores, o.problems, o.messages)


def test_repository_unchanged_and_nothing_planted(graded, course):
    _, _, _, before = graded
    assert snapshot(course) == before
    assert not (course / "grading" / "pwned.txt").exists()


def test_gradebook_holds_exactly_the_computed_grades(graded, course):
    from nbgrader.api import Gradebook

    a, table, outcomes, _ = graded
    with Gradebook(gradebook.db_url(course)) as gb:
        for sid, _, expected in table:
            sub = gb.find_submission(P, sid)
            assert sub.code_score == pytest.approx(expected), sid
            assert all(g.manual_score is None for nb in sub.notebooks for g in nb.grades), sid


def test_crashes_and_hangs_are_reported_in_chinese(graded):
    _, _, outcomes, _ = graded
    assert any("超过" in p for p in outcomes["s14_hang"].problems)
    assert any("崩溃" in p for p in outcomes["s12_crash"].problems)
    assert any("读不出来" in p for p in outcomes["s24_corrupt_json"].problems)
    assert any("标记" in r for r in outcomes["s17_no_metadata"].repairs)


def test_graded_copy_output_is_capped(graded, course):
    path = course / "grading" / "autograded" / "s11_huge_output" / P / graded[0].notebook_name
    assert path.stat().st_size < 3_000_000


def test_suspicious_code_is_flagged_not_zeroed(graded):
    _, _, outcomes, _ = graded
    assert outcomes["s06_gradebook"].flags
    assert outcomes["s09_patches_kernel"].flags
    assert outcomes["s28_network"].flags
    assert not outcomes["s01_solution"].flags


def test_feedback_holds_no_key_or_hidden_test(graded, course):
    a, _, _, _ = graded
    done = gradebook.feedback(course, P, ["s02_blank", "s04_all_wrong"])
    assert done == ["s02_blank", "s04_all_wrong"]
    for sid in done:
        html = next((course / "grading" / "feedback" / sid / P).glob("*.html")).read_text(encoding="utf-8")
        assert "HIDDEN" not in html and "same_series" not in html and "graded.yaml" not in html
        for var, q, key in a.quiz.values():
            assert f'{var} = "{key}"' not in html
        assert "【评分】" in html


@pytest.mark.skipif(not sandbox_available(), reason="没有 bubblewrap：沙箱层无法测试")
def test_sandbox_hides_the_repository(graded):
    _, _, outcomes, _ = graded
    assert outcomes["s05_reads_key"].total() == 0


# ---------------------------------------------------------------- p07: the same attacks on a second project


def generic_wrong(a):
    """Every quiz answer wrong, every data-task variable set to None (works for any project)."""
    nb = solution(a)
    for cell in nb.cells:
        g = gid(cell)
        if re.fullmatch(r"q\d\d", g):
            cell.source = f'{a.quiz[g + "_test"][0]} = "{wrong_letter(a, g + "_test")}"'
        elif g + "_test" in a.tasks:
            cell.source = "\n".join(f"{name} = None" for name in a.tasks[g + "_test"].names)
    return nb


def p07_kinds(a, root):
    full = sum(a.points.values())
    first_task = sorted(a.tasks)[0]
    r = str(root)

    def w(make):
        def write(folder):
            path = folder / "p07" / a.notebook_name
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(make(), path)

        return write

    def strip(nb):
        for c in nb.cells:
            c.metadata.pop("nbgrader", None)
        return nb

    return [
        ("t01_solution", w(lambda: solution(a)), full),
        ("t02_blank", w(lambda: copy.deepcopy(a.released)), 0),
        ("t03_all_wrong", w(lambda: generic_wrong(a)), 0),
        ("t04_patches_kernel", w(lambda: after_setup(generic_wrong(a), PATCH_KERNEL)), 0),
        (
            "t05_reads_key",
            w(lambda: _before_each_check(generic_wrong(a), READ_KEY.replace("p01", "p07").format(root=r))),
            0,
        ),
        ("t06_gradebook", w(lambda: after_setup(generic_wrong(a), GRADEBOOK.format(root=r))), 0),
        ("t07_crash_then_right", w(lambda: after(solution(a), first_task, CRASH)), full),
        ("t08_no_metadata", w(lambda: strip(solution(a))), full),
    ]


@pytest.fixture(scope="module")
def graded_p07(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("course07"), projects=("p07",))
    a = load_assignment("p07", course)
    table = p07_kinds(a, course)
    for sid, write, _ in table:
        folder = course / "grading" / "submitted" / sid
        folder.mkdir(parents=True, exist_ok=True)
        write(folder)
    before = snapshot(course)
    outcomes = {o.student: o for o in grade_class(a, submissions(course, "p07", a.notebook_name), timeout=20)}
    return table, outcomes, before, course


@pytest.mark.parametrize("index", range(8))
def test_p07_each_kind_gets_the_grade_it_deserves(graded_p07, index):
    table, outcomes, _, _ = graded_p07
    sid, _, expected = table[index]
    o = outcomes[sid]
    assert o.total() == pytest.approx(expected), (sid, o.scores, o.problems, o.messages)


def test_p07_repository_unchanged(graded_p07):
    _, _, before, course = graded_p07
    assert snapshot(course) == before
