"""Shared pieces of the CLI: the Typer app, the console, error handling, opening the store.

Error handling happens once, here: every :class:`~scaleup_graph.errors.ScaleUpError` a command
lets through becomes one line on stderr (message, then hint) and exit code 2; anything else
is a defect, reported without a traceback (``-v`` logs it). Exit codes: 0 done, 1 done but
rows were rejected (ingest), 2 refused (bad input, unknown id, database unavailable, ...),
130 interrupted.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from scaleup_graph import __version__
from scaleup_graph.errors import ScaleUpError
from scaleup_graph.store import GraphStore, open_store

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
    "report",
]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

console = Console()
err_console = Console(stderr=True)


def report(exc: ScaleUpError) -> None:
    """Print a library error as one clear sentence (and its hint) on stderr."""
    hint = f" ({exc.hint})" if exc.hint else ""
    err_console.print(f"[bold red]Error:[/] {exc.message}{hint}", highlight=False, soft_wrap=True)


class _Commands(TyperGroup):
    """The root command group: the one place a library error becomes an exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context
        try:
            return super().invoke(ctx)
        except ScaleUpError as exc:
            report(exc)
            raise typer.Exit(EXIT_USAGE) from None


app = typer.Typer(
    name="scaleup",
    cls=_Commands,
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
    """Open the configured store and close it after the command."""
    store = open_store(url)
    try:
        yield store
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
    except ScaleUpError as exc:  # raised outside a command (while loading the topics)
        report(exc)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        logging.getLogger("scaleup_graph.cli").debug("unexpected error", exc_info=True)
        err_console.print(
            f"[bold red]Error:[/] an unexpected {type(exc).__name__} stopped the command; "
            "nothing more was written. Run it again with -v for details and report it.",
            highlight=False,
        )
        sys.exit(EXIT_USAGE)
