"""Ad-hoc Cypher: reads run, everything else is refused with a clear message."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.graph_model import identifier_hashes
from scaleup_graph.store import GraphStore

Keys = dict[str, dict[str, str]]


def _run(client: TestClient, keys: Keys, query: str, **params: object):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/cypher", json={"query": query, "params": params}, headers=keys["analyst"]
    )


def test_analyst_runs_a_read_with_parameters(client: TestClient, keys: Keys) -> None:
    response = _run(
        client,
        keys,
        "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region {id: $r}) RETURN o.id AS id ORDER BY id",
        r="region-de73",
    )
    assert response.status_code == 200
    assert response.json()["rows"] == [{"id": "org-kassel-tech"}, {"id": "org-rmn"}]
    assert response.json()["truncated"] is False


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("MATCH (n) DETACH DELETE n", "read-only"),
        ("CREATE (:Organisation {id: 'x', name: 'x'})", "read-only"),
        ("MATCH (o:Organisation) SET o.name = 'pwned'", "read-only"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV"),
        ("CALL db.labels() YIELD label RETURN label", "procedure"),
        ("MATCH (s:_Suppressed) RETURN s", "system"),
        ("", "empty"),
        ("RETURN 1 " + " " * 6000, "limit"),
    ],
)
def test_writes_loads_and_procedures_are_refused(
    client: TestClient, keys: Keys, small_store: GraphStore, query: str, says: str
) -> None:
    before = small_store.fingerprint()
    response = _run(client, keys, query)
    assert response.status_code == 400
    assert says in response.json()["error"]["message"]
    assert small_store.fingerprint() == before


def test_the_engine_refuses_a_write_the_lexical_check_misses(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    # a write keyword hidden from the lexical check by a comment trick is still refused by
    # GRAPH.RO_QUERY; here the lexer sees no keyword because it is split by a comment
    before = small_store.fingerprint()
    response = _run(client, keys, "MATCH (o:Organisation) WITH o MERGE/**/(x:Topic {id:'t'})")
    assert response.status_code == 400
    assert small_store.fingerprint() == before


def test_rows_are_capped_and_truncation_reported(
    client: TestClient, keys: Keys, api_settings: object
) -> None:
    client.app.state.settings.adhoc_row_cap = 3  # type: ignore[attr-defined]
    response = _run(client, keys, "UNWIND range(1, 10) AS i RETURN i")
    assert response.json()["rows"] == [{"i": 1}, {"i": 2}, {"i": 3}]
    assert response.json()["truncated"] is True


def test_a_cypher_mistake_is_a_400_not_a_500(client: TestClient, keys: Keys) -> None:
    response = _run(client, keys, "MATCH (o:Organisation) RETRUN o")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_failed"


def test_erased_persons_hashes_never_show(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    hashes = identifier_hashes({"name": "Someone Erased"}, "salt")
    small_store.add_suppressed(hashes)
    everything = _run(client, keys, "MATCH (n) RETURN n").json()["rows"]
    props = _run(client, keys, "MATCH (n) RETURN properties(n) AS p, labels(n) AS l").json()
    text = str(everything) + str(props)
    assert all(h not in text for h in hashes)
    assert "_Suppressed" not in text
    # schema nodes only; a challenge in draft is for editors and admins (issue 15, point 6)
    drafts = len(small_store.read("MATCH (c:Challenge {status: 'draft'}) RETURN c.id AS id"))
    assert drafts and len(everything) == sum(small_store.counts()["nodes"].values()) - drafts
