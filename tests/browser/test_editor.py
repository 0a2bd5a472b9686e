"""Agency staff edit the network in the page (headless chromium, real app, a copy of the seed).

The issue's scenario: an editor creates an SME, links it to IHK Kassel-Marburg and a topic,
drafts a challenge and publishes it; a second key proposes a solution; the viewer sees the new
SME and the challenge but no personal field and no edit control; the history shows the steps and
undo restores the previous values; a stale edit is refused with the current values; invalid
fields get their messages next to them and the page keeps what was typed. Every form is
photographed under test-artifacts/.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from scaleup_graph.store import GraphStore
from tests.support.browser import sign_in, watched_page
from tests.support.editor_page import create_form, fill, link_form, pick, save, saved, select
from tests.support.live_server import serve

pytestmark = pytest.mark.browser

IHK = "org-ihk-kassel-marburg"
SME = "org-nordhessen-sensorik-gmbh"


class Live:
    def __init__(self, url: str, keys: dict[str, str], store: GraphStore) -> None:
        self.url, self.keys, self.store = url, keys, store

    def api(self, method: str, path: str, key: str, **kw: Any) -> httpx.Response:
        return httpx.request(
            method, self.url + path, headers={"X-API-Key": self.keys[key]}, timeout=30, **kw
        )

    def create(self, label: str, key: str = "editor", **properties: Any) -> str:
        """A node made through the API (201), as another person at another desk would; its id."""
        made = self.api("POST", f"/api/v1/nodes/{label}", key, json={"properties": properties})
        assert made.status_code == 201, made.text
        return str(made.json()["id"])


@pytest.fixture(scope="module")
def live(seed_graph: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    from scaleup_graph.api.app import create_app
    from scaleup_graph.api.keys import KeyStore, keys_path
    from scaleup_graph.settings import Settings

    store = seed_graph.copy_to(f"t_ed_{uuid.uuid4().hex[:8]}")  # type: ignore[attr-defined]
    settings = Settings(state_dir=tmp_path_factory.mktemp("editor-live-state"))
    made = KeyStore(keys_path(settings))
    keys = {
        "editor": made.create("editor+contacts", note="Agentur Redaktion")[1],
        "partner": made.create("editor+contacts", note="IHK Partnerin")[1],
        "viewer": made.create("viewer", note="Stakeholder")[1],
        "admin": made.create("admin+editor+contacts", note="Datenschutz")[1],
    }
    with serve(create_app(settings, store)) as url:
        yield Live(url, keys, store)
    store.clear()
    store.close()


@pytest.fixture
def open_page(browser: Any, live: Live) -> Iterator[Callable[[str], Any]]:
    contexts = []

    def open_as(who: str) -> Any:
        # a large window (issue 18): the editor works in the open side panel
        context, pg = watched_page(browser, live.url, width=1440, height=900)
        contexts.append(context)
        sign_in(
            pg, live.url, live.keys[who], "window.__explorer && window.__explorer.firstFrame > 0"
        )
        pg.wait_for_function("window.__editor && window.__editor.state.forms")
        return pg

    yield open_as
    for context in contexts:
        context.close()


def test_the_issues_scenario_from_a_new_sme_to_a_proposal(
    open_page: Callable[[str], Any], live: Live, artifacts: Path
) -> None:
    page = open_page("editor")
    # the key's combined capabilities in words, not the role string
    role = page.inner_text("#role-info")
    assert "Bearbeiten" in role and "role_" not in role and "+editor" not in role
    # 1. create an SME
    create_form(page, "Organisation", name="Nordhessen Sensorik GmbH")
    page.check("#ed-f-kinds input[value='SME']")
    fill(page, city="Kassel", country="DE", website="https://sensorik.example.org")
    assert page.inner_text("label[for='ed-f-name']").endswith("*")
    page.screenshot(path=str(artifacts / "editor-form-create-organisation.png"))
    save(page)
    saved(page)
    assert live.store.node_properties("Organisation", [SME])[SME]["kinds"] == ["SME"]

    # 2. link it to IHK Kassel-Marburg (member of) and a topic (has competence)
    select(page, SME)
    link_form(page, "ist Mitglied von", "IHK Kassel", IHK)
    page.screenshot(path=str(artifacts / "editor-form-link.png"))
    save(page)
    saved(page)
    select(page, SME)
    link_form(page, "ist kompetent in", "Digital", "topic-digitalisation")
    fill(page, level="3")
    save(page)
    saved(page)
    links = {(r["type"], r["other"]) for r in live.store.node_links(SME)[0]}
    assert {("MEMBER_OF", IHK), ("HAS_COMPETENCE", "topic-digitalisation")} <= links

    # 3. draft a challenge posed by the SME and publish it
    select(page, SME)
    page.click("[data-action='create'][data-label='Challenge']")
    assert page.locator("dialog [data-picker='posed_by'] .ed-chip").get_attribute("data-id") == SME
    fill(page, name="Sensordaten aus Altbauten", description="Funk durch dicke Wände")
    pick(page, "topics", "Digital", "topic-digitalisation")
    page.screenshot(path=str(artifacts / "editor-form-challenge-draft.png"))
    save(page)
    saved(page)
    challenge = page.evaluate("window.__editor.state.record.id")
    assert (
        challenge.startswith("challenge-")
        and page.get_attribute("#ed-round", "data-status") == "draft"
    )
    assert page.locator("[data-action='create'][data-label='Proposal']").is_disabled()
    assert "veröffentlichte" in page.inner_text("#ed-propose-note")
    not_allowed = page.locator(".ed-not-allowed[data-to='pitched']").inner_text()
    assert "nicht möglich" in not_allowed
    page.click("[data-action='step'][data-to='published']")
    page.screenshot(path=str(artifacts / "editor-form-challenge-step.png"))
    save(page)
    saved(page)
    page.wait_for_selector("#ed-round[data-status='published']")
    # the explorer's own details were read again after the step
    page.wait_for_function(
        "document.querySelector('#details-body').innerText.includes('veröffentlicht')"
    )
    # a step the server refuses says why, next to the field (pitching needs the pitch event)
    page.click("[data-action='step'][data-to='pitched']")
    save(page)
    page.wait_for_selector("#ed-err-event:not([hidden])")
    assert "Bitte die Pitch-Veranstaltung wählen" in page.inner_text("#ed-err-event")
    page.screenshot(path=str(artifacts / "editor-step-refused.png"))
    page.click("dialog [data-action='cancel']")

    # 4. a second key proposes a solution to the published challenge
    partner = open_page("partner")
    select(partner, challenge)
    partner.click("[data-action='create'][data-label='Proposal']")
    pick(partner, "organisation", "MoWiN.net", "org-mowin-net-e-v")
    fill(partner, name="Mesh-Funk mit LoRa")
    partner.screenshot(path=str(artifacts / "editor-form-proposal.png"))
    save(partner)
    saved(partner)
    proposals = live.api("GET", f"/api/v1/challenges/{challenge}/proposals", "viewer").json()
    assert [(p["proposal"]["name"], p["proposed_by"][0]["id"]) for p in proposals["items"]] == [
        ("Mesh-Funk mit LoRa", "org-mowin-net-e-v")
    ]

    # 5. the history shows the steps; the second editor's key note is who did it
    select(page, challenge)
    entries = page.locator("#ed-history-list > li")
    kinds = entries.evaluate_all("els => els.map(e => e.dataset.actionKind)")
    assert kinds[:2] == ["step", "create"]
    assert "Agentur Redaktion" in entries.first.inner_text()
    assert "veröffentlicht" in page.inner_text("#ed-history-list")
    page.locator("#ed-history").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "editor-history-challenge.png"))
    assert page.outside == [] and page.errors == [] and partner.errors == []


def test_viewer_sees_the_new_nodes_but_no_edit_control_and_no_personal_field(
    open_page: Callable[[str], Any], live: Live, artifacts: Path
) -> None:
    sme = live.create("Organisation", name="Fuldataler Robotik GmbH", kinds=["SME"])
    challenge = live.api(
        "POST",
        "/api/v1/challenges",
        "editor",
        json={"posed_by": sme, "name": "Greifer für Obstkisten", "topics": ["Digitalisation"]},
    ).json()["id"]
    step = live.api(
        "POST", f"/api/v1/challenges/{challenge}/transitions", "editor", json={"to": "published"}
    )
    assert step.status_code == 200
    person = live.create(
        "Person", name="Erika Mustermann", email="erika@example.org", role="Innovationsberatung"
    )
    page = open_page("viewer")
    assert page.locator("[data-action]").count() == 0
    select(page, sme)
    assert page.inner_text("#details-body h3") == "Fuldataler Robotik GmbH"
    select(page, challenge)
    assert page.get_attribute("#ed-round", "data-status") == "published"
    assert page.locator("[data-action]").count() == 0  # no step, edit or create control
    assert page.locator(".ed-not-allowed[data-to='pitched']").count() == 0  # allowed, not mine
    assert "nicht möglich" in page.inner_text(".ed-not-allowed[data-to='solved']")
    assert "Greifer für Obstkisten" in page.inner_text("#details-body")
    page.screenshot(path=str(artifacts / "editor-viewer-challenge.png"))
    select(page, person)
    history = page.inner_text("#ed-history-list")
    assert "(verborgen)" in history and "Innovationsberatung" in history
    assert "erika" not in page.content().lower()
    editor = open_page("editor")
    select(editor, person)
    editor.click("[data-action='edit']")
    assert editor.input_value("#ed-f-email") == "erika@example.org"
    assert "personenbezogen" in editor.inner_text("label[for='ed-f-email']")
    editor.screenshot(path=str(artifacts / "editor-form-edit-person.png"))


def test_invalid_fields_get_their_message_and_the_page_keeps_what_was_typed(
    open_page: Callable[[str], Any], live: Live, artifacts: Path
) -> None:
    before = live.store.counts()["nodes"]
    page = open_page("editor")
    create_form(
        page, "Organisation", city="Baunatal", country="DEU", website="www.ohne-protokoll.de"
    )
    page.select_option("#ed-f-activity_type", "PRC")
    save(page)
    page.wait_for_selector("#ed-err-website:not([hidden])")
    # the German page shows the German message next to each field, with what to do
    assert page.inner_text("#ed-err-name") == "Pflichtfeld: bitte ausfüllen."
    assert "mit http:// oder https:// beginnen" in page.inner_text("#ed-err-website")
    assert "höchstens 2 Zeichen erlaubt (jetzt 3). Bitte kürzen." in page.inner_text(
        "#ed-err-country"
    )
    assert "web address" not in page.inner_text("dialog")
    assert page.get_attribute("#ed-f-website", "aria-invalid") == "true"
    assert page.input_value("#ed-f-city") == "Baunatal"
    assert page.input_value("#ed-f-website") == "www.ohne-protokoll.de"
    page.screenshot(path=str(artifacts / "editor-form-errors.png"))
    # fix them: saved, and nothing of the refused attempt was stored before
    assert live.store.counts()["nodes"] == before
    fill(page, name="Baunataler Werkstatt", country="DE", website="https://werkstatt.example.org")
    save(page)
    saved(page)
    create_form(page, "Region", name="Werra-Meißner", level="drei")
    save(page)
    page.wait_for_selector("#ed-err-level:not([hidden])")
    assert "Keine ganze Zahl" in page.inner_text("#ed-err-level")
    assert page.input_value("#ed-f-name") == "Werra-Meißner"
    assert page.input_value("#ed-f-level") == "drei"
    page.screenshot(path=str(artifacts / "editor-form-errors-region-de.png"))
    # the same form on the English page: the English message
    page.click("dialog [data-action='cancel']")
    page.click("#lang-btn")
    page.wait_for_function("document.querySelector('[data-action=\"create\"]') !== null")
    create_form(page, "Region", name="Werra-Meißner", level="drei")
    save(page)
    page.wait_for_selector("#ed-err-level:not([hidden])")
    assert page.inner_text("#ed-err-level") == "is not a whole number"
    page.screenshot(path=str(artifacts / "editor-form-errors-region-en.png"))


def test_a_stale_edit_is_refused_with_the_current_values_and_undo_restores(
    open_page: Callable[[str], Any], live: Live, artifacts: Path
) -> None:
    org = "org-science-park-kassel"
    page = open_page("editor")
    select(page, org)
    page.click("[data-action='edit']")
    fill(page, city="Kassel-Nord")
    # meanwhile the partner changes the same node
    version = live.api("GET", f"/api/v1/nodes/{org}/record", "partner").json()["version"]
    other = live.api(
        "PUT",
        f"/api/v1/nodes/Organisation/{org}",
        "partner",
        json={"version": version, "properties": {"city": "Kassel-Wilhelmshöhe"}},
    )
    assert other.status_code == 200
    save(page)
    page.wait_for_selector("#ed-stale")
    assert page.inner_text("#ed-stale dd[data-current='city']") == "Kassel-Wilhelmshöhe"
    assert page.input_value("#ed-f-city") == "Kassel-Nord"  # what was typed stays
    page.screenshot(path=str(artifacts / "editor-stale-refused.png"))
    city = live.store.node_properties("Organisation", [org])[org]["city"]
    assert city == "Kassel-Wilhelmshöhe"
    page.click("[data-action='keep-mine']")
    save(page)
    saved(page)
    assert live.store.node_properties("Organisation", [org])[org]["city"] == "Kassel-Nord"
    # undo my own last change: the partner's value comes back
    page.click("[data-action='undo']")
    page.wait_for_selector(".ed-message.ed-ok")
    page.wait_for_function(
        "document.querySelector('#ed-history-list > li').dataset.actionKind === 'undo'"
    )
    assert live.store.node_properties("Organisation", [org])[org]["city"] == "Kassel-Wilhelmshöhe"
    page.screenshot(path=str(artifacts / "editor-history-undo.png"))


def test_publishing_content_reaches_the_feed_at_once_and_delete_asks_first(
    open_page: Callable[[str], Any], live: Live, artifacts: Path
) -> None:
    page = open_page("editor")
    select(page, IHK)
    page.click("[data-action='create'][data-label='ContentItem']")
    page.select_option("#ed-f-kind", "study")
    fill(page, name="Studie: Sensorik im Mittelstand")
    pick(page, "topics", "Digital", "topic-digitalisation")
    fill(page, url="https://ihk.example.org/studie")
    page.screenshot(path=str(artifacts / "editor-form-publish-content.png"))
    save(page)
    saved(page)
    content = live.api("GET", "/api/v1/content", "viewer", params={"kind": "study"}).json()
    assert "Studie: Sensorik im Mittelstand" in json.dumps(content, ensure_ascii=False)
    item = page.evaluate("window.__editor.state.record.id")
    reader = "org-mowin-net-e-v"  # subscribes to the topic: its feed and digest show the item
    subscribed = live.api(
        "PUT",
        f"/api/v1/organisations/{reader}/subscriptions",
        "editor",
        json={"topics": ["topic-digitalisation"]},
    )
    assert subscribed.status_code == 200, subscribed.text
    feed = live.api("GET", "/api/v1/feed", "viewer", params={"organisation": reader}).json()
    assert item in json.dumps(feed["items"])
    digest = live.api("GET", f"/api/v1/organisations/{reader}/digest", "viewer")
    assert "Studie: Sensorik im Mittelstand" in digest.text
    reach = live.api("GET", f"/api/v1/content/{item}/reach", "viewer")
    assert reach.status_code == 200 and IHK in reach.text
    # delete asks first and names what goes with it
    page.click("[data-action='delete']")
    page.wait_for_selector("#ed-dependents li")
    names = page.locator("#ed-dependents li").all_inner_texts()
    assert sorted(names) == ["handelt von Digitalisation", "veröffentlicht von IHK Kassel-Marburg"]
    page.screenshot(path=str(artifacts / "editor-delete-confirm.png"))
    page.click("[data-action='confirm-delete']")
    page.wait_for_selector(".ed-message.ed-ok")
    assert not live.store.existing_ids("ContentItem", [item])


def test_a_person_and_their_job_and_a_practice_transferred_to_a_region(
    open_page: Callable[[str], Any], live: Live, artifacts: Path
) -> None:
    page = open_page("editor")
    create_form(page, "Person")
    assert "personenbezogen" in page.inner_text("label[for='ed-f-email']")
    fill(page, name="Jana Beispiel", email="jana.beispiel@example.org", role="Innovationsberaterin")
    page.select_option("#ed-f-lawful_basis", "consent")
    fill(page, consent="newsletter")
    page.screenshot(path=str(artifacts / "editor-form-create-person.png"))
    save(page)
    saved(page)
    person = page.evaluate("window.__editor.state.record.id")
    assert person.startswith("person-") and "jana" not in person
    link_form(page, "arbeitet bei", "IHK Kassel", IHK)
    fill(page, role="Referentin Innovation", since="01.03.2024")
    save(page)
    saved(page)
    job = live.store.relationship_properties("WORKS_AT", ("Person", person), ("Organisation", IHK))
    assert job is not None
    assert (job["role"], job["since"]) == ("Referentin Innovation", "2024-03-01")

    create_form(page, "BestPractice", name="Sensorik-Sprechstunde", topics="Digitalisation")
    save(page)
    saved(page)
    practice = page.evaluate("window.__editor.state.record.id")
    link_form(page, "übertragen nach", "Lubelskie", "region-pl81")
    fill(page, phase="Umsetzung")
    page.screenshot(path=str(artifacts / "editor-form-transfer.png"))
    save(page)
    saved(page)
    lineage = live.api("GET", f"/api/v1/practices/{practice}/lineage", "viewer")
    assert lineage.status_code == 200 and "region-pl81" in lineage.text


def test_history_names_the_other_end_and_undo_of_a_delete_brings_the_links_back(
    open_page: Callable[[str], Any], live: Live, artifacts: Path
) -> None:
    org = live.create("Organisation", name="Fuldataler Feinmechanik", kinds=["SME"])
    other = live.create("Organisation", name="Kurzlebig")
    for type_, end in (("MEMBER_OF", IHK), ("HAS_COMPETENCE", "topic-digitalisation")):
        linked = live.api(
            "POST", f"/api/v1/relationships/{type_}", "editor", json={"start": org, "end": end}
        )
        assert linked.status_code == 201, linked.text
    live.api(
        "POST",
        "/api/v1/relationships/COOPERATES_WITH",
        "editor",
        json={"start": org, "end": other, "properties": {"since": "2024-05-01"}},
    )
    page = open_page("editor")
    select(page, org)
    page.wait_for_selector("#ed-history-list .ed-rel")
    lines = page.locator("#ed-history-list .ed-rel").all_inner_texts()
    assert "ist Mitglied von IHK Kassel-Marburg" in lines
    assert "ist kompetent in Digitalisierung" in lines  # a topic by its German name
    assert not any(IHK in line for line in lines)  # names, not ids
    page.locator("#ed-history-list").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "editor-history-names.png"))

    page.click("[data-action='delete']")
    page.wait_for_selector("#ed-dependents li")
    assert "zurück" in page.inner_text("dialog.ed-dialog")  # undo brings the links back
    page.click("[data-action='confirm-delete']")
    page.wait_for_selector("[data-action='undo-delete']")
    assert not live.store.existing_ids("Organisation", [org])
    # meanwhile one of the other ends goes: that link cannot come back
    gone = live.api(
        "DELETE", f"/api/v1/nodes/Organisation/{other}", "partner", params={"version": 1}
    )
    assert gone.status_code == 200, gone.text
    page.click("[data-action='undo-delete']")
    page.wait_for_selector("#ed-not-restored li")
    assert "Wiederhergestellt, mit 2 Verbindungen." in page.inner_text("#ed-message")
    assert page.locator("#ed-not-restored li").all_inner_texts() == ["kooperiert mit Kurzlebig"]
    page.screenshot(path=str(artifacts / "editor-undo-delete.png"))
    links = {(r["type"], r["other"]) for r in live.store.node_relationships("Organisation", org)}
    assert links == {("MEMBER_OF", IHK), ("HAS_COMPETENCE", "topic-digitalisation")}


def test_erasing_a_person_says_first_that_it_cannot_be_undone(
    open_page: Callable[[str], Any], live: Live, artifacts: Path
) -> None:
    person = live.create("Person", name="Lea Löschbar", role="Assistenz")
    page = open_page("admin")
    select(page, person)
    page.click("[data-action='delete']")
    page.wait_for_selector("#ed-erase-note")
    assert "nicht rückgängig" in page.inner_text("#ed-erase-note")
    assert live.store.existing_ids("Person", [person])  # nothing happens before the answer
    page.screenshot(path=str(artifacts / "editor-erase-person.png"))
    page.click("[data-action='confirm-delete']")
    page.wait_for_selector(".ed-message.ed-ok")
    assert not live.store.existing_ids("Person", [person])
    assert page.locator("[data-action='undo-delete']").count() == 0
