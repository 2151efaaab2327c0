"""Rules about the test suite itself: speed is measured by `course.py bench`, never asserted in a unit test."""

import importlib
import pkgutil
import re

import pytest

from support import ROOT

import crmlib.widgets

CLOCK = re.compile(r"\b(perf_counter|process_time|monotonic|timeit)\b|\btime\.time\(\)")
WIDGETS = sorted(m.name for m in pkgutil.iter_modules(crmlib.widgets.__path__) if not m.name.startswith("_"))


def test_no_test_reads_the_clock():
    """A timed assertion fails on a busy machine and passes on a fast one; bench compares against a baseline instead."""
    here = ROOT / "tests"
    bad = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in sorted(here.rglob("test_*.py"))
        if p.name != "test_suite_rules.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if CLOCK.search(line)
    ]
    assert not bad, f"测试里不应计时（速度由 python course.py bench 按基线比值衡量）：{bad}"


@pytest.mark.parametrize("name", WIDGETS)
def test_every_widget_can_be_benched(name):
    """`course.py bench` times each widget through its BENCH hook; one call here proves the hook works."""
    module = importlib.import_module(f"crmlib.widgets.{name}")
    assert hasattr(module, "BENCH"), f"crmlib/widgets/{name}.py 缺少 BENCH（见 benchmarks/run.py 的说明）"
    module.BENCH()()
