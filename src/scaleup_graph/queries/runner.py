"""Run a named query for a caller with a role: bind parameters, pick the dialect, filter output."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scaleup_graph.queries import search_pages
from scaleup_graph.queries.catalogue import NamedQuery, catalogue
from scaleup_graph.queries.errors import PermissionDenied, QueryNotFound
from scaleup_graph.queries.privacy import (
    drop_hidden,
    has_role,
    is_system_value,
    plain_answer,
    strip_pii,
    visibility,
)
from scaleup_graph.store import GraphStore

__all__ = ["PAGED", "WALKED", "QueryResult", "get_query", "run_query"]


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows of a named query, already filtered for the caller's role."""

    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    params: dict[str, Any]


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; QueryNotFound lists the names there are."""
    queries = catalogue()
    try:
        return queries[name]
    except KeyError:
        raise QueryNotFound(name, sorted(queries)) from None


def _bounded_walk(
    store: GraphStore, role: str, bound: Mapping[str, Any], timeout_ms: int | None
) -> list[dict[str, Any]]:
    from scaleup_graph.queries.neighbourhood import bounded_neighbourhood

    body = bounded_neighbourhood(
        store,
        role,
        bound["id"],
        node_label=bound["label"],
        hops=bound["hops"],
        labels=bound["labels"],
        limit=bound["limit"],
        timeout_ms=timeout_ms,
    )
    return [] if body is None else [body]


#: Named queries answered by code that sends several bounded statements instead of the file's
#: text: the ``neighbourhood`` text walks everything within N hops before it keeps ``limit``
#: nodes (the whole region and every firm sharing a topic), so anyone with a viewer key could
#: make the engine touch most of the graph. The text stays in the catalogue as the reference
#: the tests compare the bounded walk with. Each function filters its rows for the role itself.
WALKED: dict[
    str, Callable[[GraphStore, str, Mapping[str, Any], int | None], list[dict[str, Any]]]
] = {"neighbourhood": _bounded_walk}


#: Named queries whose pages may be cut from ids kept per graph generation: a function of the
#: store, the bound parameters and the time limit giving the unfiltered rows, or None where the
#: query's text answers (:mod:`scaleup_graph.queries.search_pages`: a search without name text,
#: whose every page otherwise reads and sorts every match).
PAGED: dict[
    str, Callable[[GraphStore, Mapping[str, Any], int | None], list[dict[str, Any]] | None]
] = {"search_organisations": search_pages.page}


#: Values with nothing inside, skipped without a call (most values in a row are these).
_SCALARS = (str, int, float, bool, type(None))


def _has_system_value(value: Any) -> bool:
    """True if a node with a system label is anywhere in ``value`` (mappings and lists).

    One walk with a stack instead of a call per value: a detail answer's few dozen values cost
    a recursive call each (some 60 us of the request at 40,000 organisations).
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict | Mapping):  # a dict without the ABC's Python-level check
            if is_system_value(item):
                return True
            stack.extend(v for v in item.values() if not isinstance(v, _SCALARS))
        elif isinstance(item, list):
            stack.extend(v for v in item if not isinstance(v, _SCALARS))
    return False


def run_query(
    store: GraphStore,
    name: str,
    params: Mapping[str, Any] | None,
    principal_role: str,
    *,
    from_text: bool = False,
    timeout_ms: int | None = None,
) -> QueryResult:
    """Run the named query ``name`` as a caller with ``principal_role``.

    Parameters
    ----------
    store
        The graph store.
    name
        A name from :func:`~scaleup_graph.queries.catalogue.catalogue`.
    params
        Raw parameter values (JSON types, or shell text with ``from_text``).
    principal_role
        The caller's role; the query's declared role must be included in it, and personal fields
        are removed from the rows unless it includes ``contacts``.
    from_text
        Parse values given as text (``scaleup query NAME -p hops=2``).
    timeout_ms
        Time limit for the database.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryNotFound, ParamError, PermissionDenied
        Caller errors, each with a message saying what to do.
    """
    query = get_query(name)
    if not has_role(principal_role, query.role):
        raise PermissionDenied(query.role, principal_role)
    bound = query.bind(params or {}, from_text=from_text, dialect=store.dialect)
    walk = WALKED.get(name)
    if walk is not None:
        return QueryResult(
            name=name,
            columns=query.columns,
            rows=walk(store, principal_role, bound, timeout_ms),
            params=bound,
        )
    paged = PAGED.get(name)
    rows = paged(store, bound, timeout_ms) if paged is not None else None
    if rows is not None:
        return QueryResult(
            name=name,
            columns=query.columns,
            rows=_filtered(rows, principal_role, query.pii_columns),
            params=bound,
        )
    text = query.text(store.dialect, bound)
    # Only the parameters the text names are sent: the driver quotes each one and the engine
    # parses it (the search's 21 fold pairs, unused by its composed text, cost 0.05 ms a
    # request). What the caller does not see at all goes to queries that walk
    # (``$seen_hidden_types``, ``$seen_drafts``); the answer is filtered again below.
    sent = {k: v for k, v in bound.items() if f"${k}" in text}
    if "$seen_" in text:
        sent.update(visibility(principal_role).query_params())
    rows = store.read(text, sent, timeout_ms=timeout_ms)
    return QueryResult(
        name=name,
        columns=query.columns,
        rows=_filtered(rows, principal_role, query.pii_columns),
        params=bound,
    )


def _filtered(
    rows: list[dict[str, Any]], role: str, pii_columns: frozenset[str]
) -> list[dict[str, Any]]:
    """The rows ``role`` sees: rows holding a system-labelled node left out, then
    :func:`drop_hidden` and :func:`strip_pii`. An answer none of them can change
    (:func:`plain_answer`: one walk) skips the three walks and keeps its values as they are;
    :func:`strip_pii` still leaves out the declared personal columns (its ``plain`` way)."""
    if plain_answer(rows):
        return strip_pii(rows, role, pii_columns, plain=True)
    rows = [row for row in rows if not _has_system_value(row)]
    return strip_pii(drop_hidden(rows, role), role, pii_columns)
