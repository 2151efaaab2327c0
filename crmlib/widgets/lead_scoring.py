"""线索评分: weight sliders (预算/决策人/需求程度/企业规模) and A/B cut-offs → the ranked call
list and the A/B/C prospect classes, compared with the default weights.

The 0–1 score of every criterion is computed once (:func:`prepare_scoring`,
by ``crm.lead_score``'s rules); a slider move is one matrix–vector product,
a stable sort and an HTML table, so the same ranking as ``crm.lead_score``
(ties keep the table order).

>>> import pandas as pd
>>> leads = pd.DataFrame({"线索编号": ["L1", "L2", "L3"], "公司名称": ["甲", "乙", "丙"],
...     "渠道": ["展会", "电话", "转介绍"], "阶段": ["已联系", "新线索", "需求确认"],
...     "预算": ["50万以上", None, "5万以下"], "决策人": ["否", "是", "是"],
...     "需求程度": ["有意向", "明确", "明确"], "企业规模": ["大型", "小型", "微型"]})
>>> prep = prepare_scoring(leads)
>>> ranked_ids(prep, {"预算": 3, "决策人": 3, "需求程度": 4, "企业规模": 0})
['L2', 'L3', 'L1']
>>> ranked_ids(prep, {"预算": 5, "决策人": 0, "需求程度": 0, "企业规模": 5})
['L1', 'L2', 'L3']
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_columns
from ..course.ui import html_table, show
from ..topics.prospects import CLASSES, CUTS, LEAD_RULES, LEAD_WEIGHTS, TOLERANCE, _check_cuts, criterion_score

CRITERIA = list(LEAD_WEIGHTS)
SHOW = ["线索编号", "公司名称", "渠道", "阶段"]


@dataclass(frozen=True)
class ScoringData:
    ids: np.ndarray
    info: pd.DataFrame  # columns shown in the list
    scores: np.ndarray  # n × criteria, each 0–1
    default_order: np.ndarray  # positions ranked by the default weights
    default_class: np.ndarray  # 0/1/2 = A/B/C under the default weights and cut-offs


def _weights(weights):
    w = np.array([as_number(weights.get(c, 0), f"{c}的权重", minimum=0) for c in CRITERIA])
    if not w.sum() > 0:
        raise CRMError("所有权重都是 0，无法打分。请至少把一个项目的权重调到大于 0。")
    return w


def _score(prep, w):
    return prep.scores @ w / w.sum() * 100


def _classes(score, cuts):
    a, b = _check_cuts(cuts)
    return np.where(score >= a - TOLERANCE, 0, np.where(score >= b - TOLERANCE, 1, 2))


def prepare_scoring(leads, rules=LEAD_RULES):
    """Criterion scores of every lead (once), and the default ranking and classes."""
    require_columns(leads, SHOW + CRITERIA, "线索表")
    scores = np.column_stack([criterion_score(leads[c], rules[c], c).to_numpy() for c in CRITERIA])
    info = leads[SHOW + ["预算", "决策人", "需求程度", "企业规模"]].reset_index(drop=True)
    w = np.array([LEAD_WEIGHTS[c] for c in CRITERIA], dtype=float)
    base = scores @ w / w.sum() * 100
    return ScoringData(
        leads["线索编号"].to_numpy(), info, scores, np.argsort(-base.round(6), kind="stable"), _classes(base, CUTS)
    )


def ranked_ids(prep, weights):
    """Lead ids ranked by the weighted score (ties keep the table order)."""
    s = _score(prep, _weights(weights))
    return prep.ids[np.argsort(-s.round(6), kind="stable")].tolist()


def lead_scoring_view(prep, weights=None, cuts=CUTS, top=20):
    """HTML: class counts (and moves against the default weights) and the top-`top` call list.

    `prep` comes from :func:`prepare_scoring`; a lead table is prepared on the fly.
    """
    if isinstance(prep, pd.DataFrame):
        prep = prepare_scoring(prep)
    if not isinstance(prep, ScoringData):
        raise CRMError(
            "lead_scoring_view 需要线索表（或 crm.prepare_scoring(线索表) 的结果），"
            f'收到的却是 {type(prep).__name__}。请先用 crm.load_dataset("p02_leads") 读入数据。'
        )
    weights = dict(LEAD_WEIGHTS if weights is None else weights)
    w = _weights(weights)
    top = int(as_number(top, "名单长度", minimum=1))
    s = _score(prep, w)
    order = np.argsort(-s.round(6), kind="stable")
    cls = _classes(s, cuts)
    a, b = _check_cuts(cuts)
    counts = [int((cls == k).sum()) for k in range(3)]
    up = int((cls < prep.default_class).sum())
    down = int((cls > prep.default_class).sum())
    default_rank = np.empty(len(s), dtype=int)
    default_rank[prep.default_order] = np.arange(1, len(s) + 1)
    in_default_top = default_rank <= top
    rows = []
    for r, i in enumerate(order[:top], 1):
        moved = default_rank[i] - r
        note = "新进名单" if not in_default_top[i] else ("—" if moved == 0 else f"{moved:+d} 位")
        info = prep.info.iloc[i]
        rows.append(
            [
                r,
                info["线索编号"],
                info["公司名称"],
                info["渠道"],
                info["阶段"],
                "空" if pd.isna(info["预算"]) else info["预算"],
                info["决策人"],
                info["需求程度"],
                info["企业规模"],
                f"{s[i]:.1f}",
                CLASSES[cls[i]],
                note,
            ]
        )
    left_out = int((in_default_top & (np.isin(np.arange(len(s)), order[:top], invert=True))).sum())
    wt = "、".join(f"{c} {weights.get(c, 0):g}" for c in CRITERIA)
    lead = (
        f"<p>权重：{wt}（按权重之和折算成 0～100 分）；A 类 ≥ {a:g} 分，B 类 ≥ {b:g} 分。"
        f"A 类 <b>{counts[0]}</b> 条，B 类 <b>{counts[1]}</b> 条，C 类 <b>{counts[2]}</b> 条。"
        f"和默认权重相比：{up} 条升级，{down} 条降级；前 {top} 名里换掉了 {left_out} 条。</p>"
    )
    table = html_table(
        rows,
        header=[
            "名次",
            "线索编号",
            "公司名称",
            "渠道",
            "阶段",
            "预算",
            "决策人",
            "需求",
            "规模",
            "得分",
            "等级",
            "与默认相比",
        ],
    )
    return f"<div>{lead}{table}</div>"


def build_lead_scoring(leads, rules=LEAD_RULES, top=20):
    """The widget: four weight sliders and two cut-off sliders over the prepared scores."""
    import ipywidgets as w

    prep = prepare_scoring(leads, rules)
    style = {"description_width": "70px"}
    sliders = {
        c: w.IntSlider(value=LEAD_WEIGHTS[c], min=0, max=10, description=c, style=style, continuous_update=True)
        for c in CRITERIA
    }
    ca = w.IntSlider(value=CUTS[0], min=40, max=95, step=5, description="A 类线", style=style)
    cb = w.IntSlider(value=CUTS[1], min=10, max=70, step=5, description="B 类线", style=style)
    out = w.HTML(lead_scoring_view(prep, top=top))

    def update(_=None):
        try:
            out.value = lead_scoring_view(prep, {c: s.value for c, s in sliders.items()}, (ca.value, cb.value), top)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{err}</p>"

    for s in list(sliders.values()) + [ca, cb]:
        s.observe(update, "value")
    controls = w.HBox([w.VBox(list(sliders.values())), w.VBox([ca, cb])])
    return w.VBox([w.HTML("<b>拖动权重和分数线，看通话名单的排序和 A/B/C 分级怎么变</b>"), controls, out])


def lead_scoring(leads, rules=LEAD_RULES, top=20):
    """Show the lead-scoring widget (a static default view under nbgrader)."""
    show(build_lead_scoring(leads, rules, top), lead_scoring_view(prepare_scoring(leads, rules), top=top))


def BENCH():
    """One slider move = one lead_scoring_view call on the open p02 leads."""
    import itertools

    from ..course.datasets import load_dataset

    leads = load_dataset("p02_leads")
    prep = prepare_scoring(leads[leads["状态"] == "跟进中"])
    settings = itertools.cycle(
        [{"预算": b, "决策人": 3, "需求程度": 4, "企业规模": z} for b in range(0, 11, 2) for z in (0, 3, 6)]
    )

    def update():
        return lead_scoring_view(prep, next(settings))

    return update
