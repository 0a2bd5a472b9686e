"""Server-side pictures: seeded positions, overlap removal and label sizes, the same on every visit.

A picture is planned for a reference canvas (the explorer's drawing area on a 1440x900 screen).
Sizes are planned in CSS pixels *at the first fit*; the page divides them by its own fit scale,
so the plan holds on any window. The steps:

1. positions: an ego view is radial (the focus at (0, 0), each hop on its own ring, a node's angle
   following its neighbours on the ring inside, relationship types kept together on the first
   ring); a view without focus uses networkx's spring layout (igraph's grid Fruchterman-Reingold
   above :data:`NETWORKX_UP_TO` nodes). Both are seeded.
2. the positions are stretched over the reference canvas (an ellipse fills a wide canvas);
3. every node gets a box in CSS px: its dot, plus its label below it when the label is shown at
   the first fit (the focus and its direct neighbours always are; an overview its best-connected
   nodes); boxes are placed one by one, the focus and the first ring first, each at the free spot
   nearest to where the layout wanted it (a spiral search), so no two boxes overlap;
4. the other labels are accepted by importance where they fit; the rest get a size at which they
   appear only when one zooms in (earlier the more important they are).

Results are cached per view (node set, edge set, focus, labels).
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
from collections import OrderedDict, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from scaleup_graph.analytics.arrays import import_igraph

__all__ = [
    "DRAW_THRESHOLD",
    "NETWORKX_UP_TO",
    "REFERENCE_CANVAS",
    "LayoutCache",
    "Picture",
    "Placed",
    "compute_layout",
    "label_box",
    "layout_cache",
    "place_free",
    "plan_picture",
    "wrap_label",
]

NETWORKX_UP_TO = 300
#: the drawing area the plan is made for: 1440x900 minus tool bar and side panel
REFERENCE_CANVAS = (1080.0, 760.0)
#: vis-network hides a label below (threshold - 1) CSS px; we plan hidden labels below that
DRAW_THRESHOLD = 10
#: a margin kept free at the canvas edge, CSS px
EDGE_MARGIN = 16.0
FOCUS_FONT = 15.0
NEAR_FONT = 13.0
OTHER_FONT = 12.0
FOCUS_SIZE = 16.0
NEAR_SIZE = 10.0
FAR_SIZE = 7.0
#: gap kept between two boxes, CSS px
PAD = 3.0
#: glyph width of the page's sans-serif font as a share of its size (measured in chromium:
#: 0.54-0.61 for typical names), with a margin
GLYPH = 0.63
LINE = 1.22
WRAP_AT = 22

Position = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Placed:
    """One node of a picture: position (canvas units), dot radius and label size in CSS px at
    the first fit, and whether the label is drawn at that fit."""

    x: float
    y: float
    size_px: float
    font_px: float
    labelled: bool
    ring: int


@dataclass(frozen=True, slots=True)
class Picture:
    nodes: dict[str, Placed]
    #: the fit scale (CSS px per canvas unit) the plan expects on the reference canvas
    scale: float
    #: the point the first fit centres on (the focus, else the middle of the picture)
    centre: Position


def wrap_label(text: str, width: int = WRAP_AT, lines: int = 2) -> str:
    """A caption broken into at most ``lines`` lines of about ``width`` characters.

    >>> wrap_label("Hessisches Ministerium für Wirtschaft, Energie, Verkehr und Wohnen")
    'Hessisches Ministerium\\nfür Wirtschaft…'
    """
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(",;:") + "…"
    return "\n".join(line if len(line) <= width + 6 else line[: width + 5] + "…" for line in out)


def label_box(label: str, font_px: float) -> tuple[float, float]:
    """Width and height in CSS px of a (wrapped) label drawn at ``font_px``."""
    rows = label.split("\n") if label else [""]
    width = max(len(r) for r in rows) * GLYPH * font_px + 8  # the white halo: 3 px a side
    return width, len(rows) * LINE * font_px + 2


def rings_from(
    focus: str, nodes: Sequence[str], edges: Iterable[tuple[str, str]]
) -> dict[str, int]:
    """Hops from ``focus`` to every node (unreachable ones one ring further out)."""
    adjacent: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        adjacent[a].add(b)
        adjacent[b].add(a)
    ring = {focus: 0}
    queue = deque([focus])
    while queue:
        current = queue.popleft()
        for other in sorted(adjacent[current]):
            if other not in ring:
                ring[other] = ring[current] + 1
                queue.append(other)
    outer = max(ring.values(), default=0) + 1
    return {node: ring.get(node, outer) for node in nodes}


def _radial(
    focus: str,
    ordered: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    ring: Mapping[str, int],
    sort_key: Mapping[str, tuple[object, ...]],
) -> dict[str, Position]:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        adjacent[a].add(b)
        adjacent[b].add(a)
    by_ring: dict[int, list[str]] = defaultdict(list)
    for node in ordered:
        by_ring[ring[node]].append(node)
    angle: dict[str, float] = {focus: 0.0}
    pos: dict[str, Position] = {focus: (0.0, 0.0)}
    radius = 0.0
    for k in sorted(r for r in by_ring if r > 0):
        members = by_ring[k]
        if k == 1:
            members.sort(key=lambda n: sort_key[n])
            wanted = {n: 2 * math.pi * i / len(members) for i, n in enumerate(members)}
        else:
            wanted = {}
            for n in members:
                inner = [angle[m] for m in adjacent[n] if m in angle and ring[m] < k]
                if inner:
                    wanted[n] = math.atan2(
                        sum(math.sin(a) for a in inner), sum(math.cos(a) for a in inner)
                    ) % (2 * math.pi)
                else:
                    wanted[n] = 0.0
            members.sort(key=lambda n: (wanted[n], sort_key[n]))
        count = len(members)
        step = 2 * math.pi / count
        start = wanted[members[0]] if k > 1 else -math.pi / 2
        # the ring must hold its nodes side by side; a crowded ring alternates two radii
        radius = max(radius + (190.0 if k == 1 else 170.0), count * 34.0 / (2 * math.pi))
        for i, n in enumerate(members):
            slot = start + i * step
            theta = slot if k == 1 else 0.35 * wanted[n] + 0.65 * slot
            if k > 1 and abs(wanted[n] - slot) > math.pi:  # blend on the short side only
                theta = slot
            r = radius * (1.0 if count < 24 or i % 2 == 0 else 1.16)
            angle[n] = theta
            pos[n] = (r * math.cos(theta), r * math.sin(theta))
    return pos


def _spring(ordered: Sequence[str], pairs: Sequence[tuple[str, str]], seed: int) -> list[Position]:
    index = {node: i for i, node in enumerate(ordered)}
    numbered = sorted({(index[a], index[b]) for a, b in pairs})
    if len(ordered) <= NETWORKX_UP_TO:
        graph = nx.Graph()
        graph.add_nodes_from(range(len(ordered)))
        graph.add_edges_from(numbered)
        placed = nx.spring_layout(graph, seed=seed, iterations=80)
        return [(float(placed[i][0]), float(placed[i][1])) for i in range(len(ordered))]
    random.seed(seed)  # igraph draws its start positions from Python's random module
    # igraph without its matplotlib import (1.5-2 s of every command's start)
    graph_ig = import_igraph().Graph(n=len(ordered), edges=numbered)
    grid = "grid" if len(ordered) > 1000 else "nogrid"
    coords = graph_ig.layout_fruchterman_reingold(grid=grid, niter=300)
    return [(float(x), float(y)) for x, y in coords]


def compute_layout(
    nodes: Sequence[str], edges: Iterable[tuple[str, str]], *, seed: int = 7
) -> dict[str, Position]:
    """Seeded spring positions for ``nodes`` in canvas units, centred on (0, 0), about 60 units
    apart (no overlap removal; :func:`plan_picture` adds it).

    >>> pos = compute_layout(["a", "b"], [("a", "b")])
    >>> sorted(pos) == ["a", "b"] and pos["a"] != pos["b"]
    True
    """
    ordered = sorted(set(nodes))
    if not ordered:
        return {}
    if len(ordered) == 1:
        return {ordered[0]: (0.0, 0.0)}
    known = set(ordered)
    pairs = [(a, b) for a, b in edges if a in known and b in known and a != b]
    raw = _spring(ordered, pairs, seed)
    xs = [p[0] for p in raw]
    ys = [p[1] for p in raw]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    factor = 60.0 * math.sqrt(len(raw)) / extent
    return {
        node: ((x - cx) * factor, (y - cy) * factor)
        for node, (x, y) in zip(ordered, raw, strict=True)
    }


#: candidate offsets around a wanted point, nearest first (CSS px): a dense disc, then rings
_STEP = 7.0


def _spiral(limit: float) -> np.ndarray:
    radii = np.arange(0.0, limit, _STEP)
    points = [np.zeros((1, 2))]
    for r in radii[1:]:
        count = max(8, int(2 * math.pi * r / _STEP))
        angles = np.arange(count) * (2 * math.pi / count)
        points.append(np.stack([r * np.cos(angles), r * np.sin(angles)], axis=1))
    return np.concatenate(points)


_SPIRAL = _spiral(2400.0)
_BLOCK = 1024
#: the spiral in blocks: (first, last, smallest distance from the wanted point, offsets' box)
_BLOCKS = [
    (
        start,
        min(start + _BLOCK, len(_SPIRAL)),
        float(np.hypot(*_SPIRAL[start]).min()),
        _SPIRAL[start : start + _BLOCK].min(axis=0),
        _SPIRAL[start : start + _BLOCK].max(axis=0),
    )
    for start in range(0, len(_SPIRAL), _BLOCK)
]
#: the side of a cell of the occupancy grid over the frame, CSS px
_CELL = 3.0
#: per box, how many spots near the wanted point the grid may call taken before the boxes
#: themselves are asked (the grid passes over spots less than a cell from a neighbour)
_EXACT = 1024


class _Occupancy:
    """Which cells of a grid over the frame a placed box covers, with its summed-area table:
    whether a box is clear of every placed box costs four look-ups. A cell counts as taken
    when any placed box reaches into it, so a spot is only ever judged free when it is (at
    worst a spot less than a cell from a neighbour is passed over)."""

    def __init__(self, frame: tuple[float, float]) -> None:
        self.frame = frame
        self.cols = math.ceil(2 * frame[0] / _CELL)
        self.rows = math.ceil(2 * frame[1] / _CELL)
        self.grid = np.zeros((self.rows, self.cols), dtype=np.int32)
        self.table = np.zeros((self.rows + 1, self.cols + 1), dtype=np.int32)
        self.stale = False

    def _cells(
        self, left: np.ndarray, upper: np.ndarray, right: np.ndarray, lower: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        fx, fy = self.frame
        c0 = np.clip(np.floor((left + fx) / _CELL), 0, self.cols).astype(np.int64)
        c1 = np.clip(np.ceil((right + fx) / _CELL), 0, self.cols).astype(np.int64)
        r0 = np.clip(np.floor((upper + fy) / _CELL), 0, self.rows).astype(np.int64)
        r1 = np.clip(np.ceil((lower + fy) / _CELL), 0, self.rows).astype(np.int64)
        return c0, c1, r0, r1

    def add(self, box: np.ndarray) -> None:
        c0, c1, r0, r1 = self._cells(*(np.array([v]) for v in box))
        self.grid[int(r0[0]) : int(r1[0]), int(c0[0]) : int(c1[0])] = 1
        self.stale = True

    def clear(
        self, left: np.ndarray, upper: np.ndarray, right: np.ndarray, lower: np.ndarray
    ) -> np.ndarray:
        """For boxes inside the frame: True where a box touches no taken cell."""
        if self.stale:
            np.cumsum(self.grid, axis=0, out=self.table[1:, 1:])
            np.cumsum(self.table[1:, 1:], axis=1, out=self.table[1:, 1:])
            self.stale = False
        c0, c1, r0, r1 = self._cells(left, upper, right, lower)
        t = self.table
        return (t[r1, c1] - t[r0, c1] - t[r1, c0] + t[r0, c0]) == 0


def place_free(
    wanted: np.ndarray,
    half_w: np.ndarray,
    top: np.ndarray,
    bottom: np.ndarray,
    order: Sequence[int],
    frame: tuple[float, float],
) -> np.ndarray:
    """Put each box, in ``order``, at the free spot nearest to where the layout wanted it.

    Boxes reach ``half_w`` left and right of their point, ``top`` above and ``bottom`` below
    (CSS px; the label hangs below the dot). A spot is free when the box overlaps no box placed
    before; spots inside the frame (half width, half height around (0, 0)) come first, and only
    when the frame is full does a box go outside it (the fit then zooms out). Deterministic.

    Candidate spots lie on a spiral around the wanted point, nearest first. Inside the frame a
    spot is tested against an occupancy grid (:class:`_Occupancy`), so a crowded frame costs
    what the frame holds, not the number of boxes times the spiral; outside it, against the
    placed boxes near the candidates.
    """
    n = len(wanted)
    placed = np.zeros((n, 4))  # left, top, right, bottom of boxes placed so far
    out = wanted.copy()
    grid = _Occupancy(frame)
    for count, i in enumerate(order):
        wx, wy = float(wanted[i, 0]), float(wanted[i, 1])
        reach = math.hypot(abs(wx) + frame[0], abs(wy) + frame[1])
        chosen: np.ndarray | None = None
        exact = _EXACT  # spots the grid calls taken that are tested against the boxes themselves
        for first, last, nearest, _, _ in _BLOCKS:
            if nearest > reach:  # no spot this far out lies inside the frame
                break
            cand = wanted[i] + _SPIRAL[first:last]
            left = cand[:, 0] - half_w[i]
            right = cand[:, 0] + half_w[i]
            upper = cand[:, 1] - top[i]
            lower = cand[:, 1] + bottom[i]
            inside = np.flatnonzero(
                (left >= -frame[0])
                & (right <= frame[0])
                & (upper >= -frame[1])
                & (lower <= frame[1])
            )
            if not len(inside):
                continue
            clear = grid.clear(left[inside], upper[inside], right[inside], lower[inside])
            free = inside[clear]
            # the grid is coarse: spots before the first clear one may still be free
            stop = int(np.argmax(clear)) if len(free) else len(inside)
            maybe = inside[: min(stop, exact)]
            exact -= len(maybe)
            if count and len(maybe):
                hit = _first_free(
                    left[maybe], upper[maybe], right[maybe], lower[maybe], placed[:count]
                )
                if hit is not None:
                    free = maybe[hit:]
            if len(free):
                k = int(free[0])
                out[i] = cand[k]
                chosen = np.array([left[k], upper[k], right[k], lower[k]])
                break
        if chosen is None:
            chosen = _nearest_free(wanted[i], half_w[i], top[i], bottom[i], placed[:count])
            out[i] = (chosen[0] + half_w[i], chosen[1] + top[i])
        placed[count] = chosen
        grid.add(chosen)
    return out


def _first_free(
    left: np.ndarray, upper: np.ndarray, right: np.ndarray, lower: np.ndarray, placed: np.ndarray
) -> int | None:
    """The first of these boxes that overlaps none of ``placed`` (tested exactly), or None."""
    near = placed[
        (placed[:, 0] < right.max())
        & (placed[:, 2] > left.min())
        & (placed[:, 1] < lower.max())
        & (placed[:, 3] > upper.min())
    ]
    if not len(near):
        return 0
    clash = (
        (left[:, None] < near[None, :, 2])
        & (right[:, None] > near[None, :, 0])
        & (upper[:, None] < near[None, :, 3])
        & (lower[:, None] > near[None, :, 1])
    ).any(axis=1)
    free = np.flatnonzero(~clash)
    return int(free[0]) if len(free) else None


def _nearest_free(
    point: np.ndarray, half_w: float, top: float, bottom: float, placed: np.ndarray
) -> np.ndarray:
    """The box at the first spot of the spiral around ``point`` that overlaps none of
    ``placed`` (anywhere, the frame being full); the wanted spot when none is free."""
    for first, last, _, low, high in _BLOCKS:
        cand = point + _SPIRAL[first:last]
        left = cand[:, 0] - half_w
        right = cand[:, 0] + half_w
        upper = cand[:, 1] - top
        lower = cand[:, 1] + bottom
        # only boxes that can meet some candidate of this block
        near = placed[
            (placed[:, 0] < point[0] + high[0] + half_w)
            & (placed[:, 2] > point[0] + low[0] - half_w)
            & (placed[:, 1] < point[1] + high[1] + bottom)
            & (placed[:, 3] > point[1] + low[1] - top)
        ]
        if len(near):
            clash = (
                (left[:, None] < near[None, :, 2])
                & (right[:, None] > near[None, :, 0])
                & (upper[:, None] < near[None, :, 3])
                & (lower[:, None] > near[None, :, 1])
            ).any(axis=1)
            free = np.flatnonzero(~clash)
        else:
            free = np.arange(len(cand))
        if len(free):
            k = int(free[0])
            return np.array([left[k], upper[k], right[k], lower[k]])
    return np.array([point[0] - half_w, point[1] - top, point[0] + half_w, point[1] + bottom])


def _fit_scale(
    xy: np.ndarray,
    centre: Position,
    half_w: np.ndarray,
    top: np.ndarray,
    bottom: np.ndarray,
    canvas: tuple[float, float],
) -> float:
    """The largest scale at which every box (sizes in CSS px) lies inside the canvas when the
    view is centred on ``centre``; at most 1.3 so tiny views are not blown up."""
    width, height = canvas[0] / 2 - EDGE_MARGIN, canvas[1] / 2 - EDGE_MARGIN
    dx = np.abs(xy[:, 0] - centre[0])
    dy_up = centre[1] - xy[:, 1]  # distance above the centre (canvas y grows downwards)
    dy_down = xy[:, 1] - centre[1]
    scale = 1.3
    with np.errstate(divide="ignore", invalid="ignore"):
        for room, dist, extra in (
            (width, dx, half_w),
            (height, dy_up, top),
            (height, dy_down, bottom),
        ):
            fits = np.where(dist > 1e-9, (room - extra) / dist, np.inf)
            scale = min(scale, float(np.min(fits)))
    return max(scale, 0.02)


def plan_picture(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    labels: Mapping[str, str],
    importance: Mapping[str, float],
    focus: str | None = None,
    kinds: Mapping[str, str] | None = None,
    sizes_px: Mapping[str, float] | None = None,
    canvas: tuple[float, float] = REFERENCE_CANVAS,
    seed: int = 7,
) -> Picture:
    """Positions, dot sizes and label sizes for one view; see the module text for the steps.

    ``labels`` are the wrapped captions, ``importance`` ranks labels (degree or a metric),
    ``kinds`` keeps a kind of node together on the first ring, ``sizes_px`` overrides dot sizes
    (groups). Deterministic for the same input.
    """
    ordered = sorted(set(nodes))
    if not ordered:
        return Picture({}, 1.0, (0.0, 0.0))
    known = set(ordered)
    pairs = sorted({(a, b) for a, b in edges if a in known and b in known and a != b})
    kinds = kinds or {}
    if focus is not None and focus in known:
        ring = rings_from(focus, ordered, pairs)
        sort_key = {n: (kinds.get(n, ""), -importance.get(n, 0.0), n) for n in ordered}
        start = _radial(focus, ordered, pairs, ring, sort_key)
        raw = [start[n] for n in ordered]
    else:
        focus = None
        ring = {n: 2 for n in ordered}
        spring = compute_layout(ordered, pairs, seed=seed)
        raw = [spring[n] for n in ordered]
    n = len(ordered)
    xy = np.array(raw, dtype=float)

    size = np.array(
        [
            (sizes_px or {}).get(
                node,
                FOCUS_SIZE if ring[node] == 0 else NEAR_SIZE if ring[node] == 1 else FAR_SIZE,
            )
            for node in ordered
        ]
    )
    forced = np.array([ring[node] <= 1 for node in ordered])
    if focus is None and sizes_px:
        forced = np.ones(n, dtype=bool)  # group bubbles are always named
    elif focus is None:  # an overview names its best-connected nodes, and makes room for them
        top_k = max(8, min(30, n // 20))
        best = sorted(range(n), key=lambda i: (-importance.get(ordered[i], 0.0), ordered[i]))
        forced[best[:top_k]] = True
    font = np.array(
        [
            FOCUS_FONT if ring[node] == 0 else NEAR_FONT if ring[node] == 1 else OTHER_FONT
            for node in ordered
        ]
    )
    boxes = np.array([label_box(labels.get(node, ""), font[i]) for i, node in enumerate(ordered)])

    def extents(show: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        half_w = np.where(show, np.maximum(size, boxes[:, 0] / 2), size) + PAD
        top = size + PAD
        bottom = size + np.where(show, boxes[:, 1] + 2, 0.0) + PAD
        return half_w, top, bottom

    half_w, top, bottom = extents(forced)
    # Fit the seeded positions into the frame (an ellipse fills a wide canvas better than a
    # circle), then push boxes apart inside it; if they cannot all fit, zoom out a step.
    centre: Position = (0.0, 0.0)
    if focus is None:
        centre = (
            float((xy[:, 0].max() + xy[:, 0].min()) / 2),
            float((xy[:, 1].max() + xy[:, 1].min()) / 2),
        )
    xy -= np.array(centre)
    centre = (0.0, 0.0)
    spread_x = float(np.abs(xy[:, 0]).max()) or 1.0
    spread_y = float(np.abs(xy[:, 1]).max()) or 1.0
    frame_w = canvas[0] / 2 - EDGE_MARGIN
    frame_h = canvas[1] / 2 - EDGE_MARGIN
    fill = min(1.0, 0.25 + 0.12 * math.sqrt(n))  # few nodes stay near the middle
    xy[:, 0] *= (frame_w - float(half_w.max())) * fill / spread_x
    xy[:, 1] *= (frame_h - float(bottom.max())) * fill / spread_y
    order = sorted(
        range(n),
        key=lambda i: (ring[ordered[i]], not forced[i], -importance.get(ordered[i], 0.0), i),
    )
    xy = place_free(xy, half_w, top, bottom, order, (frame_w, frame_h))
    scale = _fit_scale(xy, centre, half_w, top, bottom, canvas)

    # labels beyond the forced ones: by importance where they fit, else shown when zoomed in
    shown = forced.copy()
    half_w, top, bottom = extents(shown)
    order = sorted(range(n), key=lambda i: (-importance.get(ordered[i], 0.0), ordered[i]))
    boxes_c = np.stack(
        [
            xy[:, 0] - half_w / scale,
            xy[:, 1] - top / scale,
            xy[:, 0] + half_w / scale,
            xy[:, 1] + bottom / scale,
        ],
        axis=1,
    )
    dots = np.stack(
        [
            xy[:, 0] - size / scale,
            xy[:, 1] - size / scale,
            xy[:, 0] + size / scale,
            xy[:, 1] + size / scale,
        ],
        axis=1,
    )
    current = np.where(shown[:, None], boxes_c, dots)
    for i in [i for i in order if not shown[i]]:
        w, h = boxes[i]
        hw = max(size[i], w / 2) + PAD
        box = np.array(
            [
                xy[i, 0] - hw / scale,
                xy[i, 1] - (size[i] + PAD) / scale,
                xy[i, 0] + hw / scale,
                xy[i, 1] + (size[i] + h + 2 + PAD) / scale,
            ]
        )
        clash = (
            (current[:, 0] < box[2])
            & (current[:, 2] > box[0])
            & (current[:, 1] < box[3])
            & (current[:, 3] > box[1])
        )
        clash[i] = False
        inside = (
            abs(xy[i, 0] - centre[0]) * scale + hw <= canvas[0] / 2
            and (xy[i, 1] - centre[1]) * scale + size[i] + h + 2 <= canvas[1] / 2
        )
        if not clash.any() and inside:
            shown[i] = True
            current[i] = box
    hidden = [i for i in order if not shown[i]]
    for rank, i in enumerate(hidden):
        # appear at a zoom of 1.5 (most important) to 4 (least): below the draw threshold now
        zoom = 1.5 + 2.5 * rank / max(len(hidden) - 1, 1)
        font[i] = min(font[i], (DRAW_THRESHOLD + 1.5) / zoom)
    placed = {
        node: Placed(
            round(float(xy[i, 0]), 1),
            round(float(xy[i, 1]), 1),
            float(size[i]),
            round(float(font[i]), 2),
            bool(shown[i]),
            ring[node],
        )
        for i, node in enumerate(ordered)
    }
    return Picture(placed, round(scale, 5), (round(centre[0], 1), round(centre[1], 1)))


def _view_key(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\1")
    return digest.hexdigest()


class LayoutCache:
    """A small LRU of planned pictures keyed by everything that shapes them; thread-safe."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[str, Picture] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def picture(
        self,
        nodes: Sequence[str],
        edges: Iterable[tuple[str, str]],
        *,
        labels: Mapping[str, str],
        importance: Mapping[str, float],
        focus: str | None = None,
        kinds: Mapping[str, str] | None = None,
        sizes_px: Mapping[str, float] | None = None,
    ) -> Picture:
        edge_list = sorted({(min(a, b), max(a, b)) for a, b in edges})
        key = _view_key(
            sorted(nodes),
            edge_list,
            sorted(labels.items()),
            sorted(importance.items()),
            focus,
            sorted((kinds or {}).items()),
            sorted((sizes_px or {}).items()),
        )
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        placed = plan_picture(
            nodes,
            edge_list,
            labels=labels,
            importance=importance,
            focus=focus,
            kinds=kinds,
            sizes_px=sizes_px,
        )
        with self._lock:
            self.misses += 1
            self._items[key] = placed
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return placed


#: the process-wide cache the explorer uses
layout_cache = LayoutCache()
