"""The classroom server on loopback: a real JupyterHub on 127.0.0.1, real Unix users, nbgrader over the hub.

Two students and a teacher log in through the hub's Chinese form with the classroom's own firstuse logins: the
teacher's password set by ``hub password``, the students' from ``hub users --passwords`` (throw-away accounts,
deleted at the end even on failure). The teacher
releases p01 through formgrader's API, the students fetch and submit through nbgrader's Assignments API on
their own servers, the teacher collects and runs ``python course.py grade p01`` in a kernel on the teacher's
server. One student hands in the solution (full points), the other one wrong quiz answer (its points off).
Student A's kernel then tries to read B's and the teacher's files. The course environment is built by the
recipe itself (tools/hub.py build) into /var/cache/crm-course/hub-env and reused while the pins are unchanged.
"""

import copy
import json
import os
import re
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import support
from hub_session import Stopwatch, User, free_port, processes, teardown

pytestmark = pytest.mark.full

hub = support.load_file(support.ROOT / "tools" / "hub.py", "crm_hub_tool")
ENV_CACHE = "/var/cache/crm-course/hub-env"


def why_not():
    if sys.platform != "linux":
        return "课堂服务器只在 Linux 上测试 / the classroom server is Linux only"
    if os.geteuid() != 0:
        return "需要 root 才能建临时 Unix 账号、以学生身份启动服务器 / needs root (creates Unix users)"
    missing = [t for t in ("useradd", "userdel", "runuser", "git") if not shutil.which(t)]
    if missing:
        return f"缺少系统命令 {'、'.join(missing)} / missing {', '.join(missing)}"
    try:
        hub.check_python(hub.DEFAULTS["python"])
    except hub.HubError as exc:
        return f"{exc} / no world-readable Python with venv at /usr/bin/python3"
    return None


@pytest.fixture(scope="module")
def classroom():
    reason = why_not()
    if reason:
        pytest.skip(reason)
    tag = secrets.token_hex(3)
    names = {"a": f"crmt{tag}a", "b": f"crmt{tag}b", "t": f"crmt{tag}t"}
    tmp = Path(tempfile.mkdtemp(prefix="crm-hub-test-"))
    tmp.chmod(0o755)  # students pass through to their homes; pytest's own tmp_path is private to root
    proc, log = None, tmp / "hub.log"
    figures = {}
    try:
        watch = Stopwatch()
        took = hub.build_env(ENV_CACHE, hub.DEFAULTS["python"])
        figures["环境"] = watch.elapsed(), took
        port = free_port()
        s = {
            "prefix": ENV_CACHE,
            "state": str(tmp / "state"),
            "exchange": str(tmp / "exchange"),
            "home_base": str(tmp / "home"),
            "teacher": names["t"],
            "auth": "firstuse",  # the classroom's own login: passwords set before the hub starts
            "spawner": "local",
            "ip": "127.0.0.1",
            "port": port,
            "hub_port": free_port(),
            "proxy_api_port": free_port(),
        }
        (tmp / "home").mkdir()
        hub.install(s, build=False)
        hub.add_students(s, [names["a"], names["b"]])
        passwords = {names["t"]: "老师的密码-" + secrets.token_urlsafe(6)}  # Chinese too: bcrypt hashes UTF-8 bytes
        hub.set_password(s, names["t"], passwords[names["t"]])
        slips = Path(s["state"]) / "初始密码.csv"
        assert hub.initial_passwords(s, [names["a"], names["b"].upper()], slips) == ([names["a"], names["b"]], [])
        passwords.update(line.split(",") for line in slips.read_text(encoding="utf-8-sig").splitlines()[1:])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "VIRTUAL_ENV", "PYTHON"))}
        env.update(PATH=f"{ENV_CACHE}/venv/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        with open(log, "wb") as fh:
            proc = subprocess.Popen(
                [f"{ENV_CACHE}/venv/bin/jupyterhub", "-f", f"{s['state']}/jupyterhub_config.py"],
                cwd=s["state"],
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        base = f"http://127.0.0.1:{port}"
        import requests

        watch = Stopwatch()
        while True:
            assert proc.poll() is None, "hub exited:\n" + log.read_text(errors="replace")[-3000:]
            try:
                if requests.get(f"{base}/hub/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            watch.within(60, lambda: "hub not up in 60 s:\n" + log.read_text(errors="replace")[-3000:])
        figures["hub 启动"] = watch.elapsed()
        yield {
            "base": base,
            "names": names,
            "passwords": passwords,
            "slips": slips,
            "settings": s,
            "proc": proc,
            "log": log,
            **figures,
        }
    finally:
        teardown(proc, names.values(), tmp)


def test_a_class_on_loopback(classroom, record_property):
    from crmlib.grading.cli import one_wrong_answer
    from crmlib.grading.grader import load_assignment
    from nbgrader.api import Gradebook

    c = classroom
    base, names, s = c["base"], c["names"], c["settings"]
    log, proc = c["log"], c["proc"]

    def hub_log():
        return log.read_text(errors="replace")[-4000:]

    watch = Stopwatch()
    a, b, t = (User(base, names[k], c["passwords"][names[k]]) for k in "abt")  # firstuse, through the login form
    logins = watch.elapsed()

    for u in (a, b, t):  # the hub answers when a server is up or after 10 s, then the server goes on starting
        u.spawn()
    while not all(u.is_ready() for u in (a, b, t)):
        assert proc.poll() is None, hub_log()
        watch.within(120, lambda: f"servers not ready\n{hub_log()}")
    # the hub's own figure: "User <name> took 3.697 seconds to start"
    ready = dict(re.findall(r"User (\S+) took ([\d.]+) seconds to start", log.read_text(errors="replace")))

    # the course's exchange folders were made by hub install and belong to the teacher (a student cannot claim them)
    course_box = Path(s["exchange"]) / "crm"
    assert {course_box.stat().st_uid, (course_box / "inbound").stat().st_uid} == {pwd.getpwnam(names["t"]).pw_uid}
    assert oct((course_box / "inbound").stat().st_mode & 0o7777) == oct(0o2733)
    # the teacher releases p01 (formgrader's API, what its 发布 button calls)
    r = t.server("POST", "/formgrader/api/assignment/p01/release")
    assert r.status_code == 200 and r.json().get("success"), f"{r.text[:2000]}\n{hub_log()}"

    assignment = load_assignment("p01", support.ROOT)
    nbname = assignment.notebook_name
    solution = copy.deepcopy(assignment.master)
    wrong, first = one_wrong_answer(assignment)
    for student, nb in ((a, solution), (b, wrong)):
        r = student.server("POST", "/assignments/fetch", data={"course_id": "crm", "assignment_id": "p01"})
        assert r.status_code == 200, r.text[:2000]
        got = student.server("GET", f"/api/contents/p01/{nbname}?content=0")
        assert got.status_code == 200, f"{student.name} fetched nothing: {got.text[:500]}"
        r = student.server("PUT", f"/api/contents/p01/{nbname}", json={"type": "notebook", "content": nb})
        assert r.status_code == 200, r.text[:500]
        r = student.server("POST", "/assignments/submit", data={"course_id": "crm", "assignment_id": "p01"})
        assert r.status_code == 200 and "submitted" in r.text, r.text[:2000]

    r = t.server("POST", "/formgrader/api/assignment/p01/collect")
    assert r.status_code == 200 and r.json().get("success"), r.text[:2000]
    course = Path(s["home_base"]) / names["t"] / hub.COURSE_DIR
    for student in (a, b):
        assert (course / "grading" / "submitted" / student.name / "p01" / nbname).exists()

    grading = Stopwatch()  # what the teacher types in a terminal: cd ~/crm-course; python course.py grade p01
    out = t.run(
        "import subprocess\n"
        "done = subprocess.run(['python', 'course.py', 'grade', 'p01', '--create'], capture_output=True, text=True,"
        f" cwd={str(course)!r})\n"
        "print('RC', done.returncode)\nprint(done.stdout)\nprint(done.stderr[-3000:])\n",
        timeout=300,
    )
    grading = grading.elapsed()
    assert "RC 0" in out, out
    total = sum(assignment.points.values())
    with Gradebook(f"sqlite:///{course / 'grading' / 'gradebook.db'}") as gb:
        scores = {sid: gb.find_submission("p01", sid).score for sid in (a.name, b.name)}
    assert scores == {a.name: total, b.name: total - assignment.points[first]}, out

    # isolation, checked as student A in A's own kernel (a real process of that Unix user)
    targets = {
        "B 的家目录": str(Path(s["home_base"]) / b.name),
        "B 的作业": str(Path(s["home_base"]) / b.name / "p01" / nbname),
        "老师的课程": str(course),
        "成绩库": str(course / "grading" / "gradebook.db"),
        "收上来的作业": str(course / "grading" / "submitted" / b.name),
        "交换目录里的交件": f"{s['exchange']}/crm/inbound",
        "hub 的数据库": f"{s['state']}/private/jupyterhub.sqlite",
        "hub 的 cookie 密钥": f"{s['state']}/private/jupyterhub_cookie_secret",
    }
    probe = (
        "import json, os, sys, locale\n"
        f"targets = {targets!r}\n"
        "seen = {}\n"
        "for label, p in targets.items():\n"
        "    try:\n"
        "        os.listdir(p) if os.path.isdir(p) else open(p, 'rb').read(1)\n"
        "        seen[label] = 'READ'\n"
        "    except PermissionError:\n"
        "        seen[label] = 'denied'\n"
        "    except FileNotFoundError:\n"
        "        seen[label] = 'missing'\n"
        "print(json.dumps({'uid': os.getuid(), 'seen': seen, 'utf8': sys.flags.utf8_mode,"
        " 'enc': locale.getpreferredencoding(), 'lang': os.environ.get('LANG'), 'cwd': os.getcwd()}))\n"
    )
    seen = json.loads(a.run(probe))
    assert seen["uid"] == a.uid
    assert set(seen["seen"].values()) == {"denied"}, seen["seen"]
    assert seen["utf8"] == 1 and seen["enc"].lower().replace("-", "") == "utf8" and seen["lang"] == "C.UTF-8"
    assert seen["cwd"] == str(Path(s["home_base"]) / a.name)
    # A's token opens nothing of B's server; formgrader is the teacher's only
    assert a.api("GET", f"/user/{b.name}/api/contents").status_code in (302, 403, 404)
    assert a.server("GET", "/formgrader/api/assignments").status_code == 404
    # zh_CN by default
    r = a.server("GET", "/lab/api/settings/@jupyterlab/translation-extension:plugin")
    assert r.json()["schema"]["properties"]["locale"]["default"] == "zh_CN", r.text[:500]  # overrides.json

    # figures: memory of the hub, the proxy, each server and a kernel after crm.setup()
    kernel = json.loads(
        a.run(
            "import json, crmlib as crm\ncrm.setup()\n"
            "st = dict(l.split(':', 1) for l in open('/proc/self/status'))\n"
            "print(json.dumps({k: int(st[k].split()[0]) for k in ('VmRSS', 'VmHWM')}))\n"
        )
    )
    procs = processes()
    hub_rss = next(p[4] for p in procs if p[0] == c["proc"].pid)
    proxy = [p[4] for p in procs if p[1] == c["proc"].pid and "configurable-http-proxy" in p[3]]
    servers = {u.name: [p[4] for p in procs if p[2] == u.uid and "jupyterhub-singleuser" in p[3]] for u in (a, b, t)}
    tick = os.sysconf("SC_CLK_TCK")
    cpu = [  # CPU seconds a server has used (B's: started, then only fetch and submit)
        sum(int(x) for x in Path(f"/proc/{p[0]}/stat").read_text().rsplit(")", 1)[1].split()[11:13]) / tick
        for p in procs
        if p[2] == b.uid and "jupyterhub-singleuser" in p[3]
    ]
    figures = {
        "环境（缓存）秒": round(c["环境"][0], 1),
        "hub 启动秒": round(c["hub 启动"], 1),
        "登录 3 人秒": round(logins, 1),
        "服务器就绪秒": {k[-1]: round(float(v), 1) for k, v in ready.items()},
        "评分秒": round(grading, 1),
        "hub MB": round(hub_rss / 1024),
        "proxy MB": round(sum(proxy) / 1024),
        "每个服务器 MB": {k[-1]: round(sum(v) / 1024) for k, v in servers.items()},
        "B 的服务器 CPU 秒": round(sum(cpu), 1),
        "crm.setup() 后的内核 MB": round(kernel["VmRSS"] / 1024),
    }
    if os.environ.get("CRM_HUB_MEASURE"):  # the peak of a kernel running all of p01 (slow: not in every run)
        peak = json.loads(  # the notebook prints too: the figures are the last line
            a.run(
                "import json, os, nbformat\nos.chdir('p01')\n"
                f"nb = nbformat.read({nbname!r}, as_version=4)\n"
                "for cell in nb.cells:\n"
                "    if cell.cell_type == 'code':\n"
                "        get_ipython().run_cell(cell.source, silent=True)\n"
                "os.chdir('..')\n"
                "st = dict(l.split(':', 1) for l in open('/proc/self/status'))\n"
                "print(json.dumps({k: int(st[k].split()[0]) for k in ('VmRSS', 'VmHWM')}))\n",
                timeout=600,
            )
            .strip()
            .splitlines()[-1]
        )
        figures["运行 p01 的内核峰值 MB"] = round(peak["VmHWM"] / 1024)
        figures["运行 p01 后服务器 MB"] = round(sum(p[4] for p in processes(a.uid) if "singleuser" in p[3]) / 1024)
    text = "课堂服务器（回环）：" + json.dumps(figures, ensure_ascii=False)
    print(text)
    record_property("课堂服务器", text)


def test_passwords_were_set_before_anyone_logged_in(classroom):
    """The teacher's password (hub password) and the students' initial ones (hub users --passwords) are firstuse
    passwords the hub checks at login (the class logged in with them); a slip list only root can read; while the
    hub runs, the password file is left alone; a printed list is never overwritten."""
    s, names, slips = classroom["settings"], classroom["names"], classroom["slips"]
    raw = slips.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and oct(slips.stat().st_mode & 0o777) == "0o600"
    given = dict(line.split(",") for line in raw.decode("utf-8-sig").splitlines()[1:])
    assert set(given) == {names["a"], names["b"]}
    assert all(len(pw) == 8 and set(pw) <= set(hub.SLIP_ALPHABET) for pw in given.values())
    assert all(hub.has_password(s, names[k]) for k in "abt")
    with pytest.raises(hub.HubError, match="hub 正在运行"):
        hub.set_password(s, names["t"], "another-one")
    stopped = {**s, "port": free_port()}  # as after stopping the hub
    assert hub.initial_passwords(stopped, [names["a"], names["b"]], slips) == ([], [names["a"], names["b"]])
    with pytest.raises(hub.HubError, match="已经存在.*换一个文件名"):
        hub.initial_passwords(stopped, [names["a"], "crmtnobody"], slips)
    assert slips.read_bytes() == raw


def test_the_login_page_is_chinese(classroom):
    """Students see the course's Chinese login page (deploy/hub-templates), and a Chinese message on a typo."""
    import requests

    base, http = classroom["base"], requests.Session()
    page = http.get(f"{base}/hub/login").content.decode("utf-8")  # requests would guess ISO-8859-1 for text/html
    assert "登录课堂服务器" in page and "用户名（学号）" in page and 'value="登录"' in page and "Sign in" not in page
    wrong = {"username": classroom["names"]["a"], "password": "first-come-123", "_xsrf": http.cookies.get("_xsrf")}
    answer = http.post(f"{base}/hub/login", data=wrong).content.decode("utf-8")
    assert "用户名或密码不对" in answer and "Invalid username" not in answer
