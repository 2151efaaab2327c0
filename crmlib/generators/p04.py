"""Synthetic datasets of project p04 客户沟通与服务.

A fictional after-sales centre, 蓉安家电服务中心 in 成都, installs and repairs
household appliances. Customers reach it by 电话 (hotline), 门店 (walk-in
service outlet) or 在线 (app chat). In September–October 2024 it ran a
SERVQUAL survey, and its quality team labelled agent lines from recorded calls.

- ``p04_items``: the 22 survey items and their dimension.
- ``p04_respondents``: one row per returned questionnaire (400): date,
  channel, new or repeat customer, and the 100 importance points the
  respondent spread over the five dimensions (a few left it blank).
- ``p04_answers``: one row per questionnaire × item (long format): expectation
  and perception on 1–7. Quirks: straight-liners, missing answers (many
  hotline and online customers skip the items about the outlet), a few
  out-of-range entries (0, 8, 77 …).
- ``p04_dialogues``: agent lines from recorded calls, each after the
  customer line it answers, labelled 开放式提问 / 封闭式提问 / 复述事实 /
  复述情感 / 其他答复.

The gap pattern differs by channel and customer type, so the weakest
dimension depends on the segment and on the weights (see the notebook).

>>> ans, items = make_answers(), make_items()
>>> len(items), ans["题号"].isin(items["题号"]).all()
(22, np.True_)
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset, common

SEED = 20240404
N_RESP = 400
START, END = pd.Timestamp("2024-09-02"), pd.Timestamp("2024-10-31")
CENTRE = "蓉安家电服务中心"

ITEMS = {
    "有形度": [
        "服务网点的维修设备和检测工具看起来先进",
        "服务网点的环境整洁、舒适",
        "服务人员着装整洁，佩戴工牌",
        "收费单、保修卡等资料清楚易懂",
    ],
    "信赖度": [
        "承诺在什么时间完成，就能按时完成",
        "客户遇到问题时，真心实意地帮忙解决",
        "第一次就把故障修好，不用返修",
        "按预约的时间上门或提供服务",
        "工单和收费记录准确无误",
    ],
    "反应度": [
        "会明确告诉客户什么时候能提供服务",
        "接到报修后很快安排处理",
        "服务人员总是愿意帮助客户",
        "再忙也能及时回应客户的询问",
    ],
    "专业度": [
        "服务人员的言行让人信任",
        "把家电交给他们处理让人放心",
        "服务人员始终有礼貌",
        "服务人员懂行，能答清客户的问题",
    ],
    "同理度": [
        "会针对每位客户的情况给予关照",
        "服务时间对客户来说很方便",
        "有专人跟进客户的问题",
        "把客户的利益放在心上",
        "能理解客户的特别需要",
    ],
}
DIMS = list(ITEMS)
CHANNELS = {"电话": 0.46, "门店": 0.30, "在线": 0.24}
TYPES = {"新客户": 0.38, "老客户": 0.62}
# expectation level per dimension (latent, 1–7) and the perception gap by segment
EXPECT = {"有形度": 5.2, "信赖度": 6.45, "反应度": 6.05, "专业度": 6.0, "同理度": 5.75}
GAP_CHANNEL = {  # perception − expectation, by channel
    "电话": {"有形度": -0.05, "信赖度": -0.95, "反应度": -1.45, "专业度": -0.55, "同理度": -0.70},
    "门店": {"有形度": -0.45, "信赖度": -1.20, "反应度": -0.55, "专业度": -0.25, "同理度": -0.55},
    "在线": {"有形度": 0.20, "信赖度": -0.85, "反应度": -0.85, "专业度": -0.75, "同理度": -1.35},
}
GAP_TYPE = {  # added on top: new customers doubt expertise, repeat customers count broken promises
    "新客户": {"有形度": 0.0, "信赖度": 0.25, "反应度": 0.0, "专业度": -0.55, "同理度": -0.15},
    "老客户": {"有形度": 0.0, "信赖度": 0.0, "反应度": 0.20, "专业度": 0.15, "同理度": 0.0},
}
# past experience: repeat customers expect more of what they have seen us do
EXPECT_TYPE = {"新客户": {}, "老客户": {"信赖度": 0.2, "反应度": 0.25}}
# average importance points (of 100) by channel: the hotline cares most about speed
IMPORTANCE = {
    "电话": [9, 28, 30, 17, 16],
    "门店": [16, 32, 18, 18, 16],
    "在线": [8, 27, 25, 15, 25],
}


def _clip7(x):
    return np.clip(np.rint(x), 1, 7)


@lru_cache(maxsize=1)
def _respondents():
    r = common.rng(SEED)
    days = pd.date_range(START, END, freq="D")
    work = common.is_workday(days)
    holiday = np.array([bool(common.holiday_name(d)) for d in days])
    # service runs every day; weekends busier, the 国庆 week thinly staffed
    w = np.where(work, 1.0, 1.35) * np.where(holiday, 0.35, 1.0)
    dates = np.sort(r.choice(days, size=N_RESP, p=w / w.sum()))
    ch = r.choice(list(CHANNELS), size=N_RESP, p=list(CHANNELS.values()))
    ty = r.choice(list(TYPES), size=N_RESP, p=list(TYPES.values()))
    pts = np.zeros((N_RESP, 5))
    for i, c in enumerate(ch):
        raw = r.dirichlet(np.array(IMPORTANCE[c], dtype=float) * 0.9)
        p = np.rint(raw * 20) * 5  # people think in fives
        p[np.argmax(p)] += 100 - p.sum()
        pts[i] = p
    df = pd.DataFrame(
        {
            "问卷编号": [f"S{i + 1:04d}" for i in range(N_RESP)],
            "填写日期": pd.DatetimeIndex(dates).normalize(),
            "渠道": ch,
            "客户类型": ty,
        }
    )
    for j, d in enumerate(DIMS):
        df[f"{d}重要性"] = pts[:, j]
    blank = r.choice(N_RESP, size=11, replace=False)  # skipped the importance question
    df.loc[blank, [f"{d}重要性" for d in DIMS]] = np.nan
    return df


def make_items():
    rows = []
    n = 0
    for d, texts in ITEMS.items():
        for t in texts:
            n += 1
            rows.append({"题号": f"Q{n:02d}", "维度": d, "题目": t})
    return pd.DataFrame(rows)


def make_respondents():
    return _respondents().copy()


@lru_cache(maxsize=1)
def _answers():
    r = common.rng(SEED + 1)
    resp = _respondents()
    items = make_items()
    dim_of = items["维度"].to_numpy()
    n_items = len(items)
    rows_e, rows_p = [], []
    for _, row in resp.iterrows():
        lift = r.normal(0, 0.45)  # some people expect more of everyone
        mood = r.normal(0, 0.55)  # some people rate everything lower or higher
        item_noise_e = r.normal(0, 0.55, n_items)
        item_noise_p = r.normal(0, 0.85, n_items)
        shift = np.array([EXPECT_TYPE[row["客户类型"]].get(d, 0.0) for d in dim_of])
        e_lat = np.array([EXPECT[d] for d in dim_of]) + shift + lift + item_noise_e
        # the raised bar is not matched by the service: the shift widens the gap
        gap = np.array([GAP_CHANNEL[row["渠道"]][d] + GAP_TYPE[row["客户类型"]][d] for d in dim_of]) - shift
        p_lat = e_lat + gap + mood + item_noise_p
        rows_e.append(_clip7(np.minimum(e_lat, 7.4)))
        rows_p.append(_clip7(p_lat))
    e = np.vstack(rows_e)
    p = np.vstack(rows_p)
    # straight-liners: the same box everywhere (mostly 7 and 7)
    sl = r.choice(N_RESP, size=15, replace=False)
    patterns = [(7, 7)] * 10 + [(7, 4)] * 2 + [(4, 4)] * 2 + [(1, 1)]
    for k, i in enumerate(sl):
        e[i], p[i] = patterns[k % len(patterns)]
    e, p = e.astype(float), p.astype(float)
    # missing answers: scattered, and the outlet items skipped by hotline/online customers
    miss = r.random(e.shape) < 0.018
    remote = resp["渠道"].isin(["电话", "在线"]).to_numpy()
    outlet = np.isin(items["题号"].to_numpy(), ["Q01", "Q02"])
    miss |= (remote[:, None] & outlet[None, :]) & (r.random(e.shape) < 0.35)
    miss_p_only = miss & (r.random(e.shape) < 0.4)
    p[miss] = np.nan
    e[miss & ~miss_p_only] = np.nan
    # a few out-of-range entries (typos: 77, 0, 8, 66)
    flat_e, flat_p = e.ravel(), p.ravel()
    bad = r.choice(np.flatnonzero(~np.isnan(flat_p) & ~np.isnan(flat_e)), size=9, replace=False)
    for k, pos in enumerate(bad):
        value = [77, 0, 8, 66, 0, 9, 77, 8, 55][k]
        (flat_p if k % 3 else flat_e)[pos] = value
    df = pd.DataFrame(
        {
            "问卷编号": np.repeat(resp["问卷编号"].to_numpy(), n_items),
            "题号": np.tile(items["题号"].to_numpy(), N_RESP),
            "期望": flat_e,
            "感知": flat_p,
        }
    )
    return df.astype({"期望": "Int64", "感知": "Int64"})


def make_answers():
    return _answers().copy()


# ------------------------------------------------------------------ dialogues

SCENES = [  # (product, problem, what the customer says first, a restatement of that feeling)
    ("空调", "不制冷", "空调开了一个小时屋里还是闷热，你们什么时候能派人来？", "这么热的天屋里闷着，您肯定特别难受。"),
    ("洗衣机", "漏水", "洗衣机一转起来底下就漏水，地板都泡了。", "地板都泡了，您一定又着急又心疼。"),
    ("热水器", "打不着火", "热水器早上又打不着火了，家里老人洗不了澡。", "老人洗不了澡，您一定很着急。"),
    ("冰箱", "噪音很大", "冰箱晚上嗡嗡响，吵得孩子睡不着。", "孩子晚上睡不好，做家长的最心疼。"),
    ("油烟机", "吸力变小", "油烟机才用了一年，炒个菜满屋子都是烟。", "才用一年就这样，换谁都会觉得窝火。"),
    ("空调", "外机滴水", "空调外机一直往楼下滴水，楼下邻居都上门来说了。", "邻居都找上门来了，您一定觉得很为难。"),
    ("燃气灶", "点火困难", "燃气灶要按好几次才点得着，我有点不敢用。", "燃气关系到安全，您担心是完全有道理的。"),
    ("洗碗机", "洗不干净", "洗碗机洗完碗上还有油，还不如手洗。", "花钱买了机器还得手洗，确实让人失望。"),
]
OPENING_FACT = "我核对一下：您家的{p}{q}，想请我们尽快安排师傅，是这样吧？"
FOLLOW = [  # later customer lines: (what the customer says, restating its facts, restating its feeling)
    (
        "上周就约好了，师傅到现在也没来。",
        "也就是说，上周约好的上门，到今天师傅还没有来。",
        "约好了人却没来，还白白等了这么久，换成谁都会生气。",
    ),
    (
        "我已经打了三次电话了，每次都说会有人联系我。",
        "您前后打了三次电话，每次都说有人联系，可一直没人打给您，是吗？",
        "打了几次电话都没结果，您一定觉得很失望。",
    ),
    (
        "保修卡我找不到了，这个还能保修吗？",
        "您的意思是，保修卡找不到了，想知道还能不能保修。",
        "东西坏了、卡又找不到，您是担心要自己掏钱吧。",
    ),
    (
        "上次来的师傅说要换零件，后来就没消息了。",
        "我记一下：上次师傅说要换零件，之后就没有人跟进。",
        "说好的事没有下文，难怪您心里没底。",
    ),
    (
        "我白天要上班，只有晚上或者周末在家。",
        "我记下了：您只有工作日晚上和周末在家。",
        "上班已经很辛苦了，还要为修机器请假，确实让人为难。",
    ),
    (
        "你们收费到底是怎么算的？上次收了我两百多。",
        "您是对上次两百多元的收费有疑问，想弄清楚是怎么算的。",
        "钱花得不明不白，谁都会觉得不舒服。",
    ),
    ("我就想知道，到底什么时候能修好？", "您最关心的是具体哪天能修好。", "一直等不到一个准信，您一定很着急。"),
    (
        "买的时候说服务多好多好，现在找个人都难。",
        "您是说，买的时候承诺了服务，现在却很难联系到人。",
        "本来是信任我们才买的，现在让您这么失望，真的很抱歉。",
    ),
    (
        "我不懂这些，你就告诉我该怎么办吧。",
        "您希望我直接告诉您下一步该怎么做。",
        "这些技术上的事确实让人头疼，您别担心，我一步步帮您。",
    ),
    (
        "算了，我自己找外面的人修。",
        "您是在考虑自己找外面的师傅来修。",
        "折腾了这么久，您已经不想再等我们了，我能理解。",
    ),
    ("家里有老人，天这么热真的熬不住。", "家里有老人，天又热，情况比较急。", "听得出来您很着急，怕老人热出病来。"),
    ("这已经是第二次坏了。", "也就是说，这台机器已经是第二次出问题了。", "连着坏两次，难怪您对我们的产品没信心了。"),
]
LINES = {
    "开放式提问": [
        "您能具体说说{p}{q}时是什么情况吗？",
        "这几天{p}的问题给您家里带来了哪些不便？",
        "您看我们怎么安排上门对您最方便？",
        "上次师傅来的时候，是怎么跟您说的？",
        "对这次维修，您最担心的是哪一点？",
        "出现{q}之前，{p}有过哪些异常表现？",
        "您希望这件事最后怎么解决？",
        "除了{q}，{p}还出现过哪些别的问题？",
        "能跟我说说当时购买时工作人员是怎么承诺的吗？",
    ],
    "封闭式提问": [
        "请问{p}还在保修期内吗？",
        "是今天早上开始{q}的吗？",
        "您明天上午方便在家吗？",
        "登记的电话是您本人的手机吗？",
        "{p}的电源指示灯是亮着的吗？",
        "您是要改约到周六上午吗？",
        "之前有人上门检修过吗？",
        "是 2022 年在我们这里买的吗？",
        "要不要我先帮您登记加急？",
        "您家地址还是登记的那个吗？",
        "师傅到了之前先给您打电话，可以吗？",
    ],
    "复述事实": [None] * 5,  # worded from the customer's line (FOLLOW / OPENING_FACT)
    "复述情感": [None] * 6,
    "其他答复": [
        "好的，我马上帮您登记。",
        "这个要等师傅上门检测后才能确定。",
        "请您稍等，我查一下工单。",
        "保修期内更换零件是不收费的。",
        "已经给您发了短信，里面有师傅的电话。",
        "这个不归我们这边管，您得找销售门店。",
        "系统显示师傅今天的单已经排满了。",
        "按规定上门检测费是 50 元。",
    ],
}
# share of each label per agent style; styles differ so agents really differ
STYLES = {
    "提问偏封闭": [0.10, 0.42, 0.12, 0.06, 0.30],
    "均衡": [0.24, 0.28, 0.16, 0.12, 0.20],
    "善于倾听": [0.30, 0.20, 0.18, 0.20, 0.12],
    "说得多问得少": [0.08, 0.14, 0.06, 0.04, 0.68],
}
AGENT_STYLES = [
    "均衡",
    "提问偏封闭",
    "善于倾听",
    "提问偏封闭",
    "均衡",
    "说得多问得少",
    "均衡",
    "善于倾听",
    "提问偏封闭",
    "均衡",
    "说得多问得少",
    "均衡",
]


def make_dialogues():
    r = common.rng(SEED + 2)
    n_agents = len(AGENT_STYLES)
    names = common.person_names(SEED + 3, n_agents)
    labels = list(LINES)
    days = common.workdays(START, END)
    rows = []
    call = 0
    for a in range(n_agents):
        for _ in range(int(r.integers(5, 9))):
            call += 1
            product, problem, opening, feeling = SCENES[int(r.integers(len(SCENES)))]
            day = days[int(r.integers(len(days)))]
            customer = (opening, OPENING_FACT.format(p=product, q=problem), feeling)
            for k in range(int(r.integers(4, 9))):
                label = labels[int(r.choice(5, p=STYLES[AGENT_STYLES[a]]))]
                pool = LINES[label]
                text = pool[int(r.integers(len(pool)))]
                if label == "复述事实":
                    text = customer[1]
                elif label == "复述情感":
                    text = customer[2]
                rows.append(
                    {
                        "通话编号": f"C{call:03d}",
                        "通话日期": day,
                        "坐席编号": f"A{a + 1:02d}",
                        "坐席姓名": names[a],
                        "序号": k + 1,
                        "客户原话": customer[0],
                        "坐席回应": text.format(p=product, q=problem),
                        "类型": label,
                    }
                )
                customer = FOLLOW[int(r.integers(len(FOLLOW)))]
    return pd.DataFrame(rows)


DATASETS = {
    "p04_items": Dataset(make=make_items, title="客户沟通与服务：SERVQUAL 问卷题目"),
    "p04_respondents": Dataset(make=make_respondents, title="客户沟通与服务：问卷填写人", dates=("填写日期",)),
    "p04_answers": Dataset(make=make_answers, title="客户沟通与服务：问卷答案（期望与感知）"),
    "p04_dialogues": Dataset(make=make_dialogues, title="客户沟通与服务：通话语句标注", dates=("通话日期",)),
}
