"""The exported HTML file opens from disk with networking disabled, renders, and searches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import write_export
from tests.support.browser import offline_file
from tests.support.sample_network import EMAIL, IHK, PERSON_NAME, build_sample

pytestmark = pytest.mark.browser


def test_exported_file_works_offline(
    browser: Any, store: GraphStore, tmp_path: Path, artifacts: Path
) -> None:
    build_sample(store)
    out = tmp_path / "netz.html"
    write_export(store, out, role="viewer", focus=IHK, hops=2)

    context, page = offline_file(browser, out, width=1280, height=800)

    assert int(page.locator("#canvas").get_attribute("data-nodes")) >= 10
    assert page.locator("#details-body h3").inner_text() == "IHK Kassel-Marburg"
    assert "Offline" in page.locator("#role-info").inner_text()

    # search inside the file, open a hit: its details appear
    page.fill("#search", "lazio inn")
    page.locator("#hits li[data-id='org-lazio-innova']").click()
    page.wait_for_function(
        "document.querySelector('#details-body').dataset.id === 'org-lazio-innova'"
    )

    # a small view built in the file (Lazio Innova, 2 steps, 6 nodes) has room for every
    # name: every node is labelled, the outer ring too, at a size one can read
    page.wait_for_function("window.__explorer.snapshot().focus === 'org-lazio-innova'")
    snap = page.evaluate("window.__explorer.snapshot()")
    assert 4 <= len(snap["nodes"]) <= 12
    unnamed = [n["label"] for n in snap["nodes"] if not (n["labelShown"] and n["fontPx"] >= 11)]
    assert unnamed == [], f"nodes without a readable name though there is room: {unnamed}"
    # one link left out is said in the singular
    details = page.inner_text("#details-body")
    assert "1 weitere Verbindung ist nicht in diesem Export." in details
    assert "Verbindungen sind" not in details
    # saving a perspective needs the live explorer: the file says so (not the path finder's text)
    page.fill("#view-name", "Lazio und Umfeld")
    page.locator("#view-form button[type=submit]").click()
    message = page.inner_text("#message")
    assert "Perspektiven speichern geht nur im Live-Explorer" in message
    assert "Wegsuche" not in message

    # a name that looks like markup is drawn as text, never run
    assert page.evaluate("window.__pwned") is None
    content = page.content()
    assert EMAIL not in content and PERSON_NAME not in content
    page.screenshot(path=str(artifacts / "explorer-export-offline.png"))
    assert page.requests == [out.as_uri()], f"the file asked for more: {page.requests}"
    assert page.errors == []
    context.close()
