"""Hidden grading of p05's tasks (teacher only; runs in the clean grading process)."""

import crmlib as crm
from crmlib.grading.judge import same_items, same_number, same_series, same_text, task

PRODUCT, MONTHS = "空气炸锅", [10, 11]


@task("t1_test", "空气炸锅关键原因")
def t1(ans, data):
    c = data("p05_complaints")
    rows = c[(c["产品"] == PRODUCT) & c["受理时间"].dt.month.isin(MONTHS)]
    expected = crm.vital_few(crm.pareto_table(rows, "投诉类别"))
    return [
        same_items(
            ans["空气炸锅关键原因"],
            expected,
            "空气炸锅关键原因",
            hint="先同时按产品和月份（10 月、11 月）筛选，再按投诉类别计数、从多到少累计；越过 80% 的那一类也算。",
        )
    ]


@task("t2_test", "首响达标率")
def t2(ans, data):
    c = data("p05_complaints")
    first = c[c["受理时间"].dt.quarter == 1]
    expected = crm.sla_share(first, "受理时间", "首次响应时间", 4, by="渠道", calendar="working")["达标率"]
    return [
        same_series(
            ans["首响达标率"],
            expected,
            "首响达标率",
            hint="只取 1—3 月受理的投诉；按工作小时计时（工作日 9:00–18:00），时限 4 小时，不超过时限算达标。",
        )
    ]


@task("t3_test", "复购率差")
def t3(ans, data):
    c = data("p05_complaints")
    rows = c[c["严重程度"].isin(["较重", "严重"]) & c["解决时间"].notna() & c["90天内复购"].notna()]
    fast = crm.elapsed_hours(rows["受理时间"], rows["解决时间"], "working") <= 27
    buy = rows["90天内复购"] == "是"
    expected = float(buy[fast].mean() - buy[~fast].mean())
    return [
        same_number(
            ans["复购率差"], expected, "复购率差", hint="只留下解决时间和复购情况都已知的较重、严重投诉；快组减慢组。"
        )
    ]


@task("t4_test", "处理顺序")
def t4(ans, data):
    value = ans["处理顺序"]
    if isinstance(value, str):
        value = value.strip().upper().replace(" ", "").replace(",", "").replace("，", "")
    return [same_text(value, "CEFADB", "处理顺序", hint="倾听、道歉、询问、记录、解决、礼貌结束。")]


@task("t5_test", "应对方法")
def t5(ans, data):
    value = ans["应对方法"]
    if isinstance(value, str):
        value = value.strip().upper().replace(" ", "").replace(",", "").replace("，", "")
    return [same_text(value, "CEBDAF", "应对方法", hint="按六类客户的性格特点逐一对照。")]
