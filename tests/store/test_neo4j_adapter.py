"""The Neo4j adapter without a server: a fake driver object stands in for ``neo4j.Driver``.

It records every call (query text, parameters, routing, database, timeout, access mode, auth,
bookmark manager) and answers from a script, so these tests check what the adapter sends, how it
maps what comes back and how it reacts to the driver's errors. Query values must only ever
travel as parameters.

Where the fake mirrors the 6.x driver (read from its source, neo4j 6.x ``_sync/driver.py``,
``_sync/work/transaction.py``, ``_conf.py``, ``_work/summary.py``):

- ``Driver.session(**config)`` checks its keywords against the driver's own ``SessionConfig``
  and raises ``ConfigurationError("Unexpected config keys: ...")``; ``None`` values are ignored,
  as the driver ignores them. A closed driver raises ``DriverError``.
- ``Driver.execute_query`` refuses keyword parameters that end in a single ``_`` (a misspelt
  option) with ``ValueError`` and a routing value other than READ/WRITE; without
  ``bookmark_manager_`` it uses the driver's ``execute_query_bookmark_manager``.
- An explicit transaction (``session.begin_transaction()``) used as a context manager
  **commits** when the block ends without an exception and rolls back when it raises;
  ``commit()``/``rollback()`` close it, after which leaving the block does nothing more.
- ``session.execute_write(work)`` runs ``work`` with a managed transaction (no commit or
  rollback methods) and commits after it returns.
- Summaries are the driver's own ``ResultSummary`` built from the metadata a server sends
  (``type``, ``plan``, ``db``, ``server``), so ``query_type``, ``plan``, ``database``,
  ``counters`` and ``server.agent`` behave as in the driver, unknown query types included.

The tests under "the fake against the real driver" hold the fake to this: the same misuses
raise the same errors from a real (unconnected) driver object, and the same transaction bodies
make the driver's own ``Transaction`` send the same commit or rollback to a recording connection.

What the fake does NOT model: the network and Bolt protocol; the driver's retries of transient
errors inside ``execute_write``/``execute_query`` (a scripted error surfaces at once);
routing tables and clusters (bookmarks are counted, not waited for); lazy results (rows are
produced from a list, though pulled one by one so a test sees how many were consumed); fetch
size; the server's own checks (syntax, access mode, privileges, timeouts): a scripted
``Neo4jError`` stands for those.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from neo4j import READ_ACCESS, EagerResult, Record, ResultSummary, RoutingControl
from neo4j._conf import SessionConfig
from neo4j.api import ServerInfo
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    TransactionError,
)
from neo4j.graph import Graph, Node, Path, Relationship
from neo4j.time import DateTime

from scaleup_graph.errors import Forbidden
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

_SESSION_KEYS = frozenset(SessionConfig.keys())
_DEFAULT = object()


@dataclass
class Call:
    via: str  # execute_query, write_tx, read_tx
    query: str
    params: dict[str, Any]
    routing: Any = None
    database: str | None = None
    timeout: float | None = None
    access_mode: str | None = None
    auth: Any = None
    bookmark_manager: Any = None


Answer = list[Record] | Exception | tuple[list[Record], Any]
Responder = Callable[[Call], Answer]


def records(*rows: dict[str, Any]) -> list[Record]:
    return [Record(row.items()) for row in rows]


def _summary(
    query_type: str = "r", plan: dict[str, Any] | None = None, database: str = "scaleup"
) -> ResultSummary:
    """The driver's own summary object, from the metadata a Neo4j 5.26 server sends."""
    server = ServerInfo(("db.example", 7687), (5, 6))
    server.update({"server": "Neo4j/5.26.0"})
    metadata: dict[str, Any] = {"server": server, "db": database, "type": query_type}
    if plan is not None:
        metadata["plan"] = plan
    return ResultSummary(("db.example", 7687), had_key=True, had_record=True, metadata=metadata)


@dataclass
class FakeDriver:
    responder: Responder = lambda call: []
    calls: list[Call] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    closed: int = 0
    pulled: int = 0
    #: how each transaction ended, in order: (via, "commit" or "rollback", bookmark manager)
    outcomes: list[tuple[str, str, Any]] = field(default_factory=list)
    execute_query_bookmark_manager: Any = field(default_factory=object)

    def answer(self, call: Call) -> tuple[list[Record], Any]:
        self.calls.append(call)
        out = self.responder(call)
        if isinstance(out, Exception):
            raise out
        if isinstance(out, tuple):
            return out
        return out, _summary()

    def _check_open(self) -> None:
        if self.closed:
            raise DriverError("Driver closed")

    def execute_query(
        self,
        query_: Any,
        parameters_: dict[str, Any] | None = None,
        routing_: Any = RoutingControl.WRITE,
        database_: str | None = None,
        impersonated_user_: str | None = None,
        bookmark_manager_: Any = _DEFAULT,
        auth_: Any = None,
        **kwargs: Any,
    ) -> Any:
        self._check_open()
        invalid = [k for k in kwargs if k[-2:-1] != "_" and k[-1:] == "_"]
        if invalid:
            raise ValueError(f"keyword parameters must not end with a single '_'. Found: {invalid}")
        if routing_ not in (RoutingControl.READ, RoutingControl.WRITE):
            raise ValueError(f"Invalid routing control value: {routing_!r}")
        if bookmark_manager_ is _DEFAULT:
            bookmark_manager_ = self.execute_query_bookmark_manager
        text = getattr(query_, "text", query_)
        rows, summary = self.answer(
            Call(
                "execute_query",
                text,
                dict(parameters_ or {}, **kwargs),
                routing_,
                database_,
                getattr(query_, "timeout", None),
                READ_ACCESS if routing_ == RoutingControl.READ else "WRITE",
                auth_,
                bookmark_manager_,
            )
        )
        self.outcomes.append(("execute_query", "commit", bookmark_manager_))
        return EagerResult(rows, summary, list(rows[0].keys()) if rows else [])

    def session(self, **config: Any) -> FakeSession:
        self._check_open()
        unexpected = [k for k, v in config.items() if v is not None and k not in _SESSION_KEYS]
        if unexpected:
            raise ConfigurationError("Unexpected config keys: " + ", ".join(unexpected))
        self.sessions.append(config)
        return FakeSession(self, config)

    def close(self) -> None:
        self.closed += 1


@dataclass
class FakeTx:
    session: FakeSession
    via: str
    timeout: float | None = None
    managed: bool = False
    closed: bool = False

    def run(self, query: str, parameters: dict[str, Any] | None = None) -> Iterator[Record]:
        if self.closed:
            raise TransactionError(self, "Transaction closed")
        config = self.session.config
        rows, _ = self.session.driver.answer(
            Call(
                self.via,
                query,
                dict(parameters or {}),
                None,
                config.get("database"),
                self.timeout,
                config.get("default_access_mode", "WRITE"),
                config.get("auth"),
                config.get("bookmark_manager"),
            )
        )

        def stream() -> Iterator[Record]:
            for row in rows:
                self.session.driver.pulled += 1
                yield row

        return stream()

    def commit(self) -> None:
        if self.managed or self.closed:
            raise TransactionError(self, "Transaction closed")
        self._commit()

    def rollback(self) -> None:
        if self.managed or self.closed:
            raise TransactionError(self, "Transaction closed")
        self._end("rollback")

    def _commit(self) -> None:
        self._end("commit")

    def _end(self, outcome: str) -> None:
        self.closed = True
        manager = self.session.config.get("bookmark_manager")
        self.session.driver.outcomes.append((self.via, outcome, manager))

    def __enter__(self) -> FakeTx:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        # As the driver's Transaction._exit: commit on a clean exit, roll back on an error.
        if self.closed:
            return
        self._end("commit" if exc_type is None else "rollback")


@dataclass
class FakeSession:
    driver: FakeDriver
    config: dict[str, Any]

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute_write(self, work: Callable[..., Any], *args: Any) -> Any:
        tx = FakeTx(self, "write_tx", getattr(work, "timeout", None), managed=True)
        result = work(tx, *args)
        tx._commit()
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
    assert [o[:2] for o in driver.outcomes] == [("write_tx", "commit")]


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
            "props": {
                "name": "O'Brien; DROP",
                "name_fold": "o'brien; drop",
                "search_text": "o'brien; drop ~ rien ien rop",
            },
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
    # rolled back explicitly: the driver's Transaction.__exit__ would commit on a clean exit
    assert [o[:2] for o in driver.outcomes] == [
        ("execute_query", "commit"),  # the EXPLAIN, as execute_query runs it
        ("read_tx", "rollback"),
    ]


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
    assert all(
        " IF NOT EXISTS " in s and s.split(" IF NOT EXISTS ")[0].split()[-1].startswith("scaleup_")
        for s in statements
    )
    assert any(
        s.startswith("CREATE FULLTEXT INDEX scaleup_organisation_search") for s in statements
    )
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


# --- the fake against the real driver ----------------------------------------------------------


def _real_driver() -> Any:
    from neo4j import GraphDatabase

    # Creating a driver does not connect; these misuses fail before any network traffic.
    return GraphDatabase.driver("neo4j://localhost:1", auth=("neo4j", "password"))


@pytest.mark.parametrize(
    ("misuse", "error"),
    [
        (lambda d: d.session(databse="x"), ConfigurationError),
        (lambda d: d.session(default_acces_mode=READ_ACCESS), ConfigurationError),
        (lambda d: d.execute_query("RETURN 1", databse_="x"), ValueError),
        (lambda d: d.execute_query("RETURN 1", routing_="READ"), ValueError),
    ],
)
def test_the_fake_refuses_what_the_driver_refuses(
    misuse: Callable[[Any], Any], error: type[Exception]
) -> None:
    real = _real_driver()
    try:
        with pytest.raises(error):
            misuse(real)
    finally:
        real.close()
    with pytest.raises(error):
        misuse(FakeDriver())


def test_the_fake_takes_every_session_keyword_the_adapter_uses() -> None:
    real, fake = _real_driver(), FakeDriver()
    config = {
        "database": "scaleup",
        "default_access_mode": READ_ACCESS,
        "fetch_size": 10,
        "bookmark_manager": object(),
        "auth": ("reader", "pw"),
    }
    try:
        real.session(**config).close()
    finally:
        real.close()
    fake.session(**config)
    with pytest.raises(DriverError):
        fake.close() or fake.session()


def test_an_explicit_transaction_commits_on_a_clean_exit_as_the_driver_does() -> None:
    driver = FakeDriver()
    session = driver.session(database="x", bookmark_manager=None)
    with session.begin_transaction() as tx:
        list(tx.run("RETURN 1"))
    with pytest.raises(RuntimeError), session.begin_transaction() as tx:
        raise RuntimeError("boom")
    with session.begin_transaction() as tx:
        tx.rollback()
    assert [o[1] for o in driver.outcomes] == ["commit", "rollback", "rollback"]
    with pytest.raises(TransactionError):
        tx.run("RETURN 1")


def _real_transaction_outcomes(body: Callable[[Any], None]) -> list[str]:
    """What the driver's own ``Transaction`` sends to its connection when used as ``body``
    does; the connection is a recorder, so no server is needed."""
    from unittest.mock import MagicMock

    from neo4j import Transaction

    connection = MagicMock()
    connection.defunct.return_value = False
    connection.closed.return_value = False
    connection.is_reset = False
    tx = Transaction(connection, 100, None, lambda: None, lambda exc: None, lambda: None, None)
    with contextlib.suppress(RuntimeError):
        body(tx)
    return [c[0] for c in connection.method_calls if c[0] in ("commit", "rollback")]


def _clean(tx: Any) -> None:
    with tx:
        pass


def _raises(tx: Any) -> None:
    with tx:
        raise RuntimeError("boom")


def _rolls_back(tx: Any) -> None:
    with tx:
        tx.rollback()


@pytest.mark.parametrize(
    ("body", "outcome"), [(_clean, "commit"), (_raises, "rollback"), (_rolls_back, "rollback")]
)
def test_the_fake_transaction_ends_as_the_drivers_own(
    body: Callable[[Any], None], outcome: str
) -> None:
    assert _real_transaction_outcomes(body) == [outcome]
    driver = FakeDriver()
    with contextlib.suppress(RuntimeError):
        body(driver.session().begin_transaction())
    assert [o[1] for o in driver.outcomes] == [outcome]


def test_summaries_are_the_drivers_own() -> None:
    summary = _summary("rw", {"operatorType": "ProduceResults@neo4j"})
    assert (summary.query_type, summary.database, summary.server.agent) == (
        "rw",
        "scaleup",
        "Neo4j/5.26.0",
    )
    assert summary.counters.nodes_created == 0
    with pytest.raises(Exception, match="Unexpected query type"):
        _summary("dbms")


# --- D2: one bookmark manager ------------------------------------------------------------------


def test_reads_writes_and_adhoc_sessions_share_one_bookmark_manager() -> None:
    def respond(call: Call) -> Answer:
        if call.query.startswith("EXPLAIN "):
            return [], _summary("r", {"operatorType": "ProduceResults@neo4j"})
        return records({"n": 1})

    store, driver = make_store(respond)
    store.write("MERGE (n:`Topic` {id: $id})", {"id": "t"})
    store.read("MATCH (n:`Topic` {id: $id}) RETURN n.id AS n", {"id": "t"})
    store.read_only("MATCH (n:Topic) RETURN n.id AS n", timeout_ms=1000, row_cap=5)
    managers = {id(call.bookmark_manager) for call in driver.calls}
    assert len(managers) == 1 and None not in {c.bookmark_manager for c in driver.calls}
    assert driver.calls[1].bookmark_manager is not driver.execute_query_bookmark_manager
    assert all(manager is driver.calls[0].bookmark_manager for _, _, manager in driver.outcomes)


# --- D3: no blind retry of a CREATE ------------------------------------------------------------


def test_a_create_is_not_run_again_after_a_lost_commit() -> None:
    store, driver = make_store(lambda call: IncompleteCommit("lost while committing"))
    query = "MATCH (o {id: $o}) CREATE (c:Challenge) SET c = $props RETURN c.id AS id"
    with pytest.raises(StoreUnavailable, match="look it up before you submit it again"):
        store.write(query, {"o": "org-1", "props": {"id": "challenge-1"}})
    assert len(driver.calls) == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MATCH (o {id: $o}) CREATE (c:Challenge) SET c = $props", True),
        ("MATCH (a), (b) CREATE (a)-[:POSES]->(b)", True),
        ("create (c:ContentItem)", True),
        ("MERGE (n:Topic {id: $id}) ON CREATE SET n.at = $now", False),
        ("MERGE (n:Topic {id: $id})\nON\n  CREATE SET n.at = $now", False),
        ("CREATE CONSTRAINT x IF NOT EXISTS FOR (n:T) REQUIRE n.id IS UNIQUE", False),
        ("CREATE INDEX x IF NOT EXISTS FOR (n:T) ON (n.name)", False),
        ("MATCH (n) WHERE n.note = 'CREATE (x)' SET n.create = 1", False),
        ("MATCH (n) // CREATE (x)\nDETACH DELETE n", False),
        ("MATCH (create) RETURN create", False),
    ],
)
def test_what_counts_as_a_create(query: str, expected: bool) -> None:
    assert adapter.creates(query) is expected


# --- D4: the ad-hoc path ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SHOW TRANSACTIONS",
        "show transactions yield transactionId, currentQuery return *",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-7'",
        "SHOW SETTINGS YIELD name, value",
        "SHOW USERS",
        "SHOW PROCEDURES",
        "CYPHER 25 MATCH (n) WITH count(n) AS c SHOW TRANSACTIONS",
        "/* hi */ SHOW CURRENT USER",
        "GRANT ROLE admin TO scaleup_reader",
    ],
)
def test_adhoc_refuses_administration_commands_before_sending_them(query: str) -> None:
    store, driver = make_store()
    with pytest.raises(QueryRejected, match="administration commands"):
        store.read_only(query, timeout_ms=1000, row_cap=5)
    assert driver.calls == []


@pytest.mark.parametrize(
    "operator", ["ShowTransactions", "TerminateTransactions", "ShowSettings", "ShowFunctions"]
)
def test_adhoc_refuses_administration_commands_the_plan_shows(operator: str) -> None:
    plan = {
        "operatorType": "ProduceResults@neo4j",
        "children": [{"operatorType": f"{operator}@neo4j", "children": []}],
    }
    store, driver = make_store(lambda call: ([], _summary("r", plan)))
    with pytest.raises(QueryRejected, match=operator):
        store.read_only("MATCH (n) RETURN n", timeout_ms=1000, row_cap=5)
    assert [c.query[:8] for c in driver.calls] == ["EXPLAIN "]


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n) WHERE n.show = 'SHOW USERS' RETURN n {show: 1}",
        "MATCH (n) RETURN n.`show transactions` AS x",
        "MATCH (grant:Grant)-[:FUNDS]->(p) RETURN grant.name AS name, p",
        "MATCH (g) WITH g AS grant WHERE grant.amount > 1 RETURN grant",
        "WITH 1 AS show RETURN show",
        "MATCH (alter) RETURN alter ORDER BY alter.id",
    ],
)
def test_words_that_only_look_like_commands_are_let_through(query: str) -> None:
    assert adapter.admin_command(query) is None


def test_adhoc_queries_run_as_the_read_only_user_and_nothing_else_does() -> None:
    def respond(call: Call) -> Answer:
        if call.query.startswith("EXPLAIN "):
            return [], _summary("r", {"operatorType": "ProduceResults@neo4j"})
        return records({"n": 1})

    driver = FakeDriver(respond)
    settings = Settings(
        neo4j_database="scaleup", neo4j_adhoc_user="scaleup_reader", neo4j_adhoc_password="pw-1"
    )
    store = Neo4jStore("neo4j://db.example:7687", settings=settings, driver=driver)
    store.read_only("MATCH (n) RETURN 1 AS n", timeout_ms=1000, row_cap=5)
    store.read("RETURN 1 AS n")
    store.write("MERGE (n:`Topic` {id: $id})", {"id": "t"})
    assert [(c.via, c.auth) for c in driver.calls] == [
        ("execute_query", ("scaleup_reader", "pw-1")),
        ("read_tx", ("scaleup_reader", "pw-1")),
        ("execute_query", None),
        ("write_tx", None),
    ]
    assert "pw-1" not in repr(store)


def test_adhoc_of_keys_without_contacts_runs_as_the_redacted_user() -> None:
    """Issue 15, point 4: on Neo4j the server hides personal properties, KNOWS, drafts and the
    system labels from the redacted user's role (privilege_statements); the adapter only picks
    the user. Without one, keys without contacts are refused, as before."""

    def respond(call: Call) -> Answer:
        if call.query.startswith("EXPLAIN "):
            return [], _summary("r", {"operatorType": "ProduceResults@neo4j"})
        return records({"n": 1})

    driver = FakeDriver(respond)
    settings = Settings(
        neo4j_database="scaleup",
        neo4j_adhoc_user="scaleup_reader",
        neo4j_adhoc_password="pw-1",
        neo4j_redacted_user="scaleup_redacted",
        neo4j_redacted_password="pw-2",
    )
    store = Neo4jStore("neo4j://db.example:7687", settings=settings, driver=driver)
    rows, _ = store.read_only_redacted("MATCH (n) RETURN 1 AS n", timeout_ms=1000, row_cap=5)
    store.read_only("MATCH (n) RETURN 1 AS n", timeout_ms=1000, row_cap=5)
    assert rows == [{"n": 1}]
    assert [(c.via, c.auth) for c in driver.calls] == [
        ("execute_query", ("scaleup_redacted", "pw-2")),
        ("read_tx", ("scaleup_redacted", "pw-2")),
        ("execute_query", ("scaleup_reader", "pw-1")),
        ("read_tx", ("scaleup_reader", "pw-1")),
    ]
    assert "pw-2" not in repr(store)
    # the same guards: a procedure call is refused before it runs as the redacted user
    plan = {
        "operatorType": "ProduceResults@neo4j",
        "children": [{"operatorType": "ProcedureCall@neo4j", "children": []}],
    }
    refusing, _ = make_store(lambda call: ([], _summary("r", plan)))
    refusing._redacted_auth = ("scaleup_redacted", "pw-2")
    with pytest.raises(QueryRejected, match="procedure"):
        refusing.read_only_redacted("CALL db.labels()", timeout_ms=1000, row_cap=5)
    # no redacted user: refused with the hint to use a key with contacts
    plain, plain_driver = make_store(respond)
    with pytest.raises(Forbidden, match="analyst and contacts"):
        plain.read_only_redacted("MATCH (n) RETURN n", timeout_ms=1000, row_cap=5)
    assert plain_driver.calls == []
    with pytest.raises(StoreError, match="SCALEUP_NEO4J_REDACTED_PASSWORD"):
        Neo4jStore(
            "neo4j://db.example:7687",
            settings=Settings(neo4j_redacted_user="scaleup_redacted"),
            driver=FakeDriver(),
        )


def test_the_privilege_statements_cover_the_schema() -> None:
    """Every personal property, every relationship between persons, every draft flag and
    every system label of the schema has its rule; the suppression list is denied to both
    ad-hoc roles (it is out of reach of every ad-hoc query on Enterprise and Aura)."""
    from scaleup_graph.graph_model import REL_TYPES
    from scaleup_graph.store.cypher import HISTORY_LABEL, SUPPRESSED_LABEL

    rules = adapter.privilege_statements("scale-up", "reader", "redacted")
    text = "\n".join(rules)
    for label, node_type in NODE_TYPES.items():
        for field_name in node_type.pii_fields:
            assert any(
                r.startswith("DENY READ {")
                and field_name in r
                and f"NODES {label} " in r
                and r.endswith("TO `redacted`")
                for r in rules
            ), (label, field_name)
        if node_type.draft:
            rule = f"FOR (n:{label}) WHERE n.{node_type.draft[0]} = '{node_type.draft[1]}'"
            for role in ("`reader`", "`redacted`"):  # no draft in anyone's ad-hoc answers
                assert any(rule in r and r.endswith(f"TO {role}") for r in rules), role
    for type_, rel_type in REL_TYPES.items():
        assert (f"RELATIONSHIPS {type_} TO `redacted`" in text) == rel_type.personal, type_
    for role in ("`reader`", "`redacted`"):
        for label in (SUPPRESSED_LABEL, HISTORY_LABEL, adapter.MIGRATION_LABEL):
            assert f"DENY MATCH {{*}} ON GRAPH `scale-up` NODES {label} TO {role}" in rules
    assert not [r for r in rules if "reader" in r and ("DENY READ" in r or "KNOWS" in r)]


def test_an_adhoc_user_without_a_password_is_a_clear_error() -> None:
    settings = Settings(neo4j_adhoc_user="scaleup_reader")
    with pytest.raises(StoreError, match="SCALEUP_NEO4J_ADHOC_PASSWORD"):
        Neo4jStore("neo4j://db.example:7687", settings=settings, driver=FakeDriver())


def test_adhoc_without_a_read_only_user_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    def respond(call: Call) -> Answer:
        return ([], _summary("r", {"operatorType": "ProduceResults@neo4j"}))

    store, _ = make_store(respond)
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            store.read_only("MATCH (n) RETURN n", timeout_ms=1000, row_cap=5)
    assert caplog.text.count("SCALEUP_NEO4J_ADHOC_USER") == 1
