"""Save a student's own widget work (scores, logs) in their workspace and load it back on reopen.

Files go to ``saved/<name>.json`` beside the notebook (the kernel's working
folder, which is the student's own workspace folder). Nothing is stored
unless a widget's 保存 button calls :func:`save`; nothing is ever sent
anywhere or put into a graded cell.

>>> import tempfile, os
>>> here = os.getcwd(); os.chdir(tempfile.mkdtemp())
>>> save("demo", {"分数": [3, 4]}).name
'demo.json'
>>> load("demo")
{'分数': [3, 4]}
>>> load("missing", default={})
{}
>>> os.chdir(here)
"""

import json
import re
from pathlib import Path

from .errors import CRMError

FOLDER = "saved"


def _path(name):
    if not re.fullmatch(r"[A-Za-z0-9_\-]+", str(name)):
        raise CRMError(f"保存的名字「{name}」只能用英文字母、数字、下划线和短横线。")
    return Path.cwd() / FOLDER / f"{name}.json"


def save(name, data):
    """Write `data` (JSON-able) to saved/<name>.json; return the path."""
    path = _path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)  # never a half-written file
    return path


def load(name, default=None):
    """What :func:`save` wrote under `name`, or `default` when there is none or it is unreadable."""
    path = _path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
