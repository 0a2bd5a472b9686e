"""A bulk load reads and checks its files in a second process while this one stages and sends.

On a machine with more than one core, :func:`~.bulk.bulk_ingest` forks a reading process
(:class:`RowFeed`) before its database writer starts. The child runs the part of each ingest run
that touches no store, in the order the run needs it: the preflight (every file read once,
headers checked, broken records listed), then each node mapping's rows keyed, validated and
checked for duplicates and repeats (:meth:`~.engine._Run.node_batches`), then each relationship
mapping's (:meth:`~.engine._Run.relationship_batches`). It sends each batch through a pipe with
what the batch's rows added to the report (rejected rows and cells, rejected node keys, rows
done). This process takes them in the same order where it would have made them itself, and does
the rest as before: suppression, merging into the staged graph, endpoints, duplicate links,
encoding for the writer. The report and the graph are the ones the same run makes in one process
(``tests/ingest/test_bulk.py`` runs both ways).

The reading process holds no connection and writes nothing: it only reads the input files. It
ignores Ctrl-C (this process stops it), ends when its pipe breaks (this process died), and is
stopped by :meth:`RowFeed.close` after any failure. An error in it (an unreadable file, a
missing column) is raised here as it was raised there.

Forked only from a process that runs no other thread (a fork copies one thread: a lock another
thread holds would stay held in the child); otherwise, and with one core, the run reads in this
process, as the ordinary ingest always does.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from scaleup_graph.store.base import StoreError

if TYPE_CHECKING:
    from scaleup_graph.ingest.engine import _Run

__all__ = ["RowFeed", "can_fork"]


def can_fork() -> bool:
    """Whether a reading process can be forked here: more than one core, fork available, and
    no other thread in this process."""
    return (
        (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


class RowFeed:
    """This process's end of the reading process: :meth:`preflight` and :meth:`batches` take
    what the child made for the run at hand, in the order the run asks for it."""

    def __init__(self, runs: Sequence[_Run]) -> None:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        self._conn: Connection | None = receiving
        self._process = context.Process(
            target=_read, args=(runs, sending, receiving), name="scaleup-ingest-reader"
        )
        self._process.daemon = True
        self._process.start()
        sending.close()  # the child's end: EOF here when the child is gone

    def preflight(self, run: _Run) -> None:
        """What the child's preflight of ``run`` found: the row counts and broken records."""
        kind, *rest = self._receive()
        if kind != "preflight":
            raise StoreError(f"the reading process sent {kind} where the preflight was due")
        run.total_rows, run.report.rows_read, rejects = rest
        run.report.rejects.extend(rejects)

    def batches(self, run: _Run) -> Iterator[Any]:
        """The batches of ``run``'s next mapping, with what their rows added to the report."""
        while True:
            kind, phase, ticks, rejects, rejected, batch = self._receive()
            run.report.rejects.extend(rejects)
            for label, entries in rejected:
                run.rejected[label].update(entries)
            if ticks:
                run._tick(phase, ticks)
            if kind == "end":
                return
            yield batch

    def _receive(self) -> tuple[Any, ...]:
        if self._conn is None:
            raise StoreError("the reading process was stopped")
        try:
            message: tuple[Any, ...] = self._conn.recv()
        except (EOFError, OSError):
            self._process.join(5)
            raise StoreError(
                "the process that reads the input files stopped unexpectedly (exit code "
                f"{self._process.exitcode}); nothing was written: run the same command again"
            ) from None
        if message[0] == "error":
            raise message[1]
        return message

    def close(self) -> None:
        """Stop the child (at once if it is still reading) and wait for it."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


class _Shipper:
    """The child's side: sends what the run added to its report since the last message."""

    def __init__(self, run: _Run, conn: Connection) -> None:
        self.run, self.conn = run, conn
        self.rejects = len(run.report.rejects)
        self.ticks = run.done_rows
        self.rejected = {label: len(keys) for label, keys in run.rejected.items()}

    def send(self, kind: str, phase: str, batch: Any = None) -> None:
        run = self.run
        rejects = run.report.rejects[self.rejects :]
        self.rejects = len(run.report.rejects)
        ticks, self.ticks = run.done_rows - self.ticks, run.done_rows
        rejected = []
        for label, keys in run.rejected.items():
            if len(keys) > self.rejected[label]:
                rejected.append(
                    (label, list(itertools.islice(keys.items(), self.rejected[label], None)))
                )
                self.rejected[label] = len(keys)
        self.conn.send((kind, phase, ticks, rejects, rejected, batch))


def _read(runs: Sequence[_Run], conn: Connection, other_end: Connection) -> None:
    """The reading process: every run's preflight and mappings, in the order stage() takes them."""
    other_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent; it stops us
    try:
        for run in runs:
            run.progress = None  # the parent reports progress from the counts we send
            run.preflight()
            conn.send(("preflight", run.total_rows, run.report.rows_read, run.report.rejects))
            shipper = _Shipper(run, conn)
            for _, spec, _, mapping in run.node_steps():
                for batch in run.node_batches(spec, mapping):
                    shipper.send("batch", "nodes", batch)
                shipper.send("end", "nodes")
            for _, spec, _, relationship in run.relationship_steps():
                for rows in run.relationship_batches(spec, relationship):
                    shipper.send("batch", "relationships", rows)
                shipper.send("end", "relationships")
    except BrokenPipeError:
        return  # the parent is gone or stopped us: nothing to tell
    except BaseException as exc:  # noqa: BLE001 - raised again in the parent
        try:
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            conn.send(("error", StoreError(f"reading the input failed: {exc}")))
    finally:
        conn.close()
