"""Satisfaction measures: NPS, the importance-weighted satisfaction index (CSI) and IPA quadrants.

Standard definitions, as other tools use them:

- NPS (净推荐值): scores 0–10 to "how likely are you to recommend us"; 9–10
  are promoters (推荐者), 7–8 passives (中立者), 0–6 detractors (贬损者);
  NPS = 100 × (promoters − detractors) / valid scores.
- CSI (加权满意度指数): Σ wᵢpᵢ / Σ wᵢ with importance weights wᵢ and
  performance pᵢ, and the same on 0–100: (x − low) / (high − low) × 100.
- IPA (重要性–表现分析): an attribute is high on an axis when it is on or
  above the cut (default: the mean over the attributes).

>>> nps([10, 9, 8, 6])
25.0
>>> csi([2, 1], [4, 1]).指数       # (2×4 + 1×1) / 3 = 3 on 1–5 → 50
50.0
>>> ipa_quadrants(pd.Series([5, 3], index=["价格", "停车"]), pd.Series([2, 4], index=["价格", "停车"]))["象限"].tolist()
['重点改进', '过度投入']
"""

import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number

NPS_GROUPS = ["贬损者", "中立者", "推荐者"]  # 0–6, 7–8, 9–10
QUADRANTS = ["继续保持", "重点改进", "低优先", "过度投入"]
#: A value within this relative tolerance of a cut counts as on the cut (so a
#: mean computed as 3.0000000000000004 does not push an attribute at 3.0 down).
TOLERANCE = 1e-9


def _values(x, name):
    """1-D values as a Series (lists, arrays and Series accepted)."""
    if isinstance(x, pd.DataFrame):
        raise CRMError(
            f"「{name}」应该是一列数（Series 或列表），收到的是一个表格。请取出其中一列，例如 表['推荐意愿']。"
        )
    if isinstance(x, (str, bytes)) or isinstance(x, numbers.Number) or not hasattr(x, "__iter__"):
        raise CRMError(f"「{name}」应该是一列数（Series 或列表），收到的是 {x!r:.40}。")
    if isinstance(x, pd.Series):
        return x
    items = list(x)
    return pd.Series(items, dtype=object if not items else None)


def nps_groups(scores):
    """The NPS group of each valid score: 贬损者 (0–6), 中立者 (7–8), 推荐者 (9–10).

    Validates like :func:`nps`; missing scores are dropped (no message).

    >>> nps_groups([0, 6, 7, 8, 9, 10]).tolist()
    ['贬损者', '贬损者', '中立者', '中立者', '推荐者', '推荐者']
    """
    s = _valid_scores(scores, quiet=True)
    return pd.Series(np.where(s >= 9, "推荐者", np.where(s >= 7, "中立者", "贬损者")), index=s.index, name="推荐分组")


def _valid_scores(scores, quiet=False):
    s = _values(scores, "推荐意愿评分")
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        bad = [
            v for v in s if not (v is None or (isinstance(v, (numbers.Number, np.number)) and not isinstance(v, bool)))
        ]
        bad = [v for v in bad if not (isinstance(v, float) and np.isnan(v))]
        if bad:
            raise CRMError(
                f"推荐意愿评分应该是 0～10 的整数，里面却有 {bad[0]!r}（{type(bad[0]).__name__}）。"
                "如果是从 Excel 读入的文字，请先用 pd.to_numeric(...) 转换。"
            )
        s = pd.to_numeric(s, errors="coerce") if len(s) else s.astype(float)
    elif pd.api.types.is_bool_dtype(s):
        raise CRMError("推荐意愿评分应该是 0～10 的整数，收到的却是真/假值（布尔型）。请传入评分那一列。")
    missing = int(s.isna().sum())
    s = s.dropna().astype(float)
    if s.empty:
        raise CRMError("没有任何有效的推荐意愿评分（全是空值或没有数据），无法计算 NPS。请检查筛选条件和列名。")
    out = s[(s < 0) | (s > 10)]
    if len(out):
        raise CRMError(
            f"推荐意愿评分只能是 0～10，里面有 {len(out)} 个超出范围的值（例如 {out.iloc[0]:g}）。"
            "请检查是不是混进了别的列（如 1～5 分的满意度）或录入错误。"
        )
    frac = s[s != np.floor(s)]
    if len(frac):
        raise CRMError(
            f"推荐意愿评分应该是整数，里面有 {len(frac)} 个带小数的值（例如 {frac.iloc[0]:g}）。"
            "NPS 要对每位受访者的原始打分分组，不能先求平均再分组。"
        )
    if missing and not quiet:
        print(f"提示：有 {missing} 个空值（未作答）没有计入，NPS 按 {len(s)} 个有效评分计算。")
    return s


def nps(scores):
    """Net Promoter Score of 0–10 scores, in [−100, 100].

    NPS = 100 × (number of 9–10 − number of 0–6) / number of valid scores.
    Missing values (NaN/None) are ignored and their count is printed; a score
    outside 0–10, a fraction, text or an empty input raises CRMError.

    >>> nps([9, 10, 7, 8, 0, 6])          # 2 promoters, 2 detractors
    0.0
    >>> nps([9, None, 3])
    提示：有 1 个空值（未作答）没有计入，NPS 按 2 个有效评分计算。
    0.0
    >>> nps([7])
    0.0
    >>> nps([11])
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 推荐意愿评分只能是 0～10，里面有 1 个超出范围的值（例如 11）。请检查是不是混进了别的列（如 1～5 分的满意度）或录入错误。
    """
    s = _valid_scores(scores).to_numpy()
    return float(100.0 * (int((s >= 9).sum()) - int((s <= 6).sum())) / len(s))


class CSI(NamedTuple):
    """Result of :func:`csi`: weighted mean on the survey scale, and the 0–100 index."""

    加权均值: float
    指数: float


def _scale(scale):
    try:
        low, high = scale
    except (TypeError, ValueError):
        raise CRMError(f"量表 scale 应该写成 (最低分, 最高分)，例如 (1, 5)，你给的是 {scale!r}。") from None
    low, high = as_number(low, "量表最低分"), as_number(high, "量表最高分")
    if low >= high:
        raise CRMError(f"量表最低分（{low:g}）必须小于最高分（{high:g}），例如 (1, 5)。")
    return low, high


def _paired(importance, performance):
    """Importance and performance as aligned float arrays (same attributes, same order)."""
    w, p = _values(importance, "重要性"), _values(performance, "表现")
    if isinstance(importance, pd.Series) and isinstance(performance, pd.Series):
        if set(w.index) != set(p.index) or w.index.has_duplicates:
            only = [str(i) for i in w.index.symmetric_difference(p.index)][:3]
            raise CRMError(
                "重要性和表现的指标（索引）对不上"
                + (f"，例如「{only[0]}」只在一边出现" if only else "")
                + "。请让两列的索引是同一组指标，例如都来自同一张按指标汇总的表。"
            )
        p = p.reindex(w.index)
    elif len(w) != len(p):
        raise CRMError(f"重要性有 {len(w)} 个值，表现有 {len(p)} 个值，个数必须相同（每个指标一对）。")
    if len(w) == 0:
        raise CRMError("没有任何指标（重要性和表现都是空的）。请检查传入的数据。")
    arrays = []
    for name, s in (("重要性", w), ("表现", p)):
        num = pd.to_numeric(s, errors="coerce")
        if num.isna().any() or pd.api.types.is_bool_dtype(s):
            where = s.index[num.isna().to_numpy()][0] if num.isna().any() else s.index[0]
            raise CRMError(
                f"「{name}」里有空值或不是数字的值（指标「{where}」）。每个指标都要有一个数字；"
                "如果是按受访者求的平均，请先 .dropna() 再求平均。"
            )
        arrays.append(num.to_numpy(dtype=float))
    return w.index, arrays[0], arrays[1]


def csi(importance, performance, scale=(1, 5)):
    """Importance-weighted satisfaction: ``CSI(加权均值, 指数)``.

    - 加权均值 = Σ wᵢpᵢ / Σ wᵢ (on the survey scale);
    - 指数 = (加权均值 − low) / (high − low) × 100, with ``scale=(low, high)``.

    `importance` (weights, ≥ 0, not all 0) and `performance` (within the
    scale) are one value per attribute; two Series are matched by index.

    >>> csi([3, 1], [5, 1])                     # (15 + 1) / 4 = 4 → (4 − 1) / 4 × 100
    CSI(加权均值=4.0, 指数=75.0)
    >>> csi([1, 1], [1, 1]).指数                  # the bottom of the scale is 0
    0.0
    >>> csi([1, 3], [9, 5], scale=(0, 10))     # (9 + 15) / 4 = 6 on 0–10
    CSI(加权均值=6.0, 指数=60.0)
    >>> csi([0, 0], [3, 4])
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 重要性权重全部为 0，无法加权。至少要有一个指标的权重大于 0。
    """
    low, high = _scale(scale)
    _, w, p = _paired(importance, performance)
    if (w < 0).any():
        raise CRMError(f"重要性权重不能为负数（有 {int((w < 0).sum())} 个负值）。重要性应该是 0 或正数。")
    if w.sum() <= 0:
        raise CRMError("重要性权重全部为 0，无法加权。至少要有一个指标的权重大于 0。")
    bad = p[(p < low) | (p > high)]
    if len(bad):
        raise CRMError(
            f"表现得分 {bad[0]:g} 超出了量表 {low:g}～{high:g} 的范围。"
            "请检查量表 scale 是否写对（例如 10 分制要写 scale=(0, 10)）。"
        )
    mean = float((w * p).sum() / w.sum())
    return CSI(mean, float((mean - low) / (high - low) * 100))


def _cut(x, cut, name):
    if isinstance(cut, str):
        if cut == "mean":
            return float(x.mean())
        if cut == "median":
            return float(np.median(x))
        raise CRMError(f'{name}分界线 cut 只能是 "mean"（平均值）、"median"（中位数）或一个数字，你给的是 {cut!r}。')
    return as_number(cut, f"{name}分界线")


def ipa_quadrants(importance, performance, cut="mean"):
    """The IPA quadrant of each attribute, one row per attribute.

    An attribute is *high* on an axis when its value is on or above the cut
    line (within a relative tolerance of 1e-9, see ``TOLERANCE``):

    ============  ============  =========
    importance    performance   象限
    ============  ============  =========
    high          high          继续保持
    high          low           重点改进
    low           low           低优先
    low           high          过度投入
    ============  ============  =========

    `cut` is ``"mean"`` (default: the mean over the attributes), ``"median"``,
    or ``(importance cut, performance cut)``. Returns columns 重要性, 表现, 象限,
    indexed by attribute (a Series' index, else 0, 1, …); the cuts used are in
    ``.attrs["分界线"]``.

    >>> imp = pd.Series({"价格": 4.5, "服务态度": 4.0, "停车": 3.5})
    >>> perf = pd.Series({"价格": 3.0, "服务态度": 4.2, "停车": 4.0})
    >>> t = ipa_quadrants(imp, perf)          # cuts: 4.0 and 3.7333…
    >>> t["象限"].to_dict()
    {'价格': '重点改进', '服务态度': '继续保持', '停车': '过度投入'}
    >>> ipa_quadrants(imp, perf, cut=(4.5, 4.2))["象限"].tolist()   # on the line counts as high
    ['重点改进', '过度投入', '低优先']
    """
    index, w, p = _paired(importance, performance)
    if isinstance(cut, (tuple, list)):
        if len(cut) != 2:
            raise CRMError("分界线 cut 写成 (重要性分界, 表现分界) 两个数，例如 (4.0, 3.8)。")
        ci, cp = _cut(w, cut[0], "重要性"), _cut(p, cut[1], "表现")
    else:
        ci, cp = _cut(w, cut, "重要性"), _cut(p, cut, "表现")
    hi_i = w >= ci - TOLERANCE * max(1.0, abs(ci))
    hi_p = p >= cp - TOLERANCE * max(1.0, abs(cp))
    quad = np.where(hi_i, np.where(hi_p, "继续保持", "重点改进"), np.where(hi_p, "过度投入", "低优先"))
    out = pd.DataFrame({"重要性": w, "表现": p, "象限": quad}, index=index)
    out.attrs["分界线"] = {"重要性": ci, "表现": cp}
    return out
