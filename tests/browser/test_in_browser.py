"""Every student notebook in a real browser: the course's JupyterLab in Chinese, driven by headless Chromium.

One JupyterLab server (127.0.0.1, random port and token) serves a temporary copy of the student
folder, filled the way ``course.py start`` fills my_work/, with zh_CN set the way course.py sets it.
One Chromium (Debian's package, driven by Playwright through ``executable_path``) opens each
notebook in turn and, as a student would:

* runs every cell above ``## 课后习题`` with the menu 运行 → 运行选中单元格上方的所有单元格. “运行所有单元格”
  would stop at the first unanswered check cell (it raises on purpose), so a student's Run-All never
  reaches the end; everything that teaches (text, charts, widgets) sits above that heading and the
  exercise cells below it are blank answer/check pairs exercised one by one below;
* checks that none of those cells shows red output (an error or a warning on stderr);
* checks that every widget output became an ipywidgets view (no “Error displaying widget”, no
  “Loading widget...” left) and that one widget driven by a slider or toggle buttons answers a change
  within 50 ms, end to end: ``performance.now()`` in the page at the input event (keydown/mousedown), a
  MutationObserver on the widget (outside its control) for the DOM update, 10 inputs per notebook
  (20 when the first 10 are over budget on a busy machine); every figure is printed with the verdict
  against the 50 ms budget (a speed budget is a figure, not an assertion: the other test worker runs
  notebooks on the same 2 cores), and each notebook's median must stay under 150 ms, which only a
  broken widget (one that redraws a matplotlib figure per move, or waits for a button) would pass;
* types a wrong answer into the first exercise cell, runs it and its check cell, and checks that
  the first line of the error output is the Chinese hint (not a Python traceback);
* checks that √ × △ (and Chinese text) are drawn with a real glyph: each is drawn on a canvas with
  the page's font and compared with an unassigned code point, which every font draws as the same
  empty box (.notdef); a missing font makes the two pictures identical and the test fails;
* saves screenshots under the pytest temporary folder (the path is printed).

Nothing here reads a clock in Python: every duration is measured in the page and returned.
Skipped with the install command when Chromium or Playwright is missing; ``.ci/run`` installs both.
"""

import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from support import ROOT

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the tests are skipped then
    PlaywrightTimeout = TimeoutError

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
INSTALL = "sudo apt-get install -y chromium fonts-noto-cjk"
LATENCY_BUDGET_MS = 50.0  # the median of every input in every notebook
CEILING_MS = 150.0  # one notebook's median: far above the budget even on a busy shared machine
PRESSES = 10
CJK = re.compile(r"[\u4e00-\u9fff]")
NOTEBOOKS = sorted(p.relative_to(ROOT / "notebooks").as_posix() for p in (ROOT / "notebooks").glob("p*/p*_*.ipynb"))
NB = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"


def _missing():
    if not Path(CHROMIUM).exists():
        return "没有找到浏览器 chromium"
    if importlib.util.find_spec("playwright") is None:
        return "没有安装 Playwright（python course.py test 会按 requirements.txt 装好）"
    return ""


pytestmark = [
    pytest.mark.full,
    pytest.mark.browser,
    pytest.mark.skipif(bool(_missing()), reason=f"{_missing()}，跳过真实浏览器测试。安装浏览器：{INSTALL}"),
]


def _course():
    spec = importlib.util.spec_from_file_location("course_browser", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a fresh student folder; yields its base URL and token."""
    course = _course()
    base = tmp_path_factory.mktemp("browser_lab")
    ws = base / "my_work"
    assert course.fill_workspace(ws, ROOT / "notebooks"), "学生文件夹没有复制出任何笔记本"
    course.set_chinese_ui()  # what course.py start does: zh_CN for this environment
    env = course.venv_env()
    env["JUPYTERLAB_SETTINGS_DIR"] = str(base / "user-settings")  # the tester's own settings stay out
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(base / "workspaces")
    env["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    env.pop("MPLBACKEND", None)  # the kernel draws inline, as in a student's JupyterLab
    token, port = secrets.token_hex(16), _free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={ws}",
        "--ServerApp.port_retries=0",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: open the next notebook without a reload
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(base / "server.log", "w", encoding="utf-8")
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ws)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if server.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab 两分钟内没有启动，日志：{base / 'server.log'}")
        assert server.poll() is None, f"JupyterLab 启动失败，日志：{base / 'server.log'}"
        yield {"url": url, "token": token, "ws": ws}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser_screenshots")
    print(f"\n浏览器测试的截图保存在：{folder}")
    return folder


@pytest.fixture(scope="module")
def page(browser, lab):
    """One JupyterLab page for every test: the notebooks open in it one after another."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page.set_default_timeout(60_000)
    page.goto(f"{lab['url']}/lab/workspaces/browser-tests?reset&token={lab['token']}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", polling=250)
    page.evaluate("() => window.jupyterapp.restored")
    page.wait_for_selector(".lm-MenuBar-itemLabel")
    yield page
    page.close()


def _open(page, rel):
    """Open `rel` in the page (as a double click in the file browser does) and wait for its cells."""
    page.evaluate("(path) => { window.jupyterapp.commands.execute('docmanager:open', {path}); }", rel)
    page.wait_for_selector(f"{NB} .jp-Cell")


def _close(page, lab):
    """Close every document and shut down its kernel (the next notebook gets the CPU)."""
    headers = {"Authorization": f"token {lab['token']}"}
    sessions = json.load(urllib.request.urlopen(urllib.request.Request(f"{lab['url']}/api/sessions", headers=headers)))
    for s in sessions:
        req = urllib.request.Request(f"{lab['url']}/api/sessions/{s['id']}", headers=headers, method="DELETE")
        urllib.request.urlopen(req).read()
    page.evaluate("() => { for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) w.dispose(); }")
    page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel')", polling=100)


def _nudge(box, kind, forward, i):
    """One input: a slider's handle one step (back and forth), or the next toggle button."""
    if kind == "slider":
        box.locator(".noUi-handle").first.press("ArrowRight" if forward == (i % 2 == 0) else "ArrowLeft")
    else:
        buttons = box.locator(".widget-toggle-buttons").first.locator(".widget-toggle-button")
        buttons.nth((i + 1) % buttons.count()).click()


def _menu(page, top, item):
    page.click(f".lm-MenuBar-itemLabel:text-is('{top}')")
    page.click(f".lm-Menu-itemLabel:text-is('{item}')")


# ---------------------------------------------------------------- the page's own measurements (JavaScript)

MENU_LABELS = """() => Array.from(document.querySelectorAll('.lm-MenuBar-itemLabel')).map(e => e.textContent.trim())"""

CELL_INDEX = (
    """(heading) => Array.from(document.querySelectorAll('%s .jp-Cell'))
    .findIndex(c => Array.from(c.querySelectorAll('h2')).some(h => h.textContent.trim().startsWith(heading)))"""
    % NB
)

ALL_RUN_ABOVE = (
    """(stop) => {
  const cells = Array.from(document.querySelectorAll('%s .jp-Cell')).slice(0, stop);
  return cells.filter(c => c.classList.contains('jp-CodeCell'))
    .every(c => /\\[\\d+\\]/.test(c.querySelector('.jp-InputPrompt').textContent));
}"""
    % NB
)

# The widget renderer is the one output renderer that sets no data-mime-type on its node.
WIDGETS = """() => {
  const outs = Array.from(document.querySelectorAll('%s .jp-OutputArea-output:not([data-mime-type])'));
  const text = document.querySelector('%s').textContent;
  return {
    outputs: outs.length,
    views: outs.filter(o => o.querySelector('.jupyter-widgets')).length,
    error: text.includes('Error displaying widget'),
    loading: text.includes('Loading widget'),
  };
}""" % (NB, NB)

# Widgets a student drives by hand (a slider or a row of toggle buttons) next to a large HTML view.
CANDIDATES = (
    """() => Array.from(document.querySelectorAll('%s .jp-OutputArea-output > .jupyter-widgets'))
  .map((box, i) => {
    const views = Array.from(box.querySelectorAll('.widget-html-content')).filter(v => v.innerHTML.length > 300);
    const kind = box.querySelector('.noUi-handle') ? 'slider' : box.querySelector('.widget-toggle-button') ? 'toggle' : '';
    const control = kind === 'slider' ? box.querySelector('.widget-slider') : box.querySelector('.widget-toggle-buttons');
    const label = control && control.querySelector('.widget-label');
    return {index: i, kind, label: label ? label.textContent.trim() : '', views: views.length};
  }).filter(c => c.kind && c.views)"""
    % NB
)

# The observer watches the whole widget except the control itself (a slider's readout changes without the
# kernel); the clock starts at the input event (keydown or mousedown) and stops at the first DOM change.
ARM = (
    """(i) => {
  document.querySelectorAll('[data-crm-bench]').forEach(e => e.removeAttribute('data-crm-bench'));
  const box = document.querySelectorAll('%s .jp-OutputArea-output > .jupyter-widgets')[i];
  const crm = window.__crm = {lat: [], t0: null};
  const outside = r => { const e = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                         return e && !e.closest('.widget-slider, .widget-toggle-buttons'); };
  if (window.__crmObs) window.__crmObs.disconnect();
  window.__crmObs = new MutationObserver(records => {
    if (crm.t0 !== null && records.some(outside)) { crm.lat.push(performance.now() - crm.t0); crm.t0 = null; }
  });
  window.__crmObs.observe(box, {childList: true, subtree: true, characterData: true});
  for (const ev of ['keydown', 'mousedown']) box.addEventListener(ev, () => { crm.t0 = performance.now(); }, true);
  box.setAttribute('data-crm-bench', '1');
  const h = box.querySelector('.noUi-handle');
  return h ? Number(h.getAttribute('aria-valuenow')) < Number(h.getAttribute('aria-valuemax')) : true;
}"""
    % NB
)

# √ × △ and a Chinese character on a canvas in the output's font vs an unassigned code point (.notdef box).
GLYPHS = """(chars) => {
  const where = document.querySelector('%s .jp-RenderedHTMLCommon') || document.body;
  const family = getComputedStyle(where).fontFamily;
  const c = document.createElement('canvas'); c.width = 48; c.height = 48;
  const g = c.getContext('2d', {willReadFrequently: true});
  const draw = ch => { g.clearRect(0, 0, 48, 48); g.font = `32px ${family}`; g.fillText(ch, 4, 36);
                       return Array.from(g.getImageData(0, 0, 48, 48).data).join(','); };
  const box = draw('\\u0378'), blank = draw(' ');
  const text = document.querySelector('%s').textContent;
  return {family, chars: Object.fromEntries(chars.map(ch => [ch, {drawn: draw(ch) !== box && draw(ch) !== blank,
                                                                   width: g.measureText(ch).width,
                                                                   inPage: text.includes(ch)}]))};
}""" % (NB, NB)

# Red output (errors, warnings on stderr) in the cells a student runs before the exercises: (cell, first line).
RED_ABOVE = (
    """(stop) => Array.from(document.querySelectorAll('%s .jp-Cell')).slice(0, stop).flatMap((c, i) =>
  Array.from(c.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    .map(o => `第 ${i + 1} 格：${(o.innerText.trim().split('\\n')[0] || '').slice(0, 120)}`))"""
    % NB
)

FIRST_ERROR_LINE = (
    """(i) => {
  const cell = document.querySelectorAll('%s .jp-Cell')[i];
  const err = cell && cell.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  if (!err) return null;
  return err.innerText.split('\\n').map(s => s.trim()).filter(Boolean)[0] || '';
}"""
    % NB
)

SOURCE_INDEX = (
    """(start) => Array.from(document.querySelectorAll('%s .jp-Cell'))
  .findIndex((c, i) => i > start && c.classList.contains('jp-CodeCell')
                       && c.querySelector('.cm-content').textContent.trim().startsWith('答案1'))"""
    % NB
)


def _check_ui(page, lab, shots):
    """The menu bar and the 运行 menu are Chinese; returns the problems found."""
    _open(page, "index.ipynb")
    labels = page.evaluate(MENU_LABELS)
    english = [x for x in labels if not CJK.search(x) and x != "Nbgrader"]
    page.click(".lm-MenuBar-itemLabel:text-is('运行')")
    items = page.evaluate("() => Array.from(document.querySelectorAll('.lm-Menu-itemLabel')).map(e => e.textContent)")
    page.screenshot(path=str(shots / "00_界面_运行菜单.png"))
    page.keyboard.press("Escape")
    _close(page, lab)
    problems = []
    if labels[:4] != ["文件", "编辑", "查看", "运行"]:
        problems.append(f"菜单栏不是中文：{labels}")
    if english:
        problems.append(f"菜单栏里有没翻译的项：{english}")
    if "运行所有单元格" not in items or "运行选中单元格上方的所有单元格" not in items:
        problems.append(f"“运行”菜单里没有中文的运行命令：{items}")
    untranslated = [x for x in items if x.strip() and not CJK.search(x)]
    print(f"\n“运行”菜单里未翻译的项：{untranslated or '无'}")
    return problems


def _exercise(page, lab, shots, rel, lines):
    """One notebook as a student uses it; returns (problems, latencies in ms); report lines go to `lines`."""
    project = rel.split("/")[0]
    _open(page, rel)
    problems = []
    try:
        page.wait_for_function(f"() => ({CELL_INDEX})('课后习题') > 0", timeout=60_000, polling=250)
        quiz = page.evaluate(CELL_INDEX, "课后习题")
        if quiz <= 0:
            return ["页面里找不到“课后习题”标题"], []
        # 1. run everything above the exercises with the menu, as a student would
        page.locator(f"{NB} .jp-Cell").nth(quiz).click(position={"x": 5, "y": 5})
        _menu(page, "运行", "运行选中单元格上方的所有单元格")
        page.wait_for_function(ALL_RUN_ABOVE, arg=quiz, timeout=180_000, polling=250)
        page.screenshot(path=str(shots / f"{project}_01_运行后.png"))
        red = page.evaluate(RED_ABOVE, quiz)
        if red:
            problems.append(f"课后习题之前的格子出现了报错或警告（学生会看到红字）：{red}")

        # 2. every widget is an ipywidgets view
        page.wait_for_function(
            f"() => ({WIDGETS})().outputs === ({WIDGETS})().views", timeout=20_000, polling=250
        ) if page.evaluate(WIDGETS)["outputs"] else None
        w = page.evaluate(WIDGETS)
        if not w["outputs"]:
            problems.append("运行后没有任何交互控件")
        if w["views"] != w["outputs"] or w["error"] or w["loading"]:
            problems.append(
                f"控件没有全部显示：{w['views']}/{w['outputs']} 个，出错 {w['error']}，仍在加载 {w['loading']}"
            )

        # 3. one slider widget answers within 50 ms, end to end (key press -> kernel -> DOM of its output)
        lat, picked = [], None
        for cand in page.evaluate(CANDIDATES):
            forward = page.evaluate(ARM, cand["index"])
            box = page.locator("[data-crm-bench='1']")
            box.scroll_into_view_if_needed()
            if cand["kind"] == "toggle":  # a questionnaire shows its result once every row is answered
                groups = box.locator(".widget-toggle-buttons")
                for g in range(groups.count()):
                    groups.nth(g).locator(".widget-toggle-button").nth(g % 3).click()
                page.wait_for_timeout(300)
            try:  # a probe: some sliders only fill a form (the view changes on a button), try the next widget
                _nudge(box, cand["kind"], forward, 0)
                page.wait_for_function("() => window.__crm.lat.length > 0", timeout=3_000, polling="raf")
            except PlaywrightTimeout:
                continue
            picked = cand
            page.wait_for_timeout(200)
            page.evaluate("() => { window.__crm.lat = []; }")
            for i in range(PRESSES):
                _nudge(box, cand["kind"], forward, i + 1)
                page.wait_for_function(f"() => window.__crm.lat.length > {i}", timeout=10_000, polling="raf")
                page.wait_for_timeout(60)
            if statistics.median(page.evaluate("() => window.__crm.lat")) > LATENCY_BUDGET_MS:
                # a busy machine (the other test worker runs notebooks): 10 more inputs, all 20 count
                for i in range(PRESSES, 2 * PRESSES):
                    _nudge(box, cand["kind"], forward, i + 1)
                    page.wait_for_function(f"() => window.__crm.lat.length > {i}", timeout=10_000, polling="raf")
                    page.wait_for_timeout(60)
            lat = page.evaluate("() => window.__crm.lat")
            break
        if picked is None:
            problems.append("找不到一个拖动滑块或点按钮后会更新的控件，无法测量响应时间")
        else:
            name = picked["label"] or {"slider": "滑块", "toggle": "按钮"}[picked["kind"]]
            box.screenshot(path=str(shots / f"{project}_02_控件_{name}.png"))
            median = statistics.median(lat)
            figures = "、".join(f"{x:.1f}" for x in lat)
            lines.append(f"{project} 控件“{name}”：{len(lat)} 次输入到输出更新，中位数 {median:.1f} ms（{figures}）")
            print("\n" + lines[-1])
            if median > CEILING_MS:
                problems.append(
                    f"控件“{name}”的响应中位数 {median:.1f} ms，超过 {CEILING_MS:.0f} ms（像是每次都重画整张图）"
                )

        # 4. √ × △ and Chinese are real glyphs, not empty boxes
        glyphs = page.evaluate(GLYPHS, ["√", "×", "△", "客"])
        empty = [ch for ch, g in glyphs["chars"].items() if not g["drawn"]]
        if empty:
            problems.append(f"这些字符显示成空白方框（字体 {glyphs['family']}）：{empty}")
        if not any(glyphs["chars"][ch]["inPage"] for ch in "√×△"):
            problems.append("页面里一个状态符号（√ × △）也没有")

        # 5. a wrong answer: the check's first line is the Chinese hint
        answer = page.evaluate(SOURCE_INDEX, quiz)
        if answer < 0:
            problems.append("课后习题里找不到“答案1”作答格")
        else:
            cell = page.locator(f"{NB} .jp-Cell").nth(answer)
            cell.locator(".cm-content").click()
            page.keyboard.press("Control+A")
            page.keyboard.insert_text('答案1 = "Z"')
            page.keyboard.press("Shift+Enter")
            page.keyboard.press("Shift+Enter")
            page.wait_for_function(f"() => ({FIRST_ERROR_LINE})({answer + 1}) !== null", timeout=30_000, polling=250)
            first = page.evaluate(FIRST_ERROR_LINE, answer + 1)
            page.locator(f"{NB} .jp-Cell").nth(answer + 1).scroll_into_view_if_needed()
            page.screenshot(path=str(shots / f"{project}_03_错误答案的提示.png"))
            if not CJK.search(first) or first.startswith(("Traceback", "---")):
                problems.append(f"检查格报错的第一行不是中文提示：{first!r}")
    finally:
        _close(page, lab)
    return problems, lat


def test_every_notebook_in_a_real_browser(page, lab, shots, record_property):
    """One test, so that one test worker runs it all on one server and one browser.

    (pytest-xdist's loadgroup cannot keep separate tests together with pytest 9.2: it renames
    item._nodeid, which pytest 9 no longer reads.) The 50 ms budget is printed with its verdict, not
    asserted: one notebook's median of 10 moves swings by ±20 ms, and the median of all moves reached
    50 ms, when the other test worker ran notebooks on the same 2 cores. Each notebook's own median
    must stay under CEILING_MS (a widget that redrew a matplotlib figure per move would not)."""
    problems = [f"界面：{p}" for p in _check_ui(page, lab, shots)]
    latencies, lines = {}, []
    for rel in NOTEBOOKS:
        try:
            found, lat = _exercise(page, lab, shots, rel, lines)
        except Exception as e:  # a stuck step (a timeout) in one notebook: report it, go on with the next
            found, lat = [f"{type(e).__name__}：{str(e).splitlines()[0] if str(e) else ''}"], []
        problems += [f"{rel}：{p}" for p in found]
        if lat:
            latencies[rel.split("/")[0]] = lat
    everything = [x for lat in latencies.values() for x in lat]
    table = "；".join(f"{p} {statistics.median(lat):.1f}" for p, lat in sorted(latencies.items()))
    if everything:
        median = statistics.median(everything)
        verdict = "达标" if median <= LATENCY_BUDGET_MS else "超出预算（机器忙时会这样，请在空闲时再测）"
        lines.append(
            f"控件响应（输入到输出更新）：全部 {len(everything)} 次的中位数 {median:.1f} ms，"
            f"预算 ≤ {LATENCY_BUDGET_MS:.0f} ms：{verdict}；各笔记本中位数 {table}"
        )
    lines.append(f"截图：{shots}")
    print("\n" + "\n".join(lines))
    record_property("浏览器测试", "\n".join(lines))  # tests/browser/conftest.py prints it after the run
    assert not problems, "\n".join(problems)
