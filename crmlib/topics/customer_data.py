"""Customer master data: cleaning phones, dates and names, merging duplicates, masking personal data.

Rule of the whole module: **nothing is silently dropped**. Every helper that
cannot clean a value returns it unchanged together with a Chinese reason, and
:func:`clean_customers` returns every row it could not use in its ``review``
table, so a person can decide.

>>> clean_phone("+86 138-1234-5678")
('13812345678', '')
>>> clean_phone("6812 3456", city="苏州")
('0512-68123456', '')
>>> clean_date("2021年3月5日")
(Timestamp('2021-03-05 00:00:00'), '')
>>> clean_name(" 苏州瑞达包装(集团)有限公司 ")
'苏州瑞达包装（集团）有限公司'
>>> mask_phone("13812345678"), mask_id("320502198803151234"), mask_name("欧阳明")
('138****5678', '3205**********1234', '欧**')
"""

import difflib
import re
from collections import namedtuple

import pandas as pd

from ..course.errors import CRMError, require_columns, require_frame
from ..generators.common import CITIES

SOURCE_ORDER = ["旧ERP", "旧进销存", "销售表格"]  # which source wins when two disagree
CODE = re.compile(r"C\d{4}")
MOBILE = re.compile(r"1[3-9]\d{9}")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's date serial numbers
EARLIEST, LATEST = pd.Timestamp("1990-01-01"), pd.Timestamp("2026-12-31")

Cleaned = namedtuple("Cleaned", "customers contacts review")
HALFWIDTH = {0x3000: " ", **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}}  # full-width → half-width


def _one(value, func, column):
    """Fail in Chinese when a whole table or column is passed to a one-value helper."""
    if isinstance(value, (pd.DataFrame, pd.Series, list, tuple, dict, set)):
        raise CRMError(
            f"crm.{func} 一次只处理一个值，你传入的是{type(value).__name__}。"
            f'整列请这样写：表["{column}"].map(crm.{func})。'
        )
    return value


def _blank(value):
    return (
        value is None
        or (isinstance(value, float) and value != value)
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, str) and not value.strip())
    )


def to_halfwidth(text):
    """Full-width letters, digits and signs (ＡＢＣ１２３－) to half-width; the ideographic
    space to a plain space. Chinese characters are untouched; blank → "".

    >>> to_halfwidth("Ｃ００１２　（苏州）")
    'C0012 (苏州)'
    >>> to_halfwidth(None)
    ''
    """
    _one(text, "to_halfwidth", "客户名称")
    if _blank(text):
        return ""
    return str(text).translate(HALFWIDTH)


def clean_code(value):
    """A customer code like "C0012" (half-width, upper case, no spaces), or ("", reason).

    >>> clean_code(" c0012 "), clean_code("Ｃ００１２"), clean_code("")
    (('C0012', ''), ('C0012', ''), ('', '客户编号为空'))
    >>> clean_code("C12")
    ('', '客户编号「C12」不是 C+4 位数字的格式')
    """
    _one(value, "clean_code", "客户编号")
    if _blank(value):
        return "", "客户编号为空"
    code = re.sub(r"\s+", "", to_halfwidth(value)).upper()
    if CODE.fullmatch(code):
        return code, ""
    return "", f"客户编号「{value}」不是 C+4 位数字的格式"


def area_code(city):
    """The landline area code of a city in the course's city list ("" if unknown).

    >>> area_code("苏州"), area_code("北京"), area_code("火星")
    ('0512', '010', '')
    """
    return CITIES.get(str(city), (None, ""))[1] if not _blank(city) else ""


def clean_phone(value, city=None):
    """One phone number in a standard form, or the original text with a Chinese reason.

    Returns ``(phone, reason)``; ``reason`` is "" when the number was cleaned.

    - Full-width digits become half-width; spaces, dashes, dots and brackets go;
      a leading +86 / 0086 / 86 in front of a mobile number goes.
    - Mobile: 11 digits starting 13–19 → "13812345678".
    - Landline with area code: "0512-68123456" (3-digit codes 010 and 02X,
      4-digit codes otherwise; 7 or 8 digits after it). A trailing extension
      (转 123, ext 123, -123 after a full number) is kept as "0512-68123456-123".
    - Landline of 7–8 digits without area code: the area code of `city` is put
      in front when `city` is known; otherwise it goes to review.

    >>> clean_phone("0512 6812 3456"), clean_phone("(021)64567890")
    (('0512-68123456', ''), ('021-64567890', ''))
    >>> clean_phone("0512-68123456转803")
    ('0512-68123456-803', '')
    >>> clean_phone("1381234567")
    ('1381234567', '位数不对：去掉符号后有 10 位数字，手机号应为 11 位，固定电话应带区号')
    >>> clean_phone("68123456")
    ('68123456', '固定电话缺少区号，也不知道所在城市')
    >>> clean_phone("")
    ('', '电话为空')
    """
    _one(value, "clean_phone", "联系电话")
    if _blank(value):
        return "", "电话为空"
    raw = str(value)
    text = to_halfwidth(raw).strip().lower()
    ext = ""
    m = re.search(r"(?:转|ext\.?|x|分机)\s*(\d{1,5})$", text)
    if m:
        ext, text = m.group(1), text[: m.start()]
    if re.search(r"[^\d\s\-\.\(\)\+]", text):
        return raw, "含有数字以外的文字，无法识别"
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+") or digits.startswith("0086") or (digits.startswith("86") and len(digits) == 13):
        digits = re.sub(r"^(0086|86)", "", digits)
    if MOBILE.fullmatch(digits):
        return digits, ""
    if len(digits) == 11 and digits.startswith("1"):
        return raw, "手机号第二位不对（应为 3～9）"
    if digits.startswith("0"):
        size = 3 if digits[1] in "12" else 4
        code, rest = digits[:size], digits[size:]
        if not ext and len(rest) > 8 and "-" in text:  # "0512-68123456-803"
            ext, rest = rest[8:], rest[:8]
        if len(rest) in (7, 8):
            return f"{code}-{rest}" + (f"-{ext}" if ext else ""), ""
        return raw, f"位数不对：区号 {code} 后面有 {len(rest)} 位，固定电话号码应为 7 或 8 位"
    if len(digits) in (7, 8):
        code = area_code(city)
        if code:
            return f"{code}-{digits}" + (f"-{ext}" if ext else ""), ""
        return raw, "固定电话缺少区号，也不知道所在城市"
    return raw, f"位数不对：去掉符号后有 {len(digits)} 位数字，手机号应为 11 位，固定电话应带区号"


def clean_date(value):
    """A date written many ways → ``(Timestamp, "")``, or ``(NaT, reason)``.

    Accepts 2021-03-05, 2021/3/5, 2021.3.5, 20210305, 2021年3月5日 and Excel
    serial numbers (44260 = 2021-03-05). Day-month orders like 05/03/2021 are
    ambiguous and go to review, as do dates before 1990 or after 2026.

    >>> clean_date("2021/3/5")[0], clean_date("20210305")[0], clean_date(44260)[0]
    (Timestamp('2021-03-05 00:00:00'), Timestamp('2021-03-05 00:00:00'), Timestamp('2021-03-05 00:00:00'))
    >>> clean_date("05/03/2021")
    (NaT, '日月顺序不明确（05/03/2021），请对照原始单据')
    >>> clean_date("2021-02-30")
    (NaT, '不存在的日期：2021-02-30')
    """
    _one(value, "clean_date", "建档日期")
    if _blank(value):
        return pd.NaT, "日期为空"
    if isinstance(value, pd.Timestamp):
        stamp = value
    else:
        text = re.sub(r"\s+", "", to_halfwidth(value))
        text = re.sub(r"\.0$", "", text)
        stamp = None
        m = re.fullmatch(r"(\d{4})[-/\.年](\d{1,2})[-/\.月](\d{1,2})日?", text) or re.fullmatch(
            r"(\d{4})(\d{2})(\d{2})", text
        )
        if m:
            y, mo, d = map(int, m.groups())
            try:
                stamp = pd.Timestamp(year=y, month=mo, day=d)
            except ValueError:
                return pd.NaT, f"不存在的日期：{value}"
        elif re.fullmatch(r"\d{5}", text):
            stamp = EXCEL_EPOCH + pd.Timedelta(days=int(text))
        elif re.fullmatch(r"\d{1,2}[/\-\.]\d{1,2}[/\-\.]\d{4}", text):
            return pd.NaT, f"日月顺序不明确（{value}），请对照原始单据"
        else:
            return pd.NaT, f"无法识别的日期写法：{value}"
    if not (EARLIEST <= stamp <= LATEST):
        return pd.NaT, f"日期不合理：{stamp:%Y-%m-%d}"
    return stamp.normalize(), ""


def clean_name(value):
    """A company name as registered: half-width letters and digits, no spaces,
    Chinese full-width brackets （）. Blank → "".

    >>> clean_name("无锡 宏信 电子(无锡)有限公司")
    '无锡宏信电子（无锡）有限公司'
    """
    _one(value, "clean_name", "客户名称")
    text = re.sub(r"\s+", "", to_halfwidth(value))
    return text.replace("(", "（").replace(")", "）")


def name_key(value):
    """A matching key for company names: the cleaned name without the city (in front or in
    brackets) and without the legal form at the end (有限公司, 有限责任公司, 股份有限公司),
    so a short name as sales people say it gets the same key.

    Two names with the same key are treated as the same company — unless two
    customers share it (the same trade name in two cities), which
    :func:`clean_customers` sends to review.

    >>> name_key("苏州瑞达包装有限责任公司"), name_key("瑞达包装（苏州）有限公司"), name_key("瑞达包装")
    ('瑞达包装', '瑞达包装', '瑞达包装')
    """
    _one(value, "name_key", "客户名称")
    text = clean_name(value)
    text = re.sub(r"（[^）]*）", "", text)
    for city in sorted(CITIES, key=len, reverse=True):
        if text.startswith(city):
            text = text[len(city) :]
            break
    text = text.replace("市", "", 1) if text.startswith("市") else text
    return re.sub(r"(股份有限公司|有限责任公司|有限公司|公司)$", "", text)


def near_duplicates(names, threshold=0.9):
    """Pairs of different names that look alike (difflib ratio of their
    :func:`name_key` ≥ `threshold`), for a person to check.

    `names`: a Series of names. Returns a
    DataFrame 名称1, 名称2, 相似度, sorted by similarity, highest first.
    Same-key pairs have similarity 1.0.

    >>> s = pd.Series(["苏州瑞达包装有限公司", "瑞达包装（苏州）有限公司", "苏州瑞达色彩有限公司", "苏州瑞达包装制品有限公司"])
    >>> near_duplicates(s).values.tolist()
    [['苏州瑞达包装有限公司', '瑞达包装（苏州）有限公司', 1.0]]
    >>> len(near_duplicates(s, threshold=0.75))  # 瑞达包装 vs 瑞达包装制品: 0.8
    3
    """
    if not isinstance(names, pd.Series):
        raise CRMError('near_duplicates 需要一列客户名称（pandas Series），例如 表["客户名称"]。')
    if not 0 < float(threshold) <= 1:
        raise CRMError(f"相似度阈值应在 0～1 之间（例如 0.85），你给的是 {threshold}。")
    uniq = pd.Series(names.dropna().map(clean_name).unique())
    uniq = uniq[uniq != ""]
    keys = uniq.map(name_key).tolist()
    rows = []
    names_list = uniq.tolist()
    for i in range(len(keys)):
        matcher = difflib.SequenceMatcher(None, "", keys[i])  # b (cached) fixed, a varies
        for j in range(i + 1, len(keys)):
            if keys[i] == keys[j]:
                rows.append((names_list[i], names_list[j], 1.0))
                continue
            matcher.set_seq1(keys[j])
            # cheap upper bounds first: most pairs are ruled out without the full comparison
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                rows.append((names_list[i], names_list[j], round(ratio, 3)))
    out = pd.DataFrame(rows, columns=["名称1", "名称2", "相似度"])
    return out.sort_values(["相似度", "名称1"], ascending=[False, True], ignore_index=True)


RAW_COLUMNS = ["来源", "客户编号", "客户名称", "联系人", "联系电话", "城市", "建档日期"]


def clean_customers(raw):
    """Clean and merge a customer master exported from several sources.

    `raw` needs the columns 来源, 客户编号, 客户名称, 联系人, 联系电话, 城市, 建档日期
    (others such as 行业 and 地址 are carried along). Steps:

    1. Rows identical in every column are counted once.
    2. Codes are cleaned (:func:`clean_code`). A row without a usable code gets
       the code of the coded rows with the same :func:`name_key`; failing that,
       of the coded rows with the same cleaned phone. When neither finds exactly
       one customer, the row goes to review as 待确认 (maybe a new customer).
    3. Per customer, each field takes the value of the best source
       (旧ERP > 旧进销存 > 销售表格) that has one (a blank city is taken from
       the address when it names a known city); the name is cleaned; the
       date is the earliest valid 建档日期. A different non-blank city in another
       source goes to review (the customer may have two sites).
    4. Contacts: every distinct (customer, person, cleaned phone) once.

    Returns ``Cleaned(customers, contacts, review)``. ``review`` lists every
    row or value not used as it was: 原行号 (position in `raw`), 来源, 字段,
    原值, 原因 — nothing is dropped without a line there, except exact repeats,
    which are reported once per repeat.

    >>> raw = pd.DataFrame({"来源": ["旧ERP", "旧进销存", "销售表格", "销售表格"],
    ...     "客户编号": ["C0001", "ｃ0001", None, None],
    ...     "客户名称": ["苏州瑞达包装有限公司", "苏州瑞达包装有限公司", "瑞达包装(苏州)有限公司", "新客户有限公司"],
    ...     "联系人": ["王芳", "王芳", "李强", "赵敏"],
    ...     "联系电话": ["13812345678", "138 1234 5678", "+86 139-0000-1111", "12345"],
    ...     "城市": ["苏州", "苏州", "苏州", "上海"], "建档日期": ["2020/1/2", "20191231", "", "2024年5月1日"]})
    >>> c = clean_customers(raw)
    >>> c.customers[["客户编号", "客户名称", "建档日期"]].values.tolist()
    [['C0001', '苏州瑞达包装有限公司', Timestamp('2019-12-31 00:00:00')]]
    >>> c.contacts["电话"].tolist()
    ['13812345678', '13900001111']
    >>> c.review.loc[c.review["原行号"] == 3, "原因"].tolist()
    ['没有客户编号，名称和电话都找不到对应客户（待确认：可能是新客户）', '位数不对：去掉符号后有 5 位数字，手机号应为 11 位，固定电话应带区号']
    """
    require_columns(raw, RAW_COLUMNS, "客户原始资料")
    df = raw.reset_index(drop=True).copy()
    df["原行号"] = range(len(df))
    review = []

    def note(row, field, value, reason):
        review.append((int(row["原行号"]), row["来源"], field, "" if _blank(value) else str(value), reason))

    data_cols = [c for c in raw.columns]
    repeated = df.duplicated(subset=data_cols, keep="first")
    for row in df[repeated].to_dict("records"):
        note(row, "整行", row["客户名称"], "与前面一行完全相同（重复导出），只保留一次")
    df = df[~repeated].copy()

    unknown = set(df["来源"]) - set(SOURCE_ORDER)
    if unknown:
        raise CRMError(
            f"「来源」列里有不认识的来源：{'、'.join(map(str, unknown))}。只能是 {'、'.join(SOURCE_ORDER)}。"
        )
    df["_rank"] = df["来源"].map(SOURCE_ORDER.index)
    codes, phones, names = [], [], []
    for row in df.to_dict("records"):
        code, why = clean_code(row["客户编号"])
        if why and why != "客户编号为空":
            note(row, "客户编号", row["客户编号"], why)
        codes.append(code)
        phone, why = clean_phone(row["联系电话"], row["城市"])
        if why:
            note(row, "联系电话", row["联系电话"], why)
            phone = ""
        phones.append(phone)
        names.append(clean_name(row["客户名称"]))
    df["_code"], df["_phone"], df["_name"] = codes, phones, names
    df["_key"] = df["_name"].map(name_key)

    by_key, by_phone = {}, {}  # key / phone -> codes of the coded rows, in order of appearance
    for code, key, phone in zip(df["_code"], df["_key"], df["_phone"]):
        if code:
            if code not in by_key.setdefault(key, []):
                by_key[key].append(code)
            if phone and code not in by_phone.setdefault(phone, []):
                by_phone[phone].append(code)
    for i, row in df[df["_code"] == ""].iterrows():
        by_name = by_key.get(row["_key"]) if row["_key"] else None
        found, how = by_name, "名称"
        if found is None or len(found) != 1:
            found, how = (by_phone.get(row["_phone"]) if row["_phone"] else None), "电话"
        if found is not None and len(found) == 1:
            df.at[i, "_code"] = found[0]
            note(row, "客户编号", row["客户编号"], f"没有客户编号，按{how}匹配到 {found[0]}")
        elif by_name is not None and len(by_name) > 1:
            note(
                row,
                "整行",
                row["客户名称"],
                f"没有客户编号，名称同时对得上 {'、'.join(sorted(by_name))}，"
                "电话也找不到对应客户（待确认：请人工判断是哪一家）",
            )
        else:
            note(row, "整行", row["客户名称"], "没有客户编号，名称和电话都找不到对应客户（待确认：可能是新客户）")
    df = df[df["_code"] != ""].sort_values(["_code", "_rank", "原行号"])

    dates = []
    for row in df.to_dict("records"):
        stamp, why = clean_date(row["建档日期"])
        if why and why != "日期为空":
            note(row, "建档日期", row["建档日期"], why)
        dates.append(stamp)
    df["_date"] = pd.to_datetime(pd.Series(dates, index=df.index, dtype="datetime64[ns]"))

    extra = [c for c in raw.columns if c not in RAW_COLUMNS]
    rows = []
    groups = {}
    for row in df.to_dict("records"):  # df is sorted by code, then source priority
        groups.setdefault(row["_code"], []).append(row)
    for code, grp in groups.items():
        first = lambda col: next((r[col] for r in grp if not _blank(r[col])), "")  # noqa: E731
        city = first("城市")
        if not city and "地址" in df.columns:
            addr = first("地址")
            city = next((c for c in CITIES if f"{c}市" in str(addr)), "")
            if city:
                note(grp[0], "城市", "", f"城市为空，已按地址「{addr}」补为「{city}」")
        for row in grp:
            if not _blank(row["城市"]) and row["城市"] != city:
                note(
                    row,
                    "城市",
                    row["城市"],
                    f"与 {grp[0]['来源']} 记录的城市「{city}」不同（可能有两处经营地址），已取「{city}」",
                )
        rec = {
            "客户编号": code,
            "客户名称": first("_name"),
            "城市": city,
            "建档日期": min((r["_date"] for r in grp if not pd.isna(r["_date"])), default=pd.NaT),
            **{c: first(c) for c in extra},
            "来源数": len({r["来源"] for r in grp}),
        }
        rows.append(rec)
    customers = pd.DataFrame(rows, columns=["客户编号", "客户名称", "城市", "建档日期", *extra, "来源数"])
    customers["建档日期"] = pd.to_datetime(customers["建档日期"])

    cont = df[["_code", "联系人", "_phone"]].copy()
    cont["联系人"] = cont["联系人"].map(lambda v: re.sub(r"\s+", "", to_halfwidth(v)))
    cont = cont[(cont["联系人"] != "") | (cont["_phone"] != "")]
    cont = cont.drop_duplicates(ignore_index=True).rename(columns={"_code": "客户编号", "_phone": "电话"})
    cont["电话类型"] = cont["电话"].map(lambda p: "" if not p else ("手机" if MOBILE.fullmatch(p) else "固话"))
    review = pd.DataFrame(review, columns=["原行号", "来源", "字段", "原值", "原因"])
    return Cleaned(customers, cont.reset_index(drop=True), review.sort_values(["原行号", "字段"], ignore_index=True))


# ---------------------------------------------------------------- masking (脱敏)


def mask_phone(value):
    """Mobile: first 3 and last 4 digits kept (138****5678). Landline: area code and
    last 4 digits kept (0512-****3456). Anything else: all but the last 2 characters
    starred. Blank → "".

    >>> mask_phone("13812345678"), mask_phone("0512-68123456"), mask_phone("")
    ('138****5678', '0512-****3456', '')
    """
    _one(value, "mask_phone", "电话")
    if _blank(value):
        return ""
    text = str(value)
    if MOBILE.fullmatch(text):
        return text[:3] + "****" + text[-4:]
    m = re.fullmatch(r"(0\d{2,3})-(\d{7,8})(-\d+)?", text)
    if m:
        return f"{m.group(1)}-****{m.group(2)[-4:]}"
    return "*" * max(len(text) - 2, 1) + text[-2:]


def mask_id(value):
    """Resident ID number (18 characters): first 4 and last 4 kept, the 10 in between
    (place and date of birth) starred. Other lengths: all but the last 4 starred.

    >>> mask_id("32050219880315123X")
    '3205**********123X'
    """
    _one(value, "mask_id", "身份证号")
    if _blank(value):
        return ""
    text = re.sub(r"\s+", "", to_halfwidth(value)).upper()
    if len(text) == 18:
        return text[:4] + "*" * 10 + text[-4:]
    return "*" * max(len(text) - 4, 1) + text[-4:]


def mask_name(value):
    """Person's name: the first character (the surname) kept, the rest starred.

    >>> mask_name("王芳"), mask_name("欧阳明")
    ('王*', '欧**')
    """
    _one(value, "mask_name", "联系人")
    if _blank(value):
        return ""
    text = str(value).strip()
    return text[0] + "*" * max(len(text) - 1, 1)


ADDRESS_HEAD = re.compile(r"^(.{2,3}?(?:省|自治区))?(.{2,4}?市)?(.{1,6}?(?:区|县|旗))?")


def mask_address(value):
    """Address: province, city and district kept; street, number and room starred (****).

    >>> mask_address("江苏省苏州市工业园区星湖街328号5栋")
    '江苏省苏州市工业园区****'
    >>> mask_address("上海市浦东新区张江路18号")
    '上海市浦东新区****'
    """
    _one(value, "mask_address", "地址")
    if _blank(value):
        return ""
    text = str(value).strip()
    head = ADDRESS_HEAD.match(text).group(0)
    return (head or text[:2]) + "****"


MASKS = {"电话": mask_phone, "身份证": mask_id, "姓名": mask_name, "地址": mask_address}


def mask_frame(df, columns):
    """A copy of `df` with personal data masked; `columns` maps column → kind
    (电话 / 身份证 / 姓名 / 地址). The original table is not changed.

    >>> t = pd.DataFrame({"联系人": ["王芳"], "手机": ["13812345678"]})
    >>> mask_frame(t, {"联系人": "姓名", "手机": "电话"}).values.tolist()
    [['王*', '138****5678']]
    """
    require_frame(df, "要脱敏的表")
    if not isinstance(columns, dict) or not columns:
        raise CRMError('要说明哪一列按哪种方式脱敏，写成字典，例如 {"联系人": "姓名", "电话": "电话"}。')
    require_columns(df, list(columns), "要脱敏的表")
    out = df.copy()
    for col, kind in columns.items():
        if kind not in MASKS:
            raise CRMError(f"不认识的脱敏类型「{kind}」。可用的类型：{'、'.join(MASKS)}。")
        out[col] = out[col].map(MASKS[kind])
    return out
