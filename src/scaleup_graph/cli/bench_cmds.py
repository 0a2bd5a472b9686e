"""``scaleup bench``: run the benchmark suite of a source checkout (``python -m bench``).

The suite lives in the repository's ``bench/`` folder, not in the installed package (it pulls
peers from PyPI and writes result files), so the command looks for that folder from the current
directory upwards and says so when there is none.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from scaleup_graph.cli.common import fail

__all__ = ["register"]


def _checkout() -> Path | None:
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "bench" / "__main__.py").is_file() and (folder / "pyproject.toml").is_file():
            return folder
    return None


def bench(
    sizes: Annotated[str, typer.Option(help="S, M, L (opt-in), CORDIS; comma-separated.")] = (
        "S,M,CORDIS"
    ),
    cases: Annotated[
        str, typer.Option(help="ingest, peers, metrics, api, explorer; comma-separated.")
    ] = "ingest,peers,metrics,api,explorer",
    repeat: Annotated[int, typer.Option(help="Runs per figure (the median is shown).")] = 5,
    install: Annotated[
        bool, typer.Option(help="Install the peers first (pip install -e '.[bench]').")
    ] = True,
) -> None:
    """Run the benchmark suite: our figures beside peers measured in the same run.

    Example: scaleup bench --sizes S --cases ingest,metrics --repeat 5
    """
    root = _checkout()
    if root is None:
        fail("no bench/ folder here or above: run this in a source checkout of ScaleUp Graph")
    if install:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "-e", ".[bench]"], cwd=root, check=True
        )
    args = ["--sizes", sizes, "--cases", cases, "--repeat", str(repeat)]
    code = subprocess.run([sys.executable, "-m", "bench", *args], cwd=root).returncode
    if code == 0:
        code = subprocess.run([sys.executable, "-m", "bench.report"], cwd=root).returncode
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add ``scaleup bench`` to the CLI."""
    app.command("bench")(bench)
