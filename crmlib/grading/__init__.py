"""The teacher's grader (``python course.py grade``) and the Excel-friendly grade export."""
