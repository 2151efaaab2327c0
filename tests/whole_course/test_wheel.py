"""crmlib works from a normal (non-editable) install: banks and data travel as package resources."""

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from support import ROOT

pytestmark = pytest.mark.full


def _source_copy(dest):
    """What a wheel is built from, copied: setuptools writes build/ and *.egg-info into the tree it builds."""
    import shutil

    dest.mkdir(parents=True)
    keep = ["pyproject.toml", "README.md", "LICENSE", "crmlib", "datasets", "exercises"]
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in keep:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=junk)
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def test_wheel_installs_outside_the_repository(tmp_path):
    wheels = tmp_path / "wheels"
    source = _source_copy(tmp_path / "src")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(wheels.glob("crmlib-*.whl"))
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    own = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    course_site = sysconfig.get_paths()["purelib"]  # pandas & co. from the course environment, after our own
    (Path(own) / "course_env.pth").write_text(course_site + "\n", encoding="utf-8")
    with zipfile.ZipFile(wheel) as zf:  # a wheel is installed by unpacking it into site-packages
        zf.extractall(own)
    probe = (
        "import sys, crmlib, crmlib.questions.practice as p\n"
        "from pathlib import Path\n"
        "assert 'site-packages' in crmlib.__file__, crmlib.__file__\n"
        "df = crmlib.load_dataset('p01_kpi')\n"
        "from crmlib.course.paths import resource_dir\n"
        "assert '_resources' in str(resource_dir('datasets')) and (resource_dir('datasets') / 'p01_kpi.csv').exists()\n"
        "box, static = p.build_quiz('p01')\n"
        "assert '练习题' in static and len(df) > 100\n"
        "assert crmlib.check_answer('p01-01', '错')[0] is True\n"
        "print('ok', len(df))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CRM_DATASETS", "CRM_EXERCISES")}
    ran = subprocess.run(
        [str(py), "-I", "-c", probe], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300
    )
    assert ran.returncode == 0 and ran.stdout.startswith("ok"), ran.stdout + ran.stderr[-3000:]
