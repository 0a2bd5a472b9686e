"""Typed functions for the daily jobs, each one named query; the API routes and CLI call these."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.queries.neighbourhood import HUB_DEGREE, bounded_neighbourhood
from scaleup_graph.queries.runner import QueryResult, run_query
from scaleup_graph.store import GraphStore

__all__ = [
    "challenge_proposals",
    "challenges",
    "content_feed",
    "label_for_id",
    "neighbourhood",
    "organisation",
    "organisation_contacts",
    "partner_regions",
    "paths",
    "person",
    "search_organisations",
]


def label_for_id(node_id: str) -> str:
    """The label whose id prefix ``node_id`` carries (graph_model.ids), or "" if none does.

    Knowing the label lets the database use that label's index instead of scanning all nodes.

    >>> label_for_id("org-ihk-kassel-marburg"), label_for_id("person-3f2a"), label_for_id("x")
    ('Organisation', 'Person', '')
    """
    prefix = node_id.split("-", 1)[0]
    return next((nt.label for nt in NODE_TYPES.values() if nt.id_prefix == prefix), "")


def _run(store: GraphStore, name: str, role: str, **params: Any) -> QueryResult:
    return run_query(store, name, params, role)


def search_organisations(
    store: GraphStore,
    role: str,
    *,
    q: str = "",
    topic: str = "",
    region: str = "",
    kind: str = "",
    skip: int = 0,
    limit: int = 50,
) -> QueryResult:
    """Organisations matching name text, topic, region and kind (all optional, combined)."""
    return _run(
        store,
        "search_organisations",
        role,
        q=q,
        topic=topic,
        region=region,
        kind=kind,
        skip=skip,
        limit=limit,
    )


def organisation(store: GraphStore, role: str, org_id: str) -> dict[str, Any] | None:
    """One organisation with its regions, topics, projects and partners; None if unknown."""
    rows = _run(store, "organisation", role, id=org_id).rows
    return rows[0] if rows else None


def organisation_contacts(
    store: GraphStore, role: str, org_id: str, *, skip: int = 0, limit: int = 50
) -> QueryResult:
    """Contact persons of an organisation (personal fields only for contacts and above)."""
    return _run(store, "organisation_contacts", role, id=org_id, skip=skip, limit=limit)


def person(store: GraphStore, role: str, person_id: str) -> dict[str, Any] | None:
    """One person and their organisations (needs the contacts role)."""
    rows = _run(store, "person", role, id=person_id).rows
    return rows[0] if rows else None


def neighbourhood(
    store: GraphStore,
    role: str,
    node_id: str,
    *,
    hops: int = 1,
    labels: list[str] | None = None,
    limit: int = 200,
    hub_degree: int = HUB_DEGREE,
) -> dict[str, Any] | None:
    """Nodes within ``hops`` of ``node_id`` and the relationships among them; None if unknown.

    Walked level by level with caps; hubs are shown but not walked through unless their label
    is in ``labels`` (see :mod:`scaleup_graph.queries.neighbourhood`). The named query
    ``neighbourhood`` is the unbounded walk, kept as the reference.
    """
    return bounded_neighbourhood(
        store, role, node_id, hops=hops, labels=labels, limit=limit, hub_degree=hub_degree
    )


def paths(
    store: GraphStore, role: str, source: str, target: str, *, max_hops: int = 4, limit: int = 3
) -> QueryResult:
    """Shortest paths between two actors, shortest first."""
    return _run(
        store,
        "paths",
        role,
        source=source,
        target=target,
        source_label=label_for_id(source),
        target_label=label_for_id(target),
        max_hops=max_hops,
        limit=limit,
    )


def challenges(
    store: GraphStore,
    role: str,
    *,
    topic: str = "",
    status: str = "",
    skip: int = 0,
    limit: int = 50,
) -> QueryResult:
    """Open Innovation Challenge entries by topic and status."""
    return _run(store, "challenges", role, topic=topic, status=status, skip=skip, limit=limit)


def challenge_proposals(
    store: GraphStore, role: str, challenge_id: str, *, skip: int = 0, limit: int = 50
) -> QueryResult:
    """Proposals for one challenge with their proposers."""
    return _run(store, "challenge_proposals", role, id=challenge_id, skip=skip, limit=limit)


def partner_regions(store: GraphStore, role: str) -> QueryResult:
    """Partner regions, their partners and the best practices transferred to them."""
    return _run(store, "partner_regions", role)


def content_feed(
    store: GraphStore,
    role: str,
    *,
    topic: str = "",
    kind: str = "",
    ids: Sequence[str] = (),
    skip: int = 0,
    limit: int = 50,
) -> QueryResult:
    """Scale-Up content, newest first (only the items ``ids`` when given)."""
    return _run(
        store,
        "content_feed",
        role,
        topic=topic,
        kind=kind,
        ids=list(ids),
        skip=skip,
        limit=limit,
    )
