"""Hidden grading of p07 大客户管理's data tasks (teacher only, run in the clean grading process).

Every expected value is computed from the datasets here; nothing is pasted.
"""

import pandas as pd

import crmlib as crm
from crmlib.grading.judge import same_items, same_number, task

ASOF = "2025-01-01"


def _year(orders, year):
    return orders[orders["下单日期"].dt.year == year]


def _a_class(orders):
    c = crm.abc_classify(orders.groupby("客户编号")["金额"].sum())
    return set(c.index[c["ABC"] == "A"])


def expected_t1(data):
    orders = data("p07_orders")
    return len(_a_class(_year(orders, 2024)) - _a_class(_year(orders, 2023)))


def expected_t2(data):
    y24 = _year(data("p07_orders"), 2024)
    line = y24[y24["产品线"] == "劳保用品"]
    return crm.pareto_share(line.groupby("客户编号")["金额"].sum(), top=0.1)


def expected_t3(data):
    orders, accounts = data("p07_orders"), data("p07_accounts")
    r = crm.rfm_table(_year(orders, 2024), asof=ASOF)
    keep = r.index[(r["R评分"] <= 3) & (r["F评分"] >= 4) & (r["M评分"] >= 4)]
    mine = set(accounts.loc[accounts["客户经理"] == "乐桂芳", "客户编号"])
    return sorted(set(keep) & mine)


def expected_t4(data):
    orders = data("p07_orders")
    c = crm.abc_classify(orders.groupby("客户编号")["金额"].sum())
    w = crm.warning_signs(orders, window_days=90, drop_threshold=0.5)
    fired = set(w.index[w["征兆数"] >= 1])
    return sorted(fired & set(c.index[c["ABC"] == "B"]))


def expected_t5(data):
    orders, contacts = data("p07_orders"), data("p07_contacts")
    pyr = crm.customer_pyramid(orders.groupby("客户编号")["金额"].sum())
    key = set(pyr.index[pyr["等级"].isin(["重要客户", "主要客户"])])
    top = contacts[contacts["采购角色"].isin(["决策者", "批准者"]) & (contacts["关系程度"] == "密切")]
    return sorted(key - set(top["客户编号"]))


def expected_t6(data):
    orders, accounts = data("p07_orders"), data("p07_accounts")
    sd = set(accounts.loc[accounts["省份"] == "山东", "客户编号"])
    y24 = _year(orders, 2024)
    mine = y24[y24["客户编号"].isin(sd)]
    return float(mine["配送费用"].sum() / mine["金额"].sum())


@task("t1_test", "新晋A类客户数")
def t1(ans, data):
    return [
        same_number(
            ans["新晋A类客户数"],
            expected_t1(data),
            "新晋A类客户数",
            integer=True,
            hint="两年各自分类，再数“2024 年是 A 类、2023 年不是”的客户。",
        )
    ]


@task("t2_test", "劳保前10占比")
def t2(ans, data):
    return [
        same_number(
            ans["劳保前10占比"],
            expected_t2(data),
            "劳保前10占比",
            hint="只留 2024 年的劳保用品订单，按客户汇总，再看前 10% 客户的金额占比。",
        )
    ]


@task("t3_test", "乐桂芳重要保持客户")
def t3(ans, data):
    return [
        same_items(
            ans["乐桂芳重要保持客户"],
            expected_t3(data),
            "乐桂芳重要保持客户",
            hint="用 2024 年全部客户的订单打分，再挑出乐桂芳负责、R 低而 F 和 M 都高的客户。",
        )
    ]


@task("t4_test", "B类敏感预警客户")
def t4(ans, data):
    return [
        same_items(
            ans["B类敏感预警客户"],
            expected_t4(data),
            "B类敏感预警客户",
            hint="B 类按两年金额分；规则改为 90 天窗口、下降 50%；只数征兆，不数数据备注。",
        )
    ]


@task("t5_test", "决策层未打通客户")
def t5(ans, data):
    return [
        same_items(
            ans["决策层未打通客户"],
            expected_t5(data),
            "决策层未打通客户",
            hint="关键客户 = 重要客户 + 主要客户；看的是决策者或批准者里有没有关系“密切”的人。",
        )
    ]


@task("t6_test", "山东配送费用率")
def t6(ans, data):
    return [
        same_number(
            ans["山东配送费用率"],
            expected_t6(data),
            "山东配送费用率",
            hint="2024 年山东客户的配送费用合计 ÷ 金额合计。",
        )
    ]


# ---------------------------------------------------------------- teacher aid: fact sheet for the written task

ROLES = ["使用者", "影响者", "采购者", "决策者", "批准者", "把关者"]


def fact_sheet(data):
    """One row per A-class account (the accounts a student may pick for the plan): the figures
    a plan can cite, to check “与数据一致”. Rendered into teacher/aid.md by ``aid_markdown``."""
    orders, accounts, contacts = data("p07_orders"), data("p07_accounts"), data("p07_contacts")
    acc = accounts.set_index("客户编号")
    totals = orders.groupby("客户编号")["金额"].sum()
    abc = crm.abc_classify(totals)
    pyr = crm.customer_pyramid(totals)
    warn = crm.warning_signs(orders)
    ids = abc.index[abc["ABC"] == "A"]
    rows = []
    for rank, cid in enumerate(ids, 1):
        o = orders[orders["客户编号"] == cid]
        by_year = o.groupby(o["下单日期"].dt.year)["金额"].sum()
        mix = (o.groupby("产品线")["金额"].sum() / o["金额"].sum()).sort_values(ascending=False)
        c = contacts[contacts["客户编号"] == cid]
        close_top = c[c["采购角色"].isin(["决策者", "批准者"]) & (c["关系程度"] == "密切")]
        w = warn.loc[cid]
        rows.append(
            {
                "排名": rank,
                "客户编号": cid,
                "客户名称": acc.at[cid, "客户名称"],
                "客户经理": acc.at[cid, "客户经理"],
                "规模": acc.at[cid, "企业规模"],
                "合作始于": f"{acc.at[cid, '合作起始日期']:%Y-%m}",
                "结算": acc.at[cid, "结算方式"],
                "等级": str(pyr.at[cid, "等级"]),
                "两年（万元）": round(totals[cid] / 1e4, 1),
                "2023（万元）": round(by_year.get(2023, 0.0) / 1e4, 1),
                "2024（万元）": round(by_year.get(2024, 0.0) / 1e4, 1),
                "主要产品线": "、".join(f"{k}{v:.0%}" for k, v in mix.head(2).items()),
                "没买过": "、".join(sorted(set(orders["产品线"].unique()) - set(mix.index))) or "—",
                "最近下单": f"{w['最近下单日期']:%Y-%m-%d}",
                "未下单天数": int(w["未下单天数"]),
                "通常间隔（天）": w["通常间隔"],
                "近半年变化": f"{w['变化率']:+.0%}",
                "征兆数": int(w["征兆数"]),
                "缺的角色": "、".join(r for r in ROLES if r not in set(c["采购角色"])) or "—",
                "决策层密切": "是" if len(close_top) else "否",
                "配送费用率": f"{o['配送费用'].sum() / o['金额'].sum():.1%}",
            }
        )
    return pd.DataFrame(rows)


def aid_markdown(data):
    """The fact sheet as a markdown table (what teacher/aid.md holds between its markers)."""
    t = fact_sheet(data)
    head = "| " + " | ".join(t.columns) + " |\n|" + "---|" * len(t.columns) + "\n"
    body = "".join(
        "| " + " | ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in row) + " |\n"
        for row in t.itertuples(index=False)
    )
    return head + body
