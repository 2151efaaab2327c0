"""Synthetic datasets of project p07 大客户管理.

A fictional B2B supplier, 津北工业用品有限公司 in 天津, sells work-safety gear,
tools, office and cleaning supplies, packaging and electrical parts to about
200 business accounts. Two years of orders (2023-01-01 .. 2024-12-31):

- ``p07_accounts``: one row per account (attributes).
- ``p07_orders``: one row per order; value is heavy-tailed (roughly 80/20),
  each buyer has its own rhythm; some accounts slow down or shrink in the
  last months, a few stop ordering, a few bought once or twice, a few new
  accounts have not ordered yet.
- ``p07_contacts``: the people at each account and the role each plays in a
  purchase (the six buying roles).

Everything is drawn from one fixed seed, so every run gives the same tables.

>>> acc, orders = make_accounts(), make_orders()
>>> len(acc), orders["客户编号"].isin(acc["客户编号"]).all()
(200, np.True_)
"""
from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset

SEED = 20240707
N_ACCOUNTS = 200
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")
ASOF = END  # the analysis date used throughout the notebook

CITIES = ["天津"] * 8 + ["北京"] * 3 + ["唐山"] * 2 + ["廊坊"] * 2 + ["沧州", "保定", "石家庄", "济南"]
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
BRANDS = ("宏远 鑫达 华泰 恒盛 金桥 瑞丰 永信 联创 博源 海川 德润 利民 安泰 汇通 兴业 "
          "广源 中盛 天成 万达 新宇 富华 嘉禾 通达 晨光 启航 卓越 远景 东方 北辰 津港 "
          "渤海 海河 盛世 凯旋 精工 铭泰 恒力 信达 华北 诚信 泰和 隆基 宇航 正大 九州 "
          "长城 银河 滨海 鼎盛 荣昌 佳禾 群力 科隆 奥达 金鹏 耀华 明达 润泽 蓝天 同心").split()
MANAGERS = ["刘晓峰", "陈静", "赵磊", "孙丽娜", "周凯"]
SETTLEMENT = ["月结30天", "月结60天", "款到发货"]
SETTLE_P = {"大型": [0.45, 0.45, 0.10], "中型": [0.60, 0.25, 0.15], "小型": [0.50, 0.10, 0.40],
            "微型": [0.35, 0.05, 0.60]}  # bigger firms get longer credit
PRODUCTS = {  # 产品线 -> (lowest, highest) unit price in 元
    "劳保用品": (8.0, 260.0), "五金工具": (15.0, 900.0), "办公用品": (3.0, 180.0),
    "清洁用品": (6.0, 120.0), "包装材料": (0.5, 40.0), "电工电料": (5.0, 600.0),
}
HOLIDAYS = [(pd.Timestamp("2023-01-20"), pd.Timestamp("2023-01-28")),  # 春节 closures
            (pd.Timestamp("2024-02-09"), pd.Timestamp("2024-02-18"))]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 志强 "
         "海燕 晓东 春梅 国庆 红梅 立新 文博 思远 雪 琳 宁 斌 鹏 浩 凯 楠 颖 佳 欣 宇 帅 晨 悦").split()
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
    """Hidden per-account plan (value scale, rhythm, story) shared by all tables.

    >>> plan = _plan()
    >>> sorted(plan["故事"].unique())
    ['一次性', '下滑', '增长', '新客户', '未下单', '流失', '稳定']
    """
    rng = _rng()
    n = N_ACCOUNTS
    value = np.exp(rng.normal(np.log(36000), 1.75, n))  # yearly spend, heavy-tailed
    rank = (-value).argsort().argsort()  # 0 = biggest
    story = np.array(["稳定"] * n, dtype=object)
    order = np.argsort(rank)  # account positions from biggest to smallest
    picks = {"下滑": list(order[[2, 6, 13, 27]]) + list(rng.choice(order[30:170], 10, replace=False)),
             "流失": [order[21]] + list(rng.choice(order[40:180], 4, replace=False))}
    for name, idx in picks.items():
        story[idx] = name
    free = [i for i in order[60:] if story[i] == "稳定"]
    rest = list(rng.permutation(free))
    story[rest[:3]] = "未下单"
    story[rest[3:11]] = "一次性"
    story[rest[11:24]] = "新客户"
    story[rest[24:34]] = "增长"
    interval = np.clip(42 * (value / np.median(value)) ** -0.4, 5, 120)
    start = pd.to_datetime(rng.integers(pd.Timestamp("2009-03-01").value // 86400_000_000_000,
                                        pd.Timestamp("2022-11-30").value // 86400_000_000_000, n), unit="D")
    start = pd.Series(start)
    new = story == "新客户"
    start[new] = pd.to_datetime("2024-01-08") + pd.to_timedelta(rng.integers(0, 240, new.sum()), unit="D")
    idle = story == "未下单"
    start[idle] = pd.to_datetime("2024-12-02") + pd.to_timedelta(rng.integers(0, 20, idle.sum()), unit="D")
    change = pd.to_datetime("2024-06-15") + pd.to_timedelta(rng.integers(0, 90, n), unit="D")
    return pd.DataFrame({"value": value, "rank": rank, "故事": story, "interval": interval,
                         "start": start.dt.normalize(), "change": change})


def _company_names(rng, industries, cities):
    """Unique believable names: city + brand + industry suffix.

    >>> names = _company_names(_rng(), ["食品加工"] * 3, ["天津"] * 3)
    >>> len(set(names)), names[0].startswith("天津")
    (3, True)
    """
    used, out = set(), []
    for ind, city in zip(industries, cities):
        while True:
            name = city + rng.choice(BRANDS) + rng.choice(INDUSTRIES[ind][0])
            if name not in used:
                used.add(name)
                out.append(name)
                break
    return out


def _size(rank):
    """企业规模 from value rank with the biggest buyers being big firms.

    >>> _size(3), _size(150)
    ('大型', '小型')
    """
    return "大型" if rank < 25 else "中型" if rank < 90 else "小型" if rank < 170 else "微型"


def make_accounts():
    """p07_accounts: 200 accounts with industry, city, size, manager, start date.

    >>> make_accounts().columns.tolist()[:3]
    ['客户编号', '客户名称', '行业']
    """
    rng, plan = _rng(1), _plan()
    names = list(INDUSTRIES)
    weights = np.array([INDUSTRIES[k][1] for k in names], float)
    industries = rng.choice(names, N_ACCOUNTS, p=weights / weights.sum())
    cities = rng.choice(CITIES, N_ACCOUNTS)
    sizes = [_size(r) if rng.random() > 0.12 else _size(min(r + 40, 199)) for r in plan["rank"]]
    df = pd.DataFrame({
        "客户编号": [f"K{i + 1:04d}" for i in range(N_ACCOUNTS)],
        "客户名称": _company_names(rng, industries, cities),
        "行业": industries,
        "城市": cities,
        "企业规模": sizes,
        "客户经理": rng.choice(MANAGERS, N_ACCOUNTS),
        "合作起始日期": plan["start"].to_numpy(),
        "结算方式": [rng.choice(SETTLEMENT, p=SETTLE_P[s]) for s in sizes],
    })
    return df


def _day(ts):
    """Days from START to a date (the generator works in whole days).

    >>> _day(pd.Timestamp("2023-01-11"))
    10
    """
    return (pd.Timestamp(ts) - START).days


LAST = _day(END)
CLOSED = [(_day(a), _day(b)) for a, b in HOLIDAYS]


def _dates(rng, row):
    """Order days (offsets from START) of one account, following its rhythm and story."""
    if row.故事 == "未下单":
        return []
    if row.故事 == "一次性":
        return sorted(int(d) for d in rng.integers(0, 700, int(rng.integers(1, 3))))
    day = max(0, _day(row.start)) + int(rng.integers(0, max(2, int(row.interval))))
    change = _day(row.change)
    stop = change - 60 if row.故事 == "流失" else LAST
    gaps = rng.gamma(9.0, row.interval / 9.0, 400)
    out = []
    for gap in gaps:
        if day > stop:
            break
        out.append(day)
        day += max(1, round(gap * (2.6 if row.故事 == "下滑" and day >= change else 1.0)))
    return out


def _shift_holidays(day):
    """Move an order day that falls in a 春节 closure to the first day after it.

    >>> _shift_holidays(_day("2024-02-12")) == _day("2024-02-19")
    True
    """
    for a, b in CLOSED:
        if a <= day <= b:
            return b + 1
    return day


def _amount_factors(row, days, rng):
    """How big each order is relative to the account's usual order."""
    days = np.asarray(days)
    f = rng.lognormal(0, 0.25, len(days))
    if row.故事 == "下滑":
        f = np.where(days >= _day(row.change), f * 0.45, f)
    if row.故事 == "增长":
        f = np.where(days >= _day("2024-01-01"), f * 1.6, f)
    return f


@lru_cache(maxsize=1)
def _orders():
    rng, plan = _rng(2), _plan()
    products = list(PRODUCTS)
    lo = np.log([PRODUCTS[p][0] for p in products])
    hi = np.log([PRODUCTS[p][1] for p in products])
    parts = []
    for i, row in enumerate(plan.itertuples(index=False)):
        mix = rng.dirichlet(np.ones(len(products)) * 0.8)
        days = _dates(rng, row)
        if not days:
            continue
        k = len(days)
        target = row.value * row.interval / 365 * _amount_factors(row, days, rng)
        line = rng.choice(len(products), k, p=mix)
        price = np.round(np.exp(rng.uniform(lo[line], hi[line])), 2)
        qty = np.maximum(1, np.round(target / price)).astype(int)
        parts.append(pd.DataFrame({"客户编号": f"K{i + 1:04d}", "day": [_shift_holidays(d) for d in days],
                                   "产品线": np.array(products)[line], "数量": qty, "单价": price,
                                   "金额": np.round(qty * price, 2)}))
    df = pd.concat(parts, ignore_index=True)
    df = df[df["day"] <= LAST].sort_values(["day", "客户编号"], kind="stable").reset_index(drop=True)
    df.insert(1, "下单日期", START + pd.to_timedelta(df.pop("day"), unit="D"))
    df.insert(0, "订单编号", [f"D{d:%y%m}{i + 1:05d}" for i, d in enumerate(df["下单日期"])])
    return df


def make_orders():
    """p07_orders: one row per order, 2023-01-01 .. 2024-12-31, amounts in 元.

    >>> o = make_orders()
    >>> o.columns.tolist()
    ['订单编号', '客户编号', '下单日期', '产品线', '数量', '单价', '金额']
    >>> bool((o["金额"] > 0).all())
    True
    """
    return _orders().copy()


def _person(rng, used):
    """A unique Chinese name (surname + given name)."""
    while True:
        name = rng.choice(list(SURNAMES)) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def _roles_for(size, rng):
    """Which buying roles an account of this size has on file.

    >>> sorted(set(_roles_for("大型", _rng()))) == sorted(ROLES)
    True
    """
    if size == "大型":
        return ROLES + (["使用者"] if rng.random() < 0.5 else [])
    if size == "中型":
        return ["采购者", "决策者", "使用者"] + list(rng.choice(["影响者", "批准者", "把关者"], int(rng.integers(1, 3)),
                                                            replace=False))
    return ["采购者"] + (["决策者"] if rng.random() < 0.6 else [])


def make_contacts():
    """p07_contacts: people at each account and their buying role.

    >>> c = make_contacts()
    >>> sorted(c["采购角色"].unique()) == sorted(ROLES)
    True
    """
    rng = _rng(3)
    acc = make_accounts()
    used, rows = set(), []
    for cid, size in zip(acc["客户编号"], acc["企业规模"]):
        for role in _roles_for(size, rng):
            title = rng.choice(TITLES[role])
            if size in ("小型", "微型") and role == "决策者":
                title = "总经理"
            phone = f"1{rng.choice([3, 5, 8])}{rng.integers(0, 10)}****{rng.integers(0, 10000):04d}"
            closeness = rng.choice(CLOSENESS, p=[0.3, 0.5, 0.2])
            rows.append((cid, _person(rng, used), title, role, phone, closeness))
    return pd.DataFrame(rows, columns=["客户编号", "联系人", "职务", "采购角色", "联系电话", "关系程度"])


DATASETS = {
    "p07_accounts": Dataset(make=make_accounts, title="大客户管理：客户档案", dates=("合作起始日期",)),
    "p07_orders": Dataset(make=make_orders, title="大客户管理：两年订单", dates=("下单日期",)),
    "p07_contacts": Dataset(make=make_contacts, title="大客户管理：客户联系人与采购角色"),
}
