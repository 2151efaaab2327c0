"""Hidden grading of p08's data tasks (teacher only; runs in the clean grading process)."""

import crmlib as crm
from crmlib.grading.judge import Result, decode, same_frame, same_items, same_number, task

SALE_DAY = "2025-09-20"
INTENTS = ["品质", "价格", "发票包装", "退换货", "物流"]


def _questions(msgs):
    return msgs[(msgs["发言方"] == "客户") & msgs["意图"].notna() & (msgs["意图"] != "问候")]


@task("t1_test", "店庆日晚班达标率")
def t1(ans, data):
    fr = crm.first_response(data("p08_messages"))
    day = fr[fr["客户首条消息"].dt.normalize() == SALE_DAY]
    evening = day[day["客户首条消息"].dt.hour >= 18]
    expected = crm.within_target(evening, 60)
    return [
        same_number(
            ans["店庆日晚班达标率"],
            expected,
            "店庆日晚班达标率",
            hint="机器人的消息不算回复；分母是店庆日 18—24 点进线的全部会话，包括没有等到人工回复的；"
            "不要把每小时的占比直接平均。",
        )
    ]


@task("t2_test", "店庆后退换货占比")
def t2(ans, data):
    asks = _questions(data("p08_messages"))
    week = asks[(asks["时间"] >= "2025-09-21") & (asks["时间"] < "2025-09-28")]
    expected = (week["意图"] == "退换货").mean()
    return [
        same_number(
            ans["店庆后退换货占比"],
            expected,
            "店庆后退换货占比",
            hint="只看 9 月 21—27 日客户的消息，去掉问候和没有意图的消息，按条数算退换货类占多少。",
        )
    ]


@task("t3_test", "FAQ表")
def t3(ans, data):
    asks = _questions(data("p08_messages"))
    counts = asks.groupby(["意图", "内容"])["会话编号"].nunique().rename("会话数").reset_index()
    top = (
        counts.sort_values(["会话数", "内容"], ascending=[False, True])
        .drop_duplicates("意图")
        .rename(columns={"内容": "常见问题"})
    )
    table = same_frame(
        ans["FAQ表"],
        top[["意图", "常见问题", "会话数"]],
        "FAQ表",
        columns=["常见问题", "会话数"],
        keys=["意图"],
        weight=2,
        hint="每类意图取被最多“不同会话”问到的那句话；同一会话里连发两次只算一次。",
    )
    value = decode(ans["FAQ表"])
    good = False
    if hasattr(value, "columns") and {"意图", "常见问题", "标准答案"} <= set(value.columns) and len(value) == 5:
        good = all(
            isinstance(r["标准答案"], str)
            and r["标准答案"].strip()
            and r["意图"] in INTENTS
            and not crm.reply_problems(r["标准答案"], {"客户消息": str(r["常见问题"]), "意图": r["意图"]})
            for _, r in value.iterrows()
        )
    answers = (
        Result(True, "", 1.0)
        if good
        else Result(
            False,
            "「FAQ表」的标准答案没有全部通过回复检查（或不足 5 条）。提示：用 crm.reply_check 逐条检查，改到没有 ×。",
            1.0,
        )
    )
    return [table, answers]


@task("t4_test", "店庆日禁用语回复")
def t4(ans, data):
    checked = crm.check_replies(data("p08_messages"))
    expected = checked[(checked["时间"].dt.normalize() == SALE_DAY) & checked["禁用语"]]["消息编号"].tolist()
    return [
        same_items(
            ans["店庆日禁用语回复"],
            expected,
            "店庆日禁用语回复",
            hint="用回复检查器的“禁用语”规则，只看 9 月 20 日人工客服的回复。",
        )
    ]


@task("t5_test", "工具选择")
def t5(ans, data):
    value = ans["工具选择"]
    text = value.strip().upper() if isinstance(value, str) else ""
    key = "ABDC"
    hints = [
        "情境1：答案对每个人都一样、被问得最多。",
        "情境2：要附件、要书面记录。",
        "情境3：客户正在犹豫、马上要决定。",
        "情境4：希望大家公开交流、互相看到。",
    ]
    out = []
    for i, (want, hint) in enumerate(zip(key, hints)):
        ok = len(text) == 4 and text[i] == want
        out.append(
            Result(True, "", 1.0) if ok else Result(False, f"「工具选择」第 {i + 1} 个情境选得不对。提示：{hint}", 1.0)
        )
    return out
