"""Hand a student's answer values to the grader as JSON (runs inside the student's kernel).

The grader evaluates ``dumps([...names], globals())`` as a user expression
after the cell before a test cell. Only plain data crosses over: numbers,
text, lists, dicts, and pandas objects encoded as lists. Whatever the
student's code has done to this module can only change what it reports about
its *own* answers; the grade is decided in another process.

>>> import json
>>> json.loads(dumps(["x", "y"], {"x": 3}))
{'x': 3, 'y': {'__missing__': True}}
"""

import json
import math

LIMIT = 1_000_000  # characters of JSON per test cell


def _plain(value, depth=0):
    import numpy as np
    import pandas as pd

    if depth > 4:
        return repr(value)[:200]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, pd.Series):
        return {
            "__pandas__": "Series",
            "index": [_plain(i, depth + 1) for i in value.index],
            "values": [_plain(v, depth + 1) for v in value.tolist()],
            "name": _plain(value.name, depth + 1),
        }
    if isinstance(value, pd.DataFrame):
        return {
            "__pandas__": "DataFrame",
            "index": [_plain(i, depth + 1) for i in value.index],
            "columns": [_plain(c, depth + 1) for c in value.columns],
            "data": [[_plain(v, depth + 1) for v in row] for row in value.itertuples(index=False)],
        }
    if isinstance(value, pd.Index):
        return {"__pandas__": "Index", "values": [_plain(v, depth + 1) for v in value.tolist()]}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        return [_plain(v, depth + 1) for v in items]
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return {"__repr__": repr(value)[:200]}


def dumps(names, namespace):
    """JSON of {name: value} for `names` in `namespace` (missing ones marked)."""
    out = {}
    for name in names:
        out[name] = _plain(namespace[name]) if name in namespace else {"__missing__": True}
    text = json.dumps(out, ensure_ascii=False)
    return text if len(text) <= LIMIT else json.dumps({n: {"__too_big__": True} for n in names})
