"""Shared material for every data generator: names, companies, cities, phones and the China calendar.

Everything takes a seed or a ``numpy.random.Generator``, so each project's data
is the same on every run. People's names come from Faker's zh_CN locale;
company trade names are built from two syllables and checked against a list
of well-known brands (no real brand appears); mobile numbers use mainland
prefixes only; working days follow the ``holidays`` package's China calendar,
including the weekend days that are worked to make up a holiday (调休).

>>> workdays("2025-01-24", "2025-02-09").strftime("%m-%d").tolist()
['01-24', '01-26', '01-27', '02-05', '02-06', '02-07', '02-08']
>>> is_workday(["2025-01-29", "2025-01-26", "2025-02-08"]).tolist()
[False, True, True]
>>> holiday_name("2025-10-01")
'国庆节'
>>> len(person_names(7, 5)), company_names(7, 3, "机械有限公司")[0].endswith("机械有限公司")
(5, True)
"""

import re
from functools import lru_cache

import numpy as np
import pandas as pd

# Real mainland mobile prefixes (three digits).
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 172 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199"
).split()
# City -> (province, landline area code). Real cities; no company is real.
CITIES = {
    "北京": ("北京", "010"),
    "上海": ("上海", "021"),
    "天津": ("天津", "022"),
    "重庆": ("重庆", "023"),
    "广州": ("广东", "020"),
    "深圳": ("广东", "0755"),
    "东莞": ("广东", "0769"),
    "佛山": ("广东", "0757"),
    "杭州": ("浙江", "0571"),
    "宁波": ("浙江", "0574"),
    "温州": ("浙江", "0577"),
    "南京": ("江苏", "025"),
    "苏州": ("江苏", "0512"),
    "无锡": ("江苏", "0510"),
    "合肥": ("安徽", "0551"),
    "济南": ("山东", "0531"),
    "青岛": ("山东", "0532"),
    "郑州": ("河南", "0371"),
    "武汉": ("湖北", "027"),
    "长沙": ("湖南", "0731"),
    "成都": ("四川", "028"),
    "西安": ("陕西", "029"),
    "石家庄": ("河北", "0311"),
    "唐山": ("河北", "0315"),
    "廊坊": ("河北", "0316"),
    "保定": ("河北", "0312"),
    "沧州": ("河北", "0317"),
    "沈阳": ("辽宁", "024"),
    "福州": ("福建", "0591"),
    "厦门": ("福建", "0592"),
    "南昌": ("江西", "0791"),
    "昆明": ("云南", "0871"),
}
# Syllables for made-up trade names (字号), and famous brands they must never spell.
_FIRST = "瑞恒宏信嘉润德安盛永华泰丰汇博卓启鼎晟浩铭禾沐和璟锦煜宸隆澜峰祥"
_SECOND = "禾邦源达川诚远航拓达睿捷鑫瑜盈晖程锐益茂通尚合创森泽翔坤弘"
BRANDS = {
    "华为",
    "联想",
    "海尔",
    "美的",
    "格力",
    "万达",
    "长城",
    "正大",
    "东方",
    "方正",
    "太极",
    "四通",
    "恒大",
    "华润",
    "鸿海",
    "腾讯",
    "阿里",
    "京东",
    "苏宁",
    "国美",
    "伊利",
    "蒙牛",
    "娃哈哈",
    "海信",
    "长虹",
    "康佳",
    "TCL",
    "比亚迪",
    "吉利",
    "奇瑞",
    "安踏",
    "李宁",
    "恒瑞",
    "复星",
    "万科",
    "保利",
    "泰康",
    "平安",
    "招商",
    "中信",
    "光大",
    "华夏",
    "民生",
    "兴业",
    "浦发",
    "鼎新",
    "盛大",
    "网易",
}


def rng(seed):
    """A numpy Generator from a seed (ints only: every project passes its own fixed seed)."""
    return np.random.default_rng(seed)


def _faker(seed):
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return fake


def person_names(seed, n, unique=True):
    """`n` Chinese full names (Faker zh_CN), unique unless asked otherwise."""
    return list(_person_names(seed, n, unique))


@lru_cache(maxsize=256)
def _person_names(seed, n, unique):
    # Cached: a Faker instance costs ~8 ms to build and generators ask for the same staff list per row.
    fake, out, seen = _faker(seed), [], set()
    while len(out) < n:
        name = fake.name()
        if unique and name in seen:
            continue
        seen.add(name)
        out.append(name)
    return tuple(out)


def cumulative(weights):
    """Weights as the cumulative table numpy's ``Generator.choice(..., p=...)`` builds from them.

    >>> cumulative([1, 1, 2]).tolist()
    [0.25, 0.5, 1.0]
    """
    cdf = np.asarray(weights, dtype=float).cumsum()
    return cdf / cdf[-1]


def draw(r, items, cdf, size=None):
    """``r.choice(items, size, p=weights)`` with ``cdf = cumulative(weights)`` made once: the same draws and
    the same random stream, without re-checking the weights on every call (the slow part in a loop).

    >>> a, b = rng(1), rng(1)
    >>> p = np.array([0.2, 0.5, 0.3])
    >>> draw(a, np.array([7, 8, 9]), cumulative(p), 5).tolist() == b.choice([7, 8, 9], 5, p=p).tolist()
    True
    >>> int(draw(a, np.arange(3), cumulative(p))) == int(b.choice(3, p=p))
    True
    """
    return np.asarray(items)[cdf.searchsorted(r.random(size), side="right")]


def trade_names(seed, n):
    """`n` distinct made-up two-character trade names (字号), none a famous brand."""
    r = rng(seed)
    pairs = [a + b for a in _FIRST for b in _SECOND if a != b and a + b not in BRANDS]
    if n > len(pairs):
        raise ValueError(f"only {len(pairs)} trade names available")
    return [pairs[i] for i in r.choice(len(pairs), size=n, replace=False)]


def company_names(seed, n, suffixes, cities=None):
    """`n` distinct company names: [city] + trade name + a suffix (e.g. "机械有限公司").

    `suffixes` is one suffix or a list to draw from; `cities` (optional) a list
    of city names, one per company, put in front as registered names often are.
    """
    r = rng(seed + 1)
    suffixes = [suffixes] if isinstance(suffixes, str) else list(suffixes)
    names = trade_names(seed, n)
    out = []
    for i, trade in enumerate(names):
        prefix = cities[i] if cities is not None else ""
        out.append(f"{prefix}{trade}{suffixes[int(r.integers(len(suffixes)))]}")
    return out


def mobiles(seed, n):
    """`n` distinct 11-digit mainland mobile numbers (as text)."""
    r, out, seen = rng(seed), [], set()
    while len(out) < n:  # a list keeps the drawing order (a set's order would change from run to run)
        number = MOBILE_PREFIXES[int(r.integers(len(MOBILE_PREFIXES)))] + f"{int(r.integers(10**8)):08d}"
        if number not in seen:
            seen.add(number)
            out.append(number)
    return out


def landline(city, seed):
    """A landline number with the city's area code, like "0571-86231234"."""
    code = CITIES[city][1]
    return f"{code}-{int(rng(seed).integers(2 * 10**7, 10**8))}"


# ---------------------------------------------------------------- calendar


@lru_cache(maxsize=None)
def _calendar(year):
    """(holidays {date: Chinese name}, make-up working weekend days) of one year."""
    import holidays

    zh = holidays.China(years=year, language="zh_CN")
    en = holidays.China(years=year, language="en_US")
    worked = set()
    for name in en.values():
        m = re.search(r"substituted from (\d\d)/(\d\d)/(\d{4})", name)
        if m:
            worked.add(pd.Timestamp(f"{m.group(3)}-{m.group(1)}-{m.group(2)}").date())
    return {pd.Timestamp(d).date(): n for d, n in zh.items()}, worked


def _years(dates):
    return sorted({d.year for d in dates})


def holiday_name(date):
    """The Chinese public holiday on `date` (e.g. "春节"), or "" on an ordinary day."""
    d = pd.Timestamp(date).date()
    name = _calendar(d.year)[0].get(d, "")
    return re.sub(r"（.*?）", "", name)


def is_workday(dates):
    """Boolean array: True where the date is a working day in China (调休 counted).

    >>> is_workday(["2025-01-26", "2025-01-29", "2025-02-05", "2025-02-08", "2025-02-09"]).tolist()
    [True, False, True, True, False]
    """
    idx = pd.DatetimeIndex(pd.to_datetime(dates))
    if idx.tz is not None:
        idx = idx.tz_localize(None)  # the local calendar day, not the UTC one
    idx = idx.normalize()
    day = idx.to_numpy().astype("datetime64[D]")
    as_days = lambda dates: np.array(sorted(dates), dtype="datetime64[D]")  # noqa: E731
    out = np.zeros(len(idx), dtype=bool)
    for year in _years(idx):  # each date against its own year's calendar only
        hol, worked = _calendar(year)
        mine = np.asarray(idx.year == year)
        out[mine] = np.isin(day[mine], as_days(worked)) | (
            (idx.day_of_week[mine] < 5) & ~np.isin(day[mine], as_days(hol))
        )
    return out


def is_workday_on(day):
    """True if the single date `day` is a working day in China (same rule as :func:`is_workday`, no pandas).

    >>> is_workday_on(pd.Timestamp("2025-01-26")), is_workday_on(pd.Timestamp("2025-01-29"))
    (True, False)
    """
    d = day.date() if hasattr(day, "date") else day
    hol, worked = _calendar(d.year)
    return d in worked or (d.weekday() < 5 and d not in hol)


def workdays(start, end):
    """China working days from `start` to `end` inclusive, as a DatetimeIndex."""
    days = pd.date_range(start, end, freq="D")
    return days[is_workday(days)]


def workdays_per_month(start, end):
    """Number of China working days in each calendar month between `start` and `end`."""
    days = workdays(start, end)
    return pd.Series(1, index=days).groupby(days.to_period("M")).sum()
