"""Shared fixtures of the course's test suite.

* ``root``: the repository root; ``solution_notebooks``: the course's masters.
* ``course_nb``: parametrizes a test over every master notebook
  (``solutions/pNN/pNN_*.ipynb``) plus the tiny fixture course in
  ``tests/fixtures/whole_course/`` (which keeps the notebook checks themselves
  honest while the real notebooks are being written).
* ``executed``: a session-wide cache: each master and each released notebook is
  executed ONCE (by nbgrader's ``Validator``) and the result is shared by
  test_notebooks.py and test_glyphs.py.
"""
import os

os.environ["MPLBACKEND"] = "Agg"  # before anything imports matplotlib

import re  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_COURSE = ROOT / "tests" / "fixtures" / "whole_course"


@dataclass(frozen=True)
class CourseNotebook:
    """A master notebook and where its siblings live."""
    course: Path  # the course root holding solutions/ and notebooks/
    master: Path  # solutions/pNN/pNN_x.ipynb

    @property
    def project(self):  # "p01"
        return self.master.parent.name

    @property
    def released(self):  # notebooks/pNN/pNN_x.ipynb
        return self.course / "notebooks" / self.project / self.master.name

    @property
    def answer_key(self):
        return self.master.parent / "answer_key.yaml"

    @property
    def id(self):
        rel = self.master.relative_to(ROOT).as_posix()
        return rel.replace("tests/fixtures/whole_course/", "fixture:")

    def __str__(self):
        return self.id


def course_notebooks(include_fixture=True):
    """Every master notebook of the course (and of the fixture course)."""
    found = [CourseNotebook(ROOT, p) for p in sorted((ROOT / "solutions").glob("p*/p*.ipynb"))]
    if include_fixture:
        found += [CourseNotebook(FIXTURE_COURSE, p)
                  for p in sorted((FIXTURE_COURSE / "solutions").glob("p*/p*.ipynb"))]
    return found


def pytest_generate_tests(metafunc):
    if "course_nb" in metafunc.fixturenames:
        nbs = course_notebooks()
        metafunc.parametrize("course_nb", nbs, ids=[nb.id for nb in nbs])


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def solution_notebooks():
    """The course's master notebooks (fixture course excluded), as CourseNotebook objects."""
    return course_notebooks(include_fixture=False)


def load_nbgrader_config():
    """The course's nbgrader_config.py as a traitlets Config (as `nbgrader` would load it)."""
    from traitlets.config.loader import PyFileConfigLoader
    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


# ---------------------------------------------------------------- execution

def _validator_class():
    from nbgrader.validator import Validator

    class RecordingValidator(Validator):
        """nbgrader's Validator that also keeps the executed notebook."""
        executed = None

        def _preprocess(self, nb):
            nb = super()._preprocess(nb)
            self.executed = nb
            return nb

    return RecordingValidator


@dataclass
class Validation:
    results: dict  # what Validator.validate returned
    nb: object  # the executed notebook (nbformat NotebookNode)
    path: Path


@contextmanager
def kernel_environment():
    """Kernels see the environment a student's kernel sees.

    MPLBACKEND=Agg (set above for this process) would be inherited by the
    kernel and replace the inline backend: figures would never be drawn, so
    neither the charts nor their missing-glyph warnings would show up.
    """
    saved = os.environ.pop("MPLBACKEND", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["MPLBACKEND"] = saved


def validate(path, **traits):
    """Run nbgrader's Validator on `path` with the course's nbgrader config."""
    import matplotlib.font_manager  # noqa: F401  builds matplotlib's font cache here, once, so a
    # kernel on a fresh machine does not print "Matplotlib is building the font cache" to stderr
    validator = _validator_class()(config=load_nbgrader_config(), **traits)
    with kernel_environment():
        results = validator.validate(str(path))
    return Validation(results, validator.executed, Path(path))


class ExecutionCache:
    """Each notebook is executed at most once per test session."""

    def __init__(self):
        self._done = {}

    def master(self, course_nb):
        """The master, validated as a teacher would (`nbgrader validate`)."""
        key = ("master", course_nb.master)
        if key not in self._done:
            self._done[key] = validate(course_nb.master)
        return self._done[key]

    def released(self, course_nb):
        """The student copy, executed as handed out (every answer still blank)."""
        key = ("released", course_nb.released)
        if key not in self._done:
            self._done[key] = validate(course_nb.released, ignore_checksums=True)
        return self._done[key]


@pytest.fixture(scope="session")
def executed():
    return ExecutionCache()


# ---------------------------------------------------------------- notebook reading

def read_notebook(path):
    import nbformat
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_auto_graded(cell):
    """A test cell (grade, not solution): scored by running it."""
    m = nbgrader_meta(cell)
    return bool(m.get("grade")) and not m.get("solution") and cell.cell_type == "code"


def is_manually_graded(cell):
    """A written answer (solution and grade): scored by the teacher."""
    m = nbgrader_meta(cell)
    return bool(m.get("grade")) and bool(m.get("solution"))


HIDDEN_RE = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)
SOLUTION_RE = re.compile(r"### BEGIN SOLUTION(.*?)### END SOLUTION", re.S)
GLYPH_RE = re.compile(r"missing from font|Glyph \d+.*missing|findfont: Font family .* not found")


def output_texts(cell):
    """Every piece of text a code cell printed (streams, errors, text/plain)."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            yield out.get("name", ""), out.get("text", "")
        elif out.get("output_type") == "error":
            yield "error", "\n".join(out.get("traceback", [])) or f"{out.get('ename')}: {out.get('evalue')}"
        else:
            data = out.get("data", {})
            if "text/plain" in data:
                yield "text/plain", data["text/plain"]


def cell_label(nb, cell):
    """A short description of a cell for assertion messages."""
    idx = nb.cells.index(cell)
    gid = nbgrader_meta(cell).get("grade_id")
    first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else "(空)"
    return f"cell {idx}" + (f" [{gid}]" if gid else "") + f": {first}"
