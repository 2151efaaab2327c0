"""Collecting hand-ins from Chinese Windows PCs: GBK zip names, naming variants, roster only, backups, file times."""

import datetime as dt
import io
import os
import zipfile

import pytest

from crmlib.grading.collect import CollectError, collect, match, member_name, timestamp_text
from crmlib.grading.roster import Student

ROSTER = {
    "0230415": Student("0230415", "张子涵", "营销1班"),
    "0230402": Student("0230402", "欧阳娜娜", "营销1班"),
    "0230420": Student("0230420", "张伟", "营销1班"),
    "0230421": Student("0230421", "张伟", "营销2班"),
    "0230430": Student("0230430", "李雷", "营销2班"),
}
NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
WHEN = 1_795_000_000  # 2026-11-18 11:06:40 UTC
UTC = dt.timezone.utc


class GbkInfo(zipfile.ZipInfo):
    """What a Chinese Windows zip tool writes: the GBK bytes of the name, no UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp437"), self.flag_bits


def make_zip(files, gbk=True, date_time=(2026, 11, 20, 21, 15, 0)):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = GbkInfo(name.encode("gbk").decode("cp437"), date_time) if gbk else zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def put(path, data, when=WHEN):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (when, when))
    return path


@pytest.fixture
def handed(tmp_path):
    inbox = tmp_path / "收上来的作业"
    put(
        inbox / "0230415_张子涵.zip",
        make_zip({"张子涵作业/p01_crm_work.ipynb": NB, "张子涵作业/说明.txt": "我的作业".encode("gbk")}),
    )
    put(inbox / "欧阳娜娜_0230402" / "p01_crm_work.ipynb", NB, WHEN + 60)
    put(inbox / "0239999_王五.zip", make_zip({"p01.ipynb": NB}))  # not on the roster
    put(inbox / "张伟.zip", make_zip({"p01.ipynb": NB}))  # two students are called 张伟
    put(inbox / "0230430_张子涵.zip", make_zip({"p01.ipynb": NB}))  # 学号 and 姓名 disagree
    put(inbox / "Thumbs.db", b"junk")
    return inbox


def test_member_names_gbk_utf8_flag_and_utf8_without_flag():
    data = make_zip({"作业/第一题.ipynb": NB})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.infolist()[0]
        assert not info.flag_bits & 0x800 and info.filename != "作业/第一题.ipynb"  # mojibake as zipfile reads it
        assert member_name(info) == "作业/第一题.ipynb"
    with zipfile.ZipFile(io.BytesIO(make_zip({"作业/第一题.ipynb": NB}, gbk=False))) as zf:
        assert zf.infolist()[0].flag_bits & 0x800 and member_name(zf.infolist()[0]) == "作业/第一题.ipynb"

    class Utf8NoFlag(GbkInfo):
        pass

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(Utf8NoFlag("作业.ipynb".encode("utf-8").decode("cp437")), NB)
    with zipfile.ZipFile(buf) as zf:
        assert member_name(zf.infolist()[0]) == "作业.ipynb"


def test_matching_names_the_common_ways():
    assert match("0230415", ROSTER).sid == "0230415"
    assert match("0230415_张子涵", ROSTER).sid == "0230415"
    assert match("张子涵-0230415", ROSTER).sid == "0230415"
    assert match("0230415张子涵p01", ROSTER).sid == "0230415"
    m = match("欧阳娜娜的作业", ROSTER)
    assert (m.status, m.sid, m.note) == ("ok", "0230402", "按姓名对上")
    m = match("张伟", ROSTER)
    assert m.status == "ambiguous" and "2 位同名学生" in m.note and "0230420 营销1班" in m.note
    m = match("0230430_张子涵", ROSTER)
    assert m.status == "conflict" and "学号 0230430 是 李雷 的，但名字里写的是 张子涵" in m.note
    m = match("0230499_李雷", ROSTER)
    assert m.status == "unmatched" and "学号 0230499 不在名单里" in m.note and "可能是学号写错了" in m.note
    assert match("作业", ROSTER).status == "unmatched"


def test_collect_a_folder(tmp_path, handed):
    report = collect(tmp_path, "p01", handed, ROSTER, now=dt.datetime(2026, 11, 24, 9, 0))
    sub = tmp_path / "grading" / "submitted"
    assert sorted(p.name for p in sub.iterdir()) == ["0230402", "0230415"]  # nobody the roster lacks
    z = sub / "0230415" / "p01"
    assert (z / "p01_crm_work.ipynb").read_bytes() == NB  # the common folder 张子涵作业/ is dropped
    assert (z / "说明.txt").read_bytes() == "我的作业".encode("gbk")
    assert (z / "timestamp.txt").read_text(encoding="utf-8") == "2026-11-18 11:06:40.000000 UTC"
    assert (sub / "0230402" / "p01" / "timestamp.txt").read_text(encoding="utf-8") == "2026-11-18 11:07:40.000000 UTC"
    text = report.text(ROSTER)
    assert "收好 2 人（新收 2" in text and "需要老师处理 3 份" in text
    assert "× 0239999_王五.zip：学号 0239999 不在名单里" in text
    assert "× 张伟.zip：名单里有 2 位同名学生" in text
    assert "× 0230430_张子涵.zip：学号 0230430 是 李雷 的" in text
    assert "还没交的 3 人：0230420 张伟、0230421 张伟、0230430 李雷" in text
    assert "Thumbs" not in text


def test_grader_reads_the_timestamp(tmp_path, handed):
    from crmlib.grading.grader import _timestamp

    collect(tmp_path, "p01", handed, ROSTER)
    nb = tmp_path / "grading" / "submitted" / "0230415" / "p01" / "p01_crm_work.ipynb"
    assert _timestamp(nb) == dt.datetime(2026, 11, 18, 11, 6, 40, tzinfo=UTC)


def test_collect_again_keeps_a_backup_and_skips_the_unchanged(tmp_path, handed):
    collect(tmp_path, "p01", handed, ROSTER, now=dt.datetime(2026, 11, 24, 9, 0))
    put(handed / "0230415_张子涵.zip", make_zip({"p01_crm_work.ipynb": NB + b" "}), WHEN + 3600)
    report = collect(tmp_path, "p01", handed, ROSTER, now=dt.datetime(2026, 11, 24, 10, 0))
    assert [sid for sid, *_ in report.replaced] == ["0230415"] and [sid for sid, _ in report.same] == ["0230402"]
    backup = tmp_path / "grading" / "backup" / "20261124-100000" / "0230415" / "p01"
    assert (backup / "p01_crm_work.ipynb").read_bytes() == NB and (backup / "说明.txt").exists()
    now = tmp_path / "grading" / "submitted" / "0230415" / "p01"
    assert (now / "p01_crm_work.ipynb").read_bytes() == NB + b" " and not (now / "说明.txt").exists()
    assert "旧的备份在 grading/backup/20261124-100000/0230415/p01" in report.text(ROSTER)


def test_zip_inside_a_folder_and_archives_it_cannot_open(tmp_path):
    inbox = tmp_path / "收上来的作业"
    put(inbox / "0230415张子涵" / "作业.zip", make_zip({"p01_crm_work.ipynb": NB}))
    put(inbox / "0230402_欧阳娜娜.rar", b"Rar!")
    put(inbox / "0230430_李雷.docx", b"PK")
    report = collect(tmp_path, "p01", inbox, ROSTER)
    assert [sid for sid, _ in report.new] == ["0230415"]
    assert (tmp_path / "grading" / "submitted" / "0230415" / "p01" / "p01_crm_work.ipynb").read_bytes() == NB
    text = report.text(ROSTER)
    assert "× 0230402_欧阳娜娜.rar：是 rar 压缩包，本命令只收 zip、文件夹和 .ipynb。请先解压成文件夹再收" in text
    assert "× 0230430_李雷.docx：是 docx 文件" in text


def test_dry_run_writes_nothing(tmp_path, handed):
    report = collect(tmp_path, "p01", handed, ROSTER, dry_run=True)
    assert len(report.new) == 2 and not (tmp_path / "grading").exists()


def test_class_zip_with_nested_gbk_zips_and_folders(tmp_path):
    inner = make_zip({"p01_crm_work.ipynb": NB}, date_time=(2026, 11, 20, 21, 15, 0))
    outer = make_zip(
        {
            "营销1班 p01/0230415_张子涵.zip": inner,
            "营销1班 p01/欧阳娜娜/p01_crm_work.ipynb": NB,
            "营销1班 p01/欧阳娜娜(1)/p01_crm_work.ipynb": NB + b"  ",
            "营销1班 p01/__MACOSX/._x": b"",
            "营销1班 p01/../逃出去.txt": b"x",
        },
        date_time=(2026, 11, 21, 8, 0, 0),
    )
    path = put(tmp_path / "营销1班p01.zip", outer)
    report = collect(tmp_path, "p01", path, ROSTER)
    sub = tmp_path / "grading" / "submitted"
    # a zip entry's time is the Chinese PC's local time: the student's zip, Beijing 08:00, is 00:00 UTC
    assert (sub / "0230415" / "p01" / "timestamp.txt").read_text(encoding="utf-8") == "2026-11-21 00:00:00.000000 UTC"
    assert (sub / "0230402" / "p01" / "p01_crm_work.ipynb").exists()
    assert not (tmp_path / "逃出去.txt").exists()
    text = report.text(ROSTER)
    assert "0230402 欧阳娜娜 交了 2 份" in text
    assert "收好 2 人" in text


def test_a_single_students_zip(tmp_path):
    path = put(tmp_path / "0230415_张子涵.zip", make_zip({"p01/p01_crm_work.ipynb": NB}))
    report = collect(tmp_path, "p01", path, ROSTER)
    assert [sid for sid, _ in report.new] == ["0230415"]
    assert (tmp_path / "grading" / "submitted" / "0230415" / "p01" / "p01_crm_work.ipynb").exists()


def test_errors_teach(tmp_path, handed):
    with pytest.raises(CollectError, match="先导入名单"):
        collect(tmp_path, "p01", handed, {})
    with pytest.raises(CollectError, match="p01～p09"):
        collect(tmp_path, "1", handed, ROSTER)
    with pytest.raises(CollectError, match="找不到"):
        collect(tmp_path, "p01", tmp_path / "没有", ROSTER)
    bad = put(tmp_path / "坏的.zip", b"Rar!\x1a\x07")
    with pytest.raises(CollectError, match="rar 改了扩展名"):
        collect(tmp_path, "p01", bad, ROSTER)


def test_timestamp_text_is_utc():
    moment = dt.datetime(2026, 11, 24, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert timestamp_text(moment) == "2026-11-24 01:05:00.000000 UTC"


@pytest.mark.full
def test_from_excel_roster_and_chinese_zips_to_the_workbook(tmp_path):
    """The teacher's path: GBK roster -> GBK zips -> graded -> 成绩.xlsx (待批阅, 未交, Beijing times) -> class report."""
    import shutil

    from openpyxl import load_workbook

    from support import ROOT
    import nbformat

    from crmlib.grading import gradebook
    from crmlib.grading.class_report import make_report
    from crmlib.grading.collect import known_roster
    from crmlib.grading.grader import grade_class, load_assignment, submissions
    from crmlib.grading.roster import import_roster
    from crmlib.grading.workbook import export

    for name in ("solutions", "notebooks"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    roster_file = tmp_path / "名单.csv"
    roster_file.write_bytes(
        "学号,姓名,班级\r\n0230415,张子涵,营销1班\r\n0230402,欧阳娜娜,营销1班\r\n0230430,李雷,营销2班\r\n0230440,韩梅梅,营销2班\r\n".encode(
            "gbk"
        )
    )
    import_roster(tmp_path, roster_file)
    inbox = tmp_path / "收上来的作业"
    solution = (ROOT / "solutions" / "p01" / "p01_crm_work.ipynb").read_bytes()
    blank = (ROOT / "notebooks" / "p01" / "p01_crm_work.ipynb").read_bytes()
    put(inbox / "0230415_张子涵.zip", make_zip({"张子涵/项目一作业.ipynb": solution}))
    put(inbox / "欧阳娜娜_0230402.zip", make_zip({"p01_crm_work.ipynb": blank}), WHEN + 60)
    wrong = nbformat.reads(solution.decode("utf-8"), as_version=4)
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q01":
            cell.source = '答案1 = "D"'  # the key is C
    put(inbox / "韩梅梅-0230440.zip", make_zip({"p01_crm_work.ipynb": nbformat.writes(wrong).encode("utf-8")}))
    put(inbox / "0239999_王五.zip", make_zip({"p01_crm_work.ipynb": blank}))
    report = collect(tmp_path, "p01", inbox, known_roster(tmp_path))
    assert len(report.new) == 3 and len(report.refused) == 1

    gradebook.ensure_assignment(tmp_path, "p01")
    a = load_assignment("p01", tmp_path)
    subs = submissions(tmp_path, "p01", a.notebook_name)
    assert [sid for sid, _ in subs] == ["0230402", "0230415", "0230440"]
    for outcome in grade_class(a, subs, workers=1):
        gradebook.record(tmp_path, a, outcome)
    dest = tmp_path / "成绩.xlsx"
    export(tmp_path, dest)
    ws = load_workbook(dest)["总表"]
    full = sum(a.points.values())
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=4)]
    assert rows[0] == ["0230402", "营销1班", "欧阳娜娜", 0, 0, 0]  # nothing written: 0, not 待批阅
    assert rows[1][:6] == ["0230415", "营销1班", "张子涵", full, "待批阅", "待批阅"]
    assert rows[2] == ["0230430", "营销2班", "李雷", "未交", "未交", "未交"]
    sheet = load_workbook(dest)["p01"]
    assert sheet["D3"].value == dt.datetime(2026, 11, 18, 19, 6, 40)  # the zip's time, Beijing

    page = (tmp_path / make_report(tmp_path, "p01").split("：", 1)[1].split("（", 1)[0]).read_text(encoding="utf-8")
    assert "没交（1 人）</b>：0230430 李雷（营销2班）" in page
    assert "书面作业待批阅（2 人）</b>：0230415 张子涵（营销1班）、0230440 韩梅梅（营销2班）" in page
    assert "“D”× 1 人" in page and "1 / 2 人" in page  # the blank copy answered nothing
