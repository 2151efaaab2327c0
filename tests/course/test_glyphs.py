"""Chinese text in charts: no missing glyphs, drawn with crmlib's bundled font.

A developer machine often has a system CJK font (this one has fonts-noto-cjk),
a student's fresh machine has none. So these tests check that the BUNDLED font
file (crmlib/fonts/) is the one matplotlib picks, and run one check in a child
process where every system font is hidden from matplotlib.
"""

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support import GLYPH_RE, ROOT

# Ideographs, CJK punctuation, full-width forms and the curly quotes/ellipsis/dash Chinese text uses.
CHINESE_RE = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e"
    r"\u2018\u2019\u201c\u201d\u2026\u2014\u00b7]"
)


def course_characters():
    """Every Chinese character in the notebooks, crmlib's strings and the datasets -> where first seen."""
    seen = {}

    def add(text, where):
        for ch in set(CHINESE_RE.findall(text)) - seen.keys():
            seen[ch] = where

    notebooks = [
        p
        for folder in ("solutions", "notebooks", "tests/fixtures")
        for p in sorted((ROOT / folder).rglob("*.ipynb"))
        if ".ipynb_checkpoints" not in p.parts
    ]
    for nb_path in notebooks:
        for i, cell in enumerate(
            json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        ):  # text only: no need to validate
            add("".join(cell["source"]), f"{nb_path.relative_to(ROOT).as_posix()} cell {i}")
    for py in sorted((ROOT / "crmlib").rglob("*.py")):
        source = py.read_text(encoding="utf-8")
        if not set(CHINESE_RE.findall(source)) - seen.keys():
            continue  # nothing new even counting comments: no need to parse for string constants
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                add(node.value, f"{py.relative_to(ROOT).as_posix()}:{node.lineno}")
    for csv in sorted((ROOT / "datasets").glob("*.csv")):
        add(csv.read_text(encoding="utf-8-sig", errors="replace"), csv.relative_to(ROOT).as_posix())
    seen.pop("\u3000", None)  # ideographic space: nothing to draw
    return dict(sorted(seen.items()))


def _lines(chars, width=40):
    return [chars[i : i + width] for i in range(0, len(chars), width)]


# Draw every character as title, axis labels and tick labels; report warnings and the font used.
DRAW = textwrap.dedent("""
    import warnings
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    def draw(chars, lines):
        fig, ax = plt.subplots(figsize=(12, 40))
        title = ax.set_title("\\n".join(lines[:len(lines) // 3 + 1]))
        ax.set_xlabel("\\n".join(lines[len(lines) // 3 + 1: 2 * len(lines) // 3 + 1]))
        ticks = lines[2 * len(lines) // 3 + 1:] or ["客户"]
        ax.set_yticks(range(len(ticks)), labels=ticks)
        ax.set_ylabel("客户关系管理")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
        used = sorted({font_manager.findfont(t.get_fontproperties()) for t in (title, ax.xaxis.label)})
        plt.close(fig)
        return [str(w.message) for w in caught], used
""")


def _draw_in_process(chars):
    namespace = {}
    exec(DRAW, namespace)
    return namespace["draw"](chars, _lines(chars))


@pytest.fixture(scope="module")
def where_seen():
    found = course_characters()
    assert len(found) > 20, "没有找到中文字符，字符收集有误"
    return found


@pytest.fixture(scope="module")
def chars(where_seen):
    return "".join(where_seen)


def bundled_font_files():
    """Every font file crmlib ships (regular, bold, …), next to crmlib.course.fonts.FONT_FILE."""
    from crmlib.course.fonts import FONT_FILE

    files = sorted(p for p in FONT_FILE.parent.iterdir() if p.suffix.lower() in (".otf", ".ttf", ".ttc"))
    assert FONT_FILE in files, f"找不到内置字体 {FONT_FILE}"
    return files


@pytest.mark.parametrize("font", [p.name for p in bundled_font_files()])
def test_bundled_font_covers_every_course_character(font, chars, where_seen):
    from matplotlib.ft2font import FT2Font

    from crmlib.course.fonts import FONT_FILE

    charmap = FT2Font(str(FONT_FILE.parent / font)).get_charmap()
    missing = [c for c in chars if ord(c) not in charmap]
    assert not missing, (
        f"内置字体 {font} 缺少这些字的字形（在没有中文字体的电脑上，图里会显示成方框）：\n"
        + "\n".join(f"  {c}（U+{ord(c):04X}）见 {where_seen[c]}" for c in missing)
        + "\n请改用常用字，或把它们加进字体子集"
    )


def test_setup_plots_selects_the_bundled_font_file():
    """Titles (bold) and labels (regular) are drawn with crmlib's own font files, not a system font."""
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    import crmlib as crm

    bundled = bundled_font_files()
    crm.setup_plots()
    fig, ax = plt.subplots()
    try:
        texts = {"标题": ax.set_title("客户关系管理：各客户消费金额（元）"), "坐标轴": ax.set_xlabel("客户名称")}
        used = {what: Path(font_manager.findfont(t.get_fontproperties())) for what, t in texts.items()}
    finally:
        plt.close(fig)
    wrong = {what: str(path) for what, path in used.items() if path not in bundled}
    names = {font_manager.FontProperties(fname=str(p)).get_name() for p in bundled}
    same_name = sorted(
        {f.fname for f in font_manager.fontManager.ttflist if f.name in names and Path(f.fname) not in bundled}
    )
    assert not wrong, (
        f"crm.setup_plots() 之后，中文用的字体文件是 {wrong}，不是 crmlib 内置的 {[p.name for p in bundled]}。"
        + (
            f" 系统里有同名字体 {same_name}，matplotlib 按名字选中了它；学生的电脑上没有它。"
            "内置字体需要一个独有的字体名，才能保证处处用同一个字体。"
            if same_name
            else ""
        )
    )


def test_all_course_characters_draw_without_warnings(chars):
    import crmlib as crm

    crm.setup_plots()
    messages, _ = _draw_in_process(chars)
    glyph = [m for m in messages if GLYPH_RE.search(m)]
    assert not glyph, "绘制课程中的全部中文字符时出现缺字警告：\n" + "\n".join(glyph[:20])


@pytest.mark.full  # a child process with a fresh matplotlib (2.5 s); the quick tier draws every character in-process
def test_fresh_machine_without_system_cjk_fonts(chars, tmp_path):
    """In a child process matplotlib sees only its own fonts plus crmlib's: like a new laptop."""
    script = tmp_path / "fresh.py"
    script.write_text(
        DRAW
        + textwrap.dedent("""
        import json, sys
        from pathlib import Path
        fm = font_manager.fontManager
        mpl_data = Path(matplotlib.get_data_path()).resolve()
        fm.ttflist = [f for f in fm.ttflist if mpl_data in Path(f.fname).resolve().parents]
        fm.afmlist = []
        fm._findfont_cached.cache_clear()
        import crmlib as crm
        crm.setup_plots()
        chars = Path(sys.argv[1]).read_text(encoding="utf-8")
        lines = [chars[i:i + 40] for i in range(0, len(chars), 40)]
        messages, used = draw(chars, lines)
        print(json.dumps({"messages": messages, "used": used,
                          "fonts": sorted({f.fname for f in fm.ttflist})}))
    """),
        encoding="utf-8",
    )
    chars_file = tmp_path / "chars.txt"
    chars_file.write_text(chars, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), str(chars_file)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    bundled = bundled_font_files()
    system_cjk = [f for f in out["fonts"] if "CJK" in f and Path(f) not in bundled]
    assert not system_cjk, f"子进程里仍能看到系统中文字体：{system_cjk}"
    wrong = [f for f in out["used"] if Path(f) not in bundled]
    assert not wrong, f"没有系统中文字体时，中文用的是 {wrong}，应为 crmlib 内置的 {[p.name for p in bundled]}"
    glyph = [m for m in out["messages"] if GLYPH_RE.search(m)]
    assert not glyph, "没有系统中文字体时，绘制课程中文字符出现缺字警告：\n" + "\n".join(glyph[:20])
