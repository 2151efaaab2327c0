"""Every figure or named fact the p03 notebook states about its data, with the code that checks it."""

from functools import lru_cache

import crmlib as crm
from crmlib.course.facts import fact, once
from crmlib.topics.credit import DEFAULT_WEIGHTS


@once
def _clean(data):
    return crm.clean_customers(data("p03_customers_raw"))


def _credit(data, weights=None):
    scores, net = crm.prepare_credit_data(data("p03_credit_survey"), data("p03_statements"))
    return crm.credit_table(scores, net, weights)


@lru_cache(maxsize=4)
def _year_end(data):
    return crm.ageing(data("p03_invoices"), data("p03_payments"), "2025-12-31")


@fact("客户编号有的写成了全角字符（如“Ｃ０２７７”），有的是小写加空格")
def fullwidth_codes(data):
    codes = data("p03_customers_raw")["客户编号"].dropna().astype(str)
    return bool("Ｃ０２７７" in set(codes) and codes.str.match(r"\s*c\d{4}").any())


@fact("还有五位数的数字（那是 Excel 的日期序号）")
def excel_dates(data):
    return bool(data("p03_customers_raw")["建档日期"].dropna().astype(str).str.fullmatch(r"\d{5}").any())


@fact("电话有的带 +86，有的中间有空格，\n有的固定电话没写区号")
def phone_forms(data):
    phones = data("p03_customers_raw")["联系电话"].dropna().astype(str)
    return bool(
        (
            phones.str.startswith("+86").any()
            and phones.str.contains(" ").any()
            and phones.str.fullmatch(r"[2-9]\d{6,7}").any()
        )
    )


@fact("486 行原始资料合并成了 300 家客户")
def merged(data):
    return bool(len(data("p03_customers_raw")) == 486 and len(_clean(data).customers) == 300)


@fact("其中 12 行与前面某一行完全相同")
def repeats(data):
    return bool(int(data("p03_customers_raw").duplicated().sum()) == 12)


@fact("仍有 15 行找不到或拿不准")
def to_confirm(data):
    return bool(int(_clean(data).review["原因"].str.contains("待确认").sum()) == 15)


@fact("主档里有 3 对名称几乎一样的客户，相似度都是 1.0")
def look_alikes(data):
    pairs = crm.near_duplicates(_clean(data).customers["客户名称"])
    return bool(len(pairs) == 3 and (pairs["相似度"] == 1.0).all())


@fact("销售表格里那行“永拓汽车配件(无锡)有限公司”")
def ambiguous_row(data):
    review = _clean(data).review
    row = review[review["原值"] == "永拓汽车配件(无锡)有限公司"]
    return bool(len(row) == 1 and "同时对得上" in row["原因"].iloc[0])


@fact("旧 ERP 里是苏州的总部，进销存里登记的是它在上海的仓库")
def two_sites(data):
    raw = data("p03_customers_raw")
    rows = raw[raw["客户编号"].astype(str).str.contains("C0038")]
    return bool(set(zip(rows["来源"], rows["城市"])) == {("旧ERP", "苏州"), ("旧进销存", "上海")})


@fact("40 家客户里有一家（C0038）只交了 2023 年的报表")
def missing_statement(data):
    st = data("p03_statements")
    years = st.groupby("客户编号")["年度"].apply(set)
    return bool(len(years) == 40 and years[years.map(len) < 2].index.tolist() == ["C0038"] and years["C0038"] == {2023})


@fact("2024 年营业收入排第二的 C0108，资产负债率超过 60%，信用等级只有 B")
def big_not_good(data):
    st = data("p03_statements")
    s24 = st[st["年度"] == 2024].sort_values("营业收入", ascending=False)
    ratio = crm.financial_ratios(s24).set_index("客户编号").loc["C0108", "资产负债率"]
    return bool(s24["客户编号"].iloc[1] == "C0108" and ratio > 0.6 and _credit(data).loc["C0108", "等级"] == "B")


@fact("控件默认显示的 C0230 在默认权重下是 B 级。把“品格”的滑块拉到 40，C0230 就从 B 级升到 A 级")
def weight_flip(data):
    before = _credit(data).loc["C0230", "等级"]
    after = _credit(data, dict(DEFAULT_WEIGHTS, 品格=0.40)).loc["C0230", "等级"]
    return bool(before == "B" and after == "A")


@fact("它年末却有 10 万多元逾期")
def c0230_overdue(data):
    return bool(100_000 < _year_end(data).by_customer.loc["C0230", "逾期金额"] < 200_000)


@fact("它从苏南区和上海区两个销售区域开票")
def c0038_regions(data):
    inv = data("p03_invoices")
    return bool(set(inv.loc[inv["客户编号"] == "C0038", "销售区域"]) == {"苏南区", "上海区"})


@fact("合在一起看，它的信用等级是 C（按政策应该款到发货），却仍然有赊销欠款")
def c0038_grade(data):
    return bool(_credit(data).loc["C0038", "等级"] == "C" and _year_end(data).by_customer.loc["C0038", "合计"] > 0)


@fact("40 家赊销客户中，A 级最多（17 家），C 级有 5 家")
def grades(data):
    counts = _credit(data)["等级"].value_counts()
    return bool(len(_credit(data)) == 40 and counts.idxmax() == "A" and counts["A"] == 17 and counts["C"] == 5)


def _over_limit(data):
    table = _credit(data).join(_year_end(data).by_customer[["合计"]]).fillna({"合计": 0.0})
    return table[table["合计"] > table["建议额度"]]


@fact("有 13 家客户的年末欠款超过了建议额度，其中 5 家 C 级客户按政策本应款到发货，\n却都还有赊销欠款")
def over_limit(data):
    over = _over_limit(data)
    return bool(len(over) == 13 and (over["等级"] == "C").sum() == 5)


@fact("另有 8 家 B 级及以上的客户欠款超过建议额度")
def over_limit_rest(data):
    return bool(int((_over_limit(data)["等级"] != "C").sum()) == 8)


@fact("逾期占比约为 20.6%，按账龄计提坏账准备约 17.1 万元")
def year_end_figures(data):
    detail = _year_end(data).detail
    share = crm.overdue_share(detail)
    provision = crm.bad_debt_provision(detail).loc["合计", "坏账准备"]
    return bool(round(share, 3) == 0.206 and round(provision / 1e4, 1) == 17.1)


@fact("逾期金额最多的是 C0112，\n它的信用等级是 C")
def worst(data):
    return bool(
        _year_end(data).by_customer["逾期金额"].idxmax() == "C0112" and _credit(data).loc["C0112", "等级"] == "C"
    )


@fact("但 C0112 和 C0100 两家的欠款一路往后滑，到年末已经落进“91-180天”和“180天以上”")
def sliding(data):
    by = _year_end(data).by_customer
    late = by.loc[["C0112", "C0100"], ["91-180天", "180天以上"]].sum(axis=1)
    return bool((late > 0).all() and by.loc["C0100", "180天以上"] > 0)


@fact("发票 FP2500698 被客户付了两次")
def paid_twice(data):
    pay = data("p03_payments")
    return bool(
        (pay["发票号"] == "FP2500698").sum() == 2
        and _year_end(data).detail.set_index("发票号").loc["FP2500698", "账龄"] == "多收待退"
    )


@fact("一笔 7,090.85 元的收款记到了账上不存在的发票号 FP5200783 上")
def mistyped(data):
    pay, inv = data("p03_payments"), data("p03_invoices")
    row = pay[pay["发票号"] == "FP5200783"]
    return bool(len(row) == 1 and row["金额"].iloc[0] == 7090.85 and "FP5200783" not in set(inv["发票号"]))


@fact("很可能是 C0089 的发票 FP2500783 写错了号——正因为这笔钱没有核销，C0089 的那张发票才显示为逾期 91～180 天")
def mistyped_effect(data):
    inv = data("p03_invoices").set_index("发票号")
    detail = _year_end(data).detail.set_index("发票号")
    return bool(
        (
            inv.loc["FP2500783", "客户编号"] == "C0089"
            and detail.loc["FP2500783", "账龄"] == "91-180天"
            and abs(detail.loc["FP2500783", "未收金额"] - 7090.85) < 0.01
        )
    )


@fact("三份名单共 486 行，合并为 300 家客户；复核清单中 15 行待确认")
def summary_counts(data):
    return bool(merged(data) and to_confirm(data))


@fact("年末逾期占比约 20.6%，应计提坏账准备约 17.1 万元；C0112 逾期最多")
def summary_ageing(data):
    return bool(year_end_figures(data) and worst(data))


@fact("3 月以后开出的发票几乎都没有付款")
def stopped_paying(data):
    inv, pay = data("p03_invoices"), data("p03_payments")
    late = inv[inv["客户编号"].isin(["C0112", "C0100"]) & (inv["开票日期"] >= "2025-03-01") & (inv["金额"] > 0)]
    return bool(len(late) > 5 and pay["发票号"].isin(late["发票号"]).mean() < 0.1)


@fact("欠款超额的 AA、A 级客户年末都没有逾期")
def over_limit_good_payers(data):
    over = _credit(data).join(_year_end(data).by_customer[["合计", "逾期金额"]]).fillna(0.0)
    over = over[over["合计"] > over["建议额度"]]
    return bool(
        len(over[over["等级"].isin(["AA", "A"])]) > 0
        and (over.loc[over["等级"].isin(["AA", "A"]), "逾期金额"] == 0).all()
    )


@fact("超额的 B 级客户里有 4 家带着逾期")
def over_limit_b_overdue(data):
    over = _credit(data).join(_year_end(data).by_customer[["合计", "逾期金额"]]).fillna(0.0)
    over = over[(over["合计"] > over["建议额度"]) & (over["等级"] == "B")]
    return bool(int((over["逾期金额"] > 0).sum()) == 4)


# --- the teacher's model answer on C0038 (written task) ---


@fact("2014 年 1 月建档")
def c0038_since(data):
    return bool(_clean(data).customers.set_index("客户编号").loc["C0038", "建档日期"].strftime("%Y-%m") == "2014-01")


@fact("2023 年流动比率 1.10、速动比率 0.70")
def c0038_liquidity(data):
    r = crm.financial_ratios(data("p03_statements")).set_index(["客户编号", "年度"]).loc[("C0038", 2023)]
    return bool(round(r["流动比率"], 2) == 1.10 and round(r["速动比率"], 2) == 0.70)


@fact("资产负债率 62.6%")
def c0038_debt(data):
    r = crm.financial_ratios(data("p03_statements")).set_index(["客户编号", "年度"]).loc[("C0038", 2023)]
    return bool(round(r["资产负债率"], 3) == 0.626)


@fact("应收账款周转天数约 102 天")
def c0038_dso(data):
    r = crm.financial_ratios(data("p03_statements")).set_index(["客户编号", "年度"]).loc[("C0038", 2023)]
    return bool(round(r["应收账款周转天数"]) == 102)


@fact("按默认权重加权得分 53.45，是 40 家客户中最低的")
def c0038_lowest(data):
    t = _credit(data)
    return bool(len(t) == 40 and t["得分"].idxmin() == "C0038" and round(t.loc["C0038", "得分"], 2) == 53.45)


@fact("六项评分都在 60 分以下")
def c0038_all_low(data):
    sv = data("p03_credit_survey").set_index("客户编号")
    return bool((sv.loc["C0038", list(DEFAULT_WEIGHTS)] < 60).all())


@fact("品格 56、能力 53")
def c0038_char_cap(data):
    row = data("p03_credit_survey").set_index("客户编号").loc["C0038"]
    return bool(row["品格"] == 56 and row["能力"] == 53)


@fact("抵押 43 分最低")
def c0038_collateral(data):
    row = data("p03_credit_survey").set_index("客户编号").loc["C0038", list(DEFAULT_WEIGHTS)]
    return bool(row["抵押"] == 43 and row.idxmin() == "抵押")


@fact("连续性只有 47 分，是 40 家中最低的")
def c0038_continuity(data):
    sv = data("p03_credit_survey").set_index("客户编号")["连续性"]
    return bool(sv["C0038"] == 47 and sv.min() == 47 and len(sv) == 40)


@fact("各开票 8 张，合计约 36.9 万元，其中苏南区约 24.9 万元、上海区约 11.9 万元")
def c0038_invoices(data):
    inv = data("p03_invoices")
    by = inv[inv["客户编号"] == "C0038"].groupby("销售区域")["金额"].agg(["size", "sum"])
    return bool(
        (by["size"] == 8).all()
        and round(by["sum"].sum() / 1e4, 1) == 36.9
        and round(by.loc["苏南区", "sum"] / 1e4, 1) == 24.9
        and round(by.loc["上海区", "sum"] / 1e4, 1) == 11.9
    )


@fact("年末欠款约 2.9 万元，其中逾期约 1.1 万元")
def c0038_open(data):
    row = _year_end(data).by_customer.loc["C0038"]
    return bool(round(row["合计"] / 1e4, 1) == 2.9 and round(row["逾期金额"] / 1e4, 1) == 1.1)
