"""The gradebook for Excel (``python course.py grades``): one workbook, one row per student.

Sheet 总表: 学号 (text, leading zeros kept), 班级, 姓名 and, per assignment,
自动 / 人工 / 总分; one sheet per assignment with the submission time (Beijing
time, UTC+8) and the points of every question. A written answer the teacher
has not graded yet reads 待批阅 (its total too), never a silent 0; a student
who handed nothing in reads 未交. Below the students: the class mean and
median (and, on the assignment sheets, each question's score rate), over the
students with a number in that column, as Excel formulas. ``--csv`` writes the 总表 as CSV.

The logic is pure (``build_workbook``, ``summary_rows``); ``gather`` reads
nbgrader's gradebook and ``grading/roster.csv`` into it.

>>> china_time(dt.datetime(2026, 11, 23, 16, 30))
datetime.datetime(2026, 11, 24, 0, 30)
>>> question_label("q03_test"), question_label("t2_test"), question_label("written")
('习题3', '任务2', '书面作业')
"""

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

PENDING = "待批阅"
MISSING = "未交"
CHINA = dt.timezone(dt.timedelta(hours=8))
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


@dataclass
class Question:
    gid: str
    max_score: float
    manual: bool = False  # graded by the teacher (a written answer)

    @property
    def header(self):
        return f"{question_label(self.gid)}（{self.max_score:g}分）"


@dataclass
class Assignment:
    name: str
    questions: list = field(default_factory=list)

    def max_of(self, manual):
        return sum(q.max_score for q in self.questions if q.manual == manual)


@dataclass
class Result:
    """One submission: points per question (None = waiting for the teacher) and the time handed in."""

    points: dict = field(default_factory=dict)
    timestamp: object = None

    def part(self, assignment, manual):
        """Points of the auto or manual part, or PENDING if a question of that part is not graded yet."""
        got = [self.points.get(q.gid, 0.0) for q in assignment.questions if q.manual == manual]
        return PENDING if any(p is None for p in got) else round(sum(got), 2)

    def total(self, assignment):
        parts = [self.part(assignment, False), self.part(assignment, True)]
        return PENDING if PENDING in parts else round(sum(parts), 2)


def question_label(gid):
    m = re.fullmatch(r"q(\d+)_test", gid)
    if m:
        return f"习题{int(m.group(1))}"
    m = re.fullmatch(r"t(\d+)_test", gid)
    if m:
        return f"任务{m.group(1)}"
    return {"written": "书面作业"}.get(gid, gid)


def question_order(gid):
    kind = 0 if gid.startswith("q") else 1 if gid.startswith("t") else 2
    digits = re.findall(r"\d+", gid)
    return (kind, int(digits[0]) if digits else 0, gid)


def china_time(timestamp):
    """A gradebook time (naive = UTC, as nbgrader stores it) as naive Beijing time for a spreadsheet cell."""
    if timestamp is None:
        return None
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=dt.timezone.utc)
    return timestamp.astimezone(CHINA).replace(tzinfo=None)


def summary_header(assignments):
    head = ["学号", "班级", "姓名"]
    for a in assignments:
        head += [
            f"{a.name} 自动（{a.max_of(False):g}分）",
            f"{a.name} 人工（{a.max_of(True):g}分）",
            f"{a.name} 总分（{a.max_of(False) + a.max_of(True):g}分）",
        ]
    return head


def summary_rows(students, assignments, results):
    """The 总表's student rows: [学号, 班级, 姓名, then 自动, 人工, 总分 per assignment], sorted by 学号 as text."""
    rows = []
    for s in sorted(students, key=lambda s: s.sid):
        row = [s.sid, s.klass, s.name]
        for a in assignments:
            r = results.get((a.name, s.sid))
            row += [MISSING] * 3 if r is None else [r.part(a, False), r.part(a, True), r.total(a)]
        rows.append(row)
    return rows


def assignment_rows(students, assignment, results):
    """An assignment sheet's student rows: 学号, 班级, 姓名, 提交时间 (Beijing), each question, 自动, 人工, 总分."""
    qs = sorted(assignment.questions, key=lambda q: question_order(q.gid))
    rows = []
    for s in sorted(students, key=lambda s: s.sid):
        r = results.get((assignment.name, s.sid))
        if r is None:
            rows.append([s.sid, s.klass, s.name, MISSING] + [None] * len(qs) + [MISSING] * 3)
            continue
        points = [PENDING if r.points.get(q.gid, 0.0) is None else r.points.get(q.gid, 0.0) for q in qs]
        rows.append(
            [s.sid, s.klass, s.name, china_time(r.timestamp)]
            + points
            + [r.part(assignment, False), r.part(assignment, True), r.total(assignment)]
        )
    return rows


def _stat_rows(rows, first, maxima=None):
    """平均分 and 中位数 rows (and 得分率 if `maxima` is given) for the columns after the first `first`, as Excel formulas
    over the student rows above (row 2 on): a grade the teacher corrects in Excel updates them. AVERAGE and MEDIAN
    leave out text cells (未交, 待批阅), as the labels say; a column without a number stays empty.

    >>> mean, median, rate = _stat_rows([["a", 1], ["b", "未交"]], 1, maxima=[2])
    >>> mean[1], median[1], rate[1]
    ('=IFERROR(ROUND(AVERAGE(B2:B3),2),"")', '=IFERROR(ROUND(MEDIAN(B2:B3),2),"")', '=IFERROR(ROUND(B5/2,4),"")')
    """
    from openpyxl.utils import get_column_letter

    width = max((len(r) for r in rows), default=0)
    letters = [get_column_letter(c) for c in range(first + 1, width + 1)]
    last = len(rows) + 1
    pad = [None] * (first - 1)

    def over(func):
        return [f'=IFERROR(ROUND({func}({c}2:{c}{last}),2),"")' for c in letters] if rows else []

    out = [
        ["平均分（不含未交、待批阅）", *pad, *over("AVERAGE")],
        ["中位数（不含未交、待批阅）", *pad, *over("MEDIAN")],
    ]
    if maxima is not None:
        mean_row = len(rows) + 3  # the first row under the blank one
        exact = lambda x: f"{x:g}" if float(f"{x:g}") == x else repr(float(x))  # noqa: E731 (10/3 keeps its digits)
        rates = [f'=IFERROR(ROUND({c}{mean_row}/{exact(mx)},4),"")' if mx else None for c, mx in zip(letters, maxima)]
        out.append(["得分率（平均分 ÷ 满分）", *pad, *(rates if rows else [])])
    return out


def _width(value):
    if isinstance(value, dt.datetime):
        return 19
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet(wb, title, header, rows, stats, frozen, time_col=None, rate_row=False):
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(row)
    if rows:
        ws.append([])
    for row in stats:
        ws.append(row)
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    orange, faint = PatternFill("solid", fgColor="FCE4D6"), Font(color="808080")
    for cell in ws[1]:
        cell.font, cell.fill = bold, grey
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r in range(2, len(rows) + 2):
        ws.cell(r, 1).number_format = "@"  # 学号 is text: Excel keeps the leading zeros
        for cell in ws[r]:
            if cell.value == PENDING:
                cell.fill = orange
            elif cell.value == MISSING:
                cell.font = faint
        if time_col is not None and isinstance(ws.cell(r, time_col).value, dt.datetime):
            ws.cell(r, time_col).number_format = TIME_FORMAT
    first_stat = len(rows) + 3 if rows else 2
    for r in range(first_stat, first_stat + len(stats)):
        for cell in ws[r]:
            cell.font = bold
        if rate_row and r == first_stat + len(stats) - 1:
            for cell in ws[r][1:]:
                cell.number_format = "0.0%"
    ws.freeze_panes = frozen
    for c, cell in enumerate(ws[1], 1):
        col = [cell.value] + [row[c - 1] for row in rows if c - 1 < len(row)]
        widths = [_width(v) for v in col[1:] if v not in (None, "")]
        head = min(_width(cell.value), 16)  # long headers wrap
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(8, min(30, max([head, *widths]) + 2))
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 12)
    ws.row_dimensions[1].height = 32
    return ws


def build_workbook(students, assignments, results):
    """The openpyxl Workbook: 总表, then one sheet per assignment (sorted by name)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    assignments = sorted(assignments, key=lambda a: a.name)
    rows = summary_rows(students, assignments, results)
    _sheet(wb, "总表", summary_header(assignments), rows, _stat_rows(rows, 3), "D2")
    for a in assignments:
        qs = sorted(a.questions, key=lambda q: question_order(q.gid))
        header = ["学号", "班级", "姓名", "提交时间（北京时间）", *(q.header for q in qs), "自动", "人工", "总分"]
        arows = assignment_rows(students, a, results)
        maxima = [q.max_score for q in qs] + [a.max_of(False), a.max_of(True), a.max_of(False) + a.max_of(True)]
        stats = _stat_rows(arows, 4, maxima)
        _sheet(wb, a.name, header, arows, stats, "E2", time_col=4, rate_row=True)
    return wb


STAT_FORMULA = re.compile(
    r'=IFERROR\(ROUND\((?:(AVERAGE|MEDIAN)\(([A-Z]+\d+):([A-Z]+\d+)\)|([A-Z]+\d+)/([\d.e+-]+)),(\d)\),""\)'
)


def stat_value(ws, formula):
    """What Excel shows for one of ``_stat_rows``' formulas ("" where IFERROR catches an error).

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> for row in [[1], ["未交"], [2]]:
    ...     ws.append(row)
    >>> stat_value(ws, '=IFERROR(ROUND(AVERAGE(A1:A3),2),"")'), stat_value(ws, '=IFERROR(ROUND(A3/4,4),"")')
    (1.5, 0.5)
    """
    import statistics
    from decimal import ROUND_HALF_UP, Decimal

    func, start, end, ref, divisor, digits = STAT_FORMULA.fullmatch(formula).groups()
    if func:  # AVERAGE and MEDIAN over a range leave out text, empty and TRUE/FALSE cells
        nums = [c.value for row in ws[start:end] for c in row if type(c.value) in (int, float)]
        if not nums:
            return ""
        result = statistics.mean(nums) if func == "AVERAGE" else statistics.median(nums)
    else:
        top = ws[ref].value
        top = stat_value(ws, top) if isinstance(top, str) and top.startswith("=") else top
        if type(top) not in (int, float):
            return ""
        result = top / float(divisor)
    rounded = Decimal(repr(result)).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)  # as ROUND
    return int(rounded) if rounded == rounded.to_integral() else float(rounded)


def save_workbook(wb, dest):
    """Save `wb` with every stat formula's result cached in the file, as Excel itself saves them: openpyxl writes
    formulas without results, which Excel's Protected View (a file downloaded from the classroom server), pandas
    and other readers then show as empty.
    """
    import io
    import zipfile

    results = [
        {c.coordinate: stat_value(ws, c.value) for row in ws.iter_rows() for c in row if str(c.value).startswith("=")}
        for ws in wb.worksheets
    ]
    buf = io.BytesIO()
    wb.save(buf)

    def cache(xml, values):
        def fill(m):
            value = values[m.group(1)]
            if value == "":
                return f'<c r="{m.group(1)}"{m.group(2) or ""} t="str"><f>{m.group(3)}</f><v></v></c>'
            return f'<c r="{m.group(1)}"{m.group(2) or ""}><f>{m.group(3)}</f><v>{value!r}</v></c>'

        return re.sub(r'<c r="([A-Z]+\d+)"( s="\d+")?><f>([^<]*)</f><v ?/></c>', fill, xml)

    with zipfile.ZipFile(buf) as zin:
        items = [(item, zin.read(item.filename)) for item in zin.infolist()]
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item, data in items:
            sheet = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if sheet:  # openpyxl names the sheets' parts sheet1.xml, sheet2.xml … in workbook order
                data = cache(data.decode("utf-8"), results[int(sheet.group(1)) - 1]).encode("utf-8")
            zout.writestr(item, data)


def csv_sid(sid):
    """学号 for a CSV cell Excel opens as text: all-digit ids as ="0230415" (else Excel drops the zeros)."""
    return f'="{sid}"' if sid.isdigit() else sid


def write_csv(path, students, assignments, results):
    """The 总表 as CSV (UTF-8 with BOM, CRLF) with each assignment's submission time (Beijing time)."""
    assignments = sorted(assignments, key=lambda a: a.name)
    header = summary_header(assignments) + [f"{a.name} 提交时间（北京时间）" for a in assignments]
    rows = summary_rows(students, assignments, results)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        for s, row in zip(sorted(students, key=lambda s: s.sid), rows):
            times = []
            for a in assignments:
                r = results.get((a.name, s.sid))
                t = china_time(r.timestamp) if r else None
                times.append(t.strftime("%Y-%m-%d %H:%M:%S") if t else "")
            writer.writerow([csv_sid(row[0]), *row[1:], *times])


# ---------------------------------------------------------------- reading the gradebook


def gather(root):
    """(students, assignments, results) from the gradebook, with 班级 and 姓名 from grading/roster.csv."""
    from nbgrader.api import Gradebook

    from .gradebook import db_url
    from .roster import Student, load_roster

    roster = load_roster(root)
    students, assignments, results = dict(roster), [], {}
    with Gradebook(db_url(root)) as gb:
        for s in gb.students:
            if s.id not in students:
                students[s.id] = Student(s.id, f"{s.last_name or ''}{s.first_name or ''}")
        for a in gb.assignments:
            info = Assignment(a.name)
            for nb in a.notebooks:
                for gc in nb.grade_cells:
                    info.questions.append(Question(gc.name, float(gc.max_score or 0), gc.cell_type == "markdown"))
            assignments.append(info)
            for sub in a.submissions:
                points = {}
                for snb in sub.notebooks:
                    for g in snb.grades:
                        if g.needs_manual_grade:
                            points[g.name] = None
                        else:
                            base = g.manual_score if g.manual_score is not None else (g.auto_score or 0.0)
                            points[g.name] = round(base + (g.extra_credit or 0.0), 2)
                results[(a.name, sub.student_id)] = Result(points, sub.timestamp)
    return list(students.values()), assignments, results


def export(root, dest, as_csv=False, only=()):
    """Write the workbook (or CSV) to `dest`; return the Chinese summary."""
    students, assignments, results = gather(root)
    if only:
        assignments = [a for a in assignments if a.name in only]
    if not students:
        return "成绩库里还没有学生。请先导入名单：python course.py students import 名单.xlsx"
    try:
        if as_csv:
            write_csv(dest, students, assignments, results)
        else:
            save_workbook(build_workbook(students, assignments, results), dest)
    except PermissionError:
        return f"写不进 {dest}：这个文件可能正在 Excel 或 WPS 里打开着。请先关掉它，再运行一次。"
    pending = sum(1 for r in results.values() for v in r.points.values() if v is None)
    note = f"还有 {pending} 道书面题待批阅（表里标为“{PENDING}”）。" if pending else ""
    return (
        f"已导出 {len(students)} 位学生、{len(assignments)} 个作业的成绩到 {dest}（按学号排序，时间为北京时间）。{note}"
    )


def default_dest(root, as_csv):
    return Path(root) / ("成绩.csv" if as_csv else "成绩.xlsx")
