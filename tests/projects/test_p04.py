"""p04 客户沟通与服务: data story, facts, visible checks (each named mistake caught) and hidden grading."""

from pathlib import Path

import pandas as pd
import pytest

from support import load_file

import crmlib as crm
from crmlib.course.checks import CheckFailed
from crmlib.course.facts import facts_of
from crmlib.grading.judge import tasks_of
from crmlib.tasks import p04 as visible

ROOT = Path(__file__).resolve().parents[2]
TEACHER = ROOT / "solutions" / "p04" / "teacher"
MASTER = ROOT / "solutions" / "p04" / "p04_communication.ipynb"
data = crm.load_dataset


def _load(name):
    return load_file(TEACHER / f"{name}.py", f"p04_{name}")


@pytest.fixture(scope="module")
def frames():
    return data("p04_answers"), data("p04_items"), data("p04_respondents"), data("p04_dialogues")


@pytest.fixture(scope="module")
def right(frames):
    """The right answers, computed as the master's solution cells do."""
    answers, items, resp, lines = frames
    sl = crm.straight_liners(answers)
    who = resp[(resp["渠道"] == "电话") & (resp["客户类型"] == "新客户") & ~resp["问卷编号"].isin(sl)]
    survey = answers[answers["问卷编号"].isin(who["问卷编号"])]
    weights = who[[f"{d}重要性" for d in crm.DIMENSIONS]].mean()  # the same cleaned group as the gaps
    weights.index = crm.DIMENSIONS
    table = crm.servqual_gaps(survey, items, weights=weights)
    asked = lines[lines["类型"].isin(["开放式提问", "封闭式提问"])]
    clean = crm.valid_answers(answers[~answers["问卷编号"].isin(sl)])
    per = clean.groupby("问卷编号")[["期望", "感知"]].mean()
    return {
        "电话新客户差距": crm.servqual_gaps(survey, items)["差距"],
        "加权总体差距": float(table["加权贡献"].sum()),
        "首要维度占比": float(table["加权贡献"].min() / table["加权贡献"].sum()),
        "开放式占比": asked.groupby("坐席编号")["类型"].apply(lambda s: (s == "开放式提问").mean()),
        "达标比例": float((per["感知"] >= per["期望"]).mean()),
    }


# ---------------------------------------------------------------- data story


def test_sizes_and_quirks(frames):
    answers, items, resp, lines = frames
    assert len(resp) == 400 and len(items) == 22 and len(answers) == 400 * 22
    assert items.groupby("维度", sort=False).size().to_dict() == {
        "有形度": 4,
        "信赖度": 5,
        "反应度": 4,
        "专业度": 4,
        "同理度": 5,
    }
    assert answers["感知"].isna().sum() > answers["期望"].isna().sum() > 0
    assert len(crm.straight_liners(answers)) == 15
    points = resp[[f"{d}重要性" for d in crm.DIMENSIONS]]
    assert (points.dropna().sum(axis=1) == 100).all() and points.isna().all(axis=1).sum() == 11
    assert set(lines["类型"]) == {"开放式提问", "封闭式提问", "复述事实", "复述情感", "其他答复"}
    assert lines["坐席编号"].nunique() == 12


def test_dates_on_the_calendar(frames):
    _, _, resp, lines = frames
    assert resp["填写日期"].between("2024-09-02", "2024-10-31").all()
    from crmlib.generators.common import is_workday

    assert is_workday(lines["通话日期"]).all()  # recorded calls: the hotline's office days


def test_no_answer_is_a_generator_rule(frames, right):
    answers, items, resp, _ = frames
    sl = crm.straight_liners(answers)
    clean = answers[~answers["问卷编号"].isin(sl)]
    weakest = {}
    for col in ["渠道", "客户类型"]:
        for value, group in resp.groupby(col):
            weakest[value] = crm.servqual_gaps(clean[clean["问卷编号"].isin(group["问卷编号"])], items)["差距"].idxmin()
    assert len(set(weakest.values())) >= 3  # the weakest dimension depends on the segment
    # weights flip the answer for all customers (the worked example)
    plain = crm.servqual_gaps(clean, items)["差距"]
    w = resp[[f"{d}重要性" for d in crm.DIMENSIONS]].mean()
    w.index = crm.DIMENSIONS
    assert plain.idxmin() != crm.servqual_gaps(clean, items, w)["加权贡献"].idxmin()
    # tasks 1-2: phone new customers are not phone customers in general (new ones rate 专业度 far lower)
    phone = clean[clean["问卷编号"].isin(resp.loc[resp["渠道"] == "电话", "问卷编号"])]
    assert crm.servqual_gaps(phone, items)["差距"]["专业度"] - right["电话新客户差距"]["专业度"] > 0.3
    # and their own weights make the first dimension weigh clearly more than with equal weights
    assert right["首要维度占比"] - plain_share(right["电话新客户差距"]) > 0.05


def plain_share(gaps):
    return float(gaps.min() / gaps.sum())
    # agents differ in how they ask: not a single style
    assert right["开放式占比"].max() - right["开放式占比"].min() > 0.4


def test_restatements_answer_the_customer(frames):
    lines = frames[3]
    fact = lines[lines["类型"] == "复述事实"]
    assert fact["坐席回应"].nunique() > 10  # worded from what the customer said, not one stock phrase


# ---------------------------------------------------------------- facts


def test_enough_facts():
    found = facts_of(_load("facts"))
    assert len(found) >= 15
    # each fact is checked against the master and the data by tests/whole_course (test_facts_are_stated_and_true)


# ---------------------------------------------------------------- visible checks


def test_right_answers_pass_visible_checks(right):
    visible.t1(right["电话新客户差距"])
    visible.t2(right["加权总体差距"], right["首要维度占比"])
    visible.t3(right["开放式占比"])
    visible.t4(right["达标比例"])


def _fails(func, *args, match=""):
    with pytest.raises(CheckFailed, match=match):
        func(*args)


def _cut(resp, channel=None, kind=None):
    keep = pd.Series(True, index=resp.index)
    if channel:
        keep &= resp["渠道"] == channel
    if kind:
        keep &= resp["客户类型"] == kind
    return resp[keep]


def _weights(resp):
    return pd.Series(resp[[f"{d}重要性" for d in crm.DIMENSIONS]].mean().to_numpy(), index=crm.DIMENSIONS)


def _t1_mistakes(frames):
    """{match: wrong gaps} for every mistake task 1's check names."""
    answers, items, resp, _ = frames
    sl = crm.straight_liners(answers)
    clean = answers[~answers["问卷编号"].isin(sl)]

    def gaps(survey, channel=None, kind=None):
        return crm.servqual_gaps(survey[survey["问卷编号"].isin(_cut(resp, channel, kind)["问卷编号"])], items)["差距"]

    phone_new = clean[clean["问卷编号"].isin(_cut(resp, "电话", "新客户")["问卷编号"])]
    per_item = crm.valid_answers(phone_new).groupby("题号")["差距"].mean()
    return {
        "一路勾到底": gaps(answers, "电话", "新客户"),
        "全部新客户": gaps(clean, kind="新客户"),
        "电话渠道的全部客户": gaps(clean, "电话"),
        "全部客户": crm.servqual_gaps(clean, items)["差距"],
        "电话渠道的老客户": gaps(clean, "电话", "老客户"),
        "门店的新客户": gaps(clean, "门店", "新客户"),
        "在线的新客户": gaps(clean, "在线", "新客户"),
        "先按题目": per_item.groupby(items.set_index("题号")["维度"]).mean(),
    }


def test_t1_mistakes_are_named(frames, right):
    for match, wrong in _t1_mistakes(frames).items():
        # clearly different from the right answer, not a rounding away (per-item averaging only shifts 有形度,
        # whose two store items have fewer valid answers, and still by far more than the 4-figure rounding)
        assert (wrong - right["电话新客户差距"]).abs().max() > (0.005 if match == "先按题目" else 0.05), match
        _fails(visible.t1, wrong, match=match)
    _fails(visible.t1, -right["电话新客户差距"], match="方向")
    _fails(visible.t1, right["电话新客户差距"].drop("有形度"), match="索引")
    _fails(visible.t1, right["电话新客户差距"].to_frame().assign(x=1), match="列")


def test_t1_is_no_worked_output(frames, right):
    """No crm segment and no worked cell gives task 1's answer: it needs the two-way filter."""
    answers, items, resp, _ = frames
    sl = crm.straight_liners(answers)
    segments = crm.segment_gaps(answers, items, resp, exclude=sl)  # default columns: 渠道 and 客户类型
    for name, gaps in segments.items():
        assert (gaps - right["电话新客户差距"]).abs().max() > 0.05, name


def _t2_ways(frames):
    """{match: weighted table} for every way of weighting task 2's check names."""
    answers, items, resp, _ = frames
    sl = crm.straight_liners(answers)
    everyone = _cut(resp, "电话", "新客户")
    survey = answers[answers["问卷编号"].isin(everyone["问卷编号"])]
    clean = survey[~survey["问卷编号"].isin(sl)]
    return {
        "没有加权": crm.servqual_gaps(clean, items),
        "全部客户的重要性": crm.servqual_gaps(clean, items, _weights(resp)),
        "全部新客户的重要性": crm.servqual_gaps(clean, items, _weights(_cut(resp, kind="新客户"))),
        "电话渠道全部客户的重要性": crm.servqual_gaps(clean, items, _weights(_cut(resp, "电话"))),
        "没有剔除一路勾到底": crm.servqual_gaps(survey, items, _weights(everyone)),
        "算权重时没有剔除": crm.servqual_gaps(clean, items, _weights(everyone)),
    }


def test_t2_mistakes_are_named(frames, right):
    for match, table in _t2_ways(frames).items():
        overall = float(table["加权贡献"].sum())
        share = float(table["加权贡献"].min()) / overall
        _fails(visible.t2, right["加权总体差距"], share, match=match)
        assert abs(share - right["首要维度占比"]) > 5e-4, match
        if match == "算权重时没有剔除":  # moves the overall gap by ~1e-4 only: named through the share
            assert 5e-5 < abs(overall - right["加权总体差距"]) < 5e-4
            visible.t2(overall, right["首要维度占比"])  # a right share is not blamed for it
            continue
        _fails(visible.t2, overall, right["首要维度占比"], match=match)
        # a wrong way is wrong in both numbers (so the hidden grading takes points for each)
        assert abs(overall - right["加权总体差距"]) > 5e-4, match
    _fails(visible.t2, right["加权总体差距"], right["首要维度占比"] * 100, match="0～1")
    _fails(visible.t2, "-0.9", right["首要维度占比"], match="应该是一个数")


def test_t3_mistakes_are_named(frames, right):
    lines = frames[3]
    opened = lines["类型"].eq("开放式提问").groupby(lines["坐席编号"]).sum()
    _fails(visible.t3, opened / lines.groupby("坐席编号").size(), match="全部语句")
    _fails(visible.t3, opened / opened.sum(), match="全中心")
    _fails(visible.t3, right["开放式占比"] * 100, match="超出")
    _fails(visible.t3, right["开放式占比"].iloc[:-1], match="索引")


def test_t4_mistakes_are_named(frames, right):
    answers = frames[0]
    sl = crm.straight_liners(answers)
    clean = crm.valid_answers(answers[~answers["问卷编号"].isin(sl)])
    every = crm.valid_answers(answers).groupby("问卷编号")[["期望", "感知"]].mean()
    per = clean.groupby("问卷编号")[["期望", "感知"]].mean()
    _fails(visible.t4, float((clean["差距"] >= 0).mean()), match="答案而不是客户")
    _fails(visible.t4, float((every["感知"] >= every["期望"]).mean()), match="一路勾到底")
    _fails(visible.t4, float((per["感知"] > per["期望"]).mean()), match="不低于")
    _fails(visible.t4, right["达标比例"] * 100, match="合理范围")


def test_wrong_values_differ_from_right(right):
    # the right answers stay clear of the checks' form rules (0 or 1, mostly positive gaps)
    assert right["达标比例"] < 0.2 and (right["电话新客户差距"] > 0).sum() == 1
    assert 0 < right["首要维度占比"] < 1


# ---------------------------------------------------------------- hidden grading


@pytest.fixture(scope="module")
def hidden():
    return tasks_of(_load("tasks"))


def _score(task, ans):
    results = task.func({n: ans[n] for n in task.names}, data)
    return sum(r.weight for r in results if r.ok) / sum(r.weight for r in results)


def test_hidden_full_marks_for_right_answers(hidden, right):
    assert set(hidden) == {"t1_test", "t2_test", "t3_test", "t4_test"}
    for task in hidden.values():
        assert _score(task, right) == 1


def test_hidden_accepts_four_significant_figures(hidden, right):
    rounded = dict(
        right,
        加权总体差距=float(f"{right['加权总体差距']:.4g}"),
        达标比例=float(f"{right['达标比例']:.4g}"),
        首要维度占比=float(f"{right['首要维度占比']:.4g}"),
        电话新客户差距=right["电话新客户差距"].map(lambda v: float(f"{v:.4g}")),
    )
    for task in hidden.values():
        assert _score(task, rounded) == 1


def test_hidden_wrong_answers_lose_points(hidden, frames, right):
    wrongs = [
        ("t1_test", {"电话新客户差距": -right["电话新客户差距"]}),
        ("t3_test", {"开放式占比": right["开放式占比"] / 2}),
        ("t4_test", {"达标比例": 0.4339}),
    ]
    wrongs += [("t1_test", {"电话新客户差距": wrong}) for wrong in _t1_mistakes(frames).values()]
    for table in _t2_ways(frames).values():
        overall = float(table["加权贡献"].sum())
        wrongs.append(("t2_test", {"加权总体差距": overall, "首要维度占比": float(table["加权贡献"].min()) / overall}))
    for gid, wrong in wrongs:
        assert _score(hidden[gid], dict(right, **wrong)) == 0, (gid, wrong)
    # one wrong value of two in t2 costs half of it
    assert _score(hidden["t2_test"], dict(right, 首要维度占比=right["首要维度占比"] * 100)) == 0.5
    assert _score(hidden["t2_test"], dict(right, 加权总体差距=-0.7)) == 0.5


def test_hidden_missing_answer_scores_zero(hidden):
    from crmlib.grading.judge import MISSING

    for task in hidden.values():
        assert _score(task, {n: MISSING for n in task.names}) == 0
