"""The store parses the engine's compact reply in one walk (store.falkordb._compact_rows): the
rows are those the driver's parser followed by the store's conversion gives, for every kind of
value (nodes, relationships, paths, maps, lists, points, times, numbers, text, null)."""

from __future__ import annotations

import random
from typing import Any

import pytest
import redis
from falkordb.query_result import QueryResult

from scaleup_graph.store import GraphStore, NodeRow
from scaleup_graph.store.falkordb import _compact_rows

PROV = {"source": "test", "ingest_run": "r1", "ingested_at": "2026-01-01T00:00:00"}


def _both(store: GraphStore, query: str, params: dict[str, Any] | None = None) -> Any:
    graph = store._graph  # type: ignore[attr-defined]
    text = graph._build_params_header(params or {}) + query
    reply = store._read_command("GRAPH.RO_QUERY", store.graph_name, text, "--compact")  # type: ignore[attr-defined]
    fast = _compact_rows(graph, reply)
    slow = store._rows(QueryResult(graph, reply))  # type: ignore[attr-defined]
    return fast, slow


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice(["", "Köln", "a'b", 'q"uote', "ü ß", "x" * rng.randrange(40)])
    if kind == 2:
        return rng.randrange(-(2**40), 2**40)
    if kind == 3:
        return rng.random() * rng.choice([1, -1e9, 1e-9])
    if kind == 4:
        return rng.random() < 0.5
    if kind in (5, 6):
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {f"k{i}": _random_value(rng, depth + 1) for i in range(rng.randrange(4))}


def test_every_kind_of_value_is_read_as_the_driver_and_the_conversion_read_it(
    store: GraphStore,
) -> None:
    store.upsert_nodes(
        "Organisation",
        [
            NodeRow("org-a", {"name": "Älpha", "founded": 1999, "topics": ["x", "y"]}),
            NodeRow("org-b", {"name": "Beta", "employees": 12.5, "active": True}),
        ],
        provenance=PROV,
    )
    store.write(
        "MATCH (a:Organisation {id: 'org-a'}), (b:Organisation {id: 'org-b'}) "
        "CREATE (a)-[:COOPERATES_WITH {since: 2020, note: 'ok'}]->(b)"
    )
    queries = [
        "MATCH (o:Organisation) RETURN o, o.name AS name ORDER BY o.id",
        "MATCH (a)-[r]->(b) RETURN a, r, b",
        "MATCH p = (a)-[r]->(b) RETURN p, [r] AS rs, {r: r, n: [a, b]} AS m",
        "MATCH (o:Organisation) RETURN collect(o) AS all, count(o) AS n",
        "RETURN point({latitude: 51.3, longitude: 9.5}) AS p, date('2026-12-01') AS d, "
        "localdatetime('2026-12-01T10:00:00') AS t, duration({days: 2}) AS span",
        "RETURN vecf32([1.5, 2.0]) AS v, 1.5 AS f, true AS yes, false AS no, null AS nothing",
        "RETURN {a: [1, {b: 'c', d: [null, 2.5]}], e: {}} AS nested, [] AS empty",
        "MATCH (o:Organisation {id: 'org-nobody'}) RETURN o",  # no rows
    ]
    for query in queries:
        fast, slow = _both(store, query)
        assert fast == slow, query
        assert [type(v) for row in fast for v in row.values()] == [
            type(v) for row in slow for v in row.values()
        ]
    rng = random.Random(14)
    for _ in range(200):
        value = _random_value(rng)
        fast, slow = _both(store, "RETURN $v AS v, [$v] AS l", {"v": value})
        assert fast == slow, value


def test_replies_that_are_not_rows_go_the_drivers_way(store: GraphStore) -> None:
    graph = store._graph  # type: ignore[attr-defined]
    assert _compact_rows(graph, [["Nodes created: 1"]]) is None  # statistics only
    assert _compact_rows(graph, [[], [], ["x"]]) is None  # no columns
    late = redis.ResponseError("Query timed out")  # an error in the statistics' place
    assert _compact_rows(graph, [[[1, "a"]], [], late]) is None
    with pytest.raises(redis.ResponseError):
        QueryResult(graph, [[[1, "a"]], [], late])
    assert store.read("MATCH (n:Nothing) RETURN n") == []
