"""Guarded ad-hoc Cypher for analysts.

The engine is the guard: FalkorDB runs the text as GRAPH.RO_QUERY, which refuses any write; the
Neo4j adapter checks the plan and runs a READ transaction (store.read_only). The lexical check
here comes first only to give a clear message for what a read-only engine may still allow
(LOAD CSV can read server files; procedures can do anything) and to keep system data (the
``_Suppressed`` list of erased persons) out of answers.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaleup_graph.errors import RateLimited
from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.queries.errors import PermissionDenied, QueryError
from scaleup_graph.queries.privacy import (
    drop_hidden,
    has_role,
    is_system_value,
    person_ids,
    sees_pii,
    strip_pii,
    visibility,
)
from scaleup_graph.store import GraphStore, QueryRejected

__all__ = [
    "ADHOC_ROLE",
    "MAX_NESTING",
    "MAX_QUERY_LENGTH",
    "AdhocResult",
    "AdhocSlots",
    "TooBusy",
    "check_adhoc",
    "check_params",
    "run_adhoc",
]

ADHOC_ROLE = "analyst"
MAX_QUERY_LENGTH = 5_000
#: brackets and parameter values nest at most this deep (the parser is exponential in depth)
MAX_NESTING = 10
_MAX_PARAMS = 50

_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_PROCEDURE_CALL = re.compile(r"\bCALL\s+(?!\{)", re.IGNORECASE)
_WRITES = re.compile(r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|FOREACH)\b", re.IGNORECASE)
_SYSTEM = re.compile(r"_Suppressed|_History", re.IGNORECASE)
_HASH = re.compile(r"^[0-9a-f]{64}$")
# FalkorDB allocates a range() list whole, before any time limit applies: range(1, 2000000000)
# asks for 32 GB and the server aborts. Ad-hoc range() takes integer literals, bounded.
_RANGE_CALL = re.compile(r"\brange\s*\(", re.IGNORECASE)
_RANGE_LITERAL = re.compile(r"range\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*(?:,\s*(-?\d+)\s*)?\)", re.I)
_MAX_RANGE = 1_000_000
# The driver writes parameter names into the query's CYPHER header unquoted: identifiers only.
_PERSONS_BY_VALUE = (
    "MATCH (p:Person) WHERE p.name IN $values OR p.email IN $values OR p.phone IN $values "
    "OR p.description IN $values OR any(c IN coalesce(p.consent, []) WHERE c IN $values) "
    "RETURN p.id AS id"
)
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class TooBusy(RateLimited):
    """No free slot for another ad-hoc query; retry after ``retry_after`` s (HTTP 429)."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, retry_after=retry_after_s)


class AdhocSlots:
    """At most one running ad-hoc query per key, and fewer than the engine's threads in all.

    Slots are non-blocking ``fcntl`` locks on files in one folder, so they hold across worker
    processes of one installation, and the kernel frees them when a process dies.

    Parameters
    ----------
    directory
        Where the lock files live (``<state dir>/adhoc-slots``).
    total
        How many ad-hoc queries may run at once: keep it below the engine's threads, so named
        queries, search and /health always find a free thread.
    retry_after_s
        What a refused caller is told to wait (a running query ends within the time limit).
    """

    def __init__(self, directory: Path, total: int, retry_after_s: int) -> None:
        self.directory = directory
        self.total = max(1, total)
        self.retry_after_s = max(1, retry_after_s)

    def _try_lock(self, name: str) -> int | None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / name, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    @staticmethod
    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @contextlib.contextmanager
    def hold(self, key_id: str) -> Iterator[None]:
        """Hold this key's slot and one of the shared slots while the query runs, or raise
        :class:`TooBusy`."""
        safe = re.sub(r"[^A-Za-z0-9_-]", "_", key_id)[:64] or "anonymous"
        own = self._try_lock(f"key-{safe}.lock")
        if own is None:
            raise TooBusy(
                "this key already runs an ad-hoc query; wait for it to finish "
                f"(retry in {self.retry_after_s} s)",
                self.retry_after_s,
            )
        try:
            for slot in range(self.total):
                shared = self._try_lock(f"slot-{slot}.lock")
                if shared is not None:
                    break
            else:
                raise TooBusy(
                    f"{self.total} ad-hoc quer{'y' if self.total == 1 else 'ies'} already "
                    f"running, the most the database allows beside other work; retry in "
                    f"{self.retry_after_s} s",
                    self.retry_after_s,
                )
            try:
                yield
            finally:
                self._release(shared)
        finally:
            self._release(own)

    @classmethod
    def for_store(cls, directory: Path, store: GraphStore, timeout_ms: int) -> AdhocSlots:
        """Slots for ``store``: one fewer than its engine threads (at least one)."""
        return cls(directory, store.engine_threads() - 1, math.ceil(timeout_ms / 1000))


@dataclass(frozen=True, slots=True)
class AdhocResult:
    rows: list[dict[str, Any]]
    truncated: bool
    columns: list[str]
    #: the query read a personal field (by name or by dynamic access) or returned a person
    personal: bool = False
    #: the persons whose data the answer holds or was chosen by (ids only: the audit subjects)
    subject_ids: frozenset[str] = frozenset()


#: Personal field names of every label (from the schema) and dynamic property access, which
#: may read any of them: properties(p), p{.*}, keys(p), p[k].
_PERSONAL_FIELDS = sorted({f for nt in NODE_TYPES.values() for f in nt.pii_fields})
_PERSONAL_ACCESS = re.compile(
    r"\.\s*(?:" + "|".join(_PERSONAL_FIELDS) + r")\b"
    r"|\bproperties\s*\(|\{\s*\.\s*\*|\bkeys\s*\(|\w\[",
    re.IGNORECASE,
)
_PERSON_ID = re.compile(r"person-[0-9a-z-]{1,64}")


def touches_personal_fields(query: str) -> bool:
    """True if the query's code reads a personal field by name or any property dynamically.

    >>> touches_personal_fields("MATCH (p:Person) WHERE p.email STARTS WITH 'a' RETURN p.id")
    True
    >>> touches_personal_fields("MATCH (o:Organisation) RETURN o.id, 'p.email' AS s")
    False
    """
    return bool(_PERSONAL_ACCESS.search(_code_only(query)))


def personal_subjects(store: GraphStore, rows: list[dict[str, Any]]) -> set[str]:
    """Ids of the persons an answer is about: Person nodes in it, person ids in it, and the
    persons whose personal values it holds (found by value, reported by id)."""
    found = person_ids(rows)
    values = set(_strings(rows))
    candidates = {v for v in values if _PERSON_ID.fullmatch(v)}
    if candidates:
        found |= store.existing_ids("Person", candidates)
    personal = sorted(v for v in values if not _PERSON_ID.fullmatch(v))[:5_000]
    if personal:
        found |= {
            str(r["id"]) for r in store.read(_PERSONS_BY_VALUE, {"values": personal}) if r.get("id")
        }
    return found


def _code_only(query: str) -> str:
    """The query with string literals emptied, backtick identifiers blanked and comments removed.

    One left-to-right pass, as the engine's lexer reads it: an apostrophe inside a backtick
    identifier (`` `a'` ``) does not open a string, and a quote inside a comment does not
    either. Raises QueryRejected for an unterminated string, identifier or comment.

    >>> _code_only("WITH 1 AS `a'` CALL db.labels() // '")
    'WITH 1 AS `` CALL db.labels()  '
    >>> _code_only("RETURN 'CREATE (n)' AS s /* DELETE */")
    "RETURN '' AS s  "
    """
    out: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in "'\"`":
            j = i + 1
            while j < n and query[j] != c:
                j += 2 if query[j] == "\\" and c != "`" else 1
            if j >= n:
                what = "identifier" if c == "`" else "string"
                raise QueryRejected(f"the query has an unterminated {what} ({c}); close it")
            out.append(c + c)
            i = j + 1
        elif query.startswith("//", i):
            j = query.find("\n", i)
            out.append(" ")
            i = n if j < 0 else j
        elif query.startswith("/*", i):
            j = query.find("*/", i + 2)
            if j < 0:
                raise QueryRejected("the query has an unterminated /* comment; close it with */")
            out.append(" ")
            i = j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


_OPEN, _CLOSE = "([{", ")]}"


def nesting_depth(code: str) -> int:
    """How deeply brackets nest in ``code`` (strings already emptied); -1 if they do not balance.

    The engine's parser takes time exponential in the nesting of literals: a 74-byte
    ``RETURN [[[[...]]]]`` at depth 24 ran for 28 s past any time limit.

    >>> nesting_depth("MATCH (n) WHERE n.x IN [[1], [2]] RETURN n")
    2
    >>> nesting_depth("RETURN [1")
    -1
    """
    depth = deepest = 0
    stack: list[str] = []
    for c in code:
        if c in _OPEN:
            stack.append(_CLOSE[_OPEN.index(c)])
            depth += 1
            deepest = max(deepest, depth)
        elif c in _CLOSE:
            if not stack or stack.pop() != c:
                return -1
            depth -= 1
    return deepest if not stack else -1


def value_depth(value: Any) -> int:
    """How deeply lists and maps nest in a parameter value (a scalar is 0).

    >>> value_depth({"a": [[1], 2]}), value_depth("x")
    (3, 0)
    """
    deepest, todo = 0, [(value, 0)]
    while todo:  # iterative: a hostile value may nest thousands of levels
        item, depth = todo.pop()
        if isinstance(item, Mapping):
            todo.extend((v, depth + 1) for v in item.values())
            deepest = max(deepest, depth + 1)
        elif isinstance(item, list | tuple):
            todo.extend((v, depth + 1) for v in item)
            deepest = max(deepest, depth + 1)
    return deepest


def check_adhoc(query: str, max_length: int = MAX_QUERY_LENGTH) -> None:
    """Refuse, with a clear message, what ad-hoc Cypher may not do.

    >>> check_adhoc("MATCH (o:Organisation) RETURN o.name LIMIT 5")
    >>> check_adhoc("LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r")
    Traceback (most recent call last):
    ...
    scaleup_graph.store.base.QueryRejected: LOAD CSV is not allowed in ad-hoc queries; ...
    """
    if not query.strip():
        raise QueryRejected("the query is empty; send a Cypher read query in 'query'")
    if len(query) > max_length:
        raise QueryRejected(
            f"the query is {len(query)} characters long; the limit is {max_length}. "
            "Put long queries in the named catalogue instead"
        )
    if "\x00" in query:
        raise QueryRejected("the query contains a NUL byte; remove it")
    code = _code_only(query)
    depth = nesting_depth(code)
    if depth < 0:
        raise QueryRejected("the query's brackets ( [ { do not balance; close each one")
    if depth > MAX_NESTING:
        raise QueryRejected(
            f"brackets nest {depth} levels deep; ad-hoc queries allow at most {MAX_NESTING} "
            "(deeper literals take the database's parser exponentially long)"
        )
    if _LOAD_CSV.search(code):
        raise QueryRejected(
            "LOAD CSV is not allowed in ad-hoc queries; ingest files with `scaleup ingest` instead"
        )
    if _PROCEDURE_CALL.search(code):
        raise QueryRejected(
            "procedure calls (CALL ...) are not allowed in ad-hoc queries; "
            "CALL { ... } subqueries are fine"
        )
    write = _WRITES.search(code)
    if write:
        raise QueryRejected(
            f"ad-hoc queries are read-only ({write.group(1).upper()} found); "
            "editors change data through /api/v1/nodes"
        )
    for call in _RANGE_CALL.finditer(code):
        literal = _RANGE_LITERAL.match(code, call.start())
        step = int(literal.group(3) or 1) if literal else 0
        if (
            not literal
            or not step
            or abs(int(literal.group(2)) - int(literal.group(1))) > (_MAX_RANGE * abs(step))
        ):
            raise QueryRejected(
                "range() in ad-hoc queries takes integer literals and at most "
                f"{_MAX_RANGE:,} values (a larger list would exhaust the database's memory)"
            )
    if _SYSTEM.search(code):
        raise QueryRejected("system labels are not queryable; use the schema's labels")


def check_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameters as a dict, refused unless named like identifiers and nested at most
    :data:`MAX_NESTING` deep (they reach the engine's parser as literals)."""
    params = dict(params or {})
    if len(params) > _MAX_PARAMS or not all(
        isinstance(k, str) and _PARAM_NAME.fullmatch(k) for k in params
    ):
        raise QueryError(
            f"send at most {_MAX_PARAMS} parameters, each named like a Cypher identifier "
            "(letters, digits, underscore)"
        )
    deepest = value_depth(params) - 1
    if deepest > MAX_NESTING:
        raise QueryError(
            f"parameter values nest {deepest} levels deep; at most {MAX_NESTING} are allowed"
        )
    return params


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _holds_system(value: Any, hidden: set[str]) -> bool:
    if is_system_value(value):
        return True
    if isinstance(value, Mapping):
        return any(_holds_system(v, hidden) for v in value.values())
    if isinstance(value, list):
        return any(_holds_system(v, hidden) for v in value)
    return isinstance(value, str) and (value in hidden or value.startswith("_Suppressed"))


def run_adhoc(
    store: GraphStore,
    query: str,
    params: Mapping[str, Any] | None,
    role: str,
    *,
    timeout_ms: int,
    row_cap: int,
    max_length: int = MAX_QUERY_LENGTH,
    key_id: str = "",
    slots: AdhocSlots | None = None,
) -> AdhocResult:
    """Run an analyst's read-only Cypher with a time limit and a row cap.

    Parameters
    ----------
    store
        The graph store (its ``read_only`` is the engine-level guard).
    query, params
        Cypher text and its ``$parameters``.
    role
        The caller's capabilities; they must include ``analyst``. The query runs on the
        store's copy for what the key sees (:meth:`GraphStore.read_adhoc`: no personal
        properties without ``contacts``, no drafts without ``editor``/``admin``, no system
        nodes), and results are filtered again on the way out.
    timeout_ms, row_cap, max_length
        Limits; more rows than ``row_cap`` are cut off (in the query) and ``truncated`` is set.
    key_id, slots
        The caller's key and the concurrency slots: :class:`TooBusy` when either is taken.

    Returns
    -------
    AdhocResult
        Rows without system data (erased persons' hashes never show).
    """
    if not has_role(role, ADHOC_ROLE):
        raise PermissionDenied(ADHOC_ROLE, role)
    check_adhoc(query, max_length)
    params = check_params(params)
    # The query runs where what the key may not see does not exist (personal properties
    # without contacts, drafts without editor, system nodes for all): it can neither return
    # nor filter, sort or count by it.
    with slots.hold(key_id) if slots is not None else contextlib.nullcontext():
        rows, truncated = store.read_adhoc(
            query,
            params,
            timeout_ms=timeout_ms,
            row_cap=row_cap,
            personal=sees_pii(role),
            drafts=visibility(role).drafts,
        )
    candidates = {s for row in rows for s in _strings(row) if _HASH.match(s)}
    hidden = store.suppressed(candidates) if candidates else set()
    visible = [row for row in rows if not _holds_system(row, hidden)]
    columns = list(rows[0]) if rows else []
    shown = strip_pii(drop_hidden(visible, role), role)
    personal = sees_pii(role) and (touches_personal_fields(query) or bool(person_ids(shown)))
    subjects = frozenset(personal_subjects(store, shown)) if personal else frozenset()
    return AdhocResult(
        rows=shown, truncated=truncated, columns=columns, personal=personal, subject_ids=subjects
    )
