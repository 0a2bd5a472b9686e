"""``scaleup ingest``, ``scaleup ingest-cordis``, ``scaleup stats``."""

from __future__ import annotations

import codecs
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from scaleup_graph.cli.common import (
    EXIT_PROBLEMS,
    JsonOption,
    console,
    err_console,
    fail,
    opened_store,
    print_json,
)
from scaleup_graph.ingest import (
    IngestReport,
    ManifestError,
    ReadError,
    bulk_ingest,
    default_options,
    load_cordis,
    manifest_for,
    open_data_dir,
    run_ingest,
)

BulkOption = typer.Option(
    "--bulk",
    help="First load into an empty graph through FalkorDB's bulk insert (GRAPH.BULK): the "
    "same validation, reject report and provenance, several times faster; refused when the "
    "graph holds nodes, and on Neo4j (use scaleup export neo4j-import there).",
)


def _progress(enabled: bool) -> tuple[AbstractContextManager[Any], Callable[..., None] | None]:
    """The progress bar and its update function. The bar draws itself from the updates (at
    most ten times a second) instead of from a thread of its own, so ingest can fork its
    reading process from a process with one thread."""
    if not enabled:
        return nullcontext(), None
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]}"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        auto_refresh=False,
    )
    task = bar.add_task("reading", total=None, rows="")
    drawn = [0.0]

    def update(phase: str, done: int, total: int) -> None:
        # total 0: not known yet (a bulk load reads its files while it writes): no bar length
        rows = f"{done:,}/{total:,} rows" if total else f"{done:,} rows"
        bar.update(task, description=phase, completed=done, total=total or None, rows=rows)
        if time.monotonic() - drawn[0] >= 0.1:
            drawn[0] = time.monotonic()
            bar.refresh()

    return bar, update


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _render(reports: list[IngestReport], as_json: bool) -> int:
    rejects = sum(len(r.rejects) for r in reports)
    if as_json:
        print_json([r.to_dict() for r in reports] if len(reports) > 1 else reports[0].to_dict())
        return EXIT_PROBLEMS if rejects else 0
    for r in reports:
        mode = "Checked (dry run, nothing written)" if r.dry_run else "Ingested"
        resumed = " (resumed an interrupted run)" if r.resumed else ""
        console.print(
            f"{mode}{resumed}: {r.rows_read:,} rows from {len(r.files)} file(s) in "
            f"{r.seconds:.1f} s: {r.nodes_written:,} node writes, "
            f"{r.relationships_written:,} relationship writes; run {r.run_id}"
        )
        if r.restarted:
            console.print(f"  started again from the first batch: {r.restarted}")
        if r.bulk_nodes or r.bulk_relationships:
            console.print(
                f"  loaded in bulk (GRAPH.BULK) into the empty graph: {r.bulk_nodes:,} nodes, "
                f"{r.bulk_relationships:,} relationships, indexes built; the database was "
                f"through {r.bulk_seconds:.1f} s after the last row was read (it wrote while "
                "the rows were read)"
            )
        if r.reading_process:
            console.print("  a second process read and checked the files while this one wrote")
        if r.removed_partial_ids:
            console.print(
                f"  removed {len(r.removed_partial_ids)} node(s) an earlier version made from "
                f"rows with an empty key: {', '.join(r.removed_partial_ids)}"
            )
        if r.skipped_missing_endpoint:
            console.print(
                f"  {r.skipped_missing_endpoint:,} links skipped: endpoint not in the "
                "store (the manifest allows it)"
            )
        if r.suppressed:
            console.print(f"  {r.suppressed:,} rows of erased persons skipped (suppression list)")
        if r.rejects:
            summary = r.to_dict()
            table = Table(
                "file",
                "line",
                "column",
                "value",
                "reason",
                "outcome",
                title=(
                    f"{_count(r.rejected_rows, 'row')} rejected, "
                    f"{_count(summary['dropped_cells'], 'cell')} left out, "
                    f"{_count(summary['withheld_names'], 'name')} withheld; full report: "
                    f"{r.report_dir}/rejects.csv"
                ),
            )
            for rej in r.rejects[:15]:
                table.add_row(
                    rej.file,
                    str(rej.line),
                    rej.column,
                    "" if rej.value is None else str(rej.value)[:40],
                    rej.reason,
                    rej.outcome,
                )
            console.print(table)
        if r.near_duplicates:
            console.print(
                f"  {len(r.near_duplicates)} pairs of similar organisation names to "
                f"review (not merged): {r.report_dir}/near_duplicates.csv"
            )
            for d in r.near_duplicates[:5]:
                console.print(f"    {d.name_a!r} ~ {d.name_b!r} ({d.score:.0f}%)")
    return EXIT_PROBLEMS if rejects else 0


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Manifest(s) (YAML) or data file(s).")],
    label: Annotated[
        str | None,
        typer.Option("--label", "-l", help="Load a single node file as nodes of this label."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only; write nothing.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects", help="Folder for rejects.csv/.json (default: .scaleup/runs/RUN_ID)."
        ),
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", min=1, max=100_000, help="Rows per transaction.")
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Text encoding of the CSV files (e.g. cp1252 for older Windows exports); "
            "overrides the manifest's encoding: for every file. Default: utf-8.",
        ),
    ] = None,
    bulk: Annotated[bool, BulkOption] = False,
    as_json: JsonOption = False,
) -> None:
    """Ingest files into the graph. Exit code 1 when rows were rejected or cells left out.

    Examples: scaleup ingest data/manifest.yaml; scaleup ingest orgs.csv --label Organisation;
    scaleup ingest akteure.xlsx (a filled-in scaleup template); scaleup ingest alt.csv
    --label Organisation --encoding cp1252; scaleup ingest manifest.yaml --bulk (a first load
    into an empty graph)
    """
    overrides: dict[str, Any] = {"dry_run": dry_run, "rejects_dir": rejects}
    if batch_size:
        overrides["batch_size"] = batch_size
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            fail(f"--encoding {encoding}: unknown encoding; try utf-8, cp1252 or latin-1")
    manifests = [manifest_for(p, label, encoding=encoding) for p in paths]
    reports = []
    with opened_store() as store:
        if bulk:
            bar, update = _progress(not as_json)
            try:
                with bar:
                    reports = bulk_ingest(store, manifests, default_options(**overrides), update)
            except (ManifestError, ReadError) as exc:
                fail(f"{exc}; nothing was written")
            raise typer.Exit(_render(reports, as_json))
        for manifest in manifests:
            bar, update = _progress(not as_json)
            try:
                with bar:
                    reports.append(
                        run_ingest(store, manifest, default_options(**overrides), update)
                    )
            except (ManifestError, ReadError) as exc:
                fail(f"{exc}; nothing was written from this input")
    raise typer.Exit(_render(reports, as_json))


def ingest_cordis(
    data_dir: Annotated[
        Path | None,
        typer.Argument(
            help="Folder with cordis-h2020/ and nuts-2021/ (default: "
            "SCALEUP_OPEN_DATA or ../shared/data)."
        ),
    ] = None,
    bulk: Annotated[bool, BulkOption] = False,
    as_json: JsonOption = False,
) -> None:
    """Ingest the EU CORDIS Horizon 2020 network and NUTS 2021 regions (open data, CC BY 4.0).

    Examples: scaleup ingest-cordis ../shared/data; scaleup ingest-cordis ../shared/data --bulk
    """
    data_dir = data_dir or open_data_dir()
    if data_dir is None or not (data_dir / "cordis-h2020").is_dir():
        fail(f"{data_dir} has no cordis-h2020 folder; pass the open-data folder as argument")
    with opened_store() as store:
        bar, update = _progress(not as_json)
        with bar:
            report = load_cordis(
                store, data_dir, options=default_options(), progress=update, bulk=bulk
            )
    raise typer.Exit(_render([report], as_json))


def stats(as_json: JsonOption = False) -> None:
    """Count nodes per label and relationships per type.

    Example: scaleup stats --json
    """
    with opened_store() as store:
        counts = store.counts()
    if as_json:
        print_json(counts)
        return
    for kind, title in (("nodes", "label"), ("relationships", "relationship type")):
        table = Table(title, "count", title=kind.capitalize())
        for name, n in sorted(counts[kind].items(), key=lambda kv: -kv[1]):
            if n:
                table.add_row(name, f"{n:,}")
        table.add_row("[bold]total[/]", f"[bold]{sum(counts[kind].values()):,}[/]")
        console.print(table)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("ingest-cordis")(ingest_cordis)
    app.command("stats")(stats)
