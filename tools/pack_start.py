"""学生包的启动程序（setup/start.py）：开始学习.bat 和 start.sh 找到 Python 后运行它。只用标准库。

``python course.py pack`` copies this file into the student pack as ``setup/start.py``. On the first run it
creates ``.venv`` next to the pack, installs the crmlib wheel and the pinned requirements (from the bundled
``setup/wheelhouse`` with ``--no-index`` when the pack has one, else from the package index pip is configured
for), makes JupyterLab Chinese with the same ``overrides.json`` as ``course.py start``, copies the notebooks
into ``my_work/`` once (never over a student's file) and opens JupyterLab there. Later runs skip the install
while nothing it depends on has changed.

Options: ``--prepare-only`` sets everything up and exits without starting JupyterLab (tests, or a teacher
preparing a lab PC); ``--no-browser`` starts JupyterLab without opening a browser.
"""

import hashlib
import os
import shutil
import struct
import subprocess
import sys
import venv
from pathlib import Path

PACK = Path(__file__).resolve().parent.parent  # the unpacked pack: setup/, notebooks/, datasets/, …
SETUP = PACK / "setup"
VENV = PACK / ".venv"
WORK = PACK / "my_work"
WINDOWS = os.name == "nt"
OLDEST = (3, 11, 5)  # numpy and pandas as pinned need Python 3.11 or newer, soupsieve 3.11.5 or newer
NOTE = (
    "这是你自己的作业文件夹：在这里做题、保存。老师的答案不在这里。\n"
    "再次双击“开始学习”不会覆盖你的作业；想重新开始某个项目，把它的笔记本改个名字再运行一次即可。\n"
)


def say(msg):
    """Print one Chinese line for the student."""
    print(f"[学生包] {msg}", flush=True)


def fail(msg):
    """Stop with a Chinese explanation (what happened, then what to do)."""
    print(f"[学生包] {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def check_python(version=None, pointer_bits=None, windows=WINDOWS):
    """The problem with this Python in Chinese, or None when it can run the course.

    >>> check_python((3, 10, 4), 64) is None
    False
    >>> check_python((3, 12, 1), 64) is None
    True
    >>> "64 位" in check_python((3, 12, 1), 32, windows=True)
    True
    """
    version = tuple(version or sys.version_info[:3])
    bits = pointer_bits or struct.calcsize("P") * 8
    if version < OLDEST:
        return (
            f"这台电脑上的 Python 是 {'.'.join(map(str, version))}，本课程需要 3.11.5 或更新的版本（推荐 3.12）。"
            "请从 python.org 安装 Python 3.12（Windows 选 64 位安装包，安装时勾选“Add python.exe to PATH”），再运行一次。"
        )
    if windows and bits != 64:
        return (
            "这台电脑上的 Python 是 32 位的，课程用到的软件包只有 64 位版本。"
            "请从 python.org 安装 64 位的 Python 3.12（Windows installer (64-bit)），再运行一次。"
        )
    return None


def venv_python(venv_dir=VENV):
    """The Python inside the pack's virtual environment."""
    return Path(venv_dir) / ("Scripts/python.exe" if WINDOWS else "bin/python")


def wheel_file(setup=SETUP):
    """The crmlib wheel in setup/ (exactly one)."""
    found = sorted(Path(setup).glob("crmlib-*.whl"))
    if len(found) != 1:
        fail("学生包不完整：setup/ 里应该有且只有一个 crmlib-…whl 文件。请向老师重新要一份学生包，完整解压后再运行。")
    return found[0]


def wanted_stamp(setup=SETUP, version=None):
    """Hash of everything that decides what is installed: pins, the crmlib wheel, the wheelhouse list, Python."""
    h = hashlib.sha256()
    for name in ("requirements.txt", "constraints.txt"):
        h.update((Path(setup) / name).read_bytes())
    h.update(wheel_file(setup).read_bytes())
    house = Path(setup) / "wheelhouse"
    if house.is_dir():
        h.update("\n".join(sorted(p.name for p in house.iterdir())).encode("utf-8"))
    h.update((version or sys.version).encode("utf-8"))
    return h.hexdigest()


def install_command(python, setup=SETUP):
    """The pip command that installs crmlib and the pinned requirements (offline when the wheelhouse is there).

    >>> cmd = install_command("py", Path("s"))
    >>> cmd[:4] == ["py", "-m", "pip", "install"] and "-c" in cmd and "--no-index" not in cmd
    True
    """
    setup = Path(setup)
    cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    house = setup / "wheelhouse"
    if house.is_dir():
        cmd += ["--no-index", "--find-links", str(house)]
    cmd += ["-r", str(setup / "requirements.txt"), "-c", str(setup / "constraints.txt")]
    found = sorted(setup.glob("crmlib-*.whl"))
    return cmd + [str(found[0]) if found else str(setup / "crmlib-*.whl")]


def install_advice(offline):
    """What to do when pip failed, in Chinese."""
    if offline:
        return (
            "安装没有完成（上面是 pip 的原始信息）。这份学生包带有离线软件包，常见原因是：这台电脑的 Python 版本"
            "或系统不在离线包支持的范围内（支持 Windows 64 位和 Linux x64 上的 Python 3.11～3.13），"
            "或者学生包没有完整解压。请换成支持的 Python 版本，或向老师要一份完整的学生包再试。"
        )
    return (
        "安装没有完成（上面是 pip 的原始信息）。这份学生包不带离线软件包，安装时要从网上下载。常见原因是：没有联网，"
        "或者网络太慢而超时。请联网后再运行一次；学校有内部软件源时，请老师按课程 README 的“分发给学生”一节"
        "设置 pip（pip.ini / pip.conf 里的 index-url，或环境变量 PIP_INDEX_URL），或者用带离线软件包的学生包。"
    )


def ensure_env(setup=SETUP, venv_dir=VENV):
    """Create the virtual environment and install everything, once; set the Chinese UI every time."""
    problem = check_python()
    if problem:
        fail(problem)
    py = venv_python(venv_dir)
    stamp_file = Path(venv_dir) / "crm-pack.stamp"
    stamp = wanted_stamp(setup)
    if not (stamp_file.exists() and stamp_file.read_text(encoding="utf-8") == stamp and py.exists()):
        if not py.exists():
            say("第一次使用：正在创建虚拟环境 .venv …")
            try:
                venv.EnvBuilder(with_pip=True).create(venv_dir)
            except Exception as exc:  # e.g. Debian/Ubuntu without python3-venv
                fail(
                    f"创建虚拟环境失败（{exc}）。在 Ubuntu/Debian 上请先安装 python3-venv（sudo apt install python3-venv）；"
                    "在 Windows 上请重新安装 python.org 的 Python，勾选 pip。"
                )
        offline = (Path(setup) / "wheelhouse").is_dir()
        where = "学生包自带的离线软件包" if offline else "网上的软件源（pip 的设置）"
        say(f"正在从{where}安装课程所需的软件包（只在第一次进行，约需几分钟）…")
        if subprocess.call(install_command(py, setup), env=child_env(venv_dir)):
            fail(install_advice(offline))
        stamp_file.write_text(stamp, encoding="utf-8")
        say("软件包已装好。")
    set_chinese_ui(setup, venv_dir)


def set_chinese_ui(setup=SETUP, venv_dir=VENV):
    """Copy setup/overrides.json (the same content course.py writes) into the environment: JupyterLab in zh_CN."""
    settings = Path(venv_dir) / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(setup) / "overrides.json", settings / "overrides.json")


def fill_workspace(workspace=WORK, released=PACK / "notebooks"):
    """Copy every notebook missing from the work folder; never overwrite one. Return the copies made."""
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
        (Path(workspace) / "说明.txt").write_text(NOTE, encoding="utf-8")
    return made


def child_env(venv_dir=VENV):
    """Environment for pip and JupyterLab: the venv first on PATH, UTF-8 I/O, Jupyter's files in the venv."""
    env = dict(os.environ)
    env["PATH"] = str(venv_python(venv_dir).parent) + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(venv_dir)
    env["PYTHONUTF8"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def main(argv):
    """Set up once, fill my_work/, then open JupyterLab (unless --prepare-only)."""
    known = {"--prepare-only", "--no-browser"}
    unknown = [a for a in argv if a not in known]
    if unknown:
        fail(
            f"不认识的选项：{' '.join(unknown)}。可用的选项：--prepare-only（只安装、不打开）、--no-browser（不自动打开浏览器）。"
        )
    ensure_env()
    made = fill_workspace()
    if made:
        say(f"已在 my_work/ 里为你准备了 {len(made)} 个笔记本（以后不会覆盖你的作业）。")
    if "--prepare-only" in argv:
        say("准备好了（--prepare-only：不打开 JupyterLab）。")
        return 0
    say("正在启动 JupyterLab（关闭本窗口或按 Ctrl+C 即可退出）…")
    extra = ["--no-browser"] if "--no-browser" in argv else []
    cmd = [str(venv_python()), "-m", "jupyter", "lab", "--ServerApp.root_dir=" + str(WORK), "index.ipynb", *extra]
    try:
        return subprocess.call(cmd, cwd=WORK, env=child_env())
    except KeyboardInterrupt:  # Ctrl+C stops JupyterLab: a normal way to finish, not an error
        say("JupyterLab 已关闭。你的作业都保存在 my_work/ 里。")
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
