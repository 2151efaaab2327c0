"""Load the course datasets, read CSV files safely, and regenerate datasets/.

CSV files are written as UTF-8 with a BOM, which Excel on a Chinese Windows
PC opens with the Chinese intact. ``read_csv`` also accepts GBK files saved
by Excel, and says in Chinese what went wrong otherwise.

>>> kpi = load_dataset("p01_kpi")
>>> len(kpi) > 0
True
>>> load_dataset("p01_kpl")
Traceback (most recent call last):
...
crmlib.course.errors.CRMError: 没有名为「p01_kpl」的数据集。你是不是想写「p01_kpi」？可用的数据集：...
"""

import difflib
import sys
from pathlib import Path

import pandas as pd

from .errors import CRMError
from .paths import resource_dir
from ..generators import all_datasets

ENCODING = "utf-8-sig"


def dataset_dir():
    """Where the CSV files live: $CRM_DATASETS, the packaged copy, or the repository's datasets/."""
    return resource_dir("datasets")


def _lookup(name):
    """The Dataset spec of `name`: only its project's generator is imported (quick first load)."""
    import importlib

    project = str(name).split("_")[0]
    try:
        module = importlib.import_module(f"crmlib.generators.{project}")
        if name in getattr(module, "DATASETS", {}):
            return module.DATASETS[name]
    except ImportError:
        pass
    registry = all_datasets()
    if name not in registry:
        close = difflib.get_close_matches(str(name), list(registry), n=1, cutoff=0.6)
        guess = f"你是不是想写「{close[0]}」？" if close else ""
        raise CRMError(f"没有名为「{name}」的数据集。{guess}可用的数据集：{'、'.join(registry)}。")
    return registry[name]


_LOADED = {}  # (name, path, mtime, size) -> frame; never handed out, only copies of it


def load_dataset(name):
    """Return a course dataset as a DataFrame, with its date columns parsed.

    Reads ``datasets/<name>.csv``; where the file is not there (crmlib
    installed without the repository) the same data is generated in memory.
    A file is read once while it is unchanged; every call gets its own copy,
    so changing one result never changes the next.

    >>> a = load_dataset("p01_posts")
    >>> a.loc[0, a.columns[0]] = "改过"
    >>> load_dataset("p01_posts").loc[0, a.columns[0]] != "改过"
    True
    """
    spec = _lookup(name)
    path = dataset_dir() / f"{name}.csv"
    key = _file_key(name, path)
    if key not in _LOADED:
        frame = read_csv(path, dates=spec.dates) if key[1] else spec.make()
        for old in [k for k in _LOADED if k[0] == name]:
            del _LOADED[old]
        _LOADED[key] = frame
    return _LOADED[key].copy(deep=True)


def _file_key(name, path=None):
    """Which version of dataset `name` is on disk: (name, path, mtime, size), or (name, None, …) when generated."""
    path = path or dataset_dir() / f"{name}.csv"
    try:
        stat = path.stat()
        return (name, str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return (name, None, None, None)


_DERIVED = {}  # (function, dataset versions) -> what it returned


def derived(make, *names):
    """``make(*frames)`` of the datasets `names`, computed once while their files are unchanged: a visible check's
    wrong answers depend on the data only, not on what the student typed. Frames in the result come back as copies.

    >>> calls = []
    >>> def size(posts):
    ...     calls.append(1)
    ...     return len(posts), posts
    >>> a, b = derived(size, "p01_posts"), derived(size, "p01_posts")
    >>> a[0] == b[0], a[1] is not b[1], len(calls)
    (True, True, 1)
    """
    key = (make, *(_file_key(n) for n in names))
    if key not in _DERIVED:
        _DERIVED[key] = make(*(load_dataset(n) for n in names))
    return copies(_DERIVED[key])


def copies(value):
    """`value` with every DataFrame and Series in it (also inside tuples, namedtuples, lists and dicts) copied: what a memo
    hands out, so a caller can change its result without changing the next caller's.

    >>> s = pd.Series([1])
    >>> out = copies((s, {"x": s}, 3))
    >>> out[0] is s or out[1]["x"] is s, out[2]
    (False, 3)
    """
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy()
    if isinstance(value, (tuple, list)):
        items = [copies(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)  # a namedtuple too
    if isinstance(value, dict):
        return {k: copies(v) for k, v in value.items()}
    return value


def read_csv(path, dates=(), **kwargs):
    """Read a CSV the way a Chinese office produces them (UTF-8, UTF-8 BOM or GBK).

    >>> read_csv("不存在的文件.csv")
    Traceback (most recent call last):
    ...
    crmlib.course.errors.CRMError: 找不到文件「不存在的文件.csv」。请检查文件名和所在文件夹（当前文件夹是 ...）。
    """
    path = Path(path)
    if not path.exists():
        raise CRMError(f"找不到文件「{path}」。请检查文件名和所在文件夹（当前文件夹是 {Path.cwd()}）。")
    for enc in (ENCODING, "gb18030"):
        try:
            df = pd.read_csv(path, encoding=enc, **kwargs)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CRMError(
            f"文件「{path.name}」的编码既不是 UTF-8 也不是 GBK，无法读取。"
            "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再试。"
        )
    if df.empty:
        raise CRMError(f"文件「{path.name}」里没有数据行。请确认文件内容。")
    for col in dates:
        if col not in df.columns:
            raise CRMError(f"文件「{path.name}」里没有日期列「{col}」。")
        df[col] = pd.to_datetime(df[col])
    return df


def write_csv(df, path):
    """Write a DataFrame as CSV that Excel opens correctly (UTF-8 with BOM, CRLF)."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            has_time = (out[col].dropna().dt.normalize() != out[col].dropna()).any()
            out[col] = out[col].dt.strftime("%Y-%m-%d %H:%M:%S" if has_time else "%Y-%m-%d")
    out.to_csv(path, index=False, encoding=ENCODING, lineterminator="\r\n")


def write_all(target=None, projects=()):
    """Regenerate every dataset (or those of `projects`, e.g. ["p02"]) into `target`; return the paths."""
    target = Path(target or dataset_dir())
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, spec in all_datasets().items():
        if projects and name.split("_")[0] not in projects:
            continue
        path = target / f"{name}.csv"
        write_csv(spec.make(), path)
        paths.append(path)
    return paths


def card_index():
    """The text of datasets/README.md: what the folder holds and a link to each project's data card."""
    from .manifest import projects

    lines = [
        "# 样例数据说明（数据卡）",
        "",
        "本目录的 CSV 都是由 `crmlib/generators/` 用固定随机种子生成的**虚构数据**：公司、人名、数字均为编造，"
        '如有雷同纯属巧合。文件为 UTF-8 带 BOM 编码，Excel 可直接打开；笔记本里用 `crm.load_dataset("名称")` 读取。'
        "修改生成器后运行 `python course.py data` 重新生成（本文件也由它生成）。",
        "",
        "| 学习项目 | 数据卡 | 数据集 |",
        "|---|---|---|",
    ]
    names = list(all_datasets())
    for p in projects():
        mine = [n for n in names if n.startswith(p.id + "_")]
        card = f"[{p.id}.md]({p.id}.md)" if (dataset_dir() / f"{p.id}.md").exists() else "—"
        lines.append(f"| {p.id} {p.title} | {card} | {'、'.join(f'`{n}`' for n in mine) or '—'} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    """``python course.py data [pNN ...] [--out DIR]``: regenerate datasets (all, or those projects')."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = None
    if "--out" in args:
        i = args.index("--out")
        target = args[i + 1]
        del args[i : i + 2]
    for path in write_all(target, projects=tuple(args)):
        print(f"已生成 {path}")
    index = Path(target or dataset_dir()) / "README.md"
    index.write_text(card_index(), encoding="utf-8")
    print(f"已生成 {index}")


if __name__ == "__main__":
    main()
