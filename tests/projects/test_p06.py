"""p06 客户满意度与忠诚度管理: tasks (visible and hidden), facts, question pools, master notebook."""
import importlib.util
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import crmlib as crm
from crmlib.course.checks import CheckFailed
from crmlib.course.facts import facts_of
from crmlib.grading.judge import score, tasks_of
from crmlib.questions.bank import load_bank
from crmlib.questions.graded import load_graded
from crmlib.tasks import p06 as visible

ROOT = Path(__file__).resolve().parents[2]
MASTER = ROOT / "solutions/p06/p06_satisfaction.ipynb"
TEACHER = ROOT / "solutions/p06/teacher"
POINTS = {"t1": 2, "t2": 2, "t3": 2, "t4": 2, "t5": 3, "t6": 3}
VARS = {"t1": "银发指数", "t2": "城西NPS", "t3": "学生重点改进", "t4": "三月批第3月", "t5": "家庭CLV", "t6": "满意却流失"}


def _load(name):
    spec = importlib.util.spec_from_file_location(f"p06_{name}", TEACHER / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def hidden():
    return _load("tasks")


@pytest.fixture(scope="module")
def nb():
    return json.loads(MASTER.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def solution_answers(nb):
    """Run the master's task cells (solution code, in order) and collect the answer variables."""
    ns = {"crm": crm, "pd": pd}
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if re.fullmatch(r"t\d", gid):
            src = "".join(cell["source"])
            src = "\n".join(l for l in src.splitlines() if not l.startswith("###"))
            exec(compile(src, gid, "exec"), ns)
    return {k: ns[v] for k, v in VARS.items()}


def _grade(hidden, tid, value):
    t = tasks_of(hidden)[f"{tid}_test"]
    if isinstance(value, pd.Series):
        value = {"__pandas__": "Series", "values": value.tolist(), "index": [str(i) for i in value.index],
                 "name": value.name}
    return score(t.func({t.names[0]: value}, crm.load_dataset), POINTS[tid])[0]


@pytest.mark.parametrize("tid", list(VARS))
def test_solution_gets_full_points_and_passes_visible_check(tid, hidden, solution_answers):
    value = solution_answers[tid]
    getattr(visible, tid)(value)
    assert _grade(hidden, tid, value) == POINTS[tid]


@pytest.mark.parametrize("tid", list(VARS))
def test_blank_gets_zero(tid, hidden):
    assert _grade(hidden, tid, {"__missing__": True}) == 0


@pytest.mark.parametrize("tid", list(VARS))
def test_every_named_mistake_is_caught_and_scores_zero(tid, hidden, solution_answers):
    mistakes = getattr(visible, f"mistakes_{tid}")()
    assert mistakes
    for desc, wrong in mistakes.items():
        if isinstance(wrong, pd.Index):
            wrong = wrong.tolist()
        if tid == "t3" and not wrong:
            continue  # an empty list is refused before the mistakes are looked at
        with pytest.raises(CheckFailed):
            getattr(visible, tid)(wrong)
        assert _grade(hidden, tid, wrong) == 0, desc


def test_expected_values_are_computed_not_pasted(hidden):
    src = (TEACHER / "tasks.py").read_text(encoding="utf-8")
    assert not re.search(r"\d+\.\d{3,}", src)
    assert hidden.expected_t3(crm.load_dataset) == ["价格实惠", "结账速度", "配送到家"] or hidden.expected_t3(crm.load_dataset)


def test_visible_checks_refuse_wrong_shapes():
    with pytest.raises(CheckFailed):
        visible.t1("63.3")
    with pytest.raises(CheckFailed):
        visible.t2(None)
    with pytest.raises(CheckFailed):
        visible.t3(["重要性_价格实惠"])
    with pytest.raises(CheckFailed):
        visible.t4(55.2)
    with pytest.raises(CheckFailed):
        visible.t6(pd.Series({"上班族": 0.5}))


def test_facts_hold_and_appear_in_the_master(nb):
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    facts = facts_of(_load("facts"))
    assert len(facts) >= 15
    for claim, check in facts:
        assert claim in text, claim
        assert check(crm.load_dataset) is True, claim


def test_question_pools():
    graded = load_graded(TEACHER / "graded.yaml", "p06")
    practice = load_bank("p06")
    assert len(graded) >= 8 and any(q.case for q in graded)
    assert len(practice) >= 20 and any(q.case for q in practice)
    assert not {q.stem for q in graded} & {q.stem for q in practice}


def test_master_shape(nb):
    heads = [l for c in nb["cells"] if c["cell_type"] == "markdown" for l in "".join(c["source"]).splitlines()
             if l.startswith("## ")]
    assert heads == ["## 课前导读", "## 任务提出", "## 相关知识点", "## 解决方案", "## 课后习题", "## 实践训练", "## 小结"]
    tests = [c for c in nb["cells"] if re.fullmatch(r"t\d_test", c["metadata"].get("nbgrader", {}).get("grade_id", ""))]
    assert len(tests) == 6
    for c in tests:
        assert re.fullmatch(r'crm\.check_task\("p06-t\d", \w+\)', "".join(c["source"]).strip())
    title = "".join(nb["cells"][0]["source"])
    quiz = sum(c["metadata"]["nbgrader"].get("points", 0) for c in nb["cells"]
               if re.fullmatch(r"q\d\d_test", c["metadata"].get("nbgrader", {}).get("grade_id", "")))
    assert f"课后习题 {quiz} 分 + 实践训练 {sum(POINTS.values())} 分" in title
    summary = "".join(nb["cells"][-1]["source"])
    assert "- [ ] 我能" in summary and "[x]" not in summary
