"""Shared pieces of the CLI: the Typer app, the console, error handling, opening the store."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from scaleup_graph import __version__
from scaleup_graph.store import GraphStore, StoreError, open_store

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "JsonOption",
    "app",
    "console",
    "err_console",
    "fail",
    "main",
    "opened_store",
    "print_json",
]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

console = Console()
err_console = Console(stderr=True)

app = typer.Typer(
    name="scaleup",
    help="ScaleUp Graph: the Nordhessen innovation network as a knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _version(value: bool) -> None:
    if value:
        console.print(f"scaleup-graph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one clear sentence (what went wrong, what to do) and exit; never a traceback."""
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@contextmanager
def opened_store(url: str | None = None) -> Iterator[GraphStore]:
    """Open the configured store, turning database problems into a clear exit 2."""
    try:
        store = open_store(url)
    except StoreError as exc:
        fail(f"{exc}")
    try:
        yield store
    except StoreError as exc:
        fail(f"{exc}")
    finally:
        store.close()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``scaleup`` console script."""
    guarded: Callable[..., Any] = app
    try:
        guarded(args=argv, prog_name="scaleup")
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:
        logging.getLogger("scaleup_graph.cli").debug("unexpected error", exc_info=True)
        err_console.print(
            f"[bold red]Error:[/] an unexpected {type(exc).__name__} stopped the command; "
            "nothing more was written. Run it again with -v for details and report it.",
            highlight=False,
        )
        sys.exit(EXIT_USAGE)
