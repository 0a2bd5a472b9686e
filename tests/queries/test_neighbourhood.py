"""Bounded neighbourhoods: the same nodes and links as the full walk when nothing is capped; hubs
shown but not walked through; what was left out is said, with how to ask for it."""

from __future__ import annotations

import pytest

from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.queries import daily, get_query, run_query
from scaleup_graph.queries.privacy import drop_hidden, strip_pii, visibility
from scaleup_graph.store import GraphStore

CENTRES = [
    "org-ihk-kassel-marburg",
    "org-regionalmanagement-nordhessen-gmbh",
    "org-syn2021-000001",
    "region-de73",
    "project-scale-up",
]
EVERY_LABEL = list(NODE_TYPES)


def _full_walk(store: GraphStore, node_id: str, hops: int, role: str = "viewer") -> dict:
    """The catalogue's reference text, run as it is: the unbounded walk (filtered for the role
    as the named query filtered it before it became the bounded walk)."""
    query = get_query("neighbourhood")
    bound = query.bind({"id": node_id, "hops": hops, "limit": 1000}, dialect=store.dialect)
    seen = visibility(role).query_params()  # the walk goes only through what the role sees
    rows = store.read(query.text(store.dialect, bound), {**bound, **seen})
    return strip_pii(drop_hidden(rows, role), role)[0]


def _ids(body: dict) -> set[str]:
    return {n["id"] for n in body["nodes"]}


def _links(body: dict) -> set[tuple[str, str, str]]:
    return {(r["start"], r["type"], r["end"]) for r in body["relationships"]}


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_equals_the_full_walk_when_nothing_is_capped(seeded_store: GraphStore, hops: int) -> None:
    for centre in CENTRES:
        full = _full_walk(seeded_store, centre, hops)
        if len(full["nodes"]) > 1000:
            continue
        bounded = daily.neighbourhood(
            seeded_store,
            "viewer",
            centre,
            hops=hops,
            labels=EVERY_LABEL,
            limit=1000,
            hub_degree=10**9,
        )
        assert bounded is not None
        assert bounded["complete"], (centre, hops, bounded["ask"])
        assert _ids(bounded) == _ids(full), (centre, hops)
        assert _links(bounded) == _links(full), (centre, hops)


def test_hubs_are_shown_but_not_walked_and_the_answer_says_so(seeded_store: GraphStore) -> None:
    centre = "org-syn2021-000001"
    full = _full_walk(seeded_store, centre, 2)
    bounded = daily.neighbourhood(seeded_store, "viewer", centre, hops=2, limit=1000)
    assert bounded is not None
    assert _ids(bounded) < _ids(full)  # the region and topics are not walked through
    hub_ids = {h["id"] for h in bounded["hubs"]}
    assert hub_ids and hub_ids <= _ids(bounded)  # ... but they are shown
    assert {h["label"] for h in bounded["hubs"]} & {"Region", "Topic"}
    assert not bounded["complete"]
    assert any("labels=Region" in a or "labels=Topic" in a for a in bounded["ask"])
    # every link between shown nodes is there
    shown = _ids(bounded)
    assert _links(bounded) == {x for x in _links(full) if x[0] in shown and x[2] in shown}


def test_a_cap_keeps_the_most_connected_and_counts_the_rest(seeded_store: GraphStore) -> None:
    centre = "region-de73"
    everything = daily.neighbourhood(seeded_store, "viewer", centre, hops=1, limit=1000)
    assert everything is not None
    capped = daily.neighbourhood(seeded_store, "viewer", centre, hops=1, limit=5)
    assert capped is not None
    assert len(capped["nodes"]) == 6
    found = everything["levels"][0]["shown"]
    assert capped["levels"][0] == {"hop": 1, "found": found, "shown": 5, "left_out": found - 5}
    assert any("limit" in a for a in capped["ask"])
    assert _ids(capped) <= _ids(everything)


def test_viewers_get_no_personal_fields(seeded_store: GraphStore) -> None:
    body = daily.neighbourhood(
        seeded_store, "viewer", "org-regionalmanagement-nordhessen-gmbh", hops=1
    )
    assert body is not None
    persons = [n for n in body["nodes"] if "Person" in n.get("_labels", [])]
    assert persons and all("name" not in p and "email" not in p for p in persons)
    assert daily.neighbourhood(seeded_store, "viewer", "org-does-not-exist") is None


def test_a_node_with_many_links_is_a_hub_too(seeded_store: GraphStore) -> None:
    centre = "org-regionalmanagement-nordhessen-gmbh"
    wide = daily.neighbourhood(seeded_store, "viewer", centre, hops=2, limit=1000)
    narrow = daily.neighbourhood(seeded_store, "viewer", centre, hops=2, limit=1000, hub_degree=3)
    assert wide is not None and narrow is not None
    by_degree = [h for h in narrow["hubs"] if h["why"] == "more than 3 links"]
    assert by_degree  # shown at hop 1, not walked through at hop 2
    assert _ids(narrow) < _ids(wide)
    assert {h["id"] for h in by_degree} <= _ids(narrow)


@pytest.mark.parametrize("role", ["viewer", "contacts+analyst+editor+admin"])
def test_the_named_query_is_the_bounded_walk(seeded_store: GraphStore, role: str) -> None:
    """POST /queries/neighbourhood and `scaleup query neighbourhood` run the bounded walk: the
    same answer as the route, with what was left out, and never more than the unbounded text
    gave this role."""
    centre = "org-syn2021-000001"
    params = {"id": centre, "hops": 2, "limit": 1000}
    result = run_query(seeded_store, "neighbourhood", params, role)
    assert list(result.columns) == ["nodes", "relationships", "complete", "levels", "hubs", "ask"]
    (body,) = result.rows
    assert body == daily.neighbourhood(seeded_store, role, centre, hops=2, limit=1000)
    assert set(body) >= set(result.columns)
    assert not body["complete"] and body["hubs"] and body["ask"]
    full = _full_walk(seeded_store, centre, 2, role)
    assert _ids(body) < _ids(full)  # the hubs are not walked through
    assert _links(body) <= _links(full)
    by_id = {n["id"]: n for n in full["nodes"]}
    for node in body["nodes"]:  # no field the unbounded walk did not show this role
        assert set(node) <= set(by_id[node["id"]]), node["id"]


def test_the_named_query_walks_through_asked_labels_and_keeps_its_parameters(
    seeded_store: GraphStore,
) -> None:
    centre = "org-syn2021-000001"
    everything = {"id": centre, "hops": 2, "limit": 1000, "labels": EVERY_LABEL}
    (body,) = run_query(seeded_store, "neighbourhood", everything, "viewer").rows
    full = _full_walk(seeded_store, centre, 2)
    if len(full["nodes"]) <= 1001:
        assert _ids(body) == _ids(full)
    capped = run_query(seeded_store, "neighbourhood", {**everything, "limit": 3}, "viewer").rows[0]
    assert len(capped["nodes"]) == 4 and not capped["complete"]
    assert sum(level["left_out"] for level in capped["levels"]) > 0
    labelled = {"id": centre, "label": "Organisation", "hops": 1}
    assert _ids(run_query(seeded_store, "neighbourhood", labelled, "viewer").rows[0]) == _ids(
        daily.neighbourhood(seeded_store, "viewer", centre, hops=1)
    )
    assert run_query(seeded_store, "neighbourhood", {"id": "org-nope"}, "viewer").rows == []
