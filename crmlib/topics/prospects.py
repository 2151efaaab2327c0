"""Prospects (潜在客户): the sales funnel, lead scoring with A/B/C classes, duplicate leads.

A lead table has one row per lead (线索). The funnel reads the column that
holds the **furthest stage** a lead has reached (``阶段``); a lead that skipped
a step (a referral sent straight to a quote) still counts as having passed
the skipped stage, because it reached a later one.

>>> leads = pd.DataFrame({"阶段": ["新线索", "已联系", "成交", "已联系"]})
>>> funnel(leads, ["新线索", "已联系", "报价", "成交"])["到达数"].tolist()
[4, 3, 1, 1]
"""

import re
import unicodedata

import numpy as np
import pandas as pd

from ..course.errors import CRMError, _fmt_list, as_number, require_columns, require_frame

#: The stages of this course's lead data, in order (p02_leads).
STAGES = ["新线索", "已联系", "需求确认", "方案报价", "成交"]
#: Default A/B cut-offs of ``lead_score`` on the 0–100 score: A ≥ 70, B ≥ 40, else C.
CUTS = (70, 40)
CLASSES = ["A", "B", "C"]
TOLERANCE = 1e-9  # a score within this of a cut-off counts as reaching it
#: The course's stated scoring rules for p02_leads: MAN (money = 预算, authority = 决策人,
#: need = 需求程度) plus company size. An empty budget scores 0.3 (unknown, not zero).
LEAD_RULES = {
    "预算": {"50万以上": 1.0, "20～50万": 0.8, "5～20万": 0.5, "5万以下": 0.2, "其他": 0.3},
    "决策人": {"是": 1.0, "否": 0.0},
    "需求程度": {"明确": 1.0, "有意向": 0.5, "仅了解": 0.0},
    "企业规模": {"大型": 1.0, "中型": 0.75, "小型": 0.4, "微型": 0.2},
}
#: Default weights (MAN only; size has weight 0 until a student gives it one).
LEAD_WEIGHTS = {"预算": 3, "决策人": 3, "需求程度": 4, "企业规模": 0}


# ------------------------------------------------------------------ funnel


def _check_stages(stages):
    if isinstance(stages, (str, bytes)) or not hasattr(stages, "__iter__"):
        raise CRMError(f"「stages」应该是按先后顺序排列的阶段名称列表，例如 {STAGES}，你给的是 {stages!r}。")
    stages = list(stages)
    if len(stages) < 2:
        raise CRMError("漏斗至少要有两个阶段（例如 新线索 → 成交），请把各阶段按先后顺序写进列表。")
    dup = [s for s in stages if stages.count(s) > 1]
    if dup:
        raise CRMError(f"阶段「{dup[0]}」在列表里出现了不止一次，每个阶段只能写一次。")
    return stages


def stage_positions(values, stages, column="阶段"):
    """Position (0, 1, …) of each value in `stages`; unknown or empty stages fail in Chinese.

    >>> stage_positions(pd.Series(["b", "a"]), ["a", "b"]).tolist()
    [1, 0]
    >>> stage_positions(pd.Series(["a", "报 价"]), ["a", "报价"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 「阶段」列里有 1 行的阶段「报 价」不在阶段列表里（阶段列表：a、报价）。...
    """
    stages = _check_stages(stages)
    if values.isna().any():
        raise CRMError(
            f"「{column}」列里有 {int(values.isna().sum())} 个空值，无法确定这些线索走到了哪一步。"
            "请先补齐（不知道的可以记为第一个阶段）或删除这些行。"
        )
    pos = values.map({s: i for i, s in enumerate(stages)})
    unknown = values[pos.isna()]
    if len(unknown):
        raise CRMError(
            f"「{column}」列里有 {len(unknown)} 行的阶段「{unknown.iloc[0]}」不在阶段列表里"
            f"（阶段列表：{_fmt_list(stages)}）。请检查拼写（含空格、全角半角），或把这个阶段加进列表。"
        )
    return pos.astype(int)


def _funnel_counts(pos, n_stages):
    reached = np.array([(pos >= k).sum() for k in range(n_stages)], dtype=int)
    prev = np.concatenate([[reached[0]], reached[:-1]]).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(prev > 0, reached / np.where(prev > 0, prev, 1), np.nan)
        overall = np.where(reached[0] > 0, reached / max(reached[0], 1), np.nan)
    return reached, step, overall


def funnel(leads, stages, by=None, stage_col="阶段"):
    """The sales funnel: how many leads reached each stage, step and overall conversion.

    ``leads[stage_col]`` holds the furthest stage each lead reached, one of
    ``stages`` (listed in order). A lead counts as having reached stage k when
    its stage is k or later, so a lead that skipped a step is counted at the
    skipped step too. Per stage:

    - ``到达数``: leads that reached the stage;
    - ``阶段转化率``: 到达数 / 到达数 of the stage before (1.0 for the first stage;
      NaN when the stage before was reached by nobody);
    - ``累计转化率``: 到达数 / 到达数 of the first stage (all leads of the group).

    Without ``by`` the result is indexed by stage; with ``by`` (a column
    name) it has a two-level index (group, 阶段), groups sorted, so
    ``funnel(...).xs("成交", level="阶段")`` gives one row per group.
    Unknown stage names, empty stages and missing columns raise CRMError.

    >>> leads = pd.DataFrame({"渠道": ["展会", "展会", "展会", "电话", "电话"],
    ...                       "阶段": ["新线索", "报价", "成交", "成交", "新线索"]})
    >>> f = funnel(leads, ["新线索", "报价", "成交"])
    >>> f.index.tolist(), f["到达数"].tolist(), f["阶段转化率"].round(4).tolist(), f["累计转化率"].tolist()
    (['新线索', '报价', '成交'], [5, 3, 2], [1.0, 0.6, 0.6667], [1.0, 0.6, 0.4])
    >>> funnel(leads, ["新线索", "报价", "成交"], by="渠道")["到达数"].tolist()
    [3, 2, 1, 2, 1, 1]
    """
    cols = [stage_col] + ([by] if by is not None else [])
    require_columns(leads, cols, "线索表")
    stages = _check_stages(stages)
    pos = stage_positions(leads[stage_col], stages, stage_col)
    if by is None:
        reached, step, overall = _funnel_counts(pos, len(stages))
        out = pd.DataFrame(
            {"到达数": reached, "阶段转化率": step, "累计转化率": overall}, index=pd.Index(stages, name="阶段")
        )
        return out
    if leads[by].isna().any():
        raise CRMError(f"「{by}」列里有 {int(leads[by].isna().sum())} 个空值，无法分组。请先补齐或删除这些行。")
    parts = []
    for group, p in pos.groupby(leads[by], sort=True):
        reached, step, overall = _funnel_counts(p, len(stages))
        parts.append(
            pd.DataFrame({by: group, "阶段": stages, "到达数": reached, "阶段转化率": step, "累计转化率": overall})
        )
    return pd.concat(parts, ignore_index=True).set_index([by, "阶段"])


def cost_per_won(leads, costs, won_stage="成交", by="渠道", stage_col="阶段", stages=None):
    """Cost per lead and per won customer of each channel (or other group).

    ``costs`` maps each group to what it cost in the period (a dict or a
    Series). ``每条线索成本`` = cost / leads, ``每成交客户成本`` = cost / leads
    whose stage is ``won_stage`` (NaN when nothing was won: "no customer for
    this money", never a silent 0). Groups with leads but no cost, or costs
    that are negative, raise CRMError. A group with a cost but no leads gets
    0 leads and NaN per-lead cost.

    >>> leads = pd.DataFrame({"渠道": ["展会", "展会", "电话"], "阶段": ["成交", "报价", "报价"]})
    >>> cost_per_won(leads, {"展会": 9000, "电话": 600}).to_dict("index")["展会"]
    {'线索数': 2, '成交数': 1, '费用': 9000, '每条线索成本': 4500.0, '每成交客户成本': 9000.0}
    >>> bool(np.isnan(cost_per_won(leads, {"展会": 9000, "电话": 600}).loc["电话", "每成交客户成本"]))
    True
    """
    require_columns(leads, [by, stage_col], "线索表")
    if isinstance(costs, dict):
        costs = pd.Series(costs)
    if not isinstance(costs, pd.Series) or costs.empty:
        raise CRMError(
            "「costs」应该是各渠道的费用，例如 {'展会': 180000, '电话': 60000}，或者一列以渠道为索引的数（Series）。"
        )
    for name, v in costs.items():
        as_number(v, f"{name}的费用", minimum=0)
    if stages is not None:
        stage_positions(leads[stage_col], stages, stage_col)
    missing = sorted(set(leads[by].dropna()) - set(costs.index))
    if missing:
        raise CRMError(
            f"「{missing[0]}」有线索，却没有给出它的费用。请在 costs 里补上所有{by}的费用"
            f"（现有：{_fmt_list(costs.index)}）。"
        )
    n = leads.groupby(by).size()
    won = leads[leads[stage_col] == won_stage].groupby(by).size()
    out = pd.DataFrame({"线索数": n, "成交数": won}).reindex(costs.index).fillna(0).astype(int)
    out["费用"] = costs
    with np.errstate(divide="ignore", invalid="ignore"):
        out["每条线索成本"] = (costs / out["线索数"].where(out["线索数"] > 0)).astype(float)
        out["每成交客户成本"] = (costs / out["成交数"].where(out["成交数"] > 0)).astype(float)
    out.index.name = by
    return out


# ------------------------------------------------------------------ lead score


def _check_weights(weights):
    if not isinstance(weights, dict) or not weights:
        raise CRMError(
            "「weights」应该是一个字典：每个评分项目对应一个权重，例如 {'预算': 3, '决策人': 2, '需求': 5}。"
        )
    w = {k: as_number(v, f"{k}的权重", minimum=0) for k, v in weights.items()}
    total = sum(w.values())
    if not total > 0:
        raise CRMError(
            "权重加起来是 0，无法算加权平均。请至少给一个项目正的权重（权重不必加起来等于 1，程序会按它们的和折算）。"
        )
    return w, total


def criterion_score(values, rule, column):
    """Map one column to 0–1 by a stated rule.

    - a dict ``{value: score}``: each value's score (0–1). Values not in the
      dict (empty cells included) take the dict's ``"其他"`` entry; without
      ``"其他"`` they raise CRMError naming the value;
    - a tuple ``("区间", low, high)``: ``(x − low) / (high − low)`` clipped to
      0–1 (``low > high`` reverses it: fewer is better). Empty cells raise.

    >>> criterion_score(pd.Series(["是", "否", None]), {"是": 1, "其他": 0}, "决策人").tolist()
    [1.0, 0.0, 0.0]
    >>> criterion_score(pd.Series([0, 5, 10, 20]), ("区间", 10, 0), "联系次数").tolist()
    [1.0, 0.5, 0.0, 0.0]
    """
    if isinstance(rule, dict):
        table = {k: as_number(v, f"「{column}」规则里「{k}」的得分", minimum=0, maximum=1) for k, v in rule.items()}
        default = table.get("其他")
        mapped = values.map(lambda x: table.get(x, default) if not pd.isna(x) else default)
        if mapped.isna().any():
            bad = values[mapped.isna()].iloc[0]
            shown = "空值" if pd.isna(bad) else f"「{bad}」"
            raise CRMError(
                f"「{column}」里的 {shown} 没有写在评分规则里。请在规则里给它一个 0～1 的分，"
                "或者加一项 '其他': 分数 作为其余取值（含空值）的得分。"
            )
        return mapped.astype(float)
    if isinstance(rule, tuple) and len(rule) == 3 and rule[0] == "区间":
        low = as_number(rule[1], f"「{column}」区间的起点")
        high = as_number(rule[2], f"「{column}」区间的终点")
        if low == high:
            raise CRMError(f"「{column}」区间的起点和终点相同（{low:g}），无法折算成 0～1。")
        x = pd.to_numeric(values, errors="coerce")
        if x.isna().any():
            raise CRMError(
                f"「{column}」里有 {int(x.isna().sum())} 个空值或不是数字的值，区间规则只能用于数字。"
                "请先补齐，或改用字典规则并给出 '其他' 的得分。"
            )
        return ((x - low) / (high - low)).clip(0, 1).astype(float) + 0.0  # no -0.0
    raise CRMError(
        f"「{column}」的评分规则看不懂：{rule!r}。规则应该是一个字典（取值 → 0～1 的分，可加 '其他'），"
        "或者 ('区间', 最低, 最高)。"
    )


def _check_cuts(cuts):
    if isinstance(cuts, (str, bytes)) or not hasattr(cuts, "__len__") or len(cuts) != 2:
        raise CRMError(f"「cuts」应该是两个分数线 (A 类线, B 类线)，例如 (70, 40)，你给的是 {cuts!r}。")
    a = as_number(cuts[0], "A 类分数线", minimum=0, maximum=100)
    b = as_number(cuts[1], "B 类分数线", minimum=0, maximum=100)
    if a < b:
        raise CRMError(f"A 类分数线（{a:g}）不能低于 B 类分数线（{b:g}）。分数是 0～100，例如 cuts=(70, 40)。")
    return a, b


def classify_scores(scores, cuts=CUTS):
    """A/B/C from 0–100 scores: A when score ≥ cuts[0], B when ≥ cuts[1], else C.

    A score exactly on a cut-off (within 1e-9) goes to the higher class.

    >>> classify_scores(pd.Series([70.0, 69.99, 40.0, 39.9])).tolist()
    ['A', 'B', 'B', 'C']
    """
    a, b = _check_cuts(cuts)
    if isinstance(scores, (str, bytes, pd.DataFrame, dict)) or not hasattr(scores, "__len__"):
        raise CRMError(
            f"「scores」应该是一列 0～100 的得分（Series 或列表），收到的却是 {type(scores).__name__}。"
            '例如 crm.classify_scores(表["得分"])。'
        )
    if len(scores) == 0:
        raise CRMError("「scores」是空的，没有任何得分可以分类。请检查前面的筛选。")
    s = pd.to_numeric(pd.Series(list(scores)), errors="coerce").to_numpy(dtype=float)
    if np.isnan(s).any():
        raise CRMError(f"「scores」里有 {int(np.isnan(s).sum())} 个空值或不是数字的值，请先检查得分的计算。")
    codes = np.where(s >= a - TOLERANCE, 0, np.where(s >= b - TOLERANCE, 1, 2)).astype(np.int8)
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=CLASSES, ordered=True), index=getattr(scores, "index", None)
    )


def lead_score(leads, weights, rules, cuts=CUTS):
    """Weighted lead score (0–100) and the A/B/C prospect class, as a ranked call list.

    For each criterion (a column named in ``weights``) the value is mapped
    to 0–1 by ``rules[column]`` (see :func:`criterion_score`). The score is
    ``100 × Σ wᵢ·sᵢ / Σ wᵢ``: weights need not add up to 1 but must be ≥ 0
    with a positive sum. Class A when the score ≥ ``cuts[0]`` (default 70),
    B when ≥ ``cuts[1]`` (default 40), otherwise C; a score exactly on a
    cut-off goes to the higher class.

    Returns a copy of ``leads`` with columns ``得分`` and ``等级`` added,
    sorted by score descending; equal scores keep the input order (sort is
    stable), so the list is the same on every run.

    >>> leads = pd.DataFrame({"线索": ["甲", "乙", "丙"], "预算": ["高", "低", None],
    ...                       "决策人": ["是", "是", "否"]}).set_index("线索")
    >>> rules = {"预算": {"高": 1, "低": 0.25, "其他": 0}, "决策人": {"是": 1, "否": 0}}
    >>> out = lead_score(leads, {"预算": 3, "决策人": 1}, rules)   # 乙: 100 × (3×0.25 + 1×1) / 4
    >>> out.index.tolist(), out["得分"].tolist(), out["等级"].astype(str).tolist()
    (['甲', '乙', '丙'], [100.0, 43.75, 0.0], ['A', 'B', 'C'])
    """
    require_frame(leads, "线索表")
    w, total = _check_weights(weights)
    if not isinstance(rules, dict):
        raise CRMError("「rules」应该是一个字典：每个评分项目对应一条规则，例如 {'决策人': {'是': 1, '否': 0}}。")
    require_columns(leads, list(w), "线索表")
    missing = [c for c in w if c not in rules]
    if missing:
        raise CRMError(f"评分项目「{missing[0]}」有权重，却没有评分规则。请在 rules 里写明它的每个取值得几分。")
    score = sum(w[c] * criterion_score(leads[c], rules[c], c) for c in w) / total * 100
    out = leads.copy()
    out["得分"] = score.round(6)
    out["等级"] = classify_scores(out["得分"], cuts)
    return out.sort_values("得分", ascending=False, kind="stable")


# ------------------------------------------------------------------ duplicates

_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司")


def normalize_company(name):
    """Company name for matching: NFKC (full-width → half-width), no spaces or
    brackets, and without a legal-form suffix (股份有限公司/有限责任公司/有限公司/公司).

    >>> normalize_company(" 苏州瑞达（机械）有限责任公司 ")
    '苏州瑞达机械'
    """
    if pd.isna(name):
        return ""
    s = unicodedata.normalize("NFKC", str(name))
    s = re.sub(r"[\s()\[\]【】]", "", s)
    for suffix in _SUFFIXES:
        if s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    return s


def normalize_phone(phone):
    """Mobile number for matching: digits only, the last 11 (drops +86, spaces, dashes).

    >>> normalize_phone("+86 138-1234 5678"), normalize_phone(None)
    ('13812345678', '')
    """
    if pd.isna(phone):
        return ""
    digits = re.sub(r"\D", "", str(phone))
    return digits[-11:] if len(digits) >= 11 else digits


def find_duplicates(leads, name_col="公司名称", phone_col="手机"):
    """Leads that are the same prospect entered more than once.

    Two leads are duplicates when their normalized company names are equal
    (:func:`normalize_company`) **or** their normalized mobiles are equal
    (:func:`normalize_phone`; empty values never match). Duplicates chain:
    if A matches B by name and B matches C by phone, A, B and C are one
    group. Returns the rows of ``leads`` that belong to a group of two or
    more, with a column ``重复组`` (1, 2, … numbered by the group's first row)
    and ``组内序号`` (1 for the group's first row in the table, 2, 3 … for the
    extra ones). ``(结果["组内序号"] > 1).sum()`` is the number of extra rows to
    merge; rows of the result keep the input index.

    >>> leads = pd.DataFrame({"公司名称": ["瑞达机械有限公司", "瑞达机械", "海川电子", "明达食品"],
    ...                       "手机": ["13800000001", "139 0000 0002", "+86 13900000002", "13700000003"]})
    >>> find_duplicates(leads)[["重复组", "组内序号"]]
       重复组  组内序号
    0    1     1
    1    1     2
    2    1     3
    """
    require_columns(leads, [name_col, phone_col], "线索表")
    n = len(leads)
    parent = list(range(n))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for key in (leads[name_col].map(normalize_company), leads[phone_col].map(normalize_phone)):
        first = {}
        for i, k in enumerate(key.tolist()):
            if not k:
                continue
            if k in first:
                a, b = root(first[k]), root(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first[k] = i
    roots = np.array([root(i) for i in range(n)])
    sizes = pd.Series(roots).value_counts()
    keep = np.array([sizes[r] > 1 for r in roots], dtype=bool)
    out = leads.iloc[np.flatnonzero(keep)].copy()
    group_roots = roots[keep]
    numbers = {r: k + 1 for k, r in enumerate(sorted(set(group_roots)))}
    out["重复组"] = [numbers[r] for r in group_roots]
    out["组内序号"] = out.groupby("重复组").cumcount() + 1
    return out.sort_values(["重复组", "组内序号"], kind="stable")


def drop_duplicate_leads(leads, name_col="公司名称", phone_col="手机"):
    """``leads`` without the extra rows of each duplicate group (the first row in
    the table is kept), as found by :func:`find_duplicates`.

    >>> leads = pd.DataFrame({"公司名称": ["瑞达机械有限公司", "瑞达机械", "海川电子"], "手机": ["1", "2", "3"]})
    >>> drop_duplicate_leads(leads)["公司名称"].tolist()
    ['瑞达机械有限公司', '海川电子']
    """
    dup = find_duplicates(leads, name_col, phone_col)
    extra = dup.index[dup["组内序号"] > 1]
    return leads.drop(index=extra)
