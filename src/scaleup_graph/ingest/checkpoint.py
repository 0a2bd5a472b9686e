"""Checkpoints: which batches of an input are committed, so a killed run resumes without
doubling or losing anything.

A run is identified by the content of the manifest and of every file it reads; the same input
resumes the same run (same run id), a changed input starts a new one. Batches are MERGEs on keys,
so a batch that committed just before the kill and is written again changes nothing.

The checkpoint file says what a run wrote; only the database can say what it still holds. After
each batch the store records the run's batches beside the graph too
(:meth:`~scaleup_graph.store.GraphStore.record_ingest_progress`; FalkorDB: a key that clearing
or bulk-loading the graph deletes), then the file. A resume skips, per mapping, the smaller of
the two counts: a graph emptied since, or another database folder, holds no record of the run,
and the run starts again from its first batch (MERGE: safe) instead of skipping what is gone. A
store that keeps no record (Neo4j) is checked for emptiness. The batch size is kept too: batches
counted in another size name other rows.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Checkpoint", "input_identity"]


def input_identity(manifest_text: str, files: list[Path]) -> str:
    digest = hashlib.sha256(manifest_text.encode())
    for path in files:
        digest.update(str(path.name).encode())
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:24]


@dataclass(slots=True)
class Checkpoint:
    path: Path
    run_id: str
    started_at: str
    done: dict[str, int] = field(default_factory=dict)
    resumed: bool = False
    #: the batch size the batches were counted in (a resume in another size would skip rows)
    batch_size: int | None = None

    @classmethod
    def open(cls, directory: Path, identity: str, run_id: str, started_at: str) -> Checkpoint:
        path = directory / f"{identity}.json"
        if path.exists():
            try:
                data = json.loads(path.read_text())
                return cls(
                    path,
                    data["run_id"],
                    data["started_at"],
                    {k: int(v) for k, v in data["done"].items()},
                    resumed=True,
                    batch_size=data.get("batch_size"),
                )
            except (ValueError, KeyError, OSError):
                path.unlink(missing_ok=True)  # a torn checkpoint: start over (MERGE is safe)
        return cls(path, run_id, started_at)

    def batches_done(self, mapping: str) -> int:
        return self.done.get(mapping, 0)

    def commit(self, mapping: str, batches: int, batch_size: int | None = None) -> None:
        """Record durably that ``batches`` batches (of ``batch_size`` rows) of ``mapping`` are in
        the store."""
        self.done[mapping] = batches
        self.batch_size = batch_size
        self.save()

    def held(self, recorded: dict[str, int] | None, batch_size: int, empty: bool) -> str | None:
        """Check the committed batches against what the store holds, keeping only those it
        holds; returns why none can be skipped (the run must start again), or None.

        ``recorded``: the batches the store recorded for this run (None: it keeps no record);
        ``empty``: the graph holds no node.

        >>> c = Checkpoint(Path("x.json"), "run-1", "", {"0:n0": 4, "1:r0": 2}, batch_size=100)
        >>> c.held({"0:n0": 4, "1:r0": 1}, 100, False), c.done  # killed before the file
        (None, {'0:n0': 4, '1:r0': 1})
        >>> c.held({}, 100, False)[:34]
        'the graph holds no batch of it (em'
        >>> c.held(None, 100, True), c.held(None, 250, False)
        ('the graph is empty now', "its batches were 100 rows, this run's are 250")
        """
        if not self.done:
            return None
        if self.batch_size != batch_size:
            return f"its batches were {self.batch_size} rows, this run's are {batch_size}"
        if recorded is None:
            return "the graph is empty now" if empty else None
        if not recorded:
            return (
                "the graph holds no batch of it (emptied, replaced by a bulk load or another "
                "database since)"
            )
        # a kill between a batch's write and either record: the batch is written again
        self.done = {m: min(n, recorded.get(m, 0)) for m, n in self.done.items()}
        return None

    def save(self) -> None:
        """Write the checkpoint durably (a run that starts writes it, so a rerun after a kill
        keeps the run id)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w") as handle:
            json.dump(
                {
                    "run_id": self.run_id,
                    "started_at": self.started_at,
                    "done": self.done,
                    "batch_size": self.batch_size,
                },
                handle,
            )
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
