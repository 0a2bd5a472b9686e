"""Every ``scaleup`` command: the module that defines it and the line ``scaleup --help`` shows.

Help is printed from these tables without importing a command's module; running a command
imports only its own (:mod:`scaleup_graph.cli.lazy`). A new command goes into its topic module's
``register`` function and here; ``tests/cli/test_cli_basics.py`` fails when the two disagree
(a command missing here, or a line that is not the first paragraph of the command's help).
"""

from __future__ import annotations

from scaleup_graph.cli.lazy import LazyCommand

__all__ = ["COMMANDS", "EXPORT_COMMANDS"]

_INGEST = "scaleup_graph.cli.ingest_cmds"
_SCHEMA = "scaleup_graph.cli.schema_cmds"
_API = "scaleup_graph.cli.api_cmds"
_ANALYTICS = "scaleup_graph.cli.analytics_cmds"
_WORKFLOW = "scaleup_graph.cli.workflow_cmds"
_NEO4J = "scaleup_graph.cli.neo4j_cmds"

#: ``scaleup COMMAND``, in the order ``scaleup --help`` lists them (command groups last)
COMMANDS: dict[str, LazyCommand] = {
    "ingest": LazyCommand(
        _INGEST,
        "Ingest files into the graph. Exit code 1 when rows were rejected or cells left out.",
    ),
    "ingest-cordis": LazyCommand(
        _INGEST,
        "Ingest the EU CORDIS Horizon 2020 network and NUTS 2021 regions (open data, CC BY 4.0).",
    ),
    "stats": LazyCommand(
        _INGEST, "Count nodes per label and relationships per type.", opens_store=True
    ),
    "schema": LazyCommand(
        _SCHEMA,
        "Print the schema: labels, properties (type, required, limits, choices, personal) and "
        "relationship types, in English and German.",
    ),
    "template": LazyCommand(
        _SCHEMA,
        "Write an Excel workbook to fill in: one sheet per label and relationship type, German "
        "headers, dropdowns, notes on required and personal fields, and a sheet that explains "
        "it. The filled workbook ingests without a manifest.",
    ),
    "generate": LazyCommand(
        "scaleup_graph.cli.generate_cmds",
        "Write a synthetic population (every node synthetic: true) and the manifest to ingest it.",
    ),
    "demo": LazyCommand(
        "scaleup_graph.cli.demo_cmds",
        "Load the seed network if the store is empty, then start the API and explorer.",
    ),
    "serve": LazyCommand(_API, "Serve the HTTP API (docs at /docs) and the explorer (/)."),
    "query": LazyCommand(_API, "Run a named query from the catalogue."),
    "audit": LazyCommand(
        _API,
        "Show the audit log (reads of personal data and writes; ids only, no personal values).",
    ),
    "erase-person": LazyCommand(
        _API, "Erase a person (GDPR Art. 17) and keep them out of future imports."
    ),
    "metrics": LazyCommand(
        _ANALYTICS,
        "Compute graph metrics on the whole graph or a filtered part.",
        opens_store=True,
    ),
    "match": LazyCommand(
        _ANALYTICS,
        "Rank potential solution providers for a challenge, with explanations.",
        opens_store=True,
    ),
    "introductions": LazyCommand(
        _ANALYTICS,
        "Suggest introductions between organisations that do not yet cooperate.",
        opens_store=True,
    ),
    "report": LazyCommand(
        _ANALYTICS,
        "Write the analyst report (German by default) and the exact values as CSV beside it.",
    ),
    "lineage": LazyCommand(
        _WORKFLOW,
        "Show who presented a best practice, where it was transferred and what it inspired.",
    ),
    "reach": LazyCommand(
        _WORKFLOW,
        "Show who received a content item, in how many hops, and which regions it reached.",
    ),
    "digest": LazyCommand(
        _WORKFLOW,
        "Write an organisation's weekly digest as text or HTML (nothing is sent).",
    ),
    "neo4j-privileges": LazyCommand(
        _NEO4J,
        "Print the Cypher that creates the two roles ad-hoc queries run as on Neo4j Enterprise "
        "or Aura: neither sees the suppression list, the editing history, the migrations "
        "record or a draft; the redacted one also sees no personal property and no KNOWS. Run it "
        "against the system database, then grant each role to its user (docs/neo4j.md).",
    ),
    "bench": LazyCommand(
        "scaleup_graph.cli.bench_cmds",
        "Run the benchmark suite: our figures beside peers measured in the same run.",
    ),
    "keys": LazyCommand(_API, "Create, list and revoke API keys (stored hashed)."),
    "snapshot": LazyCommand(_ANALYTICS, "Freeze the network's metrics and compare phases."),
    "export": LazyCommand(
        "scaleup_graph.cli.export_cmds",
        "Write the graph (filtered by role) to files: graphml, gexf, json, csv, html, "
        "neo4j-import.",
    ),
    "challenge": LazyCommand(
        _WORKFLOW,
        "The Open Innovation Challenge round: draft, move, propose, open, programme.",
    ),
}

#: ``scaleup export FORMAT``: each module's ``register_export`` adds its formats
EXPORT_COMMANDS: dict[str, LazyCommand] = {
    **{
        fmt: LazyCommand(
            _ANALYTICS,
            f"Write the graph as {fmt.upper()} (personal fields only for roles allowed to see "
            "them).",
            register="register_export",
        )
        for fmt in ("graphml", "gexf", "json", "csv")
    },
    "neo4j-import": LazyCommand(
        _NEO4J,
        "Write CSV files and import.sh for `neo4j-admin database import full`.",
        register="register_export",
    ),
    "html": LazyCommand(
        "scaleup_graph.cli.explorer_cmds",
        "Write the explorer with its data into one HTML file that works offline.",
        register="register_export",
    ),
}
