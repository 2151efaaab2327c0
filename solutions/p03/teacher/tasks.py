"""Hidden grading of p03's data tasks (teacher only; runs in the clean grading process)."""

import tempfile
from pathlib import Path

import pandas as pd

import crmlib as crm
from crmlib.course.facts import once
from crmlib.grading.judge import Result, decode, same_frame, same_items, same_number, task

NEW_WEIGHTS = {"品格": 30, "能力": 20, "资本": 20, "抵押": 10, "条件": 10, "连续性": 10}


@once  # several tasks start from the cleaned customer file: cleaned once per grading run (read only)
def _clean(data):
    return crm.clean_customers(data("p03_customers_raw"))


@once  # one archive per grading run: tasks only query it
def _archive(data):
    """Build the archive from the datasets exactly as the notebook does, in a scratch folder."""
    cleaned = _clean(data)
    scores, net = crm.prepare_credit_data(data("p03_credit_survey"), data("p03_statements"))
    credit = crm.credit_table(scores, net).reset_index()
    path = Path(tempfile.mkdtemp()) / "客户档案.db"
    return crm.build_archive(
        path, cleaned.customers, cleaned.contacts, credit, data("p03_invoices"), data("p03_payments")
    )


@task("t1_test", "苏州客户数")
def t1(ans, data):
    customers = _clean(data).customers
    expected = int((customers["城市"] == "苏州").sum())
    return [
        same_number(
            ans["苏州客户数"],
            expected,
            "苏州客户数",
            integer=True,
            hint="先把三个来源清洗合并成一家客户一行，再数城市是苏州的客户。",
        )
    ]


@task("t2_test", "城市客户数")
def t2(ans, data):
    db = _archive(data)
    expected = crm.query(
        db,
        """
        SELECT c.城市 AS 城市, COUNT(DISTINCT c.客户编号) AS 客户数
        FROM customers AS c
        WHERE c.客户编号 IN (SELECT 客户编号 FROM invoices WHERE 开票日期 BETWEEN '2025-01-01' AND '2025-12-31')
        GROUP BY c.城市""",
    )
    return [
        same_frame(
            ans["城市客户数"],
            expected,
            "城市客户数",
            columns=["客户数"],
            keys=["城市"],
            hint="每个城市数的是不同的客户：一家客户有很多张发票，要去掉重复；只算 2025 年开过发票的客户。",
        )
    ]


@task("t3_test", "十一月大额客户")
def t3(ans, data):
    db = _archive(data)
    expected = crm.query(
        db,
        """
        SELECT 客户编号 FROM invoices
        WHERE 开票日期 >= '2025-11-01' AND 开票日期 <= '2025-11-30' AND 金额 > 0
        GROUP BY 客户编号 HAVING SUM(金额) > 100000""",
    )["客户编号"].tolist()
    return [
        same_items(
            ans["十一月大额客户"],
            expected,
            "十一月大额客户",
            hint="按开票日期筛选 11 月，不含红字发票，按客户汇总后用 HAVING 筛选合计。",
        )
    ]


@task("t4_test", "周转天数变长客户")
def t4(ans, data):
    ratios = crm.financial_ratios(data("p03_statements"))
    both = ratios.pivot(index="客户编号", columns="年度", values="应收账款周转天数")
    longer = both[2024] - both[2023]
    return [
        same_items(
            ans["周转天数变长客户"],
            longer[longer > 10].index.tolist(),
            "周转天数变长客户",
            hint="每家客户算出两年的周转天数（平均应收账款、360 天），按客户编号对齐，2024 年减 2023 年，只留多出 10 天以上的。",
        )
    ]


@task("t5_test", "新额度合计", "等级变化客户")
def t5(ans, data):
    scores, net = crm.prepare_credit_data(data("p03_credit_survey"), data("p03_statements"))
    old = crm.credit_table(scores, net)
    new = crm.credit_table(scores, net, NEW_WEIGHTS).reindex(old.index)
    changed = old.index[old["等级"] != new["等级"]].tolist()
    return [
        same_number(
            ans["新额度合计"],
            float(new["建议额度"].sum()),
            "新额度合计",
            hint="每家客户：按新权重算加权得分，对照分数线定等级，额度 = 最近一年净资产（元）× 该等级的授信比例；再把 40 家加起来。",
        ),
        same_items(
            ans["等级变化客户"],
            changed,
            "等级变化客户",
            hint="两套权重下各评一次级，按客户编号对齐后比较“等级”，不是比较得分。",
        ),
    ]


@once  # the same for every submission: computed once per grading run
def _september(data):
    detail = crm.ageing(data("p03_invoices"), data("p03_payments"), "2025-09-30").detail
    region = detail[detail["销售区域"] == "上海区"]
    return crm.overdue_share(region), float(crm.bad_debt_provision(region).loc["合计", "坏账准备"])


@task("t6_test", "九月末逾期占比", "九月末坏账准备")
def t6(ans, data):
    share, provision = _september(data)
    return [
        same_number(
            ans["九月末逾期占比"],
            share,
            "九月末逾期占比",
            hint="分析日 2025-09-30：只算这一天以前开的发票和收到的款，只看销售区域为上海区的发票。",
        ),
        same_number(
            ans["九月末坏账准备"],
            provision,
            "九月末坏账准备",
            hint="各账龄段的未收金额分别乘以本段的计提比例，再相加。",
        ),
    ]


SURVEY_KEPT = ["客户编号", "调查日期", "调查员", "品格", "能力", "资本", "抵押", "条件", "连续性"]


def _as_text(values):
    """Cell values as comparable text: dates as YYYY-MM-DD whether they came as Timestamps or ISO strings."""
    return [str(v)[:10] if isinstance(v, pd.Timestamp) or "T00:00:00" in str(v) else str(v).strip() for v in values]


@task("t7_test", "脱敏调查表")
def t7(ans, data):
    name, hint = (
        "脱敏调查表",
        "姓名保留姓、按知识点5脱敏；身份证号销售部用不到，可以删掉，保留就要按身份证的规则脱敏；其他列原样保留。",
    )
    table = ans[name]
    if isinstance(table, dict) and table.get("__missing__"):
        return [Result(False, f"「{name}」没有找到（变量没有定义，或作答格运行出错）。提示：{hint}")]
    table = decode(table)
    if not isinstance(table, pd.DataFrame):
        return [Result(False, f"「{name}」不是一个表格（DataFrame）。提示：{hint}")]
    sv = data("p03_credit_survey")
    expected = crm.mask_frame(sv, {"法定代表人": "姓名", "身份证号": "身份证"})
    allowed = {*SURVEY_KEPT, "法定代表人", "身份证号"}
    problems = []
    needed = [c for c in [*SURVEY_KEPT, "法定代表人"] if c not in table.columns]
    if needed:
        problems.append(f"缺少列：{'、'.join(needed)}。")
    elif sorted(table["客户编号"].astype(str)) != sorted(sv["客户编号"]) or len(table) != len(sv):
        problems.append("的行不对：应该是每家被调查的客户一行。")
    else:
        got = table.set_index(table["客户编号"].astype(str)).reindex(sv["客户编号"])
        want = expected.set_index("客户编号")
        columns = [c for c in [*SURVEY_KEPT[1:], "法定代表人", "身份证号"] if c in table.columns]
        wrong = [c for c in columns if _as_text(got[c]) != _as_text(want[c])]
        if wrong:
            problems.append(f"的「{'」「'.join(wrong)}」列不对。")
    extra = [str(c) for c in table.columns if c not in allowed]
    if extra:
        problems.append(f"多了列：{'、'.join(extra)}。")
    if problems:
        return [Result(False, f"「{name}」{problems[0]}提示：{hint}")]
    return [Result(True)]
