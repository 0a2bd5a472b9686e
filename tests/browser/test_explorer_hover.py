"""Pointing at a node names its neighbours: in the demo's 2-step view of the IHK most of the
outer ring (persons, topics, challenges) is drawn as unnamed dots; a reader who points at a member
sees who it links to without zooming, and the names go again when the pointer leaves. The mouse
is moved over the dot as a reader would (vis-network's own hover), in Debian's chromium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.explorer import (
    IHK,
    MIN_LABEL_PX,
    open_view,
    overlapping_labels,
    settled,
    sign_in_as,
)
from tests.support.live_server import Live

pytestmark = pytest.mark.browser


def _neighbours(snap: dict[str, Any], node: str) -> set[str]:
    return {e["to"] for e in snap["edges"] if e["from"] == node} | {
        e["from"] for e in snap["edges"] if e["to"] == node
    }


def test_pointing_at_a_node_names_its_neighbours(page: Any, demo: Live, artifacts: Path) -> None:
    sign_in_as(page, demo)
    before = open_view(page, demo, IHK, 2)
    nodes = {n["id"]: n for n in before["nodes"]}
    unnamed = {i for i, n in nodes.items() if not n["labelShown"]}
    assert len(unnamed) > 20, "the 2-step view leaves much of its outer ring unnamed"
    # a first-ring node with several unnamed neighbours, not a hub (a topic with two dozen
    # neighbours gets the names that fit, about half in this view)
    ring = sorted(_neighbours(before, IHK) - {IHK})
    hidden_of = {i: (_neighbours(before, i) - {IHK}) & unnamed for i in ring}
    member = max((i for i in ring if len(hidden_of[i]) <= 10), key=lambda i: len(hidden_of[i]))
    hidden = hidden_of[member]
    assert len(hidden) >= 3, hidden

    box = page.locator("#canvas").bounding_box()
    at = nodes[member]
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_function(
        "(ids) => { const s = window.__explorer.snapshot();"
        " return ids.some((i) => s.nodes.find((n) => n.id === i).labelShown); }",
        arg=sorted(hidden),
    )
    pointed = settled(page)
    page.screenshot(path=str(artifacts / "explorer-ihk-2-pointed.png"))
    shown = {n["id"]: n for n in pointed["nodes"]}
    named = {i for i in hidden if shown[i]["labelShown"]}
    # names may still give way to each other, never more than a few of them
    assert len(named) >= 0.6 * len(hidden), (len(named), len(hidden))
    assert all(shown[i]["fontPx"] >= MIN_LABEL_PX for i in named)
    assert overlapping_labels(pointed) == []
    assert shown[member]["labelShown"], "the node pointed at keeps its own name"

    # the pointer leaves: the picture is as before
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.wait_for_function(
        "(ids) => { const s = window.__explorer.snapshot();"
        " return ids.every((i) => !s.nodes.find((n) => n.id === i).labelShown); }",
        arg=sorted(hidden),
    )
    after = settled(page)
    assert {n["id"] for n in after["nodes"] if n["labelShown"]} == {
        n["id"] for n in before["nodes"] if n["labelShown"]
    }
    assert page.errors == []
