"""p05 正确处理客户投诉: data story, hidden grading round trip, visible checks, facts, banks."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from support import load_file

import crmlib as crm
from crmlib.course.checks import CheckFailed
from crmlib.course.facts import facts_of
from crmlib.generators import p05 as gen
from crmlib.grading.judge import tasks_of
from crmlib.questions.bank import load_bank
from crmlib.questions.graded import load_graded
from crmlib.tasks import p05 as visible

ROOT = Path(__file__).resolve().parents[2]
MASTER = ROOT / "solutions" / "p05" / "p05_complaints.ipynb"
TEACHER = ROOT / "solutions" / "p05" / "teacher"


def _load(path, name):
    return load_file(path, name)


@pytest.fixture(scope="module")
def data():
    return crm.load_dataset("p05_complaints")


@pytest.fixture(scope="module")
def master():
    return json.loads(MASTER.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def answers(master):
    """The solution's answer variables: run the task cells of the master (solution markers kept)."""
    ns = {"crm": crm, "pd": pd}
    for cell in master["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if cell["cell_type"] == "code" and re.fullmatch(r"t\d", gid):
            exec("".join(cell["source"]), ns)
    names = ["空气炸锅关键原因", "首响达标率", "复购率差", "处理顺序", "应对方法"]
    return {n: ns[n] for n in names}


# ------------------------------------------------------------------ data


def test_data_story_and_quirks(data):
    assert 2500 < len(data) < 3500 and set(data["渠道"]) == set(gen.CHANNELS)
    assert (data["处理状态"] == "处理中").any() and data.loc[data["处理状态"] == "处理中", "解决时间"].isna().all()
    assert ((data["处理状态"] == "已解决") & data["解决时间"].isna()).sum() > 10  # entry omissions
    assert (data["重开次数"] > 0).mean() > 0.05
    late = data["受理时间"] > gen.ASOF - pd.Timedelta(days=90)
    assert data.loc[late, "90天内复购"].isna().all() and data.loc[~late, "90天内复购"].notna().all()
    assert (data["首次响应时间"] >= data["受理时间"]).all()
    # back-office backlog: mails received over 春节 wait days, ordinary weeks hours
    back = data[data["渠道"].isin(["电子邮件", "应用商店评论"])]
    wait = crm.elapsed_hours(back["受理时间"], back["首次响应时间"])
    spring = back["受理时间"].between("2025-01-28", "2025-02-04 23:59")
    assert pd.Series(wait)[spring.to_numpy()].median() > 3 * pd.Series(wait)[~spring.to_numpy()].median()


def test_recovery_is_not_a_rule(data):
    k = data[data["解决时间"].notna() & data["90天内复购"].notna()]
    hours = crm.elapsed_hours(k["受理时间"], k["解决时间"])
    buy = (k["90天内复购"] == "是").to_numpy()
    fast = hours <= 72
    assert buy[fast].mean() > buy[~fast].mean()  # on average faster helps
    assert buy[hours > 240].sum() > 50 and (~buy[hours <= 24]).sum() > 50  # counter-examples both ways


# ------------------------------------------------------------------ hidden grading (round trip)


@pytest.fixture(scope="module")
def hidden():
    return tasks_of(_load(TEACHER / "tasks.py", "p05_hidden_tasks"))


def _score(task, ans):
    results = task.func({n: ans.get(n, {"__missing__": True}) for n in task.names}, crm.load_dataset)
    return sum(r.weight for r in results if r.ok) / sum(r.weight for r in results)


def test_solution_gets_full_points_and_blank_gets_zero(hidden, answers):
    assert set(hidden) == {f"t{k}_test" for k in range(1, 6)}
    for gid, t in hidden.items():
        assert _score(t, answers) == 1, gid
        assert _score(t, {}) == 0, gid


@pytest.mark.parametrize(
    "gid, name, wrong",
    [
        ("t1_test", "空气炸锅关键原因", ["产品质量", "物流配送", "退换货办理", "使用说明"]),
        ("t2_test", "首响达标率", None),
        ("t3_test", "复购率差", 0.2),
        ("t4_test", "处理顺序", "ECFADB"),
        ("t5_test", "应对方法", "BECDAF"),
    ],
)
def test_one_wrong_answer_loses_its_points(hidden, answers, gid, name, wrong):
    if wrong is None:
        wrong = answers[name] * 0.9
    bad = dict(answers, **{name: wrong})
    for other, t in hidden.items():
        assert _score(t, bad) == (0 if other == gid else 1), other


def test_sensible_rounding_is_right(hidden, answers):
    rounded = dict(
        answers,
        复购率差=round(answers["复购率差"], 4),
        首响达标率=answers["首响达标率"].round(4),
        处理顺序=answers["处理顺序"].lower(),
    )
    for gid in ("t2_test", "t3_test", "t4_test"):
        assert _score(hidden[gid], rounded) == 1, gid


# ------------------------------------------------------------------ visible checks


def test_visible_checks_pass_the_solution(answers):
    for k, name in enumerate(["空气炸锅关键原因", "首响达标率", "复购率差", "处理顺序", "应对方法"], 1):
        getattr(visible, f"t{k}")(answers[name])


def _few(rows):
    return crm.vital_few(crm.pareto_table(rows, "投诉类别"))


def test_t1_mistakes_are_recognised(data, answers):
    month = data["受理时间"].dt.month
    fryer = data["产品"] == "空气炸锅"
    promo = month.isin([10, 11])
    right = set(answers["空气炸锅关键原因"])
    assert right == set(_few(data[fryer & promo]))
    table = crm.pareto_table(data[fryer & promo], "投诉类别")
    wrongs = {
        "全年、全部产品": _few(data),
        "空气炸锅全年": _few(data[fryer]),
        "整个第四季度": _few(data[fryer & (data["受理时间"].dt.quarter == 4)]),
        "没有只取空气炸锅": _few(data[promo]),
        "越过 80%": table.index[table["累计占比"] <= 0.8].tolist(),
    }
    for msg, wrong in wrongs.items():
        assert set(wrong) != right
        with pytest.raises(CheckFailed, match=msg):
            visible.t1(wrong)
    with pytest.raises(CheckFailed, match="投诉类别"):
        visible.t1(["质量问题"])


def test_t1_is_not_a_cut_the_widget_shows(data, answers):
    """The widget's periods (全年, one quarter) of 空气炸锅 or of all products never give t1's answer."""
    q = data["受理时间"].dt.quarter
    fryer = data["产品"] == "空气炸锅"
    right = set(answers["空气炸锅关键原因"])
    for rows in (data, data[fryer]):
        assert set(_few(rows)) != right
        for k in range(1, 5):
            assert set(_few(rows[q[rows.index] == k])) != right


def test_t2_mistakes_are_recognised(data, answers):
    first = data[data["受理时间"].dt.quarter == 1]
    calendar = crm.sla_share(first, "受理时间", "首次响应时间", 4, by="渠道")["达标率"]
    year = crm.sla_share(data, "受理时间", "首次响应时间", 4, by="渠道", calendar="working")["达标率"]
    for wrong in (calendar, year):
        assert not wrong.round(4).equals(answers["首响达标率"].round(4))
    for wrong, msg in (
        (calendar, "自然小时"),
        (year, "全年"),
        (answers["首响达标率"] * 100, "不要乘以 100"),
        (crm.sla_share(data, "受理时间", "首次响应时间", 4, by="渠道", calendar="working"), "整张表"),
    ):
        with pytest.raises(CheckFailed, match=msg):
            visible.t2(wrong)


def test_t3_mistakes_are_recognised(data, answers):
    heavy = data[data["严重程度"].isin(["较重", "严重"]) & data["解决时间"].notna()]
    buy = heavy["90天内复购"] == "是"  # unknown counted as 否
    fast = crm.elapsed_hours(heavy["受理时间"], heavy["解决时间"], "working") <= 27
    nan_as_no = buy[fast].mean() - buy[~fast].mean()
    allk = data[data["解决时间"].notna() & data["90天内复购"].notna()]
    b2 = allk["90天内复购"] == "是"
    f2 = crm.elapsed_hours(allk["受理时间"], allk["解决时间"], "working") <= 27
    all_sev = b2[f2].mean() - b2[~f2].mean()
    known = heavy[heavy["90天内复购"].notna()]
    b3 = known["90天内复购"] == "是"
    f3 = crm.elapsed_hours(known["受理时间"], known["解决时间"]) <= 72
    calendar = b3[f3].mean() - b3[~f3].mean()
    for wrong in (nan_as_no, all_sev, calendar):
        assert abs(wrong - answers["复购率差"]) > 1e-3
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t3(wrong)
    with pytest.raises(CheckFailed, match="不要乘以 100"):
        visible.t3(answers["复购率差"] * 100)


@pytest.mark.parametrize(
    "check, wrong, msg",
    [
        (visible.t4, "ECFADB", "先让客户把话说完"),
        (visible.t4, "CEDFAB", "还没问清"),
        (visible.t4, "CEFAD", "各出现一次"),
        (visible.t4, 123456, "一串字母"),
        (visible.t5, "BECDAF", "易怒"),
        (visible.t5, "CEBADF", "知识分子"),
        (visible.t5, "CEBDAA", "各出现一次"),
    ],
)
def test_t4_t5_mistakes_are_recognised(check, wrong, msg):
    with pytest.raises(CheckFailed, match=msg):
        check(wrong)


def test_visible_checks_hold_no_plain_key():
    source = (ROOT / "crmlib" / "tasks" / "p05.py").read_text(encoding="utf-8")
    assert "CEFADB" not in source and "CEBDAF" not in source


# ------------------------------------------------------------------ facts, banks, notebook


def test_enough_facts(master):
    facts = facts_of(_load(TEACHER / "facts.py", "p05_facts"))
    assert len(facts) >= 15
    # each fact is checked against the master and the data by tests/whole_course (test_facts_are_stated_and_true)


def test_graded_pool_and_practice_bank():
    pool = load_graded(TEACHER / "graded.yaml", "p05")
    assert len({q.case or q.id for q in pool}) >= 8 and any(q.case for q in pool)
    bank = load_bank("p05")
    practice = list(bank)
    assert len(practice) >= 20 and any(q.case for q in practice)
    stems = {q.stem for q in practice}
    assert not stems & {q.stem for q in pool}
    import yaml

    key = yaml.safe_load((TEACHER / "practice_key.yaml").read_text(encoding="utf-8"))
    assert set(key) == {q.id for q in practice}


def test_master_points_line_and_unticked_summary(master):
    title = "".join(master["cells"][0]["source"])
    assert "**本项目满分 44 分**：自动评分 34 分（课后习题 20 分 + 实践训练 14 分），教师评分 10 分。" in title
    pts = [
        c["metadata"]["nbgrader"].get("points", 0)
        for c in master["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade")
    ]
    assert sum(pts) == 44
    summary = "".join(master["cells"][-1]["source"])
    assert "- [ ] 我能" in summary and "- [x]" not in summary


def test_teacher_aid_figures_match_the_data(data):
    aid = (TEACHER / "aid.md").read_text(encoding="utf-8")
    row = data.set_index("投诉编号").loc["TS250200300"]
    again = data[(data["客户编号"] == row["客户编号"]) & (data["投诉编号"] != "TS250200300")]
    assert row["客户编号"] in aid and again["投诉编号"].tolist() == ["TS250200413"] and "TS250200413" in aid
    same = data[(data["产品"] == "加湿器") & (data["投诉类别"] == "产品质量") & (data["严重程度"] == "较重")]
    assert f"共 {len(same)} 件" in aid and f"中位数是 {same['补偿金额'].median():.0f} 元" in aid
    waited = crm.elapsed_hours(pd.Series([row["受理时间"]]), pd.Series([row["首次响应时间"]]))[0]
    solved = crm.elapsed_hours(pd.Series([row["受理时间"]]), pd.Series([row["解决时间"]]))[0]
    assert f"约 {waited:.1f} 个自然小时" in aid and f"约 {solved:.0f} 个自然小时" in aid
    assert row["补偿方式"] == "优惠券" and row["补偿金额"] == 10 and "优惠券 10 元" in aid
