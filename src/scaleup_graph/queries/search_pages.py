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
A page whose rows are not all there any more (a write deleted one between the generation check
and the page read) is answered by the composed text. Stores without a shared write counter
(Neo4j: :attr:`~scaleup_graph.store.base.GraphStore.shared_generation` false) and searches with
name text (the full-text index ranks those and cuts the page itself) take the composed text.

>>> _kept_key({"q": "", "topic": "software", "region": "", "kind": "", "skip": 40}, "g:7")
('g:7', 'software', '', '')
>>> _rows_to_read(0, 21), _rows_to_read(240, 21), _rows_to_read(5000, 21)
(256, 1024, 0)
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
_lock = threading.Lock()
#: key -> (ids in the search's order, whether they are all the search's rows)
_kept: OrderedDict[_Key, tuple[tuple[str, ...], bool]] = OrderedDict()


def _kept_key(bound: Mapping[str, Any], generation: str) -> _Key:
    return (generation, bound["topic"], bound["region"], bound["kind"])


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
    text = falkordb_ids_text(bound)
    sent = {k: v for k, v in bound.items() if f"${k}" in text}
    rows = store.read(text, {**sent, "upto": upto}, timeout_ms=timeout_ms)
    ids = tuple(str(i) for i in rows[0]["ids"]) if rows else ()
    with _lock:
        _kept[key] = (ids, len(ids) < upto)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_LISTINGS:
            _kept.popitem(last=False)
    return ids


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
