"""A graph held in memory that ingest writes as it would write the store: the bulk first load.

``scaleup ingest --bulk`` runs the ordinary ingest (the same reading, validation, reject report
and provenance) against a :class:`StagedGraph` instead of the database; the staged graph applies
every write with the semantics of the store's own Cypher (:func:`.cypher.merge_nodes`,
:func:`.cypher.merge_relationships`): MERGE on the key, provenance on create, ``SET +=`` of the
row's properties (a null removes one), ``if_missing`` values that only fill gaps, extra labels
added, the folded search keys and the search text derived, ``updated_at`` and ``version`` + 1 per
write. When the run is through, the adapter writes the whole graph at once through the engine's
bulk path (FalkorDB: GRAPH.BULK, see :mod:`.bulk`). The result equals what the same ingest writes
through Cypher, property for property; ``tests/ingest/test_bulk.py`` compares both on real files.
The nodes' history entries that the ordinary ingest writes (issue 17: ``ingest:update`` with the
changed fields, ``ingest:link``, both only for nodes an earlier run made) are staged the same
way; a first load has none, its nodes show their creation from their provenance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scaleup_graph.graph_model import DERIVED_SEARCH_PROPERTIES, KEY, VERSION
from scaleup_graph.store.base import (
    GraphStore,
    NodeRow,
    RelRow,
    StoreError,
    _now_iso,
    _searchable,
    _with_search_keys,
)

__all__ = ["StagedGraph", "StagedNode"]


class StagedNode:
    """One node: its labels (the MERGE label first) and properties; ``serial`` orders creation.
    ``encoded``: the bulk writer's encoding of the properties (store/bulk.py), None when not
    made yet or the node changed since."""

    __slots__ = ("encoded", "labels", "props", "serial")

    def __init__(self, serial: int, label: str, props: dict[str, Any]) -> None:
        self.serial = serial
        self.labels = [label]
        self.props = props
        self.encoded: tuple[tuple[str, ...], bytes] | None = None


def _set_all(target: dict[str, Any], values: Mapping[str, Any]) -> None:
    """``SET x += values``: a null removes the property."""
    for name, value in values.items():
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value


class StagedGraph(GraphStore):
    """The store's write semantics over dictionaries; the suppression list (it lives outside the
    graph) is ``target``'s, read when the staged graph is made. Answers no Cypher: ingest needs
    none."""

    dialect = "staged"

    def __init__(self, target: GraphStore) -> None:
        self.target = target
        #: label (the MERGE label and every extra label) -> id -> node
        self.by_label: dict[str, dict[str, StagedNode]] = {}
        #: type -> (start serial, end serial) -> (start node, end node, properties); by type, so
        #: the bulk writer can send a type's relationships once no later mapping writes that type
        self.relationships: dict[
            str, dict[tuple[int, int], tuple[StagedNode, StagedNode, dict[str, Any]]]
        ] = {}
        #: set when the bulk writer has sent the nodes: a later node write would be lost
        self.nodes_sent = False
        self._serial = 0
        #: the nodes' history entries the same writes add through Cypher (issue 17)
        self.history: list[dict[str, Any]] = []
        #: nodes written since the bulk writer last encoded ahead (a node may be listed twice;
        #: those with an encoding are skipped): see store/bulk.py's encode_ahead
        self.changed: list[StagedNode] = []
        #: the ingest runs that created the staged nodes (a load of several manifests has
        #: several): a relationship write by the only one needs no history check per row
        self.creating_runs: set[Any] = set()
        #: the target's suppression list, read once: a bulk load holds the graph (the marker
        #: refuses other writes, an erasure among them), so the list cannot change meanwhile
        self.suppression = frozenset(target.all_suppressed())

    # -- what ingest writes -------------------------------------------------------------------

    def upsert_nodes(
        self,
        label: str,
        rows: Sequence[NodeRow],
        *,
        provenance: Mapping[str, Any],
        history: bool = True,
    ) -> int:
        if self.nodes_sent:
            raise StoreError("the staged nodes were sent to the database: no node write after that")
        searchable = _searchable(label)
        now = provenance.get("ingested_at")
        at = _now_iso()
        index = self.by_label.setdefault(label, {})
        changed_nodes = self.changed
        created: dict[str, Any] = {}
        _set_all(
            created,
            {
                "source": provenance.get("source"),
                "ingest_run": provenance.get("ingest_run"),
                "ingested_at": now,
            },
        )
        for row in rows:
            props, fill = _with_search_keys(row.props, row.fill, searchable)
            node = index.get(row.id)
            if node is None:
                self.creating_runs.add(created.get("ingest_run"))
                self._serial += 1
                node = StagedNode(self._serial, label, {KEY: row.id, **created})
                index[row.id] = node
            before = node.props
            node.encoded = None  # the bulk writer encodes it again (store/bulk.py)
            changed_nodes.append(node)
            # the history entry of merge_nodes(history=True): fields this write changes, for a
            # node an earlier run made (none in a first load: not worked out per row there)
            earlier = history and before.get("ingest_run") != provenance.get("ingest_run")
            changed = (
                [
                    k
                    for k, v in props.items()
                    if k not in DERIVED_SEARCH_PROPERTIES
                    and (v is None or before.get(k) is None or before[k] != v)
                ]
                + [k for k in fill if before.get(k) is None]
                if earlier
                else []
            )
            _set_all(node.props, props)
            target = node.props
            if now is None:
                target.pop("updated_at", None)
            else:
                target["updated_at"] = now
            target[VERSION] = target.get(VERSION, 0) + 1
            if fill:
                for name in sorted(fill):
                    if target.get(name) is None and fill[name] is not None:
                        target[name] = fill[name]
            for extra in row.extra_labels:
                if extra not in node.labels:
                    node.labels.append(extra)
                    self.by_label.setdefault(extra, {}).setdefault(row.id, node)
            # as merge_nodes(history=True): a node this run created gets no entry (its
            # provenance is its creation entry), so a bulk first load stages none
            if changed:
                self._history(
                    {
                        "node": row.id,
                        "label": label,
                        "action": "ingest:update",
                        "fields": changed,
                        VERSION: node.props[VERSION],
                    },
                    provenance,
                    at,
                )
        return len(rows)

    def _history(self, entry: dict[str, Any], provenance: Mapping[str, Any], at: str) -> None:
        entry.update(
            at=at,
            key_id="ingest",
            key_note=provenance.get("source"),
            ingest_run=provenance.get("ingest_run"),
        )
        self.history.append({k: v for k, v in entry.items() if v is not None})

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
        starts = self.by_label.get(start_label, {})
        ends = self.by_label.get(end_label, {})
        created: dict[str, Any] = {}
        _set_all(
            created,
            {
                "source": provenance.get("source"),
                "ingest_run": provenance.get("ingest_run"),
                "ingested_at": provenance.get("ingested_at"),
            },
        )
        updated_at = provenance.get("ingested_at")
        written = 0
        run = provenance.get("ingest_run")
        relationships = self.relationships.setdefault(type_, {})
        # the entries of merge_relationships(history=True): one per node at an end of a
        # relationship this call creates or changes
        touched_starts: dict[str, None] = {}
        touched_ends: dict[str, None] = {}
        # only nodes an earlier run made get an entry: none when every node is this run's (a
        # bulk first load of one manifest), and then no row needs the check
        check = not self.creating_runs <= {run}
        for row in rows:
            a, b = starts.get(row.start), ends.get(row.end)
            if a is None or b is None:
                continue  # MATCH found no endpoint: the Cypher writes nothing for this row
            key = (a.serial, b.serial)
            found = relationships.get(key)
            if found is None:
                found = relationships[key] = (a, b, created.copy())
            before = found[2]
            if check:
                # does this write change the relationship, at a node of an earlier run?
                start_earlier = a.props.get("ingest_run") != run
                end_earlier = b.props.get("ingest_run") != run
                if (start_earlier or end_earlier) and (
                    before.get("updated_at") is None
                    or any(
                        v is None or before.get(k) is None or before[k] != v
                        for k, v in row.props.items()
                    )
                ):
                    if start_earlier:
                        touched_starts[row.start] = None
                    if end_earlier:
                        touched_ends[row.end] = None
            if row.props:
                _set_all(before, row.props)
            if updated_at is None:  # SET r.updated_at = null
                before.pop("updated_at", None)
            else:
                before["updated_at"] = updated_at
            written += 1
        if history and (touched_starts or touched_ends):
            at = _now_iso()
            ids = [*touched_starts, *(i for i in touched_ends if i not in touched_starts)]
            for node_id in ids:
                self._history(
                    {
                        "node": node_id,
                        "label": start_label if node_id in touched_starts else end_label,
                        "action": "ingest:link",
                        "rel_type": type_,
                    },
                    provenance,
                    at,
                )
        return written

    def existing_ids(self, label: str, ids: Iterable[str]) -> set[str]:
        index = self.by_label.get(label, {})
        return {i for i in ids if i in index}

    def node_properties(self, label: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        index = self.by_label.get(label, {})
        return {i: dict(index[i].props) for i in ids if i in index}

    def names(self, label: str) -> dict[str, str]:
        return {
            node_id: node.props["name"]
            for node_id, node in self.by_label.get(label, {}).items()
            if node.props.get("name")
        }

    def erase_node(self, node_id: str) -> int:
        doomed = {
            node.serial
            for index in self.by_label.values()
            if (node := index.get(node_id)) is not None
        }
        for index in self.by_label.values():
            if node_id in index and index[node_id].serial in doomed:
                del index[node_id]
        for by_ends in self.relationships.values():
            for key in [k for k in by_ends if k[0] in doomed or k[1] in doomed]:
                del by_ends[key]
        self.history = [h for h in self.history if h["node"] != node_id]
        return len(doomed)

    def suppressed(self, hashes: Iterable[str]) -> set[str]:
        listed = self.suppression
        return {h for h in hashes if h in listed} if listed else set()

    # -- what the bulk writer reads -----------------------------------------------------------

    def nodes(self) -> list[StagedNode]:
        """Every node once, in the order they were first written."""
        unique = {n.serial: n for index in self.by_label.values() for n in index.values()}
        return [unique[s] for s in sorted(unique)]

    @property
    def relationship_count(self) -> int:
        return sum(len(by_ends) for by_ends in self.relationships.values())

    # -- the rest of the port: a staged graph answers no queries ------------------------------

    def _refuse(self) -> StoreError:
        return StoreError("a staged bulk load answers no queries until it is written")

    def read(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        raise self._refuse()

    def write(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        raise self._refuse()

    def read_only(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_cap: int,
    ) -> tuple[list[dict[str, Any]], bool]:
        raise self._refuse()

    def setup_schema(self) -> None:
        """Nothing to set up: the target's indexes are built after the bulk write."""

    def health(self) -> dict[str, Any]:
        return {"store": "staged", "nodes": len(self.nodes())}

    def clear(self) -> None:
        self.by_label.clear()
        self.relationships.clear()
        self.history.clear()
        self.changed.clear()
        self.creating_runs.clear()

    def close(self) -> None:
        """The staged graph holds no connection; the target is closed by its owner."""
