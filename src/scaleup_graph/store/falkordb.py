"""FalkorDB adapter: the embedded server (FalkorDBLite) and FalkorDB servers over TCP."""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any, TypeVar

import numpy as np
import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FPath
from falkordb.query_result import QueryResult, parse_scalar
from numpy.typing import NDArray

from scaleup_graph.errors import Conflict
from scaleup_graph.graph_model import KEY, NODE_TYPES, without_derived
from scaleup_graph.store import cypher
from scaleup_graph.store.base import (
    GraphStore,
    QueryRejected,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
    list_search_keys,
    searchable_labels,
)
from scaleup_graph.store.bulk import (
    BulkCommand,
    encode_ahead,
    encode_history,
    encode_nodes,
    encode_relationships,
)
from scaleup_graph.store.cypher import SEARCH_TEXT, SUPPRESSED_LABEL
from scaleup_graph.store.embedded import EmbeddedServer, rewrite_append_only_file
from scaleup_graph.store.parked import (
    RESTORE_SCRIPT,
    ParkRecord,
    discard_files,
    dump_path,
    read_dump,
    record_key,
)
from scaleup_graph.store.staged import StagedGraph
from scaleup_graph.store.views import (
    DRAFT_RULES,
    PURGE,
    REDACT,
    VIEWS,
    AdhocView,
    clean_up,
    delete_drafts,
    draft_ids_query,
    published_nodes_query,
    published_relationships_query,
    purge,
    restore_published,
    touches_drafts,
)

__all__ = ["PURGE", "REDACT", "FalkorDBStore", "clean_up"]

log = logging.getLogger(__name__)
T = TypeVar("T")

_EMPTY = "empty key"
_TIMED_OUT = "the query ran past its time limit and was stopped"
_RO_REFUSED = "is to be executed only on read-only queries"
_BAD_VALUE = "a parameter value holds a NUL byte or invalid unicode; remove it and try again"
_SCHEMA_REFUSED = (
    "schema and administration commands (CREATE/DROP INDEX, constraints) are not allowed in "
    "ad-hoc queries, which only read and return rows; ask the database's operator"
)
#: what the socket waits beyond a query's own time limit before it gives up on the server
SOCKET_MARGIN_S = 1.0
#: writes (ingest batches) are not bounded by the query limit; their socket waits this long
_WRITE_SOCKET_TIMEOUT_S = 120.0
#: plan operators an ad-hoc query may not contain (GRAPH.EXPLAIN names them so)
FORBIDDEN_OPERATORS = frozenset({"ProcedureCall", "Load CSV"})
#: plan operators that write (GRAPH.RO_QUERY refuses them too; the plan gives a clear message)
WRITE_OPERATORS = frozenset({"Create", "Merge", "Delete", "Update", "Foreach"})
#: the root of every plan that returns rows; schema commands (CREATE/DROP INDEX) have another
RESULTS_OPERATOR = "Results"
#: text that is not one Cypher query: server commands (GRAPH.CONFIG, GRAPH.DELETE ...) and
#: prefixes that change how the engine runs it (EXPLAIN, PROFILE, CYPHER options)
_NOT_A_QUERY = re.compile(
    r"^(?:\s|//[^\n]*(?:\n|$)|/\*.*?\*/)*(GRAPH\.\w+|EXPLAIN|PROFILE|CYPHER|USE|GRANT|DENY|"
    r"REVOKE|SHOW|ALTER|TERMINATE|(?:START|STOP)\s+DATABASE|"
    r"(?:CREATE|DROP)\s+(?:OR\s+REPLACE\s+)?(?:USER|ROLE|DATABASE|ALIAS|COMPOSITE))\b",
    re.IGNORECASE | re.DOTALL,
)


#: A write that creates or drops a full-text index (setup_schema): never replayed on a copy.
_FULLTEXT_INDEX = re.compile(r"db\.idx\.fulltext\.(create|drop)", re.IGNORECASE)
#: Sets a copy's generation only if the copy was exactly one write behind (else: rebuild).
_STEP = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "return redis.call('SET', KEYS[1], ARGV[2]) end return 0"
)
#: Counts a write whose change of structure was described (GraphStore.changing_structure_at):
#: KEYS[3], a list capped at STRUCTURE_JOURNAL entries, gets "<generation>\t<ids as JSON>" (the
#: nodes at which it changed the structure). A write that changed properties only (ARGV[1] =
#: "1") also extends KEYS[2], "base:latest": the generations from base to latest have the same
#: structure. Any other write counts the generation alone, so latest falls behind, the structure
#: token is the generation again and the journal has a gap: a write nobody described is taken as
#: a change of anything.
_COUNT_DESCRIBED = (
    "local g = redis.call('INCR', KEYS[1]) "
    "redis.call('RPUSH', KEYS[3], string.format('%d', g) .. '\t' .. ARGV[2]) "
    "redis.call('LTRIM', KEYS[3], -tonumber(ARGV[3]), -1) "
    "if ARGV[1] == '1' then "
    "local base = g - 1 "
    "local same = redis.call('GET', KEYS[2]) "
    "if same then "
    "local b, l = string.match(same, '^(%d+):(%d+)$') "
    "if l and tonumber(l) == g - 1 then base = tonumber(b) end "
    "end "
    "redis.call('SET', KEYS[2], string.format('%d:%d', base, g)) "
    "end "
    "return g"
)
#: The parts of derived data (KEYS[1], a hash) if it holds them at generation ARGV[1].
_LOAD_PARTS = (
    "if redis.call('HGET', KEYS[1], '@generation') == ARGV[1] then "
    "return redis.call('HGETALL', KEYS[1]) end return false"
)
#: Keeps parts of derived data at generation ARGV[1]: all of them instead of the hash
#: (ARGV[2] empty), or over the hash if it is at generation ARGV[2] (ARGV[3] fields dropped
#: first); returns 0 if it is at another generation, 1 if written or already at ARGV[1].
_SAVE_PARTS = (
    "local at = redis.call('HGET', KEYS[1], '@generation') "
    "if ARGV[2] ~= '' and at == ARGV[1] then return 1 end "
    "if ARGV[2] ~= '' and at ~= ARGV[2] then return 0 end "
    "if ARGV[2] == '' then redis.call('DEL', KEYS[1]) end "
    "local dropped = tonumber(ARGV[3]) "
    "for i = 4, 3 + dropped do redis.call('HDEL', KEYS[1], ARGV[i]) end "
    "for i = 4 + dropped, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end "
    "redis.call('HSET', KEYS[1], '@generation', ARGV[1]) "
    "return 1"
)
#: Drops every journal entry (KEYS[1]) whose ids name ARGV[1] (the id as JSON): a generation
#: without an entry is taken as a change of anything.
_FORGET_IN_JOURNAL = (
    "local n = 0 "
    "for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do "
    "if string.find(item, ARGV[1], 1, true) then "
    "n = n + redis.call('LREM', KEYS[1], 0, item) end end "
    "return n"
)
#: how many described writes the journal remembers (older: the overview is derived again)
STRUCTURE_JOURNAL = 512
#: How long a caller waits when the server cannot fork to copy the graph (memory pressure).
COPY_RETRY_AFTER_S = 30


def plan_operators(plan: list[str]) -> list[str]:
    """Operator names of a GRAPH.EXPLAIN answer (one indented line per operator).

    >>> plan_operators(["Results", "    Project", "        ProcedureCall"])
    ['Results', 'Project', 'ProcedureCall']
    >>> plan_operators(["Results", "    Node By Label Scan | (o:Organisation)"])
    ['Results', 'Node By Label Scan']
    """
    return [line.strip().split(" | ", 1)[0].strip() for line in plan if line.strip()]


def _node(node: Node) -> dict[str, Any]:
    # A node leaves the store without the search keys the store derived (the schema's
    # ``derived`` flag): they are the engine's, not part of any answer.
    return {**without_derived(node.properties), "_labels": list(node.labels or [])}


#: Values the driver returns as they are: checked first, without a call (a search page of 21
#: organisations holds about 230 values, most of them strings)
_SCALARS = (str, int, float, bool, type(None))


def _convert(value: Any, ids: dict[int, str] | None = None) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Node):
        return _node(value)
    if isinstance(value, Edge):
        out = {**value.properties, "_type": value.relation}
        if ids is not None:
            out["_start"] = ids.get(value.src_node)
            out["_end"] = ids.get(value.dest_node)
        return out
    if isinstance(value, FPath):
        nodes = value.nodes()
        by_internal = {n.id: n.properties.get(KEY) for n in nodes}
        return {
            "nodes": [_node(n) for n in nodes],
            "relationships": [_convert(e, by_internal) for e in value.edges()],
        }
    if isinstance(value, list):
        return [v if isinstance(v, _SCALARS) else _convert(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: v if isinstance(v, _SCALARS) else _convert(v, ids) for k, v in value.items()}
    return value


#: the compact reply's type tags (falkordb.query_result.ResultSetScalarTypes)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _NODE, _MAP = 1, 2, 3, 4, 5, 6, 8, 10


def _text(value: Any) -> str:
    # the driver's string parse: bytes decoded, anything else but text as str()
    if isinstance(value, str):
        return value
    return value.decode() if isinstance(value, bytes) else str(value)


def _property(cell: Any, graph: Any) -> Any:
    """A node property's value as the driver parses it (not converted further)."""
    kind = cell[0]
    if kind == _STRING:
        return _text(cell[1])
    if kind == _INTEGER:
        return int(cell[1])
    if kind == _NULL:
        return None
    return parse_scalar(cell, graph)


def _compact(cell: Any, graph: Any) -> Any:
    """One value of a compact reply as ``_convert(parse_scalar(cell, graph))`` gives it, in
    one walk: the driver builds an object per value (an ``OrderedDict`` per map, a ``Node``)
    that :func:`_convert` then walks and copies again (an organisation detail: 32 + 18 us of
    its 0.5 ms read at 40,000 organisations). Edges, paths, points, vectors and times go the
    driver's way."""
    kind, value = cell[0], cell[1]
    if kind == _STRING:
        return _text(value)
    if kind == _INTEGER:
        return int(value)
    if kind == _NULL:
        return None
    if kind == _ARRAY:
        return [_compact(v, graph) for v in value]
    if kind == _MAP:
        return {_text(value[i]): _compact(value[i + 1], graph) for i in range(0, len(value), 2)}
    if kind == _NODE:
        schema = graph.schema
        properties = {schema.get_property(p[0]): _property(p[1:], graph) for p in value[2]}
        labels = [schema.get_label(label) for label in value[1]]
        return {**without_derived(properties), "_labels": labels}
    if kind == _BOOLEAN:
        return (value.decode() if isinstance(value, bytes) else value) == "true"
    if kind == _DOUBLE:
        return float(value)
    return _convert(parse_scalar(cell, graph))


def _compact_rows(graph: Any, reply: Any) -> list[dict[str, Any]] | None:
    """The rows of a compact ``GRAPH.RO_QUERY`` reply (``[header, rows, statistics]``), or
    None when it is anything else (an error, statistics only): the driver's ``QueryResult``
    then raises or answers as before."""
    if not isinstance(reply, list) or len(reply) != 3:
        return None
    header, rows, stats = reply
    if isinstance(header, Exception) or isinstance(stats, Exception):
        return None
    if not isinstance(header, list) or not isinstance(rows, list) or not header:
        return None
    names = [h[1] if isinstance(h, list | tuple) else h for h in header]
    return [dict(zip(names, [_compact(cell, graph) for cell in row], strict=True)) for row in rows]


def _ints(text: Any) -> NDArray[np.int64] | None:
    """An int64 array from the engine's text of an integer list, or None if it is not one.

    >>> _ints("[3, 1, 2]").tolist(), _ints("[]").tolist(), _ints("[1, 2.5]"), _ints(7)
    ([3, 1, 2], [], None, None)
    """
    if not isinstance(text, str) or not text.startswith("[") or not text.endswith("]"):
        return None
    body = text[1:-1]
    if not body.strip():
        return np.empty(0, dtype=np.int64)
    if "." in body:
        return None
    # numpy reads up to the first value that is no integer (NULL, a string): count them
    values = np.fromstring(body, dtype=np.int64, sep=",")
    return values if len(values) == body.count(",") + 1 else None


class FalkorDBStore(GraphStore):
    """One graph in a FalkorDB server, embedded (unix socket we manage) or remote (TCP)."""

    dialect = "falkordb"

    def __init__(
        self,
        *,
        graph: str = "scaleup",
        embedded_dir: str | None = None,
        host: str | None = None,
        port: int | None = None,
        password: str | None = None,
        query_timeout_ms: int = 10_000,
        bounded_reads: bool = False,
    ) -> None:
        self.graph_name = graph
        self.server = EmbeddedServer(embedded_dir) if embedded_dir else None
        self._host, self._port, self._password = host, port, password
        self.query_timeout_ms = query_timeout_ms
        #: every read runs under the query limit (the API's store: callers never wait longer)
        self.bounded_reads = bounded_reads
        # Reads wait for the query limit plus a margin, never longer: a frozen server gives the
        # caller a timeout in that time, and a timed-out query is never sent again.
        self._socket_timeout = query_timeout_ms / 1000 + SOCKET_MARGIN_S
        self._lock = threading.Lock()
        #: each thread's own connections for reads (:meth:`_ro_query`), and all of them; a
        #: thread's go with it (a worker thread of the server's pool ends when idle: the
        #: connection is dropped with the thread's data and closes itself)
        self._local = threading.local()
        self._own: weakref.WeakSet[Any] = weakref.WeakSet()
        self._db: FalkorDB | None = None
        #: clear() dropped the indexes with the graph; the next write sets them up again
        self._schema_pending = False
        self._wdb: FalkorDB | None = None
        self._threads: int | None = None
        #: the copies ad-hoc queries run on (store/views.py), by view
        self.view_names = {view: f"{graph}__{view.suffix}" for view in VIEWS}
        #: the copy without personal properties, drafts and system nodes
        self.redacted_name = self.view_names[AdhocView(personal=False, drafts=False)]
        self._generation_key = f"scaleup:{graph}:generation"
        #: "base:latest": generations base to latest have the same structure (see
        #: _COUNT_KEEPING_STRUCTURE)
        self._same_structure_key = f"scaleup:{graph}:same-structure"
        #: the nodes each described write changed the structure at (_COUNT_DESCRIBED)
        self._journal_key = f"scaleup:{graph}:structure-journal"
        self._suppressed_key = f"scaleup:{graph}:suppressed"
        #: set while a bulk first load writes (store/bulk.py)
        self._bulk_key = f"scaleup:{graph}:bulk-load"
        self._bulk_loading = False  # set while this store runs a bulk load (its own writes pass)
        #: what ordinary ingest runs wrote into this graph (ingest/checkpoint.py)
        self._progress_key = f"scaleup:{graph}:ingest-progress"
        #: seconds of the last bulk load's steps (FalkorBulkWriter.phases), for bench/
        self.bulk_phases: dict[str, float] = {}
        #: how many times this process rebuilt a copy for ad-hoc queries (GRAPH.COPY)
        self.view_rebuilds = 0
        #: how many times this process restored a copy parked on disk (store/parked.py)
        self.view_restores = 0
        #: the embedded server went away and could not be started again (its folder cannot be
        #: loaded): the next call tries to connect again first (store/embedded.py decides
        #: whether the folder is loaded again)
        self._lost = False
        self._connect()

    def __repr__(self) -> str:
        where = self.server.directory if self.server else f"{self._host}:{self._port}"
        return f"FalkorDBStore({where}, graph={self.graph_name!r})"

    # -- connection ---------------------------------------------------------------------------

    def _client(self, socket_timeout: float) -> FalkorDB:
        # retry=None: the driver never sends a command twice (redis-py's default retries
        # would re-send a query after a socket timeout, doubling the work of a runaway query).
        connect_timeout = min(5.0, self._socket_timeout)
        if self.server is not None:
            return FalkorDB(
                unix_socket_path=str(self.server.socket),
                socket_timeout=socket_timeout,
                socket_connect_timeout=connect_timeout,
                retry=None,
            )
        return FalkorDB(
            host=self._host or "localhost",
            port=self._port or 6379,
            password=self._password,
            socket_timeout=socket_timeout,
            socket_connect_timeout=connect_timeout,
            retry=None,
        )

    def _connect(self) -> None:
        try:
            if self.server is not None:
                self.server.ensure_running()
            self._db = self._client(self._socket_timeout)
            self._wdb = self._client(max(_WRITE_SOCKET_TIMEOUT_S, self._socket_timeout))
            self._graph = self._db.select_graph(self.graph_name)
            self._wgraph = self._wdb.select_graph(self.graph_name)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise StoreUnavailable(f"cannot reach the graph database: {exc}") from None

    def _call(self, fn: Callable[[], T]) -> T:
        """Run ``fn``, mapping driver errors to ours. The embedded server is restarted once if
        it went away (a crash, a kill -9): the append-only file brings every write back.

        A timeout is never retried: the server may still be working on the command, and sending
        it again would double the load (a frozen or overloaded server answers with 504)."""
        for attempt in (1, 2):
            try:
                if self._lost:
                    with self._lock:
                        if self._lost:
                            self._connect()
                            self._lost = False
                return fn()
            except redis.TimeoutError:
                raise QueryTimeout(
                    "the graph database did not answer within the query's time limit"
                ) from None
            except redis.ConnectionError as exc:
                if self.server is not None and attempt == 1:
                    log.warning("lost the embedded database (%s); reconnecting", exc)
                    with self._lock:
                        self._disconnect()
                        try:
                            self._connect()
                        except StoreError:
                            self._lost = True
                            raise
                    continue
                raise StoreUnavailable(f"the graph database is unavailable: {exc}") from None
            except UnicodeEncodeError:  # an unpaired surrogate in a parameter value
                raise QueryRejected(_BAD_VALUE) from None
            except redis.ResponseError as exc:
                message = str(exc)
                if message.startswith("Failed to parse query parameter"):  # e.g. a NUL byte
                    raise QueryRejected(_BAD_VALUE) from None
                if "timed out" in message.lower():
                    raise QueryTimeout(
                        "the query ran past its time limit and was stopped"
                    ) from None
                if _RO_REFUSED in message:
                    raise QueryRejected("only read queries are allowed here") from None
                raise StoreError(message) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _disconnect(self) -> None:
        for conn in list(self._own):
            try:
                conn.disconnect()
            except Exception:
                log.debug("ignored error while disconnecting", exc_info=True)
        for client in (self._db, self._wdb):
            if client is not None:
                try:
                    client.connection.connection_pool.disconnect()
                except Exception:
                    log.debug("ignored error while disconnecting", exc_info=True)
        self._db = self._wdb = None

    def _command(self, *args: Any) -> Any:
        assert self._wdb is not None
        return self._wdb.connection.execute_command(*args)

    def _read_command(self, *args: Any) -> Any:
        assert self._db is not None
        return self._db.connection.execute_command(*args)

    def _ro_query(
        self, query: str, params: dict[str, Any], timeout_ms: int | None, bounded: bool
    ) -> list[dict[str, Any]]:
        """``Graph.ro_query`` on a connection of this thread's own, without redis-py's
        per-command machinery (its pool's bookkeeping and metrics, the retry wrapper): about
        0.07 ms of CPU and 0.1 ms of latency of an organisation detail's 0.6 ms read at 40,000
        organisations. The connection has the client's settings (socket, timeouts). Any
        failure but the server's error reply closes it, so a late reply is never read as the
        answer to the next command; the next command connects again."""
        db, graph = (self._db, self._graph) if bounded else (self._wdb, self._wgraph)
        assert db is not None
        pool = db.connection.connection_pool
        held: dict[bool, tuple[Any, Any]] = self._local.__dict__.setdefault("held", {})
        mine = held.get(bounded)
        if mine is None or mine[0] is not pool:  # first read of this thread, or reconnected
            conn = pool.connection_class(**pool.connection_kwargs)
            with self._lock:
                self._own.add(conn)
            mine = held[bounded] = (pool, conn)
        conn = mine[1]
        command: list[Any] = [
            "GRAPH.RO_QUERY",
            self.graph_name,
            graph._build_params_header(params) + query,  # the driver's quoting
            "--compact",
        ]
        if timeout_ms is not None:
            command += ["timeout", int(timeout_ms)]
        try:
            conn.send_command(*command)
            reply = conn.read_response()
        except redis.ResponseError:
            raise
        except BaseException:
            conn.disconnect()
            raise
        rows = _compact_rows(graph, reply)
        return self._rows(QueryResult(graph, reply)) if rows is None else rows

    def _rows(self, result: Any) -> list[dict[str, Any]]:
        header = [h[1] if isinstance(h, list | tuple) else h for h in result.header]
        return [
            dict(
                zip(
                    header,
                    [v if isinstance(v, _SCALARS) else _convert(v) for v in row],
                    strict=True,
                )
            )
            for row in result.result_set
        ]

    # -- GraphStore ---------------------------------------------------------------------------

    def read(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        if timeout_ms is None and self.bounded_reads:
            timeout_ms = self.query_timeout_ms
        # The bounded connection gives up at the query limit plus a margin; a caller that asked
        # for no limit (an export, an analysis) or a longer one waits on the write connection.
        bounded = timeout_ms is not None and timeout_ms <= self.query_timeout_ms
        try:
            result = self._call(
                lambda: self._ro_query(query, dict(params or {}), timeout_ms, bounded)
            )
        except StoreError as exc:
            if _EMPTY in str(exc):  # the graph has never been written: it is empty
                return []
            raise
        return result

    def explain(self, query: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """The engine's plan for a read (GRAPH.EXPLAIN), one indented line per operator, as
        ``"Node By Index Scan | (a:Organisation)"``: where a walk starts, without running it."""
        header = self._graph._build_params_header(dict(params or {}))  # the driver's quoting
        reply = self._call(
            partial(self._read_command, "GRAPH.EXPLAIN", self.graph_name, header + query)
        )
        return [str(line) for line in reply]

    def _verbose_row(
        self, query: str, params: Mapping[str, Any] | None, timeout_ms: int | None
    ) -> dict[str, Any]:
        """The one row of a read in the engine's verbose reply format, where a list comes as
        one string (``"[1, 2, 3]"``) instead of a typed value per element; ``{}`` if none."""
        if timeout_ms is None and self.bounded_reads:
            timeout_ms = self.query_timeout_ms
        bounded = timeout_ms is not None and timeout_ms <= self.query_timeout_ms
        header = self._graph._build_params_header(dict(params or {}))  # the driver's quoting
        args: list[Any] = ["GRAPH.RO_QUERY", self.graph_name, header + query]
        if timeout_ms is not None:
            args += ["timeout", int(timeout_ms)]
        send = self._read_command if bounded else self._command
        try:
            reply = self._call(partial(send, *args))
        except StoreError as exc:
            if _EMPTY in str(exc):
                return {}
            raise
        if len(reply) != 3 or not reply[1]:  # [header, rows, statistics]
            return {}
        return dict(zip((str(h) for h in reply[0]), reply[1][0], strict=True))

    def read_int_lists(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> dict[str, NDArray[np.int64]]:
        """Integer lists parsed by numpy from the engine's text of them: no Python object per
        value (CORDIS: 210,787 pairs in about 10 ms beside the query's own time)."""
        out: dict[str, NDArray[np.int64]] = {}
        for name, text in self._verbose_row(query, params, timeout_ms).items():
            values = _ints(text)
            if values is None:  # not a plain list of integers: the typed reply
                return super().read_int_lists(query, params, timeout_ms=timeout_ms)
            out[name] = values
        return out

    def read_keyed_ids(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> tuple[NDArray[np.int64], list[str]]:
        row = self._verbose_row(query, params, timeout_ms)
        if not row:
            return np.empty(0, dtype=np.int64), []
        nodes = _ints(row["node"])
        body = str(row["key"])[1:-1]
        keys = body.split(", ") if body else []
        if nodes is None or len(keys) != len(nodes):  # a key holding ", ": the typed reply
            return super().read_keyed_ids(query, params, timeout_ms=timeout_ms)
        return nodes, keys

    def write(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        if self._schema_pending:
            self._schema_pending = False
            self.setup_schema()
        self.note_write()
        views, parked = self._views_and_parked(refuse_unfinished_bulk=True)
        # Drafts before the write: a copy without drafts cannot replay the publication of one
        # (the draft is not there); it is rebuilt instead.
        tracked = any(not v.drafts for v in views) and touches_drafts(query, params or {})
        drafts = self._drafts() if tracked else None
        result = self._call(
            lambda: self._wgraph.query(query, dict(params or {}), timeout=timeout_ms)
        )
        self._mirror(query, dict(params or {}), timeout_ms, views, drafts)
        if parked:  # stale now (the write bumped the counter): not left on disk
            self._discard_parked()
        return self._rows(result)

    shared_generation = True

    def generation(self) -> str:
        """The write counter every process's :meth:`write` bumps (one GET), with the graph's
        name and the server: a property edit of another worker changes it too."""
        where = self.server.directory if self.server else f"{self._host}:{self._port}"
        counter = self._call(partial(self._read_command, "GET", self._generation_key))
        if isinstance(counter, bytes):
            counter = counter.decode()
        return f"{where}:{self.graph_name}:{counter or 0}"

    def structure_generation(self) -> str:
        """The generation at which the graph last took a write that may change its structure
        (one MGET): the first of the run of generations with the same structure that the
        latest write ended, else the current one."""
        where = self.server.directory if self.server else f"{self._host}:{self._port}"
        counter, same = self._call(
            partial(self._read_command, "MGET", self._generation_key, self._same_structure_key)
        )
        current = (counter.decode() if isinstance(counter, bytes) else str(counter or 0)) or "0"
        if same:
            base, _, latest = (same.decode() if isinstance(same, bytes) else str(same)).partition(
                ":"
            )
            if latest == current:
                current = base
        return f"{where}:{self.graph_name}:s{current}"

    def structure_changes(self, since: str) -> set[str] | None:
        """From the journal the described writes keep (one round trip): the union of the
        nodes each write since ``since`` changed the structure at, or None if a generation
        since then has no entry (a write nobody described, a clear, a bulk load, or one
        older than the journal)."""
        where = self.server.directory if self.server else f"{self._host}:{self._port}"
        prefix, _, start = since.rpartition(":s")
        if prefix != f"{where}:{self.graph_name}" or not start.isdigit():
            return None
        counter, entries = self._pipelined(
            [["GET", self._generation_key], ["LRANGE", self._journal_key, 0, -1]],
            transaction=False,
        )
        current = int(counter or 0)
        described: dict[int, list[str]] = {}
        for entry in entries or ():
            text = entry.decode() if isinstance(entry, bytes) else str(entry)
            counted, _, ids = text.partition("\t")
            described[int(counted)] = json.loads(ids)
        touched: set[str] = set()
        for generation in range(int(start) + 1, current + 1):
            if generation not in described:
                return None
            touched.update(described[generation])
        return touched

    def _derived_key(self, name: str) -> str:
        return f"scaleup:{self.graph_name}:derived:{name}"

    def load_derived_parts(self, name: str, generation: str) -> dict[str, bytes] | None:
        """A hash beside the graph (outside it: no Cypher reaches it): the generation under
        ``@generation`` and one field per part; one round trip."""
        found = self._call(
            partial(self._read_command, "EVAL", _LOAD_PARTS, 1, self._derived_key(name), generation)
        )
        if not found:
            return None
        items = [x if isinstance(x, bytes) else str(x).encode() for x in found]
        parts = {k.decode(): v for k, v in zip(items[::2], items[1::2], strict=True)}
        parts.pop("@generation", None)
        return parts

    def save_derived_parts(
        self,
        name: str,
        generation: str,
        parts: Mapping[str, bytes],
        *,
        since: str | None = None,
        drop: Iterable[str] = (),
    ) -> bool:
        dropped = list(drop)
        fields = [x for key, value in parts.items() for x in (key, value)]
        done = self._call(
            partial(
                self._command,
                "EVAL",
                _SAVE_PARTS,
                1,
                self._derived_key(name),
                generation,
                since or "",
                len(dropped),
                *dropped,
                *fields,
            )
        )
        return bool(int(done))

    def forget_derived(self) -> None:
        # SCAN, not KEYS: KEYS walks every key of the server in one command and blocks all its
        # clients meanwhile (a remote server holds other graphs' keys too). The graph's name is
        # escaped: a name with * ? [ would match other graphs' keys.
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self._derived_key("")) + "*"

        def scan() -> list[Any]:
            assert self._wdb is not None
            return list(self._wdb.connection.scan_iter(match=pattern, count=1000))

        found = self._call(scan)
        if found:
            self._call(partial(self._command, "DEL", *found))

    def forget_erased(self, node_id: str) -> None:
        """Drop the journal's entries that name the node, then rewrite the append-only file
        (on a server of our own) so that no earlier command in it names the node: its writes,
        its relationships, derived data kept beside the graph, journal entries. The rewrite
        runs in a child of the server (0.4-0.6 s for a server holding 80,000 nodes:
        bench/README.md); the erasure waits for it, so once it answers the files hold nothing
        of the node."""
        self._call(
            partial(
                self._command, "EVAL", _FORGET_IN_JOURNAL, 1, self._journal_key, json.dumps(node_id)
            )
        )
        self._rewrite_append_only_file(timeout_s=300.0)

    # -- the copies ad-hoc queries run on (store/views.py) ------------------------------------

    def _view_generation_key(self, view: AdhocView) -> str:
        return f"scaleup:{self.graph_name}:view:{view.suffix}:generation"

    def _pipelined(self, commands: list[list[Any]], *, transaction: bool) -> list[Any]:
        """``commands`` in one round trip (in one MULTI/EXEC with ``transaction``).

        The pipeline is built inside the call that :meth:`_call` repeats after a reconnect: a
        redis pipeline forgets its commands once executed, even when that failed, so executing
        the same one again would send nothing and answer ``[]``."""

        def send() -> list[Any]:
            assert self._wdb is not None
            pipe = self._wdb.connection.pipeline(transaction=transaction)
            for command in commands:
                pipe.execute_command(*command)
            return list(pipe.execute())

        return self._call(send)

    def _views_kept(self) -> list[AdhocView]:
        """The copies that exist (one round trip): the ones every write is replayed on."""
        return self._views_and_parked()[0]

    def _views_and_parked(
        self, *, refuse_unfinished_bulk: bool = False
    ) -> tuple[list[AdhocView], bool]:
        """The copies that exist, and whether any copy of this graph is parked on disk
        (store/parked.py), in one round trip.

        With ``refuse_unfinished_bulk`` (every :meth:`write`) the same round trip asks for the
        bulk load's marker: a graph that a stopped bulk load left half-written takes no write
        but the load's own, since running that load again replaces the graph and would drop
        an edit made in between without a word."""
        commands = [["EXISTS", self.view_names[view]] for view in VIEWS]
        commands.append(["EXISTS", *self._parked_keys()])
        if refuse_unfinished_bulk and not self._bulk_loading:
            commands.append(["EXISTS", self._bulk_key])
        found = self._pipelined(commands, transaction=False)
        if len(found) > len(VIEWS) + 1 and int(found[-1]):
            raise self.unfinished_bulk_conflict()
        views = [
            view for view, exists in zip(VIEWS, found[: len(VIEWS)], strict=True) if int(exists)
        ]
        return views, bool(int(found[len(VIEWS)]))

    def _parked_keys(self) -> list[str]:
        return [record_key(self.graph_name, view.suffix) for view in VIEWS]

    def _discard_parked(self) -> None:
        """Forget this graph's parked copies (records, then files): after a write they are
        stale, and one may hold what the write erased."""
        self._call(partial(self._command, "DEL", *self._parked_keys()))
        if self.server is not None:
            discard_files(self.server.directory, self.graph_name)

    def _restore_parked(self, view: AdhocView, current: str) -> bool:
        """RESTORE the copy for ``view`` from its parked dump if the server's record names
        the graph's ``current`` generation and the file is whole; True if restored. A restored
        copy keeps its record and file (its dump until the next write, which removes them: the
        next park need not DUMP it again, store/parked.py); a stale or broken one loses them.
        Caller holds the copy's lock and has seen the copy missing."""
        if self.server is None:
            return False
        key = record_key(self.graph_name, view.suffix)
        path = dump_path(self.server.directory, self.graph_name, view.suffix)
        record = ParkRecord.parse(self._call(partial(self._command, "GET", key)))
        restored = False
        try:
            if record is None or record.generation != str(current):
                return False
            payload = read_dump(path, self.graph_name, view.suffix, record)
            if payload is None:
                log.warning("parked copy %s is not whole; it is rebuilt", view.suffix)
                return False
            keys = [self._generation_key, self.view_names[view], self._view_generation_key(view)]
            try:
                answer = self._call(
                    partial(
                        self._command, "EVAL", RESTORE_SCRIPT, len(keys), *keys, current, payload
                    )
                )
            except StoreError as exc:  # e.g. a dump of another engine version
                log.warning("parked copy %s not restored (%s)", view.suffix, type(exc).__name__)
                return False
            restored = bool(int(answer))
            return restored
        finally:
            if not restored:  # stale or broken: never used again
                if record is not None:
                    self._call(partial(self._command, "DEL", key))
                path.unlink(missing_ok=True)

    def _drafts(self, before: Iterable[str] = ()) -> dict[str, bool]:
        """Ids of the nodes in draft, and of the nodes ``before`` names: id -> in draft."""
        rows = self._call(
            lambda: self._wgraph.query(draft_ids_query(), {"before": sorted(before)})
        ).result_set
        return {str(node_id): bool(draft) for node_id, draft in rows}

    def _mirror(
        self,
        query: str,
        params: dict[str, Any],
        timeout_ms: int | None,
        views: list[AdhocView] | None = None,
        drafts_before: dict[str, bool] | None = None,
    ) -> None:
        """Apply a write to each copy too, then take out what the copy must not hold
        (:func:`~scaleup_graph.store.views.clean_up`, and drafts), all in one transaction.

        A write that takes a node out of draft cannot be replayed on a copy without drafts
        (the node is not there): the node and its relationships are read from the graph after
        the write and copied in, redacted for the copy, in the same transaction
        (:func:`~scaleup_graph.store.views.restore_published`).

        Every write counts a generation; each copy records the generation it is in step with.
        A write a copy misses (another process's, a failure here) leaves it behind, and the
        next ad-hoc query on it rebuilds it: a copy is never read out of step."""
        touched = self._described_change()
        if touched is None:
            count = partial(self._command, "INCR", self._generation_key)
        else:
            keys = [self._generation_key, self._same_structure_key, self._journal_key]
            described = ["0" if touched else "1", json.dumps(sorted(touched)), STRUCTURE_JOURNAL]
            count = partial(self._command, "EVAL", _COUNT_DESCRIBED, len(keys), *keys, *described)
        generation = int(self._call(count))
        if views is None:
            views = self._views_kept()
        if not views:
            return
        drafts_now: list[str] = []
        published: list[str] = []
        if drafts_before is not None:
            after = self._drafts(drafts_before)
            drafts_now = [i for i, draft in after.items() if draft]
            published = [i for i in drafts_before if i in after and not after[i]]
        assert self._wdb is not None
        taken_out = self._published(published) if published else None
        # A copy holds no full-text index (ad-hoc Cypher cannot call the procedures that read
        # one): a write that makes one (setup_schema) is not replayed there.
        replayed = [] if _FULLTEXT_INDEX.search(query) else [(query, params)]
        for view in views:
            statements = [*replayed, *clean_up(query, params, personal=view.personal)]
            if not view.drafts:
                statements += delete_drafts(drafts_now)
                if published:
                    try:
                        if taken_out is None:
                            raise ValueError("the nodes taken out of draft could not be read")
                        statements += restore_published(*taken_out, personal=view.personal)
                    except ValueError as exc:  # not expected: the next query rebuilds it
                        log.warning(
                            "copy %s: %d node(s) taken out of draft not copied in (%s); "
                            "it is rebuilt",
                            view.suffix,
                            len(published),
                            exc,
                        )
                        continue
            # The write and its clean-up in one MULTI/EXEC: no ad-hoc query on the copy ever
            # runs between them, so none sees what the write brought in.
            commands: list[list[Any]] = []
            for statement, values in statements:
                header = self._graph._build_params_header(values)  # the driver's own quoting
                command: list[Any] = ["GRAPH.QUERY", self.view_names[view], header + statement]
                command.append("--compact")
                if timeout_ms is not None:
                    command += ["timeout", timeout_ms]
                commands.append(command)
            try:
                if commands:
                    self._pipelined(commands, transaction=True)
            except StoreError as exc:
                # the error's class only: an engine message may quote a value of the write
                log.warning(
                    "copy %s missed a write (%s); it is rebuilt", view.suffix, type(exc).__name__
                )
                continue
            self._call(
                partial(
                    self._command,
                    "EVAL",
                    _STEP,
                    1,
                    self._view_generation_key(view),
                    str(generation - 1),
                    str(generation),
                )
            )

    def _published(
        self, ids: list[str]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
        """The nodes ``ids`` (just taken out of draft) and their relationships, as
        :func:`~scaleup_graph.store.views.restore_published` takes them; None if they cannot
        be read (the copies without drafts are then rebuilt)."""
        values = {"ids": sorted(ids)}
        found = []
        try:
            for query in (published_nodes_query(), published_relationships_query()):
                found.append(self._rows(self._call(partial(self._wgraph.query, query, values))))
        except StoreError as exc:
            log.warning("nodes taken out of draft could not be read (%s)", type(exc).__name__)
            return None
        return found[0], found[1]

    def refresh_redacted_copy(self) -> bool:
        """:meth:`refresh_view` of the copy without personal properties and drafts."""
        return self.refresh_view(AdhocView(personal=False, drafts=False))

    def refresh_view(self, view: AdhocView) -> bool:
        """Make the copy for ``view`` current (GRAPH.COPY, then the view's clean-up) if it is
        missing or behind; returns True if it was rebuilt."""
        name, generation_key = self.view_names[view], self._view_generation_key(view)
        current = self._call(partial(self._command, "GET", self._generation_key)) or "0"
        copied = self._call(partial(self._command, "GET", generation_key))
        exists = self._call(partial(self._command, "EXISTS", name))
        if exists and copied == current:
            return False
        lock = f"scaleup:{self.graph_name}:view:{view.suffix}:lock"
        for _ in range(600):  # one process rebuilds; the others wait for it (at most ~60 s)
            if self._call(partial(self._command, "SET", lock, "1", "NX", "PX", 120_000)):
                break
            time.sleep(0.1)
        else:
            raise StoreUnavailable(
                "the copy of the graph for ad-hoc queries is being rebuilt; retry in a minute",
                retry_after=60,
            )
        try:
            current = self._call(partial(self._command, "GET", self._generation_key)) or "0"
            copied = self._call(partial(self._command, "GET", generation_key))
            if self._call(partial(self._command, "EXISTS", name)):
                if copied == current:
                    return False
                self._delete_graph(name)
            elif self._restore_parked(view, current):
                # No append-only rewrite (a rebuild needs one: a copied graph cannot be
                # replayed): the RESTORE is in the file, fsynced before its reply, so a server
                # killed now starts with the copy; the stop that parks it again rewrites the
                # file anyway. It cost most of a restore, more with each copy in the server.
                self.view_restores += 1
                return True
            if self._call(partial(self._command, "EXISTS", self.graph_name)):
                self._copy_graph(name)
            else:  # nothing written yet: an empty copy
                self._call(partial(self._command, "GRAPH.QUERY", name, "RETURN 1"))
            assert self._wdb is not None
            copy = self._wdb.select_graph(name)
            self._drop_fulltext_indexes(copy)
            for statement in purge(view):
                self._call(partial(copy.query, statement))
            self._call(partial(self._command, "SET", generation_key, current))
            self.view_rebuilds += 1
            # A graph deleted and written again cannot be replayed from the append-only file.
            self._rewrite_append_only_file()
            return True
        finally:
            self._call(partial(self._command, "DEL", lock))

    def _drop_fulltext_indexes(self, copy: Any, timeout_s: float = 120.0) -> None:
        """Drop the full-text indexes GRAPH.COPY brought into a copy: ad-hoc Cypher cannot use
        them (the guard refuses procedure calls), yet the server rebuilds each one whenever it
        loads its files (most of a cold start: docs/scaling.md) and every replayed write keeps
        them up. Range indexes stay: they serve ad-hoc MATCH by property.

        The copy builds its indexes in the background after GRAPH.COPY, and a full-text index
        dropped while it is still under construction can survive (seen on CORDIS): the drop
        waits until every index is operational and checks again until none is left."""
        listing = "CALL db.indexes() YIELD label, types, status RETURN label, types, status"
        deadline = time.monotonic() + timeout_s
        while True:
            rows = self._call(partial(copy.query, listing)).result_set
            building = any(str(status).upper() != "OPERATIONAL" for _, _, status in rows)
            labels = [
                label
                for label, types, _ in rows
                if any("FULLTEXT" in kinds for kinds in dict(types).values())
            ]
            if not labels and not building:
                return
            if time.monotonic() > deadline:
                log.warning("copy %s keeps %d full-text index(es)", copy.name, len(labels))
                return
            if building:
                time.sleep(0.05)
                continue
            for label in labels:
                self._call(
                    partial(copy.query, "CALL db.idx.fulltext.drop($label)", {"label": label})
                )

    def _copy_graph(self, target: str) -> None:
        """GRAPH.COPY of this graph to ``target``; a server that cannot fork for it (too little
        free memory) answers 503 with Retry-After instead of a bare error."""
        try:
            self._call(partial(self._command, "GRAPH.COPY", self.graph_name, target))
        except StoreError as exc:
            if "fork" not in str(exc).lower():
                raise
            log.warning("GRAPH.COPY %s could not fork: %s", target, exc)
            raise StoreUnavailable(
                "the database has too little free memory to copy the graph for this query "
                f"(it could not fork); nothing was changed. Retry in {COPY_RETRY_AFTER_S} s; "
                "if it keeps failing, give the database more memory (or fewer other processes)",
                retry_after=COPY_RETRY_AFTER_S,
                code="copy_failed",
            ) from None

    def read_only_redacted(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_cap: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        """:meth:`read_only` on the copy without personal properties, drafts and system
        nodes: what a key without contacts runs cannot return, filter on or sort by a personal
        value."""
        return self.read_adhoc(
            query, params, timeout_ms=timeout_ms, row_cap=row_cap, personal=False, drafts=False
        )

    def read_adhoc(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_cap: int,
        personal: bool,
        drafts: bool,
    ) -> tuple[list[dict[str, Any]], bool]:
        """:meth:`read_only` on the copy for the view (store/views.py): what the key may not
        see is not in the graph the query runs on, so no aggregate or filter can reveal it."""
        view = AdhocView(personal=personal, drafts=drafts)
        self.refresh_view(view)
        return self._read_only(self.view_names[view], query, params, timeout_ms, row_cap)

    # -- suppression list: outside every graph, so no Cypher reaches it -----------------------

    def add_suppressed(self, hashes: Iterable[str]) -> None:
        rows = sorted(set(hashes))
        if rows:
            self._call(partial(self._command, "SADD", self._suppressed_key, *rows))

    def suppressed(self, hashes: Iterable[str]) -> set[str]:
        wanted = sorted(set(hashes))
        if not wanted:
            return set()
        found = self._call(partial(self._command, "SMISMEMBER", self._suppressed_key, *wanted))
        return {h for h, hit in zip(wanted, found, strict=True) if int(hit)}

    def all_suppressed(self) -> list[str]:
        members = self._call(partial(self._command, "SMEMBERS", self._suppressed_key))
        return sorted(str(m) for m in members)

    def _migrate_suppressed(self) -> None:
        """Move a suppression list kept as graph nodes (before issue 15) out of the graph."""
        rows = self.read(f"MATCH (s:{SUPPRESSED_LABEL}) RETURN s.hash AS h")
        if rows:
            self.add_suppressed(str(r["h"]) for r in rows if r["h"])
            self.write(f"MATCH (s:{SUPPRESSED_LABEL}) DELETE s")

    def read_only(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_cap: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        """The engine guards: the plan may hold no procedure call and no LOAD CSV
        (GRAPH.EXPLAIN), GRAPH.RO_QUERY refuses writes, and the row cap is part of the query
        (``CALL { ... } RETURN * LIMIT cap + 1``): the server never builds a larger result.

        Columns come back in the order the engine gives ``RETURN *`` (by name)."""
        return self._read_only(self.graph_name, query, params, timeout_ms, row_cap)

    def _read_only(
        self,
        graph: str,
        query: str,
        params: Mapping[str, Any] | None,
        timeout_ms: int,
        row_cap: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        values = dict(params or {})
        prefix = _NOT_A_QUERY.match(query)
        if prefix:
            word = " ".join(prefix.group(1).upper().split())
            raise QueryRejected(
                f"{word} is not allowed in ad-hoc queries: "
                + (
                    "send the query itself; limits and plans are set by the API"
                    if word in ("EXPLAIN", "PROFILE", "CYPHER")
                    else "server and administration commands are for the database's operator"
                )
            )
        header = self._graph._build_params_header(values)  # the driver's own quoting
        try:
            plan = plan_operators(
                self._call(partial(self._read_command, "GRAPH.EXPLAIN", graph, header + query))
            )
        except StoreError as exc:
            if "constraint" in str(exc).lower():  # CREATE CONSTRAINT ...: a schema command
                raise QueryRejected(_SCHEMA_REFUSED) from None
            raise
        if not plan or plan[0] != RESULTS_OPERATOR:
            # CREATE INDEX / DROP INDEX plan as one "Create Index" / "Drop Index" step
            raise QueryRejected(_SCHEMA_REFUSED + f" (the query plan is: {', '.join(plan)})")
        refused = [op for op in plan if op in FORBIDDEN_OPERATORS]
        if refused:
            what = (
                "LOAD CSV is" if "Load CSV" in refused else "procedure calls (CALL name(...)) are"
            )
            raise QueryRejected(
                f"{what} not allowed in ad-hoc queries (found in the query plan); "
                "CALL { ... } subqueries are fine"
            )
        writes = sorted({op for op in plan if op in WRITE_OPERATORS})
        if writes:
            raise QueryRejected(
                f"ad-hoc queries are read-only (the query plan writes: {', '.join(writes)}); "
                "editors change data through /api/v1/nodes"
            )
        # The newline ends a trailing // comment of the caller's text.
        capped = f"CALL {{ {query}\n}} RETURN * LIMIT {int(row_cap) + 1}"
        assert self._db is not None
        target = self._db.select_graph(graph)
        try:
            rows = self._rows(
                self._call(lambda: target.ro_query(capped, values, timeout=timeout_ms))
            )
        except StoreError as exc:
            if _EMPTY in str(exc):
                return [], False
            if "RETURN * is not allowed" in str(exc):
                raise QueryRejected("an ad-hoc query ends with RETURN ...") from None
            raise
        return rows[:row_cap], len(rows) > row_cap

    def engine_threads(self) -> int:
        """How many queries the server runs at once (FalkorDB's THREAD_COUNT)."""
        if self._threads is None:
            answer = self._call(partial(self._read_command, "GRAPH.CONFIG", "GET", "THREAD_COUNT"))
            self._threads = max(1, int(answer[1]))
        return self._threads

    def setup_schema(self) -> None:
        self._schema_pending = False
        self._migrate_suppressed()
        existing = {
            (row["label"], prop)
            for row in self.read(
                "CALL db.indexes() YIELD label, properties RETURN label, properties"
            )
            for prop in row["properties"]
        }
        for label in NODE_TYPES:
            if (label, KEY) not in existing:
                self.write(f"CREATE INDEX FOR (n:{cypher.label(label)}) ON (n.{KEY})")
        for label in NODE_TYPES:  # "$topic IN o.topics_fold": a lookup of the list's items
            for key in list_search_keys(label).values():
                if (label, key) not in existing:
                    self.write(f"CREATE INDEX FOR (n:{cypher.label(label)}) ON (n.{key})")
        for label, prop, _ in DRAFT_RULES:  # the write path reads the drafts (store/views.py)
            if (label, prop) not in existing:
                self.write(f"CREATE INDEX FOR (n:{cypher.label(label)}) ON (n.{prop})")
        if (cypher.HISTORY_LABEL, "node") not in existing:  # each node's history by its id
            self.write(f"CREATE INDEX FOR (h:{cypher.HISTORY_LABEL}) ON (h.node)")
        for label in NODE_TYPES:
            constraint = (
                "GRAPH.CONSTRAINT",
                "CREATE",
                self.graph_name,
                "UNIQUE",
                "NODE",
                label,
                "PROPERTIES",
                "1",
                KEY,
            )
            try:
                self._call(partial(self._command, *constraint))
            except StoreError as exc:
                if "already exists" not in str(exc).lower():
                    raise
        for label in searchable_labels():
            if (label, SEARCH_TEXT) not in existing:
                # No stop words (a name's "of" or "für" counts) and no stemming (names are
                # not prose); the text is already folded, so the default tokenizer suffices.
                self.write(
                    "CALL db.idx.fulltext.createNodeIndex($options, $field)",
                    {
                        "options": {"label": label, "stopwords": []},
                        "field": {"field": SEARCH_TEXT, "nostem": True},
                    },
                )
        self.backfill_search_text()

    # -- the bulk first load (GRAPH.BULK) ------------------------------------------------------

    def bulk_check(self) -> None:
        """A bulk load creates the graph: it must hold no node (indexes alone are fine), or be
        what a bulk load of ours left when it was killed (the marker says so)."""
        if self.unfinished_bulk_load():
            return
        rows = self.read(cypher.NODE_TOTAL)
        nodes = int(rows[0]["n"]) if rows else 0
        if nodes:
            raise Conflict(
                f"--bulk is for a first load into an empty graph, and graph {self.graph_name!r} "
                f"holds {nodes:,} nodes; nothing was written. To add to it, run the same "
                "command without --bulk (MERGE on the keys: same validation and report); to "
                "load it anew in bulk, name an empty graph (SCALEUP_GRAPH=...) or start from an "
                "empty database folder",
                code="graph_not_empty",
            )

    def unfinished_bulk_load(self) -> bool:
        return bool(self._call(partial(self._command, "GET", self._bulk_key)))

    def unfinished_bulk_conflict(self) -> Conflict:
        """The refusal of a write (an ingest, an edit, a workflow step) while the graph holds
        an unfinished bulk load: the load's next run replaces the graph."""
        return Conflict(
            f"graph {self.graph_name!r} holds an unfinished bulk first load (scaleup ingest "
            "--bulk was stopped while it wrote, or is writing now): it is only a part of that "
            "load, and running the load again replaces it, so this change would be lost; "
            "nothing was written",
            hint="run the same `scaleup ingest --bulk` command again (it finishes the load), "
            "then make this change",
            code="bulk_load_unfinished",
        )

    def record_ingest_progress(self, run_id: str, done: dict[str, int]) -> None:
        """A hash beside the graph (run id -> batches per mapping) that clear() and a bulk
        load delete with the graph."""
        self._call(partial(self._command, "HSET", self._progress_key, run_id, json.dumps(done)))

    def ingest_progress(self, run_id: str) -> dict[str, int] | None:
        raw = self._call(partial(self._command, "HGET", self._progress_key, run_id))
        if not raw:
            return {}
        return {str(k): int(v) for k, v in json.loads(raw).items()}

    def forget_ingest_progress(self, run_id: str) -> None:
        self._call(partial(self._command, "HDEL", self._progress_key, run_id))

    def bulk_writer(self, staged: StagedGraph) -> FalkorBulkWriter:
        """A writer that creates this graph from ``staged`` while ingest still stages it (see
        :class:`FalkorBulkWriter`); :meth:`bulk_load` is the same at once."""
        self.bulk_check()
        return FalkorBulkWriter(self, staged)

    def bulk_load(self, staged: StagedGraph) -> tuple[int, int]:
        """Create the graph from ``staged`` (its nodes, their history entries, relationships)
        with its indexes, constraints and full-text indexes, and the redacted copy if one is
        kept, with GRAPH.BULK; then rewrite the append-only file. All or nothing: a failure
        deletes what the load wrote (see :class:`FalkorBulkWriter`)."""
        writer = self.bulk_writer(staged)
        try:
            writer.start()
            writer.nodes_final()
            return writer.finish()
        except BaseException:
            writer.abort()
            raise

    def _undo_bulk_load(self) -> None:
        """Back to the empty graph with its indexes that the load started from."""
        try:
            if self._call(partial(self._command, "EXISTS", self.graph_name)):
                self._delete_graph(self.graph_name)
            self.setup_schema()
            self._rewrite_append_only_file()
            self._call(partial(self._command, "DEL", self._bulk_key))
        except StoreError:
            log.warning("could not undo a failed bulk load; run it again", exc_info=True)
            self._schema_pending = True

    def health(self) -> dict[str, Any]:
        started = time.perf_counter()
        self.read("RETURN 1 AS ok")
        return {
            "store": "falkordb-embedded" if self.server else "falkordb",
            "graph": self.graph_name,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }

    def _settle_constraints(self, name: str, timeout_s: float = 300.0) -> None:
        """Wait until graph ``name`` builds no constraint in the background any more.

        FalkorDB checks a new constraint against the graph's nodes in a thread, and when done
        logs the constraint once more (a GRAPH.EFFECT naming the graph and the label's id). It
        also does so for every constraint it replays from the append-only file at a start.
        A graph deleted and created again before that has other label ids, and the late
        entry lands in the new graph's part of the file: the server then refuses to load the
        folder ("GRAPH.EFFECT references label ... which doesn't match local schema state"),
        or crashes loading it. So a graph is deleted only once its constraints are built."""
        query = "CALL db.constraints() YIELD status RETURN status"
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                reply = self._call(partial(self._command, "GRAPH.RO_QUERY", name, query))
            except StoreError as exc:
                if _EMPTY in str(exc) or "Invalid graph operation" in str(exc):
                    return  # no such graph
                raise
            building = [row[0] for row in reply[1] if str(row[0]) == "UNDER CONSTRUCTION"]
            if not building or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if building:
            log.warning("%s still builds %d constraints; deleting it anyway", name, len(building))
        # The late entry is written when the thread next gets the server's lock, right after
        # the status changed: a round trip more makes sure it is in the file before the delete.
        self._call(partial(self._command, "PING"))

    def _delete_graph(self, name: str) -> None:
        """GRAPH.DELETE ``name`` once its constraints are built (see _settle_constraints)."""
        self._settle_constraints(name)
        self._call(partial(self._command, "GRAPH.DELETE", name))

    def clear(self) -> None:
        self.note_write()
        self._settle_constraints(self.graph_name)
        try:
            self._call(lambda: self._graph.delete())
        except StoreError as exc:
            if _EMPTY not in str(exc):
                raise
        for view in self._views_kept():
            self._delete_graph(self.view_names[view])
        self._call(
            partial(
                self._command,
                "DEL",
                *(self._view_generation_key(view) for view in VIEWS),
                *self._parked_keys(),
                self._suppressed_key,
                self._bulk_key,
                self._progress_key,
            )
        )
        if self.server is not None:
            discard_files(self.server.directory, self.graph_name)
        # The write counter goes on counting (a reset would give the new graph a generation
        # its predecessor had, and a cache of the old picture would be taken for current).
        self._call(partial(self._command, "INCR", self._generation_key))
        # FalkorDB cannot replay an append-only file in which a graph was deleted and written
        # again ("Diverged applying GRAPH.EFFECT": the effects carry schema ids of the old
        # graph), and the server would refuse to start. Rewriting the file now folds the
        # deletion into a snapshot.
        self._rewrite_append_only_file()
        # Deleting the graph deleted its indexes too; a graph that is written again gets them
        # back (not now: a cleared graph that nobody writes should not linger on the server).
        self._schema_pending = True

    def _rewrite_append_only_file(
        self, timeout_s: float = 60.0, meanwhile: Callable[[], None] | None = None
    ) -> None:
        """Rewrite the append-only file and wait for it; ``meanwhile`` runs during the rewrite
        (or at once: a server we do not manage, whose operator decides about persistence)."""
        if self.server is None:
            if meanwhile is not None:
                meanwhile()
            return
        rewrite_append_only_file(
            lambda *args: self._call(partial(self._command, *args)),
            StoreError,
            timeout_s,
            meanwhile,
        )

    def copy_to(self, graph: str) -> FalkorDBStore:
        """Copy this graph to a new graph on the same server (GRAPH.COPY) and open it.

        Tests load the seed network once and give every test its own copy in milliseconds.
        """
        self._call(lambda: self._command("GRAPH.COPY", self.graph_name, graph))
        return FalkorDBStore(
            graph=graph,
            embedded_dir=str(self.server.directory) if self.server else None,
            host=self._host,
            port=self._port,
            password=self._password,
            query_timeout_ms=self.query_timeout_ms,
        )

    def close(self) -> None:
        # Our connections go first, so the server sees only other processes' clients.
        with self._lock:
            self._disconnect()
            if self.server is not None:
                try:
                    self.server.release(own_connections=0)
                except StoreError:
                    log.debug("could not release the embedded database", exc_info=True)


class FalkorBulkWriter:
    """Writes a staged graph through GRAPH.BULK from a thread of its own, so that the server
    (another process, another core) builds the graph while ingest stages the rest of it.

    :meth:`start` starts the thread: it deletes what an earlier killed load left, creates the
    empty graph with its indexes, constraints and full-text indexes (setup_schema), so the
    engine keeps them up as the nodes arrive instead of building them afterwards, and marks the
    load (a marker key beside the graph: a load killed half-way leaves it, other writes are
    refused while it is there, and the next bulk load of the same graph replaces the partial
    graph instead of refusing). :meth:`nodes_final`
    sends the nodes (ingest writes no node after its node mappings), :meth:`relationships_final`
    each relationship type that no later mapping writes, :meth:`finish` the rest and the
    history entries, checks that the engine created what was staged, rebuilds the copies,
    rewrites the append-only file and removes the marker. Any failure: :meth:`abort` deletes
    what was written and leaves the empty graph with its indexes, as before the load.

    Ingest's thread encodes (Python objects are not shared with the sender); the sender only
    waits on the socket, which releases the interpreter lock."""

    def __init__(self, store: FalkorDBStore, staged: StagedGraph) -> None:
        self.store, self.staged = store, staged
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._send, name="bulk-writer", daemon=True)
        self._error: BaseException | None = None
        self._position: dict[int, int] | None = None
        self._sent_types: set[str] = set()
        self._created = [0, 0]
        self._kept: list[AdhocView] = []
        self._started = False
        self._clock = time.perf_counter()
        #: seconds per step, for bench/: encode (ingest's thread), ahead (encoding while
        #: ingest waited for its input: :meth:`ahead`), send (the sender's busy
        #: time: schema, GRAPH.BULK), wait (what finish waited for the sender), durable
        self.phases = {
            "encode_s": 0.0,
            "ahead_s": 0.0,
            "send_s": 0.0,
            "wait_s": 0.0,
            "durable_s": 0.0,
        }
        store.bulk_phases = self.phases

    # -- ingest's thread ----------------------------------------------------------------------

    def start(self) -> None:
        store = self.store
        self._kept = store._views_kept()
        store._bulk_loading = True  # this load's own writes (indexes, copies) pass the marker
        self._started = True
        # a killed ordinary run's batches are in no graph this load leaves
        store._call(partial(store._command, "DEL", store._progress_key))
        store.note_write()
        self._thread.start()
        self._queue.put(self._prepare)

    def ahead(self) -> bool:
        """Encode some of the nodes staged so far (ingest calls this while it waits for its
        input); False when there is nothing to encode ahead."""
        clock = time.perf_counter()
        more = encode_ahead(self.staged)
        self.phases["ahead_s"] += time.perf_counter() - clock
        return more

    def nodes_final(self) -> None:
        """Every node is staged: send them."""
        self._check()
        clock = time.perf_counter()
        commands, self._position = encode_nodes(self.staged)
        self.staged.nodes_sent = True
        self.phases["encode_s"] += time.perf_counter() - clock
        self._put(commands)

    def relationships_final(self, pending: Iterable[str] = ()) -> None:
        """Every relationship type but ``pending`` is staged: send those not sent yet."""
        self._check()
        if self._position is None:
            raise StoreError("relationships are sent after the nodes")
        waiting = set(pending)
        types = [t for t in self.staged.relationships if t not in waiting | self._sent_types]
        if not types:
            return
        clock = time.perf_counter()
        commands = encode_relationships(self.staged, types, self._position)
        self._sent_types.update(types)
        self.phases["encode_s"] += time.perf_counter() - clock
        self._put(commands)

    def finish(self, meanwhile: Callable[[], None] | None = None) -> tuple[int, int]:
        """Send the rest, wait for the engine, make it durable; returns the nodes and
        relationships created (history entries not counted). ``meanwhile`` runs while the
        server makes the load durable (ingest's last checks, which need no database)."""
        if self._position is None:
            self.nodes_final()
        self.relationships_final()
        clock = time.perf_counter()
        history = encode_history(self.staged)
        self.phases["encode_s"] += time.perf_counter() - clock
        self._put(history)
        self._queue.put(None)
        clock = time.perf_counter()
        self._thread.join()
        self.phases["wait_s"] = time.perf_counter() - clock
        self._check()
        staged, store = self.staged, self.store
        expected = (len(staged.nodes()) + len(staged.history), staged.relationship_count)
        nodes, relationships = self._created
        if (nodes, relationships) != expected:
            raise StoreError(
                f"the engine created {nodes:,} nodes and {relationships:,} relationships "
                f"of {expected[0]:,} and {expected[1]:,}"
            )
        store._call(partial(store._command, "INCR", store._generation_key))
        clock = time.perf_counter()
        if self._kept:
            if meanwhile is not None:
                meanwhile()
            for view in self._kept:  # rebuilds the copies; each rewrites the append-only file
                store.refresh_view(view)
        else:
            store._rewrite_append_only_file(meanwhile=meanwhile)
        store._call(partial(store._command, "DEL", store._bulk_key))
        self._started = store._bulk_loading = False
        self.phases["durable_s"] = time.perf_counter() - clock
        return nodes - len(staged.history), relationships

    def abort(self) -> None:
        """After a failure anywhere: stop sending, and undo what the load wrote."""
        if self._thread.is_alive():
            self._error = self._error or StoreError("the load was stopped")
            self._queue.put(None)
            self._thread.join()
        try:
            if self._started:
                self.store._undo_bulk_load()
                self._started = False
        finally:
            self.store._bulk_loading = False

    def _put(self, commands: list[BulkCommand]) -> None:
        for command in commands:
            if command.nodes or command.relationships:
                self._queue.put(partial(self._bulk, command))

    def _check(self) -> None:
        """Raise what the sender ran into (the load is then undone by abort)."""
        error = self._error
        if error is None:
            return
        if isinstance(error, StoreError):
            raise StoreError(
                f"the bulk load failed and was undone, the graph is empty as before: "
                f"{error.message}"
            )
        raise error

    # -- the sender's thread ------------------------------------------------------------------

    def _send(self) -> None:
        while (job := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain: nothing more goes to the server
            clock = time.perf_counter()
            try:
                job()
            except BaseException as exc:  # noqa: BLE001 - handed to ingest's thread
                self._error = exc
            self.phases["send_s"] += time.perf_counter() - clock

    def _prepare(self) -> None:
        store = self.store
        if store._call(partial(store._command, "EXISTS", store.graph_name)):
            store._delete_graph(store.graph_name)
        store._schema_pending = False
        store.setup_schema()
        # from here on the graph holds a part of this load until finish removes the marker
        store._call(partial(store._command, "SET", store._bulk_key, "loading"))

    def _bulk(self, command: BulkCommand) -> None:
        store = self.store
        answer = store._call(
            partial(store._command, "GRAPH.BULK", store.graph_name, *command.args(False))
        )
        created, linked = str(answer).split(", ")
        self._created[0] += int(created.split()[0])
        self._created[1] += int(linked.split()[0])
