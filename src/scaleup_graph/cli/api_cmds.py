"""``scaleup serve``, ``query``, ``keys``, ``audit`` and ``erase-person``: thin faces over the API
package and the query library."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from scaleup_graph.cli.common import (
    JsonOption,
    console,
    fail,
    opened_store,
    print_json,
    refuse,
)
from scaleup_graph.errors import NotFound

__all__ = ["register"]

keys_app = typer.Typer(
    help="Create, list and revoke API keys (stored hashed).", no_args_is_help=True
)


def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default SCALEUP_API_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default SCALEUP_API_PORT).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default: one per core); they share the store."),
    ] = None,
) -> None:
    """Serve the HTTP API (docs at /docs) and the explorer (/).

    Example: scaleup serve --port 8000 --workers 2
    """
    from scaleup_graph.api.server import serve as run
    from scaleup_graph.errors import ScaleUpError

    try:
        run(host, port, workers=workers)
    except ScaleUpError as exc:
        refuse(exc)


def query(
    name: Annotated[str, typer.Argument(help="A named query (see: scaleup query --list).")] = "",
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable")
    ] = None,
    role: Annotated[
        str, typer.Option(help="Run as this role (personal data from contacts up).")
    ] = "viewer",
    list_all: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Run a named query from the catalogue.

    Example: scaleup query search_organisations -p q=koeln -p limit=5 --json
    """
    from scaleup_graph.queries import catalogue, run_query

    if list_all or not name:
        described = [q.describe() for q in catalogue().values()]
        if as_json:
            print_json(described)
            return
        table = Table("name", "role", "parameters", "summary")
        for q in described:
            table.add_row(
                q["name"], q["role"], ", ".join(p["name"] for p in q["params"]), q["summary"]
            )
        console.print(table)
        return
    params: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--param {item!r} is not key=value; e.g. -p q=kassel")
        params[key.strip()] = value
    try:
        with opened_store() as store:
            result = run_query(store, name, params, role, from_text=True)
    except ValueError as exc:  # a --param value of the wrong type
        refuse(exc)
    if as_json:
        print_json(result.rows)
        return
    table = Table(*result.columns, title=f"{name}: {len(result.rows)} row(s)")
    for row in result.rows:
        table.add_row(*(_cell(row.get(c)) for c in result.columns))
    console.print(table)


def _cell(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or value)
    return "" if value is None else str(value)


@keys_app.command("create")
def keys_create(
    role: Annotated[
        list[str],
        typer.Option(
            help="A capability: viewer, contacts, analyst, editor or admin; repeat to combine."
        ),
    ],
    note: Annotated[str, typer.Option(help="What the key is for.")] = "",
    env: Annotated[
        bool, typer.Option("--env", help="Also print the SCALEUP_API_KEYS entry (containers).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create an API key; it is shown once, only its hash is stored.

    Example: scaleup keys create --role analyst --role contacts --note "metrics team"
    """
    from scaleup_graph.api.keys import KeyStore, env_entry, keys_path
    from scaleup_graph.settings import get_settings

    try:
        record, key = KeyStore(keys_path(get_settings())).create(role, note)
    except ValueError as exc:
        refuse(exc)
    if as_json:
        out = {"key_id": record.key_id, "role": record.role, "roles": list(record.roles)}
        print_json({**out, "key": key, **({"env": env_entry(record)} if env else {})})
        return
    console.print(
        f"Created key {record.key_id} with {record.role}. Store it now; it is not shown again:"
    )
    console.print(key, highlight=False, soft_wrap=True)
    if env:
        console.print("SCALEUP_API_KEYS entry (holds the hash only):")
        console.print(env_entry(record), highlight=False, soft_wrap=True)


@keys_app.command("list")
def keys_list(as_json: JsonOption = False) -> None:
    """List keys (ids, roles, dates; never the keys themselves).

    Example: scaleup keys list
    """
    from scaleup_graph.api.keys import KeyStore, keys_path
    from scaleup_graph.settings import get_settings

    try:
        keys = KeyStore(keys_path(get_settings())).list()
    except ValueError as exc:
        refuse(exc)
    rows = [
        {"key_id": k.key_id, "role": k.role, "created_at": k.created_at, "note": k.note}
        for k in keys
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("key id", "role", "created", "note")
    for row in rows:
        table.add_row(row["key_id"], row["role"], row["created_at"], row["note"])
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id (scaleup keys list).")],
) -> None:
    """Revoke a key by id.

    Example: scaleup keys revoke 3f9a0c1d2e4b
    """
    from scaleup_graph.api.keys import KeyStore, keys_path
    from scaleup_graph.settings import get_settings

    if not KeyStore(keys_path(get_settings())).revoke(key_id):
        raise NotFound(f"no key with id {key_id!r}", hint="see scaleup keys list")
    console.print(f"Revoked key {key_id}.")


def audit(
    limit: Annotated[int, typer.Option(help="Show the last N entries.")] = 50,
    action: Annotated[str | None, typer.Option(help="Only this action, e.g. person_erase.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the audit log (reads of personal data and writes; ids only, no personal values).

    Example: scaleup audit --limit 20 --action person_erase
    """
    from scaleup_graph.api.audit import AuditLog, audit_path
    from scaleup_graph.settings import get_settings

    entries = list(AuditLog(audit_path(get_settings())).read(limit=limit, action=action))
    if as_json:
        print_json(entries)
        return
    table = Table("when", "key id", "role", "action", "subjects", "outcome")
    for e in entries:
        subjects = ", ".join(e["subject_ids"][:3]) + (" ..." if e["subjects_total"] > 3 else "")
        table.add_row(e["at"], e["key_id"], e["role"], e["action"], subjects, e["outcome"])
    console.print(table)


def erase_person(
    person_id: Annotated[str, typer.Argument(help="The person's id, e.g. person-3f2a...")],
    as_json: JsonOption = False,
) -> None:
    """Erase a person (GDPR Art. 17) and keep them out of future imports.

    Example: scaleup erase-person person-3f2a9c0d11b2e4f5
    """
    from scaleup_graph.api.audit import AuditLog, audit_path
    from scaleup_graph.queries.persons import erase_person as erase
    from scaleup_graph.settings import get_settings

    settings = get_settings()
    with opened_store() as store:
        report = erase(store, person_id, settings.suppression_salt.get_secret_value())
    AuditLog(audit_path(settings)).write(
        key_id="cli",
        role="admin",
        action="person_erase",
        subject_ids=[person_id],
        outcome="erased" if report.erased else "not_found",
    )
    if as_json:
        print_json(
            {
                "person_id": person_id,
                "erased": report.erased,
                "relationships_removed": report.relationships_removed,
            }
        )
    if not report.erased:
        raise NotFound(f"no person with id {person_id!r}; nothing erased")
    if not as_json:
        console.print(
            f"Erased {person_id} ({report.relationships_removed} relationships); "
            "a re-import will skip them."
        )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("query")(query)
    app.command("audit")(audit)
    app.command("erase-person")(erase_person)
    app.add_typer(keys_app, name="keys")
