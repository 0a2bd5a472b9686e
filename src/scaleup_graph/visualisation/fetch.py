"""Reading explorer subgraphs from the store: whole graph, one node, neighbours, search.

All Cypher here is constant text with schema labels spliced in through
:func:`scaleup_graph.store.cypher.label`; every value is a ``$parameter``. Queries go label by
label so each id lookup uses that label's key index (an unlabelled ``{id: $x}`` scans the graph),
and so nothing outside the schema, such as the ``_Suppressed`` system label, is ever matched.

Every function that returns nodes or relationships takes the reader's ``role`` and leaves out,
in the query itself, what that role does not see at all
(:class:`~scaleup_graph.queries.privacy.Visibility`: challenges in draft, KNOWS between persons).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scaleup_graph.graph_model import KEY, METRIC_PREFIX, NODE_TYPES, REL_TYPES, fold, search_fold
from scaleup_graph.graph_model.schema import schema_label
from scaleup_graph.queries.privacy import sees_pii, visibility
from scaleup_graph.queries.search import MATCH_KINDS, find_nodes
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cy_label
from scaleup_graph.store.cypher import rel as cy_rel

__all__ = [
    "Outline",
    "Subgraph",
    "Touched",
    "central_organisation",
    "degrees",
    "edges_among",
    "edges_of",
    "fetch_labelled",
    "fetch_neighbours",
    "fetch_nodes",
    "fetch_outline",
    "fetch_outline_arrays",
    "fetch_whole_graph",
    "light_node",
    "linked_ids",
    "list_names",
    "listing_topic",
    "metric_names",
    "metric_places",
    "metric_ranks",
    "primary_label",
    "read_touched",
    "search_nodes",
    "topic_names",
]

Edge = tuple[str, str, str]  # (start id, end id, relationship type)


@dataclass
class Subgraph:
    """Nodes as the store returns them (props + ``_labels``) keyed by id, and directed edges."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: set[Edge] = field(default_factory=set)

    def restrict(self, keep: Iterable[str]) -> Subgraph:
        """The induced subgraph on ``keep``."""
        ids = {i for i in keep if i in self.nodes}
        return Subgraph(
            {i: self.nodes[i] for i in ids},
            {e for e in self.edges if e[0] in ids and e[1] in ids},
        )


def primary_label(node: dict[str, Any]) -> str:
    """The node's schema label (Organisation, Person, ...), ignoring extra labels like SME."""
    return schema_label(node.get("_labels", ()))


def fetch_nodes(
    store: GraphStore,
    ids: Iterable[str],
    *,
    role: str,
    timeout_ms: int | None = None,
    light: bool = False,
) -> dict[str, dict[str, Any]]:
    """The nodes with these ids (of any schema label) that ``role`` sees; unknown ids are
    simply absent. ``light``: each node as :func:`light_node` (for grouping), not with every
    property.

    Ids carry their label's prefix (``org-...``): each id is looked up under that label first,
    and only the ids not found there under every label, so a view of 800 nodes costs a query
    or two per label it holds, not one per label of the schema."""
    wanted = sorted(set(ids))
    found: dict[str, dict[str, Any]] = {}
    if not wanted:
        return found
    seen = visibility(role).node_clause("n")
    answer = LIGHT_RETURN if light else "n"

    def look_up(name: str, some: list[str]) -> None:
        query = (
            f"UNWIND $ids AS i MATCH (n:{cy_label(name)} {{{KEY}: i}}) WHERE {seen} RETURN {answer}"
        )
        for row in store.read(query, {"ids": some}, timeout_ms=timeout_ms):
            node = light_node(row) if light else row["n"]
            found[node[KEY]] = node

    by_label: dict[str, list[str]] = {}
    for node_id in wanted:
        name = _BY_PREFIX.get(node_id.split("-", 1)[0])
        if name is not None:
            by_label.setdefault(name, []).append(node_id)
    for name, some in by_label.items():
        look_up(name, some)
    rest = [node_id for node_id in wanted if node_id not in found]
    if rest:  # an id without its label's prefix, or one this role does not see
        for name in NODE_TYPES:
            look_up(name, rest)
    return found


#: what a query returns of node ``n`` for :func:`light_node`
LIGHT_RETURN = (
    f"n.{KEY} AS id, labels(n) AS l, n.{METRIC_PREFIX}community AS c, "
    f"[k IN keys(n) WHERE k STARTS WITH '{METRIC_PREFIX}'] AS m"
)


def light_node(row: dict[str, Any]) -> dict[str, Any]:
    """A node as grouping needs it (a row of :data:`LIGHT_RETURN`): its id, labels and
    community, and the names of its measures (values None: they are not read)."""
    node: dict[str, Any] = {KEY: row["id"], "_labels": list(row["l"] or ())}
    node.update((str(k), None) for k in row["m"] or ())
    if row["c"] is not None:
        node[METRIC_PREFIX + "community"] = row["c"]
    return node


#: id prefix -> schema label (``org`` -> ``Organisation``)
_BY_PREFIX = {nt.id_prefix: name for name, nt in NODE_TYPES.items()}


def _ids_by_label(nodes: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The ids of ``nodes`` per schema label (a label the schema lacks is left out): one
    query per label can then use the label's key index."""
    by_label: dict[str, list[str]] = {}
    for node_id, node in nodes.items():
        name = primary_label(node)
        if name in NODE_TYPES:
            by_label.setdefault(name, []).append(node_id)
    return by_label


def _seen(role: str, node: str = "b", rel: str = "e") -> str:
    """The Cypher condition: the other end and the relationship are visible to ``role``.

    It goes after a ``WITH`` that carries the matched variables, never in the ``MATCH``'s own
    ``WHERE``: there FalkorDB takes the draft test on the other end (a property compared with a
    value) as the place to start, scans every node of the graph for each given id and walks
    back (the 2-hop view of a hub at 10,000 nodes ran past its time limit, its tags call took
    36 s instead of 20 ms; tests/visualisation/test_fetch_plans.py checks the plans)."""
    vis = visibility(role)
    return f"{vis.node_clause(node)} AND {vis.rel_clause(rel)}"


def fetch_neighbours(
    store: GraphStore,
    nodes: dict[str, dict[str, Any]],
    *,
    role: str,
    timeout_ms: int | None = None,
) -> Subgraph:
    """Every relationship of ``nodes`` with the node at its other end."""
    out = Subgraph()
    for name, ids in _ids_by_label(nodes).items():
        query = (
            f"UNWIND $ids AS i MATCH (a:{cy_label(name)} {{{KEY}: i}})-[e]-(b) "
            f"WITH i, a, e, b WHERE any(l IN labels(b) WHERE l IN $labels) AND {_seen(role)} "
            f"RETURN a.{KEY} AS a, b, type(e) AS t, startNode(e).{KEY} AS s"
        )
        rows = store.read(
            query, {"ids": sorted(ids), "labels": list(NODE_TYPES)}, timeout_ms=timeout_ms
        )
        for row in rows:
            other = row["b"]
            out.nodes[other[KEY]] = other
            a, b = row["a"], other[KEY]
            out.edges.add((a, b, row["t"]) if row["s"] == a else (b, a, row["t"]))
    return out


def edges_of(
    store: GraphStore,
    nodes: dict[str, dict[str, Any]],
    *,
    role: str,
    timeout_ms: int | None = None,
) -> set[Edge]:
    """Every relationship with at least one end among ``nodes`` (ids and types only)."""
    found: set[Edge] = set()
    for name, ids in _ids_by_label(nodes).items():
        query = (
            f"UNWIND $ids AS i MATCH (a:{cy_label(name)} {{{KEY}: i}})-[e]-(b) "
            f"WITH i, a, e, b WHERE any(l IN labels(b) WHERE l IN $labels) AND {_seen(role)} "
            f"RETURN startNode(e).{KEY} AS a, type(e) AS t, endNode(e).{KEY} AS b"
        )
        params = {"ids": sorted(ids), "labels": list(NODE_TYPES)}
        for row in store.read(query, params, timeout_ms=timeout_ms):
            found.add((row["a"], row["b"], row["t"]))
    return found


def degrees(
    store: GraphStore,
    nodes: dict[str, dict[str, Any]],
    *,
    role: str,
    timeout_ms: int | None = None,
) -> dict[str, int]:
    """How many relationships (that ``role`` sees) each node has in the whole graph (an export
    says how many of them it left out)."""
    found: dict[str, int] = {}
    for name, ids in _ids_by_label(nodes).items():
        query = (
            f"UNWIND $ids AS i MATCH (a:{cy_label(name)} {{{KEY}: i}})-[e]-(b) "
            f"WITH i, a, e, b WHERE any(l IN labels(b) WHERE l IN $labels) AND {_seen(role)} "
            "RETURN i AS id, count(e) AS n"
        )
        params = {"ids": sorted(ids), "labels": list(NODE_TYPES)}
        for row in store.read(query, params, timeout_ms=timeout_ms):
            found[row["id"]] = int(row["n"])
    return found


def metric_ranks(
    store: GraphStore, node: dict[str, Any], *, role: str, timeout_ms: int | None = None
) -> dict[str, tuple[int, int]]:
    """For each measure on ``node``: its place among the nodes of its label and how many have
    the measure ("PageRank: Platz 3 von 136")."""
    label = primary_label(node)
    ranks: dict[str, tuple[int, int]] = {}
    if label not in NODE_TYPES:
        return ranks
    seen = visibility(role).node_clause("n")
    for key, value in sorted(node.items()):
        if not key.startswith(METRIC_PREFIX) or not isinstance(value, int | float):
            continue
        if key == METRIC_PREFIX + "community" or not key[len(METRIC_PREFIX) :].isidentifier():
            continue
        query = (
            f"MATCH (n:{cy_label(label)}) WHERE n.{key} IS NOT NULL AND {seen} "
            f"RETURN sum(CASE WHEN n.{key} > $v THEN 1 ELSE 0 END) AS above, count(n) AS total"
        )
        rows = store.read(query, {"v": value}, timeout_ms=timeout_ms)
        if rows:
            ranks[key] = (int(rows[0]["above"]) + 1, int(rows[0]["total"]))
    return ranks


def metric_places(
    store: GraphStore,
    nodes: dict[str, dict[str, Any]],
    *,
    role: str,
    timeout_ms: int | None = None,
) -> dict[str, dict[str, tuple[int, int]]]:
    """:func:`metric_ranks` for many nodes at once: one query per label and measure."""
    wanted: dict[tuple[str, str], list[str]] = {}
    for node_id, node in nodes.items():
        label = primary_label(node)
        for key, value in node.items():
            if (
                label in NODE_TYPES
                and key.startswith(METRIC_PREFIX)
                and key != METRIC_PREFIX + "community"
                and key[len(METRIC_PREFIX) :].isidentifier()
                and isinstance(value, int | float)
            ):
                wanted.setdefault((label, key), []).append(node_id)
    places: dict[str, dict[str, tuple[int, int]]] = {}
    seen = visibility(role).node_clause("n")
    for (label, key), ids in sorted(wanted.items()):
        query = (
            f"MATCH (n:{cy_label(label)}) WHERE n.{key} IS NOT NULL AND {seen} RETURN n.{key} AS v"
        )
        values = sorted(
            (float(r["v"]) for r in store.read(query, timeout_ms=timeout_ms)), reverse=True
        )
        for node_id in ids:
            mine = float(nodes[node_id][key])
            above = sum(1 for v in values if v > mine)
            places.setdefault(node_id, {})[key] = (above + 1, len(values))
    return places


def topic_names(store: GraphStore, *, timeout_ms: int | None = None) -> dict[str, str]:
    """Topic name -> German name, for the topics lists that organisations carry by name."""
    query = f"MATCH (t:{cy_label('Topic')}) RETURN t.name AS name, t.name_de AS de"
    rows = store.read(query, timeout_ms=timeout_ms)
    return {str(r["name"]): str(r["de"]) for r in rows if r["name"] and r["de"]}


def edges_among(
    store: GraphStore,
    nodes: dict[str, dict[str, Any]],
    *,
    role: str,
    timeout_ms: int | None = None,
) -> set[Edge]:
    """Every relationship whose two ends are both among ``nodes``, in one query per label.

    Only ids come back (no node bodies), only relationships to a node of a label the shown
    nodes have, and the filter to the shown set runs here, so the cost grows with the
    relationships of the shown nodes, not with the graph.
    """
    found: set[Edge] = set()
    by_label = _ids_by_label(nodes)
    ends = " OR ".join(f"b:{cy_label(name)}" for name in by_label)
    for name, ids in by_label.items():
        query = (
            f"UNWIND $ids AS i MATCH (a:{cy_label(name)} {{{KEY}: i}})-[e]->(b) "
            f"WHERE ({ends}) AND {visibility(role).rel_clause('e')} "
            f"RETURN i AS a, type(e) AS t, b.{KEY} AS b"
        )
        for row in store.read(query, {"ids": sorted(ids)}, timeout_ms=timeout_ms):
            if row["b"] in nodes:
                found.add((row["a"], row["b"], row["t"]))
    return found


def fetch_labelled(
    store: GraphStore,
    labels: Iterable[str],
    *,
    role: str,
    timeout_ms: int | None = None,
    light: bool = False,
) -> Subgraph:
    """Every node of the schema ``labels`` that ``role`` sees and every relationship between
    two of them: :func:`fetch_whole_graph` restricted to those labels, read label by label
    (each relationship query starts at one label and ends at another), nothing else.
    ``light``: the nodes as :func:`light_node`."""
    names = [name for name in NODE_TYPES if name in set(labels)]
    graph = Subgraph()
    vis = visibility(role)
    for name in names:
        answer = LIGHT_RETURN if light else "n"
        query = f"MATCH (n:{cy_label(name)}) WHERE {vis.node_clause('n')} RETURN {answer}"
        for row in store.read(query, timeout_ms=timeout_ms):
            node = light_node(row) if light else row["n"]
            graph.nodes[node[KEY]] = node
    for start in names:
        for end in names:
            query = (
                f"MATCH (a:{cy_label(start)})-[e]->(b:{cy_label(end)}) "
                f"WHERE {vis.rel_clause('e')} RETURN a.{KEY} AS a, type(e) AS t, b.{KEY} AS b"
            )
            for row in store.read(query, timeout_ms=timeout_ms):
                if row["a"] in graph.nodes and row["b"] in graph.nodes:
                    graph.edges.add((row["a"], row["b"], row["t"]))
    return graph


#: the labels whose nodes list topics by name (a ``topics`` property in the schema)
TOPIC_LISTS = tuple(
    name for name, nt in NODE_TYPES.items() if any(p.name == "topics" for p in nt.properties)
)


def listing_topic(
    store: GraphStore, name: str, *, role: str, timeout_ms: int | None = None
) -> set[str]:
    """Ids of the nodes ``role`` sees that list the topic ``name`` in their ``topics``
    (label by label, only the labels that have the property).

    Each label is looked up through the index of its folded topics (``topics_fold``, which the
    store writes beside ``topics`` and FalkorDB indexes item by item, as the search does), and
    the few nodes found are checked for the name as it is: 1,822 of 40,266 organisations cost
    what they are, not a scan of every ``topics`` list (Neo4j: the same text, a label scan)."""
    seen = visibility(role).node_clause("n")
    found: set[str] = set()
    params = {"name": name, "folded": fold(name)}
    for label_name in TOPIC_LISTS:
        query = (
            f"MATCH (n:{cy_label(label_name)}) WHERE $folded IN n.topics_fold "
            f"AND $name IN n.topics AND {seen} RETURN n.{KEY} AS id"
        )
        found.update(row["id"] for row in store.read(query, params, timeout_ms=timeout_ms))
    return found


def fetch_whole_graph(store: GraphStore, *, role: str, timeout_ms: int | None = None) -> Subgraph:
    """Every node of every schema label that ``role`` sees and every relationship between
    them."""
    graph = Subgraph()
    vis = visibility(role)
    for name in NODE_TYPES:
        query = f"MATCH (n:{cy_label(name)}) WHERE {vis.node_clause('n')} RETURN n"
        for row in store.read(query, timeout_ms=timeout_ms):
            graph.nodes[row["n"][KEY]] = row["n"]
    for name in NODE_TYPES:
        query = (
            f"MATCH (a:{cy_label(name)})-[e]->(b) WHERE {vis.rel_clause('e')} "
            f"RETURN a.{KEY} AS a, type(e) AS t, b.{KEY} AS b"
        )
        for row in store.read(query, timeout_ms=timeout_ms):
            if row["a"] in graph.nodes and row["b"] in graph.nodes:
                graph.edges.add((row["a"], row["b"], row["t"]))
    return graph


#: relationship types the outline keeps with their type (grouping by region follows them)
OUTLINE_TYPES = ("LOCATED_IN", "WORKS_AT")


@dataclass
class Outline:
    """The whole graph's structure as arrays, for the grouped overview: node ``i`` is
    ``keys[i]`` of schema label ``labels[i]``; relationships as pairs of node positions coded
    ``start * len(keys) + end`` (sorted, unique) with how many relationships join each pair
    (``counts``; those of :data:`OUTLINE_TYPES` not among them) and, per type of
    :data:`OUTLINE_TYPES`, the codes of the pairs it joins (``typed``)."""

    keys: list[str]
    labels: list[str]
    community: dict[int, Any]
    codes: NDArray[np.int64]
    counts: NDArray[np.int64]
    typed: dict[str, NDArray[np.int64]]

    def pairs(self, codes: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Start and end positions of coded pairs."""
        n = max(len(self.keys), 1)
        return codes // n, codes % n


def _parallel_type_queries() -> list[str]:
    """For each pair of labels that several relationship types may join (schema sources and
    targets), one query per type but the first: the pairs it joins that an earlier type joins
    too. Each such pair is one relationship more than the distinct pairs count."""
    by_ends: dict[tuple[str, str], list[str]] = {}
    for kind, rel_type in REL_TYPES.items():
        for source in rel_type.sources:
            for target in rel_type.targets:
                by_ends.setdefault((source, target), []).append(kind)
    queries = []
    for (source, target), kinds in sorted(by_ends.items()):
        for k in range(1, len(kinds)):
            before = "|".join(cy_rel(kind) for kind in kinds[:k])
            queries.append(
                f"MATCH (x:{cy_label(source)})-[:{cy_rel(kinds[k])}]->(y:{cy_label(target)}) "
                f"WHERE (x)-[:{before}]->(y) RETURN collect(id(x)) AS a, collect(id(y)) AS b"
            )
    return queries


def fetch_outline_arrays(store: GraphStore, *, role: str, timeout_ms: int | None = None) -> Outline:
    """The whole graph's structure without its properties: what ``role`` sees (no node in
    draft without editor, no KNOWS without contacts), as arrays.

    Each query answers with a few long lists of the database's internal ids instead of a row
    per node or relationship, none asks for ``type(e)`` (which costs the database more than
    the rest together), and the store hands the lists over as arrays
    (:meth:`~scaleup_graph.store.GraphStore.read_int_lists`); the ids are matched to nodes with
    numpy, so no Python object is made per relationship.
    """
    vis = visibility(role)
    node_queries = [
        f"MATCH (n:{cy_label(name)})"
        + ("" if vis.drafts else f" WHERE {vis.node_clause('n')}")
        + f" RETURN collect(id(n)) AS node, collect(n.{KEY}) AS key"
        for name in NODE_TYPES
    ]
    metric = METRIC_PREFIX + "community"
    community_query = (
        f"MATCH (n) WHERE n.{metric} IS NOT NULL "
        f"RETURN collect(id(n)) AS i, collect(n.{metric}) AS c"
    )

    def ends(start: str, pattern: str) -> str:
        # The relationship is named and its ends read from it: FalkorDB answers
        # (a)-[e]->(b) with one row per pair of nodes when e is not used.
        return (
            f"MATCH ({start})-[e{pattern}]->() "
            "RETURN collect(id(startNode(e))) AS a, collect(id(endNode(e))) AS b"
        )

    # Every pair of nodes joined by a relationship counts +1, and +1 for each further
    # relationship type that joins it too (a topic as competence and as subscription): the
    # distinct pairs cost the database a sixth of reading every relationship's ends. Hidden
    # relationships and those kept typed count -1 at their pair.
    edge_queries: list[tuple[str, str]] = [
        (
            "",
            "MATCH (x)-->(y) WITH DISTINCT id(x) AS i, id(y) AS j "
            "RETURN collect(i) AS a, collect(j) AS b",
        ),
        *(("", query) for query in _parallel_type_queries()),
    ]
    for kind in sorted(vis.hidden_rel_types):
        for source in REL_TYPES[kind].sources:
            edge_queries.append(("-", ends(f"a:{cy_label(source)}", f":{cy_rel(kind)}")))
    for kind in OUTLINE_TYPES:
        for source in REL_TYPES[kind].sources:  # a label scan, not a scan of every node
            edge_queries.append((kind, ends(f"a:{cy_label(source)}", f":{cy_rel(kind)}")))
    # The queries are independent: sent at once, the database answers the longer ones while
    # it answers the others and this process reads the answers.
    with ThreadPoolExecutor(max_workers=3) as pool:
        edge_answers = [
            pool.submit(store.read_int_lists, query, timeout_ms=timeout_ms)
            for _, query in edge_queries
        ]
        node_answers = [
            pool.submit(store.read_keyed_ids, q, timeout_ms=timeout_ms) for q in node_queries
        ]
        community_answer = pool.submit(store.read, community_query, timeout_ms=timeout_ms)
        internal_parts: list[NDArray[np.int64]] = []
        keys: list[str] = []
        labels: list[str] = []
        for name, answer in zip(NODE_TYPES, node_answers, strict=True):
            internal_ids, found = answer.result()
            internal_parts.append(np.asarray(internal_ids, dtype=np.int64))
            keys.extend(found)
            labels.extend([name] * len(found))
        internal = np.concatenate(internal_parts) if internal_parts else np.empty(0, np.int64)
        order = np.argsort(internal, kind="stable")
        sorted_ids = internal[order]
        n = len(keys)

        def positions(ids: Any) -> NDArray[np.int64]:
            """Node positions of internal ids; -1 for a node the outline leaves out."""
            ids = np.asarray(ids, dtype=np.int64)
            if not n or not len(ids):
                return np.full(len(ids), -1, dtype=np.int64)
            at = np.clip(np.searchsorted(sorted_ids, ids), 0, n - 1)
            return np.where(sorted_ids[at] == ids, order[at], -1)

        community: dict[int, Any] = {}
        for row in community_answer.result():
            numbers = list(row["i"] or ())
            for at, value in zip(positions(numbers).tolist(), row["c"] or (), strict=True):
                if at >= 0:
                    community[at] = value
        parts: list[NDArray[np.int64]] = []
        signs: list[int] = []
        typed_parts: dict[str, list[NDArray[np.int64]]] = {k: [] for k in OUTLINE_TYPES}
        for (kind, _), edge_answer in zip(edge_queries, edge_answers, strict=True):
            pairs = edge_answer.result()
            if pairs:
                a, b = positions(pairs["a"]), positions(pairs["b"])
                both = (a >= 0) & (b >= 0)
                coded = a[both] * n + b[both]
            else:
                coded = np.empty(0, dtype=np.int64)
            parts.append(coded)
            signs.append(1 if not kind else -1)
            if kind in typed_parts:
                typed_parts[kind].append(coded)
    typed = {
        kind: np.unique(np.concatenate(coded_parts)) if coded_parts else np.empty(0, np.int64)
        for kind, coded_parts in typed_parts.items()
    }
    weights = np.concatenate(
        [np.full(len(p), s, dtype=np.int64) for p, s in zip(parts, signs, strict=True)]
    )
    codes, inverse = np.unique(np.concatenate(parts), return_inverse=True)
    summed = np.bincount(inverse, weights=weights, minlength=len(codes))
    counts = np.clip(summed, 0, None).astype(np.int64)
    return Outline(keys, labels, community, codes, counts, typed)


@dataclass
class Touched:
    """The nodes a write changed the structure at, as they are now for one role: ``wanted``
    (sorted ids), ``now`` (id -> label and community of each that exists and the role sees)
    and every relationship of those seen (start, type, end) that the role sees."""

    wanted: list[str]
    now: dict[str, tuple[str, Any]]
    relationships: set[tuple[str, str, str]]


def read_touched(
    store: GraphStore, touched: Iterable[str], *, role: str, timeout_ms: int | None = None
) -> Touched:
    """The nodes ``touched`` and their relationships as ``role`` sees them now: one query per
    label for the nodes and one per label they carry for the relationships (the reads grow
    with the touched nodes and their relationships)."""
    wanted = sorted(set(touched))
    vis = visibility(role)
    metric = METRIC_PREFIX + "community"
    now: dict[str, tuple[str, Any]] = {}  # id -> (label, community) of the touched seen now
    for name in NODE_TYPES:
        query = (
            f"UNWIND $ids AS i MATCH (n:{cy_label(name)} {{{KEY}: i}}) "
            f"WHERE {vis.node_clause('n')} RETURN n.{KEY} AS id, n.{metric} AS c"
        )
        for row in store.read(query, {"ids": wanted}, timeout_ms=timeout_ms):
            now[str(row["id"])] = (name, row["c"])
    found: set[tuple[str, str, str]] = set()
    for name in sorted({now[i][0] for i in now}):
        query = (
            f"UNWIND $ids AS i MATCH (a:{cy_label(name)} {{{KEY}: i}})-[e]-(b) "
            f"WHERE {vis.rel_clause('e')} "
            f"RETURN startNode(e).{KEY} AS s, type(e) AS t, endNode(e).{KEY} AS e"
        )
        ids = [i for i in now if now[i][0] == name]
        for row in store.read(query, {"ids": ids}, timeout_ms=timeout_ms):
            found.add((str(row["s"]), str(row["t"]), str(row["e"])))
    return Touched(wanted, now, found)


def fetch_outline(store: GraphStore, *, role: str, timeout_ms: int | None = None) -> Subgraph:
    """:func:`fetch_outline_arrays` as a subgraph: every node as ``{id, _labels,
    metric_community}``; every relationship as ``(start, end, type)``, where only
    :data:`OUTLINE_TYPES` carry their real type and the others ``"~1"``, ``"~2"``, ... (one per
    relationship between the same two nodes, so counts stay exact)."""
    outline = fetch_outline_arrays(store, role=role, timeout_ms=timeout_ms)
    keys = outline.keys
    graph = Subgraph()
    community = METRIC_PREFIX + "community"
    for at, (node_id, name) in enumerate(zip(keys, outline.labels, strict=True)):
        graph.nodes[node_id] = {KEY: node_id, "_labels": [name]}
        if at in outline.community:
            graph.nodes[node_id][community] = outline.community[at]
    for kind, codes in outline.typed.items():
        a, b = outline.pairs(codes)
        graph.edges.update(
            (keys[x], keys[y], kind) for x, y in zip(a.tolist(), b.tolist(), strict=True)
        )
    a, b = outline.pairs(outline.codes)
    for x, y, count in zip(a.tolist(), b.tolist(), outline.counts.tolist(), strict=True):
        graph.edges.update((keys[x], keys[y], f"~{k}") for k in range(1, count + 1))
    return graph


def metric_names(store: GraphStore, *, timeout_ms: int | None = None) -> list[str]:
    """The measures analytics wrote on some node (``metric_*`` but the community), found
    through the database's list of property keys and one short probe per key."""
    rows = store.read("CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey AS k")
    found = []
    for key in sorted({str(r["k"]) for r in rows}):
        name = key[len(METRIC_PREFIX) :]
        if not key.startswith(METRIC_PREFIX) or name == "community" or not name.isidentifier():
            continue
        probe = f"MATCH (n) WHERE n.{key} IS NOT NULL RETURN n.{KEY} AS id LIMIT 1"
        if store.read(probe, timeout_ms=timeout_ms):
            found.append(key)
    return found


def central_organisation(
    store: GraphStore, most: int, *, timeout_ms: int | None = None
) -> str | None:
    """The best-connected organisation (PageRank where analytics wrote it, else the number of
    neighbours) among those with at most ``most`` neighbours; None without organisations."""
    query = (
        f"MATCH (o:{cy_label('Organisation')})--(x) "
        "WITH o, count(DISTINCT x) AS n WHERE n <= $most "
        f"RETURN o.{KEY} AS id, n, o.metric_pagerank AS rank "
        "ORDER BY coalesce(rank, 0) DESC, n DESC, id LIMIT 1"
    )
    rows = store.read(query, {"most": most}, timeout_ms=timeout_ms)
    return str(rows[0]["id"]) if rows else None


def linked_ids(
    store: GraphStore, node_label: str, node_id: str, *, role: str, timeout_ms: int | None = None
) -> set[str]:
    """Ids of the nodes directly linked to one node (for the topic/region/project filters)."""
    query = (
        f"MATCH (x:{cy_label(node_label)} {{{KEY}: $id}})-[e]-(n) "
        f"WITH e, n WHERE any(l IN labels(n) WHERE l IN $labels) AND {_seen(role, 'n')} "
        f"RETURN DISTINCT n.{KEY} AS id"
    )
    rows = store.read(query, {"id": node_id, "labels": list(NODE_TYPES)}, timeout_ms=timeout_ms)
    return {row["id"] for row in rows}


def search_nodes(
    store: GraphStore, text: str, role: str, *, limit: int = 10, timeout_ms: int | None = None
) -> list[dict[str, Any]]:
    """Nodes found by name (or short or other name), forgiving case, accents and umlaut spelling.

    Every label but Person goes through the store's full-text index
    (:func:`scaleup_graph.queries.search.find_nodes`): the name itself first, then names that
    start with the text. Persons are matched by name only for roles that may see names,
    otherwise by their role caption, by a scan of the (few) persons: a viewer's search must not
    reveal that a name exists, and persons' names are kept out of the index.
    """
    needle = search_fold(text)
    if not needle:
        return []
    hits = [
        (
            (MATCH_KINDS.index(hit["match"]), len(str(hit["name"])), fold(str(hit["name"]))),
            hit["id"],
        )
        for hit in find_nodes(store, text, limit=limit, timeout_ms=timeout_ms)
    ]
    person = NODE_TYPES["Person"]
    field_name = "name" if sees_pii(role) else person.caption
    query = (
        f"MATCH (n:{cy_label('Person')}) WHERE n.{field_name} IS NOT NULL "
        f"RETURN n.{KEY} AS id, n.{field_name} AS caption"
    )
    for row in store.read(query, timeout_ms=timeout_ms):
        caption = search_fold(str(row["caption"]))
        if needle in caption:
            rank = 0 if caption == needle else 1 if caption.startswith(needle) else 3
            hits.append(((rank, len(caption), caption), row["id"]))
    hits.sort()
    ids = [node_id for _, node_id in hits[:limit]]
    found = fetch_nodes(store, ids, role=role, timeout_ms=timeout_ms)
    return [found[i] for i in ids if i in found]


def list_names(
    store: GraphStore, node_label: str, *, limit: int = 2000, timeout_ms: int | None = None
) -> list[dict[str, str]]:
    """Id and name of every node of a (non-personal) label, by name: the filter choices."""
    if NODE_TYPES[node_label].pii_fields & {"name"}:
        raise ValueError(f"{node_label} names are personal data")
    query = (
        f"MATCH (n:{cy_label(node_label)}) RETURN n.{KEY} AS id, n.name AS name "
        "ORDER BY name LIMIT $limit"
    )
    rows = store.read(query, {"limit": limit}, timeout_ms=timeout_ms)
    return [{"id": r["id"], "name": str(r["name"] or r["id"])} for r in rows]
