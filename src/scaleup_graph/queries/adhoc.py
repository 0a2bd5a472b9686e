"""Guarded ad-hoc Cypher for analysts.

The engine is the guard: FalkorDB runs the text as GRAPH.RO_QUERY, which refuses any write; the
Neo4j adapter checks the plan and runs a READ transaction (store.read_only). The lexical check
here comes first only to give a clear message for what a read-only engine may still allow
(LOAD CSV can read server files; procedures can do anything) and to keep system data (the
``_Suppressed`` list of erased persons) out of answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scaleup_graph.queries.errors import PermissionDenied, QueryError
from scaleup_graph.queries.privacy import has_role, is_system_value, strip_pii
from scaleup_graph.store import GraphStore, QueryRejected

__all__ = ["ADHOC_ROLE", "MAX_QUERY_LENGTH", "AdhocResult", "check_adhoc", "run_adhoc"]

ADHOC_ROLE = "analyst"
MAX_QUERY_LENGTH = 5_000
_MAX_PARAMS = 50

_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_PROCEDURE_CALL = re.compile(r"\bCALL\s+(?!\{)", re.IGNORECASE)
_WRITES = re.compile(r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|FOREACH)\b", re.IGNORECASE)
_SYSTEM = re.compile(r"_Suppressed", re.IGNORECASE)
_HASH = re.compile(r"^[0-9a-f]{64}$")
# FalkorDB allocates a range() list whole, before any time limit applies: range(1, 2000000000)
# asks for 32 GB and the server aborts. Ad-hoc range() takes integer literals, bounded.
_RANGE_CALL = re.compile(r"\brange\s*\(", re.IGNORECASE)
_RANGE_LITERAL = re.compile(r"range\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*(?:,\s*(-?\d+)\s*)?\)", re.I)
_MAX_RANGE = 1_000_000
# The driver writes parameter names into the query's CYPHER header unquoted: identifiers only.
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


@dataclass(frozen=True, slots=True)
class AdhocResult:
    rows: list[dict[str, Any]]
    truncated: bool
    columns: list[str]


def _code_only(query: str) -> str:
    # String literals and comments may say "CREATE" or "LOAD CSV" harmlessly; look at code only.
    return _COMMENTS.sub(" ", _STRINGS.sub("''", query))


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
) -> AdhocResult:
    """Run an analyst's read-only Cypher with a time limit and a row cap.

    Parameters
    ----------
    store
        The graph store (its ``read_only`` is the engine-level guard).
    query, params
        Cypher text and its ``$parameters``.
    role
        The caller's role; it must include ``analyst``. Personal fields are stripped unless it
        includes ``contacts`` (with cumulative roles every analyst does).
    timeout_ms, row_cap, max_length
        Limits; more rows than ``row_cap`` are cut off and ``truncated`` is set.

    Returns
    -------
    AdhocResult
        Rows without system data (erased persons' hashes never show).
    """
    if not has_role(role, ADHOC_ROLE):
        raise PermissionDenied(ADHOC_ROLE, role)
    check_adhoc(query, max_length)
    params = dict(params or {})
    if len(params) > _MAX_PARAMS or not all(
        isinstance(k, str) and _PARAM_NAME.fullmatch(k) for k in params
    ):
        raise QueryError(
            f"send at most {_MAX_PARAMS} parameters, each named like a Cypher identifier "
            "(letters, digits, underscore)"
        )
    rows, truncated = store.read_only(query, params, timeout_ms=timeout_ms, row_cap=row_cap)
    candidates = {s for row in rows for s in _strings(row) if _HASH.match(s)}
    hidden = store.suppressed(candidates) if candidates else set()
    visible = [row for row in rows if not _holds_system(row, hidden)]
    columns = list(rows[0]) if rows else []
    return AdhocResult(rows=strip_pii(visible, role), truncated=truncated, columns=columns)
