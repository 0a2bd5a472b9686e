"""Checkpoints: which batches of an input are committed, so a killed run resumes without
doubling or losing anything.

A run is identified by the content of the manifest and of every file it reads; the same input
resumes the same run (same run id), a changed input starts a new one. Batches are MERGEs on keys,
so a batch that committed just before the kill and is written again changes nothing.

With each batch the checkpoint records the store's write witness
(:meth:`~scaleup_graph.store.GraphStore.write_witness`: the write counter, the numbers of nodes
and relationships). A resume skips the committed batches only while the graph still shows that
witness; a graph that changed since (emptied, another database folder, a write by anyone) may no
longer hold those batches, and the run starts again from its first batch (MERGE: safe).
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
    #: the store's write witness after the last committed batch (None: nothing committed, or
    #: a checkpoint written before witnesses were kept)
    witness: str | None = None
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
                    witness=data.get("witness"),
                    batch_size=data.get("batch_size"),
                )
            except (ValueError, KeyError, OSError):
                path.unlink(missing_ok=True)  # a torn checkpoint: start over (MERGE is safe)
        return cls(path, run_id, started_at)

    def batches_done(self, mapping: str) -> int:
        return self.done.get(mapping, 0)

    def commit(
        self, mapping: str, batches: int, witness: str | None = None, batch_size: int | None = None
    ) -> None:
        """Record durably that ``batches`` batches (of ``batch_size`` rows) of ``mapping`` are in
        the store, which shows ``witness`` now."""
        self.done[mapping] = batches
        self.witness = witness
        self.batch_size = batch_size
        self.save()

    def stale(self, witness: str, batch_size: int) -> str | None:
        """Why the committed batches cannot be skipped (the store no longer shows the witness
        they were recorded with, or the batches are counted in another size), or None."""
        if not self.done:
            return None
        if self.batch_size != batch_size:
            return f"its batches were {self.batch_size} rows, this run's are {batch_size}"
        if self.witness != witness:
            return (
                "the graph changed after it wrote its last batch (emptied, another database, "
                "or other writes since), so it may no longer hold the batches its checkpoint "
                "lists"
            )
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
                    "witness": self.witness,
                    "batch_size": self.batch_size,
                },
                handle,
            )
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
