"""Every master notebook in solutions/ and its released copy in notebooks/.

Execution (the slow part) happens once per notebook per session, through the
``executed`` cache in conftest.py; the other checks only read the .ipynb files.
See CONTRIBUTING.md for the rules checked here.
"""
import re

import pytest
import yaml
from nbgrader.utils import determine_grade

from conftest import (FIXTURE_COURSE, HIDDEN_RE, ROOT, SOLUTION_RE, cell_label, course_notebooks, is_auto_graded,
                      is_manually_graded, nbgrader_meta, output_texts, read_notebook, validate)

HEADINGS = ["课前导读", "任务提出", "相关知识点", "解决方案", "课后习题", "实践训练", "小结"]
POINTS_RE = re.compile(r"\*\*本项目满分\s*(\d+)\s*分\*\*：自动评分\s*(\d+)\s*分（课后习题\s*(\d+)\s*分\s*\+\s*"
                       r"实践训练\s*(\d+)\s*分），教师评分\s*(\d+)\s*分。")
GRADE_CHOICE_RE = re.compile(r"grade_choice\(\s*[\"'](p\d\d-\d+)[\"']\s*,\s*[^,]+,\s*[\"']([^\"']*)[\"']\s*\)")


def _points(cell):
    return float(nbgrader_meta(cell).get("points", 0))


def _fmt(x):
    return f"{x:g}"


def _sections(nb):
    """Map each cell to the level-2 heading it sits under ('' before the first)."""
    current, out = "", []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    current = line[3:].strip()
        out.append((current, cell))
    return out


# ------------------------------------------------------------------ the master runs and passes

def test_master_executes_and_passes_all_tests(course_nb, executed):
    v = executed.master(course_nb)
    assert "type_changed" not in v.results, f"{course_nb}: 有格子的类型变了：{v.results['type_changed']}"
    assert "changed" not in v.results, f"{course_nb}: 锁定格的校验和不符：{v.results['changed']}"
    failed = v.results.get("failed", [])
    assert not failed, f"{course_nb}: {len(failed)} 个测试格没有通过（母版应得满分）：\n" + "\n\n".join(
        f"--- {f['source'][:200]}\n{f['raw_error'][-1500:]}" for f in failed)
    errors = [f"{cell_label(v.nb, c)}\n{text[-1500:]}" for c in v.nb.cells if c.cell_type == "code"
              for kind, text in output_texts(c) if kind == "error"]
    assert not errors, f"{course_nb}: 执行出错的格子：\n" + "\n\n".join(errors)


def test_master_prints_no_warnings(course_nb, executed):
    """Nothing on stderr: students would see red warning boxes (and a test cell with stderr scores 0)."""
    v = executed.master(course_nb)
    noisy = [f"{cell_label(v.nb, c)}\n    {text.strip()[:300]}" for c in v.nb.cells if c.cell_type == "code"
             for kind, text in output_texts(c) if kind == "stderr"]
    assert not noisy, f"{course_nb}: 这些格子输出了警告或错误信息（stderr）：\n" + "\n".join(noisy)


def test_master_is_saved_without_outputs(course_nb):
    nb = read_notebook(course_nb.master)
    dirty = [cell_label(nb, c) for c in nb.cells
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{course_nb}: 母版要不带输出保存（outputs 为空、execution_count 为 null）：{dirty}"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{course_nb}: 内核应为 python3"


# ------------------------------------------------------------------ the released copy

def test_released_copy_exists(course_nb):
    assert course_nb.released.exists(), (
        f"找不到学生版 {course_nb.released.relative_to(course_nb.course)}：请运行 python course.py release")


def passing_test_cells(executed_nb):
    """Auto-graded test cells of an executed notebook that earned points."""
    out = []
    for cell in executed_nb.cells:
        if is_auto_graded(cell):
            score, _ = determine_grade(cell)
            if score:
                out.append(f"{cell_label(executed_nb, cell)}（得 {score:g} 分）")
    return out


def test_released_copy_scores_zero(course_nb, executed):
    """A blank student copy fails every auto-graded test cell (and so scores 0)."""
    if not course_nb.released.exists():
        pytest.skip("学生版不存在（见 test_released_copy_exists）")
    v = executed.released(course_nb)
    graded = [c for c in v.nb.cells if is_auto_graded(c)]
    assert graded, f"{course_nb}: 学生版里没有自动评分的测试格"
    passing = passing_test_cells(v.nb)
    assert not passing, (f"{course_nb.released.name}: 未作答的学生版不应得分，这些测试格却通过了"
                         "（可见检查太宽松，或答案没有被清除）：\n" + "\n".join(passing))
    failed = v.results.get("failed", [])
    assert len(failed) >= len(graded), f"Validator 只报告了 {len(failed)} 个失败格，应至少 {len(graded)} 个"


def _solution_lines(master):
    """Lines that only a teacher may see: solution regions, hidden tests, model answers."""
    lines = set()
    for cell in master.cells:
        if cell.cell_type == "code":
            for block in SOLUTION_RE.findall(cell.source) + HIDDEN_RE.findall(cell.source):
                lines.update(s.strip() for s in block.splitlines())
        elif is_manually_graded(cell):
            lines.update(s.strip() for s in cell.source.splitlines())
    # a line also present outside those regions (a blank line, a shared comment) is no secret
    public = set()
    for cell in master.cells:
        src = HIDDEN_RE.sub("", SOLUTION_RE.sub("", cell.source)) if cell.cell_type == "code" else (
            "" if is_manually_graded(cell) else cell.source)
        public.update(s.strip() for s in src.splitlines())
    return {s for s in lines - public if len(s) >= 4}


def answer_leaks(master, rel, answer_key=None):
    """Everything in a student copy that gives an answer away (empty list: none)."""
    problems = []
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "grade_choice("):
        where = [cell_label(rel, c) for c in rel.cells if marker in c.source]
        if where:
            problems.append(f"还有 {marker!r}：{where}")
    secret = _solution_lines(master)
    problems += [f"泄露答案行 {cell_label(rel, c)} ← {line!r}" for c in rel.cells
                 for line in (s.strip() for s in c.source.splitlines()) if line in secret]
    text = "\n".join(c.source for c in rel.cells)
    for qid, ans in (answer_key or {}).items():
        pattern = rf"['\"]{re.escape(str(qid))}['\"]\s*,\s*[^,\n]+,\s*['\"]{re.escape(str(ans))}['\"]"
        if re.search(pattern, text):
            problems.append(f"出现了 {qid} 的答案")
    return problems


def test_released_copy_has_no_answers(course_nb):
    if not course_nb.released.exists():
        pytest.skip("学生版不存在（见 test_released_copy_exists）")
    master, rel = read_notebook(course_nb.master), read_notebook(course_nb.released)
    key = {}
    if course_nb.answer_key.exists():
        key = yaml.safe_load(course_nb.answer_key.read_text(encoding="utf-8")) or {}
    leaks = answer_leaks(master, rel, key)
    assert not leaks, f"{course_nb.released.name}: 学生版泄露了答案：\n" + "\n".join(leaks)
    released_dir = course_nb.course / "notebooks"
    keys = sorted(p.relative_to(released_dir).as_posix() for p in released_dir.rglob("answer_key.yaml"))
    assert not keys, f"notebooks/ 里不能有答案文件：{keys}"


def test_released_copy_has_no_outputs(course_nb):
    if not course_nb.released.exists():
        pytest.skip("学生版不存在（见 test_released_copy_exists）")
    rel = read_notebook(course_nb.released)
    dirty = [cell_label(rel, c) for c in rel.cells
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{course_nb.released.name}: 学生版不应带输出：{dirty}"


def test_released_copy_has_same_cells(course_nb):
    """Every graded or locked cell of the master is in the student copy, in the same order."""
    if not course_nb.released.exists():
        pytest.skip("学生版不存在（见 test_released_copy_exists）")
    ids = lambda nb: [nbgrader_meta(c).get("grade_id") for c in nb.cells if nbgrader_meta(c).get("grade_id")]
    master_ids, rel_ids = ids(read_notebook(course_nb.master)), ids(read_notebook(course_nb.released))
    lacking, extra = sorted(set(master_ids) - set(rel_ids)), sorted(set(rel_ids) - set(master_ids))
    assert master_ids == rel_ids, (f"{course_nb}: 学生版与母版的 grade_id 不一致（请重新运行 python course.py release）："
                                   f"缺少 {lacking}，多出 {extra}")


# ------------------------------------------------------------------ shape of the master

def test_points_line_matches_nbgrader_points(course_nb):
    nb = read_notebook(course_nb.master)
    title = nb.cells[0]
    assert title.cell_type == "markdown" and title.source.lstrip().startswith("# 学习项目"), (
        f"{course_nb}: 第一格应是以“# 学习项目N 名称”开头的标题格")
    m = POINTS_RE.search(title.source)
    assert m, (f"{course_nb}: 标题格里找不到分值说明行，格式应为："
               "**本项目满分 25 分**：自动评分 20 分（课后习题 10 分 + 实践训练 10 分），教师评分 5 分。")
    total, auto, quiz, practice, manual = map(float, m.groups())
    sections = _sections(nb)
    got_quiz = sum(_points(c) for s, c in sections if is_auto_graded(c) and s == "课后习题")
    got_practice = sum(_points(c) for s, c in sections if is_auto_graded(c) and s == "实践训练")
    got_auto = sum(_points(c) for _, c in sections if is_auto_graded(c))
    got_manual = sum(_points(c) for _, c in sections if is_manually_graded(c))
    stated = dict(满分=total, 自动评分=auto, 课后习题=quiz, 实践训练=practice, 教师评分=manual)
    actual = dict(满分=got_auto + got_manual, 自动评分=got_auto, 课后习题=got_quiz, 实践训练=got_practice,
                  教师评分=got_manual)
    wrong = {k: f"写的是 {_fmt(stated[k])}，实际 {_fmt(actual[k])}" for k in stated if stated[k] != actual[k]}
    assert not wrong, f"{course_nb}: 分值说明与 nbgrader 分数不符：{wrong}"
    stray = [cell_label(nb, c) for s, c in sections if is_auto_graded(c) and s not in ("课后习题", "实践训练")]
    assert not stray, f"{course_nb}: 自动评分的测试格只应出现在“课后习题”和“实践训练”里：{stray}"


def test_headings_in_order(course_nb):
    nb = read_notebook(course_nb.master)
    found = [line[3:].strip() for c in nb.cells if c.cell_type == "markdown"
             for line in c.source.splitlines() if line.startswith("## ")]
    missing = [h for h in HEADINGS if h not in found]
    assert not missing, f"{course_nb}: 缺少二级标题 {missing}（现有：{found}）"
    order = [h for h in found if h in HEADINGS]
    assert order == HEADINGS, f"{course_nb}: 二级标题的顺序应为 {HEADINGS}，实际是 {order}"


def test_setup_cell(course_nb):
    nb = read_notebook(course_nb.master)
    setup = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") == "setup"]
    assert setup, f"{course_nb}: 缺少 grade_id 为 setup 的准备格"
    cell = setup[0]
    assert nb.cells.index(cell) == 1 and cell.cell_type == "code", f"{course_nb}: 准备格应是紧跟标题的代码格"
    meta = nbgrader_meta(cell)
    assert meta.get("locked") and not meta.get("grade") and not meta.get("solution"), (
        f"{course_nb}: 准备格应锁定、不计分、不是答题格：{meta}")
    for line in ("import pandas as pd", "import crmlib as crm", "crm.setup()"):
        assert line in cell.source, f"{course_nb}: 准备格里应有 {line!r}"


def test_exercise_counts(course_nb):
    nb = read_notebook(course_nb.master)
    sections = _sections(nb)
    concept = [c for s, c in sections if is_auto_graded(c) and "check_choice(" in c.source]
    data = [c for s, c in sections if is_auto_graded(c) and s == "实践训练" and "check_choice(" not in c.source]
    manual = [c for _, c in sections if is_manually_graded(c)]
    assert len(concept) >= 5, f"{course_nb}: 概念题（check_choice）至少 5 道，现在 {len(concept)} 道"
    assert len(data) >= 3, f"{course_nb}: “实践训练”里的数据任务至少 3 个，现在 {len(data)} 个"
    assert len(manual) >= 1, f"{course_nb}: 至少要有 1 道教师批阅的书面作业（solution+grade 的 Markdown 格）"
    code_manual = [cell_label(nb, c) for c in manual if c.cell_type != "markdown"]
    assert not code_manual, f"{course_nb}: 书面作业格应是 Markdown 格：{code_manual}"
    for cell in concept + data:
        assert HIDDEN_RE.search(cell.source), f"{course_nb}: {cell_label(nb, cell)} 没有隐藏测试"
    if course_nb.course == ROOT:  # the fixture course has no datasets of its own
        reload = [cell_label(nb, c) for c in data if "load_dataset(" not in "".join(HIDDEN_RE.findall(c.source))]
        assert not reload, f"{course_nb}: 数据任务的隐藏测试应重新读取数据（crm.load_dataset）再计算期望值：{reload}"
    prompts_unlocked = [cell_label(nb, c) for c in nb.cells
                        if c.cell_type == "markdown" and re.match(r"\*\*第\d+题", c.source.strip())
                        and not nbgrader_meta(c).get("locked")]
    assert not prompts_unlocked, f"{course_nb}: 练习题的题目格必须锁定：{prompts_unlocked}"


def test_hidden_keys_match_answer_key(course_nb):
    nb = read_notebook(course_nb.master)
    assert course_nb.answer_key.exists(), f"缺少 {course_nb.answer_key.relative_to(course_nb.course)}"
    key = {str(k): str(v) for k, v in (yaml.safe_load(course_nb.answer_key.read_text(encoding="utf-8")) or {}).items()}
    used = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for block in HIDDEN_RE.findall(cell.source):
            for qid, ans in GRADE_CHOICE_RE.findall(block):
                assert qid not in used, f"{course_nb}: 题目 {qid} 在笔记本里出现了两次"
                used[qid] = ans
        visible = HIDDEN_RE.sub("", cell.source)
        assert "grade_choice(" not in visible, f"{course_nb}: grade_choice 只能写在隐藏测试里：{cell_label(nb, cell)}"
    n_choice = sum("check_choice(" in c.source for c in nb.cells if is_auto_graded(c))
    assert len(used) == n_choice, (f"{course_nb}: {n_choice} 个概念题测试格，但只解析到 {len(used)} 个 "
                                   "grade_choice(\"pNN-xx\", 变量, \"答案\")")
    unknown = sorted(set(used) - set(key))
    assert not unknown, f"{course_nb}: 这些题号不在 answer_key.yaml 里：{unknown}"
    wrong = {q: f"笔记本 {a!r} ≠ 答案文件 {key[q]!r}" for q, a in used.items() if key[q] != a}
    assert not wrong, f"{course_nb}: 隐藏测试的答案与 answer_key.yaml 不一致：{wrong}"
    foreign = sorted(q for q in used if not q.startswith(course_nb.project + "-"))
    assert not foreign, f"{course_nb}: 题号应以 {course_nb.project}- 开头：{foreign}"


def test_grade_ids_unique_and_ascii(course_nb):
    nb = read_notebook(course_nb.master)
    ids = [nbgrader_meta(c).get("grade_id") for c in nb.cells if nbgrader_meta(c)]
    missing = [cell_label(nb, c) for c in nb.cells if nbgrader_meta(c) and not nbgrader_meta(c).get("grade_id")]
    assert not missing, f"{course_nb}: 这些 nbgrader 格子没有 grade_id：{missing}"
    dup = sorted({i for i in ids if ids.count(i) > 1})
    assert not dup, f"{course_nb}: grade_id 重复：{dup}"
    bad = [i for i in ids if not re.fullmatch(r"[A-Za-z0-9_\-]+", i)]
    assert not bad, f"{course_nb}: grade_id 只能用 ASCII 字母、数字、下划线和连字符：{bad}"
    wrong_schema = [cell_label(nb, c) for c in nb.cells
                    if nbgrader_meta(c) and nbgrader_meta(c).get("schema_version") != 3]
    assert not wrong_schema, f"{course_nb}: nbgrader 元数据的 schema_version 应为 3：{wrong_schema}"
    no_points = [cell_label(nb, c) for c in nb.cells if nbgrader_meta(c).get("grade") and _points(c) <= 0]
    assert not no_points, f"{course_nb}: 计分格的 points 应大于 0：{no_points}"


# ------------------------------------------------------------------ the checks above catch what they should

FIXTURE_NB = [nb for nb in course_notebooks() if nb.course == FIXTURE_COURSE]


@pytest.mark.skipif(not FIXTURE_NB, reason="fixture course missing")
def test_self_check_master_as_student_copy_is_caught(executed):
    """Handing out the master itself must trip both the leak and the score checks."""
    fx = FIXTURE_NB[0]
    master = read_notebook(fx.master)
    key = yaml.safe_load(fx.answer_key.read_text(encoding="utf-8"))
    leaks = answer_leaks(master, master, key)
    assert any("BEGIN SOLUTION" in p for p in leaks) and any("泄露答案行" in p for p in leaks), leaks
    assert any("出现了 p99-01" in p for p in leaks), leaks
    n_graded = sum(is_auto_graded(c) for c in master.cells)
    assert len(passing_test_cells(executed.master(fx).nb)) == n_graded


@pytest.mark.skipif(not FIXTURE_NB, reason="fixture course missing")
def test_self_check_wrong_answer_fails_validation(tmp_path):
    """A wrong hidden key makes Validator report a failed cell (the CLI would still exit 0)."""
    import nbformat
    fx = FIXTURE_NB[0]
    nb = read_notebook(fx.master)
    test_cell = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == "q01_test")
    test_cell.source = test_cell.source.replace('答案1, "对")', '答案1, "错")')
    path = tmp_path / fx.master.name
    nbformat.write(nb, str(path))
    v = validate(path)
    assert [f["source"] for f in v.results.get("failed", [])] == [test_cell.source.strip()], v.results


def test_friendly_errors_add_a_chinese_hint_and_still_fail(tmp_path):
    """After crm.setup(), a NameError shows the usual error output (so nbgrader still
    counts the cell as failed) followed by a Chinese hint saying what to do."""
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("import crmlib as crm\ncrm.setup()"),
                             new_code_cell("crm.check_choice('p01-01', 答案1)"),
                             new_code_cell("raise NotImplementedError('本题还没有作答')")],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    for cell, words in ((nb.cells[1], "「答案1」还没有定义"), (nb.cells[2], "删掉 raise NotImplementedError")):
        kinds = [o.output_type for o in cell.outputs]
        assert "error" in kinds, f"出错的格子应仍有 error 输出（评分要靠它判为未通过）：{kinds}"
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert words in text, f"错误下方应有中文提示「{words}」，实际输出：{text!r}"
