"""The path picture's plan: left to right, lanes for further paths, no two boxes overlapping."""

from __future__ import annotations

from scaleup_graph.visualisation.layout import PAD, label_box, wrap_label
from scaleup_graph.visualisation.path_layout import plan_path


def _boxes(picture, labels):  # type: ignore[no-untyped-def]
    out = {}
    for i, p in picture.nodes.items():
        w, h = label_box(labels[i], p.font_px)
        half = max(p.size_px, w / 2)
        out[i] = (p.x - half, p.y - p.size_px, p.x + half, p.y + p.size_px + h + 2)
    return out


def test_paths_read_left_to_right_on_lanes_without_overlaps() -> None:
    chains = [
        ["start", "a", "b", "goal"],
        ["start", "c", "d", "b", "goal"],
        ["start", "e", "goal"],
    ]
    labels = {i: wrap_label(f"Organisation {i} mit langem Namen") for c in chains for i in c}
    picture = plan_path(chains, labels)
    p = picture.nodes
    assert p["start"].x < p["a"].x < p["b"].x < p["goal"].x
    assert p["start"].y == p["a"].y == p["b"].y == p["goal"].y  # the first path: one line
    assert p["c"].y != p["start"].y and p["e"].y != p["start"].y and p["c"].y != p["e"].y
    assert p["start"].x < p["c"].x < p["d"].x < p["b"].x  # between the nodes they connect
    assert all(n.labelled and n.font_px >= 11 for n in p.values())
    assert p["goal"].x - p["start"].x > 0.7 * 1080  # the path spans the reference canvas
    boxes = list(_boxes(picture, labels).values())
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            overlap = a[0] < b[2] - PAD and b[0] < a[2] - PAD and a[1] < b[3] - PAD
            assert not (overlap and b[1] < a[3] - PAD), (a, b)
    assert plan_path(chains, labels) == picture  # the same picture on every visit
