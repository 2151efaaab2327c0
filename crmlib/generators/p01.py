"""Synthetic datasets of project p01 认识客户关系管理工作.

The setting is the customer-service centre of 星禾电器 (a fictional
home-appliance maker in 杭州): a 400 hotline, online chat, call-backs.

* ``p01_kpi``   — monthly KPI sheet, one row per agent and month, 2025-01 … 2025-06.
* ``p01_queue`` — monthly queue report, one row per queue (热线 / 在线) and month:
  calls offered, answered, answered within 20 s, abandoned, peak-hour load and
  agents logged in at the peak. Service level lives here, at queue level.
* ``p01_posts`` — the centre's post design: posts, headcount, duties, work breakdown, targets.

Both are deterministic (fixed seed). Realistic quirks, documented in
datasets/README.md: a new hire joins in April, one agent is on sick leave in
March (tiny volume, extreme rates), 春节 2025 (holiday 28 Jan – 4 Feb, make-up
working Sundays 26 Jan and Sat 8 Feb) takes days out of both January and February,
June has the 618 promotion surge (more contacts, slower answering). Working days
per month come from the real China calendar (common.workdays_per_month).

>>> kpi = make_kpi()
>>> len(kpi), kpi["坐席编号"].nunique()
(117, 20)
>>> int(make_posts()["人数"].sum())
32
"""

from functools import lru_cache

import numpy as np
import pandas as pd

from . import Dataset
from .common import workdays_per_month
from ..topics.staffing import service_level

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


@lru_cache(maxsize=None)
def workdays():
    """{month: working days} of 2025-01 … 2025-06 from the real calendar (春节 2025: 28 Jan – 4 Feb off,
    26 Jan and 8 Feb worked); computed on first use, so loading a CSV needs no calendar."""
    return {str(p): int(n) for p, n in workdays_per_month("2025-01-01", "2025-06-30").items()}


# Demand factor per working day (quiet around 春节, 618 in June).
DEMAND = {"2025-01": 0.96, "2025-02": 0.93, "2025-03": 0.98, "2025-04": 1.00, "2025-05": 1.03, "2025-06": 1.25}


def _agent_month(rng, agent, month, months_in):
    """One row of the KPI sheet for one agent in one month."""
    code, name, team, skill, speed, care = agent
    online = team == "在线组"
    days = workdays()[month] - int(rng.integers(0, 2))
    if code == SICK_AGENT and month == SICK_MONTH:
        days = 6  # sick leave: a tiny month whose rates are extreme
    rookie = 0.9 if months_in == 0 else 0.45 if months_in == 1 else 0.0  # learning curve
    per_day = (52 if online else 43) * DEMAND[month] * (1 + 0.05 * speed - 0.15 * rookie)
    contacts = int(round(days * per_day * rng.normal(1, 0.04)))
    surge = DEMAND[month] - 1
    aht = (285 if online else 265) * (1 - 0.08 * speed + 0.12 * rookie + 0.35 * max(surge, 0)) * rng.normal(1, 0.03)
    fcr = 0.80 + 0.045 * skill - 0.08 * rookie - 0.05 * max(surge, 0) + rng.normal(0, 0.012)
    rated = int(round(contacts * rng.uniform(0.22, 0.32)))
    csat = 4.55 + 0.12 * care + 0.05 * skill - 0.15 * rookie - 0.4 * max(surge, 0) + rng.normal(0, 0.03)
    complaint_rate = max(0.0003, 0.0010 - 0.0005 * care - 0.0002 * skill + 0.0012 * rookie + 0.002 * max(surge, 0))
    complaints = int(rng.poisson(contacts * complaint_rate))
    if code == SICK_AGENT and month == SICK_MONTH:
        fcr, csat, complaints = 0.93, 4.95, 0
    return {
        "月份": month,
        "坐席编号": code,
        "姓名": name,
        "班组": team,
        "出勤天数": days,
        "接待量": contacts,
        "平均处理时长": int(round(aht)),
        "一次解决率": round(float(np.clip(fcr, 0.5, 0.99)), 3),
        "参评数": rated,
        "满意度": round(float(np.clip(csat, 1, 5)), 2),
        "投诉数": complaints,
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


# Queue report of the 400 hotline (热线一组 + 热线二组). Agents logged in at the 10:00–11:00 peak hour,
# set by the supervisors' rota: fewer around 春节 (leave), one more in June — not enough for 618.
PEAK_AGENTS = {"2025-01": 9, "2025-02": 8, "2025-03": 9, "2025-04": 9, "2025-05": 9, "2025-06": 10}
PEAK_SHARE = 0.14  # share of a working day's calls arriving in the peak hour
QUEUE_COLUMNS = [
    "月份",
    "队列",
    "工作日数",
    "呼入量",
    "接通量",
    "20秒内接通量",
    "放弃量",
    "平均处理时长",
    "高峰小时来电",
    "高峰在岗坐席",
]


def make_queue():
    """Monthly report of the hotline queue: service level = 20秒内接通量 ÷ 呼入量 (abandoned calls included).

    The answered calls are the hotline agents' 接待量 from ``p01_kpi``; the share answered in time
    follows the Erlang C model at the peak hour (and a lighter load off-peak), plus noise.
    """
    kpi = make_kpi()
    rng = np.random.default_rng(SEED + 1)
    rows = []
    for month in MONTHS:
        hot = kpi[(kpi["月份"] == month) & kpi["班组"].str.startswith("热线")]
        answered = int(hot["接待量"].sum())
        aht = float((hot["接待量"] * hot["平均处理时长"]).sum() / answered)
        days = workdays()[month]
        peak = answered / days * PEAK_SHARE * rng.normal(1.04, 0.02)
        agents = PEAK_AGENTS[month]
        sl_day = 0.55 * service_level(peak, aht, agents) + 0.45 * service_level(0.6 * peak, aht, agents)
        sl_day = float(np.clip(sl_day + rng.normal(0, 0.006), 0.3, 0.99))
        abandon = (1 - sl_day) * 0.22 + 0.012
        offered = int(round(answered / (1 - abandon)))
        rows.append(
            {
                "月份": month,
                "队列": "400热线",
                "工作日数": days,
                "呼入量": offered,
                "接通量": answered,
                "20秒内接通量": int(round(offered * sl_day)),
                "放弃量": offered - answered,
                "平均处理时长": int(round(aht)),
                "高峰小时来电": int(round(peak)),
                "高峰在岗坐席": agents,
            }
        )
    return pd.DataFrame(rows, columns=QUEUE_COLUMNS)


POSTS = [
    # 岗位, 类别, 人数, 汇报对象, 主要职责, 工作明细, 考核指标, 月度目标,
    # 人均月标准量 (contacts or call-backs; 0 = not a volume post)
    (
        "客户服务中心经理",
        "管理",
        1,
        "分管副总经理",
        "制定中心的服务策略、年度目标和预算；把目标分解到岗位并检查落实；建立和修订服务标准与流程；"
        "招聘、培训和考核团队；处理重大客诉和突发事件；与销售、维修、物流等部门协调",
        "每天：看前一天的日报，处理升级到经理的客诉；每周：主持主管例会，检查目标进度；"
        "每月：写经营分析，做下月人力和预算计划，与相关部门开协调会；每年：制定年度目标和培训计划",
        "客户满意度、预算执行率",
        "全中心满意度不低于4.5分",
        0,
    ),
    (
        "客服主管",
        "管理",
        3,
        "客户服务中心经理",
        "按话务预测排班并现场调度；保证本队列的服务水平；辅导新人和未达标坐席；处理升级来电；每日跟踪班组指标",
        "每天：开班前会，盯实时队列，高峰时调人补位，下班前核对工单；每周：听组员录音、一对一辅导，排下周班表；"
        "每月：做班组绩效小结，提出人手和培训需求",
        "热线20秒接通率（队列）、班组一次解决率",
        "热线队列20秒接通率不低于80%；班组一次解决率不低于80%",
        0,
    ),
    (
        "热线客服专员",
        "一线",
        14,
        "客服主管",
        "接听400热线；解答产品和政策咨询；受理报修、安装预约和退换货并准确登记工单；按首问负责制跟进未结问题",
        "每天：提前到岗登录系统、看公告和知识库更新，按标准流程接听，下班前清理名下未结工单并交接；"
        "每周：参加例会和案例分享，听自己的录音找改进点；每月：对照个人指标做小结",
        "一次解决率、满意度、平均处理时长、投诉",
        "个人一次解决率不低于80%，满意度不低于4.5分",
        900,
    ),
    (
        "在线客服专员",
        "一线",
        6,
        "客服主管",
        "回复官网、App和微信的在线咨询；引导客户使用自助服务；登记工单；整理高频问题供知识库更新",
        "每天：登录各渠道，按话术标准同时处理多路会话，及时转交需要电话或上门的问题；"
        "每周：汇总高频问题交信息专员；每月：对照个人指标做小结",
        "会话满意度、一次解决率、投诉",
        "会话满意度不低于4.5分",
        1100,
    ),
    (
        "回访专员",
        "一线",
        3,
        "客服主管",
        "安装维修完成后电话回访；核实服务质量和收费；到期产品提醒和安全检测预约；记录意见和建议并转给相关部门",
        "每天：从系统提取前一天完工的工单，按计划回访并记录结果，把不满意的回访转投诉处理专员；"
        "每周：汇总回访中的共性问题；每月：做回访分析报告",
        "回访量、回访成功率、问题转交及时率",
        "回访成功率不低于85%",
        1000,
    ),
    (
        "投诉处理专员",
        "一线",
        2,
        "客户服务中心经理",
        "受理升级投诉；调查原因，协调维修、物流等部门给出方案；跟踪到结案并回访；分析投诉原因，提出改进建议",
        "每天：接收新投诉，24小时内联系客户，跟进在办投诉的进度；每周：召集相关部门复盘典型投诉；"
        "每月：做投诉分析报告，跟踪改进措施",
        "投诉结案率、结案时长、投诉回访满意度",
        "投诉3个工作日内结案率不低于95%",
        0,
    ),
    (
        "质检专员",
        "支持",
        2,
        "客户服务中心经理",
        "抽检通话录音和在线会话并评分；反馈问题、参与辅导；维护质检标准；整理典型案例用于培训",
        "每天：按计划抽听录音和会话记录并评分，发现严重问题当天反馈主管；"
        "每周：开质检校准会，更新案例库；每月：出质检报告，每名坐席至少抽检10通",
        "抽检量、质检准确率",
        "每名坐席每月抽检不少于10通",
        0,
    ),
    (
        "客户信息专员",
        "支持",
        1,
        "客户服务中心经理",
        "维护客户档案和工单数据；制作日报、月报和话务预测；发现数据异常；维护知识库",
        "每天：核对前一天的工单和档案，发出日报；每周：更新知识库和话务预测；每月：3日前发出月报，清理重复和缺失的档案",
        "档案完整率、报表及时率",
        "月报在每月3日前发出",
        0,
    ),
]
POST_COLUMNS = ["岗位", "类别", "人数", "汇报对象", "主要职责", "工作明细", "考核指标", "月度目标", "人均月标准量"]


def make_posts():
    """Post design table of the service centre (8 posts, 32 people)."""
    return pd.DataFrame(POSTS, columns=POST_COLUMNS)


DATASETS = {
    "p01_kpi": Dataset(make=make_kpi, title="星禾电器客户服务中心坐席月度绩效表"),
    "p01_queue": Dataset(make=make_queue, title="星禾电器400热线队列月报"),
    "p01_posts": Dataset(make=make_posts, title="星禾电器客户服务中心岗位设计表"),
}
