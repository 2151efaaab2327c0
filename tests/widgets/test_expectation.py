"""期望与感知 widget: verdicts follow crm.satisfaction_verdict, static view works, fast enough."""

import doctest
import re

import pandas as pd
import pytest

import crmlib.widgets.expectation as ex
from crmlib.course.errors import CRMError


def test_doctests():
    assert doctest.testmod(ex).failed == 0


@pytest.mark.parametrize(
    "e, p, tol, verdict, gap",
    [(6, 5, 0, "不满", "-1.0"), (6, 6, 0, "满意", "+0.0"), (5, 6.5, 0, "惊喜", "+1.5"), (6, 5.6, 0.5, "满意", "-0.4")],
)
def test_verdict_and_gap_shown(e, p, tol, verdict, gap):
    html = ex.expectation_view(e, p, tol)
    assert re.search(rf">{verdict}</span>", html)
    assert f"<b>{gap}</b>" in html


def test_reference_rows_use_the_same_tolerance():
    ref = ex.reference_table(pd.DataFrame({"期望": [6.0, 5.0], "感知": [5.8, 5.0]}, index=["信赖度", "有形度"]))
    strict = ex.expectation_view(6, 6, 0, ref)
    loose = ex.expectation_view(6, 6, 0.3, ref)
    assert strict.count("<td style='padding:3px 10px;text-align:right'>不满</td>") == 1
    assert loose.count("<td style='padding:3px 10px;text-align:right'>不满</td>") == 0


def test_bad_input_is_chinese():
    with pytest.raises(CRMError, match="期望值"):
        ex.expectation_view(0, 5)
    with pytest.raises(CRMError, match="servqual_gaps"):
        ex.reference_table(pd.Series([1.0]))


def test_labels_do_not_overlap_when_values_coincide():
    svg = ex._scale_svg(6.0, 6.0, 0.0)
    ys = [
        float(y)
        for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="middle"(?: fill="[^"]+")?>(?:期望|感知)', svg)
    ]
    assert len(ys) == 2 and abs(ys[0] - ys[1]) > 30  # expectation label above, perception below
