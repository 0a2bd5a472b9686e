"""Run an ingest: read, validate, upsert in batches, report rejects, checkpoint, resume.

Order of work: every file is read once up front (a file that cannot be read stops the run before
anything is written); then all node mappings, then all relationship mappings, so a relationship
can point at a node from any file of the manifest. Each batch is one transaction (one UNWIND
MERGE); its checkpoint is written after it commits.

Before it reads anything, an ordinary run refuses a graph that a killed bulk load left
half-written (it would merge into a part of a load), and a resumed run checks that the graph
still shows what its checkpoint recorded, else it starts again from the first batch.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from scaleup_graph.errors import Conflict
from scaleup_graph.graph_model import (
    NODE_TYPES,
    REL_TYPES,
    RowValidator,
    extra_labels,
    identifier_hashes,
    is_personal,
)
from scaleup_graph.ingest.checkpoint import Checkpoint, input_identity
from scaleup_graph.ingest.dedupe import NearDuplicate, near_duplicates
from scaleup_graph.ingest.manifest import (
    FileSpec,
    Manifest,
    ManifestError,
    NodeMapping,
    RelMapping,
    referenced_columns,
    row_matches,
)
from scaleup_graph.ingest.natural_persons import looks_like_person
from scaleup_graph.ingest.prepare import RowFeed, reading_process
from scaleup_graph.ingest.readers import read_header, read_rows
from scaleup_graph.ingest.rejects import (
    CELL_DROPPED,
    NAME_WITHHELD,
    REDACTED,
    ROW_REJECTED,
    Reject,
    write_reject_report,
)
from scaleup_graph.store import GraphStore, NodeRow, RelRow
from scaleup_graph.store.base import BulkWriter
from scaleup_graph.store.cypher import NODE_TOTAL

__all__ = ["IngestOptions", "IngestReport", "run_ingest"]

#: called with the phase, the rows done and the rows in all (0: not known yet, a bulk load
#: that reads its files while it writes)
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class IngestOptions:
    batch_size: int = 5000
    dry_run: bool = False
    state_dir: Path = Path(".scaleup")
    rejects_dir: Path | None = None
    suppression_salt: str = ""
    check_duplicates: bool = True
    #: bench hook: False skips the trust checks (header, duplicate links, person-like names)
    #: so bench/ingest_checks.py can measure what they cost; never False in real runs
    checks: bool = True
    #: read and check the files in a second process (ingest/prepare.py) while this one writes:
    #: None (the default) for bulk loads of 4 MB and more, True whenever the machine has more
    #: than one core, False never
    parallel: bool | None = None
    #: test hook: called after each committed batch with the running batch count
    after_batch: Callable[[int], None] | None = None


@dataclass(slots=True)
class IngestReport:
    run_id: str
    files: list[str]
    rows_read: int = 0
    nodes_written: int = 0
    relationships_written: int = 0
    skipped_missing_endpoint: int = 0
    suppressed: int = 0
    rejects: list[Reject] = field(default_factory=list)
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    #: nodes with an id made from empty key columns by earlier versions ("org-pic-"), removed
    removed_partial_ids: list[str] = field(default_factory=list)
    resumed: bool = False
    #: why an interrupted run's checkpoint was set aside and every batch written again
    restarted: str | None = None
    dry_run: bool = False
    report_dir: str | None = None
    seconds: float = 0.0
    #: written by a bulk first load (ingest/bulk.py): what the engine created and how long the
    #: database write went on after the staging (it writes while ingest stages; last report)
    bulk: bool = False
    bulk_nodes: int = 0
    bulk_relationships: int = 0
    bulk_seconds: float = 0.0
    #: the files were read and checked in a second process (ingest/prepare.py)
    reading_process: bool = False

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected_rows"] = self.rejected_rows
        data["dropped_cells"] = sum(1 for r in self.rejects if r.outcome == CELL_DROPPED)
        data["withheld_names"] = sum(1 for r in self.rejects if r.outcome == NAME_WITHHELD)
        return data

    @property
    def rejected_rows(self) -> int:
        return len({(r.file, r.line) for r in self.rejects if r.outcome == ROW_REJECTED})


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _new_run_id() -> str:
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


@dataclass(slots=True)
class _Pending:
    line: int
    key: str
    props: dict[str, Any]
    fill: dict[str, Any]
    labels: tuple[str, ...]
    hashes: set[str]
    withheld_name: str | None = None

    def __reduce__(self) -> tuple[type[_Pending], tuple[Any, ...]]:
        # a bulk load's reading process sends these by the thousand (ingest/prepare.py): as a
        # tuple of the fields they pickle in half the time of a slotted dataclass's state
        return _Pending, (
            self.line,
            self.key,
            self.props,
            self.fill,
            self.labels,
            self.hashes,
            self.withheld_name,
        )


class _Run:
    def __init__(
        self,
        store: GraphStore,
        manifest: Manifest,
        options: IngestOptions,
        progress: Progress | None,
        *,
        bulk: bool = False,
    ) -> None:
        self.store = store
        #: a bulk first load: the store is a StagedGraph, written at once when every run of the
        #: load is through; until then no batch is in the database, so none is checkpointed
        self.bulk = bulk
        #: a bulk load's parsed rows per file (see _rows); None: read a file for each mapping
        self.read_once: dict[tuple[Any, ...], list[tuple[int, dict[str, Any]]]] | None = (
            {} if bulk else None
        )
        #: the last run of a bulk load: the writer that sends what is staged (ingest/bulk.py)
        self.writer: BulkWriter | None = None
        #: collect the young objects' cycles after each batch (the collector is paused)
        self.collect_young = False
        #: hash each person's identifiers for the suppression check (_flush_nodes); a bulk
        #: load into a database whose suppression list is empty has nothing to check them against
        self.hash_identifiers = True
        #: a bulk load's reading process (ingest/prepare.py): it reads and checks the files,
        #: this run takes the batches; None: the run reads itself
        self.feed: RowFeed | None = None
        #: how many mappings still read each file's kept rows (bulk: see _done_with)
        self._uses: Counter[tuple[Any, ...]] = Counter()
        self.manifest = manifest
        self.options = options
        self.progress = progress
        files = [f.path for f in manifest.files]
        identity = input_identity(manifest.text, sorted(set(files)))
        self.checkpoint = Checkpoint.open(
            options.state_dir / "checkpoints", identity, _new_run_id(), _now()
        )
        if bulk:
            self.checkpoint.done.clear()  # an empty graph holds no batch of an earlier run
            if not options.dry_run:
                self.checkpoint.save()
        self.report = IngestReport(
            run_id=self.checkpoint.run_id,
            files=[str(p) for p in dict.fromkeys(files)],
            resumed=self.checkpoint.resumed,
            dry_run=options.dry_run,
        )
        self.provenance = {
            "ingest_run": self.checkpoint.run_id,
            "ingested_at": self.checkpoint.started_at,
        }
        self.known: dict[str, set[str]] = {label: set() for label in NODE_TYPES}
        #: label -> key -> (file, line, reason) of node rows rejected in this run
        self.rejected: dict[str, dict[str, tuple[str, int, str]]] = {
            label: {} for label in NODE_TYPES
        }
        #: (type, start, end) -> the file and line that first wrote it in this run, and the
        #: values written so far (a tuple, not an object: there is one per relationship)
        self.links: dict[tuple[str, str, str], tuple[FileSpec, int, dict[str, Any]]] = {}
        self.new_org_names: dict[str, str] = {}
        self.batches = 0
        self._current_source: str | None = None
        self.total_rows = 0
        self.done_rows = 0
        self._started = dt.datetime.now(dt.UTC)

    # -- helpers ------------------------------------------------------------------------------

    def _source(self, spec: FileSpec) -> str:
        return spec.source or self.manifest.source or spec.path.name

    @staticmethod
    def _name(spec: FileSpec) -> str:
        return f"{spec.path.name} [{spec.sheet}]" if spec.sheet else spec.path.name

    def _reject(
        self,
        spec: FileSpec,
        line: int,
        column: str,
        value: Any,
        reason: str,
        personal: bool = False,
        outcome: str = ROW_REJECTED,
    ) -> None:
        shown = REDACTED if personal and value not in (None, "") else value
        self.report.rejects.append(Reject(self._name(spec), line, column, shown, reason, outcome))

    def _tick(self, phase: str, rows: int = 1) -> None:
        before = self.done_rows
        self.done_rows += rows
        if self.progress and (
            self.done_rows // 1000 > before // 1000 or self.done_rows == self.total_rows
        ):
            self.progress(phase, self.done_rows, self.total_rows)

    def _rows(self, spec: FileSpec) -> Iterator[tuple[int, dict[str, Any]]]:
        rows = read_rows(
            spec.path,
            sheet=spec.sheet,
            delimiter=spec.delimiter,
            encoding=spec.encoding,
            na_values=spec.na_values,
        )
        if self.read_once is None:
            return rows
        # A bulk load holds the graph in memory anyway; it keeps the rows too, so a file that
        # several mappings use is read and parsed once (preflight) instead of once a mapping.
        key = self._file_key(spec)
        if key not in self.read_once:
            self.read_once[key] = list(rows)
        return iter(self.read_once[key])

    @staticmethod
    def _file_key(spec: FileSpec) -> tuple[Any, ...]:
        return (spec.path, spec.sheet, spec.delimiter, spec.encoding, spec.na_values)

    def _done_with(self, spec: FileSpec, mappings: int = 1) -> None:
        """A bulk load lets go of a file's rows when its last mapping is through: the rows of
        node files are gone before the relationship files are read (less memory at the end)."""
        if self.read_once is None:
            return
        key = self._file_key(spec)
        self._uses[key] -= mappings
        if self._uses[key] <= 0:
            self.read_once.pop(key, None)

    def _committed(self, mapping_key: str, batch_no: int) -> None:
        if not self.options.dry_run and not self.bulk:
            done = {**self.checkpoint.done, mapping_key: batch_no}
            self.store.record_ingest_progress(self.checkpoint.run_id, done)
            self.checkpoint.commit(mapping_key, batch_no, self.options.batch_size)
        self.batches += 1
        if self.options.after_batch:
            self.options.after_batch(self.batches)

    # -- phases -------------------------------------------------------------------------------

    def check_store(self) -> None:
        """Before anything is read or written: refuse a graph that a killed bulk load left
        half-written, and set aside a checkpoint whose batches the graph may no longer hold."""
        if self.store.unfinished_bulk_load():
            raise Conflict(
                "this graph holds an unfinished bulk first load (scaleup ingest --bulk was "
                "stopped while it wrote): it is only a part of that load, and this ingest "
                "would merge into it; nothing was written. Run the same --bulk command again "
                "(it replaces the partial graph and finishes the load), then this ingest",
                code="bulk_load_unfinished",
            )
        if not self.checkpoint.resumed:
            return
        recorded = self.store.ingest_progress(self.checkpoint.run_id)
        empty = recorded is None and not self.store.read(NODE_TOTAL)[0]["n"]
        why = self.checkpoint.held(recorded, self.options.batch_size, empty)
        if why:
            old = self.checkpoint
            self.checkpoint = Checkpoint(old.path, _new_run_id(), _now())
            self.report.run_id = self.checkpoint.run_id
            self.report.resumed = False
            self.report.restarted = (
                f"the interrupted run {old.run_id} cannot be resumed: {why}; every batch was "
                "written again (MERGE on the keys: nothing doubles)"
            )
            self.provenance = {
                "ingest_run": self.checkpoint.run_id,
                "ingested_at": self.checkpoint.started_at,
            }

    def preflight(self) -> None:
        """Read every file once: unreadable files, and columns the manifest names that a file
        does not have, stop the run before anything is written. Broken records (cut-off rows,
        open quotes) are reported here, once per file."""
        if self.feed:
            # the reading process reads them; a bulk load takes what it found with the rows,
            # an ordinary one waits until every file is read (nothing written before)
            if not self.bulk:
                self.feed.counts(self)
            return
        self.check_headers()
        for spec in self.manifest.files:
            self.read_file(spec)

    def check_headers(self) -> None:
        """Columns the manifest names that a file does not have stop the run."""
        if self.options.checks:
            for spec in self.manifest.files:
                self._check_header(spec)

    def read_file(self, spec: FileSpec) -> None:
        """Read one file (kept for its mappings in a bulk load), count its rows for the
        progress and the report, and report its broken records."""
        count = 0
        for line, row in self._rows(spec):
            count += 1
            if "__error__" in row:
                self._reject(spec, line, "", None, row["__error__"])
        mappings = len(spec.nodes) + len(spec.relationships)
        self.total_rows += count * mappings
        self.report.rows_read += count

    def _check_header(self, spec: FileSpec) -> None:
        header = read_header(
            spec.path, sheet=spec.sheet, delimiter=spec.delimiter, encoding=spec.encoding
        )
        missing = [c for c in referenced_columns(spec) if c not in header]
        if not missing:
            return
        problems = []
        folded = {h.casefold(): h for h in header}
        for column in missing:
            close = folded.get(column.casefold()) or next(
                iter(difflib.get_close_matches(column, header, n=1, cutoff=0.6)), None
            )
            hint = f"; did you mean {close}?" if close else ""
            problems.append(f"{column}: no such column{hint}")
        raise ManifestError(
            f"{self._name(spec)}: " + "; ".join(problems) + f" (the header has: "
            f"{', '.join(header[:30])}{', ...' if len(header) > 30 else ''}); fix the manifest "
            "or the header",
            field=missing[0],
        )

    def remove_partial_ids(self) -> None:
        """Delete nodes an earlier version made from rows whose key columns were all empty
        ("org-pic-" from a key template "org-pic-{pic}"): no row can name them any more."""
        for spec in self.manifest.files:
            for mapping in spec.nodes:
                partial = mapping.key.partial_id
                if partial is None or partial in self.report.removed_partial_ids:
                    continue
                if self.store.existing_ids(mapping.label, [partial]):
                    if not self.options.dry_run:
                        self.store.erase_node(partial)
                    self.report.removed_partial_ids.append(partial)

    def _empty_key(self, spec: FileSpec, line: int, label: str, ep: Any, row: Any) -> str:
        empty = ep.empty_columns(row) or sorted(ep.source.columns)
        reason = f"empty {', '.join(empty)}: the {label} key needs it" if empty else ""
        return reason or f"{label} key is empty"

    def nodes(self, spec: FileSpec, index: int, mapping: NodeMapping, m: int) -> None:
        """Upsert the nodes of one mapping of one file, in batches (:meth:`node_batches`, or
        what a bulk load's reading process made of them: :mod:`.prepare`)."""
        key_name = f"{index}:n{m}"
        skip = self.checkpoint.batches_done(key_name)
        batches = self.feed.batches(self) if self.feed else self.node_batches(spec, mapping)
        for batch_no, batch in enumerate(batches, 1):
            self._write_batch(
                partial(self._flush_nodes, mapping.label, batch), key_name, batch_no, skip
            )

    def node_batches(self, spec: FileSpec, mapping: NodeMapping) -> Iterator[list[_Pending]]:
        """The nodes of one mapping of one file in batches: key each row, validate it, drop
        duplicates and repeats, withhold what must not be stored. Touches no store: what it
        finds wrong goes to the report (:meth:`_reject`, :attr:`rejected`)."""
        key_columns = mapping.key.source.columns
        key_is_personal = is_personal(mapping.label) and mapping.key.derive
        seen: dict[str, int] = {}
        repeated: dict[str, int] = {}
        clean_cells: dict[str, tuple[Any, ...]] = {}
        firsts: dict[str, tuple[int, dict[str, Any]]] = {}
        batch: list[_Pending] = []
        check_names = (
            self.options.checks and mapping.label == "Organisation" and not mapping.public_names
        )
        key_col = ", ".join(sorted(key_columns)) or "(template)"
        if_missing = {k for k, vs in mapping.properties.items() if vs.if_missing}
        check = RowValidator.node(mapping.label)  # validate_node, once per distinct cell
        for line, row in self._rows(spec):
            self._tick("nodes")
            if "__error__" in row:
                continue  # reported once by preflight
            if mapping.where and not row_matches(mapping.where, row):
                continue
            key = mapping.key.key(row)
            if not key:
                reason = self._empty_key(spec, line, mapping.label, mapping.key, row)
                self._reject(spec, line, key_col, None, reason)
                continue
            raw = {name: vs.get(row) for name, vs in mapping.properties.items()}
            if not mapping.unique:
                # A file with one row per participation repeats a node's cells on many rows:
                # cells equal to the key's last clean row validate to the same values, which
                # the repeat check below would skip, so they skip validation too.
                cells = tuple(raw.values())
                if clean_cells.get(key) == cells:
                    continue
                clean_cells.pop(key, None)
            props, errors = check({"id": key, **raw})
            if errors and self._invalid_cells(spec, line, mapping, key, errors):
                continue
            if key in seen:
                if mapping.unique:
                    shown = REDACTED if key_is_personal else key
                    self._reject(
                        spec,
                        line,
                        key_col,
                        shown,
                        f"duplicate key {shown} in this file (first on line "
                        f"{seen[key]}); keep one row per {mapping.label}",
                    )
                    continue
            else:
                seen[key] = line
            props.pop("id")
            fill = {k: props.pop(k) for k in list(props) if k in if_missing} if if_missing else {}
            if not mapping.unique:
                # Files with one row per participation repeat the same node many times;
                # writing it again with the same values would change nothing.
                signature = hash(repr((props, fill)))
                if not errors:
                    clean_cells[key] = cells
                if repeated.get(key) == signature:
                    continue
                repeated[key] = signature
                if self.options.checks:
                    self._keep_first_values(spec, mapping, line, key, props, firsts)
            withheld = (
                self._withhold_person_name(spec, line, mapping, key, props, fill)
                if check_names
                else None
            )
            hashes = set()
            if is_personal(mapping.label) and self.hash_identifiers:
                hashes = identifier_hashes({**fill, **props}, self.options.suppression_salt)
                hashes.add(key)
            batch.append(
                _Pending(
                    line,
                    key,
                    props,
                    fill,
                    tuple(extra_labels(mapping.label, props)),
                    hashes,
                    withheld,
                )
            )
            if len(batch) >= self.options.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _write_batch(
        self, flush: Callable[..., None], key_name: str, batch_no: int, skip: int
    ) -> None:
        """Write one batch (a resumed run only checks the batches committed before it) and
        record it in the checkpoint."""
        flush(write=batch_no > skip)
        if batch_no > skip:
            self._committed(key_name, batch_no)
        if self.collect_young:
            gc.collect(0)  # the batch's own garbage cycles; see run_ingest

    def _invalid_cells(
        self, spec: FileSpec, line: int, mapping: NodeMapping, key: str, errors: list[Any]
    ) -> bool:
        """Report a row's invalid cells; True when the row is rejected as a whole (a required
        field, or a ``strict`` mapping), False when the node is stored without those cells."""
        required = set(NODE_TYPES[mapping.label].required_fields)
        fatal = self._report_cells(
            spec,
            line,
            mapping.label,
            "",
            mapping,
            errors,
            required=required,
            pii=NODE_TYPES[mapping.label].pii_fields,
        )
        if fatal and key not in self.rejected[mapping.label]:
            first = next(e for e in errors if e.field in required or mapping.strict)
            self.rejected[mapping.label][key] = (
                self._name(spec),
                line,
                f"{first.field} {first.reason}",
            )
        return fatal

    def _report_cells(
        self,
        spec: FileSpec,
        line: int,
        what: str,
        prefix: str,
        mapping: NodeMapping | RelMapping,
        errors: list[Any],
        *,
        required: set[str],
        pii: frozenset[str] = frozenset(),
    ) -> bool:
        """List each invalid cell of a row (``prefix`` before the field: ``"TYPE."`` for a
        relationship); True when the row is rejected as a whole (a required field, or a
        ``strict`` mapping), False when ``what`` is stored without those cells."""
        fatal = mapping.strict or any(e.field in required for e in errors)
        for e in errors:
            vs = mapping.properties.get(e.field)
            column = ", ".join(sorted(vs.columns)) if vs and vs.columns else e.field
            self._reject(
                spec,
                line,
                column,
                e.value,
                f"{prefix}{e.field} {e.reason}"
                + ("" if fatal else f"; {what} stored without {e.field}"),
                personal=e.field in pii,
                outcome=ROW_REJECTED if fatal else CELL_DROPPED,
            )
        return fatal

    def _withhold_person_name(
        self,
        spec: FileSpec,
        line: int,
        mapping: NodeMapping,
        key: str,
        props: dict[str, Any],
        fill: dict[str, Any],
    ) -> str | None:
        """An organisation's name that looks like a natural person's is not stored (the node
        is named by its key) and is listed; returns the withheld name, or None."""
        name = props.get("name") or fill.get("name")
        kinds = props.get("kinds") or fill.get("kinds") or ()
        activity = props.get("activity_type") or fill.get("activity_type")
        if not (isinstance(name, str) and looks_like_person(name, activity, kinds)):
            return None
        props.pop("name", None)
        fill["name"] = key
        vs = mapping.properties.get("name")
        self._reject(
            spec,
            line,
            ", ".join(sorted(vs.columns)) if vs else "name",
            REDACTED,
            "name looks like a natural person's (two or three words, no legal "
            f"form): {mapping.label} stored as {key} without it; if it is an "
            "organisation's name, write names: public in the manifest",
            outcome=NAME_WITHHELD,
        )
        return name

    def _keep_first_values(
        self,
        spec: FileSpec,
        mapping: NodeMapping,
        line: int,
        key: str,
        props: dict[str, Any],
        firsts: dict[str, tuple[int, dict[str, Any]]],
    ) -> None:
        """A node repeated on many rows (``unique: false``) keeps the first row's values; a
        later row that says otherwise has that cell left out and listed, never written over."""
        known = firsts.get(key)
        if known is None:
            firsts[key] = (line, dict(props))
            return
        first_line, first = known
        pii = NODE_TYPES[mapping.label].pii_fields
        for name, value in list(props.items()):
            old = first.setdefault(name, value)
            if old == value:
                continue
            props.pop(name)
            personal = name in pii
            vs = mapping.properties.get(name)
            self._reject(
                spec,
                line,
                ", ".join(sorted(vs.columns)) if vs and vs.columns else name,
                value,
                f"{name} differs from line {first_line} "
                + ("" if personal else f"({_shown(old)} there, {_shown(value)} here)")
                + f"; {mapping.label} {REDACTED if personal else key} keeps the first value",
                personal=personal,
                outcome=CELL_DROPPED,
            )

    def _flush_nodes(self, label: str, batch: list[_Pending], *, write: bool) -> None:
        if is_personal(label):
            suppressed = self.store.suppressed(h for p in batch for h in p.hashes)
            if suppressed:
                kept = [p for p in batch if not (p.hashes & suppressed)]
                self.report.suppressed += len(batch) - len(kept)
                batch = kept
        # Later rows of a repeated key win, as they would in a spreadsheet read top to bottom.
        merged: dict[str, _Pending] = {}
        for p in batch:
            if p.key in merged:
                prev = merged[p.key]
                prev.props.update(p.props)
                prev.fill = {**p.fill, **prev.fill}
                prev.withheld_name = prev.withheld_name or p.withheld_name
            else:
                merged[p.key] = p
        rows = list(merged.values())
        self.known[label].update(p.key for p in rows)
        if label == "Organisation":
            for p in rows:
                name = p.props.get("name") or p.fill.get("name")
                if name and not p.withheld_name:
                    self.new_org_names[p.key] = name
        if not write or self.options.dry_run or not rows:
            return
        if any(p.fill for p in rows):
            have = self.store.node_properties(label, [p.key for p in rows if p.fill])
            for p in rows:
                current = have.get(p.key, {})
                p.props.update({k: v for k, v in p.fill.items() if current.get(k) in (None, "")})
                stored = current.get("name")
                if (
                    p.withheld_name
                    and isinstance(stored, str)
                    and stored.casefold() == p.withheld_name.casefold()
                ):
                    p.props["name"] = p.key  # an earlier run stored the person's name
        self.report.nodes_written += self.store.upsert_nodes(
            label,
            [NodeRow(p.key, p.props, p.labels) for p in rows],
            provenance={**self.provenance, "source": self._current_source},
        )

    def relationships(self, spec: FileSpec, index: int, mapping: RelMapping, m: int) -> None:
        """Upsert the relationships of one mapping of one file, in batches
        (:meth:`relationship_batches`, or a bulk load's reading process: :mod:`.prepare`)."""
        key_name = f"{index}:r{m}"
        skip = self.checkpoint.batches_done(key_name)
        batches = self.feed.batches(self) if self.feed else self.relationship_batches(spec, mapping)
        for batch_no, batch in enumerate(batches, 1):
            self._write_batch(
                partial(self._flush_rels, spec, mapping, batch), key_name, batch_no, skip
            )

    def relationship_batches(
        self, spec: FileSpec, mapping: RelMapping
    ) -> Iterator[list[tuple[int, str, str, dict[str, Any]]]]:
        """The rows of one relationship mapping of one file as (line, start key, end key,
        values) in batches: keyed and validated. Touches no store (endpoints are looked up
        when a batch is written: :meth:`_flush_rels`)."""
        batch: list[tuple[int, str, str, dict[str, Any]]] = []
        required = {p.name for p in REL_TYPES[mapping.type].all_properties if p.required}
        check = RowValidator.relationship(mapping.type)  # validate_relationship, per value
        checked = bool(mapping.properties or required)
        start_key, end_key = mapping.start.memo_key(), mapping.end.memo_key()
        where, tick = mapping.where, self._tick
        for line, row in self._rows(spec):
            tick("relationships")
            if "__error__" in row:
                continue  # reported once by preflight
            if where and not row_matches(where, row):
                continue
            if mapping.reject_rows:
                self._reject(spec, line, ", ".join(mapping.where), None, mapping.reject_rows)
                continue
            start, end = start_key(row), end_key(row)
            if not start or not end:
                which = "start" if not start else "end"
                ep = mapping.start if not start else mapping.end
                reason = self._empty_key(spec, line, ep.label, ep, row)
                self._reject(
                    spec,
                    line,
                    ", ".join(sorted(ep.source.columns)),
                    None,
                    f"{mapping.type} not written: {which} {reason}",
                )
                continue
            if checked:
                raw = {name: vs.get(row) for name, vs in mapping.properties.items()}
                props, errors = check(raw)
                if errors and self._report_cells(
                    spec, line, mapping.type, f"{mapping.type}.", mapping, errors, required=required
                ):
                    continue
            else:
                props = {}  # no property mapped and none required: nothing to check
            batch.append((line, start, end, props))
            if len(batch) >= self.options.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _missing(self, label: str, ids: set[str]) -> set[str]:
        unknown = ids - self.known[label]
        if not unknown:
            return set()
        found = self.store.existing_ids(label, unknown)
        self.known[label].update(found)
        return unknown - found

    def _flush_rels(
        self,
        spec: FileSpec,
        mapping: RelMapping,
        batch: list[tuple[int, str, str, dict[str, Any]]],
        *,
        write: bool,
    ) -> None:
        s_label, e_label = mapping.start.label, mapping.end.label
        missing_start = self._missing(s_label, {b[1] for b in batch})
        missing_end = self._missing(e_label, {b[2] for b in batch})
        suppressed: set[str] = set()
        if is_personal((s_label, e_label)):
            ids = {b[1] for b in batch if is_personal(s_label)}
            ids |= {b[2] for b in batch if is_personal(e_label)}
            suppressed = self.store.suppressed(ids)
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        checks, links = self.options.checks, self.links
        for line, start, end, props in batch:
            if start in suppressed or end in suppressed:
                self.report.suppressed += 1
                continue
            if start in missing_start or end in missing_end:
                if mapping.on_missing_endpoint == "skip":
                    self.report.skipped_missing_endpoint += 1
                    continue
                label, key, ep = (
                    (s_label, start, mapping.start)
                    if start in missing_start
                    else (e_label, end, mapping.end)
                )
                shown = REDACTED if is_personal(label) and ep.derive else key
                column = ", ".join(sorted(ep.source.columns)) or "(template)"
                rejected = self.rejected[label].get(key)
                if rejected:
                    file, at, why = rejected
                    where = "" if file == self._name(spec) else f"{file} "
                    reason = (
                        f"{mapping.type} not written: the {label} of {where}line {at} was "
                        f"rejected: {why}"
                    )
                else:
                    reason = (
                        f"{mapping.type} points at {label} {shown}, which does not "
                        f"exist; add it to a node file first"
                    )
                self._reject(spec, line, column, shown, reason)
                continue
            if checks:
                ident = (mapping.type, start, end)
                if ident not in links:  # the commonest: its first row (_first_or_combined)
                    links[ident] = (spec, line, props)  # props is never changed in place
                else:
                    values = self._first_or_combined(spec, mapping, line, start, end, props)
                    if values is None:
                        continue
                    props = values
            pair = (start, end)
            known = merged.get(pair)
            if known is None:
                merged[pair] = dict(props)
            else:
                known.update(props)
        if not write or self.options.dry_run or not merged:
            return
        self.report.relationships_written += self.store.upsert_relationships(
            mapping.type,
            s_label,
            e_label,
            [RelRow(s, e, p) for (s, e), p in merged.items()],
            provenance={**self.provenance, "source": self._current_source},
        )

    def _first_or_combined(
        self,
        spec: FileSpec,
        mapping: RelMapping,
        line: int,
        start: str,
        end: str,
        props: dict[str, Any],
    ) -> dict[str, Any] | None:
        """The values to write for this row's relationship, or None when there is nothing new
        to write or the row is a rejected duplicate (two rows never merge in silence)."""
        ident = (mapping.type, start, end)
        first = self.links.get(ident)
        if first is None:
            self.links[ident] = (spec, line, props)  # props is never changed in place
            return props
        first_spec, first_line, first_props = first
        combined, conflicts = combine_duplicate(first_props, props, mapping.on_duplicate)
        if conflicts:
            where = "" if first_spec is spec else f"{self._name(first_spec)} "
            differing = "; ".join(
                f"{name} {_shown(a)} there, {_shown(b)} here" for name, a, b in conflicts
            )
            columns = [mapping.properties[name].columns or {name} for name, _, _ in conflicts]
            self._reject(
                spec,
                line,
                ", ".join(sorted(set().union(*columns))),
                None,
                f"duplicate of {where}line {first_line} ({mapping.type} from {start} to {end}) "
                f"with different values: {differing}; keep one row, or say in the manifest "
                f"which wins: on_duplicate: {{{conflicts[0][0]}: first | last | sum | list}}",
            )
            return None
        if combined == first_props:
            return None
        self.links[ident] = (first_spec, first_line, combined)
        return dict(combined)

    def node_steps(self) -> list[tuple[int, FileSpec, int, NodeMapping]]:
        """Every node mapping in the order a run takes them: (file index, file, index, it)."""
        files = self.manifest.files
        return [(i, spec, m, n) for i, spec in enumerate(files) for m, n in enumerate(spec.nodes)]

    def relationship_steps(self) -> list[tuple[int, FileSpec, int, RelMapping]]:
        """Every relationship mapping in order, after all node mappings (:meth:`node_steps`)."""
        return [
            (i, spec, m, r)
            for i, spec in enumerate(self.manifest.files)
            for m, r in enumerate(spec.relationships)
        ]

    def run(self) -> IngestReport:
        self.stage()
        return self.finish()

    def stage(self) -> IngestReport:
        """Everything but the end of the checkpoint: read, validate, write (into the staged
        graph of a bulk load), report."""
        self._started = dt.datetime.now(dt.UTC)
        if not self.bulk:
            self.check_store()
        self._uses.clear()
        for spec in self.manifest.files:
            self._uses[self._file_key(spec)] += len(spec.nodes) + len(spec.relationships)
        self.preflight()
        for spec in self.manifest.files:
            if not spec.nodes and not spec.relationships:
                self._done_with(spec, 0)
        self.remove_partial_ids()
        for i, spec, m, mapping in self.node_steps():
            self._current_source = self._source(spec)
            self.nodes(spec, i, mapping, m)
            self._done_with(spec)
        # a bulk load's writer sends what no later mapping of the load changes while the rest
        # is staged: the nodes now, each relationship type after its last mapping
        writer = self.writer
        pending = Counter(r.type for spec in self.manifest.files for r in spec.relationships)
        if writer is not None:
            writer.nodes_final()
            writer.relationships_final(pending)
        for i, spec, m, rel in self.relationship_steps():
            self._current_source = self._source(spec)
            self.relationships(spec, i, rel, m)
            self._done_with(spec)
            pending[rel.type] -= 1
            if writer is not None and not pending[rel.type]:
                writer.relationships_final(+pending)
        if self.feed:
            self.feed.finish(self)  # what was found after the last mapping's rows
        self.report.rejects.sort(key=lambda r: (r.file, r.line, r.column))
        report_dir = self.options.rejects_dir or (
            self.options.state_dir / "runs" / self.report.run_id
        )
        write_reject_report(self.report.rejects, report_dir)
        self.report.report_dir = str(report_dir)
        self.read_once = None if self.read_once is None else {}
        if writer is None:
            # a bulk load's last run checks while the database makes the load durable
            # (ingest/bulk.py): the staged names are final, the database is not needed
            self.check_near_duplicates()
        return self.report

    def check_near_duplicates(self) -> None:
        """List the organisations whose names are near those of others (new against the
        graph's), in the report and beside the reject report."""
        if self.options.check_duplicates and self.new_org_names:
            existing = self.store.names("Organisation")
            self.report.near_duplicates = near_duplicates(self.new_org_names, existing)
        _write_duplicates(self.report.near_duplicates, Path(self.report.report_dir or "."))

    def finish(self) -> IngestReport:
        """The input is in the store: drop the checkpoint, time the run."""
        if not self.options.dry_run:
            if not self.bulk:
                self.store.forget_ingest_progress(self.checkpoint.run_id)
            self.checkpoint.finish()
        self.report.seconds = round((dt.datetime.now(dt.UTC) - self._started).total_seconds(), 3)
        return self.report


def _shown(value: Any) -> str:
    return "(empty)" if value is None else repr(value) if isinstance(value, str) else str(value)


def combine_duplicate(
    first: dict[str, Any], later: dict[str, Any], policies: dict[str, str]
) -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
    """Combine a relationship's values with a later row's for the same start and end.

    Returns the combined values and the (property, first value, later value) conflicts that
    no policy settles. Without a policy, equal values are fine and different ones conflict.

    >>> combine_duplicate({"contribution": 10.0}, {"contribution": 5.0}, {"contribution": "sum"})
    ({'contribution': 15.0}, [])
    >>> combine_duplicate({"role": "coordinator"}, {"role": "partner"}, {})[1]
    [('role', 'coordinator', 'partner')]
    """
    out = dict(first)
    conflicts: list[tuple[str, Any, Any]] = []
    for name in dict.fromkeys([*first, *later]):
        a, b = first.get(name), later.get(name)
        policy = policies.get(name, "reject")
        if policy == "sum":
            numbers = [v for v in (a, b) if v is not None]
            if all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
                out[name] = sum(numbers) if numbers else None
                continue
            conflicts.append((name, a, b))
        elif policy == "list":
            values = a if isinstance(a, list) else ([] if a is None else [a])
            out[name] = values if b is None or b in values else [*values, b]
        elif a == b:
            continue
        elif policy == "first":
            out[name] = a if a is not None else b
        elif policy == "last":
            out[name] = b if b is not None else a
        else:
            conflicts.append((name, a, b))
    return {k: v for k, v in out.items() if v is not None}, conflicts


def _write_duplicates(pairs: list[NearDuplicate], directory: Path) -> None:
    import csv

    with open(directory / "near_duplicates.csv", "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["id_a", "name_a", "id_b", "name_b", "similarity"])
        for d in pairs:
            writer.writerow([d.id_a, d.name_a, d.id_b, d.name_b, f"{d.score:.1f}"])


def run_ingest(
    store: GraphStore,
    manifest: Manifest,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest everything ``manifest`` names into ``store``; see the module docstring.

    Raises ReadError (a file cannot be read; nothing written) and StoreError.
    """
    options = options or IngestOptions()
    run = _Run(store, manifest, options, progress)
    with reading_process([run], options.parallel, early=False), _collector_paused(run):
        return run.run()


@contextmanager
def _collector_paused(run: _Run) -> Iterator[None]:
    """The cyclic garbage collector paused for a run: it would walk the run's growing
    bookkeeping (keys seen, links written: hundreds of thousands of objects at M) again and
    again, a third of the ingest's own CPU. Each batch's young objects are still collected
    once it is written, so the garbage cycles of a batch do not outlive it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    run.collect_young = True
    try:
        yield
    finally:
        run.collect_young = False
        gc.enable()
