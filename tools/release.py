#!/usr/bin/env python3
"""python course.py release — build what students get from the teacher's masters.

    notebooks/pNN/             student copies made by nbgrader's generate_assignment
                               (no outputs, solutions, hidden tests or answer_key.yaml)
    exercises/pNN_check.json   salted hashes of solutions/pNN/answer_key.yaml
    notebooks/index.ipynb      solutions/index.ipynb with the project list filled in

Options: ``--out DIR`` writes the notebooks elsewhere, ``--exercises-out DIR``
the check files, ``--source DIR`` reads other masters (tests use fixtures).
Question banks are read from $CRM_EXERCISES or exercises/.

The output is the same byte for byte on every run and every machine: nbgrader
runs on a scratch copy without a database, its checksums depend only on the
cells, every notebook is re-serialised the same way (sorted keys, LF, UTF-8,
cell ids derived from position when missing) and the check salts are fixed per
project. So a test can release into a temp dir and compare with notebooks/.
"""
import argparse
import json
import logging
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crmlib.questions import build_check, dump_check, exercises_dir, load_bank, read_key  # noqa: E402

PROJECTS = {
    "p01": "认识客户关系管理工作",
    "p02": "开发潜在的客户",
    "p03": "客户信息管理",
    "p04": "客户沟通与服务",
    "p05": "正确处理客户投诉",
    "p06": "客户满意度与忠诚度管理",
    "p07": "大客户管理",
    "p08": "E时代的网络客户服务",
    "p09": "客户服务代表正确处理工作压力",
}
MARKER = "<!-- 项目列表 -->"
PROJECT_DIR = re.compile(r"p\d\d")


def say(msg):
    print(f"[release] {msg}", flush=True)


def find_projects(source):
    """Project directories of `source` (pNN with at least one notebook), sorted."""
    return sorted(p.name for p in Path(source).iterdir()
                  if p.is_dir() and PROJECT_DIR.fullmatch(p.name) and any(p.glob("*.ipynb")))


# ---------------------------------------------------------------- nbgrader

def nbgrader_config(stage):
    """The course's nbgrader_config.py, pointed at a scratch course directory without a database."""
    from traitlets.config.loader import PyFileConfigLoader
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    cfg.CourseDirectory.root = str(stage)
    cfg.CourseDirectory.db_url = "sqlite:///" + (Path(stage) / "unused.db").as_posix()
    cfg.GenerateAssignment.no_database = True
    cfg.SaveCells.enabled = False
    return cfg


def generate(source, projects, stage):
    """Run generate_assignment for `projects` in `stage`; return the release directory."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    cfg = nbgrader_config(stage)
    src_name = cfg.CourseDirectory.source_directory
    logging.getLogger("traitlets").setLevel(logging.WARNING)
    for project in projects:
        shutil.copytree(Path(source) / project, Path(stage) / src_name / project)
        coursedir = CourseDirectory(config=cfg)
        coursedir.assignment_id = project
        app = GenerateAssignment(coursedir=coursedir, config=cfg)
        app.force = True
        try:
            app.start()
        except Exception as exc:
            raise SystemExit(f"生成 {project} 的学生版失败：{exc}") from None
    return Path(stage) / cfg.CourseDirectory.release_directory


# ---------------------------------------------------------------- determinism

def canonical_notebook(nb, prefix):
    """Re-serialise a notebook the same way every time (ids from position when missing).

    Sources are stored as lists of lines, as nbformat writes them.

    >>> nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
    ...       "cells": [{"cell_type": "markdown", "metadata": {}, "source": "甲\\n乙"}]}
    >>> cell = json.loads(canonical_notebook(nb, "x"))["cells"][0]
    >>> cell["id"], cell["source"]
    ('x-000', ['甲\\n', '乙'])
    """
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
        for i, cell in enumerate(nb["cells"]):
            cell.setdefault("id", f"{prefix}-{i:03d}")
    for cell in nb["cells"]:
        if isinstance(cell["source"], str):
            cell["source"] = cell["source"].splitlines(keepends=True)
        cell.get("metadata", {}).pop("execution", None)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_text(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def copy_release(generated, out):
    """Copy one generated project into `out`, notebooks in canonical form."""
    if out.exists():
        shutil.rmtree(out)
    for path in sorted(generated.rglob("*")):
        target = out / path.relative_to(generated)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            write_text(target, canonical_notebook(nb, path.stem))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def remove_stale(out, projects):
    """Delete released project directories whose master is gone."""
    for path in sorted(Path(out).glob("p*")):
        if path.is_dir() and PROJECT_DIR.fullmatch(path.name) and path.name not in projects:
            say(f"删除已没有母版的 {path}")
            shutil.rmtree(path)


# ---------------------------------------------------------------- checks

def write_checks(source, exercises_out):
    """exercises_out/pNN_check.json for every solutions/pNN/answer_key.yaml (notebook or not)."""
    written = []
    for key_path in sorted(Path(source).glob("p*/answer_key.yaml")):
        project = key_path.parent.name
        bank = load_bank(project)
        check = build_check(bank, read_key(key_path, bank))
        path = Path(exercises_out) / f"{project}_check.json"
        write_text(path, dump_check(check))
        written.append(path)
    return written


# ---------------------------------------------------------------- index

def project_list(links):
    """Markdown list of the nine projects; `links` maps project -> relative notebook path.

    >>> print(project_list({"p01": "p01/p01_crm_work.ipynb"}).splitlines()[1])
    2. 学习项目2 开发潜在的客户（即将推出）
    """
    lines = []
    for i, (project, title) in enumerate(PROJECTS.items(), 1):
        name = f"学习项目{i} {title}"
        lines.append(f"{i}. [{name}]({links[project]})" if project in links else f"{i}. {name}（即将推出）")
    return "\n".join(lines)


def released_links(out):
    """project -> 'pNN/<first notebook>.ipynb' for every released project."""
    links = {}
    for project in PROJECTS:
        found = sorted((Path(out) / project).glob("*.ipynb"))
        if found:
            links[project] = f"{project}/{found[0].name}"
    return links


def build_index(master, out):
    """Write out/index.ipynb: the master with MARKER replaced by the project list."""
    nb = json.loads(Path(master).read_text(encoding="utf-8"))
    listing = project_list(released_links(out))
    hits = 0
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if MARKER in src:
            cell["source"] = src.replace(MARKER, listing)
            hits += 1
    if hits != 1:
        raise SystemExit(f"{master} 里应该恰好有一处 {MARKER}（项目列表的位置），现在有 {hits} 处。")
    write_text(Path(out) / "index.ipynb", canonical_notebook(nb, "index"))


# ---------------------------------------------------------------- main

def release(source, out, exercises_out):
    """Build every student file; return the list of projects released."""
    projects = find_projects(source)
    with tempfile.TemporaryDirectory(prefix="crm-release-") as stage:
        generated = generate(source, projects, stage)
        for project in projects:
            copy_release(generated / project, Path(out) / project)
            say(f"{project}：学生版已写入 {Path(out) / project}")
    remove_stale(out, projects)
    for path in write_checks(source, exercises_out):
        say(f"对答案文件已写入 {path}")
    build_index(Path(source) / "index.ipynb", out)
    say(f"课程首页已写入 {Path(out) / 'index.ipynb'}")
    return projects


def main(argv=None):
    parser = argparse.ArgumentParser(description="从 solutions/ 生成学生版笔记本、对答案文件和课程首页。")
    parser.add_argument("--source", default=ROOT / "solutions", type=Path, help="母版目录（默认 solutions/）")
    parser.add_argument("--out", default=ROOT / "notebooks", type=Path, help="学生版目录（默认 notebooks/）")
    parser.add_argument("--exercises-out", default=None, type=Path, help="对答案文件目录（默认同题库目录）")
    args = parser.parse_args(argv)
    release(args.source.resolve(), args.out.resolve(), (args.exercises_out or exercises_dir()).resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
