"""Service level (SLA) of complaint handling: elapsed time and the share of cases within target.

Two clocks are offered, and every function says which one it uses:

- ``calendar="calendar"`` (自然小时): plain elapsed hours, nights, weekends and
  holidays included — what the customer feels.
- ``calendar="working"`` (工作小时): only the hours 09:00–18:00 of China
  working days count (weekends and public holidays off, make-up working
  weekends (调休) on), from ``crmlib.generators.common.is_workday`` — what a
  back office working office hours can promise. A working day has 9 hours.

>>> t = pd.DataFrame({"受理": pd.to_datetime(["2025-09-30 17:00", "2025-10-09 10:00"]),
...                   "解决": pd.to_datetime(["2025-10-09 10:00", "2025-10-09 12:00"])})
>>> elapsed_hours(t["受理"], t["解决"]).tolist()          # 国庆 in between
[209.0, 2.0]
>>> elapsed_hours(t["受理"], t["解决"], "working").tolist()
[2.0, 2.0]
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from ..course.errors import CRMError, as_number, require_columns
from ..generators.common import is_workday

WORK_START, WORK_END = 9, 18  # office hours of the working-hours clock
DAY_HOURS = WORK_END - WORK_START
CALENDARS = {
    "calendar": "calendar",
    "自然": "calendar",
    "自然小时": "calendar",
    "working": "working",
    "工作": "working",
    "工作小时": "working",
}


def _calendar(calendar):
    key = CALENDARS.get(str(calendar).strip()) if isinstance(calendar, str) else None
    if key is None:
        raise CRMError(
            f'「calendar」只能是 "calendar"（自然小时，含夜间和节假日）或 "working"'
            f"（工作小时，只算工作日 9:00–18:00），你给的是 {calendar!r}。"
        )
    return key


def _days(lo, hi):
    """Day table from `lo` to `hi` (inclusive): day starts and working hours before each day."""
    return _day_table(pd.Timestamp(lo).normalize(), pd.Timestamp(hi).normalize())


@lru_cache(maxsize=64)
def _day_table(lo, hi):
    days = pd.date_range(lo - pd.Timedelta(days=1), hi + pd.Timedelta(days=1), freq="D")
    work = is_workday(days)
    before = np.concatenate([[0.0], np.cumsum(work * float(DAY_HOURS))[:-1]])
    work.setflags(write=False)
    before.setflags(write=False)
    return days, work, before


def _working_clock(times, days, work, before):
    """Working hours from the first day of the table to each of `times` (NaT stays NaN)."""
    t = pd.DatetimeIndex(times)
    out = np.full(len(t), np.nan)
    ok = ~t.isna()
    if ok.any():
        tt = t[ok]
        i = days.searchsorted(tt.normalize())
        hours = (tt - tt.normalize()) / pd.Timedelta(hours=1)
        inside = np.clip(np.asarray(hours) - WORK_START, 0, DAY_HOURS) * work[i]
        out[ok] = before[i] + inside
    return out


def _as_times(values, name):
    if isinstance(values, (pd.Series, pd.Index, list, np.ndarray)):
        s = pd.Series(values)
    else:
        raise CRMError(f"「{name}」应该是一列时间。")
    if not (pd.api.types.is_datetime64_any_dtype(s) or s.isna().all()):
        raise CRMError(
            f"「{name}」列是 {s.dtype} 类型，不是日期时间。请先转换：表['{name}'] = pd.to_datetime(表['{name}'])。"
        )
    return pd.DatetimeIndex(s)


def elapsed_hours(start, end, calendar="calendar"):
    """Hours from each `start` to its `end` on the chosen clock; NaN where `end` is missing.

    ``calendar="calendar"`` counts every hour; ``"working"`` counts only
    09:00–18:00 on China working days (a case received on Saturday evening and
    answered Monday 10:00 took 1 working hour). An end before its start raises
    CRMError.

    >>> s = pd.to_datetime(pd.Series(["2025-01-04 20:00", "2025-01-06 17:30"]))
    >>> e = pd.to_datetime(pd.Series(["2025-01-06 10:00", "2025-01-07 09:30"]))
    >>> elapsed_hours(s, e).tolist(), elapsed_hours(s, e, "working").tolist()
    ([38.0, 16.0], [1.0, 1.0])
    """
    clock = _calendar(calendar)
    s, e = _as_times(start, "开始时间"), _as_times(end, "结束时间")
    if len(s) != len(e):
        raise CRMError("开始时间和结束时间的行数不一样，请从同一张表里取这两列。")
    if s.isna().any():
        raise CRMError(f"开始时间里有 {int(s.isna().sum())} 个空值。受理时间缺失的案件无法计时，请先筛掉或补齐。")
    bad = np.flatnonzero(~e.isna() & (e < s))
    if len(bad):
        raise CRMError(
            f"第 {bad[0]} 行的结束时间早于开始时间（{e[bad[0]]} < {s[bad[0]]}），这是录入错误。请先核对或筛掉这些行。"
        )
    if clock == "calendar":
        return np.asarray((e - s) / pd.Timedelta(hours=1), dtype=float)
    hi = max(s.max(), e.max() if e.notna().any() else s.max())
    table = _days(s.min(), hi)
    return _working_clock(e, *table) - _working_clock(s, *table)


def sla_status(cases, start, end, target, calendar="calendar", asof=None):
    """Per case: ``"达标"``, ``"超时"`` or ``"未到期"`` against `target` hours.

    Closed case (`end` given): 达标 when elapsed ≤ target (a case exactly on
    the target is within it), else 超时. Open case (`end` missing): 超时 once
    more than `target` hours have passed by `asof`, otherwise 未到期 — it may
    still make it, so it is neither counted as within nor as late. `asof`
    defaults to the latest time in the two columns (the moment of the export).

    >>> t = pd.DataFrame({"受理": pd.to_datetime(["2025-03-03 09:00"] * 3),
    ...                   "解决": pd.to_datetime(["2025-03-04 09:00", "2025-03-04 10:00", None])})
    >>> sla_status(t, "受理", "解决", 24, asof="2025-03-03 20:00").tolist()
    ['达标', '超时', '未到期']
    """
    require_columns(cases, [start, end], "案件表")
    target = as_number(target, "目标时限 target（小时）", minimum=0)
    clock = _calendar(calendar)
    s, e = _as_times(cases[start], start), _as_times(cases[end], end)
    if asof is None:
        asof = max(s.max(), e.max()) if e.notna().any() else s.max()
    asof = pd.Timestamp(asof)
    if (s > asof).any():
        raise CRMError(f"有案件的「{start}」晚于统计时点 asof（{asof}），请检查 asof。")
    closed = ~e.isna()
    done = elapsed_hours(s, e, clock)
    so_far = elapsed_hours(s, pd.DatetimeIndex([asof] * len(s)), clock)
    status = np.where(
        closed, np.where(done <= target + 1e-9, "达标", "超时"), np.where(so_far > target + 1e-9, "超时", "未到期")
    )
    return pd.Series(status, index=cases.index, name="时限状态")


def sla_share(cases, start, end, target, by=None, calendar="calendar", asof=None):
    """Share of cases handled within `target` hours (the SLA compliance rate).

    Elapsed time runs from column `start` to column `end` on the chosen clock:
    ``calendar="calendar"`` (default) counts calendar hours, nights, weekends
    and holidays included; ``calendar="working"`` counts working hours only
    (09:00–18:00 on China working days, holidays off, 调休 weekends on; 9
    hours a day, so "3 working days" is ``target=27``).

    A closed case is within target when its elapsed time ≤ `target`. An open
    case (`end` missing) counts as **not** within target once the target has
    passed by `asof` (default: the latest time in the two columns); before
    that it is still pending and left out of the count. The share is
    within / counted.

    With ``by=None`` returns one number (0–1). With ``by`` (a column name)
    returns a DataFrame indexed by group, sorted by group, with columns
    ``计入件数`` (counted), ``达标件数``, ``达标率``, ``未结超时`` (open and
    already late) and ``未到期`` (open, left out).

    >>> t = pd.DataFrame({"渠道": ["热线", "热线", "邮件", "邮件"],
    ...     "受理": pd.to_datetime(["2025-03-03 09:00"] * 4),
    ...     "回复": pd.to_datetime(["2025-03-03 10:00", "2025-03-04 12:00", "2025-03-04 09:00", None])})
    >>> sla_share(t, "受理", "回复", 24, asof="2025-03-05 09:00")   # 2 of 4: the open one is late
    0.5
    >>> sla_share(t, "受理", "回复", 24, by="渠道", asof="2025-03-05 09:00")["达标率"].tolist()
    [0.5, 0.5]
    """
    status = sla_status(cases, start, end, target, calendar, asof)
    if by is None:
        counted = status != "未到期"
        if not counted.any():
            raise CRMError("所有案件都还没到期，没有可以计算达标率的案件。请换一个更早的统计范围或更短的时限。")
        return float((status == "达标").sum() / counted.sum())
    require_columns(cases, [by], "案件表")
    labels = cases[by].astype(object).where(cases[by].notna(), "（未填写）").astype(str).to_numpy()
    groups, code = np.unique(labels, return_inverse=True)
    st = status.to_numpy()
    k = len(groups)

    def count(mask):
        return np.bincount(code, weights=mask, minlength=k).astype(int)

    within, late, pending = count(st == "达标"), count(st == "超时"), count(st == "未到期")
    counted = within + late
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(counted > 0, within / np.maximum(counted, 1), np.nan)
    result = pd.DataFrame(
        {
            "计入件数": counted,
            "达标件数": within,
            "达标率": rate,
            "未结超时": count((st == "超时") & cases[end].isna().to_numpy()),
            "未到期": pending,
        },
        index=pd.Index(groups, name=by),
    )
    return result.sort_index()
