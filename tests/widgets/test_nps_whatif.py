import pytest

from crmlib.course.errors import CRMError
from crmlib.widgets.nps_whatif import build_nps_whatif, moved_counts, nps_counts, nps_whatif_view


def test_counts_and_moves():
    c = nps_counts([0, 6, 7, 8, 9, 10, 10])
    assert c == {"贬损者": 2, "中立者": 2, "推荐者": 3}
    assert moved_counts(c, d2p=2, p2r=4) == {"贬损者": 0, "中立者": 0, "推荐者": 7}


def test_view_nps_before_and_after():
    h = nps_whatif_view({"贬损者": 2, "中立者": 2, "推荐者": 1}, d2p=1)  # -20 -> 0
    assert "NPS：-20.0 → +0.0" in h


def test_too_many_moved_is_an_error():
    with pytest.raises(CRMError, match="只有 1 位贬损者"):
        moved_counts({"贬损者": 1, "中立者": 0, "推荐者": 0}, d2p=2)


def test_slider_updates():
    box = build_nps_whatif([0, 0, 9, 8])
    box.children[1].value = 1
    assert "-25.0 → +0.0" in box.children[-1].value
