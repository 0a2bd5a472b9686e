"""Neo4j adapter: Neo4j 5.26 LTS, 2025+ releases and Aura through the official ``neo4j`` driver.

Kept thin on purpose, because no Neo4j server runs where this is developed: every call is one of
the driver's documented entry points, and everything around them (query building, result mapping,
error mapping, retries) is plain Python that the unit tests drive with a fake driver object.

- Reads: ``driver.execute_query(..., routing_=READ, database_=...)``, so a cluster or Aura
  sends them to a reader.
- Writes: managed transactions (``session.execute_write``); the driver retries transient faults.
  An :class:`~neo4j.exceptions.IncompleteCommit` (the connection died while the commit was in
  flight, so nobody knows whether it landed) is *not* retried by the driver. We re-run the
  statement only when it is idempotent (``MERGE`` on a unique key, ``SET``, ``DELETE``); a
  statement with a ``CREATE`` clause is never re-run blindly (a commit that did land would make
  the second run fail on the unique id, or create a twin): the caller is told to check first.
- Causal consistency: one bookmark manager serves reads (``execute_query``), writes and ad-hoc
  sessions, so on a cluster or Aura a read right after a write sees it.
- Untrusted reads (:meth:`Neo4jStore.read_only`): ``EXPLAIN`` first, refused unless the planner
  calls the query read-only and the plan holds no procedure call, no ``LOAD CSV`` and no
  administration command (``SHOW ...``, ``TERMINATE TRANSACTIONS``); then run in an explicit READ
  transaction with a timeout, at most ``row_cap + 1`` records pulled, then rolled back
  explicitly. With ``SCALEUP_NEO4J_ADHOC_USER`` set, both run as that (read-only) database user.
- Schema: named constraints and indexes with ``IF NOT EXISTS``, recorded as a ``:_Migration``
  node whose version is a hash of the statements, so a schema change is applied once.

Server messages can quote property values (personal data), so only messages that echo query
text are passed on; every other error becomes our own sentence with the Neo4j status code.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, LiteralString, TypeVar, cast
from urllib.parse import unquote, urlsplit, urlunsplit

from neo4j import READ_ACCESS, GraphDatabase, Query, RoutingControl, unit_of_work
from neo4j.api import BookmarkManager
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.graph import Node, Path, Relationship

from scaleup_graph.graph_model import DERIVED_FIELDS, KEY, NODE_TYPES, REL_TYPES, SEARCH_TEXT
from scaleup_graph.settings import Settings, get_settings
from scaleup_graph.store import cypher
from scaleup_graph.store.base import (
    GraphStore,
    QueryRejected,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
    searchable_labels,
)

__all__ = [
    "MIGRATION_LABEL",
    "Neo4jStore",
    "admin_command",
    "convert",
    "creates",
    "map_error",
    "plan_operators",
    "privilege_statements",
    "schema_statements",
    "schema_version",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: System label of the migrations record; ``clear()`` keeps these nodes because it keeps the
#: constraints they describe.
MIGRATION_LABEL = "_Migration"

#: Plan operators an ad-hoc query may not contain, whatever the planner's query type says.
FORBIDDEN_OPERATORS = frozenset({"ProcedureCall", "LoadCSV"})
#: Plan operators of administration commands (ShowTransactions, TerminateTransactions,
#: ShowSettings, ShowFunctions, ShowProcedures, ShowIndexes, ShowConstraints, ...).
_ADMIN_OPERATOR = re.compile(r"^(Show|Terminate)[A-Z]")
#: Statement words that begin administration commands (SHOW TRANSACTIONS, TERMINATE
#: TRANSACTIONS, SHOW SETTINGS, GRANT ...); looked for in the code outside strings and comments,
#: because Cypher 25 may combine SHOW/TERMINATE TRANSACTIONS with ordinary clauses.
_ADMIN_WORDS = frozenset(
    {"SHOW", "TERMINATE", "GRANT", "DENY", "REVOKE", "ALTER", "DEALLOCATE", "REALLOCATE", "DRYRUN"}
)
#: Words that may follow a variable of the same name as an administration word
#: (``MATCH (grant) WITH grant AS g``): after these it is not a command.
_NOT_AN_OBJECT = frozenset(
    {"AS", "RETURN", "WHERE", "WITH", "ORDER", "LIMIT", "SKIP", "UNION", "AND", "OR", "XOR",
     "IS", "IN", "STARTS", "ENDS", "CONTAINS", "MATCH", "OPTIONAL", "CALL", "UNWIND", "SET",
     "ASC", "ASCENDING", "DESC", "DESCENDING", "OFFSET", "FINISH", "NEXT", "FILTER", "LET"}
)  # fmt: skip
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.DOTALL)
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\S")


def _keywords(query: str) -> list[tuple[str, str, str]]:
    """Each word of the code (strings, comments, quoted names removed) as (before, WORD, after):
    the neighbouring tokens tell a keyword from a property key (``n.show``, ``{show: 1}``)."""
    code = _COMMENTS.sub(" ", _STRINGS.sub(" '' ", query))
    tokens = _TOKEN.findall(code)
    out = []
    for i, token in enumerate(tokens):
        if token[0].isalpha() or token[0] == "_":
            before = tokens[i - 1] if i else ""
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            if before not in (".", "$", ":") and after != ":":
                out.append((before.upper(), token.upper(), after.upper()))
    return out


def admin_command(query: str) -> str | None:
    """The administration command word in ``query``, if it has one: an administration word
    followed by the name of what it acts on (``SHOW TRANSACTIONS``, ``GRANT ROLE``), so a
    variable called ``grant`` or ``show`` is not one.

    >>> admin_command("SHOW TRANSACTIONS YIELD transactionId RETURN transactionId")
    'SHOW'
    >>> admin_command("MATCH (n) WHERE n.show = 'SHOW SETTINGS' RETURN n {show: 1}") is None
    True
    >>> admin_command("MATCH (grant)-[:FUNDS]->(p) WITH grant AS g RETURN g") is None
    True
    """
    return next(
        (
            word
            for _, word, after in _keywords(query)
            if word in _ADMIN_WORDS and after[:1].isalpha() and after not in _NOT_AN_OBJECT
        ),
        None,
    )


def creates(query: str) -> bool:
    """Whether ``query`` has a ``CREATE`` clause (not ``ON CREATE SET``, not schema DDL): run
    twice, it would create twice, so it is not retried blindly.

    >>> creates("MATCH (o {id: $o}) CREATE (c:Challenge) SET c = $props")
    True
    >>> creates("MERGE (n:Topic {id: $id}) ON CREATE SET n.created = $now")
    False
    """
    # A CREATE clause is always followed by a pattern; DDL by a word (CONSTRAINT, INDEX ...).
    return any(
        word == "CREATE" and before != "ON" and after == "("
        for before, word, after in _keywords(query)
    )


_CLEAR_BATCH = 10_000
#: Status codes whose server message only repeats the query text (never a stored value).
_ECHO_CODES = frozenset(
    {
        "Neo.ClientError.Statement.SyntaxError",
        "Neo.ClientError.Statement.ParameterMissing",
        "Neo.ClientError.Statement.SemanticError",
    }
)


# --- schema ----------------------------------------------------------------------------------


def _name(*parts: str) -> str:
    return "scaleup_" + "_".join(re.sub(r"[^a-z0-9]+", "_", p.lower()).strip("_") for p in parts)


#: Labels no ad-hoc query may see: the suppression list of erased persons, the editing history
#: (old values, personal ones included) and the migrations record.
SYSTEM_LABELS = (cypher.SUPPRESSED_LABEL, cypher.HISTORY_LABEL, MIGRATION_LABEL)


def _ident(name: str) -> str:
    """A name quoted as a Cypher identifier (database and role names may hold ``-``)."""
    return "`" + name.replace("`", "``") + "`"


def privilege_statements(
    database: str = "neo4j",
    reader_role: str = "scaleup_reader",
    redacted_role: str = "scaleup_redacted",
) -> list[str]:
    """The roles ad-hoc Cypher runs as on Neo4j Enterprise or Aura, generated from the schema
    (run them against the ``system`` database; docs/neo4j.md).

    Both roles may read the graph but never see the system labels (:data:`SYSTEM_LABELS`): the
    suppression list is out of reach of every ad-hoc query, with no copy or second store. Both
    are denied, by property-based access control, every node in draft (a key with contacts but
    without editor runs as the reader; ad-hoc Cypher on Neo4j shows no draft to anyone, editors
    see drafts through the API). The redacted role (``SCALEUP_NEO4J_REDACTED_USER``, keys
    without contacts) is also denied every personal property and every relationship between
    persons: the server treats them as absent, so a filter, a sort or an aggregate on them
    finds nothing (the guarantee of FalkorDB's copies, store/views.py).

    >>> rules = privilege_statements()
    >>> "DENY MATCH {*} ON GRAPH `neo4j` NODES _Suppressed TO `scaleup_reader`" in rules
    True
    >>> [r for r in rules if "RELATIONSHIPS" in r]
    ['DENY MATCH {*} ON GRAPH `neo4j` RELATIONSHIPS KNOWS TO `scaleup_redacted`']
    """
    graph = f"GRAPH {_ident(database)}"
    out: list[str] = []
    for role in (reader_role, redacted_role):
        name = _ident(role)
        out += [
            f"CREATE ROLE {name} IF NOT EXISTS",
            f"GRANT ACCESS ON DATABASE {_ident(database)} TO {name}",
            f"GRANT MATCH {{*}} ON {graph} TO {name}",
            *(f"DENY MATCH {{*}} ON {graph} NODES {label} TO {name}" for label in SYSTEM_LABELS),
        ]
    for role in (reader_role, redacted_role):
        for label, node_type in NODE_TYPES.items():
            if node_type.draft:
                prop, value = node_type.draft
                out.append(
                    f"DENY TRAVERSE ON {graph} FOR (n:{label}) WHERE n.{prop} = '{value}' "
                    f"TO {_ident(role)}"
                )
    redacted = _ident(redacted_role)
    for label, node_type in NODE_TYPES.items():
        if node_type.pii_fields:
            fields = ", ".join(sorted(node_type.pii_fields))
            out.append(f"DENY READ {{{fields}}} ON {graph} NODES {label} TO {redacted}")
    for type_, rel_type in REL_TYPES.items():
        if rel_type.personal:
            out.append(f"DENY MATCH {{*}} ON {graph} RELATIONSHIPS {type_} TO {redacted}")
    return out


def schema_statements() -> list[str]:
    """The DDL that :meth:`Neo4jStore.setup_schema` runs, in order; every statement is named and
    idempotent (``IF NOT EXISTS``).

    A unique constraint per label's key (it also gives MERGE its index), an index on ``name``
    where the label has one (search, sorting), and keys for the two system labels.

    >>> statements = schema_statements()
    >>> statements[0]
    'CREATE CONSTRAINT scaleup_organisation_id IF NOT EXISTS FOR (n:`Organisation`) REQUIRE n.id IS UNIQUE'
    >>> all("IF NOT EXISTS" in s for s in statements)
    True
    """  # noqa: E501 - a doctest line
    out = [
        f"CREATE CONSTRAINT {_name(lbl, KEY)} IF NOT EXISTS "
        f"FOR (n:{cypher.label(lbl)}) REQUIRE n.{KEY} IS UNIQUE"
        for lbl in NODE_TYPES
    ]
    out += [
        f"CREATE INDEX {_name(lbl, 'name')} IF NOT EXISTS FOR (n:{cypher.label(lbl)}) ON (n.name)"
        for lbl, nt in NODE_TYPES.items()
        if nt.prop("name") is not None
    ]
    # Full-text indexes on the folded search text: the whitespace analyzer keeps its tokens
    # as they are (already lower-case and folded) and drops no stop words.
    out += [
        f"CREATE FULLTEXT INDEX {cypher.fulltext_index_name(lbl)} IF NOT EXISTS "
        f"FOR (n:{cypher.label(lbl)}) ON EACH [n.{SEARCH_TEXT}] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}"
        for lbl in searchable_labels()
    ]
    out.append(
        f"CREATE INDEX {_name('history', 'node')} IF NOT EXISTS "
        f"FOR (n:{cypher.HISTORY_LABEL}) ON (n.node)"
    )
    out.append(
        f"CREATE CONSTRAINT {_name('suppressed', 'hash')} IF NOT EXISTS "
        f"FOR (n:{cypher.SUPPRESSED_LABEL}) REQUIRE n.hash IS UNIQUE"
    )
    out.append(
        f"CREATE CONSTRAINT {_name('migration', 'version')} IF NOT EXISTS "
        f"FOR (n:{MIGRATION_LABEL}) REQUIRE n.version IS UNIQUE"
    )
    return out


def schema_version(statements: list[str] | None = None) -> str:
    """The migration version of a set of statements: it changes whenever the schema does."""
    text = "\n".join(schema_statements() if statements is None else statements)
    return "schema-" + hashlib.sha256(text.encode()).hexdigest()[:12]


_MIGRATION_DONE = f"MATCH (m:{MIGRATION_LABEL} {{version: $version}}) RETURN m.version AS version"
_RECORD_MIGRATION = (
    f"MERGE (m:{MIGRATION_LABEL} {{version: $version}}) "
    "ON CREATE SET m.applied_at = $now, m.statements = $statements, m.description = $description"
)
_CLEAR = (
    f"MATCH (n) WHERE NOT n:{MIGRATION_LABEL} WITH n LIMIT $limit "
    "DETACH DELETE n RETURN count(*) AS deleted"
)


# --- result mapping --------------------------------------------------------------------------


def _labels(node: Node) -> list[str]:
    # Neo4j gives a set; the schema's primary label first, then the rest sorted, so the order
    # is stable and matches how FalkorDB reports the labels it was given.
    labels = set(node.labels)
    primary = [lbl for lbl in NODE_TYPES if lbl in labels]
    return primary + sorted(labels - set(primary))


def _node(node: Node) -> dict[str, Any]:
    # without the derived search keys, as FalkorDB's adapter (the schema's ``derived`` flag)
    props = {k: convert(v) for k, v in node.items() if k not in DERIVED_FIELDS}
    return {**props, "_labels": _labels(node)}


def _relationship(rel: Relationship) -> dict[str, Any]:
    out: dict[str, Any] = {k: convert(v) for k, v in rel.items()}
    out["_type"] = rel.type
    # Endpoints are only known when the result carried their properties (a path, or the nodes
    # returned beside the relationship); otherwise the keys are left out, as FalkorDB does.
    for key, node in (("_start", rel.start_node), ("_end", rel.end_node)):
        if node is not None and node.get(KEY) is not None:
            out[key] = node.get(KEY)
    return out


def convert(value: Any) -> Any:
    """A driver value as plain Python in the port's shapes.

    Nodes become ``{props..., "_labels": [...]}``, relationships ``{props..., "_type",
    "_start", "_end"}``, paths ``{"nodes": [...], "relationships": [...]}``; Neo4j temporal
    values become ISO 8601 strings (the schema stores dates as strings).
    """
    if isinstance(value, Node):
        return _node(value)
    if isinstance(value, Relationship):
        return _relationship(value)
    if isinstance(value, Path):
        return {
            "nodes": [_node(n) for n in value.nodes],
            "relationships": [_relationship(r) for r in value.relationships],
        }
    if isinstance(value, list | tuple):
        return [convert(v) for v in value]
    if isinstance(value, dict):
        return {k: convert(v) for k, v in value.items()}
    iso = getattr(value, "iso_format", None)
    if callable(iso):  # neo4j.time Date, DateTime, Time, Duration
        return iso()
    return value


def _rows(records: Any) -> list[dict[str, Any]]:
    return [{k: convert(v) for k, v in record.items()} for record in records]


# --- error mapping ---------------------------------------------------------------------------


def map_error(exc: Exception, *, where: str = "Neo4j") -> StoreError:
    """Our error for a driver error, with a sentence that says what to do and no stored values."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, IncompleteCommit):
        return StoreUnavailable(
            f"the connection to {where} was lost while a write was committing; "
            "run the same command again (writes are idempotent)"
        )
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return StoreUnavailable(
            f"cannot reach {where}; check that it runs (docker compose up -d --wait) and that "
            "SCALEUP_DATABASE_URL points at it"
        )
    if isinstance(exc, AuthError):
        return StoreError(
            f"{where} refused the credentials; set SCALEUP_NEO4J_USER and SCALEUP_NEO4J_PASSWORD "
            "(or put them in the URL: neo4j://user:password@host:7687)"
        )
    if isinstance(exc, ConfigurationError):
        return StoreError(f"the Neo4j connection settings are invalid: {exc}")
    if isinstance(exc, Neo4jError):
        return _map_server_error(exc, where)
    if isinstance(exc, DriverError):
        return StoreError(f"the Neo4j driver failed ({type(exc).__name__}); see the server log")
    if isinstance(exc, ValueError):  # the driver's check of a malformed URL
        return StoreError(f"the Neo4j URL is invalid: {exc}; use neo4j://host:7687")
    return StoreError(f"unexpected Neo4j error ({type(exc).__name__})")


def _map_server_error(exc: Neo4jError, where: str) -> StoreError:
    code = exc.code or ""
    if "TransactionTimedOut" in code:
        return QueryTimeout("the query ran past its time limit and was stopped")
    if code in ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.Security.Forbidden"):
        return QueryRejected("only read queries are allowed here")
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return StoreError(
            f"the database does not exist on {where}; set SCALEUP_NEO4J_DATABASE "
            "(Neo4j Community and Aura Free have only 'neo4j')"
        )
    if code == "Neo.DatabaseError.Schema.ConstraintCreationFailed":
        return StoreError(
            "cannot create a unique-key constraint: the database already holds nodes with the "
            "same label and id; remove the duplicates, then start again"
        )
    if code == "Neo.ClientError.Schema.ConstraintValidationFailed":
        return StoreError("a write would have created a second node with an existing key")
    if isinstance(exc, TransientError):
        return StoreUnavailable(f"{where} is busy or restarting ({code}); try again shortly")
    if code in _ECHO_CODES:
        return StoreError(f"Neo4j refused the query: {exc.message}")
    return StoreError(f"Neo4j refused the query ({code}); the server log has the details")


# --- the adapter -----------------------------------------------------------------------------


def _text(query: str) -> LiteralString:
    # The driver types query text as LiteralString to discourage string building. Ours comes
    # from store/cypher.py, the query catalogue or an analyst; values are always parameters.
    return cast(LiteralString, query)


def _seconds(timeout_ms: int | None) -> float | None:
    return None if timeout_ms is None else max(timeout_ms, 1) / 1000


def plan_operators(plan: Mapping[str, Any] | None) -> set[str]:
    """Every operator name in an EXPLAIN plan, without the ``@database`` suffix.

    >>> sorted(plan_operators({"operatorType": "ProduceResults@neo4j",
    ...                        "children": [{"operatorType": "ProcedureCall@neo4j"}]}))
    ['ProcedureCall', 'ProduceResults']
    """
    found: set[str] = set()
    stack = [plan] if plan else []
    while stack:
        node = stack.pop()
        found.add(str(node.get("operatorType", "")).split("@", 1)[0])
        stack.extend(node.get("children") or [])
    return found


_LEADING = re.compile(r"^\s*(?://[^\n]*\n\s*|/\*.*?\*/\s*)*", re.S)


def _split_credentials(url: str) -> tuple[str, str | None, str | None]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return clean, user, password


class Neo4jStore(GraphStore):
    """The ScaleUp graph in one Neo4j database.

    Parameters
    ----------
    url
        ``neo4j://``, ``neo4j+s://`` (Aura), ``bolt://`` ...; credentials in the URL win over
        ``settings.neo4j_user`` / ``settings.neo4j_password``.
    settings
        Where the credentials and the database name come from.
    database
        The database name (default ``settings.neo4j_database``).
    driver
        An already created driver (tests pass a fake); by default one is created and owned.
    max_retry_time_s
        How long the driver keeps retrying transient faults of one transaction.
    commit_retries
        How many times a write is run when the commit's outcome was unknown.
    """

    dialect = "neo4j"

    def __init__(
        self,
        url: str,
        *,
        settings: Settings | None = None,
        database: str | None = None,
        driver: Any | None = None,
        max_retry_time_s: float = 15.0,
        commit_retries: int = 3,
    ) -> None:
        settings = settings or get_settings()
        try:
            self.url, user, password = _split_credentials(url)
        except ValueError as exc:
            raise StoreError(f"the Neo4j URL is invalid ({exc}); use neo4j://host:7687") from None
        self.database = database or settings.neo4j_database
        self._where = f"Neo4j at {self.url} (database {self.database!r})"
        self._commit_retries = max(commit_retries, 1)
        user = user or settings.neo4j_user
        adhoc_user = settings.neo4j_adhoc_user.strip()
        adhoc_password = settings.neo4j_adhoc_password.get_secret_value()
        if adhoc_user and not adhoc_password:
            raise StoreError(
                "SCALEUP_NEO4J_ADHOC_USER is set but SCALEUP_NEO4J_ADHOC_PASSWORD is not; "
                "set both (docs/neo4j.md shows how to create the read-only user)"
            )
        #: ad-hoc queries run as this read-only database user (session auth, Neo4j 5.5+)
        self._adhoc_auth = (adhoc_user, adhoc_password) if adhoc_user else None
        redacted_user = settings.neo4j_redacted_user.strip()
        redacted_password = settings.neo4j_redacted_password.get_secret_value()
        if redacted_user and not redacted_password:
            raise StoreError(
                "SCALEUP_NEO4J_REDACTED_USER is set but SCALEUP_NEO4J_REDACTED_PASSWORD is not; "
                "set both (docs/neo4j.md: scaleup neo4j privileges)"
            )
        #: ad-hoc queries of keys without contacts run as this user, whose role the server
        #: denies personal properties, KNOWS, drafts and system labels (Enterprise/Aura)
        self._redacted_auth = (redacted_user, redacted_password) if redacted_user else None
        self._user = user
        self._warned_adhoc_user = False
        if driver is None:
            password = password or settings.neo4j_password.get_secret_value()
            auth = (user, password) if password else None
            try:
                driver = GraphDatabase.driver(
                    self.url,
                    auth=auth,
                    max_transaction_retry_time=max_retry_time_s,
                    connection_timeout=10.0,
                    connection_acquisition_timeout=30.0,
                    notifications_min_severity="WARNING",
                    user_agent="scaleup-graph",
                )
            except Exception as exc:  # noqa: BLE001 - every driver failure becomes our error
                raise map_error(exc, where=self._where) from None
        self._driver = driver
        # One bookmark manager for every read, write and ad-hoc session: on a cluster or Aura
        # a read then waits until the server it lands on has seen this process's last write.
        self._bookmarks: BookmarkManager = GraphDatabase.bookmark_manager()
        self._closed = False

    def __repr__(self) -> str:
        return f"Neo4jStore({self.url}, database={self.database!r})"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - mapped, never passed through raw
            mapped = map_error(exc, where=self._where)
            log.debug(
                "neo4j error %s mapped to %s",
                getattr(exc, "code", type(exc).__name__),
                type(mapped).__name__,
            )
            raise mapped from None

    # -- primitives ---------------------------------------------------------------------------

    def read(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        with self._errors():
            result = self._driver.execute_query(
                Query(_text(query), timeout=_seconds(timeout_ms)),
                dict(params or {}),
                routing_=RoutingControl.READ,
                database_=self.database,
                bookmark_manager_=self._bookmarks,
            )
            return _rows(result.records)

    def write(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        @unit_of_work(timeout=_seconds(timeout_ms))
        def work(tx: Any) -> list[dict[str, Any]]:
            return _rows(tx.run(_text(query), dict(params or {})))

        return self._write_tx(work, idempotent=not creates(query))

    def _write_tx(self, work: Callable[[Any], T], *, idempotent: bool) -> T:
        self.note_write()
        with self._errors():
            for attempt in range(1, self._commit_retries + 1):
                try:
                    with self._driver.session(
                        database=self.database, bookmark_manager=self._bookmarks
                    ) as session:
                        return cast(T, session.execute_write(work))
                except IncompleteCommit:
                    if not idempotent:
                        raise StoreUnavailable(
                            f"the connection to {self._where} was lost while a new record was "
                            "being saved, so it may or may not have been saved; look it up "
                            "before you submit it again"
                        ) from None
                    if attempt == self._commit_retries:
                        raise
                    log.warning(
                        "connection lost while committing a write (attempt %d of %d); "
                        "running the idempotent batch again",
                        attempt,
                        self._commit_retries,
                    )
        raise AssertionError("unreachable")  # pragma: no cover

    def read_only(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_cap: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        return self._read_only(query, params, timeout_ms, row_cap, self._adhoc_auth)

    def read_only_redacted(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_cap: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        """:meth:`read_only` as ``SCALEUP_NEO4J_REDACTED_USER``: the server itself hides what
        its role is denied (:func:`privilege_statements`), so a filter or sort on a personal
        property sees nothing. Without that user: refused, as on every store without a
        redacted copy."""
        if self._redacted_auth is None:
            return super().read_only_redacted(query, params, timeout_ms=timeout_ms, row_cap=row_cap)
        return self._read_only(query, params, timeout_ms, row_cap, self._redacted_auth)

    def _read_only(
        self,
        query: str,
        params: Mapping[str, Any] | None,
        timeout_ms: int,
        row_cap: int,
        auth: tuple[str, str] | None,
    ) -> tuple[list[dict[str, Any]], bool]:
        body = _LEADING.sub("", query)
        if re.match(r"(?i)(EXPLAIN|PROFILE|USE)\b", body):
            raise QueryRejected("send the query without EXPLAIN, PROFILE or USE")
        command = admin_command(query)
        if command:
            raise QueryRejected(
                f"administration commands ({command} ...) are not allowed here; "
                "ask an administrator of the Neo4j server"
            )
        if auth is None and not self._warned_adhoc_user:
            self._warned_adhoc_user = True
            log.warning(
                "ad-hoc Cypher on Neo4j runs as the application user %r: set "
                "SCALEUP_NEO4J_ADHOC_USER and SCALEUP_NEO4J_ADHOC_PASSWORD to a read-only user "
                "(docs/neo4j.md)",
                self._user,
            )
        with self._errors():
            plan = self._driver.execute_query(
                Query(_text("EXPLAIN " + query), timeout=_seconds(timeout_ms)),
                dict(params or {}),
                routing_=RoutingControl.READ,
                database_=self.database,
                bookmark_manager_=self._bookmarks,
                auth_=auth,
            )
            summary = plan.summary
            if summary.query_type != "r":
                raise QueryRejected(
                    "only read queries are allowed here; this query would write "
                    f"(query type {summary.query_type!r})"
                )
            operators = plan_operators(summary.plan)
            admin = sorted(op for op in operators if _ADMIN_OPERATOR.match(op))
            if admin:
                raise QueryRejected(
                    "administration commands are not allowed here (found "
                    + ", ".join(admin)
                    + "); ask an administrator of the Neo4j server"
                )
            forbidden = operators & FORBIDDEN_OPERATORS
            if forbidden:
                raise QueryRejected(
                    "procedure calls and LOAD CSV are not allowed here (found "
                    + ", ".join(sorted(forbidden))
                    + ")"
                )
            with (
                self._driver.session(
                    database=self.database,
                    default_access_mode=READ_ACCESS,
                    fetch_size=min(row_cap + 1, 1000),
                    bookmark_manager=self._bookmarks,
                    auth=auth,
                ) as session,
                session.begin_transaction(timeout=_seconds(timeout_ms)) as tx,
            ):
                records = []
                for record in tx.run(_text(query), dict(params or {})):
                    records.append(record)
                    if len(records) > row_cap:
                        break
                rows = _rows(records)
                # Explicitly: leaving the block cleanly would commit (the driver's
                # Transaction.__exit__ does). Rolling back also stops a query that would go on
                # producing rows nobody will read.
                tx.rollback()
        return rows[:row_cap], len(rows) > row_cap

    # -- schema, health, lifecycle ------------------------------------------------------------

    def setup_schema(self) -> None:
        statements = schema_statements()
        version = schema_version(statements)
        if self.read(_MIGRATION_DONE, {"version": version}):
            return
        self._apply_schema(statements, version)

    def _apply_schema(self, statements: list[str], version: str) -> None:
        with self._errors():
            for statement in statements:
                # Schema commands go alone, each in its own auto-retried transaction.
                self._driver.execute_query(
                    Query(_text(statement)),
                    routing_=RoutingControl.WRITE,
                    database_=self.database,
                    bookmark_manager_=self._bookmarks,
                )
        self.backfill_search_text()  # graphs written before the search text existed
        self.write(
            _RECORD_MIGRATION,
            {
                "version": version,
                "now": datetime.now(UTC).isoformat(timespec="seconds"),
                "statements": len(statements),
                "description": "unique keys, name and full-text indexes, system labels",
            },
        )
        log.info("applied Neo4j schema %s (%d statements)", version, len(statements))

    def health(self) -> dict[str, Any]:
        started = time.perf_counter()
        with self._errors():
            result = self._driver.execute_query(
                Query(_text("RETURN 1 AS ok"), timeout=5.0),
                routing_=RoutingControl.READ,
                database_=self.database,
            )
        server = getattr(result.summary, "server", None)
        return {
            "store": "neo4j",
            "database": self.database,
            "server": getattr(server, "agent", None),
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }

    def clear(self) -> None:
        """Delete every node and relationship in batches; constraints, indexes and the migration
        record stay, because the schema they describe is still in place."""
        while True:
            rows = self.write(_CLEAR, {"limit": _CLEAR_BATCH})
            if not rows or int(rows[0]["deleted"]) == 0:
                return

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            try:
                self._driver.close()
            except Exception:  # closing a broken connection may fail; that is fine
                log.debug("ignored error while closing the Neo4j driver", exc_info=True)
