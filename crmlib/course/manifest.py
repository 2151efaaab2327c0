"""The course manifest (``projects.yaml`` beside this file): the one list of projects.

>>> [p.id for p in projects()][:2]
['p01', 'p02']
>>> project("p07").notebook
'p07_key_accounts.ipynb'
>>> project("p7")
Traceback (most recent call last):
...
crmlib.course.errors.CRMError: 没有编号为「p7」的学习项目。编号写成 p01～p09 这样（两位数字）。
"""

from dataclasses import dataclass
from pathlib import Path

from .errors import CRMError
from .paths import load_yaml

MANIFEST = Path(__file__).with_name("projects.yaml")
STATUS_TEXT = {"done": "已完成", "draft": "编写中", "planned": "即将推出"}


@dataclass(frozen=True)
class Project:
    """One learning project: ``p07``, ``key_accounts``, ``大客户管理``, ``done``."""

    id: str
    slug: str
    title: str
    status: str

    @property
    def notebook(self):
        """File name of its notebook (same in solutions/, notebooks/ and the workspace)."""
        return f"{self.id}_{self.slug}.ipynb"

    @property
    def number(self):
        """The textbook's 学习项目 number, e.g. 7."""
        return int(self.id[1:])

    @property
    def released(self):
        """True when students get it (done or draft)."""
        return self.status in ("done", "draft")


def projects(path=MANIFEST):
    """Every project in manifest order."""
    rows = load_yaml(Path(path).read_text(encoding="utf-8"))
    out = [Project(**row) for row in rows]
    bad = [p.id for p in out if p.status not in STATUS_TEXT]
    if bad:
        raise CRMError(f"projects.yaml 里 {'、'.join(bad)} 的 status 不对：只能是 done、draft 或 planned。")
    return out


def project(pid, path=MANIFEST):
    """The project with id `pid`, or a Chinese error."""
    for p in projects(path):
        if p.id == pid:
            return p
    raise CRMError(f"没有编号为「{pid}」的学习项目。编号写成 p01～p09 这样（两位数字）。")


def released_projects(path=MANIFEST):
    """Projects students get, in order."""
    return [p for p in projects(path) if p.released]


def readme_table(path=MANIFEST, root=None):
    """The README's course table (generated; ``course.py release`` writes it between the markers)."""
    root = Path(root) if root else Path(path).resolve().parents[2]
    rows = ["| 项目 | 笔记本 | 状态 |", "|---|---|---|"]
    for p in projects(path):
        nb = f"notebooks/{p.id}/{p.notebook}"
        shown = f"`{nb}`" if p.released and (root / nb).exists() else "—"
        rows.append(f"| {p.id} {p.title} | {shown} | {STATUS_TEXT[p.status]} |")
    return "\n".join(rows)


README_START, README_END = "<!-- 课程表：由 python course.py release 生成 -->", "<!-- /课程表 -->"


def sync_readme(readme):
    """Write the generated course table into `readme` between the markers; True if it changed."""
    text = Path(readme).read_text(encoding="utf-8")
    start, end = text.index(README_START), text.index(README_END)
    new = text[: start + len(README_START)] + "\n" + readme_table() + "\n" + text[end:]
    if new != text:
        Path(readme).write_text(new, encoding="utf-8")
        return True
    return False
