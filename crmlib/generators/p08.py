"""Synthetic datasets of project p08 E时代的网络客户服务.

A fictional home-textile online shop (网店) sells bedding, towels, pillows and
quilts. Its customers write in the shop's chat window on the 客服工作台; a
chat bot (机器人) answers first, human agents (客服) take over. One month of
chat: 2025-09-01 .. 2025-09-30.

- ``p08_sessions``: one row per chat session (who, when, from which page,
  whether the bot handled it first).
- ``p08_messages``: one row per message (session and message ids, time,
  speaker 客户/客服/机器人, agent, text, the intent label of customer messages).

How the story is built (and why no answer restates a rule):

- Arrivals follow the hour of the day (quiet at night, a lunchtime bump, an
  evening peak 20–22 h) and the China calendar: rest days bring more chats,
  the 调休 Sunday 2025-09-28 behaves like a working day. Saturday 2025-09-20
  is the shop's anniversary sale (店庆日): about three times the chats.
- Agents work a day shift (9–18 h) and an evening shift (18–24 h); fewer are
  on in the evening than the evening traffic needs, so replies slow down
  there, and much more on the sale day. Nobody works 0–9 h: the bot takes a
  message and an agent answers after 9 h, if the customer is still there.
- Each reply waits for an agent: the wait grows with the load of the hour
  and differs by agent. A customer who waits longer than their patience
  leaves (no human reply at all); some first ask "还在吗".
- About a third of the sessions start with the bot; the customer asks for a
  human after one or two bot answers (the bot time counts in the first
  response: it is measured from the customer's first message).
- Agent replies mostly follow the norms, but any agent sometimes breaks one
  (more often when busy): a bare 不知道, no greeting, blaming the customer,
  ignoring the question, over-promising, 你 for 您, no farewell. Some polite
  replies contain words a naive search would flag (不知道您方便……), and a few
  curt replies break no written rule at all.
- The first line is often just 在吗/你好 (intent 问候); a few customers send
  the same line twice; a few customer messages have no intent label.

>>> s, m = make_sessions(), make_messages()
>>> m["会话编号"].isin(s["会话编号"]).all(), set(m["发言方"]) == {"客户", "客服", "机器人"}
(np.True_, True)
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset
from .common import cumulative, draw, is_workday, person_names, rng, trade_names

SEED = 808
START, END = "2025-09-01", "2025-09-30"
SALE_DAY = pd.Timestamp("2025-09-20")
SHOP = trade_names(SEED, 1)[0] + "家纺"
INTENTS = ["品质", "价格", "发票包装", "退换货", "物流"]
# hour-of-day arrival weights (customers' local time)
HOURLY = np.array(
    [
        1.2,
        0.7,
        0.4,
        0.2,
        0.15,
        0.15,
        0.3,
        0.6,
        1.0,
        1.8,
        2.3,
        2.4,
        2.0,
        2.2,
        2.3,
        2.1,
        2.0,
        1.9,
        2.0,
        2.6,
        3.6,
        4.0,
        3.4,
        2.2,
    ]
)

# ---------------------------------------------------------------- texts
# (text, weight): the first texts are the ones customers type most often.
ASK = {
    "品质": [
        ("这个四件套是纯棉的吗？", 9),
        ("洗了会不会掉色？", 7),
        ("毛巾会掉毛吗", 5),
        ("面料摸起来厚不厚", 3),
        ("枕头有没有味道？", 3),
        ("是正品吗，有质检报告吗", 2),
    ],
    "价格": [
        ("有优惠券吗？", 10),
        ("能便宜点吗", 7),
        ("店庆什么时候开始，有满减吗？", 5),
        ("两件一起买能打折吗", 4),
        ("包邮吗？", 3),
        ("我昨天买的今天降价了，能退差价吗", 2),
    ],
    "发票包装": [
        ("可以开发票吗？", 8),
        ("送人的，能用礼盒包装吗", 6),
        ("发票抬头写公司可以吗", 4),
        ("包装里会放价格单吗", 2),
    ],
    "退换货": [
        ("尺寸买错了，可以换货吗？", 8),
        ("不想要了怎么退货", 6),
        ("收到有线头，能退吗", 4),
        ("退货运费谁出？", 4),
        ("七天无理由是从哪天算", 2),
    ],
    "物流": [
        ("什么时候发货？", 11),
        ("我的快递到哪了", 8),
        ("几天能到广州", 5),
        ("怎么还没发货？都三天了", 4),
        ("能发顺丰吗", 2),
        ("快递单号是多少", 3),
    ],
}
HELLO = [("在吗", 8), ("你好", 5), ("在吗？", 4), ("客服在吗", 3), ("您好", 2), ("hello", 1)]
THANKS = [("好的，谢谢", 8), ("好的", 5), ("知道了，谢谢", 3), ("谢谢啦", 3), ("嗯嗯", 2)]
FOLLOW = {
    "品质": ["那怎么洗比较好？", "会缩水吗"],
    "价格": ["券在哪里领", "那满减和券能一起用吗"],
    "发票包装": ["发票什么时候能收到", "礼盒要加钱吗"],
    "退换货": ["那我怎么寄回去", "退款多久到账"],
    "物流": ["今天能发吗", "能帮我催一下吗"],
}
GOOD = {
    "品质": [
        "这款是 100% 纯棉面料，有第三方检测报告。第一次洗涤请用冷水单独洗，我把洗涤说明发给您。",
        "新毛巾前两次洗会有少量浮毛，属于正常现象，洗两三次就好了。您可以先用清水浸泡再洗。",
        "这款面料是 60 支长绒棉，做工和质量都比较稳定，您放心选。需要的话我给您发几张实拍细节图。",
        "新枕头拆开会有一点点乳胶本身的味道，放在通风处晾一两天就会散掉，您可以先晾一下再用。",
    ],
    "价格": [
        "现在店铺首页可以领 10 元优惠券，满 199 元还能减 30 元，两个可以一起用。我帮您算一下最划算的组合？",
        "价格是统一的，不过现在满 199 减 30，再加 10 元券，算下来比平时便宜 40 元。",
        "全店满 99 元包邮（偏远地区除外）。您这单已经满了，不用另付运费。",
        "店庆活动 20 号零点开始，全场满 199 减 40。您可以先把商品加入购物车，到时直接结算。",
    ],
    "发票包装": [
        "可以开电子发票的，下单时在“发票”一栏填写抬头和税号，发货后 3 天内发到您的邮箱。",
        "可以用礼盒包装，拍下时备注“礼盒”就行，礼盒免费，我们还会放一张空白贺卡。",
        "包装里不会放价格单，送人很合适。您下单后我再帮您备注一下。",
    ],
    "退换货": [
        "支持七天无理由退换。您在订单页点“申请售后”，选换货并写上要换的尺寸，我们收到后 1 天内寄出新的。",
        "非常抱歉给您添麻烦了！有线头属于质量问题，运费由我们承担。您在订单页申请退货，我马上帮您审核。",
        "七天是从您签收的那天开始算的。不影响二次销售的话都可以退，您在订单页申请就行。",
        "退货运费：质量问题由我们出；如果是不喜欢，运费需要您承担，下单时送的运费险可以抵扣。",
    ],
    "物流": [
        "今天 17 点前付款的订单当天发出，您这单已经打包好，晚上会有快递揽收。",
        "我帮您查了一下，您的包裹已经到了广州转运中心，预计明天派送，单号我发给您。",
        "发往广州一般两到三天送到。今天下单，预计周四前能签收。",
        "非常抱歉让您久等了！店庆期间订单比较多，您的订单排在明天上午发出，发出后我把单号发给您。",
    ],
}
GOOD_FOLLOW = {
    "品质": "建议用 40 度以下的水洗涤，不要暴晒，这样不容易褪色和缩水。",
    "价格": "券在店铺首页顶部领取，领完后结算时会自动使用，和满减可以一起用。",
    "发票包装": "礼盒是免费的，电子发票一般发货后 3 天内发到您的邮箱，请您留意。",
    "退换货": "申请通过后页面会显示寄回地址，您选择上门取件就行，我们收到后 1 到 3 天退款到原支付账户。",
    "物流": "我已经帮您备注了加急，仓库今天下午会优先安排，发出后我第一时间通知您。",
}
OPENERS = ["您好，欢迎光临{shop}！我是{agent}。", "您好～", "亲，您好！", "您好，在的。", "晚上好，在的～"]
CLOSE_GOOD = [
    "不客气，感谢您的支持！有问题随时找我～",
    "应该的，祝您生活愉快，欢迎再来！",
    "不客气～期待您的好评，再见！",
]
CLOSE_BAD = ["嗯", "好", "ok"]
HELLO_REPLY = ["您好，在的，请问有什么可以帮您？", "您好～我是客服{agent}，请问您想了解哪款商品？"]
# norm-breaking replies, by kind
BARE = ["不知道", "不清楚", "不知道哦"]
BLAME = {
    "品质": "你自己没看详情页吧，上面写了的。",
    "退换货": "是你自己尺码选错了，这个不归我管。",
    "物流": "快递慢不怪我们，你自己去查物流。",
    "价格": "价格都写在页面上了，你没看清楚。",
    "发票包装": "页面上写了怎么开发票，你自己看。",
}
PROMISE = {
    "品质": "保证不掉色，绝对没问题！",
    "物流": "今天一定能到，保证！",
    "退换货": "肯定没问题，随便退！",
    "价格": "您放心，百分之百是全网最低价。",
    "发票包装": "绝对当天就把发票发给您。",
}
CURT = {
    "品质": "详情页上都写着呢。",
    "物流": "发了，等着吧。",
    "价格": "就这个价。",
    "退换货": "按平台规则来。",
    "发票包装": "下单时填。",
}  # rude but no listed word: the checker misses these
POLITE_UNSURE = "不知道您方便把订单号发给我吗？我帮您查一下再答复您。"
BOT_WELCOME = "您好，欢迎光临{shop}！我是智能助手，您可以直接描述问题，也可以输入“人工”找客服。"
BOT_ANSWER = "为您找到相关说明：{topic}。如果没有解决您的问题，请输入“人工”。"
BOT_HANDOFF = "正在为您转接人工客服，请稍候～"
BOT_NIGHT = "客服的服务时间是每天 9:00—24:00，您可以先留言，上班后客服会第一时间回复您。"
TO_HUMAN = ["人工", "转人工", "人工客服", "我要找人工"]
STILL_THERE = ["还在吗？", "人呢", "有人吗？"]
TOPIC = {
    "品质": "商品材质与洗涤说明",
    "价格": "优惠券与满减活动",
    "发票包装": "发票开具与包装说明",
    "退换货": "七天无理由退换货流程",
    "物流": "发货时间与物流查询",
}


def _pick(r, items):
    texts, cdf = _table(tuple(items))
    return texts[int(draw(r, np.arange(len(texts)), cdf))]


@lru_cache(maxsize=None)
def _table(items):
    """(texts, cumulative weights) of a list of texts or (text, weight) pairs, built once per list."""
    texts, weights = zip(*items) if isinstance(items[0], tuple) else (items, [1] * len(items))
    w = np.array(weights, float)
    return texts, cumulative(w / w.sum())


@lru_cache(maxsize=1)
def _agents():
    names = person_names(SEED, 6)
    # (name, shift, base median reply seconds, chance a reply breaks a norm)
    specs = [
        ("白班", 20, 0.07),
        ("白班", 24, 0.13),
        ("白班", 31, 0.10),
        ("白班", 22, 0.16),
        ("晚班", 23, 0.11),
        ("晚班", 28, 0.09),
    ]
    return [(n,) + s for n, s in zip(names, specs)]


def _on_duty(ts, day_off):
    """Agents working at `ts` (day shift 9-18, evening 18-24; on rest days one day agent is off)."""
    h = ts.hour
    agents = _agents()
    if ts.normalize() == SALE_DAY:
        return agents[:3] + agents[4:] if 9 <= h else []  # one day agent was on leave
    if 9 <= h < 18:
        day = [a for a in agents if a[1] == "白班"]
        return [a for a in day if a[0] != day_off]
    if 18 <= h < 24:
        return [a for a in agents if a[1] == "晚班"]
    return []


@lru_cache(maxsize=1)
def _generate():
    r = rng(SEED)
    days = pd.date_range(START, END, freq="D")
    workday = dict(zip(days, is_workday(days)))
    agents = _agents()
    day_names = [a[0] for a in agents if a[1] == "白班"]
    customers = [f"C{i:04d}" for i in range(1, 721)]
    sessions, messages = [], []
    # session arrival times
    starts = []
    for d in days:
        level = 20 if workday[d] else 27
        if d == SALE_DAY:
            level = 120
        n = r.poisson(level)
        hours = r.choice(24, size=n, p=HOURLY / HOURLY.sum())
        for h in hours:
            starts.append(d + pd.Timedelta(hours=int(h), seconds=int(r.integers(3600))))
    starts.sort()
    load = pd.Series(1, index=pd.DatetimeIndex(starts)).groupby(lambda t: t.floor("h")).sum()
    day_off = {d: day_names[int(r.integers(len(day_names)))] for d in days if not workday[d]}
    for k, t0 in enumerate(starts, 1):
        sid = f"S{k:04d}"
        d = t0.normalize()
        week_after = SALE_DAY < d <= SALE_DAY + pd.Timedelta(days=7)
        w = np.array([0.20, 0.25, 0.10, 0.15, 0.30])
        if d == SALE_DAY:
            w = np.array([0.14, 0.40, 0.08, 0.08, 0.30])
        elif week_after:
            w = np.array([0.16, 0.10, 0.08, 0.30, 0.36])
        intent = INTENTS[int(r.choice(5, p=w / w.sum()))]
        bot = r.random() < 0.33
        entry = _pick(r, [("商品详情页", 5), ("订单页", 3), ("店铺首页", 2)])
        if intent in ("退换货", "物流"):
            entry = _pick(r, [("订单页", 6), ("商品详情页", 2), ("店铺首页", 1)])
        cust = customers[int(r.integers(len(customers)))]
        sessions.append(
            {
                "会话编号": sid,
                "客户编号": cust,
                "进线时间": t0,
                "进线入口": entry,
                "机器人先接待": "是" if bot else "否",
            }
        )
        msgs = []

        def say(t, who, text, agent="", label=None):
            msgs.append(
                {
                    "会话编号": sid,
                    "时间": t,
                    "发言方": who,
                    "客服": agent,
                    "内容": text,
                    "意图": label if who == "客户" else None,
                }
            )

        t = t0
        opened_with_hello = r.random() < 0.45
        question = _pick(r, ASK[intent])
        if opened_with_hello:
            say(t, "客户", _pick(r, HELLO), label="问候")
            if r.random() < 0.05:
                say(t + pd.Timedelta(seconds=int(r.integers(1, 4))), "客户", msgs[-1]["内容"], label="问候")
        else:
            say(t, "客户", question, label=intent)
            if r.random() < 0.06:  # sent twice (impatient, or a double tap)
                say(t + pd.Timedelta(seconds=int(r.integers(1, 6))), "客户", question, label=intent)
        t = t + pd.Timedelta(seconds=1)
        duty = _on_duty(t0, day_off.get(d))
        if not duty:
            say(t, "机器人", BOT_NIGHT)
        elif bot:
            say(t, "机器人", BOT_WELCOME.format(shop=SHOP))
            if opened_with_hello:
                t += pd.Timedelta(seconds=int(r.integers(5, 40)))
                say(t, "客户", question, label=intent)
                t += pd.Timedelta(seconds=1)
            say(t, "机器人", BOT_ANSWER.format(topic=TOPIC[intent]))
            t += pd.Timedelta(seconds=int(r.integers(8, 60)))
            say(t, "客户", _pick(r, [(x, 1) for x in TO_HUMAN]), label=None)
            t += pd.Timedelta(seconds=1)
            say(t, "机器人", BOT_HANDOFF)
        else:
            say(t, "机器人", "您好，欢迎光临！客服马上就来，请稍候～")
        # waiting for a human
        if duty:
            hour_load = load.get(t0.floor("h"), 1) / len(duty)
            agent = duty[int(r.integers(len(duty)))]
            factor = 1 + max(hour_load - 0.4, 0) * 1.5
            wait = float(agent[2] * factor * r.lognormal(0, 0.55))
        else:
            nine = d + pd.Timedelta(hours=9)
            morning = _on_duty(nine, day_off.get(d))
            agent = morning[int(r.integers(len(morning)))]
            wait = (nine - t).total_seconds() + float(r.integers(60, 1500))
        patience = float(r.exponential(420 if bot else 330)) + 20
        if not duty:
            patience = float(r.exponential(6 * 3600)) if r.random() < 0.55 else 30.0
        if wait > 70 and patience > 60 and r.random() < 0.5:
            say(
                t + pd.Timedelta(seconds=int(min(wait, patience) * 0.8)),
                "客户",
                _pick(r, [(x, 1) for x in STILL_THERE]),
                label=None,
            )
        if wait > patience:
            messages.extend(msgs)
            continue
        name, _, base, p_bad = agent
        busy = 1 + min(max((wait - 60) / 240, 0), 1.0)
        p = min(p_bad * busy, 0.45)
        t = t + pd.Timedelta(seconds=int(wait))
        agent_lines = []

        def reply(t, text):
            say(t, "客服", text, agent=name)
            agent_lines.append(text)

        # first reply
        opener = _pick(r, OPENERS).format(shop=SHOP, agent=name)
        if t.hour < 18 and opener.startswith("晚上好"):
            opener = "您好，在的。"
        kind = "good"
        if r.random() < p:
            kind = _pick(
                r, [("bare", 3), ("nogreet", 4), ("blame", 2), ("ignore", 2), ("promise", 2), ("ni", 3), ("curt", 2)]
            )
        if not opened_with_hello or bot:
            answer = _answer(r, intent, kind)
            first = answer if kind in ("nogreet", "bare", "curt", "blame") else opener + answer
            if kind == "good" and r.random() < 0.06:
                first = "您好，" + POLITE_UNSURE
            reply(t, first)
        else:
            hi = _pick(r, HELLO_REPLY).format(agent=name)
            if kind == "nogreet":
                hi = "说。"
            elif kind == "ni":
                hi = "你好，有什么事？"
            reply(t, hi)
            t += pd.Timedelta(seconds=int(r.integers(10, 70)))
            say(t, "客户", question, label=intent if r.random() > 0.04 else None)
            t += pd.Timedelta(seconds=int(base * r.lognormal(0, 0.4)) + 5)
            second_kind = kind if kind not in ("nogreet", "ni") else "good"
            reply(t, _answer(r, intent, second_kind))
        # a follow-up question in some sessions
        if r.random() < 0.45:
            t += pd.Timedelta(seconds=int(r.integers(15, 120)))
            say(t, "客户", FOLLOW[intent][int(r.integers(2))], label=intent if r.random() > 0.04 else None)
            if r.random() < 0.07:
                messages.extend(msgs)  # left before the answer came
                continue
            t += pd.Timedelta(seconds=int(base * r.lognormal(0, 0.4)) + 5)
            fk = "good" if r.random() > p else _pick(r, [("bare", 2), ("promise", 2), ("ni", 2), ("ignore", 1)])
            reply(t, GOOD_FOLLOW[intent] if fk == "good" else _answer(r, intent, fk))
        # closing
        if r.random() < 0.8:
            t += pd.Timedelta(seconds=int(r.integers(10, 90)))
            say(t, "客户", _pick(r, THANKS), label="问候")
            t += pd.Timedelta(seconds=int(r.integers(5, 40)))
            reply(t, _pick(r, CLOSE_BAD) if r.random() < p * 0.8 else _pick(r, CLOSE_GOOD))
        messages.extend(msgs)
    msg = pd.DataFrame(messages)
    msg = msg.sort_values(["会话编号", "时间"], kind="stable").reset_index(drop=True)
    msg.insert(0, "消息编号", [f"M{i:05d}" for i in range(1, len(msg) + 1)])
    msg = msg[["消息编号", "会话编号", "时间", "发言方", "客服", "内容", "意图"]]
    msg["客服"] = msg["客服"].replace("", np.nan)
    ses = pd.DataFrame(sessions)
    return ses, msg


def _answer(r, intent, kind):
    if kind == "bare":
        return BARE[int(r.integers(len(BARE)))]
    if kind == "blame":
        return BLAME[intent]
    if kind == "promise":
        return PROMISE[intent]
    if kind == "curt":
        return CURT[intent]
    if kind == "ignore":
        other = [i for i in INTENTS if i != intent and not (intent == "发票包装" and i == "价格")]
        return GOOD[other[int(r.integers(len(other)))]][0]
    text = GOOD[intent][int(r.integers(len(GOOD[intent])))]
    if kind == "ni":
        text = text.replace("您", "你")
        if "你" not in text:
            text = "你好，" + text
    return text


def make_sessions():
    """One row per chat session."""
    return _generate()[0].copy()


def make_messages():
    """One row per chat message."""
    return _generate()[1].copy()


DATASETS = {
    "p08_sessions": Dataset(make=make_sessions, title="网络客户服务：一个月的聊天会话", dates=("进线时间",)),
    "p08_messages": Dataset(make=make_messages, title="网络客户服务：聊天消息", dates=("时间",)),
}
