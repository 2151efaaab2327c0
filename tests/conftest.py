"""Test-suite set-up: tests/ on sys.path (``import support``), Agg charts here, shared fixtures.

Layout mirrors the package: tests/course, tests/questions, tests/grading,
tests/topics, tests/widgets, tests/projects (one file per project) and
tests/whole_course (every notebook, release, setup, originality), tests/browser (real Chromium),
tests/deploy (the classroom server: its recipe, and a real JupyterHub on loopback).
Expensive tests are marked ``full`` and skipped by ``course.py test --quick``.
"""

import functools
import os
import re
import sys
from pathlib import Path

os.environ["MPLBACKEND"] = "Agg"  # before anything imports matplotlib
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402

import support  # noqa: E402


FULL_MODULE = re.compile(r"^pytestmark = pytest\.mark\.full", re.M)


def pytest_ignore_collect(collection_path, config):
    """With ``-m "not full …"`` (the quick tier), a module marked full as a whole is not even imported."""
    if collection_path.suffix == ".py" and "not full" in (config.getoption("markexpr") or ""):
        if FULL_MODULE.search(collection_path.read_text(encoding="utf-8")):
            return True
    return None


def pytest_generate_tests(metafunc):
    if "course_nb" in metafunc.fixturenames:
        nbs = support.course_notebooks()
        metafunc.parametrize("course_nb", nbs, ids=[nb.project for nb in nbs])


@pytest.fixture(scope="session")
def root():
    return support.ROOT


class ExecutionCache:
    """Each master is executed at most once per test session (in a fresh kernel, inline charts)."""

    def __init__(self):
        self._done = {}

    def master(self, course_nb):
        if course_nb.master not in self._done:
            import matplotlib.font_manager  # noqa: F401  (font cache built here, not in the kernel)

            self._done[course_nb.master] = support.execute(course_nb.master)
        return self._done[course_nb.master]


@pytest.fixture(scope="session")
def executed():
    return ExecutionCache()


FIGURES = {"浏览器测试": "浏览器测试的数字", "课堂服务器": "课堂服务器回环测试的数字"}


def pytest_terminal_summary(terminalreporter):
    """Print the figures some tests record (browser latency and screenshots, classroom server memory) after the run.

    A passing test's output is hidden and, under xdist, stays on its worker; tests/browser and tests/deploy record
    their report with ``record_property(name, ...)``, which reaches this process with the report.
    """
    for name, title in FIGURES.items():
        lines = [
            value
            for reports in terminalreporter.stats.values()
            for report in reports
            if getattr(report, "when", "") == "call"
            for key, value in getattr(report, "user_properties", [])
            if key == name
        ]
        if lines:
            terminalreporter.section(title)
            for text in lines:
                terminalreporter.write_line(text)


GENERATED_DATA = ("crmlib/generators/", "tests/course/test_datasets.py")
PROJECT = re.compile(r"(?:generators/|\[)(p\d\d)")


def work_unit(nodeid):
    """The xdist work unit of a test: its ``shared_setup_group``, or the test itself.

    Dataset tests and generator doctests are grouped per project (a project's generators share their caches),
    so the generating is spread over the workers; other dataset tests are units of their own.

    >>> work_unit("tests/course/test_datasets.py::test_csv_is_exactly_what_course_py_data_writes[p06_orders]")
    'generated_data_p06'
    >>> work_unit("crmlib/generators/p06.py::crmlib.generators.p06.make_orders")
    'generated_data_p06'
    >>> work_unit("tests/course/test_datasets.py::test_course_has_datasets")
    'tests/course/test_datasets.py::test_course_has_datasets'
    """
    path = nodeid.split("::")[0]
    group = shared_setup_group(path)
    if group == "generated_data":
        project = PROJECT.search(nodeid)
        return f"generated_data_{project.group(1)}" if project else nodeid
    return group or nodeid


@functools.cache
def shared_setup_group(path):
    """The xdist work unit a test file belongs to: tests that share set-up run on one worker, so it is done
    once per run, not once per worker.

    - Tests that generate the course datasets share a worker per project: its generators cache their frames
      per process (``work_unit`` splits this group by project).
    - Modules that name the same ``WORKER_GROUP = "…"`` share a worker (e.g. the ones that import nbgrader, ~1 s).
    - A module with a module-scoped fixture (a fresh release, a kernel run, a graded class, a built pack) is one
      unit; split over two workers, each would build the fixture again.
    - Any other test is a unit of its own (xdist's plain load balancing).

    >>> shared_setup_group("crmlib/generators/p06.py"), shared_setup_group("tests/course/test_errors_sweep.py")
    ('generated_data', None)
    >>> shared_setup_group("tests/whole_course/test_release.py"), shared_setup_group("tests/whole_course/test_setup.py")
    ('nbgrader', 'nbgrader')
    """
    if path.startswith(GENERATED_DATA):
        return "generated_data"
    file = support.ROOT / path
    text = file.read_text(encoding="utf-8") if file.suffix == ".py" and file.is_file() else ""
    named = re.search(r'^WORKER_GROUP = "([^"]+)"', text, re.M)
    if named:
        return named.group(1)
    return path if 'scope="module"' in text else None


def pytest_xdist_make_scheduler(config, log):
    """xdist's loadgroup scheduling, with the groups of ``shared_setup_group`` (xdist 3.8 cannot tag groups on
    pytest 9, whose node ids are read-only)."""
    from xdist.scheduler import LoadScopeScheduling

    class SharedSetupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return work_unit(nodeid)

    return SharedSetupScheduling(config, log)
