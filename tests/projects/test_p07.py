"""Project p07 大客户管理: the data tells the story the notebook needs (with counter-examples,
on a real calendar), every fact in the prose holds, the tasks are graded right, the visible
checks catch each named mistake, and no graded answer hinges on an RFM tie."""

import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from support import load_file, check_round_trip

import crmlib as crm
from crmlib.course.checks import CheckFailed
from crmlib.course.facts import facts_of
from crmlib.generators import common
from crmlib.grading.judge import tasks_of
from crmlib.tasks import p07 as visible
from crmlib.topics.rfm import scores_by_rank

ROOT = Path(__file__).resolve().parents[2]
SOL = ROOT / "solutions" / "p07"
MASTER = SOL / "p07_key_accounts.ipynb"
ROLES = {"使用者", "影响者", "采购者", "决策者", "批准者", "把关者"}


def _module(name):
    return load_file(SOL / "teacher" / f"{name}.py", f"p07_teacher_{name}")


@pytest.fixture(scope="module")
def teacher():
    return _module("tasks")


@pytest.fixture(scope="module")
def accounts():
    return crm.load_dataset("p07_accounts")


@pytest.fixture(scope="module")
def orders():
    return crm.load_dataset("p07_orders")


@pytest.fixture(scope="module")
def contacts():
    return crm.load_dataset("p07_contacts")


@pytest.fixture(scope="module")
def totals(orders):
    return orders.groupby("客户编号")["金额"].sum().sort_values(ascending=False)


@pytest.fixture(scope="module")
def master():
    return json.loads(MASTER.read_text(encoding="utf-8"))


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


# ------------------------------------------------------------------ datasets


def test_columns_and_sizes(accounts, orders, contacts):
    assert accounts.columns.tolist() == [
        "客户编号",
        "客户名称",
        "行业",
        "城市",
        "省份",
        "企业规模",
        "客户经理",
        "合作起始日期",
        "结算方式",
    ]
    assert orders.columns.tolist() == ["订单编号", "客户编号", "下单日期", "产品线", "数量", "单价", "金额", "配送费用"]
    assert contacts.columns.tolist() == ["客户编号", "联系人", "职务", "采购角色", "联系电话", "关系程度"]
    assert len(accounts) == 200 and 3000 <= len(orders) <= 5000 and 500 <= len(contacts) <= 900


def test_keys_and_values_are_clean(accounts, orders, contacts):
    assert accounts["客户编号"].is_unique and orders["订单编号"].is_unique
    assert orders["客户编号"].isin(accounts["客户编号"]).all()
    assert contacts["客户编号"].isin(accounts["客户编号"]).all()
    assert (orders["金额"] > 0).all() and (orders["配送费用"] > 0).all()
    assert set(contacts["采购角色"]) == ROLES and set(contacts["关系程度"]) == {"密切", "一般", "生疏"}


def test_orders_follow_the_china_calendar(orders):
    day = orders["下单日期"]
    assert day.map(common.holiday_name).eq("").all(), "no B2B order on a public holiday"
    off = ~common.is_workday(day)
    assert 0 < off.mean() < 0.03, "a few orders on an ordinary weekend, not more"
    per_weekday = day.dt.day_of_week.value_counts()
    assert per_weekday[[0, 1, 2, 3, 4]].max() < 1.2 * per_weekday[[0, 1, 2, 3, 4]].min()
    monthly = orders.groupby(day.dt.to_period("M"))["金额"].sum()
    assert {str(p) for p in monthly.nsmallest(2).index} == {"2023-01", "2024-02"}, "春节 months dip"


def test_size_is_not_value(accounts, totals):
    """Counter-examples: large firms that buy little, mid-size and small firms among the key accounts."""
    abc = crm.abc_classify(totals).join(accounts.set_index("客户编号"))
    assert ((abc["ABC"] == "C") & (abc["企业规模"] == "大型")).sum() >= 3
    assert ((abc["ABC"] == "A") & abc["企业规模"].isin(["中型", "小型"])).sum() >= 10
    top10 = accounts.set_index("客户编号").loc[totals.index[:10], "企业规模"]
    assert (top10 != "大型").any()


def test_role_coverage_follows_the_relationship_not_size(accounts, contacts):
    n = contacts.groupby("客户编号")["采购角色"].nunique().reindex(accounts["客户编号"]).to_numpy()
    by_size = pd.Series(n).groupby(accounts["企业规模"].to_numpy()).mean()
    assert by_size.max() - by_size.min() < 0.6
    years = ((pd.Timestamp("2024-12-31") - accounts["合作起始日期"]).dt.days / 365.25).to_numpy()
    assert n[years > 8].mean() - n[years <= 3].mean() > 0.5
    big = accounts["企业规模"].eq("大型").to_numpy()
    assert (n[big] < 6).any() and (n[~big] == 6).any()


def test_top_two_are_clearly_separate_firms(accounts, totals):
    a = accounts.set_index("客户编号").loc[totals.index[:10]]
    assert a.iloc[0]["行业"] != a.iloc[1]["行业"] and a.iloc[0]["城市"] != a.iloc[1]["城市"]
    trades = [re.sub(r"^(" + "|".join(common.CITIES) + ")", "", n)[:2] for n in a["客户名称"]]
    for x, y in itertools.combinations(trades, 2):
        assert not set(x) & set(y), f"{x} / {y} look like one group"


def test_no_real_brand_and_real_mobile_prefixes(accounts, contacts):
    assert not any(b in name for name in accounts["客户名称"] for b in common.BRANDS)
    assert accounts["客户名称"].is_unique
    assert contacts["联系电话"].str.fullmatch(r"1\d\d\*{4}\d{4}").all()
    assert contacts["联系电话"].str[:3].isin(common.MOBILE_PREFIXES).all()


def test_one_person_two_roles_in_small_firms(contacts, accounts):
    dup = contacts[contacts.duplicated(["客户编号", "联系人"], keep=False)]
    assert len(dup) > 0
    assert set(dup["采购角色"]) == {"决策者", "批准者"}
    assert accounts.set_index("客户编号").loc[dup["客户编号"], "企业规模"].isin(["小型", "微型"]).all()


def test_credit_terms_follow_tenure(accounts, totals):
    a = accounts.set_index("客户编号")
    years = (pd.Timestamp("2024-12-31") - a["合作起始日期"]).dt.days / 365.25
    assert (a.loc[years < 1, "结算方式"] == "款到发货").all()
    rank = pd.Series(range(len(totals)), index=totals.index).reindex(a.index)
    long_big = (years >= 5) & (rank < 49)  # long-standing A-class accounts
    assert long_big.sum() > 15 and (a.loc[long_big, "结算方式"] != "款到发货").all()


def test_warning_story(orders, totals):
    ws = crm.warning_signs(orders)
    abc = crm.abc_classify(totals)
    a_flagged = ws.index[(ws["征兆数"] > 0) & ws.index.isin(abc.index[abc["ABC"] == "A"])]
    assert 5 <= len(a_flagged) <= 15
    # counter-example: flagged for a long gap while their purchases did not fall
    assert ((ws.loc[a_flagged, "间隔倍数"] >= 2) & (ws.loc[a_flagged, "变化率"] >= 0)).sum() >= 2
    # some accounts have a single order day: a data note, never counted as a sign
    notes = ws[ws["数据备注"] != ""]
    assert len(notes) > 0 and (notes["征兆数"] == ws.loc[notes.index, "征兆"].str.len().gt(0).astype(int)).all()


# ------------------------------------------------------------------ facts and the master


def test_enough_facts(master):
    facts = facts_of(_module("facts"))
    assert len(facts) >= 40
    # each fact is checked against the master and the data by tests/whole_course (test_facts_are_stated_and_true)


def test_master_shape(master):
    cells = master["cells"]
    src = [_source(c) for c in cells]
    assert not any("BEGIN HIDDEN TESTS" in s for s in src)
    for c in cells:
        if c["cell_type"] == "markdown" and c["metadata"].get("nbgrader", {}).get("grade_id") != "written":
            assert c["metadata"]["nbgrader"]["locked"] is True
    summary = next(s for s in src if s.startswith("## 小结"))
    assert "- [x]" not in summary and summary.count("- [ ]") >= 10
    assert not re.search("[✅❌💡⚠]", "".join(src))
    points = {}
    for c in cells:
        nb = c["metadata"].get("nbgrader", {})
        if nb.get("points"):
            points[nb["grade_id"]] = nb["points"]
    quiz = sum(v for k, v in points.items() if re.fullmatch(r"q\d\d_test", k))
    tasks = sum(v for k, v in points.items() if re.fullmatch(r"t\d_test", k))
    line = f"**本项目满分 {quiz + tasks + points['written']} 分**：自动评分 {quiz + tasks} 分（课后习题 {quiz} 分 + 实践训练 {tasks} 分），教师评分 {points['written']} 分。"
    assert line in src[0]
    for k in range(1, 7):
        test_cell = next(
            s for c, s in zip(cells, src) if c["metadata"].get("nbgrader", {}).get("grade_id") == f"t{k}_test"
        )
        assert test_cell.strip().count("\n") == 0 and test_cell.startswith(f'crm.check_task("p07-t{k}"')


def test_written_task_rubric_adds_up_and_one_role(master):
    prompt = next(
        _source(c) for c in master["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "written_prompt"
    )
    rows = re.findall(r"^\| [^|]+ \| (\d+) \|", prompt, flags=re.M)
    assert sum(map(int, rows)) == 10 and len(rows) >= 6
    assert "客户管理助理" in prompt and "以客户经理的身份" not in prompt


def test_aid_fact_sheet_is_in_sync(teacher):
    aid = (SOL / "teacher" / "aid.md").read_text(encoding="utf-8")
    assert teacher.aid_markdown(crm.load_dataset) in aid
    assert "（假设）" in aid


# ------------------------------------------------------------------ tasks: hidden grading and visible checks


def _solution_values(master):
    """Run the solution code of the six task cells (they load their own data) and collect the answers."""
    ns = {"crm": crm, "pd": pd}
    for c in master["cells"]:
        if re.fullmatch(r"t\d", c["metadata"].get("nbgrader", {}).get("grade_id", "")):
            exec(_source(c).replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), ns)
    return ns


@pytest.fixture(scope="module")
def answers(master, teacher):
    ns = _solution_values(master)
    return {name: ns[name] for t in tasks_of(teacher).values() for name in t.names}


def _off_by_one(value):
    return value + 1 if isinstance(value, (int, float)) else list(value)[1:]


def test_round_trip(teacher, answers):
    assert len(tasks_of(teacher)) == 6
    check_round_trip(teacher, answers, _off_by_one)


def test_right_answers_pass_the_visible_checks(answers):
    for k, (name, value) in enumerate(answers.items(), 1):
        getattr(visible, f"t{k}")(value)


def _wrong_values(orders, accounts, contacts):
    """Each task's named mistakes, computed here independently of crmlib.tasks.p07."""
    y = orders["下单日期"].dt.year

    def a_of(o, cls="A"):
        c = crm.abc_classify(o.groupby("客户编号")["金额"].sum())
        return set(c.index[c["ABC"] == cls])

    a24, a23 = a_of(orders[y == 2024]), a_of(orders[y == 2023])
    lb = orders[orders["产品线"] == "劳保用品"]
    mine = set(accounts.loc[accounts["客户经理"] == "乐桂芳", "客户编号"])

    def keep(r):
        return set(r.index[(r["R评分"] <= 3) & (r["F评分"] >= 4) & (r["M评分"] >= 4)])

    r24 = crm.rfm_table(orders[y == 2024], asof="2025-01-01")
    sens = crm.warning_signs(orders, window_days=90, drop_threshold=0.5)
    dflt = crm.warning_signs(orders)
    fired = set(sens.index[sens["征兆数"] >= 1])
    b = a_of(orders, "B")
    pyr = crm.customer_pyramid(orders.groupby("客户编号")["金额"].sum())
    key = set(pyr.index[pyr["等级"].isin(["重要客户", "主要客户"])])
    top = contacts[contacts["采购角色"].isin(["决策者", "批准者"])]
    sd = set(accounts.loc[accounts["省份"] == "山东", "客户编号"])
    s24 = orders[(y == 2024) & orders["客户编号"].isin(sd)]
    return {
        "t1": [len(a24), len(a24) - len(a23), len(a_of(orders))],
        "t2": [
            crm.pareto_share(orders[y == 2024].groupby("客户编号")["金额"].sum(), top=0.1),
            crm.pareto_share(lb.groupby("客户编号")["金额"].sum(), top=0.1),
            crm.pareto_share(lb[lb["下单日期"].dt.year == 2024].groupby("客户编号")["金额"].sum(), top=0.2),
        ],
        "t3": [
            sorted(keep(crm.rfm_table(orders, asof="2025-01-01")) & mine),
            sorted(keep(crm.rfm_table(orders[(y == 2024) & orders["客户编号"].isin(mine)], asof="2025-01-01"))),
            sorted(set(r24.index[(r24["R评分"] >= 4) & (r24["F评分"] >= 4) & (r24["M评分"] >= 4)]) & mine),
        ],
        "t4": [
            sorted(set(dflt.index[dflt["征兆数"] >= 1]) & b),
            sorted(fired & a_of(orders)),
            sorted(fired & a_of(orders[y == 2024], "B")),
            sorted(set(sens.index[sens["征兆数"] >= 2]) & b),
        ],
        "t5": [
            sorted(key - set(top.loc[top["关系程度"].isin(["密切", "一般"]), "客户编号"])),
            sorted(key - set(top["客户编号"])),
            sorted(a_of(orders) - set(top.loc[top["关系程度"] == "密切", "客户编号"])),
        ],
        "t6": [
            float((s24["配送费用"] / s24["金额"]).mean()),
            float(
                orders[orders["客户编号"].isin(sd)]["配送费用"].sum()
                / orders[orders["客户编号"].isin(sd)]["金额"].sum()
            ),
            float(orders[y == 2024]["配送费用"].sum() / orders[y == 2024]["金额"].sum()),
        ],
    }


def test_each_named_mistake_is_caught_and_differs_from_the_answer(orders, accounts, contacts, answers):
    right = dict(zip([f"t{k}" for k in range(1, 7)], answers.values()))
    for task, wrongs in _wrong_values(orders, accounts, contacts).items():
        for wrong in wrongs:
            if isinstance(wrong, list):
                assert set(wrong) != set(right[task]), f"{task}: a mistake gives the right answer"
            else:
                assert round(wrong, 4) != round(right[task], 4), f"{task}: a mistake gives the right answer"
            with pytest.raises(CheckFailed, match="常见的错误做法"):
                getattr(visible, task)(wrong)


def test_visible_checks_reject_wrong_shapes():
    with pytest.raises(CheckFailed):
        visible.t1(12.5)
    with pytest.raises(CheckFailed):
        visible.t2(41.4)  # a percentage, not a fraction
    with pytest.raises(CheckFailed):
        visible.t3(["天津某公司"])
    with pytest.raises(CheckFailed):
        visible.t6(None)


def _score_range(x, bins=5):
    """Lowest and highest score each value can get under any tie-breaking."""
    by = scores_by_rank(len(x), bins)
    return (
        by[(x.rank(method="min") - 1).astype(int).to_numpy()],
        by[(x.rank(method="max") - 1).astype(int).to_numpy()],
    )


def test_no_graded_answer_hinges_on_an_rfm_tie(orders, accounts, teacher):
    """Task 3's answer is the same whichever way the ties of R, F and M are broken."""
    r = crm.rfm_table(orders[orders["下单日期"].dt.year == 2024], asof="2025-01-01")
    ranges = {k: _score_range(x) for k, x in (("R", -r["R"]), ("F", r["F"]), ("M", r["M"]))}
    mine = accounts.loc[accounts["客户经理"] == "乐桂芳", "客户编号"]
    rows = r.index.isin(mine)
    sets = set()
    for i, j, k in itertools.product([0, 1], repeat=3):
        keep = (ranges["R"][i] <= 3) & (ranges["F"][j] >= 4) & (ranges["M"][k] >= 4)
        sets.add(frozenset(r.index[keep & rows]))
    assert sets == {frozenset(teacher.expected_t3(crm.load_dataset))}
    # and the notebook's tie example is a real tie across a score boundary
    two_year = crm.rfm_table(orders)
    tie = two_year[two_year["R"] == 27]
    assert tie["R评分"].nunique() == 2


def test_graded_pool_and_practice_bank_differ():
    from crmlib.questions.graded import load_graded

    pool = list(load_graded(SOL / "teacher" / "graded.yaml", "p07"))
    bank = list(crm.load_bank("p07"))
    assert len({q.id.rsplit("-", 1)[0] if q.case else q.id for q in pool}) >= 8 and any(q.case for q in pool)
    assert len(bank) >= 20 and any(q.case for q in bank)
    assert not {q.stem for q in pool} & {q.stem for q in bank}
    for q in pool:
        if q.type == "多选":
            assert len(q.answer) < len(q.options), f"{q.id} is all-correct"
    key = (SOL / "teacher" / "practice_key.yaml").read_text(encoding="utf-8")
    for q in bank:
        if q.type == "多选":
            ans = re.search(rf"^{q.id}: (\w+)", key, flags=re.M).group(1)
            assert len(ans) < len(q.options), f"{q.id} is all-correct"
