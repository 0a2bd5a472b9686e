"""A bench's scratch folder: removed on the way out, with every database server started in it.

A bench that fails half-way (a missing tool, a failed assertion, Ctrl-C) must not leave an
embedded FalkorDB server running on a folder that is then deleted under it, nor the folder
behind. ``tempfile.TemporaryDirectory`` removed the folder but not the server: a store left
open by the failing step holds a connection, so its ``close()`` never came or found "another
client" and kept the server up (``bench.ingest_bulk`` without falkordb-bulk-loader left one
running per run). :func:`scratch_folder` stops every server whose folder lies inside, whatever
still holds it, then removes the folder. Folders kept on purpose between runs (the loaded
graphs of ``bench.metrics_speed``, ``bench.api_wrk``, ...) are not scratch: their stores are
closed in ``with`` blocks, so a failure stops the server when no other process uses it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["scratch_folder", "stop_servers_under"]


def stop_servers_under(folder: Path) -> list[int]:
    """Stop (SIGKILL: the data is thrown away) every running embedded server whose database
    folder is ``folder`` or inside it; returns their process ids."""
    from scaleup_graph.store.embedded import EmbeddedServer

    stopped = []
    for state in sorted(Path(folder).rglob("server.json")):
        server = EmbeddedServer(state.parent)
        pid = server.pid()
        if pid is not None:
            server.kill()
            server.socket.unlink(missing_ok=True)  # in /tmp when the folder's path is long
            stopped.append(pid)
    return stopped


@contextmanager
def scratch_folder(prefix: str, dir: Path | None = None) -> Iterator[Path]:
    """A new temporary folder (under ``dir``, else ``$TMPDIR``); on the way out, an exception
    included, every database server in it is stopped and the folder removed."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=dir))
    try:
        yield folder
    finally:
        stop_servers_under(folder)
        shutil.rmtree(folder, ignore_errors=True)
