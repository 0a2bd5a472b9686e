"""Command groups that import a command's module only when that command runs.

Importing every topic module (and with them the store, analytics, visualisation, ingest) took
seconds before even ``scaleup --help`` printed. A :class:`LazyGroup` knows its commands from a
table (:mod:`scaleup_graph.cli.commands`): the module that defines each and its one-line help.
Help lists the table; running a command imports its module, lets the module's ``register``
function add its commands to a scratch Typer app and takes the command from there, so the
modules keep their plain ``register(app)`` form (tests build apps from them directly).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import Any, ClassVar

import typer
from typer._click.exceptions import UsageError  # typer 0.29 vendors click
from typer.core import TyperCommand, TyperGroup

__all__ = ["LazyCommand", "LazyGroup", "load_commands"]


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives and the line ``--help`` shows for it.

    ``summary`` is the first paragraph of the command's help on one line; a test holds it to the
    command's own help. ``register`` names the module's function that adds the command to a
    Typer app (``register_export`` for the sub-commands of ``scaleup export``).
    ``opens_store``: the command always opens the configured store, so the CLI starts an
    embedded database's server before it imports the command's module (the server loads its
    files while the modules import: :func:`scaleup_graph.store.embedded.start_early`).
    """

    module: str
    summary: str
    register: str = "register"
    opens_store: bool = False


@cache
def load_commands(module: str, register: str = "register") -> Mapping[str, Any]:
    """The click commands ``module.register(app)`` adds, by name (imported once per process)."""
    scratch = typer.Typer()
    getattr(importlib.import_module(module), register)(scratch)
    return typer.main.get_group(scratch).commands


class LazyGroup(TyperGroup):
    """A Typer group whose commands come from :attr:`lazy`, imported on first use."""

    #: the commands, in the order ``--help`` lists them
    lazy: ClassVar[Mapping[str, LazyCommand]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.lazy, *(name for name in super().list_commands(ctx) if name not in self.lazy)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            entry = self.lazy[cmd_name]
            if self._listing:  # the help only needs the name and the line
                return TyperCommand(name=cmd_name, help=entry.summary)
            self.commands[cmd_name] = load_commands(entry.module, entry.register)[cmd_name]
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:  # typer suggests from loaded commands only
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in exc.message:
                suggestions = ", ".join(repr(m) for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise
