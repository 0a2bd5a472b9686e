"""Small windows give the picture most of the window, and the page still says what it shows.

At 1024x768 the tool bar, the filters, a legend of three lines and the side panel left the picture
47 % of the window (1280x720: 49 %). Measured here as a reader sees it: the part of the
window the drawing area covers, the page not scrolled. What must stay reachable: the legend's
meaning (every kind's shape and colour in one line, the full legend with sizes and links one
button away, by keyboard too, the choice remembered), the details of a node one click away, and
every name the small-window test names. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.visualisation import write_export
from tests.support.browser import offline_file, watched_page
from tests.support.explorer import IHK, READY, overlapping_labels, settled, sign_in_as
from tests.support.live_server import Live

pytestmark = pytest.mark.browser

SMALL = [(1024, 768), (1280, 720)]

#: the share of the window the drawing area covers, and whether the page scrolls
SHARE = """() => {
  const r = document.querySelector('#canvas-wrap').getBoundingClientRect();
  const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
  const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
  const s = document.scrollingElement;
  return { share: (w * h) / (innerWidth * innerHeight), w, h,
           scrolls: s.scrollHeight > innerHeight + 1 || s.scrollWidth > innerWidth + 1 };
}"""

#: the legend as a reader meets it: each visible entry's kind, name and whether its icon and
#: name lie inside the window, one line high or not
LEGEND = """() => {
  const box = (e) => e.getBoundingClientRect();
  const inside = (r) => r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth + 0.5
    && r.top >= 0 && r.bottom <= innerHeight + 0.5;
  const items = [...document.querySelectorAll('#legend-list li')].map((li) => ({
    label: li.dataset.label || '', name: li.textContent.trim(),
    icon: !!li.querySelector('svg') && inside(box(li.querySelector('svg'))),
    shown: inside(box(li)) }));
  const legend = document.querySelector('#legend');
  return { items, height: box(legend).height,
           sizeShown: inside(box(document.querySelector('#legend-size'))),
           linksShown: inside(box(document.querySelector('#legend-links'))),
           sizeText: document.querySelector('#legend-size').textContent,
           expanded: document.querySelector('#legend-toggle').getAttribute('aria-expanded') };
}"""


def _kinds_drawn(page: Any) -> set[str]:
    return {n["type"] for n in page.evaluate("window.__explorer.snapshot()")["nodes"]}


@pytest.mark.parametrize(("width", "height"), SMALL, ids=[f"{w}x{h}" for w, h in SMALL])
def test_the_picture_has_most_of_a_small_window_and_the_legend_still_explains_it(
    browser: Any, demo: Live, artifacts: Path, width: int, height: int
) -> None:
    context, page = watched_page(browser, demo.url, width=width, height=height, console=True)
    sign_in_as(page, demo, query=f"?focus={IHK}&hops=2&lang=de")
    page.wait_for_function(f"window.__explorer.snapshot().focus === '{IHK}'")
    settled(page)
    page.screenshot(path=str(artifacts / f"explorer-small-{width}x{height}.png"))
    room = page.evaluate(SHARE)
    # the figure for the closing note: `pytest tests/browser/test_explorer_small_windows.py -s`
    print(f"{width}x{height}: the picture covers {room['share']:.0%} of the window ({room})")
    assert not room["scrolls"], "the page itself never scrolls"
    assert room["share"] >= 0.8, f"the picture has {room['share']:.0%} of the window"

    # every kind drawn is in the legend, its shape and colour and name in view, in one line
    legend = page.evaluate(LEGEND)
    kinds = _kinds_drawn(page)
    listed = {i["label"]: i for i in legend["items"]}
    assert kinds <= set(listed), f"kinds without a legend entry: {kinds - set(listed)}"
    hidden = [i["name"] for i in legend["items"] if not (i["shown"] and i["icon"])]
    assert hidden == [], f"legend entries out of view: {hidden}"
    assert legend["height"] <= 40, legend
    assert legend["expanded"] == "false"

    # the full legend (what the size and the lines mean) is one button away, by keyboard
    toggle = page.locator("#legend-toggle")
    assert toggle.get_attribute("aria-controls") == "legend-more"
    # what a screen reader says: the words, not the arrows and the panel's sign
    assert page.get_by_role("button", name="Legende", exact=True).count() == 1
    assert page.get_by_role("button", name="Details", exact=True).count() == 1
    assert page.get_by_role("button", name="Rückgängig", exact=True).count() == 1
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#legend-toggle').ariaExpanded === 'true'")
    full = page.evaluate(LEGEND)
    assert full["sizeShown"] and full["linksShown"], full
    assert "Mitte" in full["sizeText"] or "Größe" in full["sizeText"], full["sizeText"]
    page.screenshot(path=str(artifacts / f"explorer-small-{width}x{height}-legend.png"))
    # remembered: the next visit opens with the full legend, and closing it is remembered too
    page.reload()
    page.wait_for_function(READY)
    assert page.locator("#legend-toggle").get_attribute("aria-expanded") == "true"
    page.locator("#legend-toggle").click()
    page.reload()
    page.wait_for_function(READY)
    assert page.locator("#legend-toggle").get_attribute("aria-expanded") == "false"
    assert page.evaluate(SHARE)["share"] >= 0.8

    # the details are one click away: clicking a node opens the side panel with its details,
    # a labelled button (with aria-expanded) closes it, and the picture gets its room back
    side = page.locator("#side-toggle")
    assert side.get_attribute("aria-expanded") == "false"
    assert side.get_attribute("aria-controls") == "side"
    assert side.inner_text().strip()
    snap = settled(page)
    member = next(n for n in snap["nodes"] if n["id"] != IHK and n["labelShown"])
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + member["x"], box["y"] + member["y"])
    page.wait_for_function("document.querySelector('#side-toggle').ariaExpanded === 'true'")
    page.wait_for_function(
        f"document.querySelector('#details-body').dataset.id === '{member['id']}'"
    )
    assert page.locator("#details-body h3").is_visible()
    after = settled(page)
    assert overlapping_labels(after) == []
    page.screenshot(path=str(artifacts / f"explorer-small-{width}x{height}-details.png"))
    side.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#side-toggle').ariaExpanded === 'false'")
    assert page.locator("#side").is_hidden()
    # by keyboard: the button opens it, Escape inside it closes it and returns to the button
    page.keyboard.press("Enter")
    page.locator("#path-from").focus()
    page.keyboard.press("Escape")
    page.wait_for_function("document.querySelector('#side-toggle').ariaExpanded === 'false'")
    assert page.evaluate("document.activeElement.id") == "side-toggle"
    settled(page)
    assert page.evaluate(SHARE)["share"] >= 0.8
    assert page.errors == [] and page.outside == []
    context.close()


def test_large_windows_keep_the_side_panel_and_the_whole_legend(
    page: Any, demo: Live, artifacts: Path
) -> None:
    """1440x900 (the page fixture): the side panel is open with the focus's details and the
    legend shows its kinds, sizes and lines at once, as before."""
    sign_in_as(page, demo, query=f"?focus={IHK}&hops=1&lang=de")
    settled(page)
    assert page.locator("#side").is_visible()
    assert page.locator("#details-body h3").inner_text() == "IHK Kassel-Marburg"
    assert page.locator("#side-toggle").get_attribute("aria-expanded") == "true"
    legend = page.evaluate(LEGEND)
    assert legend["sizeShown"] and legend["linksShown"], legend
    assert all(i["shown"] for i in legend["items"])
    room = page.evaluate(SHARE)
    print(f"1440x900: the picture covers {room['share']:.0%} of the window")
    assert not room["scrolls"]
    assert room["share"] >= 0.6


def test_the_offline_export_behaves_alike(
    browser: Any, demo: Live, tmp_path: Path, artifacts: Path
) -> None:
    out = tmp_path / "netz.html"
    write_export(demo.store, out, role="viewer", focus=IHK, hops=2)
    context, page = offline_file(browser, out, width=1024, height=768)
    room = page.evaluate(SHARE)
    page.screenshot(path=str(artifacts / "explorer-small-export-1024x768.png"))
    print(f"offline export 1024x768: the picture covers {room['share']:.0%} of the window")
    assert not room["scrolls"]
    assert room["share"] >= 0.8
    assert page.locator("#legend-toggle").get_attribute("aria-expanded") == "false"
    page.locator("#side-toggle").click()
    assert page.locator("#details-body h3").inner_text() == "IHK Kassel-Marburg"
    assert page.locator("#details-body h3").is_visible()
    assert page.errors == []
    context.close()


#: the colours the picture draws its nodes in, and the legend's: each entry's text and fill
COLOURS = """() => {
  const nodes = window.__explorer.network.body.data.nodes.get();
  const fill = (li) => li.querySelector('svg')
    ? li.querySelector('svg').firstChild.getAttribute('fill') : null;
  return { drawn: [...new Set(nodes.map((n) => n.color.background))],
    legend: [...document.querySelectorAll('#legend-list li')].map((li) => ({
      text: li.textContent.trim(), label: li.dataset.label || '', fill: fill(li) })) };
}"""


def test_coloured_by_community_the_legend_says_the_communities_and_the_kinds_by_shape(
    browser: Any, demo: Live, tmp_path: Path, artifacts: Path
) -> None:
    """Coloured by community, the legend lists the communities (a number each) and the kinds
    by shape in grey. Before, a picture without communities (grey nodes) had a legend in the
    kinds' colours, which the picture did not show."""
    from scaleup_graph.analytics.metrics import run_metrics

    context, page = watched_page(browser, demo.url, width=1024, height=768, console=True)
    sign_in_as(page, demo, query=f"?focus={IHK}&hops=1&lang=de&colour=community")
    settled(page)
    seen = page.evaluate(COLOURS)
    fills = {e["fill"] for e in seen["legend"] if e["fill"]}
    assert fills <= set(seen["drawn"]), f"legend colours the picture does not show: {seen}"
    assert any(e["text"] == "ohne Community" for e in seen["legend"])
    assert {e["label"] for e in seen["legend"]} >= {"Organisation", "Region"}

    # with communities computed: a numbered swatch for each, in the colours drawn
    run_metrics(demo.store, ["community"], write=True, state_dir=tmp_path)
    page.reload()
    page.wait_for_function(READY)
    settled(page)
    seen = page.evaluate(COLOURS)
    page.screenshot(path=str(artifacts / "explorer-small-1024x768-community.png"))
    numbered = [e for e in seen["legend"] if e["text"].isdigit()]
    assert len(numbered) >= 2, seen["legend"]
    assert {e["fill"] for e in numbered} <= set(seen["drawn"])
    assert seen["legend"][0]["text"] == "Community:"
    # the kinds tell themselves apart by shape only, all in one neutral grey
    assert len({e["fill"] for e in seen["legend"] if e["label"]}) == 1, seen["legend"]
    assert page.errors == [] and page.outside == []
    context.close()
