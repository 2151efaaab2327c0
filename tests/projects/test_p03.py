"""Project p03 客户信息管理: the data tells its story (with counter-examples, on the China calendar),
every fact in the prose holds, the archive is built and queried, the tasks are graded right, and the
visible checks catch each named mistake."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from support import HEADINGS, load_file, check_round_trip, passes_by_task

import crmlib as crm
from crmlib.course.checks import CheckFailed
from crmlib.course.facts import facts_of
from crmlib.generators import common
from crmlib.grading.capture import dumps
from crmlib.grading.judge import tasks_of
from crmlib.tasks import p03 as visible

ROOT = Path(__file__).resolve().parents[2]
SOL = ROOT / "solutions" / "p03"
MASTER = SOL / "p03_customer_info.ipynb"


def _module(name):
    return load_file(SOL / "teacher" / f"{name}.py", f"p03_teacher_{name}")


def _source(cell):
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


@pytest.fixture(scope="module")
def master():
    return json.loads(MASTER.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def teacher():
    return _module("tasks")


# ------------------------------------------------------------------ the data's story


def test_ledger_on_the_china_calendar():
    inv, pay = crm.load_dataset("p03_invoices"), crm.load_dataset("p03_payments")
    assert common.is_workday(inv["开票日期"]).all() and common.is_workday(pay["收款日期"]).all()
    assert not (inv["开票日期"].dt.strftime("%m-%d") == "10-01").any()  # nothing on National Day
    normal = inv[inv["金额"] > 0]
    assert set((normal["到期日"] - normal["开票日期"]).dt.days) == {30, 60, 90}
    assert inv["发票号"].is_unique and pay["收款号"].is_unique


def test_quirks_of_a_real_ledger():
    inv, pay = crm.load_dataset("p03_invoices"), crm.load_dataset("p03_payments")
    notes = inv[inv["金额"] < 0]
    assert len(notes) >= 5 and notes["原发票号"].isin(inv["发票号"]).all()
    twice = pay.groupby("发票号").size()
    assert "FP2500698" in twice[twice == 2].index
    assert (~pay["发票号"].isin(inv["发票号"])).sum() == 1
    regions = inv.groupby("客户编号")["销售区域"].nunique()
    assert regions[regions > 1].index.tolist() == ["C0038"]
    both = pay.merge(inv[["发票号", "金额"]], on="发票号", suffixes=("", "_发票"))
    assert (both["金额"] < both["金额_发票"] - 0.01).sum() > 20  # many invoices were paid in parts


def test_counter_examples():
    """No answer is a restatement of a rule: revenue is not credit, a high score is not a good payer,
    a shared trade name is not one company."""
    scores, net = crm.prepare_credit_data(crm.load_dataset("p03_credit_survey"), crm.load_dataset("p03_statements"))
    table = crm.credit_table(scores, net)
    st = crm.load_dataset("p03_statements")
    rev = st[st["年度"] == 2024].set_index("客户编号")["营业收入"]
    top3 = rev.nlargest(3).index
    assert set(table.loc[top3, "等级"]) != {table.loc[top3[0], "等级"]}  # the biggest three differ in grade
    year_end = crm.ageing(crm.load_dataset("p03_invoices"), crm.load_dataset("p03_payments"), "2025-12-31")
    overdue = year_end.by_customer["逾期金额"].reindex(table.index).fillna(0)
    assert scores.loc["C0230", "品格"] >= 75
    assert overdue["C0230"] > 100_000  # decent character score, big overdue
    assert overdue[table["等级"].isin(["AAA", "AA"])].max() < overdue[table["等级"] == "C"].max()
    customers = crm.clean_customers(crm.load_dataset("p03_customers_raw")).customers
    keys = customers["客户名称"].map(crm.name_key)
    assert keys.duplicated().sum() == 3  # three look-alike pairs, kept apart


# ------------------------------------------------------------------ the notebook


def test_enough_facts(master):
    facts = facts_of(_module("facts"))
    assert len(facts) >= 25
    # each fact is checked against the master and the data by tests/whole_course (test_facts_are_stated_and_true)


def test_master_shape(master):
    cells = master["cells"]
    src = [_source(c) for c in cells]
    heads = [s.splitlines()[0] for s in src if s.startswith("## ")]
    assert heads == [f"## {h}" for h in HEADINGS]
    points = [re.search(r"### 知识点(\d+)", s) for s in src]
    assert [int(m.group(1)) for m in points if m] == list(range(1, 12))
    summary = next(s for s in src if s.startswith("## 小结"))
    assert "- [x]" not in summary and summary.count("- [ ]") >= 10
    assert not re.search("[✅❌💡⚠]", "".join(src))
    meta = {c["metadata"].get("nbgrader", {}).get("grade_id"): c["metadata"].get("nbgrader", {}) for c in cells}
    quiz = sum(m.get("points", 0) for k, m in meta.items() if k and re.fullmatch(r"q\d\d_test", k))
    tasks = sum(m.get("points", 0) for k, m in meta.items() if k and re.fullmatch(r"t\d_test", k))
    line = (
        f"**本项目满分 {quiz + tasks + meta['written']['points']} 分**：自动评分 {quiz + tasks} 分"
        f"（课后习题 {quiz} 分 + 实践训练 {tasks} 分），教师评分 {meta['written']['points']} 分。"
    )
    assert line in src[0]
    for k in range(1, 8):
        cell = next(s for c, s in zip(cells, src) if c["metadata"].get("nbgrader", {}).get("grade_id") == f"t{k}_test")
        assert cell.count("\n") == 0 and cell.startswith(f'crm.check_task("p03-t{k}"')
    assert any("crm.build_archive(" in s for s in src) and any("crm.query(" in s for s in src)


def test_written_rubric_adds_up(master):
    prompt = next(
        _source(c) for c in master["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "written_prompt"
    )
    rows = re.findall(r"^\| [^|]+ \| (\d+) \|", prompt, flags=re.M)
    assert sum(map(int, rows)) == 10 and len(rows) >= 5
    assert "客户管理助理" in prompt
    aid = (SOL / "teacher" / "aid.md").read_text(encoding="utf-8")
    assert "（假设）" in aid and all(k in aid for k in ("C0038", "C0112", "C0173", "C0230"))


def test_hints_do_not_spell_out_calls(master):
    for c in master["cells"]:
        gid = c["metadata"].get("nbgrader", {}).get("grade_id", "")
        if re.fullmatch(r"t\d_prompt", gid):
            hint = _source(c).split("提示", 1)[-1]
            assert "crm." not in hint and "(" not in hint.replace("（", ""), f"{gid}: a hint spells out a call"


# ------------------------------------------------------------------ tasks: hidden grading and visible checks


def _solution_values(master, tmp):
    """Run the notebook's archive cell and the seven task cells in a scratch folder; collect the answers."""
    import os

    ns = {"crm": crm, "pd": pd}
    here = os.getcwd()
    os.chdir(tmp)
    try:
        for c in master["cells"]:
            s = _source(c)
            gid = c["metadata"].get("nbgrader", {}).get("grade_id", "")
            if (
                s.startswith("原始 = crm.load_dataset")
                or "crm.clean_customers(原始)" in s.split("\n")[0]
                or s.startswith("评分, 净资产")
                or re.fullmatch(r"t\d", gid)
            ):
                exec(s.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), ns)
    finally:
        os.chdir(here)
    return ns


@pytest.fixture(scope="module")
def answers(master, teacher, tmp_path_factory):
    ns = _solution_values(master, tmp_path_factory.mktemp("p03"))
    return {name: ns[name] for t in tasks_of(teacher).values() for name in t.names}


def _off(value):
    if isinstance(value, pd.DataFrame):
        out = value.copy()
        out.iloc[0, -1] = "0" * 8 if isinstance(out.iloc[0, -1], str) else out.iloc[0, -1] + 1
        return out
    if isinstance(value, str):
        return "C" if value != "C" else "B"
    if isinstance(value, (int, float)):
        return value * 1.1 + 1
    return list(value)[1:]


@pytest.mark.full  # grades the solution 14 times (~7 s); the whole-course round trip runs in the full tier too
def test_round_trip(teacher, answers):
    assert len(tasks_of(teacher)) == 7
    check_round_trip(teacher, answers, _off)


def test_sensible_rounding_is_right(teacher, answers):
    rounded = dict(
        answers,
        九月末逾期占比=round(answers["九月末逾期占比"], 4),
        九月末坏账准备=round(answers["九月末坏账准备"]),
    )
    assert all(passes_by_task(teacher, rounded).values())


def test_right_answers_pass_the_visible_checks(answers):
    visible.t1(answers["苏州客户数"])
    visible.t2(answers["城市客户数"])
    visible.t3(answers["十一月大额客户"])
    visible.t4(answers["周转天数变长客户"])
    visible.t5(answers["新额度合计"], answers["等级变化客户"])
    visible.t6(answers["九月末逾期占比"], answers["九月末坏账准备"])
    visible.t7(answers["脱敏调查表"])


def test_each_named_mistake_is_caught(answers, teacher, tmp_path):
    """Each mistake, computed here independently of crmlib.tasks.p03, differs from the answer and is named."""
    raw = crm.load_dataset("p03_customers_raw")
    sz = raw[raw["城市"] == "苏州"]
    for wrong in (len(sz), sz["客户编号"].nunique()):
        assert wrong != answers["苏州客户数"]
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t1(wrong)

    c = crm.clean_customers(raw)
    db = crm.build_archive(
        tmp_path / "a.db",
        c.customers,
        c.contacts,
        None,
        crm.load_dataset("p03_invoices"),
        crm.load_dataset("p03_payments"),
    )
    by_invoice = crm.query(
        db,
        "SELECT c.城市, COUNT(*) AS 客户数 FROM customers c JOIN invoices i ON i.客户编号 = c.客户编号 GROUP BY c.城市",
    )
    everyone = crm.query(db, "SELECT 城市, COUNT(*) AS 客户数 FROM customers GROUP BY 城市")
    for wrong in (by_invoice, everyone):
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t2(wrong)

    by_due = crm.query(
        db,
        "SELECT 客户编号 FROM invoices WHERE 到期日 LIKE '2025-11%' AND 金额 > 0 "
        "GROUP BY 客户编号 HAVING SUM(金额) > 100000",
    )["客户编号"].tolist()
    all_nov = crm.query(db, "SELECT DISTINCT 客户编号 FROM invoices WHERE 开票日期 LIKE '2025-11%' AND 金额 > 0")[
        "客户编号"
    ].tolist()
    for wrong in (by_due, all_nov):
        assert set(wrong) != set(answers["十一月大额客户"])
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t3(wrong)

    st = crm.load_dataset("p03_statements")
    assert 5 <= len(answers["周转天数变长客户"]) <= 20  # a real short list: not empty, not everyone
    for wrong in _t4_mistakes(st):
        assert set(wrong) != set(answers["周转天数变长客户"])
        assert not passes_by_task(teacher, dict(answers, 周转天数变长客户=wrong))["t4_test"]
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t4(wrong)
    y23 = crm.financial_ratios(st[st["年度"] == 2023])["应收账款周转天数"]
    y24 = crm.financial_ratios(st[st["年度"] == 2024])["应收账款周转天数"]
    assert (y24 - y23).dropna().empty  # subtracting two filtered tables aligns on row labels: nothing left
    with pytest.raises(CheckFailed, match="按客户编号"):
        visible.t4([])

    scores, net = crm.prepare_credit_data(crm.load_dataset("p03_credit_survey"), st)
    for weights in (None, {k: 1 for k in crm.FACTORS_6C}):
        wrong = float(crm.credit_table(scores, net, weights)["建议额度"].sum())
        assert round(wrong) != round(answers["新额度合计"])
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t5(wrong, answers["等级变化客户"])
    old = crm.credit_table(scores, net)
    new = crm.credit_table(scores, net, {"品格": 30, "能力": 20, "资本": 20, "抵押": 10, "条件": 10, "连续性": 10})
    by_position = [c for c, a, b in zip(old.index, old["等级"].tolist(), new["等级"].tolist()) if a != b]
    moved = old.index[old["得分"] != new["得分"].reindex(old.index)].tolist()
    top = new.index[new["等级"].isin(["AAA", "AA"])].tolist()
    for wrong in (by_position, moved, top):
        assert set(wrong) != set(answers["等级变化客户"])
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t5(answers["新额度合计"], wrong)

    inv, pay = crm.load_dataset("p03_invoices"), crm.load_dataset("p03_payments")
    sh = lambda d: d[d["销售区域"] == "上海区"]  # noqa: E731
    no_cut = sh(
        crm.ageing(
            inv[inv["开票日期"] <= "2025-09-30"], pay.assign(收款日期=pd.Timestamp("2025-09-01")), "2025-09-30"
        ).detail
    )
    dec = sh(crm.ageing(inv, pay, "2025-12-31").detail)
    whole = crm.ageing(inv, pay, "2025-09-30").detail
    city = c.customers.loc[c.customers["城市"] == "上海", "客户编号"]
    by_city = whole[whole["客户编号"].isin(city)]
    for detail in (no_cut, dec, whole, by_city):
        share = crm.overdue_share(detail)
        assert round(share, 4) != round(answers["九月末逾期占比"], 4)
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t6(share, answers["九月末坏账准备"])
    for detail in (whole, by_city):
        provision = float(crm.bad_debt_provision(detail).loc["合计", "坏账准备"])
        assert round(provision) != round(answers["九月末坏账准备"])
        with pytest.raises(CheckFailed, match="常见的错误做法"):
            visible.t6(answers["九月末逾期占比"], provision)
    flat = no_cut[(no_cut["未收金额"] > 0) & ~no_cut["账龄"].isin(["未到期", "多收待退", "待核销"])]
    with pytest.raises(CheckFailed, match="常见的错误做法"):
        visible.t6(answers["九月末逾期占比"], float(flat["未收金额"].sum() * 0.05))

    for wrong, caught in _t7_mistakes():
        assert not passes_by_task(teacher, dict(answers, 脱敏调查表=wrong))["t7_test"]
        with pytest.raises(CheckFailed, match=caught):
            visible.t7(wrong)


def test_task7_accepts_masking_the_id_instead_of_dropping_it(teacher, answers):
    """Dropping the ID number (the model solution) and masking it by the ID rule are both right."""
    sv = crm.load_dataset("p03_credit_survey")
    masked = crm.mask_frame(sv, {"法定代表人": "姓名", "身份证号": "身份证"})
    visible.t7(masked)
    assert passes_by_task(teacher, dict(answers, 脱敏调查表=masked))["t7_test"]
    as_sent = json.loads(dumps(["表"], {"表": masked}))["表"]  # as the grader receives it: dates as ISO text
    assert passes_by_task(teacher, dict(answers, 脱敏调查表=as_sent))["t7_test"]
    assert "身份证号" not in answers["脱敏调查表"].columns and sv.equals(crm.load_dataset("p03_credit_survey"))


def _t4_mistakes(st):
    """Task 4's wrong lists, computed here from the statements without crmlib's ratios."""
    avg = (st["期初应收账款"] + st["期末应收账款"]) / 2
    days = st.assign(平均=360 * avg / st["营业收入"], 期末=360 * st["期末应收账款"] / st["营业收入"])
    both = days.pivot(index="客户编号", columns="年度", values="平均")
    end = days.pivot(index="客户编号", columns="年度", values="期末")
    rise, end_rise = both[2024] - both[2023], end[2024] - end[2023]
    y23 = days[days["年度"] == 2023].reset_index(drop=True)
    y24 = days[days["年度"] == 2024].reset_index(drop=True)
    by_row = y24["平均"] - y23["平均"]
    return [
        rise[rise < -10].index.tolist(),  # 2023 minus 2024
        rise[rise.abs() > 10].index.tolist(),  # either direction
        rise[rise > 0].index.tolist(),  # no threshold
        end_rise[end_rise > 10].index.tolist(),  # year-end receivables only
        y23.loc[by_row[by_row > 10].index, "客户编号"].tolist(),  # by position, 2023's codes
        y24.loc[by_row[by_row > 10].index, "客户编号"].tolist(),  # by position, 2024's codes
    ]


def _t7_mistakes():
    """(wrong table, what the visible check says) for task 7."""
    sv = crm.load_dataset("p03_credit_survey")
    good = crm.mask_frame(sv, {"法定代表人": "姓名", "身份证号": "身份证"})
    ids, names = sv["身份证号"], sv["法定代表人"]
    return [
        (sv.copy(), "完整的身份证号"),  # nothing masked
        (good.assign(身份证号=ids), "完整的身份证号"),  # the ID number left
        (good.assign(法定代表人=names), "完整的法定代表人"),  # the name left
        (good[["客户编号", "法定代表人", "身份证号"]], "没有这些列"),  # the old three-column cut
        (good.drop(columns=["调查员"]), "没有这些列"),  # a business column dropped
        (good.drop(columns=["法定代表人"]), "没有法定代表人"),  # the surname is needed
        (crm.mask_frame(good, {"调查员": "姓名"}), "常见的错误做法"),  # our own staff masked
        (good.assign(法定代表人=names.map(lambda n: "*" * len(n))), "常见的错误做法"),  # surname hidden too
        (crm.mask_frame(sv, {"法定代表人": "地址", "身份证号": "身份证"}), "常见的错误做法"),  # wrong kind
        (crm.mask_frame(sv, {"法定代表人": "姓名", "身份证号": "电话"}), "常见的错误做法"),  # wrong kind
        (good.assign(身份证号=ids.str[:14] + "****"), "常见的错误做法"),  # birth date left
        (good.assign(身份证号=ids.str[:6] + "*" * 8 + ids.str[-4:]), "常见的错误做法"),  # district left
        (good.assign(身份证号=ids.str[:4] + "****" + ids.str[-4:]), "不是 18 位"),
        (good.assign(法定代表人=names.str[0] + "*"), "字数变了"),
    ]


def test_visible_checks_reject_wrong_shapes():
    with pytest.raises(CheckFailed):
        visible.t1(74.5)
    with pytest.raises(CheckFailed):
        visible.t2(pd.Series({"苏州": 3}))
    with pytest.raises(CheckFailed):
        visible.t3(["苏州某公司"])
    with pytest.raises(CheckFailed):
        visible.t5("AA", ["C0173"])  # a grade, not a total
    with pytest.raises(CheckFailed):
        visible.t5(22_000_000.0, "C0173")  # a code, not a list
    with pytest.raises(CheckFailed):
        visible.t6(18.6, 1000.0)  # a percentage, not a share
    with pytest.raises(CheckFailed):
        visible.t7(crm.load_dataset("p03_credit_survey"))  # not masked
    with pytest.raises(CheckFailed):
        visible.t4("C0112")  # a code, not a list


def test_graded_pool_and_practice_bank_differ():
    from crmlib.questions.graded import load_graded

    pool = list(load_graded(SOL / "teacher" / "graded.yaml", "p03"))
    bank = list(crm.load_bank("p03"))
    assert len({q.id.rsplit("-", 1)[0] if q.case else q.id for q in pool}) >= 8 and any(q.case for q in pool)
    assert len(bank) >= 20 and any(q.case for q in bank)
    assert not {q.stem for q in pool} & {q.stem for q in bank}
    key = (SOL / "teacher" / "practice_key.yaml").read_text(encoding="utf-8")
    for q in pool:
        if q.type == "多选":
            assert len(q.answer) < len(q.options), f"{q.id} is all-correct"
    for q in bank:
        assert re.search(rf"^{q.id}: ", key, flags=re.M), f"{q.id} has no key"
        if q.type == "多选":
            ans = re.search(rf"^{q.id}: (\w+)", key, flags=re.M).group(1)
            assert len(ans) < len(q.options), f"{q.id} is all-correct"
