"""Visible checks of p03's data tasks: shape, range and the named mistakes; never the right value."""

import pandas as pd

from ..course.checks import fail
from ..course.datasets import derived, load_dataset
from ..course.visible import frame, id_list, not_mistaken, number

SEPT = pd.Timestamp("2025-09-30")


def t1(value):
    """苏州客户数: customers in 苏州 after cleaning and merging the three sources."""
    n = number(
        value,
        "苏州客户数",
        minimum=1,
        maximum=500,
        integer=True,
        hint="应该是一个整数：清洗合并后，城市是苏州的客户有几家。",
    )
    raw = load_dataset("p03_customers_raw")
    rows = raw[raw["城市"] == "苏州"]
    not_mistaken(
        n,
        {
            "数的是原始资料里城市为苏州的行数，没有去重": len(rows),
            "直接数了原始客户编号有几种，没有先清洗编号（全角、小写、空格）和合并没有编号的行": rows[
                "客户编号"
            ].nunique(),
        },
        "苏州客户数",
    )


def t2(table):
    """城市客户数: a table 城市, 客户数 of the customers invoiced in 2025, from SQL."""
    frame(
        table,
        "城市客户数",
        columns=["城市", "客户数"],
        hint="查询结果应该是两列：城市、客户数（列名可以在 SQL 里起）。",
    )
    if table["城市"].duplicated().any():
        fail(
            "「城市客户数」里同一个城市出现了不止一行。",
            "每个城市只应有一行：想一想 SQL 里哪个子句把同一城市的行归到一起。",
        )
    total = number(float(pd.to_numeric(table["客户数"], errors="coerce").sum()), "各城市客户数之和", minimum=1)
    inv = load_dataset("p03_invoices")
    not_mistaken(
        total,
        {
            "数的是发票张数（COUNT(*)），不是不同的客户数": len(inv),
            "统计了档案里的全部客户，没有限定 2025 年开过发票的客户": 300,
        },
        "城市客户数",
    )


def t3(value):
    """十一月大额客户: codes of customers invoiced more than 100,000 元 in November 2025."""
    inv = load_dataset("p03_invoices")
    items = id_list(value, "十一月大额客户", set(inv["客户编号"]), what="客户编号")
    if not items:
        fail("「十一月大额客户」是空列表。", "检查日期条件和金额条件，并确认已运行 SQL。")
    normal = inv[inv["金额"] > 0]

    def over(rows):
        sums = rows.groupby("客户编号")["金额"].sum()
        return set(sums[sums > 100000].index)

    by_due = normal[(normal["到期日"] >= "2025-11-01") & (normal["到期日"] <= "2025-11-30")]
    not_mistaken(
        items,
        {
            "按到期日筛选了 11 月（题目要的是开票日期在 11 月）": over(by_due),
            "把 11 月开过发票的客户都列出来了，没有按合计金额超过 10 万元筛选": set(
                normal[(normal["开票日期"] >= "2025-11-01") & (normal["开票日期"] <= "2025-11-30")]["客户编号"]
            ),
        },
        "十一月大额客户",
    )


def t4(value):
    """周转天数变长客户: codes whose DSO (days, 360-day year) rose by more than 10 days from 2023 to 2024."""
    st = load_dataset("p03_statements")
    items = id_list(value, "周转天数变长客户", set(st["客户编号"]), what="客户编号")
    if not items:
        fail(
            "「周转天数变长客户」是空列表。",
            "如果两年的数直接相减得到的全是空值，说明两张表是按行号对齐的：先按客户编号把两年放到同一行，再相减。",
        )
    not_mistaken(items, derived(_t4_mistakes, "p03_statements"), "周转天数变长客户")


def _t4_mistakes(st):
    """Task 4's wrong cuts, from the data only (once per kernel)."""

    def days(end_only=False):
        receivable = st["期末应收账款"] if end_only else (st["期初应收账款"] + st["期末应收账款"]) / 2
        d = st.assign(天数=360 * receivable / st["营业收入"])
        return d.pivot(index="客户编号", columns="年度", values="天数")

    both = days()
    change = both[2024] - both[2023]
    end = days(end_only=True)
    end_change = end[2024] - end[2023]
    y23 = st[st["年度"] == 2023].reset_index(drop=True)
    y24 = st[st["年度"] == 2024].reset_index(drop=True)
    by_row = (360 * (y24["期初应收账款"] + y24["期末应收账款"]) / 2 / y24["营业收入"]) - (
        360 * (y23["期初应收账款"] + y23["期末应收账款"]) / 2 / y23["营业收入"]
    )
    rows = by_row[by_row > 10].index
    return {
        "减反了，找出的是周转天数缩短 10 天以上的客户": set(change[change < -10].index),
        "用了变化的绝对值，把缩短 10 天以上的客户也算进来了": set(change[change.abs() > 10].index),
        "只要变长就算了，没有按多出 10 天以上筛选": set(change[change > 0].index),
        "只用了期末应收账款，没有用期初和期末的平均数": set(end_change[end_change > 10].index),
        "两年的数按行的位置相减了（C0038 只有 2023 年的报表，后面的客户全都错位）": set(y23.loc[rows, "客户编号"]),
        "两年的数按行的位置相减了，再取了 2024 年那一行的客户编号（C0038 之后全都错位）": set(
            y24.loc[rows, "客户编号"]
        ),
    }


def t5(total, changed):
    """新额度合计 (元) and 等级变化客户 (codes) under the credit department's new weights."""
    v = number(total, "新额度合计", minimum=0, maximum=1e10, hint="额度合计以元为单位，是一个数。")
    from ..topics.credit import credit_table
    from ..widgets.credit_rating import prepare_credit_data

    survey = load_dataset("p03_credit_survey")
    items = id_list(changed, "等级变化客户", set(survey["客户编号"]), what="客户编号")
    scores, net = prepare_credit_data(survey, load_dataset("p03_statements"))
    old = credit_table(scores, net)
    new = credit_table(scores, net, {"品格": 30, "能力": 20, "资本": 20, "抵押": 10, "条件": 10, "连续性": 10})
    equal = credit_table(scores, net, {k: 1 for k in scores.columns})
    not_mistaken(
        v,
        {
            "还在用默认权重（题目给了信用部的新权重）": float(old["建议额度"].sum()),
            "六个要素用了相同的权重": float(equal["建议额度"].sum()),
        },
        "新额度合计",
    )
    by_position = {code for code, a, b in zip(old.index, old["等级"], new["等级"]) if a != b}
    score_moved = set(old.index[old["得分"] != new["得分"].reindex(old.index)])
    not_mistaken(
        items,
        {
            "两张表按得分排序、行的顺序不同，却按位置逐行比较了": by_position,
            "列出的是得分变了的客户（题目问的是等级变了的）": score_moved,
            "列出的是新权重下所有 AA 级以上的客户": set(new.index[new["等级"].isin(["AAA", "AA"])]),
        },
        "等级变化客户",
    )


def _open_items(asof, all_payments, keep=None):
    """Open amount and days overdue per invoice as of `asof`; `keep(invoices)` selects the invoices."""
    inv = load_dataset("p03_invoices")
    pay = load_dataset("p03_payments")
    if not all_payments:
        pay = pay[pay["收款日期"] <= asof]
    inv = inv[inv["开票日期"] <= asof]
    if keep is not None:
        inv = inv[keep(inv)]
    normal = inv[inv["金额"] > 0].set_index("发票号")
    notes = inv[inv["金额"] < 0].groupby("原发票号")["金额"].sum()
    paid = pay.groupby("发票号")["金额"].sum()
    open_ = normal["金额"] - paid.reindex(normal.index, fill_value=0) + notes.reindex(normal.index, fill_value=0)
    late = (asof - normal["到期日"]).dt.days
    open_items = open_ > 0.004
    return open_[open_items], late[open_items]


def _share(amounts, late):
    return float(amounts[late > 0].sum() / amounts.sum())


def _provision(amounts, late):
    rates = pd.cut(late, [-(10**6), 0, 30, 60, 90, 180, 10**6], labels=[0, 0.02, 0.05, 0.10, 0.30, 0.80]).astype(float)
    return float((amounts * rates).round(2).sum())


def t6(share, provision):
    """九月末逾期占比 (0–1) and 九月末坏账准备 (元) of the 上海区 invoices as of 2025-09-30."""
    s = number(share, "九月末逾期占比", minimum=0, maximum=1, hint="写成 0～1 之间的小数，不要乘以 100。")
    p = number(provision, "九月末坏账准备", minimum=0, hint="坏账准备以元为单位。")
    shares, provisions = derived(_t6_mistakes, "p03_customers_raw", "p03_invoices", "p03_payments")
    not_mistaken(s, shares, "九月末逾期占比")
    not_mistaken(p, provisions, "九月末坏账准备")


def _t6_mistakes(*_):
    """Task 6's wrong cut-offs, scopes and rates: (shares, provisions), from the data only (once per kernel)."""
    region = lambda inv: inv["销售区域"] == "上海区"  # noqa: E731
    from ..topics.customer_data import clean_customers

    customers = clean_customers(load_dataset("p03_customers_raw")).customers
    shanghai = set(customers.loc[customers["城市"] == "上海", "客户编号"])
    by_city = lambda inv: inv["客户编号"].isin(shanghai)  # noqa: E731
    cases = {
        "收款没有截至 9 月 30 日（用了全年的收款）": (SEPT, True, region),
        "还是按 12 月 31 日算的（题目要的是 9 月 30 日）": (pd.Timestamp("2025-12-31"), False, region),
        "算的是全公司，没有只看上海区的发票": (SEPT, False, None),
        "按客户登记的城市（上海）筛选了，题目要的是发票上的销售区域": (SEPT, False, by_city),
    }
    shares, provisions = {}, {}
    for label, (asof, everything, keep) in cases.items():
        amounts, late = _open_items(asof, everything, keep)
        shares[label] = _share(amounts, late)
        provisions[label] = _provision(amounts, late)
    amounts, late = _open_items(SEPT, True, region)
    provisions["所有逾期款都按同一个比例计提了（应按账龄段分别计提）"] = float(amounts[late > 0].sum() * 0.05)
    return shares, provisions


SURVEY_KEPT = ["客户编号", "调查日期", "调查员", "品格", "能力", "资本", "抵押", "条件", "连续性"]


def t7(table):
    """脱敏调查表: the credit survey for the sales department, the customers' personal data masked or dropped."""
    from ..topics.customer_data import mask_frame

    frame(table, "脱敏调查表", hint="结果应该是一个表格：信用调查表的副本。")
    sv = load_dataset("p03_credit_survey")
    if len(table) != len(sv):
        fail(f"「脱敏调查表」有 {len(table)} 行，信用调查表有 {len(sv)} 行。", "脱敏是改写每一行，不要删行或加行。")
    gone = [c for c in SURVEY_KEPT if c not in table.columns]
    if gone:
        fail(
            f"「脱敏调查表」里没有这些列：{'、'.join(gone)}。",
            "只有客户一方的个人信息可以整列删掉；其他列是销售部要用的，要原样保留。",
        )
    if "法定代表人" not in table.columns:
        fail("「脱敏调查表」里没有法定代表人这一列。", "销售部要知道法定代表人姓什么：这一列要脱敏后保留，不要删。")
    ids = set(sv["身份证号"].astype(str))
    for col in table.columns:
        if set(map(str, table[col])) & ids:
            fail(
                f"「脱敏调查表」的「{col}」列里还有完整的身份证号。",
                "身份证号是敏感个人信息：销售部用不到，整列删掉或者遮住。",
            )
    names = list(map(str, table["法定代表人"]))
    if set(names) & set(sv["法定代表人"]):
        fail("「脱敏调查表」里还有完整的法定代表人姓名。", "姓名只保留姓，名字用 * 代替。")
    staff = list(map(str, table["调查员"]))
    not_mistaken(
        staff,
        {"把本公司调查员的姓名也遮住了（题目说调查员原样保留）": {n[0] + "*" * (len(n) - 1) for n in sv["调查员"]}},
        "脱敏调查表的调查员",
    )
    if set(staff) != set(sv["调查员"]):
        fail("「脱敏调查表」的调查员一列被改动了。", "调查员是本公司信用部的同事，这一列原样保留。")
    not_mistaken(
        names,
        {
            "把姓也遮住了（通常保留姓，便于称呼和核对）": {"*" * len(n) for n in sv["法定代表人"]},
            "姓名按地址的规则脱敏了（每一列要按它的信息种类选规则）": set(
                mask_frame(sv[["法定代表人"]], {"法定代表人": "地址"})["法定代表人"]
            ),
        },
        "脱敏调查表的法定代表人",
    )
    if sorted(map(len, names)) != sorted(map(len, sv["法定代表人"])):
        fail("「脱敏调查表」里有的姓名字数变了。", "姓名只留第一个字，其余每个字换成一个 *，字数不变。")
    if "身份证号" not in table.columns:
        return
    masked = [str(i) for i in table["身份证号"]]
    full = sv["身份证号"].astype(str)
    not_mistaken(
        masked,
        {
            "只遮住了最后 4 位，出生日期还露在外面": {i[:14] + "****" for i in full},
            "保留了前 6 位，区县代码也露在外面（知识点5的做法只保留前 4 位）": {i[:6] + "*" * 8 + i[-4:] for i in full},
            "身份证号按电话的规则脱敏了（每一列要按它的信息种类选规则）": set(
                mask_frame(sv[["身份证号"]], {"身份证号": "电话"})["身份证号"]
            ),
        },
        "脱敏调查表的身份证号",
    )
    short = sum(len(i) != 18 for i in masked)
    if short:
        fail(
            f"「脱敏调查表」里有 {short} 个身份证号不是 18 位。",
            "脱敏只是把要遮住的数字换成 *，遮住几位就写几个 *，总位数不变。",
        )
