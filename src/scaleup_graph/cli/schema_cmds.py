"""``scaleup schema`` (the schema as a reference page) and ``scaleup template`` (an Excel
workbook made from it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scaleup_graph.cli.common import console, fail, refuse
from scaleup_graph.graph_model.reference import schema_markdown
from scaleup_graph.ingest import ManifestError, write_template


def schema(
    markdown: Annotated[
        bool,
        typer.Option("--markdown", help="Print the reference page (docs/schema.md) as Markdown."),
    ] = False,
) -> None:
    """Print the schema: labels, properties (type, required, limits, choices, personal) and
    relationship types, in English and German.

    Example: scaleup schema --markdown > docs/schema.md
    """
    if not markdown:
        fail("say how: scaleup schema --markdown (the reference page docs/schema.md)")
    sys.stdout.write(schema_markdown())


def template(
    path: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file if it exists.")
    ] = False,
) -> None:
    """Write an Excel workbook to fill in: one sheet per label and relationship type, German
    headers, dropdowns, notes on required and personal fields, and a sheet that explains it.
    The filled workbook ingests without a manifest.

    Example: scaleup template akteure.xlsx && scaleup ingest akteure.xlsx
    """
    if path.exists() and not force:
        fail(f"{path} exists; choose another name or add --force to overwrite it")
    if not path.parent.is_dir():
        fail(f"the folder {path.parent} does not exist; create it first")
    try:
        write_template(path)
    except ManifestError as exc:
        refuse(exc)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror}")
    console.print(
        f"Wrote {path}: fill in the sheets you need, then scaleup ingest {path} --dry-run"
    )


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
    app.command("template")(template)
