"""Checkpoints: which batches of an input are committed, so a killed run resumes without
doubling or losing anything.

A run is identified by the content of the manifest and of every file it reads; the same input
resumes the same run (same run id), a changed input starts a new one. Batches are MERGEs on keys,
so a batch that committed just before the kill and is written again changes nothing.
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
                )
            except (ValueError, KeyError, OSError):
                path.unlink(missing_ok=True)  # a torn checkpoint: start over (MERGE is safe)
        return cls(path, run_id, started_at)

    def batches_done(self, mapping: str) -> int:
        return self.done.get(mapping, 0)

    def commit(self, mapping: str, batches: int) -> None:
        """Record durably that ``batches`` batches of ``mapping`` are in the store."""
        self.done[mapping] = batches
        self.save()

    def save(self) -> None:
        """Write the checkpoint durably (a run that starts writes it, so a rerun after a kill
        keeps the run id)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w") as handle:
            json.dump(
                {"run_id": self.run_id, "started_at": self.started_at, "done": self.done}, handle
            )
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
