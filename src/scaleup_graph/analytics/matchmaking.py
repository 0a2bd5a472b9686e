"""Challenge matchmaking: who could solve a challenge, and who can introduce them.

Potential solution providers are ranked by

* **topic fit**: the share of the challenge's topics (CONCERNS and its ``topics``) the
  organisation holds (HAS_COMPETENCE, SUBSCRIBES_TO, its ``topics``), matched case- and
  accent-insensitively;
* **text fit**: TF-IDF cosine of the challenge's name and description against the
  organisation's name, description, sector and topics;
* **network proximity**: ``1 / hops`` of the best introduction path from the organisation that
  posed the challenge, found on the actor network (organisations, projects, events; never
  topics, since sharing a topic is no acquaintance). Steps into trusted intermediaries (by
  default every ``Stakeholder``: the agency, the chambers, EEN) cost 1, steps into other
  organisations 3, into projects and events 2, so the path prefers the trusted route.

Each match carries its explanation: the matching topics and the introduction path.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Hashable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.projection import Projection, ProjectionFilter, project
from scaleup_graph.analytics.results import RunRecord
from scaleup_graph.analytics.text_similarity import similarities
from scaleup_graph.errors import NotFound
from scaleup_graph.graph_model import fold
from scaleup_graph.queries.privacy import Visibility, visibility
from scaleup_graph.store import GraphStore

__all__ = ["DEFAULT_WEIGHTS", "NETWORK_FILTER", "Match", "Matches", "match_challenge"]

DEFAULT_WEIGHTS = {"topic": 0.5, "text": 0.3, "network": 0.2}
#: The actor network introductions travel through.
NETWORK_FILTER = ProjectionFilter(
    labels=("Organisation", "Project", "Event"),
    rel_types=(
        "COOPERATES_WITH",
        "MEMBER_OF",
        "PARTNER_IN",
        "ORGANISES",
        "PARTICIPATES_IN",
        "FUNDS",
    ),
)
_STEP_COST = {"trusted": 1.0, "Project": 2.0, "Event": 2.0}
_OTHER_COST = 3.0

_CHALLENGE = (
    "MATCH (c:Challenge {id: $id}) "
    "OPTIONAL MATCH (c)-[:CONCERNS]->(t:Topic) "
    "WITH c, collect(t.name) AS linked "
    "OPTIONAL MATCH (s:Organisation)-[:POSES]->(c) "
    "RETURN c.name AS name, c.description AS description, c.topics AS topics, "
    "c.status AS status, linked, collect(s.id) AS posers"
)


def _some_challenges(seen: str) -> str:
    """Three challenge ids for the hint of a refusal, among those the reader sees."""
    return f"MATCH (c:Challenge) WHERE {seen} RETURN c.id AS id ORDER BY c.id LIMIT 3"


_PROPOSERS = (
    "MATCH (o:Organisation)-[:PROPOSES]->(:Proposal)-[:ADDRESSES]->(c:Challenge {id: $id}) "
    "RETURN DISTINCT o.id AS id"
)
_COMPETENCES = (
    "MATCH (o:Organisation)-[:HAS_COMPETENCE|SUBSCRIBES_TO]->(t:Topic) "
    "RETURN o.id AS id, collect(t.name) AS topics"
)
_ORGANISATIONS = (
    "MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, o.description AS description, "
    "o.sector AS sector, o.topics AS topics, labels(o) AS labels"
)


@dataclass(slots=True)
class Match:
    """One potential solution provider and why."""

    id: str
    name: str | None
    score: float
    topic_fit: float
    text_fit: float
    proximity: float
    matching_topics: list[str]
    path: list[dict[str, Any]]
    via_trusted: list[str]
    already_proposed: bool
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Matches:
    challenge: dict[str, Any]
    matches: list[Match]
    weights: dict[str, float]
    run: RunRecord
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "challenge": self.challenge,
            "weights": self.weights,
            "run": self.run.as_dict(),
            "notes": self.notes,
            "matches": [m.as_dict() for m in self.matches],
        }


def _fold_set(names: Collection[Any]) -> dict[str, str]:
    """Folded name -> display name."""
    return {fold(str(n)): str(n) for n in names if n}


def _introduction_costs(graph: nx.Graph, trusted: set[Hashable]) -> Any:
    def cost(_u: Hashable, v: Hashable, _data: Mapping[str, Any]) -> float:
        if v in trusted:
            return _STEP_COST["trusted"]
        return _STEP_COST.get(graph.nodes[v].get("label", ""), _OTHER_COST)

    return cost


def _hop(graph: nx.Graph, node: Hashable, trusted: set[Hashable]) -> dict[str, Any]:
    data = graph.nodes[node]
    return {
        "id": str(node),
        "label": data.get("label"),
        "name": data.get("name"),
        "trusted": node in trusted,
    }


def match_challenge(
    store: GraphStore,
    challenge_id: str,
    *,
    top: int = 10,
    trusted: Collection[str] | None = None,
    weights: Mapping[str, float] | None = None,
    network: Projection | None = None,
    role: str | None = None,
) -> Matches:
    """Rank potential solution providers for ``challenge_id``, each with an explanation.

    Parameters
    ----------
    store
        The store holding the challenge.
    challenge_id
        Id of a Challenge node.
    top
        How many matches to return.
    trusted
        Ids of trusted intermediaries; default: every organisation of kind ``Stakeholder``.
    weights
        Weights of ``topic``, ``text`` and ``network`` (default :data:`DEFAULT_WEIGHTS`).
    network
        A projection of the actor network to reuse (default: :data:`NETWORK_FILTER`).
    role
        The reader's role: a challenge in draft is not found for a role without editor or
        admin. None: the operator's own run (every challenge).

    Raises
    ------
    AnalyticsError
        For an unknown challenge id or bad weights.
    """
    started = time.perf_counter()
    w = _checked_weights(weights)
    seen = visibility(role) if role is not None else Visibility(True, True)
    ch = _read_challenge(store, challenge_id, seen)
    wanted = _fold_set([*(ch["topics"] or []), *ch["linked"]])
    posers = set(ch["posers"])
    proposers = {r["id"] for r in store.read(_PROPOSERS, {"id": challenge_id})}
    orgs, competences = _candidates(store)
    texts = {oid: _profile(o, competences.get(oid, ())) for oid, o in orgs.items()}
    texts = {oid: text for oid, text in texts.items() if oid not in posers}
    text_fit = similarities(f"{ch['name'] or ''} {ch['description'] or ''}", texts)

    net = (network or project(store, NETWORK_FILTER)).undirected()
    trusted_ids: set[Hashable] = (
        set(trusted)
        if trusted is not None
        else {oid for oid, o in orgs.items() if "Stakeholder" in (o["labels"] or [])}
    )
    sources = [p for p in sorted(posers) if p in net]
    paths: dict[Hashable, list[Hashable]] = {}
    if sources:
        _, paths = nx.multi_source_dijkstra(
            net, sources, weight=_introduction_costs(net, trusted_ids)
        )
    notes = []
    if not wanted:
        notes.append("the challenge names no topics: ranking by text and network only")
    if not sources:
        notes.append("no organisation poses this challenge in the network: no introduction paths")

    found = _ranked(texts, competences, wanted, text_fit, proposers, paths, w)
    matches = [
        _match(net, trusted_ids, orgs[f.id]["name"], f, len(wanted), f.id in proposers)
        for f in found[:top]
    ]
    run = RunRecord(
        algorithm="challenge-matchmaking",
        params={
            "challenge": challenge_id,
            "top": top,
            "weights": w,
            "trusted": sorted(trusted_ids),
        },
        seed=None,
        nodes=net.number_of_nodes(),
        edges=net.number_of_edges(),
        seconds=round(time.perf_counter() - started, 4),
    )
    challenge = {
        "id": challenge_id,
        "name": ch["name"],
        "status": ch["status"],
        "topics": sorted(wanted.values()),
        "posed_by": sorted(posers),
    }
    if not matches:
        notes.append("no organisation holds a matching topic or describes a related competence")
    return Matches(challenge=challenge, matches=matches, weights=w, run=run, notes=notes)


def _checked_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    if set(w) != set(DEFAULT_WEIGHTS) or any(v < 0 for v in w.values()) or not sum(w.values()):
        raise AnalyticsError("weights need topic, text and network, each >= 0, not all 0")
    return w


def _read_challenge(store: GraphStore, challenge_id: str, seen: Visibility) -> dict[str, Any]:
    rows = store.read(_CHALLENGE, {"id": challenge_id})
    if rows and seen.hides_label_props("Challenge", rows[0]):
        rows = []  # a draft the role does not see: as if there were none
    if not rows:
        some = _some_challenges(seen.node_clause("c"))
        known = [r["id"] for r in store.read(some)]
        hint = f" (for example {', '.join(known)})" if known else " (the store holds none yet)"
        raise NotFound(f"no challenge with this id; pass the id of a Challenge node{hint}", "id")
    return rows[0]


def _candidates(store: GraphStore) -> tuple[dict[str, dict[str, Any]], dict[str, set[str]]]:
    """Every organisation, and the topics each is competent in (links and its own list)."""
    competences: dict[str, set[str]] = {}
    for r in store.read(_COMPETENCES):
        competences.setdefault(r["id"], set()).update(r["topics"])
    orgs = {r["id"]: r for r in store.read(_ORGANISATIONS)}
    for oid, org in orgs.items():
        competences.setdefault(oid, set()).update(org["topics"] or [])
    return orgs, competences


def _profile(org: Mapping[str, Any], competences: Collection[str]) -> str:
    """The text an organisation is compared by: name, description, sector, competences."""
    parts = (org["name"], org["description"], org["sector"], " ".join(sorted(competences)))
    return " ".join(str(x) for x in parts if x)


@dataclass(frozen=True, slots=True)
class _Found:
    score: float
    id: str
    topic: float
    text: float
    proximity: float
    matching: list[str]
    path: list[Hashable]


def _ranked(
    texts: Mapping[str, str],
    competences: Mapping[str, set[str]],
    wanted: Mapping[str, str],
    text_fit: Mapping[str, float],
    proposers: set[str],
    paths: Mapping[Hashable, list[Hashable]],
    w: Mapping[str, float],
) -> list[_Found]:
    """Candidates with a sign of competence, best first: weighted topic fit, text fit and
    closeness in the network (1 / hops from a poser)."""
    found = []
    for oid in texts:
        have = _fold_set(competences.get(oid, ()))
        matching = sorted(wanted[k] for k in wanted.keys() & have.keys())
        topic = len(matching) / len(wanted) if wanted else 0.0
        text = text_fit.get(oid, 0.0)
        if not matching and text < 0.05 and oid not in proposers:
            continue  # no sign of competence: not a provider, however close
        path = paths.get(oid, [])
        hops = len(path) - 1 if path else 0
        proximity = 1.0 / hops if hops > 0 else 0.0
        score = (w["topic"] * topic + w["text"] * text + w["network"] * proximity) / sum(w.values())
        found.append(_Found(round(score, 6), oid, topic, text, proximity, matching, path))
    found.sort(key=lambda f: (-f.score, f.id))
    return found


def _match(
    net: nx.Graph, trusted_ids: set[Hashable], name: str, f: _Found, wanted: int, proposed: bool
) -> Match:
    """One ranked candidate with its introduction path and the sentence that explains it."""
    steps = [_hop(net, p, trusted_ids) for p in f.path]
    via = [h["name"] or h["id"] for h in steps[1:-1] if h["trusted"]]
    return Match(
        id=f.id,
        name=name,
        score=f.score,
        topic_fit=round(f.topic, 4),
        text_fit=round(f.text, 4),
        proximity=round(f.proximity, 4),
        matching_topics=f.matching,
        path=steps,
        via_trusted=via,
        already_proposed=proposed,
        explanation=_explain(f.matching, wanted, steps, via),
    )


def _explain(matching: list[str], wanted: int, hops: list[dict[str, Any]], via: list[str]) -> str:
    parts = []
    if matching:
        parts.append(f"covers {len(matching)} of {wanted} challenge topics ({', '.join(matching)})")
    else:
        parts.append("describes a related competence (no topic in common)")
    if len(hops) > 1:
        route = " -> ".join(h["name"] or h["id"] for h in hops)
        trusted = f", via trusted {', '.join(via)}" if via else ""
        parts.append(f"introduction: {route} ({len(hops) - 1} hops{trusted})")
    else:
        parts.append("no introduction path in the network yet")
    return "; ".join(parts)
