"""Every released project: the master's shape, its generated quiz, its grading, its student copy.

Quick checks read files only; the ``full`` ones execute the master and run the
grading round trip (solution = full points, blank = 0, one wrong answer = its points off).
"""

import importlib
import importlib.util
import inspect
import re

import numpy as np
import pytest

from support import (
    EMOJI_RE,
    GLYPH_RE,
    HEADINGS,
    ROOT,
    cached_load,
    cell_label,
    grade_id,
    is_auto_graded,
    is_manually_graded,
    load_file,
    nbgrader_meta,
    output_texts,
    read_notebook,
)

POINTS_RE = re.compile(
    r"\*\*本项目满分\s*(\d+)\s*分\*\*：自动评分\s*(\d+)\s*分（课后习题\s*(\d+)\s*分\s*\+\s*"
    r"实践训练\s*(\d+)\s*分），教师评分\s*(\d+)\s*分。"
)


def status(course_nb):
    from crmlib.course.manifest import project

    return project(course_nb.project).status


def pool(course_nb):
    from crmlib.questions.graded import load_graded

    path = course_nb.teacher / "graded.yaml"
    return list(load_graded(path, course_nb.project)) if path.exists() else None


# ------------------------------------------------------------------ shape


def test_headings_in_order(course_nb):
    nb = read_notebook(course_nb.master)
    found = [
        line[3:].strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    assert [h for h in found if h in HEADINGS] == HEADINGS, f"{course_nb}: 二级标题应依次为 {HEADINGS}，现在是 {found}"


def test_setup_cell(course_nb):
    nb = read_notebook(course_nb.master)
    cell = nb.cells[1]
    assert grade_id(cell) == "setup" and cell.cell_type == "code", f"{course_nb}: 第 2 格应是锁定的准备格（setup）"
    assert nbgrader_meta(cell).get("locked")
    for line in ("import pandas as pd", "import crmlib as crm", "crm.setup()"):
        assert line in cell.source, f"{course_nb}: 准备格里应有 {line!r}"


def test_points_line_matches_metadata(course_nb):
    nb = read_notebook(course_nb.master)
    m = POINTS_RE.search(nb.cells[0].source)
    assert m, f"{course_nb}: 标题格里没有格式正确的分值说明（见 CONTRIBUTING §2）"
    total, auto, quiz, practice, teacher = map(int, m.groups())
    pts = lambda pred: sum(float(nbgrader_meta(c).get("points", 0)) for c in nb.cells if pred(c))  # noqa: E731
    got_quiz = pts(lambda c: is_auto_graded(c) and re.fullmatch(r"q\d\d_test", grade_id(c)))
    got_practice = pts(lambda c: is_auto_graded(c) and re.fullmatch(r"t\d+_test", grade_id(c)))
    got_teacher = pts(is_manually_graded)
    assert (quiz, practice, teacher) == (got_quiz, got_practice, got_teacher), (
        f"{course_nb}: 分值说明写的是 课后习题 {quiz} + 实践训练 {practice}，教师 {teacher}；"
        f"元数据是 {got_quiz:g} + {got_practice:g}，教师 {got_teacher:g}"
    )
    assert auto == quiz + practice and total == auto + teacher


def test_grade_ids_unique_ascii_schema3(course_nb):
    nb = read_notebook(course_nb.master)
    ids = [grade_id(c) for c in nb.cells if nbgrader_meta(c)]
    assert all(ids), f"{course_nb}: 有 nbgrader 格子没有 grade_id"
    assert len(ids) == len(set(ids)), f"{course_nb}: grade_id 重复：{sorted({i for i in ids if ids.count(i) > 1})}"
    assert all(re.fullmatch(r"[A-Za-z0-9_\-]+", i) for i in ids)
    assert all(nbgrader_meta(c).get("schema_version") == 3 for c in nb.cells if nbgrader_meta(c))


def test_instruction_cells_are_locked(course_nb):
    nb = read_notebook(course_nb.master)
    unlocked = [
        cell_label(nb, c)
        for c in nb.cells
        if c.cell_type == "markdown" and not is_manually_graded(c) and not nbgrader_meta(c).get("locked")
    ]
    assert not unlocked, f"{course_nb}: 说明文字格都应锁定（course.py release 会自动加上）：{unlocked[:5]}"


def test_master_has_no_outputs_and_no_hidden_tests(course_nb):
    nb = read_notebook(course_nb.master)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{course_nb}: 母版应不带输出保存"
    assert "BEGIN HIDDEN TESTS" not in course_nb.master.read_text(encoding="utf-8"), (
        f"{course_nb}: 隐藏测试不写在笔记本里，写在 teacher/tasks.py（评分在干净的进程里进行）"
    )


def test_summary_unticked_and_no_emoji(course_nb):
    text = course_nb.master.read_text(encoding="utf-8")
    assert "- [x]" not in text, f"{course_nb}: 小结清单应从未勾选开始（- [ ]）"
    bad = sorted(set(EMOJI_RE.findall(text)))
    assert not bad, f"{course_nb}: 状态符号只用 √ × △，不用需要 emoji 字体的 {bad}"


# ------------------------------------------------------------------ exercises


def test_check_cells_are_one_readable_call(course_nb):
    nb = read_notebook(course_nb.master)
    for c in nb.cells:
        g = grade_id(c)
        if is_auto_graded(c) and g.startswith("t"):
            assert re.fullmatch(rf'crm\.check_task\("{course_nb.project}-{g[:-5]}"(, [^\n]+)?\)', c.source.strip()), (
                f'{course_nb}: {g} 的检查格应只有一行 crm.check_task("{course_nb.project}-{g[:-5]}", 变量…)'
            )


def test_every_check_cell_has_a_grading_rule(course_nb):
    from crmlib.grading.grader import load_assignment

    a = load_assignment(course_nb.project, ROOT)  # raises SystemExit naming cells without a rule
    assert a.points


def test_counts(course_nb):
    nb = read_notebook(course_nb.master)
    tasks = [c for c in nb.cells if is_auto_graded(c) and grade_id(c).startswith("t")]
    written = [c for c in nb.cells if is_manually_graded(c)]
    questions = pool(course_nb)
    assert questions is not None, f"{course_nb}: 缺少评分题库 teacher/graded.yaml"
    assert len(written) == 1 and written[0].cell_type == "markdown", f"{course_nb}: 应有一道书面作业（Markdown）"
    if status(course_nb) == "done":
        assert len(tasks) >= 3, f"{course_nb}: 数据任务至少 3 个"
        assert len({q.case or q.id for q in questions}) >= 8, f"{course_nb}: 评分题至少 8 题"
        assert any(q.case for q in questions), f"{course_nb}: 评分题里至少要有 1 道案例分析"
        from crmlib.questions.bank import load_bank

        practice = list(load_bank(course_nb.project))
        assert len({q.case or q.id for q in practice}) >= 20, f"{course_nb}: 练习题库至少 20 题"
        assert (course_nb.teacher / "aid.md").exists(), f"{course_nb}: 缺少教师辅助材料 teacher/aid.md"


def test_rubric_rows_add_up(course_nb):
    nb = read_notebook(course_nb.master)
    prompt = next((c for c in nb.cells if grade_id(c) == "written_prompt"), None)
    written = next(c for c in nb.cells if is_manually_graded(c))
    assert prompt is not None, f"{course_nb}: 缺少书面作业的题目格 written_prompt"
    rows = re.findall(r"^\|[^|\n]+\|\s*(\d+(?:\.\d+)?)\s*\|", prompt.source, re.M)
    assert rows and sum(map(float, rows)) == float(nbgrader_meta(written)["points"]), (
        f"{course_nb}: 评分标准各行分值之和应等于书面作业的分值"
    )


def test_quiz_cells_are_generated_from_the_pool(course_nb):
    from crmlib.questions.graded import sync_cells

    nb = read_notebook(course_nb.master)
    questions = pool(course_nb)
    regenerated = sync_cells([dict(c) for c in nb.cells], questions)
    norm = lambda cells: [
        (c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("nbgrader"))  # noqa: E731
        for c in cells
    ]
    assert norm(regenerated) == norm(nb.cells), (
        f"{course_nb}: 课后习题格与评分题库不同步，请运行 python course.py release"
    )


def test_every_task_check_names_a_misconception(course_nb):
    nb = read_notebook(course_nb.master)
    module = importlib.import_module(f"crmlib.tasks.{course_nb.project}")
    for c in nb.cells:
        g = grade_id(c)
        if is_auto_graded(c) and g.startswith("t"):
            src = inspect.getsource(getattr(module, g[:-5]))
            assert "not_mistaken" in src or "常见的错误做法" in src, (
                f"{course_nb}: 可见检查 {g[:-5]} 应认出至少一种常见错误（not_mistaken）"
            )


# ------------------------------------------------------------------ what students get


def test_released_copy_is_current_and_holds_no_answer(course_nb):
    released = course_nb.released.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in released and "END SOLUTION" not in released
    for q in pool(course_nb) or []:
        assert q.id not in released
    nb = read_notebook(course_nb.released)
    for c in nb.cells:
        if re.fullmatch(r"q\d\d", grade_id(c)):
            assert re.fullmatch(r'答案\d+ = ""  # 在引号里写上答案：.+', c.source), f"{course_nb}: 作答格 {grade_id(c)}"


def test_no_graded_question_reaches_students():
    """No graded id or key hash under notebooks/, exercises/ or crmlib/; no graded stem in the practice banks."""
    from crmlib.questions.graded import load_graded
    from crmlib.questions.keys import answer_hash, project_salt
    from crmlib.questions.answers import canonical

    public = [
        p
        for d in ("notebooks", "exercises", "crmlib")
        for p in (ROOT / d).rglob("*")
        if p.is_file() and p.suffix in (".ipynb", ".yaml", ".json", ".py", ".md")
    ]
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in public)
    practice = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in public if "notebooks" not in p.parts)
    for path in sorted((ROOT / "solutions").glob("p*/teacher/graded.yaml")):
        project = path.parent.parent.name
        for q in load_graded(path, project):
            assert q.id not in text, f"评分题号 {q.id} 出现在学生能拿到的文件里"
            assert answer_hash(project_salt(project), q.id, canonical(q, q.answer)) not in text
            assert q.stem not in practice, f"评分题 {q.id} 的题干出现在练习题库或 crmlib 里（练习题应是另外的题）"


def test_facts_are_stated_and_true(course_nb):
    from crmlib.course.facts import facts_of

    path = course_nb.teacher / "facts.py"
    if not path.exists():
        pytest.skip("no facts file yet") if status(course_nb) != "done" else pytest.fail(f"{course_nb}: 缺少 facts.py")
    module = load_file(path, f"facts_{course_nb.project}")
    nb = read_notebook(course_nb.master)
    prose = re.sub(r"\s+", "", "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))
    facts = facts_of(module)
    assert facts, f"{course_nb}: facts.py 里没有事实"
    for text, check in facts:
        assert re.sub(r"\s+", "", text) in prose, f"{course_nb}: 事实「{text}」没有逐字出现在正文里"
        result = check(cached_load)
        assert isinstance(result, (bool, np.bool_)) and bool(result), f"{course_nb}: 事实「{text}」与数据不符"


# ------------------------------------------------------------------ executed (full)


@pytest.mark.full
def test_master_runs_clean_with_every_glyph(course_nb, executed):
    """Executed as a student's kernel runs it: no error, nothing on stderr, no chart glyph missing."""
    nb = executed.master(course_nb)
    errors = [
        f"{cell_label(nb, c)}\n{t[-800:]}"
        for c in nb.cells
        if c.cell_type == "code"
        for kind, t in output_texts(c)
        if kind in ("error", "stderr")
    ]
    assert not errors, f"{course_nb}: 母版运行时出错或打印了警告：\n" + "\n\n".join(errors[:5])
    glyphs = [
        f"{cell_label(nb, c)} {line.strip()[:200]}"
        for c in nb.cells
        if c.cell_type == "code"
        for _, t in output_texts(c)
        for line in t.splitlines()
        if GLYPH_RE.search(line)
    ]
    assert not glyphs, f"{course_nb}: 图表里有字符缺字形：\n" + "\n".join(glyphs)


@pytest.mark.full
def test_grading_round_trip(course_nb):
    from crmlib.grading.cli import roundtrip

    a, first, (sol, blank, wrong) = roundtrip(course_nb.project, ROOT)
    total = sum(a.points.values())
    assert sol.total() == total, (sol.scores, sol.messages, sol.problems)
    assert blank.total() == 0, blank.scores
    assert wrong.total() == total - a.points[first], wrong.scores
    checks = [t for c in sol.notebook.cells if is_auto_graded(c) for _, t in output_texts(c)]
    assert not any("检查未通过" in t for t in checks), f"{course_nb}: 正确答案没有通过可见检查"
