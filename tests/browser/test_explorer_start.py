"""The first picture without a focus, as a stakeholder meets it on the demo data at 1440x900:
not the dense whole network with only hubs named, but the best-connected organisation with its
direct neighbours, all named, and one click to the whole network. Screenshots go to
test-artifacts/explorer-start.png and explorer-whole.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.explorer import IHK, READY, TECHNICAL, assert_legible, settled, sign_in_as
from tests.support.live_server import Live

pytestmark = pytest.mark.browser


def test_the_first_picture_is_readable_and_the_whole_network_one_click_away(
    page: Any,
    demo: Live,
    artifacts: Path,
) -> None:
    sign_in_as(page, demo)  # the bare address: no focus, no filter
    page.wait_for_function("window.__explorer.snapshot().start !== null")
    snap = settled(page)
    assert snap["focus"] is None  # the address names no focus: a reload starts here again
    snap["focus"] = snap["start"]
    box = page.locator("#canvas").bounding_box()
    # the reader's whole network: every node but the challenges in draft (issue 15, point 6)
    drafts = demo.store.read("MATCH (c:Challenge) WHERE c.status = 'draft' RETURN count(c) AS n")
    total = sum(demo.store.counts()["nodes"].values()) - int(drafts[0]["n"])

    # the best-connected organisation in the middle, it and its neighbours named at >= 11 px
    assert snap["focus"] == IHK
    assert_legible(snap, box["width"], box["height"])
    assert len(snap["nodes"]) < total
    body = page.inner_text("body")
    assert "Start: IHK Kassel-Marburg" in body and f"alle {total} Knoten" in body
    # the start line sits in the tool bar, never over the picture it describes
    note = page.locator("#message").bounding_box()
    assert note is not None and note["y"] + note["height"] <= box["y"]
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{IHK}'")
    page.screenshot(path=str(artifacts / "explorer-start.png"))
    assert not TECHNICAL.search(page.inner_text("body"))

    # "Übersicht" shows the whole network; Back returns to the start
    page.click("#overview-btn")
    page.wait_for_function(f"location.search.includes('all=1') && {READY}")
    page.wait_for_function(f"window.__explorer.snapshot().nodes.length === {total}")
    whole = settled(page)
    assert whole["focus"] is None and whole["start"] is None
    page.screenshot(path=str(artifacts / "explorer-whole.png"))
    page.go_back()
    page.wait_for_function(f"window.__explorer.snapshot().start === '{IHK}' && {READY}")
    assert "all=1" not in page.url
    assert page.outside == [] and page.errors == []
