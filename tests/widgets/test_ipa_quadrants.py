import re

import pandas as pd

from crmlib.widgets.ipa_quadrants import BENCH, build_ipa, ipa_view, place_labels


def test_cut_lines_move_attributes_between_quadrants():
    imp = pd.Series({"甲": 4.0, "乙": 3.0})
    perf = pd.Series({"甲": 3.0, "乙": 4.0})
    assert "重点改进" in ipa_view(imp, perf)  # mean cuts 3.5 / 3.5
    h = ipa_view(imp, perf, i_cut=3.0, p_cut=3.0)  # both on/above the lines
    assert re.search(r"继续保持</td><td[^>]*>甲、乙", h)


def test_labels_do_not_overlap_on_the_survey():
    boxes = [b for *_, b in place_labels([(100, 100, "商品新鲜"), (104, 102, "品类齐全"), (98, 97, "员工态度")])]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_slider_updates():
    box = build_ipa(pd.Series({"甲": 4.0, "乙": 3.0}), pd.Series({"甲": 3.0, "乙": 4.0}))
    box.children[1].value = 2.9
    assert "重要性分界 2.90" in box.children[-1].value


def test_bench_hook_renders():
    f = BENCH()  # its speed is measured by `course.py bench`
    assert "<svg" in f()
