"""Hidden grading of p04's data tasks: expected values computed from the data, in the clean grading process."""

import pandas as pd

from crmlib.grading.judge import same_number, same_series, task
from crmlib.topics.servqual import DIMENSIONS, servqual_gaps, straight_liners, valid_answers


def _phone_new(data):
    """Answers of the new customers served by phone, and those respondents (straight-liners removed from both)."""
    answers, resp = data("p04_answers"), data("p04_respondents")
    who = resp[(resp["客户类型"] == "新客户") & (resp["渠道"] == "电话")]
    who = who[~who["问卷编号"].isin(straight_liners(answers))]  # out of the gaps and of the weights
    return answers[answers["问卷编号"].isin(who["问卷编号"])], who


@task("t1_test", "电话新客户差距")
def t1(ans, data):
    survey, _ = _phone_new(data)
    expected = servqual_gaps(survey, data("p04_items"))["差距"]
    return [
        same_series(
            ans["电话新客户差距"],
            expected,
            "电话新客户差距",
            hint="渠道是电话、客户类型是新客户，两个条件同时满足（不是全部新客户，也不是电话渠道的全部客户）；"
            "剔除一路勾到底的问卷；差距 = 感知 − 期望，按维度对有效答案求平均。",
        )
    ]


@task("t2_test", "加权总体差距", "首要维度占比")
def t2(ans, data):
    survey, who = _phone_new(data)
    weights = pd.Series(who[[f"{d}重要性" for d in DIMENSIONS]].mean().to_numpy(), index=DIMENSIONS)
    table = servqual_gaps(survey, data("p04_items"), weights=weights)
    overall = float(table["加权贡献"].sum())
    return [
        same_number(
            ans["加权总体差距"],
            overall,
            "加权总体差距",
            hint="权重用这些电话新客户自己的重要性平均分（不是全部客户或全部新客户的）；Σ 权重 × 差距 ÷ Σ 权重。",
        ),
        same_number(
            ans["首要维度占比"],
            float(table["加权贡献"].min()) / overall,
            "首要维度占比",
            hint="比较的是加权贡献（权重 × 差距），不是差距本身；取最负的那个，再除以加权总体差距，写成 0～1 的小数。",
        ),
    ]


@task("t3_test", "开放式占比")
def t3(ans, data):
    lines = data("p04_dialogues")
    asked = lines[lines["类型"].isin(["开放式提问", "封闭式提问"])]
    expected = asked["类型"].eq("开放式提问").groupby(asked["坐席编号"]).mean()
    return [
        same_series(ans["开放式占比"], expected, "开放式占比", hint="分母只算开放式和封闭式两类提问，按坐席分别计算。")
    ]


@task("t4_test", "达标比例")
def t4(ans, data):
    answers = data("p04_answers")
    clean = valid_answers(answers[~answers["问卷编号"].isin(straight_liners(answers))])
    per = clean.groupby("问卷编号")[["期望", "感知"]].mean()
    return [
        same_number(
            ans["达标比例"],
            float((per["感知"] >= per["期望"]).mean()),
            "达标比例",
            hint="按客户（问卷编号）汇总有效答案，比较平均感知和平均期望，感知不低于期望算达到。",
        )
    ]
