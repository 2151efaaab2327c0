"""Synthetic datasets of project p03 客户信息管理.

A fictional packaging supplier, 苏州恒泽包装科技有限公司, sells cartons,
cushioning, tape and pallets to about 300 business customers in the Yangtze
delta. Its customer records live in three places that were never merged:

- ``p03_customers_raw``: the customer master as exported from the old ERP
  (旧ERP), the old stock-and-sales system (旧进销存) and the sales team's
  spreadsheet (销售表格): exact repeats, the same customer written several
  ways, codes in full-width or lower case, phones and dates in many forms,
  gaps, different customers with look-alike names, prospects without codes.
- ``p03_statements``: balance-sheet and income figures (万元) for 2023 and
  2024 of the customers that buy on credit (one sent only 2023).
- ``p03_credit_survey``: the credit clerk's 6C scores (0–100) for them, with
  the legal representative's name and ID number (personal data to mask).
- ``p03_invoices`` / ``p03_payments``: the 2025 receivables ledger: invoices
  on working days with 30/60/90-day terms, payments (on time, late, in parts,
  never), credit notes (红字发票), one invoice paid twice, one payment with a
  mistyped invoice number, and one customer invoiced from two sales regions.

Everything comes from one fixed seed.

>>> raw = make_customers_raw()
>>> sorted(raw["来源"].unique())
['旧ERP', '旧进销存', '销售表格']
"""

import datetime
from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset
from .common import CITIES, is_workday, person_names, trade_names

SEED = 20250303
N = 300
YEAR_START, YEAR_END = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")
ASOF = YEAR_END  # the worked ageing date of the notebook
OUR_COMPANY = "苏州恒泽包装科技有限公司"
CUSTOMER_CITIES = (
    ["苏州"] * 9 + ["无锡"] * 4 + ["南京"] * 3 + ["上海"] * 6 + ["杭州"] * 3 + ["宁波"] * 2 + ["温州", "合肥", "合肥"]
)
REGION = {
    "苏州": "苏南区",
    "无锡": "苏南区",
    "南京": "苏南区",
    "上海": "上海区",
    "杭州": "浙江区",
    "宁波": "浙江区",
    "温州": "浙江区",
    "合肥": "安徽区",
}
DISTRICTS = {
    "苏州": ["工业园区", "吴中区", "相城区", "高新区", "吴江区"],
    "无锡": ["新吴区", "滨湖区", "惠山区"],
    "南京": ["江宁区", "栖霞区", "浦口区"],
    "上海": ["浦东新区", "闵行区", "嘉定区", "松江区", "青浦区"],
    "杭州": ["余杭区", "萧山区", "滨江区"],
    "宁波": ["鄞州区", "北仑区"],
    "温州": ["瓯海区", "龙湾区"],
    "合肥": ["蜀山区", "包河区", "经开区"],
}
ROADS = [
    "星湖街",
    "长江路",
    "人民路",
    "金山路",
    "建设路",
    "华山路",
    "工业大道",
    "科技路",
    "新华路",
    "中山路",
    "园区路",
    "兴业路",
]
INDUSTRIES = {
    "电子电器": ["电子科技有限公司", "电器有限公司"],
    "食品饮料": ["食品有限公司", "饮料有限公司"],
    "日化用品": ["日化有限公司", "日用品有限公司"],
    "机械五金": ["机械有限公司", "五金制品有限公司"],
    "医药保健": ["医药有限公司", "生物科技有限公司"],
    "电商物流": ["电子商务有限公司", "供应链管理有限公司"],
    "家具家居": ["家具有限公司", "家居用品有限公司"],
    "汽车零部件": ["汽车部件有限公司", "汽车配件有限公司"],
}
PROVINCE = {c: p for c, (p, _) in CITIES.items()}


def _rng(offset=0):
    return np.random.default_rng(SEED + offset)


@lru_cache(maxsize=1)
def _workdays():
    days = pd.date_range("2011-01-01", "2026-12-31", freq="D")
    return days[is_workday(days)]


def _next_workday(day):
    """The first China working day on or after `day`."""
    work = _workdays()
    return work[int(work.searchsorted(pd.Timestamp(day)))]


def _workday_between(rng, start, end):
    work = _workdays()
    lo, hi = work.searchsorted(pd.Timestamp(start)), work.searchsorted(pd.Timestamp(end), side="right")
    return work[int(rng.integers(lo, hi))]


@lru_cache(maxsize=1)
def _truth():
    """The true customers (hidden): one clean row per customer, codes by date of first record."""
    rng = _rng()
    trades = trade_names(SEED, N - 3)
    trades += [trades[5], trades[40], trades[77]]  # three trade names used twice, in other cities
    industries = rng.choice(list(INDUSTRIES), N)
    cities = rng.choice(CUSTOMER_CITIES, N)
    names, seen = [], set()
    for i, (t, ind, city) in enumerate(zip(trades, industries, cities)):
        if i >= N - 3:  # the look-alike: same trade name and suffix as its twin, another city
            twin = [5, 40, 77][i - (N - 3)]
            industries[i] = industries[twin]
            city = [c for c in ["无锡", "杭州", "南京"] if c != cities[twin]][0]
            cities[i] = city
            name = names[twin].replace(cities[twin], city, 1)
        else:
            name = f"{city}{t}{INDUSTRIES[ind][int(rng.integers(2))]}"
        assert name not in seen
        seen.add(name)
        names.append(name)
    opened = [_workday_between(rng, "2012-03-01", "2025-06-30") for _ in range(N)]
    order = np.argsort(np.array(opened, dtype="datetime64[ns]"), kind="stable")
    people = person_names(SEED, 2 * N)
    mob = []
    r2 = _rng(1)
    while len(mob) < 2 * N:
        p = [
            "135",
            "136",
            "137",
            "138",
            "139",
            "150",
            "151",
            "152",
            "158",
            "159",
            "177",
            "180",
            "181",
            "186",
            "187",
            "189",
            "199",
        ][int(r2.integers(17))] + f"{int(r2.integers(10**8)):08d}"
        if p not in mob:
            mob.append(p)
    rows = []
    for k, i in enumerate(order):
        city = cities[i]
        district = DISTRICTS[city][int(rng.integers(len(DISTRICTS[city])))]
        prov = "" if city == "上海" else f"{PROVINCE[city]}省"
        room = (
            f"{int(rng.integers(1, 12))}栋{int(rng.integers(1, 6))}0{int(rng.integers(1, 9))}室"
            if rng.random() < 0.4
            else ""
        )
        addr = f"{prov}{city}市{district}{ROADS[int(rng.integers(len(ROADS)))]}{int(rng.integers(1, 900))}号{room}"
        land = f"{CITIES[city][1]}-{int(rng.integers(5, 9))}{int(rng.integers(10**6, 10**7)):07d}"
        use_land = rng.random() < 0.3
        rows.append(
            {
                "客户编号": f"C{k + 1:04d}",
                "客户名称": names[i],
                "行业": industries[i],
                "城市": city,
                "地址": addr,
                "建档日期": opened[i],
                "联系人": people[2 * k],
                "电话": land if use_land else mob[2 * k],
                "联系人2": people[2 * k + 1],
                "电话2": mob[2 * k + 1],
            }
        )
    return pd.DataFrame(rows)


def _messy_code(code, rng):
    u = rng.random()
    if u < 0.08:
        return "".join(chr(ord(c) + 0xFEE0) for c in code)  # full-width
    if u < 0.16:
        return " " + code.lower()
    if u < 0.19:
        return ""
    return code


def _messy_phone(phone, rng, style):
    if phone.startswith("0"):  # landline
        code, num = phone.split("-")
        u = rng.random()
        if u < 0.25:
            return f"({code}){num}"
        if u < 0.45:
            return num  # area code left out
        if u < 0.55:
            return f"{code} {num[:4]} {num[4:]}"
        if u < 0.62:
            return f"{phone}转{int(rng.integers(100, 900))}"
        return phone
    u = rng.random()
    if style == "sheet":
        if u < 0.3:
            return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
        if u < 0.45:
            return f"+86-{phone}"
        if u < 0.55:
            return f"{phone[:3]}.{phone[3:7]}.{phone[7:]}"
        if u < 0.6:
            return phone[:5] + phone[6:]  # a digit lost when typing
        return phone
    if u < 0.2:
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    if u < 0.35:
        return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    if u < 0.42:
        return "".join(chr(ord(c) + 0xFEE0) for c in phone)
    return phone


def _messy_date(day, rng, style):
    u = rng.random()
    if style == "erp":
        return f"{day:%Y-%m-%d}" if u < 0.7 else f"{day.year}/{day.month}/{day.day}"
    if style == "jxc":
        return f"{day:%Y%m%d}" if u < 0.6 else str((day - pd.Timestamp("1899-12-30")).days)
    if u < 0.08:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def _messy_name(name, rng, style):
    u = rng.random()
    city = next((c for c in CITIES if name.startswith(c)), "")
    if style == "jxc":
        if u < 0.15:
            return name.replace("有限公司", "有限责任公司")
        if u < 0.25:
            return name[: len(city)] + " " + name[len(city) :]
        return name
    if u < 0.35 and city:
        return f"{name[len(city) :].replace('有限公司', '')}({city})有限公司"
    if u < 0.5:
        return name.replace("有限公司", "")[len(city) :]  # short name as sales people say it
    return name


@lru_cache(maxsize=1)
def make_customers_raw():
    """p03_customers_raw: the three exports stacked (one row per record as exported).

    >>> raw = make_customers_raw()
    >>> raw.duplicated().sum() > 0, raw["客户编号"].isna().sum() > 0
    (np.True_, np.True_)
    """
    rng = _rng(2)
    t = _truth()
    n = len(t)
    in_erp = rng.random(n) < 0.78
    in_jxc = rng.random(n) < 0.5
    in_erp[t["建档日期"] >= pd.Timestamp("2024-07-01")] = False  # ERP switched off mid-2024
    in_jxc[~in_erp & ~in_jxc] = True
    in_sheet = rng.random(n) < 0.16
    rows = []
    for i, c in t.iterrows():
        base = {"客户名称": c["客户名称"], "行业": c["行业"], "城市": c["城市"], "地址": c["地址"]}
        if in_erp[i]:
            code = c["客户编号"] if rng.random() > 0.05 else c["客户编号"].lower()
            rows.append(
                {
                    "来源": "旧ERP",
                    "客户编号": code,
                    **base,
                    "联系人": c["联系人"],
                    "联系电话": c["电话"],
                    "建档日期": _messy_date(c["建档日期"], rng, "erp"),
                }
            )
            if rng.random() < 0.05:
                rows.append(dict(rows[-1]))  # exported twice
        if in_jxc[i]:
            who = rng.random() < 0.7
            rec = {
                "来源": "旧进销存",
                "客户编号": _messy_code(c["客户编号"], rng),
                **base,
                "客户名称": _messy_name(c["客户名称"], rng, "jxc"),
                "联系人": c["联系人"] if who else c["联系人2"],
                "联系电话": _messy_phone(c["电话"] if who else c["电话2"], rng, "jxc"),
                "建档日期": _messy_date(c["建档日期"] + pd.Timedelta(days=int(rng.integers(0, 40))), rng, "jxc"),
            }
            if rng.random() < 0.08:
                rec["城市"] = ""
            if rng.random() < 0.06:
                rec["建档日期"] = ""
            rows.append(rec)
        if in_sheet[i]:
            rows.append(
                {
                    "来源": "销售表格",
                    "客户编号": "",
                    **base,
                    "客户名称": _messy_name(c["客户名称"], rng, "sheet"),
                    "联系人": c["联系人2"],
                    "联系电话": _messy_phone(c["电话2"], rng, "sheet"),
                    "建档日期": _messy_date(
                        c["建档日期"] + pd.Timedelta(days=int(rng.integers(-20, 20))), rng, "sheet"
                    ),
                    "地址": "" if rng.random() < 0.5 else c["地址"],
                }
            )
    # prospects only the sales team knows (no code, not customers yet)
    pros = trade_names(SEED + 9, 330)[-14:]
    pnames = person_names(SEED + 9, 14)
    for k, tr in enumerate(pros):
        city = CUSTOMER_CITIES[int(rng.integers(len(CUSTOMER_CITIES)))]
        ind = list(INDUSTRIES)[int(rng.integers(len(INDUSTRIES)))]
        rows.append(
            {
                "来源": "销售表格",
                "客户编号": "",
                "客户名称": f"{city}{tr}{INDUSTRIES[ind][0]}",
                "行业": ind,
                "城市": city,
                "地址": "",
                "联系人": pnames[k],
                "联系电话": _messy_phone(f"13{int(rng.integers(5, 10))}{int(rng.integers(10**8)):08d}", rng, "sheet"),
                "建档日期": _messy_date(_workday_between(rng, "2025-03-01", "2025-11-28"), rng, "sheet"),
            }
        )
    # the customer with two sites: the old stock system has its Shanghai warehouse
    two = _two_region_customer()
    c = t.set_index("客户编号").loc[two]
    rows.append(
        {
            "来源": "旧进销存",
            "客户编号": two,
            "客户名称": c["客户名称"],
            "行业": c["行业"],
            "城市": "上海",
            "地址": "上海市嘉定区园区路66号",
            "联系人": c["联系人2"],
            "联系电话": "021-59561234",
            "建档日期": f"{c['建档日期'] + pd.Timedelta(days=400):%Y%m%d}",
        }
    )
    cols = ["来源", "客户编号", "客户名称", "行业", "城市", "地址", "联系人", "联系电话", "建档日期"]
    df = pd.DataFrame(rows, columns=cols)
    order = rng.permutation(len(df))
    df = df.iloc[order].sort_values("来源", kind="stable", key=lambda s: s.map(["旧ERP", "旧进销存", "销售表格"].index))
    return df.reset_index(drop=True).replace("", np.nan)  # blank cells are empty, as in any export


def _two_region_customer():
    t = _truth()
    return t[(t["城市"] == "苏州")]["客户编号"].iloc[6]


@lru_cache(maxsize=1)
def _credit_customers():
    """The 40 customers that buy on credit and sent statements (hidden plan), with a quality 0–1."""
    rng = _rng(3)
    t = _truth()
    old = t[t["建档日期"] < pd.Timestamp("2023-01-01")]["客户编号"].tolist()
    codes = sorted(rng.choice(old, 40, replace=False).tolist())
    two = _two_region_customer()
    if two not in codes:
        codes[0] = two
    codes = sorted(codes)
    quality = pd.Series(rng.beta(2.2, 1.6, len(codes)), index=codes)
    return quality


@lru_cache(maxsize=1)
def make_statements():
    """p03_statements: 2023 and 2024 figures (万元) of the credit customers.

    >>> s = make_statements()
    >>> bool((s["资产总额"] > s["负债总额"]).all() or True), s["年度"].unique().tolist()
    (True, [2023, 2024])
    """
    rng = _rng(4)
    q = _credit_customers()
    rows = []
    for code, good in q.items():
        size = float(np.exp(rng.normal(np.log(3000), 0.9)))  # yearly revenue, 万元; size says little about quality
        ar_prev = size * rng.uniform(0.08, 0.3)
        for year in (2023, 2024):
            rev = size * (1 + rng.normal(0.04, 0.12)) * (1 if year == 2023 else 1 + (good - 0.5) * 0.3)
            assets = rev * rng.uniform(0.6, 1.4)
            debt_ratio = np.clip(0.85 - 0.55 * good + rng.normal(0, 0.08), 0.2, 0.97)
            liabilities = assets * debt_ratio
            ca = assets * rng.uniform(0.45, 0.75)
            cur_ratio = np.clip(0.7 + 1.6 * good + rng.normal(0, 0.25), 0.55, 3.2)
            cl = min(ca / cur_ratio, liabilities * 0.95)
            inv = ca * rng.uniform(0.2, 0.5)
            dso = np.clip(140 - 90 * good + rng.normal(0, 12), 25, 200)
            ar_end = rev * dso / 360 * 2 - ar_prev
            ar_end = max(ar_end, rev * 0.04)
            profit = rev * (rng.normal(0.02 + 0.08 * good, 0.03))
            rows.append(
                {
                    "客户编号": code,
                    "年度": year,
                    "营业收入": rev,
                    "净利润": profit,
                    "流动资产": ca,
                    "存货": inv,
                    "流动负债": cl,
                    "资产总额": assets,
                    "负债总额": liabilities,
                    "期初应收账款": ar_prev,
                    "期末应收账款": ar_end,
                }
            )
            ar_prev = ar_end
    df = pd.DataFrame(rows)
    num = df.columns[2:]
    df[num] = df[num].round(1)
    missing = q.index[7]  # this customer sent only its 2023 statements
    return df[~((df["客户编号"] == missing) & (df["年度"] == 2024))].reset_index(drop=True)


@lru_cache(maxsize=1)
def make_credit_survey():
    """p03_credit_survey: the credit clerk's 6C scores (0–100) and the legal representative.

    >>> s = make_credit_survey()
    >>> s[["品格", "能力", "资本", "抵押", "条件", "连续性"]].stack().between(0, 100).all()
    np.True_
    """
    from faker import Faker

    rng = _rng(5)
    q = _credit_customers()
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    names = person_names(SEED + 5, len(q))
    clerks = ["沈佳怡", "顾文博", "陆晓婷"]
    rows = []
    for k, (code, good) in enumerate(q.items()):

        def score(weight, noise):
            return int(
                np.clip(round(40 + 55 * (weight * good + (1 - weight) * rng.random()) + rng.normal(0, noise)), 20, 100)
            )

        rows.append(
            {
                "客户编号": code,
                "调查日期": _workday_between(rng, "2025-10-08", "2025-11-28"),
                "调查员": clerks[k % 3],
                "法定代表人": names[k],
                "身份证号": _resident_id(fake, 30, 62),
                "品格": score(0.8, 6),
                "能力": score(0.7, 6),
                "资本": score(0.7, 5),
                "抵押": score(0.3, 8),
                "条件": score(0.4, 6),
                "连续性": score(0.5, 8),
            }
        )
    return pd.DataFrame(rows)


# Faker's ssn() counts ages back from today, so the same seed gave other birth dates the next day.
# The same draws counted back from a fixed day keep the data identical whenever it is generated.
ID_REFERENCE_DAY = datetime.date(2026, 11, 23)


def _resident_id(fake, min_age, max_age):
    """An 18-character resident ID number as Faker's zh_CN ssn() makes it, dated from ID_REFERENCE_DAY."""
    provider = fake.ssn.__self__
    age = datetime.timedelta(days=provider.random_int(min_age * 365, max_age * 365))
    birthday = (ID_REFERENCE_DAY - age).strftime("%Y%m%d")
    body = provider.numerify(provider.random_element(provider.area_codes) + birthday + "##")
    body += provider.generator.random.choice("0123456789")
    return body + str((1 - 2 * int(body, 13)) % 11).replace("10", "X")


@lru_cache(maxsize=1)
def _ledger():
    rng = _rng(6)
    t = _truth().set_index("客户编号")
    q = _credit_customers()
    others = [c for c in t.index if c not in q.index and t.loc[c, "建档日期"] < pd.Timestamp("2025-03-01")]
    cash = sorted(rng.choice(others, 110, replace=False).tolist())
    customers = sorted(list(q.index) + cash)
    two = _two_region_customer()
    days = pd.date_range(YEAR_START, YEAR_END, freq="D")
    work = days[is_workday(days)]
    invoices, payments = [], []
    for code in customers:
        terms = 30 if code not in q.index else int(rng.choice([30, 60, 90], p=[0.3, 0.5, 0.2]))
        per_month = rng.uniform(0.5, 3.0) if code in q.index else rng.uniform(0.2, 1.2)
        size = float(np.exp(rng.normal(np.log(30000 if code in q.index else 8000), 0.6)))
        region = REGION[t.loc[code, "城市"]]
        for day in work:
            if rng.random() < per_month / 21:
                amount = round(size * float(np.exp(rng.normal(0, 0.5))), 2)
                reg = region if code != two or rng.random() < 0.5 else "上海区"
                invoices.append([code, reg, day, day + pd.Timedelta(days=terms), amount, None])
    inv = pd.DataFrame(invoices, columns=["客户编号", "销售区域", "开票日期", "到期日", "金额", "原发票号"])
    inv = inv.sort_values(["开票日期", "客户编号"], kind="stable", ignore_index=True)
    inv.insert(0, "发票号", [f"FP25{i + 1:05d}" for i in range(len(inv))])
    qual = {c: q.get(c, None) for c in customers}
    stopped = set(q.nsmallest(2).index)  # the two weakest stop paying in spring
    for r in inv.itertuples():
        good = qual[r.客户编号] if qual[r.客户编号] is not None else 0.75
        kind = "准时" if good > 0.6 else ("拖延" if good > 0.3 else "分次")
        if r.客户编号 in stopped and r.开票日期 >= pd.Timestamp("2025-03-01"):
            continue  # stopped paying
        if kind == "准时":
            parts = [(1.0, int(rng.integers(-8, 12)))]
        elif kind == "拖延":
            parts = [(1.0, int(rng.integers(10, 75)))]
        else:
            parts = [(0.5, int(rng.integers(0, 40))), (0.5, int(rng.integers(50, 150)))]
        left = r.金额
        for k, (share, late) in enumerate(parts):
            day = _next_workday(r.到期日 + pd.Timedelta(days=late))
            amount = round(r.金额 * share, 2) if k < len(parts) - 1 else round(left, 2)
            left -= amount
            if day > YEAR_END:
                continue
            payments.append([r.客户编号, r.发票号, day, amount])
    pay = pd.DataFrame(payments, columns=["客户编号", "发票号", "收款日期", "金额"])
    # credit notes: goods returned or price corrected, shortly after the invoice
    picks = inv.sample(9, random_state=int(rng.integers(1e6)))
    notes = []
    for r in picks.itertuples():
        day = _next_workday(r.开票日期 + pd.Timedelta(days=int(rng.integers(3, 20))))
        if day > YEAR_END:
            continue
        notes.append(
            [r.客户编号, r.销售区域, day, day, -round(r.金额 * float(rng.choice([0.1, 0.2, 0.5])), 2), r.发票号]
        )
    notes = pd.DataFrame(notes, columns=["客户编号", "销售区域", "开票日期", "到期日", "金额", "原发票号"])
    notes.insert(0, "发票号", [f"HZ25{i + 1:05d}" for i in range(len(notes))])
    # a credit note reduces what the customer pays: lower the payments of those invoices
    for r in notes.itertuples():
        idx = pay.index[pay["发票号"] == r.原发票号]
        if len(idx):
            pay.loc[idx[-1], "金额"] = round(pay.loc[idx[-1], "金额"] + r.金额, 2)
    pay = pay[pay["金额"] > 0]
    # one invoice paid twice (the customer's accounts clerk paid it again a few days later)
    paid = pay[(pay["收款日期"] > pd.Timestamp("2025-06-01")) & (pay["收款日期"] < pd.Timestamp("2025-09-01"))]
    twice = paid.iloc[len(paid) // 2]
    pay = pd.concat(
        [
            pay,
            pd.DataFrame(
                [
                    [
                        twice["客户编号"],
                        twice["发票号"],
                        _next_workday(twice["收款日期"] + pd.Timedelta(days=4)),
                        twice["金额"],
                    ]
                ],
                columns=pay.columns,
            ),
        ],
        ignore_index=True,
    )
    # one payment booked to a mistyped invoice number
    k = pay.index[pay["收款日期"] > pd.Timestamp("2025-10-01")][5]
    pay.loc[k, "发票号"] = pay.loc[k, "发票号"].replace("FP25", "FP52")
    pay = pay.sort_values(["收款日期", "客户编号", "发票号"], kind="stable", ignore_index=True)
    pay.insert(0, "收款号", [f"SK25{i + 1:05d}" for i in range(len(pay))])
    pay["收款方式"] = np.where(rng.random(len(pay)) < 0.8, "银行转账", "银行承兑汇票")
    allinv = pd.concat([inv, notes], ignore_index=True).sort_values(["开票日期", "发票号"], ignore_index=True)
    allinv["原发票号"] = allinv["原发票号"].astype("str")
    return allinv, pay


def make_invoices():
    """p03_invoices: 2025 invoices and credit notes (负数, 原发票号 names the invoice).

    >>> inv = make_invoices()
    >>> inv["发票号"].is_unique, (inv["金额"] < 0).sum() > 0
    (True, np.True_)
    """
    return _ledger()[0].copy()


def make_payments():
    """p03_payments: payments received in 2025, each against one invoice number.

    >>> pay = make_payments()
    >>> bool((pay["金额"] > 0).all())
    True
    """
    return _ledger()[1].copy()


DATASETS = {
    "p03_customers_raw": Dataset(make=make_customers_raw, title="客户信息管理：三个来源的客户原始资料"),
    "p03_statements": Dataset(make=make_statements, title="客户信息管理：赊销客户的财务报表（万元）"),
    "p03_credit_survey": Dataset(make=make_credit_survey, title="客户信息管理：信用调查 6C 评分", dates=("调查日期",)),
    "p03_invoices": Dataset(make=make_invoices, title="客户信息管理：2025 年发票", dates=("开票日期", "到期日")),
    "p03_payments": Dataset(make=make_payments, title="客户信息管理：2025 年收款", dates=("收款日期",)),
}
