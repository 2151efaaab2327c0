"""nbgrader settings of the course: run plain nbgrader commands from the repo root.

solutions/  is nbgrader's source directory (the teacher's masters, with answers)
notebooks/  is the release directory (student copies, made by `python course.py release`)
grading/    holds submissions, autograded copies, feedback and the gradebook (git-ignored)
"""

import os
import sys

# Plain `nbgrader autograde` would run no hidden test (the masters hold none) and give full points to any
# well-formed answer: the course grades with `python course.py grade`, which sets CRM_GRADER.
if len(sys.argv) > 1 and sys.argv[1] == "autograde" and not os.environ.get("CRM_GRADER"):
    sys.exit(
        "本课程请用 python course.py grade 项目编号 自动评分（沙箱里运行学生代码、在干净的进程里判分）。"
        "直接用 nbgrader autograde 会给所有格式正确的答案满分。"
    )

c = get_config()  # noqa: F821  (provided by nbgrader)

HERE = os.path.dirname(os.path.abspath(__file__))
# grading/ is git-ignored; nbgrader cannot create the gradebook without it.
os.makedirs(os.path.join(HERE, "grading"), exist_ok=True)

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "crm"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = os.path.join("grading", "submitted")
c.CourseDirectory.autograded_directory = os.path.join("grading", "autograded")
c.CourseDirectory.feedback_directory = os.path.join("grading", "feedback")
c.CourseDirectory.solution_directory = os.path.join("grading", "model_answers")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "grading", "gradebook.db").replace("\\", "/")
# The plain-text answer keys stay with the teacher.
# solutions/pNN/teacher/ (graded pool, hidden tasks, facts, teacher aid) is never released.
# saved/ holds a student's own widget records (self-assessments, stress logs): never submitted or released.
# *.db: the SQLite archive a notebook builds when it runs (p03) is the student's own work file.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "teacher", "saved", "*.db"]

# What a student sees where an answer was removed (Chinese, and it must fail until answered).
c.ClearSolutions.code_stub = {
    "python": '# 请在这里作答（写好后删除下面这一行）\nraise NotImplementedError("本题还没有作答")'
}
c.ClearSolutions.text_stub = "（请双击本格，在这里写下你的答案。）"

# Grades export: UTF-8 with BOM and Chinese headers, so Excel opens it intact.
c.ExportApp.plugin_class = "crmlib.grading.export.ExcelCsvExportPlugin"

# Widgets and charts must not slow autograding down.
c.ExecutePreprocessor.timeout = 120
