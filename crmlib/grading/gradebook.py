"""Put grading results into nbgrader's gradebook and ``grading/autograded/``, so formgrader,
``nbgrader generate_feedback`` and the grade export work exactly as with stock autograde.

Scores are recorded by nbgrader's own ``SaveAutoGrades`` from the graded copy's
check-cell outputs (an error output = 0, a number = partial credit, otherwise
full points), so nbgrader's meaning of a grade is kept.
"""

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat


def course_config(root, **overrides):
    """The course's nbgrader config (nbgrader_config.py), with attribute overrides like {"CourseDirectory.x": v}."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    for dotted, value in overrides.items():
        section, attr = dotted.split(".")
        setattr(cfg[section], attr, value)
    return cfg


def db_url(root):
    """The gradebook's URL; also puts this Python's scripts on PATH (nbgrader runs ``alembic`` to create it)."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    return course_config(root).CourseDirectory.db_url


def ensure_assignment(root, project):
    """Register `project` (its notebooks and grade cells) in the gradebook, releasing into a scratch folder."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    (Path(root) / "grading").mkdir(exist_ok=True)
    with Gradebook(db_url(root)) as gb:
        try:
            gb.find_assignment(project)
            return False
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory(prefix="crm-register-") as tmp:
        cfg = course_config(root, **{"CourseDirectory.release_directory": tmp})
        cfg.GenerateAssignment.create_assignment = True
        logging.getLogger("traitlets").setLevel(logging.WARNING)
        coursedir = CourseDirectory(config=cfg)
        coursedir.root = str(root)
        coursedir.assignment_id = project
        app = GenerateAssignment(coursedir=coursedir, config=cfg)
        app.force = True
        app.start()
    return True


def known_students(root):
    from nbgrader.api import Gradebook

    with Gradebook(db_url(root)) as gb:
        return {s.id for s in gb.students}


def add_students(root, ids):
    from nbgrader.api import Gradebook

    with Gradebook(db_url(root)) as gb:
        for sid in ids:
            gb.update_or_create_student(sid)


def record(root, assignment, outcome):
    """Write one Outcome: the graded copy under grading/autograded/ and its scores in the gradebook."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveAutoGrades

    name = Path(assignment.notebook_name).stem
    dest = Path(root) / "grading" / "autograded" / outcome.student / assignment.project
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    nb = outcome.notebook
    if nb is None:  # nothing usable was handed in: the student copy, unanswered, scores 0
        nb = nbformat.from_dict(assignment.released)
    nbformat.write(nb, dest / assignment.notebook_name)
    if outcome.timestamp is not None:
        (dest / "timestamp.txt").write_text(str(outcome.timestamp), encoding="utf-8")
    url = db_url(root)
    with Gradebook(url) as gb:
        if outcome.timestamp is not None:
            gb.update_or_create_submission(assignment.project, outcome.student, timestamp=outcome.timestamp)
        else:
            gb.update_or_create_submission(assignment.project, outcome.student)
    resources = {
        "nbgrader": {"notebook": name, "assignment": assignment.project, "student": outcome.student, "db_url": url}
    }
    if outcome.notebook is None:
        with Gradebook(url) as gb:
            sub = gb.find_submission_notebook(name, assignment.project, outcome.student)
            for grade in sub.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
            gb.db.commit()
        return
    SaveAutoGrades().preprocess(nbformat.from_dict(nb), resources)


def feedback(root, project, students=()):
    """Run nbgrader's generate_feedback for `project` (HTML under grading/feedback/)."""
    from nbgrader.apps import NbGraderAPI

    cfg = course_config(root)
    api = NbGraderAPI(config=cfg)
    api.coursedir.root = str(root)
    ids = students or [d.name for d in (Path(root) / "grading" / "autograded").iterdir() if (d / project).exists()]
    done = []
    for sid in ids:
        result = api.generate_feedback(project, sid, force=True)
        if result.get("success"):
            done.append(sid)
        else:
            print(f"学号 {sid} 的反馈没有生成：{result.get('error', '')[-300:]}")
    os.environ.pop("NBGRADER_EXECUTION", None)
    return done
