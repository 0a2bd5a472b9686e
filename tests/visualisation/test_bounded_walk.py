"""Wide ego walks are bounded like the API's neighbourhood: the focus's direct neighbours all
shown, then level by level the most closely linked, hubs shown but not walked through; what
was left out is said; never the whole graph read; every link among shown nodes drawn; what a
role may not see stays out."""

from __future__ import annotations

from collections import Counter, deque

import pytest

from scaleup_graph.store import GraphStore, NodeRow, RelRow
from scaleup_graph.visualisation import explorer_view, fetch, views
from tests.support.graphs import PROV

IHK = "org-ihk-kassel-marburg"


def _distances(graph: fetch.Subgraph, start: str) -> dict[str, int]:
    near: dict[str, set[str]] = {}
    for a, b, _ in graph.edges:
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    far, todo = {start: 0}, deque([start])
    while todo:
        here = todo.popleft()
        for other in near.get(here, ()):
            if other not in far:
                far[other] = far[here] + 1
                todo.append(other)
    return far


@pytest.fixture
def no_whole_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("an ego view read the whole graph")

    monkeypatch.setattr(views, "whole_graph", refuse)


@pytest.mark.usefixtures("no_whole_graph")
def test_three_hops_are_bounded_and_say_what_they_left_out(
    seeded_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = fetch.fetch_whole_graph(seeded_store, role="viewer")
    far = _distances(whole, IHK)
    monkeypatch.setattr(views, "WIDE_LEVEL_CAP", 12)
    view = explorer_view(seeded_store, role="viewer", focus=IHK, hops=3, aggregate_above=10_000)
    shown = {n["id"] for n in view["nodes"]}
    # every direct neighbour of the focus is there, nothing further than 3 hops
    assert {i for i, d in far.items() if d <= 1} <= shown
    assert all(far[i] <= 3 for i in shown)
    bounded = view["bounded"]
    assert [lv["hop"] for lv in bounded["levels"]] == [2, 3]
    assert all(lv["shown"] <= 12 for lv in bounded["levels"])
    assert bounded["left_out"] == sum(lv["found"] - lv["shown"] for lv in bounded["levels"]) > 0
    assert len(shown) < sum(1 for d in far.values() if d <= 3)
    # regions and topics near the focus are shown, not walked through
    assert "region-de73" in bounded["hubs"] or any(h.startswith("topic-") for h in bounded["hubs"])
    assert view["messages"][0]["key"] == "bounded"
    assert view["messages"][0]["values"]["left_out"] == bounded["left_out"]
    assert "/api/v1/explorer/expand" in bounded["ask"]
    # every relationship of the graph between two shown nodes is drawn
    among = {f"{a}|{t}|{b}" for a, b, t in whole.edges if a in shown and b in shown}
    assert {e["id"] for e in view["edges"]} == among


@pytest.mark.usefixtures("no_whole_graph")
def test_a_bounded_walk_keeps_drafts_and_knows_from_a_viewer(
    seeded_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "WIDE_LEVEL_CAP", 10_000)  # no cut: only visibility decides
    whole = fetch.fetch_whole_graph(seeded_store, role="contacts+editor")
    far = _distances(whole, IHK)
    # a draft challenge two steps from the focus and a KNOWS link three steps away, both found
    # by the bounded levels
    org = sorted(i for i, d in far.items() if d == 1 and i.startswith("org-"))[0]
    seeded_store.upsert_nodes(
        "Challenge",
        [NodeRow("challenge-bounded-draft", {"name": "Entwurf", "status": "draft"})],
        provenance=PROV,
    )
    seeded_store.upsert_relationships(
        "POSES",
        "Organisation",
        "Challenge",
        [RelRow(org, "challenge-bounded-draft")],
        provenance=PROV,
    )
    people = sorted(i for i, n in whole.nodes.items() if fetch.primary_label(n) == "Person")
    links = Counter(a for a, _, _ in whole.edges) + Counter(b for _, b, _ in whole.edges)
    walked = {  # direct neighbours the bounded levels go on from: organisations, not hubs
        i
        for i, d in far.items()
        if d == 1 and fetch.primary_label(whole.nodes[i]) == "Organisation" and links[i] <= 100
    }
    near = sorted(a for a, b, t in whole.edges if t == "WORKS_AT" and b in walked)
    stranger = next(i for i in people if i not in far or far[i] > 3)
    seeded_store.upsert_relationships(
        "KNOWS", "Person", "Person", [RelRow(near[0], stranger)], provenance=PROV
    )
    viewer = explorer_view(seeded_store, role="viewer", focus=IHK, hops=3, aggregate_above=10_000)
    editor = explorer_view(
        seeded_store, role="contacts+editor", focus=IHK, hops=3, aggregate_above=10_000
    )
    seen_by_viewer = {n["id"] for n in viewer["nodes"]}
    assert "challenge-bounded-draft" not in seen_by_viewer
    assert not any(e["type"] == "KNOWS" for e in viewer["edges"])
    assert "challenge-bounded-draft" in {n["id"] for n in editor["nodes"]}
    # the stranger is three steps away over KNOWS: reached with contacts, not by a viewer
    assert stranger not in seen_by_viewer
    assert stranger in {n["id"] for n in editor["nodes"]}
    assert any(e["type"] == "KNOWS" for e in editor["edges"])
