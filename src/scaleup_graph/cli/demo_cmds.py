"""``scaleup demo``: load the Nordhessen seed network into an empty store, then serve it."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from scaleup_graph.cli.common import console, fail, opened_store


def demo(
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Load the seed, do not serve.")
    ] = False,
) -> None:
    """Load the seed network if the store is empty, then start the API and explorer.

    Example: scaleup demo
    """
    from scaleup_graph.ingest import load_seed

    # One store from the seed to the end of the serve: its embedded server, which loaded the
    # folder, also serves the app (every start of it loads the whole folder again).
    with opened_store() as store:
        total = sum(store.counts()["nodes"].values())
        if total == 0:
            report = load_seed(store)
            console.print(
                f"Loaded the Nordhessen seed network: {report.nodes_written} nodes, "
                f"{report.relationships_written} relationships."
            )
        else:
            console.print(f"The store already holds {total} nodes; not loading the seed again.")
        if no_serve:
            return
        try:
            server = importlib.import_module("scaleup_graph.api.server")
        except ModuleNotFoundError:
            console.print(store.counts())
            fail("the API is not installed in this build; nothing to serve", code=0)
        server.serve_demo(store=store)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
