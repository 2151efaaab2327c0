"""Facts files: every figure or named fact the prose states about the data, with the code that checks it.

``solutions/pNN/teacher/facts.py`` holds one function per claim::

    from crmlib.course.facts import fact

    @fact("前十名加起来超过一半")
    def top_ten(data):
        amounts = data("p07_orders").groupby("客户编号")["金额"].sum()
        return amounts.nlargest(10).sum() / amounts.sum() > 0.5

The text must appear word for word in a markdown cell of the master notebook
(so the claim and its check cannot drift apart), and the function must return
True. ``tests/course/test_facts.py`` asserts both for every project.

>>> @fact("一年有 12 个月")
... def months(data):
...     return 12 == 12
>>> months.fact_text, months(None)
('一年有 12 个月', True)
"""

import functools


def fact(text):
    """Mark a function as the check of the claim `text` (returns True when the claim holds)."""

    def wrap(func):
        func.fact_text = text
        return func

    return wrap


def once(helper):
    """Compute a facts file's shared helper once per data loader: several claims often rest on the same
    cleaning or summary. DataFrames and Series come back as copies (``datasets.copies``), so a claim can add
    columns freely.

    >>> calls = []
    >>> @once
    ... def total(data):
    ...     calls.append(1)
    ...     return data("p01")
    >>> total(str.upper), total(str.upper), len(calls)
    ('P01', 'P01', 1)
    """
    memo = {}

    @functools.wraps(helper)
    def wrapper(data):
        from .datasets import copies

        if data not in memo:
            memo[data] = helper(data)
        return copies(memo[data])

    return wrapper


def facts_of(module):
    """[(text, function)] of a loaded facts module, in file order."""
    return [(f.fact_text, f) for f in vars(module).values() if callable(f) and hasattr(f, "fact_text")]
