"""A filtered view without a focus reads only what its answer needs, and answers exactly what the
whole graph, filtered, answered before: the same nodes with the same properties and the same
links, for every role, on the demo network and on generated data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.errors import NotFound
from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.ingest import IngestOptions, ingest_path
from scaleup_graph.ingest.generate import generate
from scaleup_graph.store import GraphStore, NodeRow
from scaleup_graph.visualisation import fetch
from scaleup_graph.visualisation.fetch import Subgraph
from scaleup_graph.visualisation.views import ViewFilter, _apply_filters, explorer_view, load_view

ROLES = ("viewer", "contacts", "contacts+editor")


def _before(store: GraphStore, role: str, filters: ViewFilter) -> Subgraph:
    """The earlier way: the whole graph read with every property, then filtered."""
    whole = fetch.fetch_whole_graph(store, role=role)
    return _apply_filters(store, whole, None, filters, role, None)


def _ids(store: GraphStore, label: str, limit: int) -> list[str]:
    rows = store.read(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id LIMIT {limit}")
    return [str(r["id"]) for r in rows]


def _filters(store: GraphStore, per_kind: int) -> list[ViewFilter]:
    """Every label alone, pairs of labels, topics (some listed by name only), regions,
    projects, and combinations of them."""
    found = [ViewFilter(labels=(label,)) for label in NODE_TYPES]
    found += [
        ViewFilter(labels=("Organisation", "Region")),
        ViewFilter(labels=("Person", "Organisation", "Challenge")),
    ]
    topics, regions = _ids(store, "Topic", per_kind), _ids(store, "Region", per_kind)
    projects = _ids(store, "Project", per_kind)
    found += [ViewFilter(topic=t) for t in topics]
    found += [ViewFilter(region=r) for r in regions]
    found += [ViewFilter(project=p) for p in projects]
    found += [ViewFilter(region=r, labels=("Organisation", "Person")) for r in regions[:2]]
    found += [ViewFilter(topic=t, region=r) for t in topics[:2] for r in regions[:2]]
    found += [ViewFilter(project=p, labels=("Organisation",)) for p in projects[:2]]
    return found


def _outcome(read: Callable[..., Subgraph], *args: Any) -> Any:
    try:
        graph = read(*args)
    except NotFound as refusal:
        return ("refused", refusal.code)
    return graph.nodes, graph.edges


def _now(store: GraphStore, role: str, filters: ViewFilter) -> Subgraph:
    return load_view(store, role=role, filters=filters)[0]


def _same_as_before(store: GraphStore, per_kind: int) -> int:
    compared = 0
    for role in ROLES:
        whole = fetch.fetch_whole_graph(store, role=role)
        for filters in _filters(store, per_kind):
            before = _outcome(_apply_filters, store, whole, None, filters, role, None)
            now = _outcome(_now, store, role, filters)
            assert now == before, (role, filters)
            compared += before[0] != "refused"
    return compared


def test_filtered_views_answer_as_the_whole_graph_did_on_the_demo(
    seeded_store: GraphStore,
) -> None:
    assert _same_as_before(seeded_store, per_kind=50) > 50


@pytest.fixture
def generated(store: GraphStore, tmp_path: Path) -> Iterator[GraphStore]:
    population = generate(280, 11, tmp_path / "population")
    manifest = getattr(population, "manifest", population)
    ingest_path(
        store,
        Path(str(manifest)),
        options=IngestOptions(state_dir=tmp_path / "ingest", check_duplicates=False),
    )
    yield store


def test_filtered_views_answer_as_the_whole_graph_did_on_generated_data(
    generated: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _same_as_before(generated, per_kind=6) > 40
    # and none of them read the whole graph: the explorer's pictures too
    monkeypatch.setattr(fetch, "fetch_whole_graph", _refuse_whole_graph)
    region = _ids(generated, "Region", 1)[0]
    for role in ROLES:
        for filters in (ViewFilter(region=region), ViewFilter(labels=("Organisation",))):
            view = explorer_view(generated, role=role, filters=filters)
            assert view["total"] > 0


def _refuse_whole_graph(*_: Any, **__: Any) -> Subgraph:
    raise AssertionError("a filtered view read the whole graph")


def test_a_topic_reaches_nodes_that_list_it_by_name(seeded_store: GraphStore) -> None:
    topic = seeded_store.read(
        "MATCH (t:Topic) WHERE t.name IS NOT NULL RETURN t.id AS id, t.name AS name LIMIT 1"
    )[0]
    # through the store's write path, which folds the list for the index, as every write does
    seeded_store.upsert_nodes(
        "Organisation",
        [NodeRow("org-lists-topic", {"name": "Listet GmbH", "topics": [topic["name"]]})],
        provenance={"source": "test"},
    )
    # another node lists the topic's name in another case: the index finds it, the name not
    seeded_store.upsert_nodes(
        "Organisation",
        [NodeRow("org-lists-upper", {"name": "Upper AG", "topics": [topic["name"].upper()]})],
        provenance={"source": "test"},
    )
    for role in ROLES:
        filters = ViewFilter(topic=topic["id"])
        now = load_view(seeded_store, role=role, filters=filters)[0]
        assert "org-lists-topic" in now.nodes  # linked by name only, no relationship
        assert "org-lists-upper" not in now.nodes  # the name as it is, as before
        assert _outcome(_now, seeded_store, role, filters) == _outcome(
            _before, seeded_store, role, filters
        )


def test_nodes_are_found_by_id_whatever_their_prefix(seeded_store: GraphStore) -> None:
    # ids are looked up under their prefix's label first; an id without it is found too
    seeded_store.write("CREATE (:Organisation {id: 'topic-not-a-topic', name: 'Irreführend'})")
    seeded_store.write("CREATE (:Topic {id: 'no-prefix-topic', name: 'Ohne Vorsilbe'})")
    org = _ids(seeded_store, "Organisation", 1)[0]
    found = fetch.fetch_nodes(
        seeded_store, ["topic-not-a-topic", "no-prefix-topic", org, "org-unknown"], role="viewer"
    )
    assert {i: n["_labels"][0] for i, n in found.items()} == {
        "topic-not-a-topic": "Organisation",
        "no-prefix-topic": "Topic",
        org: "Organisation",
    }
