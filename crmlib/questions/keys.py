"""Practice answer keys as salted hashes: a self-learner can check an answer without seeing the key.

``solutions/pNN/teacher/practice_key.yaml`` (teacher only): ``p01-01: 对``,
``p01-05: B``, ``p01-09: ACD``. ``python course.py release`` turns it into
``exercises/pNN_check.json`` = ``{"salt": …, "hashes": {id: sha256(salt|id|answer)}}``.
Graded questions never get a hash: their keys stay with the teacher.
"""

import hashlib
import json
from pathlib import Path

from ..course.errors import CRMError
from .answers import canonical
from .bank import _read_yaml, exercises_dir, project_of, question


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

    >>> from crmlib.questions.bank import parse_bank
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
