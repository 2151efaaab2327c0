"""python course.py release: reproducible student copies without answers, check files, front page."""

import doctest
import importlib.util
import json
import re
from pathlib import Path

import pytest

from crmlib.course.manifest import projects

WORKER_GROUP = "nbgrader"  # both import nbgrader (~1 s): one worker pays it (tests/conftest.py)
ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def _load_release():
    spec = importlib.util.spec_from_file_location("crm_release", ROOT / "tools" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


release = _load_release()


def run_release(tmp, source=None, exercises=None):
    """Release into tmp/notebooks and tmp/exercises; return those two paths."""
    out, ex_out = tmp / "notebooks", tmp / "exercises"
    args = ["--out", str(out), "--exercises-out", str(ex_out)]
    with pytest.MonkeyPatch.context() as mp:
        if exercises:
            mp.setenv("CRM_EXERCISES", str(exercises))
        else:
            mp.delenv("CRM_EXERCISES", raising=False)
        assert release.main(args + (["--source", str(source)] if source else [])) == 0
    return out, ex_out


def files(root, pattern="**/*"):
    """Files under root by relative path; JupyterLab's .ipynb_checkpoints are not part of a release."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(Path(root).glob(pattern))
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


def committed(root, pattern="**/*"):
    """Committed files as release writes them (LF even where git checked them out with CRLF)."""
    return {name: data.replace(b"\r\n", b"\n") for name, data in files(root, pattern).items()}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh release of a copy of the real masters into a temp dir (release also re-syncs the copy)."""
    import shutil

    tmp = tmp_path_factory.mktemp("release")
    shutil.copytree(ROOT / "solutions", tmp / "solutions")
    out = run_release(tmp, tmp / "solutions")
    return out + (tmp / "solutions",)


def test_release_doctests():
    assert doctest.testmod(release).failed == 0


# ---------------------------------------------------------------- the committed release is current


def test_masters_are_in_sync_with_their_pools(fresh):
    synced = files(fresh[2], "p*/*.ipynb")
    assert synced == committed(ROOT / "solutions", "p*/*.ipynb"), (
        "母版的课后习题或锁定标记与评分题库不同步：请运行 python course.py release。"
    )


def test_fresh_release_equals_committed_notebooks(fresh):
    out = fresh[0]
    old = committed(ROOT / "notebooks")
    made = files(out)
    assert sorted(made) == sorted(old), "notebooks/ 与母版不一致：请运行 python course.py release。"
    stale = [name for name in made if made[name] != old[name]]
    assert not stale, f"这些学生版已过期，请运行 python course.py release：{stale}"


def test_fresh_release_equals_committed_checks(fresh):
    ex_out = fresh[1]
    assert files(ex_out, "*_check.json") == committed(ROOT / "exercises", "*_check.json"), (
        "exercises/*_check.json 已过期：请运行 python course.py release。"
    )


def test_every_project_with_a_key_gets_a_check(fresh):
    ex_out = fresh[1]
    keyed = {p.parent.parent.name for p in (ROOT / "solutions").glob("p*/teacher/practice_key.yaml")}
    assert {p.name.removesuffix("_check.json") for p in ex_out.glob("*_check.json")} == keyed


# ---------------------------------------------------------------- nothing secret is released


def solution_texts(master):
    """grade_id -> the lines a student must not see (solution regions, model answers, hidden tests)."""
    secret = {}
    for cell in json.loads(master.read_text(encoding="utf-8"))["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        src = "".join(cell["source"])
        if meta.get("solution") and cell["cell_type"] == "markdown":
            secret[meta["grade_id"]] = [src.strip()]
        for region in re.findall(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", src, re.S):
            lines = [ln.strip() for ln in region[1].splitlines() if ln.strip()]
            secret.setdefault(meta.get("grade_id", "?"), []).extend(lines)
    return secret


def released_pairs(out, source):
    pairs = [(p, source / p.relative_to(out)) for p in sorted(Path(out).glob("p*/*.ipynb"))]
    return [(student, master) for student, master in pairs if master.exists()]


def check_no_secrets(out, source):
    pairs = released_pairs(out, source)
    for student, master in pairs:
        text = student.read_text(encoding="utf-8")
        for marker in ("### BEGIN SOLUTION", "### END SOLUTION", "BEGIN HIDDEN TESTS", "teacher/"):
            assert marker not in text, f"{student.name} 里出现了 {marker}"
        cells = {
            c["metadata"].get("nbgrader", {}).get("grade_id"): "".join(c["source"]) for c in json.loads(text)["cells"]
        }
        for gid, lines in solution_texts(master).items():
            for line in lines:
                assert line not in cells.get(gid, ""), f"{student.name} 的 {gid} 泄露了答案：{line}"
        for cell in json.loads(text)["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
    assert not list(Path(out).rglob("*.yaml")) and not list(Path(out).rglob("teacher"))
    return pairs


def test_real_release_has_no_answers(fresh):
    out, ex_out = fresh[0], fresh[1]
    check_no_secrets(out, ROOT / "solutions")
    for path in ex_out.glob("*_check.json"):
        text = path.read_text(encoding="utf-8")
        assert set(json.loads(text)) == {"salt", "hashes"}


# ---------------------------------------------------------------- the front page


def index_text(out):
    return "".join("".join(c["source"]) for c in json.loads((out / "index.ipynb").read_text(encoding="utf-8"))["cells"])


def test_index_links_only_existing_notebooks(fresh):
    out = fresh[0]
    text = index_text(out)
    assert release.MARKER not in text
    links = dict((label, target) for label, target in LINK.findall(text))
    for p in projects():
        name = f"学习项目{p.number} {p.title}"
        released = sorted((out / p.id).glob("*.ipynb"))
        if released:
            assert links[name] == f"{p.id}/{released[0].name}"
            assert (out / links[name]).exists()
        else:
            assert f"{p.number}. {name}（即将推出）" in text and name not in links


def test_index_is_the_chinese_front_page(fresh):
    text = index_text(fresh[0])
    for words in (
        "九个学习项目",
        "客户关系管理（第2版）",
        "nbgrader",
        "√",
        'crm.quiz("p01")',
        "课前导读",
        "小结",
        "重启内核",
        "中文",
        "datasets/",
    ):
        assert words in text, words


def test_project_list_marks_missing_projects():
    listing = release.project_list({"p03": "p03/p03_info.ipynb"})
    assert "[学习项目3 客户信息管理](p03/p03_info.ipynb)" in listing
    assert listing.count("即将推出") == 8 and listing.count("](") == 1


def test_index_needs_exactly_one_marker(tmp_path):
    master = tmp_path / "index.ipynb"
    master.write_text(
        json.dumps(
            {
                "cells": [{"cell_type": "markdown", "metadata": {}, "source": "无标记"}],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match="恰好有一处"):
        release.build_index(master, tmp_path)


def test_readme_course_table_is_generated_from_the_manifest():
    from crmlib.course.manifest import README_END, README_START, readme_table

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(README_START) + len(README_START) : text.index(README_END)].strip()
    assert block == readme_table(), "README 的课程表已过期：请运行 python course.py release"
