"""Question banks: the file format, parsing with Chinese errors, and loading.

Practice bank ``exercises/pNN.yaml`` (public, no answers)::

    project: p07
    title: 大客户管理
    questions:
      - id: p07-01
        type: 判断              # 判断 | 单选 | 多选 | 案例分析
        stem: 题干……
        explanation: 解析……      # shown after the student answers
        point: 知识点1           # optional: the knowledge point it tests
      - id: p07-05
        type: 单选
        stem: 题干……
        options: {A: ……, B: ……, C: ……, D: ……}   # or a list, lettered A, B, C …
      - id: p07-20
        type: 案例分析          # a short case, then several 单选/多选 questions
        case: 案例……
        questions:
          - {id: p07-20-1, type: 单选, stem: ……, options: [……]}

A 案例分析 item is flattened: each sub-question becomes a :class:`Question`
whose ``case`` holds the case text. The graded pool (teacher only,
``solutions/pNN/teacher/graded.yaml``) has the same format with an
``answer:`` on every question and ``g`` ids (``p99-g01``).

>>> bank = parse_bank({"questions": [{"id": "p01-01", "type": "判断", "stem": "客户只是买东西的人。"}]}, "p01")
>>> bank.get("p01-01").type
'判断'
"""

import difflib
import re
from dataclasses import dataclass, field

import yaml

from ..course.errors import CRMError
from ..course.paths import load_yaml, resource_dir

TYPES = ("判断", "单选", "多选")
CASE = "案例分析"
LETTERS = "ABCDEF"
# p07-05 (practice), p99-g03 (graded), p07-20-1 (a 案例分析 sub-question)
ID_PATTERN = r"{project}-g?\d+(?:-\d+)?"


@dataclass(frozen=True)
class Question:
    """One bank question; `options` maps letters to option text (empty for 判断)."""

    id: str
    type: str
    stem: str
    options: dict = field(default_factory=dict)
    explanation: str = ""
    case: str = ""  # the case text, for a sub-question of a 案例分析
    point: str = ""  # the knowledge point it tests (e.g. "知识点3"), for the class report
    answer: str = ""  # graded pool only (teacher side): the key as written

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
        raise CRMError(f"题库 {self.project} 里没有编号为「{qid}」的题。{guess}本题库的题号从 {ids[0]} 到 {ids[-1]}。")


def exercises_dir():
    """Where banks and check files live: $CRM_EXERCISES, else the repository's exercises/."""
    return resource_dir("exercises")


def project_of(qid):
    """The project a question id belongs to.

    >>> project_of("p07-12")
    'p07'
    """
    m = re.fullmatch(ID_PATTERN.format(project=r"(p\d\d)"), str(qid))
    if not m:
        raise CRMError(f'题号「{qid}」的格式不对：应该像 "p01-05" 这样（项目编号-题号）。')
    return m.group(1)


def _read_yaml(path, what):
    if not path.exists():
        raise CRMError(
            f"找不到{what}文件「{path}」。请确认课程文件完整（老师可以运行 python course.py release 重新生成）。"
        )
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
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


def parse_bank(data, project):
    """Validate the parsed YAML of a bank and return a :class:`Bank`.

    >>> parse_bank({"questions": [{"id": "p01-01", "type": "判断", "stem": "客户只是买东西的人。"}]}, "p01").get("p01-01").type
    '判断'
    >>> parse_bank({"questions": [{"id": "p01-01", "type": "问答", "stem": "？"}]}, "p01")
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 题库 p01 第 1 题（p01-01）的题型「问答」不对：只能是 判断、单选、多选。
    """
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list) or not data["questions"]:
        raise CRMError(f"题库 {project} 的格式不对：最外层要有 questions: 列表，每一项是一道题。")
    if data.get("project", project) != project:
        raise CRMError(f"题库文件 {project}.yaml 里写的项目编号是「{data['project']}」，两者应该一致。")
    questions = tuple(q for i, item in enumerate(data["questions"], 1) for q in _parse_item(item, i, project))
    seen = set()
    for q in questions:
        if q.id in seen:
            raise CRMError(f"题库 {project} 里题号「{q.id}」出现了不止一次。每道题的编号必须唯一。")
        seen.add(q.id)
    return Bank(project, str(data.get("title", "")), questions)


def _parse_item(item, number, project):
    """The questions of one bank item: itself, or a 案例分析's sub-questions (sharing its case)."""
    if not isinstance(item, dict) or item.get("type") != CASE:
        return [_parse_question(item, number, project)]
    where = f"题库 {project} 第 {number} 题（{item.get('id', '')}，案例分析）"
    case, subs = item.get("case"), item.get("questions")
    if not isinstance(case, str) or not case.strip():
        raise CRMError(f"{where}缺少案例正文（case）。")
    if not isinstance(subs, list) or not subs:
        raise CRMError(f"{where}缺少小题（questions: 列表，每一项是一道单选或多选题）。")
    out = []
    for k, sub in enumerate(subs, 1):
        q = _parse_question(sub, f"{number}-{k}", project)
        out.append(
            Question(
                q.id,
                q.type,
                q.stem,
                q.options,
                q.explanation,
                case.strip(),
                q.point or str(item.get("point", "")),
                q.answer,
            )
        )
    return out


def _parse_question(item, number, project):
    where = f"题库 {project} 第 {number} 题"
    if not isinstance(item, dict):
        raise CRMError(f"{where}的格式不对：每道题应该写成 id/type/stem/… 这样的键值对。")
    qid = str(item.get("id", ""))
    if not re.fullmatch(ID_PATTERN.format(project=project), qid):
        raise CRMError(f'{where}的题号「{qid}」不对：应该像 "{project}-01" 这样。')
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
    answer = item.get("answer", "")
    return Question(
        qid,
        qtype,
        stem.strip(),
        options,
        explanation.strip(),
        "",
        str(item.get("point", "")),
        "" if answer is None else answer,
    )


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
    if letters != LETTERS[: len(raw)]:
        raise CRMError(
            f"{where}的选项应该依次是 {_span(LETTERS[: len(raw)])}（最多 A–F），现在是 {'、'.join(map(str, raw))}。"
        )
    if not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise CRMError(f"{where}有空的选项，请给每个选项写上内容。")
    return {str(k): v.strip() for k, v in raw.items()}


def _span(letters):
    return f"{letters[0]}–{letters[-1]}"
