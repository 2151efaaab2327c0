"""The built student pack (python course.py pack): what is in it, what never is, and that its scripts work.

Building the pack (release + crmlib wheel + zip) takes a few seconds, so these run in the full tier; the pack
tool's own logic (deny-list, download targets, start script) is tested in the quick tier in test_pack.py.
"""

import json
import subprocess
import zipfile

import pytest
import yaml

from support import ROOT, load_file

pack = load_file(ROOT / "tools" / "pack.py", "crm_pack")
start = load_file(ROOT / "tools" / "pack_start.py", "crm_pack_start")
TEXT = (".py", ".yaml", ".json", ".ipynb", ".md", ".txt", ".bat", ".sh", ".csv", "METADATA", "RECORD")

pytestmark = pytest.mark.full


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The default pack (no wheelhouse), built once for this module."""
    out = tmp_path_factory.mktemp("pack")
    had_build = (ROOT / "build").exists()
    zip_path, report = pack.build_pack(out)
    assert report is None
    assert had_build or not (ROOT / "build").exists(), "打包不应在仓库里留下 build/"
    return zip_path


@pytest.fixture(scope="module")
def members(built):
    """{member name: bytes} of the pack and of the crmlib wheel inside it (as 'wheel!name')."""
    out = {}
    with zipfile.ZipFile(built) as zf:
        for name in zf.namelist():
            out[name] = zf.read(name)
    wheel = next(n for n in out if n.endswith(".whl") and "/setup/crmlib-" in n)
    inner = built.parent / "inner.whl"
    inner.write_bytes(out[wheel])
    with zipfile.ZipFile(inner) as wf:
        for name in wf.namelist():
            out[f"wheel!{name}"] = wf.read(name)
    return out


def _texts(members):
    return {n: b.decode("utf-8", errors="replace") for n, b in members.items() if n.endswith(TEXT)}


def test_pack_holds_the_released_notebooks_data_banks_wheel_and_scripts(built, members):
    top = pack.TOP + "/"
    assert built.name == "客户关系管理-学生包-0.2.0.zip"
    assert all(n.startswith(top) or n.startswith("wheel!") for n in members), "所有文件都在同一个顶层文件夹里"
    tracked = subprocess.run(
        ["git", "ls-files", "notebooks", "datasets", "exercises"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for path in tracked:
        name = top + path
        assert name in members, f"学生包里缺少 {path}"
        assert members[name] == (ROOT / path).read_bytes(), f"{path} 与仓库里的不一样"
    for name in ("开始学习.bat", "start.sh", "使用说明.txt", "setup/start.py", "setup/overrides.json"):
        assert top + name in members, name
    for name in ("requirements.txt", "constraints.txt"):
        assert members[top + "setup/" + name] == (ROOT / name).read_bytes()
    assert members[top + "setup/start.py"] == (ROOT / "tools" / "pack_start.py").read_bytes()
    assert not any("/wheelhouse/" in n for n in members), "默认的学生包不带离线软件包"
    assert "wheel!crmlib/_resources/exercises/p01_check.json" in members
    assert "wheel!crmlib/_resources/datasets/p01_kpi.csv" in members


def test_pack_settings_are_the_ones_course_py_writes(built, members, tmp_path):
    course = pack.course_module()
    text = members[pack.TOP + "/setup/overrides.json"].decode("utf-8")
    assert text == json.dumps(course.LOCALE_OVERRIDES, indent=2, ensure_ascii=False)
    assert json.loads(text)["@jupyterlab/translation-extension:plugin"] == {"locale": "zh_CN"}
    setup = tmp_path / "setup"
    setup.mkdir()
    (setup / "overrides.json").write_text(text, encoding="utf-8")
    start.set_chinese_ui(setup, tmp_path / "venv")
    written = tmp_path / "venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert written.read_text(encoding="utf-8") == text


def test_no_member_is_on_the_deny_list(built, members):
    assert pack.audit(built) == []
    for name in members:
        low = name.lower()
        for word in ("solutions/", "teacher/", "practice_key", "graded.yaml", "nbgrader_config.py", ".git/", "aid.md"):
            assert word not in low, name
        base = low.rsplit("/", 1)[-1]
        assert base not in ("tasks.py",) and (base != "facts.py" or name == "wheel!crmlib/course/facts.py"), name


def test_the_only_facts_py_is_crmlibs_decorator_module(members):
    """crmlib/course/facts.py is the @fact machinery (public); no project's teacher/facts.py rides along."""
    data = members["wheel!crmlib/course/facts.py"]
    assert data == (ROOT / "crmlib" / "course" / "facts.py").read_bytes()
    for teacher in (ROOT / "solutions").glob("p*/teacher/facts.py"):
        assert teacher.read_bytes() not in members.values(), teacher


def test_no_answer_key_text_leaks(members):
    from crmlib.questions.answers import canonical
    from crmlib.questions.graded import load_graded
    from crmlib.questions.keys import answer_hash, project_salt

    texts = _texts(members)
    everything = "\n".join(texts.values())
    banks = "\n".join(t for n, t in texts.items() if "/exercises/" in n or "_resources/exercises" in n)
    notebooks = "\n".join(t for n, t in texts.items() if n.endswith(".ipynb"))
    assert notebooks and "BEGIN SOLUTION" not in notebooks and "END SOLUTION" not in notebooks
    graded = sorted((ROOT / "solutions").glob("p*/teacher/graded.yaml"))
    assert graded, "没有找到评分题库，检查不了"
    for path in graded:
        project = path.parent.parent.name
        for q in load_graded(path, project):
            assert q.id not in everything, f"评分题号 {q.id} 出现在学生包里"
            assert answer_hash(project_salt(project), q.id, canonical(q, q.answer)) not in everything
            assert q.stem not in banks, f"评分题 {q.id} 的题干出现在练习题库里"
            if q.explanation and len(q.explanation) > 12:
                assert q.explanation not in everything, f"评分题 {q.id} 的解析（含答案）出现在学生包里"
    for path in sorted((ROOT / "solutions").glob("p*/teacher/practice_key.yaml")):
        key = yaml.safe_load(path.read_text(encoding="utf-8"))
        for qid, answer in key.items():
            for line in (f"{qid}: {answer}", f'"{qid}": "{answer}"', f"{qid}：{answer}"):
                assert line not in everything, f"练习题答案 {line} 出现在学生包里"
    for name, text in texts.items():
        if name.endswith(".yaml") and ("/exercises/" in name or "_resources/exercises" in name):
            data = yaml.safe_load(text)
            for q in data["questions"]:
                subs = q.get("questions", [])
                assert "answer" not in q and all("answer" not in s for s in subs), f"{name} 的 {q['id']} 带了答案"
        if name.endswith("_check.json"):
            assert set(json.loads(text)) == {"salt", "hashes"}, name


def test_the_practice_quiz_works_from_the_pack(members, tmp_path, monkeypatch):
    """The pack's check files verify the teacher's practice answers (salted hashes), and the quiz builds."""
    from crmlib.questions.practice import build_quiz
    from crmlib.questions.keys import check_answer

    banks = tmp_path / "exercises"
    banks.mkdir()
    prefix = pack.TOP + "/exercises/"
    for name, data in members.items():
        if name.startswith(prefix):
            (banks / name[len(prefix) :]).write_bytes(data)
    monkeypatch.setenv("CRM_EXERCISES", str(banks))
    key = yaml.safe_load((ROOT / "solutions" / "p01" / "teacher" / "practice_key.yaml").read_text(encoding="utf-8"))
    for qid, answer in key.items():
        assert check_answer(qid, answer)[0] is True, qid
    assert check_answer("p01-01", "对")[0] is (key["p01-01"] == "对")
    _, static = build_quiz("p01")
    assert "练习题" in static


def test_windows_script_is_safe_for_cmd(members):
    raw = members[pack.TOP + "/开始学习.bat"]
    assert not raw.startswith(b"\xef\xbb\xbf"), "cmd.exe 会把 BOM 当成命令的一部分：不要 BOM"
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n"), "批处理文件要用 CRLF 换行"
    lines = raw.decode("utf-8").split("\r\n")
    chcp = next(i for i, line in enumerate(lines) if line.strip().lower().startswith("chcp 65001"))
    assert chcp <= 1 and all(line.isascii() for line in lines[: chcp + 1]), "chcp 65001 之前只能是 ASCII"
    assert any(not line.isascii() for line in lines), "提示应是中文"
    text = "\n".join(lines)
    assert r"setup\start.py %*" in text and "%~dp0" in text
    assert "pause" in text and "errorlevel 1" in text
    depth = 0
    for line in lines:  # every ( opening a block is closed (parentheses inside quotes do not count)
        unquoted = "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)
        if not line.lstrip().lower().startswith(("echo", "rem")):
            depth += unquoted.count("(") - unquoted.count(")")
            assert depth >= 0, line
    assert depth == 0, "开始学习.bat 的括号没有配对"
    for line in lines:
        if not line.isascii():
            assert line.startswith("echo ") and not any(c in line for c in "<>|&^()"), (
                f"中文提示里有 cmd 的特殊字符：{line}"
            )


def test_shell_script_is_valid(members, tmp_path):
    name = pack.TOP + "/start.sh"
    raw = members[name]
    assert raw.startswith(b"#!/bin/sh\n") and b"\r" not in raw
    script = tmp_path / "start.sh"
    script.write_bytes(raw)
    checked = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert b'setup/start.py "$@"' in raw and b"CRM_PYTHON" in raw


def test_shell_script_is_executable_in_the_zip(built):
    with zipfile.ZipFile(built) as zf:
        mode = zf.getinfo(pack.TOP + "/start.sh").external_attr >> 16
    assert mode & 0o111, "start.sh 在 zip 里应带可执行权限"


def test_guide_says_what_is_needed(members):
    text = members[pack.TOP + "/使用说明.txt"].decode("utf-8")
    for words in ("Windows 10 / 11（64 位）", "Windows 7", "3.11", "3.13", "开始学习.bat", "bash start.sh", "my_work/"):
        assert words in text, words
    assert "\r\n" in text
