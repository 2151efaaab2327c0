"""Synthetic datasets of project p07 大客户管理.

A fictional B2B supplier, 津北工业用品有限公司 in 天津, sells work-safety gear,
tools, office and cleaning supplies, packaging and electrical parts to 200
business accounts in 京津冀 and 山东. Two years of orders (2023-01-01 .. 2024-12-31):

- ``p07_accounts``: one row per account (attributes).
- ``p07_orders``: one row per order, with our delivery cost.
- ``p07_contacts``: the people we know at each account and the buying role
  each plays (one person may hold two roles: two rows, same name and phone).

How the story is built (and why no answer restates a rule):

- What an account buys from us is its *potential* (grows with firm size, but
  widely spread) times our *share of its wallet* (the relationship, drawn
  independently of size). So some large firms buy little and some mid-size
  firms are among our biggest accounts.
- How many buying roles we know, and how close we are, follows the
  relationship depth and the years together, not the size.
- Settlement terms follow the years together and the account's weight:
  long-standing accounts are on monthly credit; new ones mostly pay first.
- Orders fall on China working days (调休 Saturdays included; public holidays
  never); a few land on an ordinary weekend; around 春节 factories pause, so
  January/February dip.
- Some accounts slow down, shrink or stop in the last months, some grow, a few
  bought once, a few are new, three signed in December 2024 and have not ordered.

>>> acc, orders = make_accounts(), make_orders()
>>> len(acc), orders["客户编号"].isin(acc["客户编号"]).all()
(200, np.True_)
>>> bool(common.is_workday(orders["下单日期"]).mean() > 0.95)
True
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset
from . import common

SEED = 20240707
N_ACCOUNTS = 200
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
ASOF = END + pd.Timedelta(days=1)  # the analysis date used throughout the notebook

CITY_WEIGHTS = {"天津": 8, "北京": 3, "唐山": 2, "廊坊": 2, "沧州": 1, "保定": 1, "石家庄": 1, "济南": 1, "青岛": 1}
DELIVERY_BASE = {
    "天津": 45,
    "北京": 90,
    "廊坊": 80,
    "唐山": 110,
    "沧州": 120,
    "保定": 130,
    "石家庄": 160,
    "济南": 180,
    "青岛": 220,
}  # 元 per delivery, by distance from 天津
INDUSTRIES = {  # 行业 -> (name suffixes, weight)
    "汽车零部件": (["汽车部件有限公司", "汽车配件有限公司"], 4),
    "机械制造": (["机械有限公司", "重工机械有限公司", "装备制造有限公司"], 5),
    "电子电器": (["电子科技有限公司", "电器有限公司"], 3),
    "食品加工": (["食品有限公司", "食品科技有限公司"], 3),
    "化工材料": (["化工有限公司", "新材料有限公司"], 2),
    "物流仓储": (["物流有限公司", "供应链管理有限公司"], 3),
    "建筑工程": (["建设工程有限公司", "建筑安装有限公司"], 2),
    "医药制造": (["制药有限公司", "医药科技有限公司"], 1),
    "物业服务": (["物业服务有限公司", "物业管理有限公司"], 2),
}
SIZES = ["大型", "中型", "小型", "微型"]
SIZE_P = [0.14, 0.34, 0.36, 0.16]
POTENTIAL = {"大型": 520_000, "中型": 170_000, "小型": 45_000, "微型": 12_000}  # median yearly need, 元
PRODUCTS = {  # 产品线 -> (lowest, highest) unit price in 元
    "劳保用品": (8.0, 260.0),
    "五金工具": (15.0, 900.0),
    "办公用品": (3.0, 180.0),
    "清洁用品": (6.0, 120.0),
    "包装材料": (0.5, 40.0),
    "电工电料": (5.0, 600.0),
}
ROLES = ["使用者", "影响者", "采购者", "决策者", "批准者", "把关者"]
TITLES = {  # 采购角色 -> job titles that typically hold it
    "使用者": ["生产车间主任", "仓库主管", "设备维修班长", "行政专员"],
    "影响者": ["技术部工程师", "安全环保主管", "质量部经理"],
    "采购者": ["采购专员", "采购部经理"],
    "决策者": ["总经理", "副总经理", "运营总监"],
    "批准者": ["财务总监", "董事长"],
    "把关者": ["总经理助理", "采购助理", "前台主管"],
}
CLOSENESS = ["密切", "一般", "生疏"]


def _rng(offset=0):
    """The generator's random source; `offset` separates the tables' streams.

    >>> float(_rng().random()) == float(_rng().random())
    True
    """
    return np.random.default_rng(SEED + offset)


@lru_cache(maxsize=1)
def _plan():
    """Hidden per-account plan (size, potential, wallet share, rhythm, story) shared by all tables.

    >>> plan = _plan()
    >>> sorted(plan["故事"].unique())
    ['一次性', '下滑', '增长', '季节性', '新客户', '未下单', '流失', '稳定']
    """
    rng = _rng()
    n = N_ACCOUNTS
    size = rng.choice(SIZES, n, p=SIZE_P)
    potential = np.array([POTENTIAL[s] for s in size]) * np.exp(rng.normal(0, 0.7, n))
    share = rng.beta(1.1, 2.2, n)  # our share of the account's wallet: the relationship
    value = potential * share
    years = rng.uniform(0.3, 16, n)
    rank = (-value).argsort().argsort()  # 0 = biggest
    order = np.argsort(rank)
    story = np.array(["稳定"] * n, dtype=object)
    story[order[[3, 11, 24]]] = "下滑"
    story[rng.choice(order[35:170], 9, replace=False)] = "下滑"
    story[order[[17]]] = "流失"
    story[rng.choice([i for i in order[45:180] if story[i] == "稳定"], 4, replace=False)] = "流失"
    free = [i for i in order[50:] if story[i] == "稳定"]
    rest = list(rng.permutation(free))
    story[rest[:3]] = "未下单"
    story[rest[3:11]] = "一次性"
    story[rest[11:24]] = "新客户"
    story[rest[24:34]] = "增长"
    story[[i for i in order[8:40] if story[i] == "稳定"][:2]] = "季节性"  # builders: winter pause
    interval = np.clip(40 * (value / np.median(value)) ** -0.4, 5, 110)
    start = pd.Timestamp("2024-12-31") - pd.to_timedelta(np.round(years * 365.25), unit="D")
    start = pd.Series(start)
    new = story == "新客户"
    start[new] = pd.Timestamp("2024-01-08") + pd.to_timedelta(rng.integers(0, 240, new.sum()), unit="D")
    idle = story == "未下单"
    start[idle] = pd.Timestamp("2024-12-02") + pd.to_timedelta(rng.integers(0, 20, idle.sum()), unit="D")
    change = pd.Timestamp("2024-06-10") + pd.to_timedelta(rng.integers(0, 80, n), unit="D")
    return pd.DataFrame(
        {
            "size": size,
            "potential": potential,
            "share": share,
            "value": value,
            "rank": rank,
            "故事": story,
            "interval": interval,
            "start": start.dt.normalize(),
            "change": change,
        }
    )


def _years(plan):
    """Years together at the end of 2024."""
    return ((END - plan["start"]).dt.days / 365.25).to_numpy()


def _settlement(rng, years, rank, size):
    """结算方式: credit comes with years together and weight, not with size alone.

    >>> r = _rng()
    >>> _settlement(r, 12.0, 3, "大型") in ("月结30天", "月结60天")
    True
    >>> _settlement(r, 0.4, 150, "小型")
    '款到发货'
    """
    if years < 1:
        return "款到发货"
    if years >= 5 and rank < 60:
        return str(rng.choice(["月结30天", "月结60天"], p=[0.45, 0.55]))
    if years >= 3:
        return str(rng.choice(["月结30天", "月结60天", "款到发货"], p=[0.6, 0.2, 0.2]))
    return str(rng.choice(["月结30天", "款到发货"], p=[0.5, 0.5]))


def make_accounts():
    """p07_accounts: 200 accounts with industry, city, size, manager, start date, terms.

    >>> make_accounts().columns.tolist()
    ['客户编号', '客户名称', '行业', '城市', '省份', '企业规模', '客户经理', '合作起始日期', '结算方式']
    """
    rng, plan = _rng(1), _plan()
    names = list(INDUSTRIES)
    weights = np.array([INDUSTRIES[k][1] for k in names], float)
    industries = rng.choice(names, N_ACCOUNTS, p=weights / weights.sum())
    seasonal = (plan["故事"] == "季节性").to_numpy()
    industries[seasonal] = "建筑工程"
    cities = list(CITY_WEIGHTS)
    cw = np.array(list(CITY_WEIGHTS.values()), float)
    city = rng.choice(cities, N_ACCOUNTS, p=cw / cw.sum())
    top2 = np.argsort(plan["rank"].to_numpy())[:2]  # the two biggest: clearly different firms
    industries[top2] = ["汽车零部件", "食品加工"]
    city[top2] = ["天津", "廊坊"]
    trades = list(dict.fromkeys(common.trade_names(SEED, N_ACCOUNTS + 60)))[:N_ACCOUNTS]
    top = np.argsort(plan["rank"].to_numpy())[:10]
    for pos, i in enumerate(top):  # the biggest accounts share no character: no look of one group
        taken = set("".join(trades[j] for j in top[:pos]))
        if set(trades[i]) & taken:
            k = next(k for k in range(N_ACCOUNTS) if k not in top and not set(trades[k]) & taken)
            trades[i], trades[k] = trades[k], trades[i]
    sfx = [str(rng.choice(INDUSTRIES[ind][0])) for ind in industries]
    managers = common.person_names(SEED + 7, 5)
    years, rank = _years(plan), plan["rank"].to_numpy()
    return pd.DataFrame(
        {
            "客户编号": [f"K{i + 1:04d}" for i in range(N_ACCOUNTS)],
            "客户名称": [f"{c}{t}{s}" for c, t, s in zip(city, trades, sfx)],
            "行业": industries,
            "城市": city,
            "省份": [common.CITIES[c][0] for c in city],
            "企业规模": plan["size"].to_numpy(),
            "客户经理": rng.choice(managers, N_ACCOUNTS),
            "合作起始日期": plan["start"].to_numpy(),
            "结算方式": [_settlement(rng, y, r, s) for y, r, s in zip(years, rank, plan["size"])],
        }
    )


DAYS = pd.date_range(START, END, freq="D")
SPRING = [
    (pd.Timestamp("2023-01-09"), pd.Timestamp("2023-02-05")),  # factories wind down / restart
    (pd.Timestamp("2024-01-29"), pd.Timestamp("2024-02-25")),
]
LAST = len(DAYS) - 1


@lru_cache(maxsize=1)
def _calendar():
    """(working-day flags, offsets of the working days, ordinary Saturdays) of the two years.

    Computed on first use, not at import: every course notebook imports all generators.
    """
    work = common.is_workday(DAYS)
    holiday = np.array([common.holiday_name(d) != "" for d in DAYS])
    saturdays = set(np.flatnonzero((DAYS.day_of_week == 5) & ~work & ~holiday).tolist())
    return work, np.flatnonzero(work), saturdays


def _on_calendar(rng, pos):
    """The day offset of working day number `pos`; now and then the Saturday after it
    (someone placed an order on an ordinary weekend), never a public holiday.

    >>> d = _on_calendar(_rng(), 3)
    >>> work, _, saturdays = _calendar()
    >>> bool(work[d]) or d in saturdays
    True
    """
    _, workdays, saturdays = _calendar()
    day = int(workdays[min(pos, len(workdays) - 1)])
    if rng.random() < 0.015:
        sat = day + (5 - DAYS[day].day_of_week) % 7
        if sat in saturdays:
            return sat
    return day


def _quiet(day):
    """Days around 春节 when factories pause ordering.

    >>> _quiet((pd.Timestamp("2024-02-20") - START).days), _quiet(100)
    (True, False)
    """
    d = DAYS[min(day, LAST)]
    return any(a <= d <= b for a, b in SPRING)


def _dates(rng, row):
    """Order days (offsets from START) of one account, following its rhythm and story.

    The rhythm runs on working days (an interval of 14 calendar days is about
    10 working days), so orders never fall on a holiday and long holidays
    simply leave fewer days to order on.
    """
    if row.故事 == "未下单":
        return []
    _, workdays, _ = _calendar()
    scale = len(workdays) / len(DAYS)  # working days per calendar day
    if row.故事 == "一次性":
        return sorted({_on_calendar(rng, int(p)) for p in rng.integers(0, len(workdays), int(rng.integers(1, 3)))})
    first = max(0, (row.start - START).days)
    pos = int(np.searchsorted(workdays, first)) + int(rng.integers(0, max(2, int(row.interval * scale))))
    change = (row.change - START).days
    stop = change - 50 if row.故事 == "流失" else LAST
    gaps = rng.gamma(8.0, row.interval * scale / 8.0, 500)
    out = []
    for gap in gaps:
        if pos >= len(workdays):
            break
        d = _on_calendar(rng, pos)
        if d > stop:
            break
        winter = row.故事 == "季节性" and DAYS[d].month in (12, 1, 2)
        skip = (_quiet(d) and rng.random() < 0.55) or (winter and rng.random() < 0.85)
        if not skip:
            out.append(d)
        slow = 2.4 if row.故事 == "下滑" and d >= change else 1.0
        pos += max(1, round(gap * slow))
    return sorted(set(out))


def _amount_factors(row, days, rng):
    """How big each order is relative to the account's usual order."""
    days = np.asarray(days)
    f = rng.lognormal(0, 0.3, len(days))
    if row.故事 == "下滑":
        f = np.where(days >= (row.change - START).days, f * 0.5, f)
    if row.故事 == "增长":
        f = np.where(days >= 365, f * 1.7, f)
    if row.故事 == "季节性":
        f = f * 1.5
    return f


@lru_cache(maxsize=1)
def _orders():
    rng, plan = _rng(2), _plan()
    acc = make_accounts()
    products = list(PRODUCTS)
    lo = np.log([PRODUCTS[p][0] for p in products])
    hi = np.log([PRODUCTS[p][1] for p in products])
    parts = []
    for i, row in enumerate(plan.itertuples(index=False)):
        mix = rng.dirichlet(np.ones(len(products)) * 0.7)
        days = _dates(rng, row)
        if not days:
            continue
        k = len(days)
        target = row.value * row.interval / 365 * _amount_factors(row, days, rng)
        line = rng.choice(len(products), k, p=mix)
        price = np.round(np.exp(rng.uniform(lo[line], hi[line])), 2)
        qty = np.maximum(1, np.round(target / price)).astype(int)
        amount = np.round(qty * price, 2)
        base = DELIVERY_BASE[acc.at[i, "城市"]]
        cost = np.round(base * rng.uniform(0.85, 1.15, k) + np.minimum(amount * 0.006, 600))
        parts.append(
            pd.DataFrame(
                {
                    "客户编号": f"K{i + 1:04d}",
                    "day": days,
                    "产品线": np.array(products)[line],
                    "数量": qty,
                    "单价": price,
                    "金额": amount,
                    "配送费用": cost,
                }
            )
        )
    df = pd.concat(parts, ignore_index=True)
    df = df.sort_values(["day", "客户编号"], kind="stable").reset_index(drop=True)
    df.insert(1, "下单日期", DAYS[df.pop("day").to_numpy()])
    df.insert(0, "订单编号", [f"D{d:%y%m}{i + 1:05d}" for i, d in enumerate(df["下单日期"])])
    return df


def make_orders():
    """p07_orders: one row per order, 2023-01-01 .. 2024-12-31, amounts and delivery cost in 元.

    >>> o = make_orders()
    >>> o.columns.tolist()
    ['订单编号', '客户编号', '下单日期', '产品线', '数量', '单价', '金额', '配送费用']
    >>> bool((o["金额"] > 0).all()), bool(o["下单日期"].map(common.holiday_name).eq("").all())
    (True, True)
    """
    return _orders().copy()


def _roles_known(rng, depth):
    """Which buying roles we have on file: more with a deeper relationship.

    >>> _roles_known(_rng(), 0.0)
    ['采购者']
    >>> len(_roles_known(_rng(), 1.0))
    6
    """
    k = int(np.clip(round(1 + 5 * depth + rng.normal(0, 0.7)), 1, 6)) if 0 < depth < 1 else (1 if depth <= 0 else 6)
    others = ["使用者", "决策者", "影响者", "批准者", "把关者"]
    w = np.array([5, 4, 3, 2, 1.5])
    pick = list(rng.choice(others, k - 1, replace=False, p=w / w.sum())) if k > 1 else []
    return ["采购者"] + [r for r in others if r in pick]


def make_contacts():
    """p07_contacts: people at each account and their buying role.

    In small firms the boss often holds two roles (决策者 and 批准者): then the
    same person appears on two rows.

    >>> c = make_contacts()
    >>> sorted(c["采购角色"].unique()) == sorted(ROLES)
    True
    >>> bool(c.duplicated(["客户编号", "联系人"]).any())
    True
    """
    rng, plan = _rng(3), _plan()
    acc = make_accounts()
    years = _years(plan)
    depth = np.clip(
        0.75 * plan["share"].to_numpy() / 0.6 + 0.25 * np.minimum(years, 10) / 10 + rng.normal(0, 0.08, N_ACCOUNTS),
        0,
        1,
    )
    rows = []
    for i, cid in enumerate(acc["客户编号"]):
        if plan.at[i, "故事"] == "未下单":
            depth_i = 0.15
        else:
            depth_i = depth[i]
        small = acc.at[i, "企业规模"] in ("小型", "微型")
        roles = _roles_known(rng, depth_i)
        boss = None
        for role in roles:
            if small and role == "批准者" and boss is not None:
                rows.append(rows[boss][:3] + ("批准者",) + rows[boss][4:])  # the boss again
                continue
            title = "总经理" if small and role == "决策者" else str(rng.choice(TITLES[role]))
            p = [0.12 + 0.5 * depth_i, 0.55 - 0.25 * depth_i]
            closeness = str(rng.choice(CLOSENESS, p=[p[0], p[1], 1 - p[0] - p[1]]))
            rows.append((cid, None, title, role, None, closeness))
            if small and role == "决策者":
                boss = len(rows) - 1
    people = [r for r in rows]
    names = common.person_names(SEED + 3, len(people))
    # common.mobiles orders its numbers through a set (hash order differs between runs): sort, then shuffle
    phones = list(rng.permutation(sorted(common.mobiles(SEED + 4, len(people)))))
    out, who = [], {}
    for j, (cid, _, title, role, _, closeness) in enumerate(people):
        key = (cid, title) if title == "总经理" else (cid, j)
        if key not in who:
            who[key] = (names[j], phones[j][:3] + "****" + phones[j][-4:])
        name, phone = who[key]
        out.append((cid, name, title, role, phone, closeness))
    return pd.DataFrame(out, columns=["客户编号", "联系人", "职务", "采购角色", "联系电话", "关系程度"])


DATASETS = {
    "p07_accounts": Dataset(make=make_accounts, title="大客户管理：客户档案", dates=("合作起始日期",)),
    "p07_orders": Dataset(make=make_orders, title="大客户管理：两年订单", dates=("下单日期",)),
    "p07_contacts": Dataset(make=make_contacts, title="大客户管理：客户联系人与采购角色"),
}
