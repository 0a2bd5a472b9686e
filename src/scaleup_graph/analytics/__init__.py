"""Analytics on a networkx projection of the store.

Metrics (centrality, communities, structural holes, brokerage, cohesion), suggested
introductions, challenge matchmaking, snapshots, exports and the analyst report. Library first:
the CLI (``scaleup metrics``, ``match``, ``introductions``, ``snapshot``, ``report``,
``export``) and the API's analyst routes are thin faces over these functions.
"""

from scaleup_graph.analytics.errors import AnalyticsError, GraphTooSmall
from scaleup_graph.analytics.metrics import (
    DEFAULT_METRICS,
    METRICS,
    MetricOptions,
    MetricsRun,
    run_metrics,
)
from scaleup_graph.analytics.projection import Projection, ProjectionFilter, project
from scaleup_graph.analytics.results import MetricResult, RunRecord, write_back

__all__ = [
    "DEFAULT_METRICS",
    "METRICS",
    "AnalyticsError",
    "GraphTooSmall",
    "MetricOptions",
    "MetricResult",
    "MetricsRun",
    "Projection",
    "ProjectionFilter",
    "RunRecord",
    "project",
    "run_metrics",
    "write_back",
]
