"""The explorer served by the real app (uvicorn on 127.0.0.1) over the real embedded store.

One app server and one browser for the module. Keys are made by the same key store that
``scaleup keys create --role R`` uses.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.store import open_store
from tests.support.browser import sign_in, watched_page
from tests.support.live_server import Live, serve_configured
from tests.support.sample_network import EMAIL, IHK, PERSON, PERSON_NAME, build_sample

pytestmark = pytest.mark.browser

ROLES = ("viewer", "contacts")


@pytest.fixture(scope="module")
def live(db_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    graph = f"t_live_{uuid.uuid4().hex[:8]}"
    store = open_store(f"embedded://{db_dir}", graph=graph)
    build_sample(store)
    state = tmp_path_factory.mktemp("live-state")
    with serve_configured(store, db_dir, graph, state, ROLES, "explorer browser test") as live:
        yield live


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    # a large window (issue 18: 1280x800 is a small one, its side panel closed)
    context, pg = watched_page(browser, (live.url, "data:"), width=1440, height=900, console=True)
    yield pg
    context.close()


def _sign_in(page: Any, live: Live, role: str) -> None:
    sign_in(page, live.url, live.keys[role], "window.__explorer.firstFrame > 0")


def _nodes(page: Any) -> int:
    return int(page.get_attribute("#canvas", "data-nodes"))


def _select_ihk(page: Any) -> None:
    page.fill("#search", "ihk kassel")
    page.locator(f"#hits li[data-id='{IHK}']").click()
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{IHK}'")
    page.wait_for_function(
        f"window.__explorer.snapshot().focus === '{IHK}' && "
        "document.querySelector('#canvas').dataset.state === 'ready'"
    )


def test_search_select_expand(page: Any, live: Live, artifacts: Path) -> None:
    _sign_in(page, live, "viewer")
    assert page.evaluate("sessionStorage.getItem('scaleup-api-key')") == live.keys["viewer"]
    assert page.evaluate("localStorage.length") == 0
    assert _nodes(page) == 15  # the overview: the whole sample network

    _select_ihk(page)
    assert _nodes(page) == 7  # IHK and its six direct neighbours
    assert page.locator("#details-body h3").inner_text() == "IHK Kassel-Marburg"
    assert "focus=" + IHK in page.url

    # RMN's menu: its partners (Lazio Innova, MoWiN, the project) join the view
    page.locator("#details-body button.link[data-id='org-rmn']").first.click()
    page.wait_for_function("window.__explorer.snapshot().focus === 'org-rmn'")
    page.go_back()
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{IHK}'")
    point = page.evaluate("window.__explorer.snapshot().nodes.find(n => n.id === 'org-rmn')")
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"], button="right")
    page.locator("#node-menu button", has_text="Alle Nachbarn zeigen").click()
    page.wait_for_function("document.querySelector('#canvas').dataset.nodes === '10'")
    page.screenshot(path=str(artifacts / "explorer-live-ego-expanded.png"))
    assert page.outside == []
    assert page.errors == []


def test_viewer_never_sees_an_email(page: Any, live: Live) -> None:
    _sign_in(page, live, "viewer")
    _select_ihk(page)
    page.locator(f"#details-body button.link[data-id='{PERSON}']").click()
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{PERSON}'")
    dom = page.content() + page.evaluate(
        "JSON.stringify(window.__explorer.network.body.data.nodes.get().map(n => n.raw))"
    )
    assert EMAIL not in dom and PERSON_NAME not in dom
    assert not re.search(r"[\w.]+@[\w-]+\.\w+", page.inner_text("body"))
    assert "ausgeblendet" in page.inner_text("#details-body")


def test_contacts_key_sees_the_person_and_english_works(page: Any, live: Live) -> None:
    _sign_in(page, live, "contacts")
    page.click("#lang-btn")
    assert page.get_attribute("#search", "placeholder") == "Search by name …"
    page.fill("#search", "anna beisp")
    page.locator(f"#hits li[data-id='{PERSON}']").click()
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{PERSON}'")
    assert EMAIL in page.inner_text("#details-body")


def test_bad_input_shows_a_message(page: Any, live: Live) -> None:
    _sign_in(page, live, "viewer")
    _select_ihk(page)
    page.evaluate("document.querySelector('#hops').add(new Option('9', '9'))")
    page.select_option("#hops", "9")
    page.wait_for_function("document.querySelector('#canvas').dataset.state === 'error'")
    assert "zwischen 1 und 3" in page.inner_text("#message")
    assert _nodes(page) == 7  # the canvas keeps the last good view, never goes blank
    # a wrong key brings the key dialog back with a reason
    page.evaluate("sessionStorage.setItem('scaleup-api-key', 'falsch')")
    page.select_option("#hops", "2")
    page.wait_for_selector("#key-dialog[open]")
    assert "nicht akzeptiert" in page.inner_text("#key-error")
