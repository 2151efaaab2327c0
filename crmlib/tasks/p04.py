"""Visible checks of p04's data tasks (客户沟通与服务).

Each check looks at form and range and recognises the mistakes the task warns
about by computing those *wrong* values from the data. None of them computes
the right answer.
"""

import numbers

import numpy as np
import pandas as pd

from ..course.checks import fail
from ..course.datasets import derived, load_dataset
from ..course.visible import answered, not_mistaken, number, same_value
from ..topics.servqual import DIMENSIONS, servqual_gaps, straight_liners, valid_answers

QUESTIONS = ["开放式提问", "封闭式提问"]


def _series(value, name, index, what, lo, hi):
    """`value` as a float Series over exactly `index` with values in [lo, hi]."""
    answered(value, name)
    if isinstance(value, dict):
        value = pd.Series(value)
    if isinstance(value, pd.DataFrame):
        if value.shape[1] != 1:
            fail(
                f"「{name}」是一个有 {value.shape[1]} 列的表格，应该是一列数（Series）。",
                '只取出需要的那一列，例如 表["差距"]。',
            )
        value = value.iloc[:, 0]
    if not isinstance(value, pd.Series):
        fail(
            f"「{name}」应该是一列以{what}为索引的数（pandas Series），现在是 {type(value).__name__}。",
            "groupby 之后取一列、或者从结果表里取一列，得到的就是 Series。",
        )
    got, want = {str(k) for k in value.index}, {str(k) for k in index}
    if got != want:
        extra, missing = sorted(got - want), sorted(want - got)
        detail = (
            (f"多了 {'、'.join(extra[:3])}" if extra else "")
            + ("；" if extra and missing else "")
            + (f"少了 {'、'.join(missing[:3])}" if missing else "")
        )
        fail(f"「{name}」的索引应该正好是{what}：{detail}。", f"索引是{what}，每个{what}一行。")
    if not pd.api.types.is_numeric_dtype(value) or value.isna().any():
        fail(f"「{name}」里应该全是数，现在有空值或文字。", "检查筛选后是不是某一组没有数据了。")
    if (value < lo).any() or (value > hi).any():
        fail(f"「{name}」里有超出 {lo}～{hi} 的数。", "检查单位：比例写成 0～1 的小数；差距是分数之差。")
    return value.rename(index=str).astype(float)


def _same_series(value, wrong):
    wrong = wrong.rename(index=str)
    return set(value.index) == set(wrong.index) and all(same_value(value[k], wrong[k]) for k in wrong.index)


DATA = ("p04_answers", "p04_items", "p04_respondents")


def _ids(resp, channel=None, kind=None):
    """Respondent ids of one channel and/or one customer type (None: any)."""
    keep = pd.Series(True, index=resp.index)
    if channel is not None:
        keep &= resp["渠道"] == channel
    if kind is not None:
        keep &= resp["客户类型"] == kind
    return resp.loc[keep, "问卷编号"]


def _weights(resp):
    return pd.Series(resp[[f"{d}重要性" for d in DIMENSIONS]].mean().to_numpy(), index=DIMENSIONS)


def t1(电话新客户差距):
    """Gaps per dimension of the new customers served by phone (straight-liners removed)."""
    value = _series(电话新客户差距, "电话新客户差距", DIMENSIONS, "维度", -6, 6)
    if (value > 0).sum() > len(value) / 2:
        fail("「电话新客户差距」的五个数多半是正数，差距的方向可能反了。", "差距 = 感知 − 期望。")
    for description, wrong in derived(_t1_mistakes, *DATA).items():
        if _same_series(value, wrong):
            fail(f"「电话新客户差距」看起来用了一个常见的错误做法：{description}。请回到题目要求，换一种算法再试。")


def _t1_mistakes(answers, items, resp):
    """Task 1's wrong cuts and methods (from the data only: computed once per kernel)."""
    sl = straight_liners(answers)
    clean = answers[~answers["问卷编号"].isin(sl)]

    def gaps(survey, **who):
        return servqual_gaps(survey[survey["问卷编号"].isin(_ids(resp, **who))], items)["差距"]

    phone_new = clean[clean["问卷编号"].isin(_ids(resp, "电话", "新客户"))]
    per_item = valid_answers(phone_new).groupby("题号")["差距"].mean()
    return {
        "没有剔除一路勾到底的问卷": gaps(answers, channel="电话", kind="新客户"),
        "用了全部新客户，没有只看电话渠道": gaps(clean, kind="新客户"),
        "用了电话渠道的全部客户，没有只看新客户": gaps(clean, channel="电话"),
        "用了全部客户，既没有筛渠道也没有筛客户类型": servqual_gaps(clean, items)["差距"],
        "筛成了电话渠道的老客户": gaps(clean, channel="电话", kind="老客户"),
        "渠道选错了：这是门店的新客户": gaps(clean, channel="门店", kind="新客户"),
        "渠道选错了：这是在线的新客户": gaps(clean, channel="在线", kind="新客户"),
        "先按题目求平均，再把题目的平均数平均（有效答案少的题被算重了）": per_item.groupby(
            items.set_index("题号")["维度"]
        ).mean(),
    }


def t2(加权总体差距, 首要维度占比):
    """Weighted overall gap of the new customers served by phone, with their own weights, and the share of its
    most negative weighted contribution."""
    gap = number(
        加权总体差距,
        "加权总体差距",
        minimum=-6,
        maximum=6,
        hint="加权总体差距 = Σ 权重 × 差距 ÷ Σ 权重，和差距一样在 -6～6 之间。",
    )
    share = number(
        首要维度占比,
        "首要维度占比",
        minimum=0,
        maximum=1,
        hint="占比 = 最负的加权贡献 ÷ 加权总体差距，两个负数相除，写成 0～1 之间的小数，不要乘以 100。",
    )
    overall, shares = derived(_t2_mistakes, *DATA)
    not_mistaken(gap, overall, "加权总体差距")
    not_mistaken(share, shares, "首要维度占比")


def _t2_mistakes(answers, items, resp):
    """Task 2's wrong weightings: (overall gaps, shares), from the data only (computed once per kernel)."""
    sl = straight_liners(answers)
    everyone = resp[resp["问卷编号"].isin(_ids(resp, "电话", "新客户"))]
    who = everyone[~everyone["问卷编号"].isin(sl)]
    survey = answers[answers["问卷编号"].isin(everyone["问卷编号"])]
    clean = survey[~survey["问卷编号"].isin(sl)]
    w_own = _weights(who)
    ways = {
        "没有加权，五个维度同样重要": servqual_gaps(clean, items),
        "用了全部客户的重要性，而不是这些电话新客户自己的": servqual_gaps(clean, items, _weights(resp)),
        "用了全部新客户的重要性，而不是这些电话新客户自己的": servqual_gaps(
            clean, items, _weights(resp[resp["客户类型"] == "新客户"])
        ),
        "用了电话渠道全部客户的重要性，而不是这些电话新客户自己的": servqual_gaps(
            clean, items, _weights(resp[resp["渠道"] == "电话"])
        ),
        "没有剔除一路勾到底的问卷": servqual_gaps(survey, items, _weights(everyone)),
        "算权重时没有剔除一路勾到底的问卷（差距剔除了，权重也要剔除）": servqual_gaps(clean, items, _weights(everyone)),
    }
    totals = {d: float(t["加权贡献"].sum()) for d, t in ways.items()}
    shares = {d: float(t["加权贡献"].min()) / totals[d] for d, t in ways.items()}
    # straight-liners' own weights move the overall gap by only ~1e-4: named through the share alone
    overall = {d: v for d, v in totals.items() if not d.startswith("算权重时")}
    plain = ways["没有加权，五个维度同样重要"]
    overall["Σ 重要性 × 差距 之后没有除以 Σ 重要性"] = float((w_own * plain["差距"]).sum())
    return overall, shares


def t3(开放式占比):
    """Open-question share of each agent: open / (open + closed)."""
    lines = load_dataset("p04_dialogues")
    agents = sorted(lines["坐席编号"].unique())
    value = _series(开放式占比, "开放式占比", agents, "坐席编号", 0, 1)
    open_lines = lines["类型"].eq("开放式提问").groupby(lines["坐席编号"]).sum()
    closed = lines["类型"].eq("封闭式提问").groupby(lines["坐席编号"]).sum()
    mistakes = {
        "分母用了坐席说的全部语句（复述和其他答复也算进去了）": open_lines / lines.groupby("坐席编号").size(),
        "算成了开放式提问占全中心开放式提问的比例": open_lines / open_lines.sum(),
        "算成了开放式 ÷ 封闭式（应当除以两类提问的合计）": (open_lines / closed.replace(0, np.nan)).fillna(0),
    }
    for description, wrong in mistakes.items():
        if _same_series(value, wrong):
            fail(f"「开放式占比」看起来用了一个常见的错误做法：{description}。请回到题目要求，换一种算法再试。")


def t4(达标比例):
    """Share of respondents whose average perception is not below their average expectation."""
    share = number(达标比例, "达标比例", minimum=0, maximum=1, hint="写成 0～1 之间的小数，不要乘以 100。")
    answers = load_dataset("p04_answers")
    sl = straight_liners(answers)
    clean = valid_answers(answers[~answers["问卷编号"].isin(sl)])
    every = valid_answers(answers).groupby("问卷编号")[["期望", "感知"]].mean()
    per = clean.groupby("问卷编号")[["期望", "感知"]].mean()
    not_mistaken(
        share,
        {
            "数的是答案而不是客户（每道题算了一次）": float((clean["差距"] >= 0).mean()),
            "没有剔除一路勾到底的问卷": float((every["感知"] >= every["期望"]).mean()),
            "把“不低于”写成了“高于”（感知等于期望的客户也算达到期望）": float((per["感知"] > per["期望"]).mean()),
        },
        "达标比例",
    )
    if isinstance(达标比例, numbers.Number) and share in (0.0, 1.0):
        fail("「达标比例」是 0 或 1，说明所有客户都被算成了同一类。", "检查比较的是每位客户的平均感知和平均期望。")
