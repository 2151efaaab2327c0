"""crmlib — helper library of the 客户关系管理 course.

Students use it as ``import crmlib as crm`` and call ``crm.NAME``. Importing
it changes nothing; ``crm.setup()`` (first cell of every notebook) switches
matplotlib to the bundled Chinese font and adds Chinese hints under common errors.
"""
from .errors import CRMError
from .checks import (CheckFailed, check_answered, check_close, check_frame, check_number,
                     check_same_items, check_series_close, ok)
from .fonts import setup, setup_plots, use_chinese_font
from .datasets import load_dataset, read_csv

# --- p01 认识客户关系管理工作 ---
from .service import DEFAULT_TARGETS, below_target, kpi_display, meets_target, target_summary, team_kpis
from .value import acquisition_vs_retention, cumulative_value, lifetime_value, value_vs_acquisition
from .quality import POST_PROFILES, QUALITY_ITEMS, advice, gap_table, group_scores, post_profile, weakest_items
from .posts import check_split, post_goals, split_goal
from .widgets.value_calculator import value_calculator, value_view
from .widgets.self_assessment import assessment_view, self_assessment

# --- p07 大客户管理 ---
from .segmentation import abc_classify, customer_pyramid, pareto_share, pyramid_counts
from .rfm import rfm_table
from .warning_signs import account_history, warning_signs
from .widgets.abc_cutoffs import abc_cutoffs, abc_cutoffs_view, pareto_curve
from .widgets.account_risk import account_risk, account_risk_view, prepare_risk_data

# --- 题库 (quiz) ---
from .quiz import check_answer, check_choice, grade_choice, load_bank, normalize_answer, quiz

__version__ = "0.1.0"
