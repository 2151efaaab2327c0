#!/usr/bin/env python3
"""客户关系管理课程 — one script for students and teachers (standard library only).

    python course.py start     set up (first time only) and open JupyterLab in Chinese
    python course.py test      set up if needed and run every test
    python course.py release   regenerate notebooks/ (student copies) from solutions/
    python course.py data      regenerate datasets/ from crmlib's generators
    python course.py grades    export nbgrader grades to a CSV that Excel opens (成绩.csv)
    python course.py bench     print the speed figures
    python course.py nbgrader …   any nbgrader command inside the course environment,
                               e.g. `python course.py nbgrader autograde p01`

Works the same on Windows, macOS and Linux. The environment lives in .venv/
inside the repository; re-running any verb is fast because the install is
skipped while requirements.txt and pyproject.toml are unchanged.
"""
import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "crm-course.stamp"
WINDOWS = os.name == "nt"
LOCALE_OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    # A classroom needs no "fetch Jupyter news?" pop-up (and lab PCs may be offline).
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def say(msg):
    print(f"[course] {msg}", flush=True)


def venv_python():
    return VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")


def wanted_stamp():
    """Hash of everything that decides what is installed."""
    h = hashlib.sha256()
    for name in ("requirements.txt", "pyproject.toml"):
        h.update((ROOT / name).read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def run(cmd, **kw):
    """Run a command, stop with its exit code if it fails."""
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)
    if code:
        sys.exit(code)


def set_chinese_ui():
    """Make zh_CN the default JupyterLab language for this environment only."""
    settings = VENV / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(
        json.dumps(LOCALE_OVERRIDES, indent=2, ensure_ascii=False), encoding="utf-8")


def ensure_env():
    """Create .venv and install pinned dependencies plus crmlib, once."""
    if sys.version_info < (3, 11):
        sys.exit("需要 Python 3.11 或更新的版本（当前是 %d.%d）。" % sys.version_info[:2])
    stamp = wanted_stamp()
    if STAMP.exists() and STAMP.read_text() == stamp and venv_python().exists():
        return
    if not venv_python().exists():
        say("第一次使用：正在创建虚拟环境 .venv …")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("正在安装课程所需的软件包（只在第一次或依赖变化时进行，约需几分钟）…")
    py = venv_python()
    quiet = ["-q"] if os.environ.get("CI") else []
    run([py, "-m", "pip", "install", *quiet, "--disable-pip-version-check",
         "-r", ROOT / "requirements.txt"])
    run([py, "-m", "pip", "install", *quiet, "--disable-pip-version-check",
         "--no-deps", "-e", ROOT])
    set_chinese_ui()
    STAMP.write_text(stamp)
    say("环境已就绪。")


def venv_env():
    """Environment for child processes: the venv first on PATH, UTF-8 I/O."""
    env = dict(os.environ)
    bindir = str(venv_python().parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(VENV)
    env["PYTHONUTF8"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def in_venv(*args):
    run([venv_python(), *args], env=venv_env())


def cmd_start(extra):
    ensure_env()
    set_chinese_ui()
    say("正在启动 JupyterLab（关闭本窗口或按 Ctrl+C 即可退出）…")
    in_venv("-m", "jupyter", "lab", "--ServerApp.root_dir=" + str(ROOT),
            "notebooks/index.ipynb", *extra)


def cmd_test(extra):
    ensure_env()
    code = subprocess.call([str(venv_python()), "-m", "pytest", *extra],
                           cwd=ROOT, env=venv_env())
    sys.exit(code)


def cmd_release(extra):
    ensure_env()
    in_venv(ROOT / "tools" / "release.py", *extra)


def cmd_data(extra):
    ensure_env()
    in_venv("-m", "crmlib.course.datasets", *extra)


def cmd_grades(extra):
    ensure_env()
    in_venv("-m", "nbgrader", "export", *(extra or ["--to", "成绩.csv"]))


def cmd_nbgrader(extra):
    ensure_env()
    in_venv("-m", "nbgrader", *extra)


def cmd_bench(extra):
    ensure_env()
    in_venv(ROOT / "benchmarks" / "run.py", *extra)


VERBS = {"start": cmd_start, "test": cmd_test, "release": cmd_release,
         "data": cmd_data, "grades": cmd_grades, "bench": cmd_bench, "nbgrader": cmd_nbgrader}


def main(argv):
    if not argv or argv[0] not in VERBS:
        print(__doc__)
        return 0 if not argv else 2
    VERBS[argv[0]](argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
