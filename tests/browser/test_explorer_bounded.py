"""A 3-step view of the demo data as a reader meets it: every direct neighbour of the focus,
then the most closely linked nodes; the page says first how many nodes it left out and how to
see them, in German and English; every link among the shown nodes is drawn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.explorer import IHK, READY, open_view, sign_in_as, store_links
from tests.support.live_server import Live

pytestmark = pytest.mark.browser


def test_a_three_step_view_says_what_it_left_out(
    page: Any,
    demo: Live,
    artifacts: Path,
) -> None:
    sign_in_as(page, demo)
    one = open_view(page, demo, IHK, 1)
    snap = open_view(page, demo, IHK, 3)
    page.screenshot(path=str(artifacts / "explorer-ihk-3-bounded.png"))
    shown = [n["id"] for n in snap["nodes"]]
    assert {n["id"] for n in one["nodes"]} <= set(shown), "every direct neighbour stays"
    answer = page.evaluate(
        """async (id) => (await (await fetch(`/api/v1/explorer/view?focus=${id}&hops=3&lang=de`,
             {headers: {'X-API-Key': sessionStorage.getItem('scaleup-api-key')}})).json())""",
        IHK,
    )
    bounded = answer["bounded"]
    assert bounded["hubs"] and len(shown) == len(answer["nodes"])
    message = page.inner_text("#message")
    assert "Ab Schritt 2 gekürzt" in message and "Alle Nachbarn zeigen" in message
    assert f"{len(bounded['hubs'])} Knotenpunkte" in message
    if bounded["left_out"]:
        assert f"{bounded['left_out']} Knoten nicht gezeigt" in message
    # the hubs are drawn, the nodes only they lead to are not
    assert set(bounded["hubs"]) <= set(shown)
    drawn = {(e["from"], e["to"], e["type"]) for e in snap["edges"]}
    assert drawn == store_links(demo.store, shown)

    page.click("#lang-btn")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_function(READY)
    english = page.inner_text("#message")
    assert "Cut from step 2 on" in english and "Show all neighbours" in english
