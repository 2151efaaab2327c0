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
import contextlib
import json
import logging
import re
import shutil
import sys
import tempfile
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crmlib.course.manifest import STATUS_TEXT, projects as manifest_projects  # noqa: E402
from crmlib.questions.bank import exercises_dir, load_bank  # noqa: E402
from crmlib.questions.graded import is_quiz_cell, load_graded, student_stub, sync_cells  # noqa: E402
from crmlib.questions.keys import build_check, dump_check, read_key  # noqa: E402

TEACHER = "teacher"  # solutions/pNN/teacher/: graded pool, hidden tasks, facts, teacher aid (never released)
MARKER = "<!-- 项目列表 -->"
PROJECT_DIR = re.compile(r"p\d\d")


def say(msg):
    print(f"[release] {msg}", flush=True)


def graded_pool(project_dir):
    """The project's graded pool (solutions/pNN/teacher/graded.yaml), or None if it has none."""
    path = Path(project_dir) / TEACHER / "graded.yaml"
    return load_graded(path, Path(project_dir).name) if path.exists() else None


def lock_instructions(cells):
    """Give every markdown cell without nbgrader metadata a locked, ungraded one (id from its text)."""
    import hashlib

    used = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells}
    for cell in cells:
        if cell["cell_type"] != "markdown" or "nbgrader" in cell.get("metadata", {}):
            continue
        base = "md_" + hashlib.sha1("".join(cell["source"]).encode("utf-8")).hexdigest()[:8]
        gid, k = base, 1
        while gid in used:
            gid, k = f"{base}_{k}", k + 1
        used.add(gid)
        cell.setdefault("metadata", {})["nbgrader"] = {
            "grade": False,
            "grade_id": gid,
            "locked": True,
            "schema_version": 3,
            "solution": False,
            "task": False,
        }
    return cells


def sync_master(path):
    """Regenerate a master's 课后习题 cells from its graded pool and lock its instruction cells; True if changed."""
    pool = graded_pool(Path(path).parent)
    old = Path(path).read_text(encoding="utf-8")
    nb = json.loads(old)
    if pool is not None:
        nb["cells"] = sync_cells(nb["cells"], pool)
    nb["cells"] = lock_instructions(nb["cells"])
    new = canonical_notebook(nb, Path(path).stem, keep_outputs=True)
    if new != old:
        write_text(Path(path), new)
        return True
    return False


def student_stubs(nb, pool):
    """Give each quiz answer cell of a student copy its blank answer line (no key, no example letter)."""
    questions = list(pool)
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if is_quiz_cell(cell) and re.fullmatch(r"q\d\d", gid):
            n = int(gid[1:])
            cell["source"] = student_stub(questions[n - 1], n)
    return nb


def find_projects(source):
    """Project directories of `source` (pNN with at least one notebook), sorted."""
    return sorted(
        p.name
        for p in Path(source).iterdir()
        if p.is_dir() and PROJECT_DIR.fullmatch(p.name) and any(p.glob("*.ipynb"))
    )


# ---------------------------------------------------------------- nbgrader


def nbgrader_config(stage):
    """The course's nbgrader_config.py, pointed at a scratch course directory without a database."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    cfg.CourseDirectory.root = str(stage)
    cfg.CourseDirectory.db_url = "sqlite:///" + (Path(stage) / "unused.db").as_posix()
    cfg.GenerateAssignment.no_database = True
    cfg.SaveCells.enabled = False
    cfg.Exporter.optimistic_validation = True  # validate the notebook once after all preprocessors, not after each
    return cfg


@contextlib.contextmanager
def schema_checked_once():
    """nbgrader checks each cell's metadata with ``jsonschema.validate``, which first validates the *schema*
    against JSON Schema's meta-schema, on every call: over half of a release's time. Inside this block the
    schema is checked once and its validator reused; each cell is validated exactly as before.

    >>> from nbgrader.nbgraderformat import common
    >>> schema = {"type": "object", "properties": {"grade": {"type": "boolean"}}}
    >>> with schema_checked_once():
    ...     common.jsonschema.validate({"grade": True}, schema)
    ...     common.jsonschema.validate({"grade": 1}, schema)
    Traceback (most recent call last):
    ...
    jsonschema.exceptions.ValidationError: 1 is not of type 'boolean'
    ...
    >>> common.jsonschema.validate is jsonschema.validate
    True
    """
    validators = {}

    def validate(instance, schema, cls=None, *args, **kwargs):
        key = (id(schema), cls)
        if key not in validators:
            kind = cls or jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            validators[key] = (schema, kind(schema, *args, **kwargs))  # keep schema alive: its id stays unique
        error = jsonschema.exceptions.best_match(validators[key][1].iter_errors(instance))
        if error is not None:
            raise error

    from nbgrader.nbgraderformat import common

    real = common.jsonschema.validate
    common.jsonschema.validate = validate
    try:
        yield
    finally:
        common.jsonschema.validate = real


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
            with schema_checked_once():
                app.start()
        except Exception as exc:
            raise SystemExit(f"生成 {project} 的学生版失败：{exc}") from None
    return Path(stage) / cfg.CourseDirectory.release_directory


# ---------------------------------------------------------------- determinism


def canonical_notebook(nb, prefix, keep_outputs=False):
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
        if cell["cell_type"] == "code" and not keep_outputs:
            cell["outputs"], cell["execution_count"] = [], None
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_text(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def copy_release(generated, out, pool=None):
    """Copy one generated project into `out`, notebooks in canonical form."""
    if out.exists():
        shutil.rmtree(out)
    for path in sorted(generated.rglob("*")):
        target = out / path.relative_to(generated)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            if pool is not None:
                nb = student_stubs(nb, pool)
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


def write_checks(source, exercises_out, only=()):
    """exercises_out/pNN_check.json for every solutions/pNN/teacher/practice_key.yaml (or those of `only`)."""
    written = []
    for key_path in sorted(Path(source).glob(f"p*/{TEACHER}/practice_key.yaml")):
        project = key_path.parent.parent.name
        if only and project not in only:
            continue
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
    for p in manifest_projects():
        name = f"学习项目{p.number} {p.title}"
        note = "" if p.status == "done" else f"（{STATUS_TEXT[p.status]}）"
        lines.append(
            f"{p.number}. [{name}]({links[p.id]}){note}" if p.id in links else f"{p.number}. {name}（即将推出）"
        )
    return "\n".join(lines)


def released_links(out):
    """project -> 'pNN/<first notebook>.ipynb' for every released project."""
    links = {}
    for project in (p.id for p in manifest_projects()):
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


def release(source, out, exercises_out, only=()):
    """Build every student file (or those of the projects in `only`); return the projects released."""
    projects = find_projects(source)
    if only:
        projects = [p for p in projects if p in only]
    for project in projects:
        for master in sorted((Path(source) / project).glob("p*.ipynb")):
            if sync_master(master):
                say(f"{project}：母版的课后习题已按评分题库重新生成（{master.name}）")
    with tempfile.TemporaryDirectory(prefix="crm-release-") as stage:
        generated = generate(source, projects, stage)
        for project in projects:
            copy_release(generated / project, Path(out) / project, graded_pool(Path(source) / project))
            say(f"{project}：学生版已写入 {Path(out) / project}")
    if not only:
        remove_stale(out, projects)
    for path in write_checks(source, exercises_out, only):
        say(f"对答案文件已写入 {path}")
    build_index(Path(source) / "index.ipynb", out)
    say(f"课程首页已写入 {Path(out) / 'index.ipynb'}")
    if Path(out).resolve() == (ROOT / "notebooks").resolve():
        from crmlib.course.manifest import sync_readme

        if sync_readme(ROOT / "README.md"):
            say("README.md 的课程表已更新")
    return projects


def main(argv=None):
    parser = argparse.ArgumentParser(description="从 solutions/ 生成学生版笔记本、对答案文件和课程首页。")
    parser.add_argument("--source", default=ROOT / "solutions", type=Path, help="母版目录（默认 solutions/）")
    parser.add_argument("--out", default=ROOT / "notebooks", type=Path, help="学生版目录（默认 notebooks/）")
    parser.add_argument("--exercises-out", default=None, type=Path, help="对答案文件目录（默认同题库目录）")
    parser.add_argument("only", nargs="*", help="只发布这些项目（例如 p02），默认全部")
    args = parser.parse_args(argv)
    release(
        args.source.resolve(), args.out.resolve(), (args.exercises_out or exercises_dir()).resolve(), only=args.only
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
