"""One grading kernel: start it (sandboxed), run cells with a time limit and an output cap, kill it.

The kernel is an ordinary ipykernel in its own process group (on Linux inside
bubblewrap, where it also has its own process namespace). A cell that runs
past its time limit, ignores Ctrl-C, or kills the kernel is handled here:
the whole process group is killed, and the caller learns which cell it was.
"""

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .sandbox import kernel_command, kernel_env

OUTPUT_CAP = 1_000_000  # characters of output kept per cell (the rest is dropped, with a note)
CAP_NOTE = "\n……（本格输出超过 1 MB，其余部分已省略）\n"


class KernelDied(Exception):
    """The kernel process ended (crash, os._exit, killed) while a cell ran."""


class CellTimeout(Exception):
    """A cell ran past its time limit; the kernel was killed."""


def _prewarm_mpl(target):
    """Copy a prepared matplotlib font cache so each kernel does not rebuild it."""
    from matplotlib import get_cachedir

    src = Path(get_cachedir())
    Path(target).mkdir(parents=True, exist_ok=True)
    for f in src.glob("fontlist-*.json"):
        shutil.copy2(f, Path(target) / f.name)


class Kernel:
    """A started grading kernel bound to one scratch folder."""

    def __init__(self, scratch, sandbox=True, startup_timeout=60):
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        self.scratch = Path(scratch)
        self.scratch.mkdir(parents=True, exist_ok=True)
        _prewarm_mpl(self.scratch / ".mpl")
        self.conn = self.scratch / ".run" / "kernel.json"
        self.conn.parent.mkdir(parents=True, exist_ok=True)
        linux = sys.platform.startswith("linux")
        if linux:
            write_connection_file(str(self.conn), transport="ipc", ip=str(self.scratch / ".run" / "k"))
        else:
            write_connection_file(str(self.conn), ip="127.0.0.1")
        cmd, self.note = kernel_command(self.conn, self.scratch, sandbox=sandbox)
        kwargs = (
            {"start_new_session": True} if os.name != "nt" else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
        )
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.scratch,
            env=kernel_env(self.scratch),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **kwargs,
        )
        self.client = BlockingKernelClient()
        self.client.load_connection_file(str(self.conn))
        self.client.start_channels()
        self._wait_ready(startup_timeout)

    def _wait_ready(self, timeout):
        """Ask for kernel_info until the kernel answers (its process alive), or give up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                self.kill()
                raise KernelDied("评分内核没有启动（进程已退出）。")
            msg_id = self.client.kernel_info()
            try:
                while True:
                    reply = self.client.get_shell_msg(timeout=1.0)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        break
            except queue.Empty:
                continue
            # drain the iopub status messages of the start-up
            while True:
                try:
                    self.client.get_iopub_msg(timeout=0.05)
                except queue.Empty:
                    return
        self.kill()
        raise KernelDied(f"评分内核 {timeout} 秒内没有启动。")

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        """Kill the kernel and everything it started."""
        try:
            self.client.stop_channels()
        except Exception:  # noqa: BLE001  (channels may already be gone)
            pass
        if self.proc.poll() is None:
            try:
                if os.name != "nt":
                    os.killpg(self.proc.pid, signal.SIGKILL)
                else:
                    self.proc.kill()
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def run(self, code, timeout=60, expressions=None):
        """Execute `code`; return (outputs, reply content). Raises CellTimeout or KernelDied."""
        msg_id = self.client.execute(code, store_history=True, allow_stdin=False, user_expressions=expressions or {})
        deadline = time.monotonic() + timeout
        outputs, size, capped, idle = [], 0, False, False
        while not idle:
            if time.monotonic() > deadline:
                self.kill()
                raise CellTimeout()
            try:
                msg = self.client.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                if not self.alive():
                    raise KernelDied() from None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                idle = True
                continue
            out = _to_output(kind, content)
            if out is None:
                if kind == "clear_output" and not content.get("wait"):
                    outputs, size = [], 0
                continue
            n = len(json.dumps(out, ensure_ascii=False))
            if size + n > OUTPUT_CAP:
                if not capped:
                    outputs.append({"output_type": "stream", "name": "stdout", "text": CAP_NOTE})
                    capped = True
                continue
            size += n
            _append(outputs, out)
        reply = self._reply(msg_id, deadline)
        return outputs, reply

    def _reply(self, msg_id, deadline):
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise CellTimeout()
            try:
                msg = self.client.get_shell_msg(timeout=min(remaining, 0.5))
            except queue.Empty:
                if not self.alive():
                    raise KernelDied() from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]


def _to_output(kind, content):
    if kind == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if kind in ("display_data", "execute_result"):
        out = {"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {})}
        if kind == "execute_result":
            out["execution_count"] = content.get("execution_count")
        return out
    if kind == "error":
        return {
            "output_type": "error",
            "ename": content["ename"],
            "evalue": content["evalue"],
            "traceback": content["traceback"],
        }
    return None


def _append(outputs, out):
    """Append an output, merging consecutive text on the same stream."""
    if (
        out["output_type"] == "stream"
        and outputs
        and outputs[-1]["output_type"] == "stream"
        and outputs[-1]["name"] == out["name"]
    ):
        outputs[-1]["text"] += out["text"]
    else:
        outputs.append(out)
