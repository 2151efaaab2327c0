"""Students work in my_work/: copies made once and never overwritten, a reset that keeps a backup,
JupyterLab rooted there (the teacher's files out of the file browser), and nothing there can fail the tests."""

import datetime
import importlib.util

import pytest

from support import ROOT


@pytest.fixture(scope="module")
def course():
    spec = importlib.util.spec_from_file_location("course_ws", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_workspace_is_filled_once_and_never_overwritten(course, tmp_path):
    ws = tmp_path / "my_work"
    made = course.fill_workspace(ws, ROOT / "notebooks")
    assert ws / "index.ipynb" in made and ws / "p01" / "p01_crm_work.ipynb" in made
    mine = ws / "p01" / "p01_crm_work.ipynb"
    mine.write_text("我的答案", encoding="utf-8")
    assert course.fill_workspace(ws, ROOT / "notebooks") == []
    assert mine.read_text(encoding="utf-8") == "我的答案"


def test_reset_keeps_a_dated_backup(course, tmp_path):
    ws = tmp_path / "my_work"
    course.fill_workspace(ws, ROOT / "notebooks")
    mine = ws / "p01" / "p01_crm_work.ipynb"
    mine.write_text("我的答案", encoding="utf-8")
    backups = course.reset_notebook("p01", ws, ROOT / "notebooks", now=datetime.datetime(2026, 3, 1, 8, 30))
    assert [b.name for b in backups] == ["p01_crm_work.备份-20260301-083000.ipynb"]
    assert backups[0].read_text(encoding="utf-8") == "我的答案"
    assert mine.read_bytes() == (ROOT / "notebooks" / "p01" / "p01_crm_work.ipynb").read_bytes()


def test_start_roots_jupyterlab_in_the_workspace(course, monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(course, "ensure_env", lambda: None)
    monkeypatch.setattr(course, "set_chinese_ui", lambda: None)
    monkeypatch.setattr(course, "WORKSPACE", tmp_path / "my_work")
    monkeypatch.setattr(course, "fill_workspace", lambda: [])
    monkeypatch.setattr(course, "in_venv", lambda *args: calls.append(args))
    course.cmd_start([])
    assert f"--ServerApp.root_dir={tmp_path / 'my_work'}" in calls[-1]
    course.cmd_start(["--teacher"])
    assert f"--ServerApp.root_dir={ROOT}" in calls[-1]


def test_workspace_is_outside_git_and_the_test_paths():
    assert "/my_work/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    import tomllib

    paths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "my_work" not in " ".join(paths["testpaths"])
