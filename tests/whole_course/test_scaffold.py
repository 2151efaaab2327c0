"""``python course.py new`` makes a project that passes the quick tests as it stands (in a copy of the course)."""

import os
import shutil
import subprocess
import sys

import pytest

from support import ROOT

pytestmark = pytest.mark.full


def SKIP(folder, names):
    """What a course copy leaves out: the environment, git, caches, and the top-level grading/ and my_work/."""
    skip = {".venv", ".git", "__pycache__", ".ipynb_checkpoints"}
    if folder == str(ROOT):
        skip |= {"grading", "my_work", "build"}
    return [n for n in names if n in skip or n.endswith(".pyc")]


def run(args, cwd, env, timeout=600):
    """A child Python in the course copy, its output captured as UTF-8 text."""
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout
    )


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory):
    dest = tmp_path_factory.mktemp("scaffold") / "course"
    shutil.copytree(ROOT, dest, ignore=SKIP)
    env = {**os.environ, "PYTHONPATH": str(dest)}
    done = run(["tools/scaffold.py", "p10", "demo", "演示项目"], dest, env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return dest, env


def test_scaffold_refuses_to_overwrite(course_copy):
    dest, env = course_copy
    again = run(["tools/scaffold.py", "p10", "demo", "演示项目"], dest, env, timeout=120)
    assert again.returncode != 0 and "不会覆盖" in again.stdout + again.stderr


def test_scaffold_passes_the_quick_tests(course_copy):
    dest, env = course_copy
    done = run(
        [
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not full",
            "tests/whole_course/test_notebooks.py",
            "tests/course/test_datasets.py",
            "tests/course/test_facade.py",
            "-k",
            "p10 or facade",
        ],
        dest,
        env,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert " passed" in done.stdout
    new_code = ["crmlib/__init__.py", "crmlib/tasks/p10.py", "crmlib/generators/p10.py", "solutions/p10/teacher"]
    for args in (["check"], ["format", "--check"]):  # the quick tier's lint and format check
        lint = run(["-m", "ruff", *args, *new_code], dest, env)
        assert lint.returncode == 0, f"ruff {' '.join(args)}: " + lint.stdout[-2000:] + lint.stderr[-1000:]


def test_scaffold_grades_round_trip(course_copy):
    dest, env = course_copy
    done = run(["-m", "crmlib.grading.cli", "roundtrip", "p10"], dest, env)
    assert done.returncode == 0 and "往返检查通过" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
