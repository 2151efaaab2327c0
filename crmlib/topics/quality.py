"""Self-assessment of a service rep's four quality groups (客户服务人员的四类素质).

Each group (心理/品格/技能/综合素质) has four items scored 1～5; a group's
score is the mean of its items. A post (岗位) requires a level per group;
the gap table shows where the student falls short and what to do about it.

>>> s = group_scores({"心理素质": 4, "品格素质": 5, "技能素质": 3, "综合素质": 4})
>>> gap_table(s, "热线客服专员")["差距"].tolist()
[0.0, 1.0, -1.0, 1.0]
"""

import numbers

import pandas as pd

from ..course.errors import CRMError

#: The four groups and their items (short names used as slider labels).
QUALITY_ITEMS = {
    "心理素质": ["遇事冷静应变", "承受挫折委屈", "管理自身情绪", "保持积极心态"],
    "品格素质": ["忍耐与宽容", "说到就要做到", "主动承担责任", "真诚谦虚待人"],
    "技能素质": ["清楚表达", "熟悉产品与行业", "倾听与观察", "电话与系统操作"],
    "综合素质": ["客户至上观念", "独立处理工作", "分析解决问题", "协调人际关系"],
}
GROUPS = list(QUALITY_ITEMS)

#: Required level (1～5) of each group for the posts of the course's service centre.
POST_PROFILES = {
    "热线客服专员": {"心理素质": 4, "品格素质": 4, "技能素质": 4, "综合素质": 3},
    "在线客服专员": {"心理素质": 3, "品格素质": 4, "技能素质": 4, "综合素质": 3},
    "回访专员": {"心理素质": 3, "品格素质": 4, "技能素质": 3, "综合素质": 3},
    "投诉处理专员": {"心理素质": 5, "品格素质": 4, "技能素质": 4, "综合素质": 4},
    "客服主管": {"心理素质": 4, "品格素质": 4, "技能素质": 4, "综合素质": 5},
}

#: What to practise when a group is below the post's requirement.
ADVICE = {
    "心理素质": "练习“先处理心情，再处理事情”：接到情绪激动的来电时先深呼吸、复述对方的感受；"
    "每天下班前用三句话记下当天最难的一通电话和自己的应对，慢慢提高抗压能力。",
    "品格素质": "从小事守信做起：答应客户回电就按时回电，做不到的不轻易承诺；"
    "出了差错先认错、再补救，在班组里主动分担难处理的工单。",
    "技能素质": "每周精读一类产品的说明书和常见故障处理，整理成自己的话术卡；"
    "把自己的通话录音听一遍，找出说得不清楚、听得不仔细的地方，对照优秀录音改进。",
    "综合素质": "处理每个问题时多问一句“客户真正要解决的是什么”；"
    "尝试独立跟进一张跨部门工单到结案，记录协调了哪些人、卡在哪里，复盘后总结方法。",
}


def _score(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise CRMError(f"「{name}」的分数应该是 1～5 的数字，你给的是 {value!r}。")
    if not 1 <= value <= 5:
        raise CRMError(f"「{name}」的分数应该在 1～5 之间，你给的是 {value:g}。")
    return float(value)


def _item_scores(scores):
    """Validate an item-level assessment: known item names, scores 1～5."""
    if not isinstance(scores, dict) or not scores:
        raise CRMError('自评分数应该写成字典，例如 {"清楚表达": 4, "忍耐与宽容": 5, …}。')
    known = {item for items in QUALITY_ITEMS.values() for item in items}
    unknown = [k for k in scores if k not in known]
    if unknown:
        raise CRMError(
            f"不认识的素质项目：{'、'.join(map(str, unknown))}。"
            f"可用的项目见 crm.QUALITY_ITEMS，或者直接按四类素质打分（{'、'.join(GROUPS)}）。"
        )
    return {k: _score(v, k) for k, v in scores.items()}


def group_scores(scores):
    """Scores per group (a Series in the order 心理/品格/技能/综合素质).

    `scores` maps either each group to a score, or items (see QUALITY_ITEMS)
    to scores; a group's score is then the mean of its items given.

    >>> group_scores({"遇事冷静应变": 3, "承受挫折委屈": 5, "忍耐与宽容": 4,
    ...               "清楚表达": 4, "客户至上观念": 2}).tolist()
    [4.0, 4.0, 4.0, 2.0]
    """
    if not isinstance(scores, dict) or not scores:
        raise CRMError('自评分数应该写成字典，例如 {"心理素质": 4, "品格素质": 5, …}。')
    if set(scores) <= set(GROUPS):
        missing = [g for g in GROUPS if g not in scores]
        if missing:
            raise CRMError(f"还缺少这些素质的分数：{'、'.join(missing)}。四类素质都要打分。")
        return pd.Series({g: _score(scores[g], g) for g in GROUPS}, name="自评")
    scores = _item_scores(scores)
    out = {}
    for g, items in QUALITY_ITEMS.items():
        given = [scores[i] for i in items if i in scores]
        if not given:
            raise CRMError(f"「{g}」下面一个项目都没有打分。至少给其中一项打分，例如「{items[0]}」。")
        out[g] = sum(given) / len(given)
    return pd.Series(out, name="自评")


def post_profile(post):
    """Required level per group of `post` (a Series).

    >>> post_profile("投诉处理专员").tolist()
    [5, 4, 4, 4]
    """
    if post not in POST_PROFILES:
        raise CRMError(f"没有岗位「{post}」的素质要求。可选的岗位：{'、'.join(POST_PROFILES)}。")
    return pd.Series(POST_PROFILES[post], name="岗位要求")


def gap_table(scores, post):
    """Compare self-assessed group scores with `post`'s requirement.

    `scores` is a dict (see group_scores) or the Series it returns. Columns:
    自评, 岗位要求, 差距 (自评 − 要求; negative = below), 结论.

    >>> gap_table({"心理素质": 3, "品格素质": 4, "技能素质": 4, "综合素质": 3}, "回访专员")["结论"].tolist()
    ['达到要求', '达到要求', '达到要求', '达到要求']
    """
    mine = scores if isinstance(scores, pd.Series) else group_scores(scores)
    need = post_profile(post)
    table = pd.DataFrame({"自评": mine.reindex(GROUPS).astype(float), "岗位要求": need.reindex(GROUPS)})
    table.index.name = "素质"
    table["差距"] = table["自评"] - table["岗位要求"]
    table["结论"] = table["差距"].map(lambda d: "达到要求" if d >= 0 else "需要提升")
    return table


def advice(scores, post):
    """Advice lines (Chinese) for every group below `post`'s requirement, biggest gap first.

    >>> advice({"心理素质": 5, "品格素质": 5, "技能素质": 5, "综合素质": 5}, "客服主管")
    ['四类素质都达到了「客服主管」的要求。继续保持，并尝试向更高一级岗位的要求看齐。']
    >>> advice({"心理素质": 2, "品格素质": 4, "技能素质": 4, "综合素质": 3}, "热线客服专员")[0].startswith("心理素质（差 2 分）")
    True
    """
    table = gap_table(scores, post)
    short = table[table["差距"] < 0].sort_values("差距", kind="stable")
    if short.empty:
        return [f"四类素质都达到了「{post}」的要求。继续保持，并尝试向更高一级岗位的要求看齐。"]
    return [f"{g}（差 {-d:.3g} 分）：{ADVICE[g]}" for g, d in short["差距"].items()]


def weakest_items(scores, n=3):
    """The `n` lowest-scored items of an item-level self-assessment (ties keep the listed order).

    >>> weakest_items({"清楚表达": 2, "忍耐与宽容": 4, "客户至上观念": 3}, n=2)
    ['清楚表达', '客户至上观念']
    """
    if isinstance(scores, dict) and scores and set(scores) <= set(GROUPS):
        raise CRMError("这里需要按项目打的分（例如「清楚表达」），而不是按四类素质打的分。")
    scores = _item_scores(scores)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise CRMError(f"n 应该是不小于 1 的整数，你给的是 {n!r}。")
    return pd.Series(scores, dtype=float).sort_values(kind="stable").index[:n].tolist()
