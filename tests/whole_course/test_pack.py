"""The student pack (python course.py pack): what is in it, what never is, and that it installs and runs."""

import doctest
import json
import os
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import pytest

from support import ROOT, load_file


pack = load_file(ROOT / "tools" / "pack.py", "crm_pack")
start = load_file(ROOT / "tools" / "pack_start.py", "crm_pack_start")


def test_doctests_of_the_pack_tools():
    for module in (pack, start):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


# ---------------------------------------------------------------- what is in it


# ---------------------------------------------------------------- what never is


def test_the_deny_list_catches_teacher_files(tmp_path):
    bad = [
        "solutions/p01/p01_crm_work.ipynb",
        "notebooks/p01/teacher/x.md",
        "x/graded.yaml",
        "x/practice_key.yaml",
        "x/answer_key.yaml",
        "x/p01_keys.json",
        "x/tasks.py",
        "x/facts.py",
        "x/aid.md",
        "nbgrader_config.py",
        ".git/config",
        "grading/gradebook.db",
    ]
    zpath = tmp_path / "bad.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for name in bad + ["notebooks/p07/p07_key_accounts.ipynb"]:
            zf.writestr(f"{pack.TOP}/{name}", "x")
    flagged = [m for m, _ in pack.audit(zpath)]
    assert flagged == [f"{pack.TOP}/{n}" for n in bad]
    assert all(why for _, why in pack.audit(zpath))
    assert pack.forbidden("crmlib/grading/judge.py", in_wheel=True) is None  # the grading code is public
    assert pack.forbidden("crmlib/tasks/p01.py", in_wheel=True) is None  # visible checks, not hidden tasks


# ---------------------------------------------------------------- the start scripts


def test_start_fills_the_work_folder_once_and_never_overwrites(tmp_path):
    released = tmp_path / "notebooks"
    (released / "p01").mkdir(parents=True)
    (released / "index.ipynb").write_text("首页", encoding="utf-8")
    (released / "p01" / "p01_a.ipynb").write_text("新的", encoding="utf-8")
    work = tmp_path / "my_work"
    made = start.fill_workspace(work, released)
    assert sorted(p.name for p in made) == ["index.ipynb", "p01_a.ipynb"]
    (work / "p01" / "p01_a.ipynb").write_text("学生的作业", encoding="utf-8")
    assert start.fill_workspace(work, released) == []
    assert (work / "p01" / "p01_a.ipynb").read_text(encoding="utf-8") == "学生的作业"
    assert "老师的答案不在这里" in (work / "说明.txt").read_text(encoding="utf-8")


def test_start_installs_offline_only_with_a_wheelhouse(tmp_path):
    setup = tmp_path / "setup"
    setup.mkdir()
    (setup / "crmlib-0.2.0-py3-none-any.whl").write_bytes(b"x")
    online = start.install_command("py", setup)
    assert "--no-index" not in online and online[-1].endswith("crmlib-0.2.0-py3-none-any.whl")
    assert online[online.index("-c") + 1].endswith("constraints.txt")
    (setup / "wheelhouse").mkdir()
    offline = start.install_command("py", setup)
    assert offline[offline.index("--no-index") + 1 : offline.index("--no-index") + 3] == [
        "--find-links",
        str(setup / "wheelhouse"),
    ]
    assert "PIP_INDEX_URL" in start.install_advice(False) and "离线" in start.install_advice(True)


def test_start_stamp_changes_with_the_pins_and_the_wheel(tmp_path):
    setup = tmp_path / "setup"
    setup.mkdir()
    for name in ("requirements.txt", "constraints.txt"):
        (setup / name).write_text("a==1\n", encoding="utf-8")
    (setup / "crmlib-0.2.0-py3-none-any.whl").write_bytes(b"x")
    first = start.wanted_stamp(setup, "3.11")
    assert start.wanted_stamp(setup, "3.11") == first
    (setup / "constraints.txt").write_text("a==2\n", encoding="utf-8")
    assert start.wanted_stamp(setup, "3.11") != first


def test_start_explains_old_or_32_bit_python():
    assert "3.11" in start.check_python((3, 9, 0), 64) and "python.org" in start.check_python((3, 9, 0), 64)
    assert "64 位" in start.check_python((3, 12, 0), 32, windows=True)
    assert start.check_python((3, 12, 0), 32, windows=False) is None


def test_start_rejects_unknown_options_in_chinese(tmp_path):
    ran = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "pack_start.py"), "--bogus"], capture_output=True, text=True
    )
    assert ran.returncode == 1 and "不认识的选项" in ran.stderr and "--prepare-only" in ran.stderr


# ---------------------------------------------------------------- the wheelhouse (logic; the download is full-tier)


def test_windows_targets_get_the_windows_only_packages():
    reqs = pack.requirement_lines(ROOT / "requirements.txt")
    linux = pack.closure(reqs, pack.target_environment("linux-x64", "3.11"))
    windows = pack.closure(reqs, pack.target_environment("windows-x64", "3.11"))
    pins = {line.split("==")[0].lower().replace("_", "-") for line in pack.requirement_lines(ROOT / "constraints.txt")}
    assert set(linux) <= pins | {"pip"}, sorted(set(linux) - pins)
    assert {"pywinpty", "colorama"} <= set(windows) - set(linux)
    assert linux["pandas"] == "pandas==" + next(
        line.split("==")[1] for line in pack.requirement_lines(ROOT / "constraints.txt") if line.startswith("pandas==")
    )


def test_download_command_targets_one_platform_and_python():
    cmd = pack.download_command(["a==1"], "windows-x64", "3.12", "wh")
    assert cmd[cmd.index("--platform") + 1] == "win_amd64" and "--only-binary=:all:" in cmd
    assert cmd[cmd.index("--python-version") + 1].startswith("3.12.") and "cp312" in cmd and "--no-deps" in cmd
    linux = pack.download_command(["a==1"], "linux-x64", "3.11", "wh")
    assert "manylinux2014_x86_64" in linux and "manylinux_2_28_x86_64" in linux


def test_a_package_without_a_wheel_is_named_and_the_rest_downloaded(capsys):
    calls = []

    def fake_run(cmd, **kw):
        calls.append([c for c in cmd if "==" in c])
        if "pywinpty==3.0.2" in cmd:
            return SimpleNamespace(returncode=1, stderr="ERROR: No matching distribution found for pywinpty==3.0.2")
        return SimpleNamespace(returncode=0, stderr="")

    missing = pack.download_target(["a==1", "pywinpty==3.0.2", "b==2"], "windows-x64", "3.11", "wh", fake_run)
    assert missing == ["pywinpty==3.0.2"] and calls[-1] == ["a==1", "b==2"]
    assert "pywinpty==3.0.2 没有适用的 wheel 文件" in capsys.readouterr().out


def test_a_network_failure_stops_the_target(capsys):
    def fake_run(cmd, **kw):
        return SimpleNamespace(returncode=1, stderr="WARNING: Retrying ... NewConnectionError\nERROR: could not fetch")

    missing = pack.download_target(["a==1"], "linux-x64", "3.11", "wh", fake_run)
    assert missing == ["（全部，下载中断）"] and "下载中断" in capsys.readouterr().out


def test_python_versions_match_the_pins():
    import tomllib
    from importlib import metadata

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert requires == ">=" + pack.PYTHONS[0]
    for name in ("numpy", "pandas"):
        assert metadata.metadata(name)["Requires-Python"].replace(" ", "").startswith(">=" + pack.PYTHONS[0])
    assert start.OLDEST[:2] == tuple(int(x) for x in pack.PYTHONS[0].split("."))
    # the oldest bug-fix release start.py accepts is the newest any pinned package asks for
    from packaging.specifiers import SpecifierSet

    floors = []
    for line in pack.requirement_lines(ROOT / "constraints.txt"):
        spec = metadata.metadata(line.split("==")[0])["Requires-Python"]
        floors += [tuple(int(x) for x in s.version.split(".")) for s in SpecifierSet(spec or "") if s.operator == ">="]
    assert max(floors) <= start.OLDEST, max(floors)
    assert "3.11.5" in start.check_python((3, 11, 4), 64)


# ---------------------------------------------------------------- the command


def test_pack_command_errors_are_chinese():
    ran = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "pack.py"), "--bogus"], capture_output=True, text=True, encoding="utf-8"
    )
    assert ran.returncode == 2 and "命令没有写对" in ran.stderr, ran.stderr


def test_course_py_lists_the_pack_verb():
    course = pack.course_module()
    assert "pack" in course.VERBS and "python course.py pack" in course.__doc__


def test_course_py_pack_takes_the_folder_relative_to_the_teacher(monkeypatch, tmp_path):
    course = pack.course_module()
    seen = []
    monkeypatch.setattr(course, "ensure_env", lambda: None)
    monkeypatch.setattr(course, "in_venv", lambda *args: seen.append(args))
    monkeypatch.chdir(tmp_path)
    course.main(["pack", "--offline", "--to", "学生包"])
    script, *args = seen[0]
    assert script == ROOT / "tools" / "pack.py"
    assert args == ["--offline", "--to", str(tmp_path / "学生包")]


def test_readme_tells_the_teacher_how_to_hand_out():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = readme.split("## 教师指南", 1)[1].split("\n## ", 1)[0]
    for words in (
        "分发给学生",
        "python course.py pack",
        "--offline",
        "PIP_INDEX_URL",
        "index-url",
        "Windows 7",
        "3.11",
    ):
        assert words in guide, words
    section = guide.split("### 分发给学生", 1)[1].split("修改了 `solutions/`", 1)[0]
    assert "http" not in section and "://" not in section, "不要写出具体的软件源地址"
    assert "Windows 10 / 11 64 位" in section and "3.11.5" in section


# ---------------------------------------------------------------- full tier: unpack, install, run


@pytest.mark.full
@pytest.mark.skipif(
    os.environ.get("CRM_TEST_OFFLINE_PACK") != "1",
    reason="离线学生包的完整安装测试要下载约 155 MB、用时约 2 分钟，超出全部测试 6 分钟的预算；"
    "要运行它：CRM_TEST_OFFLINE_PACK=1 python course.py test -k offline_pack",
)
def test_offline_pack_installs_and_runs_without_the_index(tmp_path):
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    zip_path, report = pack.build_pack(tmp_path / "out", offline=True, targets=[("linux-x64", python)])
    assert list(report.values()) == [[]], report
    assert pack.audit(zip_path) == []
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(tmp_path / "lab-pc")
    here = tmp_path / "lab-pc" / pack.TOP
    assert list((here / "setup" / "wheelhouse").glob("pandas-*.whl"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "CRM_", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", CRM_PYTHON=sys.executable)  # no index at all
    ran = subprocess.run(
        ["sh", str(here / "start.sh"), "--prepare-only"], capture_output=True, text=True, env=env, timeout=1500
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "准备好了" in ran.stdout and "离线软件包" in ran.stdout
    assert (here / "my_work" / "p01").is_dir() and (here / "my_work" / "index.ipynb").exists()
    settings = here / ".venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert (
        json.loads(settings.read_text(encoding="utf-8"))["@jupyterlab/translation-extension:plugin"]["locale"]
        == "zh_CN"
    )
    probe = (
        "import crmlib, crmlib.questions.practice as p\n"
        "assert '.venv' in crmlib.__file__, crmlib.__file__\n"
        "df = crmlib.load_dataset('p07_orders')\n"
        "box, static = p.build_quiz('p01')\n"
        "assert '练习题' in static and len(df) > 100\n"
        "import jupyterlab, nbformat\n"
        "print('ok', len(df))\n"
    )
    py = here / ".venv" / "bin" / "python"
    probed = subprocess.run([str(py), "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert probed.returncode == 0 and probed.stdout.startswith("ok"), probed.stdout + probed.stderr[-3000:]
    mine = next((here / "my_work" / "p01").glob("*.ipynb"))
    mine.write_text("学生的作业", encoding="utf-8")
    again = subprocess.run(
        ["sh", str(here / "start.sh"), "--prepare-only"], capture_output=True, text=True, env=env, timeout=300
    )
    assert again.returncode == 0 and "正在从" not in again.stdout, again.stdout + again.stderr
    assert mine.read_text(encoding="utf-8") == "学生的作业"
