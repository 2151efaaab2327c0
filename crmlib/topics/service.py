"""KPIs of a customer-service department (客户服务部门的绩效指标).

The KPI sheet has one row per agent and month. Its rates are *per row*
(一次解决率 of one agent in one month), so a team's rate is NOT the plain
mean of the rows: a month with 250 contacts would count as much as one with
1,200. Every rate here is therefore weighted by its own denominator:

* 平均处理时长, 一次解决率 — weighted by 接待量 (contacts);
* 满意度 — weighted by 参评数 (number of customers who rated);
* 万投比 — complaint rate: total complaints / total contacts × 10,000.

Service level (20 秒接通率) is NOT an agent KPI: callers wait in the queue
before any agent is assigned, so it is measured per queue — see
``crmlib.topics.staffing.queue_kpis``.

>>> sheet = pd.DataFrame({"班组": ["甲", "甲"], "接待量": [100, 300],
...     "平均处理时长": [200, 300], "一次解决率": [0.9, 0.7],
...     "参评数": [10, 30], "满意度": [5.0, 4.0], "投诉数": [0, 2]})
>>> team_kpis(sheet).round(3).iloc[0].tolist()
[400.0, 275.0, 0.75, 4.25, 50.0]
"""

import pandas as pd

from ..course.errors import CRMError, require_columns, require_frame, require_nonnegative

CONTACTS = "接待量"
RATED = "参评数"
#: Columns a KPI sheet needs, and the KPI columns team_kpis returns.
INPUT_COLUMNS = ["接待量", "平均处理时长", "一次解决率", "参评数", "满意度", "投诉数"]
KPI_COLUMNS = ["接待量", "平均处理时长", "一次解决率", "满意度", "万投比"]
#: Department targets of the course's service centre (星禾电器).
#: (Service level is a queue target, owned by the supervisors' rota, not an agent's: see staffing.)
DEFAULT_TARGETS = {"平均处理时长": 300, "一次解决率": 0.80, "满意度": 4.5, "万投比": 15}
#: KPIs where a smaller value is better; for the others, larger is better.
LOWER_IS_BETTER = {"平均处理时长", "万投比"}
#: Readable units, for tables and messages.
UNITS = {"接待量": "次", "平均处理时长": "秒", "一次解决率": "", "满意度": "分", "万投比": "件/万次接待"}


def _check_sheet(kpi_df):
    require_columns(kpi_df, INPUT_COLUMNS, "绩效表")
    for col in INPUT_COLUMNS:
        require_nonnegative(kpi_df[col], col)
    for col in ("一次解决率",):
        if (kpi_df[col] > 1).any():
            raise CRMError(
                f"「{col}」应该是 0～1 之间的小数（例如 0.82 表示 82%），但有大于 1 的值。"
                "如果表里写的是百分数，请先除以 100。"
            )
    if (kpi_df["满意度"] > 5).any():
        raise CRMError("「满意度」是 1～5 分的平均分，但有大于 5 的值。请检查这一列。")


def team_kpis(kpi_df, by="班组"):
    """Aggregate the KPI sheet by `by` (a column name, a list of them, or None for the whole sheet).

    Returns a DataFrame with one row per group and the columns
    接待量 (sum), 平均处理时长 (seconds, weighted by 接待量), 一次解决率
    (weighted by 接待量), 满意度 (weighted by 参评数) and 万投比
    (complaints per 10,000 contacts). With ``by=None`` the single row is named 全部.
    A plain mean of the rows' rates would be wrong whenever volumes differ.

    >>> sheet = pd.DataFrame({"班组": ["甲", "乙"], "接待量": [100, 100],
    ...     "平均处理时长": [200, 400], "一次解决率": [0.8, 0.6],
    ...     "参评数": [20, 20], "满意度": [4.5, 4.0], "投诉数": [1, 0]})
    >>> team_kpis(sheet, by=None)["平均处理时长"].tolist()
    [300.0]
    """
    _check_sheet(kpi_df)
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    require_columns(kpi_df, keys, "绩效表")
    df = kpi_df.assign(
        _秒=kpi_df["接待量"] * kpi_df["平均处理时长"],
        _解决=kpi_df["接待量"] * kpi_df["一次解决率"],
        _评分=kpi_df["参评数"] * kpi_df["满意度"],
    )
    sums = ["接待量", "_秒", "_解决", "参评数", "_评分", "投诉数"]
    g = df.groupby(keys, sort=True)[sums].sum() if keys else df[sums].sum().to_frame("全部").T
    if (g["接待量"] == 0).any() or (g["参评数"] == 0).any():
        raise CRMError("有的分组接待量或参评数合计为 0，无法计算比率。请检查数据或换一种分组方式。")
    out = pd.DataFrame(
        {
            "接待量": g["接待量"].astype(int),
            "平均处理时长": g["_秒"] / g["接待量"],
            "一次解决率": g["_解决"] / g["接待量"],
            "满意度": g["_评分"] / g["参评数"],
            "万投比": g["投诉数"] / g["接待量"] * 10000,
        }
    )
    return out


def _check_targets(targets):
    if not isinstance(targets, dict) or not targets:
        raise CRMError('目标应该写成字典，例如 {"一次解决率": 0.8, "满意度": 4.5}。')
    for name, value in targets.items():
        if name not in KPI_COLUMNS:
            raise CRMError(f"不认识的指标「{name}」。可以设目标的指标：{'、'.join(KPI_COLUMNS)}。")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise CRMError(f"指标「{name}」的目标值应该是一个不小于 0 的数字，你给的是 {value!r}。")


def meets_target(kpis, targets=None):
    """True/False table: does each row of `kpis` (output of team_kpis) meet each target?

    Smaller-is-better KPIs (平均处理时长, 万投比) pass when ``value <= target``,
    the others when ``value >= target``.

    >>> k = pd.DataFrame({"一次解决率": [0.85, 0.75], "万投比": [8.0, 20.0]}, index=["甲", "乙"])
    >>> meets_target(k, {"一次解决率": 0.8, "万投比": 15}).values.tolist()
    [[True, True], [False, False]]
    """
    targets = DEFAULT_TARGETS if targets is None else targets
    _check_targets(targets)
    require_columns(kpis, list(targets), "指标表")
    return pd.DataFrame(
        {name: (kpis[name] <= t) if name in LOWER_IS_BETTER else (kpis[name] >= t) for name, t in targets.items()}
    )


def below_target(kpi_df, targets=None, by=("坐席编号", "姓名")):
    """Which agents (or groups) miss which targets, over the whole sheet.

    First aggregates the sheet per `by` with :func:`team_kpis` (weighted, so a
    short sick-leave month does not distort anyone's rates), then lists one
    row per missed target: the keys, 指标, 实际, 目标 and 差距 (how far from
    the target, always positive). Sorted by the keys, then by the KPI.

    >>> sheet = pd.DataFrame({"坐席编号": ["A", "B"], "姓名": ["甲", "乙"], "接待量": [100, 100],
    ...     "平均处理时长": [250, 320], "一次解决率": [0.85, 0.82],
    ...     "参评数": [20, 20], "满意度": [4.6, 4.7], "投诉数": [0, 0]})
    >>> below_target(sheet)[["姓名", "指标", "差距"]].values.tolist()
    [['乙', '平均处理时长', 20.0]]
    """
    targets = DEFAULT_TARGETS if targets is None else targets
    _check_targets(targets)
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise CRMError('请用 by 指定按哪一列（或哪几列）逐个检查，例如 by="坐席编号"。')
    kpis = team_kpis(kpi_df, by=keys)
    ok = meets_target(kpis, targets)
    parts = []
    for order, (name, target) in enumerate(targets.items()):
        actual = kpis.loc[~ok[name], name]
        parts.append(
            pd.DataFrame(
                {"指标": name, "实际": actual, "目标": float(target), "差距": (actual - target).abs(), "_序": order}
            )
        )
    out = pd.concat(parts).reset_index().sort_values([*keys, "_序"], kind="stable")
    return out.drop(columns="_序").reset_index(drop=True)


def target_summary(kpi_df, targets=None, by=("坐席编号", "姓名")):
    """How many agents (rows of `by`) meet each target: a small table for the report.

    >>> sheet = pd.DataFrame({"坐席编号": ["A", "B"], "姓名": ["甲", "乙"], "接待量": [100, 100],
    ...     "平均处理时长": [250, 320], "一次解决率": [0.85, 0.82],
    ...     "参评数": [20, 20], "满意度": [4.6, 4.7], "投诉数": [0, 0]})
    >>> target_summary(sheet).loc["平均处理时长"].tolist()
    [300.0, 1.0, 1.0, 0.5]
    """
    targets = DEFAULT_TARGETS if targets is None else targets
    ok = meets_target(team_kpis(kpi_df, by=[by] if isinstance(by, str) else list(by)), targets)
    return pd.DataFrame(
        {"目标": pd.Series(targets, dtype=float), "达标人数": ok.sum(), "未达标人数": (~ok).sum(), "达标率": ok.mean()}
    )


def kpi_display(kpis):
    """A copy of a KPI table with readable text: rates as percentages, times to 0.1 s.

    Use it only to *show* a table; compute with the numeric table.

    >>> kpi_display(pd.DataFrame({"接待量": [12345], "一次解决率": [0.8123], "满意度": [4.567]})).iloc[0].tolist()
    ['12,345', '81.2%', '4.57']
    """
    require_frame(kpis, "指标表")
    formats = {
        "接待量": "{:,.0f}",
        "平均处理时长": "{:.1f}",
        "一次解决率": "{:.1%}",
        "服务水平": "{:.1%}",
        "呼入量": "{:,.0f}",
        "接通率": "{:.1%}",
        "放弃率": "{:.1%}",
        "满意度": "{:.2f}",
        "万投比": "{:.1f}",
        "实际": "{:.3g}",
        "目标": "{:g}",
        "差距": "{:.3g}",
    }
    if not any(col in kpis.columns for col in formats):
        raise CRMError(
            f"指标表里没有可以格式化的指标列（例如 {'、'.join(KPI_COLUMNS)}）。"
            "请传入 crm.team_kpis(...) 或 crm.below_target(...) 的结果。"
        )
    out = kpis.copy()
    for col, fmt in formats.items():
        if col in out.columns and pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(fmt.format)
    return out
