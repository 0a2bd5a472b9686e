"""Pages of an organisation search without name text, cut from ids kept per graph generation.

A search by topic, region or kind alone (no ``q``) has no index that hands its matches over in
name order: the engine finds every match (5,419 organisations have the topic "Software" at
40,000; a kind or a region alone, tens of thousands), reads every name and ranks them all for
each 20-row page, so every page costs what all matches cost (engine 4-5 ms for that topic,
40-150 ms for a kind or a region). FalkorDB's range index does not help: a name range combined
with the topic costs more than the topic alone.

Here the ids of the first rows, in the order of the composed text
(:func:`~scaleup_graph.queries.search_organisations.falkordb_ids_text`: ranked by the engine as
the page was, then cut at :data:`FIRST_ROWS` or twice the rows asked for, whichever is more),
are read once per graph generation and filter values and kept in this process: that read costs
about what a page cost before. Each page inside them then reads only its own rows, by id (an
index lookup each). A page beyond :data:`MOST_ROWS` is answered by the composed text, as before.

The generation is the write counter every process's write bumps (one GET): any write, a
property edit of another worker included, makes the next page read the ids again. The bump
comes after the write, so ids read at a generation never miss a write that generation names.

That read, for a region or a kind, ranks only the rows up to the last name the listing before
it held (:data:`_last_names`, per filter values, whatever the generation): such a search
scores every row 1.0 and is ranked by name, then id, so the rows whose name is not after that
name are the search's first rows, whatever any process wrote since. The engine tests the
region and kind only for the rows before that name, and ranks only those. A write that
deleted or renamed rows before that name leaves fewer of them: a page they do not reach is
read with every row ranked, as the first listing of a filter is. Without a region or kind
(no filter, a topic alone) every row's name is read once either way, to rank it or to compare
it, and every row is ranked (no filter reads the organisations by label, no longer through
the full-text index: 27 against 47 ms at 40,000).
A page whose rows are not all there any more (a write deleted one between the generation check
and the page read) is answered by the composed text. Stores without a shared write counter
(Neo4j: :attr:`~scaleup_graph.store.base.GraphStore.shared_generation` false) and searches with
name text (the full-text index ranks those and cuts the page itself) take the composed text.

>>> _kept_key({"q": "", "topic": "software", "region": "", "kind": "", "skip": 40}, "g:7")
('g:7', 'software', '', '')
>>> _rows_to_read(0, 21), _rows_to_read(240, 21), _rows_to_read(5000, 21)
(256, 1024, 0)
>>> _filters({"q": "", "topic": "software", "region": "", "kind": "SME", "skip": 0})
('software', '', 'SME')
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from scaleup_graph.queries.search_organisations import PAGE_BY_IDS, falkordb_ids_text
from scaleup_graph.store import GraphStore

__all__ = ["FIRST_ROWS", "KEPT_LISTINGS", "MOST_ROWS", "clear", "page"]

#: The ids read at first for a search (the engine keeps the best ones as it goes): 12 pages of 20
FIRST_ROWS = 256
#: Pages ending beyond this many rows are answered by the composed text (ranking more ids in the
#: engine than that costs more than the page did)
MOST_ROWS = 4096
#: At most this many listings are kept (least recently used go first): 64 x 4,096 ids at most
KEPT_LISTINGS = 64

_Key = tuple[str, str, str, str]
_Filters = tuple[str, str, str]
_lock = threading.Lock()
#: key -> (ids in the search's order, whether they are all the search's rows)
_kept: OrderedDict[_Key, tuple[tuple[str, ...], bool]] = OrderedDict()
#: filter values -> (the last text name the latest listing held, how many rows it held up to
#: it), in any generation: where the next listing of these filters may stop ranking
_last_names: OrderedDict[_Filters, tuple[str, int]] = OrderedDict()


def _filters(bound: Mapping[str, Any]) -> _Filters:
    return (bound["topic"], bound["region"], bound["kind"])


def _kept_key(bound: Mapping[str, Any], generation: str) -> _Key:
    return (generation, *_filters(bound))


def _rows_to_read(skip: int, limit: int) -> int:
    """How many ids to read for a page ending at ``skip + limit``: FIRST_ROWS, or twice the end
    as a power of two; 0 beyond MOST_ROWS (the composed text answers)."""
    end = skip + limit
    if end > MOST_ROWS:
        return 0
    upto = FIRST_ROWS
    while upto < 2 * end:
        upto *= 2
    return min(upto, MOST_ROWS)


def clear() -> None:
    """Forget every kept listing (tests; the generation makes stale ones unreachable anyway)."""
    with _lock:
        _kept.clear()
        _last_names.clear()


def _listing(
    store: GraphStore, bound: Mapping[str, Any], end: int, timeout_ms: int | None
) -> tuple[str, ...] | None:
    """The ids of the search's first rows, at least up to row ``end`` where the search has that
    many: kept, or read and kept; None where the composed text answers (beyond MOST_ROWS)."""
    key = _kept_key(bound, store.generation())
    with _lock:
        kept = _kept.get(key)
        if kept is not None and (kept[1] or len(kept[0]) >= end):
            _kept.move_to_end(key)
            return kept[0]
    upto = _rows_to_read(int(bound["skip"]), int(bound["limit"]))
    if not upto:
        return None
    with _lock:
        last = _last_names.get(_filters(bound))
    ids: tuple[str, ...] | None = None
    # a region or kind is tested row by row: only then does stopping at the name save work
    # (without them each row's name is read once either way, to rank or to compare)
    tested = bool(bound["region"] or bound["kind"])
    if tested and last is not None and last[1] >= end:  # the rows up to it reached this page
        ids, last_name = _read_ids(store, bound, upto, last[0], timeout_ms)
        complete = False  # only the rows up to that name were ranked
        if len(ids) < end:
            ids = None  # rows deleted or renamed since: rank every row
    if ids is None:
        ids, last_name = _read_ids(store, bound, upto, None, timeout_ms)
        complete = len(ids) < upto
    with _lock:
        _kept[key] = (ids, complete)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_LISTINGS:
            _kept.popitem(last=False)
        if last_name is not None:
            _last_names[_filters(bound)] = last_name
            _last_names.move_to_end(_filters(bound))
            while len(_last_names) > KEPT_LISTINGS:
                _last_names.popitem(last=False)
    return ids


def _read_ids(
    store: GraphStore,
    bound: Mapping[str, Any],
    upto: int,
    up_to: str | None,
    timeout_ms: int | None,
) -> tuple[tuple[str, ...], tuple[str, int] | None]:
    """The ids of the search's first ``upto`` rows, or with ``up_to`` of its first rows among
    those up to that name, and the last text name among them with its place (where the next
    listing may stop ranking; None if no name is a text).

    A name that is not a text ranks by its type, before or after every text (FalkorDB: a list
    or a date before, a number or none after). The rows up to that name hold every row whose
    name is not a text, so past their last text name they may hold a row that ranks after
    rows they do not hold: the ids up to ``up_to`` are cut after their last text name."""
    text = falkordb_ids_text(bound, up_to=up_to is not None)
    sent = {k: v for k, v in bound.items() if f"${k}" in text}
    if up_to is not None:
        sent["up_to"] = up_to
    rows = store.read(text, {**sent, "upto": upto}, timeout_ms=timeout_ms)
    if not rows:
        return (), None
    ids = tuple(str(i) for i in rows[0]["ids"])
    texts = [place for place, name in enumerate(rows[0]["names"]) if isinstance(name, str)]
    if not texts:
        return (() if up_to is not None else ids), None
    last = texts[-1]
    if up_to is not None:
        ids = ids[: last + 1]
    return ids, (str(rows[0]["names"][last]), last + 1)


def page(
    store: GraphStore, bound: Mapping[str, Any], timeout_ms: int | None = None
) -> list[dict[str, Any]] | None:
    """The rows of ``search_organisations`` for ``bound`` (its bound parameters) read by id from
    the kept ids, unfiltered; None where the composed text answers (see the module's text)."""
    if bound["q"] or store.dialect != "falkordb" or not getattr(store, "shared_generation", False):
        return None
    skip, limit = int(bound["skip"]), int(bound["limit"])
    ids = _listing(store, bound, skip + limit, timeout_ms)
    if ids is None:
        return None
    wanted = ids[skip : skip + limit]
    if not wanted:
        return []
    rows = store.read(PAGE_BY_IDS, {"ids": list(wanted)}, timeout_ms=timeout_ms)
    by_id = {row["id"]: row for row in rows}
    if len(rows) != len(wanted) or any(i not in by_id for i in wanted):
        return None  # deleted since the generation was read: the composed text answers
    return [by_id[i] for i in wanted]
