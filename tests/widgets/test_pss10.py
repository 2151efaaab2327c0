"""PSS-10 self-assessment widget: scoring shown, gentle wording, nothing stored unless 保存."""

import re

import pytest

from crmlib.course.errors import CRMError
from crmlib.widgets import pss10 as w


def test_blank_form_says_not_a_diagnosis_and_where_to_get_help():
    html = w.pss10_view([None] * 10)
    for text in ("不是诊断", "不影响任何成绩", "心理咨询中心", "医生", "12356", "保存"):
        assert text in html
    assert "总分是" not in html


def test_partial_answers_give_no_total():
    html = w.pss10_view([2] * 9 + [None])
    assert "还有 1 题" in html and "总分是" not in html


@pytest.mark.parametrize(
    "answers, total, band",
    [
        ([0, 0, 0, 4, 4, 0, 4, 4, 0, 0], 0, "低"),
        ([1] * 10, 18, "中等"),
        ([3, 3, 3, 1, 1, 3, 1, 1, 3, 3], 30, "高"),
        (["经常", "经常", "经常", "很少", "很少", "经常", "很少", "很少", "经常", "经常"], 30, "高"),
    ],
)
def test_total_and_band_match_pss10_score(answers, total, band):
    html = w.pss10_view(answers)
    assert f"{total} 分" in html and f"「{band}」" in html
    assert "反向：4 − 选项分" in html  # the reverse items are explained


def test_every_band_text_is_gentle():
    alarming = ["危险", "严重", "异常", "病", "障碍", "抑郁", "焦虑症", "警告", "不正常", "失败"]
    for text in w.MEANING.values():
        for word in alarming:
            assert word not in text, word
    assert "不是诊断" in w.MEANING["高"] and "别一个人扛" in w.MEANING["高"]


def test_no_alarm_colours():
    assert not any(c.upper() in ("#FF0000", "#C8453B", "#D62728") for c in w.COLORS.values())


def test_scale_labels_inside_their_band_and_off_the_marker():
    for total in (0, 13, 20, 27, 31, 40):
        svg = w.scale_svg(total)
        rects = [
            (float(x), float(x) + float(wd))
            for x, wd in re.findall(r"<rect x='([\d.]+)' y='\d+' width='([\d.]+)'", svg)
        ]
        bands = [float(x) for x in re.findall(r"<text x='([\d.]+)' y='72'", svg)]
        assert len(rects) == 3 and len(bands) == 3
        for (x0, x1), lx in zip(rects, bands):
            assert x0 + 15 < lx < x1 - 15  # a two-character label fits inside its band
        line_bottom = float(re.search(r"<line [^>]*y2='([\d.]+)'", svg).group(1))
        label_tops = [int(y) - 12 for y in re.findall(r"<text x='[\d.]+' y='(\d+)'", svg) if int(y) > 30]
        assert all(top > line_bottom for top in label_tops)  # the marker ends above every label under the bar


@pytest.mark.parametrize("answers", [[2] * 9, [2] * 9 + [5], [2] * 9 + ["偶尔"], [2] * 9 + [True]])
def test_bad_answers_are_chinese_errors(answers):
    with pytest.raises(CRMError):
        w.pss10_view(answers)


def test_nothing_saved_until_the_button(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    box = w.build_pss10()
    rows = [
        c
        for c in box.children
        if hasattr(c, "children") and len(c.children) == 2 and c.children[1].__class__.__name__ == "ToggleButtons"
    ]
    assert len(rows) == 10
    for r in rows:
        r.children[1].index = 3
    assert not (tmp_path / "saved").exists()  # answering stores nothing
    save = next(c for c in box.children if c.__class__.__name__ == "HBox" and "保存" in c.children[0].description)
    save.children[0].click()
    from crmlib.course import store

    saved = store.load(w.STORE_NAME)
    assert saved[-1]["答案"] == [3] * 10 and saved[-1]["总分"] == 3 * 6 + 1 * 4
    save.children[1].click()  # 清空
    assert store.load(w.STORE_NAME) == []


def test_grading_shows_only_the_blank_static_view(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    w.pss10()
    assert "还没有作答" in shown[0].data
    assert not (tmp_path / "saved").exists()
