"""Work stress of service reps: the PSS-10 questionnaire and the team's shift-log measures.

**PSS-10 (知觉压力量表, Perceived Stress Scale, 10 items).** Source: Cohen, S.,
Kamarck, T. & Mermelstein, R. (1983), "A global measure of perceived stress",
*Journal of Health and Social Behavior* 24, 385–396 (the 14-item scale), and
Cohen, S. & Williamson, G. (1988), "Perceived stress in a probability sample of
the United States", in Spacapan & Oskamp (eds.), *The Social Psychology of
Health* (the 10-item form used here).

Convention used by every function below:

- ten answers, item 1 … item 10, each an integer 0–4:
  0 从不, 1 很少, 2 有时, 3 经常, 4 总是;
- items 4, 5, 7 and 8 are worded positively and are reverse-scored: 4 − x;
- the total is the sum of the ten scored items, 0–40 (higher = more perceived stress);
- fewer than ten valid answers gives no total (a Chinese error, never a partial sum);
- bands: 0–13 低, 14–26 中等, 27–40 高. Cohen publishes no cut-offs (only norms);
  these three bands are a widely used screening convention (for example in
  employee-assistance and university self-help versions of the scale). A band is
  a self-check, not a diagnosis.

>>> pss10_score([2, 2, 2, 2, 2, 2, 2, 2, 2, 2])
20
>>> pss10_band(pss10_score([0, 0, 0, 4, 4, 0, 4, 4, 0, 0]))
'低'
"""

import numbers

import numpy as np
import pandas as pd

from ..course.errors import CRMError, require_columns, as_number

#: The ten items (our Chinese wording of the PSS-10), "在最近一段时间里，你有多经常……".
PSS10_ITEMS = (
    "因为发生了意料之外的事情而心烦意乱",
    "觉得无法掌控自己生活中重要的事情",
    "感到紧张不安，压力很大",
    "对自己处理个人问题的能力有信心",
    "觉得事情正朝着自己希望的方向发展",
    "发现自己应付不了所有必须做的事情",
    "能够控制住生活中让自己烦躁的事情",
    "觉得自己把各种事情都安排妥当了",
    "因为一些自己控制不了的事情而生气",
    "觉得困难越积越多，多到自己无法克服",
)
#: Answer labels, index = points before reversing.
PSS10_CHOICES = ("从不", "很少", "有时", "经常", "总是")
#: Positively worded items (1-based), scored 4 − x.
REVERSE_ITEMS = (4, 5, 7, 8)
#: (lowest, highest, label) of each band.
PSS10_BANDS = ((0, 13, "低"), (14, 26, "中等"), (27, 40, "高"))
#: Column names of the team questionnaire table.
ITEM_COLUMNS = tuple(f"题{i}" for i in range(1, 11))


def _valid(x):
    """x as an int 0–4, or None when it is not a valid answer."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Number, np.number)):
        return None
    x = float(x)
    if np.isnan(x) or x != int(x) or not 0 <= x <= 4:
        return None
    return int(x)


def _answers(answers):
    """The ten answers as a list (list, tuple, array, Series or {item number: answer})."""
    if isinstance(answers, dict):
        answers = [answers.get(i, answers.get(str(i))) for i in range(1, 11)]
    elif isinstance(answers, pd.Series):
        answers = answers.tolist()
    elif isinstance(answers, (str, bytes)) or not hasattr(answers, "__iter__"):
        raise CRMError(
            f"PSS-10 的答案应该是 10 个 0～4 的整数组成的列表，例如 [2, 1, 3, 2, 2, 1, 2, 3, 1, 0]，"
            f"你给的是 {answers!r:.60}。"
        )
    answers = list(answers)
    if len(answers) != 10:
        raise CRMError(f"PSS-10 一共 10 题，你给了 {len(answers)} 个答案。请按第 1 题到第 10 题的顺序给出 10 个答案。")
    return answers


def pss10_score(answers):
    """Total PSS-10 score (0–40) of one questionnaire, items 4, 5, 7, 8 reversed.

    `answers`: ten answers in item order, each an integer 0 (从不) … 4 (总是)
    as ticked on the form (before reversing). Fewer than ten valid answers is
    an error: a partial sum would look lower than the real stress.

    >>> pss10_score([0] * 10)          # never stressed, never confident: 4 reverse items × 4
    16
    >>> pss10_score([4, 4, 4, 0, 0, 4, 0, 0, 4, 4])   # the highest possible
    40
    >>> pss10_score([3, 2, 3, 1, 2, 3, 1, 2, 2, 3])   # 3+2+3+(4-1)+(4-2)+3+(4-1)+(4-2)+2+3
    26
    >>> pss10_score([3, 2, None, 1, 2, 3, 1, 2, 2, 3])
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: PSS-10 需要 10 个有效答案（0～4 的整数），现在只有 9 个：第 3 题的答案是 None。没有答完的问卷不计总分（少算的题会让分数显得偏低），请补全后再算。
    """
    raw = _answers(answers)
    values = [_valid(x) for x in raw]
    bad = [i for i, v in enumerate(values, 1) if v is None]
    if bad:
        first = bad[0]
        raise CRMError(
            f"PSS-10 需要 10 个有效答案（0～4 的整数），现在只有 {10 - len(bad)} 个："
            f"第 {first} 题的答案是 {raw[first - 1]!r}。"
            "没有答完的问卷不计总分（少算的题会让分数显得偏低），请补全后再算。"
        )
    return int(sum(4 - v if i in REVERSE_ITEMS else v for i, v in enumerate(values, 1)))


def scored_items(answers):
    """The ten item scores after reversing (what adds up to the total).

    >>> scored_items([0, 0, 0, 1, 3, 0, 4, 0, 0, 0])
    [0, 0, 0, 3, 1, 0, 0, 4, 0, 0]
    """
    pss10_score(answers)  # validates
    return [4 - int(v) if i in REVERSE_ITEMS else int(v) for i, v in enumerate(_answers(answers), 1)]


def pss10_band(total):
    """The band of a PSS-10 total: "低" (0–13), "中等" (14–26) or "高" (27–40).

    >>> [pss10_band(t) for t in (0, 13, 14, 26, 27, 40)]
    ['低', '低', '中等', '中等', '高', '高']
    >>> pss10_band(41)
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 「PSS-10 总分」不能大于 40，你给的是 41。
    """
    t = as_number(total, "PSS-10 总分", minimum=0, maximum=40)
    if t != int(t):
        raise CRMError(f"PSS-10 总分应该是整数，你给的是 {t:g}。")
    return next(label for lo, hi, label in PSS10_BANDS if lo <= t <= hi)


def pss10_scores(questionnaires, columns=ITEM_COLUMNS):
    """Score every row of a questionnaire table; incomplete rows get no total.

    Returns a copy of the table with two more columns: ``总分`` (0–40, or
    missing where the row has fewer than ten valid answers) and ``压力水平``
    (低 / 中等 / 高, or ``未答完``).

    >>> t = pd.DataFrame([[2] * 10, [2] * 9 + [None]], columns=ITEM_COLUMNS)
    >>> out = pss10_scores(t)
    >>> out["总分"].tolist(), out["压力水平"].tolist()
    ([20.0, nan], ['中等', '未答完'])
    """
    require_columns(questionnaires, list(columns), "问卷表")
    items = questionnaires[list(columns)].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    valid = ~np.isnan(items) & (items >= 0) & (items <= 4) & (np.mod(np.nan_to_num(items), 1) == 0)
    complete = valid.all(axis=1)
    reverse = np.array([i in REVERSE_ITEMS for i in range(1, 11)])
    scored = np.where(reverse, 4 - items, items)
    out = questionnaires.copy()
    out["总分"] = np.where(complete, scored.sum(axis=1), np.nan)
    out["压力水平"] = [pss10_band(t) if ok else "未答完" for t, ok in zip(out["总分"], complete)]
    return out


# ----------------------------------------------------------------- shift log

SHIFT_COLUMNS = ("日期", "坐席编号", "出勤", "在线小时", "接待量", "难缠接待", "休息次数", "加班分钟")


def week_start(dates):
    """The Monday of each date's week (weeks run Monday to Sunday), as datetimes.

    >>> week_start(pd.Series(pd.to_datetime(["2025-10-12", "2025-10-13"]))).dt.strftime("%m-%d").tolist()
    ['10-06', '10-13']
    """
    if isinstance(dates, pd.DataFrame):
        raise CRMError('week_start 需要一列日期（例如 排班["日期"]），收到的却是一整张表。请只传入日期那一列。')
    if isinstance(dates, (str, bytes)) or not hasattr(dates, "__len__"):
        raise CRMError(f'week_start 需要一列日期（例如 排班["日期"]），收到的是 {dates!r:.40}。')
    if len(dates) == 0:
        raise CRMError("week_start 收到的日期列是空的。请检查前面的筛选是不是把所有行都去掉了。")
    try:
        d = pd.to_datetime(pd.Series(dates)).dt.normalize()
    except (TypeError, ValueError):
        raise CRMError('week_start 收到的内容不是日期。请传入日期列，例如 排班["日期"]。') from None
    return d - pd.to_timedelta(d.dt.day_of_week, unit="D")


def weekly_workload(shifts):
    """One row per agent and week: the week's workload from the shift log.

    Columns: 坐席编号, 周次 (Monday), 出勤班次 (shifts worked), 缺勤天数, 接待量,
    在线小时, 每小时接待量 (= 接待量 ÷ 在线小时 of the week, a ratio of sums,
    not a mean of daily ratios), 难缠接待, 难缠占比 (= 难缠接待 ÷ 接待量),
    每班休息次数 (= breaks ÷ shifts worked; a break not logged counts as
    unknown and that shift is left out of this mean), 加班小时.

    >>> log = pd.DataFrame({"日期": pd.to_datetime(["2025-10-13", "2025-10-14", "2025-10-15"]),
    ...     "坐席编号": ["A01"] * 3, "出勤": ["出勤", "出勤", "缺勤"], "在线小时": [8.0, 6.0, 0.0],
    ...     "接待量": [80, 30, 0], "难缠接待": [4, 2, 0], "休息次数": [2, 3, 0], "加班分钟": [30, 0, 0]})
    >>> w = weekly_workload(log).iloc[0]
    >>> int(w["出勤班次"]), int(w["缺勤天数"]), float(w["每小时接待量"]), float(w["每班休息次数"]), float(w["加班小时"])
    (2, 1, 7.857142857142857, 2.5, 0.5)
    """
    require_columns(shifts, list(SHIFT_COLUMNS), "排班记录")
    s = shifts.copy()
    s["日期"] = pd.to_datetime(s["日期"])
    s["周次"] = week_start(s["日期"]).to_numpy()
    worked = s["出勤"] == "出勤"
    s["_班"] = worked.astype(int)
    s["_缺"] = (~worked).astype(int)
    s["_休"] = s["休息次数"].where(worked)
    g = s.groupby(["坐席编号", "周次"])
    out = g.agg(
        出勤班次=("_班", "sum"),
        缺勤天数=("_缺", "sum"),
        接待量=("接待量", "sum"),
        在线小时=("在线小时", "sum"),
        难缠接待=("难缠接待", "sum"),
        每班休息次数=("_休", "mean"),
        加班分钟=("加班分钟", "sum"),
    ).reset_index()
    hours = out["在线小时"].where(out["在线小时"] > 0)
    out["每小时接待量"] = out["接待量"] / hours
    out["难缠占比"] = out["难缠接待"] / out["接待量"].where(out["接待量"] > 0)
    out["加班小时"] = out["加班分钟"] / 60
    cols = [
        "坐席编号",
        "周次",
        "出勤班次",
        "缺勤天数",
        "接待量",
        "在线小时",
        "每小时接待量",
        "难缠接待",
        "难缠占比",
        "每班休息次数",
        "加班小时",
    ]
    return out[cols]


def team_weeks(shifts, questionnaires):
    """Weekly workload joined with that week's PSS-10 total of the same agent.

    Only complete questionnaires are kept (an incomplete one has no total); a
    week with a questionnaire but no shift worked is dropped too.

    >>> log = pd.DataFrame({"日期": pd.to_datetime(["2025-10-13"]), "坐席编号": ["A01"], "出勤": ["出勤"],
    ...     "在线小时": [8.0], "接待量": [80], "难缠接待": [4], "休息次数": [2], "加班分钟": [0]})
    >>> q = pd.DataFrame([["2025-10-13", "A01"] + [2] * 10], columns=["周次", "坐席编号", *ITEM_COLUMNS])
    >>> team_weeks(log, q)[["坐席编号", "每小时接待量", "总分"]].values.tolist()
    [['A01', 10.0, 20.0]]
    """
    require_columns(questionnaires, ["周次", "坐席编号", *ITEM_COLUMNS], "问卷表")
    q = pss10_scores(questionnaires)
    q = q[q["压力水平"] != "未答完"].copy()
    q["周次"] = pd.to_datetime(q["周次"])
    keep = [c for c in q.columns if c not in ITEM_COLUMNS]
    w = weekly_workload(shifts)
    out = w.merge(q[keep], on=["坐席编号", "周次"], how="inner")
    out = out[out["出勤班次"] > 0].reset_index(drop=True)
    if out.empty:
        raise CRMError(
            "排班记录和问卷对不上：没有同一坐席、同一周的记录。请检查两张表的「坐席编号」和「周次」（周一的日期）。"
        )
    return out


def trigger_counts(questionnaires, column="压力来源"):
    """How often each stress trigger was named, most frequent first (ties by name).

    Counts the rows it is given: to count only some questionnaires (e.g. the 高 band), filter them first.

    >>> q = pd.DataFrame([[2] * 10 + ["加班"], [4] * 10 + ["客户辱骂"], [3] * 10 + ["加班"]],
    ...                  columns=[*ITEM_COLUMNS, "压力来源"])
    >>> trigger_counts(q).to_dict()
    {'加班': 2, '客户辱骂': 1}
    """
    require_columns(questionnaires, [column], "问卷表")
    counts = questionnaires[column].dropna().value_counts()
    counts = counts.rename_axis(column).reset_index(name="次数").sort_values(["次数", column], ascending=[False, True])
    return counts.set_index(column)["次数"].rename("次数")
