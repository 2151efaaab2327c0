"""Online customer service (网络客户服务): first response times and a rule-based reply checker.

Chat data is one row per message with at least the columns ``会话编号``,
``时间`` (datetime) and ``发言方`` (``客户`` / ``客服`` / ``机器人``).

**First response** (首次响应时间) of a session: seconds from the customer's
first message to the first message of a *human* agent (``客服``) at or after
it. Bot messages never count, however fast. A session whose customer never
got a human reply has ``状态`` ``未回复`` and no time (NaN), never 0.

**Share within target** (目标内占比): sessions answered within the target,
divided by *all* sessions in which the customer wrote (unanswered sessions
count as missing the target; leaving them out would flatter the team).

>>> t = pd.Timestamp("2025-09-01 20:00:00")
>>> msgs = pd.DataFrame({"会话编号": ["S1", "S1", "S1", "S2", "S2"],
...     "时间": [t, t + pd.Timedelta(seconds=1), t + pd.Timedelta(seconds=50), t, t + pd.Timedelta(seconds=2)],
...     "发言方": ["客户", "机器人", "客服", "客户", "机器人"]})
>>> fr = first_response(msgs)
>>> fr["首响秒数"].tolist(), fr["状态"].tolist()
([50.0, nan], ['已回复', '未回复'])
>>> within_target(fr, 60)
0.5

**Reply checker** (``reply_check``): seven small rules read from
``reply_rules.yaml`` next to this file (a teacher can edit it): 问候, 欢送,
称呼, 禁用语, 答题, 长度, 下一步. Each row of the result names the rule, a
mark (√ kept, × broken, △ worth improving, — not applicable) and a Chinese
sentence with a better wording. No word segmentation: words are looked up
as plain substrings, which is enough for these rules and is easy to explain.

>>> r = reply_check("不知道", "这个床单会掉色吗？")
>>> r.set_index("规则")["结果"].to_dict()
{'问候': '×', '欢送': '—', '称呼': '√', '禁用语': '×', '答题': '×', '长度': '×', '下一步': '△'}
>>> reply_problems("您好，这款是 100% 纯棉面料，第一次洗涤请用冷水，我把洗涤说明发给您。", "这个床单会掉色吗？")
[]
"""

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..course.errors import CRMError, require_columns, require_datetime, as_number
from ..course.paths import load_yaml

RULES_FILE = Path(__file__).with_name("reply_rules.yaml")
SPEAKERS = ("客户", "客服", "机器人")
RULES = ("问候", "欢送", "称呼", "禁用语", "答题", "长度", "下一步")
NA, OK, BAD, WARN = "—", "√", "×", "△"


# ---------------------------------------------------------------- first response


def first_response(messages):
    """Per session: the customer's first message, the first human reply and the seconds between.

    Returns a DataFrame indexed by ``会话编号`` with columns ``客户首条消息``,
    ``首次人工回复`` (NaT when none), ``首响秒数`` (float, NaN when none),
    ``状态`` (``已回复`` / ``未回复``) and, when the input has a ``客服`` column,
    ``回复客服`` (the agent who replied first). Sessions in which the customer
    never wrote are left out (there is nothing to respond to).

    >>> t = pd.Timestamp("2025-09-01 09:00")
    >>> m = pd.DataFrame({"会话编号": ["A", "A", "A", "A"], "发言方": ["客服", "客户", "客服", "客服"],
    ...                   "时间": [t, t + pd.Timedelta(seconds=5), t + pd.Timedelta(seconds=5), t + pd.Timedelta(seconds=9)]})
    >>> first_response(m)["首响秒数"].tolist()   # the agent's message before the customer's does not count; same second = 0
    [0.0]
    >>> first_response(m.assign(发言方="客户"))
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 聊天记录里没有一条「客服」（人工客服）的消息。请检查「发言方」一列：应该是 客户、客服、机器人 三种之一。
    """
    require_columns(messages, ["会话编号", "时间", "发言方"], "聊天记录")
    require_datetime(messages["时间"], "时间")
    speakers = set(messages["发言方"].dropna().unique())
    strange = speakers - set(SPEAKERS)
    if strange:
        raise CRMError(
            f"「发言方」里有无法识别的值：{'、'.join(map(str, sorted(strange)))}。"
            "只能是 客户、客服、机器人 三种；请先统一写法（例如把“人工”改成“客服”）。"
        )
    if "客户" not in speakers:
        raise CRMError("聊天记录里没有一条「客户」的消息，无法计算首次响应时间。请检查是不是筛错了行。")
    if "客服" not in speakers:
        raise CRMError(
            "聊天记录里没有一条「客服」（人工客服）的消息。请检查「发言方」一列：应该是 客户、客服、机器人 三种之一。"
        )
    m = messages
    start = m[m["发言方"] == "客户"].groupby("会话编号")["时间"].min().rename("客户首条消息")
    agents = m[m["发言方"] == "客服"].join(start, on="会话编号")
    agents = agents[agents["时间"] >= agents["客户首条消息"]].sort_values(["会话编号", "时间"], kind="stable")
    first = agents.drop_duplicates("会话编号").set_index("会话编号")
    out = start.to_frame()
    out["首次人工回复"] = first["时间"].reindex(out.index)
    out["首响秒数"] = (out["首次人工回复"] - out["客户首条消息"]).dt.total_seconds()
    out["状态"] = np.where(out["首次人工回复"].isna(), "未回复", "已回复")
    if "客服" in m.columns:
        out["回复客服"] = first["客服"].reindex(out.index)
    out.index.name = "会话编号"
    return out


def _target(target):
    return as_number(target, "目标秒数", minimum=1)


def within_target(first, target=60):
    """Share (0–1) of sessions answered by a human within `target` seconds (inclusive).

    The denominator is every session of `first` (the output of
    :func:`first_response`), answered or not.

    >>> fr = pd.DataFrame({"首响秒数": [30.0, 60.0, 61.0, np.nan]})
    >>> within_target(fr, 60)
    0.5
    """
    require_columns(first, ["首响秒数"], "首次响应表")
    target = _target(target)
    secs = first["首响秒数"]
    return float((secs <= target).sum() / len(secs))


def response_summary(first, target=60, by=None):
    """Counts and shares per group (or overall): 会话数, 已回复, 未回复, 目标内, 目标内占比, 首响中位数（秒）.

    `by` is a column of `first` or a Series aligned with it (e.g. the hour of
    the customer's first message); the median is over answered sessions only.

    >>> fr = pd.DataFrame({"首响秒数": [30.0, 90.0, np.nan], "班次": ["白", "白", "晚"]})
    >>> response_summary(fr, 60, by="班次")["目标内占比"].to_dict()
    {'晚': 0.0, '白': 0.5}
    """
    require_columns(first, ["首响秒数"], "首次响应表")
    target = _target(target)
    secs = first["首响秒数"]
    keys = first[by] if isinstance(by, str) else by
    if keys is None:
        keys = pd.Series("全部", index=first.index)
    frame = pd.DataFrame({"键": keys, "回复": secs.notna(), "目标内": secs <= target, "秒": secs})
    g = frame.groupby("键", sort=True)
    out = pd.DataFrame(
        {
            "会话数": g.size(),
            "已回复": g["回复"].sum(),
            "目标内": g["目标内"].sum(),
            "首响中位数（秒）": g["秒"].median(),
        }
    )
    out["未回复"] = out["会话数"] - out["已回复"]
    out["目标内占比"] = out["目标内"] / out["会话数"]
    out.index.name = by if isinstance(by, str) else getattr(by, "name", None)
    return out[["会话数", "已回复", "未回复", "目标内", "目标内占比", "首响中位数（秒）"]]


# ---------------------------------------------------------------- reply checker


@lru_cache(maxsize=4)
def _load_rules(path, mtime):
    with open(path, encoding="utf-8") as fh:
        rules = load_yaml(fh.read())
    missing = [r for r in RULES if r not in rules]
    if missing:
        raise CRMError(f"规则文件 {Path(path).name} 里缺少这几节：{'、'.join(missing)}。请对照原文件补上。")
    return rules


def load_rules(path=None):
    """The rules (a dict) from ``reply_rules.yaml`` or `path`; re-read when the file changes."""
    path = Path(path or RULES_FILE)
    if not path.exists():
        raise CRMError(f"找不到规则文件「{path}」。")
    try:
        return _load_rules(str(path), path.stat().st_mtime)
    except yaml.YAMLError as exc:
        raise CRMError(f"规则文件「{path.name}」的格式有误，请检查缩进和冒号：{exc}") from None


def _has_any(text, words):
    return any(w in text for w in words)


def guess_intent(text, rules=None):
    """The intent whose customer words occur most often in `text` ("" when none).

    >>> guess_intent("快递到哪了？单号发我一下"), guess_intent("在吗")
    ('物流', '')
    """
    rules = rules or load_rules()
    if not isinstance(text, str):
        raise CRMError(f"guess_intent 需要客户说的一句话（文字），收到的却是 {type(text).__name__}。")
    best, score = "", 0
    for intent, spec in rules["答题"].items():
        n = sum(text.count(w) for w in spec["客户词"])
        if n > score:
            best, score = intent, n
    return best


def _forbidden_hits(text, rules):
    hits = []
    for item in rules["禁用语"]:
        word, start = item["词"], 0
        while True:
            i = text.find(word, start)
            if i < 0:
                break
            if not any(text.startswith(ex, i) for ex in item.get("除外", [])):
                hits.append(item)
                break
            start = i + 1
    return hits


def _context(context, rules):
    """Normalise `context`: None, a customer message, or a dict (客户消息, 意图, 首条回复, 客服)."""
    if context is None:
        ctx = {}
    elif isinstance(context, str):
        ctx = {"客户消息": context}
    elif isinstance(context, dict):
        ctx = dict(context)
    else:
        raise CRMError(f"context 应该是客户的那句话（文字）或一个字典，收到的却是 {type(context).__name__}。")
    message = str(ctx.get("客户消息") or "")
    intent = ctx.get("意图")
    if intent is None or (isinstance(intent, float) and np.isnan(intent)):
        intent = guess_intent(message, rules) if message else ""
    if intent and intent != "问候" and intent not in rules["答题"]:
        known = "、".join(list(rules["答题"]) + ["问候"])
        raise CRMError(f"意图「{intent}」不在规则文件里。可以用的意图：{known}。")
    closing = _has_any(message, rules["欢送"]["客户结束语"]) and not (intent and intent != "问候")
    return {
        "客户消息": message,
        "意图": intent or "",
        "首条回复": bool(ctx.get("首条回复", True)),
        "客服": ctx.get("客服") or "小林",
        "结束": closing,
    }


def _evaluate(text, ctx, rules):
    """[(rule, mark, sentence)] for the seven rules."""
    out = []
    # 问候
    if ctx["首条回复"]:
        if _has_any(text, rules["问候"]["词"]):
            out.append(("问候", OK, "开头有问候，客户会觉得受到了欢迎。"))
        else:
            better = rules["问候"]["建议"].format(客服=ctx["客服"])
            out.append(("问候", BAD, f"【问候】这是会话里的第一句回复，却没有问候语。可以先说：“{better}”"))
    else:
        out.append(("问候", NA, "不是第一句回复，不要求问候。"))
    # 欢送
    if ctx["结束"]:
        if _has_any(text, rules["欢送"]["词"]):
            out.append(("欢送", OK, "客户要结束对话，回复里有礼貌的结束语。"))
        else:
            out.append(
                ("欢送", BAD, f"【欢送】客户已经在道谢或道别，回复却没有结束语。可以说：“{rules['欢送']['建议']}”")
            )
    else:
        out.append(("欢送", NA, "客户还没有结束对话，不要求欢送语。"))
    # 称呼
    avoid, use = rules["称呼"]["避免"], rules["称呼"]["改成"]
    if avoid in text:
        better = text.replace(avoid + "们", use).replace(avoid, use)
        out.append(("称呼", BAD, f"【称呼】对客户要用“{use}”，不用“{avoid}”。可以改成：“{better}”"))
    elif use in text:
        out.append(("称呼", OK, f"称呼客户用的是“{use}”。"))
    else:  # no pronoun at all: nothing wrong, but do not claim 您 was used
        out.append(("称呼", OK, f"没有用“{avoid}”称呼客户；需要称呼时记得用“{use}”。"))
    # 禁用语
    hits = _forbidden_hits(text, rules)
    if hits:
        parts = [f"“{h['词']}”（{h['类别']}），可以换成：“{h['改成']}”" for h in hits]
        out.append(("禁用语", BAD, "【禁用语】回复里有不该说的话：" + "；".join(parts)))
    else:
        out.append(("禁用语", OK, "没有推脱、指责客户或过度承诺的说法。"))
    # 答题
    intent = ctx["意图"]
    if intent and intent != "问候":
        spec = rules["答题"][intent]
        if _has_any(text, spec["回复词"]):
            out.append(("答题", OK, f"客户问的是「{intent}」，回复回应了这个问题。"))
        else:
            out.append(
                (
                    "答题",
                    BAD,
                    f"【答题】客户问的是「{intent}」方面的问题，回复里却没有相关内容，像是答非所问。{spec['建议']}",
                )
            )
    else:
        out.append(("答题", NA, "客户没有提出具体问题（或是在打招呼、道别）。"))
    # 长度
    n = len(text.strip())
    lo, hi = rules["长度"]["最短"], rules["长度"]["最长"]
    if n < lo:
        out.append(
            ("长度", BAD, f"【长度】只有 {n} 个字，显得冷淡、敷衍（建议至少 {lo} 个字）。{rules['长度']['太短建议']}")
        )
    elif n > hi:
        out.append(
            (
                "长度",
                WARN,
                f"【长度】有 {n} 个字，在聊天窗口里太长了（建议不超过 {hi} 个字）。{rules['长度']['太长建议']}",
            )
        )
    else:
        out.append(("长度", OK, f"{n} 个字，长短合适。"))
    # 下一步
    if intent and intent != "问候":
        if _has_any(text, rules["下一步"]["词"]):
            out.append(("下一步", OK, "告诉了客户接下来会发生什么。"))
        else:
            out.append(("下一步", WARN, f"【下一步】没有告诉客户接下来做什么。{rules['下一步']['建议']}"))
    else:
        out.append(("下一步", NA, "没有需要跟进的问题。"))
    return out


def _text(text):
    if isinstance(text, (pd.DataFrame, pd.Series)):
        raise CRMError(
            "reply_check 检查的是一句回复（文字），收到的却是一个表格。"
            "要检查聊天记录里的全部回复，请用 crm.check_replies(消息)。"
        )
    if text is None or (isinstance(text, float) and np.isnan(text)):
        raise CRMError("回复是空的。请先写一句回复（放在引号里）再检查。")
    if not isinstance(text, str):
        raise CRMError(f"回复应该是一段文字（放在引号里），收到的却是 {type(text).__name__}。")
    if not text.strip():
        raise CRMError("回复是空的。请先写一句回复（放在引号里）再检查。")
    return text


def reply_check(text, context=None):
    """Check one agent reply against the language norms; a DataFrame 规则 / 结果 / 说明.

    `context` is the customer's message (text) or a dict with any of
    ``客户消息``, ``意图`` (品质/价格/发票包装/退换货/物流/问候; guessed from the
    message when missing), ``首条回复`` (default True: the reply opens the
    conversation, so a greeting is expected) and ``客服`` (the agent's name,
    used in the suggested greeting).

    >>> reply_check("您好，在的～请问有什么可以帮您？", {"客户消息": "在吗", "意图": "问候"})["结果"].tolist()
    ['√', '—', '√', '√', '—', '√', '—']
    >>> reply_check("不知道您方便把订单号发给我吗？我帮您查一下物流。", {"客户消息": "到哪了", "意图": "物流", "首条回复": False})["结果"].tolist()
    ['—', '—', '√', '√', '√', '√', '√']
    >>> reply_check("", None)
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 回复是空的。请先写一句回复（放在引号里）再检查。
    """
    return pd.DataFrame(reply_rows(text, context), columns=["规则", "结果", "说明"])


def reply_rows(text, context=None):
    """The rows of :func:`reply_check` as plain (规则, 结果, 说明) tuples (no DataFrame: the widget calls
    this on every keystroke, and building a DataFrame costs more than the checking itself).

    >>> reply_rows("不知道", "这个床单会掉色吗？")[3][:2]
    ('禁用语', '×')
    """
    rules = load_rules()
    return _evaluate(_text(text), _context(context, rules), rules)


def reply_problems(text, context=None):
    """The names of the rules `text` breaks (×) — a quick form of :func:`reply_check`.

    >>> reply_problems("亲，这个你自己看详情页", "这个会起球吗")
    ['称呼', '禁用语', '答题']
    """
    rules = load_rules()
    return [rule for rule, mark, _ in _evaluate(_text(text), _context(context, rules), rules) if mark == BAD]


def check_replies(messages):
    """Check every human agent message of a chat log; one row per agent message.

    The context of each reply is taken from the log: the latest customer
    message before it (its ``意图`` column when present), whether it is the
    agent's first message in the session, and the agent's name. Returns the
    agent messages (``会话编号``, ``消息编号`` when present, ``时间``, ``客服``,
    ``内容``), ``意图`` (the intent the reply answers: the label of the customer's
    message, or guessed from its words; empty for greetings) and one True/False column per rule (True = not kept: × or
    △) and ``问题数`` (how many rules are not kept).
    """
    require_columns(messages, ["会话编号", "时间", "发言方", "内容"], "聊天记录")
    rules = load_rules()
    m = messages.sort_values(["会话编号", "时间"], kind="stable")
    rows, last_customer, last_intent, seen = [], {}, {}, set()
    has_intent = "意图" in m.columns
    has_agent = "客服" in m.columns
    for idx, r in zip(m.index, m.to_dict("records")):
        sid, who = r["会话编号"], r["发言方"]
        if who == "客户":
            last_customer[sid] = str(r["内容"])
            if has_intent:
                intent = r.get("意图")
                last_intent[sid] = intent if isinstance(intent, str) else None
            continue
        if who != "客服":
            continue
        ctx = {
            "客户消息": last_customer.get(sid, ""),
            "意图": last_intent.get(sid) if has_intent else None,
            "首条回复": sid not in seen,
            "客服": r.get("客服") if has_agent else None,
        }
        seen.add(sid)
        text = r["内容"] if isinstance(r["内容"], str) and r["内容"].strip() else "（空）"
        ctx = _context(ctx, rules)
        marks = {rule: mark in (BAD, WARN) for rule, mark, _ in _evaluate(text, ctx, rules)}
        rows.append((idx, marks, ctx["意图"] or None))
    if not rows:
        raise CRMError("聊天记录里没有人工客服（发言方 = 客服）的消息，没有可检查的回复。")
    flags = pd.DataFrame([marks for _, marks, _ in rows], index=[i for i, _, _ in rows])
    keep = [c for c in ["会话编号", "消息编号", "时间", "客服", "内容"] if c in m.columns]
    out = m.loc[flags.index, keep]
    out = out.assign(意图=[intent for _, _, intent in rows]).join(flags)
    out["问题数"] = flags.sum(axis=1).astype(int)
    return out.loc[[i for i in messages.index if i in flags.index]]
