"""The Neo4j adapter without a server: a fake driver object stands in for ``neo4j.Driver``.

It records every call (query text, parameters, routing, database, timeout, access mode) and
answers from a script, so these tests check what the adapter sends, how it maps what comes back
and how it reacts to the driver's errors. Query values must only ever travel as parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from neo4j import READ_ACCESS, EagerResult, Record, RoutingControl
from neo4j.exceptions import (
    AuthError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
)
from neo4j.graph import Graph, Node, Path, Relationship
from neo4j.time import DateTime

from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.settings import Settings
from scaleup_graph.store import (
    NodeRow,
    QueryRejected,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
    open_store,
)
from scaleup_graph.store import neo4j as adapter
from scaleup_graph.store.neo4j import Neo4jStore, convert, schema_statements, schema_version

PROV = {"source": "unit", "ingest_run": "r1", "ingested_at": "2026-01-01T00:00:00"}


# --- the fake driver -------------------------------------------------------------------------


@dataclass
class Call:
    via: str  # execute_query, write_tx, read_tx
    query: str
    params: dict[str, Any]
    routing: Any = None
    database: str | None = None
    timeout: float | None = None
    access_mode: str | None = None


Answer = list[Record] | Exception | tuple[list[Record], Any]
Responder = Callable[[Call], Answer]


def records(*rows: dict[str, Any]) -> list[Record]:
    return [Record(row.items()) for row in rows]


def _summary(query_type: str = "r", plan: dict[str, Any] | None = None) -> Any:
    return SimpleNamespace(
        query_type=query_type, plan=plan, server=SimpleNamespace(agent="Neo4j/5.26.0")
    )


@dataclass
class FakeDriver:
    responder: Responder = lambda call: []
    calls: list[Call] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    closed: int = 0
    pulled: int = 0
    rolled_back: int = 0
    committed: int = 0

    def answer(self, call: Call) -> tuple[list[Record], Any]:
        self.calls.append(call)
        out = self.responder(call)
        if isinstance(out, Exception):
            raise out
        if isinstance(out, tuple):
            return out
        return out, _summary()

    def execute_query(
        self,
        query_: Any,
        parameters_: dict[str, Any] | None = None,
        *,
        routing_: Any = RoutingControl.WRITE,
        database_: str | None = None,
    ) -> Any:
        rows, summary = self.answer(
            Call(
                "execute_query",
                query_.text,
                dict(parameters_ or {}),
                routing_,
                database_,
                query_.timeout,
            )
        )
        return EagerResult(rows, summary, list(rows[0].keys()) if rows else [])

    def session(self, **config: Any) -> FakeSession:
        self.sessions.append(config)
        return FakeSession(self, config)

    def close(self) -> None:
        self.closed += 1


@dataclass
class FakeTx:
    session: FakeSession
    via: str
    timeout: float | None = None

    def run(self, query: str, parameters: dict[str, Any] | None = None) -> Iterator[Record]:
        config = self.session.config
        rows, _ = self.session.driver.answer(
            Call(
                self.via,
                query,
                dict(parameters or {}),
                None,
                config.get("database"),
                self.timeout,
                config.get("default_access_mode"),
            )
        )

        def stream() -> Iterator[Record]:
            for row in rows:
                self.session.driver.pulled += 1
                yield row

        return stream()

    def __enter__(self) -> FakeTx:
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.driver.rolled_back += 1  # an explicit tx left without commit rolls back


@dataclass
class FakeSession:
    driver: FakeDriver
    config: dict[str, Any]

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute_write(self, work: Callable[..., Any], *args: Any) -> Any:
        result = work(FakeTx(self, "write_tx", getattr(work, "timeout", None)), *args)
        self.driver.committed += 1
        return result

    def begin_transaction(self, timeout: float | None = None) -> FakeTx:
        return FakeTx(self, "read_tx", timeout)


def make_store(
    responder: Responder = lambda call: [], **kwargs: Any
) -> tuple[Neo4jStore, FakeDriver]:
    driver = FakeDriver(responder)
    settings = Settings(neo4j_database="scaleup")
    return Neo4jStore("neo4j://db.example:7687", settings=settings, driver=driver, **kwargs), driver


def server_error(code: str, message: str = "boom") -> Neo4jError:
    return Neo4jError._hydrate_neo4j(code=code, message=message)


# --- driver values the adapter maps ----------------------------------------------------------


def graph_values() -> tuple[Node, Node, Relationship]:
    graph = Graph()
    person = Node(graph, "4:x:1", 1, {"Person"}, {"id": "person-1", "role": "manager"})
    org = Node(graph, "4:x:2", 2, {"SME", "Organisation"}, {"id": "org-1", "name": "Acme"})
    rel = graph.relationship_type("WORKS_AT")(graph, "5:x:9", 9, {"since": "2021"})
    rel._start_node, rel._end_node = person, org
    return person, org, rel


# --- tests -----------------------------------------------------------------------------------


def test_reads_go_to_readers_of_the_configured_database_with_parameters() -> None:
    store, driver = make_store(lambda call: records({"id": "org-1"}))
    rows = store.read("MATCH (n {id: $id}) RETURN n.id AS id", {"id": "org-1"}, timeout_ms=1500)
    assert rows == [{"id": "org-1"}]
    (call,) = driver.calls
    assert call.via == "execute_query"
    assert call.routing == RoutingControl.READ
    assert call.database == "scaleup"
    assert call.params == {"id": "org-1"}
    assert call.timeout == 1.5


def test_writes_run_in_a_managed_write_transaction_with_a_timeout() -> None:
    store, driver = make_store(lambda call: records({"written": 2}))
    assert store.write("RETURN 2 AS written", timeout_ms=3000) == [{"written": 2}]
    (call,) = driver.calls
    assert (call.via, call.database, call.timeout) == ("write_tx", "scaleup", 3.0)
    assert driver.committed == 1


def test_upserts_send_schema_labels_in_the_text_and_values_as_parameters() -> None:
    store, driver = make_store()
    store.upsert_nodes(
        "Organisation", [NodeRow("org-1", {"name": "O'Brien; DROP"}, ("SME",))], provenance=PROV
    )
    (call,) = driver.calls
    assert "MERGE (n:`Organisation` {id: r.id})" in call.query
    assert "n:`SME`" in call.query
    assert "O'Brien" not in call.query
    assert call.params["rows"] == [
        {
            "id": "org-1",
            "props": {"name": "O'Brien; DROP", "name_fold": "o'brien; drop"},
            "fill": {},
        }
    ]
    assert call.params["source"] == "unit"


def test_incomplete_commit_reruns_the_idempotent_batch(caplog: pytest.LogCaptureFixture) -> None:
    outcomes = [IncompleteCommit("lost while committing"), records({"written": 1})]
    store, driver = make_store(lambda call: outcomes.pop(0))
    with caplog.at_level(logging.WARNING):
        rows = store.write("UNWIND $rows AS r MERGE (n:`Topic` {id: r.id})", {"rows": [1]})
    assert rows == [{"written": 1}]
    assert [c.query for c in driver.calls] == ["UNWIND $rows AS r MERGE (n:`Topic` {id: r.id})"] * 2
    assert "running the idempotent batch again" in caplog.text


def test_incomplete_commit_that_persists_becomes_store_unavailable() -> None:
    store, driver = make_store(lambda call: IncompleteCommit("lost"), commit_retries=3)
    with pytest.raises(StoreUnavailable, match="run the same command again"):
        store.write("MERGE (:`Topic` {id: $id})", {"id": "t"})
    assert len(driver.calls) == 3


@pytest.mark.parametrize(
    ("error", "expected", "says"),
    [
        (ServiceUnavailable("no route"), StoreUnavailable, "docker compose up -d --wait"),
        (AuthError("bad"), StoreError, "SCALEUP_NEO4J_PASSWORD"),
        (
            server_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"),
            QueryTimeout,
            "time limit",
        ),
        (
            server_error("Neo.ClientError.Transaction.TransactionTimedOut"),
            QueryTimeout,
            "time limit",
        ),
        (server_error("Neo.ClientError.Statement.AccessMode"), QueryRejected, "only read"),
        (
            server_error("Neo.ClientError.Database.DatabaseNotFound"),
            StoreError,
            "SCALEUP_NEO4J_DATABASE",
        ),
        (
            server_error("Neo.TransientError.General.DatabaseUnavailable"),
            StoreUnavailable,
            "try again",
        ),
        (
            server_error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'RETRN'"),
            StoreError,
            "Invalid input 'RETRN'",
        ),
    ],
)
def test_driver_errors_become_our_errors_with_advice(
    error: Exception, expected: type[StoreError], says: str
) -> None:
    store, _ = make_store(lambda call: error)
    with pytest.raises(expected) as caught:
        store.read("RETURN 1")
    assert says in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_server_messages_that_quote_stored_values_are_not_passed_on() -> None:
    leak = server_error(
        "Neo.ClientError.Schema.ConstraintValidationFailed",
        "Node(7) already exists with label `Person` and property `email` = 'erika@example.org'",
    )
    other = server_error(
        "Neo.ClientError.Statement.TypeError",
        'Expected a string but was Map{name -> String("Erika Beispiel")}',
    )
    for error in (leak, other):
        store, _ = make_store(lambda call, error=error: error)
        with pytest.raises(StoreError) as caught:
            store.write("MERGE (:`Person` {id: $id})", {"id": "person-1"})
        assert "erika" not in str(caught.value).lower()
        assert "Erika" not in str(caught.value)


def test_read_only_runs_after_explain_in_a_read_transaction_and_stops_pulling() -> None:
    def respond(call: Call) -> Answer:
        if call.query.startswith("EXPLAIN "):
            return [], _summary(
                "r",
                {
                    "operatorType": "ProduceResults@neo4j",
                    "children": [{"operatorType": "NodeByLabelScan@neo4j"}],
                },
            )
        return records(*({"id": f"org-{i}"} for i in range(100)))

    store, driver = make_store(respond)
    rows, more = store.read_only(
        "MATCH (o:Organisation) RETURN o.id AS id", {"x": 1}, timeout_ms=2000, row_cap=3
    )
    assert rows == [{"id": "org-0"}, {"id": "org-1"}, {"id": "org-2"}]
    assert more is True
    explain, run = driver.calls
    assert explain.routing == RoutingControl.READ and explain.params == {"x": 1}
    assert (run.via, run.access_mode, run.timeout) == ("read_tx", READ_ACCESS, 2.0)
    assert driver.pulled == 4  # row_cap + 1, not all 100
    assert driver.rolled_back == 1 and driver.committed == 0


@pytest.mark.parametrize(
    ("query_type", "operators", "says"),
    [
        ("rw", ["ProduceResults", "Create"], "would write"),
        ("w", ["EmptyResult", "SetProperty"], "would write"),
        ("s", [], "would write"),
        ("r", ["ProduceResults", "ProcedureCall"], "ProcedureCall"),
        ("r", ["ProduceResults", "LoadCSV"], "LoadCSV"),
    ],
)
def test_read_only_refuses_what_the_plan_shows_before_running_it(
    query_type: str, operators: list[str], says: str
) -> None:
    plan: dict[str, Any] | None = None
    for name in reversed(operators):
        plan = {"operatorType": f"{name}@neo4j", "children": [plan] if plan else []}
    store, driver = make_store(lambda call: ([], _summary(query_type, plan)))
    with pytest.raises(QueryRejected, match=says):
        store.read_only("MATCH (n) RETURN n", timeout_ms=1000, row_cap=5)
    assert [c.via for c in driver.calls] == ["execute_query"]  # never ran the query itself


@pytest.mark.parametrize("prefix", ["EXPLAIN ", "profile ", "// note\nUSE system "])
def test_read_only_refuses_its_own_prefixes(prefix: str) -> None:
    store, driver = make_store()
    with pytest.raises(QueryRejected):
        store.read_only(prefix + "MATCH (n) RETURN n", timeout_ms=1000, row_cap=5)
    assert driver.calls == []


def test_nodes_relationships_and_paths_map_to_the_port_shapes() -> None:
    person, org, rel = graph_values()
    assert convert(org) == {"id": "org-1", "name": "Acme", "_labels": ["Organisation", "SME"]}
    assert convert(rel) == {
        "since": "2021",
        "_type": "WORKS_AT",
        "_start": "person-1",
        "_end": "org-1",
    }
    assert convert(Path(person, rel)) == {
        "nodes": [convert(person), convert(org)],
        "relationships": [convert(rel)],
    }
    assert convert({"when": DateTime(2026, 1, 2, 3, 4, 5), "xs": (person,)}) == {
        "when": "2026-01-02T03:04:05.000000000",
        "xs": [convert(person)],
    }


def test_relationship_endpoints_are_left_out_when_the_result_did_not_carry_them() -> None:
    graph = Graph()
    bare_start = Node(graph, "4:x:1", 1)
    rel = graph.relationship_type("KNOWS")(graph, "5:x:1", 1, {})
    rel._start_node, rel._end_node = bare_start, Node(graph, "4:x:2", 2)
    assert convert(rel) == {"_type": "KNOWS"}


def test_records_are_mapped_by_column() -> None:
    person, _org, rel = graph_values()
    store, _ = make_store(lambda call: records({"p": person, "e": rel, "n": 3}))
    (row,) = store.read("MATCH (p)-[e]->() RETURN p, e, 3 AS n")
    assert row["p"]["_labels"] == ["Person"]
    assert row["e"]["_end"] == "org-1"
    assert row["n"] == 3


def test_schema_has_a_named_unique_key_per_label_and_only_if_not_exists() -> None:
    statements = schema_statements()
    for label in NODE_TYPES:
        assert (
            f"CREATE CONSTRAINT scaleup_{label.lower()}_id IF NOT EXISTS "
            f"FOR (n:`{label}`) REQUIRE n.id IS UNIQUE"
        ) in statements
    assert all(" IF NOT EXISTS " in s and s.split()[2].startswith("scaleup_") for s in statements)
    assert any("n:_Suppressed" in s and "n.hash IS UNIQUE" in s for s in statements)


def test_setup_schema_applies_each_statement_once_and_records_a_migration() -> None:
    applied: set[str] = set()

    def respond(call: Call) -> Answer:
        if call.query.startswith("MATCH (m:_Migration"):
            return records({"version": call.params["version"]}) if applied else []
        if call.query.startswith("MERGE (m:_Migration"):
            applied.add(call.params["version"])
        return []

    store, driver = make_store(respond)
    store.setup_schema()
    ddl = [c for c in driver.calls if c.query.startswith("CREATE ")]
    assert [c.query for c in ddl] == schema_statements()
    assert all(c.routing == RoutingControl.WRITE and c.database == "scaleup" for c in ddl)
    assert applied == {schema_version()}
    driver.calls.clear()
    store.setup_schema()
    assert [c.query.split()[0] for c in driver.calls] == ["MATCH"]


def test_clear_deletes_in_batches_and_keeps_the_migration_record() -> None:
    deleted = [10_000, 10_000, 42, 0]
    store, driver = make_store(lambda call: records({"deleted": deleted.pop(0)}))
    store.clear()
    assert len(driver.calls) == 4
    assert all(
        "WHERE NOT n:_Migration" in c.query and c.params == {"limit": 10_000} for c in driver.calls
    )


def test_health_reports_the_server_and_close_closes_the_driver_once() -> None:
    store, driver = make_store(lambda call: records({"ok": 1}))
    health = store.health()
    assert health["store"] == "neo4j" and health["server"] == "Neo4j/5.26.0"
    assert health["database"] == "scaleup"
    store.close()
    store.close()
    assert driver.closed == 1


def test_credentials_come_from_the_url_or_settings_and_never_show(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created: list[tuple[str, Any, dict[str, Any]]] = []

    def fake_factory(uri: str, auth: Any = None, **config: Any) -> FakeDriver:
        created.append((uri, auth, config))
        return FakeDriver()

    monkeypatch.setattr(adapter.GraphDatabase, "driver", fake_factory)
    settings = Settings(neo4j_user="svc", neo4j_password="from-settings")
    store = Neo4jStore("neo4j+s://alice:p%40ss@abc.databases.neo4j.io", settings=settings)
    assert created[-1][:2] == ("neo4j+s://abc.databases.neo4j.io", ("alice", "p@ss"))
    assert "p@ss" not in repr(store) and "p%40ss" not in repr(store)
    Neo4jStore("bolt://localhost:7687", settings=settings)
    assert created[-1][:2] == ("bolt://localhost:7687", ("svc", "from-settings"))
    assert created[-1][2]["max_transaction_retry_time"] > 0


def test_open_store_picks_the_neo4j_adapter_for_neo4j_urls() -> None:
    # A real driver object: creating one does not connect, so no server is needed.
    for url in ("neo4j://localhost:7687", "bolt://localhost:7687", "neo4j+s://x.example"):
        store = open_store(url, setup=False, settings=Settings(neo4j_password="pw"))
        try:
            assert isinstance(store, Neo4jStore) and store.dialect == "neo4j"
        finally:
            store.close()


def test_a_malformed_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="neo4j://host:7687"):
        Neo4jStore("neo4j://localhost:notaport", settings=Settings())
