"""crmlib.topics.customer_data: hand-computed cleaning, matching and masking cases; nothing silently dropped."""

import pandas as pd
import pytest

import crmlib as crm
from crmlib.course.errors import CRMError
from crmlib.topics import customer_data as cd


@pytest.mark.parametrize(
    "raw, city, want",
    [
        ("13812345678", None, "13812345678"),
        ("+86 138 1234 5678", None, "13812345678"),
        ("+86-13812345678", None, "13812345678"),
        ("0086 13812345678", None, "13812345678"),
        ("138.1234.5678", None, "13812345678"),
        ("１３８１２３４５６７８", None, "13812345678"),
        ("010-62345678", None, "010-62345678"),
        ("(021)6456789", None, "021-6456789"),  # 7-digit number after a 3-digit code
        ("0512 6812 3456", None, "0512-68123456"),
        ("0512-68123456转803", None, "0512-68123456-803"),
        ("0512-68123456-803", None, "0512-68123456-803"),
        ("68123456", "苏州", "0512-68123456"),
        ("6812345", "北京", "010-6812345"),
    ],
)
def test_clean_phone_cleans(raw, city, want):
    assert cd.clean_phone(raw, city) == (want, "")


@pytest.mark.parametrize(
    "raw, city, reason",
    [
        ("", None, "电话为空"),
        (None, None, "电话为空"),
        ("68123456", None, "固定电话缺少区号"),
        ("68123456", "火星", "固定电话缺少区号"),
        ("1381234567", None, "位数不对"),
        ("12812345678", None, "第二位不对"),
        ("0512-681234", None, "区号 0512 后面有 6 位"),
        ("请打总机", None, "数字以外的文字"),
    ],
)
def test_clean_phone_returns_original_with_reason(raw, city, reason):
    phone, why = cd.clean_phone(raw, city)
    assert reason in why
    assert phone == ("" if raw is None else raw)  # the original text comes back, never a guess


@pytest.mark.parametrize(
    "raw, want",
    [
        ("2021-03-05", "2021-03-05"),
        ("2021/3/5", "2021-03-05"),
        ("2021.3.5", "2021-03-05"),
        ("20210305", "2021-03-05"),
        ("2021年3月5日", "2021-03-05"),
        ("44260", "2021-03-05"),
        (44260, "2021-03-05"),
        ("２０２１－０３－０５", "2021-03-05"),
        ("1990-01-01", "1990-01-01"),
    ],
)
def test_clean_date_formats(raw, want):
    assert cd.clean_date(raw) == (pd.Timestamp(want), "")


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("", "日期为空"),
        ("05/03/2021", "日月顺序不明确"),
        ("13/03/2021", "日月顺序不明确"),
        ("2021-02-30", "不存在的日期"),
        ("1989-12-31", "日期不合理"),
        ("2027-01-01", "日期不合理"),
        ("去年春天", "无法识别"),
    ],
)
def test_clean_date_review(raw, reason):
    stamp, why = cd.clean_date(raw)
    assert pd.isna(stamp) and reason in why


def test_codes_names_and_keys():
    assert cd.clean_code("Ｃ００１２") == ("C0012", "")
    assert cd.clean_code(" c0012 ") == ("C0012", "")
    assert cd.clean_code("C012")[0] == "" and "格式" in cd.clean_code("C012")[1]
    assert cd.to_halfwidth("ＡＢＣ　１２３") == "ABC 123"
    assert cd.clean_name("无锡 宏信(集团)有限公司") == "无锡宏信（集团）有限公司"
    keys = {
        cd.name_key(n)
        for n in [
            "苏州瑞达包装有限公司",
            "苏州瑞达包装有限责任公司",
            "瑞达包装(苏州)有限公司",
            "苏州市瑞达包装股份有限公司",
            "瑞达包装",
        ]
    }
    assert keys == {"瑞达包装"}
    assert cd.name_key("苏州瑞达包装制品有限公司") != "瑞达包装"


def test_near_duplicates_threshold_boundary():
    names = pd.Series(["苏州瑞达包装有限公司", "苏州瑞达包装制品有限公司"])  # keys 瑞达包装 / 瑞达包装制品: ratio 8/10
    assert len(crm.near_duplicates(names, threshold=0.8)) == 1
    assert len(crm.near_duplicates(names, threshold=0.81)) == 0
    assert crm.near_duplicates(pd.Series(["甲有限公司"])).empty
    with pytest.raises(CRMError, match="0～1"):
        crm.near_duplicates(names, threshold=1.5)


def _raw(rows):
    cols = ["来源", "客户编号", "客户名称", "联系人", "联系电话", "城市", "建档日期"]
    return pd.DataFrame(rows, columns=cols)


def test_clean_customers_hand_case():
    raw = _raw(
        [
            ["旧ERP", "C0001", "苏州瑞达包装有限公司", "王芳", "13812345678", "苏州", "2020-01-02"],
            ["旧ERP", "C0001", "苏州瑞达包装有限公司", "王芳", "13812345678", "苏州", "2020-01-02"],  # exact repeat
            ["旧进销存", "ｃ0001", "苏州瑞达包装有限责任公司", "李强", "0512 6812 3456", "无锡", "20191231"],
            [
                "旧ERP",
                "C0002",
                "无锡瑞达包装有限公司",
                "赵敏",
                "13900001111",
                "无锡",
                "2021/5/6",
            ],  # same key, other city
            [
                "销售表格",
                None,
                "瑞达包装",
                "孙丽",
                "+86 137 0000 2222",
                "苏州",
                "2022年1月1日",
            ],  # key fits two → phone none
            ["销售表格", None, "宏信电子", "钱多", "+86 139-0000-1111", "无锡", ""],  # phone → C0002
            ["销售表格", None, "新客户有限公司", "周凯", "12345", "上海", "05/03/2021"],
        ]
    )
    c = crm.clean_customers(raw)
    assert c.customers["客户编号"].tolist() == ["C0001", "C0002"]
    first = c.customers.set_index("客户编号").loc["C0001"]
    assert first["客户名称"] == "苏州瑞达包装有限公司" and first["城市"] == "苏州"
    assert first["建档日期"] == pd.Timestamp("2019-12-31") and first["来源数"] == 2
    assert set(c.contacts[c.contacts["客户编号"] == "C0002"]["联系人"]) == {"赵敏", "钱多"}
    why = c.review.groupby("原行号")["原因"].apply(" | ".join)
    assert "完全相同" in why[1]
    assert "城市" in why[2] and "无锡" in c.review.loc[c.review["原行号"] == 2, "原值"].tolist()
    assert "同时对得上 C0001、C0002" in why[4]
    assert "按电话匹配到 C0002" in why[5]
    assert "待确认" in why[6] and "位数不对" in why[6]


def test_clean_customers_fills_city_from_address():
    raw = _raw([["旧进销存", "C0003", "某某有限公司", "甲", "13812345678", None, "2020-01-01"]])
    raw["地址"] = ["浙江省杭州市余杭区科技路1号"]
    c = crm.clean_customers(raw)
    assert c.customers["城市"].tolist() == ["杭州"]
    assert "补为「杭州」" in c.review["原因"].iloc[0]


def test_nothing_is_silently_dropped_on_course_data():
    raw = crm.load_dataset("p03_customers_raw")
    c = crm.clean_customers(raw)
    dropped = set(c.review.loc[c.review["字段"] == "整行", "原行号"])
    codes = raw["客户编号"].map(lambda v: cd.clean_code(v)[0])
    # every row is either a repeat / a row for review, or carries a code that is in the master, or was matched
    matched = set(c.review.loc[c.review["原因"].str.contains("匹配到"), "原行号"])
    for i, code in codes.items():
        assert i in dropped or code in set(c.customers["客户编号"]) or i in matched, f"第 {i} 行不见了"
    assert c.customers["客户编号"].is_unique and c.customers["客户名称"].is_unique


def test_clean_customers_errors():
    with pytest.raises(CRMError, match="找不到列"):
        crm.clean_customers(pd.DataFrame({"客户名称": ["甲"]}))
    with pytest.raises(CRMError, match="不认识的来源"):
        crm.clean_customers(_raw([["CRM", "C0001", "甲", "乙", "13812345678", "苏州", "2020-01-01"]]))


@pytest.mark.parametrize(
    "func, raw, want",
    [
        (cd.mask_phone, "13812345678", "138****5678"),
        (cd.mask_phone, "0512-68123456", "0512-****3456"),
        (cd.mask_phone, "010-6234567", "010-****4567"),
        (cd.mask_phone, "0512-68123456-803", "0512-****3456"),
        (cd.mask_phone, "12345", "***45"),
        (cd.mask_phone, None, ""),
        (cd.mask_id, "320502198803151234", "3205**********1234"),
        (cd.mask_id, "32050219880315123x", "3205**********123X"),
        (cd.mask_id, "320502880315123", "***********5123"),
        (cd.mask_name, "王", "王*"),
        (cd.mask_name, "王芳", "王*"),
        (cd.mask_name, "欧阳明", "欧**"),
        (cd.mask_address, "江苏省苏州市工业园区星湖街328号5栋", "江苏省苏州市工业园区****"),
        (cd.mask_address, "上海市浦东新区张江路18号", "上海市浦东新区****"),
        (cd.mask_address, "安徽省合肥市经开区兴业路1号", "安徽省合肥市经开区****"),
        (cd.mask_address, "内蒙古自治区呼和浩特市新城区某路1号", "内蒙古自治区呼和浩特市新城区****"),
    ],
)
def test_masks(func, raw, want):
    assert func(raw) == want


def test_mask_frame_copies_and_checks():
    t = pd.DataFrame({"姓名": ["王芳"], "手机": ["13812345678"]})
    out = crm.mask_frame(t, {"姓名": "姓名", "手机": "电话"})
    assert out.values.tolist() == [["王*", "138****5678"]] and t["手机"].iloc[0] == "13812345678"
    with pytest.raises(CRMError, match="不认识的脱敏类型"):
        crm.mask_frame(t, {"姓名": "邮箱"})
