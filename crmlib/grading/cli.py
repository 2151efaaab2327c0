"""Command line of the grader (``python course.py grade|feedback|score|roundtrip``).

grade pNN [--student ID ...] [--timeout S] [--workers N] [--create]
    grade grading/submitted/<学号>/pNN/ into the gradebook and grading/autograded/
feedback pNN [--student ID ...]
    HTML feedback under grading/feedback/ (scores and Chinese messages, no hidden tests or keys)
score --notebook PATH [pNN]
    a self-learner's score of one saved notebook, no gradebook involved
roundtrip pNN
    the solution must get full points, a blank copy 0, a copy with one wrong answer exactly its points off
students import 名单.xlsx|.csv
    the class roster into the gradebook and grading/roster.csv (学号 kept as text, 班级 kept)
collect pNN 文件夹或.zip [--dry-run]
    hand-ins (a zip, folder or .ipynb per student, GBK or UTF-8 names) into grading/submitted/<学号>/pNN/
report pNN
    the class report: grading/report/pNN/pNN_班级报告.html with its charts as PNG
grades [--csv] [--to FILE] [--assignment pNN ...]
    the gradebook as an Excel workbook 成绩.xlsx (or 成绩.csv): a row per student, sorted by 学号
"""

import argparse
import copy
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from ..course.paths import course_root
from . import gradebook
from .grader import IntegrityError, grade_class, grade_submission, load_assignment, submissions, summary
from .sandbox import NO_SANDBOX, sandbox_available


def label(test_id):
    """Chinese name of a check cell: q03_test -> 第3题, t2_test -> 任务 2."""
    m = re.fullmatch(r"q(\d\d)_test", test_id)
    if m:
        return f"课后习题第{int(m.group(1))}题"
    m = re.fullmatch(r"t(\d+)_test", test_id)
    return f"实践训练任务 {m.group(1)}" if m else test_id


def report(outcome, assignment):
    """A self-learner's report: points per question and, for what failed, the message (never the answer)."""
    total = sum(assignment.points.values())
    lines = [f"{assignment.project} 自动评分：{outcome.total():g} / {total:g} 分（书面作业由老师批阅，不计在内）"]
    for test_id, pts in assignment.points.items():
        got = outcome.scores.get(test_id, 0)
        mark = "√" if got >= pts else ("△" if got > 0 else "×")
        msg = "；".join(outcome.messages.get(test_id) or [])
        lines.append(f"  {mark} {label(test_id)}：{got:g} / {pts:g}" + (f" —— {msg}" if msg else ""))
    for title, items in (("修复", outcome.repairs), ("注意", outcome.problems)):
        for item in items:
            lines.append(f"  {title}：{item}")
    return "\n".join(lines)


def cmd_grade(args):
    root = course_root()
    a = load_assignment(args.project, root)
    if gradebook.ensure_assignment(root, args.project):
        print(f"已在成绩库中登记作业 {args.project}。")
    subs = submissions(root, args.project, a.notebook_name, args.student or None)
    if not subs:
        print(
            f"grading/submitted/ 下面没有 {args.project} 的作业。先收作业：python course.py collect {args.project} 收上来的文件夹"
            f"（或手工放成每位学生一个文件夹：grading/submitted/<学号>/{args.project}/）"
        )
        return 1
    known = gradebook.known_students(root)
    unknown = [sid for sid, _ in subs if sid not in known]
    if unknown and not args.create:
        print(
            f"这些文件夹名不在学生名单里，先跳过：{'、'.join(unknown)}。"
            "请先导入名单（python course.py students import 名单.xlsx）；确认无误的话加 --create 自动登记。"
        )
        subs = [(sid, p) for sid, p in subs if sid in known]
    elif unknown:
        gradebook.add_students(root, unknown)
    if not sandbox_available():
        print(NO_SANDBOX)
    print(f"正在评分 {len(subs)} 份 {args.project} 作业（{args.workers or '每个 CPU 核一个'} 并行）……", flush=True)
    start = time.monotonic()
    try:
        outcomes = grade_class(
            a,
            subs,
            timeout=args.timeout,
            workers=args.workers,
            on_done=lambda o: print(f"  {o.student}：{o.total():g} 分", flush=True),
        )
    except IntegrityError as exc:
        print(exc)
        return 2
    for o in outcomes:
        gradebook.record(root, a, o)
    print(summary(outcomes, a))
    print(f"用时 {time.monotonic() - start:.1f} 秒。成绩已写入成绩库；书面作业请在 Formgrader 里批阅。")
    return 0


def cmd_feedback(args):
    done = gradebook.feedback(course_root(), args.project, args.student or ())
    print(f"已为 {len(done)} 位学生生成反馈：grading/feedback/<学号>/{args.project}/")
    return 0


def _project_of(path, given):
    if given:
        return given
    m = re.search(r"p\d\d", Path(path).name)
    if not m:
        sys.exit("看不出这是哪个项目的笔记本，请写上项目编号，例如 python course.py score p01 --notebook 文件名")
    return m.group(0)


def cmd_score(args):
    project = _project_of(args.notebook, args.project)
    a = load_assignment(project, course_root())
    outcome = grade_submission(a, "自评", Path(args.notebook), timeout=args.timeout)
    print(report(outcome, a))
    return 0


def _wrong(key, qtype, options):
    if qtype == "判断":
        return "错" if key == "对" else "对"
    letters = options or "ABCD"
    return (
        next(ch for ch in letters if ch != key) if qtype == "单选" else letters[0] if key != letters[0] else letters[1]
    )


def one_wrong_answer(a):
    """(a copy of the master with its first quiz answer wrong, that quiz's test id): the submission must lose
    exactly that question's points (the round trip, the classroom server's loopback test)."""
    nb = copy.deepcopy(a.master)
    first = sorted(a.quiz)[0]
    var, q, key = a.quiz[first]
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == first[:-5]:
            cell.source = f'{var} = "{_wrong(key, q.type, q.letters)}"'
    return nb, first


def roundtrip(project, root=None):
    """Grade the solution, a blank copy and a copy with one wrong quiz answer; return the three Outcomes."""
    a = load_assignment(project, root or course_root())
    with tempfile.TemporaryDirectory(prefix="crm-roundtrip-") as tmp:
        solution = Path(tmp) / "solution.ipynb"
        nbformat.write(a.master, solution)
        blank = Path(tmp) / "blank.ipynb"
        nbformat.write(a.released, blank)
        wrong = Path(tmp) / "wrong.ipynb"
        wrong_nb, first = one_wrong_answer(a)
        nbformat.write(wrong_nb, wrong)
        return (
            a,
            first,
            [
                grade_submission(a, name, path)
                for name, path in (("答案卷", solution), ("空白卷", blank), ("错一题", wrong))
            ],
        )


def cmd_roundtrip(args):
    a, first, (sol, blank, wrong) = roundtrip(args.project)
    total = sum(a.points.values())
    ok = sol.total() == total and blank.total() == 0 and wrong.total() == total - a.points[first]
    for o in (sol, blank, wrong):
        print(f"{o.student}：{o.total():g} / {total:g}")
        for msg in [*o.problems, *[m for ms in o.messages.values() for m in ms]][:6]:
            print(f"    {msg}")
    print("√ 往返检查通过" if ok else "× 往返检查没有通过（答案卷应满分、空白卷 0 分、错一题只扣那一题）")
    return 0 if ok else 1


def cmd_students(args):
    from .roster import RosterError, import_roster

    try:
        print(import_roster(course_root(), args.file))
    except RosterError as exc:
        print(exc)
        return 1
    return 0


def cmd_collect(args):
    from .collect import CollectError, collect, known_roster

    root = course_root()
    try:
        roster = known_roster(root)
        report = collect(root, args.project, args.source, roster, dry_run=args.dry_run)
    except CollectError as exc:
        print(exc)
        return 1
    if args.dry_run:
        print("（试运行：下面是将会做的事，什么也没有写。）")
    print(report.text(roster))
    return 0


def cmd_report(args):
    from .class_report import make_report

    print(make_report(course_root(), args.project))
    return 0


def cmd_grades(args):
    from .workbook import default_dest, export

    root = course_root()
    print(export(root, args.to or default_dest(root, args.csv), as_csv=args.csv, only=args.assignment or ()))
    return 0


class ChineseParser(argparse.ArgumentParser):
    """argparse with its common complaints in Chinese, each followed by the usage line."""

    WORDS = {
        "the following arguments are required": "缺少这些内容",
        "unrecognized arguments": "认不出这些内容",
        "invalid choice": "没有这个选项",
        "expected one argument": "后面要跟一个值",
    }

    def error(self, message):
        for en, zh in self.WORDS.items():
            message = message.replace(en, zh)
        self.print_usage(sys.stderr)
        self.exit(2, f"命令没有写对：{message}。用法见上一行（例如 python course.py collect p01 作业文件夹）。\n")


def main(argv=None):
    parser = ChineseParser(prog="course.py", description="评分、反馈与自评")
    sub = parser.add_subparsers(dest="verb", required=True)
    g = sub.add_parser("grade", help="自动评分一个项目的全部作业")
    g.add_argument("project")
    g.add_argument("--student", nargs="*")
    g.add_argument("--timeout", type=int, default=60, help="每格的时间上限（秒）")
    g.add_argument("--workers", type=int, default=None)
    g.add_argument("--create", action="store_true", help="名单里没有的学号也登记")
    f = sub.add_parser("feedback", help="生成反馈 HTML")
    f.add_argument("project")
    f.add_argument("--student", nargs="*")
    s = sub.add_parser("score", help="给自己的笔记本评分")
    s.add_argument("project", nargs="?")
    s.add_argument("--notebook", required=True)
    s.add_argument("--timeout", type=int, default=60)
    r = sub.add_parser("roundtrip", help="答案卷/空白卷/错一题 往返检查")
    r.add_argument("project")
    st = sub.add_parser("students", help="学生名单")
    st.add_argument("action", choices=["import"], help="import：导入名单")
    st.add_argument("file", help="名单文件（.xlsx 或 .csv）")
    co = sub.add_parser("collect", help="收作业")
    co.add_argument("project")
    co.add_argument("source", help="收上来的作业：文件夹或 .zip")
    co.add_argument("--dry-run", action="store_true", help="只看会怎样收，不写文件")
    rp = sub.add_parser("report", help="班级报告")
    rp.add_argument("project")
    gr = sub.add_parser("grades", help="导出成绩（Excel 工作簿）")
    gr.add_argument("--csv", action="store_true", help="导出 CSV 而不是 .xlsx")
    gr.add_argument("--to", help="文件名（默认 成绩.xlsx 或 成绩.csv）")
    gr.add_argument("--assignment", nargs="*", help="只导出这些作业")
    args = parser.parse_args(argv)
    verbs = {"grade": cmd_grade, "feedback": cmd_feedback, "score": cmd_score, "roundtrip": cmd_roundtrip}
    verbs["students"] = cmd_students
    verbs["grades"] = cmd_grades
    verbs["collect"] = cmd_collect
    verbs["report"] = cmd_report
    return verbs[args.verb](args)


if __name__ == "__main__":
    sys.exit(main())
