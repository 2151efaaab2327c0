"""Grades export for Excel: ``nbgrader export`` (``python course.py nbgrader export``) writes 成绩.csv.

``python course.py grades`` writes the wide workbook of ``workbook.py`` instead; this plugin keeps
nbgrader's own long format (a row per student and assignment) for those who want it.

nbgrader's own CSV is plain UTF-8 without quoting and with English headers;
Excel on a Chinese Windows PC reads that as GBK and garbles the names. This
plugin writes the same rows with the csv module (proper quoting), Chinese
headers, UTF-8 with a BOM and CRLF line ends. nbgrader_config.py selects it.

>>> import io
>>> buf = io.StringIO()
>>> write_rows(buf, [{"assignment": "p01", "student_id": "2024001", "last_name": "张", "first_name": "小明"}])
>>> buf.getvalue().splitlines()[1]
'p01,,,2024001,张,小明,,,,,'
"""

import csv

DEFAULT_NAME = "成绩.csv"
COLUMNS = {
    "assignment": "作业",
    "duedate": "截止时间",
    "timestamp": "提交时间",
    "student_id": "学号",
    "last_name": "姓",
    "first_name": "名",
    "email": "邮箱",
    "raw_score": "原始得分",
    "late_submission_penalty": "迟交扣分",
    "score": "得分",
    "max_score": "满分",
}


def _text(value):
    return "" if value is None else str(value)


def grade_row(gradebook, assignment, student):
    """One row of the export (the same fields and values as nbgrader's CsvExportPlugin)."""
    row = {
        "assignment": assignment.name,
        "duedate": assignment.duedate,
        "student_id": student.id,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "email": student.email,
        "max_score": assignment.max_score,
    }
    from nbgrader.api import MissingEntry

    try:
        sub = gradebook.find_submission(assignment.name, student.id)
    except MissingEntry:
        row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
    else:
        penalty = sub.late_submission_penalty
        row.update(
            timestamp=sub.timestamp,
            raw_score=sub.score,
            late_submission_penalty=penalty,
            score=max(0.0, sub.score - penalty),
        )
    return {k: _text(v) for k, v in row.items()}


def write_rows(fh, rows):
    """Write the Chinese header and `rows` (dicts keyed like COLUMNS) as CSV with CRLF."""
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(COLUMNS.values())
    for row in rows:
        writer.writerow(row.get(key, "") for key in COLUMNS)


def _plugin_class():
    """The nbgrader export plugin, built on first use: importing nbgrader loads its server extensions (738
    modules, ~1.2 s), which only ``nbgrader export`` needs."""
    from nbgrader.plugins import CsvExportPlugin

    class ExcelCsvExportPlugin(CsvExportPlugin):
        """CSV export that Excel opens with Chinese intact (UTF-8 BOM, CRLF, Chinese headers)."""

        def _selected(self, items, attr, wanted):
            wanted = [str(w) for w in wanted]
            return [i for i in items if not wanted or getattr(i, attr) in wanted]

        def export(self, gradebook):
            dest = self.to or DEFAULT_NAME
            self.log.info("正在把成绩导出到 %s", dest)
            assignments = self._selected(gradebook.assignments, "name", self.assignment)
            students = self._selected(gradebook.students, "id", self.student)
            rows = [grade_row(gradebook, a, s) for a in assignments for s in students]
            with open(dest, "w", encoding="utf-8-sig", newline="") as fh:
                write_rows(fh, rows)
            self.log.info("已导出 %d 行成绩（UTF-8 带 BOM，Excel 可直接打开）。", len(rows))

    ExcelCsvExportPlugin.__qualname__ = "ExcelCsvExportPlugin"
    return ExcelCsvExportPlugin


def __getattr__(name):
    """``crmlib.grading.export.ExcelCsvExportPlugin`` (named in nbgrader_config.py) is made when nbgrader asks."""
    if name == "ExcelCsvExportPlugin":
        globals()[name] = _plugin_class()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
