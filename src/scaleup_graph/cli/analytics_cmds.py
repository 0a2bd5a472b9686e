"""``scaleup metrics | match | introductions | snapshot | report`` and the graph exports.

Thin commands over :mod:`scaleup_graph.analytics`; every analytics error becomes one clear
sentence and exit code 2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scaleup_graph.analytics import (
    DEFAULT_METRICS,
    METRICS,
    MetricOptions,
    ProjectionFilter,
    project,
    run_metrics,
)
from scaleup_graph.analytics.arrays import import_networkit
from scaleup_graph.analytics.exports import export_graph
from scaleup_graph.analytics.link_prediction import METHODS, suggest_introductions
from scaleup_graph.analytics.matchmaking import match_challenge
from scaleup_graph.analytics.metrics import SEED_MAX
from scaleup_graph.analytics.snapshots import create_snapshot, diff, list_snapshots
from scaleup_graph.cli.common import (
    JsonOption,
    console,
    opened_store,
    print_json,
    while_store_starts,
)
from scaleup_graph.settings import get_settings

__all__ = ["register", "register_export"]

Labels = Annotated[
    list[str] | None,
    typer.Option("--label", "-l", help="Keep only this node label (repeatable)."),
]
RelTypes = Annotated[
    list[str] | None,
    typer.Option("--rel-type", "-r", help="Keep only this relationship type (repeatable)."),
]
Region = Annotated[str | None, typer.Option(help="Region id or NUTS code prefix, e.g. DE73.")]
Projects = Annotated[
    list[str] | None, typer.Option("--project", help="Keep this project's network (repeatable).")
]
Since = Annotated[str | None, typer.Option(help="Start of the time window, YYYY-MM-DD.")]
Until = Annotated[str | None, typer.Option(help="End of the time window, YYYY-MM-DD.")]
Seed = Annotated[
    int,
    typer.Option(help="Seed of randomised algorithms (reproducible runs).", min=0, max=SEED_MAX),
]
Top = Annotated[int, typer.Option(help="How many rows to show.", min=1, max=1000)]


def _filter(
    labels: list[str] | None,
    rel_types: list[str] | None,
    region: str | None,
    projects: list[str] | None,
    since: str | None,
    until: str | None,
) -> ProjectionFilter:
    return ProjectionFilter(
        labels=tuple(labels or ()),
        rel_types=tuple(rel_types or ()),
        region=region,
        projects=tuple(projects or ()),
        since=since,
        until=until,
    )


def metrics(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help=f"Metrics to run (default: {' '.join(DEFAULT_METRICS)}). "
            f"Known: {', '.join(sorted(METRICS))}."
        ),
    ] = None,
    label: Labels = None,
    rel_type: RelTypes = None,
    region: Region = None,
    project_: Projects = None,
    since: Since = None,
    until: Until = None,
    seed: Seed = 42,
    group: Annotated[
        str, typer.Option(help="Group attribute for brokerage: region, country, sector, kinds.")
    ] = "region",
    sample: Annotated[
        int | None,
        typer.Option(
            help="Sample size for betweenness (default: exact up to 5000 nodes, 256 samples above)."
        ),
    ] = None,
    actors: Annotated[
        bool,
        typer.Option(
            "--actors",
            help="Run on the organisation network: organisations tied directly or by a shared "
            "project, event or challenge (use for brokerage on CORDIS-like data).",
        ),
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Store results as metric_* node properties.")
    ] = False,
    top: Top = 10,
    json_: JsonOption = False,
) -> None:
    """Compute graph metrics on the whole graph or a filtered part.

    Example: scaleup metrics pagerank community brokerage --label Organisation --write
    """
    flt = _filter(label, rel_type, region, project_, since, until)
    settings = get_settings()
    if {"community", "betweenness"} & set(names or DEFAULT_METRICS):
        # networkit runs both on a large graph; its import takes most of a second, which
        # costs nothing while the database started for this command still loads its files
        while_store_starts(import_networkit)
    with opened_store() as store:
        run = run_metrics(
            store,
            names or DEFAULT_METRICS,
            flt=flt,
            options=MetricOptions(seed=seed, group=group, sample=sample, actors=actors),
            write=write,
            state_dir=settings.state_dir,
        )
    if json_:
        print_json(run.as_dict(top=top))
        return
    p = run.projection
    console.print(f"Projected {p['nodes']} nodes and {p['edges']} links in {p['seconds']} s.")
    for result in run.results:
        table = Table(
            title=f"{result.name} ({result.run.algorithm}, {result.run.backend}, "
            f"{result.run.seconds} s)"
        )
        table.add_column("node")
        table.add_column("id")
        table.add_column("value", justify="right")
        for row in run.ranked(result, top):
            table.add_row(row["name"] or "", row["id"], f"{row['value']:.6g}")
        console.print(table)
        shown = {k: v for k, v in result.extra.items() if k not in ("bridges",)}
        if shown:
            console.print(shown)
    if write:
        console.print(f"Wrote {sum(run.written.values())} values as metric_* properties.")


def match(
    challenge_id: Annotated[str, typer.Argument(help="Id of a Challenge node.")],
    top: Top = 10,
    json_: JsonOption = False,
) -> None:
    """Rank potential solution providers for a challenge, with explanations.

    Example: scaleup match challenge-digitale-logistik
    """
    with opened_store() as store:
        result = match_challenge(store, challenge_id, top=top)
    if json_:
        print_json(result.as_dict())
        return
    ch = result.challenge
    console.print(f"[bold]{ch['name']}[/] ({ch['id']}), topics: {', '.join(ch['topics']) or '-'}")
    for note in result.notes:
        console.print(f"[yellow]Note:[/] {note}")
    for i, m in enumerate(result.matches, 1):
        console.print(f"{i:>2}. [bold]{m.name or m.id}[/] score {m.score:.3f}: {m.explanation}")


def introductions(
    method: Annotated[str, typer.Option(help=f"One of: {', '.join(METHODS)}.")] = "adamic_adar",
    org: Annotated[
        str | None, typer.Option(help="Only suggestions for this organisation id.")
    ] = None,
    label: Labels = None,
    rel_type: RelTypes = None,
    region: Region = None,
    project_: Projects = None,
    since: Since = None,
    until: Until = None,
    top: Top = 20,
    json_: JsonOption = False,
) -> None:
    """Suggest introductions between organisations that do not yet cooperate.

    Example: scaleup introductions --method resource_allocation --top 10
    """
    flt = _filter(label, rel_type, region, project_, since, until)
    with opened_store() as store:
        graph = project(store, flt).undirected()
        result = suggest_introductions(graph, method=method, top=top, node=org)
    if json_:
        print_json(result.as_dict())
        return
    for note in result.notes:
        console.print(f"[yellow]Note:[/] {note}")
    for s in result.suggestions:
        via = ", ".join(c["name"] or c["id"] for c in s.common[:5]) or "-"
        topics = ", ".join(s.shared_topics[:5]) or "-"
        console.print(
            f"{s.source_name or s.source} <-> {s.target_name or s.target}: "
            f"{s.score:.3f} (common: {via}; shared topics: {topics})"
        )


snapshot_app = typer.Typer(
    help="Freeze the network's metrics and compare phases.", no_args_is_help=True
)


@snapshot_app.command("create")
def snapshot_create(
    name: Annotated[str, typer.Argument(help="Snapshot name, e.g. phase-1.")],
    label: Labels = None,
    rel_type: RelTypes = None,
    region: Region = None,
    project_: Projects = None,
    since: Since = None,
    until: Until = None,
    seed: Seed = 42,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing snapshot.")] = False,
    json_: JsonOption = False,
) -> None:
    """Freeze links, degree, PageRank, betweenness and communities of now.

    Example: scaleup snapshot create phase-1 --until 2022-06-30
    """
    # Every analyst reads snapshot diffs over the API: a snapshot holds what an analyst without
    # further capabilities sees (no challenge in draft, no KNOWS between persons).
    flt = replace(_filter(label, rel_type, region, project_, since, until), role="analyst")
    state = get_settings().state_dir
    with opened_store() as store:
        summary = create_snapshot(state, name, project(store, flt), seed=seed, overwrite=force)
    if json_:
        print_json(summary)
        return
    console.print(
        f"Snapshot {name!r}: {summary['nodes']} nodes, {summary['links']} links, "
        f"{summary['communities']} communities -> {summary['path']}"
    )


@snapshot_app.command("diff")
def snapshot_diff(
    a: Annotated[str, typer.Argument(help="The earlier snapshot.")],
    b: Annotated[str, typer.Argument(help="The later snapshot.")],
    top: Top = 10,
    json_: JsonOption = False,
) -> None:
    """Show what changed between two snapshots.

    Example: scaleup snapshot diff phase-1 phase-2
    """
    result = diff(get_settings().state_dir, a, b, top=top)
    if json_:
        print_json(result)
        return
    console.print(
        f"{a} -> {b}: nodes {result['from']['nodes']} -> {result['to']['nodes']}, "
        f"links {result['from']['links']} -> {result['to']['links']} "
        f"(+{result['new_links_count']} / -{result['removed_links_count']})"
    )
    for metric, change in result["centrality"].items():
        gained = ", ".join(
            f"{g['name'] or g['id']} (+{g['change']:.3g})" for g in change["gained"][:5]
        )
        lost = ", ".join(f"{g['name'] or g['id']} ({g['change']:.3g})" for g in change["lost"][:5])
        console.print(f"{metric}: gained {gained or '-'}; lost {lost or '-'}")
    com = result["communities"]
    console.print(
        f"communities {com['before']} -> {com['after']}: {len(com['merged'])} merged, "
        f"{len(com['split'])} split"
    )


@snapshot_app.command("list")
def snapshot_list(json_: JsonOption = False) -> None:
    """List the snapshots.

    Example: scaleup snapshot list
    """
    found = list_snapshots(get_settings().state_dir)
    if json_:
        print_json(found)
        return
    for s in found:
        console.print(s["name"])
    if not found:
        console.print("No snapshots yet: scaleup snapshot create NAME")


def report(
    out: Annotated[
        Path, typer.Argument(help="The file to write: .html (one offline page) or .pdf.")
    ],
    lang: Annotated[str, typer.Option(help="Language: de (default) or en.")] = "de",
    since_snapshot: Annotated[
        str | None,
        typer.Option(help="Add what changed since this snapshot (scaleup snapshot create NAME)."),
    ] = None,
    persons: Annotated[
        bool,
        typer.Option(
            "--persons",
            help="Add the best-connected contact persons (only with a --role that may see them).",
        ),
    ] = False,
    role: Annotated[
        str, typer.Option(help="Whose report: viewer (no personal data), contacts, analyst ...")
    ] = "viewer",
    home: Annotated[
        str, typer.Option(help="NUTS code of the home region whose districts get rows.")
    ] = "DE73",
    label: Labels = None,
    rel_type: RelTypes = None,
    region: Region = None,
    project_: Projects = None,
    since: Since = None,
    until: Until = None,
    seed: Seed = 42,
    top: Top = 10,
    group: Annotated[str, typer.Option(help="Group attribute for the brokerage roles.")] = "region",
    json_: JsonOption = False,
) -> None:
    """Write the analyst report (German by default) and the exact values as CSV beside it.

    Example: scaleup report analyse.pdf --since-snapshot phase-1
    """
    from scaleup_graph.analytics.report import ReportOptions, write_report

    flt = _filter(label, rel_type, region, project_, since, until)
    options = ReportOptions(
        lang=lang,
        seed=seed,
        top=top,
        group=group,
        home=home,
        since_snapshot=since_snapshot,
        state_dir=get_settings().state_dir,
        persons=persons,
        role=role,
    )
    with opened_store() as store:
        summary = write_report(store, out, flt=flt, options=options)
    if json_:
        print_json(summary)
        return
    console.print(
        f"Wrote {out} ({summary['bytes']:,} bytes, {len(summary['sections'])} sections, "
        f"{summary['organisations']} organisations) and the exact values in {summary['csv']}."
    )


def _export(fmt: str) -> Callable[..., None]:
    def command(
        out: Annotated[Path, typer.Argument(help="The file to write.")],
        role: Annotated[
            str,
            typer.Option(
                help="Whose view: viewer (no personal data), contacts, analyst, editor, admin."
            ),
        ] = "viewer",
        label: Labels = None,
        rel_type: RelTypes = None,
        region: Region = None,
        project_: Projects = None,
        since: Since = None,
        until: Until = None,
        excel_de: Annotated[
            bool, typer.Option("--excel-de", help="CSV for German Excel: ';', BOM, decimal ','.")
        ] = False,
        semicolon: Annotated[bool, typer.Option(help="CSV: ';' between fields.")] = False,
        bom: Annotated[bool, typer.Option(help="CSV: start with a UTF-8 BOM.")] = False,
        json_: JsonOption = False,
    ) -> None:
        flt = _filter(label, rel_type, region, project_, since, until)
        flt = replace(flt, include_persons=True)  # exports show persons, filtered by role
        with opened_store() as store:
            summary = export_graph(
                store,
                fmt,
                out,
                role=role,
                flt=flt,
                semicolon=semicolon or excel_de,
                bom=bom or excel_de,
                decimal_comma=excel_de,
            )
            from scaleup_graph.api.audit import audit_cli_export

            audit_cli_export(get_settings(), store, role, f"export:{fmt}")
        if json_:
            print_json(summary)
            return
        personal = "with" if summary["personal_data"] else "without"
        console.print(
            f"Wrote {', '.join(summary['files'])}: {summary['nodes']} nodes, "
            f"{summary['relationships']} relationships, {personal} personal data."
        )

    command.__doc__ = (
        f"Write the graph as {fmt.upper()} (personal fields only for roles allowed to see "
        f"them).\n\nExample: scaleup export {fmt} network.{fmt} --role viewer"
    )
    return command


def register(app: typer.Typer) -> None:
    app.command("metrics")(metrics)
    app.command("match")(match)
    app.command("introductions")(introductions)
    app.add_typer(snapshot_app, name="snapshot")
    app.command("report")(report)


def register_export(export: typer.Typer) -> None:
    """Add graphml, gexf, json and csv to ``scaleup export``."""
    for fmt in ("graphml", "gexf", "json", "csv"):
        export.command(fmt)(_export(fmt))
