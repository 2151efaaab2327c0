"""The class roster: read what Excel writes (``python course.py students import 名单.xlsx``).

A teacher's roster comes from the school's system or from Excel: an ``.xlsx``,
or a CSV saved as "CSV UTF-8" (with a BOM) or as "CSV(逗号分隔)" (GBK on a
Chinese Windows PC). The header may sit below a title row; its columns are
Chinese: 学号, 姓名 (or 姓 and 名), 班级 if present (nbgrader's
``id,last_name,first_name`` still works). 学号 stay text: leading zeros kept.
Every problem is reported in Chinese with its row and column, all at once.

The students go into nbgrader's gradebook (名 and 姓 split for formgrader) and
into ``grading/roster.csv`` (学号, 姓名, 班级), which the grade export and the
collection read. Both are git-ignored; importing the same file again changes
nothing.

>>> students = parse_rows([["学号", "姓名", "班级"], ["0230415", "欧阳娜娜", "营销1班"]])
>>> s = students[0]
>>> s.sid, s.last, s.first, s.klass
('0230415', '欧阳', '娜娜', '营销1班')
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

ROSTER = Path("grading") / "roster.csv"
HEADERS = {
    "sid": ("学号", "学生学号", "学籍号", "id", "student_id"),
    "name": ("姓名", "学生姓名", "名字"),
    "last": ("姓", "last_name"),
    "first": ("名", "first_name"),
    "klass": ("班级", "行政班", "班级名称", "教学班"),
}
COMPOUND_SURNAMES = set(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 钟离 澹台 申屠 轩辕 端木 独孤 "
    "南宫 呼延 闻人 万俟 西门 百里 第五 东郭 左丘 濮阳 太史 公冶 仲孙 单于 拓跋".split()
)
SID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]*$")
SCIENTIFIC_RE = re.compile(r"^\d(\.\d+)?[Ee][+]?\d+$")


class RosterError(Exception):
    """The roster cannot be read; the message (Chinese) names every row and column at fault and how to fix it."""


@dataclass(frozen=True)
class Student:
    sid: str
    name: str
    klass: str = ""
    row: int = 0  # the row in the teacher's file (1-based, as Excel shows it)

    @property
    def last(self):
        return split_name(self.name)[0]

    @property
    def first(self):
        return split_name(self.name)[1]


def split_name(name):
    """(姓, 名) of a Chinese name; compound surnames kept whole; a foreign or minority name stays whole in 姓.

    >>> split_name("张小明"), split_name("司马光"), split_name("阿依古丽·买买提")
    (('张', '小明'), ('司马', '光'), ('阿依古丽·买买提', ''))
    """
    name = name.strip()
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name):
        return name, ""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[0], name[1:]


def column_letter(index):
    """Excel's letter of a 0-based column: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_text(value, number_format=""):
    """A cell as text; a number formatted with zeros ("0000000") gets its leading zeros back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if number_format and re.fullmatch(r"0+", number_format):
            text = text.zfill(len(number_format))
        return text
    return str(value).strip()


def decode_csv(data):
    """The text of CSV bytes as Excel saves them: UTF-8 with or without BOM, else GBK (GB18030)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(
        "这个 CSV 文件的编码认不出来（既不是 UTF-8 也不是 GBK）。"
        "请用 Excel 打开它，另存为“Excel 工作簿 (*.xlsx)”或“CSV UTF-8（逗号分隔）”，再导入。"
    )


def read_rows(path):
    """The rows of an .xlsx (first sheet) or .csv file as lists of text."""
    path = Path(path)
    if not path.exists():
        raise RosterError(f"找不到文件 {path}。请检查文件名和所在的文件夹（可以把文件拖进命令行窗口得到完整路径）。")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001  (any unreadable workbook: one Chinese message)
            raise RosterError(
                f"{path.name} 打不开（{type(exc).__name__}）。请在 Excel 里打开它、另存为“Excel 工作簿 (*.xlsx)”后再导入。"
            ) from exc
        ws = wb.worksheets[0]
        rows = [[_cell_text(c.value, getattr(c, "number_format", "")) for c in row] for row in ws.iter_rows()]
        wb.close()
        return rows
    if suffix == ".xls":
        raise RosterError(
            f"{path.name} 是旧版 Excel 格式（.xls）。请在 Excel 或 WPS 里打开，另存为“Excel 工作簿 (*.xlsx)”，再导入。"
        )
    if suffix in (".csv", ".txt"):
        text = decode_csv(path.read_bytes())
        first = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first and "," not in first else ","
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise RosterError(f"{path.name}：只能导入 .xlsx 或 .csv 文件。请在 Excel 里另存为其中一种。")


def _find_header(rows):
    """(row index, {field: column index}) of the first of the top ten rows that names a 学号 column."""
    for r, row in enumerate(rows[:10]):
        cols = {}
        for c, text in enumerate(row):
            key = text.strip().lstrip("\ufeff").lower()
            for field, names in HEADERS.items():
                if key in names and field not in cols:
                    cols[field] = c
        if "sid" in cols:
            return r, cols
    return None, {}


def parse_rows(rows):
    """The Students of a roster's rows (header found in the first ten rows); raise RosterError listing every problem."""
    r0, cols = _find_header(rows)
    if r0 is None:
        raise RosterError(
            "名单的前 10 行里没有找到“学号”这一列。请在第一行写上列名：学号、姓名（或 姓、名），有班级的再加一列 班级。"
        )
    if "name" not in cols and "last" not in cols:
        raise RosterError(f"第 {r0 + 1} 行有“学号”列，但没有“姓名”列（或“姓”和“名”两列）。请加上姓名这一列。")
    errors, students, seen = [], [], {}

    def cell(row, field):
        c = cols.get(field)
        return row[c].strip() if c is not None and c < len(row) and row[c] else ""

    for r in range(r0 + 1, len(rows)):
        row = rows[r]
        if not any(str(v).strip() for v in row):
            continue
        excel_row = r + 1
        sid = cell(row, "sid")
        name = cell(row, "name") or (cell(row, "last") + cell(row, "first"))
        where_sid = f"第 {excel_row} 行 {column_letter(cols['sid'])} 列（学号）"
        where_name = f"第 {excel_row} 行 {column_letter(cols.get('name', cols.get('last')))} 列（姓名）"
        if not sid:
            errors.append(f"{where_sid}是空的：请补上学号，或删掉这一行。")
            continue
        if SCIENTIFIC_RE.match(sid):
            errors.append(
                f"{where_sid}是“{sid}”，这是 Excel 把长学号显示成了科学计数法，真正的学号已经丢了："
                "请在 Excel 里把学号列设为“文本”格式、重新填入学号，再保存导入。"
            )
            continue
        if not SID_RE.match(sid):
            errors.append(f"{where_sid}“{sid}”含有空格或符号：学号只能由数字和字母组成。")
            continue
        if not name:
            errors.append(f"{where_name}是空的：请补上这位学生（学号 {sid}）的姓名。")
            continue
        student = Student(sid, name, cell(row, "klass"), excel_row)
        if sid in seen:
            prev = seen[sid]
            if (prev.name, prev.klass) != (student.name, student.klass):
                errors.append(
                    f"{where_sid}的学号 {sid} 在第 {prev.row} 行已经出现过（{prev.name} 和 {name}）："
                    "一个学号只能对应一位学生，请核对后改正。"
                )
            continue
        seen[sid] = student
        students.append(student)
    if errors:
        more = f"\n……另外还有 {len(errors) - 20} 处" if len(errors) > 20 else ""
        raise RosterError("名单里有下面这些问题，改好后重新导入：\n- " + "\n- ".join(errors[:20]) + more)
    if not students:
        raise RosterError(f"第 {r0 + 1} 行是列名，但下面没有学生。请检查是不是选错了文件或工作表（只读第一个工作表）。")
    return students


def doubts(students):
    """Chinese warnings about a roster that reads fine but looks damaged (学号 of different lengths: lost zeros?).

    >>> doubts([Student("0230415", "张三", row=2), Student("230416", "李四", row=3)])
    ['学号有的 6 位、有的 7 位（如第 3 行 230416）：如果学号本来以 0 开头，是 Excel 把 0 去掉了。请把学号列设为“文本”格式、补回 0 后重新导入。']
    """
    digits = [s for s in students if s.sid.isdigit()]
    lengths = sorted({len(s.sid) for s in digits})
    if len(lengths) < 2:
        return []
    short = next(s for s in digits if len(s.sid) == lengths[0])
    return [
        f"学号有的 {'、'.join(map(str, lengths[:-1]))} 位、有的 {lengths[-1]} 位（如第 {short.row} 行 {short.sid}）："
        "如果学号本来以 0 开头，是 Excel 把 0 去掉了。请把学号列设为“文本”格式、补回 0 后重新导入。"
    ]


def read_roster(path):
    """The Students of a roster file (.xlsx or .csv)."""
    return parse_rows(read_rows(path))


# ---------------------------------------------------------------- the course's roster


def load_roster(root):
    """{学号: Student} from grading/roster.csv (empty if no roster was imported)."""
    path = Path(root) / ROSTER
    if not path.exists():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {
            r["学号"]: Student(r["学号"], r.get("姓名", ""), r.get("班级", ""))
            for r in csv.DictReader(fh)
            if r.get("学号")
        }


def merge(old, new):
    """(merged {学号: Student}, added, changed, unchanged) – students in `old` but not in `new` are kept."""
    merged, added, changed, same = dict(old), [], [], []
    for s in new:
        before = old.get(s.sid)
        if before is None:
            added.append(s)
        elif (before.name, before.klass) != (s.name, s.klass):
            changed.append(s)
        else:
            same.append(s)
        merged[s.sid] = Student(s.sid, s.name, s.klass)
    return merged, added, changed, same


def save_roster(root, students):
    """Write grading/roster.csv (UTF-8 with BOM, sorted by 学号 as text)."""
    path = Path(root) / ROSTER
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["学号", "姓名", "班级"])
        for sid in sorted(students):
            s = students[sid]
            writer.writerow([s.sid, s.name, s.klass])


def import_roster(root, path):
    """Import a roster file into the gradebook and grading/roster.csv; return the Chinese summary."""
    from nbgrader.api import Gradebook

    from .gradebook import db_url

    new = read_roster(path)
    merged, added, changed, same = merge(load_roster(root), new)
    (Path(root) / "grading").mkdir(exist_ok=True)
    with Gradebook(db_url(root)) as gb:
        for s in new:
            gb.update_or_create_student(s.sid, last_name=s.last, first_name=s.first)
    save_roster(root, merged)
    lines = [f"已导入 {len(new)} 位学生：新增 {len(added)} 人，信息更新 {len(changed)} 人，没有变化 {len(same)} 人。"]
    for s in changed:
        lines.append(f"  更新：{s.sid} {s.name} {s.klass}".rstrip())
    kept = sorted(set(merged) - {s.sid for s in new})
    if kept:
        lines.append(
            f"名单里原有、这次文件里没有的 {len(kept)} 人仍然保留：{'、'.join(kept[:10])}{' 等' if len(kept) > 10 else ''}。"
        )
    lines.append(f"名单保存在 {ROSTER.as_posix()}（学号、姓名、班级），成绩库里也已登记。")
    lines += [f"请注意：{d}" for d in doubts(new)]
    return "\n".join(lines)
