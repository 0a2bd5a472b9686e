"""Analyst routes: metrics, suggested introductions, challenge matches, snapshot diffs.

Thin faces over :mod:`scaleup_graph.analytics`; its errors (NotFound for an unknown challenge or
snapshot, Invalid for other bad input) become JSON answers in api/errors.py. No route
returns personal data: projections carry persons by id only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from scaleup_graph.analytics import (
    DEFAULT_METRICS,
    MetricOptions,
    ProjectionFilter,
    project,
    run_metrics,
)
from scaleup_graph.analytics.link_prediction import suggest_introductions
from scaleup_graph.analytics.metrics import SEED_MAX
from scaleup_graph.analytics.snapshots import diff, list_snapshots
from scaleup_graph.api import models as m
from scaleup_graph.api.deps import SettingsDep, StoreDep, audit
from scaleup_graph.api.params import Analyst, Editor
from scaleup_graph.errors import ScaleUpError

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["analytics"])

Top = Annotated[int, Query(ge=1, le=1000, description="How many rows to return.")]


def projection_filter(
    label: Annotated[list[str] | None, Query(description="Keep this node label.")] = None,
    rel_type: Annotated[list[str] | None, Query(description="Keep this type.")] = None,
    region: Annotated[str | None, Query(description="Region id or NUTS prefix.")] = None,
    project_id: Annotated[
        list[str] | None, Query(alias="project", description="Keep this project's network.")
    ] = None,
    since: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
) -> ProjectionFilter:
    """The projection filter from query parameters (same options as the CLI)."""
    return ProjectionFilter(
        labels=tuple(label or ()),
        rel_types=tuple(rel_type or ()),
        region=region,
        projects=tuple(project_id or ()),
        since=since,
        until=until,
    )


Filter = Annotated[ProjectionFilter, Depends(projection_filter)]
Seed = Annotated[
    int,
    Query(
        ge=0,
        le=SEED_MAX,
        description="Seed of the randomised algorithms (community, sampled betweenness): "
        "the same seed on the same graph gives the same result.",
    ),
]


@router.get("/analytics/metrics", **m.typed(m.Metrics))
def metrics(
    store: StoreDep,
    principal: Analyst,
    flt: Filter,
    name: Annotated[list[str] | None, Query(description="Metric names.")] = None,
    seed: Seed = 42,
    group: str = "region",
    actors: Annotated[
        bool, Query(description="Run on the organisation network (shared projects, events).")
    ] = False,
    top: Top = 10,
) -> dict[str, Any]:
    """Compute metrics on the (filtered) graph; the top nodes of each with run records."""
    run = run_metrics(
        store,
        name or DEFAULT_METRICS,
        flt=replace(flt, role=principal.role),
        options=MetricOptions(seed=seed, group=group, actors=actors),
    )
    return run.as_dict(top=top)


@router.post("/analytics/metrics/write", **m.typed(m.MetricsWritten))
def write_metrics(
    store: StoreDep,
    principal: Editor,
    settings: SettingsDep,
    flt: Filter,
    name: Annotated[list[str] | None, Query(description="Metric names.")] = None,
    seed: Seed = 42,
    group: str = "region",
    actors: Annotated[
        bool, Query(description="Run on the organisation network (shared projects, events).")
    ] = False,
) -> dict[str, Any]:
    """Compute metrics and store them as ``metric_*`` node properties (editor role: a write)."""
    names = name or list(DEFAULT_METRICS)
    try:
        run = run_metrics(
            store,
            names,
            flt=flt,
            options=MetricOptions(seed=seed, group=group, actors=actors),
            write=True,
            state_dir=settings.state_dir,
        )
    except ScaleUpError:
        audit(principal, "write_metrics", names, "rejected")
        raise
    audit(principal, "write_metrics", names, "written")
    return {"written": run.written, "runs": [r.run.as_dict() for r in run.results]}


@router.get("/analytics/introductions", **m.typed(m.Introductions))
def introductions(
    store: StoreDep,
    principal: Analyst,
    flt: Filter,
    method: str = "adamic_adar",
    org: str | None = None,
    top: Top = 20,
) -> dict[str, Any]:
    """Suggested introductions between organisations that do not yet cooperate."""
    graph = project(store, replace(flt, role=principal.role)).undirected()
    return suggest_introductions(graph, method=method, top=top, node=org).as_dict()


@router.get("/analytics/snapshots", **m.typed(list[m.Snapshot]))
def snapshots(principal: Analyst, settings: SettingsDep) -> list[dict[str, Any]]:
    """The snapshots made with ``scaleup snapshot create``."""
    return list_snapshots(settings.state_dir)


@router.get("/analytics/snapshots/diff", **m.typed(m.SnapshotDiff))
def snapshot_diff(
    principal: Analyst,
    settings: SettingsDep,
    a: Annotated[str, Query(description="The earlier snapshot.")],
    b: Annotated[str, Query(description="The later snapshot.")],
    top: Top = 10,
) -> dict[str, Any]:
    """What changed between two snapshots: links, centrality, communities."""
    return diff(settings.state_dir, a, b, top=top)
