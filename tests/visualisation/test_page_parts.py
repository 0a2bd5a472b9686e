"""Layout, texts, legend and the served page's pieces."""

from __future__ import annotations

import re

from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.visualisation import TEXTS, boot_data, render_page
from scaleup_graph.visualisation.layout import (
    DRAW_THRESHOLD,
    LayoutCache,
    Picture,
    compute_layout,
    label_box,
    plan_picture,
    wrap_label,
)
from scaleup_graph.visualisation.page import script_json
from scaleup_graph.visualisation.styles import GREY, OKABE_ITO, legend


def test_both_languages_have_every_text() -> None:
    assert set(TEXTS["de"]) == set(TEXTS["en"])
    assert TEXTS["de"]["search"] != TEXTS["en"]["search"]


def test_counts_say_one_in_the_singular() -> None:
    from scaleup_graph.visualisation.texts import text

    assert text("not_in_export", "de", n=1) == "1 weitere Verbindung ist nicht in diesem Export."
    assert text("not_in_export", "de", n=5) == "5 weitere Verbindungen sind nicht in diesem Export."
    assert text("not_in_export", "en", n=1) == "1 more link is not in this export."
    assert text("group_links", "de", n=1) == "1 Verbindung"
    assert text("path_steps", "en", n=1) == "1 step" and text("path_steps", "en", n=2) == "2 steps"
    assert text("expanded", "de", n=1) == "1 neuer Nachbar"
    assert text("matches", "de", n=1, total=7) == "1 von 7 Knoten passt"
    both = text("bounded", "en", hop=2, left_out=1, hubs=3)
    assert "1 node not shown, 3 hubs not walked" in both
    # every count word names a placeholder of its own text, in both languages
    for lang, table in TEXTS.items():
        for key, template in table.items():
            for name in re.findall(r"\{(\w+)\|", template):
                assert "{" + name + "}" in template, (lang, key, name)


def test_legend_names_every_label_in_plain_words_with_a_safe_palette() -> None:
    german = {e["label"]: e for e in legend("de")}
    english = {e["label"]: e for e in legend("en")}
    assert set(german) == set(NODE_TYPES)
    assert german["Event"]["name"] == "Veranstaltungen"
    assert english["ContentItem"]["name"] == "Content items"
    assert {e["colour"].upper() for e in german.values()} <= set(OKABE_ITO.values()) | {GREY}
    # colour and shape together tell every label apart
    assert len({(e["colour"], e["shape"]) for e in german.values()}) == len(german)


def _boxes_overlap(pic: Picture, labels: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs whose dots (and shown labels) overlap, in CSS px at the planned fit."""
    boxes = {}
    for node, p in pic.nodes.items():
        w, h = label_box(labels[node], p.font_px) if p.labelled else (0.0, 0.0)
        half = max(p.size_px, w / 2)
        x, y = p.x * pic.scale, p.y * pic.scale
        boxes[node] = (x - half, y - p.size_px, x + half, y + p.size_px + (h if p.labelled else 0))
    names = sorted(boxes)
    return [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if boxes[a][0] < boxes[b][2]
        and boxes[b][0] < boxes[a][2]
        and boxes[a][1] < boxes[b][3]
        and boxes[b][1] < boxes[a][3]
    ]


def test_picture_puts_the_focus_in_the_middle_and_nothing_on_top_of_anything() -> None:
    hub = "org-hub"
    nodes = [hub] + [f"org-{i:02d}" for i in range(40)] + [f"far-{i:03d}" for i in range(120)]
    edges = [(hub, f"org-{i:02d}") for i in range(40)]
    edges += [(f"org-{i % 40:02d}", f"far-{i:03d}") for i in range(120)]
    edges += [(f"far-{i:03d}", f"far-{(i * 7) % 120:03d}") for i in range(120)]
    labels = {n: wrap_label(f"Organisation mit langem Namen {n}") for n in nodes}
    importance = {n: float(len(n)) for n in nodes}
    pic = plan_picture(nodes, edges, labels=labels, importance=importance, focus=hub)
    assert (pic.nodes[hub].x, pic.nodes[hub].y) == (0.0, 0.0) and pic.centre == (0.0, 0.0)
    near = [p for n, p in pic.nodes.items() if n.startswith("org-")]
    assert all(p.labelled and p.font_px * pic.scale >= 11 for p in near)
    assert pic.scale > 0.95, "the first ring fits the reference canvas at full size"
    assert _boxes_overlap(pic, labels) == []
    # far nodes: hidden labels stay below vis-network's threshold until one zooms in
    hidden = [p for p in pic.nodes.values() if not p.labelled]
    assert hidden and all(p.font_px * pic.scale < DRAW_THRESHOLD - 1 for p in hidden)
    again = plan_picture(
        list(reversed(nodes)), edges, labels=labels, importance=importance, focus=hub
    )
    assert again == pic, "the same view gets the same picture on every visit"


def test_overview_layout_is_reproducible_and_cached() -> None:
    nodes = [f"n{i}" for i in range(50)]
    edges = [(f"n{i}", f"n{(i * 7) % 50}") for i in range(50)]
    assert compute_layout(nodes, edges) == compute_layout(list(reversed(nodes)), edges)
    big = [f"b{i}" for i in range(600)]
    placed = compute_layout(big, [(f"b{i}", f"b{i // 2}") for i in range(1, 600)])
    assert len(set(placed.values())) == 600  # igraph path: every node has its own place
    cache = LayoutCache(size=2)
    labels = {n: n for n in nodes}
    first = cache.picture(nodes, edges, labels=labels, importance={})
    assert cache.picture(nodes, edges, labels=labels, importance={}) is first
    assert cache.hits == 1
    assert _boxes_overlap(first, labels) == []


def test_served_page_loads_only_local_files() -> None:
    page = render_page(boot_data("live"), inline=False)
    assert 'src="/explorer/assets/vis-network.min.js"' in page
    assert "http" not in page.split('id="boot"')[0]


def test_script_json_cannot_close_the_script_tag() -> None:
    text = script_json({"name": "</script><script>alert(1)</script>", "url": "https://x.de"})
    assert "</script" not in text and "://" not in text
