"""Collecting hand-ins (``python course.py collect pNN 文件夹或.zip``) into ``grading/submitted/<学号>/pNN/``.

What students hand in on lab PCs: one zip or folder (or a lone .ipynb) per
student, named 学号, 学号_姓名, 姓名_学号 (or just 姓名), gathered in a folder
or in one class zip. Zips made on Chinese Windows store GBK file names with no
UTF-8 flag: a name without flag 0x800 is decoded cp437 -> bytes -> UTF-8 or GBK.

Each hand-in is matched to the roster (``grading/roster.csv``, else the
gradebook's students); nothing the roster lacks is ever created: unmatched,
conflicting or ambiguous hand-ins are listed in Chinese for the teacher. The
file's time is the submission time (nbgrader's ``timestamp.txt``, UTC). A
student's earlier copy that differs is moved to ``grading/backup/`` first.

>>> roster = {"0230415": Student("0230415", "张子涵"), "0230402": Student("0230402", "欧阳娜娜")}
>>> match("0230415_张子涵", roster).sid, match("欧阳娜娜-p01作业", roster).sid
('0230415', '0230402')
>>> match("0230402_张子涵", roster).status
'conflict'
"""

import datetime as dt
import io
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .roster import Student, load_roster

CHINA = dt.timezone(dt.timedelta(hours=8))
UTC = dt.timezone.utc
JUNK = {".ds_store", "thumbs.db", "desktop.ini"}
MAX_BYTES = 200 * 1024 * 1024  # a hand-in bigger than this (uncompressed) is refused: likely not homework


@dataclass
class HandIn:
    label: str  # what the teacher sees: the file or folder name (inside a class zip: "班级.zip › 名字.zip")
    stem: str  # the name matched against the roster
    files: dict = field(default_factory=dict)  # relative posix path -> bytes
    mtime: object = None  # aware datetime (UTC)
    problem: str = ""  # why it cannot be read


@dataclass
class Match:
    status: str  # ok | conflict | ambiguous | unmatched
    sid: str = ""
    note: str = ""


# ---------------------------------------------------------------- names


def member_name(info):
    """A zip member's real name: UTF-8 if flagged (0x800), else the raw bytes as UTF-8 or GBK (Chinese Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _safe_parts(name):
    """The path parts of a member name, or None for junk, folders and names escaping the target."""
    name = name.replace("\\", "/")
    if name.endswith("/") or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or ".." in parts or "__MACOSX" in parts or ".ipynb_checkpoints" in parts:
        return None
    if parts[-1].lower() in JUNK or parts[-1].startswith("._"):
        return None
    return parts


def strip_common_folder(files):
    """Drop folder levels every file shares ("张三作业/p01/x.ipynb" -> "x.ipynb" when it is the only content)."""
    while files:
        heads = {p.split("/", 1)[0] for p in files}
        if len(heads) != 1 or any("/" not in p for p in files):
            break
        files = {p.split("/", 1)[1]: data for p, data in files.items()}
    return files


def stem_of(name):
    return re.sub(r"\.(zip|ipynb)$", "", name, flags=re.I).strip()


# ---------------------------------------------------------------- reading hand-ins


def _zip_time(date_time):
    """A zip entry's time: local time of the PC that made it (a Chinese PC: Beijing time) -> UTC."""
    try:
        return dt.datetime(*date_time, tzinfo=CHINA).astimezone(UTC)
    except ValueError:
        return None


def _members(zf):
    """[(parts, ZipInfo)] of the real files of an open ZipFile, names decoded."""
    out = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        parts = _safe_parts(member_name(info))
        if parts:
            out.append((parts, info))
    return out


def _from_members(label, stem, zf, members, mtime=None):
    hand_in = HandIn(label, stem, mtime=mtime)
    if sum(info.file_size for _, info in members) > MAX_BYTES:
        hand_in.problem = f"解压后超过 {MAX_BYTES // 1024 // 1024} MB，不像是作业，没有收"
        return hand_in
    times = []
    for parts, info in members:
        hand_in.files["/".join(parts)] = zf.read(info)
        times.append(_zip_time(info.date_time))
    if hand_in.mtime is None:
        hand_in.mtime = max((t for t in times if t), default=None)
    hand_in.files = strip_common_folder(hand_in.files)
    return hand_in


def _zip_hand_in(label, stem, data, mtime):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _from_members(label, stem, zf, _members(zf), mtime)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
        why = "加了密码" if isinstance(exc, RuntimeError) else "不是完整的 zip 文件（可能没传完或是 rar 改了扩展名）"
        return HandIn(label, stem, problem=f"打不开：{why}")


def _disk_time(path):
    return dt.datetime.fromtimestamp(os.stat(path).st_mtime, UTC)


def hand_ins_in_folder(folder):
    """One HandIn per zip, folder or .ipynb directly inside `folder`."""
    out = []
    for child in sorted(Path(folder).iterdir()):
        if child.name.startswith(".") or child.name.lower() in JUNK or child.name == "__MACOSX":
            continue
        if child.is_dir():
            files, times = {}, []
            for p in sorted(child.rglob("*")):
                rel = p.relative_to(child).as_posix()
                if p.is_file() and _safe_parts(rel):
                    files[rel] = p.read_bytes()
                    times.append(_disk_time(p))
            out.append(HandIn(child.name, child.name, strip_common_folder(files), max(times, default=None)))
        elif child.suffix.lower() == ".zip":
            out.append(_zip_hand_in(child.name, stem_of(child.name), child.read_bytes(), _disk_time(child)))
        elif child.suffix.lower() == ".ipynb":
            out.append(HandIn(child.name, stem_of(child.name), {child.name: child.read_bytes()}, _disk_time(child)))
        else:
            kind = child.suffix.lower().lstrip(".") or "没有扩展名的"
            why = "压缩包" if kind in ("rar", "7z", "tar", "gz") else "文件"
            out.append(
                HandIn(
                    child.name,
                    child.stem,
                    problem=f"是 {kind} {why}，本命令只收 zip、文件夹和 .ipynb。"
                    + ("请先解压成文件夹再收" if why == "压缩包" else "如果是作业，请让学生交 .ipynb 笔记本"),
                )
            )
    return [_open_inner_zips(h) for h in out]


def _open_inner_zips(hand_in):
    """A hand-in with no notebook but a zip inside (a zip in a folder, a zip in a zip): that zip's files instead."""
    if hand_in.problem or any(p.lower().endswith(".ipynb") for p in hand_in.files):
        return hand_in
    for rel, data in hand_in.files.items():
        if rel.lower().endswith(".zip"):
            inner = _zip_hand_in(hand_in.label, hand_in.stem, data, hand_in.mtime)
            if not inner.problem and any(p.lower().endswith(".ipynb") for p in inner.files):
                return inner
    return hand_in


def hand_ins_in_zip(path, roster):
    """A class zip: one HandIn per zip, folder or .ipynb at its top; a zip named after one student is that student's."""
    path = Path(path)
    if match(stem_of(path.name), roster).status == "ok":
        return [_open_inner_zips(_zip_hand_in(path.name, stem_of(path.name), path.read_bytes(), _disk_time(path)))]
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise CollectError(
            f"{path.name} 不是完整的 zip 文件（可能没下载完，或是 rar 改了扩展名）。请重新下载或解压成文件夹再收。"
        ) from exc
    with zf:
        members = _members(zf)
        files = {"/".join(p): info for p, info in members}
        while files:  # a class zip's common top folder ("营销1班作业/") goes, unless it is one student's
            heads = {p.split("/", 1)[0] for p in files}
            head = next(iter(heads))
            if len(heads) != 1 or any("/" not in p for p in files) or match(stem_of(head), roster).status == "ok":
                break
            files = {p.split("/", 1)[1]: info for p, info in files.items()}
        groups = {}
        for rel, info in files.items():
            head, _, rest = rel.partition("/")
            groups.setdefault(head, []).append((rest.split("/") if rest else [head], info))
        out = []
        for head, items in sorted(groups.items()):
            label = f"{path.name} › {head}"
            if len(items) == 1 and items[0][0] == [head] and head.lower().endswith(".zip"):
                info = items[0][1]
                out.append(_zip_hand_in(label, stem_of(head), zf.read(info), _zip_time(info.date_time)))
            else:
                out.append(_from_members(label, stem_of(head), zf, items))
    return [_open_inner_zips(h) for h in out]


class CollectError(Exception):
    """Collection cannot start; the message (Chinese) says what to do."""


# ---------------------------------------------------------------- matching


def match(stem, roster):
    """Match a hand-in's name to the roster: 学号 first, then 姓名; never a guess between two students."""
    upper = {sid.upper(): sid for sid in roster}
    tokens = set(re.findall(r"[0-9A-Za-z]+", stem)) | set(re.findall(r"\d+", stem))
    ids = sorted({upper[t.upper()] for t in tokens if t.upper() in upper})
    names = [sid for sid, s in roster.items() if s.name and s.name in stem]
    longest = [
        sid
        for sid in names
        if not any(roster[sid].name in roster[o].name and roster[sid].name != roster[o].name for o in names)
    ]

    def who(sid):
        s = roster[sid]
        return f"{s.name}（{sid}{' ' + s.klass if s.klass else ''}）"

    if len(ids) > 1:
        return Match("ambiguous", note=f"名字里有两个名单上的学号：{'、'.join(who(s) for s in ids)}")
    if ids:
        sid = ids[0]
        if longest and sid not in longest:
            return Match(
                "conflict",
                note=f"学号 {sid} 是 {roster[sid].name} 的，但名字里写的是 {'、'.join(roster[s].name for s in longest)}",
            )
        return Match("ok", sid)
    long_numbers = [t for t in tokens if t.isdigit() and len(t) >= 5]
    if long_numbers:
        hint = f"；姓名和 {who(longest[0])} 相同，可能是学号写错了" if len(longest) == 1 else ""
        return Match("unmatched", note=f"学号 {'、'.join(sorted(long_numbers))} 不在名单里{hint}")
    if len(longest) == 1:
        return Match("ok", longest[0], note="按姓名对上")
    if longest:
        return Match("ambiguous", note=f"名单里有 {len(longest)} 位同名学生：{'、'.join(who(s) for s in longest)}")
    return Match("unmatched", note="名字里既没有名单上的学号，也没有名单上的姓名")


# ---------------------------------------------------------------- collecting


def timestamp_text(moment):
    """nbgrader's timestamp.txt format (UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


@dataclass
class Report:
    project: str
    new: list = field(default_factory=list)  # [(sid, HandIn)]
    replaced: list = field(default_factory=list)  # [(sid, HandIn, backup path)]
    same: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # [(HandIn, reason)]
    extra: list = field(default_factory=list)  # [(sid, used HandIn, [unused HandIn])]
    no_notebook: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # roster students with nothing handed in

    def text(self, roster):
        def who(sid):
            return f"{sid} {roster[sid].name}" if sid in roster else sid

        got = len(self.new) + len(self.replaced) + len(self.same)
        lines = [
            f"{self.project} 收作业：收好 {got} 人（新收 {len(self.new)}，换成新交的 {len(self.replaced)}，"
            f"和上次一样 {len(self.same)}），需要老师处理 {len(self.refused)} 份。"
        ]
        for sid, h, backup in self.replaced:
            lines.append(f"  {who(sid)}：换成了 {h.label}，旧的备份在 {backup}")
        if self.refused:
            lines.append(
                "下面这些没有收（不会自动登记名单上没有的学生）。请改好文件名（学号_姓名）或先把学生加进名单，再收一次："
            )
            lines += [f"  × {h.label}：{why}" for h, why in self.refused]
        for sid, used, others in self.extra:
            lines.append(
                f"  △ {who(sid)} 交了 {len(others) + 1} 份，收的是最新的 {used.label}；没收：{'、'.join(h.label for h in others)}"
            )
        for sid in self.no_notebook:
            lines.append(f"  △ {who(sid)} 交的东西里没有 .ipynb 笔记本（评分时会得 0 分并注明原因）")
        if self.missing:
            lines.append(f"名单上还没交的 {len(self.missing)} 人：{'、'.join(who(s) for s in self.missing)}")
        lines.append(f"下一步：python course.py grade {self.project}")
        return "\n".join(lines)


def _current(folder):
    if not folder.exists():
        return None
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "timestamp.txt"
    }


def collect(root, project, source, roster=None, now=None, dry_run=False):
    """Collect `source` (a folder or a zip) for `project` into grading/submitted/; return a Report."""
    root = Path(root)
    if not re.fullmatch(r"p\d\d", project):
        raise CollectError(
            f"“{project}”不是项目编号。项目编号写成 p01～p09，例如 python course.py collect p01 作业文件夹"
        )
    roster = roster if roster is not None else known_roster(root)
    if not roster:
        raise CollectError(
            "还没有学生名单，收上来的作业对不上人。请先导入名单：python course.py students import 名单.xlsx"
        )
    source = Path(source)
    if not source.exists():
        raise CollectError(f"找不到 {source}。请写收上来的作业所在的文件夹或 .zip 的路径（可以把它拖进命令行窗口）。")
    if source.is_dir():
        items = hand_ins_in_folder(source)
    elif source.suffix.lower() == ".zip":
        items = hand_ins_in_zip(source, roster)
    else:
        raise CollectError(f"{source.name} 既不是文件夹也不是 .zip。rar、7z 请先解压成文件夹再收。")
    report = Report(project)
    chosen = {}
    for h in items:
        if h.problem:
            report.refused.append((h, h.problem))
            continue
        m = match(h.stem, roster)
        if m.status != "ok":
            report.refused.append((h, m.note))
            continue
        chosen.setdefault(m.sid, []).append(h)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    for sid, handed in sorted(chosen.items()):
        handed.sort(key=lambda h: (h.mtime or dt.datetime.min.replace(tzinfo=UTC), h.label))
        h = handed[-1]
        if len(handed) > 1:
            report.extra.append((sid, h, handed[:-1]))
        if not any(p.lower().endswith(".ipynb") for p in h.files):
            report.no_notebook.append(sid)
        dest = root / "grading" / "submitted" / sid / project
        old = _current(dest)
        if old == h.files:
            report.same.append((sid, h))
            continue
        if dry_run:
            (report.replaced if old is not None else report.new).append(
                (sid, h, "（试运行，没有备份）") if old is not None else (sid, h)
            )
            continue
        if old is not None:
            backup = root / "grading" / "backup" / stamp / sid / project
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(dest), str(backup))
            report.replaced.append((sid, h, backup.relative_to(root).as_posix()))
        else:
            report.new.append((sid, h))
        for rel, data in h.files.items():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        dest.mkdir(parents=True, exist_ok=True)
        if h.mtime is not None:
            (dest / "timestamp.txt").write_text(timestamp_text(h.mtime), encoding="utf-8")
    report.missing = sorted(set(roster) - set(chosen))
    return report


def known_roster(root):
    """grading/roster.csv, plus any student only the gradebook knows (a roster imported the nbgrader way)."""
    roster = load_roster(root)
    db = Path(root) / "grading" / "gradebook.db"
    if db.exists():
        from nbgrader.api import Gradebook

        from .gradebook import db_url

        with Gradebook(db_url(root)) as gb:
            for s in gb.students:
                roster.setdefault(s.id, Student(s.id, f"{s.last_name or ''}{s.first_name or ''}"))
    return roster
