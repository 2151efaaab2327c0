"""The machinery of tests/deploy/test_hub_loopback.py: a user at a browser, kernels over the proxy, clean-up.

The clock is read here, not in the test: the test asserts no speed (its figures are printed, not checked), and
the deadlines only keep a broken hub from hanging the run.
"""

import asyncio
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path


class Stopwatch:
    """Seconds since it was made (`elapsed`), and a deadline check that fails with a message (`within`)."""

    def __init__(self):
        self.start = time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.start

    def within(self, seconds, message):
        assert self.elapsed() < seconds, message() if callable(message) else message
        time.sleep(0.05)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes(uid=None):
    """[(pid, ppid, uid, cmdline, rss_kb)] from /proc."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = dict(line.split(":", 1) for line in (d / "status").read_text().splitlines() if ":" in line)
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        puid = int(status["Uid"].split()[0])
        if uid is None or puid == uid:
            rss = int(status.get("VmRSS", "0 kB").split()[0])
            out.append((int(d.name), int(status["PPid"]), puid, cmd, rss))
    return out


class User:
    """A person at a browser: logs in through the hub's form, then works with a token of their own."""

    def __init__(self, base, name, password):
        import requests

        self.base, self.name = base, name
        self.http = requests.Session()
        self.http.get(f"{base}/hub/login").raise_for_status()
        xsrf = self.http.cookies.get("_xsrf")
        r = self.http.post(
            f"{base}/hub/login", data={"username": name, "password": password, "_xsrf": xsrf}, allow_redirects=False
        )
        assert r.status_code == 302, f"{name} could not log in: {r.status_code} {r.text[:300]}"
        self.http.get(f"{base}/hub/home").raise_for_status()  # logged in: the hub's page, with a fresh XSRF cookie
        xsrf = [ck.value for ck in self.http.cookies if ck.name == "_xsrf"][-1]
        r = self.http.post(
            f"{base}/hub/api/users/{name}/tokens",
            json={"note": "loopback test", "expires_in": 3600},
            headers={"X-XSRFToken": xsrf, "Referer": f"{base}/hub/"},
        )
        assert r.status_code in (200, 201), r.text
        self.token = r.json()["token"]
        self.headers = {"Authorization": f"token {self.token}"}
        self.uid = pwd.getpwnam(name).pw_uid

    def api(self, method, path, **kw):
        return self.http.request(method, f"{self.base}{path}", headers=self.headers, **kw)

    def spawn(self):
        r = self.api("POST", f"/hub/api/users/{self.name}/server")
        assert r.status_code in (201, 202), r.text

    def is_ready(self):
        server = self.api("GET", f"/hub/api/users/{self.name}").json().get("servers", {}).get("")
        return bool(server and server.get("ready"))

    def server(self, method, path, **kw):
        return self.api(method, f"/user/{self.name}{path}", **kw)

    def run(self, code, timeout=180):
        """Execute `code` in a kernel on this user's server (through the proxy); return what it printed."""
        if not getattr(self, "kernel", None):
            r = self.server("POST", "/api/kernels", json={"name": "python3"})
            assert r.status_code == 201, r.text
            self.kernel = r.json()["id"]
        url = self.base.replace("http", "ws", 1) + f"/user/{self.name}/api/kernels/{self.kernel}/channels"
        return asyncio.run(_execute(url, self.headers, code, timeout))


async def _execute(url, headers, code, timeout):
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(HTTPRequest(url, headers=headers, request_timeout=timeout))
    msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
    header = {"msg_id": msg_id, "session": session, "username": "test", "msg_type": "execute_request", "version": "5.3"}
    content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False}
    conn.write_message(
        json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"})
    )
    out, errors = [], []
    end = time.monotonic() + timeout
    try:
        while True:
            raw = await asyncio.wait_for(conn.read_message(), max(1, end - time.monotonic()))
            assert raw is not None, "kernel websocket closed"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                errors.append("\n".join(msg["content"]["traceback"]))
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        conn.close()
    assert not errors, "".join(out) + "\n".join(errors)
    return "".join(out)


def teardown(proc, names, tmp):
    """Stop the hub, end every process of the throw-away users, delete them and their homes, remove tmp."""
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    for name in names:
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
        for _ in range(50):
            left = [p[0] for p in processes(uid)]
            if not left:
                break
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        subprocess.run(["userdel", "--remove", name], capture_output=True)
    shutil.rmtree(tmp, ignore_errors=True)
