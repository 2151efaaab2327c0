"""Visible checks of p02's data tasks (``crm.check_task("p02-t1", 机械确认率)`` …).

Each check tests the form of the answer and recognises the mistakes the task
warns about by computing the *wrong* value from the data. It never computes
the right answer; ``course.py grade`` does that in a clean process.
"""

import math

import pandas as pd

from ..course.checks import fail, type_name
from ..course.datasets import derived, load_dataset
from ..course.visible import answered, id_list, number, same_value
from ..topics.prospects import STAGES, drop_duplicate_leads, find_duplicates, lead_score, LEAD_RULES, LEAD_WEIGHTS

CHANNELS = ["展会", "电话", "网站表单", "转介绍", "电商平台"]


def _data():
    """(leads, de-duplicated leads): the de-duplication is done once per kernel while the file is unchanged."""
    return derived(_with_deduplicated, "p02_leads")


def _with_deduplicated(leads):
    return leads, drop_duplicate_leads(leads)


def _series(value, name, what="渠道", numbers=True):
    answered(value, name)
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if isinstance(value, dict):
        value = pd.Series(value)
    if not isinstance(value, pd.Series):
        fail(
            f"「{name}」应该是一列以{what}为索引的数据（Series），现在是{type_name(value)}。",
            '从结果表里取出需要的那一列，例如 表["列名"]；如果渠道在某一列里，先 set_index。',
        )
    extra = sorted(set(map(str, value.index)) - set(CHANNELS))
    missing = sorted(set(CHANNELS) - set(map(str, value.index)))
    if extra:
        fail(
            f"「{name}」的索引里有不是渠道的值，例如「{extra[0]}」。",
            "索引应该是 展会、电话、网站表单、转介绍、电商平台。",
        )
    if missing:
        fail(f"「{name}」少了渠道「{missing[0]}」。", "五个渠道都要有一个值。")
    if numbers:
        for ch, v in value.items():
            number(v, f"{name}[{ch}]")
    return value


def _like(value, wrong):
    """True when every channel's value equals the wrong Series (4 significant figures)."""
    wrong = wrong.reindex(CHANNELS)
    return all(same_value(value[ch], wrong[ch]) for ch in CHANNELS if not pd.isna(wrong[ch]))


def _not_mistaken_series(value, mistakes, name):
    for description, wrong in mistakes.items():
        if _like(value, wrong):
            fail(f"「{name}」看起来用了一个常见的错误做法：{description}。请回到题目要求，换一种算法再试。")


def t1(机械确认率):
    """Step conversion 已联系 → 需求确认 per channel in 机械制造."""
    value = _series(机械确认率, "机械确认率")
    for ch, v in value.items():
        number(v, f"机械确认率[{ch}]", minimum=0, maximum=1, hint="写成 0～1 的小数，不要乘以 100。")
    _, dd = _data()
    m = dd[dd["行业"] == "机械制造"]
    by_date = m.groupby("渠道").apply(
        lambda g: g["需求确认日期"].notna().sum() / max(g["首次联系日期"].notna().sum(), 1)
    )
    pos = m["阶段"].map({s: i for i, s in enumerate(STAGES)})
    current = m.assign(p=pos).groupby("渠道")["p"].apply(lambda p: (p == 2).sum() / max((p == 1).sum(), 1))
    _not_mistaken_series(
        value,
        {
            "按日期列是否为空来数，漏掉了跳过“需求确认”的线索": by_date,
            "只数了当前停在这一步的线索，没有把走到更后面阶段的算进去": current,
        },
        "机械确认率",
    )


def _month_ratios(cost_by_month, won_by_month, months):
    """Each month's own cost per won customer (NaN where a month has no won customer)."""
    won = won_by_month.reindex(columns=months).fillna(0)
    return cost_by_month[months] / won.where(won > 0)


def t2(四五月每成交成本):
    """Cost per won customer of April and May taken together (registrations and costs of both months)."""
    value = _series(四五月每成交成本, "四五月每成交成本", numbers=False)
    _, dd = _data()
    costs = load_dataset("p02_channel_costs")
    months = ["2025-04", "2025-05"]
    by_month = costs.pivot_table(index="渠道", columns="月份", values="费用", aggfunc="sum")
    reg = dd["登记日期"].dt.strftime("%Y-%m")
    won = dd[dd["阶段"] == "成交"]
    won_by_month = won.groupby(["渠道", reg[won.index]]).size().unstack()
    # NaN where a month has no deal (展会 in May): the averaged mistake is then recognised on the
    # other channels, however a student filled that gap
    ratios = _month_ratios(by_month, won_by_month, months)
    two = dd[reg.isin(months)]
    two_cost = by_month[months].sum(axis=1)
    two_won = two[two["阶段"] == "成交"].groupby("渠道").size()
    season_won = won.groupby("渠道").size()
    won_by_date = dd[dd["成交日期"].dt.strftime("%Y-%m").isin(months)].groupby("渠道").size()
    _not_mistaken_series(
        value,
        {
            "先算出 4 月、5 月各自的每成交成本，再把两个数求平均；两个月成交数不同，"
            "应该把两个月的费用和成交数分别合计以后再相除": ratios.mean(axis=1, skipna=False),
            "只用了 4 月的费用和成交数，题目要的是 4 月和 5 月合起来": ratios["2025-04"],
            "只用了 5 月的费用和成交数，题目要的是 4 月和 5 月合起来": ratios["2025-05"],
            "把 3 月也算进去了，用的是整个季度的费用和成交数": by_month.sum(axis=1) / season_won,
            "分子用了整个季度（3—5 月）的费用，而不是 4、5 两个月的费用": by_month.sum(axis=1) / two_won,
            "除以的是线索数，算成了每条线索成本": two_cost / two.groupby("渠道").size(),
            "按成交日期在 4—5 月来数成交客户，而题目要的是 4—5 月登记的线索": two_cost / won_by_date,
        },
        "四五月每成交成本",
    )
    zero = "某个月成交数是 0 时不能单独算出这个月的每成交成本；把两个月的费用和成交数分别合计以后再相除。"
    for ch, v in value.items():
        number(v, f"四五月每成交成本[{ch}]", minimum=0, hint=zero)
        if math.isinf(float(v)):
            fail(f"「四五月每成交成本[{ch}]」是无穷大：除以了 0。", zero)
    if same_value(value["展会"], ratios.loc["展会", "2025-04"]):
        fail(
            "「四五月每成交成本」里展会的值只算了 4 月的费用，漏掉了展会 5 月的费用。",
            "展会 5 月虽然没有新线索，这笔费用也是为展会花的，要加进分子；5 月的成交数按 0 算。",
        )


def _top40(df, weights):
    return lead_score(df, weights, LEAD_RULES)["线索编号"].head(40).tolist()


def t3(通话名单):
    """The 40-call list under the stated constraints and weights."""
    leads, dd = _data()
    items = id_list(通话名单, "通话名单", set(leads["线索编号"]), what="线索编号")
    if len(items) != 40:
        fail(f"「通话名单」有 {len(items)} 条，应该正好 40 条。", "取得分最高的 40 条（例如 .head(40)）。")
    weights = {"预算": 2, "决策人": 2, "需求程度": 5, "企业规模": 1}
    open_ = dd[dd["状态"] == "跟进中"]
    few = open_[open_["联系次数"] <= 4]
    raw = leads[(leads["状态"] == "跟进中") & (leads["联系次数"] <= 4)]
    mistakes = {
        "用了默认权重 crm.LEAD_WEIGHTS，而不是题目给的权重": _top40(few, LEAD_WEIGHTS),
        "没有去掉联系次数超过 4 次的线索": _top40(open_, weights),
        "用了没有去重的原始线索表": _top40(raw, weights),
        "没有只看“跟进中”的线索": _top40(dd[dd["联系次数"] <= 4], weights),
    }
    for description, wrong in mistakes.items():
        if set(items) == set(wrong):
            fail(f"「通话名单」看起来用了一个常见的错误做法：{description}。请回到题目要求，换一种算法再试。")


def t4(撞单线索):
    """Extra records of duplicate groups whose owner differs from the group's first record."""
    leads, _ = _data()
    items = id_list(撞单线索, "撞单线索", set(leads["线索编号"]), what="线索编号")
    if not items:
        fail("「撞单线索」是空列表。", "先找出重复组，再比较每条多余记录和本组第一条的负责人。")
    dup = find_duplicates(leads)
    extra = dup[dup["组内序号"] > 1]
    exact = leads[leads.duplicated("公司名称", keep="first")]
    first_owner = leads.drop_duplicates("公司名称").set_index("公司名称")["负责人"]
    exact_diff = exact[exact["负责人"].values != exact["公司名称"].map(first_owner).values]
    mistakes = {
        "把所有多余记录都算上了，没有比较负责人": extra["线索编号"].tolist(),
        "只找了公司名称一字不差的重复，漏掉了写法不同、手机格式不同的": exact_diff["线索编号"].tolist(),
    }
    for description, wrong in mistakes.items():
        if set(items) == set(wrong):
            fail(f"「撞单线索」看起来用了一个常见的错误做法：{description}。请回到题目要求，换一种算法再试。")
    if set(items) & set(dup.loc[dup["组内序号"] == 1, "线索编号"]):
        fail("「撞单线索」里有重复组里最早登记的那条记录。", "每组第一条是“原件”，不算撞单；只列负责人不同的其余记录。")
