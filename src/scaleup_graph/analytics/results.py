"""Metric results, their run records, and writing them back to the store as node properties.

Every result says how it was made (algorithm, parameters, seed, backend, graph size, seconds), so
a figure in a report can be reproduced. Write-back stores values as ``metric_<name>`` node
properties (the explorer sizes and colours by them) and appends the run record to
``<state_dir>/analytics/runs.jsonl``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.graph_model import KEY, METRIC_PREFIX
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cy_label

__all__ = ["MetricResult", "RunRecord", "append_run", "read_runs", "timed", "write_back"]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_BATCH = 5000


@dataclass(slots=True)
class RunRecord:
    """How a result was made."""

    algorithm: str
    params: dict[str, Any]
    seed: int | None
    nodes: int
    edges: int
    seconds: float
    backend: str = "networkx"
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class MetricResult:
    """Per-node values of one metric plus its run record and extra findings.

    ``values`` maps node id to a number (a score, a core number, a community index). ``extra``
    holds what is not per node: modularity, the sample size, bridges, rank agreement.
    """

    name: str
    values: dict[str, float]
    run: RunRecord
    extra: dict[str, Any] = field(default_factory=dict)
    #: True when low values come first (constraint: low = broker; community 0 = the largest)
    ascending: bool = False

    def top(self, n: int = 10) -> list[tuple[str, float]]:
        """The ``n`` first nodes in ranking order, ties broken by node id (reproducible)."""
        sign = 1 if self.ascending else -1
        return sorted(self.values.items(), key=lambda kv: (sign * kv[1], kv[0]))[:n]

    def as_dict(self, *, top: int | None = None) -> dict[str, Any]:
        values = dict(self.top(top)) if top is not None else self.values
        return {"name": self.name, "run": self.run.as_dict(), "extra": self.extra, "values": values}


def timed(
    name: str,
    graph: nx.Graph,
    compute: Callable[[], tuple[dict[str, float], dict[str, Any]]],
    *,
    algorithm: str,
    params: Mapping[str, Any],
    seed: int | None = None,
    backend: str = "networkx",
    ascending: bool = False,
) -> MetricResult:
    """Run ``compute`` and wrap its values and extras with a :class:`RunRecord`."""
    started = time.perf_counter()
    values, extra = compute()
    run = RunRecord(
        algorithm=algorithm,
        params=dict(params),
        seed=seed,
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        seconds=round(time.perf_counter() - started, 4),
        backend=backend,
    )
    return MetricResult(name=name, values=values, run=run, extra=extra, ascending=ascending)


def _property(name: str) -> str:
    if not _NAME.match(name):
        raise AnalyticsError(
            f"metric name {name!r} cannot be a property: use lower-case letters, digits and _"
        )
    return METRIC_PREFIX + name


def write_back(
    store: GraphStore, result: MetricResult, labels: Mapping[str, str], *, clear: bool = True
) -> int:
    """Store ``result`` as the ``metric_<name>`` property of each node; returns nodes written.

    Parameters
    ----------
    store
        The store the projection came from.
    result
        The metric to write.
    labels
        Node id -> schema label (from the projection's ``label`` attribute); the label lets the
        database use its index on ``id``.
    clear
        Remove the property from nodes outside this result first, so a value in the store is
        always from the latest run.
    """
    prop = _property(result.name)
    if clear:
        # The property name travels as a map key in a parameter, never as query text.
        store.write(
            "MATCH (n) WHERE n[$prop] IS NOT NULL SET n += $unset",
            {"prop": prop, "unset": {prop: None}},
        )
    by_label: dict[str, list[dict[str, Any]]] = {}
    for node, value in result.values.items():
        lab = labels.get(node)
        if lab is None:
            continue
        by_label.setdefault(lab, []).append({KEY: node, "props": {prop: value}})
    written = 0
    for lab, rows in by_label.items():
        query = f"UNWIND $rows AS r MATCH (n:{cy_label(lab)} {{{KEY}: r.{KEY}}}) SET n += r.props"
        for i in range(0, len(rows), _BATCH):
            store.write(query, {"rows": rows[i : i + _BATCH]})
            written += len(rows[i : i + _BATCH])
    return written


def _runs_file(state_dir: Path) -> Path:
    return state_dir / "analytics" / "runs.jsonl"


def append_run(state_dir: Path, result: MetricResult, *, written: int) -> Path:
    """Append the run record of a written-back result; returns the file."""
    path = _runs_file(state_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "metric": result.name,
        "property": _property(result.name),
        "written": written,
        **result.run.as_dict(),
    }
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, default=str) + "\n")
    return path


def read_runs(state_dir: Path) -> list[dict[str, Any]]:
    """Every recorded write-back, oldest first."""
    path = _runs_file(state_dir)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
