"""回复检查器: choose a customer message from the chat data, type a reply, see which
language norms it keeps and how to word it better (``crm.reply_check``).

>>> html = reply_checker_view("会起球吗？", "不知道", intent="品质")
>>> "禁用语" in html and "×" in html
True
"""

from html import escape

from ..course.errors import CRMError, require_columns
from ..course.fonts import PALETTE
from ..course.ui import show
from ..topics.online_service import reply_rows

COLORS = {"√": PALETTE[2], "×": PALETTE[3], "△": PALETTE[1], "—": "#999"}
EXAMPLE_REPLY = "不知道，你自己看详情页"


def sample_messages(messages, per_intent=2):
    """Customer questions to practise on: frequent texts of each intent (plus greetings), most asked first.

    For the five question intents the single most asked text is left out on purpose: finding it (and its
    session count) is the FAQ task of the notebook, and the dropdown must not print that answer.
    Returns a list of (label, text, intent), labels like "[品质] 洗了会不会掉色？（25 个会话里出现）".
    """
    require_columns(messages, ["发言方", "内容", "意图", "会话编号"], "聊天记录")
    asks = messages[(messages["发言方"] == "客户") & messages["意图"].notna()]
    if asks.empty:
        raise CRMError("聊天记录里没有带意图的客户消息，无法挑选练习的问题。")
    counts = asks.groupby(["意图", "内容"])["会话编号"].nunique().rename("会话数").reset_index()
    out = []
    for intent, grp in counts.groupby("意图", sort=False):
        ranked = grp.sort_values(["会话数", "内容"], ascending=[False, True])
        if intent != "问候":
            ranked = ranked.iloc[1:]  # the top one is the FAQ task's answer, however many are asked for
        for _, row in ranked.head(per_intent).iterrows():
            out.append((f"[{intent}] {row['内容']}（{row['会话数']} 个会话里出现）", row["内容"], intent))
    order = ["品质", "价格", "发票包装", "退换货", "物流", "问候"]
    # stable sort by intent only: within an intent the most asked message stays first
    return sorted(out, key=lambda x: order.index(x[2]) if x[2] in order else 99)


def reply_checker_view(customer_message, reply, intent=None, first=True):
    """HTML: the customer's message, the reply and one row per rule (mark + advice)."""
    if not str(reply or "").strip():
        table = "<p style='color:#666'>在上面的框里写下你的回复，检查结果会出现在这里。</p>"
        marks = None
    else:
        result = reply_rows(reply, {"客户消息": customer_message, "意图": intent, "首条回复": first})
        marks = [mark for _, mark, _ in result]
        rows = "".join(
            f"<tr><td style='padding:3px 8px;white-space:nowrap'>{escape(rule)}</td>"
            f"<td style='padding:3px 8px;color:{COLORS[mark]};font-weight:bold;text-align:center'>{mark}</td>"
            f"<td style='padding:3px 8px'>{escape(note)}</td></tr>"
            for rule, mark, note in result
        )
        table = (
            "<table style='border-collapse:collapse;margin-top:6px'><tr>"
            "<th style='padding:3px 8px;border-bottom:1px solid #999;white-space:nowrap'>规则</th>"
            "<th style='padding:3px 8px;border-bottom:1px solid #999;white-space:nowrap'>结果</th>"
            "<th style='padding:3px 8px;border-bottom:1px solid #999;text-align:left'>说明与改进建议</th></tr>"
            f"{rows}</table>"
        )
    bubble = (
        "<div style='display:inline-block;max-width:560px;padding:6px 10px;border-radius:8px;"
        "margin:3px 0;background:{bg}'><b>{who}</b>：{text}</div>"
    )
    head = bubble.format(bg="#f0f0f0", who="客户", text=escape(str(customer_message)))
    if str(reply or "").strip():
        head += "<br>" + bubble.format(bg="#e3eefb", who="你的回复", text=escape(str(reply)))
    summary = ""
    if marks is not None:
        applicable = len(marks) - marks.count("—")
        summary = (
            f"<p style='margin:6px 0 0'>适用的 {applicable} 条规则里做到了 {marks.count('√')} 条"
            f"（× {marks.count('×')} 条，△ {marks.count('△')} 条）。"
            "规则只能查字面，最后还要自己读一遍：语气是否真诚、答案是否准确。</p>"
        )
    return f"<div>{head}{table}{summary}</div>"


def build_reply_checker(messages, per_intent=2):
    """The widget (a VBox: message choice, text box, first-reply switch, HTML output), not yet displayed."""
    import ipywidgets as w

    choices = sample_messages(messages, per_intent)
    _, first_text, first_intent = choices[0]
    pick = w.Dropdown(
        options=[(label, i) for i, (label, _, _) in enumerate(choices)],
        value=0,
        description="客户消息",
        layout=w.Layout(width="640px"),
    )
    box = w.Textarea(
        value="",
        placeholder="在这里写你的回复，例如：您好，……",
        layout=w.Layout(width="640px", height="70px"),
        continuous_update=True,
    )
    opening = w.Checkbox(
        value=True, description="这是会话里的第一句回复（要求问候）", indent=False, layout=w.Layout(width="640px")
    )
    out = w.HTML(reply_checker_view(first_text, "", first_intent))

    def update(_=None):
        _, text, intent = choices[pick.value]
        out.value = reply_checker_view(text, box.value, intent, opening.value)

    for control in (pick, box, opening):
        control.observe(update, "value")
    return w.VBox([pick, box, opening, out])


def reply_checker(messages, per_intent=2):
    """Interactive: pick a customer message, type a reply, get feedback as you type (static example under grading)."""
    _, text, intent = sample_messages(messages, per_intent)[0]
    show(build_reply_checker(messages, per_intent), reply_checker_view(text, EXAMPLE_REPLY, intent))


def BENCH():
    """Benchmark hook: one keystroke = one reply_checker_view call on a realistic reply."""
    import itertools

    replies = itertools.cycle(
        [
            "不知道",
            "您好，这款是 100% 纯棉面料，有检测报告，我把洗涤说明发给您。",
            "你好，亲，保证不掉色，你放心买",
            "您好～现在满 199 减 30，我帮您算一下最划算的组合？",
        ]
    )

    def update():
        return reply_checker_view("洗了会不会掉色？", next(replies), "品质")

    return update
