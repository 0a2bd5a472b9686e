"""``scaleup generate``: write a synthetic demo population of any size, with its manifest."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scaleup_graph.cli.common import JsonOption, console, fail, print_json
from scaleup_graph.ingest.generate import NORDHESSEN_ANCHORS, generate

__all__ = ["generate_command", "register"]


def generate_command(
    orgs: Annotated[int, typer.Option("--orgs", min=1, help="Number of organisations (SMEs).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the CSV files and manifest.yaml.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same files.")] = 42,
    link_seed: Annotated[
        bool,
        typer.Option(
            "--link-seed",
            help="Link to the Nordhessen seed network (IHK Kassel-Marburg, the OIC pitch "
            "event) instead of generating chambers and events; ingest the seed first.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a synthetic population (every node synthetic: true) and the manifest to ingest it.

    Example: scaleup generate --orgs 50000 --seed 7 --out /tmp/pop && scaleup ingest
    /tmp/pop/manifest.yaml
    """
    if out.exists() and not out.is_dir():
        fail(f"{out} is a file; give a folder for --out (it is created if missing)")
    started = time.perf_counter()
    try:
        population = generate(orgs, seed, out, anchors=NORDHESSEN_ANCHORS if link_seed else None)
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}; choose a writable folder")
    seconds = round(time.perf_counter() - started, 3)
    if as_json:
        print_json(
            {
                "manifest": str(population.manifest),
                "seed": seed,
                "orgs": orgs,
                "nodes": population.nodes,
                "relationships": population.relationships,
                "node_total": population.node_total,
                "relationship_total": population.relationship_total,
                "seconds": seconds,
            }
        )
        return
    table = Table(title=f"Synthetic population (seed {seed})")
    table.add_column("label / type")
    table.add_column("rows", justify="right")
    for name, count in [*population.nodes.items(), *population.relationships.items()]:
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(
        f"Wrote {population.node_total:,} nodes and {population.relationship_total:,} "
        f"relationships in {seconds:.1f} s. Load them with: scaleup ingest {population.manifest}"
    )


def register(app: typer.Typer) -> None:
    app.command("generate")(generate_command)
