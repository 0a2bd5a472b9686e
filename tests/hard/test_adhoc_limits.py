"""Issue 15, findings F2, F3, F4 and point 4: the ad-hoc guard works on the engine's plan and
cannot be starved.

- F2: deeply nested literals (the parser is exponential in nesting depth) are refused before
  they reach the engine; so are deeply nested parameter values, and a request body nested past
  the JSON depth bound is a 422, not a 500.
- F4: an apostrophe inside a backtick identifier no longer hides a procedure call or LOAD CSV
  from the lexical check, and the store itself refuses plans with ProcedureCall or Load CSV.
- F3: one running ad-hoc query per key and fewer than the engine's threads in all: the next
  one gets 429 with Retry-After while viewers are served.
- The row cap is part of the query: the server never sends more than the cap (+1) rows.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore, QueryRejected
from tests.support.live_server import serve

pytestmark = pytest.mark.hard

RUNAWAY = (
    "UNWIND range(1, 1000000) AS x UNWIND range(1, 1000000) AS y "
    "WITH x, y WHERE (x + y) % 7 = 3 RETURN count(*) AS n"
)


def _nested(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def _cypher(
    client: TestClient, headers: dict[str, str], query: str, **params: object
) -> httpx.Response:
    return client.post("/api/v1/cypher", json={"query": query, "params": params}, headers=headers)


def test_deep_literal_nesting_is_refused_before_the_engine(
    hard_client: TestClient, role_headers: dict[str, dict[str, str]]
) -> None:
    analyst = role_headers["analyst"]
    ok = _cypher(hard_client, analyst, f"RETURN {_nested(9)} AS x")
    assert ok.status_code == 200, ok.text
    for query in (
        f"RETURN {_nested(14)} AS x",
        "RETURN " + "{a: " * 14 + "1" + "}" * 14 + " AS x",
        "RETURN " + "(" * 14 + "1" + ")" * 14 + " AS x",
        f"WITH 1 AS `x'` RETURN {_nested(14)} AS y",
    ):
        response = _cypher(hard_client, analyst, query)
        assert response.status_code == 400, (query, response.text)
        assert "nest" in response.json()["error"]["message"], response.text
    unbalanced = _cypher(hard_client, analyst, "RETURN [1, 2 AS x")
    assert unbalanced.status_code == 400 and "balance" in unbalanced.text


def test_deeply_nested_parameters_are_refused_not_a_500(
    hard_client: TestClient, role_headers: dict[str, dict[str, str]]
) -> None:
    analyst = role_headers["analyst"]
    value: object = 1
    for _ in range(14):
        value = [value]
    response = _cypher(hard_client, analyst, "RETURN $p AS p", p=value)
    assert response.status_code == 400 and "nest" in response.text, response.text
    for depth in (300, 399, 401, 450, 2000):
        body = "[" * depth + "]" * depth
        response = hard_client.post(
            "/api/v1/cypher",
            content=f'{{"query": "RETURN $p AS p", "params": {{"p": {body}}}}}',
            headers={**analyst, "Content-Type": "application/json"},
        )
        assert response.status_code in (400, 422), (depth, response.status_code)
        assert "Traceback" not in response.text


def test_backtick_apostrophe_does_not_hide_procedures_or_load_csv(
    hard_client: TestClient, role_headers: dict[str, dict[str, str]], rich_store: GraphStore
) -> None:
    before = rich_store.fingerprint()
    for query in (
        "WITH 1 AS `a'` CALL dbms.procedures() YIELD name RETURN name",
        "WITH 1 AS `a'` CALL db.labels() YIELD label RETURN label //'",
        "WITH 1 AS `a'` LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r //'",
        'WITH 1 AS `a"` CALL db.indexes() YIELD label RETURN label //"',
    ):
        response = _cypher(hard_client, role_headers["analyst"], query)
        assert response.status_code == 400, (query, response.text)
        assert response.json()["error"]["code"] == "query_rejected", response.text
    assert rich_store.fingerprint() == before


def test_the_store_refuses_procedure_calls_and_load_csv_from_the_plan(
    rich_store: GraphStore,
) -> None:
    # No lexical check in between: the store's read_only reads GRAPH.EXPLAIN's plan.
    for query in (
        "CALL db.labels() YIELD label RETURN label",
        "MATCH (n) WITH n LIMIT 1 CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey",
        "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
    ):
        with pytest.raises(QueryRejected, match="query plan"):
            rich_store.read_only(query, {}, timeout_ms=2_000, row_cap=10)
    rows, cut = rich_store.read_only(
        "MATCH (o:Organisation) CALL { WITH o RETURN o.id AS oid } RETURN oid",
        {},
        timeout_ms=2_000,
        row_cap=3,
    )
    assert len(rows) == 3 and cut


#: Issue 15, point 5: admin and schema commands whose plan shows no procedure call, no LOAD CSV
#: and no write step (or that are no Cypher at all), with the word the refusal must name.
ADMIN_WITHOUT_PROCEDURE = {
    "CREATE INDEX FOR (n:Organisation) ON (n.city)": "schema",
    "CREATE INDEX ON :Organisation(city)": "schema",
    "DROP INDEX ON :Organisation(id)": "schema",
    "DROP INDEX FOR (n:Organisation) ON (n.id)": "schema",
    "CREATE VECTOR INDEX FOR (n:Organisation) ON (n.v) "
    "OPTIONS {dimension: 2, similarityFunction: 'euclidean'}": "schema",
    "CREATE CONSTRAINT ON (n:Organisation) ASSERT n.id IS UNIQUE": "schema",
    "GRAPH.CONFIG SET TIMEOUT 1": "GRAPH.CONFIG",
    "GRAPH.CONFIG GET *": "GRAPH.CONFIG",
    "GRAPH.DELETE scaleup": "GRAPH.DELETE",
    "GRAPH.QUERY scaleup 'MATCH (n) DELETE n'": "GRAPH.QUERY",
    "  // a comment first\n graph.slowlog scaleup": "GRAPH.SLOWLOG",
    "EXPLAIN MATCH (n) RETURN n": "EXPLAIN",
    "PROFILE MATCH (n) DETACH DELETE n": "PROFILE",
    "/* x */ PROFILE MATCH (n) RETURN n": "PROFILE",
    "CYPHER timeout=999999 MATCH (n) RETURN n": "CYPHER",
    "GRANT ALL ON DATABASE * TO evil": "GRANT",
    "SHOW USERS": "SHOW",
    "create   user evil SET PASSWORD 'x'": "CREATE USER",
    "USE system MATCH (n) RETURN n": "USE",
    "CALL db.meta.stats() YIELD labels RETURN labels": "procedure",
    "CALL dbms.procedures() YIELD name RETURN name": "procedure",
    "CALL db.constraints() YIELD type RETURN type": "procedure",
    "CALL algo.BFS(null, 1, null) YIELD nodes RETURN nodes": "procedure",
    "CALL algo.WCC(null) YIELD node RETURN node": "procedure",
    "CALL db.idx.vector.queryNodes('Organisation', 'v', 1, vecf32([1.0])) "
    "YIELD node RETURN node": "procedure",
    "MATCH (n) RETURN n LIMIT 1 UNION CALL db.labels() YIELD label RETURN label AS n": "procedure",
}


def test_admin_commands_without_a_procedure_in_the_plan_are_refused(
    hard_client: TestClient, role_headers: dict[str, dict[str, str]], rich_store: GraphStore
) -> None:
    """Point 5: schema commands plan as one "Create Index" / "Drop Index" step, server commands
    (GRAPH.*) and EXPLAIN/PROFILE/CYPHER prefixes are no query: each is refused by the store
    itself (no lexical guard in between) with a message naming what was refused, and through
    the API with 400 query_rejected; the indexes and the graph stay as they were."""
    indexes = "CALL db.indexes() YIELD label, properties RETURN label, properties"
    before = rich_store.fingerprint(), sorted(map(repr, rich_store.read(indexes)))
    for query, named in ADMIN_WITHOUT_PROCEDURE.items():
        with pytest.raises(QueryRejected) as refused:
            rich_store.read_only(query, {}, timeout_ms=2_000, row_cap=10)
        assert named.casefold() in str(refused.value).casefold(), (query, str(refused.value))
        for role in ("analyst", "contacts+analyst"):
            response = _cypher(hard_client, role_headers[role], query)
            assert response.status_code == 400, (query, response.text)
            error = response.json()["error"]
            assert error["code"] == "query_rejected", (query, error)
            assert "Traceback" not in error["message"] and "errMsg" not in error["message"]
    assert (rich_store.fingerprint(), sorted(map(repr, rich_store.read(indexes)))) == before
    # harmless functions still run
    rows, _ = rich_store.read_only("RETURN timestamp() > 0 AS ok", {}, timeout_ms=2_000, row_cap=1)
    assert rows == [{"ok": True}]


def test_row_cap_is_applied_in_the_query_not_after_fetching(rich_store: GraphStore) -> None:
    command = rich_store._command  # type: ignore[attr-defined]

    def sent_bytes() -> int:
        return int(command("INFO", "stats")["total_net_output_bytes"])

    before = sent_bytes()
    rows, cut = rich_store.read_only(
        "UNWIND range(1, 200000) AS x RETURN x, 'padding-padding-padding' AS pad",
        {},
        timeout_ms=10_000,
        row_cap=10,
    )
    sent = sent_bytes() - before
    assert [r["x"] for r in rows] == list(range(1, 11)) and cut
    # 200,000 rows would be several megabytes; 11 rows and a plan are a few hundred bytes.
    assert sent < 20_000, sent


def test_one_adhoc_query_per_key_and_fewer_than_the_engine_threads(
    hard_app: FastAPI, hard_settings: Settings, role_headers: dict[str, dict[str, str]]
) -> None:
    other_analyst = {"X-API-Key": KeyStore(keys_path(hard_settings)).create("analyst")[1]}
    analyst = role_headers["analyst"]
    with serve(hard_app) as base, httpx.Client(base_url=base, timeout=60) as http:
        first: dict[str, object] = {}

        def run() -> None:
            for _ in range(100):  # a probe below may hold the key's slot for a moment
                response = http.post("/api/v1/cypher", json={"query": RUNAWAY}, headers=analyst)
                first["status"] = response.status_code
                if response.status_code != 429:
                    break
                time.sleep(0.02)

        thread = threading.Thread(target=run)
        thread.start()
        same_key: httpx.Response | None = None
        other_key: httpx.Response | None = None
        viewer_ok = 0
        while thread.is_alive() and (same_key is None or other_key is None):
            probe = http.post("/api/v1/cypher", json={"query": "RETURN 1 AS one"}, headers=analyst)
            if probe.status_code == 429:
                same_key = probe
                other = http.post(
                    "/api/v1/cypher", json={"query": "RETURN 1 AS one"}, headers=other_analyst
                )
                if other.status_code == 429:
                    other_key = other
            search = http.get("/api/v1/organisations?q=Kassel", headers=role_headers["viewer"])
            viewer_ok += search.status_code == 200
            time.sleep(0.05)
        thread.join()
        after = http.post("/api/v1/cypher", json={"query": "RETURN 1 AS one"}, headers=analyst)
    assert first["status"] == 504, first
    assert same_key is not None and other_key is not None, "no 429 while a query ran"
    for refused in (same_key, other_key):
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"]["code"] == "too_many_requests"
    assert "already runs" in same_key.json()["error"]["message"]
    assert viewer_ok >= 1
    assert after.status_code == 200, after.text  # slots are given back
