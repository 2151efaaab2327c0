"""The course's own text does not repeat the source textbooks (../shared/seeds) word for word."""

import os
import shutil
import subprocess
import sys

import pytest

from support import ROOT

TOOL = ROOT.parent / "shared" / "tools" / "check_originality.py"


def project_files():
    """The repository's own files (tracked, or new and not ignored), or None outside a git checkout.

    The tool walks every folder it is given; in a working copy that includes .venv/ (tens of thousands of files)
    and ignored class data (my_work/, grading/), which are not the course's text.
    """
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    return [name for name in out.decode("utf-8").split("\0") if name and (ROOT / name).is_file()]


def mirror(names, target):
    """A tree of links to `names` under `target`, for the tool to walk instead of the working copy."""
    for name in names:
        link = target / name
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(ROOT / name, link)
    return target


@pytest.mark.skipif(not TOOL.exists(), reason=f"原创性检查工具不存在：{TOOL}（CI 会把 shared/ 放在仓库旁边）")
def test_no_passage_copied_from_the_seeds(tmp_path):
    names = project_files()
    where = ROOT if names is None or os.name == "nt" else mirror(names, tmp_path / "course")
    proc = subprocess.run(
        [sys.executable, str(TOOL), str(where)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=300,
    )
    assert proc.returncode == 0, (
        "有段落与教材原文连续 20 个字以上相同，请用自己的话改写：\n" + proc.stdout[-6000:] + proc.stderr[-2000:]
    )
    assert "0 copied passages" in proc.stdout


def test_the_mirror_holds_every_course_text(tmp_path):
    """The mirror holds the course's texts (prose, code, data) and none of the local, ignored folders."""
    names = project_files()
    if names is None:
        pytest.skip("不是 git 仓库：原创性检查直接扫描整个目录")
    assert {"README.md", "course.py", "solutions/p01/p01_crm_work.ipynb", "datasets/p01_kpi.csv"} <= set(names)
    assert not any(n.startswith((".venv/", "my_work/", "grading/submitted/")) for n in names)
