"""Every figure or named fact the p04 notebook states about its data, with the code that checks it."""

import pandas as pd

from crmlib.course.facts import fact, once
from crmlib.topics.servqual import DIMENSIONS, servqual_gaps, straight_liners, valid_answers


@once
def _clean(data):
    answers = data("p04_answers")
    return answers[~answers["问卷编号"].isin(straight_liners(answers))]


def _weights(resp):
    return pd.Series(resp[[f"{d}重要性" for d in DIMENSIONS]].mean().to_numpy(), index=DIMENSIONS)


@once
def _labelled(data):
    v = valid_answers(_clean(data)).merge(data("p04_respondents"), on="问卷编号")
    v["维度"] = v["题号"].map(data("p04_items").set_index("题号")["维度"])
    return v


@fact("87 通通话录音里摘出的 **519 句坐席的话**")
def dialogue_size(data):
    d = data("p04_dialogues")
    return bool(d["通话编号"].nunique() == 87 and len(d) == 519)


@fact("400 位客户对 22 道题分别打了“期望”和“感知”两个分")
def survey_size(data):
    return bool(
        len(data("p04_respondents")) == 400 and len(data("p04_items")) == 22 and len(data("p04_answers")) == 8800
    )


@fact("坐席说的话里，三成以上既不是提问也不是复述")
def other_share(data):
    share = data("p04_dialogues")["类型"].value_counts(normalize=True)
    return bool(share["其他答复"] > 0.30 and share.idxmax() == "其他答复")


@fact("客户对信赖度的期望在五个维度里最高")
def reliability_expected_most(data):
    return bool(servqual_gaps(_clean(data), data("p04_items"))["期望"].idxmax() == "信赖度")


@fact("老客户对反应度的期望比新客户高")
def repeat_expect_more(data):
    t = _labelled(data).pivot_table(index="维度", columns="客户类型", values="期望")
    return bool(t.loc["反应度", "老客户"] > t.loc["反应度", "新客户"] + 0.1)


@fact("在全部有效答案里，感知低于期望的超过一半")
def answers_below(data):
    return bool((valid_answers(_clean(data))["差距"] < 0).mean() > 0.5)


@fact("有形度的差距很小，稍有容忍就算“满意”；信赖度和反应度要把容忍范围放得很宽才不算“不满”")
def tolerance_story(data):
    g = servqual_gaps(_clean(data), data("p04_items"))["差距"]
    return bool(abs(g["有形度"]) <= 0.2 and g["信赖度"] < -0.9 and g["反应度"] < -0.9)


@fact("电话和在线客户约三成没有回答 Q01、Q02")
def remote_skip_outlet(data):
    a = data("p04_answers").merge(data("p04_respondents"), on="问卷编号")
    a = a[a["题号"].isin(["Q01", "Q02"])]
    miss = pd.to_numeric(a["感知"], errors="coerce").isna().groupby(a["渠道"]).mean()
    return bool(all(0.25 <= miss[c] <= 0.35 for c in ["电话", "在线"]) and miss["门店"] < 0.05)


@fact("有 15 份问卷从头到尾勾同一个分，多数是期望、感知全打 7 分")
def straight_liner_count(data):
    a = data("p04_answers")
    sl = straight_liners(a)
    first = a[a["问卷编号"].isin(sl)].dropna().groupby("问卷编号")[["期望", "感知"]].first()
    return bool(len(sl) == 15 and ((first["期望"] == 7) & (first["感知"] == 7)).sum() > 7)


@fact("0、8、9、55、66、77 这样的数")
def out_of_range_values(data):
    a = data("p04_answers")
    vals = set(pd.concat([a["期望"], a["感知"]]).dropna().astype(int))
    return bool(vals - set(range(1, 8)) == {0, 8, 9, 55, 66, 77})


@fact("五个维度的差距全部是负数")
def all_negative(data):
    return bool((servqual_gaps(_clean(data), data("p04_items"))["差距"] < 0).all())


@fact("有形度的差距最小，反应度和信赖度最大")
def order_of_gaps(data):
    g = servqual_gaps(_clean(data), data("p04_items"))["差距"].sort_values()
    return bool(g.index[-1] == "有形度" and set(g.index[:2]) == {"反应度", "信赖度"})


@fact("有 11 份问卷没填这道题")
def blank_importance(data):
    return bool(int(data("p04_respondents")["信赖度重要性"].isna().sum()) == 11)


@fact("客户平均把近三成的重要性分给了信赖度，有形度只有一成左右")
def weight_levels(data):
    w = _weights(data("p04_respondents"))
    return bool(26 <= w["信赖度"] < 30 and 9 <= w["有形度"] <= 12)


@fact("不加权时差距最大的是反应度，按客户给的重要性加权后，最该先改的变成了信赖度")
def flip_under_weights(data):
    items = data("p04_items")
    plain = servqual_gaps(_clean(data), items)
    weighted = servqual_gaps(_clean(data), items, _weights(data("p04_respondents")))
    return bool(plain["差距"].idxmin() == "反应度" and weighted["加权贡献"].idxmin() == "信赖度")


@fact("两者的差距只差 0.05 分")
def flip_margin(data):
    g = servqual_gaps(_clean(data), data("p04_items"))["差距"]
    return bool(round(g["信赖度"] - g["反应度"], 2) == 0.05)


@fact("电话客户最不满的是反应度，门店客户是信赖度，在线客户是同理度")
def channel_weakest(data):
    t = _labelled(data).pivot_table(index="维度", columns="渠道", values="差距")
    return bool((t["电话"].idxmin(), t["门店"].idxmin(), t["在线"].idxmin()) == ("反应度", "信赖度", "同理度"))


@fact("加权后的总体差距约为 −0.81 分")
def weighted_overall(data):
    t = servqual_gaps(_clean(data), data("p04_items"), _weights(data("p04_respondents")))
    return bool(round(float(t["加权贡献"].sum()), 2) == -0.81)


@fact("其次是反应度")
def second_priority(data):
    t = servqual_gaps(_clean(data), data("p04_items"), _weights(data("p04_respondents")))
    return bool(t["加权贡献"].sort_values().index[1] == "反应度")


@fact("一半以上的电话里坐席一次也没有复述过客户的感受")
def calls_without_feeling(data):
    d = data("p04_dialogues")
    return bool((d.groupby("通话编号")["类型"].apply(lambda s: (s == "复述情感").sum()) == 0).mean() > 0.5)


@fact("坐席的话里“其他答复”占比最高")
def other_most(data):
    return bool(data("p04_dialogues")["类型"].value_counts().idxmax() == "其他答复")


@fact("“无效答案数”一列里有形度特别多")
def tangibles_most_invalid(data):
    t = servqual_gaps(_clean(data), data("p04_items"))
    return bool(
        t["无效答案数"].idxmax() == "有形度" and t["无效答案数"]["有形度"] > 3 * t["无效答案数"].drop("有形度").max()
    )


@fact("剔除了 15 份一路勾到底的问卷")
def removed_fifteen(data):
    return bool(len(straight_liners(data("p04_answers"))) == 15)


@fact("这两道题的有效答案比其他题少得多")
def outlet_items_fewest(data):
    n = valid_answers(_clean(data)).groupby("题号").size().sort_values()
    return bool(set(n.index[:2]) == {"Q01", "Q02"} and n.iloc[1] < 0.85 * n.iloc[2])


@fact("留着它们，差距最大的四个维度都会被拉向 0")
def straight_liners_pull_to_zero(data):
    items = data("p04_items")
    kept = servqual_gaps(data("p04_answers"), items)["差距"]
    clean = servqual_gaps(_clean(data), items)["差距"]
    worst4 = clean.sort_values().index[:4]
    return bool((kept[worst4] > clean[worst4]).all())


@fact("本问卷里客户给它的重要性分最高")
def reliability_most_important(data):
    return bool(_weights(data("p04_respondents")).idxmax() == "信赖度")
