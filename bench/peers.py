"""Peers that load the same generated CSV files as our ingest: LadybugDB and plain networkx.

    .venv/bin/python -m bench.peers MANIFEST [--repeat N]

Both read the files a :func:`scaleup_graph.ingest.generate.generate_population` manifest names
(node files: ``id`` first; relationship files: ``start,end`` first), so the work is the same
rows as our ingest reads, minus what only we do: validation, the reject report, checkpoints,
provenance properties and MERGE semantics (upsert into a graph that may already hold data).

- :func:`ladybug_copy`: LadybugDB (``ladybug`` on PyPI, the maintained Kuzu fork), one node
  table per label and one relationship table per (type, start label, end label), every column
  ``STRING``, filled with ``COPY FROM`` the CSV into an empty on-disk database.
- :func:`networkx_build`: a ``networkx.MultiDiGraph`` built from the CSV with :mod:`csv`,
  every column as a node or edge attribute.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from unittest.mock import patch

import networkx as nx
import yaml

from bench.scratch import scratch_folder


@dataclass(slots=True)
class CsvGraph:
    """The node and relationship files of one manifest, with their labels and columns."""

    folder: Path
    nodes: list[tuple[str, Path, list[str]]] = field(default_factory=list)
    rels: list[tuple[str, str, str, Path, list[str]]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Data rows in all files (what our ingest reports as ``rows_read``)."""
        files = [p for _, p, _ in self.nodes] + [p for *_, p, _ in self.rels]
        total = 0
        for path in files:
            with path.open(encoding="utf-8", newline="") as handle:
                total += sum(1 for _ in csv.reader(handle)) - 1
        return total


def read_manifest(manifest: Path) -> CsvGraph:
    """The files of a generated manifest: labels from the mapping, columns from the header."""
    spec = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    graph = CsvGraph(manifest.parent)
    for entry in spec["files"]:
        path = manifest.parent / entry["path"]
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        for node in entry.get("nodes", []):
            graph.nodes.append((node["label"], path, header))
        for rel in entry.get("relationships", []):
            graph.rels.append(
                (rel["type"], rel["start"]["label"], rel["end"]["label"], path, header)
            )
    return graph


def package_version(name: str) -> str:
    """The installed distribution's version, or ``"missing"``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def ladybug_version() -> str:
    """The installed ``ladybug`` version."""
    return package_version("ladybug")


def ladybug_copy(graph: CsvGraph, folder: Path) -> dict[str, Any]:
    """Create the schema and ``COPY FROM`` every file into a new database under ``folder``.

    Returns ``seconds`` (the COPY statements: our ingest's timing also starts after its schema
    set-up), ``schema_s`` (CREATE TABLE statements), node and relationship counts.
    """
    import ladybug as lb

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = lb.Database(str(folder / "db"))
    conn = lb.Connection(db)
    schema_started = time.perf_counter()
    for label, _, header in graph.nodes:
        cols = ", ".join(f"`{c}` STRING" for c in header)
        conn.execute(f"CREATE NODE TABLE `{label}` ({cols}, PRIMARY KEY (`id`))")
    tables: list[str] = []
    for i, (rtype, start, end, _, header) in enumerate(graph.rels):
        name = f"{rtype}_{i}"
        cols = "".join(f", `{c}` STRING" for c in header[2:])
        conn.execute(f"CREATE REL TABLE `{name}` (FROM `{start}` TO `{end}`{cols})")
        tables.append(name)
    schema_s = time.perf_counter() - schema_started
    started = time.perf_counter()
    for label, path, _ in graph.nodes:
        conn.execute(f"COPY `{label}` FROM '{path}' (header=true)")
    for name, (*_, path, _) in zip(tables, graph.rels, strict=True):
        conn.execute(f"COPY `{name}` FROM '{path}' (header=true)")
    seconds = time.perf_counter() - started
    nodes = _scalar(conn, "MATCH (n) RETURN count(n)")
    rels = _scalar(conn, "MATCH ()-[r]->() RETURN count(r)")
    conn.close()
    db.close()
    return {"seconds": seconds, "schema_s": schema_s, "nodes": nodes, "relationships": rels}


def bulk_loader() -> Path:
    """The ``falkordb-bulk-insert`` command beside this interpreter, or a clear exit."""
    tool = Path(sys.executable).with_name("falkordb-bulk-insert")
    if not tool.exists():
        raise SystemExit(
            f"{tool.name} is not installed: .venv/bin/pip install -e '.[dev,bench]' "
            "(falkordb-bulk-loader is in the bench extra), then run this again"
        )
    return tool


def falkordb_bulk(graph: CsvGraph, url: str, name: str, indexes: bool = False) -> dict[str, Any]:
    """``falkordb-bulk-insert`` (GRAPH.BULK) of the same CSV files into a new graph ``name`` of
    the embedded server at ``url``; seconds include the tool's process start (~0.5 s).

    With ``indexes``, ``indexes_s`` is what it then takes to give the loaded graph our indexes,
    constraints and full-text indexes (setup_schema without its backfill of search texts),
    wait until the engine has built them, and rewrite the append-only file: what our bulk load
    does beyond the tool's part. The tool's graph has no search texts or folded keys, so those
    indexes hold less than ours.

    The tool takes the first column as the node id (global across labels: ours are prefixed),
    the first two of a relationship file as its endpoints, and infers value types.
    """
    from scaleup_graph.store import open_store
    from scaleup_graph.store.falkordb import FalkorDBStore

    tool = bulk_loader()
    # closed on every way out: a store left open keeps the server up after the bench
    with open_store(url, graph=name) as store:
        if not isinstance(store, FalkorDBStore) or store.server is None:
            raise SystemExit(f"{url} is not an embedded database (embedded:///path/to/dir)")
        store.clear()
        server = store.server
        args = [str(tool), name, "--server-url", f"unix://{server.socket}", "--id-type", "STRING"]
        for label, path, _ in graph.nodes:
            args += ["--nodes-with-label", label, str(path)]
        for rtype, _, _, path, _ in graph.rels:
            args += ["--relations-with-type", rtype, str(path)]
        started = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        indexes_s = 0.0
        if indexes:
            # the indexes alone: the loader's graph has no search text or folded keys, and
            # setup_schema would compute them for every node (work ours does while staging)
            started = time.perf_counter()
            with patch.object(store, "backfill_search_text", lambda batch=0: 0):
                store.setup_schema()
            listing = "CALL db.indexes() YIELD status RETURN status"
            while any(str(r["status"]).upper() != "OPERATIONAL" for r in store.read(listing)):
                time.sleep(0.01)
            store._rewrite_append_only_file()
            indexes_s = time.perf_counter() - started
        nodes = store.read("MATCH (n) RETURN count(n) AS c")[0]["c"]
        rels = store.read("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
        store.clear()
    return {"seconds": seconds, "indexes_s": indexes_s, "nodes": nodes, "relationships": rels}


def _scalar(conn: Any, query: str) -> int:
    result = conn.execute(query)
    return int(result.get_next()[0])


def networkx_build(graph: CsvGraph) -> tuple[float, nx.MultiDiGraph]:
    """Seconds to build a ``MultiDiGraph`` of every row (attributes included), and the graph."""
    started = time.perf_counter()
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for label, path, _ in graph.nodes:
        with path.open(encoding="utf-8", newline="") as handle:
            g.add_nodes_from(
                (row.pop("id"), {"label": label, **row}) for row in csv.DictReader(handle)
            )
    for rtype, _, _, path, _ in graph.rels:
        with path.open(encoding="utf-8", newline="") as handle:
            g.add_edges_from(
                (row.pop("start"), row.pop("end"), {"type": rtype, **row})
                for row in csv.DictReader(handle)
            )
    return time.perf_counter() - started, g


def igraph_of(graph: nx.Graph) -> Any:
    """The same undirected graph as an ``igraph.Graph`` (built once, outside any timing)."""
    import igraph as ig

    index = {n: i for i, n in enumerate(graph)}
    return ig.Graph(n=len(index), edges=[(index[a], index[b]) for a, b in graph.edges()])


def metric_peers(graph: nx.Graph, big: bool) -> dict[str, dict[str, Any]]:
    """For each metric, the plain networkx and igraph calls doing the same algorithm.

    ``big`` (above ~100,000 relationships) leaves out the calls DESIGN.md 8 measured at minutes
    (networkx Louvain and sampled betweenness, igraph exact betweenness).
    """
    ig_graph = igraph_of(graph)
    sample = min(256, graph.number_of_nodes())
    peers: dict[str, dict[str, Any]] = {
        "pagerank": {
            "networkx": lambda: nx.pagerank(graph),
            "igraph": lambda: ig_graph.pagerank(),
        },
        "louvain": {
            "networkx": None if big else lambda: nx.community.louvain_communities(graph, seed=1),
            "igraph": lambda: ig_graph.community_multilevel(),
        },
        "betweenness": {
            "networkx": None if big else lambda: nx.betweenness_centrality(graph, k=sample, seed=1),
            "igraph": None if big else lambda: ig_graph.betweenness(directed=False),
        },
        "kcore": {
            "networkx": lambda: nx.core_number(graph),
            "igraph": lambda: ig_graph.coreness(),
        },
    }
    return peers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    graph = read_manifest(args.manifest)
    lb_s, nx_s = [], []
    with scratch_folder("bench-peers-") as tmp:
        for _ in range(args.repeat):
            lb_s.append(ladybug_copy(graph, Path(tmp) / "lb")["seconds"])
            nx_s.append(networkx_build(graph)[0])
    print(f"ladybug {ladybug_version()} COPY median {statistics.median(lb_s):.2f} s")
    print(f"networkx {nx.__version__} build median {statistics.median(nx_s):.2f} s")


if __name__ == "__main__":
    main()
