"""The picture of "Wer kann mich vorstellen?": the paths between two actors, read left to right.

The first path runs along the middle line, its steps evenly spread over the whole width of the
reference canvas, the start on the left and the goal on the right. Each further path keeps the
nodes it shares with the paths before it and puts its own intermediaries on a lane of its own,
alternately below and above the middle line, between the shared nodes they connect. Every node
is named (the ends at 15 px, intermediaries at 14 px), and the same free-spot search as the other
pictures (:func:`layout.place_free`) keeps boxes from overlapping. Deterministic, like every
planned picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from scaleup_graph.visualisation.layout import (
    EDGE_MARGIN,
    FOCUS_FONT,
    FOCUS_SIZE,
    PAD,
    REFERENCE_CANVAS,
    Picture,
    Placed,
    _fit_scale,
    label_box,
    place_free,
)

__all__ = ["PATH_FONT", "PATH_SIZE", "plan_path"]

#: label and dot size of an intermediary, CSS px at the first fit
PATH_FONT = 14.0
PATH_SIZE = 12.0
#: distance between two lanes, CSS px at the first fit
LANE = 120.0


def _lane(k: int) -> int:
    """Lane of the k-th further path: 1, -1, 2, -2, ... (below the middle line first)."""
    return (k + 2) // 2 * (1 if k % 2 == 0 else -1)


def plan_path(
    chains: Sequence[Sequence[str]],
    labels: Mapping[str, str],
    *,
    canvas: tuple[float, float] = REFERENCE_CANVAS,
) -> Picture:
    """Positions, dot sizes and label sizes for the paths ``chains`` (each from the same start
    to the same goal, the first one the path shown first); see the module text.

    >>> p = plan_path([["a", "b", "c"]], {"a": "A", "b": "B", "c": "C"})
    >>> p.nodes["a"].x < p.nodes["b"].x < p.nodes["c"].x, p.nodes["b"].y == p.nodes["a"].y
    (True, True)
    """
    chains = [list(c) for c in chains if c]
    if not chains:
        return Picture({}, 1.0, (0.0, 0.0))
    start, goal = chains[0][0], chains[0][-1]
    ordered: list[str] = []
    for chain in chains:
        ordered.extend(i for i in chain if i not in ordered)
    ends = {start, goal}
    size = np.array([FOCUS_SIZE if i in ends else PATH_SIZE for i in ordered])
    font = np.array([FOCUS_FONT if i in ends else PATH_FONT for i in ordered])
    boxes = np.array([label_box(labels.get(i, ""), font[k]) for k, i in enumerate(ordered)])
    half_w = np.maximum(size, boxes[:, 0] / 2) + PAD
    top = size + PAD
    bottom = size + boxes[:, 1] + 2 + PAD

    frame_w = canvas[0] / 2 - EDGE_MARGIN
    frame_h = canvas[1] / 2 - EDGE_MARGIN
    index = {i: k for k, i in enumerate(ordered)}
    # the middle line spans the width, less half the widest end label on each side
    reach = frame_w - max(half_w[index[start]], half_w[index[goal]])
    at: dict[str, tuple[float, float]] = {}
    first = chains[0]
    steps = max(len(first) - 1, 1)
    for k, i in enumerate(first):
        at[i] = (-reach + 2 * reach * k / steps, 0.0)
    for n, chain in enumerate(chains[1:]):
        y = LANE * _lane(n)
        k = 0
        while k < len(chain):
            if chain[k] in at:
                k += 1
                continue
            # a run of new nodes between two placed ones: spread them evenly between those
            begin = k - 1
            end = k
            while end < len(chain) and chain[end] not in at:
                end += 1
            x0 = at[chain[begin]][0] if begin >= 0 else -reach
            x1 = at[chain[end]][0] if end < len(chain) else reach
            run = end - begin
            for j in range(k, end):
                at[chain[j]] = (x0 + (x1 - x0) * (j - begin) / run, y)
            k = end
    wanted = np.array([at[i] for i in ordered], dtype=float)
    # shift the lanes so the picture's middle is the canvas's middle
    wanted[:, 1] -= (wanted[:, 1].max() + wanted[:, 1].min()) / 2
    order = sorted(range(len(ordered)), key=lambda k: (ordered[k] not in ends, k))
    xy = place_free(wanted, half_w, top, bottom, order, (frame_w, frame_h))
    centre = (
        float((xy[:, 0] - half_w).min() + (xy[:, 0] + half_w).max()) / 2,
        float((xy[:, 1] - top).min() + (xy[:, 1] + bottom).max()) / 2,
    )
    scale = _fit_scale(xy, centre, half_w, top, bottom, canvas)
    placed = {
        i: Placed(
            round(float(xy[k, 0]), 1),
            round(float(xy[k, 1]), 1),
            float(size[k]),
            float(font[k]),
            True,
            0 if i in ends else 1,
        )
        for k, i in enumerate(ordered)
    }
    return Picture(placed, round(scale, 5), (round(centre[0], 1), round(centre[1], 1)))
