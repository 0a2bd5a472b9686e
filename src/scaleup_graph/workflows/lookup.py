"""Finding the nodes a workflow step refers to, with refusals that say what exists instead.

Every step checks all its references before it writes, so a bad id never leaves half a record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scaleup_graph.graph_model import KEY, fold
from scaleup_graph.queries.privacy import visibility
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cypher_label
from scaleup_graph.workflows.errors import Invalid, NotFound

__all__ = ["MAX_TOPICS", "require_node", "resolve_topics"]

MAX_TOPICS = 20
_TOPICS = "MATCH (t:Topic) RETURN t.id AS id, t.name AS name, t.name_de AS name_de ORDER BY t.name"


def require_node(
    store: GraphStore, label: str, node_id: str, field: str, *, role: str | None = None
) -> dict[str, Any]:
    """The properties of the ``label`` node ``node_id``, or :class:`NotFound` naming ``field``.

    With a ``role``, a node that role does not see at all (a challenge in draft for a key
    without editor) is not found either, with the same message."""
    if not isinstance(node_id, str) or not node_id.strip():
        raise Invalid(f"{field} is missing: give the id of a {label}", field)
    rows = store.read(
        f"MATCH (n:{cypher_label(label)} {{{KEY}: $id}}) RETURN properties(n) AS p",
        {"id": node_id},
    )
    if rows and role is not None and visibility(role).hides_label_props(label, rows[0]["p"]):
        rows = []
    if not rows:
        raise NotFound(
            f"{field}: there is no {label} with this id; look it up with the "
            "search (GET /api/v1/organisations?q=... or the explorer)",
            field,
        )
    return dict(rows[0]["p"])


def resolve_topics(
    store: GraphStore, wanted: Iterable[str], *, field: str = "topics", required: bool = True
) -> list[dict[str, str]]:
    """Map topic ids or names (German or English, any case or accents) to known Topic nodes.

    Unknown topics are refused: a typo would otherwise create a topic nobody subscribes to.

    Returns
    -------
    list of dict
        ``{"id", "name"}`` per distinct topic, in the order asked.
    """
    asked = [str(w).strip() for w in wanted if str(w).strip()]
    if required and not asked:
        raise Invalid(f"{field} is empty: name at least one topic (id or name)", field)
    if len(asked) > MAX_TOPICS:
        raise Invalid(f"{field}: at most {MAX_TOPICS} topics", field)
    known = store.read(_TOPICS)
    by_key: dict[str, dict[str, str]] = {}
    for t in known:
        entry = {"id": t["id"], "name": t["name"]}
        for key in (t["id"], t["name"], t["name_de"]):
            if key:
                by_key[fold(str(key))] = entry
    found: dict[str, dict[str, str]] = {}
    unknown = []
    for name in asked:
        hit = by_key.get(fold(name))
        if hit is None:
            unknown.append(name[:80])
        else:
            found.setdefault(hit["id"], hit)
    if unknown:
        examples = ", ".join(str(t["name"]) for t in known[:8]) or "none yet"
        raise Invalid(
            f"{field}: unknown topic(s) {', '.join(repr(u) for u in unknown)}; use a known "
            f"topic (for example {examples}) or ask an editor to add the Topic first",
            field,
        )
    return list(found.values())
