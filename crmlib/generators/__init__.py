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


def project_modules():
    """The project generator modules (``pNN.py`` in this package), discovered, in order."""
    import importlib
    import pkgutil
    import re

    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"p\d\d", m.name))
    return [importlib.import_module(f"{__name__}.{n}") for n in names]


def all_datasets():
    """Every dataset of the course, by name (imports the project modules)."""
    out = {}
    for mod in project_modules():
        out.update(mod.DATASETS)
    return out
