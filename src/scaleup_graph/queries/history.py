"""Each node's history of edits, and undo of one's own last change.

History is kept in the graph as ``_History`` entries beside the data (one per node a write
touched, written in the same statement as the write; see store/cypher.py). In the graph and not
in a file beside it because every API process and every store type (embedded, FalkorDB server,
Neo4j) then shares one history that travels with the data in a backup, and because the GDPR
erasure can remove a person's history (it holds their old values) in the same place as the
person. The ad-hoc guard keeps the system label out of analysts' answers.

Entries hold old and new values; personal values (the schema's pii fields) are shown only to
roles that may see them. Who wrote is the API key's id and note, never a person's value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from scaleup_graph.errors import Conflict, NotFound, ScaleUpError
from scaleup_graph.graph_model import NODE_TYPES, VERSION, is_personal
from scaleup_graph.queries import edits
from scaleup_graph.queries.edits import Actor
from scaleup_graph.queries.privacy import sees_pii, visibility
from scaleup_graph.store import GraphStore

__all__ = ["HISTORY_LIMIT", "node_history", "undo_last"]

HISTORY_LIMIT = 200
#: What an undo does for each kind of change.
_UNDOABLE = ("create", "update", "delete", "link", "unlink", "relink", "step")


def _values(entry: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    try:
        values = json.loads(entry.get("values") or "{}")
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def _rel(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    text = entry.get("rel")
    if not text:
        return None
    try:
        rel = json.loads(text)
    except ValueError:
        return None
    return rel if isinstance(rel, dict) else None


def _rel_type(entry: Mapping[str, Any]) -> str:
    """The relationship type an entry is about (an edit's ``rel``, an import's ``rel_type``)."""
    return str((_rel(entry) or {}).get("type") or entry.get("rel_type") or "")


def _links(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A deleted node's relationships as its delete entry kept them."""
    try:
        links = json.loads(entry.get("links") or "[]")
    except ValueError:
        return []
    return [x for x in links if isinstance(x, dict)] if isinstance(links, list) else []


def _shown(entry: Mapping[str, Any], role: str) -> dict[str, Any]:
    label = str(entry.get("label") or "")
    nt = NODE_TYPES.get(label)
    personal = nt.pii_fields if nt else frozenset()
    visible = sees_pii(role)
    changes = []
    for name, pair in sorted(_values(entry).items()):
        row: dict[str, Any] = {"field": name, "personal": name in personal}
        if name not in personal or visible:
            row["old"], row["new"] = pair.get("old"), pair.get("new")
        changes.append(row)
    shown: dict[str, Any] = {
        "at": entry.get("at"),
        "key_id": entry.get("key_id"),
        "key_note": entry.get("key_note") or "",
        "action": entry.get("action"),
        "fields": list(entry.get("fields") or []),
        "changes": changes,
        "version": entry.get(VERSION),
        "undone": bool(entry.get("undone")),
        "change": entry.get("change"),
    }
    rel = _rel(entry)
    if rel is not None:
        shown["relationship"] = rel
    if str(entry.get("action")).startswith("ingest"):  # an import: its run and source file
        shown["ingest_run"] = entry.get("ingest_run")
        shown["source"] = entry.get("key_note") or ""
        if entry.get("rel_type"):
            shown["relationship_type"] = entry.get("rel_type")
    if entry.get("links") is not None:  # a delete: how many relationships went with the node
        shown["relationships_removed"] = len(_links(entry))
    return shown


def _captions(
    store: GraphStore, ids: set[str], role: str, lang: str | None = None
) -> dict[str, dict[str, Any]]:
    """Label and caption of each id that names a node: its name (a topic's German name for
    ``lang`` de), but a person's job title for roles that may not see persons' names. Ids of
    deleted nodes are left out."""
    by_prefix = {nt.id_prefix: label for label, nt in NODE_TYPES.items()}
    grouped: dict[str, list[str]] = {}
    for node_id in ids:
        label = by_prefix.get(node_id.split("-", 1)[0])
        if label is not None:
            grouped.setdefault(label, []).append(node_id)
    found: dict[str, dict[str, Any]] = {}
    for label, wanted in grouped.items():
        nt = NODE_TYPES[label]
        field = nt.caption if "name" in nt.pii_fields and not sees_pii(role) else "name"
        for node_id, props in store.node_properties(label, wanted).items():
            if visibility(role).hides_label_props(label, props):  # a draft: marked, left out
                found[node_id] = {"hidden": True}
                continue
            own = props.get(f"{field}_{lang}") if lang else None  # Topic.name_de
            found[node_id] = {"label": label, "caption": str(own or props.get(field) or node_id)}
    return found


def _import_creation(
    found: tuple[list[str], dict[str, Any]] | None, entries: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The creation of a node by an import, from its provenance (``found``: the node's labels
    and properties): an import writes no entry for the nodes it creates (that would double a
    first load's writes), the node itself says when, by which run and from which file. None for
    nodes an editor or a workflow step made (their ``create`` entry says it) or that are gone."""
    if found is None or any(e.get("action") == "create" for e in entries):
        return None
    props = found[1]
    run = str(props.get("ingest_run") or "")
    if not run or run.startswith(("api-", "workflow-")):
        return None
    return {
        "at": props.get("ingested_at"),
        "key_id": "ingest",
        "key_note": str(props.get("source") or ""),
        "action": "ingest:create",
        "fields": [],
        "changes": [],
        "version": None,
        "undone": False,
        "change": None,
        "ingest_run": run,
        "source": str(props.get("source") or ""),
    }


def _other_end(rel: Mapping[str, Any], node_id: str) -> tuple[str, str]:
    """The relationship's other end seen from ``node_id``, and the direction (out/in)."""
    if rel.get("start") == node_id:
        return str(rel.get("end")), "out"
    return str(rel.get("start")), "in"


def node_history(
    store: GraphStore,
    node_id: str,
    role: str,
    limit: int = HISTORY_LIMIT,
    lang: str | None = None,
) -> dict[str, Any]:
    """The node's changes, newest first: when, which key, what changed (old and new values,
    personal ones only for roles that may see them), and whether it was undone.

    A relationship entry names its other end (``relationship.other``: id, label, caption; a
    person by job title for roles that may not see names; ``exists: false`` once deleted)."""
    entries = store.node_history(node_id, limit)
    found = store.node_record(node_id)
    seen = visibility(role)
    hidden = found is not None and any(
        seen.hides_label_props(lab, found[1]) for lab in found[0] if lab in NODE_TYPES
    )
    if hidden or (not entries and found is None):  # a draft for a key without editor: 404
        raise edits.refusal(
            "there is no node with this id and no history for it", kind=NotFound, code="not_found"
        )
    # a link or unlink between persons (KNOWS) is left out for keys without contacts
    entries = [e for e in entries if not seen.hides_rel(_rel_type(e))]
    shown = [_shown(e, role) for e in entries]
    created = _import_creation(found, entries) if len(entries) < limit else None
    if created is not None:
        shown.append(created)
    rels = [e["relationship"] for e in shown if "relationship" in e]
    captions = _captions(store, {_other_end(r, node_id)[0] for r in rels}, role, lang)
    # a link to a node the role does not see (a challenge in draft) is left out, id and all
    shown = [
        e
        for e in shown
        if "relationship" not in e
        or not captions.get(_other_end(e["relationship"], node_id)[0], {}).get("hidden")
    ]
    rels = [e["relationship"] for e in shown if "relationship" in e]
    for rel in rels:
        other, direction = _other_end(rel, node_id)
        known = captions.get(other)
        rel["direction"] = direction
        rel["other"] = {
            "id": other,
            "label": known["label"] if known else None,
            "caption": known["caption"] if known else other,
            "exists": known is not None,
        }
    return {"id": node_id, "entries": shown}


def _target(entries: list[dict[str, Any]], actor: Actor) -> dict[str, Any]:
    for i, entry in enumerate(entries):
        if entry.get("undone") or entry.get("action") == "undo":
            continue
        if str(entry.get("action")).startswith("ingest"):
            mine = any(
                e.get("key_id") == actor.key_id
                and not e.get("undone")
                and e.get("action") != "undo"
                for e in entries[i + 1 :]
            )
            if mine:  # an import came after the caller's change
                raise _changed_since()
            break
        if entry.get("key_id") != actor.key_id:
            raise edits.refusal(
                f"the last change on this node was made by another key ({entry.get('key_id')}, "
                f"{entry.get('at')}); undo reverts only your own last change: edit the node "
                "instead",
                kind=Conflict,
                code="not_your_change",
            )
        if str(entry.get("action")).split(":")[0] not in _UNDOABLE:
            break
        return entry
    raise edits.refusal(
        "you have no change on this node that can be undone", kind=Conflict, code="nothing_to_undo"
    )


def _changed_since() -> ScaleUpError:
    return edits.refusal(
        "this node changed after your change (an import or a workflow step wrote to it), so "
        "undo would overwrite that: edit the fields by hand instead",
        kind=Conflict,
        code="changed_since",
    )


def undo_last(store: GraphStore, node_id: str, actor: Actor, *, salt: str) -> dict[str, Any]:
    """Revert the caller's own last change on a node, as a new, recorded change.

    An update gets its old values back, a create is deleted, a delete re-created with the
    relationships it had to nodes that still exist (``not_restored`` names the others), a link
    removed, an unlink restored. Refused (409) when the last change is someone else's or the
    node changed since. A person erased under GDPR has no history left to undo.
    """
    entries = store.node_history(node_id, HISTORY_LIMIT)
    if not entries and store.node_record(node_id) is None:
        raise edits.refusal(
            "there is no node with this id and no history to undo (a person erased under GDPR "
            "leaves none: an erasure cannot be undone; add the person again only if they agree)",
            kind=NotFound,
            code="not_found",
        )
    target = _target(entries, actor)
    action = str(target["action"]).split(":")[0]
    label = str(target["label"])
    change = str(target["change"])
    values = _values(target)
    rel = _rel(target)
    if action == "relink" and rel is not None:
        edits.upsert_relationship(
            store,
            rel["type"],
            rel["start"],
            rel["end"],
            rel.get("old_properties") or {},
            actor,
            undoes=change,
            action="undo",
            replace=True,
        )
        return {"undone": target["action"], "node": edits.node_record(store, node_id, actor.role)}
    if action in ("link", "unlink") and rel is not None:
        if action == "link":
            edits.unlink(
                store, rel["type"], rel["start"], rel["end"], actor, undoes=change, action="undo"
            )
        else:
            edits.link(
                store,
                rel["type"],
                rel["start"],
                rel["end"],
                rel.get("properties") or {},
                actor,
                undoes=change,
                action="undo",
            )
        return {"undone": target["action"], "node": edits.node_record(store, node_id, actor.role)}
    if action == "delete":
        if store.node_record(node_id) is not None:
            raise _changed_since()
        links = _links(target)
        ends = _captions(store, {str(x["other"]) for x in links}, actor.role)
        restored = [x for x in links if x["other"] in ends and x.get("other_label")]
        missing = [x for x in links if x not in restored]
        record = edits.create_node(
            store,
            label,
            {k: v["old"] for k, v in values.items() if v.get("old") is not None},
            actor,
            salt=salt,
            node_id=node_id,
            undoes=change,
            action="undo",
            restore=restored,
        )
        return {
            "undone": "delete",
            "node": record,
            "relationships_restored": len(restored),
            # deleted meanwhile: named by the name kept at the delete (a person by id only)
            "not_restored": [
                {
                    "type": x["type"],
                    "direction": x["direction"],
                    "other": x["other"],
                    "other_caption": str(x.get("other_name") or x["other"]),
                }
                for x in missing
            ],
        }
    found = store.node_record(node_id)
    if found is None:
        raise _changed_since()
    stored = found[1]
    if any(stored.get(k) != v.get("new") for k, v in values.items()):
        raise _changed_since()
    version = int(stored.get(VERSION) or 0)
    if action == "create":
        # the create is the last change on the node, so its relationships came with it
        # (a workflow step's POSES, CONCERNS, ...): they go with it
        edits.delete_node(
            store,
            label,
            node_id,
            actor,
            version=version,
            confirm=True,
            action="undo",
            undoes=change,
        )
        if is_personal(label):  # its history holds personal values: nothing of it stays
            store.erase_node(node_id)
        return {"undone": "create", "node": None}
    record = edits.update_node(
        store,
        label,
        node_id,
        {k: v.get("old") for k, v in values.items()},
        actor,
        version=version,
        salt=salt,
        undoes=change,
        action="undo",
        allow_locked=True,
    )
    return {"undone": target["action"], "node": record}
