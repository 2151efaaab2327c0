"""crmlib — helper library of the 客户关系管理 course.

Students use it as ``import crmlib as crm`` and call ``crm.NAME``. Importing
it changes nothing; ``crm.setup()`` (first cell of every notebook) switches
matplotlib to the bundled Chinese font and adds Chinese hints under common errors.

Layout: ``course/`` is the course machinery (errors, hints, checks, charts,
fonts, datasets, manifest), ``quiz/`` the question banks, ``grading/`` the
teacher's grader, ``topics/`` the CRM logic by topic, ``widgets/`` the thin
interactive layer, ``tasks/`` each project's visible checks, ``generators/``
the synthetic data. Each section below re-exports its public names; its
``__all__`` lists them, and a test checks that no two sections share a name.
"""

# --- 课程机制 (course machinery) ---
from .course.errors import CRMError
from .course.checks import (
    CheckFailed,
    check_answered,
    check_choice,
    check_close,
    check_frame,
    check_number,
    check_same_items,
    check_series_close,
    ok,
)
from .course.visible import check_task
from .course.fonts import setup, setup_plots, use_chinese_font
from .course.datasets import load_dataset, read_csv
from .course.selfscore import score

COURSE = [
    "CRMError",
    "CheckFailed",
    "check_answered",
    "check_choice",
    "check_close",
    "check_frame",
    "check_number",
    "check_same_items",
    "check_series_close",
    "ok",
    "check_task",
    "setup",
    "setup_plots",
    "use_chinese_font",
    "load_dataset",
    "read_csv",
    "score",
]

# --- 题库 (practice quiz) ---
from .questions.answers import normalize_answer
from .questions.bank import load_bank
from .questions.keys import check_answer
from .questions.practice import quiz

QUIZ = ["normalize_answer", "load_bank", "check_answer", "quiz"]

# --- p01 认识客户关系管理工作 ---
from .topics.service import DEFAULT_TARGETS, below_target, kpi_display, meets_target, target_summary, team_kpis
from .topics.value import acquisition_vs_retention, cumulative_value, lifetime_value, value_vs_acquisition
from .topics.quality import POST_PROFILES, QUALITY_ITEMS, advice, gap_table, group_scores, post_profile, weakest_items
from .topics.posts import check_split, post_goals, split_goal
from .widgets.value_calculator import value_calculator, value_view
from .widgets.self_assessment import assessment_view, self_assessment
from .topics.staffing import agents_needed, queue_kpis, service_level, staffing_table, traffic, wait_probability
from .widgets.staffing_whatif import staffing_view, staffing_whatif

P01 = [
    "DEFAULT_TARGETS",
    "below_target",
    "kpi_display",
    "meets_target",
    "target_summary",
    "team_kpis",
    "acquisition_vs_retention",
    "cumulative_value",
    "lifetime_value",
    "value_vs_acquisition",
    "POST_PROFILES",
    "QUALITY_ITEMS",
    "advice",
    "gap_table",
    "group_scores",
    "post_profile",
    "weakest_items",
    "check_split",
    "post_goals",
    "split_goal",
    "value_calculator",
    "value_view",
    "assessment_view",
    "self_assessment",
    "agents_needed",
    "queue_kpis",
    "service_level",
    "staffing_table",
    "traffic",
    "wait_probability",
    "staffing_view",
    "staffing_whatif",
]

# --- p02 开发潜在的客户 ---
from .topics.prospects import (
    LEAD_RULES,
    LEAD_WEIGHTS,
    STAGES,
    classify_scores,
    cost_per_won,
    drop_duplicate_leads,
    find_duplicates,
    funnel,
    lead_score,
)
from .widgets.funnel_chart import funnel_chart, funnel_view, prepare_funnel
from .widgets.lead_scoring import lead_scoring, lead_scoring_view, prepare_scoring

P02 = [
    "LEAD_RULES",
    "LEAD_WEIGHTS",
    "STAGES",
    "classify_scores",
    "cost_per_won",
    "drop_duplicate_leads",
    "find_duplicates",
    "funnel",
    "lead_score",
    "funnel_chart",
    "funnel_view",
    "prepare_funnel",
    "lead_scoring",
    "lead_scoring_view",
    "prepare_scoring",
]

# --- p03 客户信息管理 ---
from .topics.customer_data import (
    clean_code,
    clean_customers,
    clean_date,
    clean_name,
    clean_phone,
    mask_address,
    mask_frame,
    mask_id,
    mask_name,
    mask_phone,
    name_key,
    near_duplicates,
    to_halfwidth,
)
from .topics.credit import (
    FACTORS_6C,
    credit_limit,
    credit_rating,
    credit_score,
    credit_table,
    current_ratio,
    days_sales_outstanding,
    debt_ratio,
    financial_ratios,
    quick_ratio,
    receivables_turnover,
)
from .topics.receivables import DEFAULT_RATES, ageing, bad_debt_provision, bucket_of, overdue_share
from .topics.archive import SCHEMA, archive_columns, build_archive, file_digest, query
from .topics.archive import tables as archive_tables
from .widgets.credit_rating import credit_rating_view, credit_rating_widget, prepare_credit_data
from .widgets.ageing_view import ageing_view, ageing_widget, prepare_ageing

P03 = [
    "clean_code",
    "clean_customers",
    "clean_date",
    "clean_name",
    "clean_phone",
    "mask_address",
    "mask_frame",
    "mask_id",
    "mask_name",
    "mask_phone",
    "name_key",
    "near_duplicates",
    "to_halfwidth",
    "FACTORS_6C",
    "credit_limit",
    "credit_rating",
    "credit_score",
    "credit_table",
    "current_ratio",
    "days_sales_outstanding",
    "debt_ratio",
    "financial_ratios",
    "quick_ratio",
    "receivables_turnover",
    "DEFAULT_RATES",
    "ageing",
    "bad_debt_provision",
    "bucket_of",
    "overdue_share",
    "SCHEMA",
    "archive_columns",
    "build_archive",
    "file_digest",
    "query",
    "archive_tables",
    "credit_rating_view",
    "credit_rating_widget",
    "prepare_credit_data",
    "ageing_view",
    "ageing_widget",
    "prepare_ageing",
]

# --- p04 客户沟通与服务 ---
from .topics.servqual import (
    DIMENSIONS,
    overall_gap,
    satisfaction_verdict,
    servqual_gaps,
    straight_liners,
    valid_answers,
)
from .widgets.expectation import expectation_sliders, expectation_view
from .widgets.servqual_weights import priority_table, segment_gaps, servqual_weights, servqual_weights_view

P04 = [
    "DIMENSIONS",
    "overall_gap",
    "satisfaction_verdict",
    "servqual_gaps",
    "straight_liners",
    "valid_answers",
    "expectation_sliders",
    "expectation_view",
    "priority_table",
    "segment_gaps",
    "servqual_weights",
    "servqual_weights_view",
]

# --- p05 正确处理客户投诉 ---
from .topics.pareto import pareto_table, vital_few
from .topics.sla import elapsed_hours, sla_share, sla_status
from .widgets.pareto_chart import pareto_chart, pareto_chart_view
from .widgets.sla_targets import prepare_sla, sla_targets, sla_targets_view

P05 = [
    "pareto_table",
    "vital_few",
    "elapsed_hours",
    "sla_share",
    "sla_status",
    "pareto_chart",
    "pareto_chart_view",
    "prepare_sla",
    "sla_targets",
    "sla_targets_view",
]

# --- p06 客户满意度与忠诚度管理 ---
from .topics.satisfaction import csi, ipa_quadrants, nps, nps_groups
from .topics.retention import clv, clv_curve, cohort_retention
from .widgets.clv_calculator import clv_calculator, clv_view
from .widgets.ipa_quadrants import ipa_explorer, ipa_view, survey_means
from .widgets.nps_whatif import nps_counts, nps_whatif, nps_whatif_view

P06 = [
    "csi",
    "ipa_quadrants",
    "nps",
    "nps_groups",
    "clv",
    "clv_curve",
    "cohort_retention",
    "clv_calculator",
    "clv_view",
    "ipa_explorer",
    "ipa_view",
    "survey_means",
    "nps_counts",
    "nps_whatif",
    "nps_whatif_view",
]

# --- p07 大客户管理 ---
from .topics.segmentation import abc_classify, customer_pyramid, pareto_share, pyramid_counts
from .topics.rfm import rfm_table
from .topics.warning_signs import account_history, warning_signs
from .widgets.abc_cutoffs import abc_cutoffs, abc_cutoffs_view, pareto_curve
from .widgets.account_risk import account_risk, account_risk_view, prepare_risk_data

P07 = [
    "abc_classify",
    "customer_pyramid",
    "pareto_share",
    "pyramid_counts",
    "rfm_table",
    "account_history",
    "warning_signs",
    "abc_cutoffs",
    "abc_cutoffs_view",
    "pareto_curve",
    "account_risk",
    "account_risk_view",
    "prepare_risk_data",
]

# --- p08 E时代的网络客户服务 ---
from .topics.online_service import (
    check_replies,
    first_response,
    reply_check,
    reply_problems,
    response_summary,
    within_target,
)
from .widgets.reply_checker import reply_checker, reply_checker_view
from .widgets.response_times import prepare_response_data, response_times, response_times_view

P08 = [
    "check_replies",
    "first_response",
    "reply_check",
    "reply_problems",
    "response_summary",
    "within_target",
    "reply_checker",
    "reply_checker_view",
    "prepare_response_data",
    "response_times",
    "response_times_view",
]

# --- p09 客户服务代表正确处理工作压力 ---
from .topics.stress import (
    PSS10_CHOICES,
    PSS10_ITEMS,
    REVERSE_ITEMS,
    pss10_band,
    pss10_score,
    pss10_scores,
    team_weeks,
    trigger_counts,
    week_start,
    weekly_workload,
)
from .widgets.pss10 import pss10, pss10_view
from .widgets.stress_log import stress_log, stress_log_view

P09 = [
    "PSS10_CHOICES",
    "PSS10_ITEMS",
    "REVERSE_ITEMS",
    "pss10_band",
    "pss10_score",
    "pss10_scores",
    "team_weeks",
    "trigger_counts",
    "week_start",
    "weekly_workload",
    "pss10",
    "pss10_view",
    "stress_log",
    "stress_log_view",
]

SECTIONS = {
    "course": COURSE,
    "quiz": QUIZ,
    "p01": P01,
    "p02": P02,
    "p03": P03,
    "p04": P04,
    "p05": P05,
    "p06": P06,
    "p07": P07,
    "p08": P08,
    "p09": P09,
}
__all__ = [name for names in SECTIONS.values() for name in names]
__version__ = "0.2.0"
