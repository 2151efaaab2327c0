"""The question bank: answer normalisation, Chinese errors, hashes, notebook checks, practice widget.

Mechanics run on the tiny fixture bank (tests/fixtures); every real bank in
exercises/ is checked for structure and against its answer key.
"""

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from crmlib.course.checks import CheckFailed
from crmlib.course.errors import CRMError
from crmlib.course.checks import check_choice
from crmlib.questions.answers import normalize_answer
from crmlib.questions.bank import load_bank, parse_bank
from crmlib.questions.keys import answer_hash, build_check, check_answer, check_key, dump_check, load_check, read_key
from crmlib.questions.practice import build_quiz, feedback, quiz, score_text, select, static_html

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BANKS = sorted(p for p in (ROOT / "exercises").glob("p*.yaml"))


@pytest.fixture
def bank_dir(tmp_path, monkeypatch):
    """The fixture bank p99 with its check file, as $CRM_EXERCISES."""
    shutil.copy(FIXTURES / "exercises" / "p99.yaml", tmp_path)
    monkeypatch.setenv("CRM_EXERCISES", str(tmp_path))
    bank = load_bank("p99")
    key = read_key(FIXTURES / "solutions" / "p99" / "answer_key.yaml", bank)
    (tmp_path / "p99_check.json").write_text(dump_check(build_check(bank, key)), encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "given, qtype, expected",
    [
        ("对", "判断", "对"),
        ("错", "判断", "错"),
        ("√", "判断", "对"),
        ("×", "判断", "错"),
        ("✓", "判断", "对"),
        ("✗", "判断", "错"),
        ("正确", "判断", "对"),
        ("错误", "判断", "错"),
        ("T", "判断", "对"),
        ("f", "判断", "错"),
        ("True", "判断", "对"),
        ("false", "判断", "错"),
        ("是", "判断", "对"),
        ("否", "判断", "错"),
        (True, "判断", "对"),
        (False, "判断", "错"),
        (" 对 ", "判断", "对"),
        ("Ｔ", "判断", "对"),
        ("B", "单选", "B"),
        ("b", "单选", "B"),
        ("Ｂ", "单选", "B"),
        (" B ", "单选", "B"),
        ("B.", "单选", "B"),
        ("(B)", "单选", "B"),
        ("（B）", "单选", "B"),
        ("b、", "单选", "B"),
        (["B"], "单选", "B"),
        ("A,C", "多选", "AC"),
        ("AC", "多选", "AC"),
        ("a c", "多选", "AC"),
        ("Ａ、Ｃ", "多选", "AC"),
        (["A", "C"], "多选", "AC"),
        ("CA", "多选", "AC"),
        ("c，a，c", "多选", "AC"),
        ("A;B;D", "多选", "ABD"),
    ],
)
def test_normalize_accepts(given, qtype, expected):
    assert normalize_answer(given, qtype, "ABCD") == expected


@pytest.mark.parametrize(
    "given, qtype, message",
    [
        ("AB", "单选", "单选题只能选一个选项"),
        ("E", "单选", "选项 E 不存在：本题只有 A–D"),
        ("ACE", "多选", "选项 E 不存在：本题只有 A–D"),
        ("1", "单选", "请写一个选项字母（A–D）"),
        ("选B", "单选", "无法识别"),
        ("A和C", "多选", "无法识别"),
        ("可能", "判断", '请写 "对" 或 "错"'),
        (1, "判断", "无法识别"),
        (2, "单选", "int 类型"),
        (None, "多选", "还没有作答"),
        (..., "判断", "还没有作答"),
        ("", "单选", "还没有作答"),
        (",", "多选", "无法识别"),
    ],
)
def test_normalize_rejects_in_chinese(given, qtype, message):
    with pytest.raises(CRMError, match=re.escape(message)):
        normalize_answer(given, qtype, "ABCD")


def test_unknown_type_is_explained():
    with pytest.raises(CRMError, match="只能是 判断、单选、多选"):
        normalize_answer("A", "填空")


# ---------------------------------------------------------------- bank validation


@pytest.mark.parametrize(
    "question, message",
    [
        ({"id": "p01-1x", "type": "判断", "stem": "？"}, "题号「p01-1x」不对"),
        ({"id": "p01-01", "type": "单选", "stem": "？", "options": ["只有一个"]}, "至少要有两个选项"),
        ({"id": "p01-01", "type": "单选", "stem": "？", "options": {"A": "甲", "C": "丙"}}, "选项应该依次是 A–B"),
        ({"id": "p01-01", "type": "判断", "stem": " "}, "缺少题干"),
        ({"id": "p01-01", "type": "判断", "stem": "？", "options": ["对", "错"]}, "不需要 options"),
    ],
)
def test_parse_bank_rejects_in_chinese(question, message):
    with pytest.raises(CRMError, match=re.escape(message)):
        parse_bank({"questions": [question]}, "p01")


def test_parse_bank_rejects_duplicates_and_empty():
    q = {"id": "p01-01", "type": "判断", "stem": "？"}
    with pytest.raises(CRMError, match="不止一次"):
        parse_bank({"questions": [q, q]}, "p01")
    with pytest.raises(CRMError, match="questions"):
        parse_bank({"questions": []}, "p01")


def test_key_must_fit_bank():
    bank = parse_bank({"questions": [{"id": "p01-01", "type": "单选", "stem": "？", "options": ["甲", "乙"]}]}, "p01")
    with pytest.raises(CRMError, match="p01-01 的答案「C」与题目不符"):
        check_key(bank, {"p01-01": "C"})
    with pytest.raises(CRMError, match="没有答案"):
        check_key(bank, {})
    with pytest.raises(CRMError, match="不存在的题号：p01-02"):
        check_key(bank, {"p01-01": "A", "p01-02": "B"})


def test_missing_bank_is_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_EXERCISES", str(tmp_path))
    with pytest.raises(CRMError, match="找不到题库文件"):
        load_bank("p98")


# ---------------------------------------------------------------- hashes


def test_check_file_holds_only_salted_hashes(bank_dir):
    text = (bank_dir / "p99_check.json").read_text(encoding="utf-8")
    check = json.loads(text)
    assert set(check) == {"salt", "hashes"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in check["hashes"].values())
    assert "ACD" not in text and "对" not in text


def test_hashes_verify_against_key(bank_dir):
    check = load_check("p99")
    assert check["hashes"]["p99-03"] == answer_hash(check["salt"], "p99-03", "ACD")
    assert check_answer("p99-01", "√") == (True, load_bank("p99").get("p99-01").explanation)
    assert check_answer("p99-02", "(b)")[0] is True
    assert check_answer("p99-02", "C")[0] is False
    assert check_answer("p99-03", "a,c,d")[0] is True
    assert check_answer("p99-03", "AC")[0] is False


# ---------------------------------------------------------------- notebook checks


@pytest.mark.parametrize(
    "qtype, options, right, wrong",
    [("判断", "", "对", "错"), ("单选", "ABCD", "B", "C"), ("多选", "ABCD", "ACD", "AC")],
)
def test_check_choice_never_reveals_correctness(capsys, qtype, options, right, wrong):
    check_choice(right, qtype, options)
    said_right = capsys.readouterr().out
    check_choice(wrong, qtype, options)
    said_wrong = capsys.readouterr().out
    assert said_right.startswith("√ 已作答，格式正确") and "提交后由评分程序判分" in said_right
    assert said_right.replace(right, "?") == said_wrong.replace(wrong, "?")


def test_check_choice_fails_on_bad_format():
    with pytest.raises(CheckFailed, match="单选题只能选一个选项"):
        check_choice("BC", "单选", "ABCD")
    with pytest.raises(CheckFailed, match="还没有作答"):
        check_choice("", "判断")
    with pytest.raises(CheckFailed, match="选项 E 不存在"):
        check_choice("E", "单选", "ABCD")


def test_case_questions_are_flattened_with_their_case():
    bank = parse_bank(
        {
            "questions": [
                {
                    "id": "p99-04",
                    "type": "案例分析",
                    "case": "某客户来电……",
                    "questions": [
                        {"id": "p99-04-1", "type": "单选", "stem": "甲？", "options": ["a", "b"]},
                        {"id": "p99-04-2", "type": "多选", "stem": "乙？", "options": ["a", "b", "c"]},
                    ],
                }
            ]
        },
        "p99",
    )
    assert [(q.id, q.case) for q in bank] == [("p99-04-1", "某客户来电……"), ("p99-04-2", "某客户来电……")]
    with pytest.raises(CRMError, match="缺少案例正文"):
        parse_bank({"questions": [{"id": "p99-04", "type": "案例分析", "questions": []}]}, "p99")


# ---------------------------------------------------------------- practice widget


def test_feedback_logic(bank_dir):
    bank, check = load_bank("p99"), load_check("p99")
    q = bank.get("p99-03")
    assert feedback(q, "ADC", check) == (True, "√ 回答正确！解析：" + q.explanation)
    assert feedback(q, "A", check)[0] is False and "你选了 A" in feedback(q, "A", check)[1]
    assert feedback(q, None, check)[0] is None and "还没有作答" in feedback(q, None, check)[1]
    assert score_text({}, 3) == "已作答 0 / 3 题，答对 0 题中的 0 题。"
    assert [q.id for q in select(bank, ["p99-03", "p99-01"])] == ["p99-03", "p99-01"]


def test_static_view_lists_questions_without_answers(bank_dir, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    assert quiz("p99", ids=["p99-02"]) is None
    html = shown[0].data
    assert "下列哪一项属于内部客户" in html and "B. 下一道工序的同事" in html
    assert "解析" not in html and "留住一位老客户" not in html
    assert static_html(load_bank("p99"), list(load_bank("p99"))).count("<li><b>") == 3


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_widget_gives_instant_feedback_and_score(bank_dir, monkeypatch):
    import ipywidgets as w

    box, _ = build_quiz("p99")
    parts = list(_walk(box))
    radios = [p for p in parts if isinstance(p, w.RadioButtons)]
    checks = [p for p in parts if isinstance(p, w.Checkbox)]
    buttons = [p for p in parts if isinstance(p, w.Button)]
    assert len(radios) == 2 and len(checks) == 4 and [b.description for b in buttons] == ["提交"] * 3
    radios[0].value = "对"
    buttons[0].click()
    radios[1].value = "C"
    buttons[1].click()
    checks[0].value = True
    buttons[2].click()
    html = "".join(p.value for p in parts if isinstance(p, w.HTML))
    assert "√ 回答正确" in html and "× 回答错误（你选了 C）" in html and "× 回答错误（你选了 A）" in html
    assert "已作答 3 / 3 题，答对 3 题中的 1 题。" in html


# ---------------------------------------------------------------- the real banks


def test_fixture_bank_is_valid():
    bank = parse_bank(yaml.safe_load((FIXTURES / "exercises" / "p99.yaml").read_text(encoding="utf-8")), "p99")
    assert len(bank) == 3


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_bank_is_valid_and_matches_key(path, monkeypatch):
    monkeypatch.delenv("CRM_EXERCISES", raising=False)
    project = path.stem
    bank = load_bank(project)
    assert bank.title, f"题库 {project} 缺少 title。"
    assert all(q.explanation for q in bank), "每道题都要有解析（explanation）。"
    assert {"判断", "单选", "多选"} <= {q.type for q in bank}, "每个题库都应有判断、单选、多选三种题型。"
    key_path = ROOT / "solutions" / project / "teacher" / "practice_key.yaml"
    assert key_path.exists(), f"缺少答案文件 {key_path}"
    key = read_key(key_path, bank)  # every id has a key and every key fits its question
    check_path = ROOT / "exercises" / f"{project}_check.json"
    if check_path.exists():
        assert json.loads(check_path.read_text(encoding="utf-8")) == build_check(bank, key), (
            "对答案文件已过期：请运行 python course.py release。"
        )
