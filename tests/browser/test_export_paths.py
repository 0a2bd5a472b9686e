"""'Wer kann mich vorstellen?' in the offline export: the file finds paths among the nodes it
holds (no server), draws them as the live explorer does, lists the steps in words, and says
that paths through nodes left out of the export are found only in the live explorer."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import write_export
from scaleup_graph.visualisation.export import export_data
from scaleup_graph.visualisation.views import path_view
from tests.support.browser import offline_file
from tests.support.explorer import IHK, READY, TECHNICAL, settled

pytestmark = pytest.mark.browser

SCIENCE_PARK = "org-science-park-kassel"
LAZIO = "org-lazio-innova"


def _pick(page: Any, field: str, text: str, node_id: str) -> None:
    page.fill(field, text)
    page.locator(f"{field} ~ .hits li[data-id='{node_id}']").click()


def test_the_export_finds_paths_among_its_own_nodes(
    browser: Any, seeded_store: GraphStore, tmp_path: Path, artifacts: Path
) -> None:
    exported = export_data(seeded_store, role="viewer", focus=IHK, hops=2)
    assert {SCIENCE_PARK, LAZIO} <= set(exported["nodes"])
    live = path_view(seeded_store, SCIENCE_PARK, LAZIO, role="viewer", lang="de")
    live_first = [n["id"] for n in live["paths"][0]["nodes"]]
    assert set(live_first) <= set(exported["nodes"]), "the live path lies inside the export"
    out = tmp_path / "netz.html"
    write_export(seeded_store, out, role="viewer", focus=IHK, hops=2)

    context, page = offline_file(browser, out)

    _pick(page, "#path-from", "science park", SCIENCE_PARK)
    _pick(page, "#path-to", "lazio innova", LAZIO)
    page.click("#path-find")
    page.wait_for_selector("#path-result .path-item")
    page.wait_for_function(READY)
    snap = settled(page)
    page.screenshot(path=str(artifacts / "explorer-export-path.png"))

    # the same shortest length as the live path finder, through what the export holds
    listed = page.inner_text("#path-result")
    first = page.evaluate(
        "[...document.querySelectorAll('#path-result .path-item.chosen .stop')].length"
    )
    assert first == len(live_first)
    nodes = {n["id"]: n for n in snap["nodes"]}
    chain = [i for i in nodes if not nodes[i]["faded"]]
    assert SCIENCE_PARK in chain and LAZIO in chain and len(chain) == len(live_first)
    # drawn left to right from the start to the goal, every node named at >= 11 px
    assert nodes[SCIENCE_PARK]["x"] < nodes[LAZIO]["x"]
    for i in chain:
        assert nodes[i]["labelShown"] and nodes[i]["fontPx"] >= 11, nodes[i]
    # each step of the chosen path is a drawn link, highlighted
    strong = {frozenset((e["from"], e["to"])) for e in snap["edges"] if e["highlighted"]}
    ordered = sorted(chain, key=lambda i: nodes[i]["x"])
    assert strong == {frozenset(p) for p in itertools.pairwise(ordered)}
    # the steps in words, no technical names; the page says where the search ends
    assert "kooperiert mit" in listed or "ist Partner in" in listed or "ist Mitglied" in listed
    assert not TECHNICAL.search(listed)
    message = page.inner_text("#message")
    assert "nur über die" in message and "Live-Explorer" in message
    assert f"{len(exported['nodes'])} Knoten" in message

    # in English too
    page.click("#lang-btn")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_function(READY)
    assert "live explorer" in page.inner_text("#message")

    assert page.requests == [out.as_uri()], f"the file asked for more: {page.requests}"
    assert page.errors == []
    context.close()
