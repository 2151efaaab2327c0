"""Normalise a student's answer to 判断/单选/多选 questions (Chinese errors for the unreadable).

>>> normalize_answer("√", "判断"), normalize_answer("（ｂ）", "单选"), normalize_answer("a、c", "多选")
('对', 'B', 'AC')
"""

import re
import unicodedata

from ..course.errors import CRMError
from .bank import LETTERS, TYPES, _span

TRUE_WORDS = {"对", "√", "✓", "✔", "正确", "T", "TRUE", "是"}
FALSE_WORDS = {"错", "×", "✗", "✘", "✕", "X", "错误", "F", "FALSE", "否"}
# Separators and brackets students put around letters: "B." "(B)" "A、C" "A, C".
_NOISE = re.compile(r"[\s.,;:/、。，；：\"'“”‘’()\[\]{}【】「」《》]+")


def normalize_answer(answer, qtype, options=LETTERS):
    """Canonical form of a student's answer: "对"/"错", one letter, or sorted letters.

    `options` is the string of valid letters (e.g. "ABCD").

    >>> normalize_answer(True, "判断"), normalize_answer(" b. ", "单选"), normalize_answer(["C", "a", "C"], "多选")
    ('对', 'B', 'AC')
    >>> normalize_answer("E", "单选", "ABCD")
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 选项 E 不存在：本题只有 A–D。
    """
    if qtype not in TYPES:
        raise CRMError(f"题型「{qtype}」不对：只能是 {'、'.join(TYPES)}。")
    _require_answered(answer, qtype)
    if qtype == "判断":
        return _normalize_tf(answer)
    text = _letters_text(answer, qtype)
    letters = _NOISE.sub("", text)
    bad = "".join(ch for ch in letters if not ("A" <= ch <= "Z"))
    if bad or not letters:
        raise CRMError(_unreadable(answer, qtype, options))
    if qtype == "单选" and len(letters) > 1:
        raise CRMError(f'单选题只能选一个选项，你写了「{letters}」。请只写一个字母，例如 "B"。')
    missing = sorted(set(letters) - set(options))
    if missing:
        raise CRMError(f"选项 {'、'.join(missing)} 不存在：本题只有 {_span(options)}。")
    return "".join(sorted(set(letters)))


def _require_answered(answer, qtype):
    blank = isinstance(answer, str) and not answer.strip()
    if answer is None or answer is Ellipsis or answer is NotImplemented or blank:
        example = {"判断": '"对"', "单选": '"B"', "多选": '"AC"'}[qtype]
        raise CRMError(f"这道{qtype}题还没有作答：请把答案写在引号里，例如 答案 = {example}。")


def _normalize_tf(answer):
    if isinstance(answer, bool):
        return "对" if answer else "错"
    if isinstance(answer, str):
        word = _NOISE.sub("", unicodedata.normalize("NFKC", answer)).upper()
        if word in TRUE_WORDS:
            return "对"
        if word in FALSE_WORDS:
            return "错"
    raise CRMError(f'判断题的答案「{answer}」无法识别。请写 "对" 或 "错"（也可以写 √/×、正确/错误、是/否、T/F）。')


def _letters_text(answer, qtype):
    if isinstance(answer, (list, tuple, set)) and all(isinstance(a, str) for a in answer):
        answer = ",".join(sorted(answer))
    if not isinstance(answer, str):
        raise CRMError(
            f'{qtype}题的答案应该是写在引号里的选项字母，例如 "B"；现在是 {type(answer).__name__} 类型的 {answer!r}。'
        )
    return unicodedata.normalize("NFKC", answer).upper()


def _unreadable(answer, qtype, options):
    if qtype == "单选":
        return f'单选题的答案「{answer}」无法识别。请写一个选项字母（{_span(options)}），例如 "B"。'
    return (
        f'多选题的答案「{answer}」无法识别。请写选项字母（{_span(options)}），例如 "AC"（也可以写 "A,C" 或 "A、C"）。'
    )


def canonical(q, answer):
    """Normalise `answer` for question `q` (its type and options)."""
    return normalize_answer(answer, q.type, q.letters or LETTERS)
