"""Visible checks of p07 大客户管理's data tasks (``crm.check_task("p07-tK", …)``).

Each check looks at the shape of the answer and recognises the mistakes the
task warns about, by computing each *wrong* value from the data. It never
computes the right answer (that is ``solutions/p07/teacher/tasks.py``).
"""

from functools import lru_cache

from ..course.datasets import load_dataset
from ..course.visible import id_list, not_mistaken, number
from ..topics.rfm import rfm_table
from ..topics.segmentation import abc_classify, customer_pyramid, pareto_share
from ..topics.warning_signs import warning_signs

ASOF = "2025-01-01"
MANAGER = "乐桂芳"  # task 3
LINE = "劳保用品"  # task 2
PROVINCE = "山东"  # task 6


@lru_cache(maxsize=1)
def _data():
    return load_dataset("p07_orders"), load_dataset("p07_accounts"), load_dataset("p07_contacts")


def _year(orders, year):
    return orders[orders["下单日期"].dt.year == year]


def _totals(orders):
    return orders.groupby("客户编号")["金额"].sum()


def _class(totals, cls):
    c = abc_classify(totals)
    return set(c.index[c["ABC"] == cls])


def t1(新晋A类客户数):
    """2024 A class that was not A in 2023: a count."""
    orders, _, _ = _data()
    n = orders["客户编号"].nunique()
    value = number(
        新晋A类客户数,
        "新晋A类客户数",
        minimum=0,
        maximum=n,
        integer=True,
        hint="写一个整数：2024 年是 A 类、而 2023 年不是 A 类的客户有几家。",
    )
    a24, a23 = _class(_totals(_year(orders, 2024)), "A"), _class(_totals(_year(orders, 2023)), "A")
    not_mistaken(
        value,
        {
            "数的是 2024 年 A 类客户的总数，没有去掉 2023 年已经是 A 类的客户": len(a24),
            "用两年 A 类客户数相减（人数之差不等于新进入的客户数：有进有出）": len(a24) - len(a23),
            "用两年合计金额做了分类，没有分年份": len(_class(_totals(orders), "A")),
        },
        "新晋A类客户数",
    )


def t2(劳保前10占比):
    """Share of the top 10% customers in 2024 劳保用品 sales."""
    orders, _, _ = _data()
    value = number(
        劳保前10占比, "劳保前10占比", minimum=0, maximum=1, hint="写成 0～1 之间的小数（0.6 表示 60%），不要乘以 100。"
    )
    y24 = _year(orders, 2024)
    line24 = _totals(y24[y24["产品线"] == LINE])
    not_mistaken(
        value,
        {
            "用了全部产品线的金额，没有只看劳保用品": pareto_share(_totals(y24), top=0.1),
            "用了两年的劳保用品金额，没有只看 2024 年": pareto_share(
                _totals(orders[orders["产品线"] == LINE]), top=0.1
            ),
            "算的是前 20% 客户，不是前 10%": pareto_share(line24, top=0.2),
        },
        "劳保前10占比",
    )


def _keep(r):
    """重要保持客户: R评分 ≤ 3, F评分 ≥ 4, M评分 ≥ 4."""
    return set(r.index[(r["R评分"] <= 3) & (r["F评分"] >= 4) & (r["M评分"] >= 4)])


def t3(乐桂芳重要保持客户):
    """乐桂芳's 重要保持客户 by the 2024 RFM scores of all customers."""
    orders, accounts, _ = _data()
    items = id_list(
        乐桂芳重要保持客户,
        "乐桂芳重要保持客户",
        set(orders["客户编号"]),
        what="客户编号",
        hint="列表里应该是客户编号（如 K0001），不是分数、名称或行号。",
    )
    mine = set(accounts.loc[accounts["客户经理"] == MANAGER, "客户编号"])
    y24 = _year(orders, 2024)
    r24 = rfm_table(y24, asof=ASOF)
    value = r24[(r24["R评分"] >= 4) & (r24["F评分"] >= 4) & (r24["M评分"] >= 4)]
    not_mistaken(
        items,
        {
            "用了两年的订单打分，没有只用 2024 年": _keep(rfm_table(orders, asof=ASOF)) & mine,
            "先筛出乐桂芳的客户再打分（分数应该在全部客户里排名）": _keep(
                rfm_table(y24[y24["客户编号"].isin(mine)], asof=ASOF)
            ),
            "找的是重要价值客户（R 高），不是重要保持客户（R 低）": set(value.index) & mine,
        },
        "乐桂芳重要保持客户",
    )


def t4(B类敏感预警客户):
    """B-class accounts (two-year ABC) that fire a sign under the 90-day / 50% rules."""
    orders, _, _ = _data()
    items = id_list(B类敏感预警客户, "B类敏感预警客户", set(orders["客户编号"]), what="客户编号")
    totals = _totals(orders)
    b, a = _class(totals, "B"), _class(totals, "A")
    default = warning_signs(orders)
    sensitive = warning_signs(orders, window_days=90, drop_threshold=0.5)
    fired = set(sensitive.index[sensitive["征兆数"] >= 1])
    not_mistaken(
        items,
        {
            "用了默认规则（180 天、下降 30%），没有改成题目要求的 90 天、下降 50%": set(
                default.index[default["征兆数"] >= 1]
            )
            & b,
            "筛的是 A 类客户，不是 B 类": fired & a,
            "用 2024 年一年的金额分了 B 类（题目要求按两年合计分类）": fired
            & _class(_totals(_year(orders, 2024)), "B"),
            "只留了两条征兆同时出现的客户（至少一条就算）": set(sensitive.index[sensitive["征兆数"] >= 2]) & b,
        },
        "B类敏感预警客户",
    )


def t5(决策层未打通客户):
    """Key accounts (重要 + 主要) with no 决策者/批准者 we are close (密切) to."""
    orders, _, contacts = _data()
    items = id_list(决策层未打通客户, "决策层未打通客户", set(orders["客户编号"]), what="客户编号")
    totals = _totals(orders)
    pyr = customer_pyramid(totals)
    key = set(pyr.index[pyr["等级"].isin(["重要客户", "主要客户"])])
    top = contacts[contacts["采购角色"].isin(["决策者", "批准者"])]
    close = set(top.loc[top["关系程度"] == "密切", "客户编号"])
    known = set(top.loc[top["关系程度"].isin(["密切", "一般"]), "客户编号"])
    not_mistaken(
        items,
        {
            "把关系“一般”也算作打通了（题目要求关系密切）": key - known,
            "只看有没有登记决策者或批准者，没有看关系程度": key - set(top["客户编号"]),
            "用了全部 A 类客户，而不是关键客户（重要客户 + 主要客户）": _class(totals, "A") - close,
        },
        "决策层未打通客户",
    )


def t6(山东配送费用率):
    """2024 delivery cost ÷ sales of the 山东 accounts."""
    orders, accounts, _ = _data()
    value = number(
        山东配送费用率,
        "山东配送费用率",
        minimum=0,
        maximum=1,
        hint="写成 0～1 之间的小数（0.03 表示 3%），不要乘以 100。",
    )
    sd = set(accounts.loc[accounts["省份"] == PROVINCE, "客户编号"])
    y24 = _year(orders, 2024)
    mine24, mine = y24[y24["客户编号"].isin(sd)], orders[orders["客户编号"].isin(sd)]
    not_mistaken(
        value,
        {
            "把每一笔订单的费用率直接求了平均（应该用费用合计 ÷ 金额合计）": float(
                (mine24["配送费用"] / mine24["金额"]).mean()
            ),
            "用了两年的订单，没有只看 2024 年": float(mine["配送费用"].sum() / mine["金额"].sum()),
            "用了全部客户，没有只看山东的客户": float(y24["配送费用"].sum() / y24["金额"].sum()),
        },
        "山东配送费用率",
    )
