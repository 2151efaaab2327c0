"""``nbgrader export`` (``python course.py nbgrader export``) writes 成绩.csv for Excel through crmlib's plugin."""

import os
import subprocess
import sys

import pytest

from support import make_course


@pytest.mark.full
def test_nbgrader_export_writes_excel_csv(tmp_path):
    from crmlib.grading import gradebook

    course = make_course(tmp_path, projects=("p01",))
    gradebook.ensure_assignment(course, "p01")
    gradebook.add_students(course, ["0230415"])
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export"], cwd=course, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    data = (course / "成绩.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # BOM and CRLF: Excel opens it with Chinese intact
    header, row = data.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("作业,截止时间,提交时间,学号") and row.startswith("p01,") and ",0230415," in row
