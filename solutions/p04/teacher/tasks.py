"""Hidden grading of p04's data tasks: expected values computed from the data, in the clean grading process."""

import pandas as pd

from crmlib.grading.judge import same_number, same_series, same_text, task
from crmlib.topics.servqual import DIMENSIONS, servqual_gaps, straight_liners, valid_answers


def _new_clean(data):
    answers, resp = data("p04_answers"), data("p04_respondents")
    new_resp = resp[resp["客户类型"] == "新客户"]
    keep = answers["问卷编号"].isin(new_resp["问卷编号"]) & ~answers["问卷编号"].isin(straight_liners(answers))
    return answers[keep], new_resp


@task("t1_test", "新客户差距")
def t1(ans, data):
    survey, _ = _new_clean(data)
    expected = servqual_gaps(survey, data("p04_items"))["差距"]
    return [
        same_series(
            ans["新客户差距"],
            expected,
            "新客户差距",
            hint="只用新客户的问卷，先剔除一路勾到底的问卷；差距 = 感知 − 期望，按维度对有效答案求平均。",
        )
    ]


@task("t2_test", "加权总体差距", "优先改进维度")
def t2(ans, data):
    survey, new_resp = _new_clean(data)
    weights = pd.Series(new_resp[[f"{d}重要性" for d in DIMENSIONS]].mean().to_numpy(), index=DIMENSIONS)
    table = servqual_gaps(survey, data("p04_items"), weights=weights)
    return [
        same_number(
            ans["加权总体差距"],
            float(table["加权贡献"].sum()),
            "加权总体差距",
            hint="权重用新客户自己的重要性平均分；Σ 权重 × 差距 ÷ Σ 权重。",
        ),
        same_text(
            ans["优先改进维度"],
            table["加权贡献"].idxmin(),
            "优先改进维度",
            hint="比较的是 权重 × 差距（加权贡献），取最负的那个维度。",
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
