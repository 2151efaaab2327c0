"""Reply checker widget: the pure view (marks, escaping, empty reply), the practice messages
taken from the data, the ipywidgets layer reacting to typing, static view under grading, speed."""

import pytest

import crmlib as crm
from crmlib.course.errors import CRMError
from crmlib.widgets import reply_checker as rc


@pytest.fixture(scope="module")
def messages():
    return crm.load_dataset("p08_messages")


def test_view_shows_marks_and_advice():
    html = rc.reply_checker_view("洗了会不会掉色？", "不知道，你自己看详情页", "品质")
    assert "【禁用语】" in html and "【称呼】" in html and "适用的 6 条规则里做到了 1 条" in html


def test_view_escapes_what_the_student_types():
    html = rc.reply_checker_view("在吗", "<script>alert(1)</script>您好", "问候")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_empty_reply_asks_for_one():
    assert "写下你的回复" in rc.reply_checker_view("在吗", "  ", "问候")


def test_sample_messages_come_from_the_data_most_asked_first(messages):
    choices = rc.sample_messages(messages)
    assert choices[0][2] == "品质" and choices[-1][2] == "问候"
    asked = messages[messages["发言方"] == "客户"]["内容"]
    assert all(text in set(asked) for _, text, _ in choices)
    counts = [int(label.split("（")[-1].split(" ")[0]) for label, _, intent in choices if intent == "物流"]
    assert counts == sorted(counts, reverse=True)
    with pytest.raises(CRMError):
        rc.sample_messages(messages.assign(意图=None))


def test_no_number_of_choices_shows_the_faq_answers(messages):
    """Task 3 asks for each intent's most asked message: the dropdown never lists it, however long it is."""
    asks = messages[(messages["发言方"] == "客户") & messages["意图"].notna() & (messages["意图"] != "问候")]
    counts = asks.groupby(["意图", "内容"])["会话编号"].nunique().reset_index()
    top = set(counts.sort_values("会话编号", ascending=False).drop_duplicates("意图")["内容"])
    assert len(top) == 5
    for n in (1, 2, 10, 1000):
        assert not top & {text for _, text, _ in rc.sample_messages(messages, per_intent=n)}, n


def test_widget_reacts_to_typing_and_choice(messages):
    box = rc.build_reply_checker(messages)
    pick, text, opening, out = box.children
    assert "写下你的回复" in out.value
    text.value = "您好，这款是 100% 纯棉面料，有检测报告，我把洗涤说明发给您。"
    assert "做到了 6 条" in out.value
    opening.value = False
    assert "不是第一句回复" in out.value
    pick.value = len(pick.options) - 1
    assert "客户" in out.value


def test_static_view_under_grading(messages, monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown = []
    monkeypatch.setattr(rc, "show", lambda widget, html: shown.append(html))
    assert rc.reply_checker(messages) is None
    assert "【禁用语】" in shown[0]
