"""The Open Innovation Challenge lifecycle: draft -> published -> pitched -> solved, or closed.

An SME drafts a challenge with topics; publishing opens it for proposals; at the pitch event the
challenge and its proposals are pitched; afterwards it is solved (with the accepted proposals)
or closed. Every transition is dated (``published_at``, ``pitched_at``, ``closed_at``), dates
never go backwards, and a transition out of order is refused with the transitions that are
possible. Each step checks everything first and then writes in one Cypher statement (one
transaction), whose own ``WHERE c.status = $from`` makes two racing editors safe. Given the
writer (``by``), that same statement also writes the node's history entry.

Examples
--------
>>> sorted(next_statuses("published"))
['closed', 'pitched']
>>> next_statuses("solved")
()
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scaleup_graph.graph_model import NODE_TYPES, choices, make_id, validate_node
from scaleup_graph.graph_model.messages import refused
from scaleup_graph.graph_model.validation import invalid
from scaleup_graph.queries.edits import Actor
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import history_foreach
from scaleup_graph.workflows.errors import Conflict, Invalid
from scaleup_graph.workflows.lookup import require_node, resolve_topics
from scaleup_graph.workflows.records import node_props, parse_date, provenance, step_history

__all__ = [
    "STATUSES",
    "TRANSITIONS",
    "challenge_state",
    "draft_challenge",
    "next_statuses",
    "submit_proposal",
    "transition",
]

STATUSES = choices("Challenge", "status")
#: status -> {next status: the date property the transition sets}
TRANSITIONS: dict[str, dict[str, str]] = {
    "draft": {"published": "published_at", "closed": "closed_at"},
    "published": {"pitched": "pitched_at", "closed": "closed_at"},
    "pitched": {"solved": "closed_at", "closed": "closed_at"},
    "solved": {},
    "closed": {},
}
_DATE_FIELDS = ("created_at", "published_at", "pitched_at", "closed_at")
#: the status of a challenge that has none (imported without one): the schema's one rule,
#: the same the visibility rule and the ad-hoc copies apply (not a draft)
_MISSING = NODE_TYPES["Challenge"].draft_missing
#: the challenge's status in Cypher, a missing one as the schema says
_STATUS = f"coalesce(c.status, '{_MISSING}')"
#: every write bumps the node's version (editors' forms send the version they read)
_BUMP = "c.version = coalesce(c.version, 0) + 1"

_CREATE = (
    "MATCH (o:Organisation {id: $org}) "
    "CREATE (c:Challenge) SET c = $props "
    "CREATE (o)-[p:POSES]->(c) SET p += $rel"
    + history_foreach("c")
    + " WITH c UNWIND $topics AS tid MATCH (t:Topic {id: tid}) "
    "CREATE (c)-[r:CONCERNS]->(t) SET r += $rel "
    "RETURN count(r) AS topics"
)


# One constant statement per date property: property names cannot be Cypher parameters.
_SIMPLE = {
    field: (
        f"MATCH (c:Challenge {{id: $id}}) WHERE {_STATUS} = $from "
        f"SET c.status = $to, c.{field} = $date, c.updated_at = $now, {_BUMP}"
        + history_foreach("c")
        + " WITH c OPTIONAL MATCH (p:Proposal)-[:ADDRESSES]->(c) WHERE p.id IN $accepted "
        "WITH c, collect(p) AS ps "
        "FOREACH (x IN ps | SET x.status = 'accepted', x.version = coalesce(x.version, 0) + 1 "
        # each changed proposal's own entry (``$proposal_history``: id -> none or one entry)
         + history_foreach("x", per_node="proposal_history") + ") "
        "RETURN c.id AS id"
    )
    for field in ("published_at", "closed_at")
}
_PITCH = (
    f"MATCH (c:Challenge {{id: $id}}) WHERE {_STATUS} = $from "
    "MATCH (e:Event {id: $event}) "
    f"SET c.status = 'pitched', c.pitched_at = $date, c.updated_at = $now, {_BUMP} "
    "MERGE (c)-[r:PITCHED_AT]->(e) SET r += $rel"
    + history_foreach("c")
    + " WITH c, e OPTIONAL MATCH (p:Proposal)-[:ADDRESSES]->(c) WHERE p.id IN $proposals "
    "WITH c, e, collect(p) AS ps "
    "FOREACH (x IN ps | SET x.status = 'pitched', x.version = coalesce(x.version, 0) + 1 "
    "MERGE (x)-[q:PITCHED_AT]->(e) SET q += $rel"
    + history_foreach("x", per_node="proposal_history")
    + ") "
    "RETURN c.id AS id"
)
_PROPOSALS = (
    "MATCH (p:Proposal)-[:ADDRESSES]->(c:Challenge {id: $id}) "
    "OPTIONAL MATCH (o:Organisation)-[:PROPOSES]->(p) "
    "RETURN p.id AS id, p.status AS status, o.id AS organisation ORDER BY p.id"
)
_POSER = "MATCH (o:Organisation)-[:POSES]->(c:Challenge {id: $id}) RETURN o.id AS id"
_PROPOSE = (
    f"MATCH (c:Challenge {{id: $challenge}}) WHERE {_STATUS} = 'published' "
    "MATCH (o:Organisation {id: $org}) "
    "CREATE (p:Proposal) SET p = $props "
    "CREATE (o)-[a:PROPOSES]->(p) SET a += $rel "
    "CREATE (p)-[b:ADDRESSES]->(c) SET b += $rel" + history_foreach("p") + " RETURN p.id AS id"
)


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a challenge in ``status`` may move to."""
    return tuple(TRANSITIONS.get(status, {}))


def _rel_props(actor: str) -> dict[str, Any]:
    prov = provenance(actor)
    return {**prov, "updated_at": prov["ingested_at"]}


def challenge_state(
    store: GraphStore, challenge_id: str, *, role: str | None = None
) -> dict[str, Any]:
    """A challenge's status, dates, history and possible next steps (a draft is not found for
    a ``role`` without editor or admin)."""
    props = require_node(store, "Challenge", challenge_id, "challenge", role=role)
    status = NODE_TYPES["Challenge"].draft_value(props)
    history = [{"status": "draft", "date": props.get("created_at")}]
    if props.get("published_at"):
        history.append({"status": "published", "date": props["published_at"]})
    if props.get("pitched_at"):
        history.append({"status": "pitched", "date": props["pitched_at"]})
    if status in ("solved", "closed"):
        history.append({"status": status, "date": props.get("closed_at")})
    return {
        "id": challenge_id,
        "name": props.get("name"),
        "description": props.get("description"),
        "status": status,
        "topics": props.get("topics") or [],
        **{f: props.get(f) for f in _DATE_FIELDS},
        "history": history,
        "next": list(next_statuses(status)),
    }


def draft_challenge(
    store: GraphStore,
    *,
    posed_by: str,
    name: str,
    topics: Sequence[str],
    description: str = "",
    date: str | None = None,
    actor: str = "cli",
    by: Actor | None = None,
) -> dict[str, Any]:
    """Create a challenge in ``draft``, posed by the organisation ``posed_by`` (``by``: the
    writer its history entry names).

    Raises
    ------
    Invalid
        Empty name, unknown topics, a bad date.
    NotFound
        ``posed_by`` is no organisation.
    Conflict
        The organisation already posed a challenge of that name.
    """
    require_node(store, "Organisation", posed_by, "posed_by")
    found = resolve_topics(store, topics)
    created = parse_date(date, "date")
    raw = {
        "name": (name or "").strip(),
        "description": description.strip() or None,
        "status": "draft",
        "topics": [t["name"] for t in found],
        "created_at": created,
    }
    clean, errors = validate_node("Challenge", {"id": "x", **raw})
    if errors:
        raise invalid(errors)
    challenge_id = make_id("Challenge", f"{clean['name']} {posed_by.removeprefix('org-')}")
    if store.existing_ids("Challenge", [challenge_id]):
        raise Conflict(
            f"this organisation already posed a challenge named like that ({challenge_id}); "
            "choose another name or work on the existing one",
            "name",
        )
    clean["id"] = challenge_id
    # the structure changes at the new challenge (its POSES and CONCERNS come with it)
    with store.changing_structure_at([challenge_id]):
        _write_create(store, posed_by, clean, actor, found, by)
    return challenge_state(store, challenge_id)


def _write_create(
    store: GraphStore,
    posed_by: str,
    clean: dict[str, Any],
    actor: str,
    found: list[dict[str, Any]],
    by: Actor | None,
) -> None:
    store.write(
        _CREATE,
        {
            "org": posed_by,
            "props": node_props("Challenge", clean, actor),
            "rel": _rel_props(actor),
            "topics": [t["id"] for t in found],
            "history": _created(by, "Challenge", clean),
        },
    )


def _created(by: Actor | None, label: str, clean: dict[str, Any]) -> list[dict[str, Any]]:
    fields = {k: (None, v) for k, v in clean.items() if k != "id" and v is not None}
    return step_history(by, label, str(clean["id"]), "create", fields)


def _latest_date(props: dict[str, Any]) -> str | None:
    dates = [str(props[f]) for f in _DATE_FIELDS if props.get(f)]
    return max(dates) if dates else None


def _proposals_of(store: GraphStore, challenge_id: str) -> list[dict[str, Any]]:
    return store.read(_PROPOSALS, {"id": challenge_id})


def transition(
    store: GraphStore,
    challenge_id: str,
    to: str,
    *,
    date: str | None = None,
    event: str | None = None,
    proposals: Sequence[str] | None = None,
    accepted: Sequence[str] = (),
    actor: str = "cli",
    by: Actor | None = None,
) -> dict[str, Any]:
    """Move a challenge to status ``to`` on ``date`` (default today).

    Parameters
    ----------
    to
        ``published``, ``pitched``, ``solved`` or ``closed``; only the steps of
        :data:`TRANSITIONS` are allowed.
    event
        For ``pitched``: the pitch Event (required). The date defaults to the event's date.
    proposals
        For ``pitched``: the proposals pitched with it (default: every proposal it has).
    accepted
        For ``solved``: the proposals that solved it (marked ``accepted``).

    Raises
    ------
    Conflict
        The transition is out of order (the message lists the possible ones).
    Invalid
        A missing event, a date before the previous step, proposals of another challenge.
    """
    state = challenge_state(store, challenge_id)
    current = state["status"]
    if to not in STATUSES:
        raise Invalid(f"to must be one of {', '.join(STATUSES[1:])}", "to")
    allowed = TRANSITIONS[current]
    if to not in allowed:
        options = ", ".join(allowed) if allowed else "none: the round is over for it"
        message = (
            f"challenge {challenge_id} is {current!r} and cannot move to {to!r}; "
            f"possible next steps: {options}"
        )
        raise refused(
            Conflict,
            message,
            "step_not_allowed",
            "to",
            current=current,
            to=to,
            options=list(allowed),
        )
    event_props: dict[str, Any] = {}
    if to == "pitched":
        if not event:
            raise refused(
                Invalid,
                "event is required to pitch a challenge: give the pitch Event id",
                "event_required",
                "event",
            )
        event_props = require_node(store, "Event", event, "event")
    when = parse_date(date or event_props.get("date"), "date")
    latest = _latest_date(state)
    if latest and when < latest:
        raise refused(
            Invalid,
            f"date {when} is before the challenge's previous step ({latest}); "
            "transitions are recorded in order",
            "date_before_step",
            "date",
            latest=latest,
        )
    own = {p["id"] for p in _proposals_of(store, challenge_id)}
    if to == "pitched":
        picked = sorted(own) if proposals is None else list(proposals)
    else:
        picked = list(accepted)
    if to != "pitched" and proposals:
        raise Invalid("proposals are only pitched with the challenge (to: pitched)", "proposals")
    if accepted and to != "solved":
        raise Invalid("accepted proposals are named only when a challenge is solved", "accepted")
    stray = sorted(set(picked) - own)
    if stray:
        field = "proposals" if to == "pitched" else "accepted"
        raise Invalid(
            f"{field}: {', '.join(s[:80] for s in stray[:5])} "
            f"do(es) not address challenge {challenge_id}",
            field,
        )
    params: dict[str, Any] = {
        "id": challenge_id,
        "from": current,
        "to": to,
        "date": when,
        "now": provenance(actor)["ingested_at"],
        "rel": _rel_props(actor),
        "history": step_history(
            by,
            "Challenge",
            challenge_id,
            f"step:challenge_{to}",
            {"status": (current, to), allowed[to]: (state.get(allowed[to]), when)},
        ),
    }
    # the proposals the step changes get their own entry (pitched with it, or accepted)
    moved = "pitched" if to == "pitched" else "accepted"
    before = {p["id"]: p.get("status") for p in _proposals_of(store, challenge_id)}
    params["proposal_history"] = {
        pid: step_history(
            by, "Proposal", pid, f"step:proposal_{moved}", {"status": (before.get(pid), moved)}
        )
        for pid in picked
    }
    if to == "pitched":
        query = _PITCH
        params.update(event=event, proposals=picked)
    else:
        query = _SIMPLE[allowed[to]]
        params["accepted"] = picked
    # the structure changes at the challenge (its status: drafts are hidden from some roles)
    # and at the proposals it pitches (PITCHED_AT)
    with store.changing_structure_at([challenge_id, *picked]):
        written = store.write(query, params)
    if not written:
        raise refused(
            Conflict,
            f"challenge {challenge_id} changed while this request ran; reload it and try again",
            "changed_meanwhile",
        )
    return challenge_state(store, challenge_id)


def submit_proposal(
    store: GraphStore,
    challenge_id: str,
    *,
    organisation: str,
    name: str,
    description: str = "",
    date: str | None = None,
    actor: str = "cli",
    by: Actor | None = None,
) -> dict[str, Any]:
    """An organisation proposes a solution to a ``published`` challenge.

    Raises
    ------
    Conflict
        The challenge is not published (draft, pitched, solved or closed), the organisation
        posed it itself, or it already proposed.
    """
    state = challenge_state(store, challenge_id)
    require_node(store, "Organisation", organisation, "organisation")
    if state["status"] != "published":
        raise refused(
            Conflict,
            f"challenge {challenge_id} is {state['status']!r}: proposals are accepted only "
            "while a challenge is 'published'",
            "proposals_closed",
            "challenge",
            status=state["status"],
        )
    if any(r["id"] == organisation for r in store.read(_POSER, {"id": challenge_id})):
        raise refused(
            Conflict,
            "an organisation cannot propose a solution to its own challenge",
            "own_challenge",
        )
    if any(p["organisation"] == organisation for p in _proposals_of(store, challenge_id)):
        raise refused(
            Conflict,
            f"{organisation} already proposed a solution to {challenge_id}; "
            "one proposal per organisation and challenge",
            "already_proposed",
            "organisation",
        )
    submitted = parse_date(date, "date")
    if state["published_at"] and submitted < str(state["published_at"]):
        raise refused(
            Invalid,
            f"date {submitted} is before the challenge was published",
            "date_before_published",
            "date",
        )
    raw = {
        "name": (name or "").strip(),
        "description": description.strip() or None,
        "status": "submitted",
        "submitted_at": submitted,
    }
    clean, errors = validate_node("Proposal", {"id": "x", **raw})
    if errors:
        raise invalid(errors)
    clean["id"] = make_id(
        "Proposal", f"{challenge_id.removeprefix('challenge-')} {organisation.removeprefix('org-')}"
    )
    with store.changing_structure_at([clean["id"]]):  # the proposal, with its two links
        rows = _write_proposal(store, challenge_id, organisation, clean, actor, by)
    if not rows:
        raise Conflict(f"challenge {challenge_id} closed for proposals while this request ran")
    return {**clean, "challenge": challenge_id, "organisation": organisation}


def _write_proposal(
    store: GraphStore,
    challenge_id: str,
    organisation: str,
    clean: dict[str, Any],
    actor: str,
    by: Actor | None,
) -> list[dict[str, Any]]:
    return store.write(
        _PROPOSE,
        {
            "challenge": challenge_id,
            "org": organisation,
            "props": node_props("Proposal", clean, actor),
            "rel": _rel_props(actor),
            "history": _created(by, "Proposal", clean),
        },
    )
