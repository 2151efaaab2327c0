"""The class report (``python course.py report pNN``): one HTML page a teacher reads in two minutes.

What it shows, from the gradebook and the graded copies in ``grading/autograded/``:

- the distribution of the auto-graded score (优 / 良 / 中 / 及格 / 不及格 bands);
- each question's score rate with its knowledge point, hardest first;
- the most common wrong answers of the concept questions (判断/单选/多选), with
  what they suggest the students believe: the wrong options' text and the
  sentences of the explanation that speak of those options;
- who did not hand in, whose written answer waits for grading;
- the suspicious-code flags of ``course.py grade`` (recomputed from the graded copies).

Charts are PNG files drawn by matplotlib with crmlib's bundled Chinese font (a
machine with no CJK font draws them the same) and are embedded in the page.
The logic is pure (``question_rates``, ``score_bands``, ``wrong_answers``,
``render_html``); ``gather_class`` reads the course's files into it.

>>> score_bands([30, 27, 24, 21, 18, 5], 30)
[('优（90% 及以上）', 2), ('良（80%–89%）', 1), ('中（70%–79%）', 1), ('及格（60%–69%）', 1), ('不及格（60% 以下）', 1)]
"""

import ast
import base64
import html
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .workbook import MISSING, PENDING, question_label, question_order

BANDS = [
    ("优（90% 及以上）", 0.9),
    ("良（80%–89%）", 0.8),
    ("中（70%–79%）", 0.7),
    ("及格（60%–69%）", 0.6),
    ("不及格（60% 以下）", -1),
]
CONCEPT_TYPES = {"判断", "单选", "多选"}


@dataclass
class ClassData:
    project: str
    title: str
    assignment: object  # workbook.Assignment
    students: list  # roster.Student
    results: dict  # 学号 -> workbook.Result (only those who handed in)
    quiz: dict = field(default_factory=dict)  # grade id -> (Question, canonical key)
    answers: dict = field(default_factory=dict)  # 学号 -> {grade id: the answer as written (str) or None}
    flags: dict = field(default_factory=dict)  # 学号 -> [Chinese flag]
    points: dict = field(default_factory=dict)  # "知识点3" -> its title


# ---------------------------------------------------------------- the numbers


def score_bands(scores, maximum):
    """[(band, count)] of scores by share of `maximum` (优 ≥ 90%, 良, 中, 及格, 不及格 < 60%)."""
    counts = Counter()
    for s in scores:
        share = s / maximum if maximum else 0
        counts[next(label for label, low in BANDS if share >= low - 1e-9)] += 1
    return [(label, counts[label]) for label, _ in BANDS]


def question_rates(assignment, results):
    """[(Question, rate 0–1, graded count)] for questions with at least one number, hardest first."""
    out = []
    for q in assignment.questions:
        got = [r.points.get(q.gid) for r in results.values()]
        nums = [g for g in got if isinstance(g, (int, float))]
        if nums and q.max_score:
            out.append((q, sum(nums) / (len(nums) * q.max_score), len(nums)))
    return sorted(out, key=lambda t: (t[1], question_order(t[0].gid)))


def _letters_of(text):
    return re.findall(r"[A-Z]", text)


def misconception(q, wrong, key):
    """What a wrong answer suggests: the option texts chosen or missed, and the explanation's sentences about them."""
    if q.type == "判断":
        belief = f"认为这句话{'对' if wrong == '对' else '不对'}"
        letters = []
    elif q.type == "单选":
        belief = f"以为是 {wrong}：{q.options.get(wrong, '')}"
        letters = [wrong]
    else:
        chosen, right = set(wrong), set(key)
        extra, missed = sorted(chosen - right), sorted(right - chosen)
        parts = [f"误选 {ch}：{q.options.get(ch, '')}" for ch in extra]
        parts += [f"漏选 {ch}：{q.options.get(ch, '')}" for ch in missed]
        belief = "；".join(parts)
        letters = extra or missed
    sentences = [s + "。" for s in q.explanation.split("。") if s.strip()]

    def names(sentence, letter):
        return re.search(rf"(?<![A-Za-z]){letter}(?![A-Za-z])", sentence)

    about = [s for s in sentences if any(names(s, ch) for ch in letters)]
    general = [s for s in sentences if not any(names(s, ch) for ch in q.options)]  # about no option in particular
    return belief, "".join(about or general) or q.explanation


def wrong_answers(quiz, answers, top=3):
    """{grade id: (wrong count, answered count, [(wrong answer, count, belief, explanation)])} of the concept questions."""
    from ..questions.answers import canonical

    out = {}
    for gid, (q, key) in quiz.items():
        if q.type not in CONCEPT_TYPES:
            continue
        counts, answered = Counter(), 0
        for given in answers.values():
            raw = given.get(gid)
            if raw in (None, ""):
                continue
            answered += 1
            try:
                value = canonical(q, raw)
            except Exception:  # noqa: BLE001  (an unreadable answer counts as written)
                value = str(raw).strip()
            if value != key:
                counts[value] += 1
        common = [(w, n, *misconception(q, w, key)) for w, n in counts.most_common(top)]
        out[gid] = (sum(counts.values()), answered, common)
    return out


# ---------------------------------------------------------------- charts


def _figure_png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    return buf.getvalue()


def band_chart(bands, title):
    """PNG bytes: a bar per score band (counts), drawn with the bundled Chinese font."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..course.fonts import PALETTE, use_chinese_font

    use_chinese_font()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    labels = [b for b, _ in bands]
    counts = [n for _, n in bands]
    colors = [PALETTE[2], PALETTE[0], PALETTE[6], PALETTE[1], PALETTE[3]]
    bars = ax.bar(range(len(labels)), counts, color=colors[: len(labels)])
    ax.set_xticks(range(len(labels)), labels=[b.replace("（", "\n").rstrip("）") for b in labels], fontsize=9)
    ax.bar_label(bars, labels=[f"{n} 人" for n in counts], fontsize=9)
    ax.set_ylabel("人数")
    ax.set_title(title)
    ax.set_ylim(0, max(counts + [1]) * 1.2)
    ax.spines[["top", "right"]].set_visible(False)
    png = _figure_png(fig)
    plt.close(fig)
    return png


def rate_chart(rates, names, title):
    """PNG bytes: horizontal bars of score rates, hardest at the top, red below 60%."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..course.fonts import PALETTE, use_chinese_font

    use_chinese_font()
    fig, ax = plt.subplots(figsize=(7, 0.9 + 0.32 * max(1, len(rates))))
    labels = [names[q.gid] for q, _, _ in rates][::-1]
    values = [r * 100 for _, r, _ in rates][::-1]
    colors = [PALETTE[3] if v < 60 else PALETTE[0] for v in values]
    bars = ax.barh(range(len(values)), values, color=colors)
    ax.set_yticks(range(len(values)), labels=labels, fontsize=9)
    ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], fontsize=8, padding=2)
    ax.set_xlim(0, 110)
    ax.axvline(60, color="#999999", linewidth=0.8, linestyle="--")
    ax.set_xlabel("得分率（%），红色低于 60%")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    png = _figure_png(fig)
    plt.close(fig)
    return png


# ---------------------------------------------------------------- the page


def _point_text(q, data):
    quiz = data.quiz.get(q.gid)
    point = quiz[0].point if quiz else ""
    if q.manual:
        return "书面作业"
    if not point:
        return "实践训练" if q.gid.startswith("t") else "（题库未标注知识点）"
    named = [f"{p} {data.points[p]}".strip() if p in data.points else p for p in re.split(r"[、，,\s]+", point) if p]
    return "、".join(named)


def question_names(data):
    """{grade id: short chart label} like "习题3 · 知识点2"."""
    out = {}
    for q in data.assignment.questions:
        quiz = data.quiz.get(q.gid)
        point = quiz[0].point if quiz and quiz[0].point else ""
        out[q.gid] = question_label(q.gid) + (f" · {point}" if point else "")
    return out


def report_parts(data):
    """Everything the page shows, as plain values (tested without rendering)."""
    a = data.assignment
    auto_max = a.max_of(False)
    auto = [r.part(a, False) for r in data.results.values()]
    auto = [x for x in auto if isinstance(x, (int, float))]
    roster = {s.sid: s for s in data.students}
    missing = sorted(sid for sid in roster if sid not in data.results)
    pending = sorted(sid for sid, r in data.results.items() if r.part(a, True) == PENDING)
    return {
        "bands": score_bands(auto, auto_max),
        "auto": auto,
        "auto_max": auto_max,
        "rates": question_rates(a, data.results),
        "wrong": wrong_answers(data.quiz, {sid: data.answers.get(sid, {}) for sid in data.results}),
        "missing": missing,
        "pending": pending,
        "flags": {sid: f for sid, f in sorted(data.flags.items()) if f},
    }


def render_html(data, parts, band_png, rate_png):
    """The self-contained HTML page (charts embedded as PNG)."""
    e = html.escape
    roster = {s.sid: s for s in data.students}

    def who(sid):
        s = roster.get(sid)
        return e(f"{sid} {s.name}{'（' + s.klass + '）' if s and s.klass else ''}" if s else sid)

    def img(png, alt):
        return f'<img alt="{e(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'

    auto = parts["auto"]
    mean = f"{sum(auto) / len(auto):.1f}" if auto else "—"
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(data.project)} 班级报告</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;line-height:1.6}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;vertical-align:top}"
        "th{background:#eee}.low{color:#C8453B;font-weight:bold}img{max-width:100%}</style></head><body>",
        f"<h1>{e(data.project)} {e(data.title)} · 班级报告</h1>",
        f"<p>名单 {len(roster)} 人，交了 {len(data.results)} 人，没交 {len(parts['missing'])} 人；"
        f"自动评分部分（满分 {parts['auto_max']:g} 分）平均 {mean} 分。</p>",
        "<h2>一、分数分布（自动评分部分）</h2>",
        img(band_png, "分数分布"),
        "<h2>二、每题得分率（最难的在前）</h2>",
        img(rate_png, "每题得分率"),
        "<table><tr><th>题目</th><th>知识点</th><th>得分率</th><th>计入人数</th></tr>",
    ]
    for q, rate, n in parts["rates"]:
        cls = ' class="low"' if rate < 0.6 else ""
        out.append(
            f"<tr><td>{e(question_label(q.gid))}（{q.max_score:g}分）</td><td>{e(_point_text(q, data))}</td>"
            f"<td{cls}>{rate:.0%}</td><td>{n}</td></tr>"
        )
    out.append("</table>")
    out.append("<h2>三、概念题最常见的错误答案</h2>")
    rows = [(gid, w) for gid, w in sorted(parts["wrong"].items(), key=lambda t: -t[1][0]) if w[0]]
    if not rows:
        out.append("<p>概念题没有人答错。</p>")
    else:
        out.append("<table><tr><th>题目</th><th>答错</th><th>常见错误答案</th><th>说明学生可能这样想</th></tr>")
        for gid, (wrong, answered, common) in rows:
            q, key = data.quiz[gid]
            stem = e(q.stem[:60] + ("……" if len(q.stem) > 60 else ""))
            items = "<br>".join(f"“{e(w)}”× {n} 人" for w, n, _, _ in common)
            beliefs = "<br>".join(f"<b>{e(w)}</b>：{e(b)}。{e(x)}" for w, _, b, x in common)
            out.append(
                f"<tr><td>{e(question_label(gid))}：{stem}（正确答案 {e(key)}）</td><td>{wrong} / {answered} 人</td>"
                f"<td>{items}</td><td>{beliefs}</td></tr>"
            )
        out.append("</table>")
    out.append("<h2>四、需要老师跟进的学生</h2>")
    out.append(
        f"<p><b>没交（{len(parts['missing'])} 人）</b>：{'、'.join(who(s) for s in parts['missing']) or '无'}</p>"
    )
    out.append(
        f"<p><b>书面作业{PENDING}（{len(parts['pending'])} 人）</b>：{'、'.join(who(s) for s in parts['pending']) or '无'}"
        "（在 Formgrader 里批阅）</p>"
    )
    out.append("<h2>五、可疑代码（只提示，不自动扣分）</h2>")
    if parts["flags"]:
        out.append("<ul>")
        out += [f"<li>{who(sid)}：{e('；'.join(f))}</li>" for sid, f in parts["flags"].items()]
        out.append("</ul>")
    else:
        out.append("<p>没有发现可疑代码。</p>")
    out.append(f"<p style='color:#888'>未交的学生写作“{MISSING}”，不计入分布和得分率。</p></body></html>")
    return "\n".join(out)


def write_report(data, folder):
    """Write pNN_班级报告.html and its two PNG charts into `folder`; return the HTML path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    parts = report_parts(data)
    band_png = band_chart(parts["bands"], f"{data.project} 分数分布（自动评分部分，满分 {parts['auto_max']:g} 分）")
    rate_png = rate_chart(parts["rates"], question_names(data), f"{data.project} 每题得分率（最难的在上）")
    (folder / f"{data.project}_分数分布.png").write_bytes(band_png)
    (folder / f"{data.project}_每题得分率.png").write_bytes(rate_png)
    page = folder / f"{data.project}_班级报告.html"
    page.write_text(render_html(data, parts, band_png, rate_png), encoding="utf-8")
    return page


# ---------------------------------------------------------------- reading the course's files


def answers_of(nb):
    """{grade id of the check cell: the answer string} from the answer cells (``答案3 = "B"``) of a graded copy."""
    out = {}
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if cell.get("cell_type") != "code" or not re.fullmatch(r"q\d+", gid):
            continue
        value = None
        try:
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                    value = node.value.value if isinstance(node.value.value, str) else str(node.value.value)
        except SyntaxError:
            value = None
        out[gid + "_test"] = value
    return out


def gather_class(root, project):
    """ClassData of `project` from the gradebook, the roster, the graded pool and grading/autograded/."""
    import nbformat

    from .flags import flags_of
    from .grader import load_assignment
    from .workbook import gather

    root = Path(root)
    students, assignments, results = gather(root)
    found = [a for a in assignments if a.name == project]
    if not found:
        raise SystemExit(
            f"成绩库里还没有 {project}：先收作业并评分（python course.py grade {project}），再生成班级报告。"
        )
    a = load_assignment(project, root)
    data = ClassData(
        project,
        "",
        found[0],
        students,
        {sid: r for (name, sid), r in results.items() if name == project},
        quiz={gid: (q, key) for gid, (_, q, key) in a.quiz.items()},
    )
    for cell in a.master.cells:
        if cell.cell_type == "markdown":
            for m in re.finditer(r"^###\s*(知识点\d+)\s*(.*)$", cell.source, re.M):
                data.points.setdefault(m.group(1), m.group(2).strip())
            title = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if title and not data.title:
                data.title = title.group(1).strip()
    for sid in data.results:
        path = root / "grading" / "autograded" / sid / project / a.notebook_name
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        data.answers[sid] = answers_of(nb)
        code = [
            c.source
            for c in nb.cells
            if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_test")
        ]
        data.flags[sid] = flags_of(code)
    return data


def make_report(root, project):
    """Write the report under grading/report/pNN/; return the Chinese summary."""
    page = write_report(gather_class(root, project), Path(root) / "grading" / "report" / project)
    return f"班级报告已生成：{page.relative_to(root).as_posix()}（用浏览器打开；两张图也另存为同一文件夹里的 PNG）。"
