"""p08 E时代的网络客户服务: facts hold and are in the notebook, hidden grading gives full points to
the solution and less to the named mistakes, visible checks pass the solution and catch each
mistake, and the data tells its story (calendar, sale day, bot, abandoned sessions, quirks)."""

import json
from pathlib import Path

import pandas as pd
import pytest

from support import load_file, cached_load

import crmlib as crm
from crmlib.course.checks import CheckFailed
from crmlib.course.facts import facts_of
from crmlib.grading.judge import score, tasks_of
from crmlib.tasks import p08 as visible

ROOT = Path(__file__).resolve().parents[2]
TEACHER = ROOT / "solutions" / "p08" / "teacher"
MASTER = ROOT / "solutions" / "p08" / "p08_online_service.ipynb"
POINTS = {"t1_test": 3, "t2_test": 2, "t3_test": 3, "t4_test": 2, "t5_test": 2}


def _load(path):
    return load_file(path, f"p08_{path.stem}")


@pytest.fixture(scope="module")
def data():
    return cached_load


@pytest.fixture(scope="module")
def markdown():
    nb = json.loads(MASTER.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def hidden():
    return tasks_of(_load(TEACHER / "tasks.py"))


# --- facts ------------------------------------------------------------------


def test_enough_facts():
    facts = facts_of(_load(TEACHER / "facts.py"))
    assert len(facts) >= 20
    # each fact is checked against the master and the data by tests/whole_course (test_facts_are_stated_and_true)


# --- answers as the master computes them, and typical mistakes ----------------

GOOD_ANSWERS = {
    "物流": "您好，17 点前付款的订单当天发出，之后付款的次日发出，发货后我把快递单号发给您。",
    "价格": "您好，现在首页可以领 10 元券，满 199 元还减 30 元，两个可以一起用，我帮您算一下最划算的买法？",
    "品质": "您好，这款是 100% 纯棉面料，有检测报告，您可以放心。洗涤说明我发给您，第一次请用冷水洗。",
    "退换货": "您好，签收七天内都可以换，您在订单页点“申请售后”选换货，我们收到后 1 天内给您寄出新的。",
    "发票包装": "您好，可以开电子发票，下单时在发票一栏填写抬头和税号，发货后 3 天内发到您的邮箱。",
}


def _asks(m):
    return m[(m["发言方"] == "客户") & m["意图"].notna() & (m["意图"] != "问候")]


def _faq(m, count="sessions"):
    asks = _asks(m)
    g = asks.groupby(["意图", "内容"])
    n = g["会话编号"].nunique() if count == "sessions" else g.size()
    t = n.rename("会话数").reset_index().sort_values(["会话数", "内容"], ascending=[False, True])
    t = t.drop_duplicates("意图").rename(columns={"内容": "常见问题"}).reset_index(drop=True)
    t["标准答案"] = t["意图"].map(GOOD_ANSWERS)
    return t


def solution(data):
    m = data("p08_messages")
    fr = crm.first_response(m)
    day = fr[fr["客户首条消息"].dt.normalize() == "2025-09-20"]
    t1 = crm.within_target(day[day["客户首条消息"].dt.hour >= 18], 60)
    asks = _asks(m)
    week = asks[(asks["时间"] >= "2025-09-21") & (asks["时间"] < "2025-09-28")]
    t2 = float((week["意图"] == "退换货").mean())
    c = crm.check_replies(m)
    t4 = c[(c["时间"].dt.normalize() == "2025-09-20") & c["禁用语"]]["消息编号"].tolist()
    return {
        "店庆日晚班达标率": t1,
        "店庆后退换货占比": t2,
        "FAQ表": _faq(m),
        "店庆日禁用语回复": t4,
        "工具选择": "ABDC",
    }


def mistakes(data):
    """Each named mistake, as a wrong value per task: {task: [(description, value), ...]}."""
    m = data("p08_messages")
    fr = crm.first_response(m)
    whole_day = fr[fr["客户首条消息"].dt.normalize() == "2025-09-20"]
    day = whole_day[whole_day["客户首条消息"].dt.hour >= 18]
    hourly = (day["首响秒数"] <= 60).groupby(day["客户首条消息"].dt.hour).mean().mean()
    others = m[m["发言方"] != "客户"].join(fr["客户首条消息"], on="会话编号")
    others = others[others["时间"] >= others["客户首条消息"]]
    any_first = others.groupby("会话编号")["时间"].min().reindex(day.index)
    cust = m[m["发言方"] == "客户"]
    week = cust[(cust["时间"] >= "2025-09-21") & (cust["时间"] < "2025-09-28")]
    agent_day = m[(m["发言方"] == "客服") & (m["时间"].dt.normalize() == "2025-09-20")]
    naive = agent_day[agent_day["内容"].str.contains("不知道|不清楚|保证|绝对|没看清楚|不归我管")]["消息编号"].tolist()
    c = crm.check_replies(m)
    sloppy = _faq(m)
    sloppy.loc[0, "标准答案"] = "不知道，你自己看详情页"
    return {
        "店庆日晚班达标率": [
            ("bot counted", float(((any_first - day["客户首条消息"]).dt.total_seconds() <= 60).mean())),
            ("answered only", float((day["首响秒数"] <= 60).sum() / day["首响秒数"].notna().sum())),
            ("whole sale day (the worked solution's table)", crm.within_target(whole_day, 60)),
            ("hourly shares averaged", float(hourly)),
            ("whole month evenings", crm.within_target(fr[fr["客户首条消息"].dt.hour >= 18], 60)),
            ("percent", 100 * crm.within_target(day, 60)),
        ],
        "店庆后退换货占比": [
            ("问候 in the denominator", float((week["意图"].dropna() == "退换货").mean())),
            ("whole month", float((_asks(m)["意图"] == "退换货").mean())),
            ("percent", 100 * float((_asks(week)["意图"] == "退换货").mean())),
        ],
        "FAQ表": [("messages not sessions", _faq(m, "messages"))],
        "店庆日禁用语回复": [("naive search", naive), ("whole month", c[c["禁用语"]]["消息编号"].tolist())],
        "工具选择": [("all IM", "DDDD"), ("one wrong", "ABCD")],
        "_sloppy_faq": sloppy,
    }


def _grade(hidden, gid, ans, data):
    t = hidden[gid]
    return score(t.func(ans, data), POINTS[gid])[0]


def test_solution_gets_full_points(hidden, data):
    ans = solution(data)
    assert set(hidden) == set(POINTS)
    for gid, t in hidden.items():
        assert _grade(hidden, gid, ans, data) == POINTS[gid], gid


def test_each_mistake_loses_points(hidden, data):
    ans, wrong = solution(data), mistakes(data)
    by_var = {t.names[0]: gid for gid, t in hidden.items()}
    for var, cases in wrong.items():
        if var.startswith("_"):
            continue
        for desc, value in cases:
            got = _grade(hidden, by_var[var], {**ans, var: value}, data)
            assert got < POINTS[by_var[var]], (var, desc)
    # a sloppy standard answer costs exactly the answer point, a wrong count the table points
    assert _grade(hidden, "t3_test", {**ans, "FAQ表": wrong["_sloppy_faq"]}, data) == 2
    assert _grade(hidden, "t3_test", {**ans, "FAQ表": wrong["FAQ表"][0][1]}, data) == 1
    assert _grade(hidden, "t5_test", {**ans, "工具选择": "ABCD"}, data) == 1


def test_blank_answers_get_zero(hidden, data):
    from crmlib.grading.judge import MISSING

    for gid, t in hidden.items():
        ans = {name: MISSING for name in t.names}
        assert _grade(hidden, gid, ans, data) == 0, gid


def test_visible_checks_pass_the_solution(data):
    ans = solution(data)
    visible.t1(ans["店庆日晚班达标率"])
    visible.t2(ans["店庆后退换货占比"])
    visible.t3(ans["FAQ表"])
    visible.t4(ans["店庆日禁用语回复"])
    visible.t5(ans["工具选择"])


def test_visible_checks_catch_each_named_mistake(data):
    wrong = mistakes(data)
    checks = {
        "店庆日晚班达标率": visible.t1,
        "店庆后退换货占比": visible.t2,
        "FAQ表": visible.t3,
        "店庆日禁用语回复": visible.t4,
        "工具选择": visible.t5,
    }
    for var, cases in wrong.items():
        if var.startswith("_"):
            continue
        for desc, value in cases:
            if desc == "one wrong":  # a genuinely wrong choice is not a named mistake: only grading sees it
                continue
            with pytest.raises(CheckFailed):
                checks[var](value)
    with pytest.raises(CheckFailed, match="回复检查"):
        visible.t3(wrong["_sloppy_faq"])


def test_visible_checks_reject_wrong_shapes(data):
    with pytest.raises(CheckFailed):
        visible.t1("0.3")
    with pytest.raises(CheckFailed):
        visible.t2(pd.Series([3, 2], index=["物流", "退换货"]))
    with pytest.raises(CheckFailed):
        visible.t2(31.6)
    with pytest.raises(CheckFailed):
        visible.t3(_faq(data("p08_messages")).drop(columns="标准答案"))
    with pytest.raises(CheckFailed):
        visible.t4(["不知道"])
    with pytest.raises(CheckFailed):
        visible.t5("AB")


# --- the data's story ------------------------------------------------------------


def test_sessions_and_messages_agree(data):
    s, m = data("p08_sessions"), data("p08_messages")
    assert s["会话编号"].is_unique and m["消息编号"].is_unique
    assert set(m["会话编号"]) == set(s["会话编号"])
    first = m.groupby("会话编号")["时间"].min()
    assert (first.reindex(s["会话编号"]).to_numpy() == s["进线时间"].to_numpy()).all()
    assert m[m["发言方"] == "客服"]["客服"].notna().all() and m[m["发言方"] != "客服"]["客服"].isna().all()
    assert m[m["发言方"] != "客户"]["意图"].isna().all()


def test_no_human_works_at_night_and_the_sale_day_is_busiest(data):
    m = data("p08_messages")
    agent_hours = m[m["发言方"] == "客服"]["时间"].dt.hour
    assert agent_hours.min() >= 9
    per_day = data("p08_sessions")["进线时间"].dt.normalize().value_counts()
    assert per_day.idxmax() == pd.Timestamp("2025-09-20") and per_day.max() > 2.5 * per_day.median()


def test_the_makeup_sunday_looks_like_a_working_day(data):
    per_day = data("p08_sessions")["进线时间"].dt.normalize().value_counts()
    assert crm.generators.common.is_workday(["2025-09-28"])[0]
    assert per_day[pd.Timestamp("2025-09-28")] < per_day[pd.Timestamp("2025-09-27")] + 10


def test_quirks_a_real_export_has(data):
    m = data("p08_messages")
    cust = m[m["发言方"] == "客户"]
    asks = _asks(m)
    assert asks.duplicated(["会话编号", "内容"]).sum() >= 5  # double-sent questions
    assert cust["意图"].isna().sum() > 0  # unlabelled lines
    fr = crm.first_response(m)
    assert (fr["状态"] == "未回复").mean() > 0.1  # abandoned sessions
    agent = m[m["发言方"] == "客服"]["内容"]
    assert agent.str.startswith("您好，不知道您方便").any()  # polite 不知道: not a forbidden word


def test_norm_breaks_are_not_one_agents_habit(data):
    c = crm.check_replies(data("p08_messages"))
    broken = c[["禁用语", "答题", "称呼"]].any(axis=1).groupby(c["客服"]).mean()
    counts = c[["禁用语", "答题", "称呼"]].any(axis=1).groupby(c["客服"]).sum()
    assert (broken > 0).all() and counts.max() < 0.4 * counts.sum()
