"""Installation and configuration: pins, course.py, the Chinese UI, nbgrader settings."""

import ast
import importlib.util
import json
import re
import subprocess
import sys
from importlib import metadata

import pytest
import yaml

from support import ROOT
from crmlib.grading.gradebook import course_config


def load_nbgrader_config():
    return course_config(ROOT)


WORKER_GROUP = "nbgrader"  # both import nbgrader (~1 s): one worker pays it (tests/conftest.py)

PIN_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)$")


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lines, where):
    pins = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = PIN_RE.match(line)
        assert m, f"{where}: “{raw.strip()}” 没有用 == 固定版本"
        name = _norm(m.group(1))
        assert name not in pins, f"{where}: {name} 出现了两次"
        pins[name] = m.group(2)
    return pins


@pytest.fixture(scope="module")
def requirements():
    return _pins((ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines(), "requirements.txt")


@pytest.fixture(scope="module")
def constraints():
    return _pins((ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines(), "constraints.txt")


@pytest.fixture(scope="module")
def conda_pip():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip) == 1, "environment.yml 应有且只有一个 pip: 列表"
    return pip[0]


@pytest.fixture(scope="module")
def course():
    spec = importlib.util.spec_from_file_location("course_under_test", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- pins


def test_environment_yml_uses_the_same_pins(conda_pip):
    assert conda_pip == ["-r requirements.txt", "-c constraints.txt"], (
        "environment.yml 的 pip 部分应直接引用 requirements.txt 和 constraints.txt（同一份固定版本）"
    )


def test_constraints_pin_every_requirement_at_its_version(requirements, constraints):
    differ = {
        n: f"requirements.txt {v} ≠ constraints.txt {constraints.get(n, '缺失')}"
        for n, v in requirements.items()
        if constraints.get(n) != v
    }
    assert not differ, f"constraints.txt 过期了，请运行 python course.py lock：{differ}"


def test_jupyterlab_at_least_4_4(requirements):
    assert "jupyterlab" in requirements, "requirements.txt 里没有 jupyterlab"
    version = tuple(int(x) for x in re.findall(r"\d+", requirements["jupyterlab"])[:2])
    assert version >= (4, 4), f"JupyterLab 至少要 4.4，固定的是 {requirements['jupyterlab']}"
    assert "jupyterlab-language-pack-zh-cn" in requirements, "缺少中文语言包 jupyterlab-language-pack-zh-CN"


def test_installed_versions_match_the_pins(constraints):
    wrong = {}
    for name, version in constraints.items():
        try:
            got = metadata.version(name)
        except metadata.PackageNotFoundError:
            got = "未安装"
        if got != version:
            wrong[name] = f"固定 {version}，实际 {got}"
    assert not wrong, f"当前环境与 constraints.txt 不一致（运行 python course.py test 会自动重装）：{wrong}"


# ---------------------------------------------------------------- course.py


def test_course_py_uses_only_the_standard_library():
    tree = ast.parse((ROOT / "course.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "course.py 不应有相对导入"
            imported.add(node.module.split(".")[0])
    outside = sorted(imported - set(sys.stdlib_module_names))
    assert not outside, f"course.py 要在装好依赖之前就能运行，只能导入标准库，却导入了：{outside}"


def _run_course(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "course.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
    )


def test_course_py_without_arguments_prints_usage():
    proc = _run_course()
    assert proc.returncode == 0, proc.stderr
    for verb in ("start", "test", "release", "data", "grades", "bench"):
        assert f"python course.py {verb}" in proc.stdout, f"用法说明里缺少 {verb}：\n{proc.stdout}"


def test_course_py_unknown_verb_prints_usage_and_fails():
    proc = _run_course("no-such-verb")
    assert proc.returncode == 2 and "python course.py start" in proc.stdout, (proc.returncode, proc.stdout)


def test_set_chinese_ui_writes_the_zh_cn_override(course, tmp_path, monkeypatch):
    monkeypatch.setattr(course, "VENV", tmp_path / "venv")
    course.set_chinese_ui()
    overrides = tmp_path / "venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert overrides.exists(), f"set_chinese_ui() 没有写出 {overrides}"
    data = json.loads(overrides.read_text(encoding="utf-8"))
    assert data["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN", data
    course.set_chinese_ui()  # running it again (every `start`) is harmless
    assert json.loads(overrides.read_text(encoding="utf-8")) == data


def test_jupyterlab_reads_settings_where_set_chinese_ui_writes(course):
    """JupyterLab's app dir is <env>/share/jupyter/lab, the folder set_chinese_ui() writes under."""
    from pathlib import Path

    from jupyterlab.commands import get_app_dir

    assert Path(get_app_dir()).resolve() == (Path(sys.prefix) / "share" / "jupyter" / "lab").resolve(), (
        f"JupyterLab 的应用目录是 {get_app_dir()}，不在当前环境 {sys.prefix} 下，中文界面设置不会生效"
    )


def test_chinese_language_pack_is_installed():
    packs = {ep.name: ep for ep in metadata.entry_points(group="jupyterlab.languagepack")}
    assert "zh_CN" in packs, f"没有找到 zh_CN 语言包（已安装：{sorted(packs)}）"
    packs["zh_CN"].load()
    from jupyterlab_server.translation_utils import get_language_packs

    available, _ = get_language_packs("zh_CN")
    assert "zh_CN" in available, f"JupyterLab 看不到中文语言包：{sorted(available)}"


# ---------------------------------------------------------------- nbgrader


def test_nbgrader_config_maps_the_course_folders():
    from nbgrader.coursedir import CourseDirectory

    cfg = load_nbgrader_config()
    cd = CourseDirectory(config=cfg)
    assert cd.root == str(ROOT)
    from pathlib import Path

    assert Path(cd.format_path(cd.source_directory, ".", "p01")).resolve() == ROOT / "solutions" / "p01"
    assert Path(cd.format_path(cd.release_directory, ".", "p01")).resolve() == ROOT / "notebooks" / "p01"
    assert "teacher" in cd.ignore, "solutions/pNN/teacher/ 必须被 nbgrader 忽略（不能发给学生）"
    stub = cfg.ClearSolutions.code_stub["python"]
    assert "raise NotImplementedError" in stub and re.search(r"[\u4e00-\u9fff]", stub), (
        "清除答案后的代码占位要用中文提示，并且在作答前运行会失败"
    )
    assert re.search(r"[\u4e00-\u9fff]", cfg.ClearSolutions.text_stub), "书面作业的占位提示应是中文"
    assert cfg.ExportApp.plugin_class == "crmlib.grading.export.ExcelCsvExportPlugin"
