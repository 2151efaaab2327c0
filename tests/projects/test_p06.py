"""p06 客户满意度与忠诚度管理: tasks (visible and hidden), facts, question pools, master notebook."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from support import HEADINGS, load_file

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
VARS = {
    "t1": "城东银发指数",
    "t2": "城西NPS",
    "t3": "学生重点改进",
    "t4": "四季度批第3月",
    "t5": "城西银发CLV",
    "t6": "新会员推荐者流失",
}


def _load(name):
    return load_file(TEACHER / f"{name}.py", f"p06_{name}")


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
        value = {
            "__pandas__": "Series",
            "values": value.tolist(),
            "index": [str(i) for i in value.index],
            "name": value.name,
        }
    return score(t.func({t.names[0]: value}, crm.load_dataset), POINTS[tid])[0]


@pytest.mark.parametrize("tid", list(VARS))
def test_solution_gets_full_points_and_passes_visible_check(tid, hidden, solution_answers):
    value = solution_answers[tid]
    getattr(visible, tid)(value)
    if isinstance(value, pd.Series):  # a dict counts too, in both checks
        getattr(visible, tid)(value.to_dict())
        assert _grade(hidden, tid, value.to_dict()) == POINTS[tid]
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
    assert hidden.expected_t3(crm.load_dataset) == ["价格实惠", "结账速度", "配送到家"] or hidden.expected_t3(
        crm.load_dataset
    )


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


def test_enough_facts(nb):
    facts = facts_of(_load("facts"))
    assert len(facts) >= 15
    # each fact is checked against the master and the data by tests/whole_course (test_facts_are_stated_and_true)


def test_question_pools():
    graded = load_graded(TEACHER / "graded.yaml", "p06")
    practice = load_bank("p06")
    assert len(graded) >= 8 and any(q.case for q in graded)
    assert len(practice) >= 20 and any(q.case for q in practice)
    assert not {q.stem for q in graded} & {q.stem for q in practice}


def test_master_shape(nb):
    heads = [
        l
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        for l in "".join(c["source"]).splitlines()
        if l.startswith("## ")
    ]
    assert heads == [f"## {h}" for h in HEADINGS]
    tests = [c for c in nb["cells"] if re.fullmatch(r"t\d_test", c["metadata"].get("nbgrader", {}).get("grade_id", ""))]
    assert len(tests) == 6
    for c in tests:
        assert re.fullmatch(r'crm\.check_task\("p06-t\d", \w+\)', "".join(c["source"]).strip())
    title = "".join(nb["cells"][0]["source"])
    quiz = sum(
        c["metadata"]["nbgrader"].get("points", 0)
        for c in nb["cells"]
        if re.fullmatch(r"q\d\d_test", c["metadata"].get("nbgrader", {}).get("grade_id", ""))
    )
    assert f"课后习题 {quiz} 分 + 实践训练 {sum(POINTS.values())} 分" in title
    summary = "".join(nb["cells"][-1]["source"])
    assert "- [ ] 我能" in summary and "[x]" not in summary


# ---------------------------------------------------------------- the data tells its story, with counter-examples
@pytest.fixture(scope="module")
def data():
    s = crm.load_dataset("p06_survey").drop_duplicates("客户编号", keep="last")
    o = crm.load_dataset("p06_orders")
    later = set(o.loc[o["下单日期"] >= "2025-07-01", "客户编号"])
    return s.assign(仍在购物=s["客户编号"].isin(later)), o


def test_satisfied_but_leaving_with_counter_examples(data):
    s, _ = data
    by = s.groupby("客户类型").agg(满意=("总体满意度", "mean"), 留下=("仍在购物", "mean"))
    assert by["满意"].idxmax() == "上班族" and by["留下"].idxmax() == "银发客户"
    w = s[s["客户类型"] == "上班族"]
    assert 0.25 < w["仍在购物"].mean() < 0.6  # many left, yet a good share stayed
    assert (w[w["仍在购物"]]["总体满意度"] >= 4).any()  # loyal, satisfied office workers exist
    silver = s[s["客户类型"] == "银发客户"]
    assert (~silver["仍在购物"]).sum() >= 5  # and some loyal-type members left anyway


def test_attachment_not_satisfaction_predicts_staying(data):
    """Why satisfied customers leave: within a segment the score hardly matters, the 指名度 answer does."""
    s, _ = data
    by_score = s.groupby(["客户类型", s["总体满意度"] >= 4])["仍在购物"].mean().unstack()
    by_choice = s.groupby(["客户类型", "首选本店"])["仍在购物"].mean().unstack()
    assert ((by_score[True] - by_score[False]).abs() <= 0.1 + 1e-9).all()
    assert ((by_choice["是"] - by_choice["否"]) > 0.15).all()
    low_silver = s[(s["客户类型"] == "银发客户") & (s["总体满意度"] <= 3)]
    assert low_silver["仍在购物"].mean() > 0.8  # not satisfied, yet loyal


def test_a_mean_that_hides_a_split(data):
    s, _ = data
    g = s.groupby("门店")["总体满意度"]
    spread = g.std()
    assert spread.idxmax() == "城西店" and spread["城西店"] > 1.3 * spread.drop("城西店").max()
    assert abs(g.mean()["城西店"] - g.mean().drop("城西店").mean()) < 0.3


def test_calendar_weekends_holidays_and_spring_festival(data):
    from crmlib.generators import common

    _, o = data
    days = pd.date_range("2023-01-01", "2025-12-31")
    work = pd.Series(common.is_workday(days), index=days)
    per_day = o.groupby("下单日期").size().reindex(days, fill_value=0)
    assert per_day[~work].mean() > 1.2 * per_day[work].mean()
    eve = per_day["2024-01-30":"2024-02-08"].mean()  # ten days before 春节 2024 (2024-02-10)
    assert eve > 1.4 * per_day["2024-03-01":"2024-03-31"].mean()
    s = crm.load_dataset("p06_survey")
    assert common.is_workday(s.loc[s["调查方式"] == "电话回访", "调查日期"]).all()


def test_quirks_a_student_must_handle():
    s = crm.load_dataset("p06_survey")
    dup = s[s["客户编号"].duplicated(keep=False)]
    assert len(dup) == 12 and set(dup["客户类型"]) == {"家庭客户", "上班族", "银发客户", "学生"}
    assert s["推荐意愿"].isna().sum() > 0
    c = crm.cohort_retention(crm.load_dataset("p06_orders"), counts=True)[0]
    assert c["2023-01"] > 3 * c.drop(c.index[0]).median()  # old members all appear in January 2023


def test_t4_mistakes_are_clearly_apart_from_the_answer(hidden):
    """Pooling the three cohorts is the point of task 4: each named shortcut must miss by a visible margin."""
    expected = hidden.expected_t4(crm.load_dataset)
    for desc, wrong in visible.mistakes_t4().items():
        assert abs(float(wrong) - expected) > 0.005, desc
