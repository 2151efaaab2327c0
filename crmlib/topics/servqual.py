"""SERVQUAL: service quality as the gap between perception and expectation.

A SERVQUAL survey asks each respondent, for every item, what an excellent
service centre *should* do (期望, expectation) and what ours *did* (感知,
perception), both on a 1–7 scale. The items belong to five dimensions
(有形度 tangibles, 信赖度 reliability, 反应度 responsiveness, 专业度 assurance,
同理度 empathy).

Data layout used by every function here: ``survey`` is a *long* table, one
row per respondent × item, with columns ``题号``, ``期望`` and ``感知`` (other
columns, such as ``问卷编号`` or segments, are kept and ignored). ``items``
says which dimension each item belongs to: a table with columns ``题号`` and
``维度``, or a mapping ``{题号: 维度}``.

Treatment of bad answers (the same everywhere):

- an answer pair is **valid** when both 期望 and 感知 are numbers from 1 to 7
  (inclusive; whole or not);
- a pair with a missing value, text, or a number outside 1–7 (0, 8, 77 …)
  is **dropped as a whole**: it is neither clipped to the scale nor filled
  in, and the other half of the pair is not used either, so 期望 and 感知
  are always averaged over the same answers;
- straight-liners (respondents who tick the same box everywhere) are *not*
  removed automatically; find them with :func:`straight_liners` and decide.

>>> survey = pd.DataFrame({"题号": ["Q1", "Q2", "Q3"], "期望": [6, 7, 5], "感知": [5, 7, 6]})
>>> servqual_gaps(survey, {"Q1": "信赖度", "Q2": "信赖度", "Q3": "有形度"})["差距"].tolist()
[-0.5, 1.0]
"""

import pandas as pd

from ..course.errors import CRMError, as_number, require_columns, require_frame

SCALE = (1, 7)  # the 7-point scale of the course survey
DIMENSIONS = ["有形度", "信赖度", "反应度", "专业度", "同理度"]
VERDICTS = ["不满", "满意", "惊喜"]


def item_dimensions(items):
    """{题号: 维度} from an item table (columns 题号, 维度) or a mapping.

    >>> item_dimensions(pd.DataFrame({"题号": ["Q1", "Q2"], "维度": ["有形度", "信赖度"]}))
    {'Q1': '有形度', 'Q2': '信赖度'}
    """
    if isinstance(items, pd.DataFrame):
        require_columns(items, ["题号", "维度"], "题目表")
        if items["题号"].duplicated().any():
            dup = items.loc[items["题号"].duplicated(), "题号"].iloc[0]
            raise CRMError(f"题目表里题号「{dup}」出现了不止一次，每道题只能属于一个维度。")
        mapping = dict(zip(items["题号"], items["维度"]))
    elif isinstance(items, pd.Series):
        mapping = items.to_dict()
    elif isinstance(items, dict):
        mapping = dict(items)
    else:
        raise CRMError(
            f"「items」应该是题目表（有「题号」「维度」两列）或 {{题号: 维度}} 字典，"
            f'收到的却是 {type(items).__name__}。例如 crm.load_dataset("p04_items")。'
        )
    if not mapping:
        raise CRMError("题目表是空的，没有任何题目。")
    return mapping


def valid_answers(survey, scale=SCALE):
    """The valid answer pairs of `survey`, with a column ``差距`` = 感知 − 期望.

    Valid: both 期望 and 感知 are numbers within `scale` (inclusive). Other
    rows are dropped whole (see the module docstring). The index is kept, so
    ``len(survey) - len(valid_answers(survey))`` counts the dropped pairs.

    >>> s = pd.DataFrame({"题号": ["Q1"] * 4, "期望": [6, None, 8, 7], "感知": [5, 4, 5, 7]})
    >>> valid_answers(s)
       题号   期望   感知   差距
    0  Q1  6.0  5.0 -1.0
    3  Q1  7.0  7.0  0.0
    """
    require_columns(survey, ["期望", "感知"], "问卷答案")
    lo, hi = scale
    e = pd.to_numeric(survey["期望"], errors="coerce")
    p = pd.to_numeric(survey["感知"], errors="coerce")
    ok = e.between(lo, hi) & p.between(lo, hi)
    out = survey.loc[ok].copy()
    out["期望"] = e[ok].astype(float)
    out["感知"] = p[ok].astype(float)
    out["差距"] = out["感知"] - out["期望"]
    return out


def _weights(weights, dims):
    """Weights as a float Series over `dims` (None -> equal), validated."""
    if weights is None:
        return pd.Series(1.0, index=dims)
    if isinstance(weights, dict):
        weights = pd.Series(weights, dtype=object)
    if not isinstance(weights, pd.Series):
        raise CRMError(
            f'「weights」应该是 {{维度: 重要性}} 字典，例如 {{"信赖度": 30, "反应度": 25, …}}，'
            f"收到的却是 {type(weights).__name__}。"
        )
    unknown = [d for d in weights.index if d not in dims]
    if unknown:
        raise CRMError(f"权重里的维度「{unknown[0]}」在问卷里没有。问卷的维度是：{'、'.join(dims)}。")
    missing = [d for d in dims if d not in weights.index]
    if missing:
        raise CRMError(f"权重里缺少维度「{'、'.join(missing)}」。每个维度都要给一个重要性（不重要就写 0）。")
    w = pd.Series([as_number(weights[d], f"「{d}」的权重", minimum=0) for d in dims], index=dims)
    if w.sum() <= 0:
        raise CRMError("权重全部是 0，无法加权。至少给一个维度大于 0 的重要性。")
    return w


def servqual_gaps(survey, items, weights=None):
    """Expectation, perception and gap per SERVQUAL dimension.

    For each dimension, over its **valid** answer pairs (both values within
    1–7; see the module docstring): ``期望`` and ``感知`` are the means,
    ``差距`` = 感知 − 期望 (the mean of the item gaps, pooled over all valid
    answers of the dimension, so an item with fewer valid answers counts
    less). ``有效答案数`` counts the valid pairs, ``无效答案数`` the dropped ones.

    ``权重`` is the normalised importance (sums to 1; equal when `weights` is
    None) and ``加权贡献`` = 权重 × 差距, so the **overall gap** Σw·gap / Σw is
    ``表["加权贡献"].sum()`` (see :func:`overall_gap`). `weights` maps every
    dimension to a non-negative number (points out of 100, or shares).

    Rows follow the order of first appearance in `items`. A survey row whose
    题号 is not in `items` raises CRMError; a dimension without any valid
    answer gets NaN means (and weight is still required).

    >>> survey = pd.DataFrame({"题号": ["Q1", "Q1", "Q2", "Q2", "Q3"],
    ...                        "期望": [7, 6, 6, 9, 5], "感知": [5, 6, 3, 4, 6]})
    >>> t = servqual_gaps(survey, {"Q1": "信赖度", "Q2": "信赖度", "Q3": "有形度"}, {"信赖度": 3, "有形度": 1})
    >>> t.columns.tolist()
    ['期望', '感知', '差距', '有效答案数', '无效答案数', '权重', '加权贡献']
    >>> t.round(3).values.tolist()   # 信赖度: Q2's 9 is out of range, that pair is dropped
    [[6.333, 4.667, -1.667, 3.0, 1.0, 0.75, -1.25], [5.0, 6.0, 1.0, 1.0, 0.0, 0.25, 0.25]]
    >>> float(t["加权贡献"].sum())
    -1.0
    """
    require_frame(survey, "问卷答案")
    require_columns(survey, ["题号", "期望", "感知"], "问卷答案")
    mapping = item_dimensions(items)
    unknown = sorted(set(survey["题号"].unique().tolist()) - set(mapping), key=str)
    if unknown:
        raise CRMError(
            f"问卷答案里的题号「{unknown[0]}」不在题目表里，不知道它属于哪个维度。"
            "请检查是不是读错了题目表，或题号写法不一致（例如 Q1 和 Q01）。"
        )
    dims = list(dict.fromkeys(mapping.values()))
    used = survey["题号"].map(mapping)
    valid = valid_answers(survey)
    by = used.loc[valid.index]
    table = valid.groupby(by)[["期望", "感知", "差距"]].mean().reindex(dims)
    table["有效答案数"] = by.value_counts().reindex(dims, fill_value=0).astype(int)
    table["无效答案数"] = (used.value_counts().reindex(dims, fill_value=0) - table["有效答案数"]).astype(int)
    w = _weights(weights, dims)
    table["权重"] = w / w.sum()
    table["加权贡献"] = table["权重"] * table["差距"]
    table.index.name = "维度"
    return table


def overall_gap(survey, items, weights=None):
    """The overall SERVQUAL gap Σ w·gap / Σ w over the dimensions (equal weights when None).

    Dimensions without a valid answer are not allowed here (their gap is unknown).

    >>> survey = pd.DataFrame({"题号": ["Q1", "Q2"], "期望": [7, 5], "感知": [5, 6]})
    >>> overall_gap(survey, {"Q1": "信赖度", "Q2": "有形度"})
    -0.5
    >>> overall_gap(survey, {"Q1": "信赖度", "Q2": "有形度"}, {"信赖度": 30, "有形度": 10})
    -1.25
    """
    table = servqual_gaps(survey, items, weights)
    empty = table.index[table["差距"].isna()].tolist()
    if empty:
        raise CRMError(f"维度「{'、'.join(empty)}」没有任何有效答案，算不出总体差距。请检查筛选条件。")
    return float(table["加权贡献"].sum())


def straight_liners(survey, by="问卷编号", min_answers=10):
    """Respondents who ticked one box throughout: ids, sorted.

    A respondent is a straight-liner when, over their valid answer pairs
    (at least `min_answers` of them), every 期望 is the same number **and**
    every 感知 is the same number (e.g. all 7 and all 7, or all 7 and all 4).
    Honest respondents often give 7 to every expectation, so a constant
    expectation alone is not enough. Respondents with fewer valid pairs are
    never flagged.

    >>> s = pd.DataFrame({"问卷编号": ["A"] * 3 + ["B"] * 3, "题号": ["Q1", "Q2", "Q3"] * 2,
    ...                   "期望": [7, 7, 7, 7, 7, 7], "感知": [4, 4, 4, 4, 5, 6]})
    >>> straight_liners(s, min_answers=3)
    ['A']
    """
    require_frame(survey, "问卷答案")
    require_columns(survey, [by, "期望", "感知"], "问卷答案")
    n = as_number(min_answers, "最少答案数 min_answers", minimum=2)
    valid = valid_answers(survey)
    g = valid.groupby(by)
    stats = pd.DataFrame({"n": g.size(), "e": g["期望"].nunique(), "p": g["感知"].nunique()})
    flagged = stats[(stats["n"] >= n) & (stats["e"] == 1) & (stats["p"] == 1)]
    return sorted(flagged.index.tolist(), key=str)


def satisfaction_verdict(expectation, perception, tolerance=0.0):
    """不满 / 满意 / 惊喜 for one expectation–perception pair.

    The gap is perception − expectation. Within ±`tolerance` (inclusive) it
    counts as 满意 (met); below that 不满, above that 惊喜.

    >>> satisfaction_verdict(6, 5), satisfaction_verdict(6, 6), satisfaction_verdict(5, 7)
    ('不满', '满意', '惊喜')
    >>> satisfaction_verdict(6, 5.5, tolerance=0.5)
    '满意'
    """
    e = as_number(expectation, "期望值", minimum=SCALE[0], maximum=SCALE[1])
    p = as_number(perception, "感知值", minimum=SCALE[0], maximum=SCALE[1])
    t = as_number(tolerance, "容忍范围", minimum=0, maximum=6)
    gap = round(p - e, 9)  # 5.3 - 5.1 must not be 0.19999999999999996 at a 0.2 boundary
    if gap < -t:
        return "不满"
    if gap > t:
        return "惊喜"
    return "满意"
