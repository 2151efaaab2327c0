import pytest

from crmlib.course.errors import CRMError
from crmlib.widgets.clv_calculator import build_clv_calculator, clv_view


def test_view_shows_the_hand_computed_values():
    h = clv_view(100, 0.5, 0.0, 2)  # 100 + 50 = 150; limit 100 / 0.5 = 200
    assert "150 元" in h and "200 元" in h and "<svg" in h


def test_bad_rate_is_a_chinese_error():
    with pytest.raises(CRMError, match="留存率"):
        clv_view(100, 1.2, 0.1, 5)


def test_slider_moves_the_view():
    box = build_clv_calculator()
    before = box.children[-1].value
    box.children[2].value = 0.9
    assert box.children[-1].value != before and "90%" in box.children[-1].value
