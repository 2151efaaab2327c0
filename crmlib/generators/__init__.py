"""Synthetic course data, generated from fixed seeds (one module per project).

Each project module defines ``DATASETS``: a dict from an ASCII dataset name
(``p01_kpi``) to a :class:`Dataset`. ``python course.py data`` writes them all
to ``datasets/``; ``crm.load_dataset(name)`` reads them back.
"""
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Dataset:
    """One CSV of the course: how to make it and how to read it back."""
    make: Callable  # () -> DataFrame, deterministic (fixed seed inside)
    title: str  # Chinese title for the data card and error messages
    dates: tuple = field(default=())  # columns to parse as dates when reading


def all_datasets():
    """Every dataset of the course, by name (imports the project modules)."""
    from . import p01, p07  # noqa: F401  (each defines DATASETS)
    out = {}
    for mod in (p01, p07):
        out.update(mod.DATASETS)
    return out
