"""The classroom server recipe without a hub (tools/hub.py): pins in step, configuration that JupyterHub can load."""

import ast
import dbm
import os
import stat

import pytest
import support

hub = support.load_file(support.ROOT / "tools" / "hub.py", "crm_hub_tool")

SETTINGS = {"prefix": "/opt/x", "state": "/srv/x", "exchange": "/srv/ex", "teacher": "laoshi", "home_base": "/home"}


def test_hub_pins_agree_with_the_course_pins():
    assert hub.pin_problems() == []


def test_the_only_override_is_one_the_server_python_needs():
    """A course pin replaced for the hub must be a real need (soupsieve 4.1.2 wants Python >= 3.11.5)."""
    assert set(hub.hub_overrides()) <= {"soupsieve"}


def test_hub_packages_stay_out_of_the_lab_pc_install():
    course = hub.course_pins()
    for name in ("jupyterhub", "configurable-http-proxy", "jupyterhub-idle-culler", "uv"):
        assert name not in course


def test_pin_problems_name_the_fix(tmp_path):
    (tmp_path / "deploy").mkdir()
    (tmp_path / "constraints.txt").write_text("pandas==3.1.1\n", encoding="utf-8")
    (tmp_path / "deploy" / "requirements-hub.txt").write_text("jupyterhub==6.1.1\n", encoding="utf-8")
    (tmp_path / "deploy" / "constraints-hub.txt").write_text("pandas==3.0.0\njupyterhub==6.1.1\n", encoding="utf-8")
    problems = hub.pin_problems(tmp_path)
    assert any("pandas==3.1.1" in p for p in problems)
    assert problems[-1].startswith("请运行 python course.py hub lock")


@pytest.mark.parametrize("auth", hub.AUTHENTICATORS)
@pytest.mark.parametrize("spawner", ["local", "systemd"])
def test_config_is_python_and_says_what_matters(auth, spawner):
    text = hub.render_config({**SETTINGS, "auth": auth, "spawner": spawner})
    ast.parse(text)
    assert "VENV = '/opt/x/venv'" in text and '"configurable-http-proxy"' in text  # the Python proxy, no Node.js
    assert "jupyterhub_idle_culler" in text
    assert "'PYTHONUTF8': '1'" in text and "'LC_ALL': 'C.UTF-8'" in text
    assert "c.Authenticator.admin_users = {TEACHER}" in text
    assert ("mem_limit = '1G'" in text) and (("SystemdSpawner" in text) == (spawner == "systemd"))
    assert text.startswith("# 客户关系管理课程的课堂服务器")


def test_config_runs_with_a_fake_hub_config(tmp_path):
    """Executed as JupyterHub would: the teacher gets the course folder and formgrader, a student does not."""
    from traitlets.config import Config

    (tmp_path / "students.txt").write_text("2023001\n2023002\n", encoding="utf-8")
    (tmp_path / "private").mkdir()
    text = hub.render_config({**SETTINGS, "state": str(tmp_path), "auth": "firstuse", "spawner": "local"})
    with pytest.raises(SystemExit, match="老师账号 laoshi 还没有密码.*hub password"):  # however the hub is started
        exec(compile(text, "jupyterhub_config.py", "exec"), {"get_config": Config})
    with dbm.open(str(tmp_path / "private" / "passwords.dbm"), "c") as db:
        db[b"laoshi"] = b"(a bcrypt hash)"
    cfg = Config()
    exec(compile(text, "jupyterhub_config.py", "exec"), {"get_config": lambda: cfg})
    assert cfg.Authenticator.allowed_users == {"2023001", "2023002", "laoshi"}

    class User:
        def __init__(self, name):
            self.name = name

    class Spawner:
        def __init__(self, name):
            self.user, self.environment, self.notebook_dir = User(name), dict(cfg.Spawner.environment), "~"

    teacher, student = Spawner("laoshi"), Spawner("2023001")
    for sp in (teacher, student):
        cfg.Spawner.pre_spawn_hook(sp)
    assert teacher.notebook_dir == "/home/laoshi/crm-course" and teacher.environment["CRM_COURSE_VENV"] == "/opt/x/venv"
    assert student.notebook_dir == "~" and "CRM_COURSE_VENV" not in student.environment
    assert student.environment["JUPYTER_CONFIG_PATH"].endswith("/jupyter/student")
    assert "JUPYTER_CONFIG_PATH" not in cfg.Spawner.environment  # the hook changed no shared setting


def test_students_do_not_get_formgrader_and_everybody_finds_the_exchange():
    files = hub.jupyter_files("/srv/nbgrader/exchange", "/home/laoshi/crm-course")
    assert "c.Exchange.root = '/srv/nbgrader/exchange'" in files["student/nbgrader_config.py"]
    assert files["teacher/nbgrader_config.py"].startswith(files["student/nbgrader_config.py"])
    assert "load_subconfig('/home/laoshi/crm-course/nbgrader_config.py')" in files["teacher/nbgrader_config.py"]
    assert '"nbgrader.server_extensions.formgrader": false' in files["student/jupyter_server_config.json"]
    assert '"nbgrader:formgrader": true' in files["student/labconfig/page_config.json"]
    assert not any(k.startswith("teacher/") and "json" in k for k in files)


def test_a_python_under_a_private_home_is_refused_in_chinese(tmp_path):
    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    python = home / "bin" / "python3"
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    home.chmod(0o700)
    try:
        assert (str(home), "0o700") in hub.unreadable_parts(python)
    finally:
        home.chmod(0o755)
    assert str(home) not in [p for p, _ in hub.unreadable_parts(python)]


@pytest.mark.skipif(not os.path.isdir("/root") or os.stat("/root").st_mode & stat.S_IXOTH, reason="/root is open here")
def test_the_trap_of_a_pyenv_python_under_root_is_explained():
    pyenv = "/root/.pyenv/versions/3.11.7/bin/python3"
    if not os.path.exists(pyenv):
        pytest.skip("no pyenv Python under /root on this machine")
    with pytest.raises(hub.HubError, match="学生账号读不到 Python 解释器.*--python /usr/bin/python3"):
        hub.check_python(pyenv)


def test_dummy_login_is_refused_off_loopback(monkeypatch):
    monkeypatch.setattr(hub, "require_root", lambda: None)
    with pytest.raises(hub.HubError, match="只能听 127.0.0.1"):
        hub.install({**SETTINGS, "auth": "dummy", "ip": ""}, build=False)


def test_service_unit_runs_the_hub_from_the_course_environment():
    unit = hub.service_unit(SETTINGS)
    assert "ExecStart=/opt/x/venv/bin/jupyterhub -f /srv/x/jupyterhub_config.py" in unit


def test_firstuse_hub_does_not_start_before_the_teacher_has_a_password(monkeypatch):
    asked = []
    monkeypatch.setattr(hub, "has_password", lambda s, name: asked.append(name) or False)
    with pytest.raises(hub.HubError, match="老师账号 laoshi 还没有密码.*hub password"):
        hub.teacher_has_password({**SETTINGS, "auth": "firstuse"})
    hub.teacher_has_password({**SETTINGS, "auth": "native"})  # no firstuse file: the teacher signs up first
    assert asked == ["laoshi"]
    monkeypatch.setattr(hub, "has_password", lambda s, name: True)
    hub.teacher_has_password({**SETTINGS, "auth": "firstuse"})


@pytest.mark.parametrize(
    "password, settings, running, message",
    [
        ("12345", {}, False, "至少 6 位"),
        ("", {}, False, "没有收到密码"),
        ("密" * 25, {}, False, "最多 72 个字节"),
        ("good-password", {"auth": "native"}, False, "/hub/signup"),
        ("good-password", {}, True, "hub 正在运行.*systemctl stop crm-hub"),
    ],
)
def test_a_password_that_cannot_be_stored_safely_is_refused_in_chinese(
    monkeypatch, password, settings, running, message
):
    monkeypatch.setattr(hub, "require_root", lambda: None)
    monkeypatch.setattr(hub, "hub_running", lambda s: running)
    monkeypatch.setattr(hub, "_passwords", lambda *a: pytest.fail("this password must not be stored"))
    with pytest.raises(hub.HubError, match=message):
        hub.set_password({**SETTINGS, **settings}, "laoshi", password)


def test_password_file_errors_are_chinese(tmp_path):
    with pytest.raises(hub.HubError, match="找不到课程环境的 Python.*hub install"):
        hub.has_password({**SETTINGS, "prefix": str(tmp_path)}, "laoshi")
