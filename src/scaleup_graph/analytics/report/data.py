"""Everything the analyst report shows, computed once as plain data (tests read it too).

Actors are organisations: the measures run on the organisation network (organisations tied
directly or through a shared project, event, challenge, practice or programme; see
:mod:`scaleup_graph.analytics.onemode`), so no topic or region can rank among them. Topics and
regions are described in their own sections from the whole projection.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from scaleup_graph.analytics.brokerage import ROLES, BrokerageResult, brokerage
from scaleup_graph.analytics.centrality import betweenness, degree, pagerank
from scaleup_graph.analytics.cohesion import single_points_of_failure
from scaleup_graph.analytics.communities import louvain, partition_of
from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.exports import attributions
from scaleup_graph.analytics.link_prediction import suggest_introductions
from scaleup_graph.analytics.onemode import AFFILIATIONS, co_affiliation
from scaleup_graph.analytics.privacy import pii_allowed
from scaleup_graph.analytics.projection import ProjectionFilter, project, require_size
from scaleup_graph.analytics.report.changes import changes_since
from scaleup_graph.analytics.results import MetricResult
from scaleup_graph.errors import Forbidden
from scaleup_graph.graph_model import is_personal
from scaleup_graph.graph_model.words import DEFAULT_LANG, LANGS, report_text
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cy_label

__all__ = ["ACTOR_MEASURES", "KIND_ORDER", "MAX_AFFILIATION", "ReportOptions", "build_report"]

#: The centrality measures shown for actors, in the order of the report's pages.
ACTOR_MEASURES = ("pagerank", "betweenness", "degree")
#: An organisation's kind for colouring: the first of its extra labels in this order.
KIND_ORDER = ("PartnerOrganisation", "PublicBody", "ResearchInstitute", "Stakeholder", "SME")
_MAP_COMMUNITIES = 8  # the community map shows the largest communities (Okabe-Ito has 8 colours)
_MIN_COMMUNITY = 3
#: Affiliations (projects, events ...) with more member organisations do not tie them.
MAX_AFFILIATION = 50
_MAX_REGION_ROWS = 20  # rows of the region x region matrix
_REST = "~rest"  # the row of the regions beyond them


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How the report is made.

    Parameters
    ----------
    lang
        ``de`` (default) or ``en``.
    top
        Entries per ranking.
    home
        NUTS code of the home region whose districts get their own rows (Nordhessen: DE73).
    since_snapshot
        Name of a snapshot to compare with (``scaleup snapshot create NAME``).
    state_dir
        Where snapshots live.
    persons
        Add the best-connected contact persons (only for a ``role`` that may see them).
    """

    lang: str = DEFAULT_LANG
    seed: int = 42
    top: int = 10
    group: str = "region"
    home: str = "DE73"
    since_snapshot: str | None = None
    state_dir: Path | None = None
    persons: bool = False
    role: str = "viewer"

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise AnalyticsError(f"unknown language {self.lang!r}; use {' or '.join(LANGS)}")
        if self.persons and not pii_allowed(self.role):
            raise Forbidden(
                f"the role {self.role!r} may not see persons; persons appear in the report only "
                "for a role that may see personal data (e.g. --role contacts), or leave out "
                "--persons"
            )
        if self.since_snapshot and self.state_dir is None:
            raise AnalyticsError("comparing with a snapshot needs the state folder")


def _kind(kinds: Iterable[str]) -> str:
    have = set(kinds)
    for kind in KIND_ORDER:
        if kind in have:
            return kind
    return "Organisation"


def _region_name(row: dict[str, Any], home: str, home_wide: str) -> str:
    name = str(row.get("name") or row.get("code") or row["id"])
    desc = row.get("description")
    if row.get("code") == home:
        return home_wide
    latin = all(ord(c) < 0x370 for c in name)
    if desc and (not latin or len(name) > 28):
        return str(desc)
    return name


def _regions(store: GraphStore) -> dict[str, dict[str, Any]]:
    rows = store.read(
        "MATCH (r:Region) RETURN r.id AS id, r.name AS name, r.nuts_code AS code, "
        "r.description AS description, r.level AS level"
    )
    return {r["id"]: r for r in rows}


def _topic_names(store: GraphStore) -> dict[str, dict[str, str]]:
    rows = store.read("MATCH (t:Topic) RETURN t.id AS id, t.name AS name, t.name_de AS name_de")
    return {
        r["id"]: {"en": str(r["name"] or r["id"]), "de": str(r["name_de"] or r["name"] or r["id"])}
        for r in rows
    }


def _region_rows(
    actors: nx.Graph,
    regions: dict[str, dict[str, Any]],
    home: str,
    home_wide: str,
    rest_name: str = "",
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Each organisation's report row (a home district, the home region as a whole, or its own
    region) and the rows in reading order: home districts, partner regions, the rest."""
    by_code = {str(r["code"]): rid for rid, r in regions.items() if r.get("code")}
    partner_codes = set()
    row_of: dict[str, str] = {}
    for node, data in actors.nodes(data=True):
        region = regions.get(str(data.get("region")))
        if region is None or not region.get("code"):
            continue
        code = str(region["code"])
        if code.startswith(home) and len(code) > len(home):
            code = code[: len(home) + 1]
        row_of[str(node)] = code
        if "PartnerOrganisation" in (data.get("kinds") or []) and not code.startswith(home):
            partner_codes.add(code)
    codes = set(row_of.values()) | {
        c for c in by_code if c.startswith(home) and len(c) == len(home) + 1
    }

    def group(code: str) -> str:
        if code.startswith(home):
            return "home"
        return "partner" if code in partner_codes else "other"

    def order(code: str) -> tuple[int, int, str]:
        g = {"home": 0, "partner": 1, "other": 2}[group(code)]
        return (g, 1 if code in (home, _REST) else 0, code)

    # Many regions (EU-wide data) would make an unreadable matrix: the home districts and the
    # partner regions always get a row, the other regions with most organisations fill up to
    # _MAX_REGION_ROWS, and the rest share one row.
    tally = Counter(row_of.values())
    others = sorted((c for c in codes if group(c) == "other"), key=lambda c: (-tally[c], c))
    room = max(1, _MAX_REGION_ROWS - (len(codes) - len(others)) - 1)
    if len(others) > room + 1:
        merged = set(others[room:])
        codes = (codes - merged) | {_REST}
        row_of = {n: (_REST if c in merged else c) for n, c in row_of.items()}
    rows = []
    for code in sorted(codes, key=order):
        if code == _REST:
            rows.append({"code": _REST, "name": rest_name, "group": "other"})
            continue
        region = regions.get(by_code.get(code, ""), {"id": code, "code": code, "name": code})
        rows.append(
            {"code": code, "name": _region_name(region, home, home_wide), "group": group(code)}
        )
    return row_of, rows


def _sources(store: GraphStore, graph: nx.Graph) -> list[dict[str, Any]]:
    by_label: dict[str, list[str]] = {}
    for node, label in graph.nodes(data="label"):
        by_label.setdefault(str(label), []).append(str(node))
    tally: Counter[tuple[str, bool]] = Counter()
    for label, ids in by_label.items():
        for row in store.read(
            f"UNWIND $ids AS id MATCH (n:{cy_label(label)} {{id: id}}) "
            "RETURN n.source AS source, coalesce(n.synthetic, false) AS synthetic, "
            "count(*) AS k",
            {"ids": ids},
        ):
            tally[(str(row["source"] or ""), bool(row["synthetic"]))] += int(row["k"])
    return [
        {"source": s or None, "synthetic": syn, "nodes": k}
        for (s, syn), k in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _topic_table(
    graph: nx.Graph, topic_names: dict[str, dict[str, str]], lang: str
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for node, data in graph.nodes(data=True):
        if data.get("label") != "Topic":
            continue
        tally: Counter[str] = Counter()
        for other in graph.adj[node]:
            label = graph.nodes[other].get("label")
            types = graph.edges[node, other].get("types", [])
            if label == "Organisation" and "HAS_COMPETENCE" in types:
                tally["competent"] += 1
            if label == "Organisation" and "SUBSCRIBES_TO" in types:
                tally["followers"] += 1
            if label == "Challenge":
                tally["challenges"] += 1
            if label in ("ContentItem", "Project", "Event"):
                tally["content"] += 1
        names = topic_names.get(str(node), {})
        rows.append(
            {
                "id": str(node),
                "name": names.get(lang) or str(data.get("name") or node),
                "synthetic": bool(data.get("synthetic")),
                **{k: tally[k] for k in ("competent", "challenges", "content", "followers")},
            }
        )
    rows.sort(key=lambda r: (-(r["competent"] + r["challenges"]), r["name"]))
    return rows


def _person_table(
    store: GraphStore, flt: ProjectionFilter, top: int, names: dict[str, str]
) -> list[dict[str, Any]]:
    """The best-connected contact persons (acquaintances and employers), with their names:
    called only for a role that may see them."""
    graph = project(store, replace(flt, include_persons=True)).undirected()
    persons = [n for n, lab in graph.nodes(data="label") if is_personal(lab)]
    ranked = sorted(persons, key=lambda p: (-graph.degree(p), str(p)))[:top]
    found = {
        r["id"]: r
        for r in store.read(
            "UNWIND $ids AS id MATCH (p:Person {id: id}) RETURN p.id AS id, p.name AS name, "
            "p.role AS role",
            {"ids": ranked},
        )
    }
    out = []
    for p in ranked:
        employers = [
            names.get(str(o), str(o))
            for o in graph.adj[p]
            if graph.nodes[o].get("label") == "Organisation"
        ]
        acquaintances = sum(1 for o in graph.adj[p] if is_personal(graph.nodes[o].get("label")))
        row = found.get(p, {})
        out.append(
            {
                "id": str(p),
                "name": row.get("name") or str(p),
                "role": row.get("role"),
                "organisations": sorted(employers),
                "acquaintances": acquaintances,
                "links": graph.degree(p),
            }
        )
    return out


def _communities(
    actors: nx.Graph,
    graph: nx.Graph,
    community: MetricResult,
    pr: Mapping[str, float],
    row_of: dict[str, str],
    region_names: dict[str, str],
    topic_names: dict[str, dict[str, str]],
    lang: str,
) -> dict[str, Any]:
    groups = sorted(partition_of(community).values(), key=lambda g: (-len(g), min(g)))
    listed: list[dict[str, Any]] = []
    number_of: dict[str, int] = {}
    for members in groups:
        if len(members) < _MIN_COMMUNITY:
            continue
        ranked = sorted(members, key=lambda n: (-pr.get(n, 0.0), n))
        regions = Counter(row_of[n] for n in members if n in row_of)
        topics: Counter[str] = Counter()
        for n in members:
            for t in graph.adj[n] if n in graph else ():
                if graph.nodes[t].get("label") == "Topic":
                    topics[str(t)] += 1
        region_code, region_count = (regions.most_common(1) or [("", 0)])[0]
        index = len(listed)
        for n in members:
            number_of[n] = index
        listed.append(
            {
                "index": index,
                "size": len(members),
                "leader": actors.nodes[ranked[0]].get("name") or ranked[0],
                "members": [
                    {"id": n, "name": actors.nodes[n].get("name") or n} for n in ranked[:5]
                ],
                "region": region_names.get(region_code),
                "region_share": region_count / len(members) if members else 0.0,
                "topics": [topic_names.get(t, {}).get(lang, t) for t, _ in topics.most_common(2)],
                "synthetic_share": sum(1 for n in members if actors.nodes[n].get("synthetic"))
                / len(members),
            }
        )
    ties: Counter[tuple[int, int]] = Counter()
    inside: Counter[int] = Counter()
    for a, b in actors.edges():
        ca, cb = number_of.get(str(a)), number_of.get(str(b))
        if ca is None or cb is None:
            continue
        if ca == cb:
            inside[ca] += 1
        else:
            ties[(min(ca, cb), max(ca, cb))] += 1
    for c in listed:
        c["inside"] = inside[c["index"]]
    small = [g for g in groups if len(g) < _MIN_COMMUNITY]
    return {
        "listed": listed,
        "index_of": number_of,
        "ties": dict(ties),
        "small_groups": sum(1 for g in small if len(g) > 1),
        "isolated": sum(1 for g in small if len(g) == 1),
        "count": len(groups),
    }


def _brokerage(
    brokers: BrokerageResult | None, row_of: dict[str, str], names: dict[str, str]
) -> dict[str, Any]:
    if brokers is None:
        return {"per_region": {}, "top_per_role": {}, "missing": 0}
    per_region: dict[str, Counter[str]] = {}
    for node, counts in brokers.counts.items():
        row = row_of.get(node)
        if row is None:
            continue
        tally = per_region.setdefault(row, Counter())
        for role in ROLES:
            tally[role] += counts[role]
    top_per_role = {}
    for role in (*ROLES, "total"):
        best = brokers.top(n=3, role=role)
        top_per_role[role] = [
            {"id": b["id"], "name": names.get(b["id"], b["id"]), "value": b[role]}
            for b in best
            if b[role] > 0
        ]
    return {
        "per_region": {k: dict(v) for k, v in per_region.items()},
        "top_per_role": top_per_role,
        "missing": brokers.missing,
    }


def build_report(
    store: GraphStore, flt: ProjectionFilter | None = None, options: ReportOptions | None = None
) -> dict[str, Any]:
    """Compute everything the report shows (plain data; rendering is separate)."""
    opts = options or ReportOptions()
    # The report follows its role: what the role does not see at all (drafts, KNOWS between
    # persons) is left out of every count, chart and table.
    flt = replace(flt or ProjectionFilter(), role=opts.role)
    lang = opts.lang
    proj = project(store, flt)
    graph = proj.undirected()
    require_size(graph, nodes=3, edges=2, what="the report")
    # An event or programme with very many organisations is no acquaintance between all of them
    # (and would turn the network into one clique): such affiliations do not tie their members.
    actors = co_affiliation(graph, max_members=MAX_AFFILIATION)
    require_size(actors, nodes=3, edges=1, what="the report's organisation network")
    crowded = sorted(
        str(graph.nodes[w].get("name") or w)
        for w, label in graph.nodes(data="label")
        if label in AFFILIATIONS
        and sum(1 for m in graph.adj[w] if graph.nodes[m].get("label") == "Organisation")
        > MAX_AFFILIATION
    )

    results = {
        "degree": degree(actors),
        "pagerank": pagerank(actors),
        "betweenness": betweenness(actors, seed=opts.seed),
    }
    com = louvain(actors, seed=opts.seed)
    spof = single_points_of_failure(actors)
    try:
        brokers: BrokerageResult | None = brokerage(actors, opts.group)
    except AnalyticsError:
        brokers = None
    try:
        # Sharing a region is no acquaintance: suggestions come from partners and topics.
        no_regions = graph.subgraph(n for n, lab in graph.nodes(data="label") if lab != "Region")
        intro = suggest_introductions(no_regions, top=opts.top)
        introductions = intro.as_dict()["suggestions"]
        intro_run = intro.run.as_dict()
    except AnalyticsError:
        introductions, intro_run = [], None

    regions = _regions(store)
    topic_names = _topic_names(store)
    row_of, region_rows = _region_rows(
        actors,
        regions,
        opts.home,
        report_text("home_wide", lang),
        report_text("rest_regions", lang),
    )
    region_names = {r["code"]: r["name"] for r in region_rows}
    names = {str(n): str(d.get("name") or n) for n, d in actors.nodes(data=True)}

    def actor(n: str) -> dict[str, Any]:
        data = actors.nodes[n]
        return {
            "id": n,
            "name": names[n],
            "kind": _kind(data.get("kinds") or []),
            "region": region_names.get(row_of.get(n, ""), ""),
            "synthetic": bool(data.get("synthetic")),
        }

    communities = _communities(
        actors,
        graph,
        com,
        results["pagerank"].values,
        row_of,
        region_names,
        topic_names,
        lang,
    )
    community_of: dict[str, int] = communities.pop("index_of")

    measures: dict[str, list[dict[str, Any]]] = {}
    for key, result in results.items():
        measures[key] = [
            {**actor(n), "value": v} for n, v in result.top(opts.top) if v > 0 or key == "degree"
        ]
    overview_ids = [n for n, _ in results["pagerank"].top(15)]
    overview = [
        {
            **actor(n),
            **{key: results[key].values.get(n, 0.0) for key in ACTOR_MEASURES},
            "community": community_of.get(n),
        }
        for n in overview_ids
    ]

    n_rows = len(region_rows)
    position = {r["code"]: i for i, r in enumerate(region_rows)}
    matrix = [[0] * n_rows for _ in range(n_rows)]
    for a, b in actors.edges():
        ra, rb = row_of.get(str(a)), row_of.get(str(b))
        if ra is None or rb is None:
            continue
        i, j = position[ra], position[rb]
        matrix[i][j] += 1
        if i != j:
            matrix[j][i] += 1
    group_of_row = {r["code"]: r["group"] for r in region_rows}
    carriers: Counter[str] = Counter()
    for a, b in actors.edges():
        ga, gb = group_of_row.get(row_of.get(str(a), "")), group_of_row.get(row_of.get(str(b), ""))
        if {ga, gb} == {"home", "partner"}:
            carriers[str(a) if ga == "home" else str(b)] += 1
    carrier = carriers.most_common(1)
    partner_carrier = (
        {"id": carrier[0][0], "name": names[carrier[0][0]], "ties": carrier[0][1]}
        if carrier
        else None
    )
    org_count = Counter(row_of.values())
    for r in region_rows:
        i = position[r["code"]]
        r["organisations"] = org_count[r["code"]]
        r["inside"] = matrix[i][i]
        r["outside"] = sum(matrix[i]) - matrix[i][i]

    total_nodes = graph.number_of_nodes()
    synthetic_nodes = sum(1 for _, s in graph.nodes(data="synthetic") if s)
    synthetic_orgs = sum(1 for _, s in actors.nodes(data="synthetic") if s)
    synthetic_ties = sum(
        1
        for a, b in actors.edges()
        if actors.nodes[a].get("synthetic") or actors.nodes[b].get("synthetic")
    )
    sources = _sources(store, graph)
    top_degree = results["degree"].top(1)
    top_share = (
        top_degree[0][1] / actors.number_of_edges()
        if top_degree and actors.number_of_edges()
        else 0
    )
    changes = (
        changes_since(opts.state_dir, opts.since_snapshot, actors, seed=opts.seed, top=opts.top)
        if opts.since_snapshot and opts.state_dir is not None
        else None
    )
    persons = _person_table(store, flt, opts.top, names) if opts.persons else None
    topic_rows = _topic_table(graph, topic_names, lang)
    topic_of = {v["en"]: v[lang] for v in topic_names.values()}
    for s in introductions:
        s["shared_topics"] = [topic_of.get(t, t) for t in s["shared_topics"]]
    return {
        "lang": lang,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "filter": flt.as_dict(),
        "projection": proj.describe(),
        "figures": {
            "organisations": actors.number_of_nodes(),
            "ties": actors.number_of_edges(),
            "nodes": total_nodes,
            "links": graph.number_of_edges(),
            "density": nx.density(actors),
            "components": spof["components"],
            "communities": com.extra["communities"],
            "modularity": com.extra["modularity"],
            "top_share": top_share,
            "low_degree": sum(1 for _, d in actors.degree() if d <= 2),
        },
        "measures": measures,
        "overview": overview,
        "communities": communities,
        "brokerage": _brokerage(brokers, row_of, names),
        "region_rows": region_rows,
        "matrix": matrix,
        "home": opts.home,
        "partner_carrier": partner_carrier,
        "crowded": crowded,
        "topics": topic_rows,
        "spof": [
            {**actor(str(a["id"])), **a}
            for a in spof["articulation_points"][: opts.top]
            if str(a["id"]) in actors
        ],
        "introductions": introductions[: opts.top],
        "changes": changes,
        "persons": persons,
        "synthetic": {
            "nodes": synthetic_nodes,
            "nodes_total": total_nodes,
            "organisations": synthetic_orgs,
            "organisations_total": actors.number_of_nodes(),
            "ties": synthetic_ties,
            "ties_total": actors.number_of_edges(),
        },
        "sources": sources,
        "attribution": attributions(s["source"] for s in sources),
        "values": {
            "names": names,
            **{key: result.values for key, result in results.items()},
            "community": {n: community_of.get(n) for n in names},
            "brokerage": brokers.counts if brokers else {},
        },
        "runs": [r.run.as_dict() for r in (*results.values(), com)]
        + ([brokers.run.as_dict()] if brokers else [])
        + ([intro_run] if intro_run else []),
    }
