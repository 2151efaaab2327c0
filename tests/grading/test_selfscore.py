"""A self-learner's score: same grader as the teacher's, a Chinese report per question, never the answer."""

import pytest

from support import ROOT


@pytest.mark.full
def test_score_of_the_solution_is_full_and_names_each_question(capsys):
    from crmlib.grading.cli import main
    from crmlib.grading.grader import load_assignment

    assert main(["score", "p01", "--notebook", str(ROOT / "solutions" / "p01" / "p01_crm_work.ipynb")]) == 0
    out = capsys.readouterr().out
    total = sum(load_assignment("p01", ROOT).points.values())
    assert (
        f"p01 自动评分：{total:g} / {total:g} 分" in out
        and "√ 课后习题第1题：2 / 2" in out
        and "√ 实践训练任务 3" in out
    )


def test_report_gives_hints_not_answers():
    from crmlib.grading.cli import report
    from crmlib.grading.grader import Outcome, load_assignment

    a = load_assignment("p01", ROOT)
    o = Outcome(
        "自评",
        scores={g: 0.0 for g in a.points},
        messages={"t1_test": ["「热线一组解决率」的值不对。提示：以接待量为权重"]},
    )
    text = report(o, a)
    assert "× 实践训练任务 1：0 / 6 —— 「热线一组解决率」的值不对" in text
    for var, q, key in a.quiz.values():
        assert f'"{key}"' not in text


def test_score_without_the_teachers_material_says_why(monkeypatch, capsys):
    import crmlib.course.selfscore as selfscore

    monkeypatch.setattr(selfscore, "course_root", lambda: None)
    assert selfscore.score() is None
    assert "没有教师的评分材料" in capsys.readouterr().out
