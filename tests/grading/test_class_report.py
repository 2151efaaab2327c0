"""The class report on a generated class with known answers: bands, hardest first, common wrong answers, follow-ups."""

import re
import warnings

import pytest

from support import GLYPH_RE
from crmlib.grading.class_report import (
    ClassData,
    answers_of,
    misconception,
    render_html,
    report_parts,
    write_report,
)
from crmlib.grading.roster import Student
from crmlib.grading.workbook import Assignment, Question, Result
from crmlib.questions.bank import Question as BankQuestion

Q1 = BankQuestion(
    "p99-g01",
    "单选",
    "人们对客户服务的认识经历了三个阶段，认识最全面的是（ ）。",
    {"A": "售后服务", "B": "产品服务", "C": "服务产品 + 产品服务", "D": "客服部门负责的全部工作"},
    "三个阶段依次是售后服务、产品服务、服务产品 + 产品服务。D 把客户服务当成一个部门的事，忽略了每个环节都在为客户服务。",
    point="知识点3",
)
Q2 = BankQuestion(
    "p99-g02", "判断", "内部客户服务的理念是“下一道工序就是客户”。", {}, "部门之间的交接也是服务关系。", point="知识点3"
)
Q3 = BankQuestion(
    "p99-g03",
    "多选",
    "属于客户服务特点的有（ ）。",
    {"A": "层次性", "B": "系统性", "C": "及时性", "D": "标准化（每位客户完全相同）", "E": "变革性"},
    "客户服务有五个特点。服务要有标准，但“每人完全一样”违背了多样性，所以 D 不对。",
    point="知识点4",
)
QUIZ = {"q01_test": (Q1, "C"), "q02_test": (Q2, "对"), "q03_test": (Q3, "ABCE")}
ASSIGNMENT = Assignment(
    "p99",
    [Question("q01_test", 2), Question("q02_test", 2), Question("q03_test", 2), Question("t1_test", 6)]
    + [Question("written", 10, manual=True)],
)
STUDENTS = [Student(f"02304{n:02d}", name, "营销1班") for n, name in enumerate("赵钱孙李周吴郑王冯陈褚卫", 1)]
# answers of the 10 who handed in (the last two did not): q01 6×D 2×A 2×C, q02 3×错, q03 4×ABCDE
Q01 = ["D"] * 6 + ["A"] * 2 + ["C"] * 2
Q02 = ["错"] * 3 + ["对"] * 7
Q03 = ["ABCDE"] * 4 + ["ABCE"] * 5 + [""]
T1 = [6, 6, 6, 6, 6, 3, 3, 0, 0, 6]


def make_class():
    results, answers = {}, {}
    for i, s in enumerate(STUDENTS[:10]):
        given = {"q01_test": Q01[i], "q02_test": Q02[i], "q03_test": Q03[i] or None}
        answers[s.sid] = given
        points = {gid: (2.0 if given[gid] == key else 0.0) for gid, (_, key) in QUIZ.items()}
        points["t1_test"] = T1[i]
        points["written"] = None if i in (0, 1) else (8 if i % 2 else 4)
        results[s.sid] = Result(points)
    flags = {STUDENTS[3].sid: ["调用外部程序（subprocess）"], STUDENTS[4].sid: []}
    return ClassData(
        "p99", "学习项目99 测试", ASSIGNMENT, STUDENTS, results, QUIZ, answers, flags, {"知识点3": "客户服务观念"}
    )


@pytest.fixture(scope="module")
def parts():
    return report_parts(make_class())


def test_hardest_question_first_with_its_rate(parts):
    got = [(q.gid, round(rate, 3), n) for q, rate, n in parts["rates"]]
    assert got == [
        ("q01_test", 0.2, 10),
        ("q03_test", 0.5, 10),
        ("written", 0.6, 8),
        ("q02_test", 0.7, 10),
        ("t1_test", 0.7, 10),
    ]


def test_score_bands_of_the_auto_part(parts):
    # auto scores: q01+q02+q03+t1 per student, out of 12
    assert parts["auto_max"] == 12
    assert sorted(parts["auto"]) == [4, 6, 6, 6, 6, 7, 7, 8, 10, 10]
    assert dict(parts["bands"]) == {
        "优（90% 及以上）": 0,
        "良（80%–89%）": 2,
        "中（70%–79%）": 0,
        "及格（60%–69%）": 1,
        "不及格（60% 以下）": 7,
    }


def test_common_wrong_answers_and_what_they_suggest(parts):
    wrong, answered, common = parts["wrong"]["q01_test"]
    assert (wrong, answered) == (8, 10)
    assert [(w, n) for w, n, _, _ in common] == [("D", 6), ("A", 2)]
    assert common[0][2:] == (
        "以为是 D：客服部门负责的全部工作",
        "D 把客户服务当成一个部门的事，忽略了每个环节都在为客户服务。",
    )
    # no sentence speaks of A: the general part of the explanation, not the one about D
    assert common[1][2:] == ("以为是 A：售后服务", "三个阶段依次是售后服务、产品服务、服务产品 + 产品服务。")
    assert parts["wrong"]["q02_test"][2][0][:3] == ("错", 3, "认为这句话不对")
    w3 = parts["wrong"]["q03_test"]
    assert w3[:2] == (4, 9) and w3[2][0][2] == "误选 D：标准化（每位客户完全相同）"
    assert "所以 D 不对" in w3[2][0][3]


def test_misconception_of_a_missed_option():
    belief, about = misconception(Q3, "ABC", "ABCE")
    assert belief == "漏选 E：变革性" and about == "客户服务有五个特点。"


def test_follow_ups(parts):
    assert parts["missing"] == ["0230411", "0230412"]
    assert parts["pending"] == ["0230401", "0230402"]
    assert parts["flags"] == {"0230404": ["调用外部程序（subprocess）"]}


def test_page_and_charts(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = write_report(make_class(), tmp_path)
    assert not [w for w in caught if GLYPH_RE.search(str(w.message))], "图里有字体缺字"
    import matplotlib

    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC CRM"  # the bundled font, on any machine
    for png in ("p99_分数分布.png", "p99_每题得分率.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = page.read_text(encoding="utf-8")
    assert page.name == "p99_班级报告.html" and text.count("data:image/png;base64,") == 2
    for needle in (
        "名单 12 人，交了 10 人，没交 2 人",
        "知识点3 客户服务观念",
        "“D”× 6 人",
        "8 / 10 人",
        "D 把客户服务当成一个部门的事",
        "0230411 褚（营销1班）",
        "书面作业待批阅（2 人）",
        "0230404 李（营销1班）：调用外部程序（subprocess）",
    ):
        assert needle in text, needle
    order = [text.index(f"<td>{label}（") for label in ("习题1", "习题3", "习题2")]
    assert order == sorted(order), "最难的题应排在前面"


def test_nobody_wrong_and_nobody_flagged():
    data = make_class()
    data.answers = {sid: {gid: key for gid, (_, key) in QUIZ.items()} for sid in data.results}
    data.flags = {}
    parts = report_parts(data)
    page = render_html(data, parts, b"", b"")
    assert "概念题没有人答错" in page and "没有发现可疑代码" in page


def test_answers_read_from_a_graded_copy():
    import nbformat

    nb = nbformat.v4.new_notebook()
    for gid, src in (("q01", '答案1 = "d"'), ("q02", "答案2 = 对"), ("setup", "x = 1"), ("q03", '答案3 = ""')):
        cell = nbformat.v4.new_code_cell(src)
        cell.metadata["nbgrader"] = {"grade_id": gid}
        nb.cells.append(cell)
    assert answers_of(nb) == {"q01_test": "d", "q02_test": None, "q03_test": ""}
    assert not re.search("setup", str(answers_of(nb)))
