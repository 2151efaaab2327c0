"""The roster as Excel writes it: xlsx, CSV UTF-8 with or without BOM, GBK; 学号 as text; Chinese errors with row and column."""

import shutil

import pytest

from support import ROOT
from crmlib.grading.roster import (
    RosterError,
    Student,
    load_roster,
    merge,
    parse_rows,
    read_roster,
    save_roster,
    split_name,
    doubts,
)

ROWS = [["学号", "姓名", "班级"], ["0230415", "张子涵", "营销1班"], ["0230402", "欧阳娜娜", "营销2班"]]


def _csv(rows, sep=","):
    return "\r\n".join(sep.join(r) for r in rows) + "\r\n"


def _expected(students):
    return [(s.sid, s.name, s.klass, s.last, s.first) for s in students]


WANT = [("0230415", "张子涵", "营销1班", "张", "子涵"), ("0230402", "欧阳娜娜", "营销2班", "欧阳", "娜娜")]


def test_excel_gbk_csv(tmp_path):
    """Excel's default "CSV(逗号分隔)" on a Chinese PC is GBK."""
    path = tmp_path / "名单.csv"
    path.write_bytes(_csv(ROWS).encode("gbk"))
    assert _expected(read_roster(path)) == WANT


def test_excel_utf8_bom_csv(tmp_path):
    """Excel's "CSV UTF-8" starts with a BOM (nbgrader saw the header as '\\ufeffid')."""
    path = tmp_path / "名单.csv"
    path.write_bytes(_csv(ROWS).encode("utf-8-sig"))
    assert _expected(read_roster(path)) == WANT


def test_plain_utf8_and_tab_separated(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_text(_csv(ROWS, "\t"), encoding="utf-8")
    assert _expected(read_roster(path)) == WANT


def test_xlsx_keeps_leading_zeros_text_and_zero_formatted_numbers(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2024级市场营销专业学生名单"])  # a title row above the header
    ws.append(["序号", "学号", "姓", "名", "班级"])
    ws.append([1, "0230415", "张", "子涵", "营销1班"])
    ws.append([2, 230402, "欧阳", "娜娜", "营销2班"])
    ws["B4"].number_format = "0000000"  # typed as a number, shown with zeros by the cell format
    ws.append([3, 2024001.0, "李", "雷", None])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    got = read_roster(path)
    assert [(s.sid, s.name, s.klass, s.row) for s in got] == [
        ("0230415", "张子涵", "营销1班", 3),
        ("0230402", "欧阳娜娜", "营销2班", 4),
        ("2024001", "李雷", "", 5),
    ]


def test_nbgrader_english_headers_still_work():
    got = parse_rows([["id", "last_name", "first_name"], ["2024001", "张", "小明"]])
    assert _expected(got) == [("2024001", "张小明", "", "张", "小明")]


def test_errors_name_row_and_column_in_chinese():
    rows = [
        ["姓名", "学号"],
        ["张三", ""],
        ["李四", "2.02401E+11"],
        ["", "0230417"],
        ["王五", "0230418"],
        ["赵六", "0230418"],
        ["孙七", "02 30419"],
    ]
    with pytest.raises(RosterError) as err:
        parse_rows(rows)
    msg = str(err.value)
    assert "第 2 行 B 列（学号）是空的" in msg
    assert "第 3 行 B 列（学号）是“2.02401E+11”" in msg and "科学计数法" in msg and "文本" in msg
    assert "第 4 行 A 列（姓名）是空的" in msg
    assert "第 6 行 B 列（学号）的学号 0230418 在第 5 行已经出现过（王五 和 赵六）" in msg
    assert "第 7 行 B 列（学号）“02 30419”含有空格" in msg


def test_missing_columns_teach_the_header():
    with pytest.raises(RosterError, match="没有找到“学号”这一列"):
        parse_rows([["编号", "姓名"], ["1", "张三"]])
    with pytest.raises(RosterError, match="第 1 行有“学号”列，但没有“姓名”列"):
        parse_rows([["学号", "班级"], ["1", "营销1班"]])


def test_unreadable_files_say_what_to_do(tmp_path):
    with pytest.raises(RosterError, match="找不到文件"):
        read_roster(tmp_path / "没有.xlsx")
    old = tmp_path / "名单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(RosterError, match="另存为“Excel 工作簿"):
        read_roster(old)


def test_same_row_twice_is_fine_and_blank_rows_are_skipped():
    got = parse_rows([ROWS[0], ROWS[1], [], ["", "", ""], ROWS[1]])
    assert [s.sid for s in got] == ["0230415"]


def test_split_name():
    assert split_name("司马光") == ("司马", "光")
    assert split_name("马光") == ("马", "光")
    assert split_name("阿依古丽·买买提") == ("阿依古丽·买买提", "")


def test_roster_file_round_trip_and_idempotent_merge(tmp_path):
    students = parse_rows(ROWS)
    merged, added, changed, same = merge({}, students)
    assert len(added) == 2 and not changed and not same
    save_roster(tmp_path, merged)
    loaded = load_roster(tmp_path)
    assert loaded == {s.sid: Student(s.sid, s.name, s.klass) for s in students}
    assert list(loaded) == ["0230402", "0230415"]  # sorted by 学号 as text
    again, added, changed, same = merge(loaded, students)
    assert again == loaded and not added and not changed and len(same) == 2
    moved = [Student("0230415", "张子涵", "营销3班")]
    after, added, changed, same = merge(loaded, moved)
    assert [s.sid for s in changed] == ["0230415"] and after["0230415"].klass == "营销3班" and "0230402" in after


@pytest.mark.full
def test_import_writes_the_gradebook_and_is_idempotent(tmp_path):
    from nbgrader.api import Gradebook

    from crmlib.grading.gradebook import db_url
    from crmlib.grading.roster import import_roster

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    path = tmp_path / "名单.csv"
    path.write_bytes(_csv(ROWS).encode("gbk"))
    first = import_roster(tmp_path, path)
    assert "新增 2 人" in first
    second = import_roster(tmp_path, path)
    assert "新增 0 人" in second and "没有变化 2 人" in second
    with Gradebook(db_url(tmp_path)) as gb:
        got = sorted((s.id, s.last_name, s.first_name) for s in gb.students)
    assert got == [("0230402", "欧阳", "娜娜"), ("0230415", "张", "子涵")]
    assert load_roster(tmp_path)["0230415"].klass == "营销1班"


def test_ids_of_different_lengths_raise_a_doubt():
    rows = [["学号", "姓名"], ["0230415", "张三"], ["230416", "李四"], ["0230417", "王五"]]
    (doubt,) = doubts(parse_rows(rows))
    assert "有的 6 位、有的 7 位（如第 3 行 230416）" in doubt and "把 0 去掉了" in doubt
    assert doubts(parse_rows(ROWS)) == []
