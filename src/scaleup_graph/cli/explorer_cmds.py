"""``scaleup export html``: the offline explorer as one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scaleup_graph.cli.common import console, fail, opened_store, refuse
from scaleup_graph.queries.privacy import ROLES, role_rank
from scaleup_graph.settings import get_settings
from scaleup_graph.visualisation import MAX_HOPS, write_export
from scaleup_graph.visualisation.texts import LANGS

__all__ = ["export_html", "register_export"]


def export_html(
    out: Annotated[Path, typer.Argument(help="The HTML file to write.", dir_okay=False)],
    role: Annotated[
        str,
        typer.Option(
            help=f"Whose view: {', '.join(ROLES)}. Personal data "
            "is only written for keys with contacts (e.g. analyst+contacts)."
        ),
    ] = "viewer",
    focus: Annotated[
        str | None, typer.Option(help="Export only the ego network of this node id.")
    ] = None,
    hops: Annotated[int, typer.Option(help=f"Hops around --focus (1 to {MAX_HOPS}).")] = 1,
    lang: Annotated[str, typer.Option(help="Language of captions: de or en.")] = "de",
) -> None:
    """Write the explorer with its data into one HTML file that works offline.

    Example: scaleup export html netzwerk.html --focus org-ihk-kassel-marburg --hops 2
    """
    try:
        role_rank(role)
    except ValueError as exc:
        refuse(exc)
    if lang not in LANGS:
        fail(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    if focus is None and hops != 1:
        fail("--hops needs --focus: the ego network is counted from that node")
    with opened_store() as store:
        try:
            result = write_export(store, out, role=role, focus=focus, hops=hops, lang=lang)
            from scaleup_graph.api.audit import audit_cli_export

            audit_cli_export(get_settings(), store, role, "export:html")
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror}")
    console.print(
        f"Wrote {out} ({result['nodes']} nodes, {result['bytes'] / 1e6:.1f} MB, "
        f"role {role}). It opens in any browser, without a network connection."
    )


def register_export(export: typer.Typer) -> None:
    """Add ``html`` to ``scaleup export``."""
    export.command("html")(export_html)
