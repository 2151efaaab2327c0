"""Stress-log widget: entry checks, the week view, saving only into the student's workspace."""

import datetime

import pytest

from crmlib.course.datasets import load_dataset
from crmlib.course.errors import CRMError
from crmlib.widgets import stress_log as w


def test_week_view_of_the_sample_log():
    log = load_dataset("p09_log")
    html = w.stress_log_view(log, "2025-11-12")
    assert "2025-11-10（周一）～ 11-16（周日）" in html
    n = int(((log["日期"] >= "2025-11-10") & (log["日期"] <= "2025-11-16")).sum())
    assert f"本周记了 {n} 条" in html
    assert "11-17" not in html.split("<table")[1]  # next week's entries are not listed


def test_week_summary_counts_and_max():
    entries = [
        {"日期": "2025-11-11", "事件": "a", "强度": 3},
        {"日期": "2025-11-11", "事件": "b", "强度": 8},
        {"日期": "2025-11-16", "事件": "c", "强度": 2},
        {"日期": "2025-11-17", "事件": "next", "强度": 9},
    ]
    s = w.week_summary(entries, "2025-11-16")
    assert s["条数"].tolist() == [0, 2, 0, 0, 0, 0, 1]
    assert s["最高强度"].tolist() == [0, 8, 0, 0, 0, 0, 2]


def test_empty_week_invites_a_first_entry():
    html = w.stress_log_view([], "2025-11-10")
    assert "还没有记录" in html and "本周记了 0 条" in html


@pytest.mark.parametrize(
    "entry",
    [
        {"日期": "2025-11-10", "事件": "", "强度": 5},
        {"日期": "2025-11-10", "事件": "x", "强度": 0},
        {"日期": "2025-11-10", "事件": "x", "强度": 5.5},
        {"日期": "不是日期", "事件": "x", "强度": 5},
        "一条文字",
    ],
)
def test_bad_entries_are_chinese_errors(entry):
    with pytest.raises(CRMError):
        w.check_entry(entry)


def test_saves_only_on_the_button_and_shows_the_week(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    box = w.build_stress_log("2025-11-10")
    assert not (tmp_path / "saved").exists()
    kids = box.children
    day, time_, event, source, level, body, action, save = kids[1:9]
    day.value = datetime.date(2025, 11, 12)
    event.value = "客户连续催了三次发货"
    level.value = 7
    save.click()
    from crmlib.course import store

    assert store.load(w.STORE_NAME)[0]["事件"] == "客户连续催了三次发货"
    assert "本周记了 1 条" in kids[-1].value
    event.value = ""
    save.click()  # an empty event is refused, nothing more is saved
    assert len(store.load(w.STORE_NAME)) == 1 and "事件" in kids[9].value


def test_grading_reads_and_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "p09_stress_log.json").write_text(
        '[{"日期": "2025-11-10", "事件": "私事", "强度": 5}]', encoding="utf-8"
    )
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    w.stress_log("2025-11-10")
    assert "私事" not in shown[0].data and "还没有记录" in shown[0].data
