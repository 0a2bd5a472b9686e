"""A bulk load reads and checks its files in a second process while this one stages and sends.

On a machine with more than one core, :func:`~.bulk.bulk_ingest` of 4 MB or more forks a
reading process (:class:`RowFeed`) before its database writer starts. The child runs the part
of each ingest run that touches no store, in the order the run needs it: the header check of
every file; each node file read when its first mapping is due and that mapping's rows keyed,
validated and checked for duplicates and repeats (:meth:`~.engine._Run.node_batches`), so this
process has work from the first batch on; then each relationship mapping's rows
(:meth:`~.engine._Run.relationship_batches`), each file read when its first mapping is due, so
this process has relationships to stage as soon as it has sent the nodes. Until every file is
read, the progress's total counts the unread files' line breaks (:func:`~.readers.estimate_rows`,
never fewer than their rows); the exact counts come when the last file is read.
It sends each batch through a pipe with what the batch's rows added to the report (rejected
rows and cells, rejected node keys, rows done). This process takes them in the same order where
it would have made them itself, and does the rest as before: suppression, merging into the
staged graph, search keys, endpoints, duplicate links, encoding for the writer. The report and
the graph are the ones the same run makes in one process (``tests/ingest/test_bulk.py`` runs
both ways). Reading every file before the first write matters for the ordinary ingest (nothing
written if one cannot be read), which reads them all first when it is asked for a reading
process (``IngestOptions(parallel=True)``; not by default, see :func:`wanted`); a bulk load
writes nothing it does not undo on any failure, so it can start before the last file is read.

The child writes its messages from a thread of its own (:class:`_Outbox`), so it reads and
checks up to 16 messages ahead of this process (the ordinary ingest's node batches are all
written before the child reads on to the relationships).

The reading process holds no connection and writes nothing: it only reads the input files. It
ignores Ctrl-C (this process stops it), ends when its pipe breaks (this process died), and is
stopped by :meth:`RowFeed.close` after any failure. An error in it (an unreadable file, a
missing column) is raised here as it was raised there.

Forked only from a process that runs no other thread (a fork copies one thread: a lock another
thread holds would stay held in the child); otherwise, and with one core, the run reads in this
process, as the ordinary ingest does by default.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from scaleup_graph.ingest.readers import estimate_rows
from scaleup_graph.store.base import StoreError

if TYPE_CHECKING:
    from scaleup_graph.ingest.engine import _Run
    from scaleup_graph.ingest.manifest import FileSpec, Manifest

__all__ = ["PARALLEL_FROM_BYTES", "RowFeed", "can_fork", "reading_process", "wanted"]


def can_fork() -> bool:
    """Whether a reading process can be forked here: more than one core, fork available, and
    no other thread in this process."""
    return (
        (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


#: inputs smaller than this (all files, on disk) are read in the run's own process unless
#: ``IngestOptions.parallel`` says otherwise: forking costs more than it saves for them
PARALLEL_FROM_BYTES = 4_000_000


def wanted(parallel: bool | None, manifests: Sequence[Manifest], *, bulk: bool) -> bool:
    """Whether a load of ``manifests`` reads in a second process: never with
    ``parallel=False``, where one can be forked with ``True``, and with ``None`` (the default)
    for a bulk load where one can be forked and the input has at least
    :data:`PARALLEL_FROM_BYTES`. Not by default for the ordinary ingest: it waits on the
    database most of the time (at M: 7.5 s of its own CPU against the database's 14.6 s), and a
    second process made it no faster (23.3 s in one process, 24.7 s in two, same run)."""
    if parallel is False or not can_fork():
        return False
    if parallel:
        return True
    if not bulk:
        return False
    paths = {spec.path for manifest in manifests for spec in manifest.files}
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):  # a missing file: the run says so
            size += path.stat().st_size
    return size >= PARALLEL_FROM_BYTES


@contextlib.contextmanager
def reading_process(
    runs: Sequence[_Run], parallel: bool | None, *, early: bool
) -> Iterator[RowFeed | None]:
    """A reading process for ``runs`` if :func:`wanted` (else None), stopped on the way out.
    ``early``: a bulk load, whose rows may come before every file is read."""
    manifests = [r.manifest for r in runs]
    feed = RowFeed(runs, early=early) if wanted(parallel, manifests, bulk=early) else None
    for run in runs:
        run.feed = feed
        run.report.reading_process = feed is not None
    try:
        yield feed
    finally:
        for run in runs:
            run.feed = None
        if feed is not None:
            feed.close()


class RowFeed:
    """This process's end of the reading process: :meth:`counts`, :meth:`batches` and
    :meth:`finish` take what the child made for the run at hand, in the order the run asks."""

    def __init__(self, runs: Sequence[_Run], *, early: bool) -> None:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        self.early = early
        self._conn: Connection | None = receiving
        self._batch: Any = None
        #: work this process does while the child has nothing ready (a bulk load encodes the
        #: staged nodes ahead); returns False when it has none left
        self.idle: Callable[[], bool] | None = None
        self._process = context.Process(
            target=_read, args=(runs, sending, receiving, early), name="scaleup-ingest-reader"
        )
        self._process.daemon = True
        self._process.start()
        sending.close()  # the child's end: EOF here when the child is gone

    def counts(self, run: _Run) -> None:
        """Wait until every file of ``run`` is read (an ordinary ingest writes nothing before:
        a file that cannot be read stops the run with nothing written)."""
        if self._take(run) != "counts":
            raise StoreError("the reading process sent rows before the files were read")

    def batches(self, run: _Run) -> Iterator[Any]:
        """The batches of ``run``'s next mapping, with what their rows added to the report."""
        while (kind := self._take(run)) != "end":
            if kind == "batch":
                yield self._batch

    def finish(self, run: _Run) -> None:
        """The rest of what the child sent for ``run``: the counts, if not taken yet."""
        while self._take(run) != "done":
            pass

    def _take(self, run: _Run) -> str:
        """One message for ``run``: applies what it adds to the report, keeps its batch in
        :attr:`_batch`; returns its kind (``batch``, ``counts``, ``end`` of a mapping,
        ``done``: the run is through)."""
        kind, phase, ticks, rejects, rejected, payload = self._receive()
        run.report.rejects.extend(rejects)
        for label, entries in rejected:
            run.rejected[label].update(entries)
        if kind == "counts":
            # every file is read: from here on the progress has its total
            run.total_rows, run.report.rows_read = payload
            if run.progress and run.done_rows:
                run.progress(phase, run.done_rows, run.total_rows)
        elif kind == "estimate":
            # a bulk load's files not read yet, counted by their line breaks: the total for
            # now (at least the real one), until the counts come
            run.total_rows = payload
        if ticks:
            if run.total_rows:
                run._tick(phase, ticks)
            else:  # a bulk load's rows before every file is read: no total yet (0)
                run.done_rows += ticks
                if run.progress:
                    run.progress(phase, run.done_rows, 0)
        self._batch = payload
        return str(kind)

    def _receive(self) -> tuple[Any, ...]:
        if self._conn is None:
            raise StoreError("the reading process was stopped")
        try:
            if self.idle is not None:
                while not self._conn.poll() and self.idle():
                    pass
            message: tuple[Any, ...] = self._conn.recv()
        except (EOFError, OSError):
            self._process.join(5)
            raise StoreError(
                "the process that reads the input files stopped unexpectedly (exit code "
                f"{self._process.exitcode}); "
                + (
                    "nothing was written: run the same command again"
                    if self.early
                    else "the batches written so far are kept: run the same command again "
                    "to go on from there"
                )
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


class _Outbox:
    """The child's end of the pipe, written by a thread of its own: the child reads and checks
    on while this process is still busy with earlier batches (up to ``depth`` messages ahead),
    so a file read at a mapping's start does not leave this process waiting."""

    def __init__(self, conn: Connection, depth: int = 16) -> None:
        self.conn = conn
        self.broken = False
        self._queue: queue.Queue[tuple[Any, ...] | None] = queue.Queue(depth)
        self._thread = threading.Thread(target=self._write, name="reader-outbox", daemon=True)
        self._thread.start()

    def send(self, message: tuple[Any, ...]) -> None:
        if self.broken:
            raise BrokenPipeError("the ingest process stopped reading")
        self._queue.put(message)

    def drain(self) -> None:
        """Wait until every message sent so far is written (or the pipe broke)."""
        self._queue.join()

    def flush(self) -> None:
        """Wait until every message is written (or the pipe broke); the thread ends."""
        self._queue.put(None)
        self._thread.join()

    def _write(self) -> None:
        while (message := self._queue.get()) is not None:
            try:
                if not self.broken:  # else drain: the sender must not block on a full queue
                    self.conn.send(message)
            except OSError:  # BrokenPipeError among them: the parent is gone or stopped us
                self.broken = True
            finally:
                self._queue.task_done()


class _Shipper:
    """The child's side: sends what the run added to its report since the last message."""

    def __init__(self, run: _Run, conn: _Outbox) -> None:
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


def _read(runs: Sequence[_Run], conn: Connection, other_end: Connection, early: bool) -> None:
    """The reading process: every run's files and mappings, in the order stage() takes them.
    ``early`` (a bulk load): each file is read when its first mapping is due and the rows sent
    at once, so the parent has work from the start; an estimate of the total before the
    relationships, the exact counts once every file is read. Otherwise every file is read and
    counted first, and every node batch is written before the relationships are read."""
    other_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent; it stops us
    # the parent's objects are shared with us until written to: the collector must not walk
    # (and so copy) them; our own garbage is still collected (unless the parent paused it)
    gc.freeze()
    outbox = _Outbox(conn)
    try:
        for run in runs:
            run.progress = None  # the parent reports progress from the counts we send
            shipper = _Shipper(run, outbox)
            run.check_headers()
            unread = list(run.manifest.files)

            def read(spec: FileSpec, unread: list[FileSpec] = unread, run: _Run = run) -> None:
                for i, waiting in enumerate(unread):
                    if waiting is spec:
                        del unread[i]
                        run.read_file(spec)
                        return

            if not early:
                while unread:
                    read(unread[0])
                shipper.send("counts", "nodes", (run.total_rows, run.report.rows_read))
            for _, spec, _, mapping in run.node_steps():
                read(spec)
                _send_mapping(shipper, "nodes", run.node_batches(spec, mapping))
            if not early:
                # the ordinary ingest commits each node batch as it comes: every one is with
                # the parent before the relationships are read (a reading process that dies
                # there leaves all the nodes written, and the run resumes from them)
                outbox.drain()
            else:
                # the other files are read when their first mapping is due, so this process
                # gets relationships at once; until every file is read, the progress has a
                # total counted from their line breaks (the counts follow when it is exact)
                shipper.send("estimate", "relationships", _estimate(run, unread, read))
            for _, spec, _, relationship in run.relationship_steps():
                read(spec)
                batches = run.relationship_batches(spec, relationship)
                _send_mapping(shipper, "relationships", batches)
            if early:
                while unread:  # files no mapping uses: their broken records, their rows
                    read(unread[0])
                shipper.send("counts", "relationships", (run.total_rows, run.report.rows_read))
            shipper.send("done", "relationships")
        outbox.flush()
    except BrokenPipeError:
        return  # the parent is gone or stopped us: nothing to tell
    except BaseException as exc:  # noqa: BLE001 - raised again in the parent
        outbox.flush()  # what was found before, then the error
        if outbox.broken:
            return
        try:
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            conn.send(("error", StoreError(f"reading the input failed: {exc}")))
    finally:
        conn.close()


def _estimate(run: _Run, unread: list[FileSpec], read: Callable[[FileSpec], None]) -> int:
    """The progress's total: the rows read so far and an estimate of the unread files' (a
    file that cannot be estimated, a spreadsheet, is read now)."""
    estimated = 0
    for spec in list(unread):
        rows = estimate_rows(spec.path)
        if rows is None:
            read(spec)
        else:
            estimated += rows * (len(spec.nodes) + len(spec.relationships))
    return run.total_rows + estimated


def _send_mapping(shipper: _Shipper, phase: str, batches: Iterator[Any]) -> None:
    for batch in batches:
        shipper.send("batch", phase, batch)
    shipper.send("end", phase)
