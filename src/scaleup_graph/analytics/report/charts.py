"""The report's pictures as inline SVG, drawn in Python: nothing to load, crisp in a PDF.

Colours are the Okabe-Ito palette (Okabe and Ito 2008), which readers with any common form of
colour blindness can tell apart; the tie matrix uses one hue from light to dark. Every chart
returns a :class:`Figure` with its legend entries and caption, so no picture goes out without
them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "OKABE_ITO",
    "Bar",
    "Bubble",
    "Figure",
    "LegendEntry",
    "bar_chart",
    "community_map",
    "diverging_bars",
    "grouped_bars",
    "matrix_chart",
    "stacked_bars",
]

#: Okabe-Ito, in the order the report assigns them (black last: it reads as text).
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
GREY = "#999999"
_FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
_TEXT = "#222222"


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A colour swatch and what it stands for; ``gradient`` draws a scale from light to dark."""

    colour: str
    text: str
    gradient: tuple[str, str] | None = None


@dataclass(slots=True)
class Figure:
    """One picture: the SVG, its legend and its caption (all three are always shown)."""

    key: str
    svg: str
    legend: list[LegendEntry]
    caption: str
    alt: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(width: float, height: float, body: list[str], alt: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-label="{_e(alt)}" '
        f'font-family="{_FONT}" font-size="13" fill="{_TEXT}">' + "".join(body) + "</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: float = 13,
    weight: str = "normal",
    fill: str = _TEXT,
    title: str | None = None,
) -> str:
    tip = f"<title>{_e(title)}</title>" if title and title != text else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{tip}{_e(text)}</text>'
    )


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    group: str  # the legend entry whose colour the bar takes


def bar_chart(
    key: str,
    bars: Sequence[Bar],
    *,
    colours: dict[str, str],
    value_text: Callable[[float], str],
    caption: str,
    alt: str,
    axis_label: str = "",
) -> Figure:
    """Horizontal bars, largest first, names on the left and the value at each bar's end."""
    width, label_w, row, top = 760.0, 300.0, 26.0, 8.0
    plot_w = width - label_w - 70
    top_value = max((b.value for b in bars), default=0.0) or 1.0
    body = []
    for i, bar in enumerate(bars):
        y = top + i * row
        w = max(1.5, plot_w * bar.value / top_value) if bar.value > 0 else 0.0
        colour = colours.get(bar.group, GREY)
        body.append(_text(label_w - 8, y + 17, _clip(bar.label, 42), anchor="end", title=bar.label))
        body.append(
            f'<rect x="{label_w:.1f}" y="{y + 4:.1f}" width="{w:.1f}" height="{row - 8:.1f}" '
            f'fill="{colour}"><title>{_e(bar.label)}: {_e(value_text(bar.value))}</title></rect>'
        )
        body.append(_text(label_w + w + 6, y + 17, value_text(bar.value)))
    height = top + len(bars) * row + 24
    body.append(
        f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{top + len(bars) * row}" '
        'stroke="#555" stroke-width="1"/>'
    )
    if axis_label:
        body.append(_text(label_w, height - 4, axis_label, size=11, fill="#555"))
    used = [g for g in colours if any(b.group == g for b in bars)]
    legend = [LegendEntry(colours[g], g) for g in used]
    return Figure(key, _svg(width, height, body, alt), legend, caption, alt)


def stacked_bars(
    key: str,
    rows: Sequence[tuple[str, dict[str, float]]],
    *,
    parts: Sequence[tuple[str, str]],
    total_text: Callable[[float], str],
    caption: str,
    alt: str,
) -> Figure:
    """One bar per row, 100 % wide, split into ``parts`` (key, legend text) by share.

    The row's total is written at the end of the bar, so shares and sizes both read.
    """
    width, label_w, row, top = 760.0, 230.0, 28.0, 8.0
    plot_w = width - label_w - 100
    colours = {k: OKABE_ITO[i % len(OKABE_ITO)] for i, (k, _) in enumerate(parts)}
    body = []
    for i, (label, values) in enumerate(rows):
        y = top + i * row
        total = sum(values.get(k, 0.0) for k, _ in parts)
        body.append(_text(label_w - 8, y + 18, _clip(label, 28), anchor="end", title=label))
        x = label_w
        for k, text in parts:
            v = values.get(k, 0.0)
            if total <= 0 or v <= 0:
                continue
            w = plot_w * v / total
            body.append(
                f'<rect x="{x:.1f}" y="{y + 4:.1f}" width="{w:.1f}" height="{row - 8:.1f}" '
                f'fill="{colours[k]}" stroke="#fff" stroke-width="0.5">'
                f"<title>{_e(label)}: {_e(text)} {_e(total_text(v))}</title></rect>"
            )
            x += w
        body.append(_text(label_w + plot_w + 8, y + 18, total_text(total)))
    height = top + len(rows) * row + 8
    legend = [LegendEntry(colours[k], text) for k, text in parts]
    return Figure(key, _svg(width, height, body, alt), legend, caption, alt)


def _mix(light: str, dark: str, t: float) -> str:
    a = [int(light[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(dark[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def matrix_chart(
    key: str,
    labels: Sequence[str],
    values: Sequence[Sequence[int]],
    *,
    groups: Sequence[str],
    group_text: dict[str, str],
    scale_text: str,
    caption: str,
    alt: str,
) -> Figure:
    """A symmetric count matrix as shaded cells with the count written in each non-empty one.

    ``groups`` gives each row a group (home districts, partner regions), marked by a coloured
    bar beside its name and a rule where the group changes.
    """
    n = len(labels)
    cell = 34.0 if n <= 16 else max(18.0, 540.0 / n)
    label_w, head = 250.0, 165.0
    # Column names lean right at 50 degrees: room on the right for the last ones.
    width, height = label_w + n * cell + 130, head + n * cell + 10
    light, dark = "#f4f8fb", "#0072B2"
    top = max((v for row in values for v in row), default=0) or 1
    group_colour = {g: OKABE_ITO[(i + 1) % len(OKABE_ITO)] for i, g in enumerate(group_text)}
    body = []
    for i, label in enumerate(labels):
        y = head + i * cell
        body.append(
            _text(
                label_w - 12,
                y + cell / 2 + 5,
                _clip(label, 30),
                anchor="end",
                size=14.5,
                title=label,
            )
        )
        body.append(
            f'<rect x="{label_w - 8:.1f}" y="{y + 2:.1f}" width="5" height="{cell - 4:.1f}" '
            f'fill="{group_colour.get(groups[i], GREY)}"/>'
        )
        x = label_w + i * cell + cell / 2
        body.append(
            f'<text transform="translate({x + 4:.1f},{head - 8:.1f}) rotate(-50)" '
            f'font-size="13.5">{_e(_clip(label, 32))}</text>'
        )
        for j in range(n):
            v = values[i][j]
            t = math.sqrt(v / top) if v else 0.0
            fill = _mix(light, dark, t) if v else "#ffffff"
            cx = label_w + j * cell
            body.append(
                f'<rect x="{cx:.1f}" y="{y:.1f}" width="{cell:.1f}" height="{cell:.1f}" '
                f'fill="{fill}" stroke="#d0d7de" stroke-width="0.6">'
                f"<title>{_e(labels[i])} – {_e(labels[j])}: {v}</title></rect>"
            )
            if v:
                colour = "#ffffff" if t > 0.55 else _TEXT
                body.append(
                    _text(
                        cx + cell / 2,
                        y + cell / 2 + 5,
                        str(v),
                        anchor="middle",
                        size=13,
                        fill=colour,
                    )
                )
    for i in range(1, n):
        if groups[i] != groups[i - 1]:
            pos = head + i * cell
            body.append(
                f'<line x1="{label_w - 8}" y1="{pos:.1f}" x2="{label_w + n * cell:.1f}" '
                f'y2="{pos:.1f}" stroke="#333" stroke-width="1.5"/>'
            )
            xpos = label_w + i * cell
            body.append(
                f'<line x1="{xpos:.1f}" y1="{head:.1f}" x2="{xpos:.1f}" '
                f'y2="{head + n * cell:.1f}" stroke="#333" stroke-width="1.5"/>'
            )
    legend = [LegendEntry(dark, scale_text, gradient=(light, dark))]
    legend += [LegendEntry(group_colour[g], text) for g, text in group_text.items()]
    return Figure(key, _svg(width, height, body, alt), legend, caption, alt)


@dataclass(frozen=True, slots=True)
class Bubble:
    """A community on the map: its name, size and its most central members."""

    name: str
    size: int
    members: tuple[str, ...]
    #: the words on the map (the leading member); ``name`` goes to the legend
    label: str = ""


def _ring(n: int, cx: float, cy: float, rx: float, ry: float) -> list[tuple[float, float]]:
    if n == 1:
        return [(cx, cy)]
    return [
        (
            cx + rx * math.cos(-math.pi / 2 + 2 * math.pi * i / n),
            cy + ry * math.sin(-math.pi / 2 + 2 * math.pi * i / n),
        )
        for i in range(n)
    ]


def community_map(
    key: str,
    bubbles: Sequence[Bubble],
    ties: dict[tuple[int, int], int],
    *,
    caption: str,
    alt: str,
    legend_text: Callable[[Bubble], str],
    tie_text: str,
) -> Figure:
    """Communities as circles on a ring, sized by members, joined by bands as wide as the ties
    between them; each circle is named and lists its most central members beside it.

    One circle per community instead of one dot per actor: the picture stays readable at any
    size of network (no hairball), and the names carry the argument.
    """
    width = 940.0
    most_members = max((len(b.members) for b in bubbles), default=0)
    block = 22.0 + 17 * most_members  # a circle's name and members
    cy = block + 58 + 185 + 8
    height = cy + 185 + 58 + block + 8
    cx = width / 2
    pos = _ring(len(bubbles), cx, cy, 320.0, 185.0)
    biggest = max((b.size for b in bubbles), default=1) or 1
    radius = [14.0 + 44.0 * math.sqrt(b.size / biggest) for b in bubbles]
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(bubbles))]
    halo = 'stroke="#ffffff" stroke-width="4" paint-order="stroke"'
    body = []
    most = max(ties.values(), default=1) or 1
    for (a, b), count in sorted(ties.items()):
        if a >= len(bubbles) or b >= len(bubbles) or a == b or count <= 0:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        w = 1.5 + 10.0 * count / most
        body.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#9aa5b1" '
            f'stroke-opacity="0.75" stroke-width="{w:.1f}" stroke-linecap="round">'
            f"<title>{_e(bubbles[a].name)} – {_e(bubbles[b].name)}: {count}</title></line>"
        )
        mx, my = x1 + (x2 - x1) * 0.42, y1 + (y2 - y1) * 0.42
        body.append(
            f'<text x="{mx:.1f}" y="{my + 5:.1f}" text-anchor="middle" font-size="15" '
            f'font-weight="bold" fill="#333" {halo}>{count}</text>'
        )
    for i, bubble in enumerate(bubbles):
        x, y = pos[i]
        r = radius[i]
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colours[i]}" '
            f'stroke="#fff" stroke-width="2"><title>{_e(bubble.name)}: {bubble.size}</title>'
            "</circle>"
        )
        text_colour = "#000000" if colours[i] in ("#F0E442", "#56B4E9", "#E69F00") else "#ffffff"
        body.append(
            _text(
                x,
                y + 6,
                str(bubble.size),
                anchor="middle",
                size=17,
                weight="bold",
                fill=text_colour,
            )
        )
        # Name and central members under the circle, on a white halo over crossing lines.
        # Upper half: the words above the circle, lower half: below; never across the middle.
        ly = y - r - block + 17 if y < cy - 1 else y + r + 19
        body.append(
            f'<text x="{x:.1f}" y="{ly:.1f}" text-anchor="middle" font-size="15.5" '
            f'font-weight="bold" {halo}><title>{_e(bubble.name)}</title>'
            f"{_e(_clip(bubble.label or bubble.name, 26))}</text>"
        )
        for k, member in enumerate(bubble.members):
            body.append(
                f'<text x="{x:.1f}" y="{ly + 17 * (k + 1):.1f}" text-anchor="middle" '
                f'font-size="14" fill="#333" {halo}><title>{_e(member)}</title>'
                f"{_e(_clip(member, 28))}</text>"
            )
    legend = [LegendEntry(colours[i], legend_text(b)) for i, b in enumerate(bubbles)]
    legend.append(LegendEntry("#9aa5b1", tie_text))
    return Figure(key, _svg(width, height, body, alt), legend, caption, alt)


def grouped_bars(
    key: str,
    rows: Sequence[tuple[str, dict[str, float]]],
    *,
    series: Sequence[tuple[str, str]],
    value_text: Callable[[float], str],
    caption: str,
    alt: str,
) -> Figure:
    """For each row, one thin bar per series side by side (e.g. supply and demand of a topic)."""
    width, label_w, bar_h, gap, top = 760.0, 250.0, 11.0, 9.0, 6.0
    plot_w = width - label_w - 60
    colours = {k: OKABE_ITO[i % len(OKABE_ITO)] for i, (k, _) in enumerate(series)}
    most = max((v.get(k, 0.0) for _, v in rows for k, _ in series), default=0.0) or 1.0
    row_h = bar_h * len(series) + gap
    body = []
    for i, (label, values) in enumerate(rows):
        y = top + i * row_h
        body.append(
            _text(label_w - 8, y + row_h / 2 + 1, _clip(label, 34), anchor="end", title=label)
        )
        for s, (k, text) in enumerate(series):
            v = values.get(k, 0.0)
            w = max(1.5, plot_w * v / most) if v > 0 else 0.0
            by = y + s * bar_h
            body.append(
                f'<rect x="{label_w:.1f}" y="{by:.1f}" width="{w:.1f}" height="{bar_h - 1:.1f}" '
                f'fill="{colours[k]}"><title>{_e(label)}: {_e(text)} {_e(value_text(v))}'
                "</title></rect>"
            )
            body.append(_text(label_w + w + 5, by + bar_h - 2, value_text(v), size=10.5))
    height = top + len(rows) * row_h + 6
    body.append(
        f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - 6:.1f}" stroke="#555"/>'
    )
    legend = [LegendEntry(colours[k], text) for k, text in series]
    return Figure(key, _svg(width, height, body, alt), legend, caption, alt)


def diverging_bars(
    key: str,
    rows: Sequence[tuple[str, float]],
    *,
    up_text: str,
    down_text: str,
    value_text: Callable[[float], str],
    caption: str,
    alt: str,
) -> Figure:
    """Changes as bars right (risen, blue) or left (fallen, vermillion) of a middle line."""
    width, label_w, row, top = 760.0, 280.0, 24.0, 6.0
    half = (width - label_w - 40) / 2
    mid = label_w + half + 10
    most = max((abs(v) for _, v in rows), default=0.0) or 1.0
    up, down = OKABE_ITO[0], OKABE_ITO[3]
    body = []
    for i, (label, v) in enumerate(rows):
        y = top + i * row
        w = max(1.5, (half - 50) * abs(v) / most)
        x = mid if v >= 0 else mid - w
        body.append(_text(label_w - 8, y + 16, _clip(label, 34), anchor="end", title=label))
        body.append(
            f'<rect x="{x:.1f}" y="{y + 4:.1f}" width="{w:.1f}" height="{row - 8:.1f}" '
            f'fill="{up if v >= 0 else down}"><title>{_e(label)}: {_e(value_text(v))}</title>'
            "</rect>"
        )
        tx, anchor = (mid + w + 4, "start") if v >= 0 else (mid - w - 4, "end")
        body.append(_text(tx, y + 16, value_text(v), anchor=anchor, size=11))
    height = top + len(rows) * row + 6
    body.append(f'<line x1="{mid}" y1="{top}" x2="{mid}" y2="{height - 6}" stroke="#555"/>')
    legend = [LegendEntry(up, up_text), LegendEntry(down, down_text)]
    return Figure(key, _svg(width, height, body, alt), legend, caption, alt)
