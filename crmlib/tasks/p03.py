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
    """周转天数中位数: median 2023 DSO over the customers with statements (days, 360-day year)."""
    v = number(
        value, "周转天数中位数", minimum=1, maximum=720, hint="应收账款周转天数是“天”，一般在几十到一两百天之间。"
    )
    st = load_dataset("p03_statements")
    s = st[st["年度"] == 2023]
    avg = (s["期初应收账款"] + s["期末应收账款"]) / 2
    not_mistaken(
        v,
        {
            "只用了期末应收账款，没有用期初和期末的平均数": (360 * s["期末应收账款"] / s["营业收入"]).median(),
            "一年按 365 天算了（本课程按 360 天）": (365 * avg / s["营业收入"]).median(),
            "求的是平均数，不是中位数": (360 * avg / s["营业收入"]).mean(),
            "用了 2024 年的报表": (
                360
                * (st[st["年度"] == 2024]["期初应收账款"] + st[st["年度"] == 2024]["期末应收账款"])
                / 2
                / st[st["年度"] == 2024]["营业收入"]
            ).median(),
        },
        "周转天数中位数",
    )


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


def t7(table):
    """脱敏调查表: 客户编号, 法定代表人, 身份证号 of the credit survey with the personal data masked."""
    frame(
        table,
        "脱敏调查表",
        columns=["客户编号", "法定代表人", "身份证号"],
        hint="保留三列：客户编号、法定代表人、身份证号。",
    )
    sv = load_dataset("p03_credit_survey")
    if len(table) != len(sv):
        fail(f"「脱敏调查表」有 {len(table)} 行，信用调查表有 {len(sv)} 行。", "脱敏是改写每一行，不要删行或加行。")
    ids = [str(x) for x in table["身份证号"]]
    if set(ids) & set(sv["身份证号"].astype(str)):
        fail("「脱敏调查表」里还有完整的身份证号。", "每个身份证号都要遮住中间的部分。")
    if set(map(str, table["法定代表人"])) & set(sv["法定代表人"]):
        fail("「脱敏调查表」里还有完整的姓名。", "姓名只保留姓，名字用 * 代替。")
    full = sv["身份证号"].astype(str)
    not_mistaken(
        ids,
        {
            "只遮住了最后 4 位，出生日期还露在外面": {i[:14] + "****" for i in full},
            "保留了前 6 位，区县代码也露在外面（知识点5的做法只保留前 4 位）": {i[:6] + "*" * 8 + i[-4:] for i in full},
        },
        "脱敏调查表的身份证号",
    )
    names = list(map(str, table["法定代表人"]))
    not_mistaken(
        names,
        {"把姓也遮住了（通常保留姓，便于称呼和核对）": {"*" * len(n) for n in sv["法定代表人"]}},
        "脱敏调查表的法定代表人",
    )
    short = sum(len(i) != 18 for i in ids)
    if short:
        fail(
            f"「脱敏调查表」里有 {short} 个身份证号不是 18 位。",
            "脱敏只是把要遮住的数字换成 *，遮住几位就写几个 *，总位数不变。",
        )
    if sorted(map(len, names)) != sorted(map(len, sv["法定代表人"])):
        fail("「脱敏调查表」里有的姓名字数变了。", "姓名只留第一个字，其余每个字换成一个 *，字数不变。")
