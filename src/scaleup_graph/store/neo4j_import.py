"""Files for a first bulk load into an empty Neo4j with ``neo4j-admin database import full``.

Loading millions of rows through Cypher takes hours; the offline importer takes minutes. This
reads any store through the port (page by page, so the graph never has to fit in memory) and
writes, per label and per relationship type, a header file and a data file in the importer's CSV
dialect, plus ``import.sh`` holding the exact command.

Each label is its own ID space (``id:ID(Organisation)``), so two labels could even share an id;
relationship files are split by (type, start label, end label) to name both ID spaces.
"""

from __future__ import annotations

import csv
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaleup_graph.graph_model import KEY, NODE_TYPES, REL_TYPES, PropType
from scaleup_graph.store import cypher
from scaleup_graph.store.base import GraphStore, StoreError

__all__ = ["ARRAY_DELIMITER", "ImportFiles", "ImportFilesError", "write_import_files"]

ARRAY_DELIMITER = ";"
PAGE_SIZE = 5_000

_SCHEMA_TYPES = {
    PropType.INT: "long",
    PropType.FLOAT: "double",
    PropType.BOOL: "boolean",
    PropType.STR_LIST: "string[]",
}


class ImportFilesError(StoreError):
    """The graph cannot be written as import files (the message says what to change)."""


@dataclass
class ImportFiles:
    """What :func:`write_import_files` wrote."""

    out_dir: Path
    database: str
    nodes: dict[str, int] = field(default_factory=dict)  #: file stem -> rows
    relationships: dict[str, int] = field(default_factory=dict)
    personal_data: bool = False

    @property
    def script(self) -> Path:
        return self.out_dir / "import.sh"

    def arguments(self, import_dir: str) -> list[str]:
        """The importer's arguments with the files under ``import_dir``."""
        args = [
            "neo4j-admin", "database", "import", "full", self.database,
            "--overwrite-destination=true", "--id-type=string",
            f"--array-delimiter={ARRAY_DELIMITER}", "--multiline-fields=true",
        ]  # fmt: skip
        for flag, stems in (("--nodes", self.nodes), ("--relationships", self.relationships)):
            args += [f"{flag}={import_dir}/{s}.header.csv,{import_dir}/{s}.csv" for s in stems]
        return args

    @property
    def command(self) -> str:
        """The exact command, with this directory's absolute paths."""
        return shlex.join(self.arguments(str(self.out_dir.resolve())))


def _column_type(values_seen: set[str]) -> str:
    if not values_seen:
        return "string"
    if values_seen <= {"long"}:
        return "long"
    if values_seen <= {"long", "double"}:
        return "double"
    if len(values_seen) == 1:
        return next(iter(values_seen))
    return "string"


def _value_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list | tuple):
        inner = {_value_type(v) for v in value}
        return (_column_type(inner) if inner else "string") + "[]"
    return "string"


def _cell(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        parts = [_cell(v, where) for v in value]
        if any(ARRAY_DELIMITER in p for p in parts):
            raise ImportFilesError(
                f"{where} holds a list item containing {ARRAY_DELIMITER!r}, which the importer "
                "reads as a separator; change that item and export again"
            )
        return ARRAY_DELIMITER.join(parts)
    return str(value)


class _Table:
    """One header file and one data file, with columns typed from the schema or the values."""

    def __init__(self, directory: Path, stem: str, fixed: list[str], types: dict[str, str]) -> None:
        self.path = directory / f"{stem}.csv"
        self.stem, self.fixed, self.types = stem, fixed, types
        self.seen: dict[str, set[str]] = {}
        self.columns: list[str] = []
        self.rows = 0
        self._short = False
        self._handle = self.path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._handle)

    def add(self, fixed: list[str], props: dict[str, Any], where: str) -> None:
        for key, value in props.items():
            if key not in self.columns:
                # A column first seen now: earlier rows are shorter and get padded at close.
                self.columns.append(key)
                self._short = self._short or self.rows > 0
            if value is not None and key not in self.types:
                self.seen.setdefault(key, set()).add(_value_type(value))
        self._writer.writerow(fixed + [_cell(props.get(c), f"{where}.{c}") for c in self.columns])
        self.rows += 1

    def close(self) -> None:
        self._handle.close()
        width = len(self.fixed) + len(self.columns)
        if self._short:
            padded = self.path.with_suffix(".tmp")
            with (
                self.path.open(newline="", encoding="utf-8") as src,
                padded.open("w", newline="", encoding="utf-8") as dst,
            ):
                writer = csv.writer(dst)
                for row in csv.reader(src):
                    writer.writerow(row + [""] * (width - len(row)))
            padded.replace(self.path)
        header = self.fixed + [self._typed(c) for c in self.columns]
        with self.path.with_name(f"{self.stem}.header.csv").open(
            "w", newline="", encoding="utf-8"
        ) as handle:
            csv.writer(handle).writerow(header)

    def _typed(self, column: str) -> str:
        kind = self.types.get(column) or _column_type(self.seen.get(column, set()))
        return column if kind == "string" else f"{column}:{kind}"


def _pages(store: GraphStore, query: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    after = ""
    while True:
        rows = store.read(query, {**params, "after": after, "limit": PAGE_SIZE})
        yield from rows
        if len(rows) < PAGE_SIZE:
            return
        after = rows[-1]["_page"]


def _not_draft(var: str, label: str, drafts: bool) -> str:
    """`` AND <var is not in draft>`` for a label with the schema's draft flag, unless the
    export includes drafts; values come from the schema."""
    flag = NODE_TYPES[label].draft
    if drafts or flag is None:
        return ""
    return f" AND NOT coalesce({var}.{flag[0]} = '{flag[1]}', false)"


def _nodes(
    store: GraphStore, table: _Table, label: str, drop: frozenset[str], drafts: bool
) -> None:
    query = (
        f"MATCH (n:{cypher.label(label)}) WHERE n.{KEY} > $after "
        f"RETURN n.{KEY} AS _page, labels(n) AS labels, properties(n) AS props "
        f"ORDER BY n.{KEY} LIMIT $limit"
    )
    flag = NODE_TYPES[label].draft
    for row in _pages(store, query, {}):
        if not drafts and flag is not None and row["props"].get(flag[0]) == flag[1]:
            continue
        props = {k: v for k, v in row["props"].items() if k not in drop}
        node_id = str(props.pop(KEY))
        labels = [label, *sorted(set(row["labels"]) - {label})]
        table.add([node_id, ARRAY_DELIMITER.join(labels)], props, f"{label} {node_id}")


def _relationships(
    store: GraphStore, table: _Table, type_: str, start: str, end: str, drafts: bool
) -> None:
    query = (
        f"MATCH (a:{cypher.label(start)}) WHERE a.{KEY} > $after "
        f"WITH a ORDER BY a.{KEY} LIMIT $limit "
        f"OPTIONAL MATCH (a)-[e:{cypher.rel(type_)}]->(b:{cypher.label(end)}) "
        f"WHERE true{_not_draft('a', start, drafts)}{_not_draft('b', end, drafts)} "
        f"RETURN a.{KEY} AS _page, b.{KEY} AS end, properties(e) AS props"
    )
    # Paged over start nodes: a page holds every relationship of up to PAGE_SIZE start nodes.
    after = ""
    while True:
        rows = store.read(query, {"after": after, "limit": PAGE_SIZE})
        starts = {row["_page"] for row in rows}
        for row in rows:
            if row["end"] is not None:
                table.add(
                    [row["_page"], row["end"], type_],
                    dict(row["props"] or {}),
                    f"{type_} {row['_page']}->{row['end']}",
                )
        if len(starts) < PAGE_SIZE:
            return
        after = max(starts)


def _suppressed(store: GraphStore, table: _Table) -> None:
    for value in store.all_suppressed():
        table.add([value, cypher.SUPPRESSED_LABEL], {}, "suppression list")


def write_import_files(
    store: GraphStore,
    out_dir: str | Path,
    *,
    personal_data: bool = False,
    drafts: bool = False,
    suppression_list: bool = False,
    database: str = "neo4j",
) -> ImportFiles:
    """Write ``store``'s graph as ``neo4j-admin database import full`` files into ``out_dir``.

    Parameters
    ----------
    store
        Any store; it is only read.
    out_dir
        A new or empty directory. Files are written to a scratch directory beside it and moved
        in at the end, so a failure leaves no partial export.
    personal_data
        Include Person name, e-mail and phone, and the relationships between persons (KNOWS),
        only for roles allowed to see them.
    drafts
        Include nodes in draft (challenges), only for roles allowed to see them (editor, admin).
    suppression_list
        Include the suppression list of erased persons (admin only: the GDPR capability).
    database
        The Neo4j database to import into (Community: ``neo4j``).

    Returns
    -------
    ImportFiles
        Row counts per file and the exact importer command (also in ``import.sh``).
    """
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ImportFilesError(
            f"{out} already exists and is not an empty directory; choose a new directory"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    result = ImportFiles(out_dir=out, database=database, personal_data=personal_data)
    try:
        for label, node_type in NODE_TYPES.items():
            drop = frozenset() if personal_data else node_type.pii_fields
            types = {p.name: _SCHEMA_TYPES.get(p.type, "string") for p in node_type.all_properties}
            table = _Table(scratch, f"nodes_{label}", [f"{KEY}:ID({label})", ":LABEL"], types)
            _nodes(store, table, label, drop, drafts)
            table.close()
            result.nodes[table.stem] = table.rows
        table = _Table(
            scratch, "nodes_suppressed", [f"hash:ID({cypher.SUPPRESSED_LABEL})", ":LABEL"], {}
        )
        if suppression_list:
            _suppressed(store, table)
        table.close()
        result.nodes[table.stem] = table.rows
        for type_, rel_type in REL_TYPES.items():
            if rel_type.personal and not personal_data:
                continue
            types = {p.name: _SCHEMA_TYPES.get(p.type, "string") for p in rel_type.all_properties}
            for start in rel_type.sources:
                for end in rel_type.targets:
                    table = _Table(
                        scratch,
                        f"rels_{type_}_{start}_{end}",
                        [f":START_ID({start})", f":END_ID({end})", ":TYPE"],
                        types,
                    )
                    _relationships(store, table, type_, start, end, drafts)
                    table.close()
                    result.relationships[table.stem] = table.rows
        for stems in (result.nodes, result.relationships):
            for stem in [s for s, rows in stems.items() if rows == 0]:
                del stems[stem]
                (scratch / f"{stem}.csv").unlink()
                (scratch / f"{stem}.header.csv").unlink()
        _write_script(scratch / "import.sh", result)
        if out.exists():
            out.rmdir()
        scratch.rename(out)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return result


def _write_script(path: Path, files: ImportFiles) -> None:
    args = " \\\n  ".join(files.arguments('"$IMPORT_DIR"'))
    path.write_text(
        "#!/bin/sh\n"
        "# First bulk load of a ScaleUp graph into an EMPTY Neo4j 5 database (it is replaced).\n"
        "# Stop Neo4j first and run this where neo4j-admin is, e.g. with docker compose:\n"
        "#   docker compose stop neo4j\n"
        '#   docker compose run --rm --no-deps -v "$PWD:/import:ro" -e IMPORT_DIR=/import \\\n'
        "#     --entrypoint sh neo4j /import/import.sh\n"
        "#   docker compose up -d --wait\n"
        "# Any scaleup command then creates the constraints and indexes at start-up.\n"
        "set -eu\n"
        'IMPORT_DIR="${IMPORT_DIR:-$(cd "$(dirname "$0")" && pwd)}"\n'
        f"{args}\n",
        encoding="utf-8",
    )
    path.chmod(0o755)
