#!/usr/bin/env python3
"""客户关系管理课程 — one script for students and teachers (standard library only).

Students and self-learners:
    python course.py start            set up (first time only) and open JupyterLab in Chinese on
                                      your own folder my_work/ (copies of the notebooks, never overwritten)
    python course.py reset pNN        a fresh copy of one notebook (the old one is kept as a dated backup)
    python course.py score pNN        your real score for my_work/pNN (needs the full course with its keys)
Teachers:
    python course.py start --teacher  open JupyterLab on the whole repository
    python course.py students import 名单.xlsx   the class roster (xlsx or CSV from Excel: 学号, 姓名, 班级)
    python course.py collect pNN 文件夹或.zip   hand-ins (a zip or folder per student) into grading/submitted/
    python course.py grade pNN        grade grading/submitted/*/pNN in sandboxed kernels into the gradebook
    python course.py feedback pNN     feedback HTML per student (scores and hints, no keys)
    python course.py report pNN       the class report (HTML + PNG): score bands, hardest questions, common wrong answers
    python course.py grades [--csv]   export the grades to an Excel workbook 成绩.xlsx (or 成绩.csv)
    python course.py pack [--offline] [--to 目录]   the student pack (zip): notebooks, data, crmlib, start scripts
    python course.py nbgrader …       any nbgrader command inside the course environment
    sudo python3 course.py hub install|users|start …   the classroom server: JupyterHub on one Linux machine
Authors:
    python course.py test [--quick]   every test (quick: no notebook execution, about 30 s)
    python course.py test --browser  only the real-browser tests (course.py test runs them last, alone)
    python course.py release [pNN]    regenerate notebooks/ (student copies) and quiz cells from solutions/
    python course.py data [pNN]       regenerate datasets/ from crmlib's generators
    python course.py roundtrip pNN    solution = full points, blank = 0, one wrong answer = its points off
    python course.py new pNN slug 标题  scaffold a new learning project
    python course.py lock             re-pin the full dependency set (constraints.txt)
    python course.py bench            print the speed figures

Works the same on Windows, macOS and Linux. The environment lives in .venv/
inside the repository; re-running any verb is fast because the install is
skipped while requirements.txt and pyproject.toml are unchanged.
"""

import hashlib
import json
import os
import subprocess
import sys
import shutil
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# On the classroom server the teacher's copy uses the hub's shared environment (tools/hub.py sets this).
VENV = Path(os.environ.get("CRM_COURSE_VENV") or ROOT / ".venv")
WORKSPACE = ROOT / "my_work"  # the student's own folder (git-ignored)
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
    for name in ("requirements.txt", "constraints.txt", "pyproject.toml"):
        if (ROOT / name).exists():
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
        json.dumps(LOCALE_OVERRIDES, indent=2, ensure_ascii=False), encoding="utf-8"
    )


def ensure_env():
    """Create .venv and install pinned dependencies plus crmlib, once."""
    if sys.version_info < (3, 11):
        sys.exit("需要 Python 3.11 或更新的版本（当前是 %d.%d）。" % sys.version_info[:2])
    stamp = wanted_stamp()
    if STAMP.exists() and STAMP.read_text() == stamp and venv_python().exists():
        return
    if os.environ.get("CRM_COURSE_VENV"):
        sys.exit(f"课堂服务器的课程环境 {VENV} 和这份课程的依赖不一致。请管理员运行：sudo python3 course.py hub build")
    if not venv_python().exists():
        say("第一次使用：正在创建虚拟环境 .venv …")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("正在安装课程所需的软件包（只在第一次或依赖变化时进行，约需几分钟）…")
    py = venv_python()
    quiet = ["-q"] if os.environ.get("CI") else []
    pins = ["-c", ROOT / "constraints.txt"] if (ROOT / "constraints.txt").exists() else []
    run([py, "-m", "pip", "install", *quiet, "--disable-pip-version-check", "-r", ROOT / "requirements.txt", *pins])
    run([py, "-m", "pip", "install", *quiet, "--disable-pip-version-check", "--no-deps", "-e", ROOT])
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


def fill_workspace(workspace=WORKSPACE, released=ROOT / "notebooks"):
    """Copy every student notebook missing from the workspace; never overwrite one. Return the copies made."""
    made = []
    for src in sorted(Path(released).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in src.parts:
            continue
        dest = Path(workspace) / src.relative_to(released)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            made.append(dest)
    if made:
        (Path(workspace) / "说明.txt").write_text(
            "这是你自己的作业文件夹：在这里做题、保存。老师的答案不在这里。\n"
            "想重新开始某个项目：python course.py reset p01（旧文件会留一份带日期的备份）。\n",
            encoding="utf-8",
        )
    return made


def reset_notebook(project, workspace=WORKSPACE, released=ROOT / "notebooks", now=None):
    """A fresh copy of `project`'s notebook(s) in the workspace; the old copy is kept as a dated backup."""
    import datetime

    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    sources = sorted((Path(released) / project).glob("*.ipynb"))
    if not sources:
        sys.exit(f"没有找到学习项目 {project} 的学生版（notebooks/{project}/）。项目编号写成 p01～p09。")
    backups = []
    for src in sources:
        dest = Path(workspace) / project / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            backup = dest.with_name(f"{dest.stem}.备份-{stamp}.ipynb")
            dest.replace(backup)
            backups.append(backup)
        shutil.copyfile(src, dest)
    return backups


def cmd_start(extra):
    ensure_env()
    set_chinese_ui()
    teacher = "--teacher" in extra
    extra = [e for e in extra if e != "--teacher"]
    if teacher:
        root, first = ROOT, "notebooks/index.ipynb"
        say("教师模式：打开整个课程仓库（含答案和评分材料）。")
    else:
        made = fill_workspace()
        if made:
            say(f"已在 my_work/ 里为你准备了 {len(made)} 个笔记本（以后不会覆盖你的作业）。")
        root, first = WORKSPACE, "index.ipynb"
    say("正在启动 JupyterLab（关闭本窗口或按 Ctrl+C 即可退出）…")
    in_venv("-m", "jupyter", "lab", "--ServerApp.root_dir=" + str(root), first, *extra)


def cmd_reset(extra):
    if not extra:
        sys.exit("用法：python course.py reset p01")
    for backup in reset_notebook(extra[0]):
        say(f"旧文件已备份为 {backup.relative_to(ROOT)}")
    say(f"已换上一份新的 {extra[0]} 笔记本（my_work/{extra[0]}/）。")


def cmd_test(extra):
    """Every test: in parallel (a worker per core, at most 4), then the real-browser tests alone; --quick skips
    the `full` ones and adds ruff (lint and format check); --browser runs only the real-browser tests."""
    ensure_env()
    # tests that share set-up share a worker (tests/conftest.py: pytest_xdist_make_scheduler)
    workers = ["-n", str(max(1, min(os.cpu_count() or 1, 4)))]
    quick, browser = "--quick" in extra, "--browser" in extra
    args = [e for e in extra if e not in ("--quick", "--browser")]
    lint = 0
    if quick:
        ruff = [str(venv_python()), "-m", "ruff"]
        lint = subprocess.call([*ruff, "check", "--quiet", "."], cwd=ROOT, env=venv_env())
        if lint:
            say("ruff 发现了代码问题（见上面）。")
        if subprocess.call([*ruff, "format", "--check", "--quiet", "."], cwd=ROOT, env=venv_env()):
            lint = 1
            say("有文件的排版不合 ruff format 的要求：运行 .venv 里的 ruff format . 即可自动排好。")
    env = venv_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # reuse compiled (and assertion-rewritten) modules: ~4 s a worker
    pytest = [str(venv_python()), "-m", "pytest"]
    # the browser tests run alone and in one process: a latency figure means something only on a quiet machine
    alone = [*pytest, "-n", "0", "-m", "browser", *args]
    if browser:
        code = subprocess.call(alone, cwd=ROOT, env=env)
    else:
        chosen = ["-m", "not full and not browser"] if quick else ["-m", "not browser"]
        if quick:  # not even collected: importing Playwright costs each worker ~0.2 s
            chosen += ["--ignore", str(ROOT / "tests" / "browser")]
        code = subprocess.call([*pytest, *workers, *chosen, *args], cwd=ROOT, env=env)
        if not (quick or code):
            say("接着单独运行真实浏览器测试（tests/browser）…")
            where = [] if any(_is_path(a) for a in args) else ["tests/browser"]  # no need to collect everything again
            code = subprocess.call([*alone, *where], cwd=ROOT, env=env)
            code = 0 if code == 5 else code  # 5: a -k or path chose no browser test
    sys.exit(code or lint)


def _is_path(arg):
    """An existing file or folder named on the command line (not an option, not a project id like p01)."""
    project = len(arg) == 3 and arg[0] == "p" and arg[1:].isdigit()
    return not arg.startswith("-") and not project and os.path.exists(arg)


def cmd_grading(verb):
    def go(extra):
        ensure_env()
        # the child runs in the repository: a file named relative to where the teacher is must still be found
        extra = [os.path.abspath(e) if _is_path(e) else e for e in extra]
        in_venv("-m", "crmlib.grading.cli", verb, *extra)

    return go


def cmd_score(extra):
    ensure_env()
    if "--notebook" not in extra:
        if not extra:
            sys.exit("用法：python course.py score p01（给 my_work/p01 里的笔记本评分）")
        found = sorted((WORKSPACE / extra[0]).glob(f"{extra[0]}_*.ipynb"))
        found = [f for f in found if ".备份-" not in f.name]
        if not found:
            sys.exit(f"my_work/{extra[0]}/ 里没有笔记本。先运行 python course.py start。")
        extra = [extra[0], "--notebook", str(found[0])]
    in_venv("-m", "crmlib.grading.cli", "score", *extra)


def cmd_new(extra):
    ensure_env()
    in_venv(ROOT / "tools" / "scaffold.py", *extra)


CLOSURE = r"""
import re, sys
from importlib import metadata
from packaging.requirements import Requirement
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
todo = [Requirement(l.split("#")[0].strip()) for l in open(sys.argv[1], encoding="utf-8")
        if l.split("#")[0].strip()] + [Requirement("setuptools")]
seen, done = {}, set()
while todo:
    req = todo.pop()
    key = (norm(req.name), frozenset(req.extras))
    if key in done:
        continue
    done.add(key)
    try:
        dist = metadata.distribution(req.name)
    except metadata.PackageNotFoundError:
        continue
    seen[norm(req.name)] = f"{dist.metadata['Name']}=={dist.version}"
    for text in dist.requires or []:
        sub = Requirement(text)
        if sub.marker is None or "extra" not in str(sub.marker):
            todo.append(sub)
        elif any(sub.marker.evaluate({"extra": e}) for e in req.extras):
            todo.append(sub)
print("\n".join(sorted(seen.values(), key=str.lower)))
"""


def cmd_lock(extra):
    """Pin the whole dependency tree of requirements.txt as installed now (course.py and environment.yml use it)."""
    ensure_env()
    out = subprocess.run(
        [str(venv_python()), "-c", CLOSURE, str(ROOT / "requirements.txt")],
        capture_output=True,
        text=True,
        check=True,
        env=venv_env(),
        encoding="utf-8",
    ).stdout
    lines = [line for line in out.splitlines() if line and not line.lower().startswith(("crmlib", "pip=="))]
    (ROOT / "constraints.txt").write_text(
        "# Every package the course needs, pinned (python course.py lock writes this file).\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    say(f"constraints.txt：固定了 {len(lines)} 个软件包的版本。")


def cmd_release(extra):
    ensure_env()
    in_venv(ROOT / "tools" / "release.py", *extra)


def cmd_data(extra):
    ensure_env()
    in_venv("-m", "crmlib.generators", *extra)


def cmd_pack(extra):
    """The student pack for lab PCs (tools/pack.py); a --to folder is taken relative to where the teacher is."""
    ensure_env()
    extra = [os.path.abspath(e) if i and extra[i - 1] == "--to" else e for i, e in enumerate(extra)]
    in_venv(ROOT / "tools" / "pack.py", *extra)


def cmd_nbgrader(extra):
    ensure_env()
    in_venv("-m", "nbgrader", *extra)


def cmd_hub(extra):
    """The classroom server (tools/hub.py): runs with this Python, as root, without the lab-PC .venv."""
    after = lambda i: i and extra[i - 1] == "--passwords"  # noqa: E731 (a file about to be written, where the teacher is)
    extra = [os.path.abspath(e) if _is_path(e) or after(i) else e for i, e in enumerate(extra)]
    run([sys.executable, ROOT / "tools" / "hub.py", *extra])


def cmd_bench(extra):
    ensure_env()
    in_venv(ROOT / "benchmarks" / "run.py", *extra)


VERBS = {
    "start": cmd_start,
    "reset": cmd_reset,
    "score": cmd_score,
    "test": cmd_test,
    "release": cmd_release,
    "data": cmd_data,
    "grade": cmd_grading("grade"),
    "feedback": cmd_grading("feedback"),
    "roundtrip": cmd_grading("roundtrip"),
    "students": cmd_grading("students"),
    "collect": cmd_grading("collect"),
    "report": cmd_grading("report"),
    "new": cmd_new,
    "lock": cmd_lock,
    "grades": cmd_grading("grades"),
    "bench": cmd_bench,
    "pack": cmd_pack,
    "nbgrader": cmd_nbgrader,
    "hub": cmd_hub,
}


def main(argv):
    if not argv or argv[0] not in VERBS:
        print(__doc__)
        return 0 if not argv else 2
    VERBS[argv[0]](argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
