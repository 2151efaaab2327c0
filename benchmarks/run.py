#!/usr/bin/env python3
"""Speed figures of the course (``python course.py bench``). Prints a table; not a test.

(a) Notebooks. For every master notebook ``solutions/pNN/pNN_*.ipynb``:
    ``bare``   = a fresh kernel + the notebook's own setup cell (its imports:
                 pandas, matplotlib.pyplot, crmlib, ``crm.setup()``), run via nbclient;
    ``全部运行`` = the same kernel start + Run-All of the whole notebook via nbclient.
    Both are measured in the same run, interleaved, ``--repeat`` times (median).
    Budget: Run-All <= 2.0 x bare (COURSE.md), i.e. the notebook's own work costs at most
    the bare run itself. Kernels run as a student's do (inline charts, live widgets).
    The three slowest cells of each notebook are listed under its row.

(b) Widgets. Every module in ``crmlib/widgets/`` exposes ``BENCH``::

        def BENCH():
            data = ...          # set-up the widget does once when it is created
            values = itertools.cycle([...])   # slider positions to step through
            def update():       # what ONE slider move does: call the view function
                return some_view(data, next(values))   # -> the HTML/SVG string
            return update       # or {"label": update, ...} for several controls

    ``BENCH()`` itself is not timed; each returned ``update`` is called
    ``--calls`` times (>= 50) and the median is reported. Budget: 30 ms.
    A widget module without ``BENCH`` is listed as "缺少 BENCH" and counts
    as a budget not shown to be met.

(c) If ``benchmarks/p07_analytics.py`` exists, its ``run()`` is called and its
    ratios are printed (rfm_table / abc_classify against bare pandas).

Options: ``--repeat N`` (notebook repetitions, default 5), ``--calls N``
(widget calls, default 60), ``--skip-analytics``, ``--only notebooks|widgets|analytics``,
``--notebooks PATH ...`` (time these notebooks instead of solutions/).
The last line says whether every budget was met; the exit status is 0 either way.
"""

import argparse
import importlib
import os
import pkgutil
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOTEBOOK_BUDGET = 2.0  # Run-All / (kernel start + imports)
WIDGET_BUDGET_MS = 30.0
SETUP_SOURCE = "import pandas as pd\nimport crmlib as crm\ncrm.setup()"


def _width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def cols(*cells):
    """One table row: (text, width[, ">"]) cells padded by display width (Chinese = 2)."""
    out = []
    for cell in cells:
        text, width, align = (cell + ("<",))[:3]
        pad = " " * max(width - _width(text), 0)
        out.append(pad + str(text) if align == ">" else str(text) + pad)
    return "".join(out).rstrip()


def _student_kernel_env():
    os.environ.pop("MPLBACKEND", None)  # let the kernel use the inline backend, as in JupyterLab
    os.environ.pop("NBGRADER_EXECUTION", None)  # widgets live, as a student runs them


def _execute(nb, cwd):
    from nbclient import NotebookClient

    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(cwd)}}
    )
    start = time.perf_counter()
    client.execute(stderr=subprocess.DEVNULL)  # hide the kernel's own log lines
    return time.perf_counter() - start


def bench_notebooks(repeat, paths=None):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    _student_kernel_env()
    rows = []
    for path in paths or sorted((ROOT / "solutions").glob("p*/p*.ipynb")):
        path = Path(path).resolve()
        master = nbformat.read(str(path), as_version=4)
        bare_times, full_times, errors, cell_times = [], [], 0, {}
        for _ in range(repeat):
            bare = new_notebook(cells=[new_code_cell(setup_source(master))], metadata=master.metadata)
            bare_times.append(_execute(bare, path.parent))
            full = nbformat.from_dict(master)
            full_times.append(_execute(full, path.parent))
            errors = sum(
                1
                for c in full.cells
                if c.cell_type == "code"
                for o in c.get("outputs", [])
                if o.get("output_type") == "error"
            )
            for i, seconds in _cell_seconds(full):
                cell_times.setdefault(i, []).append(seconds)
        bare_s, full_s = statistics.median(bare_times), statistics.median(full_times)
        name = path.relative_to(ROOT).as_posix() if ROOT in path.parents else str(path)
        slowest = sorted(((statistics.median(t), i) for i, t in cell_times.items()), reverse=True)[:3]
        rows.append(
            {
                "notebook": name,
                "bare_s": bare_s,
                "full_s": full_s,
                "ratio": full_s / bare_s,
                "errors": errors,
                "slowest": [(i, sec, _first_line(master.cells[i])) for sec, i in slowest],
            }
        )
    return rows


def setup_source(nb):
    """The notebook's setup cell (grade_id ``setup``, else the first code cell): its imports."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "setup":
            return cell.source
    return code[0].source if code else SETUP_SOURCE


def _cell_seconds(nb):
    """(cell index, seconds) of each executed code cell, from nbclient's timing metadata."""
    from datetime import datetime

    for i, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if start and end:
            parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))  # noqa: E731
            yield i, (parse(end) - parse(start)).total_seconds()


def _first_line(cell):
    lines = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
    return (lines[0] if lines else cell.source.strip()[:40])[:48]


def widget_modules():
    import crmlib.widgets as pkg

    return [
        importlib.import_module(f"{pkg.__name__}.{m.name}")
        for m in pkgutil.iter_modules(pkg.__path__)
        if not m.name.startswith("_")
    ]


def bench_widgets(calls):
    rows = []
    for module in widget_modules():
        short = module.__name__.rsplit(".", 1)[-1]
        bench = getattr(module, "BENCH", None)
        if bench is None:
            rows.append({"widget": short, "median_ms": None, "note": "缺少 BENCH"})
            continue
        updates = bench()
        if callable(updates):
            updates = {short: updates}
        for label, update in updates.items():
            update()  # warm-up (first call may import or fill caches)
            times = []
            for _ in range(calls):
                start = time.perf_counter()
                update()
                times.append((time.perf_counter() - start) * 1000)
            name = short if label == short else f"{short}:{label}"
            rows.append({"widget": name, "median_ms": statistics.median(times), "max_ms": max(times), "note": ""})
    return rows


def _bench_module(name):
    path = ROOT / "benchmarks" / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_analytics():
    module = _bench_module("p07_analytics")
    return module.run() if module else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--calls", type=int, default=60)
    ap.add_argument("--skip-analytics", action="store_true")
    ap.add_argument("--only", choices=["notebooks", "widgets", "analytics", "grading"])
    ap.add_argument("--class-size", type=int, default=40, help="submissions in the grading benchmark")
    ap.add_argument("--notebooks", nargs="*", help="notebooks to time (default: solutions/p*/p*.ipynb)")
    args = ap.parse_args(argv)
    args.calls = max(args.calls, 50)
    verdicts = []  # (what, met)
    started = time.perf_counter()

    if args.only in (None, "widgets"):
        print(f"\n== 交互控件：滑块每动一次的耗时（{args.calls} 次的中位数，预算 ≤ {WIDGET_BUDGET_MS:g} ms）==")
        print(cols(("控件", 34), ("中位数 ms", 12, ">"), ("最慢 ms", 12, ">"), ("  结论", 20)))
        for r in bench_widgets(args.calls):
            if r["median_ms"] is None:
                print(cols((r["widget"], 34), ("—", 12, ">"), ("—", 12, ">"), ("  " + r["note"], 20)))
                verdicts.append((f"控件 {r['widget']}", False))
                continue
            met = r["median_ms"] <= WIDGET_BUDGET_MS
            verdicts.append((f"控件 {r['widget']}", met))
            print(
                cols(
                    (r["widget"], 34),
                    (f"{r['median_ms']:.2f}", 12, ">"),
                    (f"{r['max_ms']:.2f}", 12, ">"),
                    ("  " + ("达标" if met else "超出预算"), 20),
                )
            )

    if args.only in (None, "notebooks"):
        print(f"\n== 笔记本：全部运行 vs 空内核+导入（{args.repeat} 次的中位数，预算 ≤ {NOTEBOOK_BUDGET:g}×）==")
        print(
            cols(("笔记本", 42), ("空内核+导入 s", 16, ">"), ("全部运行 s", 14, ">"), ("倍数", 9, ">"), ("  结论", 20))
        )
        rows = bench_notebooks(args.repeat, args.notebooks)
        if not rows:
            print("（solutions/ 里还没有笔记本）")
        for r in rows:
            met = r["ratio"] <= NOTEBOOK_BUDGET and not r["errors"]
            verdicts.append((f"笔记本 {r['notebook']}", met))
            note = "达标" if met else "超出预算"
            if r["errors"]:
                note += f"（有 {r['errors']} 个格子出错）"
            print(
                cols(
                    (r["notebook"], 42),
                    (f"{r['bare_s']:.2f}", 16, ">"),
                    (f"{r['full_s']:.2f}", 14, ">"),
                    (f"{r['ratio']:.2f}×", 9, ">"),
                    ("  " + note, 20),
                )
            )
            for i, sec, line in r["slowest"]:
                print(f"    最慢的格子：第 {i} 格 {sec:.2f} s  {line}")

    if args.only in (None, "analytics") and not args.skip_analytics:
        result = bench_analytics()
        if result is not None:
            print(
                f"\n== p07 数据分析：{result['rows']:,} 行订单，{result['customers']:,} 个客户（相对纯 pandas 的倍数）=="
            )
            print(cols(("函数", 16), ("耗时 ms", 12, ">"), ("倍数", 9, ">"), ("预算", 8, ">"), ("  结论", 20)))
            print(cols(("groupby 基线", 16), (f"{result['floor_s'] * 1000:.1f}", 12, ">"), ("1.00×", 9, ">")))
            for name, budget in result["budget"].items():
                met = bool(result["within_budget"][name])
                verdicts.append((f"p07 {name}", met))
                print(
                    cols(
                        (name, 16),
                        (f"{result[name + '_s'] * 1000:.1f}", 12, ">"),
                        (f"{result['ratio'][name]:.2f}×", 9, ">"),
                        (f"{budget:g}×", 8, ">"),
                        ("  " + ("达标" if met else "超出预算"), 20),
                    )
                )

    if args.only in (None, "analytics") and not args.skip_analytics:
        module = _bench_module("p06_analytics")
        if module is not None:
            print("\n== p06 数据分析：cohort_retention vs 纯 pandas（100 万行订单）==")
            result = module.run()
            ratio = result["ratio"] if isinstance(result, dict) else result
            met = ratio <= 3.0
            verdicts.append(("p06 cohort_retention", met))
            print(
                cols(
                    ("cohort_retention", 18),
                    (f"{ratio:.2f}×", 9, ">"),
                    ("≤ 3×", 8, ">"),
                    ("  " + ("达标" if met else "超出预算"), 20),
                )
            )

    if args.only in (None, "grading"):
        module = _bench_module("grading")
        print(f"\n== 评分：python course.py grade vs nbgrader autograde（{args.class_size} 份 p01 作业，同一次运行）==")
        r = module.run(args.class_size)
        verdicts.append(("评分速度", r["within_budget"]))
        print(cols(("nbgrader autograde（逐份）", 30), (f"{r['stock_s']:.1f} s", 10, ">")))
        print(
            cols(
                (f"course.py grade（{r['workers']} 个并行）", 30),
                (f"{r['ours_s']:.1f} s", 10, ">"),
                (f"{r['ratio']:.2f}×", 9, ">"),
                (f"≤ {r['budget']:g}×", 8, ">"),
                ("  " + ("达标" if r["within_budget"] else "超出预算"), 20),
            )
        )

    missed = [what for what, met in verdicts if not met]
    took = time.perf_counter() - started
    if missed:
        print(
            f"\n预算未全部达标：{len(verdicts) - len(missed)}/{len(verdicts)} 项达标；未达标：{'、'.join(missed)}"
            f"（用时 {took:.0f} 秒）"
        )
    else:
        print(f"\n全部 {len(verdicts)} 项预算达标（用时 {took:.0f} 秒）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
