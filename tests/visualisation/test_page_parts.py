"""Layout, texts, legend and the served page's pieces."""

from __future__ import annotations

from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.visualisation import TEXTS, boot_data, render_page
from scaleup_graph.visualisation.layout import LayoutCache, compute_layout
from scaleup_graph.visualisation.page import script_json
from scaleup_graph.visualisation.styles import legend


def test_both_languages_have_every_text() -> None:
    assert set(TEXTS["de"]) == set(TEXTS["en"])
    assert TEXTS["de"]["search"] != TEXTS["en"]["search"]


def test_legend_comes_from_the_schema() -> None:
    german = {e["label"]: e for e in legend("de")}
    assert set(german) == set(NODE_TYPES)
    assert german["Event"]["name"] == "Veranstaltung"
    assert german["Person"]["colour"] == NODE_TYPES["Person"].colour


def test_layout_is_reproducible_and_cached() -> None:
    nodes = [f"n{i}" for i in range(50)]
    edges = [(f"n{i}", f"n{(i * 7) % 50}") for i in range(50)]
    assert compute_layout(nodes, edges) == compute_layout(list(reversed(nodes)), edges)
    big = [f"b{i}" for i in range(600)]
    placed = compute_layout(big, [(f"b{i}", f"b{i // 2}") for i in range(1, 600)])
    assert len(set(placed.values())) == 600  # igraph path: every node has its own place
    cache = LayoutCache(size=2)
    first = cache.positions(nodes, edges)
    assert cache.positions(nodes, edges) is first and cache.hits == 1


def test_served_page_loads_only_local_files() -> None:
    page = render_page(boot_data("live"), inline=False)
    assert 'src="/explorer/assets/vis-network.min.js"' in page
    assert "http" not in page.split('id="boot"')[0]


def test_script_json_cannot_close_the_script_tag() -> None:
    text = script_json({"name": "</script><script>alert(1)</script>", "url": "https://x.de"})
    assert "</script" not in text and "://" not in text
