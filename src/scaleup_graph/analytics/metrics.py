"""The metric catalogue and one entry point that CLI, API and report share.

:func:`run_metrics` projects the store (filtered), runs the named metrics, optionally writes
them back as ``metric_*`` node properties, and returns plain data with a run record per metric.
When every metric asked for has an array implementation (:data:`ARRAY_METRICS`), the projection
is integer arrays only and the names are read for the ranked nodes alone.

Example
-------
>>> sorted(METRICS)[:3]
['articulation', 'betweenness', 'brokerage']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx

from scaleup_graph.analytics import centrality, cohesion, communities, structural_holes
from scaleup_graph.analytics.arrays import GraphArrays
from scaleup_graph.analytics.brokerage import brokerage
from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.onemode import AFFILIATIONS, co_affiliation
from scaleup_graph.analytics.projection import Projection, ProjectionFilter, project
from scaleup_graph.analytics.results import MetricResult, append_run, timed, write_back
from scaleup_graph.errors import Invalid
from scaleup_graph.graph_model import KEY, is_personal
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cy_label

__all__ = [
    "ARRAY_METRICS",
    "DEFAULT_METRICS",
    "METRICS",
    "MetricOptions",
    "MetricsRun",
    "run_metrics",
]


#: the largest seed the randomised algorithms take (unsigned 32 bit)
SEED_MAX = 2**32 - 1


@dataclass(frozen=True, slots=True)
class MetricOptions:
    """Options the metrics share: ``seed`` for randomised ones, ``group`` for brokerage."""

    seed: int = 42
    group: str = "region"
    resolution: float = 1.0
    sample: int | None = None
    exact_limit: int = 5000
    #: run on the organisation network (direct ties + shared projects, events ...)
    actors: bool = False

    def __post_init__(self) -> None:
        # igraph and networkit take the seed as an unsigned 32-bit number
        if not 0 <= self.seed <= SEED_MAX:
            raise Invalid(
                f"seed must be a whole number from 0 to {SEED_MAX}",
                "seed",
                hint="use any number in that range; the same seed gives the same result",
            )


def _articulation(graph: nx.Graph, _o: MetricOptions) -> list[MetricResult]:
    def compute() -> tuple[dict[str, float], dict[str, Any]]:
        found = cohesion.single_points_of_failure(graph)
        # value: how many nodes the articulation point would cut off from the rest
        values = {a["id"]: float(a["cut_off"]) for a in found["articulation_points"]}
        return values, {
            "bridges": found["bridges"][:100],
            "bridge_count": len(found["bridges"]),
            "components": found["components"],
            "articulation_count": len(found["articulation_points"]),
        }

    return [
        timed("articulation", graph, compute, algorithm="articulation-points+bridges", params={})
    ]


_Metric = Callable[[Any, MetricOptions], list[MetricResult]]

METRICS: dict[str, _Metric] = {
    "degree": lambda g, o: [centrality.degree(g)],
    "betweenness": lambda g, o: [
        centrality.betweenness(g, seed=o.seed, k=o.sample, exact_limit=o.exact_limit)
    ],
    "pagerank": lambda g, o: [centrality.pagerank(g)],
    "eigenvector": lambda g, o: [centrality.eigenvector(g)],
    "closeness": lambda g, o: [centrality.closeness(g)],
    "kcore": lambda g, o: [cohesion.k_core(g)],
    "community": lambda g, o: [communities.louvain(g, seed=o.seed, resolution=o.resolution)],
    "constraint": lambda g, o: [structural_holes.constraint(g)],
    "effective_size": lambda g, o: [structural_holes.effective_size(g)],
    "brokerage": lambda g, o: brokerage(g, o.group).results(),
    "articulation": _articulation,
}
DEFAULT_METRICS = ("degree", "pagerank", "betweenness", "community")
#: metrics that run on the projection's integer arrays (no networkx graph, no node attributes)
ARRAY_METRICS = frozenset({"degree", "pagerank", "betweenness", "closeness", "kcore", "community"})
#: names are read for this many first nodes of each result (the CLI's and API's largest top)
NAMED_TOP = 1000


@dataclass(slots=True)
class MetricsRun:
    projection: dict[str, Any]
    results: list[MetricResult]
    #: node id -> display name (never a person's: the projection carries persons by id only)
    names: dict[str, str] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)

    def ranked(self, result: MetricResult, top: int = 10) -> list[dict[str, Any]]:
        """The ``top`` nodes of ``result`` with their names."""
        return [{"id": n, "name": self.names.get(n), "value": v} for n, v in result.top(top)]

    def as_dict(self, *, top: int = 10) -> dict[str, Any]:
        return {
            "projection": self.projection,
            "written": self.written,
            "metrics": [
                {
                    "name": r.name,
                    "run": r.run.as_dict(),
                    "extra": r.extra,
                    "top": self.ranked(r, top),
                }
                for r in self.results
            ],
        }


def run_metrics(
    store: GraphStore,
    names: Sequence[str] = DEFAULT_METRICS,
    *,
    flt: ProjectionFilter | None = None,
    options: MetricOptions | None = None,
    write: bool = False,
    state_dir: Path | None = None,
    projection: Projection | None = None,
    named: int = NAMED_TOP,
) -> MetricsRun:
    """Project the store and compute ``names``; with ``write`` store them as node properties.

    ``named``: how many first nodes of each result get their display name (when the metrics
    ran on arrays; a networkx projection carries every name).

    Raises
    ------
    AnalyticsError
        For an unknown metric, a filter that leaves too small a graph, or a group attribute no
        node has.
    """
    unknown = [n for n in names if n not in METRICS]
    if unknown:
        raise AnalyticsError(
            f"unknown metric(s) {', '.join(unknown)}; use: {', '.join(sorted(METRICS))}"
        )
    options = options or MetricOptions()
    if options.actors and flt is not None and flt.labels:
        # --label Organisation --actors: the organisations are tied through their projects,
        # events, ...; a projection without those would have no ties to count
        flt = replace(flt, labels=tuple(dict.fromkeys([*flt.labels, *AFFILIATIONS])))
    on_arrays = not options.actors and set(names) <= ARRAY_METRICS
    proj = projection or project(store, flt, networkx=not on_arrays)
    graph: nx.Graph | GraphArrays
    if on_arrays:
        graph = proj.arrays
    else:
        graph = co_affiliation(proj.undirected()) if options.actors else proj.undirected()
    results: list[MetricResult] = []
    for name in dict.fromkeys(names):
        # Brokerage too runs undirected: schema directions (Org -> Project) are not flows.
        results.extend(METRICS[name](graph, options))
    labels = proj.labels()
    if proj.has_graph:
        shown = {str(n): str(name) for n, name in proj.graph.nodes(data="name") if name}
    else:
        ranked = {node for r in results for node, _ in r.top(named)}
        shown = display_names(store, {node: labels[node] for node in ranked if node in labels})
    run = MetricsRun(projection=proj.describe(), results=results, names=shown)
    if write:
        for result in results:
            run.written[result.name] = write_back(store, result, labels)
            if state_dir is not None:
                append_run(state_dir, result, written=run.written[result.name])
    return run


def display_names(store: GraphStore, labels: dict[str, str]) -> dict[str, str]:
    """Node id -> name for the given nodes (id -> schema label); persons never get one."""
    by_label: dict[str, list[str]] = {}
    for node, lab in labels.items():
        if not is_personal(lab):
            by_label.setdefault(lab, []).append(node)
    names: dict[str, str] = {}
    for lab, ids in by_label.items():
        for row in store.read(
            f"UNWIND $ids AS id MATCH (n:{cy_label(lab)} {{{KEY}: id}}) "
            "RETURN n.id AS id, n.name AS name",
            {"ids": sorted(ids)},
        ):
            if row["name"]:
                names[str(row["id"])] = str(row["name"])
    return names
