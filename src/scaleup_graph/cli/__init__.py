"""The ``scaleup`` command: thin commands over the library, rendered with rich.

Each topic lives in its own module with a ``register(app)`` function; this module assembles them.
Exit codes: 0 ok, 1 the command ran but found problems (rejected rows), 2 usage, and one code
per kind of refusal (3 NotFound ... 9 Timeout): :data:`scaleup_graph.cli.common.EXIT_CODES`.
"""

from __future__ import annotations

import importlib

from scaleup_graph.cli.common import app, main

#: topic modules, in the order their commands appear in ``scaleup --help``
COMMAND_MODULES = (
    "scaleup_graph.cli.ingest_cmds",
    "scaleup_graph.cli.schema_cmds",
    "scaleup_graph.cli.generate_cmds",
    "scaleup_graph.cli.demo_cmds",
    "scaleup_graph.cli.api_cmds",
    "scaleup_graph.cli.analytics_cmds",
    "scaleup_graph.cli.export_cmds",
    "scaleup_graph.cli.workflow_cmds",
    "scaleup_graph.cli.neo4j_cmds",
    "scaleup_graph.cli.explorer_cmds",
    "scaleup_graph.cli.bench_cmds",
)

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a topic not built yet
        if exc.name != _name:
            raise
        continue
    _module.register(app)

__all__ = ["app", "main"]
