#!/usr/bin/env python3
"""python course.py hub … — the classroom server: JupyterHub for one course on one Linux machine.

    hub install [选项]          build the course environment, write the hub's configuration, make the nbgrader
                                exchange and the teacher's account with a copy of the course (run as root)
    hub users 学号 … | --file 名单.xlsx|.csv [--passwords 初始密码.csv]   a Unix account per student (home 0700) and
                                the hub's allow list; with --passwords, a printed initial password per new student
    hub password [名字]         set the teacher's (or a student's) firstuse password now, before anyone can
                                claim the account by logging in first; start refuses until the teacher's is set
    hub start                   run JupyterHub in the foreground (Ctrl+C stops it)
    hub service                 write /etc/systemd/system/crm-hub.service (machines run by systemd)
    hub build                   only (re)build the course environment
    hub lock                    re-pin deploy/constraints-hub.txt (the hub environment, course + hub packages)

Layout (defaults): /opt/crm-hub/venv the environment, readable by all, built with uv from a world-readable
Python (Debian's /usr/bin/python3); /srv/crm-hub the hub's state (configuration, database, secrets; 0711) with
jupyter/student and jupyter/teacher, the Jupyter settings each kind of user gets; /srv/nbgrader/exchange the
exchange (1777). Standard library only: it runs with the server's own python3.
"""

import argparse
import hashlib
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
HUB_REQUIREMENTS = DEPLOY / "requirements-hub.txt"
HUB_CONSTRAINTS = DEPLOY / "constraints-hub.txt"
WHEEL_SOURCES = ["pyproject.toml", "README.md", "LICENSE", "crmlib", "datasets", "exercises"]
RECIPE = "2"  # bump when build_env installs differently: existing environments are rebuilt
COURSE_DIR = "crm-course"  # the teacher's copy of the course, in the teacher's home
DEFAULTS = {
    "prefix": "/opt/crm-hub",
    "state": "/srv/crm-hub",
    "exchange": "/srv/nbgrader/exchange",
    "home_base": "/home",
    "python": "/usr/bin/python3",
    "teacher": "teacher",
    "auth": "firstuse",
    "spawner": "auto",
    "ip": "",
    "port": 8000,
    "hub_port": 8081,
    "proxy_api_port": 8001,
    "mem_limit": "1G",
    "cpu_limit": 1.0,
    "cull_timeout": 3600,
}
AUTHENTICATORS = ("firstuse", "native", "dummy")
SPAWNERS = ("auto", "local", "systemd")
# UTF-8 for every process of every user: C.UTF-8 exists on every Debian/Ubuntu without locale-gen.
UTF8_ENV = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
# What students do not get: nbgrader's teacher panels (their server extension and lab plugins).
STUDENT_SERVER = {"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False}}}
STUDENT_PAGE = {
    "disabledExtensions": {
        "nbgrader:formgrader": True,
        "nbgrader:create-assignment": True,
        "nbgrader:course-list": True,
    }
}


class HubError(Exception):
    """A problem the administrator can fix; the message is Chinese and says how."""


def say(msg):
    print(f"[hub] {msg}", flush=True)


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text):
    """{normalised name: version} of every `name==version` line (comments and blank lines skipped)."""
    out = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[norm(name.split("[")[0].strip())] = version.strip()
    return out


def course_pins(root=ROOT):
    return read_pins((Path(root) / "constraints.txt").read_text(encoding="utf-8"))


def hub_overrides(root=ROOT):
    """Pins of requirements-hub.txt that replace a course pin (a version the server's Python can install)."""
    hub = read_pins((Path(root) / "deploy" / "requirements-hub.txt").read_text(encoding="utf-8"))
    return {k: v for k, v in hub.items() if k in course_pins(root)}


def pin_problems(root=ROOT):
    """Why deploy/constraints-hub.txt is out of step with requirements-hub.txt or constraints.txt (Chinese; [] if not)."""
    root = Path(root)
    path = root / "deploy" / "constraints-hub.txt"
    if not path.exists():
        return ["deploy/constraints-hub.txt 不存在。请运行 python course.py hub lock 生成。"]
    locked = read_pins(path.read_text(encoding="utf-8"))
    wanted = read_pins((root / "deploy" / "requirements-hub.txt").read_text(encoding="utf-8"))
    overrides = hub_overrides(root)
    problems = []
    for name, version in wanted.items():
        if locked.get(name) != version:
            problems.append(
                f"requirements-hub.txt 要 {name}=={version}，constraints-hub.txt 里是 {locked.get(name, '（没有）')}"
            )
    for name, version in course_pins(root).items():
        if name not in overrides and locked.get(name) != version:
            problems.append(
                f"constraints.txt 固定 {name}=={version}，constraints-hub.txt 里是 {locked.get(name, '（没有）')}"
            )
    if problems:
        problems.append("请运行 python course.py hub lock 重新生成 deploy/constraints-hub.txt。")
    return problems


# ---------------------------------------------------------------- the interpreter and the environment


def unreadable_parts(path):
    """The folders on `path`'s way (and the file itself) that other users cannot pass or read: [(path, mode)]."""
    out = []
    p = Path(path).resolve()
    for d in [*reversed(p.parents)]:
        mode = d.stat().st_mode & 0o777
        if not mode & 0o001:
            out.append((str(d), oct(mode)))
    if p.exists():
        mode = p.stat().st_mode & 0o777
        need = 0o005 if p.is_dir() or os.access(p, os.X_OK) else 0o004
        if mode & need != need:
            out.append((str(p), oct(mode)))
    return out


def check_python(python):
    """The interpreter the environment is built from: 3.11+, with venv, readable by every student."""
    python = Path(python)
    if not python.exists():
        raise HubError(
            f"找不到 Python 解释器 {python}。Debian/Ubuntu 上请先运行：sudo apt-get install python3 python3-venv"
        )
    info = subprocess.run(
        [
            str(python),
            "-c",
            "import sys, sysconfig; print(sys.version_info >= (3, 11)); print(sysconfig.get_paths()['stdlib'])",
        ],
        capture_output=True,
        text=True,
    )
    if info.returncode or info.stdout.split()[0] != "True":
        raise HubError(
            f"{python} 不是 Python 3.11 或更新的版本。请用 --python 指定一个（Debian 12 自带的 /usr/bin/python3 就可以）。"
        )
    stdlib = info.stdout.split()[1]
    bad = unreadable_parts(python) + unreadable_parts(stdlib)
    if bad:
        where = "、".join(f"{p}（权限 {m}）" for p, m in bad)
        raise HubError(
            f"学生账号读不到 Python 解释器 {python}：{where} 不允许其他用户进入或读取。"
            "课程环境必须用所有人都能读的 Python 来建，放在所有人都能读的地方（默认 /opt/crm-hub）。"
            "解决办法：用系统自带的 Python（sudo apt-get install python3-venv，然后加 --python /usr/bin/python3）；"
            "或者把 Python 装到 /usr/local 或 /opt 下面。不要用 root 家目录里的 pyenv/conda（/root 的权限是 700）。"
        )
    if subprocess.run([str(python), "-c", "import ensurepip, venv"], capture_output=True).returncode:
        raise HubError(f"{python} 缺少 venv 模块。Debian/Ubuntu 上请运行：sudo apt-get install python3-venv")


def _digest(*parts):
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def env_key(python, root=ROOT):
    """What decides the environment's packages: the hub pins and the interpreter."""
    version = subprocess.run([str(python), "-c", "import sys; print(sys.version)"], capture_output=True, text=True)
    pins = (Path(root) / "deploy" / "constraints-hub.txt").read_bytes()
    return _digest(RECIPE, pins, Path(python).resolve(), version.stdout)


def crmlib_key(root=ROOT):
    """What decides the installed crmlib: every file that goes into its wheel."""
    root = Path(root)
    parts = []
    for name in WHEEL_SOURCES:
        p = root / name
        files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
        for f in files:
            parts += [str(f.relative_to(root)), f.read_bytes()]
    return _digest(*parts)


def _run(cmd, **kw):
    done = subprocess.run([str(c) for c in cmd], **kw)
    if done.returncode:
        raise HubError(f"命令失败（退出码 {done.returncode}）：{' '.join(str(c) for c in cmd)}")
    return done


def _uv_version(root=ROOT):
    return read_pins((Path(root) / "deploy" / "requirements-hub.txt").read_text(encoding="utf-8"))["uv"]


def make_readable(top):
    """a+rX on everything under `top` (the environment is shared by every user)."""
    for dirpath, dirnames, filenames in os.walk(top):
        for name in [*dirnames, *filenames]:
            p = os.path.join(dirpath, name)
            if not os.path.islink(p):
                mode = os.stat(p).st_mode
                want = mode | 0o044 | (0o011 if mode & 0o100 or os.path.isdir(p) else 0)
                if want != mode:
                    os.chmod(p, want)
    os.chmod(top, os.stat(top).st_mode | 0o055)


def build_env(prefix, python=DEFAULTS["python"], root=ROOT, quiet=True):
    """Create or update <prefix>/venv: the hub, the course packages and crmlib (a wheel, not editable).

    Skipped parts: the packages while constraints-hub.txt and the interpreter are unchanged, crmlib while its
    files are. Returns {"packages": seconds or None, "crmlib": seconds or None}.
    """
    root, prefix = Path(root), Path(prefix)
    check_python(python)
    os.umask(0o022)
    venv = prefix / "venv"
    py, uv = venv / "bin" / "python", venv / "bin" / "uv"
    q = ["-q"] if quiet else []
    took = {"packages": None, "crmlib": None}
    key = env_key(python, root)
    stamp = venv / "crm-hub.stamp"
    if not (py.exists() and stamp.exists() and stamp.read_text() == key):
        start = time.monotonic()
        say(f"正在建立课程环境 {venv}（只在第一次或版本固定变化时进行）…")
        prefix.mkdir(parents=True, exist_ok=True)
        os.chmod(prefix, 0o755)
        if not py.exists():
            _run([python, "-m", "venv", venv])
        if (
            not uv.exists()
            or _uv_version(root) not in subprocess.run([uv, "--version"], capture_output=True, text=True).stdout
        ):
            _run([py, "-m", "pip", "install", *q, "--disable-pip-version-check", f"uv=={_uv_version(root)}"])
        # bytecode compiled now: students cannot write __pycache__ into the shared environment and every import
        # would compile again (uv compiles what it installs, compileall what an earlier run left uncompiled)
        _run(
            [
                uv,
                "pip",
                "install",
                *q,
                "--compile-bytecode",
                "--python",
                py,
                "-r",
                root / "deploy" / "constraints-hub.txt",
            ]
        )
        _run([py, "-m", "compileall", "-q", "-j", "0", venv / "lib"], capture_output=True)
        (venv / "crm-crmlib.stamp").unlink(missing_ok=True)
        stamp.write_text(key)
        took["packages"] = time.monotonic() - start
    ckey = crmlib_key(root)
    cstamp = venv / "crm-crmlib.stamp"
    if not (cstamp.exists() and cstamp.read_text() == ckey):
        start = time.monotonic()
        # built from a copy: nothing is written into the repository
        with tempfile.TemporaryDirectory(prefix="crm-wheel-") as tmp:
            for name in WHEEL_SOURCES:
                src = root / name
                if src.is_dir():
                    shutil.copytree(src, Path(tmp) / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
                elif src.exists():
                    shutil.copy2(src, Path(tmp) / name)
            _run(
                [
                    uv,
                    "pip",
                    "install",
                    *q,
                    "--python",
                    py,
                    "--no-deps",
                    "--no-build-isolation",
                    "--reinstall",
                    "--compile-bytecode",
                    tmp,
                ]
            )
        cstamp.write_text(ckey)
        took["crmlib"] = time.monotonic() - start
    sys.path.insert(0, str(root))
    import course  # the same Chinese UI settings and install stamp as a lab PC's .venv

    settings = venv / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(
        json.dumps(course.LOCALE_OVERRIDES, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    # `python course.py grade` in the teacher's copy uses this environment (CRM_COURSE_VENV) without reinstalling.
    code = f"import sys; sys.path.insert(0, {str(root)!r}); import course; print(course.wanted_stamp(), end='')"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    (venv / "crm-course.stamp").write_text(_run([py, "-c", code], capture_output=True, text=True, env=env).stdout)
    make_readable(prefix)
    return took


def lock(root=ROOT, python=DEFAULTS["python"]):
    """Write deploy/constraints-hub.txt: the course and hub packages resolved together for `python`."""
    root = Path(root)
    overrides = hub_overrides(root)
    with tempfile.TemporaryDirectory(prefix="crm-hub-lock-") as tmp:
        tmp = Path(tmp)
        _run([python, "-m", "venv", tmp / "boot"])
        _run(
            [
                tmp / "boot/bin/python",
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                f"uv=={_uv_version(root)}",
            ]
        )
        keep = [line for line in (root / "constraints.txt").read_text(encoding="utf-8").splitlines()]
        keep = [line for line in keep if norm(line.split("==")[0].strip()) not in overrides]
        (tmp / "constraints.txt").write_text(
            "\n".join(keep + [f"{k}=={v}" for k, v in overrides.items()]) + "\n", encoding="utf-8"
        )
        hub = read_pins((root / "deploy" / "requirements-hub.txt").read_text(encoding="utf-8"))
        (tmp / "hub.txt").write_text("\n".join(f"{k}=={v}" for k, v in hub.items() if k not in overrides) + "\n")
        out = _run(
            [tmp / "boot/bin/uv", "pip", "compile", "--quiet", "--no-header", "--no-annotate", "--python", python,
             root / "requirements.txt", tmp / "hub.txt", "-c", tmp / "constraints.txt"],
            capture_output=True, text=True,
        ).stdout  # fmt: skip
    lines = [line for line in out.splitlines() if line.strip() and not line.startswith("#")]
    head = (
        "# The classroom server's whole environment (course + hub), pinned for the server's Python.\n"
        "# Written by `python course.py hub lock` from requirements.txt, constraints.txt and deploy/requirements-hub.txt;\n"
        "# do not edit (tests/deploy checks it agrees with constraints.txt).\n"
    )
    (root / "deploy" / "constraints-hub.txt").write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


# ---------------------------------------------------------------- configuration (pure)


def choose_spawner(spawner):
    """'systemd' where systemd runs the machine, else 'local'."""
    if spawner != "auto":
        return spawner
    return "systemd" if os.path.isdir("/run/systemd/system") else "local"


def render_config(s):
    """The text of jupyterhub_config.py for settings `s` (DEFAULTS plus prefix/state/... as given)."""
    s = {**DEFAULTS, **s}
    venv = f"{s['prefix']}/venv"
    course = f"{s['home_base']}/{s['teacher']}/{COURSE_DIR}"
    auth = {
        "firstuse": [
            "# 第一次登录时学生自己设密码（只有名单里的学号能登录）；忘记密码：老师在 /hub/admin 删除该学生再添加，学生下次登录重设（文件不丢）",
            'c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"',
            'c.FirstUseAuthenticator.dbm_path = os.path.join(STATE, "private", "passwords.dbm")',
            "c.FirstUseAuthenticator.create_users = False",
            "c.FirstUseAuthenticator.min_password_length = 6",
            "# the teacher's (admin) password is set before the hub ever runs: whoever logged in first would choose it",
            "import dbm",
            "",
            'with dbm.open(c.FirstUseAuthenticator.dbm_path, "c", 0o600) as _passwords:',
            "    if TEACHER.encode() not in _passwords:",
            '        raise SystemExit(f"老师账号 {TEACHER} 还没有密码：先运行 sudo python3 course.py hub password，再启动 hub。")',
        ],
        "native": [
            "# 学生在 /hub/signup 注册，老师在 /hub/authorize 批准",
            "import nativeauthenticator",
            'c.JupyterHub.authenticator_class = "native"',
            'c.JupyterHub.template_paths.append(os.path.join(os.path.dirname(nativeauthenticator.__file__), "templates"))',
            "c.NativeAuthenticator.open_signup = False",
            "c.NativeAuthenticator.minimum_password_length = 6",
        ],
        "dummy": [
            "# 仅供测试：所有账号同一个密码（环境变量 CRM_HUB_TEST_PASSWORD），只听 127.0.0.1",
            'c.JupyterHub.authenticator_class = "dummy"',
            'c.DummyAuthenticator.password = os.environ["CRM_HUB_TEST_PASSWORD"]',
        ],
    }[s["auth"]]
    spawner = choose_spawner(s["spawner"])
    if spawner == "systemd":
        spawn = [
            "# 每位学生一个 systemd 单元：内存上限（MemoryMax）、CPU 上限、私有 /tmp",
            'c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"',
            f"c.SystemdSpawner.mem_limit = {s['mem_limit']!r}",
            f"c.SystemdSpawner.cpu_limit = {float(s['cpu_limit'])!r}",
            "c.SystemdSpawner.isolate_tmp = True",
            "c.SystemdSpawner.isolate_devices = True",
            "c.SystemdSpawner.disable_user_sudo = True",
            'c.SystemdSpawner.default_shell = "/bin/bash"',
        ]
    else:
        spawn = [
            "# 本地进程（没有 systemd 的机器，例如容器）：内存上限不生效，按 README 的估算留足内存",
            'c.JupyterHub.spawner_class = "localprocess"',
            f"c.Spawner.mem_limit = {s['mem_limit']!r}",
        ]
    env = {**UTF8_ENV, "PATH": f"{venv}/bin:/usr/local/bin:/usr/bin:/bin"}
    lines = [
        "# 客户关系管理课程的课堂服务器（JupyterHub）。由 python course.py hub install 生成；",
        "# 改设置请重新运行 hub install（会重写本文件），不要手改。",
        "import os",
        "",
        f"VENV = {venv!r}",
        f"STATE = {s['state']!r}",
        f"TEACHER = {s['teacher']!r}",
        f"COURSE = {course!r}",
        "c = get_config()  # noqa: F821",
        "",
        f"c.JupyterHub.ip = {s['ip']!r}",
        f"c.JupyterHub.port = {int(s['port'])}",
        'c.JupyterHub.hub_ip = "127.0.0.1"',
        f"c.JupyterHub.hub_port = {int(s['hub_port'])}",
        "# the Python port of configurable-http-proxy: no Node.js needed",
        'c.ConfigurableHTTPProxy.command = [os.path.join(VENV, "bin", "configurable-http-proxy")]',
        f'c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{int(s["proxy_api_port"])}"',
        "# secrets (users, token hashes, passwords, the cookie key) in a folder only root can enter",
        'c.JupyterHub.db_url = "sqlite:///" + os.path.join(STATE, "private", "jupyterhub.sqlite")',
        'c.JupyterHub.cookie_secret_file = os.path.join(STATE, "private", "jupyterhub_cookie_secret")',
        "",
        "# who may log in: the teacher and every student of students.txt (python course.py hub users …)",
        'with open(os.path.join(STATE, "students.txt"), encoding="utf-8") as f:',
        "    STUDENTS = {line.strip() for line in f if line.strip()}",
        "c.Authenticator.allowed_users = STUDENTS | {TEACHER}",
        "c.Authenticator.admin_users = {TEACHER}",
        "# the login page in Chinese (deploy/hub-templates, copied by hub install)",
        'c.JupyterHub.template_paths = [os.path.join(STATE, "templates")]',
        *auth,
        "",
        *spawn,
        'c.Spawner.cmd = [os.path.join(VENV, "bin", "jupyterhub-singleuser")]',
        'c.Spawner.default_url = "/lab"',
        'c.Spawner.notebook_dir = "~"',
        "c.Spawner.start_timeout = 120",
        "c.Spawner.http_timeout = 60",
        "# UTF-8 everywhere (Chinese file names, print, pandas CSV): not inherited from the hub's environment",
        f"c.Spawner.environment = {env!r}",
        "",
        "",
        "def pre_spawn_hook(spawner):",
        '    """Students get nbgrader\'s student panels; the teacher the course folder, formgrader and course.py."""',
        "    teacher = spawner.user.name == TEACHER",
        "    env = dict(spawner.environment)",
        '    env["JUPYTER_CONFIG_PATH"] = os.path.join(STATE, "jupyter", "teacher" if teacher else "student")',
        "    if teacher:",
        '        env["CRM_COURSE_VENV"] = VENV',
        "        spawner.notebook_dir = COURSE",
        "    spawner.environment = env",
        "",
        "",
        "c.Spawner.pre_spawn_hook = pre_spawn_hook",
        "",
        f"# idle culling: a server untouched for {int(s['cull_timeout'])} s is stopped (files stay; log in again to restart)",
        "c.JupyterHub.services = [",
        "    {",
        '        "name": "idle-culler",',
        f'        "command": [os.path.join(VENV, "bin", "python"), "-m", "jupyterhub_idle_culler", "--timeout={int(s["cull_timeout"])}", "--cull-every=300"],',
        "    }",
        "]",
        "c.JupyterHub.load_roles = [",
        "    {",
        '        "name": "idle-culler",',
        '        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],',
        '        "services": ["idle-culler"],',
        "    }",
        "]",
    ]
    return "\n".join(lines) + "\n"


def render_nbgrader_config(exchange, course_id="crm"):
    """nbgrader settings every user gets (through JUPYTER_CONFIG_PATH): where the exchange is, which course."""
    return (
        "# 课堂服务器的 nbgrader 设置（python course.py hub install 生成）\n"
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
    )


def jupyter_files(exchange, course):
    """{relative path under <state>/jupyter: text} for the student and teacher Jupyter settings.

    The teacher's server starts in the teacher's home, where formgrader and nbgrader look for nbgrader_config.py:
    the teacher's settings load the course's own file (solutions/, notebooks/, grading/) from wherever they run.
    """
    nb = render_nbgrader_config(exchange)
    course_config = f"{course}/nbgrader_config.py"
    teacher = nb + (
        "# the course's own settings: formgrader and nbgrader find the course from any folder\n"
        "import os\n"
        f"if os.path.exists({course_config!r}):\n"
        f"    load_subconfig({course_config!r})  # noqa: F821\n"
    )
    return {
        "student/nbgrader_config.py": nb,
        "student/jupyter_server_config.json": json.dumps(STUDENT_SERVER, indent=2) + "\n",
        "student/labconfig/page_config.json": json.dumps(STUDENT_PAGE, indent=2) + "\n",
        "teacher/nbgrader_config.py": teacher,
    }


def service_unit(s):
    """A systemd unit that runs the hub as root from the course environment."""
    s = {**DEFAULTS, **s}
    return (
        "[Unit]\nDescription=客户关系管理课程的课堂服务器 (JupyterHub)\nAfter=network.target\n\n"
        "[Service]\nUser=root\n"
        f"WorkingDirectory={s['state']}\n"
        f"Environment=PATH={s['prefix']}/venv/bin:/usr/local/bin:/usr/bin:/bin\n"
        "Environment=LANG=C.UTF-8 PYTHONUTF8=1\n"
        f"ExecStart={s['prefix']}/venv/bin/jupyterhub -f {s['state']}/jupyterhub_config.py\n"
        "Restart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n"
    )


# ---------------------------------------------------------------- accounts, exchange, the teacher's course


def require_root():
    if sys.platform != "linux":
        raise HubError("课堂服务器只能装在 Linux 上（Debian 12 / Ubuntu 22.04 及以后）。")
    if os.geteuid() != 0:
        raise HubError("这一步要用 root 运行：sudo python3 course.py hub …")


def valid_name(name):
    return re.fullmatch(r"[a-z0-9_][a-z0-9_.-]{0,31}", name) is not None


def ensure_user(name, home_base):
    """A Unix account `name` with a private home (0700) under `home_base`; returns its pwd entry."""
    if not valid_name(name):
        raise HubError(f"账号名 {name!r} 不能用：只能用小写字母、数字、下划线、点和减号，最长 32 个字符。")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        Path(home_base).mkdir(parents=True, exist_ok=True)
        _run(
            ["useradd", "--create-home", "--home-dir", f"{home_base}/{name}", "--shell", "/bin/bash", name],
            capture_output=True,
        )
        entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)  # no student reads another's files
    return entry


def chown_tree(top, uid, gid):
    for dirpath, dirnames, filenames in os.walk(top):
        os.chown(dirpath, uid, gid)
        for name in filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


def course_files(root=ROOT):
    """The course's files as git tracks them (or every file but the local folders outside git)."""
    root = Path(root)
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True)
    if listed.returncode == 0:
        return [p for p in listed.stdout.decode("utf-8").split("\0") if p and (root / p).is_file()]
    skip = {".venv", ".git", "grading", "my_work", "__pycache__", "dist"}
    return [
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not set(p.relative_to(root).parts) & skip
    ]


def copy_course(root, dest, entry):
    """The teacher's own copy of the course (answers, grading) in their home, under git, owned by them."""
    dest = Path(dest)
    if dest.exists():
        say(f"{dest} 已经存在，保留老师的文件不动。")
        return False
    for rel in course_files(root):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(root) / rel, target)
    chown_tree(dest, entry.pw_uid, entry.pw_gid)
    as_teacher = [
        "runuser",
        "-u",
        entry.pw_name,
        "--",
        "git",
        "-c",
        "user.name=teacher",
        "-c",
        "user.email=teacher@localhost",
    ]
    _run([*as_teacher, "init", "-q"], cwd=dest, capture_output=True)
    _run([*as_teacher, "add", "-A"], cwd=dest, capture_output=True)
    _run([*as_teacher, "commit", "-qm", "课程"], cwd=dest, capture_output=True)
    return True


def make_exchange(exchange):
    """The nbgrader exchange: everybody may write, nobody may remove another's files (1777, like /tmp)."""
    exchange = Path(exchange)
    exchange.mkdir(parents=True, exist_ok=True)
    os.chown(exchange, 0, 0)
    os.chmod(exchange, 0o1777)
    for parent in exchange.parents:
        if not parent.stat().st_mode & 0o001:
            raise HubError(
                f"学生进不了交换目录 {exchange}：上层目录 {parent} 不允许其他用户进入。请换一个位置（默认 /srv/nbgrader/exchange）。"
            )


def make_course_exchange(exchange, entry, course_id="crm"):
    """The course's folders in the exchange, made now and owned by the teacher, with the modes nbgrader uses
    (course and outbound 0755, inbound 2733). Left to nbgrader's first release, a student could create the course
    folder first (the exchange is 1777) and nbgrader would then refuse it: "You don't own the directory"."""
    course = Path(exchange) / course_id
    for path, mode in ((course, 0o755), (course / "outbound", 0o755), (course / "inbound", 0o2733)):
        if path.exists() and path.stat().st_uid != entry.pw_uid:
            raise HubError(
                f"交换目录里的 {path} 不属于老师 {entry.pw_name}（可能是学生抢先建的）。请检查里面的文件后删除它，再运行一次 hub install。"
            )
        path.mkdir(exist_ok=True)
        os.chown(path, entry.pw_uid, entry.pw_gid)
        os.chmod(path, mode)


def load_settings(state):
    path = Path(state) / "hub.json"
    if not path.exists():
        raise HubError(f"{state} 里还没有课堂服务器的设置。先运行：sudo python3 course.py hub install")
    return json.loads(path.read_text(encoding="utf-8"))


def write_state(s):
    """hub.json, jupyterhub_config.py, students.txt and the Jupyter settings of students and the teacher."""
    state = Path(s["state"])
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o711)  # users reach jupyter/ but cannot list the folder
    (state / "private").mkdir(exist_ok=True)
    os.chmod(state / "private", 0o700)  # the hub's database and secrets: JupyterHub creates its database 0644
    (state / "hub.json").write_text(json.dumps(s, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (state / "jupyterhub_config.py").write_text(render_config(s), encoding="utf-8")
    (state / "students.txt").touch()
    course = f"{s['home_base']}/{s['teacher']}/{COURSE_DIR}"
    for rel, text in jupyter_files(s["exchange"], course).items():
        p = state / "jupyter" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    make_readable(state / "jupyter")
    shutil.copytree(ROOT / "deploy" / "hub-templates", state / "templates", dirs_exist_ok=True)  # Chinese login page
    make_readable(state / "templates")


def install(s, root=ROOT, build=True):
    """Everything but the students: environment, state, exchange, the teacher's account and course copy."""
    require_root()
    s = {**DEFAULTS, **s}
    if s["auth"] == "dummy" and s["ip"] not in ("127.0.0.1", "localhost"):
        raise HubError(
            "dummy 登录方式（所有人同一个密码）只能用在测试里，并且只能听 127.0.0.1：加 --ip 127.0.0.1，上课请用 firstuse 或 native。"
        )
    took = build_env(s["prefix"], s["python"], root) if build else {}
    s["spawner"] = choose_spawner(s["spawner"])
    write_state(s)
    make_exchange(s["exchange"])
    entry = ensure_user(s["teacher"], s["home_base"])
    make_course_exchange(s["exchange"], entry)
    copy_course(root, Path(entry.pw_dir) / COURSE_DIR, entry)
    return took


# ---------------------------------------------------------------- firstuse passwords

MIN_PASSWORD = 6  # c.FirstUseAuthenticator.min_password_length in the generated config
MAX_PASSWORD_BYTES = 72  # bcrypt's limit: a longer password cannot be stored (nor checked at login)
# Run by the hub environment's Python, so the dbm flavour and bcrypt are the ones FirstUseAuthenticator uses.
# Standard input: {"set": {name: password}, "check": [name, ...]}; prints {name: has a password} for "check".
PASSWORD_CODE = """
import bcrypt, dbm, json, sys
job = json.load(sys.stdin)
with dbm.open(sys.argv[1], "c", 0o600) as db:
    for name, password in job["set"].items():
        db[name.encode("utf8")] = bcrypt.hashpw(password.encode("utf8"), bcrypt.gensalt())
    print(json.dumps({name: name.encode("utf8") in db for name in job["check"]}))
"""
# initial passwords are read off a printed slip: no 0/o, 1/l/i
SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def password_db(s):
    return f"{s['state']}/private/passwords.dbm"


def hub_running(s):
    """True if something answers on the hub's port (the password file has no lock: write it only while stopped)."""
    import socket

    try:
        with socket.create_connection((s.get("ip") or "127.0.0.1", int(s.get("port", DEFAULTS["port"]))), 0.5):
            return True
    except OSError:
        return False


def _passwords(s, new=None, check=()):
    """Store the passwords of `new` ({name: password}); return {name: has a password} for `check`."""
    cmd = [f"{s['prefix']}/venv/bin/python", "-c", PASSWORD_CODE, password_db(s)]
    job = json.dumps({"set": dict(new or {}), "check": list(check)})
    try:
        done = subprocess.run(cmd, input=job.encode("utf-8"), capture_output=True)
    except OSError as exc:
        raise HubError(
            f"找不到课程环境的 Python（{cmd[0]}：{exc.strerror}）。先运行：sudo python3 course.py hub install"
        ) from None
    if done.returncode:
        why = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        raise HubError(f"读写密码文件 {password_db(s)} 失败：{why}。请确认 hub install 已完成，并用 root 运行。")
    return json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])


def _may_write_passwords(s):
    require_root()
    if s.get("auth", "firstuse") != "firstuse":
        raise HubError(
            f"这台 hub 用的是 {s['auth']} 登录方式，不用 firstuse 的密码文件。native 方式下，老师在 hub 启动后、"
            "把地址告诉学生之前，先到 /hub/signup 用老师的用户名注册（管理员注册后直接生效）。"
        )
    if hub_running(s):
        raise HubError(
            "hub 正在运行，这时改密码文件可能和学生登录同时写、把文件写坏。请先停止 hub（systemctl stop crm-hub，"
            "或在运行 hub start 的窗口按 Ctrl+C），设好密码再启动。学生忘了密码不用停：老师在 /hub/admin 删除该学生再添加。"
        )


def set_password(s, name, password):
    """Store `name`'s firstuse password now, as FirstUseAuthenticator would at a first login (bcrypt, in the
    hub's password file): nobody else can then claim the account by logging in first."""
    if not password:
        raise HubError("没有收到密码。请在终端里运行（会提示输入两次），或从标准输入给一行密码。")
    if len(password) < MIN_PASSWORD:
        raise HubError(f"密码太短：至少 {MIN_PASSWORD} 位。")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise HubError(f"密码太长：最多 {MAX_PASSWORD_BYTES} 个字节（约 24 个汉字或 72 个英文字母、数字）。")
    _may_write_passwords(s)
    return _passwords(s, {name.lower(): password}, [name.lower()])[name.lower()]


def has_password(s, name):
    return _passwords(s, check=[name.lower()])[name.lower()]


def initial_passwords(s, names, dest):
    """A random 8-character password for each of `names` who has none yet, stored as their firstuse password,
    and the list (学号, 初始密码; UTF-8 with BOM for Excel; readable by root only) written to `dest` for the teacher
    to hand out: nobody can then claim a classmate's account by logging in first. Students who already have a
    password keep it; `dest` must not exist yet (nothing is written when nobody needs a password).
    Returns (given, kept).
    """
    import secrets

    _may_write_passwords(s)
    names = [n.strip().lower() for n in names if n.strip()]
    has = _passwords(s, check=names)
    kept = [n for n in names if has[n]]
    new = {n: "".join(secrets.choice(SLIP_ALPHABET) for _ in range(8)) for n in names if not has[n]}
    if not new:
        return [], kept
    try:  # a new file only: an earlier list may already be printed and handed out
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise HubError(f"{dest} 已经存在（可能是上次发过的密码表），没有覆盖它。请换一个文件名再运行。") from None
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write("学号,初始密码\r\n" + "".join(f"{n},{pw}\r\n" for n, pw in new.items()))
    _passwords(s, new)
    return list(new), kept


def teacher_has_password(s):
    """With firstuse logins, the hub must not start before the teacher's (admin) account has its password."""
    if s.get("auth", "firstuse") == "firstuse" and not has_password(s, s["teacher"]):
        raise HubError(
            f"老师账号 {s['teacher']} 还没有密码。firstuse 方式下谁第一个登录谁就设定密码，老师账号是管理员、"
            "能看到答案，所以要先设好：sudo python3 course.py hub password"
        )


def ask_password(name):
    """Twice from the terminal, or one line from standard input (scripts)."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"{name} 的新密码（至少 {MIN_PASSWORD} 位）：")
    if getpass.getpass("再输入一次：") != first:
        raise HubError("两次输入的密码不一样，没有保存。请重新运行。")
    return first


def students_from_file(path, prefix):
    """学号 of a roster (.xlsx or .csv, read by crmlib in the course environment)."""
    code = (
        "import sys; from crmlib.grading.roster import read_roster\n"
        "print('\\n'.join(s.sid for s in read_roster(sys.argv[1])))"
    )
    out = _run([f"{prefix}/venv/bin/python", "-c", code, path], capture_output=True, text=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def add_students(s, names):
    """Unix accounts for `names` and their place in students.txt (the hub reads it when it starts)."""
    require_root()
    names = [n.strip().lower() for n in names if n.strip()]
    for name in names:
        ensure_user(name, s["home_base"])
    path = Path(s["state"]) / "students.txt"
    known = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    path.write_text("\n".join(dict.fromkeys(known + names)) + "\n", encoding="utf-8")
    return names


# ---------------------------------------------------------------- command line


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python course.py hub", description="课堂服务器（JupyterHub）")
    sub = parser.add_subparsers(dest="verb", required=True)
    inst = sub.add_parser("install", help="建环境、写配置、建交换目录和教师账号")
    for key in ("prefix", "state", "exchange", "home_base", "python", "teacher", "ip", "mem_limit"):
        inst.add_argument("--" + key.replace("_", "-"), default=DEFAULTS[key])
    for key in ("port", "hub_port", "proxy_api_port", "cull_timeout"):
        inst.add_argument("--" + key.replace("_", "-"), type=int, default=DEFAULTS[key])
    inst.add_argument("--cpu-limit", type=float, default=DEFAULTS["cpu_limit"])
    inst.add_argument("--auth", choices=AUTHENTICATORS, default=DEFAULTS["auth"])
    inst.add_argument("--spawner", choices=SPAWNERS, default=DEFAULTS["spawner"])
    users = sub.add_parser("users", help="为学生建 Unix 账号并允许登录")
    users.add_argument("names", nargs="*")
    users.add_argument("--file")
    users.add_argument("--passwords", help="给还没有密码的学生生成初始密码，写进这个 CSV（要先停止 hub）")
    users.add_argument("--state", default=DEFAULTS["state"])
    for verb in ("start", "service"):
        sub.add_parser(verb).add_argument("--state", default=DEFAULTS["state"])
    pw = sub.add_parser("password", help="设置老师（或某个学生）的登录密码（firstuse 方式）")
    pw.add_argument("name", nargs="?")
    pw.add_argument("--state", default=DEFAULTS["state"])
    build = sub.add_parser("build")
    build.add_argument("--prefix", default=DEFAULTS["prefix"])
    build.add_argument("--python", default=DEFAULTS["python"])
    sub.add_parser("lock").add_argument("--python", default=DEFAULTS["python"])
    args = parser.parse_args(argv)
    try:
        if args.verb == "install":
            s = {k: v for k, v in vars(args).items() if k != "verb"}
            took = install(s)
            if args.auth == "firstuse":
                say(
                    f"下一步：给老师账号设密码（必须先设，hub 才会启动）：sudo python3 course.py hub password --state {args.state}"
                )
            say(f"课堂服务器已装好。启动：sudo python3 course.py hub start --state {args.state}")
            say("再加学生：sudo python3 course.py hub users --file 名单.xlsx（改了名单要重启 hub）")
            if took.get("packages"):
                say(f"建环境用了 {took['packages']:.0f} 秒。")
        elif args.verb == "users":
            s = load_settings(args.state)
            names = list(args.names) + (students_from_file(args.file, s["prefix"]) if args.file else [])
            if not names:
                raise HubError(
                    "没有给出学号。用法：sudo python3 course.py hub users 2023001 2023002 … 或 --file 名单.xlsx"
                )
            if args.passwords:
                _may_write_passwords(s)  # before any account is made: the hub must be stopped
            add_students(s, names)
            say(f"已为 {len(names)} 位学生建好账号（用户名就是学号）。重启 hub 后生效。")
            if args.passwords:
                given, kept = initial_passwords(s, names, args.passwords)
                if given:
                    say(
                        f"已为 {len(given)} 位学生生成初始密码，写在 {Path(args.passwords).resolve()}（只有 root 能读）。"
                    )
                    say("打印后剪成纸条发给学生；学生登录后可在 /hub/auth/change-password 改成自己的密码。")
                if kept:
                    say(f"这 {len(kept)} 位已经有密码，没有改：{'、'.join(kept)}")
        elif args.verb == "password":
            s = load_settings(args.state)
            require_root()
            name = (args.name or s["teacher"]).lower()
            set_password(s, name, ask_password(name))
            say(f"{name} 的密码已设好（以后登录用它；忘了就再运行这一步）。")
        elif args.verb == "start":
            s = load_settings(args.state)
            require_root()
            teacher_has_password(s)
            os.chdir(s["state"])
            hub = f"{s['prefix']}/venv/bin/jupyterhub"
            os.execv(hub, [hub, "-f", f"{s['state']}/jupyterhub_config.py"])
        elif args.verb == "service":
            s = load_settings(args.state)
            require_root()
            teacher_has_password(s)
            Path("/etc/systemd/system/crm-hub.service").write_text(service_unit(s), encoding="utf-8")
            say("已写好 /etc/systemd/system/crm-hub.service。启用：sudo systemctl enable --now crm-hub")
        elif args.verb == "build":
            require_root()
            took = build_env(args.prefix, args.python)
            say(f"课程环境就绪：{args.prefix}/venv（{took}）")
        elif args.verb == "lock":
            say(f"deploy/constraints-hub.txt：固定了 {lock(python=args.python)} 个软件包的版本。")
    except HubError as exc:
        print(f"[hub] 出错了：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
