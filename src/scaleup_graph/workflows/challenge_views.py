"""Views on a challenge round: open challenges by topic, proposals per challenge, the pitch
event's programme and the suggested solution providers (from analytics matchmaking).

None of them returns personal data: challenges, proposals and organisations only.
"""

from __future__ import annotations

from typing import Any

from scaleup_graph.queries import daily
from scaleup_graph.store import GraphStore
from scaleup_graph.workflows.challenges import challenge_state
from scaleup_graph.workflows.errors import Invalid
from scaleup_graph.workflows.lookup import require_node, resolve_topics

__all__ = [
    "challenge_round",
    "open_challenges",
    "pitch_programme",
    "proposals",
    "suggested_providers",
]

#: the most rows one call reads through a named query (their page-size limit)
_ALL = 500
_PROGRAMME = (
    "MATCH (c:Challenge)-[:PITCHED_AT]->(e:Event {id: $id}) "
    "OPTIONAL MATCH (o:Organisation)-[:POSES]->(c) "
    "WITH c, e, collect({id: o.id, name: o.name}) AS posers "
    "OPTIONAL MATCH (p:Proposal)-[:ADDRESSES]->(c), (p)-[:PITCHED_AT]->(e) "
    "OPTIONAL MATCH (po:Organisation)-[:PROPOSES]->(p) "
    "WITH c, posers, p, po ORDER BY p.id "
    "RETURN c.id AS id, c.name AS name, c.status AS status, c.topics AS topics, posers, "
    "collect(CASE WHEN p IS NULL THEN NULL ELSE {id: p.id, name: p.name, status: p.status, "
    "organisation: po.id, organisation_name: po.name} END) AS proposals "
    "ORDER BY c.name, c.id"
)


def _clean(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop the null maps an OPTIONAL MATCH leaves in a collect()."""
    return [i for i in items if i and i.get("id")]


def open_challenges(store: GraphStore, topic: str = "") -> dict[str, Any]:
    """Published challenges (open for proposals), grouped by topic.

    The challenges are the rows of the named query ``challenges`` (status ``published``), the
    one home of this read: ``GET /api/v1/challenges?status=published`` gives the same rows.

    Parameters
    ----------
    topic
        A topic id or name; only challenges concerning it. Unknown topics are refused.

    Returns
    -------
    dict
        ``{"total", "challenges": [{"challenge", "posed_by", "topics", "proposals"}],
        "by_topic": [{"topic", "challenges": [ids]}]}``
    """
    wanted = resolve_topics(store, [topic], required=False, field="topic") if topic else []
    rows = daily.challenges(
        store,
        "viewer",
        topic=wanted[0]["name"] if wanted else "",
        status="published",
        limit=_ALL,
    ).rows
    groups: dict[str, dict[str, Any]] = {}
    for r in rows:
        for t in r["topics"]:
            group = groups.setdefault(t["id"], {"topic": t, "challenges": []})
            group["challenges"].append(r["challenge"]["id"])
    by_topic = sorted(groups.values(), key=lambda g: (-len(g["challenges"]), g["topic"]["name"]))
    if wanted:
        by_topic = [g for g in by_topic if g["topic"]["id"] == wanted[0]["id"]]
    return {"total": len(rows), "challenges": rows, "by_topic": by_topic}


def proposals(
    store: GraphStore, challenge_id: str, *, role: str = "viewer"
) -> list[dict[str, Any]]:
    """The proposals submitted to a challenge, with who proposed them and where they were
    pitched: the rows of the named query ``challenge_proposals`` (as
    ``GET /api/v1/challenges/{id}/proposals`` gives them). A draft is not found for a
    ``role`` without editor or admin."""
    require_node(store, "Challenge", challenge_id, "challenge", role=role)
    return daily.challenge_proposals(store, role, challenge_id, limit=_ALL).rows


def pitch_programme(store: GraphStore, event_id: str) -> dict[str, Any]:
    """The programme of a pitch event: each challenge pitched there with the proposals pitched
    for it and who presents them."""
    event = require_node(store, "Event", event_id, "event")
    rows = store.read(_PROGRAMME, {"id": event_id})
    items = [
        {**r, "posers": _clean(r["posers"]), "proposals": _clean(r["proposals"])} for r in rows
    ]
    return {
        "event": {k: event.get(k) for k in ("id", "name", "date", "location", "description")},
        "challenges": items,
        "total_challenges": len(items),
        "total_proposals": sum(len(i["proposals"]) for i in items),
    }


def suggested_providers(
    store: GraphStore, challenge_id: str, top: int = 5, *, role: str = "viewer"
) -> dict[str, Any]:
    """Potential solution providers, ranked by analytics matchmaking
    (:func:`scaleup_graph.analytics.matchmaking.match_challenge`), each with its explanation
    (topics covered, introduction path)."""
    if not 1 <= top <= 50:
        raise Invalid("top must be between 1 and 50", "top")
    require_node(store, "Challenge", challenge_id, "challenge", role=role)
    # Imported here: analytics pulls in networkx and scikit-style text code, which the other
    # workflow steps do not need.
    from scaleup_graph.analytics.matchmaking import match_challenge

    result = match_challenge(store, challenge_id, top=top, role=role).as_dict()
    return {
        "challenge": challenge_id,
        "notes": result["notes"],
        "matches": [
            {
                k: m[k]
                for k in (
                    "id",
                    "name",
                    "score",
                    "matching_topics",
                    "already_proposed",
                    "explanation",
                    "path",
                )
            }
            for m in result["matches"]
        ],
    }


def challenge_round(
    store: GraphStore, challenge_id: str, top: int = 5, *, role: str = "viewer"
) -> dict[str, Any]:
    """Everything the challenge panel shows: lifecycle, proposals, pitch events, matches; a
    draft only for a ``role`` with editor or admin (others get NotFound)."""
    state = challenge_state(store, challenge_id, role=role)
    posers = store.read(
        "MATCH (o:Organisation)-[:POSES]->(c:Challenge {id: $id}) "
        "RETURN o.id AS id, o.name AS name",
        {"id": challenge_id},
    )
    events = store.read(
        "MATCH (c:Challenge {id: $id})-[:PITCHED_AT]->(e:Event) "
        "RETURN e.id AS id, e.name AS name, e.date AS date",
        {"id": challenge_id},
    )
    return {
        **state,
        "posed_by": posers,
        "pitched_at_events": events,
        "proposals": proposals(store, challenge_id, role=role),
        "suggested_providers": suggested_providers(store, challenge_id, top, role=role)["matches"],
    }
