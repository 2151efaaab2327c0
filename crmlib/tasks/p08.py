"""Visible checks of p08's data tasks: shape, range and the named mistakes; never the right value."""

from ..course.checks import fail, type_name
from ..course.datasets import load_dataset
from ..course.visible import answered, frame, not_mistaken, number
from ..topics.online_service import first_response, reply_problems

SALE_DAY = "2025-09-20"
WEEK = ("2025-09-21", "2025-09-28")  # [start, end)
INTENTS = ["品质", "价格", "发票包装", "退换货", "物流"]


def _day(frame_, column):
    return frame_[frame_[column].dt.normalize() == SALE_DAY]


def _evening(frame_, column):
    """Rows whose `column` falls in the evening shift (18:00–23:59)."""
    return frame_[frame_[column].dt.hour >= 18]


def t1(value):
    """店庆日晚班 (first customer message 2025-09-20 18:00–23:59): 60 秒目标内占比 (0–1)."""
    value = number(
        value, "店庆日晚班达标率", minimum=0, maximum=1, hint="达标率是 0～1 之间的小数（例如 0.45），不要乘以 100。"
    )
    msgs = load_dataset("p08_messages")
    fr = first_response(msgs)
    whole_day = _day(fr, "客户首条消息")
    day = _evening(whole_day, "客户首条消息")
    answered_only = (day["首响秒数"] <= 60).sum() / day["首响秒数"].notna().sum()
    # the bot counted as a reply: first non-customer message after the customer's first one
    others = msgs[msgs["发言方"] != "客户"].join(fr["客户首条消息"], on="会话编号")
    others = others[others["时间"] >= others["客户首条消息"]]
    first_any = others.groupby("会话编号")["时间"].min().reindex(day.index)
    with_bot = float(((first_any - day["客户首条消息"]).dt.total_seconds() <= 60).mean())
    hit = day["首响秒数"] <= 60
    hourly_mean = float(hit.groupby(day["客户首条消息"].dt.hour).mean().mean())
    not_mistaken(
        value,
        {
            "把机器人的自动回复也算成了回复（机器人总在 1 秒内回复）": with_bot,
            "只用已经得到人工回复的会话作分母，丢掉了没有等到回复的会话": answered_only,
            "用了店庆日全天的会话，而不是晚班 18—24 点": float((whole_day["首响秒数"] <= 60).mean()),
            "把每个小时的占比直接平均了（各小时会话数不同，应该用达标会话数 ÷ 会话数）": hourly_mean,
            "用了全月晚班的会话，而不是店庆日当天": float((_evening(fr, "客户首条消息")["首响秒数"] <= 60).mean()),
        },
        "店庆日晚班达标率",
    )


def t2(value):
    """店庆后一周（9/21–9/27）退换货类提问占全部提问的比例 (messages, 问候 and blanks left out)."""
    value = number(
        value, "店庆后退换货占比", minimum=0, maximum=1, hint="占比是 0～1 之间的小数（例如 0.25），不要乘以 100。"
    )
    msgs = load_dataset("p08_messages")
    cust = msgs[msgs["发言方"] == "客户"]

    def week(f, end=WEEK[1]):
        return f[(f["时间"] >= WEEK[0]) & (f["时间"] < end)]

    def asks(f):
        return f[f["意图"].notna() & (f["意图"] != "问候")]

    w = week(cust)
    qs = asks(w)
    returns = qs["意图"] == "退换货"
    not_mistaken(
        value,
        {
            "把“问候”也算进了分母（问候不是问题）": float((w["意图"].dropna() == "退换货").mean()),
            "把没有意图的消息和问候都算进了分母": float((w["意图"] == "退换货").mean()),
            "用了全月的提问，而不是 9 月 21 日至 27 日这一周": float((asks(cust)["意图"] == "退换货").mean()),
            "用了店庆日当天，而不是店庆后的一周": float((asks(_day(cust, "时间"))["意图"] == "退换货").mean()),
            "把 9 月 28 日也算进来了（这一周是 21 日至 27 日，含两端）": float(
                (asks(week(cust, "2025-09-29"))["意图"] == "退换货").mean()
            ),
            "数的是会话，不是消息条数": qs.loc[returns, "会话编号"].nunique() / qs["会话编号"].nunique(),
        },
        "店庆后退换货占比",
    )


def t3(value):
    """FAQ 表: 意图, 常见问题, 会话数, 标准答案 — one row per intent."""
    value = frame(
        value,
        "FAQ表",
        ["意图", "常见问题", "会话数", "标准答案"],
        hint="列名要和题目一模一样：意图、常见问题、会话数、标准答案。",
    )
    if sorted(value["意图"].astype(str)) != sorted(INTENTS):
        fail(
            "「FAQ表」应该正好有 5 行，每类意图（品质、价格、发票包装、退换货、物流）一行。",
            "不要把“问候”和没有意图的消息算进去；每类意图只保留会话数最多的一行。",
        )
    for _, row in value.iterrows():
        number(row["会话数"], f"{row['意图']} 的会话数", minimum=1, integer=True)
        text = row["标准答案"]
        if not isinstance(text, str) or not text.strip():
            fail(f"「{row['意图']}」还没有写标准答案。", "在“标准答案”一列写一句你自己的回答。")
        broken = reply_problems(text, {"客户消息": str(row["常见问题"]), "意图": row["意图"]})
        if broken:
            fail(
                f"「{row['意图']}」的标准答案没有通过回复检查：{'、'.join(broken)}。",
                '用 crm.reply_check(标准答案, {"客户消息": 常见问题, "意图": 意图}) 看具体建议，改到没有 ×。',
            )
    msgs = load_dataset("p08_messages")
    asks = msgs[(msgs["发言方"] == "客户") & msgs["意图"].notna() & (msgs["意图"] != "问候")]
    by_message = asks.groupby(["意图", "内容"]).size()
    by_session = asks.groupby(["意图", "内容"])["会话编号"].nunique()
    got = [(str(r["意图"]), str(r["常见问题"]), r["会话数"]) for _, r in value.iterrows()]
    if all((i, q) in by_message.index and n == by_message[(i, q)] for i, q, n in got) and any(
        by_message[(i, q)] != by_session[(i, q)] for i, q, _ in got
    ):
        not_mistaken(1, {"数的是消息条数，不是会话数（同一会话里连发两次的话被算了两次）": 1}, "FAQ表")


def t4(value):
    """店庆日违反禁用语规则的人工回复的消息编号."""
    msgs = load_dataset("p08_messages")
    from ..course.visible import id_list

    items = id_list(
        value,
        "店庆日禁用语回复",
        set(msgs["消息编号"]),
        what="消息编号",
        hint="列表里应该是消息编号（如 M00001），不是回复内容或行号。",
    )
    if not items:
        fail("「店庆日禁用语回复」是空列表。", "检查日期和“禁用语”两个筛选条件。")
    chosen = msgs[msgs["消息编号"].isin(items)]
    if (chosen["发言方"] != "客服").any():
        fail("「店庆日禁用语回复」里有不是人工客服发出的消息（客户或机器人的消息）。", "只检查发言方是“客服”的消息。")
    if (chosen["时间"].dt.normalize() != SALE_DAY).any():
        not_mistaken(1, {"用了全月的回复，而不是店庆日当天（9 月 20 日）": 1}, "店庆日禁用语回复")
    polite = chosen["内容"].str.contains("不知道您|不知道是否|不知道方便")
    if polite.any():
        for text in chosen[polite]["内容"]:
            if not reply_problems(text, {"首条回复": False}) or "禁用语" not in reply_problems(
                text, {"首条回复": False}
            ):
                not_mistaken(
                    1, {"直接在文字里搜词，把“不知道您方便……”这样的客气话也算成了禁用语": 1}, "店庆日禁用语回复"
                )


def t5(value):
    """四个情境的工具选择：4 个字母 A–D."""
    answered(value, "工具选择")
    if not isinstance(value, str):
        fail(f'「工具选择」应该是一个字符串，例如 "ABCD"，现在是{type_name(value)}。', "把四个字母连起来，放在引号里。")
    letters = value.strip().upper()
    if len(letters) != 4 or any(ch not in "ABCD" for ch in letters):
        fail(
            f"「工具选择」应该是 4 个字母（每个是 A、B、C、D 之一），现在是「{value}」。",
            '按情境 1～4 的顺序，每个情境写一个字母，例如 "DCBA"。',
        )
    if len(set(letters)) == 1:
        not_mistaken(
            1,
            {
                f"四个情境都选了同一种工具（{letters[0]}）——每种工具都有适合和不适合的场合，"
                "想一想哪件事需要书面记录、哪件事的答案对每个人都一样": 1
            },
            "工具选择",
        )
