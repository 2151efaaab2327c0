"""crmlib — helper library of the 客户关系管理 course.

Students use it as ``import crmlib as crm`` and call ``crm.NAME``. Importing
it changes nothing; ``crm.setup_plots()`` (first cell of every notebook)
switches matplotlib to the bundled Chinese font.
"""
from .errors import CRMError
from .checks import (CheckFailed, check_answered, check_close, check_frame, check_number,
                     check_same_items, check_series_close, ok)
from .fonts import setup_plots, use_chinese_font
from .datasets import load_dataset, read_csv

# --- p01 认识客户关系管理工作 ---

# --- p07 大客户管理 ---

# --- 题库 (quiz) ---

__version__ = "0.1.0"
