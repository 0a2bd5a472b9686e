"""``scaleup export ...``: one sub-command per format. The formats live with their topics (graphml,
gexf, json, csv in analytics, html in the explorer, neo4j-import in the Neo4j adapter), each
module's ``register_export`` adds its own; :data:`~scaleup_graph.cli.commands.EXPORT_COMMANDS`
says which module has which."""

from __future__ import annotations

import typer

from scaleup_graph.cli.commands import EXPORT_COMMANDS
from scaleup_graph.cli.lazy import LazyGroup

__all__ = ["export_app", "register"]


class _ExportCommands(LazyGroup):
    lazy = EXPORT_COMMANDS


export_app = typer.Typer(
    cls=_ExportCommands,
    help="Write the graph (filtered by role) to files: graphml, gexf, json, csv, html, "
    "neo4j-import.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
