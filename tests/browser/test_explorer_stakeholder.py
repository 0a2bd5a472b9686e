"""The explorer as a stakeholder meets it: the demo data (the Nordhessen seed), a 1440x900 window,
Debian's chromium, the real app over HTTP.

Each view is checked for what a reader notices: the focus in the middle, the focus and its direct
neighbours labelled at 11 CSS px or more, no node on top of another, every relationship between
two shown nodes drawn, plain German words only. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.visualisation import write_export
from tests.support.browser import offline_file
from tests.support.explorer import (
    IHK,
    READY,
    RMN,
    TECHNICAL,
    assert_legible,
    open_view,
    settled,
    sign_in_as,
    store_links,
)
from tests.support.live_server import Live

pytestmark = pytest.mark.browser

VIEWS = [
    ("ihk-1", IHK, 1),
    ("ihk-2", IHK, 2),
    ("regionalmanagement-1", RMN, 1),
]


@pytest.mark.parametrize(("name", "focus", "hops"), VIEWS, ids=[v[0] for v in VIEWS])
def test_a_view_a_stakeholder_can_read(
    page: Any, demo: Live, artifacts: Path, name: str, focus: str, hops: int
) -> None:
    sign_in_as(page, demo)
    snap = open_view(page, demo, focus, hops)
    box = page.locator("#canvas").bounding_box()
    page.screenshot(path=str(artifacts / f"explorer-{name}.png"))
    assert_legible(snap, box["width"], box["height"])

    # every relationship between two shown nodes is drawn: the store's and the API's
    shown = sorted(n["id"] for n in snap["nodes"])
    drawn = {(e["from"], e["to"], e["type"]) for e in snap["edges"]}
    assert drawn == store_links(demo.store, shown)
    answer = page.evaluate(
        """async ([focus, hops]) => {
             const r = await fetch(`/api/v1/explorer/view?focus=${focus}&hops=${hops}`,
               {headers: {'X-API-Key': sessionStorage.getItem('scaleup-api-key')}});
             return (await r.json()).edges.map(e => [e.from, e.to, e.type]); }""",
        [focus, hops],
    )
    assert {tuple(e) for e in answer} == drawn

    # plain German only, also in the details panel of the focus
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{focus}'")
    text = page.inner_text("body")
    assert not TECHNICAL.search(text), TECHNICAL.search(text)
    assert page.outside == [] and page.errors == []


def test_back_forward_reload_and_a_shared_link(page: Any, demo: Live) -> None:
    sign_in_as(page, demo)
    first = open_view(page, demo, IHK, 1)
    assert "focus=" + IHK in page.url and "hops=1" in page.url and "lang=de" in page.url
    page.evaluate(f"window.__explorer.select('{RMN}')")
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{RMN}'")
    assert "focus=" + RMN in page.url
    page.go_back()
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{IHK}'")
    again = page.evaluate("window.__explorer.snapshot()")

    def arrangement(snap: dict[str, Any]) -> tuple[list[str], list[str]]:
        # the window's drawing area may differ by a message line; the arrangement may not
        nodes = snap["nodes"]
        return (
            [n["id"] for n in sorted(nodes, key=lambda n: (round(n["x"]), n["id"]))],
            [n["id"] for n in sorted(nodes, key=lambda n: (round(n["y"]), n["id"]))],
        )

    assert arrangement(again) == arrangement(first), "Back brings the same picture"
    page.go_forward()
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{RMN}'")

    # expanded and hidden nodes, colouring and filters live in the address; reload keeps them
    page.evaluate("window.__explorer.select('org-mowin-net-e-v')")
    page.wait_for_function("window.__explorer.snapshot().focus === 'org-mowin-net-e-v'")
    page.wait_for_function(READY)
    snap = settled(page)
    rmn = next(n for n in snap["nodes"] if n["id"] == RMN)
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + rmn["x"], box["y"] + rmn["y"])  # select, not focus
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{RMN}'")
    page.locator("#node-actions button", has_text="Alle Nachbarn zeigen").click()
    page.wait_for_function(f"window.__explorer.snapshot().nodes.length > {len(snap['nodes'])}")
    page.select_option("#colour-by", "community")
    page.wait_for_function("location.search.includes('colour=community')")
    address = page.url
    assert "open=" in address
    assert demo.keys["viewer"] not in address and "key" not in address.lower()
    expanded = page.evaluate("window.__explorer.snapshot().nodes.length")
    page.reload()
    page.wait_for_function(READY)
    assert page.evaluate("window.__explorer.snapshot().nodes.length") == expanded
    assert page.input_value("#colour-by") == "community"

    # undo and redo walk the same steps
    page.click("#undo-btn")
    page.wait_for_function("!location.search.includes('colour=community')")
    page.click("#redo-btn")
    page.wait_for_function("location.search.includes('colour=community')")
    assert page.errors == []


def test_filters_highlight_count_and_stack(page: Any, demo: Live, artifacts: Path) -> None:
    sign_in_as(page, demo)
    snap = open_view(page, demo, IHK, 2)
    total = len(snap["nodes"])
    options = page.eval_on_selector_all("#f-label option", "os => os.map(o => o.textContent)")
    assert any(re.fullmatch(r"Organisationen \(\d+\)", o) for o in options), options
    page.select_option("#f-label", "Organisation")
    page.wait_for_function("location.search.includes('type=Organisation')")
    page.wait_for_function(READY)
    snap = settled(page)
    assert len(snap["nodes"]) == total, "a filter highlights; it removes nothing"
    faded = {n["id"] for n in snap["nodes"] if n["faded"]}
    assert faded and IHK not in faded
    chosen = page.eval_on_selector("#f-label", "s => s.options[s.selectedIndex].textContent")
    assert chosen.startswith("Organisationen (")
    # a second filter stacks on the first; "nur Treffer zeigen" hides the rest
    topic = page.eval_on_selector_all(
        "#f-topic option", "os => os.filter(o => o.value).map(o => o.value)"
    )[0]
    page.select_option("#f-topic", topic)
    page.wait_for_function(READY)
    stacked = page.evaluate("window.__explorer.snapshot()")
    lit = {n["id"] for n in stacked["nodes"] if not n["faded"]}
    assert lit and lit <= {n["id"] for n in snap["nodes"] if not n["faded"]}
    page.check("#f-only")
    page.wait_for_function("location.search.includes('only=1')")
    page.wait_for_function(READY)
    only = page.evaluate("window.__explorer.snapshot()")
    assert {n["id"] for n in only["nodes"]} <= lit | {IHK}
    page.screenshot(path=str(artifacts / "explorer-filter-only.png"))
    # nothing matches: the page says so, keeps the picture, and the choice stays visible
    page.uncheck("#f-only")
    page.wait_for_function(READY)
    if not page.locator("#f-label option[value='Programme']").count():
        page.evaluate("document.querySelector('#f-label').add(new Option('P', 'Programme'))")
    page.select_option("#f-label", "Programme")
    page.wait_for_function(READY)
    assert "Kein Knoten passt" in page.inner_text("#message")
    after = page.evaluate("window.__explorer.snapshot()")
    assert len(after["nodes"]) == total and not any(n["faded"] for n in after["nodes"])
    assert page.input_value("#f-label") == "Programme"


def test_node_menu_expands_by_meaning_and_hides(page: Any, demo: Live) -> None:
    sign_in_as(page, demo)
    snap = open_view(page, demo, RMN, 1)
    before = {n["id"] for n in snap["nodes"]}
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{RMN}'")
    target = min(i for i in before if i.startswith("org-") and i != RMN)
    point = next(n for n in snap["nodes"] if n["id"] == target)
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"], button="right")
    page.wait_for_selector("#node-menu:not([hidden])")
    entries = page.eval_on_selector_all("#node-menu button", "bs => bs.map(b => b.textContent)")
    assert "Ausblenden" in entries and any(e.startswith("Nachbarn zeigen: ") for e in entries)
    by_type = next(e for e in entries if e.startswith("Nachbarn zeigen: "))
    page.locator("#node-menu button", has_text=by_type).click()
    page.wait_for_function("location.search.includes('open=')")
    page.wait_for_function(READY)
    grown = page.evaluate("window.__explorer.snapshot()")
    assert {n["id"] for n in grown["nodes"]} >= before
    shown = sorted(n["id"] for n in grown["nodes"])
    assert {(e["from"], e["to"], e["type"]) for e in grown["edges"]} == store_links(
        demo.store, shown
    )
    page.evaluate(f"window.__explorer.select('{RMN}')")  # back to the plain view
    page.wait_for_function("!location.search.includes('open=')")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"], button="right")
    page.wait_for_selector("#node-menu:not([hidden])")
    page.locator("#node-menu button", has_text="Ausblenden").click()
    page.wait_for_function("location.search.includes('hide=')")
    page.wait_for_function(READY)
    hidden = page.evaluate("window.__explorer.snapshot()")
    assert target not in {n["id"] for n in hidden["nodes"]}
    page.click("#undo-btn")
    page.wait_for_function(f"window.__explorer.snapshot().nodes.some(n => n.id === '{target}')")
    assert page.errors == []


def test_who_can_introduce_me(page: Any, demo: Live, artifacts: Path) -> None:
    sign_in_as(page, demo)
    open_view(page, demo, IHK, 1)
    page.fill("#path-from", "ihk kassel")
    page.locator("#path-from ~ .hits li[data-id]").first.click()
    page.fill("#path-to", "lazio innova")
    page.locator("#path-to ~ .hits li[data-id]").first.click()
    page.click("#path-find")
    page.wait_for_selector("#path-result li")
    page.wait_for_function(READY)
    assert "über" in page.inner_text("#path-result") or "direkt" in page.inner_text("#path-result")
    snap = page.evaluate("window.__explorer.snapshot()")
    lit = [n for n in snap["nodes"] if not n["faded"]]
    assert len(lit) >= 3 and any("Lazio" in n["label"] for n in lit)
    page.screenshot(path=str(artifacts / "explorer-path.png"))


def test_perspectives_are_kept_and_shared(page: Any, demo: Live, browser: Any) -> None:
    sign_in_as(page, demo)
    open_view(page, demo, IHK, 2)
    page.fill("#view-name", "IHK und Umfeld")
    page.click("#view-save")
    page.wait_for_selector("#views-list button.link >> text=IHK und Umfeld")
    listed = page.evaluate(
        """async () => (await (await fetch('/api/v1/views',
             {headers: {'X-API-Key': sessionStorage.getItem('scaleup-api-key')}})).json())"""
    )
    assert listed["views"][0]["name"] == "IHK und Umfeld"
    assert "focus=" + IHK in listed["views"][0]["params"]
    # a colleague with a contacts key opens it from the list
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    colleague = other.new_page()
    sign_in_as(colleague, demo, "contacts")
    colleague.locator("#views-list button.link", has_text="IHK und Umfeld").click()
    colleague.wait_for_function(f"window.__explorer.snapshot().focus === '{IHK}'")
    assert colleague.evaluate("window.__explorer.snapshot().hops") == 2
    other.close()


def test_sign_in_explains_the_key_and_escape_is_no_dead_end(page: Any, demo: Live) -> None:
    page.goto(demo.url + f"/?focus={IHK}&hops=1")
    page.wait_for_selector("#key-dialog[open]")
    text = page.inner_text("#key-dialog")
    assert "Schlüssel" in text and "Regionalmanagement" in text
    page.keyboard.press("Escape")
    page.wait_for_selector("#signin-btn:not([hidden])")
    assert page.inner_text("#signin-btn") == "Anmelden"
    page.click("#signin-btn")
    page.fill("#key-input", demo.keys["viewer"])
    page.click("#key-submit")
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{IHK}'")


def test_png_of_the_picture_and_the_editing_hook(page: Any, demo: Live) -> None:
    page.add_init_script(
        "window.__events = [];"
        "document.addEventListener('explorer:ready', () => window.__events.push('ready'));"
        "document.addEventListener('explorer:select', e => window.__events.push(e.detail));"
    )
    sign_in_as(page, demo)
    open_view(page, demo, IHK, 1)
    assert page.evaluate("window.__events") == ["ready"]
    with page.expect_download() as download:
        page.click("#png-btn")
    path = download.value.path()
    assert path is not None and Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert Path(path).stat().st_size > 20_000
    snap = page.evaluate("window.__explorer.snapshot()")
    some = next(n for n in snap["nodes"] if n["id"] != IHK)
    box = page.locator("#canvas").bounding_box()
    page.evaluate("window.__events = []")
    page.mouse.click(box["x"] + some["x"], box["y"] + some["y"])
    page.wait_for_function("window.__events.length > 0")
    assert page.evaluate("window.__events[0].id") == some["id"]
    assert page.locator("#node-actions").count() == 1


def test_offline_export_is_as_legible_and_says_what_it_left_out(
    browser: Any, demo: Live, tmp_path: Path, artifacts: Path
) -> None:
    out = tmp_path / "ihk.html"
    write_export(demo.store, out, role="viewer", focus=IHK, hops=2)
    context, page = offline_file(browser, out, console=False)
    page.wait_for_function(READY)
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{IHK}'")
    snap = page.evaluate("window.__explorer.snapshot()")
    box = page.locator("#canvas").bounding_box()
    page.screenshot(path=str(artifacts / "explorer-offline-ihk-2.png"))
    assert_legible(snap, box["width"], box["height"])
    shown = sorted(n["id"] for n in snap["nodes"])
    assert {(e["from"], e["to"], e["type"]) for e in snap["edges"]} == store_links(
        demo.store, shown
    )
    text = page.inner_text("body")
    assert not TECHNICAL.search(text), TECHNICAL.search(text)
    # a node of the outer ring: its links beyond the export are named, not denied
    outer = next(
        n["id"]
        for n in snap["nodes"]
        if n["id"].startswith("org-")
        and page.evaluate(f"(window.__explorer.exportDetails('{n['id']}') || {{}}).missing > 0")
    )
    page.evaluate(f"window.__explorer.select('{outer}')")
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{outer}'")
    assert "nicht in diesem Export" in page.inner_text("#details-body")
    assert "keine weiteren Nachbarn" not in page.inner_text("body").lower()
    assert page.requests == [out.as_uri()] and page.errors == []
    context.close()
