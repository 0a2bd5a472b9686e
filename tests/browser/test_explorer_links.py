"""A dense view a reader can still read: every link drawn, but not every link alike.

On the demo data the IHK at 2 steps draws several hundred links, most of them between two nodes
of the outer rings. Drawn all alike they are a grey hairball that hides how the picture hangs on
the focus. As in Kumu, Gephi Lite and Bloom, the links at the focus (and at the node one points
at or selects) are drawn clearly; links between two other nodes are thin and light, the lighter
the denser the view; pointing at a node brings its links forward. Every link stays drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.explorer import IHK, READY, open_view, settled, sign_in_as, store_links
from tests.support.live_server import Live

pytestmark = pytest.mark.browser


def _by_emphasis(snap: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for e in snap["edges"]:
        out.setdefault(e["emphasis"], []).append(e)
    return out


def test_links_at_the_focus_stand_out_and_every_link_is_drawn(
    page: Any,
    demo: Live,
    artifacts: Path,
) -> None:
    sign_in_as(page, demo)
    one = open_view(page, demo, IHK, 1)
    snap = open_view(page, demo, IHK, 2)
    page.screenshot(path=str(artifacts / "explorer-ihk-2-links.png"))

    # every link among the shown nodes is drawn, whatever its emphasis
    shown = sorted(n["id"] for n in snap["nodes"])
    drawn = {(e["from"], e["to"], e["type"]) for e in snap["edges"]}
    assert drawn == store_links(demo.store, shown)
    assert len(snap["edges"]) == len(drawn)

    groups = _by_emphasis(snap)
    at_focus = groups["focus"]
    between = groups["context"]
    assert set(groups) == {"focus", "context"}, set(groups)
    assert all(IHK in (e["from"], e["to"]) for e in at_focus)
    assert not any(IHK in (e["from"], e["to"]) for e in between)
    assert len(between) > 3 * len(at_focus), "the 2-step view is mostly links between others"
    # the links at the focus are clearly drawn, those between two other nodes thin and light
    assert min(e["widthPx"] for e in at_focus) >= 1.5 * max(e["widthPx"] for e in between)
    assert min(e["opacity"] for e in at_focus) >= 0.8
    assert max(e["opacity"] for e in between) <= 0.3
    # the denser the view, the lighter the links between others
    sparse = [e for e in one["edges"] if e["emphasis"] == "context"]
    if sparse:
        assert max(e["opacity"] for e in between) < min(e["opacity"] for e in sparse)

    # pointing at a node of the first ring brings its links forward, the rest fades
    member = next(e["from"] for e in at_focus if e["to"] == IHK and e["type"] == "MEMBER_OF")
    page.evaluate(f"window.__explorer.hover('{member}')")
    hovered = settled(page)
    page.screenshot(path=str(artifacts / "explorer-ihk-2-hover.png"))
    mine = [e for e in hovered["edges"] if member in (e["from"], e["to"])]
    assert mine and all(e["emphasis"] in ("selected", "focus") for e in mine)
    strongest_before = max(e["widthPx"] for e in at_focus)
    assert all(e["widthPx"] >= strongest_before and e["opacity"] >= 0.8 for e in mine)
    faded = [e for e in hovered["edges"] if e["emphasis"] == "faded"]
    assert faded and all(member not in (e["from"], e["to"]) for e in faded)
    assert {(e["from"], e["to"], e["type"]) for e in hovered["edges"]} == drawn
    page.evaluate("window.__explorer.hover(null)")
    again = settled(page)
    assert _by_emphasis(again).keys() == groups.keys()
    assert page.errors == []


def test_the_first_picture_asks_for_the_view_beside_the_configuration(
    page: Any,
    demo: Live,
) -> None:
    """The page asks for ``view`` at once, not after the ``config`` answer came back (one
    round trip less before the first picture); a refused key still opens the sign-in dialog
    with its reason, and the right key then shows the view."""
    events: list[str] = []
    page.on("request", lambda r: events.append("ask " + r.url.split("?")[0].rsplit("/", 1)[-1]))
    page.on("response", lambda r: events.append("got " + r.url.split("?")[0].rsplit("/", 1)[-1]))
    page.goto(f"{demo.url}/?focus={IHK}&hops=1&lang=de")
    page.wait_for_selector("#key-dialog[open]")
    page.fill("#key-input", "falsch")
    page.click("#key-submit")
    page.wait_for_function("!document.querySelector('#key-error').hidden")
    assert "nicht akzeptiert" in page.inner_text("#key-error")
    assert page.evaluate("document.querySelector('#key-dialog').open")
    events.clear()
    page.fill("#key-input", demo.keys["viewer"])
    page.click("#key-submit")
    page.wait_for_function(READY)
    assert page.evaluate("window.__explorer.snapshot().focus") == IHK
    asked = [e for e in events if e.endswith(("config", "view"))]
    assert asked.index("ask view") < asked.index("got config"), asked
    assert asked.count("ask view") == 1, "the view is asked for once"
