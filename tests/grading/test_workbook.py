"""The Excel gradebook, read back with openpyxl cell by cell: 学号 as text, 待批阅 not 0, Beijing time, stats."""

import csv
import datetime as dt
import re
import shutil
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from support import ROOT
from crmlib.grading.roster import Student
from crmlib.grading.workbook import Assignment, Question, Result, build_workbook, save_workbook, write_csv

STUDENTS = [
    Student("2024010", "李雷", "营销2班"),
    Student("0230415", "张子涵", "营销1班"),
    Student("0230402", "欧阳娜娜", "营销1班"),
    Student("1000001", "王芳", "营销2班"),
]
P01 = Assignment(
    "p01",
    [Question("written", 10, manual=True), Question("t1_test", 6), Question("q02_test", 2), Question("q01_test", 2)],
)
UTC = dt.timezone.utc
RESULTS = {
    # graded in full
    ("p01", "0230415"): Result(
        {"q01_test": 2, "q02_test": 0, "t1_test": 6, "written": 8}, dt.datetime(2026, 11, 23, 16, 30)
    ),
    # written answer not graded yet
    ("p01", "0230402"): Result(
        {"q01_test": 2, "q02_test": 2, "t1_test": 3, "written": None}, dt.datetime(2026, 11, 24, 1, 5, tzinfo=UTC)
    ),
    ("p01", "2024010"): Result({"q01_test": 0, "q02_test": 2, "t1_test": 0, "written": 4}, None),
    # 1000001 handed nothing in
}


@pytest.fixture
def wb():
    return build_workbook(STUDENTS, [P01], RESULTS)


def values(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


STAT = re.compile(r'=IFERROR\(ROUND\((?:(AVERAGE|MEDIAN)\(([A-Z]+\d+):([A-Z]+\d+)\)|([A-Z]+\d+)/([\d.]+)),(\d)\),""\)')


def excel(ws, value):
    """What Excel shows for one of the workbook's stat formulas (other values as they are).

    As Excel does: AVERAGE and MEDIAN over a range leave out text and empty cells; ROUND rounds half away
    from zero; IFERROR turns an error (no number in the range, text divided) into "" (read back here as None).
    """
    m = STAT.fullmatch(value) if isinstance(value, str) and value.startswith("=") else None
    if m is None:
        assert not (isinstance(value, str) and value.startswith("=")), f"unexpected formula {value}"
        return value
    func, start, end, ref, divisor, digits = m.groups()
    if func:
        nums = [
            c.value
            for row in ws[start:end]
            for c in row
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
        ]
        if not nums:
            return None
        result = statistics.mean(nums) if func == "AVERAGE" else statistics.median(nums)
    else:
        top = excel(ws, ws[ref].value)
        if not isinstance(top, (int, float)):
            return None
        result = top / float(divisor)
    rounded = Decimal(str(result)).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral() else float(rounded)


def shown(ws):
    return [[excel(ws, c.value) for c in row] for row in ws.iter_rows()]


def test_summary_sheet_cell_by_cell(wb):
    ws = wb["总表"]
    assert wb.sheetnames == ["总表", "p01"]
    assert shown(ws) == [
        ["学号", "班级", "姓名", "p01 自动（10分）", "p01 人工（10分）", "p01 总分（20分）"],
        ["0230402", "营销1班", "欧阳娜娜", 7, "待批阅", "待批阅"],
        ["0230415", "营销1班", "张子涵", 8, 8, 16],
        ["1000001", "营销2班", "王芳", "未交", "未交", "未交"],
        ["2024010", "营销2班", "李雷", 2, 4, 6],
        [None] * 6,
        ["平均分（不含未交、待批阅）", None, None, 5.67, 6, 11],
        ["中位数（不含未交、待批阅）", None, None, 7, 6, 11],
    ]
    assert ws["A2"].number_format == "@" and ws["A2"].data_type == "s"
    assert ws.freeze_panes == "D2"
    assert ws["A1"].font.bold and ws["E2"].fill.fgColor.rgb.endswith("FCE4D6")
    assert 8 <= ws.column_dimensions["C"].width <= 30 and ws.column_dimensions["A"].width >= 12


def test_assignment_sheet_per_question_and_beijing_time(wb):
    ws = wb["p01"]
    rows = shown(ws)
    assert rows[0] == [
        "学号",
        "班级",
        "姓名",
        "提交时间（北京时间）",
        "习题1（2分）",
        "习题2（2分）",
        "任务1（6分）",
        "书面作业（10分）",
        "自动",
        "人工",
        "总分",
    ]
    assert rows[1] == [
        "0230402",
        "营销1班",
        "欧阳娜娜",
        dt.datetime(2026, 11, 24, 9, 5),
        2,
        2,
        3,
        "待批阅",
        7,
        "待批阅",
        "待批阅",
    ]
    assert rows[2] == ["0230415", "营销1班", "张子涵", dt.datetime(2026, 11, 24, 0, 30), 2, 0, 6, 8, 8, 8, 16]
    assert rows[3] == ["1000001", "营销2班", "王芳", "未交", None, None, None, None, "未交", "未交", "未交"]
    assert rows[4] == ["2024010", "营销2班", "李雷", None, 0, 2, 0, 4, 2, 4, 6]
    assert rows[6] == ["平均分（不含未交、待批阅）", None, None, None, 1.33, 1.33, 3, 6, 5.67, 6, 11]
    assert rows[7] == ["中位数（不含未交、待批阅）", None, None, None, 2, 2, 3, 6, 7, 6, 11]
    assert rows[8] == ["得分率（平均分 ÷ 满分）", None, None, None, 0.665, 0.665, 0.5, 0.6, 0.567, 0.6, 0.55]
    assert ws["D3"].number_format == "yyyy-mm-dd hh:mm:ss" and ws["E9"].number_format == "0.0%"
    assert ws.freeze_panes == "E2"


def test_stats_are_formulas_that_follow_a_corrected_grade(wb):
    """The teacher corrects a grade in Excel: mean, median and score rate follow; 待批阅 and 未交 stay out."""
    ws = wb["p01"]
    assert ws["E7"].value == '=IFERROR(ROUND(AVERAGE(E2:E5),2),"")'
    assert ws["E9"].value == '=IFERROR(ROUND(E7/2,4),"")'
    ws["E5"] = 2  # 李雷's 习题1: 0 -> 2
    assert [excel(ws, ws[c].value) for c in ("E7", "E8", "E9")] == [2, 2, 1]
    ws["H2"] = 9  # 欧阳娜娜's written answer graded: now counted
    assert excel(ws, ws["H7"].value) == 7


def test_saved_file_reads_back_the_same_with_the_results_cached(wb, tmp_path):
    """Formulas stay formulas; their results are in the file too (Protected View, pandas, data_only readers)."""
    path = tmp_path / "成绩.xlsx"
    save_workbook(wb, path)
    back = load_workbook(path)
    for sheet in ("总表", "p01"):
        assert values(back[sheet]) == values(wb[sheet])
    assert back["总表"]["A2"].value == "0230402" and back["p01"]["D3"].value == dt.datetime(2026, 11, 24, 0, 30)
    cached = load_workbook(path, data_only=True)
    for sheet in ("总表", "p01"):
        assert values(cached[sheet]) == shown(wb[sheet]), sheet
    assert pd.read_excel(path, sheet_name="p01", header=None).iloc[6, 4] == 1.33


def test_a_column_without_a_number_caches_an_empty_text(tmp_path):
    wb = build_workbook(STUDENTS, [P01], {})  # nobody handed in: every mean is IFERROR's ""
    save_workbook(wb, tmp_path / "成绩.xlsx")
    cached = load_workbook(tmp_path / "成绩.xlsx", data_only=True)["p01"]
    assert cached["E7"].value in ("", None) and excel(wb["p01"], wb["p01"]["E7"].value) is None


def test_no_student_and_no_assignment_still_makes_a_workbook():
    wb = build_workbook([], [P01], {})
    assert values(wb["总表"])[0][:3] == ["学号", "班级", "姓名"]
    wb = build_workbook(STUDENTS, [], {})
    assert [r[0] for r in values(wb["总表"])[1:5]] == ["0230402", "0230415", "1000001", "2024010"]


def test_csv_option_keeps_leading_zeros_for_excel(tmp_path):
    path = tmp_path / "成绩.csv"
    write_csv(path, STUDENTS, [P01], RESULTS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][-1] == "p01 提交时间（北京时间）"
    assert rows[1] == ['="0230402"', "营销1班", "欧阳娜娜", "7", "待批阅", "待批阅", "2026-11-24 09:05:00"]
    assert rows[3] == ['="1000001"', "营销2班", "王芳", "未交", "未交", "未交", ""]


@pytest.mark.full
def test_export_reads_nbgrader_gradebook(tmp_path):
    """Through nbgrader's own database: a graded, a pending and a missing student."""
    from nbgrader.api import Gradebook

    from crmlib.grading.gradebook import db_url
    from crmlib.grading.roster import save_roster
    from crmlib.grading.workbook import export

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    (tmp_path / "grading").mkdir()
    save_roster(tmp_path, {s.sid: s for s in STUDENTS[1:3]})
    with Gradebook(db_url(tmp_path)) as gb:
        gb.add_assignment("p01")
        gb.add_notebook("p01_demo", "p01")
        gb.add_grade_cell("q01_test", "p01_demo", "p01", max_score=2, cell_type="code")
        gb.add_grade_cell("written", "p01_demo", "p01", max_score=10, cell_type="markdown")
        gb.add_solution_cell("written", "p01_demo", "p01")
        for s in STUDENTS[1:3]:
            gb.update_or_create_student(s.sid, last_name=s.name[0], first_name=s.name[1:])
        gb.add_submission("p01", "0230415", timestamp=dt.datetime(2026, 11, 23, 16, 30))
        g = gb.find_grade("q01_test", "p01_demo", "p01", "0230415")
        g.auto_score, g.needs_manual_grade = 2, False
        w = gb.find_grade("written", "p01_demo", "p01", "0230415")
        w.needs_manual_grade = True
        gb.db.commit()
    dest = tmp_path / "成绩.xlsx"
    msg = export(tmp_path, dest)
    assert "已导出 2 位学生、1 个作业" in msg and "1 道书面题待批阅" in msg
    ws = load_workbook(dest)["p01"]
    assert values(ws)[1] == ["0230402", "营销1班", "欧阳娜娜", "未交", None, None, "未交", "未交", "未交"]
    assert values(ws)[2] == [
        "0230415",
        "营销1班",
        "张子涵",
        dt.datetime(2026, 11, 24, 0, 30),
        2,
        "待批阅",
        2,
        "待批阅",
        "待批阅",
    ]
