"""Small SVG charts for widgets: drawn as text in well under a millisecond.

A slider must answer at once, and re-rendering a matplotlib figure costs
~50 ms, so interactive views draw these SVGs (Chinese text is rendered by the
browser's own fonts). Static charts in the notebooks use matplotlib.

>>> svg = bar_chart(["甲", "乙"], [3, 1], title="示例")
>>> svg.startswith("<svg") and "甲" in svg
True
"""

import math
from html import escape

from .fonts import PALETTE

FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC','Source Han Sans SC',sans-serif\""


def _fmt(v):
    """Short number label.

    >>> [_fmt(v) for v in (1234567, 4050.5, 12.345, 0.456)]
    ['123.5万', '4050', '12.3', '0.456']
    """
    if abs(v) >= 1e8:
        return f"{v / 1e8:.2f}亿"
    if abs(v) >= 1e4:
        return f"{v / 1e4:.1f}万"
    if float(v).is_integer():
        return f"{int(v)}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    return f"{v:.3g}"


def _open(width, height, title):
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT} font-size="12">'
        f'<rect width="{width}" height="{height}" fill="white"/>'
    )
    if title:
        head += f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>'
    return head


def bar_chart(labels, values, title="", unit="", colors=None, width=560, bar_height=22, ref=None, ref_label=""):
    """Horizontal bars with value labels; `ref` draws a dashed reference line.

    >>> "达标线" in bar_chart(["A"], [5], ref=4, ref_label="达标线")
    True
    """
    labels, values = [str(x) for x in labels], [float(v) for v in values]
    left, right, top = 110, 70, 34 if title else 10
    height = top + bar_height * len(values) * 1.35 + 12
    vmax = max([abs(v) for v in values] + [abs(ref) if ref is not None else 0] + [1e-12])
    scale = (width - left - right) / vmax
    out = [_open(width, height, title)]
    for i, (lab, v) in enumerate(zip(labels, values)):
        y = top + i * bar_height * 1.35
        color = colors[i] if colors else PALETTE[0]
        out.append(
            f'<text x="{left - 6}" y="{y + bar_height * 0.7}" text-anchor="end">{escape(lab)}</text>'
            f'<rect x="{left}" y="{y}" width="{max(v, 0) * scale:.1f}" height="{bar_height}" fill="{color}" rx="2"/>'
            f'<text x="{left + max(v, 0) * scale + 4:.1f}" y="{y + bar_height * 0.7}">{_fmt(v)}{escape(unit)}</text>'
        )
    if ref is not None:
        x = left + ref * scale
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 8}" stroke="{PALETTE[3]}" stroke-dasharray="5,3"/>'
            f'<text x="{x:.1f}" y="{height - 1}" text-anchor="middle" fill="{PALETTE[3]}" font-size="11">{escape(ref_label)}</text>'
        )
    return "".join(out) + "</svg>"


def nice_top(span, ticks=4):
    """Smallest 'round' axis top >= span whose quarter steps are 1, 2, 2.5 or 5 × 10^k.

    >>> [nice_top(v) for v in (37.8, 0.93, 1234, 7)]
    [40.0, 1.0, 2000.0, 8.0]
    """
    raw = span / ticks
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw - 1e-12)
    return float(step * ticks)


def text_width(text, size=12):
    """Approximate rendered width of `text` in px (CJK and full-width characters count double).

    >>> text_width("预警线 30"), text_width("abc")
    (55.8, 19.8)
    """
    import unicodedata

    return round(sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.55 for ch in str(text)), 1)


def spread(positions, gap, low, high):
    """Label positions moved apart to at least `gap` px, kept within [low, high], order kept.

    >>> spread([100, 104, 106], 14, 0, 300)
    [89.3, 103.3, 117.3]
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    ys = [float(positions[i]) for i in order]
    for k in range(1, len(ys)):  # push down
        ys[k] = max(ys[k], ys[k - 1] + gap)
    if ys and ys[-1] > high:  # then up, if the last one fell off
        ys[-1] = high
        for k in range(len(ys) - 2, -1, -1):
            ys[k] = min(ys[k], ys[k + 1] - gap)
    if ys and ys[0] < low:
        shift = low - ys[0]
        ys = [y + shift for y in ys]
    # center the block on the original positions when it was pushed only one way
    mean_shift = sum(ys) / len(ys) - sum(sorted(positions)) / len(positions) if ys else 0
    if ys and ys[0] - mean_shift >= low and ys[-1] - mean_shift <= high:
        ys = [y - mean_shift for y in ys]
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = round(ys[k], 1)
    return out


def line_chart(
    x, series, title="", y_label="", hlines=None, width=560, height=300, y_max=None, percent=False, markers=True
):
    """Lines over a shared x axis. `series` maps a name to its y values;
    `hlines` maps a label to a y value drawn dashed. Reference-line labels sit in
    the right margin, outside the plot, spread so they never touch each other;
    legend entries are laid out by their text width.

    >>> "累计占比" in line_chart([1, 2, 3], {"累计占比": [0.5, 0.8, 1.0]}, percent=True)
    True
    """
    hl_text = {name: name for name in (hlines or {})}
    margin = max([text_width(f"{n} 100%") for n in hl_text] + [0]) + 10 if hlines else 0
    left, right, top, bottom = 68, 20 + margin, 34 if title else 12, 42
    n = max(len(x), 2)
    ys = [v for vals in series.values() for v in vals] + list((hlines or {}).values())
    low_v = min(0.0, min(ys + [0]))
    top_v = y_max if y_max is not None else nice_top(max(ys + [1e-12]) - low_v) + low_v
    pw, ph = width - left - right, height - top - bottom

    def px(i):
        return left + pw * i / (n - 1)

    def py(v):
        return top + ph * (1 - (v - low_v) / ((top_v - low_v) or 1))

    def lab(v):
        return f"{v:.0%}" if percent else _fmt(v)

    out = [_open(width, height, title)]
    for k in range(5):  # grid and y ticks
        v = low_v + (top_v - low_v) * k / 4
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 5}" y="{py(v) + 4:.1f}" text-anchor="end" fill="#555">{lab(v)}</text>'
        )
    step = max(1, math.ceil(len(x) / 10))
    for i in range(0, len(x), step):  # x ticks
        out.append(
            f'<text x="{px(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#555">{escape(str(x[i]))}</text>'
        )
    legend_x = left + 8
    for j, (name, vals) in enumerate(series.items()):
        c = PALETTE[j % len(PALETTE)]
        pts = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(vals))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="2"/>')
        if markers and len(vals) <= 40:
            out += [f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="3" fill="{c}"/>' for i, v in enumerate(vals)]
        out.append(
            f'<rect x="{legend_x}" y="{height - 16}" width="10" height="10" fill="{c}"/>'
            f'<text class="legend" x="{legend_x + 14}" y="{height - 7}">{escape(name)}</text>'
        )
        legend_x += 14 + text_width(name) + 18
    names = list(hlines or {})
    label_ys = spread([py(hlines[n]) + 4 for n in names], 15, top + 10, top + ph + 4)
    for j, name in enumerate(names):
        v = hlines[name]
        c = PALETTE[(3 + j) % len(PALETTE)]
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="{c}" stroke-dasharray="6,4"/>'
            f'<text class="refline" x="{width - right + 6}" y="{label_ys[j]:.1f}" fill="{c}">{escape(name)} {lab(v)}</text>'
        )
    if y_label:
        out.append(
            f'<text x="12" y="{top + ph / 2}" transform="rotate(-90 12 {top + ph / 2})" text-anchor="middle" fill="#555">{escape(y_label)}</text>'
        )
    return "".join(out) + "</svg>"


def radar_chart(axes, series, max_value=5, title="", size=380):
    """A radar (spider) chart. `series` maps a name to one value per axis.

    >>> svg = radar_chart(["心理", "品格", "技能", "综合"], {"我": [3, 4, 2, 5]})
    >>> svg.count("<polygon") >= 2
    True
    """
    cx, cy, r = size / 2, size / 2 + 10, size / 2 - 70
    k = len(axes)

    def pt(i, v):
        a = -math.pi / 2 + 2 * math.pi * i / k
        return cx + r * v / max_value * math.cos(a), cy + r * v / max_value * math.sin(a)

    out = [_open(size, size + 30, title)]
    for level in range(1, int(max_value) + 1):
        ring = " ".join("%.1f,%.1f" % pt(i, level) for i in range(k))
        out.append(f'<polygon points="{ring}" fill="none" stroke="#ddd"/>')
    for i, name in enumerate(axes):
        x, y = pt(i, max_value)
        tx, ty = pt(i, max_value * 1.18)
        out.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{tx:.1f}" y="{ty + 4:.1f}" text-anchor="middle">{escape(str(name))}</text>'
        )
    for j, (name, vals) in enumerate(series.items()):
        c = PALETTE[j % len(PALETTE)]
        poly = " ".join("%.1f,%.1f" % pt(i, v) for i, v in enumerate(vals))
        out.append(
            f'<polygon points="{poly}" fill="{c}" fill-opacity="0.18" stroke="{c}" stroke-width="2"/>'
            f'<rect x="{12 + 120 * j}" y="{size + 12}" width="10" height="10" fill="{c}"/>'
            f'<text x="{26 + 120 * j}" y="{size + 21}">{escape(name)}</text>'
        )
    return "".join(out) + "</svg>"
