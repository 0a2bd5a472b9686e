"""The bulk first load: ``scaleup ingest --bulk`` into an empty graph.

The ordinary ingest (:mod:`.engine`) runs unchanged, with its reading, validation, reject
report, provenance and near-duplicate check, but writes into a :class:`StagedGraph` in memory
that applies the store's own MERGE semantics. The store's bulk writer (FalkorDB: GRAPH.BULK,
from a thread of its own) writes the staged graph while the rest is staged, so the database
server works on the other core: it creates the empty graph with its indexes while the files are
read, takes the nodes once the last node mapping of the load is through (no later write changes
a node) and each relationship type once its last mapping is through. The write is all or
nothing: a failure (a bad file, a refused command, Ctrl-C) deletes what was sent and leaves the
empty graph; a run killed at any point is resumed by running the same command again (the
checkpoint keeps the run id; a half-written graph is replaced).

The result is the graph the ordinary ingest of the same input writes, property for property
(``tests/ingest/test_bulk.py``). Only for an empty graph: adding to a graph needs MERGE, which is
what the ordinary ingest does. FalkorDB only: on Neo4j use ``scaleup export neo4j-import``.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence

from scaleup_graph.ingest.engine import IngestOptions, IngestReport, Progress, _Run
from scaleup_graph.ingest.manifest import Manifest
from scaleup_graph.ingest.prepare import reading_process
from scaleup_graph.store import GraphStore
from scaleup_graph.store.staged import StagedGraph

__all__ = ["bulk_ingest"]


def bulk_ingest(
    store: GraphStore,
    manifests: Sequence[Manifest],
    options: IngestOptions | None = None,
    progress: Progress | None = None,
) -> list[IngestReport]:
    """Ingest ``manifests`` (in order, as one load) into the empty graph of ``store`` in bulk.

    Returns one report per manifest, as :func:`~.engine.run_ingest` would; the last one's
    ``bulk_seconds`` is how long the database write went on after the staging.
    Raises Conflict (the graph is not empty), Invalid (the store has no bulk path),
    ManifestError / ReadError (nothing written) and StoreError (the write failed and was
    undone).
    """
    options = options or IngestOptions()
    store.bulk_check()
    staged = StagedGraph(store)
    runs = [_Run(staged, manifest, options, progress, bulk=True) for manifest in manifests]
    for run in runs:  # nothing to check a person's identifiers against
        run.hash_identifiers = bool(staged.suppression)
    writer = None
    if runs and not options.dry_run:
        # the last run stages the last node writes of the load: the writer sends the nodes and
        # each finished relationship type from there, while the rest is staged
        writer = runs[-1].writer = store.bulk_writer(staged)
    # The staged graph and the rows are hundreds of thousands of long-lived objects that hold
    # no reference cycles; the cyclic garbage collector would walk all of them again and again
    # as they grow (a third of the staging time at M). Reference counting still frees the rest.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # forked before the writer's thread starts: from a process with one thread
        with reading_process(runs, options.parallel, early=True) as feed:
            if writer is not None:
                writer.start()
                if feed is not None:  # while the reading process has no rows ready
                    feed.idle = writer.ahead
            reports = [run.stage() for run in runs]
        if writer is not None:
            finishing = time.perf_counter()
            nodes, relationships = writer.finish(meanwhile=runs[-1].check_near_duplicates)
            # the database's part that did not overlap the staging
            reports[-1].bulk_seconds = round(time.perf_counter() - finishing, 3)
            for report in reports:
                report.bulk = True
            reports[-1].bulk_nodes, reports[-1].bulk_relationships = nodes, relationships
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        # let go of the staged graph before the collector is back: it would otherwise walk
        # every object made during the load once more (a second at M)
        staged.clear()
        if collecting:
            gc.enable()
    for run in runs:
        run.finish()
    return reports
