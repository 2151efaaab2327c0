"""Where a student's code runs while it is graded: a scratch folder, and on Linux a bubblewrap sandbox.

The kernel sees only: the operating system's read-only programs and
libraries, the Python installation and the course environment (read-only),
crmlib with the course data and practice banks (read-only), and its own
scratch folder (read-write). No network, no other process, nothing of the
repository's ``solutions/``, ``grading/`` or any other submission. Where
bubblewrap is missing (Windows, macOS, or Linux without the package) the
kernel still runs in its own folder and process, and the grader says so.

>>> cmd, note = kernel_command("/tmp/x/kernel.json", "/tmp/x", sandbox=False)
>>> cmd[-3:], note
(['ipykernel_launcher', '-f', '/tmp/x/kernel.json'], '')
"""

import os
import shutil
import sys
from pathlib import Path

from ..course.paths import PACKAGE, resource_dir

NO_SANDBOX = (
    "本机没有 bubblewrap 沙箱（Windows、macOS 或未安装 bubblewrap 的 Linux）："
    "学生代码在各自的临时文件夹和独立进程里运行，但能读到本机文件；评分后仍会核对仓库和其他作业是否被改动。"
)


def sandbox_available():
    """True where bubblewrap can be used (Linux with the ``bwrap`` program)."""
    return sys.platform.startswith("linux") and shutil.which("bwrap") is not None


def _system_binds():
    """Read-only binds of the OS (merged /usr with its /bin, /lib … links, and /etc)."""
    args = []
    for top in ("/usr", "/etc", "/opt"):
        if os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return args


def readable_paths():
    """What the kernel may read: Python, the environment, crmlib and its data (deduplicated, existing)."""
    paths = [Path(sys.base_prefix), Path(sys.prefix), PACKAGE, resource_dir("datasets"), resource_dir("exercises")]
    out = []
    for p in paths:
        p = p.resolve()
        if p.exists() and not any(p == q or q in p.parents for q in out):
            out.append(p)
    return out


def kernel_command(connection_file, scratch, sandbox=True):
    """The command that starts a grading kernel, and a Chinese note when it runs unsandboxed."""
    python = [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection_file)]
    if not sandbox:
        return python, ""
    if not sandbox_available():
        return python, NO_SANDBOX
    args = [
        "bwrap",
        "--die-with-parent",
        "--new-session",
        "--unshare-all",
        *_system_binds(),
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
    ]
    for p in readable_paths():
        args += ["--ro-bind", str(p), str(p)]
    args += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch)]
    return args + python, ""


def kernel_env(scratch):
    """A small environment for the grading kernel: UTF-8, its own home and caches, static widgets."""
    scratch = str(scratch)
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "SYSTEMROOT", "WINDIR", "TZ") if k in os.environ}
    return {
        **keep,
        "HOME": scratch,
        "USERPROFILE": scratch,
        "TMPDIR": scratch,
        "TEMP": scratch,
        "TMP": scratch,
        "PYTHONUTF8": "1",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "IPYTHONDIR": os.path.join(scratch, ".ipython"),
        "JUPYTER_RUNTIME_DIR": os.path.join(scratch, ".run"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "JUPYTER_CONFIG_DIR": os.path.join(scratch, ".jupyter"),
        "JUPYTER_DATA_DIR": os.path.join(scratch, ".jupyter-data"),
        "MPLCONFIGDIR": os.path.join(scratch, ".mpl"),
        "MPLBACKEND": "Agg",
        "NBGRADER_EXECUTION": "autograde",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        # the crmlib the grader itself uses (a course copy may sit elsewhere than the editable install)
        "PYTHONPATH": str(PACKAGE.parent),
    }
