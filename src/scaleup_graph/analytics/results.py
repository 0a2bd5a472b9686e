"""Metric results, their run records, and writing them back to the store as node properties.

Every result says how it was made (algorithm, parameters, seed, backend, graph size, seconds), so
a figure in a report can be reproduced. Write-back stores values as ``metric_<name>`` node
properties (the explorer sizes and colours by them) and appends the run record to
``<state_dir>/analytics/runs.jsonl``.
"""

from __future__ import annotations

import heapq
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.graph_model import KEY, METRIC_PREFIX
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cy_label

__all__ = [
    "MetricResult",
    "NodeValues",
    "RunRecord",
    "append_run",
    "read_runs",
    "timed",
    "write_back",
]

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


class NodeValues(Mapping[str, float]):
    """Per-node values kept as a numpy array beside the node ids: a result on the projection's
    arrays is this, and the dict of 70,000 entries is made only if someone reads it all.

    >>> v = NodeValues(["a", "b", "c"], np.array([2.0, 5.0, 2.0]))
    >>> v["b"], len(v), v.top(2, ascending=False), v == {"a": 2.0, "b": 5.0, "c": 2.0}
    (5.0, 3, [('b', 5.0), ('a', 2.0)], True)
    """

    __slots__ = ("_dict", "array", "nodes")

    def __init__(self, nodes: list[str], array: NDArray[np.float64]) -> None:
        self.nodes = nodes
        self.array = np.asarray(array, dtype=np.float64)
        self._dict: dict[str, float] | None = None

    def as_dict(self) -> dict[str, float]:
        if self._dict is None:
            self._dict = dict(zip(self.nodes, self.array.tolist(), strict=True))
        return self._dict

    def __getitem__(self, key: str) -> float:
        return self.as_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, key: object) -> bool:
        return key in self.as_dict()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.as_dict() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable mapping semantics, as dict

    def __repr__(self) -> str:
        return f"NodeValues({len(self.nodes)} nodes)"

    def top(self, n: int, *, ascending: bool) -> list[tuple[str, float]]:
        """The ``n`` first nodes, ties by node id: numpy finds the candidates, Python sorts the
        few (and their ties)."""
        if n <= 0 or not len(self.nodes):
            return []
        signed = self.array if ascending else -self.array
        if n < len(signed):
            bound = np.partition(signed, n - 1)[n - 1]
            candidates = np.flatnonzero(signed <= bound).tolist()
        else:
            candidates = list(range(len(signed)))
        values = self.array.tolist()
        sign = 1 if ascending else -1
        found = sorted(candidates, key=lambda i: (sign * values[i], self.nodes[i]))[:n]
        return [(self.nodes[i], values[i]) for i in found]


@dataclass(slots=True)
class MetricResult:
    """Per-node values of one metric plus its run record and extra findings.

    ``values`` maps node id to a number (a score, a core number, a community index). ``extra``
    holds what is not per node: modularity, the sample size, bridges, rank agreement.
    """

    name: str
    values: Mapping[str, float]
    run: RunRecord
    extra: dict[str, Any] = field(default_factory=dict)
    #: True when low values come first (constraint: low = broker; community 0 = the largest)
    ascending: bool = False

    def top(self, n: int = 10) -> list[tuple[str, float]]:
        """The ``n`` first nodes in ranking order, ties broken by node id (reproducible).

        >>> r = MetricResult("x", {"b": 1.0, "a": 1.0, "c": 3.0}, RunRecord("x", {}, None, 3, 0, 0))
        >>> r.top(2)
        [('c', 3.0), ('a', 1.0)]
        """
        if isinstance(self.values, NodeValues):
            return self.values.top(n, ascending=self.ascending)
        sign = 1 if self.ascending else -1
        # a partial sort: a few ms for the first 1000 of 70,000 nodes, not a full sort
        return heapq.nsmallest(n, self.values.items(), key=lambda kv: (sign * kv[1], kv[0]))

    def as_dict(self, *, top: int | None = None) -> dict[str, Any]:
        values = dict(self.top(top)) if top is not None else dict(self.values)
        return {"name": self.name, "run": self.run.as_dict(), "extra": self.extra, "values": values}


def timed(
    name: str,
    graph: nx.Graph,
    compute: Callable[[], tuple[Mapping[str, float], dict[str, Any]]],
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
