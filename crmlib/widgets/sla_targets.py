"""投诉处理时限（SLA）: targets for the first response and the resolution → share within
target by channel, and the weeks with the most late cases (the backlog).

Elapsed hours are computed once (both clocks) by :func:`prepare_sla`, so a
slider move is a few numpy comparisons and an SVG. The rule is the one of
``crm.sla_share``: a closed case is within target when elapsed ≤ target; an
open case is late once the target has passed at the export time, pending
(left out) before that. Closed cases whose resolution time was never entered
are left out of the resolution count (they are not open cases).

>>> import pandas as pd
>>> t = pd.DataFrame({"渠道": ["热线", "邮件"], "处理状态": ["已解决", "已解决"],
...     "受理时间": pd.to_datetime(["2025-03-03 09:00", "2025-03-07 17:00"]),
...     "首次响应时间": pd.to_datetime(["2025-03-03 09:05", "2025-03-10 10:00"]),
...     "解决时间": pd.to_datetime(["2025-03-03 12:00", "2025-03-12 10:00"])})
>>> "热线" in sla_targets_view(prepare_sla(t), 4, 72)
True
"""

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from ..course import charts as svg
from ..course.errors import CRMError, as_number, require_columns
from ..course.ui import html_table, show
from ..topics.sla import _calendar, elapsed_hours

COLUMNS = ["渠道", "受理时间", "首次响应时间", "解决时间", "处理状态"]
CLOCK_NAMES = {"calendar": "自然小时", "working": "工作小时"}


@dataclass(frozen=True)
class SlaData:
    channels: np.ndarray  # channel names, sorted
    code: np.ndarray  # channel index of each case
    week: np.ndarray  # Monday of the week each case was received (datetime64[D])
    first: dict  # clock -> elapsed hours to the first response (open: so far)
    resolve: dict  # clock -> elapsed hours to the resolution (open: so far; NaN: not counted)
    open_: np.ndarray  # case still open at the export
    asof: pd.Timestamp


def prepare_sla(cases, asof=None):
    """Elapsed hours of every case on both clocks (once per widget).

    `asof` (the export time) defaults to the latest time in the table.
    Closed cases without a resolution time get NaN (left out).

    >>> t = pd.DataFrame({"渠道": ["热线"], "处理状态": ["处理中"],
    ...     "受理时间": pd.to_datetime(["2025-03-03 09:00"]), "首次响应时间": pd.to_datetime(["2025-03-03 09:05"]),
    ...     "解决时间": pd.to_datetime([None])})
    >>> prepare_sla(t, asof="2025-03-04 09:00").resolve["calendar"].tolist()
    [24.0]
    """
    require_columns(cases, COLUMNS, "投诉表")
    rec = pd.DatetimeIndex(cases["受理时间"])
    if asof is None:
        asof = max(
            rec.max(),
            pd.DatetimeIndex(cases["首次响应时间"]).max(),
            pd.DatetimeIndex(cases["解决时间"].dropna()).max() if cases["解决时间"].notna().any() else rec.max(),
        )
    asof = pd.Timestamp(asof)
    open_ = (cases["处理状态"] == "处理中").to_numpy()
    end = pd.DatetimeIndex(cases["解决时间"]).to_numpy().copy()
    end[open_] = np.datetime64(asof, "ns")
    channels, code = np.unique(cases["渠道"].astype(str).to_numpy(), return_inverse=True)
    first, resolve = {}, {}
    for clock in ("calendar", "working"):
        first[clock] = elapsed_hours(cases["受理时间"], cases["首次响应时间"], clock)
        resolve[clock] = elapsed_hours(cases["受理时间"], pd.Series(end), clock)
    week = (rec.normalize() - pd.to_timedelta(rec.day_of_week, unit="D")).to_numpy().astype("datetime64[D]")
    return SlaData(channels, code, week, first, resolve, open_, asof)


def _status(hours, open_, target):
    """1 within, 0 late, NaN pending or not counted."""
    ok = np.where(hours <= target + 1e-9, 1.0, 0.0)
    ok[np.isnan(hours)] = np.nan
    ok[open_ & (hours <= target + 1e-9)] = np.nan
    return ok


def sla_table(data, first_target=4, resolve_target=72, calendar="calendar"):
    """Per channel: cases, share within the first-response and the resolution target.

    >>> t = pd.DataFrame({"渠道": ["热线", "热线"], "处理状态": ["已解决"] * 2,
    ...     "受理时间": pd.to_datetime(["2025-03-03 09:00"] * 2),
    ...     "首次响应时间": pd.to_datetime(["2025-03-03 09:05", "2025-03-03 15:00"]),
    ...     "解决时间": pd.to_datetime(["2025-03-03 12:00", "2025-03-06 12:00"])})
    >>> sla_table(prepare_sla(t), 4, 72)[["首响达标率", "解决达标率"]].values.tolist()
    [[0.5, 0.5]]
    """
    clock = _calendar(calendar)
    f = as_number(first_target, "首次响应时限", minimum=0)
    r = as_number(resolve_target, "解决时限", minimum=0)
    fs = _status(data.first[clock], np.zeros_like(data.open_), f)
    rs = _status(data.resolve[clock], data.open_, r)
    k = len(data.channels)

    def rate(s):
        counted = np.bincount(data.code, weights=~np.isnan(s), minlength=k)
        within = np.bincount(data.code, weights=np.nan_to_num(s), minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            return within / counted, counted, within

    fr, _, _ = rate(fs)
    rr, rc, rw = rate(rs)
    return pd.DataFrame(
        {
            "件数": np.bincount(data.code, minlength=k),
            "首响达标率": fr,
            "解决达标率": rr,
            "解决计入件数": rc.astype(int),
            "解决超时件数": (rc - rw).astype(int),
        },
        index=pd.Index(data.channels, name="渠道"),
    )


def worst_weeks(data, resolve_target=72, calendar="calendar", top=3, min_cases=1):
    """The `top` weeks (by week of receipt) with the highest share of cases over the resolution target.

    Weeks with fewer than `min_cases` counted cases are skipped; ties by the
    number of late cases, then by date.

    >>> t = pd.DataFrame({"渠道": ["热线"] * 3, "处理状态": ["已解决"] * 3,
    ...     "受理时间": pd.to_datetime(["2025-03-03 09:00", "2025-03-04 09:00", "2025-03-11 09:00"]),
    ...     "首次响应时间": pd.to_datetime(["2025-03-03 09:05", "2025-03-04 09:05", "2025-03-11 09:05"]),
    ...     "解决时间": pd.to_datetime(["2025-03-09 09:00", "2025-03-04 10:00", "2025-03-20 09:00"])})
    >>> worst_weeks(prepare_sla(t), 72)["超时件数"].tolist()
    [1, 1]
    """
    clock = _calendar(calendar)
    rs = _status(data.resolve[clock], data.open_, as_number(resolve_target, "解决时限", minimum=0))
    late = rs == 0
    weeks, idx = np.unique(data.week, return_inverse=True)
    n_late = np.bincount(idx, weights=late, minlength=len(weeks))
    n_counted = np.bincount(idx, weights=~np.isnan(rs), minlength=len(weeks))
    share = np.where(n_counted >= min_cases, n_late / np.maximum(n_counted, 1), -1.0)
    order = np.lexsort((weeks, -n_late, -share))[:top]
    order = [i for i in order if n_late[i] > 0 and share[i] >= 0]
    return pd.DataFrame(
        {
            "受理周（周一）": pd.DatetimeIndex(weeks[order]).strftime("%Y-%m-%d"),
            "超时件数": n_late[order].astype(int),
            "超时比例": n_late[order] / np.maximum(n_counted[order], 1),
        }
    )


def sla_targets_view(data, first_target=4, resolve_target=72, calendar="calendar"):
    """HTML for one slider position: the channel table, a bar chart and the worst weeks.

    >>> t = pd.DataFrame({"渠道": ["热线"], "处理状态": ["已解决"],
    ...     "受理时间": pd.to_datetime(["2025-03-03 09:00"]), "首次响应时间": pd.to_datetime(["2025-03-03 09:05"]),
    ...     "解决时间": pd.to_datetime(["2025-03-03 12:00"])})
    >>> "100.0%" in sla_targets_view(prepare_sla(t), 1, 24)
    True
    """
    if not isinstance(data, SlaData):
        data = prepare_sla(data)
    clock = _calendar(calendar)
    t = sla_table(data, first_target, resolve_target, clock)
    unit = CLOCK_NAMES[clock]
    rows = [
        [name, int(r.件数), f"{r.首响达标率:.1%}", f"{r.解决达标率:.1%}", int(r.解决超时件数)]
        for name, r in zip(t.index, t.itertuples())
    ]
    table = html_table(
        rows,
        header=["渠道", "件数", f"首响 ≤ {first_target:g} {unit}", f"解决 ≤ {resolve_target:g} {unit}", "解决超时件数"],
    )
    chart = svg.bar_chart(
        list(t.index),
        (t["解决达标率"] * 100).round(1).tolist(),
        unit="%",
        title=f"各渠道解决达标率（时限 {resolve_target:g} {unit}）",
        width=520,
    )
    weeks = worst_weeks(data, resolve_target, clock, min_cases=20)
    wrows = [[r[0], int(r[1]), f"{r[2]:.0%}"] for r in weeks.itertuples(index=False)]
    wtable = (
        html_table(wrows, header=["受理周（周一）", "解决超时件数", "占该周比例"])
        if wrows
        else "<p>没有超时的案件。</p>"
    )
    worst = t["首响达标率"].idxmin()
    lead = (
        f"<p>按{unit}计时。首次响应达标率最低的渠道是<b>{escape(worst)}</b>（{t.loc[worst, '首响达标率']:.1%}）；"
        f"解决达标率最低的是<b>{escape(t['解决达标率'].idxmin())}</b>（{t['解决达标率'].min():.1%}）。"
        f"统计时点 {data.asof:%Y-%m-%d %H:%M}，处理中且已超过时限的案件算作超时，还没到时限的不计入。</p>"
    )
    return (
        f"<div>{lead}{table}<div style='margin-top:8px'>{chart}</div>"
        f"<p style='margin-top:6px'><b>积压最重的三周</b>（按受理日期所在的周，超时比例最高；只看计入 20 件以上的周）</p>{wtable}</div>"
    )


def build_sla_targets(cases, first_target=4, resolve_target=72, calendar="calendar", asof=None):
    """The widget (two sliders and a clock switch), not yet displayed.

    >>> t = pd.DataFrame({"渠道": ["热线"], "处理状态": ["已解决"],
    ...     "受理时间": pd.to_datetime(["2025-03-03 09:00"]), "首次响应时间": pd.to_datetime(["2025-03-03 09:05"]),
    ...     "解决时间": pd.to_datetime(["2025-03-03 12:00"])})
    >>> box = build_sla_targets(t)
    >>> box.children[3].value = "working"
    >>> "按工作小时计时" in box.children[4].value
    True
    """
    import ipywidgets as w

    data = prepare_sla(cases, asof)
    style = {"description_width": "120px"}
    sf = w.FloatSlider(
        value=first_target,
        min=0.5,
        max=48,
        step=0.5,
        description="首次响应时限（小时）",
        style=style,
        continuous_update=True,
        layout=w.Layout(width="460px"),
    )
    sr = w.FloatSlider(
        value=resolve_target,
        min=4,
        max=240,
        step=4,
        description="解决时限（小时）",
        style=style,
        continuous_update=True,
        layout=w.Layout(width="460px"),
    )
    clock = w.ToggleButtons(
        options=[("自然小时", "calendar"), ("工作小时", "working")],
        value=_calendar(calendar),
        description="计时方式",
        style=style,
    )
    out = w.HTML(sla_targets_view(data, first_target, resolve_target, calendar))

    def update(_=None):
        try:
            out.value = sla_targets_view(data, sf.value, sr.value, clock.value)
        except CRMError as err:
            out.value = f"<p style='color:#C8453B'>{escape(str(err))}</p>"

    for c in (sf, sr, clock):
        c.observe(update, "value")
    return w.VBox([w.HTML("<b>拖动滑块设定服务时限，看各渠道有多少投诉在时限内处理完</b>"), sf, sr, clock, out])


def sla_targets(cases, first_target=4, resolve_target=72, calendar="calendar", asof=None):
    """Show the SLA widget (static default view under nbgrader); `asof` is the export time."""
    show(
        build_sla_targets(cases, first_target, resolve_target, calendar, asof),
        sla_targets_view(prepare_sla(cases, asof), first_target, resolve_target, calendar),
    )


def BENCH():
    """Benchmark hook: data prepared once (as when the widget is built); one slider move = one view."""
    import itertools

    from ..course.datasets import load_dataset

    data = prepare_sla(load_dataset("p05_complaints"), asof="2026-01-05 09:00")
    moves = itertools.cycle([(f, r, c) for f in (1, 4, 8) for r in (24, 72, 120) for c in ("calendar", "working")])

    def update():
        return sla_targets_view(data, *next(moves))

    return update
