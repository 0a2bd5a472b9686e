"""Ingest: files people have -> validated, batched, idempotent upserts, with a reject report.

Writes only through store/. Entry points: :func:`ingest_path` (a manifest or one node file),
:func:`load_seed` (the Nordhessen seed network), :func:`load_cordis` (the CORDIS open data).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from scaleup_graph.ingest.bulk import bulk_ingest
from scaleup_graph.ingest.engine import IngestOptions, IngestReport, Progress, run_ingest
from scaleup_graph.ingest.manifest import (
    Manifest,
    ManifestError,
    load_manifest,
    single_file_manifest,
)
from scaleup_graph.ingest.readers import ReadError, read_rows
from scaleup_graph.ingest.template import is_template, template_manifest, write_template
from scaleup_graph.settings import get_settings
from scaleup_graph.store import GraphStore

__all__ = [
    "SEED_MANIFESTS",
    "IngestOptions",
    "IngestReport",
    "ManifestError",
    "ReadError",
    "bulk_ingest",
    "cordis_manifest",
    "default_options",
    "ingest_path",
    "load_cordis",
    "load_manifest",
    "load_seed",
    "manifest_for",
    "open_data_dir",
    "run_ingest",
    "template_manifest",
    "write_template",
]

_PACKAGE = Path(str(files("scaleup_graph")))
#: the real Nordhessen network first, then the synthetic demo population that links to it
SEED_MANIFESTS = (
    _PACKAGE / "seed" / "nordhessen" / "manifest.yaml",
    _PACKAGE / "seed" / "synthetic" / "manifest.yaml",
)


def default_options(**overrides: object) -> IngestOptions:
    settings = get_settings()
    options = IngestOptions(
        batch_size=settings.batch_size,
        state_dir=settings.state_dir,
        suppression_salt=settings.suppression_salt.get_secret_value(),
    )
    for key, value in overrides.items():
        setattr(options, key, value)
    return options


def _is_manifest(path: Path) -> bool:
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        head = handle.read(65536)
    return any(line.startswith("files:") for line in head.splitlines())


def manifest_for(path: Path, label: str | None = None, *, encoding: str | None = None) -> Manifest:
    """The manifest to run for ``path``: the file itself if it is a manifest, else a one-file
    manifest that maps columns to ``label``'s properties. ``encoding`` overrides every file's."""
    manifest = _manifest_for(path, label, encoding or "utf-8")
    if encoding is not None:
        for spec in manifest.files:
            spec.encoding = encoding
    return manifest


def _manifest_for(path: Path, label: str | None, encoding: str) -> Manifest:
    if label is None:
        if path.is_file() and _is_manifest(path):
            return load_manifest(path)
        if is_template(path):
            return template_manifest(path)
        raise ManifestError(
            f"{path.name} is a data file: say which nodes its rows are with --label "
            "(e.g. --label Organisation), write a manifest (docs/manifest.md), or fill in "
            "the workbook that scaleup template akteure.xlsx writes"
        )
    columns: list[str] = []
    for _, row in read_rows(path, encoding=encoding):
        if "__error__" not in row:
            columns = list(row)
            break
    if not columns:
        raise ReadError(f"{path.name} has a header but no data rows")
    manifest = single_file_manifest(path, label, columns)
    manifest.text = f"single:{label}:{path.resolve()}"
    return manifest


def ingest_path(
    store: GraphStore,
    path: Path,
    *,
    label: str | None = None,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    return run_ingest(store, manifest_for(path, label), options or default_options(), progress)


def load_seed(
    store: GraphStore, *, options: IngestOptions | None = None, bulk: bool = False
) -> IngestReport:
    """Load the Nordhessen seed network and its synthetic demo population; returns the summed
    report. ``bulk``: a first load into an empty graph through the engine's bulk path."""
    options = options or default_options(check_duplicates=False)
    manifests = [load_manifest(p) for p in SEED_MANIFESTS if p.exists()]
    reports = (
        bulk_ingest(store, manifests, options)
        if bulk
        else [run_ingest(store, manifest, options) for manifest in manifests]
    )
    total: IngestReport | None = None
    for report in reports:
        if total is None:
            total = report
        else:
            total.nodes_written += report.nodes_written
            total.relationships_written += report.relationships_written
            total.bulk_nodes += report.bulk_nodes
            total.bulk_relationships += report.bulk_relationships
            total.bulk_seconds += report.bulk_seconds
            total.rows_read += report.rows_read
            total.suppressed += report.suppressed
            total.skipped_missing_endpoint += report.skipped_missing_endpoint
            total.rejects.extend(report.rejects)
            total.files.extend(report.files)
    if total is None:
        raise ManifestError("the seed network files are missing from this installation")
    return total


def open_data_dir() -> Path | None:
    """The open-data folder (cordis-h2020/, nuts-2021/): ``SCALEUP_OPEN_DATA``, else
    ``../shared/data`` beside the working directory or beside the source checkout."""
    configured = get_settings().open_data
    candidates = [configured] if configured else []
    candidates += [
        Path.cwd().parent / "shared" / "data",
        _PACKAGE.parents[2] / "shared" / "data",
        Path("/work/shared/data"),
    ]
    for candidate in candidates:
        if candidate is not None and (candidate / "cordis-h2020").is_dir():
            return candidate.resolve()
    return None


def cordis_manifest(data_dir: Path) -> Manifest:
    """The CORDIS + NUTS manifest, with its paths resolved under ``data_dir``."""
    return load_manifest(_PACKAGE / "ingest" / "manifests" / "cordis.yaml", base_dir=data_dir)


def load_cordis(
    store: GraphStore,
    data_dir: Path,
    *,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
    bulk: bool = False,
) -> IngestReport:
    """Ingest the CORDIS H2020 network (../shared/data) through the same manifest mechanism;
    ``bulk``: a first load into an empty graph through the engine's bulk path."""
    manifest, options = cordis_manifest(data_dir), options or default_options()
    if bulk:
        return bulk_ingest(store, [manifest], options, progress)[0]
    return run_ingest(store, manifest, options, progress)
