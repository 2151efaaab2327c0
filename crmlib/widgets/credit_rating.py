"""6C 信用评分：six weight sliders and a customer → weighted score, rating and suggested
credit limit for that customer, and the table of all customers updating with it.

The view is pure: :func:`credit_rating_view` takes the prepared scores and net
assets, the weights and the chosen customer, and returns HTML (a bar chart of
each factor's contribution, the rating counts and the full table). The
scores use ``crm.credit_table``, so the widget and the notebook always agree.

>>> import pandas as pd
>>> sc = pd.DataFrame({"品格": [90, 50], "能力": [80, 40]}, index=pd.Index(["C1", "C2"], name="客户编号"))
>>> html = credit_rating_view(sc, pd.Series({"C1": 1000.0, "C2": 200.0}), {"品格": 1, "能力": 1}, "C1")
>>> "AA" in html and "C1" in html and "<svg" in html
True
"""

from html import escape

import numpy as np
import pandas as pd  # noqa: F401 - the doctests use it

from ..course import charts as svg
from ..course.errors import CRMError, require_columns, require_frame, require_series
from ..course.ui import html_table, show
from ..topics.credit import DEFAULT_WEIGHTS, FACTORS_6C, LIMIT_SHARE, RATING_BANDS, check_weights, credit_table

GRADES = [g for g, _ in RATING_BANDS]


def prepare_credit_data(survey, statements):
    """(factor scores indexed by 客户编号, 净资产 in 元 from each customer's latest statement
    year; the statements are in 万元).

    >>> sv = pd.DataFrame({"客户编号": ["C1"], **{f: [70] for f in FACTORS_6C}})
    >>> st = pd.DataFrame({"客户编号": ["C1", "C1"], "年度": [2023, 2024], "资产总额": [100, 120], "负债总额": [50, 40]})
    >>> prepare_credit_data(sv, st)[1].tolist()
    [800000.0]
    """
    require_columns(survey, ["客户编号", *FACTORS_6C], "信用调查表")
    require_columns(statements, ["客户编号", "年度", "资产总额", "负债总额"], "财务报表")
    scores = survey.set_index("客户编号")[FACTORS_6C]
    latest = statements.sort_values("年度").groupby("客户编号").tail(1).set_index("客户编号")
    net = ((latest["资产总额"] - latest["负债总额"]) * 1e4).round(2).rename("净资产")
    return scores, net


def _table_arrays(scores, net_assets, w):
    """Scores, grades and limits as numpy arrays, best first — the same numbers as ``crm.credit_table``
    (a test checks it), without the pandas overhead a slider cannot afford."""
    require_frame(scores, "信用调查表")
    net_assets = require_series(net_assets, "净资产")
    used = [k for k in FACTORS_6C if w.get(k, 0) > 0]
    missing = [k for k in used if k not in scores.columns]
    if missing:
        raise CRMError(f"信用调查表里缺少要素「{'、'.join(missing)}」。")
    matrix = scores[used].to_numpy(dtype=float)
    if np.isnan(matrix).any() or (matrix < 0).any() or (matrix > 100).any():
        raise CRMError("信用调查表里有空的或不在 0～100 之间的得分。")
    net = net_assets.reindex(scores.index).to_numpy(dtype=float)
    if np.isnan(net).any():
        raise CRMError("有客户没有净资产数据，无法给出额度。请检查两张表的客户编号。")
    score = np.round(matrix @ np.array([w[k] for k in used]), 6)
    grade = np.full(len(score), RATING_BANDS[-1][0], dtype=object)
    for g, low in reversed(RATING_BANDS[:-1]):
        grade[score >= low - 1e-9] = g
    limit = np.round(np.clip(net, 0, None) * np.array([LIMIT_SHARE[g] for g in grade]), 6)
    order = np.lexsort((np.arange(len(score)), -score))
    return scores.index.to_numpy()[order], score[order], grade[order], limit[order], dict(zip(scores.index, net)), used


def credit_rating_view(scores, net_assets, weights=None, customer=None, top=12):
    """HTML for one setting of the weights and one chosen customer."""
    w = check_weights(DEFAULT_WEIGHTS if weights is None else weights)
    codes, score, grade, limit, net, used = _table_arrays(scores, net_assets, w)
    if customer is None:
        customer = codes[0]
    where = np.flatnonzero(codes == customer)
    if not len(where):
        raise CRMError(f"客户「{customer}」不在信用调查表里。请从下拉框里选择。")
    pos = int(where[0])
    own = scores.loc[customer]
    parts = [w[k] * float(own[k]) for k in used]
    chart = svg.bar_chart(
        [f"{k}（{w[k]:.0%}）" for k in used], parts, title=f"{customer} 各要素对得分的贡献（权重 × 得分）", width=520
    )
    counts = {g: int((grade == g).sum()) for g in GRADES}
    lead = (
        f"<p><b>{escape(str(customer))}</b>：加权得分 <b>{score[pos]:.1f}</b>，信用等级 <b>{grade[pos]}</b>，"
        f"建议信用额度 <b>{limit[pos] / 1e4:,.1f} 万元</b>（净资产 {net[customer] / 1e4:,.1f} 万元）。"
        f"全部 {len(codes)} 家客户的等级分布：" + "，".join(f"{g} {n} 家" for g, n in counts.items()) + "。</p>"
    )
    n = min(top, len(codes))
    rows = [
        [("▶ " if codes[i] == customer else "") + str(codes[i]), f"{score[i]:.1f}", grade[i], f"{limit[i] / 1e4:,.1f}"]
        for i in range(n)
    ]
    if pos >= top:
        rows.append(["……", "", "", ""])
        rows.append([f"▶ {customer}（第 {pos + 1} 名）", f"{score[pos]:.1f}", grade[pos], f"{limit[pos] / 1e4:,.1f}"])
    listing = html_table(rows, header=["客户编号", "得分", "等级", "建议额度（万元）"])
    return (
        f"<div>{lead}<div style='display:flex;gap:16px;flex-wrap:wrap'>"
        f"<div>{chart}</div><div><b>得分前 {n} 名</b>{listing}</div></div></div>"
    )


def build_credit_rating(scores, net_assets, weights=None, customer=None):
    """The widget (six weight sliders + a customer dropdown), not yet displayed.

    >>> sc = pd.DataFrame({f: [80, 60] for f in FACTORS_6C}, index=["C1", "C2"])
    >>> box = build_credit_rating(sc, pd.Series({"C1": 500.0, "C2": 300.0}))
    >>> box.children[1].value = "C2"
    >>> "C2" in box.children[-1].value
    True
    """
    import ipywidgets as w

    start = check_weights(DEFAULT_WEIGHTS if weights is None else weights)
    names = list(credit_table(scores, net_assets, start).index)
    pick = w.Dropdown(options=names, value=customer if customer in names else names[0], description="客户")
    style = {"description_width": "60px"}
    sliders = {
        k: w.IntSlider(
            value=round(start.get(k, 0) * 100),
            min=0,
            max=50,
            step=5,
            description=k,
            style=style,
            layout=w.Layout(width="300px"),
        )
        for k in FACTORS_6C
    }
    out = w.HTML()

    def update(_=None):
        try:
            out.value = credit_rating_view(scores, net_assets, {k: s.value for k, s in sliders.items()}, pick.value)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    for s in [pick, *sliders.values()]:
        s.observe(update, "value")
    update()
    grid = w.GridBox(list(sliders.values()), layout=w.Layout(grid_template_columns="repeat(3, 310px)"))
    note = w.HTML("<b>拖动滑块改变 6C 的权重（会自动换算成合计 100%），或换一个客户</b>")
    return w.VBox([note, pick, grid, out])


def credit_rating_widget(survey, statements, weights=None, customer=None):
    """Show the 6C credit-rating widget (static default view under grading)."""
    scores, net = prepare_credit_data(survey, statements)
    show(build_credit_rating(scores, net, weights, customer), credit_rating_view(scores, net, weights, customer))


def BENCH():
    """Benchmark hook: one slider move = one credit_rating_view call on the p03 data."""
    import itertools

    from ..course.datasets import load_dataset

    scores, net = prepare_credit_data(load_dataset("p03_credit_survey"), load_dataset("p03_statements"))
    moves = itertools.cycle(
        [(dict(DEFAULT_WEIGHTS, 品格=p / 100), c) for p in range(5, 50, 5) for c in scores.index[:3]]
    )

    def update():
        wts, cust = next(moves)
        return credit_rating_view(scores, net, wts, cust)

    return update
