"""Shared pieces of the CLI: the Typer app, the console, error handling, opening the store.

Error handling happens once, here: every :class:`~scaleup_graph.errors.ScaleUpError` a command
lets through becomes one line on stderr (message, then hint) and the exit code of its kind
(:data:`EXIT_CODES`); anything else is a defect, reported without a traceback (``-v`` logs it).

====  =====================================================================================
code  meaning
====  =====================================================================================
0     done
1     done, but rows were rejected (ingest: see the report)
2     usage: a bad argument or option; or refused as a whole (a Cypher mistake, a write in a
      read-only query); or an unexpected defect
3     NotFound: an id, name, file or key names nothing
4     Invalid: a value, file or manifest is malformed
5     Conflict: the graph's state forbids it (a closed challenge, a stale version)
6     Forbidden: the role may not do this
7     Unavailable: the database cannot be reached; retry later
8     RateLimited: too many requests; retry after the time the message names
9     Timeout: a query ran past its time limit and was stopped; narrow it
130   interrupted (Ctrl-C)
====  =====================================================================================

>>> from scaleup_graph.errors import Invalid, NotFound
>>> from scaleup_graph.store import QueryTimeout, StoreUnavailable
>>> [exit_code(e("x")) for e in (NotFound, Invalid, StoreUnavailable, QueryTimeout, ScaleUpError)]
[3, 4, 7, 9, 2]
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from scaleup_graph import errors
from scaleup_graph.cli.commands import COMMANDS
from scaleup_graph.cli.lazy import LazyGroup
from scaleup_graph.errors import ScaleUpError

if TYPE_CHECKING:
    from scaleup_graph.store import GraphStore

__all__ = [
    "EXIT_CODES",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "JsonOption",
    "app",
    "console",
    "err_console",
    "exit_code",
    "fail",
    "main",
    "opened_store",
    "print_json",
    "refuse",
    "report",
    "while_store_starts",
]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
#: kind -> exit code; the most specific kind in an exception's MRO wins (StoreUnavailable is 7,
#: a plain StoreError, the root, is 2). README's "Exit codes" lists them.
EXIT_CODES: dict[type[ScaleUpError], int] = {
    errors.NotFound: 3,
    errors.Invalid: 4,
    errors.Conflict: 5,
    errors.Forbidden: 6,
    errors.RateLimited: 8,
    errors.Unavailable: 7,
    errors.Timeout: 9,
    ScaleUpError: EXIT_USAGE,
}

console = Console()
err_console = Console(stderr=True)


def exit_code(exc: ScaleUpError) -> int:
    """The exit code of an error's kind (:data:`EXIT_CODES`)."""
    for kind in type(exc).__mro__:
        if kind in EXIT_CODES:
            return EXIT_CODES[kind]
    return EXIT_USAGE


def report(exc: ScaleUpError) -> None:
    """Print a library error as one clear sentence (and its hint) on stderr."""
    hint = f" ({exc.hint})" if exc.hint else ""
    err_console.print(f"[bold red]Error:[/] {exc.message}{hint}", highlight=False, soft_wrap=True)


class _Commands(LazyGroup):
    """The root command group: the one place a library error becomes an exit code. Its
    commands' modules load when they run (:mod:`scaleup_graph.cli.lazy`)."""

    lazy = COMMANDS

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context
        try:
            return super().invoke(ctx)
        except ScaleUpError as exc:
            refuse(exc)
        finally:
            _stop_unused_store()

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        entry = self.lazy.get(args[0]) if args else None
        if entry is not None and entry.opens_store and "--help" not in args[1:]:
            _start_store_early()
        return super().resolve_command(ctx, args)


def _start_store_early() -> None:
    """Start the configured embedded database's server now, in a thread, so it loads its files
    while the command's modules import (a second on CORDIS). Anything that goes wrong here is
    left to the command, which opens the store the ordinary way and reports it."""
    try:
        from scaleup_graph.settings import get_settings
        from scaleup_graph.store import embedded_path
        from scaleup_graph.store.embedded import start_early

        url = get_settings().database_url
        if url.split("://", 1)[0].lower() == "embedded":
            start_early(embedded_path(url))
    except Exception:
        logging.getLogger("scaleup_graph.cli").debug("no early start", exc_info=True)


def _stop_unused_store() -> None:
    """Stop a server started early for a command that ended before it opened the store (a
    usage error), unless another process uses it."""
    embedded = sys.modules.get("scaleup_graph.store.embedded")
    if embedded is not None:
        embedded.stop_unused()


def while_store_starts(prepare: Callable[[], object]) -> None:
    """Run ``prepare`` (an import the command needs later) only while the embedded database
    started early is still loading: the work then costs no time, as the command would wait."""
    embedded = sys.modules.get("scaleup_graph.store.embedded")
    if embedded is not None and embedded.starting():
        prepare()


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
        from scaleup_graph import __version__

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


def refuse(exc: Exception) -> NoReturn:
    """End the command for a refusal: a library error with its kind's exit code, any other
    (a ``ValueError`` from a parser) as a usage error."""
    if isinstance(exc, ScaleUpError):
        report(exc)
        raise typer.Exit(exit_code(exc))
    fail(str(exc))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def open_store(url: str | None = None) -> GraphStore:
    """The configured store; the store package is imported here, by the commands that use it,
    not by ``scaleup --help``."""
    from scaleup_graph import store

    return store.open_store(url)


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
        sys.exit(exit_code(exc))
    except Exception as exc:
        logging.getLogger("scaleup_graph.cli").debug("unexpected error", exc_info=True)
        err_console.print(
            f"[bold red]Error:[/] an unexpected {type(exc).__name__} stopped the command; "
            "nothing more was written. Run it again with -v for details and report it.",
            highlight=False,
        )
        sys.exit(EXIT_USAGE)
