"""On FalkorDB each level of the bounded walk reads a frontier node's links in two directed steps
(``neighbourhood._level_query_directed``) instead of one pattern without direction: the same
answer, for every role, centre, depth, label choice, cap and hub threshold, on the demo and on
generated data (parallel links, links both ways, drafts, KNOWS)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.graph_model.roles import ROLES
from scaleup_graph.queries import daily
from scaleup_graph.queries import neighbourhood as nb
from scaleup_graph.queries.privacy import Visibility
from scaleup_graph.store import GraphStore, NodeRow, RelRow, open_store
from tests.support.graphs import ingest_generated


class _Undirected:
    """The store, asking the walk for the text without direction (the Neo4j text)."""

    dialect = "neo4j"

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def read(self, text: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        return self.store.read(text, params, **kw)


@pytest.fixture
def counted_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference counts every relationship for every role. With a relationship clause of
    ``true`` (the contacts role sees every type) FalkorDB reads a pattern without direction
    whose relationship nothing else names as one row per neighbour, parallel links merged, so
    that role's ranking counted a parallel link once; naming the relationship restores it."""
    clause = Visibility.rel_clause

    def named(self: Visibility, var: str) -> str:
        text = clause(self, var)
        return f"{var} IS NOT NULL" if text == "true" else text

    monkeypatch.setattr(Visibility, "rel_clause", named)


@pytest.fixture(scope="module")
def generated(db_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = open_store(f"embedded://{db_dir}", graph="neighbourhood_directed")
    ingest_generated(store, 300, 17, tmp_path_factory.mktemp("generated"))
    yield store
    store.clear()
    store.close()


def _centres(store: GraphStore) -> list[str]:
    rows = store.read(
        "MATCH (n) WHERE n.id IS NOT NULL WITH n, size([(n)--() | 1]) AS d "
        "RETURN n.id AS id, d ORDER BY d, id"
    )
    picked = rows[:: max(1, len(rows) // 12)] + rows[-3:]  # every degree, the largest too
    challenges = store.read("MATCH (c:Challenge) RETURN c.id AS id ORDER BY id LIMIT 2")
    persons = store.read("MATCH (p:Person)-[:KNOWS]-() RETURN DISTINCT p.id AS id LIMIT 2")
    return [r["id"] for r in picked + challenges + persons]


def _compare(store: GraphStore, centres: list[str]) -> int:
    compared = 0
    for centre in centres:
        for hops in (1, 2, 3):
            for role in ROLES:
                for labels, limit, hub in (
                    (None, 200, nb.HUB_DEGREE),
                    (None, 7, 4),
                    (["Organisation", "Person", "Project"], 30, 6),
                ):
                    args = {"hops": hops, "labels": labels, "limit": limit, "hub_degree": hub}
                    reference = daily.neighbourhood(_Undirected(store), role, centre, **args)  # type: ignore[arg-type]
                    directed = daily.neighbourhood(store, role, centre, **args)
                    assert directed == reference, (centre, role, args)
                    compared += len(reference["nodes"]) if reference else 0
    return compared


def test_the_directed_level_gives_the_same_answers_on_the_demo(
    seeded_store: GraphStore, counted_links: None
) -> None:
    centres = [*_centres(seeded_store), "org-ihk-kassel-marburg", "region-de73"]
    assert _compare(seeded_store, centres) > 2_000


def test_the_directed_level_gives_the_same_answers_on_generated_data(
    generated: GraphStore, counted_links: None
) -> None:
    # parallel links both ways and a link to itself
    prov = {"source": "test"}
    a, b = "org-parallel-a", "org-parallel-b"
    generated.upsert_nodes(
        "Organisation", [NodeRow(a, {"name": "A"}), NodeRow(b, {"name": "B"})], provenance=prov
    )
    for start, end in ((a, b), (b, a), (a, a)):
        generated.upsert_relationships(
            "COOPERATES_WITH", "Organisation", "Organisation", [RelRow(start, end)], provenance=prov
        )
    assert _compare(generated, [*_centres(generated), a, b]) > 2_000


def test_a_parallel_link_counts_for_every_role(seeded_store: GraphStore) -> None:
    """The neighbour with two links comes before one with one, for every role (the contacts
    role counted them once before, and ranked by id instead)."""
    prov = {"source": "test"}
    seeded_store.upsert_nodes(
        "Organisation",
        [NodeRow(f"org-tie-{x}", {"name": f"Tie {x}"}) for x in ("centre", "a", "z")],
        provenance=prov,
    )
    links = [("org-tie-centre", "org-tie-a"), ("org-tie-centre", "org-tie-z")]
    links.append(("org-tie-z", "org-tie-centre"))  # "z" is linked twice, once each way
    for start, end in links:
        seeded_store.upsert_relationships(
            "COOPERATES_WITH", "Organisation", "Organisation", [RelRow(start, end)], provenance=prov
        )
    for role in ROLES:
        body = daily.neighbourhood(seeded_store, role, "org-tie-centre", hops=1, limit=1)
        assert body is not None
        assert [n["id"] for n in body["nodes"]] == ["org-tie-centre", "org-tie-z"], role
        assert body["levels"] == [{"hop": 1, "found": 2, "shown": 1, "left_out": 1}]
