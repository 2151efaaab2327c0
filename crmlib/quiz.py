"""Question bank (题库): load it, normalise answers, check, grade and practise.

Bank file ``exercises/pNN.yaml`` (public, no answers)::

    project: p01
    title: 认识客户关系管理工作
    questions:
      - id: p01-01
        type: 判断              # 判断 | 单选 | 多选
        stem: 题干……
        explanation: 解析……      # shown after the student answers
      - id: p01-05
        type: 单选
        stem: 题干……
        options: {A: ……, B: ……, C: ……, D: ……}   # or a list, lettered A, B, C …
        explanation: 解析……

Answer key ``solutions/pNN/answer_key.yaml`` (teacher only): ``p01-01: 对``,
``p01-05: B``, ``p01-09: ACD``. ``python course.py release`` turns it into
``exercises/pNN_check.json`` = ``{"salt": …, "hashes": {id: sha256(salt|id|answer)}}``,
which lets a self-learner check answers without ever seeing the key.

>>> normalize_answer("√", "判断"), normalize_answer("（ｂ）", "单选"), normalize_answer("a、c", "多选")
('对', 'B', 'AC')
"""
import difflib
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml

from .checks import CheckFailed
from .errors import CRMError

REPO_EXERCISES = Path(__file__).resolve().parent.parent / "exercises"
TYPES = ("判断", "单选", "多选")
LETTERS = "ABCDEF"
TRUE_WORDS = {"对", "√", "✓", "✔", "正确", "T", "TRUE", "是"}
FALSE_WORDS = {"错", "×", "✗", "✘", "✕", "X", "错误", "F", "FALSE", "否"}
# Separators and brackets students put around letters: "B." "(B)" "A、C" "A, C".
_NOISE = re.compile(r"[\s.,;:/、。，；：\"'“”‘’()\[\]{}【】「」《》]+")


@dataclass(frozen=True)
class Question:
    """One bank question; `options` maps letters to option text (empty for 判断)."""
    id: str
    type: str
    stem: str
    options: dict = field(default_factory=dict)
    explanation: str = ""

    @property
    def letters(self):
        return "".join(self.options)


@dataclass(frozen=True)
class Bank:
    """The questions of one project, in bank order."""
    project: str
    title: str
    questions: tuple

    def __iter__(self):
        return iter(self.questions)

    def __len__(self):
        return len(self.questions)

    def get(self, qid):
        """The question `qid`, or a Chinese error that suggests a close id."""
        for q in self.questions:
            if q.id == qid:
                return q
        ids = [q.id for q in self.questions]
        close = difflib.get_close_matches(str(qid), ids, n=1, cutoff=0.6)
        guess = f"你是不是想写「{close[0]}」？" if close else ""
        raise CRMError(f"题库 {self.project} 里没有编号为「{qid}」的题。{guess}"
                       f"本题库的题号从 {ids[0]} 到 {ids[-1]}。")


# ---------------------------------------------------------------- files

def exercises_dir():
    """Where banks and check files live: $CRM_EXERCISES, else the repository's exercises/."""
    return Path(os.environ.get("CRM_EXERCISES", REPO_EXERCISES))


def project_of(qid):
    """The project a question id belongs to.

    >>> project_of("p07-12")
    'p07'
    """
    m = re.fullmatch(r"(p\d\d)-\d+", str(qid))
    if not m:
        raise CRMError(f"题号「{qid}」的格式不对：应该像 \"p01-05\" 这样（项目编号-题号）。")
    return m.group(1)


def _read_yaml(path, what):
    if not path.exists():
        raise CRMError(f"找不到{what}文件「{path}」。请确认课程文件完整"
                       "（老师可以运行 python course.py release 重新生成）。")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CRMError(f"{what}文件「{path.name}」不是合法的 YAML：{exc}") from None


_BANK_CACHE = {}


def load_bank(project):
    """Read and validate ``exercises/<project>.yaml`` (cached until the file changes)."""
    path = exercises_dir() / f"{project}.yaml"
    stamp = (str(path), path.stat().st_mtime_ns if path.exists() else None)
    if stamp not in _BANK_CACHE:
        _BANK_CACHE[stamp] = parse_bank(_read_yaml(path, "题库"), project)
    return _BANK_CACHE[stamp]


def question(qid):
    """The bank question with id `qid` (its project's bank is loaded on demand)."""
    return load_bank(project_of(qid)).get(qid)


# ---------------------------------------------------------------- validation

def parse_bank(data, project):
    """Validate the parsed YAML of a bank and return a :class:`Bank`.

    >>> parse_bank({"questions": [{"id": "p01-01", "type": "判断", "stem": "客户只是买东西的人。"}]}, "p01").get("p01-01").type
    '判断'
    >>> parse_bank({"questions": [{"id": "p01-01", "type": "问答", "stem": "？"}]}, "p01")
    Traceback (most recent call last):
    ...
    crmlib.errors.CRMError: 题库 p01 第 1 题（p01-01）的题型「问答」不对：只能是 判断、单选、多选。
    """
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list) or not data["questions"]:
        raise CRMError(f"题库 {project} 的格式不对：最外层要有 questions: 列表，每一项是一道题。")
    if data.get("project", project) != project:
        raise CRMError(f"题库文件 {project}.yaml 里写的项目编号是「{data['project']}」，两者应该一致。")
    questions = tuple(_parse_question(item, i, project) for i, item in enumerate(data["questions"], 1))
    seen = set()
    for q in questions:
        if q.id in seen:
            raise CRMError(f"题库 {project} 里题号「{q.id}」出现了不止一次。每道题的编号必须唯一。")
        seen.add(q.id)
    return Bank(project, str(data.get("title", "")), questions)


def _parse_question(item, number, project):
    where = f"题库 {project} 第 {number} 题"
    if not isinstance(item, dict):
        raise CRMError(f"{where}的格式不对：每道题应该写成 id/type/stem/… 这样的键值对。")
    qid = str(item.get("id", ""))
    if not re.fullmatch(rf"{project}-\d+", qid):
        raise CRMError(f"{where}的题号「{qid}」不对：应该像 \"{project}-01\" 这样。")
    where += f"（{qid}）"
    qtype = item.get("type")
    if qtype not in TYPES:
        raise CRMError(f"{where}的题型「{qtype}」不对：只能是 {'、'.join(TYPES)}。")
    stem = item.get("stem")
    if not isinstance(stem, str) or not stem.strip():
        raise CRMError(f"{where}缺少题干（stem）。")
    options = _parse_options(item.get("options"), qtype, where)
    explanation = item.get("explanation", "")
    if not isinstance(explanation, str):
        raise CRMError(f"{where}的解析（explanation）应该是一段文字。")
    return Question(qid, qtype, stem.strip(), options, explanation.strip())


def _parse_options(raw, qtype, where):
    if qtype == "判断":
        if raw:
            raise CRMError(f"{where}是判断题，不需要 options（答案只能是 对 或 错）。")
        return {}
    if isinstance(raw, list):
        raw = dict(zip(LETTERS, raw))
    if not isinstance(raw, dict) or len(raw) < 2:
        raise CRMError(f"{where}是{qtype}题，至少要有两个选项（options: {{A: …, B: …}}）。")
    letters = "".join(str(k) for k in raw)
    if letters != LETTERS[:len(raw)]:
        raise CRMError(f"{where}的选项应该依次是 {_span(LETTERS[:len(raw)])}（最多 A–F），现在是 {'、'.join(map(str, raw))}。")
    if not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise CRMError(f"{where}有空的选项，请给每个选项写上内容。")
    return {str(k): v.strip() for k, v in raw.items()}


def _span(letters):
    return f"{letters[0]}–{letters[-1]}"


# ---------------------------------------------------------------- normalisation

def normalize_answer(answer, qtype, options=LETTERS):
    """Canonical form of a student's answer: "对"/"错", one letter, or sorted letters.

    `options` is the string of valid letters (e.g. "ABCD").

    >>> normalize_answer(True, "判断"), normalize_answer(" b. ", "单选"), normalize_answer(["C", "a", "C"], "多选")
    ('对', 'B', 'AC')
    >>> normalize_answer("E", "单选", "ABCD")
    Traceback (most recent call last):
    ...
    crmlib.errors.CRMError: 选项 E 不存在：本题只有 A–D。
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
        raise CRMError(f"单选题只能选一个选项，你写了「{letters}」。请只写一个字母，例如 \"B\"。")
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
    raise CRMError(f"判断题的答案「{answer}」无法识别。请写 \"对\" 或 \"错\""
                   "（也可以写 √/×、正确/错误、是/否、T/F）。")


def _letters_text(answer, qtype):
    if isinstance(answer, (list, tuple, set)) and all(isinstance(a, str) for a in answer):
        answer = ",".join(sorted(answer))
    if not isinstance(answer, str):
        raise CRMError(f"{qtype}题的答案应该是写在引号里的选项字母，例如 \"B\"；"
                       f"现在是 {type(answer).__name__} 类型的 {answer!r}。")
    return unicodedata.normalize("NFKC", answer).upper()


def _unreadable(answer, qtype, options):
    if qtype == "单选":
        return f"单选题的答案「{answer}」无法识别。请写一个选项字母（{_span(options)}），例如 \"B\"。"
    return (f"多选题的答案「{answer}」无法识别。请写选项字母（{_span(options)}），"
            "例如 \"AC\"（也可以写 \"A,C\" 或 \"A、C\"）。")


def canonical(q, answer):
    """Normalise `answer` for question `q` (its type and options)."""
    return normalize_answer(answer, q.type, q.letters or LETTERS)


# ---------------------------------------------------------------- hashes

def project_salt(project):
    """The salt of a project's check file: fixed per project so releases are reproducible.

    >>> len(project_salt("p01"))
    16
    """
    return hashlib.sha256(f"客户关系管理|{project}".encode("utf-8")).hexdigest()[:16]


def answer_hash(salt, qid, canonical_answer):
    """sha256 hex of ``salt|qid|canonical_answer``."""
    return hashlib.sha256(f"{salt}|{qid}|{canonical_answer}".encode("utf-8")).hexdigest()


def read_key(path, bank):
    """Read an answer key and check it against `bank`; return {id: canonical answer}."""
    raw = _read_yaml(Path(path), "答案")
    if not isinstance(raw, dict):
        raise CRMError(f"答案文件「{path}」的格式不对：每行应该是 题号: 答案，例如 p01-01: 对。")
    return check_key(bank, raw)


def check_key(bank, raw):
    """Validate a key (every bank id answered, answers fit the questions); canonicalise it.

    >>> bank = parse_bank({"questions": [{"id": "p01-01", "type": "判断", "stem": "？"}]}, "p01")
    >>> check_key(bank, {"p01-01": True})
    {'p01-01': '对'}
    """
    ids = {q.id for q in bank}
    extra = sorted(set(map(str, raw)) - ids)
    if extra:
        raise CRMError(f"答案里有题库 {bank.project} 中不存在的题号：{'、'.join(extra)}。")
    key = {}
    for q in bank:
        if q.id not in raw:
            raise CRMError(f"题库 {bank.project} 的 {q.id} 没有答案。")
        try:
            key[q.id] = canonical(q, raw[q.id])
        except CRMError as exc:
            raise CRMError(f"{q.id} 的答案「{raw[q.id]}」与题目不符：{exc}") from None
    return key


def build_check(bank, key):
    """The content of ``<project>_check.json`` for a validated key."""
    salt = project_salt(bank.project)
    return {"salt": salt, "hashes": {qid: answer_hash(salt, qid, key[qid]) for qid in sorted(key)}}


def dump_check(check):
    """Serialise a check file deterministically (sorted keys, LF, final newline)."""
    return json.dumps(check, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def load_check(project):
    """Read ``exercises/<project>_check.json``."""
    path = exercises_dir() / f"{project}_check.json"
    if not path.exists():
        raise CRMError(f"找不到对答案用的文件「{path.name}」。请老师运行 python course.py release 生成它。")
    return json.loads(path.read_text(encoding="utf-8"))


def is_correct(q, canonical_answer, check):
    """Whether a canonical answer matches the hash in `check`."""
    expected = check["hashes"].get(q.id)
    if expected is None:
        raise CRMError(f"对答案用的文件里没有 {q.id}。请老师运行 python course.py release 重新生成。")
    return answer_hash(check["salt"], q.id, canonical_answer) == expected


def check_answer(qid, answer):
    """(correct, explanation) for a self-learner, using the salted hashes only."""
    q = question(qid)
    return is_correct(q, canonical(q, answer), load_check(project_of(qid))), q.explanation


# ---------------------------------------------------------------- notebook tests

def check_choice(qid, answer):
    """Visible test: the answer is given and well formed. Never says whether it is right."""
    q = question(qid)
    try:
        value = canonical(q, answer)
    except CRMError as exc:
        raise CheckFailed(f"题目 {qid}：{exc}") from None
    print(f"✅ 题目 {qid} 已作答，格式正确（{q.type}题，答案记为 {value}）。提交后由系统判分。")


def grade_choice(qid, answer, key):
    """Hidden test: compare the answer with `key`; fail with the explanation when wrong."""
    q = question(qid)
    expected = canonical(q, key)
    try:
        value = canonical(q, answer)
    except CRMError as exc:
        raise CheckFailed(f"题目 {qid}：{exc}") from None
    if value != expected:
        note = f"\n解析：{q.explanation}" if q.explanation else ""
        raise CheckFailed(f"题目 {qid} 答案不正确。{note}")


# ---------------------------------------------------------------- practice widget

def feedback(q, answer, check):
    """Result of one practice answer: (True/False, or None if unusable, message).

    >>> bank = parse_bank({"questions": [{"id": "p01-01", "type": "判断", "stem": "？", "explanation": "因为……"}]}, "p01")
    >>> chk = build_check(bank, {"p01-01": "对"})
    >>> feedback(bank.get("p01-01"), "√", chk)
    (True, '✔ 回答正确！解析：因为……')
    >>> feedback(bank.get("p01-01"), None, chk)[0] is None
    True
    """
    try:
        value = canonical(q, answer)
    except CRMError as exc:
        return None, f"⚠ {exc}"
    note = f"解析：{q.explanation}" if q.explanation else ""
    if is_correct(q, value, check):
        return True, "✔ 回答正确！" + note
    return False, f"✘ 回答错误（你选了 {value}）。" + note


def score_text(results, total):
    """Running score line; `results` maps question id to True/False.

    >>> score_text({"p01-01": True, "p01-02": False}, 15)
    '已作答 2 / 15 题，答对 2 题中的 1 题。'
    """
    done = len(results)
    right = sum(1 for r in results.values() if r)
    return f"已作答 {done} / {total} 题，答对 {done} 题中的 {right} 题。"


def select(bank, ids=None):
    """The questions of `bank` to practise: all, or those in `ids` (in that order)."""
    if ids is None:
        return list(bank)
    if isinstance(ids, str):
        ids = [ids]
    return [bank.get(qid) for qid in ids]


def _option_labels(q):
    if q.type == "判断":
        return [("对", "对"), ("错", "错")]
    return [(f"{letter}. {text}", letter) for letter, text in q.options.items()]


def static_html(bank, questions):
    """What the quiz shows under nbgrader: the questions as a plain list."""
    items = []
    for q in questions:
        opts = "".join(f"<li>{escape(label)}</li>" for label, _ in _option_labels(q)) if q.options else ""
        items.append(f"<li><b>（{q.type}）</b>{escape(q.stem)}<ul>{opts}</ul></li>")
    return (f"<div><b>{escape(bank.title or bank.project)} · 练习题（{len(questions)} 题）</b>"
            f"<ol>{''.join(items)}</ol><p>在 JupyterLab 中运行本格，即可逐题作答并立即看到对错。</p></div>")


def _control(q):
    import ipywidgets as w
    if q.type == "多选":
        boxes = [w.Checkbox(description=label, value=False, indent=False, layout=w.Layout(width="auto"))
                 for label, _ in _option_labels(q)]
        return w.VBox(boxes), lambda: "".join(letter for box, letter in zip(boxes, q.letters) if box.value) or None
    radio = w.RadioButtons(options=_option_labels(q), value=None, layout=w.Layout(width="auto"))
    return radio, lambda: radio.value


def _question_box(q, number, check, results, on_change):
    import ipywidgets as w
    control, read = _control(q)
    button = w.Button(description="提交", button_style="primary", layout=w.Layout(width="80px"))
    shown = w.HTML()

    def submit(_):
        correct, message = feedback(q, read(), check)
        if correct is not None:
            results[q.id] = correct
        colour = {True: "#1a7f37", False: "#c0392b", None: "#b26a00"}[correct]
        shown.value = f"<span style='color:{colour}'>{escape(message)}</span>"
        on_change()

    button.on_click(submit)
    stem = w.HTML(f"<b>{number}.（{q.type}）</b>{escape(q.stem)}")
    return w.VBox([stem, control, w.HBox([button, shown])],
                  layout=w.Layout(margin="0 0 12px 0", border_bottom="1px solid #ddd"))


def build_quiz(project, ids=None):
    """The practice widget over a project's bank (or the questions `ids`), and its static view."""
    import ipywidgets as w
    bank = load_bank(project)
    questions = select(bank, ids)
    check = load_check(project)
    results = {}
    score = w.HTML()

    def refresh():
        score.value = f"<b>{score_text(results, len(questions))}</b>"

    refresh()
    boxes = [_question_box(q, i, check, results, refresh) for i, q in enumerate(questions, 1)]
    title = w.HTML(f"<h3>{escape(bank.title or project)} · 练习题</h3>")
    return w.VBox([title, score, *boxes, score]), static_html(bank, questions)


def quiz(project, ids=None):
    """Practise a project's bank: choose, press 提交, see ✔/✘ with the explanation and a running score.

    Under nbgrader only a static list of the questions is shown.
    """
    from .ui import show
    show(*build_quiz(project, ids))
