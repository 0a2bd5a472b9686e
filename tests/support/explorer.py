"""What the explorer's browser tests share: the demo's ids, the page's ready state, signing in,
waiting for a settled picture, the links a viewer may see, and the legibility checks a reader
would make (no overlapping dots or labels, the focus in the middle, its neighbours named).

The ``demo`` server and its ``page`` are fixtures in tests/browser/conftest.py.
"""

from __future__ import annotations

import math
import re
from typing import Any

from scaleup_graph.queries.privacy import visibility
from scaleup_graph.store import GraphStore
from tests.support.browser import sign_in
from tests.support.live_server import Live

__all__ = [
    "IHK",
    "MIN_LABEL_PX",
    "READY",
    "RMN",
    "TECHNICAL",
    "along_edges",
    "assert_legible",
    "open_view",
    "overlapping_dots",
    "overlapping_labels",
    "settled",
    "sign_in_as",
    "store_links",
]

IHK = "org-ihk-kassel-marburg"
RMN = "org-regionalmanagement-nordhessen-gmbh"
#: words a stakeholder should never meet on the German page
TECHNICAL = re.compile(
    r"ingested_at|ingest_run|name_fold|updated_at|metric_|MEMBER_OF|WORKS_AT|LOCATED_IN|"
    r"PARTNER_IN|HAS_COMPETENCE|BestPractice|ContentItem|Rolle: viewer|\bviewer\b|"
    r"\d\.\d{6,}"
)
#: the smallest label a reader is asked to read (the page's MIN_LABEL_PX)
MIN_LABEL_PX = 11
READY = "document.querySelector('#canvas').dataset.state === 'ready'"


def sign_in_as(page: Any, live: Live, role: str = "viewer", query: str = "") -> None:
    """Sign in on ``live``'s start page with its key for ``role`` and wait for the picture."""
    sign_in(page, live.url, live.keys[role], READY, query)


def settled(page: Any) -> dict[str, Any]:
    """The snapshot once the picture stopped moving (a message line can resize the canvas)."""
    last = page.evaluate("window.__explorer.snapshot()")
    for _ in range(50):
        page.wait_for_timeout(150)
        now = page.evaluate("window.__explorer.snapshot()")
        if now == last:
            return now
        last = now
    return last


def open_view(page: Any, live: Live, focus: str, hops: int) -> dict[str, Any]:
    """Open the view of ``hops`` steps around ``focus`` and return its settled snapshot."""
    page.goto(f"{live.url}/?focus={focus}&hops={hops}&lang=de")
    page.wait_for_function(READY)
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{focus}'")
    return settled(page)


def store_links(store: GraphStore, ids: list[str]) -> set[tuple[str, str, str]]:
    """The links among ``ids`` a viewer sees: every one but KNOWS between persons (issue 15)."""
    rows = store.read(
        "MATCH (a)-[e]->(b) WHERE a.id IN $ids AND b.id IN $ids "
        f"AND {visibility('viewer').rel_clause('e')} "
        "RETURN a.id AS a, type(e) AS t, b.id AS b",
        {"ids": ids},
    )
    return {(r["a"], r["b"], r["t"]) for r in rows}


def overlapping_labels(snap: dict[str, Any]) -> list[tuple[str, str]]:
    """Pairs of drawn labels whose boxes overlap by more than a pixel each way."""
    boxes = [(n["label"], n["labelBox"]) for n in snap["nodes"] if n["labelShown"]]
    assert all(box for _, box in boxes), "every drawn label has its measured box"
    out = []
    for i, (la, a) in enumerate(boxes):
        for lb, b in boxes[i + 1 :]:
            if (
                a["left"] < b["right"] - 1
                and b["left"] < a["right"] - 1
                and a["top"] < b["bottom"] - 1
                and b["top"] < a["bottom"] - 1
            ):
                out.append((la, lb))
    return out


def overlapping_dots(snap: dict[str, Any]) -> list[tuple[str, str]]:
    """Pairs of drawn dots that lie on top of each other."""
    nodes = snap["nodes"]
    return [
        (a["label"], b["label"])
        for i, a in enumerate(nodes)
        for b in nodes[i + 1 :]
        if math.hypot(a["x"] - b["x"], a["y"] - b["y"]) < a["r"] + b["r"]
    ]


def along_edges(
    snap: dict[str, Any], width: float, height: float, share: float = 0.08
) -> list[dict[str, Any]]:
    """The unnamed dots lying in the outer ``share`` of the drawing area (of its width at the
    sides, of its height at top and bottom): a frame of dots along the edges, when many."""
    return [
        n
        for n in snap["nodes"]
        if not n["labelShown"]
        and min(n["x"] / width, n["y"] / height, 1 - n["x"] / width, 1 - n["y"] / height) < share
    ]


def assert_legible(snap: dict[str, Any], width: float, height: float) -> None:
    """What a reader notices first, for any drawn view."""
    nodes = {n["id"]: n for n in snap["nodes"]}
    focus = nodes[snap["focus"]]
    near = {e["to"] for e in snap["edges"] if e["from"] == snap["focus"]}
    near |= {e["from"] for e in snap["edges"] if e["to"] == snap["focus"]}
    assert near, "the focus has neighbours in the picture"
    small = [
        (n["label"], round(n["fontPx"], 1))
        for i, n in nodes.items()
        if (i in near or i == snap["focus"]) and not (n["labelShown"] and n["fontPx"] >= 11)
    ]
    assert small == [], f"labels of the focus and its neighbours under 11 px: {small[:5]}"
    overlapping = overlapping_dots(snap)
    assert overlapping == [], f"{len(overlapping)} pairs on top of each other: {overlapping[:3]}"
    assert abs(focus["x"] - width / 2) <= 0.15 * width
    assert abs(focus["y"] - height / 2) <= 0.15 * height
    listed = list(nodes.values())
    inside = [n for n in listed if 0 <= n["x"] <= width and 0 <= n["y"] <= height]
    assert len(inside) == len(listed), "the first fit shows every node"
