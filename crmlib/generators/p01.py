"""Synthetic datasets of project p01 认识客户关系管理工作.

The setting is the customer-service centre of 星禾电器 (a fictional
home-appliance maker in 杭州): a 400 hotline, online chat, call-backs.

* ``p01_kpi``   — monthly KPI sheet, one row per agent and month, 2025-01 … 2025-06.
* ``p01_posts`` — the centre's post design: posts, headcount, duties, targets.

Both are deterministic (fixed seed). Realistic quirks, documented in
datasets/README.md: a new hire joins in April, one agent is on sick leave in
March (tiny volume, extreme rates), February is short (春节), June has the
618 promotion surge (more contacts, slower answering).

>>> kpi = make_kpi()
>>> len(kpi), kpi["坐席编号"].nunique()
(117, 20)
>>> int(make_posts()["人数"].sum())
32
"""
import numpy as np
import pandas as pd

from . import Dataset

SEED = 20250101
MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]

# (坐席编号, 姓名, 班组, skill, speed, care): skill raises FCR, speed lowers AHT,
# care raises CSAT and lowers complaints; 0 is an average agent.
AGENTS = [
    ("KF01", "陈思雨", "热线一组", 0.8, 0.3, 0.6),
    ("KF02", "王浩然", "热线一组", 0.2, 0.6, -0.2),
    ("KF03", "李佳怡", "热线一组", 0.5, -0.4, 0.8),
    ("KF04", "赵子轩", "热线一组", -0.6, 0.2, -0.5),
    ("KF05", "孙梦琪", "热线一组", 0.1, 0.0, 0.3),
    ("KF06", "周嘉豪", "热线一组", 0.3, 0.8, 0.0),
    ("KF07", "吴雅婷", "热线一组", 0.4, 0.1, 0.5),
    ("KF08", "郑宇航", "热线二组", -0.2, -0.9, 0.1),
    ("KF09", "冯晓琳", "热线二组", 0.9, 0.4, 0.9),
    ("KF10", "蒋文博", "热线二组", 0.0, 0.3, -0.1),
    ("KF11", "韩雪", "热线二组", 0.2, -0.2, 0.4),
    ("KF12", "杨俊杰", "热线二组", -0.3, 0.5, -1.0),
    ("KF13", "朱欣然", "热线二组", 0.6, 0.2, 0.2),
    ("KF14", "许志强", "热线二组", -0.1, -0.1, 0.0),
    ("KF15", "何静怡", "在线组", 0.4, 0.0, 0.6),
    ("KF16", "高明轩", "在线组", -0.4, 0.4, -0.3),
    ("KF17", "林诗涵", "在线组", 0.7, -0.3, 0.7),
    ("KF18", "罗天宇", "在线组", 0.0, 0.1, 0.1),
    ("KF19", "梁可欣", "在线组", 0.3, 0.5, 0.2),
    ("KF20", "宋晨阳", "在线组", -0.5, -0.6, -0.2),  # new hire, from 2025-04
]
NEW_HIRE, NEW_HIRE_START = "KF20", "2025-04"
SICK_AGENT, SICK_MONTH = "KF07", "2025-03"

# Working days per month (春节 in February) and the demand factor per month (618 in June).
WORKDAYS = {"2025-01": 22, "2025-02": 17, "2025-03": 21, "2025-04": 21, "2025-05": 20, "2025-06": 21}
DEMAND = {"2025-01": 1.00, "2025-02": 0.92, "2025-03": 0.98, "2025-04": 1.00, "2025-05": 1.05, "2025-06": 1.22}


def _agent_month(rng, agent, month, months_in):
    """One row of the KPI sheet for one agent in one month."""
    code, name, team, skill, speed, care = agent
    online = team == "在线组"
    days = WORKDAYS[month] - int(rng.integers(0, 2))
    if code == SICK_AGENT and month == SICK_MONTH:
        days = 6  # sick leave: a tiny month whose rates are extreme
    rookie = 0.9 if months_in == 0 else 0.45 if months_in == 1 else 0.0  # learning curve
    per_day = (52 if online else 43) * DEMAND[month] * (1 + 0.05 * speed - 0.15 * rookie)
    contacts = int(round(days * per_day * rng.normal(1, 0.04)))
    surge = DEMAND[month] - 1
    aht = (285 if online else 265) * (1 - 0.08 * speed + 0.12 * rookie + 0.35 * max(surge, 0)) * rng.normal(1, 0.03)
    fcr = 0.80 + 0.045 * skill - 0.08 * rookie - 0.05 * max(surge, 0) + rng.normal(0, 0.012)
    sl = 0.86 + 0.02 * speed - 0.45 * max(surge, 0) + 0.25 * max(-surge, 0) + rng.normal(0, 0.015)
    rated = int(round(contacts * rng.uniform(0.22, 0.32)))
    csat = 4.55 + 0.12 * care + 0.05 * skill - 0.15 * rookie - 0.4 * max(surge, 0) + rng.normal(0, 0.03)
    complaint_rate = max(0.0012, 0.0032 - 0.0014 * care - 0.0006 * skill + 0.004 * rookie + 0.006 * max(surge, 0))
    complaints = int(rng.poisson(contacts * complaint_rate))
    if code == SICK_AGENT and month == SICK_MONTH:
        fcr, csat, complaints = 0.93, 4.95, 0
    return {
        "月份": month, "坐席编号": code, "姓名": name, "班组": team, "出勤天数": days,
        "接待量": contacts, "平均处理时长": int(round(aht)),
        "一次解决率": round(float(np.clip(fcr, 0.5, 0.99)), 3),
        "服务水平": round(float(np.clip(sl, 0.4, 0.99)), 3),
        "参评数": rated, "满意度": round(float(np.clip(csat, 1, 5)), 2), "投诉数": complaints,
    }


def make_kpi():
    """Monthly KPI sheet of the 20 agents (117 rows: KF20 starts in April)."""
    rng = np.random.default_rng(SEED)
    rows = []
    for m, month in enumerate(MONTHS):
        for agent in AGENTS:
            start = MONTHS.index(NEW_HIRE_START) if agent[0] == NEW_HIRE else -6
            if m < start:
                continue
            rows.append(_agent_month(rng, agent, month, m - start))
    return pd.DataFrame(rows)


POSTS = [
    # 岗位, 类别, 人数, 汇报对象, 主要职责, 考核指标, 月度目标, 人均月标准量 (contacts or call-backs; 0 = not a volume post)
    ("客户服务中心经理", "管理", 1, "分管副总经理",
     "制定服务策略和年度目标并分解到岗位；管理预算、流程与团队建设；处理重大客诉", "客户满意度", "全中心满意度不低于4.5分", 0),
    ("客服主管", "管理", 3, "客户服务中心经理",
     "排班与现场调度；辅导新人；处理升级来电；每日跟踪班组指标", "班组一次解决率", "班组一次解决率不低于80%", 0),
    ("热线客服专员", "一线", 14, "客服主管",
     "接听400热线，解答产品咨询，受理报修、安装预约和退换货", "接待量、一次解决率、服务水平", "20秒接通率不低于80%", 900),
    ("在线客服专员", "一线", 6, "客服主管",
     "回复官网、App和微信的在线咨询，引导自助服务，登记工单", "接待量、满意度", "会话满意度不低于4.5分", 1100),
    ("回访专员", "一线", 3, "客服主管",
     "安装维修完成后电话回访，核实服务质量，记录意见和建议", "回访量、回访成功率", "回访成功率不低于85%", 1000),
    ("投诉处理专员", "一线", 2, "客户服务中心经理",
     "受理升级投诉，协调维修、物流等部门给出方案，跟踪到结案", "投诉结案率、结案时长", "投诉3个工作日内结案率不低于95%", 0),
    ("质检专员", "支持", 2, "客户服务中心经理",
     "抽检通话录音和在线会话，评分并反馈，整理典型案例用于培训", "抽检量、质检准确率", "每名坐席每月抽检不少于10通", 0),
    ("客户信息专员", "支持", 1, "客户服务中心经理",
     "维护客户档案和工单数据，制作日报、月报，发现数据异常", "档案完整率、报表及时率", "月报在每月3日前发出", 0),
]
POST_COLUMNS = ["岗位", "类别", "人数", "汇报对象", "主要职责", "考核指标", "月度目标", "人均月标准量"]


def make_posts():
    """Post design table of the service centre (8 posts, 32 people)."""
    return pd.DataFrame(POSTS, columns=POST_COLUMNS)


DATASETS = {
    "p01_kpi": Dataset(make=make_kpi, title="星禾电器客户服务中心坐席月度绩效表"),
    "p01_posts": Dataset(make=make_posts, title="星禾电器客户服务中心岗位设计表"),
}
