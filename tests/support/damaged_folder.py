"""A database folder the embedded server cannot load, made as issue 18's folder was: a late
constraint entry (GRAPH.EFFECT) in the append-only file that names a label id the graph does
not have."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DamagedFolder", "damage", "late_constraint"]


def late_constraint(label_id: int) -> bytes:
    """A constraint's late entry as FalkorDB logs it (issue 18's folder): a unique constraint
    on the nodes of label ``label_id`` named "ContentItem", attribute 0 "id"."""
    return (
        bytes.fromhex("020d000000000000000100000000")[:-1]
        + label_id.to_bytes(4, "little")
        + bytes.fromhex("0c00000000000000")
        + b"ContentItem\x00"
        + bytes.fromhex("0100000300000000000000")
        + b"id\x00"
    )


@dataclass(frozen=True)
class DamagedFolder:
    folder: Path
    #: the append-only file that holds the bad entry, and its bytes before it (a "backup")
    incr: Path
    intact: bytes

    def restore(self) -> None:
        """What an operator does: put the file back as it was before the damage."""
        self.incr.write_bytes(self.intact)


def damage(
    folder: Path, graph: str = "g", label_id: int = 20, *, build: bool = True
) -> DamagedFolder:
    """Build the folder (graph ``g``, its schema; ContentItem is label 9; ``build=False``: a
    folder of graph ``g`` whose server is not running) and append a late constraint entry for
    ``graph`` and ``label_id``. The defaults make a server that says why and exits;
    ``("other", 9)`` one that crashes (a signal) while loading."""
    from scaleup_graph.store import open_store

    if build:
        open_store(f"embedded://{folder}", graph="g").close()
    (incr,) = folder.joinpath("appendonlydir").glob("*.incr.aof")
    intact = incr.read_bytes()
    command = [b"GRAPH.EFFECT", graph.encode(), late_constraint(label_id)]
    incr.write_bytes(
        intact + b"*3\r\n" + b"".join(b"$%d\r\n%s\r\n" % (len(part), part) for part in command)
    )
    return DamagedFolder(folder, incr, intact)
