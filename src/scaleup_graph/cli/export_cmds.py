"""``scaleup export ...``: one sub-command per format. Other topic modules add theirs to
:data:`export_app` (html from the explorer, neo4j-import from the Neo4j adapter)."""

from __future__ import annotations

import typer

export_app = typer.Typer(
    help="Write the graph (filtered by role) to files: graphml, gexf, json, csv, html, "
    "neo4j-import.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
