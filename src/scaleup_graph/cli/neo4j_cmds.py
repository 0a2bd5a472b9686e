"""``scaleup export neo4j-import OUT_DIR``: files and the command for a first bulk load of a
large graph into an empty Neo4j; ``scaleup neo4j-privileges``: the roles ad-hoc Cypher runs as
on Neo4j Enterprise or Aura (see docs/neo4j.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scaleup_graph.cli.common import console, opened_store, refuse
from scaleup_graph.queries.privacy import ROLES, has_role, sees_pii, visibility
from scaleup_graph.settings import get_settings
from scaleup_graph.store.neo4j_import import ImportFilesError, write_import_files

__all__ = ["neo4j_import", "neo4j_privileges", "register", "register_export"]


def neo4j_import(
    out_dir: Annotated[Path, typer.Argument(help="A new or empty directory for the files.")],
    role: Annotated[
        str,
        typer.Option(
            help="Whose view to export: " + ", ".join(ROLES) + ". Personal data of "
            "persons only with contacts (combine: analyst+contacts)."
        ),
    ] = "viewer",
    database: Annotated[
        str | None, typer.Option(help="Target Neo4j database [default: SCALEUP_NEO4J_DATABASE].")
    ] = None,
) -> None:
    """Write CSV files and import.sh for `neo4j-admin database import full`.

    Example: scaleup export neo4j-import ./neo4j-import --role admin
    """
    try:
        personal, drafts = sees_pii(role), visibility(role).drafts
    except ValueError as exc:
        refuse(exc)
    with opened_store() as store:
        try:
            files = write_import_files(
                store,
                out_dir,
                personal_data=personal,
                drafts=drafts,
                suppression_list=has_role(role, "admin"),
                database=database or get_settings().neo4j_database,
            )
        except (ImportFilesError, OSError) as exc:
            refuse(exc)
        from scaleup_graph.api.audit import audit_cli_export

        audit_cli_export(get_settings(), store, role, "export:neo4j-import")
    nodes, rels = sum(files.nodes.values()), sum(files.relationships.values())
    console.print(
        f"Wrote {nodes} nodes and {rels} relationships to {files.out_dir} "
        f"({len(files.nodes) + len(files.relationships)} files)."
    )
    if not files.personal_data:
        console.print(
            "Personal data of persons (name, e-mail, phone) was left out; "
            "use --role contacts to include it."
        )
    console.print("Stop Neo4j, then run (also in import.sh):")
    console.print(files.command, highlight=False, markup=False, soft_wrap=True)


def neo4j_privileges(
    database: Annotated[
        str | None, typer.Option(help="The Neo4j database [default: SCALEUP_NEO4J_DATABASE].")
    ] = None,
    reader_role: Annotated[
        str, typer.Option(help="Role of SCALEUP_NEO4J_ADHOC_USER (keys with contacts).")
    ] = "scaleup_reader",
    redacted_role: Annotated[
        str, typer.Option(help="Role of SCALEUP_NEO4J_REDACTED_USER (keys without contacts).")
    ] = "scaleup_redacted",
) -> None:
    """Print the Cypher that creates the two roles ad-hoc queries run as on Neo4j Enterprise or
    Aura: neither sees the suppression list, the editing history, the migrations record or a
    draft; the redacted one also sees no personal property and no KNOWS. Run it against the
    system database, then grant each role to its user (docs/neo4j.md).

    Example: scaleup neo4j-privileges | cypher-shell -d system -u neo4j
    """
    from scaleup_graph.store.neo4j import privilege_statements

    statements = privilege_statements(
        database or get_settings().neo4j_database, reader_role, redacted_role
    )
    for statement in statements:
        typer.echo(statement + ";")


def register(app: typer.Typer) -> None:
    app.command("neo4j-privileges")(neo4j_privileges)


def register_export(export: typer.Typer) -> None:
    """Add ``neo4j-import`` to ``scaleup export``."""
    export.command("neo4j-import")(neo4j_import)
