"""Visible checks of p05's tasks: shape, range and the named mistakes; never the right value.

The two ordering/matching tasks (t4, t5) know their typical wrong answers only
as salted hashes, so reading this file does not give the right order away.
"""

import hashlib
from functools import lru_cache

import numpy as np
import pandas as pd

from ..course.checks import fail, type_name
from ..course.datasets import derived, load_dataset
from ..course.visible import answered, id_list, not_mistaken, number
from ..topics.pareto import pareto_table
from ..topics.sla import elapsed_hours, sla_share

CAUSES = ["产品质量", "物流配送", "安装维修", "客服态度", "价格促销", "退换货办理", "使用说明"]
PRODUCT, MONTHS = "空气炸锅", [10, 11]  # t1: the 双十一 promotion, pre-sale in October to November
WORK_TARGET = 4  # t2: first response within 4 working hours
QUARTER_T2 = 1  # t2: the quarter of the Spring Festival holiday
FAST = 27  # t3: resolved within 3 working days (27 working hours)


@lru_cache(maxsize=1)
def _cached():
    return load_dataset("p05_complaints")


def _data():
    """The dataset, read once per kernel (the checks never modify it)."""
    return _cached()


def _few(rows, strict=False):
    t = pareto_table(rows, "投诉类别")
    if strict:  # only the groups whose running share stays within 80%
        return set(t.index[t["累计占比"] <= 0.8 + 1e-9])
    return set(t.index[t["关键少数"]])


def _t1_mistakes(c):
    """Task 1's wrong cuts (from the data only: computed once per kernel); equal answers share one message."""
    month = c["受理时间"].dt.month
    fryer = c["产品"] == PRODUCT
    promo = month.isin(MONTHS)
    ways = {
        "用了全年、全部产品的投诉，没有只取空气炸锅的 10—11 月": _few(c),
        "用了空气炸锅全年的投诉，没有只取 10—11 月": _few(c[fryer]),
        "用了空气炸锅整个第四季度（10—12 月）的投诉，多算了 12 月": _few(c[fryer & (c["受理时间"].dt.quarter == 4)]),
        "用了 10—11 月全部产品的投诉，没有只取空气炸锅": _few(c[promo]),
    }
    merged = {}
    for description, wrong in ways.items():
        same = [d for d, w in merged.items() if w == wrong]
        if same:
            merged[f"{same[0]}；或者{description}"] = merged.pop(same[0])
        else:
            merged[description] = wrong
    return merged, _few(c[fryer & promo], strict=True)


def t1(value):
    """空气炸锅 2025 年 10—11 月投诉的关键少数类别 (a list of 投诉类别)."""
    items = id_list(
        value,
        "空气炸锅关键原因",
        CAUSES,
        what="投诉类别",
        hint='列表里应该是投诉类别的名称，例如 "产品质量"，而不是件数或占比。',
    )
    if not items:
        fail("「空气炸锅关键原因」是空列表。", "关键少数至少有一个类别：排在第一的那一类总是在里面。")
    mistakes, few_strict = derived(_t1_mistakes, "p05_complaints")
    not_mistaken(items, mistakes, "空气炸锅关键原因")
    if set(items) == few_strict:
        fail(
            "「空气炸锅关键原因」少了一类：累计占比刚好越过 80% 的那一类也属于关键少数。",
            "关键少数是“累计达到 80% 所需的最少几类”，越过 80% 的那一类要算进去。",
        )


def t2(value):
    """第一季度各渠道首次响应在 4 个工作小时内的达标率 (a Series indexed by 渠道)."""
    answered(value, "首响达标率")
    if isinstance(value, pd.DataFrame) and "达标率" in value.columns:
        fail("「首响达标率」是一整张表，应该只是其中“达标率”这一列（Series）。", '从结果表里取出 ["达标率"] 这一列。')
    if not isinstance(value, pd.Series):
        fail(
            f"「首响达标率」应该是一列数据（Series），现在是{type_name(value)}。",
            "按渠道分组计算后得到的就是以渠道为索引的一列数据。",
        )
    c = _data()
    channels = set(c["渠道"])
    if set(map(str, value.index)) != channels:
        fail(
            f"「首响达标率」的索引应该正好是 {len(channels)} 个渠道的名称。",
            "按“渠道”分组；不要先筛掉某些渠道，也不要把渠道放在列里。",
        )
    for name, rate in value.items():
        number(rate, f"{name} 的达标率", minimum=0, maximum=1, hint="达标率是 0～1 的小数，不要乘以 100。")
    first = c[c["受理时间"].dt.quarter == QUARTER_T2]
    mistakes = {
        "按自然小时计时了（题目要求只算工作日 9:00–18:00 的工作小时）": sla_share(
            first, "受理时间", "首次响应时间", WORK_TARGET, by="渠道"
        )["达标率"],
        "用了全年的投诉，没有只取第一季度（1—3 月受理的）": sla_share(
            c, "受理时间", "首次响应时间", WORK_TARGET, by="渠道", calendar="working"
        )["达标率"],
    }
    for description, wrong in mistakes.items():
        if np.allclose(value.reindex(wrong.index).astype(float), wrong, atol=5e-5):
            not_mistaken(1, {description: 1}, "首响达标率")


def t3(value):
    """较重、严重投诉：3 个工作日内解决与超过 3 个工作日的复购率之差."""
    diff = number(
        value,
        "复购率差",
        minimum=-1,
        maximum=1,
        hint="两个复购率都是 0～1 的小数，它们的差在 -1 到 1 之间；不要乘以 100。",
    )
    c = _data()
    heavy = c[c["严重程度"].isin(["较重", "严重"]) & c["解决时间"].notna()]
    known = heavy[heavy["90天内复购"].notna()]

    def gap(rows, hours):
        buy = rows["90天内复购"] == "是"
        fast = hours <= FAST + 1e-9
        return float(buy[fast].mean() - buy[~fast].mean())

    def gap_calendar(rows):
        buy = rows["90天内复购"] == "是"
        fast = elapsed_hours(rows["受理时间"], rows["解决时间"]) <= 72
        return float(buy[fast].mean() - buy[~fast].mean())

    all_known = c[c["解决时间"].notna() & c["90天内复购"].notna()]
    not_mistaken(
        diff,
        {
            "把还没满 90 天、复购情况未知（空值）的案件当成了“没有复购”": gap(
                heavy, elapsed_hours(heavy["受理时间"], heavy["解决时间"], "working")
            ),
            "用了全部严重程度的投诉，没有只取较重和严重的": gap(
                all_known, elapsed_hours(all_known["受理时间"], all_known["解决时间"], "working")
            ),
            "按 72 个自然小时划分快慢，没有按 27 个工作小时（3 个工作日）": gap_calendar(known),
        },
        "复购率差",
    )


def _seen(value, salt, digests):
    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()[:16] in digests


def _letters(value, name, n=6):
    answered(value, name)
    if not isinstance(value, str):
        fail(
            f"「{name}」应该是一串字母（文字，加引号），现在是{type_name(value)}。",
            f'例如写成 "{"ABCDEF"[:n]}" 这样的格式。',
        )
    letters = value.strip().upper().replace(" ", "").replace(",", "").replace("，", "")
    if len(letters) != n or set(letters) != set("ABCDEF"[:n]):
        fail(
            f"「{name}」应该由 A～{'ABCDEF'[n - 1]} 这 {n} 个字母各出现一次组成，现在是 {value!r}。",
            "每个字母只写一次，不要漏写，也不要写成数字。",
        )
    return letters


# Salted digests of the typical wrong answers (teacher's tests check they are wrong and recognised).
T4_MISTAKES = {
    "先道歉、再让客户讲：应该先让客户把话说完（倾听），再道歉": {"0504e4c686a4a705"},
    "还没问清、记下问题就先给出了解决办法": {"db49b58e4a2061f7"},
}
T5_MISTAKES = {
    "把易怒的客户和霸道的客户的应对方法弄反了": {"06b8bcc13fa02d76"},
    "把知识分子型客户和文化素质较低的客户的应对方法弄反了": {"cff49aa9327b5c7c"},
}


def t4(value):
    """处理一通投诉电话的六个步骤的正确顺序 (six letters)."""
    letters = _letters(value, "处理顺序")
    for description, digests in T4_MISTAKES.items():
        if _seen(letters, "p05-t4", digests):
            fail(f"「处理顺序」看起来用了一个常见的错误做法：{description}。请回到知识点5的六个步骤再排一次。")


def t5(value):
    """六类投诉客户依次对应的应对方法 (six letters)."""
    letters = _letters(value, "应对方法")
    for description, digests in T5_MISTAKES.items():
        if _seen(letters, "p05-t5", digests):
            fail(f"「应对方法」看起来用了一个常见的错误做法：{description}。请回到知识点10的六类客户再对照一次。")
