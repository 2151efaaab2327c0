"""A throw-away course (a copy of the repository's p01 and p07, under git) for grading tests."""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def make_course(dest, projects=("p01", "p07")):
    """Copy what grading needs (config, masters, student copies) into `dest` and commit it to git."""
    dest = Path(dest)
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    for sub in ("solutions", "notebooks"):
        for p in projects:
            if (ROOT / sub / p).exists():
                shutil.copytree(ROOT / sub / p, dest / sub / p)
    (dest / ".gitignore").write_text("/grading/\n", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-qm", "course"], cwd=dest, check=True)
    return dest


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("course"))
