"""The explorer's workflow panels in headless chromium, over the real app and a copy of the
Nordhessen seed network: the challenge round, the pitch programme and the MoWiN lineage."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.store import GraphStore
from tests.support.browser import sign_in, watched_page
from tests.support.live_server import serve

pytestmark = pytest.mark.browser

CHALLENGE = "challenge-syn2021-00000"  # solved at the seed's pitch event
PITCH = "event-oic-pitch-2022"
MOWIN = "practice-mowin-innovation-lab"


class Live:
    def __init__(self, url: str, key: str, store: GraphStore) -> None:
        self.url, self.key, self.store = url, key, store


@pytest.fixture(scope="module")
def live(seed_graph: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    from scaleup_graph.api.app import create_app
    from scaleup_graph.api.keys import KeyStore, keys_path
    from scaleup_graph.settings import Settings

    store = seed_graph.copy_to(f"t_wf_{uuid.uuid4().hex[:8]}")  # type: ignore[attr-defined]
    settings = Settings(state_dir=tmp_path_factory.mktemp("wf-live-state"))
    _, key = KeyStore(keys_path(settings)).create("viewer", note="workflow panel test")
    with serve(create_app(settings, store)) as url:
        yield Live(url, key, store)
    store.clear()
    store.close()


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Any]:
    # a large window (issue 18): the side panel with the workflow is open beside the picture
    context, pg = watched_page(browser, live.url, width=1440, height=900)
    sign_in(pg, live.url, live.key, "window.__explorer.firstFrame > 0 && window.__workflows")
    yield pg
    context.close()


def _panel_ready(page: Any, kind: str, node_id: str) -> None:
    page.wait_for_function(
        "(() => { const p = document.querySelector('#wf-panel');"
        f" return !p.hidden && p.dataset.kind === '{kind}' && p.dataset.id === '{node_id}'"
        " && p.dataset.state === 'ready'; })()",
        timeout=30000,
    )


def test_challenge_panel_and_pitch_programme(page: Any, live: Live, artifacts: Path) -> None:
    from scaleup_graph.workflows import pitch_programme, proposals

    page.evaluate(f"window.__explorer.select('{CHALLENGE}')")
    _panel_ready(page, "Challenge", CHALLENGE)
    assert page.inner_text("#wf-title") == "Challenge-Runde"
    assert page.get_attribute("#wf-status", "data-status") == "solved"
    history = page.locator("#wf-history li").all_inner_texts()
    assert history == [
        "Entwurf – 2022-05-22",
        "veröffentlicht – 2022-06-23",
        "gepitcht – 2022-09-22",
        "gelöst – 2023-01-08",
    ]
    expected = {p["proposal"]["id"] for p in proposals(live.store, CHALLENGE)}
    shown = set(page.eval_on_selector_all("#wf-proposals li", "els => els.map(e => e.dataset.id)"))
    assert shown == expected and len(shown) == 3
    matches = page.locator("#wf-matches li")
    assert matches.count() >= 1
    assert "challenge topics" in matches.first.inner_text()
    page.locator("#wf-matches").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "workflow-challenge-panel.png"))

    # a suggested provider is a link: it opens that organisation and hides the panel
    first = page.get_attribute("#wf-matches li:first-child", "data-id")
    page.locator("#wf-matches li:first-child button.link").click()
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{first}'")
    assert page.locator("#wf-panel").is_hidden()

    page.evaluate(f"window.__explorer.select('{PITCH}')")
    _panel_ready(page, "Event", PITCH)
    programme = pitch_programme(live.store, PITCH)
    shown_challenges = page.eval_on_selector_all(
        "#wf-programme > li", "els => els.map(e => e.dataset.id)"
    )
    assert shown_challenges == [c["id"] for c in programme["challenges"]]
    assert page.outside == [] and page.errors == []


def test_lineage_panel_in_german_and_english(page: Any, artifacts: Path) -> None:
    page.fill("#search", "mowin innovation")
    page.locator(f"#hits li[data-id='{MOWIN}']").click()
    _panel_ready(page, "BestPractice", MOWIN)
    assert page.inner_text("#wf-title") == "Herkunft und Transfer"
    transferred = page.locator("#wf-transferred-to li").all_inner_texts()
    assert len(transferred) == 2
    assert "EL30" in transferred[0] and "PL81" in transferred[1]
    assert "Umsetzungsphase" in transferred[0]
    presented = page.inner_text("#wf-presented-by")
    assert "MoWiN.net" in presented and "DE73" in presented
    page.click("#lang-btn")
    page.wait_for_function(
        "document.querySelector('#wf-title').textContent === 'Lineage' && "
        "document.querySelector('#wf-panel').dataset.state === 'ready'"
    )
    assert "Transferred to" in page.inner_text("#wf-panel")
    page.locator("#wf-panel").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "workflow-lineage-panel.png"))
    assert page.errors == []
