#!/usr/bin/env python3
"""python course.py pack [--offline] [--to 目录] — the student pack a teacher copies to lab PCs or a shared drive.

One zip, ``客户关系管理-学生包-<版本>[-离线版].zip``, with a single top folder ``crm-student-pack/``:

    开始学习.bat, start.sh     find Python 3.11+ and run setup/start.py (Windows / macOS and Linux)
    使用说明.txt               what to do, in Chinese
    notebooks/                 the student notebooks as released (never solutions/)
    datasets/, exercises/      the data (open them in Excel) and the practice banks (no answers, salted hashes)
    setup/start.py             creates .venv, installs, sets the Chinese UI, fills my_work/, opens JupyterLab
    setup/overrides.json       the JupyterLab settings course.py writes (zh_CN, no news pop-up)
    setup/requirements.txt, setup/constraints.txt, setup/crmlib-<版本>-py3-none-any.whl
    setup/wheelhouse/          with --offline only: wheels for Windows x64 and Linux x64 on Python 3.11-3.13

The crmlib wheel is built from a temporary copy of the files it needs, so nothing is written into the
repository. Nothing from solutions/ or any teacher folder goes in: `forbidden` names what may never be in
a pack and the tests check every member against it.
"""

import argparse
import functools
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = "crm-student-pack"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # every member gets the same date: the same tree gives the same zip
WHEEL_SOURCES = ["pyproject.toml", "README.md", "LICENSE", "crmlib", "datasets", "exercises"]
# The Pythons the wheelhouse is for: the pins allow 3.11 and newer (numpy 2.4 and pandas 3.1 need 3.11, as does
# pyproject.toml); 3.13 is the newest the course is offered for, so a wheelhouse stays within one pack's size.
PYTHONS = ("3.11", "3.12", "3.13")
LATEST_MICRO = 99  # the wheelhouse is for the newest bug-fix release of each Python (start.py checks the oldest)
PLATFORMS = {
    "windows-x64": ["win_amd64"],
    "linux-x64": [f"manylinux_2_{n}_x86_64" for n in range(28, 16, -1)]
    + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"],
}
PLATFORM_NAMES = {"windows-x64": "Windows 64 位", "linux-x64": "Linux x64"}
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints", "*.db", "saved")
DENIED_PARTS = {"solutions", "teacher", ".git"}
LOCAL_PARTS = {"grading", "my_work", ".venv", "dist"}  # the teacher's own folders (crmlib/grading in the wheel is code)
# *_key* files are answer keys (practice_key.yaml, answer_key.yaml, p01_key.json), but p07_key_accounts.ipynb is
# the 大客户 (key accounts) notebook: a key file is named *_key or *_keys before its extension.
KEY_FILE = re.compile(r"_keys?(\.|$)|(answer|practice)_key", re.IGNORECASE)
DENIED_NAMES = {"graded.yaml", "tasks.py", "facts.py", "aid.md", "nbgrader_config.py", "gradebook.db"}
# crmlib's own module crmlib/course/facts.py is the @fact decorator (no facts, no answers): allowed in the wheel only.
WHEEL_ALLOWED = {"crmlib/course/facts.py"}
NETWORK_ERRORS = ("NewConnectionError", "Failed to establish", "Max retries", "ConnectionError", "ReadTimeout")
MAX_MISSING = 15  # more wheels missing than this for one target: the index does not serve that platform at all


def say(msg):
    print(f"[pack] {msg}", flush=True)


def forbidden(member, in_wheel=False):
    """Why `member` (a path inside the pack or the wheel) must not be handed to students, or None.

    >>> forbidden("crm-student-pack/notebooks/p01/p01_crm_work.ipynb") is None
    True
    >>> forbidden("crm-student-pack/solutions/p01/teacher/graded.yaml")
    '教师文件夹 solutions'
    >>> forbidden("x/exercises/p01_key.yaml")
    '答案文件 p01_key.yaml'
    >>> forbidden("crmlib/course/facts.py", in_wheel=True) is None
    True
    >>> forbidden("crm-student-pack/notebooks/p07/p07_key_accounts.ipynb") is None
    True
    """
    parts = member.replace("\\", "/").strip("/").split("/")
    denied = DENIED_PARTS if in_wheel else DENIED_PARTS | LOCAL_PARTS
    for part in parts:
        if part in denied:
            return f"教师文件夹 {part}"
    name = parts[-1]
    if in_wheel and "/".join(parts) in WHEEL_ALLOWED:
        return None
    if name in DENIED_NAMES:
        return f"教师文件 {name}"
    if KEY_FILE.search(name):
        return f"答案文件 {name}"
    return None


def course_module(root=ROOT):
    """course.py as a module (standard library only): the JupyterLab settings come from there."""
    spec = importlib.util.spec_from_file_location("course_for_pack", Path(root) / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def overrides_text(root=ROOT):
    """The overrides.json that `course.py start` writes (same content, same layout)."""
    return json.dumps(course_module(root).LOCALE_OVERRIDES, indent=2, ensure_ascii=False)


def source_copy(dest, root=ROOT):
    """Copy what the crmlib wheel is built from into `dest` (setuptools writes build/ and *.egg-info there)."""
    dest = Path(dest)
    dest.mkdir(parents=True)
    for name in WHEEL_SOURCES:
        src = Path(root) / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=JUNK)
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def build_wheel(out_dir, root=ROOT, scratch=None):
    """Build crmlib's wheel from a copy of the repository's files into `out_dir`; return its path."""
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        source = source_copy(Path(tmp) / "src", root)
        cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out_dir)]
        built = subprocess.run([*cmd, str(source)], capture_output=True, text=True, encoding="utf-8")
        if built.returncode:
            sys.exit(f"crmlib 的安装包（wheel）没有打成：\n{built.stderr[-3000:]}")
    found = sorted(Path(out_dir).glob("crmlib-*.whl"))
    if len(found) != 1:
        sys.exit(f"打包后应有一个 crmlib 的 wheel，实际是 {len(found)} 个。")
    return found[0]


def target_environment(platform, python):
    """PEP 508 marker values of a target (pip download evaluates markers for the running Python, not the target).

    >>> target_environment("windows-x64", "3.12")["sys_platform"]
    'win32'
    """
    win = platform == "windows-x64"
    return {
        "sys_platform": "win32" if win else "linux",
        "os_name": "nt" if win else "posix",
        "platform_system": "Windows" if win else "Linux",
        "platform_machine": "AMD64" if win else "x86_64",
        "python_version": python,
        "python_full_version": f"{python}.{LATEST_MICRO}",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


def installed(name):
    """(version, requirement strings) of an installed distribution, or None.

    >>> installed("packaging")[0] == __import__("packaging").__version__, installed("no-such-package")
    (True, None)
    """
    return _installed_index().get(re.sub(r"[-_.]+", "-", name).lower())


@functools.lru_cache(maxsize=1)
def _installed_index():
    """Normalised name -> (version, requirements), from one scan of the environment and one read of each
    distribution's metadata (a lookup by name scans sys.path, and each attribute re-parses the file)."""
    from importlib import metadata

    index = {}
    for dist in metadata.distributions():  # first on sys.path wins, as with metadata.distribution(name)
        name = re.sub(r"[-_.]+", "-", dist.metadata["Name"] or "").lower()
        if name not in index:
            index[name] = (dist.version, list(dist.requires or []))
    return index


def closure(requirements, environment, lookup=installed):
    """Every package a target needs: {normalised name: "Name==版本" (installed, so pinned) or the requirement}.

    Follows the installed packages' dependencies with the target's markers, so a Windows target also gets
    colorama, pywin32 and pywinpty, which the Linux lock never saw (those are taken unpinned, without their
    own dependencies).

    >>> meta = {"a": ("1.0", ["b>=2", "c; sys_platform == 'win32'"]), "b": ("2.1", [])}
    >>> sorted(closure(["a"], target_environment("linux-x64", "3.11"), meta.get).values())
    ['a==1.0', 'b==2.1']
    >>> sorted(closure(["a"], target_environment("windows-x64", "3.11"), meta.get).values())
    ['a==1.0', 'b==2.1', 'c']
    >>> closure(["c>=1", "c!=2"], {}, meta.get)["c"]
    'c!=2,>=1'
    """
    from packaging.requirements import Requirement

    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
    todo = [Requirement(r) for r in requirements]
    found, done, wanted = {}, set(), {}
    while todo:
        req = todo.pop()
        key = (norm(req.name), frozenset(req.extras))
        meta = lookup(req.name)
        if meta is None:  # not installed here: every specifier asked for, together
            name = norm(req.name)
            wanted[name] = wanted.get(name, req.specifier) & req.specifier
            found[name] = f"{req.name}{wanted[name]}"
            continue
        if key in done:
            continue
        done.add(key)
        version, requires = meta
        found[norm(req.name)] = f"{req.name}=={version}"
        for text in requires:
            sub = Requirement(text)
            if sub.marker is None:
                todo.append(sub)
                continue
            extras = list(req.extras) or [""]
            if any(sub.marker.evaluate({**environment, "extra": e}) for e in extras):
                todo.append(sub)
    return found


def requirement_lines(source):
    """The requirements in a requirements.txt (a path, or its text), comments and blank lines dropped.

    >>> requirement_lines("# pins\\npandas==3.1.1  # data\\n\\nnumpy==2.4.6\\n")
    ['pandas==3.1.1', 'numpy==2.4.6']
    """
    text = source if isinstance(source, str) else Path(source).read_text(encoding="utf-8")
    lines = text.splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def download_command(specs, platform, python, dest):
    """The pip download command for one target (binary wheels only, no dependency resolution)."""
    cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps", "-d", str(dest)]
    for tag in PLATFORMS[platform]:
        cmd += ["--platform", tag]
    abi = "cp" + python.replace(".", "")
    # pip takes "3.11" as 3.11.0, and soupsieve as pinned needs 3.11.5: ask for the newest bug-fix release
    cmd += [
        "--python-version",
        f"{python}.{LATEST_MICRO}",
        "--implementation",
        "cp",
        "--abi",
        abi,
        "--abi",
        "abi3",
        "--abi",
        "none",
    ]
    return cmd + ["--only-binary=:all:", *specs]


def missing_from(stderr):
    """The requirement pip could not find a wheel for, from its error output, or None.

    >>> missing_from("ERROR: No matching distribution found for pywinpty==2.0.15")
    'pywinpty==2.0.15'
    """
    m = re.search(r"No matching distribution found for (\S+)", stderr)
    return m.group(1) if m else None


def download_target(specs, platform, python, dest, run=subprocess.run):
    """Download one target's wheels into `dest`, leaving out the ones without a wheel; return the list left out."""
    specs, missing = list(specs), []
    while specs:
        done = run(download_command(specs, platform, python, dest), capture_output=True, text=True, encoding="utf-8")
        if done.returncode == 0:
            return missing
        gone = missing_from(done.stderr)
        if any(e in done.stderr for e in NETWORK_ERRORS) or gone is None:
            tail = done.stderr.strip().splitlines()[-1:] or ["（没有错误信息）"]
            say(f"  下载中断（连不上软件源或 pip 出错：{tail[0]}），跳过这个目标。")
            return missing + ["（全部，下载中断）"]
        say(f"  {gone} 没有适用的 wheel 文件，跳过它，继续下载其余的。")
        missing.append(gone)
        specs = [s for s in specs if s.lower() != gone.lower()]
        if len(missing) > MAX_MISSING:
            say(f"  缺的已超过 {MAX_MISSING} 个（软件源里大概没有这个平台的文件），跳过这个目标。")
            return missing + ["（其余未下载）"]
    return missing


def build_wheelhouse(dest, targets, reqs, run=subprocess.run):
    """Wheels for every (platform, python) target of requirements `reqs` into `dest`; {target: [left-out packages]}."""
    report = {}
    for platform, python in targets:
        name = f"{PLATFORM_NAMES[platform]} · Python {python}"
        say(f"正在下载离线软件包：{name} …")
        specs = sorted(closure(reqs, target_environment(platform, python)).values(), key=str.lower)
        report[name] = download_target(specs, platform, python, dest, run)
    return report


def guide_text(version, wheelhouse_report=None):
    """使用说明.txt for the pack, in Chinese."""
    offline = wheelhouse_report is not None
    lines = [
        f"客户关系管理课程 · 学生包（crmlib {version}{'，离线版' if offline else ''}）",
        "",
        "一、需要什么",
        "  Windows 10 / 11（64 位）、macOS 或 Linux，装好 Python 3.11（3.11.5 或更新）、3.12 或 3.13（64 位，python.org 下载）。",
        "  Windows 7 装不了 Python 3.9 以后的版本，不能运行本课程。",
        "  Windows 安装 Python 时勾选“Add python.exe to PATH”。",
        "",
        "二、怎样开始",
        "  1. 把整个压缩包解压到一个你有写权限的文件夹（例如 D:\\客户关系管理），不要在压缩包里直接运行。",
        "  2. Windows：双击“开始学习.bat”。macOS / Linux：在终端里进入这个文件夹，运行 bash start.sh。",
        "  3. 第一次运行会建立虚拟环境 .venv 并安装软件包（几分钟），然后在浏览器里打开中文界面的 JupyterLab。",
        "     以后再运行几秒内就能打开。",
        "",
        "三、你的作业在哪里",
        "  my_work/ 是你自己的作业文件夹：第一次运行时把每个笔记本复制一份进去，以后再也不会覆盖。",
        "  交作业时交 my_work/pNN/ 里的笔记本（按老师的要求命名，例如 学号_姓名.zip）。",
        '  datasets/ 里是课程数据（Excel 可以直接打开），exercises/ 里是练习题库（笔记本里用 crm.quiz("p01") 练习）。',
        "",
        "四、遇到问题",
        "  先看窗口里的中文提示，按提示做；仍不行就把窗口拍照发给老师。",
    ]
    if offline:
        lines += ["", "五、离线软件包", "  本包带有离线软件包（setup/wheelhouse/），安装时不需要联网。"]
        for target, missing in wheelhouse_report.items():
            state = "齐全" if not missing else "缺少 " + "、".join(missing) + "（这种电脑上安装时需要联网）"
            lines.append(f"  {target}：{state}")
    else:
        lines += ["", "五、安装需要联网", "  本包不带离线软件包：第一次运行时要从网上（或学校的软件源）下载软件包。"]
    return "\r\n".join(lines) + "\r\n"  # CRLF: Notepad on old Windows shows LF-only files as one line


BAT = r"""@echo off
chcp 65001 >nul
setlocal
rem pushd, not cd /d: it also works when the pack sits on a shared drive (\\server\share\...)
pushd "%~dp0"
rem Student pack of the CRM course: find Python 3.11+ (64-bit), then setup\start.py does the rest.
set "PY="
if defined CRM_PYTHON set "PY=%CRM_PYTHON%"
for %%V in (3.12 3.13 3.11) do (
    if not defined PY (
        py -%%V -c "import sys" >nul 2>&1 && set "PY=py -%%V"
    )
)
if not defined PY (
    python -c "import sys; sys.exit(sys.version_info < (3, 11))" >nul 2>&1 && set "PY=python"
)
if not defined PY goto nopython
%PY% setup\start.py %*
if errorlevel 1 goto failed
goto done

:nopython
echo 没有找到 Python 3.11 或更新的版本。
echo 请从 python.org 下载 Windows installer 64-bit 的 Python 3.12，安装时勾选 Add python.exe to PATH，装好后再双击本文件。
echo Windows 7 装不了这些版本的 Python，请换用 Windows 10 或 11 的电脑。
pause
popd
exit /b 1

:failed
echo.
echo 没有成功启动：请先看上面的中文提示；仍不行就把这个窗口拍照发给老师。
pause
popd
exit /b 1

:done
popd
endlocal
"""

SH = """#!/bin/sh
# 客户关系管理课程 学生包（macOS / Linux）：找到 Python 3.11 或更新的版本，由 setup/start.py 完成其余的事。
# 用法：bash start.sh [--no-browser] [--prepare-only]
cd "$(dirname "$0")" || exit 1
if [ -n "$CRM_PYTHON" ]; then
    exec "$CRM_PYTHON" setup/start.py "$@"
fi
for candidate in python3.12 python3.13 python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
        exec "$candidate" setup/start.py "$@"
    fi
done
echo "没有找到 Python 3.11 或更新的版本。请先安装 Python 3.12（macOS：python.org 的安装包；Linux：系统的软件包，例如 sudo apt install python3 python3-venv），再运行 bash start.sh。" >&2
exit 1
"""


def bat_text():
    """开始学习.bat: UTF-8 without BOM, CRLF line ends, ASCII until `chcp 65001` switches cmd.exe to UTF-8."""
    return BAT.replace("\n", "\r\n")


def sh_text():
    """start.sh (LF line ends)."""
    return SH


def released_files(root=ROOT):
    """(path in the pack, file) for the notebooks as released, the data and the practice banks."""
    root = Path(root)
    out = []
    for src in sorted((root / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in src.parts:
            out.append((f"notebooks/{src.relative_to(root / 'notebooks').as_posix()}", src))
    for src in sorted((root / "datasets").iterdir()):
        if src.suffix in (".csv", ".md"):
            out.append((f"datasets/{src.name}", src))
    for src in sorted((root / "exercises").iterdir()):
        if src.suffix in (".yaml", ".json"):
            out.append((f"exercises/{src.name}", src))
    return out


def _add(zf, name, data, executable=False):
    info = zipfile.ZipInfo(f"{TOP}/{name}", date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    zf.writestr(info, data)


def pack_name(version, offline):
    """The zip's file name.

    >>> pack_name("0.2.0", True)
    '客户关系管理-学生包-0.2.0-离线版.zip'
    """
    return f"客户关系管理-学生包-{version}{'-离线版' if offline else ''}.zip"


def build_pack(out_dir, root=ROOT, offline=False, targets=None, run=subprocess.run):
    """Write the student pack into `out_dir`; return (zip path, wheelhouse report or None)."""
    root, out_dir = Path(root), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # read once: the wheelhouse and the pack's copies are of the same pins even if the files change meanwhile
    pins = {name: (root / name).read_bytes() for name in ("requirements.txt", "constraints.txt")}
    with tempfile.TemporaryDirectory() as tmp:
        say("正在打 crmlib 的安装包（wheel）…")
        wheel = build_wheel(Path(tmp) / "wheel", root, scratch=tmp)
        version = wheel.name.split("-")[1]
        report, house = None, Path(tmp) / "wheelhouse"
        if offline:
            house.mkdir()
            wanted = targets or [(p, v) for p in PLATFORMS for v in PYTHONS]
            reqs = requirement_lines(pins["requirements.txt"].decode("utf-8"))
            report = build_wheelhouse(house, wanted, reqs, run)
        target = out_dir / pack_name(version, offline)
        partial = target.with_name(target.name + ".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            _add(zf, "开始学习.bat", bat_text().encode("utf-8"))
            _add(zf, "start.sh", sh_text().encode("utf-8"), executable=True)
            _add(zf, "使用说明.txt", guide_text(version, report).encode("utf-8"))
            for name, src in released_files(root):
                _add(zf, name, src.read_bytes())
            _add(zf, "setup/start.py", (root / "tools" / "pack_start.py").read_bytes())
            _add(zf, "setup/overrides.json", overrides_text(root).encode("utf-8"))
            for name, data in pins.items():
                _add(zf, f"setup/{name}", data)
            _add(zf, f"setup/{wheel.name}", wheel.read_bytes())
            for whl in sorted(house.glob("*.whl")) if offline else []:
                info = zipfile.ZipInfo(f"{TOP}/setup/wheelhouse/{whl.name}", date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_STORED  # wheels are zips already
                info.external_attr = 0o100644 << 16
                with zf.open(info, "w") as dst, open(whl, "rb") as src:
                    shutil.copyfileobj(src, dst, 1 << 20)
        partial.replace(target)
    return target, report


def audit(pack):
    """Every member of the pack (and of the crmlib wheel inside it) that must not reach students: [(member, why)]."""
    bad = []
    with zipfile.ZipFile(pack) as zf:
        for name in zf.namelist():
            why = forbidden(name)
            if why:
                bad.append((name, why))
            if name.endswith(".whl") and "/setup/crmlib-" in name:
                with tempfile.TemporaryDirectory() as tmp:
                    inner = Path(tmp) / "crmlib.whl"
                    inner.write_bytes(zf.read(name))
                    with zipfile.ZipFile(inner) as wf:
                        bad += [(f"{name}!{n}", w) for n in wf.namelist() if (w := forbidden(n, in_wheel=True))]
    return bad


class ChineseParser(argparse.ArgumentParser):
    """argparse with its complaints in Chinese, each followed by the usage line."""

    WORDS = {"unrecognized arguments": "认不出这些内容", "expected one argument": "后面要跟一个文件夹"}

    def error(self, message):
        for en, zh in self.WORDS.items():
            message = message.replace(en, zh)
        self.print_usage(sys.stderr)
        self.exit(
            2,
            f"命令没有写对：{message}。例如 python course.py pack，或 python course.py pack --offline --to D:\\学生包\n",
        )


def main(argv=None):
    parser = ChineseParser(
        prog="python course.py pack", description="打一个学生包（zip），老师拷到机房电脑或共享盘上发给学生。"
    )
    parser.add_argument(
        "--offline", action="store_true", help="带上离线软件包（Windows x64 和 Linux x64，需联网下载，较慢）"
    )
    parser.add_argument("--to", default=str(ROOT / "dist"), metavar="目录", help="学生包放到哪个文件夹（默认 dist/）")
    args = parser.parse_args(argv)
    started = time.monotonic()
    pack, report = build_pack(Path(args.to), offline=args.offline)
    bad = audit(pack)
    if bad:
        pack.unlink()
        sys.exit("学生包里混进了不该发给学生的文件，已删除这个包：\n" + "\n".join(f"  {m}（{w}）" for m, w in bad))
    size = pack.stat().st_size / 1e6
    say(f"学生包已生成：{pack}（{size:.1f} MB，用时 {time.monotonic() - started:.0f} 秒）。")
    for target, missing in (report or {}).items():
        say(
            f"  {target}：{'离线软件包齐全' if not missing else '缺少 ' + '、'.join(missing) + '（这种电脑上安装时需要联网）'}"
        )
    say("把这个 zip 拷到机房电脑或共享盘；学生解压后双击“开始学习.bat”（macOS/Linux 运行 bash start.sh）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
