"""The explorer's path finder, saved views and side panel as a stakeholder uses them: the demo
data, Debian's chromium, the real app over HTTP (the `demo` server of the stakeholder tests).

- "Wer kann mich vorstellen?": the path fills the picture, left to right and centred, its nodes
  and links stand out and everything else fades, every node on it is named at 11 px or more, the
  side panel lists each path step by step in words, and Back returns to the view before.
- Perspektiven: renamed and deleted from the page by the key that saved them; another viewer's
  page offers neither.
- The details panel: a bullet sits beside the first line of a wrapped name.

Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.explorer import IHK, READY, TECHNICAL, open_view, settled, sign_in_as
from tests.support.live_server import Live

pytestmark = pytest.mark.browser

SCIENCE_PARK = "org-science-park-kassel"
LAZIO = "org-lazio-innova"


def _find_paths(page: Any, source: str, target: str) -> dict[str, Any]:
    page.fill("#path-from", source)
    page.locator("#path-from ~ .hits li[data-id]").first.click()
    page.fill("#path-to", target)
    page.locator("#path-to ~ .hits li[data-id]").first.click()
    page.click("#path-find")
    page.wait_for_selector("#path-result .path-item")
    page.wait_for_function(READY)
    return settled(page)


def test_a_path_fills_the_picture_and_stands_out(page: Any, demo: Live, artifacts: Path) -> None:
    sign_in_as(page, demo)
    open_view(page, demo, IHK, 1)
    before = page.url
    snap = _find_paths(page, "science park", "lazio innova")
    page.screenshot(path=str(artifacts / "explorer-path.png"))
    assert "focus=path%3A" in page.url or "focus=path:" in page.url

    box = page.locator("#canvas").bounding_box()
    nodes = {n["id"]: n for n in snap["nodes"]}
    answer = page.evaluate(
        """async ([a, b]) => (await (await fetch(`/api/v1/explorer/path?source=${a}&target=${b}`,
             {headers: {'X-API-Key': sessionStorage.getItem('scaleup-api-key')}})).json())""",
        [SCIENCE_PARK, LAZIO],
    )
    assert len(answer["paths"]) >= 2, "the demo has two ways from the Science Park to Lazio"
    first = [n["id"] for n in answer["paths"][0]["nodes"]]
    assert first[0] == SCIENCE_PARK and first[-1] == LAZIO

    # left to right along one line, spread over the picture's width, centred
    xs = [nodes[i]["x"] for i in first]
    assert xs == sorted(xs), "the path reads left to right"
    assert max(abs(nodes[i]["y"] - nodes[first[0]]["y"]) for i in first) < 2
    assert xs[-1] - xs[0] >= 0.7 * box["width"], "the path fills the width"
    middle_x = (min(n["x"] for n in snap["nodes"]) + max(n["x"] for n in snap["nodes"])) / 2
    middle_y = (min(n["y"] for n in snap["nodes"]) + max(n["y"] for n in snap["nodes"])) / 2
    assert abs(middle_x - box["width"] / 2) <= 0.05 * box["width"]
    assert abs(middle_y - box["height"] / 2) <= 0.15 * box["height"]

    # the path stands out: its nodes named at >= 11 px and lit, all others faded, its links strong
    for i in first:
        assert nodes[i]["labelShown"] and nodes[i]["fontPx"] >= 11, nodes[i]
        assert not nodes[i]["faded"]
    others = [n for i, n in nodes.items() if i not in first]
    assert others and all(n["faded"] for n in others)
    strong = {(e["from"], e["to"]) for e in snap["edges"] if e["highlighted"]}
    steps = {frozenset(p) for p in itertools.pairwise(first)}
    assert {frozenset(e) for e in strong} == steps

    # the list says each step in words; technical names never show
    listed = page.inner_text("#path-result .path-item.chosen")
    for n in answer["paths"][0]["nodes"]:
        assert n["caption"] in listed
    for step in answer["paths"][0]["steps"]:
        assert step["words"] and step["words"] in listed
    assert "kooperiert mit" in listed or "ist Partner in" in listed
    assert not TECHNICAL.search(page.inner_text("body"))

    # another path of the list: it is highlighted instead, and the address keeps it
    page.locator("#path-result .path-head").nth(1).click()
    page.wait_for_function("location.search.includes('path=1')")
    page.wait_for_function(READY)
    second = [n["id"] for n in answer["paths"][1]["nodes"]]
    snap2 = settled(page)
    lit = {n["id"] for n in snap2["nodes"] if not n["faded"]}
    assert lit == set(second)
    page.screenshot(path=str(artifacts / "explorer-path-2.png"))

    # reload keeps the path view and the chosen path; Back returns to the views before
    page.reload()
    page.wait_for_function(READY)
    page.wait_for_selector("#path-result .path-item.chosen")
    assert page.get_attribute("#path-result .path-item.chosen", "data-index") == "1"
    page.go_back()
    page.wait_for_function(READY)
    page.wait_for_function("!location.search.includes('path=1')")
    page.click("#path-back")
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{IHK}'")
    page.wait_for_function(READY)
    assert page.url == before
    page.wait_for_function("document.querySelector('#path-result').textContent === ''")
    assert page.errors == [] and page.outside == []


def test_a_narrow_window_still_shows_the_whole_path(browser: Any, demo: Live) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = context.new_page()
    sign_in_as(pg, demo, query=f"?focus=path:{IHK}>{LAZIO}&lang=de")
    pg.wait_for_selector("#path-result .path-item")
    snap = settled(pg)
    box = pg.locator("#canvas").bounding_box()
    assert len(snap["nodes"]) >= 3
    for n in snap["nodes"]:
        assert n["labelBox"]["left"] >= 0 and n["labelBox"]["right"] <= box["width"], n
        assert n["labelShown"] and n["fontPx"] >= 11
    context.close()


def test_perspectives_are_renamed_and_deleted_by_who_may(
    page: Any, demo: Live, browser: Any, artifacts: Path
) -> None:
    sign_in_as(page, demo)
    open_view(page, demo, IHK, 1)
    page.fill("#view-name", "Zum Umbenennen")
    page.click("#view-save")
    mine = page.locator("#views-list li", has_text="Zum Umbenennen")
    mine.locator(".view-rename").click()
    page.fill("#views-list .view-rename-form input", "IHK Mitglieder 2026")
    page.keyboard.press("Enter")
    page.wait_for_selector("#views-list button.link >> text=IHK Mitglieder 2026")
    assert "heißt jetzt „IHK Mitglieder 2026“" in page.inner_text("#message")
    page.screenshot(path=str(artifacts / "explorer-perspectives.png"))

    # a colleague's page lists it, opens it, but offers neither rename nor delete
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    colleague = other.new_page()
    sign_in_as(colleague, demo, "contacts")
    item = colleague.locator("#views-list li", has_text="IHK Mitglieder 2026")
    item.wait_for()
    assert item.locator(".view-rename").count() == 0 and item.locator(".view-delete").count() == 0

    # delete asks first; "Abbrechen" keeps it, "Ja, löschen" removes it for everyone
    renamed = page.locator("#views-list li", has_text="IHK Mitglieder 2026")
    renamed.locator(".view-delete").click()
    assert "für alle löschen?" in page.inner_text("#views-list")
    page.locator("#views-list button", has_text="Abbrechen").click()
    page.locator("#views-list li", has_text="IHK Mitglieder 2026").locator(".view-delete").click()
    page.locator("#views-list button", has_text="Ja, löschen").click()
    page.wait_for_function(
        "!document.querySelector('#views-list').textContent.includes('IHK Mitglieder 2026')"
    )
    colleague.reload()
    colleague.wait_for_function(READY)
    colleague.wait_for_selector("#views-list li")
    assert "IHK Mitglieder 2026" not in colleague.inner_text("#views-list")
    other.close()
    assert page.errors == []


def test_bullets_sit_beside_the_first_line_of_a_wrapped_name(page: Any, demo: Live) -> None:
    sign_in_as(page, demo)
    open_view(page, demo, IHK, 1)
    page.wait_for_function(f"document.querySelector('#details-body').dataset.id === '{IHK}'")
    # the list marker sits on the first line box's baseline; a zero-width probe at the start of
    # the item sits there too, so it must be level with the name's first line, not its last
    found = page.evaluate(
        """() => {
          const out = [];
          for (const li of document.querySelectorAll('#details-body li')) {
            const name = li.querySelector('button.link');
            const lines = name.getClientRects();
            const box = name.getBoundingClientRect();
            const line = parseFloat(getComputedStyle(name).lineHeight);
            if (box.height < 1.5 * line) continue;  // one line: nothing to check
            const probe = document.createElement('span');
            probe.textContent = '\\u200b';
            li.prepend(probe);
            const p = probe.getBoundingClientRect();
            probe.remove();
            out.push({name: name.textContent, probeMiddle: (p.top + p.bottom) / 2,
                      top: box.top, line});
          }
          return out;
        }"""
    )
    assert found, "the IHK's members include names that wrap in the side panel"
    wrong = [f["name"] for f in found if not f["probeMiddle"] < f["top"] + f["line"]]
    assert wrong == [], f"bullets beside a later line: {wrong[:3]}"
    assert re.search(r"Mitglieder \(\d+\)", page.inner_text("#details-body"))
