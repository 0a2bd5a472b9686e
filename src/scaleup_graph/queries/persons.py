"""GDPR for contact persons: everything held about a person (Art. 15) and erasure (Art. 17).

Erasure deletes the Person node with its relationships and puts salted hashes of the person's
identifiers (and the id itself, which is already a hash) on the store's suppression list, which
ingest consults, so a re-import of the original file does not bring the person back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scaleup_graph.graph_model import KEYED_PERSON_ID, identifier_hashes, keyed_person_id
from scaleup_graph.store import GraphStore

__all__ = ["ErasureReport", "erase_person", "export_person", "migrate_person_ids"]

_ALL_PERSON_IDS = "MATCH (p:Person) RETURN p.id AS id"
_RENAME = "UNWIND $rows AS r MATCH (p:Person {id: r.old}) SET p.id = r.new"

_PERSON = "MATCH (p:Person {id: $id}) RETURN p AS person"
_LINKS = (
    "MATCH (p:Person {id: $id})-[r]-(other) "
    "RETURN type(r) AS type, startNode(r) = p AS outgoing, properties(r) AS properties, "
    "other.id AS other_id, labels(other) AS other_labels, "
    "CASE WHEN 'Person' IN labels(other) THEN NULL ELSE other.name END AS other_name"
)


@dataclass(frozen=True, slots=True)
class ErasureReport:
    person_id: str
    erased: bool
    relationships_removed: int
    suppressed_identifiers: int


def export_person(store: GraphStore, person_id: str) -> dict[str, Any] | None:
    """Everything the graph holds about one person, or None if there is no such person.

    Other persons linked to them appear by id only: their data is not the requester's.
    """
    rows = store.read(_PERSON, {"id": person_id})
    if not rows:
        return None
    node = dict(rows[0]["person"])
    labels = node.pop("_labels", [])
    links = store.read(_LINKS, {"id": person_id})
    return {"person": node, "labels": labels, "relationships": links}


def erase_person(store: GraphStore, person_id: str, salt: str) -> ErasureReport:
    """Delete a person and everything identifying them; remember them as suppressed.

    Idempotent: erasing an unknown or already erased id reports ``erased=False``.
    """
    rows = store.read(_PERSON, {"id": person_id})
    if not rows:
        return ErasureReport(
            person_id, erased=False, relationships_removed=0, suppressed_identifiers=0
        )
    props = {k: v for k, v in rows[0]["person"].items() if k != "_labels"}
    hashes = identifier_hashes(props, salt) | {person_id}
    links = len(store.read(_LINKS, {"id": person_id}))
    # Suppress first: if the delete then fails, a re-import still skips the person, and a
    # retry of the erasure finishes the job.
    store.add_suppressed(hashes)
    store.erase_node(person_id)
    return ErasureReport(
        person_id, erased=True, relationships_removed=links, suppressed_identifiers=len(hashes)
    )


def migrate_person_ids(store: GraphStore, batch: int = 5_000) -> int:
    """Give every Person an id keyed with the installation's secret; returns how many changed.

    Ids of earlier versions were an unkeyed hash of the e-mail or name (anyone could test a
    guess) or chosen by an editor. Relationships follow the node (they reference it, not its
    id); the suppression list gets the keyed form of every erased person's id too, so a
    re-import by either form stays refused. Idempotent: keyed ids are left as they are.
    """
    old = [str(r["id"]) for r in store.read(_ALL_PERSON_IDS) if r.get("id")]
    rows = [{"old": i, "new": keyed_person_id(i)} for i in old if not KEYED_PERSON_ID.fullmatch(i)]
    for start in range(0, len(rows), batch):
        store.write(_RENAME, {"rows": rows[start : start + batch]})
    erased = [h for h in store.all_suppressed() if h.startswith("person-")]
    store.add_suppressed(keyed_person_id(h) for h in erased if not KEYED_PERSON_ID.fullmatch(h))
    return len(rows)
