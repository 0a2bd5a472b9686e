"""A projection of the store: the whole graph or the part a filter keeps.

The structure comes as integer arrays (:class:`~scaleup_graph.analytics.arrays.GraphArrays`):
one Cypher per label returns the engine's node ids with the node ids, one per relationship type
returns the pairs of engine ids, and numpy maps them to indices; the fast metrics run on these
arrays. A networkx graph with node attributes (names, kinds, dates, region) is built from them
only when asked for (``networkx=True``, the default): matchmaking, exports, snapshots and the
metrics that have no array implementation use it.

The filter is pushed into Cypher (labels and relationship types in the MATCH, time windows and
region/project membership in WHERE), so what it excludes is never transferred. Persons are left
out unless asked for, and then carried by id only: no analytics result can hold a person's name.

Example
-------
>>> f = ProjectionFilter(labels=("Organisation", "Project"), since="2021-01-01")
>>> f.node_labels()
('Organisation', 'Project')
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from scaleup_graph.analytics.arrays import GraphArrays
from scaleup_graph.analytics.errors import AnalyticsError, GraphTooSmall
from scaleup_graph.graph_model import KEY, NODE_TYPES, ORGANISATION_KINDS, REL_TYPES, is_personal
from scaleup_graph.queries.privacy import Visibility, visibility
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cy_label
from scaleup_graph.store.cypher import rel as cy_rel

__all__ = [
    "NODE_ATTRIBUTES",
    "Projection",
    "ProjectionFilter",
    "clear_projection_cache",
    "project",
    "require_size",
]

#: Node properties a projection carries (never personal data, never long texts).
NODE_ATTRIBUTES = (
    "name",
    "short_name",
    "kinds",
    "sector",
    "city",
    "country",
    "nuts_code",
    "activity_type",
    "topics",
    "status",
    "kind",
    "acronym",
    "level",
    "start_date",
    "end_date",
    "date",
    "created_at",
    "closed_at",
    "published_at",
    "synthetic",
)
_PROJECTION = "n {" + ", ".join(f".{a}" for a in (KEY, *NODE_ATTRIBUTES)) + "}"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MIN_DATE, _MAX_DATE = "0000-01-01", "9999-12-31"


def _active(var: str) -> str:
    """Cypher predicate: the node's own date interval overlaps [$since, $until].

    Undated nodes are always active; ``var`` is a variable name we write ourselves.
    """
    v = var
    return (
        f"coalesce({v}.end_date, {v}.closed_at, {v}.date, {v}.published_at, {v}.start_date, "
        f"{v}.created_at, $until) >= $since AND coalesce({v}.start_date, {v}.created_at, "
        f"{v}.date, {v}.published_at, $since) <= $until"
    )


# A relationship with a ``since`` exists from then on; one with a ``date`` happened that day.
_REL_ACTIVE = "coalesce(e.since, e.date, $since) <= $until AND coalesce(e.date, $until) >= $since"


@dataclass(frozen=True, slots=True)
class ProjectionFilter:
    """What part of the graph to project.

    Parameters
    ----------
    labels
        Node labels to keep (schema labels or organisation kinds such as ``SME``); empty keeps
        every label except Person.
    rel_types
        Relationship types to keep; empty keeps all.
    region
        A Region id (``region-de73``) or NUTS code prefix (``DE73``): keeps the actors located
        there and the projects, events, topics ... they are directly linked to.
    projects
        Project ids: keeps those projects and everything directly linked to them.
    since, until
        ISO dates: keeps nodes whose dates overlap the window and relationships dated in it;
        undated nodes and relationships are always kept.
    include_persons
        Keep Person nodes (by id only, without any personal field).
    role
        The role the result is for: what it does not see at all (challenges in draft, KNOWS
        between persons: :class:`~scaleup_graph.queries.privacy.Visibility`) is left out in
        the query. None projects everything (the operator's own analysis on the command line).
    """

    labels: tuple[str, ...] = ()
    rel_types: tuple[str, ...] = ()
    region: str | None = None
    projects: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    include_persons: bool = False
    role: str | None = None

    def __post_init__(self) -> None:
        allowed = set(NODE_TYPES) | set(ORGANISATION_KINDS)
        unknown = [x for x in self.labels if x not in allowed]
        if unknown:
            raise AnalyticsError(
                f"unknown label(s) {', '.join(unknown)}; use: {', '.join(sorted(allowed))}"
            )
        unknown = [x for x in self.rel_types if x not in REL_TYPES]
        if unknown:
            raise AnalyticsError(
                f"unknown relationship type(s) {', '.join(unknown)}; use: "
                f"{', '.join(sorted(REL_TYPES))}"
            )
        for name, value in (("since", self.since), ("until", self.until)):
            if value is not None and not _DATE.match(value):
                raise AnalyticsError(f"{name} must be a date like 2022-01-31")
        if self.since and self.until and self.since > self.until:
            raise AnalyticsError(f"since ({self.since}) is after until ({self.until})")
        if self.role is not None:
            try:
                visibility(self.role)
            except ValueError as exc:
                raise AnalyticsError(str(exc)) from None

    @property
    def seen(self) -> Visibility:
        """What the result's reader sees (everything without a role)."""
        return visibility(self.role) if self.role is not None else Visibility(True, True)

    def node_labels(self) -> tuple[str, ...]:
        """The labels to load, in schema order when no label was named."""
        if self.labels:
            return self.labels
        return tuple(x for x in NODE_TYPES if not is_personal(x) or self.include_persons)

    def relationship_types(self) -> tuple[str, ...]:
        hidden = self.seen.hidden_rel_types
        return tuple(t for t in self.rel_types or tuple(REL_TYPES) if t not in hidden)

    @property
    def timed(self) -> bool:
        return self.since is not None or self.until is not None

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


@dataclass(slots=True)
class Projection:
    """A projected graph and how it was made.

    ``arrays`` is the structure (always there). ``graph`` is directed as the schema's
    relationships are; parallel relationships between two nodes are one edge with ``types``
    (sorted) and ``weight`` (how many). Node attributes: ``label`` (schema label), ``kinds``,
    ``region`` (id of the Region it is located in) and :data:`NODE_ATTRIBUTES` where set. It
    exists when the projection was made with ``networkx=True``.
    """

    arrays: GraphArrays
    filter: ProjectionFilter
    seconds: float
    _graph: nx.DiGraph | None = field(default=None, repr=False)
    _undirected: nx.Graph | None = field(default=None, repr=False)

    @property
    def has_graph(self) -> bool:
        return self._graph is not None

    @property
    def graph(self) -> nx.DiGraph:
        if self._graph is None:
            raise AnalyticsError(
                "this projection holds arrays only; project it with networkx=True for the "
                "networkx graph"
            )
        return self._graph

    def undirected(self) -> nx.Graph:
        """The same graph with directions dropped (weights of opposite edges summed)."""
        if self._undirected is None:
            und = nx.Graph()
            und.add_nodes_from(self.graph.nodes(data=True))
            for a, b, data in self.graph.edges(data=True):
                if und.has_edge(a, b):
                    old = und.edges[a, b]
                    old["weight"] += data["weight"]
                    old["types"] = sorted(set(old["types"]) | set(data["types"]))
                else:
                    und.add_edge(a, b, weight=data["weight"], types=list(data["types"]))
            self._undirected = und
        return self._undirected

    def labels(self) -> dict[str, str]:
        """Node id -> schema label."""
        names = self.arrays.label_names
        return dict(
            zip(self.arrays.nodes, (names[i] for i in self.arrays.labels.tolist()), strict=True)
        )

    def describe(self) -> dict[str, Any]:
        arr = self.arrays
        counts = np.bincount(arr.labels, minlength=len(arr.label_names)).tolist()
        labels = {name: c for name, c in zip(arr.label_names, counts, strict=True) if c}
        n = max(len(arr.nodes), 1)
        loops = arr.src == arr.dst
        directed = len(np.unique(arr.src[~loops] * n + arr.dst[~loops]))
        return {
            "nodes": arr.number_of_nodes(),
            "edges": directed,
            "labels": dict(sorted(labels.items())),
            "filter": self.filter.as_dict(),
            "seconds": round(self.seconds, 3),
        }


def require_size(
    graph: nx.Graph | GraphArrays, *, nodes: int = 2, edges: int = 1, what: str = ""
) -> None:
    """Raise :class:`GraphTooSmall` with advice when ``graph`` is below the minimum."""
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    if n < nodes or m < edges:
        for_what = f" for {what}" if what else ""
        raise GraphTooSmall(
            f"the filtered graph has {n} node(s) and {m} relationship(s), too few{for_what} "
            f"(needs at least {nodes} nodes and {edges} relationship(s)); widen the filter "
            "(fewer label/type restrictions, a larger region or time window) or load data first"
        )


def _window(flt: ProjectionFilter) -> dict[str, str]:
    return {"since": flt.since or _MIN_DATE, "until": flt.until or _MAX_DATE}


def _scope_ids(store: GraphStore, flt: ProjectionFilter) -> set[str] | None:
    """Node ids a region or project filter keeps (both: what both keep), or None when neither
    is set."""
    scopes: list[set[str]] = []
    if flt.region:
        scopes.append(_region_scope(store, flt.region.strip()))
    if flt.projects:
        scopes.append(_project_scope(store, flt.projects))
    if not scopes:
        return None
    keep = scopes[0]
    for other in scopes[1:]:
        keep &= other
    return keep


def _region_scope(store: GraphStore, code: str) -> set[str]:
    """The region (an id or a NUTS prefix), its sub-regions, what is located in them and what
    those are linked to (projects, events, ...; not other organisations or regions)."""
    regions = {
        r["id"]
        for r in store.read(
            "MATCH (r:Region) WHERE r.id = $id OR toUpper(r.nuts_code) STARTS WITH $code "
            "RETURN r.id AS id",
            {"id": code, "code": code.upper()},
        )
    }
    if not regions:
        raise AnalyticsError(
            "no region with this id or code: give a Region id (region-de73) or a NUTS code "
            "prefix "
            "(DE7, DE73) that the store holds"
        )
    # Sub-regions (PART_OF) count as inside; NUTS codes nest, so the prefix covers most.
    for row in store.read(
        "MATCH (s:Region)-[:PART_OF*1..4]->(r:Region) WHERE r.id IN $ids RETURN s.id AS id",
        {"ids": sorted(regions)},
    ):
        regions.add(row["id"])
    # Per label, so every lookup by id can use the label's index.
    located: dict[str, set[str]] = {}
    for lab in REL_TYPES["LOCATED_IN"].sources:
        located[lab] = {
            row["id"]
            for row in store.read(
                f"MATCH (n:{cy_label(lab)})-[:LOCATED_IN]->(r:Region) WHERE r.id IN $ids "
                "RETURN n.id AS id",
                {"ids": sorted(regions)},
            )
        }
    located["Organisation"] |= {
        row["id"]
        for row in store.read(
            "MATCH (n:Organisation) WHERE toUpper(n.nuts_code) STARTS WITH $code RETURN n.id AS id",
            {"code": code.upper()},
        )
    }
    linked: set[str] = set()
    for lab, ids in located.items():
        linked |= {
            row["id"]
            for row in store.read(
                f"UNWIND $ids AS id MATCH (a:{cy_label(lab)} {{{KEY}: id}})--(n) "
                "WHERE NOT n:Organisation AND NOT n:Region "
                "RETURN DISTINCT n.id AS id",
                {"ids": sorted(ids)},
            )
        }
        linked |= ids
    return regions | linked


def _project_scope(store: GraphStore, projects: tuple[str, ...]) -> set[str]:
    """The projects and every node linked to them."""
    found = store.existing_ids("Project", projects)
    missing = sorted(set(projects) - found)
    if missing:
        raise AnalyticsError(
            f"no project with {len(missing)} of the ids given; check the ids in the explorer "
            "(search for the project) and pass Project ids such as project-..."
        )
    linked = {
        row["id"]
        for row in store.read(
            "UNWIND $ids AS id MATCH (p:Project {id: id})--(n) RETURN DISTINCT n.id AS id",
            {"ids": sorted(found)},
        )
    }
    return found | linked


def _primary_label(labels: Iterable[str]) -> str | None:
    for lab in labels:
        if lab in NODE_TYPES:
            return lab
    return None


def _primary_of(lab: str) -> str | None:
    """The schema label of nodes found by ``lab`` (a schema label or an organisation kind)."""
    if lab in NODE_TYPES:
        return lab
    return next((name for name, nt in NODE_TYPES.items() if lab in nt.extra_labels), None)


def _node_query(flt: ProjectionFilter, lab: str, scope: set[str] | None, ret: str) -> str:
    conditions = [_active("n")] if flt.timed else []
    if not flt.seen.drafts:  # what the reader does not see at all is not read (issue 15)
        conditions.append(flt.seen.node_clause("n"))
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    if scope is None:
        return f"MATCH (n:{cy_label(lab)}){where} {ret}"
    return f"UNWIND $ids AS id MATCH (n:{cy_label(lab)} {{{KEY}: id}}){where} {ret}"


def _load_arrays(store: GraphStore, flt: ProjectionFilter, scope: set[str] | None) -> GraphArrays:
    """The filtered graph's structure as integer arrays (two lists per query, no row objects)."""
    params: dict[str, Any] = _window(flt)
    if scope is not None:
        params["ids"] = sorted(scope)
    label_names: list[str] = []
    engine_ids, keys, codes = [], [], []
    for lab in flt.node_labels():
        primary = _primary_of(lab)
        if primary is None or (is_personal(primary) and not flt.include_persons):
            continue
        # Persons too by engine id and key only: no property of theirs is read.
        ret = f"RETURN collect(id(n)) AS node, collect(n.{KEY}) AS key"
        found, found_keys = store.read_keyed_ids(_node_query(flt, lab, scope, ret), params)
        if primary not in label_names:
            label_names.append(primary)
        engine_ids.append(found)
        keys += found_keys
        codes.append(np.full(len(found), label_names.index(primary), dtype=np.int8))
    internal = np.concatenate(engine_ids) if engine_ids else np.empty(0, dtype=np.int64)
    labels = np.concatenate(codes) if codes else np.empty(0, dtype=np.int8)
    # a node found by two labels (Organisation and SME) counts once, where it was found first
    _, first = np.unique(internal, return_index=True)
    first.sort()
    internal, labels = internal[first], labels[first]
    nodes = [keys[i] for i in first.tolist()]
    lookup = np.full(int(internal.max()) + 1 if len(internal) else 0, -1, dtype=np.int64)
    lookup[internal] = np.arange(len(internal))

    conditions = [_REL_ACTIVE, _active("a"), _active("b")] if flt.timed else []
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    srcs, dsts, rels = [], [], []
    rel_types: list[str] = []
    counts = np.bincount(labels, minlength=len(label_names)).tolist()
    per_label = dict(zip(label_names, counts, strict=True))
    present = _present_types(store)
    for type_ in flt.relationship_types():
        rt = REL_TYPES[type_]
        starts = [lab for lab in rt.sources if per_label.get(lab)]
        ends = [lab for lab in rt.targets if per_label.get(lab)]
        if not starts or not ends or type_ not in present:
            continue
        # anchored on the side with fewer nodes: the engine scans that label's nodes and
        # follows their links of this type, never every node of the graph
        from_start = sum(per_label[x] for x in starts) <= sum(per_label[x] for x in ends)
        for anchor in starts if from_start else ends:
            a_label = f":{cy_label(anchor)}" if from_start else ""
            b_label = "" if from_start else f":{cy_label(anchor)}"
            pairs = store.read_int_lists(
                f"MATCH (a{a_label})-[e:{cy_rel(type_)}]->(b{b_label}){where} "
                "RETURN collect(id(a)) AS a, collect(id(b)) AS b",
                params,
            )
            if not pairs or not len(pairs["a"]):
                continue
            a, b = _indices(lookup, pairs["a"]), _indices(lookup, pairs["b"])
            # endpoints the node filter dropped (kinds, persons, scope, time) drop the link
            keep = (a >= 0) & (b >= 0)
            if type_ not in rel_types:
                rel_types.append(type_)
            srcs.append(a[keep])
            dsts.append(b[keep])
            rels.append(np.full(int(keep.sum()), rel_types.index(type_), dtype=np.int8))
    empty = np.empty(0, dtype=np.int64)
    return GraphArrays(
        nodes=nodes,
        labels=labels,
        label_names=tuple(label_names),
        src=np.concatenate(srcs) if srcs else empty,
        dst=np.concatenate(dsts) if dsts else empty,
        rel=np.concatenate(rels) if rels else np.empty(0, dtype=np.int8),
        rel_types=tuple(rel_types),
    )


def _present_types(store: GraphStore) -> set[str]:
    """The relationship types the graph holds (the engine's catalogue: no scan)."""
    rows = store.read("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType")
    return {str(r["relationshipType"]) for r in rows}


def _indices(lookup: np.ndarray, engine_ids: np.ndarray) -> np.ndarray:
    """Node indices of engine ids; -1 for nodes outside the projection."""
    out = np.full(len(engine_ids), -1, dtype=np.int64)
    inside = engine_ids < len(lookup)
    out[inside] = lookup[engine_ids[inside]]
    return out


def _load_nodes(
    store: GraphStore, flt: ProjectionFilter, scope: set[str] | None
) -> dict[str, dict[str, Any]]:
    """Node id -> attributes (label, kinds, :data:`NODE_ATTRIBUTES`) of the filtered nodes."""
    found: dict[str, dict[str, Any]] = {}
    params: dict[str, Any] = _window(flt)
    if scope is not None:
        params["ids"] = sorted(scope)
    for lab in flt.node_labels():
        if is_personal(lab) and not flt.include_persons:
            continue
        if is_personal(lab):
            # Persons by id only: no property of theirs is read, so none can leak.
            ret = "RETURN n.id AS id, {} AS props, labels(n) AS labels"
        else:
            ret = f"RETURN n.id AS id, {_PROJECTION} AS props, labels(n) AS labels"
        rows = store.read(_node_query(flt, lab, scope, ret), params)
        for row in rows:
            primary = _primary_label(row["labels"])
            if primary is None or (is_personal(primary) and not flt.include_persons):
                continue
            attrs = {k: v for k, v in row["props"].items() if v is not None and k != KEY}
            attrs["label"] = primary
            attrs["kinds"] = sorted(x for x in row["labels"] if x in ORGANISATION_KINDS)
            found.setdefault(row["id"], attrs)
    return found


def _load_regions(store: GraphStore, graph: nx.DiGraph) -> None:
    """Set each located node's ``region`` attribute (group attribute for brokerage)."""
    sources = REL_TYPES["LOCATED_IN"].sources
    for lab in sources:
        for row in store.read(
            f"MATCH (n:{cy_label(lab)})-[:LOCATED_IN]->(r:Region) RETURN n.id AS id, r.id AS region"
        ):
            if row["id"] in graph and "region" not in graph.nodes[row["id"]]:
                graph.nodes[row["id"]]["region"] = row["region"]


def _networkx(
    store: GraphStore, flt: ProjectionFilter, scope: set[str] | None, arrays: GraphArrays
) -> nx.DiGraph:
    """The directed networkx graph of ``arrays`` with the nodes' attributes."""
    graph = nx.DiGraph()
    attrs = _load_nodes(store, flt, scope)
    names = arrays.label_names
    graph.add_nodes_from(
        (key, attrs.get(key) or {"label": names[code], "kinds": []})
        for key, code in zip(arrays.nodes, arrays.labels.tolist(), strict=True)
    )
    _load_regions(store, graph)
    # parallel relationships a -> b become one edge: numpy counts them and ORs their types
    keep = arrays.src != arrays.dst
    n = max(len(arrays.nodes), 1)
    pairs = arrays.src[keep] * n + arrays.dst[keep]
    unique, inverse, counts = np.unique(pairs, return_inverse=True, return_counts=True)
    masks = np.zeros(len(unique), dtype=np.int64)
    np.bitwise_or.at(masks, inverse, np.left_shift(1, arrays.rel[keep].astype(np.int64)))
    types = arrays.rel_types
    type_lists: dict[int, list[str]] = {}
    for mask in set(masks.tolist()):  # relationship types < 64: one bit each
        type_lists[mask] = sorted(t for i, t in enumerate(types) if mask >> i & 1)
    nodes = arrays.nodes
    graph.add_edges_from(
        (nodes[a], nodes[b], {"weight": w, "types": list(type_lists[m])})
        for a, b, w, m in zip(
            (unique // n).tolist(),
            (unique % n).tolist(),
            counts.tolist(),
            masks.tolist(),
            strict=True,
        )
    )
    return graph


#: (store, graph, filter) -> (store version, projection): a second metric, the matchmaking and
#: the explorer's sizing reuse the projection until the graph is written
_CACHE: dict[tuple[int, str, ProjectionFilter], tuple[str, Projection]] = {}
_CACHE_SIZE = 4


def clear_projection_cache() -> None:
    """Forget every cached projection (tests, memory)."""
    _CACHE.clear()


def project(
    store: GraphStore,
    flt: ProjectionFilter | None = None,
    *,
    cached: bool = True,
    networkx: bool = True,
) -> Projection:
    """Load the part of the store that ``flt`` keeps as a :class:`Projection`.

    The projection is cached per graph version (:meth:`GraphStore.version`): asked again with
    the same filter before any write, the same projection comes back at once (an arrays-only
    one gains its networkx graph when that is asked for). Callers must not change it (derive a
    copy instead).

    Parameters
    ----------
    store
        An open store.
    flt
        The filter; the default keeps every node except persons and every relationship.
    networkx
        Also build the networkx graph with node attributes (``False``: arrays only, what the
        fast metrics need).

    Returns
    -------
    Projection
        The arrays (and graph), the filter and the seconds it took to load.

    Raises
    ------
    AnalyticsError
        For a region or project the store does not hold.
    """
    flt = flt or ProjectionFilter()
    key = (id(store), str(getattr(store, "graph_name", "")), flt)
    version = store.version() if cached else ""
    made: Projection | None = None
    if cached and key in _CACHE and _CACHE[key][0] == version:
        made = _CACHE[key][1]
        if not networkx or made.has_graph:
            return made
    started = time.perf_counter()
    scope = _scope_ids(store, flt)
    if made is None:
        made = Projection(arrays=_load_arrays(store, flt, scope), filter=flt, seconds=0.0)
    if networkx:
        made._graph = _networkx(store, flt, scope, made.arrays)
    made.seconds += time.perf_counter() - started
    if cached:
        _CACHE.pop(key, None)
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = (version, made)
    return made
