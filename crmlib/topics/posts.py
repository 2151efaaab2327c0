"""Service post design and goal decomposition (客户服务岗位设计与目标分解).

A department goal (e.g. 24,000 contacts next month) is split into post goals
in proportion to each post's capacity (人数 × 人均月标准量); the parts
must add up to the whole again, so rounding uses the largest-remainder rule.

>>> split_goal(100, {"热线": 2, "在线": 1}).tolist()
[67, 33]
"""

import numbers

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_columns, require_nonnegative


def _as_series(values, what):
    if isinstance(values, dict):
        values = pd.Series(values, dtype="float64")
    if not isinstance(values, pd.Series):
        raise CRMError(
            f"{what}应该是字典或一列数据（Series），收到的是 {type(values).__name__}。"
            '例如 {"热线客服专员": 12600, "在线客服专员": 6600}。'
        )
    if values.empty:
        raise CRMError(f"{what}是空的：至少要有一个岗位。")
    require_nonnegative(values, what)
    return values.astype(float)


def _weights(weights):
    w = _as_series(weights, "权重")
    if w.sum() == 0:
        raise CRMError("权重全部为 0，无法按比例分配。请至少给一个岗位正的权重。")
    return w


def split_goal(total, weights, decimals=0):
    """Split `total` in proportion to `weights`; the rounded parts still add up to `total`.

    `weights` maps a post to its weight (dict or Series). Parts are rounded to
    `decimals` places by the largest-remainder rule (the units lost in
    rounding go to the parts with the largest remainders).

    >>> split_goal(10, pd.Series([1, 1, 1], index=["甲", "乙", "丙"])).tolist()
    [4, 3, 3]
    >>> split_goal(1, {"甲": 1, "乙": 2}, decimals=2).tolist()
    [0.33, 0.67]
    """
    total = as_number(total, "部门目标", minimum=0)
    w = _weights(weights)
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or decimals < 0:
        raise CRMError(f"decimals（保留几位小数）应该是不小于 0 的整数，你给的是 {decimals!r}。")
    unit = 10.0**-decimals
    exact = total * w / w.sum() / unit
    floor = np.floor(exact + 1e-9)
    left = int(round(total / unit - floor.sum()))
    order = (exact - floor).sort_values(ascending=False, kind="stable").index[:left]
    floor[order] += 1
    out = floor * unit
    out = out.round(decimals).astype(int) if decimals == 0 else out.round(decimals)
    return out.rename("目标")


def post_goals(posts_df, total, capacity="人均月标准量", headcount="人数", post="岗位"):
    """Split a department goal over the posts that carry it, by capacity.

    Posts with a positive `capacity` take part; each gets ``total × 人数×标准量 / Σ``
    (rounded, summing to `total`). Returns 岗位, 人数, 标准产能 (= 人数 × 标准量),
    岗位目标, 人均目标 (to 0.1) and 负荷率 (岗位目标 ÷ 标准产能; above 1 means overtime or
    extra staff is needed — with a proportional split it is the same for every post).

    >>> posts = pd.DataFrame({"岗位": ["热线", "在线", "经理"], "人数": [2, 1, 1],
    ...                       "人均月标准量": [900, 1200, 0]})
    >>> post_goals(posts, 3300)[["岗位", "岗位目标", "人均目标", "负荷率"]].values.tolist()
    [['热线', 1980, 990.0, 1.1], ['在线', 1320, 1320.0, 1.1]]
    """
    require_columns(posts_df, [post, headcount, capacity], "岗位表")
    require_nonnegative(posts_df[headcount], headcount)
    require_nonnegative(posts_df[capacity], capacity)
    if posts_df[post].duplicated().any():
        raise CRMError(
            f"岗位表里「{post}」有重复的名字：{'、'.join(posts_df.loc[posts_df[post].duplicated(), post])}。"
        )
    rows = posts_df[(posts_df[capacity] > 0) & (posts_df[headcount] > 0)]
    if rows.empty:
        raise CRMError(f"没有任何岗位的「{capacity}」和「{headcount}」都大于 0，无法分解目标。")
    cap = (rows[headcount] * rows[capacity]).set_axis(rows[post])
    goal = split_goal(total, cap)
    out = pd.DataFrame(
        {"岗位": cap.index, "人数": rows[headcount].to_numpy(), "标准产能": cap.to_numpy(), "岗位目标": goal.to_numpy()}
    )
    out["人均目标"] = (out["岗位目标"] / out["人数"]).round(1)
    out["负荷率"] = (out["岗位目标"] / out["标准产能"]).round(3)
    return out


def check_split(parts, total, tolerance=0.5):
    """Check that the post goals add up to the department goal (within `tolerance`).

    Returns True, or raises CRMError saying how much is missing or extra.

    >>> check_split({"甲": 60, "乙": 40}, 100)
    True
    >>> check_split({"甲": 60, "乙": 30}, 100)
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 各岗位目标合计 90，部门目标 100：少分了 10。分解后的目标加起来必须等于部门目标。
    """
    total = as_number(total, "部门目标", minimum=0)
    got = float(_as_series(parts, "岗位目标").sum())
    diff = got - total
    if abs(diff) > tolerance:
        word = "多分了" if diff > 0 else "少分了"
        raise CRMError(
            f"各岗位目标合计 {got:g}，部门目标 {total:g}：{word} {abs(diff):g}。分解后的目标加起来必须等于部门目标。"
        )
    return True
