"""p01 pure functions (service KPIs, customer value, quality self-assessment, post goals),
the p01 datasets and the two widget views, against small hand-computed cases."""

import math
from pathlib import Path

import pandas as pd
import pytest

import crmlib as crm
from crmlib import CRMError
from crmlib.generators.common import workdays_per_month
from crmlib.generators.p01 import make_kpi, make_posts, make_queue
from crmlib.widgets.self_assessment import build_self_assessment
from crmlib.widgets.staffing_whatif import build_staffing
from crmlib.widgets.value_calculator import build_value_calculator


def sheet(**over):
    """Two agents × two months, numbers chosen to make hand computation easy."""
    df = pd.DataFrame(
        {
            "月份": ["2025-01", "2025-02", "2025-01", "2025-02"],
            "坐席编号": ["A", "A", "B", "B"],
            "姓名": ["甲", "甲", "乙", "乙"],
            "班组": ["一组", "一组", "二组", "二组"],
            "接待量": [100, 300, 200, 200],
            "平均处理时长": [200, 300, 250, 350],
            "一次解决率": [0.9, 0.7, 0.85, 0.75],
            "参评数": [10, 30, 20, 20],
            "满意度": [5.0, 4.0, 4.5, 4.3],
            "投诉数": [0, 2, 1, 3],
        }
    )
    for k, v in over.items():
        df[k] = v
    return df


# ------------------------------------------------------------------ service KPIs


def test_team_kpis_weights_rates_by_their_denominators():
    out = crm.team_kpis(sheet(), by="班组")
    a = out.loc["一组"]
    assert a["接待量"] == 400
    assert a["平均处理时长"] == pytest.approx((100 * 200 + 300 * 300) / 400)  # 275
    assert a["一次解决率"] == pytest.approx((90 + 210) / 400)  # 0.75, not the plain mean 0.8
    assert a["满意度"] == pytest.approx((10 * 5 + 30 * 4) / 40)  # weighted by 参评数: 4.25
    assert a["万投比"] == pytest.approx(2 / 400 * 10000)  # 50 per 10,000 contacts
    assert list(out.columns) == ["接待量", "平均处理时长", "一次解决率", "满意度", "万投比"]
    assert "服务水平" not in crm.DEFAULT_TARGETS  # a queue measure, never an agent target


def test_team_kpis_whole_sheet_and_several_keys():
    whole = crm.team_kpis(sheet(), by=None)
    assert whole.index.tolist() == ["全部"]
    assert whole.loc["全部", "接待量"] == 800
    assert whole.loc["全部", "一次解决率"] == pytest.approx((90 + 210 + 170 + 150) / 800)
    per = crm.team_kpis(sheet(), by=["坐席编号", "姓名"])
    assert per.index.tolist() == [("A", "甲"), ("B", "乙")]


def test_meets_target_directions():
    k = pd.DataFrame({"平均处理时长": [300, 301], "满意度": [4.5, 4.49]}, index=["x", "y"])
    ok = crm.meets_target(k, {"平均处理时长": 300, "满意度": 4.5})
    assert ok.loc["x"].tolist() == [True, True]  # boundaries pass
    assert ok.loc["y"].tolist() == [False, False]


def test_below_target_lists_each_miss():
    out = crm.below_target(sheet(), {"一次解决率": 0.78, "万投比": 60})
    # A: FCR 0.75 (miss), complaints 50 per 10k (ok); B: FCR 0.8 (ok), complaints 100 per 10k (miss)
    assert out[["坐席编号", "指标"]].values.tolist() == [["A", "一次解决率"], ["B", "万投比"]]
    assert out["差距"].tolist() == pytest.approx([0.03, 40])
    assert list(out.columns) == ["坐席编号", "姓名", "指标", "实际", "目标", "差距"]
    assert crm.below_target(sheet(), {"一次解决率": 0.5}).empty


def test_target_summary_counts():
    s = crm.target_summary(sheet(), {"一次解决率": 0.78})
    assert s.loc["一次解决率", ["达标人数", "未达标人数", "达标率"]].tolist() == [1, 1, 0.5]


def test_kpi_display_formats_text():
    shown = crm.kpi_display(crm.team_kpis(sheet(), by=None))
    assert shown.loc["全部", "一次解决率"] == "77.5%"
    assert shown.loc["全部", "接待量"] == "800"


@pytest.mark.parametrize(
    "bad, word",
    [
        (lambda: crm.team_kpis(sheet().drop(columns="参评数")), "参评数"),
        (lambda: crm.team_kpis(sheet().iloc[0:0]), "空"),
        (lambda: crm.team_kpis(sheet(接待量=[100, -1, 200, 200])), "负数"),
        (lambda: crm.team_kpis(sheet(一次解决率=["90%", "70%", "85%", "75%"])), "数字"),
        (lambda: crm.team_kpis(sheet(一次解决率=[90, 70, 85, 75])), "百分数"),
        (lambda: crm.team_kpis(sheet(满意度=[5, 6, 4, 4])), "满意度"),
        (lambda: crm.team_kpis(sheet(), by="部门"), "部门"),
        (lambda: crm.team_kpis("不是表格"), "DataFrame"),
        (lambda: crm.team_kpis(sheet(接待量=[0, 0, 0, 0])), "合计为 0"),
        (lambda: crm.below_target(sheet(), {"接通率": 0.8}), "接通率"),
        (lambda: crm.below_target(sheet(), {"满意度": "4.5"}), "满意度"),
        (lambda: crm.below_target(sheet(), [0.8]), "字典"),
        (lambda: crm.below_target(sheet(), by=[]), "by"),
        (lambda: crm.kpi_display([1, 2]), "DataFrame"),
        (lambda: crm.kpi_display(pd.DataFrame()), "空"),
        (lambda: crm.kpi_display(pd.DataFrame({"备注": ["甲"]})), "指标列"),
    ],
)
def test_service_bad_input(bad, word):
    with pytest.raises(CRMError, match=word):
        bad()


# ------------------------------------------------------------------ customer value


def test_lifetime_value_hand_computed():
    assert crm.lifetime_value(150, 100, 20) == 300000
    assert crm.lifetime_value(3000, 0.5, 20, margin=0.25) == 7500
    assert crm.lifetime_value(10, 0, 5) == 0


def test_cumulative_value_by_year():
    c = crm.cumulative_value(3000, 0.5, 4, margin=0.25)
    assert c.index.tolist() == [1, 2, 3, 4] and c.index.name == "年"
    assert c.tolist() == [375, 750, 1125, 1500]


def test_value_vs_acquisition():
    r = crm.value_vs_acquisition(3000, 0.5, 20, acquisition_cost=800, margin=0.25)
    assert r["终身消费额"] == 30000 and r["终身价值"] == 7500
    assert r["价值倍数"] == pytest.approx(9.375)
    assert r["回本消费次数"] == 2  # 800 / 750 per purchase, rounded up
    assert r["回本年数"] == pytest.approx(800 / 375)
    exact = crm.value_vs_acquisition(100, 10, 1, acquisition_cost=300)  # no margin: revenue
    assert exact["回本消费次数"] == 3 and exact["价值倍数"] == pytest.approx(1000 / 300)
    never = crm.value_vs_acquisition(0, 10, 5, acquisition_cost=100)
    assert never["价值倍数"] == 0 and math.isinf(never["回本消费次数"])


def test_discounted_value_hand_computed():
    # 375 a year for 2 years at 10 %: 375/1.1 + 375/1.21
    assert crm.lifetime_value(3000, 0.5, 2, margin=0.25, discount=0.1) == pytest.approx(375 / 1.1 + 375 / 1.21)
    assert crm.lifetime_value(3000, 0.5, 20, margin=0.25, discount=0.0) == 7500
    c = crm.cumulative_value(3000, 0.5, 20, margin=0.25, discount=0.05)
    assert c.iloc[-1] == pytest.approx(375 * (1 - 1.05**-20) / 0.05)  # annuity factor 12.46
    assert c.is_monotonic_increasing and c.iloc[-1] < 7500
    with pytest.raises(CRMError, match="折现率"):
        crm.lifetime_value(100, 1, 2, discount=5)


def test_payback_within_the_period():
    assert crm.value_vs_acquisition(3000, 0.5, 20, acquisition_cost=800, margin=0.25)["期内回本"]
    assert not crm.value_vs_acquisition(3000, 0.5, 2, acquisition_cost=800, margin=0.25)["期内回本"]  # 750 < 800
    assert crm.value_vs_acquisition(100, 10, 1, acquisition_cost=1000)["期内回本"]  # boundary: exactly even


def test_acquisition_vs_retention():
    assert crm.acquisition_vs_retention(500, 120, multiple=5) == {
        "留住老客户的成本": 60000.0,
        "开发同样多新客户的成本": 300000.0,
        "多花的钱": 240000.0,
    }
    assert crm.acquisition_vs_retention(1, 100, multiple=6)["开发同样多新客户的成本"] == 600


@pytest.mark.parametrize(
    "bad, word",
    [
        (lambda: crm.lifetime_value(-5, 10, 2), "单次消费额"),
        (lambda: crm.lifetime_value("100", 10, 2), "单次消费额"),
        (lambda: crm.lifetime_value(100, 10, 2, margin=25), "毛利率"),
        (lambda: crm.lifetime_value(100, -1, 2), "每年消费次数"),
        (lambda: crm.cumulative_value(100, 10, 2.5), "整数"),
        (lambda: crm.cumulative_value(100, 10, 0), "整数"),
        (lambda: crm.value_vs_acquisition(100, 10, 2, acquisition_cost=0), "获客成本"),
        (lambda: crm.value_vs_acquisition(100, 10, 2, acquisition_cost=-1), "获客成本"),
        (lambda: crm.acquisition_vs_retention(10, 50, multiple=0.5), "倍数"),
        (lambda: crm.acquisition_vs_retention(True, 50), "客户数"),
    ],
)
def test_value_bad_input(bad, word):
    with pytest.raises(CRMError, match=word):
        bad()


# ------------------------------------------------------------------ quality self-assessment


def test_group_scores_from_items_and_groups():
    items = {
        "遇事冷静应变": 2,
        "承受挫折委屈": 4,
        "忍耐与宽容": 5,
        "清楚表达": 3,
        "熟悉产品与行业": 4,
        "客户至上观念": 1,
    }
    assert crm.group_scores(items).tolist() == [3.0, 5.0, 3.5, 1.0]
    groups = {"综合素质": 2, "心理素质": 4, "品格素质": 5, "技能素质": 3}
    assert crm.group_scores(groups).index.tolist() == ["心理素质", "品格素质", "技能素质", "综合素质"]


def test_gap_table_and_advice():
    t = crm.gap_table({"心理素质": 3, "品格素质": 4, "技能素质": 4.5, "综合素质": 2}, "投诉处理专员")
    assert t["岗位要求"].tolist() == [5, 4, 4, 4]
    assert t["差距"].tolist() == [-2, 0, 0.5, -2]
    assert t["结论"].tolist() == ["需要提升", "达到要求", "达到要求", "需要提升"]
    tips = crm.advice({"心理素质": 3, "品格素质": 4, "技能素质": 4.5, "综合素质": 2}, "投诉处理专员")
    assert len(tips) == 2 and tips[0].startswith("心理素质（差 2 分）") and tips[1].startswith("综合素质")


def test_weakest_items():
    assert crm.weakest_items({"清楚表达": 2, "忍耐与宽容": 4, "客户至上观念": 3, "独立处理工作": 2}, n=2) == [
        "清楚表达",
        "独立处理工作",
    ]


def test_every_post_has_all_groups():
    for post, need in crm.POST_PROFILES.items():
        assert list(need) == list(crm.QUALITY_ITEMS), post
        assert all(1 <= v <= 5 for v in need.values()), post


@pytest.mark.parametrize(
    "bad, word",
    [
        (lambda: crm.group_scores({"心理素质": 4, "品格素质": 5}), "技能素质"),
        (lambda: crm.group_scores({"心理素质": 6, "品格素质": 5, "技能素质": 3, "综合素质": 3}), "1～5"),
        (lambda: crm.group_scores({"清楚表达": "4"}), "清楚表达"),
        (lambda: crm.group_scores({"会唱歌": 4}), "会唱歌"),
        (lambda: crm.group_scores({"清楚表达": 4}), "心理素质"),
        (lambda: crm.group_scores([4, 4, 4, 4]), "字典"),
        (lambda: crm.gap_table({"心理素质": 4, "品格素质": 4, "技能素质": 4, "综合素质": 4}, "总经理"), "总经理"),
        (lambda: crm.weakest_items({"心理素质": 4}), "项目"),
        (lambda: crm.weakest_items({"清楚表达": 4}, n=0), "n"),
    ],
)
def test_quality_bad_input(bad, word):
    with pytest.raises(CRMError, match=word):
        bad()


# ------------------------------------------------------------------ posts and goal decomposition


def test_split_goal_keeps_the_total():
    parts = crm.split_goal(1000, {"小叶": 22, "小郑": 21, "小韩": 20})
    assert parts.tolist() == [349, 333, 318] and parts.sum() == 1000
    assert crm.split_goal(100, pd.Series([1, 1, 1], index=list("abc"))).tolist() == [34, 33, 33]
    assert crm.split_goal(10, {"甲": 3, "乙": 0}).tolist() == [10, 0]
    assert crm.split_goal(1, {"甲": 1, "乙": 1, "丙": 1}, decimals=2).sum() == pytest.approx(1)


def test_post_goals_by_capacity():
    posts = pd.DataFrame({"岗位": ["热线", "在线", "经理"], "人数": [14, 6, 1], "人均月标准量": [900, 1100, 0]})
    out = crm.post_goals(posts, 20000)
    assert out["岗位"].tolist() == ["热线", "在线"]  # the manager carries no volume
    assert out["标准产能"].tolist() == [12600, 6600]
    assert out["岗位目标"].sum() == 20000
    assert out["岗位目标"].tolist() == [13125, 6875]  # 20000 × 12600/19200, 20000 × 6600/19200
    assert out["人均目标"].tolist() == [937.5, 1145.8]  # 13125 / 14, 6875 / 6 to 0.1
    assert out["负荷率"].tolist() == [1.042, 1.042]


def test_check_split():
    assert crm.check_split({"甲": 60, "乙": 40}, 100)
    assert crm.check_split(pd.Series([33.3, 66.7]), 100)
    with pytest.raises(CRMError, match="多分了 5"):
        crm.check_split({"甲": 65, "乙": 40}, 100)


@pytest.mark.parametrize(
    "bad, word",
    [
        (lambda: crm.split_goal(-10, {"甲": 1}), "部门目标"),
        (lambda: crm.split_goal(10, {"甲": 0, "乙": 0}), "全部为 0"),
        (lambda: crm.split_goal(10, {"甲": -1, "乙": 2}), "负数"),
        (lambda: crm.split_goal(10, {}), "空"),
        (lambda: crm.split_goal(10, [1, 2]), "字典"),
        (lambda: crm.split_goal(10, {"甲": 1}, decimals=-1), "decimals"),
        (lambda: crm.post_goals(make_posts().drop(columns="人数"), 100), "人数"),
        (lambda: crm.post_goals(make_posts().assign(人均月标准量=0), 100), "大于 0"),
        (lambda: crm.post_goals(pd.concat([make_posts(), make_posts()]), 100), "重复"),
        (lambda: crm.post_goals(make_posts().iloc[0:0], 100), "空"),
        (lambda: crm.check_split({"甲": 1}, "100"), "部门目标"),
    ],
)
def test_posts_bad_input(bad, word):
    with pytest.raises(CRMError, match=word):
        bad()


# ------------------------------------------------------------------ datasets


def test_kpi_dataset_shape_and_quirks():
    k = make_kpi()
    assert len(k) == 117 and k["坐席编号"].nunique() == 20
    assert k.equals(make_kpi())  # deterministic
    assert k.loc[k["坐席编号"] == "KF20", "月份"].tolist() == ["2025-04", "2025-05", "2025-06"]
    sick = k[(k["坐席编号"] == "KF07") & (k["月份"] == "2025-03")].iloc[0]
    assert sick["出勤天数"] == 6 and sick["接待量"] < 400
    monthly = crm.team_kpis(k, by="月份")
    assert monthly["接待量"].idxmin() == "2025-01" and monthly["接待量"].idxmax() == "2025-06"
    assert "服务水平" not in k.columns  # a queue measure, kept out of the agent sheet
    assert k["一次解决率"].between(0, 1).all()
    days = workdays_per_month("2025-01-01", "2025-06-30")
    assert days.tolist() == [19, 19, 21, 22, 19, 20]  # 春节 28 Jan – 4 Feb, 调休 26 Jan / 8 Feb
    most = k.groupby("月份")["出勤天数"].max()
    assert (most.to_numpy() <= days.to_numpy()).all() and (most.to_numpy() >= days.to_numpy() - 1).all()
    rate = monthly["万投比"]
    assert 5 < rate.min() and rate.max() < 20  # complaints per 10,000 contacts: about one in a thousand
    assert k["满意度"].between(1, 5).all() and (k["参评数"] <= k["接待量"]).all()


def test_queue_dataset_is_consistent_with_the_kpi_sheet():
    q, k = make_queue(), make_kpi()
    hot = k[k["班组"].str.startswith("热线")].groupby("月份")["接待量"].sum()
    assert q["接通量"].tolist() == hot.tolist()
    assert (q["呼入量"] == q["接通量"] + q["放弃量"]).all() and (q["20秒内接通量"] <= q["接通量"]).all()
    sl = crm.queue_kpis(q)["服务水平"]
    assert sl["2025-06"] < 0.8 < sl.drop("2025-06").min()
    assert q["工作日数"].tolist() == workdays_per_month("2025-01-01", "2025-06-30").tolist()


def test_posts_dataset_matches_kpi_teams():
    p = make_posts().set_index("岗位")
    assert p["人数"].sum() == 32
    k = make_kpi()
    june = k[k["月份"] == "2025-06"]
    assert p.loc["热线客服专员", "人数"] == june["班组"].str.startswith("热线").sum()
    assert p.loc["在线客服专员", "人数"] == (june["班组"] == "在线组").sum()


def test_load_dataset_round_trip():
    pd.testing.assert_frame_equal(crm.load_dataset("p01_kpi"), make_kpi(), check_dtype=False)
    pd.testing.assert_frame_equal(crm.load_dataset("p01_posts"), make_posts(), check_dtype=False)
    pd.testing.assert_frame_equal(crm.load_dataset("p01_queue"), make_queue(), check_dtype=False)


def test_posts_carry_duties_and_work_breakdown_and_no_agent_service_level():
    p = make_posts()
    assert p["工作明细"].str.contains("每天").all() and p["工作明细"].str.contains("每月").all()
    assert (p["主要职责"].str.count("；") >= 2).all()
    agents = p[p["岗位"].isin(["热线客服专员", "在线客服专员"])]
    assert not agents[["考核指标", "月度目标"]].stack().str.contains("接通|服务水平").any()
    assert p.set_index("岗位").loc["客服主管", "考核指标"].startswith("热线20秒接通率")


# ------------------------------------------------------------------ widget views


def test_value_view_shows_computed_numbers():
    html = crm.value_view(200, 12, 5, 600, margin=0.25)
    assert "12,000 元" in html and "3,000 元" in html and "5.0 倍" in html and "12 次消费" in html
    assert html.count("<svg") == 1 and "获客成本" in html
    low = crm.value_view(100, 1, 1, 5000, margin=0.2)
    assert "合作期内收不回" in low and "回本需要" not in low
    one_year = crm.value_view(150, 50, 1, 1500, margin=0.2)  # the review case: exactly pays back in year 1
    assert "1.0 倍" in one_year and "合作期内收不回" not in one_year
    short = crm.value_view(150, 50, 1, 3000, margin=0.2)
    assert "合作期内收不回" in short and "约 2.0 年" in short and "年回本" not in short
    discounted = crm.value_view(3000, 0.5, 20, 800, margin=0.25, discount=0.05)
    assert "4,673 元" in discounted and "折现率 5%" in discounted


def test_assessment_view_shows_gaps_and_advice():
    html = crm.assessment_view({"心理素质": 3, "品格素质": 4, "技能素质": 4.5, "综合素质": 2}, "投诉处理专员")
    assert "<svg" in html and "投诉处理专员要求" in html
    assert "-2.00" in html and "+0.50" in html and "2/4" in html and "需要提升" in html


def test_widgets_build_and_update():
    box = build_value_calculator(years=3)
    out = box.children[-1]
    years = next(s for s in box.children if getattr(s, "description", "") == "合作年数")
    years.value = 7
    assert out.value == crm.value_view(150, 50, 7, 1500, margin=0.2)
    box = build_staffing(agents=9)
    out = box.children[-1]
    next(s for s in box.children if getattr(s, "description", "") == "在岗坐席数").value = 12
    assert out.value == crm.staffing_view(106, 284, 12) and "√" in out.value
    box = build_self_assessment("回访专员", start=5)
    out = box.children[3]
    assert "4/4" in out.value
    box.children[1].value = "投诉处理专员"
    assert "投诉处理专员要求" in out.value


def test_widgets_render_static_when_grading(monkeypatch):
    shown = []
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    crm.value_calculator()
    crm.self_assessment()
    crm.staffing_whatif()
    assert [type(s).__name__ for s in shown] == ["HTML", "HTML", "HTML"]
    assert "<svg" in shown[0].data and "<svg" in shown[1].data


def test_self_assessment_saves_and_reloads_in_the_workspace(tmp_path, monkeypatch):
    import ipywidgets as w

    monkeypatch.chdir(tmp_path)
    box = build_self_assessment()
    sliders = [c for c in _walk_widgets(box) if isinstance(c, w.IntSlider)]
    sliders[0].value = 5
    next(c for c in _walk_widgets(box) if isinstance(c, w.Button)).click()
    assert (tmp_path / "saved" / "p01_self_assessment.json").exists()
    table = next(c for c in _walk_widgets(box) if isinstance(c, w.Textarea)).value
    assert table.startswith("| 素质 | 自评 |") and "遇事冷静应变 5" in table
    again = build_self_assessment()
    assert [c for c in _walk_widgets(again) if isinstance(c, w.IntSlider)][0].value == 5


def _walk_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk_widgets(child)


# ------------------------------------------------------------------ task 3: August post goals (visible check, hidden grading)


def _t3_right():
    """The master's solution: the two new online agents count at half the standard in August."""
    p = crm.load_dataset("p01_posts")
    active = p[p["人均月标准量"] > 0].set_index("岗位")
    heads = active["人数"].astype(float)
    heads["在线客服专员"] = 6 + 2 * 0.5
    capacity = heads * active["人均月标准量"]
    return 26000 * capacity / capacity.sum()


def _t3_mistakes():
    """{match: wrong 八月岗位目标} for every mistake task 3's check names, computed independently of the check."""
    p = crm.load_dataset("p01_posts")
    eight = p.assign(人数=p["人数"].where(p["岗位"] != "在线客服专员", 8))
    naive = crm.post_goals(eight, 26000).set_index("岗位")["岗位目标"]  # the worked cell with the numbers edited
    six = crm.post_goals(p, 26000).set_index("岗位")["岗位目标"]
    active = eight[eight["人均月标准量"] > 0].set_index("岗位")
    halved = active["人数"] * active["人均月标准量"] * active.index.map({"在线客服专员": 0.5}).fillna(1).to_numpy()
    heads = active["人数"]
    return {
        "100%": naive,
        "还按 6 人": six,
        "全部 8 人": 26000 * halved / halved.sum(),
        "只按人数": 26000 * heads / heads.sum(),
        "折算人数": 26000 * heads.where(heads.index != "在线客服专员", 7) / (heads.sum() - 1),
        "整数百分比": 26000 * (_t3_right() / 26000).round(2),
    }


def test_t3_right_values_and_no_post_goals_shortcut():
    right = _t3_right()
    assert right.round(2).to_dict() == {"热线客服专员": 14060.09, "在线客服专员": 8592.27, "回访专员": 3347.64}
    assert right.sum() == pytest.approx(26000)
    p = crm.load_dataset("p01_posts")
    # neither the worked cell (post_goals of the post table) nor the naive edit to 8 agents gives the answer
    for people in (6, 8):
        table = p.assign(人数=p["人数"].where(p["岗位"] != "在线客服专员", people))
        goals = crm.post_goals(table, 26000).set_index("岗位")["岗位目标"]
        assert (goals - right.reindex(goals.index)).abs().min() > 100, people


def test_t3_visible_check_passes_right_answers():
    from crmlib.tasks import p01 as visible

    right = _t3_right()
    visible.t3(right)
    visible.t3(right.to_dict())  # a dict counts, as in the hidden grading
    visible.t3(right.round())  # whole numbers are allowed
    visible.t3(crm.split_goal(26000, right))


def test_t3_mistakes_are_named():
    from crmlib.course.checks import CheckFailed
    from crmlib.course.visible import same_value
    from crmlib.tasks import p01 as visible

    right = _t3_right()
    for match, wrong in _t3_mistakes().items():
        wrong = wrong.reindex(right.index).astype(float)
        # every post differs from the right split by far more than a 4-figure rounding
        assert not any(same_value(wrong[k], right[k]) for k in right.index), match
        assert (wrong - right).abs().min() > 10, match
        for shown in (wrong, wrong.round()):
            with pytest.raises(CheckFailed, match=match):
                visible.t3(shown)
    with pytest.raises(CheckFailed, match="3 个岗位"):
        visible.t3(right.drop("回访专员"))
    with pytest.raises(CheckFailed, match="26000"):
        visible.t3(right * 1.1)
    with pytest.raises(CheckFailed, match="Series"):
        visible.t3(right.tolist())


def test_t3_hidden_grading():
    from support import load_file

    from crmlib.grading.judge import MISSING, tasks_of

    task = tasks_of(load_file(Path(__file__).resolve().parents[2] / "solutions/p01/teacher/tasks.py", "p01_tasks"))[
        "t3_test"
    ]

    def score(value):
        results = task.func({"八月岗位目标": value}, crm.load_dataset)
        return sum(r.weight for r in results if r.ok) / sum(r.weight for r in results)

    right = _t3_right()
    assert score(right) == 1
    assert score(right.map(lambda v: float(f"{v:.4g}"))) == 1
    assert score(crm.split_goal(26000, right)) == 1
    for match, wrong in _t3_mistakes().items():
        assert score(wrong) == 0, match
    assert score(MISSING) == 0
