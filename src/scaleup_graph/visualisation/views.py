"""What the explorer shows: overview, ego view, group drill-down, expand, details, search.

Each function reads the store, filters personal data by role and returns JSON-ready dicts; the
API route and the HTML export are thin layers over them. Bad input raises a
:class:`~scaleup_graph.errors.ScaleUpError` made by :func:`refused`, which can say itself in the
reader's language.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from scaleup_graph.errors import Invalid, NotFound, ScaleUpError
from scaleup_graph.graph_model import KEY, NODE_TYPES, REL_TYPES, words
from scaleup_graph.graph_model.schema import VIEW_FILTERS
from scaleup_graph.queries import neighbourhood
from scaleup_graph.queries.privacy import visibility
from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import fetch
from scaleup_graph.visualisation.aggregate import (
    AGGREGATE_ABOVE,
    Grouping,
    group_nodes,
    named_by,
)
from scaleup_graph.visualisation.builders import (
    GROUP_PREFIX,
    aggregate_node,
    caption,
    group_name,
    node_details,
    vis_edge,
    vis_node,
)
from scaleup_graph.visualisation.fetch import Subgraph, primary_label
from scaleup_graph.visualisation.layout import Picture, layout_cache, wrap_label
from scaleup_graph.visualisation.path_layout import plan_path
from scaleup_graph.visualisation.regroup import DEGREE_BUCKETS, Changed, GroupIndex
from scaleup_graph.visualisation.styles import label_name
from scaleup_graph.visualisation.texts import text

__all__ = [
    "EXPAND_LIMIT",
    "MAX_HOPS",
    "MAX_VIEW_NODES",
    "ViewFilter",
    "details",
    "expand",
    "explorer_view",
    "filter_options",
    "load_view",
    "node_tags",
    "path_view",
    "refused",
    "render_view",
    "search",
    "warm_overview",
    "whole_graph",
]

log = logging.getLogger(__name__)

MAX_HOPS = 3
#: an ego walk whose next ring is wider than this goes on bounded (queries/neighbourhood.py):
#: level by level, each level cut at WIDE_LEVEL_CAP nodes ranked by relevance, hubs shown but
#: not walked through
WIDE_FRONTIER = 150
#: a walk of this many hops is bounded from its second level on, however narrow its rings
BOUNDED_HOPS = 3
#: the most nodes a bounded level adds (the most closely linked to the level before first)
WIDE_LEVEL_CAP = 200
#: an ego view stops growing here; above AGGREGATE_ABOVE it is shown as groups anyway
MAX_VIEW_NODES = 20_000
EXPAND_LIMIT = 200
#: filter field -> label, from the schema's ``view_filter`` flag (ViewFilter has one field each)
FILTER_LABELS = VIEW_FILTERS
#: what can stand between two organisations in an introduction: people, organisations and what
#: they did together (a project, an event, a challenge); not a shared topic or region
INTRODUCERS = frozenset({"Organisation", "Person", "Project", "Event", "Challenge", "Proposal"})


def refused(key: str, kind: type[ScaleUpError] = ScaleUpError, **values: Any) -> ScaleUpError:
    """A refusal of the explorer: an error of ``kind`` whose message is the UI text ``key``,
    sayable in the reader's language (:meth:`~scaleup_graph.errors.ScaleUpError.in_language`).

    >>> err = refused("err_hops", Invalid, max=3)
    >>> (err.code, err.message, err.in_language("de"))
    ('hops', 'Hops must be between 1 and 3.', 'Die Schrittzahl muss zwischen 1 und 3 liegen.')
    """
    return kind(
        text(key, "en", **values),
        code=key.removeprefix("err_"),
        translate=lambda lang: text(key, lang, **values),
    )


@dataclass(frozen=True)
class ViewFilter:
    """Filters of a view: node labels to keep, and a topic, region or project id."""

    labels: tuple[str, ...] = ()
    topic: str | None = None
    region: str | None = None
    project: str | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.labels if name not in NODE_TYPES]
        if unknown:
            raise refused("err_bad_request", detail=f"unknown label {unknown[0]!r}")

    @property
    def active(self) -> bool:
        return bool(self.labels or self.topic or self.region or self.project)


def _message(key: str, **values: Any) -> dict[str, Any]:
    return {"key": key, "values": values}


def _require_node(
    store: GraphStore, node_id: str, role: str, timeout_ms: int | None
) -> dict[str, Any]:
    found = fetch.fetch_nodes(store, [node_id], role=role, timeout_ms=timeout_ms)
    if node_id not in found:  # also a node this role does not see (a draft): not found
        raise refused("err_unknown_node", NotFound)  # the id is not echoed: it may be an e-mail
    return found[node_id]


def _ego(
    store: GraphStore, focus: dict[str, Any], hops: int, role: str, timeout_ms: int | None
) -> tuple[Subgraph, bool, dict[str, Any] | None]:
    """The ego view's subgraph, whether it was cut at :data:`MAX_VIEW_NODES`, and what a
    bounded walk left out (None when every node within ``hops`` is shown).

    The focus's direct neighbours are all shown. A walk of 3 hops, and any walk once a ring is
    wider than :data:`WIDE_FRONTIER`, goes on bounded from there, as the API's neighbourhood
    does (level by level, cut by relevance, hubs not walked through): its cost follows the
    answer, and the whole graph is never read. A narrower 2-hop walk is read whole."""
    graph = Subgraph({focus[KEY]: focus})
    frontier = {focus[KEY]: focus}
    for done in range(hops):
        if done and (hops >= BOUNDED_HOPS or len(frontier) > WIDE_FRONTIER):
            left_out = _bounded(store, graph, list(frontier.values()), done, hops, role, timeout_ms)
            return _closed(store, graph, role, timeout_ms), False, left_out
        step = fetch.fetch_neighbours(store, frontier, role=role, timeout_ms=timeout_ms)
        graph.edges |= step.edges
        frontier = {i: n for i, n in step.nodes.items() if i not in graph.nodes}
        if len(graph.nodes) + len(frontier) > MAX_VIEW_NODES:
            room = MAX_VIEW_NODES - len(graph.nodes)
            frontier = dict(sorted(frontier.items())[:room])
            graph.nodes.update(frontier)
            return _closed(store, graph, role, timeout_ms), True, None
        graph.nodes.update(frontier)
        if not frontier:
            break
    return _closed(store, graph, role, timeout_ms), False, None


def _bounded(
    store: GraphStore,
    graph: Subgraph,
    frontier: list[dict[str, Any]],
    done: int,
    hops: int,
    role: str,
    timeout_ms: int | None,
) -> dict[str, Any] | None:
    """Walk levels ``done + 1`` to ``hops`` from ``frontier`` bounded, adding what they keep to
    ``graph``; returns what was left out (levels, hubs, how to see more) or None if nothing."""
    levels: list[dict[str, int]] = []
    hubs: list[str] = []
    for level in range(done + 1, hops + 1):
        walk = [n for n in frontier if not neighbourhood.is_hub_label(n)]
        hubs += sorted(str(n[KEY]) for n in frontier if neighbourhood.is_hub_label(n))
        if not walk:
            break
        step = neighbourhood.walk_level(
            store, role, walk, list(graph.nodes), cap=WIDE_LEVEL_CAP, timeout_ms=timeout_ms
        )
        hubs += step.hubs
        levels.append(
            {
                "hop": level,
                "found": step.found,
                "shown": len(step.kept),
                "left_out": step.found - len(step.kept),
            }
        )
        frontier = [n for n in step.kept if n[KEY] not in graph.nodes]
        graph.nodes.update((n[KEY], n) for n in frontier)
        if not frontier:
            break
    left_out = sum(lv["left_out"] for lv in levels)
    if not left_out and not hubs:
        return None
    return {
        "from_hop": done + 1,
        "levels": levels,
        "left_out": left_out,
        "hubs": sorted(set(hubs)),
        "hub_degree": neighbourhood.HUB_DEGREE,
        "ask": "open a node's neighbours: GET /api/v1/explorer/expand?id=<node id>; "
        "a hub's too: GET /api/v1/nodes/<id>/neighbourhood?labels=<label>",
    }


def _closed(store: GraphStore, graph: Subgraph, role: str, timeout_ms: int | None) -> Subgraph:
    """The view with every relationship between two of its nodes, also those between two nodes
    of the outer ring, which the hop-by-hop walk never follows."""
    graph.edges |= fetch.edges_among(store, graph.nodes, role=role, timeout_ms=timeout_ms)
    return graph.restrict(graph.nodes)


def _filter_targets(
    store: GraphStore, filters: ViewFilter, role: str, timeout_ms: int | None
) -> Iterator[tuple[str, dict[str, Any], set[str]]]:
    """Each topic, region or project the filters name: its label, its node (NotFound if the
    id names no node of that label) and the ids linked to it, itself included."""
    for field_name, node_label in FILTER_LABELS.items():
        value = getattr(filters, field_name)
        if not value:
            continue
        chosen = _require_node(store, value, role, timeout_ms)
        if primary_label(chosen) != node_label:
            raise refused("err_unknown_node", NotFound)
        linked = fetch.linked_ids(store, node_label, value, role=role, timeout_ms=timeout_ms)
        linked.add(value)
        yield node_label, chosen, linked


def _apply_filters(
    store: GraphStore,
    graph: Subgraph,
    focus: str | None,
    filters: ViewFilter,
    role: str,
    timeout_ms: int | None,
) -> Subgraph:
    if not filters.active:
        return graph
    keep = set(graph.nodes)
    if filters.labels:
        keep = {i for i in keep if primary_label(graph.nodes[i]) in filters.labels}
    for node_label, chosen, linked in _filter_targets(store, filters, role, timeout_ms):
        if node_label == "Topic":  # a topic also reaches nodes that list it by name
            name = chosen.get("name")
            linked |= {i for i, n in graph.nodes.items() if name in (n.get("topics") or ())}
        keep &= linked
    if focus is not None:
        keep.add(focus)
    if not keep - {focus}:
        raise refused("err_filter_empty", NotFound)
    return graph.restrict(keep)


def load_view(
    store: GraphStore,
    *,
    role: str,
    focus: str | None = None,
    hops: int = 1,
    filters: ViewFilter = ViewFilter(),
    timeout_ms: int | None = None,
) -> tuple[Subgraph, bool]:
    """The subgraph of a view (ego of ``hops`` around ``focus``, or the whole graph), filtered,
    with only what ``role`` sees.

    Returns the subgraph and whether it was cut at :data:`MAX_VIEW_NODES` or bounded (a wide
    walk, see :func:`_ego`).
    """
    graph, cut, left_out = _load(store, role, focus, hops, filters, timeout_ms)
    return graph, cut or left_out is not None


def _load(
    store: GraphStore,
    role: str,
    focus: str | None,
    hops: int,
    filters: ViewFilter,
    timeout_ms: int | None,
) -> tuple[Subgraph, bool, dict[str, Any] | None]:
    if not 1 <= hops <= MAX_HOPS:
        raise refused("err_hops", Invalid, max=MAX_HOPS)
    left_out = None
    if focus is not None:
        start = _require_node(store, focus, role, timeout_ms)
        graph, cut, left_out = _ego(store, start, hops, role, timeout_ms)
    elif filters.active:
        return _filtered(store, filters, role, timeout_ms), False, None
    else:
        graph, cut = whole_graph(store, role=role, timeout_ms=timeout_ms), False
    return _apply_filters(store, graph, focus, filters, role, timeout_ms), cut, left_out


def _filtered(
    store: GraphStore,
    filters: ViewFilter,
    role: str,
    timeout_ms: int | None,
    light: bool = False,
) -> Subgraph:
    """A filtered view without a focus: what :func:`_apply_filters` keeps of the whole graph,
    read without the whole graph. A topic, region or project reads the nodes linked to it
    (and, for a topic, those that list it by name) through the key indexes; labels alone read
    only the nodes of those labels and the relationships between them. ``light``: the nodes
    as :func:`~.fetch.light_node` (what grouping needs)."""
    wanted: set[str] | None = None
    for node_label, chosen, linked in _filter_targets(store, filters, role, timeout_ms):
        if node_label == "Topic" and chosen.get("name") is not None:
            name = str(chosen["name"])
            linked |= fetch.listing_topic(store, name, role=role, timeout_ms=timeout_ms)
        wanted = linked if wanted is None else wanted & linked
    if wanted is None:
        graph = fetch.fetch_labelled(
            store, filters.labels, role=role, timeout_ms=timeout_ms, light=light
        )
    else:
        nodes = fetch.fetch_nodes(store, wanted, role=role, timeout_ms=timeout_ms, light=light)
        if filters.labels:
            nodes = {i: n for i, n in nodes.items() if primary_label(n) in filters.labels}
        graph = Subgraph(nodes, fetch.edges_among(store, nodes, role=role, timeout_ms=timeout_ms))
    if not graph.nodes:
        raise refused("err_filter_empty", NotFound)
    return graph


#: a store whose write counter misses other processes' property edits (Neo4j; see
#: :attr:`~scaleup_graph.store.GraphStore.shared_generation`) keeps a picture at most this long
UNSHARED_MAX_AGE_S = 60.0
#: (store, kind of generation, what) -> (generation it was read at, when, value)
_kept: dict[tuple[str, str, str], tuple[str, float, Any]] = {}
_rendered: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_cache_lock = threading.Lock()
_fetch_locks: dict[tuple[str, str, str], threading.Lock] = {}


def _store_key(store: GraphStore) -> str:
    return f"{type(store).__name__}:{getattr(store, 'graph_name', '')}:{id(store)}"


def _current(store: GraphStore, held: tuple[str, float, Any] | None, generation: str) -> bool:
    if held is None or held[0] != generation:
        return False
    return store.shared_generation or time.monotonic() - held[1] < UNSHARED_MAX_AGE_S


def _keep[T](
    store: GraphStore,
    what: str,
    build: Callable[[str], T],
    token: Callable[[], str] | None = None,
) -> tuple[T, str]:
    """``build(generation)`` kept per store until the store's generation changes (any write,
    in any process where the store can tell): reading a large graph takes a second, asking
    for the generation a fraction of a millisecond. Returns the value and its generation.

    ``token`` replaces :meth:`~scaleup_graph.store.GraphStore.generation` for a value that
    follows fewer writes (the overview's groups: the structure's generation)."""
    current = token or store.generation
    key = (_store_key(store), "generation" if token is None else "token", what)
    generation = current()
    with _cache_lock:
        held = _kept.get(key)
        # what an earlier generation kept goes as soon as a newer one is seen (an erasure's
        # data is not kept on until someone asks for that very picture again)
        for stale in [k for k, v in _kept.items() if k[:2] == key[:2] and v[0] != generation]:
            del _kept[stale]
    if _current(store, held, generation):
        assert held is not None
        return held[2], generation
    with _cache_lock:
        lock = _fetch_locks.setdefault(key, threading.Lock())
    with lock:  # one reader builds, the others wait for it
        generation = current()  # read before the data: a later write is seen next time
        with _cache_lock:
            held = _kept.get(key)
        if _current(store, held, generation):
            assert held is not None
            return held[2], generation
        value = build(generation)
        with _cache_lock:
            _kept[key] = (generation, time.monotonic(), value)
        return value, generation


def whole_graph(store: GraphStore, *, role: str, timeout_ms: int | None = None) -> Subgraph:
    """The whole graph ``role`` sees (every property of every node), kept until the next
    write, one per :class:`~scaleup_graph.queries.privacy.Visibility`: wide ego walks continue
    over it. Treat the result as read-only."""
    return _keep(
        store,
        f"whole:{visibility(role).tag}",
        lambda _: fetch.fetch_whole_graph(store, role=role, timeout_ms=timeout_ms),
    )[0]


@dataclass(frozen=True)
class _Overview:
    """What the grouped overview needs of the whole graph: the groups (members, links between
    groups, each node's number of links), the names of the measures and the node count."""

    grouping: Grouping
    metrics: list[str]
    total: int

    @classmethod
    def from_parts(cls, parts: dict[str, bytes]) -> _Overview:
        meta = json.loads(parts["meta"])
        grouping = Grouping(meta["by"])
        for key in meta["order"]:
            grouping.members[key] = list(json.loads(parts[_GROUP_PART + key]))
        for name, value in parts.items():
            if name.startswith(_DEGREE_PART):
                grouping.degree.update({k: int(v) for k, v in json.loads(value).items()})
        grouping.links = Counter({(a, b): int(n) for a, b, n in meta["links"]})
        return cls(grouping, list(meta["metrics"]), int(meta["total"]))


def _parts(overview: _Overview, index: GroupIndex, changed: Changed | None) -> dict[str, bytes]:
    """The overview as the store keeps it (:meth:`~scaleup_graph.store.GraphStore.
    save_derived_parts`): the groups' order, links, measures and count (``meta``), each group's
    members, and the degrees in :data:`~.regroup.DEGREE_BUCKETS` parts by a hash of the id;
    all, or ``meta`` and what ``changed``."""
    g = overview.grouping
    meta = {
        "by": g.by,
        "order": list(g.members),
        "links": [[a, b, n] for (a, b), n in sorted(g.links.items())],
        "metrics": overview.metrics,
        "total": overview.total,
    }

    def dumped(value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":")).encode()

    found = {"meta": dumped(meta)}
    groups = g.members.keys() if changed is None else changed.groups & g.members.keys()
    for key in sorted(groups):
        found[_GROUP_PART + key] = dumped(g.members[key])
    for bucket in range(DEGREE_BUCKETS) if changed is None else sorted(changed.buckets):
        found[f"{_DEGREE_PART}{bucket}"] = dumped(index.degree_part(bucket))
    return found


#: the name under which the store keeps the overview's groups between processes and restarts
#: (one per visibility: ``explorer-overview-v3-<tag>``, in parts: ``meta`` and ``group:<key>``)
OVERVIEW_KEPT_AS = "explorer-overview-v3"
_GROUP_PART = "group:"
_DEGREE_PART = "degree:"


def _overview_data(store: GraphStore, role: str, timeout_ms: int | None) -> tuple[_Overview, str]:
    """The overview's groups at the store's structure generation
    (:meth:`~scaleup_graph.store.GraphStore.structure_generation`: a property edit leaves it
    as it is): from this process's memory; else this process's groups changed at the nodes
    the writes since touched (:func:`_groups`); else as the store kept them (another worker
    or an earlier run derived them at this generation); else derived from the graph's
    outline. What this process derives it keeps in the store for the others (after a patch
    only the groups that changed). Returns the groups and the structure generation."""

    tag = visibility(role).tag
    kept_as = f"{OVERVIEW_KEPT_AS}-{tag}"

    def build(generation: str) -> _Overview:
        patched = _groups(store, role, generation, timeout_ms, whole=False)
        if patched is None:
            kept = store.load_derived_parts(kept_as, generation)
            if kept is not None:
                try:
                    return _Overview.from_parts(kept)
                except (ValueError, KeyError, TypeError):
                    log.warning("the kept explorer overview is unreadable; deriving it again")
            patched = _groups(store, role, generation, timeout_ms, whole=True)
        assert patched is not None
        index, metrics, since, changed = patched
        overview = _Overview(index.grouping(), metrics, index.total)
        if store.shared_generation:
            done = (
                since is not None
                and changed is not None
                and store.save_derived_parts(
                    kept_as,
                    generation,
                    _parts(overview, index, changed),
                    since=since,
                    drop=[
                        _GROUP_PART + k
                        for k in sorted(changed.groups - overview.grouping.members.keys())
                    ],
                )
            )
            if not done:
                store.save_derived_parts(kept_as, generation, _parts(overview, index, None))
        return overview

    return _keep(store, f"overview:{tag}", build, store.structure_generation)


#: (store, visibility tag) -> (structure generation, groups, measures' names) of the overview
#: this process grouped last
_indexes: dict[tuple[str, str], tuple[str, GroupIndex, list[str]]] = {}
#: the groups are changed at most at this many nodes (more: the outline is read whole again)
PATCH_AT_MOST = 2_000


def _groups(
    store: GraphStore, role: str, generation: str, timeout_ms: int | None, *, whole: bool
) -> tuple[GroupIndex, list[str], str | None, Changed | None] | None:
    """The groups at the structure generation ``generation``, the measures' names, the
    generation they were changed from and the groups that changed (None: all): the groups
    this process made last, changed at the nodes every write since described
    (:meth:`~scaleup_graph.store.GraphStore.structure_changes`: a new organisation, a link,
    a deleted node, a workflow step, an ingest batch); with ``whole`` else grouped from the
    outline read whole; else None.

    The change costs what the touched nodes, their relationships and their groups cost:
    :class:`~.regroup.GroupIndex`."""
    key = (_store_key(store), visibility(role).tag)
    with _cache_lock:
        held = _indexes.get(key)
    if held is not None and held[0] == generation:
        return held[1], held[2], None, None
    if held is not None:
        touched = store.structure_changes(held[0])
        if touched is not None and len(touched) <= PATCH_AT_MOST:
            change = fetch.read_touched(store, touched, role=role, timeout_ms=timeout_ms)
            index = held[1]
            with _cache_lock:  # the index changes in place: no longer at held[0]
                _indexes.pop(key, None)
            changed = index.patch(change)
            with _cache_lock:
                _indexes[key] = (generation, index, held[2])
            return index, held[2], held[0], changed
    if not whole:
        return None
    outline = fetch.fetch_outline_arrays(store, role=role, timeout_ms=timeout_ms)
    metrics = fetch.metric_names(store, timeout_ms=timeout_ms)
    index = GroupIndex(outline)
    with _cache_lock:
        _indexes[key] = (generation, index, metrics)
    return index, metrics, None, None


def warm_overview(store: GraphStore, *, role: str = "viewer", lang: str = "de") -> None:
    """Read and plan the overview ahead (the page calls this while the reader signs in), so
    the first picture of a large graph does not wait for the whole graph to be read."""
    explorer_view(store, role=role, lang=lang)


def _degrees(graph: Subgraph) -> Counter[str]:
    return Counter(e[0] for e in graph.edges) + Counter(e[1] for e in graph.edges)


def _importance(graph: Subgraph, degree: Counter[str]) -> dict[str, float]:
    """What ranks labels: PageRank where analytics wrote it, else the degree in the view."""
    ranked = {
        i: float(n["metric_pagerank"])
        for i, n in graph.nodes.items()
        if isinstance(n.get("metric_pagerank"), int | float)
    }
    if len(ranked) * 2 >= len(graph.nodes):
        top = max(ranked.values(), default=1.0) or 1.0
        return {i: ranked.get(i, 0.0) / top * 1000 + degree[i] / 1000 for i in graph.nodes}
    return {i: float(degree[i]) for i in graph.nodes}


def _ring_kinds(graph: Subgraph, focus: str | None) -> dict[str, str]:
    """How each direct neighbour hangs on the focus (relationship type and direction): the first
    ring keeps members, projects, partners ... side by side."""
    kinds: dict[str, str] = {}
    if focus is None:
        return {i: primary_label(n) for i, n in graph.nodes.items()}
    for a, b, t in sorted(graph.edges):
        if a == focus:
            kinds.setdefault(b, f"{t}>")
        elif b == focus:
            kinds.setdefault(a, f"<{t}")
    for i, n in graph.nodes.items():
        kinds.setdefault(i, "~" + primary_label(n))
    return kinds


def _paint(
    graph: Subgraph, role: str, lang: str, focus: str | None
) -> tuple[list[dict[str, Any]], Picture]:
    degree = _degrees(graph)
    labels = {i: wrap_label(caption(n, role, lang)) for i, n in graph.nodes.items()}
    picture = layout_cache.picture(
        list(graph.nodes),
        [(a, b) for a, b, _ in graph.edges],
        labels=labels,
        importance=_importance(graph, degree),
        focus=focus,
        kinds=_ring_kinds(graph, focus),
    )
    nodes = [
        {**vis_node(node, role, lang, picture.nodes[i]), "degree": degree[i]}
        for i, node in sorted(graph.nodes.items())
    ]
    return nodes, picture


def _frame(picture: Picture) -> dict[str, Any]:
    return {"scale": picture.scale, "centre": list(picture.centre)}


def render_view(
    graph: Subgraph,
    *,
    role: str,
    lang: str,
    focus: str | None = None,
    group: str | None = None,
    page: int = 0,
    aggregate_above: int = AGGREGATE_ABOVE,
    grouping: Grouping | None = None,
    metrics: list[str] | None = None,
    total: int | None = None,
) -> dict[str, Any]:
    """vis-network JSON for a subgraph with server positions; groups when it is large.

    ``grouping``, ``metrics`` and ``total`` (the node count) may come precomputed (the
    overview keeps them); ``graph`` then needs to hold only the nodes that name a group or
    that an opened group shows."""
    messages: list[dict[str, Any]] = []
    total = len(graph.nodes) if total is None else total
    keep = frozenset({focus}) if focus else frozenset()
    if group is None and total > aggregate_above:
        grouping = grouping or group_nodes(graph, keep)
        return _grouped_view(
            graph, grouping, keep, role=role, lang=lang, focus=focus, total=total, metrics=metrics
        )
    name = None
    pages = 1
    if group is not None:
        grouping = grouping or group_nodes(graph, keep)
        name = group_name(group, grouping, graph, lang)
        members, pages, note = _open_group(grouping, group, page, aggregate_above)
        messages += note
        graph = graph.restrict([*members, *keep])
    nodes, picture = _paint(graph, role, lang, focus)
    edges = [
        {**vis_edge(a, b, t, 1, lang), "id": f"{a}|{t}|{b}"} for a, b, t in sorted(graph.edges)
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "focus": focus,
        "group": group,
        "groupName": name,
        "page": page,
        "pages": pages,
        "aggregated": False,
        "groupedBy": None,
        "total": total,
        "shown": len(nodes),
        "messages": messages,
        "metrics": _metric_names(graph),
        **_frame(picture),
    }


def _grouped_view(
    graph: Subgraph,
    grouping: Grouping,
    keep: frozenset[str],
    *,
    role: str,
    lang: str,
    focus: str | None,
    total: int,
    metrics: list[str] | None,
) -> dict[str, Any]:
    """The view of a large graph: one node per group (sized by its members) and the focus,
    one link per pair of groups with the count of the links between them."""
    ids = [GROUP_PREFIX + key for key in grouping.members] + list(keep)

    def node_of(item: str) -> str:
        return item if item in keep else GROUP_PREFIX + item

    pairs = [(node_of(a), node_of(b)) for a, b in grouping.links]
    names = {key: group_name(key, grouping, graph, lang) for key in grouping.members}
    largest = max((len(m) for m in grouping.members.values()), default=1)
    sizes = {
        GROUP_PREFIX + key: 9.0 + 27.0 * (len(members) / largest) ** 0.5
        for key, members in grouping.members.items()
    }
    labels = {
        GROUP_PREFIX + key: wrap_label(f"{names[key]} ({len(members)})")
        for key, members in grouping.members.items()
    }
    for i in keep:
        labels[i] = wrap_label(caption(graph.nodes[i], role, lang))
        sizes[i] = 16.0
    picture = layout_cache.picture(
        ids,
        pairs,
        labels=labels,
        importance={GROUP_PREFIX + k: float(len(m)) for k, m in grouping.members.items()},
        focus=None,
        sizes_px=sizes,
    )
    nodes = [
        aggregate_node(key, members, names[key], lang, picture.nodes[GROUP_PREFIX + key])
        for key, members in grouping.members.items()
    ] + [vis_node(graph.nodes[i], role, lang, picture.nodes[i]) for i in keep]
    edges = [
        {**vis_edge(node_of(a), node_of(b), "", count, lang), "id": f"agg|{a}|{b}"}
        for (a, b), count in sorted(grouping.links.items())
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "focus": focus,
        "group": None,
        "groupName": None,
        "aggregated": True,
        "groupedBy": grouping.by,
        "total": total,
        "shown": len(nodes),
        "messages": [_message("aggregate_hint")],
        "metrics": _metric_names(graph) if metrics is None else metrics,
        **_frame(picture),
    }


def _open_group(
    grouping: Grouping, group: str, page: int, per_page: int
) -> tuple[list[str], int, list[dict[str, Any]]]:
    """The members of an opened group on ``page``, the number of pages, and the message that
    says which of them are shown when there is more than one page."""
    members, count, pages = _group_page(grouping, group, page, per_page)
    if pages <= 1:
        return members, pages, []
    first, last = page * per_page + 1, page * per_page + len(members)
    return members, pages, [_message("group_page", first=first, last=last, total=count)]


def _group_page(
    grouping: Grouping, group: str, page: int, per_page: int
) -> tuple[list[str], int, int]:
    """The members of ``group`` on ``page`` (best-connected first), how many it has and on how
    many pages."""
    if group not in grouping.members:
        raise refused("err_unknown_group", NotFound)
    ranked = sorted(grouping.members[group], key=lambda i: (-grouping.degree[i], i))
    pages = max(1, -(-len(ranked) // per_page))
    if not 0 <= page < pages:
        raise refused("err_bad_request", Invalid, detail=f"page {page} of {pages}")
    return ranked[page * per_page : (page + 1) * per_page], len(ranked), pages


def _metric_names(graph: Subgraph) -> list[str]:
    names = {k for n in graph.nodes.values() for k in n if k.startswith("metric_")}
    names.discard("metric_community")
    return sorted(names)


def explorer_view(
    store: GraphStore,
    *,
    role: str,
    lang: str = "de",
    focus: str | None = None,
    hops: int = 1,
    filters: ViewFilter = ViewFilter(),
    group: str | None = None,
    page: int = 0,
    timeout_ms: int | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
    whole: bool = False,
) -> dict[str, Any]:
    """The view the page draws: load, filter, lay out, aggregate if large.

    Without a focus, a filter or ``whole``, a graph too dense to read at once but too small to
    group (:data:`START_ABOVE` to ``aggregate_above`` nodes) starts around its best-connected
    organisation (``"start": true`` in the answer); ``whole`` asks for the whole network.

    Examples
    --------
    >>> explorer_view(store, role="viewer", focus="org-ihk-kassel-marburg", hops=2)
    ... # doctest: +SKIP
    """
    if focus is None and not filters.active:
        if group is None and not whole:
            start = _start(store, role, timeout_ms, aggregate_above)
            if start is not None:
                return _start_view(store, start, role, lang, timeout_ms)
        return _overview(store, role, lang, group, page, timeout_ms, aggregate_above)
    if focus is None:
        return _filtered_view(store, role, lang, filters, group, page, timeout_ms, aggregate_above)
    graph, cut, left_out = _load(store, role, focus, hops, filters, timeout_ms)
    if not graph.nodes:
        return _empty()
    payload = render_view(
        graph,
        role=role,
        lang=lang,
        focus=focus,
        group=group,
        page=page,
        aggregate_above=aggregate_above,
    )
    if cut:
        payload["messages"].append(
            _message("truncated", shown=len(graph.nodes), total=f">{MAX_VIEW_NODES}")
        )
    if left_out is not None:
        # first: the page shows the first message, and this one says what is missing
        payload["bounded"] = left_out
        payload["messages"].insert(
            0,
            _message(
                "bounded" if left_out["left_out"] else "bounded_hubs",
                hop=left_out["from_hop"],
                left_out=left_out["left_out"],
                hubs=len(left_out["hubs"]),
                hub_degree=left_out["hub_degree"],
            ),
        )
    return payload


def _filtered_view(
    store: GraphStore,
    role: str,
    lang: str,
    filters: ViewFilter,
    group: str | None,
    page: int,
    timeout_ms: int | None,
    aggregate_above: int,
) -> dict[str, Any]:
    """A filtered view without a focus, drawn as :func:`render_view` draws the filtered
    subgraph. Its nodes are read light (:func:`~.fetch.light_node`) first; a small view then
    reads them whole and is drawn as it is, a large one is grouped on the light nodes and only
    the nodes that name a group, or that an opened group shows on its page, are read whole."""
    graph = _filtered(store, filters, role, timeout_ms, light=True)
    if group is None and len(graph.nodes) <= aggregate_above:
        full = fetch.fetch_nodes(store, graph.nodes, role=role, timeout_ms=timeout_ms)
        return render_view(
            Subgraph(full, graph.edges), role=role, lang=lang, aggregate_above=aggregate_above
        )
    grouping = group_nodes(graph)
    shown = _group_page(grouping, group, page, aggregate_above)[0] if group is not None else []
    wanted = named_by(grouping) | set(shown)
    full = fetch.fetch_nodes(store, wanted, role=role, timeout_ms=timeout_ms)
    return render_view(
        Subgraph({**graph.nodes, **full}, graph.edges),
        role=role,
        lang=lang,
        group=group,
        page=page,
        aggregate_above=aggregate_above,
        grouping=grouping,
        metrics=_metric_names(graph),
        total=len(graph.nodes),
    )


#: a whole network above this many nodes is too dense to read as the first picture
START_ABOVE = 60
#: the start organisation's direct neighbours must all fit, named, on one ring
START_MAX_NEIGHBOURS = 60


def _start(
    store: GraphStore, role: str, timeout_ms: int | None, aggregate_above: int
) -> str | None:
    """The organisation the first picture centres on when the whole network is too dense to
    read and too small to group: the best-connected (PageRank where analytics wrote it, else
    the number of neighbours) with at most :data:`START_MAX_NEIGHBOURS` neighbours."""
    data, _ = _overview_data(store, role, timeout_ms)
    if not START_ABOVE < data.total <= aggregate_above:
        return None

    def pick(_: str) -> str | None:
        return fetch.central_organisation(store, START_MAX_NEIGHBOURS, timeout_ms=timeout_ms)

    return _keep(store, "start", pick)[0]


def _start_view(
    store: GraphStore, start: str, role: str, lang: str, timeout_ms: int | None
) -> dict[str, Any]:
    payload = explorer_view(store, role=role, lang=lang, focus=start, hops=1, timeout_ms=timeout_ms)
    name = next((n["name"] for n in payload["nodes"] if n["id"] == start), start)
    total = _overview_data(store, role, timeout_ms)[0].total
    payload["start"] = True
    payload["messages"].insert(0, _message("start_hint", name=name, total=total))
    return payload


def _empty() -> dict[str, Any]:
    return {
        "nodes": [],
        "edges": [],
        "focus": None,
        "group": None,
        "groupName": None,
        "aggregated": False,
        "groupedBy": None,
        "total": 0,
        "shown": 0,
        "messages": [_message("empty_graph")],
        "metrics": [],
    }


def _overview(
    store: GraphStore,
    role: str,
    lang: str,
    group: str | None,
    page: int,
    timeout_ms: int | None,
    aggregate_above: int,
) -> dict[str, Any]:
    """The whole graph without focus or filter: drawn as it is when small, else as groups.

    A large graph is never read whole for it: its outline (ids, labels, communities and
    relationships, without properties) is grouped, and only the nodes that name a group, or
    that an opened group shows on its page, are read with their properties. The groups are
    kept until a write that may change the graph's structure, the finished answers (which
    hold names) until the store's next write."""
    generation = store.generation()  # before the data: a later write is seen next time
    data, _ = _overview_data(store, role, timeout_ms)
    if not data.total:
        return _empty()
    cache_key = (_store_key(store), generation, role, lang, group, page, aggregate_above)
    with _cache_lock:
        for stale in [k for k in _rendered if k[0] == cache_key[0] and k[1] != generation]:
            del _rendered[stale]
        if cache_key in _rendered:
            _rendered.move_to_end(cache_key)
            return copy.deepcopy(_rendered[cache_key])
    if group is None and data.total <= aggregate_above:
        graph = whole_graph(store, role=role, timeout_ms=timeout_ms)
        payload = render_view(graph, role=role, lang=lang, aggregate_above=aggregate_above)
    else:
        shown: list[str] = []
        if group is not None:
            shown = _group_page(data.grouping, group, page, aggregate_above)[0]
        found = fetch.fetch_nodes(
            store, named_by(data.grouping) | set(shown), role=role, timeout_ms=timeout_ms
        )
        edges = fetch.edges_among(store, {i: found[i] for i in shown if i in found}, role=role)
        payload = render_view(
            Subgraph(found, edges),
            role=role,
            lang=lang,
            group=group,
            page=page,
            aggregate_above=aggregate_above,
            grouping=data.grouping,
            metrics=data.metrics,
            total=data.total,
        )
    with _cache_lock:
        _rendered[cache_key] = copy.deepcopy(payload)
        while len(_rendered) > 32:
            _rendered.popitem(last=False)
    return payload


def expand(
    store: GraphStore,
    node_id: str,
    *,
    role: str,
    lang: str = "de",
    rel: str | None = None,
    direction: str | None = None,
    timeout_ms: int | None = None,
) -> dict[str, Any]:
    """The neighbours of one node, all or only those over one relationship type (and
    direction), without positions: the page places them around the node it expanded. The
    answer also lists every relationship of the new nodes (``links``), so the page can draw
    those to nodes it already shows."""
    if rel is not None and rel not in REL_TYPES:
        raise refused("err_bad_request", Invalid, detail="unknown relationship type")
    if direction not in (None, "out", "in"):
        raise refused("err_bad_request", Invalid, detail="direction is out or in")
    node = _require_node(store, node_id, role, timeout_ms)
    step = fetch.fetch_neighbours(store, {node_id: node}, role=role, timeout_ms=timeout_ms)
    wanted = {
        (b if a == node_id else a)
        for a, b, t in step.edges
        if (rel is None or t == rel)
        and (direction is None or (direction == "out") == (a == node_id))
    }
    neighbours = sorted((i, n) for i, n in step.nodes.items() if i in wanted)
    messages = []
    if len(neighbours) > EXPAND_LIMIT:
        messages.append(_message("truncated", shown=EXPAND_LIMIT, total=len(neighbours)))
        neighbours = neighbours[:EXPAND_LIMIT]
    fresh = dict(neighbours)
    links = fetch.edges_of(store, fresh, role=role, timeout_ms=timeout_ms) if fresh else set()
    return {
        "focus": node_id,
        "nodes": [vis_node(n, role, lang) for _, n in neighbours],
        "edges": [
            {**vis_edge(a, b, t, 1, lang), "id": f"{a}|{t}|{b}"} for a, b, t in sorted(links)
        ],
        "messages": messages,
    }


def details(
    store: GraphStore,
    node_id: str,
    *,
    role: str,
    lang: str = "de",
    timeout_ms: int | None = None,
) -> dict[str, Any]:
    """The details panel of one node: plain facts (filtered by role), measures as places,
    links grouped by meaning, provenance folded."""
    node = _require_node(store, node_id, role, timeout_ms)
    step = fetch.fetch_neighbours(store, {node_id: node}, role=role, timeout_ms=timeout_ms)
    links = [
        ("out" if a == node_id else "in", t, step.nodes[b if a == node_id else a])
        for a, b, t in step.edges
    ]
    return node_details(
        node,
        links,
        role,
        lang,
        ranks=fetch.metric_ranks(store, node, role=role, timeout_ms=timeout_ms),
        topic_names=fetch.topic_names(store, timeout_ms=timeout_ms),
    )


def search(
    store: GraphStore,
    query: str,
    *,
    role: str,
    lang: str = "de",
    limit: int = 10,
    timeout_ms: int | None = None,
) -> list[dict[str, Any]]:
    """Type-ahead hits: id, caption and type of nodes whose name contains ``query``."""
    if len(query) > 200:
        raise refused("err_bad_request", Invalid, detail="search text longer than 200 characters")
    hits = fetch.search_nodes(store, query, role, limit=limit, timeout_ms=timeout_ms)
    return [
        {
            "id": n[KEY],
            "label": caption(n, role, lang),
            "type": primary_label(n),
            "typeName": label_name(primary_label(n), lang),
        }
        for n in hits
    ]


def filter_options(
    store: GraphStore, *, lang: str = "de", timeout_ms: int | None = None
) -> dict[str, Any]:
    """Choices for the topic, region and project filters (none of them personal data); topics
    by their German names for German readers."""
    options = {
        field_name: fetch.list_names(store, node_label, timeout_ms=timeout_ms)
        for field_name, node_label in FILTER_LABELS.items()
    }
    if lang == "de":
        german = fetch.topic_names(store, timeout_ms=timeout_ms)
        options["topic"] = sorted(
            ({**o, "name": german.get(o["name"], o["name"])} for o in options["topic"]),
            key=lambda o: o["name"].casefold(),
        )
    return options


def node_tags(
    store: GraphStore, ids: list[str], *, role: str, timeout_ms: int | None = None
) -> dict[str, dict[str, list[str]]]:
    """For each node: the topics, regions and projects it is directly linked to (topics also by
    the names it lists), so the page can count and highlight filter matches itself."""
    if len(ids) > MAX_VIEW_NODES:
        raise refused("err_bad_request", Invalid, detail=f"at most {MAX_VIEW_NODES} ids")
    nodes = fetch.fetch_nodes(store, ids, role=role, timeout_ms=timeout_ms)
    tags: dict[str, dict[str, list[str]]] = {i: {} for i in nodes}
    linked = fetch.edges_of(store, nodes, role=role, timeout_ms=timeout_ms)
    others = {b if a in nodes else a for a, b, _ in linked}
    kinds = {i: primary_label(n) for i, n in fetch.fetch_nodes(store, others, role=role).items()}
    by_topic_name = {
        o["name"]: o["id"] for o in fetch.list_names(store, "Topic", timeout_ms=timeout_ms)
    }
    for a, b, _ in sorted(linked):
        for mine, other in ((a, b), (b, a)):
            kind = kinds.get(other)
            if mine in tags and kind in ("Topic", "Region", "Project"):
                tags[mine].setdefault(kind.lower(), []).append(other)
    for i, node in nodes.items():
        for name in node.get("topics") or ():
            topic = by_topic_name.get(str(name))
            if topic:
                tags[i].setdefault("topic", []).append(topic)
    return {i: {k: sorted(set(v)) for k, v in t.items()} for i, t in tags.items()}


def path_view(
    store: GraphStore,
    source: str,
    target: str,
    *,
    role: str,
    lang: str = "de",
    max_hops: int = 4,
    limit: int = 5,
    timeout_ms: int | None = None,
) -> dict[str, Any]:
    """ "Wer kann mich vorstellen?": the shortest paths between two nodes (the ``/paths`` query)
    drawn as one picture, every relationship among the path nodes, the first path highlighted
    and the intermediaries of each path listed."""
    from scaleup_graph.queries import daily

    ends = fetch.fetch_nodes(store, [source, target], role=role, timeout_ms=timeout_ms)
    if source not in ends or target not in ends:
        raise refused("err_unknown_node", NotFound)
    # More paths than shown: an introduction runs through people, organisations and what they
    # did together, so paths through a shared topic or region come only when there is no other.
    rows = daily.paths(store, role, source, target, max_hops=max_hops, limit=20).rows
    chains: list[list[str]] = []
    for row in rows:
        chain = [str(n.get(KEY)) for n in (row.get("path") or {}).get("nodes", [])]
        if chain and chain not in chains:
            chains.append(chain)
    kinds = {
        i: primary_label(n)
        for i, n in fetch.fetch_nodes(
            store, {i for c in chains for i in c}, role=role, timeout_ms=timeout_ms
        ).items()
    }
    people = [c for c in chains if all(kinds.get(i) in INTRODUCERS for i in c[1:-1])]
    chains = (people or chains)[:limit]
    ids = {i for chain in chains for i in chain} | {source, target}
    graph = Subgraph(fetch.fetch_nodes(store, ids, role=role, timeout_ms=timeout_ms))
    graph = _closed(store, graph, role, timeout_ms)
    chains = [c for c in chains if all(i in graph.nodes for i in c)]
    # no path: the two ends alone, side by side
    chains_drawn = chains or [[source, target]]
    degree = _degrees(graph)
    labels = {i: wrap_label(caption(n, role, lang)) for i, n in graph.nodes.items()}
    picture = plan_path(chains_drawn, labels)
    nodes = [
        {**vis_node(node, role, lang, picture.nodes[i]), "degree": degree[i]}
        for i, node in sorted(graph.nodes.items())
        if i in picture.nodes
    ]
    edges = [
        {**vis_edge(a, b, t, 1, lang), "id": f"{a}|{t}|{b}"} for a, b, t in sorted(graph.edges)
    ]

    def steps(chain: list[str]) -> list[dict[str, Any]]:
        """Each step in words, read along the path: "kooperiert mit", "ist Partner in"."""
        out = []
        for a, b in itertools.pairwise(chain):
            forward = sorted(t for x, y, t in graph.edges if (x, y) == (a, b))
            backward = sorted(t for x, y, t in graph.edges if (x, y) == (b, a))
            if forward:
                rel, words_ = forward[0], words.rel_name(forward[0], lang)
            elif backward:
                rel, words_ = backward[0], words.rel_name(backward[0], lang, direction="in")
            else:  # cannot happen for a path the store returned; said plainly all the same
                rel, words_ = "", ""
            out.append({"from": a, "to": b, "type": rel, "words": words_})
        return out

    return {
        "kind": "path",
        "nodes": nodes,
        "edges": edges,
        "focus": source,
        "target": target,
        "group": None,
        "groupName": None,
        "aggregated": False,
        "total": len(nodes),
        "shown": len(nodes),
        "messages": [],
        "metrics": _metric_names(graph),
        "highlight": chains[0] if chains else [],
        "paths": [
            {
                "nodes": [{"id": i, "caption": caption(graph.nodes[i], role, lang)} for i in chain],
                "steps": steps(chain),
            }
            for chain in chains
        ],
        **_frame(picture),
    }
