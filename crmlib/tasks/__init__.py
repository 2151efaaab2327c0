"""Visible checks of each project's data tasks (one module per project, functions named t1, t2 …).

A check cell in a notebook is one call, ``crm.check_task("p07-t1", A类客户数)``,
which runs ``crmlib.tasks.p07.t1``. The helpers are in ``crmlib.course.visible``.
"""
