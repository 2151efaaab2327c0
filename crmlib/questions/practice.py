"""The practice quiz widget (``crm.quiz("p07")``): answer, press 提交, see right or wrong at once."""

from html import escape

from .bank import load_bank
from .keys import is_correct, load_check
from .answers import canonical
from ..course.errors import CRMError


def feedback(q, answer, check):
    """Result of one practice answer: (True/False, or None if unusable, message).

    >>> from crmlib.questions.bank import parse_bank
    >>> from crmlib.questions.keys import build_check
    >>> bank = parse_bank({"questions": [{"id": "p01-01", "type": "判断", "stem": "？", "explanation": "因为……"}]}, "p01")
    >>> chk = build_check(bank, {"p01-01": "对"})
    >>> feedback(bank.get("p01-01"), "√", chk)
    (True, '√ 回答正确！解析：因为……')
    >>> feedback(bank.get("p01-01"), None, chk)[0] is None
    True
    """
    try:
        value = canonical(q, answer)
    except CRMError as exc:
        return None, f"注意：{exc}"
    note = f"解析：{q.explanation}" if q.explanation else ""
    if is_correct(q, value, check):
        return True, "√ 回答正确！" + note
    return False, f"× 回答错误（你选了 {value}）。" + note


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
    return (
        f"<div><b>{escape(bank.title or bank.project)} · 练习题（{len(questions)} 题）</b>"
        f"<ol>{''.join(items)}</ol><p>在 JupyterLab 中运行本格，即可逐题作答并立即看到对错。</p></div>"
    )


def _control(q):
    import ipywidgets as w

    if q.type == "多选":
        boxes = [
            w.Checkbox(description=label, value=False, indent=False, layout=w.Layout(width="auto"))
            for label, _ in _option_labels(q)
        ]
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
    return w.VBox(
        [stem, control, w.HBox([button, shown])], layout=w.Layout(margin="0 0 12px 0", border_bottom="1px solid #ddd")
    )


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
    """Practise a project's bank: choose, press 提交, see √/× with the explanation and a running score.

    Under nbgrader only a static list of the questions is shown.
    """
    from ..course.ui import show

    show(*build_quiz(project, ids))
