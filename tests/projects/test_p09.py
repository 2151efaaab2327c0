"""Project p09 工作压力: the data tells its story (calendar, counter-examples, quirks), every fact in
the prose holds, the tasks are graded right, the visible checks catch each named mistake, and the
self-assessment never reaches a graded cell."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from support import HEADINGS, load_file, check_round_trip, passes_by_task

import crmlib as crm
from crmlib.course.checks import CheckFailed
from crmlib.course.facts import facts_of
from crmlib.generators import common
from crmlib.grading.judge import tasks_of
from crmlib.tasks import p09 as visible

ROOT = Path(__file__).resolve().parents[2]
SOL = ROOT / "solutions" / "p09"
MASTER = SOL / "p09_stress.ipynb"


def _module(name):
    return load_file(SOL / "teacher" / f"{name}.py", f"p09_teacher_{name}")


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.fixture(scope="module")
def teacher():
    return _module("tasks")


@pytest.fixture(scope="module")
def master():
    return json.loads(MASTER.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shifts():
    return crm.load_dataset("p09_shifts")


@pytest.fixture(scope="module")
def pss():
    return crm.load_dataset("p09_pss")


@pytest.fixture(scope="module")
def weeks(shifts, pss):
    agents = crm.load_dataset("p09_agents")[["坐席编号", "班组"]]
    return crm.team_weeks(shifts, pss).merge(agents, on="坐席编号")


# ------------------------------------------------------------------ data


def test_shifts_follow_the_china_calendar(shifts):
    days = pd.DatetimeIndex(shifts["日期"].unique())
    work = pd.Series(common.is_workday(days), index=days)
    regular = shifts.groupby("日期")["班次"].agg(lambda s: set(s))
    for day, kinds in regular.items():
        assert kinds == ({"常规"} if work[day] else {"值班"}), day
    # 2025-10-11 (Saturday) was a make-up working day, 2025-10-01 a public holiday
    assert (shifts.loc[shifts["日期"] == "2025-10-11", "班次"] == "常规").all()
    assert (shifts.loc[shifts["日期"] == "2025-10-01", "班次"] == "值班").all()
    assert shifts.groupby("日期").size()[pd.Timestamp("2025-10-01")] == 2
    holiday_duty = shifts[(shifts["日期"] == "2025-10-01")]
    assert (holiday_duty["加班分钟"] >= 480).all()


def test_quirks_of_a_real_export(shifts, pss):
    absent = shifts[shifts["出勤"] != "出勤"]
    assert len(absent) > 5 and (absent[["接待量", "在线小时"]] == 0).all().all()
    worked = shifts[shifts["出勤"] == "出勤"]
    assert 5 <= worked["休息次数"].isna().sum() <= 30
    items = [f"题{i}" for i in range(1, 11)]
    assert 1 <= pss[items].isna().any(axis=1).sum() <= 8
    assert pss["压力来源"].isna().sum() > 0
    # some weeks have no questionnaire: an agent never has more than 13
    assert (pss.groupby("坐席编号").size() < 13).any()
    assert not pss.duplicated(["周次", "坐席编号"]).any()


def test_workload_relates_to_stress_with_noise(weeks):
    for col in ("加班小时", "难缠接待"):
        r = weeks[col].corr(weeks["总分"])
        assert 0.15 < r < 0.6, col  # a relation, not a rule
    for _, g in weeks.groupby("班组"):
        assert 0.2 < g["每小时接待量"].corr(g["总分"]) < 0.7


def test_breaks_help_some_agents_not_all(weeks):
    r = weeks.groupby("坐席编号")[["每班休息次数", "总分"]].apply(lambda d: d["每班休息次数"].corr(d["总分"]))
    assert (r <= -0.3).sum() >= 4 and (r > -0.1).sum() >= 3


def test_counter_examples(weeks, pss):
    means = weeks.groupby("坐席编号")[["总分", "每小时接待量", "难缠接待"]].mean()
    assert means["总分"].idxmin() == "A04"
    phone = means.loc[["A01", "A02", "A04", "A05", "A06"]]
    assert phone.loc["A04", "每小时接待量"] > phone["每小时接待量"].min()  # not the lightest load
    assert means["难缠接待"].idxmin() == "A10" and means.loc["A10", "总分"] > means["总分"].median()


def test_answers_are_not_a_generator_rule(pss):
    """The high-band triggers are not simply the overall top triggers, and no trigger is certain."""
    overall = crm.trigger_counts(pss)
    scored = crm.pss10_scores(pss)
    high = crm.trigger_counts(scored[scored["总分"] >= 27])
    assert list(overall.index[:3]) != list(high.index[:3])
    assert overall.iloc[0] / overall.sum() < 0.35


def test_no_real_people_or_brands():
    agents = crm.load_dataset("p09_agents")
    assert agents["姓名"].is_unique
    text = (ROOT / "crmlib" / "generators" / "p09.py").read_text(encoding="utf-8")
    assert not any(b in text for b in common.BRANDS)


# ------------------------------------------------------------------ notebook


def test_enough_facts(master):
    facts = facts_of(_module("facts"))
    assert len(facts) >= 20
    # each fact is checked against the master and the data by tests/whole_course (test_facts_are_stated_and_true)


def test_master_shape(master):
    cells = master["cells"]
    src = [_source(c) for c in cells]
    assert not any("BEGIN HIDDEN TESTS" in s for s in src)
    heads = [s.split("\n")[0] for s in src if s.startswith("## ")]
    assert heads == [f"## {h}" for h in HEADINGS]
    summary = next(s for s in src if s.startswith("## 小结"))
    assert "- [x]" not in summary and summary.count("- [ ]") >= 8
    assert not re.search("[✅❌💡⚠]", "".join(src))
    points = {}
    for c in cells:
        nb = c["metadata"].get("nbgrader", {})
        if nb.get("points"):
            points[nb["grade_id"]] = nb["points"]
    quiz = sum(v for k, v in points.items() if re.fullmatch(r"q\d\d_test", k))
    tasks = sum(v for k, v in points.items() if re.fullmatch(r"t\d_test", k))
    line = (
        f"**本项目满分 {quiz + tasks + points['written']} 分**：自动评分 {quiz + tasks} 分"
        f"（课后习题 {quiz} 分 + 实践训练 {tasks} 分），教师评分 {points['written']} 分。"
    )
    assert line in src[0]
    for k in range(1, 5):
        cell = next(s for c, s in zip(cells, src) if c["metadata"].get("nbgrader", {}).get("grade_id") == f"t{k}_test")
        assert cell.strip().count("\n") == 0 and cell.startswith(f'crm.check_task("p09-t{k}"')


def test_every_knowledge_point_of_the_table_of_contents(master):
    text = "\n".join(_source(c) for c in master["cells"] if c["cell_type"] == "markdown")
    heads = "\n".join(line for line in text.split("\n") if line.startswith("#"))
    for point in [
        "认识压力",
        "学会认识压力信号",
        "不要忽视压力症状",
        "不是所有减压方法都是好的",
        "设一本压力登记本",
        "减慢呼吸",
        "定时休息",
        "创意减压",
        "有氧运动",
        "养宠物",
        "静静躺下 10 分钟",
        "新鲜空气",
        "保证睡眠",
        "压力“爆发”时间表",
        "适当表达苦闷",
        "积极娱乐",
        "做情绪的主人",
        "客户压力",
        "公司压力",
        "自身压力",
    ]:
        assert point in heads, point
    for art in ["制怒术", "愉悦术", "助人术", "宣泄术", "转移术", "放松术"]:
        assert f"**{art}**" in text, art


def test_written_task_rubric_adds_up_and_never_grades_the_stress_level(master):
    prompt = next(
        _source(c) for c in master["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "written_prompt"
    )
    rows = re.findall(r"^\| [^|]+ \| (\d+) \|", prompt, flags=re.M)
    assert sum(map(int, rows)) == 10 and len(rows) >= 5
    assert "不看你的压力大小" in prompt and "不应该写出任何自测分数" in prompt
    rubric = prompt[prompt.index("**评分标准**") :]
    assert "分数" not in rubric.replace("评分", "")


def test_self_assessment_never_reaches_a_graded_cell(master):
    for c in master["cells"]:
        src = _source(c)
        gid = c["metadata"].get("nbgrader", {}).get("grade_id", "")
        if "crm.pss10()" in src or "crm.stress_log()" in src:
            assert not c["metadata"].get("nbgrader", {}).get("grade") and not gid
            assert src.strip() in ("crm.pss10()", "crm.stress_log()")  # no variable takes its answers
        if gid.startswith("t") or gid.startswith("q"):
            assert "pss10(" not in src and "saved" not in src and "stress_log(" not in src


def test_aid_fact_sheet_is_in_sync(teacher):
    aid = (SOL / "teacher" / "aid.md").read_text(encoding="utf-8")
    assert teacher.aid_markdown(crm.load_dataset) in aid
    assert "（假设）" in aid and "不评学生的压力" in aid


# ------------------------------------------------------------------ tasks


def _solution_values(master):
    ns = {"crm": crm, "pd": pd}
    for c in master["cells"]:
        if re.fullmatch(r"t\d", c["metadata"].get("nbgrader", {}).get("grade_id", "")):
            exec(_source(c).replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), ns)
    return ns


@pytest.fixture(scope="module")
def answers(master, teacher):
    ns = _solution_values(master)
    return {name: ns[name] for t in tasks_of(teacher).values() for name in t.names}


def _wrong(value):
    if isinstance(value, pd.Series):
        return value.iloc[1:]
    if isinstance(value, (int, float, np.number)):
        return float(value) + 1
    return list(value)[1:]


def test_round_trip(teacher, answers):
    assert len(tasks_of(teacher)) == 4
    check_round_trip(teacher, answers, _wrong)


def test_sensible_rounding_is_right(teacher, answers):
    ans = dict(answers)
    ans["在线组卡顿周平均分"] = round(float(answers["在线组卡顿周平均分"]), 2)
    ans["电话组相关系数"] = float(f"{answers['电话组相关系数']:.4g}")
    assert all(passes_by_task(teacher, ans).values())


def test_right_answers_pass_the_visible_checks(answers):
    visible.t1(answers["在线组卡顿周平均分"])
    visible.t2(answers["电话组相关系数"])
    visible.t3(answers["高分来源次数"])
    visible.t4(answers["休息相关坐席"])


def test_each_named_mistake_is_caught(pss, weeks, answers):
    items = [f"题{i}" for i in range(1, 11)]
    chat = crm.load_dataset("p09_agents").query("班组 == '在线组'")["坐席编号"]
    whole = pss[pss["周次"] == "2025-11-24"]
    week = whole[whole["坐席编号"].isin(chat)]
    raw = week[items].astype(float).sum(axis=1, min_count=10).mean()
    with pytest.raises(CheckFailed, match="反向"):
        visible.t1(raw)
    t = week[items].astype(float)
    t[["题4", "题5", "题7", "题8"]] = 4 - t[["题4", "题5", "题7", "题8"]]
    with pytest.raises(CheckFailed, match="漏答"):
        visible.t1(t.sum(axis=1).mean())
    team = whole[items].astype(float)
    team[["题4", "题5", "题7", "题8"]] = 4 - team[["题4", "题5", "题7", "题8"]]
    with pytest.raises(CheckFailed, match="全队"):  # the worked solution's weekly table shows this one
        visible.t1(team.sum(axis=1, min_count=10).mean())
    with pytest.raises(CheckFailed, match="全队"):
        visible.t2(weeks["每小时接待量"].corr(weeks["总分"]))
    with pytest.raises(CheckFailed, match="全部问卷"):
        visible.t3(pss["压力来源"].value_counts())
    r = weeks.groupby("坐席编号")[["每班休息次数", "总分"]].apply(lambda d: d["每班休息次数"].corr(d["总分"]))
    with pytest.raises(CheckFailed, match="负相关"):
        visible.t4(r[r < 0].index.tolist())


def test_visible_checks_reject_wrong_shapes():
    with pytest.raises(CheckFailed):
        visible.t1("21.2")
    with pytest.raises(CheckFailed):
        visible.t2(35.0)
    with pytest.raises(CheckFailed):
        visible.t3(["客户情绪激动、出言不逊"])
    with pytest.raises(CheckFailed):
        visible.t4(["A01", "B99"])
    with pytest.raises(CheckFailed):
        visible.t4([])


def test_graded_pool_and_practice_bank_differ():
    from crmlib.questions.graded import load_graded

    pool = list(load_graded(SOL / "teacher" / "graded.yaml", "p09"))
    bank = list(crm.load_bank("p09"))
    assert len({q.id.rsplit("-", 1)[0] if q.case else q.id for q in pool}) >= 8 and any(q.case for q in pool)
    assert len(bank) >= 20 and any(q.case for q in bank)
    assert not {q.stem for q in pool} & {q.stem for q in bank}
    for q in pool:
        if q.type == "多选":
            assert len(q.answer) < len(q.options), f"{q.id} is all-correct"
    key = (SOL / "teacher" / "practice_key.yaml").read_text(encoding="utf-8")
    for q in bank:
        assert re.search(rf"^{q.id}: ", key, flags=re.M), q.id
        if q.type == "多选":
            ans = re.search(rf"^{q.id}: (\w+)", key, flags=re.M).group(1)
            assert len(ans) < len(q.options), f"{q.id} is all-correct"
