"""A path from an actor to itself is a caller error with a message, on every store and surface.

Neo4j's shortestPath functions raise an error (51N23) when both ends are the same node, so the
request is refused before any query runs: 400 over HTTP, QueryError for the CLI and Python.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.queries import daily
from scaleup_graph.queries.catalogue import catalogue
from scaleup_graph.queries.errors import QueryError
from scaleup_graph.store import GraphStore

Keys = dict[str, dict[str, str]]


def test_paths_between_an_actor_and_itself_answer_400_with_a_message(
    client: TestClient, keys: Keys
) -> None:
    response = client.get(
        "/api/v1/paths",
        params={"source": "org-rmn", "target": "org-rmn"},
        headers=keys["viewer"],
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("same_values", "target")
    message = error["message"]
    assert "'target' must differ from 'source'" in message and "two different actors" in message
    # the same pair of different actors still answers
    ok = client.get(
        "/api/v1/paths",
        params={"source": "org-rmn", "target": "org-podkarpackie"},
        headers=keys["viewer"],
    )
    assert ok.status_code == 200 and ok.json()["paths"]


def test_the_named_query_refuses_it_for_every_caller(small_store: GraphStore) -> None:
    with pytest.raises(QueryError, match="must differ from 'source'"):
        daily.paths(small_store, "viewer", "org-rmn", "org-rmn")
    query = catalogue()["paths"]
    with pytest.raises(QueryError):
        query.bind({"source": "x", "target": "x"}, from_text=True)
    # and the text itself never pairs a node with itself, on either dialect
    bound = query.bind({"source": "a", "target": "b"})
    for dialect in ("falkordb", "neo4j"):
        assert "WHERE a <> b" in query.text(dialect, bound)
