"""The lineage of a best practice: who presented it, where it was transferred, what it inspired.

The MoWiN Innovation Lab was presented by MoWiN.net in Nordhessen (DE73) and transferred to the
Greek (EL30) and Polish (PL81) partner regions; the Nordhessen Open Innovation Challenge was
modelled on Lazio Innova's practice (INSPIRED_BY). Inspiration is followed over several steps
(a project inspired by a practice may inspire a further one), and upwards too: what the practice
itself was modelled on.
"""

from __future__ import annotations

from typing import Any

from scaleup_graph.graph_model.schema import schema_label
from scaleup_graph.queries.privacy import visibility
from scaleup_graph.store import GraphStore
from scaleup_graph.workflows.lookup import require_node

__all__ = ["MAX_DEPTH", "practice_lineage"]

#: How many INSPIRED_BY steps are followed; real chains are one or two steps long.
MAX_DEPTH = 4

_PRESENTED = (
    "MATCH (x)-[r:PRESENTED]->(b:BestPractice {id: $id}) WHERE x:Organisation OR x:Region "
    "OPTIONAL MATCH (x)-[:LOCATED_IN]->(reg:Region) "
    "RETURN x.id AS id, x.name AS name, labels(x) AS labels, r.date AS date, "
    "x.nuts_code AS nuts_code, collect(reg.id) AS regions ORDER BY x.id"
)
_TRANSFERRED = (
    "MATCH (b:BestPractice {id: $id})-[r:TRANSFERRED_TO]->(reg:Region) "
    "RETURN reg.id AS id, reg.name AS name, reg.nuts_code AS nuts_code, reg.country AS country, "
    "reg.description AS description, r.phase AS phase, r.date AS date ORDER BY reg.id"
)


# Variable-length INSPIRED_BY; the depth bound is a module constant, not a request value.
def _inspired(seen: str) -> str:
    """What was inspired by the practice; ``seen`` is the reader's visibility condition on x."""
    return (
        "MATCH path = (x)-[:INSPIRED_BY*1..4]->(b:BestPractice {id: $id}) "
        f"WHERE (x:BestPractice OR x:Project OR x:Challenge OR x:Event) AND {seen} "
        "RETURN x.id AS id, x.name AS name, labels(x) AS labels, min(length(path)) AS depth "
        "ORDER BY depth, id"
    )


_MODELLED_ON = (
    "MATCH path = (b:BestPractice {id: $id})-[:INSPIRED_BY*1..4]->(x) "
    "WHERE x:BestPractice OR x:Project "
    "RETURN x.id AS id, x.name AS name, labels(x) AS labels, min(length(path)) AS depth "
    "ORDER BY depth, id"
)


def _kind(labels: list[str]) -> str:
    return schema_label(labels) or (labels[0] if labels else "")


def _node(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k != "labels" and v not in (None, [])}
    out["label"] = _kind(row.get("labels") or [])
    return out


def practice_lineage(
    store: GraphStore, practice_id: str, *, role: str = "viewer"
) -> dict[str, Any]:
    """Who presented ``practice_id``, where it went, what it inspired and was modelled on
    (what ``role`` sees: a challenge in draft only with editor or admin).

    Returns
    -------
    dict
        ``practice``; ``presented_by`` (organisations and regions); ``transferred_to``
        (regions with phase and date); ``inspired`` (nodes INSPIRED_BY it, with ``depth`` 1 for
        direct inspiration); ``modelled_on`` (what it was itself inspired by).

    Raises
    ------
    NotFound
        No BestPractice has that id.
    """
    props = require_node(store, "BestPractice", practice_id, "practice")
    params = {"id": practice_id}
    return {
        "practice": {k: props.get(k) for k in ("id", "name", "description", "topics")},
        "presented_by": [_node(r) for r in store.read(_PRESENTED, params)],
        "transferred_to": [
            _node({**r, "labels": ["Region"]}) for r in store.read(_TRANSFERRED, params)
        ],
        "inspired": [
            _node(r) for r in store.read(_inspired(visibility(role).node_clause("x")), params)
        ],
        "modelled_on": [_node(r) for r in store.read(_MODELLED_ON, params)],
    }
