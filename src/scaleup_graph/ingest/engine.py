"""Run an ingest: read, validate, upsert in batches, report rejects, checkpoint, resume.

Order of work: every file is read once up front (a file that cannot be read stops the run before
anything is written); then all node mappings, then all relationship mappings, so a relationship
can point at a node from any file of the manifest. Each batch is one transaction (one UNWIND
MERGE); its checkpoint is written after it commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scaleup_graph.graph_model import (
    NODE_TYPES,
    extra_labels,
    identifier_hashes,
    validate_node,
    validate_relationship,
)
from scaleup_graph.ingest.checkpoint import Checkpoint, input_identity
from scaleup_graph.ingest.dedupe import NearDuplicate, near_duplicates
from scaleup_graph.ingest.manifest import (
    FileSpec,
    Manifest,
    NodeMapping,
    RelMapping,
    row_matches,
)
from scaleup_graph.ingest.readers import read_rows
from scaleup_graph.ingest.rejects import REDACTED, Reject, write_reject_report
from scaleup_graph.store import GraphStore, NodeRow, RelRow

__all__ = ["IngestOptions", "IngestReport", "run_ingest"]

Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class IngestOptions:
    batch_size: int = 5000
    dry_run: bool = False
    state_dir: Path = Path(".scaleup")
    rejects_dir: Path | None = None
    suppression_salt: str = ""
    check_duplicates: bool = True
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
    resumed: bool = False
    dry_run: bool = False
    report_dir: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected_rows"] = len({(r.file, r.line) for r in self.rejects})
        return data


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(slots=True)
class _Pending:
    line: int
    key: str
    props: dict[str, Any]
    fill: dict[str, Any]
    labels: tuple[str, ...]
    hashes: set[str]


class _Run:
    def __init__(
        self,
        store: GraphStore,
        manifest: Manifest,
        options: IngestOptions,
        progress: Progress | None,
    ) -> None:
        self.store = store
        self.manifest = manifest
        self.options = options
        self.progress = progress
        files = [f.path for f in manifest.files]
        identity = input_identity(manifest.text, sorted(set(files)))
        run_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        self.checkpoint = Checkpoint.open(
            options.state_dir / "checkpoints", identity, run_id, _now()
        )
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
        self.new_org_names: dict[str, str] = {}
        self.batches = 0
        self._current_source: str | None = None
        self._written_links: set[int] = set()
        self.total_rows = 0
        self.done_rows = 0

    # -- helpers ------------------------------------------------------------------------------

    def _source(self, spec: FileSpec) -> str:
        return spec.source or self.manifest.source or spec.path.name

    def _reject(
        self,
        spec: FileSpec,
        line: int,
        column: str,
        value: Any,
        reason: str,
        personal: bool = False,
    ) -> None:
        shown = REDACTED if personal and value not in (None, "") else value
        self.report.rejects.append(Reject(spec.path.name, line, column, shown, reason))

    def _tick(self, phase: str, rows: int = 1) -> None:
        self.done_rows += rows
        if self.progress and (self.done_rows % 1000 == 0 or self.done_rows == self.total_rows):
            self.progress(phase, self.done_rows, self.total_rows)

    def _rows(self, spec: FileSpec) -> Iterator[tuple[int, dict[str, Any]]]:
        return read_rows(
            spec.path,
            sheet=spec.sheet,
            delimiter=spec.delimiter,
            encoding=spec.encoding,
            na_values=spec.na_values,
        )

    def _committed(self, mapping_key: str, batch_no: int) -> None:
        if not self.options.dry_run:
            self.checkpoint.commit(mapping_key, batch_no)
        self.batches += 1
        if self.options.after_batch:
            self.options.after_batch(self.batches)

    # -- phases -------------------------------------------------------------------------------

    def preflight(self) -> None:
        """Read every file once: unreadable files stop the run before anything is written."""
        for spec in self.manifest.files:
            count = sum(1 for _ in self._rows(spec))
            mappings = len(spec.nodes) + len(spec.relationships)
            self.total_rows += count * mappings
            self.report.rows_read += count

    def nodes(self, spec: FileSpec, index: int, mapping: NodeMapping, m: int) -> None:
        key_name = f"{index}:n{m}"
        nt = NODE_TYPES[mapping.label]
        pii = nt.pii_fields
        key_columns = mapping.key.source.columns
        key_is_personal = mapping.label == "Person" and mapping.key.derive
        seen: dict[str, int] = {}
        repeated: dict[str, int] = {}
        batch: list[_Pending] = []
        batch_no = 0
        skip = self.checkpoint.batches_done(key_name)
        for line, row in self._rows(spec):
            self._tick("nodes")
            if "__error__" in row:
                self._reject(spec, line, "", None, row["__error__"])
                continue
            if mapping.where and not row_matches(mapping.where, row):
                continue
            key = mapping.key.key(row)
            key_col = ", ".join(sorted(key_columns)) or "(template)"
            if not key:
                self._reject(spec, line, key_col, None, f"{mapping.label} key is empty")
                continue
            raw = {name: vs.get(row) for name, vs in mapping.properties.items()}
            props, errors = validate_node(mapping.label, {"id": key, **raw})
            if errors:
                for e in errors:
                    vs = mapping.properties.get(e.field)
                    column = ", ".join(sorted(vs.columns)) if vs and vs.columns else e.field
                    self._reject(
                        spec,
                        line,
                        column,
                        e.value,
                        f"{e.field} {e.reason}",
                        personal=e.field in pii,
                    )
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
            fill = {
                k: props.pop(k)
                for k in list(props)
                if mapping.properties.get(k) and mapping.properties[k].if_missing
            }
            if not mapping.unique:
                # Files with one row per participation repeat the same node many times;
                # writing it again with the same values would change nothing.
                signature = hash(repr((props, fill)))
                if repeated.get(key) == signature:
                    continue
                repeated[key] = signature
            hashes = set()
            if mapping.label == "Person":
                hashes = identifier_hashes({**fill, **props}, self.options.suppression_salt)
                hashes.add(key)
            batch.append(
                _Pending(line, key, props, fill, tuple(extra_labels(mapping.label, props)), hashes)
            )
            if len(batch) >= self.options.batch_size:
                batch_no += 1
                self._flush_nodes(mapping.label, batch, write=batch_no > skip)
                if batch_no > skip:
                    self._committed(key_name, batch_no)
                batch = []
        if batch:
            batch_no += 1
            self._flush_nodes(mapping.label, batch, write=batch_no > skip)
            if batch_no > skip:
                self._committed(key_name, batch_no)

    def _flush_nodes(self, label: str, batch: list[_Pending], *, write: bool) -> None:
        if label == "Person":
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
            else:
                merged[p.key] = p
        rows = list(merged.values())
        self.known[label].update(p.key for p in rows)
        if label == "Organisation":
            for p in rows:
                name = p.props.get("name") or p.fill.get("name")
                if name:
                    self.new_org_names[p.key] = name
        if not write or self.options.dry_run or not rows:
            return
        if any(p.fill for p in rows):
            have = self.store.node_properties(label, [p.key for p in rows if p.fill])
            for p in rows:
                current = have.get(p.key, {})
                p.props.update({k: v for k, v in p.fill.items() if current.get(k) in (None, "")})
        self.report.nodes_written += self.store.upsert_nodes(
            label,
            [NodeRow(p.key, p.props, p.labels) for p in rows],
            provenance={**self.provenance, "source": self._current_source},
        )

    def relationships(self, spec: FileSpec, index: int, mapping: RelMapping, m: int) -> None:
        key_name = f"{index}:r{m}"
        batch: list[tuple[int, str, str, dict[str, Any]]] = []
        self._written_links = set()
        batch_no = 0
        skip = self.checkpoint.batches_done(key_name)
        for line, row in self._rows(spec):
            self._tick("relationships")
            if "__error__" in row:
                continue  # already reported by the node pass, or reported below once
            if mapping.where and not row_matches(mapping.where, row):
                continue
            start, end = mapping.start.key(row), mapping.end.key(row)
            if not start or not end:
                which = "start" if not start else "end"
                ep = mapping.start if not start else mapping.end
                self._reject(
                    spec,
                    line,
                    ", ".join(sorted(ep.source.columns)),
                    None,
                    f"{mapping.type} {which} ({ep.label}) key is empty",
                )
                continue
            raw = {name: vs.get(row) for name, vs in mapping.properties.items()}
            props, errors = validate_relationship(mapping.type, raw)
            if errors:
                for e in errors:
                    self._reject(
                        spec, line, e.field, e.value, f"{mapping.type}.{e.field} {e.reason}"
                    )
                continue
            batch.append((line, start, end, props))
            if len(batch) >= self.options.batch_size:
                batch_no += 1
                self._flush_rels(spec, mapping, batch, write=batch_no > skip)
                if batch_no > skip:
                    self._committed(key_name, batch_no)
                batch = []
        if batch:
            batch_no += 1
            self._flush_rels(spec, mapping, batch, write=batch_no > skip)
            if batch_no > skip:
                self._committed(key_name, batch_no)

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
        if "Person" in (s_label, e_label):
            ids = {b[1] for b in batch if s_label == "Person"}
            ids |= {b[2] for b in batch if e_label == "Person"}
            suppressed = self.store.suppressed(ids)
        merged: dict[tuple[str, str], dict[str, Any]] = {}
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
                shown = REDACTED if label == "Person" and ep.derive else key
                self._reject(
                    spec,
                    line,
                    ", ".join(sorted(ep.source.columns)) or "(template)",
                    shown,
                    f"{mapping.type} points at {label} {shown}, which does not "
                    f"exist; add it to a node file first",
                )
                continue
            signature = hash((start, end, repr(props)))
            if signature in self._written_links:
                continue  # the same link again (one row per participation): nothing new
            self._written_links.add(signature)
            merged.setdefault((start, end), {}).update(props)
        if not write or self.options.dry_run or not merged:
            return
        self.report.relationships_written += self.store.upsert_relationships(
            mapping.type,
            s_label,
            e_label,
            [RelRow(s, e, p) for (s, e), p in merged.items()],
            provenance={**self.provenance, "source": self._current_source},
        )

    def run(self) -> IngestReport:
        started = dt.datetime.now(dt.UTC)
        self.preflight()
        for i, spec in enumerate(self.manifest.files):
            self._current_source = self._source(spec)
            for m, mapping in enumerate(spec.nodes):
                self.nodes(spec, i, mapping, m)
        for i, spec in enumerate(self.manifest.files):
            self._current_source = self._source(spec)
            for m, rel in enumerate(spec.relationships):
                self.relationships(spec, i, rel, m)
        if self.options.check_duplicates and self.new_org_names:
            existing = {
                r["id"]: r["name"]
                for r in self.store.read("MATCH (n:Organisation) RETURN n.id AS id, n.name AS name")
                if r["name"]
            }
            self.report.near_duplicates = near_duplicates(self.new_org_names, existing)
        self.report.rejects.sort(key=lambda r: (r.file, r.line, r.column))
        report_dir = self.options.rejects_dir or (
            self.options.state_dir / "runs" / self.report.run_id
        )
        write_reject_report(self.report.rejects, report_dir)
        _write_duplicates(self.report.near_duplicates, report_dir)
        self.report.report_dir = str(report_dir)
        if not self.options.dry_run:
            self.checkpoint.finish()
        self.report.seconds = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 3)
        return self.report


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
    return _Run(store, manifest, options or IngestOptions(), progress).run()
