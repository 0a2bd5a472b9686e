"""Issue 14, point 4: the ad-hoc copies are parked on disk when the embedded server stops, so a
cold start loads the graph alone; an ad-hoc query that needs a copy restores it, unless a write
came after the parking (then it is rebuilt: a parked copy may hold an erased person or miss a
new draft). Real embedded servers in folders of their own, stopped and started."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.ingest import IngestOptions, load_seed
from scaleup_graph.queries.persons import erase_person
from scaleup_graph.store import open_store
from scaleup_graph.store import parked as parked_module
from scaleup_graph.store.falkordb import FalkorDBStore
from scaleup_graph.store.parked import COPIES_DIR, dump_path, record_key
from scaleup_graph.store.views import VIEWS, AdhocView
from scaleup_graph.workflows.challenges import draft_challenge
from tests.support.adhoc_copies import copy_contents, index_kinds, make_every_copy
from tests.support.graphs import ANNA, build_small_graph

pytestmark = pytest.mark.hard

#: ad-hoc queries whose answers differ between the kinds of key on the small graph
QUERIES = (
    "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label",
    "MATCH (p:Person) RETURN p.id AS id, p.name AS name, p.email AS email ORDER BY id",
    "MATCH (c:Challenge) RETURN c.id AS id, c.name AS name, c.status AS status ORDER BY id",
    "MATCH (a)-[k]->(b) RETURN type(k) AS t, count(k) AS n ORDER BY t",
)


def _open(folder: Path) -> FalkorDBStore:
    store = open_store(f"embedded://{folder}", graph="scaleup")
    assert isinstance(store, FalkorDBStore)
    return store


def _adhoc(store: FalkorDBStore, view: AdhocView, query: str) -> list[dict[str, Any]]:
    """The rows of an ad-hoc query as a key of ``view``'s kind gets them."""
    return store.read_adhoc(
        query, timeout_ms=5_000, row_cap=500, personal=view.personal, drafts=view.drafts
    )[0]


def _answers(store: FalkorDBStore, view: AdhocView) -> list[Any]:
    return [_adhoc(store, view, query) for query in QUERIES]


def _in_server(store: FalkorDBStore) -> list[bool]:
    return [bool(store._command("EXISTS", store.view_names[view])) for view in VIEWS]


def _dumps(folder: Path) -> list[Path]:
    return [dump_path(folder, "scaleup", view.suffix) for view in VIEWS]


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A database folder with the small graph, a draft, and all four copies in the server."""
    db = tmp_path / "db"
    store = _open(db)
    build_small_graph(store)
    draft_challenge(store, posed_by="org-stadtwerke-koeln", name="Entwurf X", topics=["Mobilität"])
    make_every_copy(store)
    store.close()
    yield db
    store.server.kill()  # type: ignore[union-attr]  # a test that failed half-way


def _stopped(folder: Path) -> bool:
    from scaleup_graph.store.embedded import EmbeddedServer

    return EmbeddedServer(folder).pid() is None


def test_parked_copies_are_not_loaded_and_come_back_with_the_same_answers(
    tmp_path: Path,
) -> None:
    db = tmp_path / "db"
    store = _open(db)
    build_small_graph(store)
    draft_challenge(store, posed_by="org-stadtwerke-koeln", name="Entwurf X", topics=["Mobilität"])
    make_every_copy(store)
    answers = {view: _answers(store, view) for view in VIEWS}
    contents = {view: copy_contents(store, view) for view in VIEWS}
    indexes = {view: index_kinds(store, store.view_names[view]) for view in VIEWS}
    assert all(kinds.get("RANGE") and "FULLTEXT" not in kinds for kinds in indexes.values())
    assert answers[VIEWS[0]] != answers[VIEWS[-1]]  # the kinds of key see different graphs
    memory_with_copies = int(store._command("INFO", "memory")["used_memory"])
    store.close()
    assert _stopped(db)

    # on disk, with the folder's permissions; no copy in the server's files
    folder_mode = db.stat().st_mode & 0o777
    assert (db / COPIES_DIR).stat().st_mode & 0o777 == folder_mode
    for path in _dumps(db):
        assert path.stat().st_mode & 0o777 == folder_mode & 0o666, path

    store = _open(db)
    try:
        assert _in_server(store) == [False] * len(VIEWS)  # the cold start did not load them
        assert int(store._command("INFO", "memory")["used_memory"]) < memory_with_copies
        for view in VIEWS:
            assert _answers(store, view) == answers[view], view
            assert copy_contents(store, view) == contents[view], view
            assert index_kinds(store, store.view_names[view]) == indexes[view], view
        assert (store.view_restores, store.view_rebuilds) == (len(VIEWS), 0)
        # kept while no write comes: the restored copies' dumps (the next stop parks them
        # without a new DUMP)
        assert all(path.exists() for path in _dumps(db))
        assert store._command("EXISTS", *store._parked_keys()) == len(VIEWS)
        # restored copies follow writes like any other (replayed, not rebuilt)
        store.write("MATCH (p:Person {id: 'person-anna'}) SET p.role = 'Leitung'")
        for view in VIEWS:
            assert not store.refresh_view(view), view
        assert not any(path.exists() for path in _dumps(db))  # the write discarded them
        assert store._command("EXISTS", *store._parked_keys()) == 0
    finally:
        store.close()


def test_a_stop_after_restores_without_a_write_parks_them_without_a_new_dump(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy restored from its dump and not written since is parked again with that dump:
    no DUMP, no file written (the cost of a stop after a session of reads); the start after
    restores the same answers. A copy written since is DUMPed again."""
    store = _open(folder)
    make_every_copy(store)  # restored
    answers = {view: _answers(store, view) for view in VIEWS}
    files = {path: path.stat().st_mtime_ns for path in _dumps(folder)}
    dumped: list[bytes] = []
    dump = parked_module._write_atomically
    monkeypatch.setattr(
        parked_module,
        "_write_atomically",
        lambda path, *a: dumped.append(path.name.encode()) or dump(path, *a),
    )
    store.close()
    assert _stopped(folder)
    assert dumped == []
    assert {path: path.stat().st_mtime_ns for path in _dumps(folder)} == files
    store = _open(folder)
    try:
        assert _in_server(store) == [False] * len(VIEWS)  # parked, not loaded at the start
        for view in VIEWS:
            assert _answers(store, view) == answers[view], view
        assert (store.view_restores, store.view_rebuilds) == (len(VIEWS), 0)
        store.write("MATCH (o:Organisation {id: 'org-kassel-tech'}) SET o.city = 'Kassel'")
        _answers(store, VIEWS[0])  # the copies follow the write
    finally:
        store.close()
    assert len(dumped) == len(VIEWS)  # written since: DUMPed again
    assert all(path.exists() for path in _dumps(folder))


def test_a_write_after_parking_rebuilds_the_copies_instead_of_restoring_them(
    folder: Path, tmp_path: Path
) -> None:
    """Privacy: a person erased and a draft created through the normal write path after the
    copies were parked are not seen through any copy, even when the parked files are put
    back: the dump names a generation the graph has left."""
    store = _open(folder)
    try:
        records = {
            view: store._command("GET", record_key("scaleup", view.suffix)) for view in VIEWS
        }
        kept = {path: path.read_bytes() for path in _dumps(folder)}
        assert all(records.values()) and len(kept) == len(VIEWS)
        erase_person(store, "person-anna", "test-salt")
        assert not any(path.exists() for path in _dumps(folder))  # the write discarded them
        created = draft_challenge(
            store, posed_by="org-stadtwerke-koeln", name="Neuer Entwurf", topics=["Mobilität"]
        )
        # as if discarding had failed: the files and the records are back
        for path, data in kept.items():
            path.write_bytes(data)
        for view, value in records.items():
            store._command("SET", record_key("scaleup", view.suffix), value)
        for view in VIEWS:
            text = repr(_answers(store, view))
            assert ANNA["name"] not in text and ANNA["email"] not in text, view
            assert ("Neuer Entwurf" in text) == view.drafts, view
            by_id = f"MATCH (c {{id: '{created['id']}'}}) RETURN count(c) AS n"
            rows, _ = store.read_adhoc(
                by_id, timeout_ms=5_000, row_cap=5, personal=view.personal, drafts=view.drafts
            )
            assert rows == [{"n": 1 if view.drafts else 0}], view
        assert (store.view_restores, store.view_rebuilds) == (0, len(VIEWS))
        assert not any(path.exists() for path in _dumps(folder))  # stale: removed
    finally:
        store.close()


def test_a_process_holding_the_store_keeps_the_copies_in_the_server(folder: Path) -> None:
    """Another process (``scaleup serve``) holds the store: a command that leaves stops
    nothing and parks nothing."""
    store = _open(folder)
    make_every_copy(store)  # restored from their dumps
    files = {path: path.stat().st_mtime_ns for path in _dumps(folder)}
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from scaleup_graph.store import open_store; "
            f"s = open_store('embedded://{folder}', graph='scaleup'); s.read('RETURN 1 AS x'); "
            "print('ready', flush=True); sys.stdin.read(); s.close()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        store.close()
        assert not _stopped(folder)
        assert {path: path.stat().st_mtime_ns for path in _dumps(folder)} == files  # untouched
        store = _open(folder)
        assert _in_server(store) == [True] * len(VIEWS)
        store.close()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    assert _stopped(folder)  # the holder was the last: it stopped the server and parked them
    assert all(path.exists() for path in _dumps(folder))


def _kill_during(
    monkeypatch: pytest.MonkeyPatch, folder: Path, target: Any, attribute: str
) -> None:
    """Kill the server (SIGKILL) right before ``target.attribute`` runs, once."""
    from scaleup_graph.store.embedded import EmbeddedServer

    original = getattr(target, attribute)

    def kill_first(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(target, attribute, original)
        EmbeddedServer(folder).kill()
        return original(*args, **kwargs)

    monkeypatch.setattr(target, attribute, kill_first)


@pytest.mark.parametrize(
    ("step", "restored"),
    [
        ("_write_atomically", 0),  # a dump on its way to disk, the copy in the server
        ("rewrite", len(VIEWS)),  # the copies deleted and recorded, the file not rewritten
    ],
)
def test_a_server_killed_while_parking_starts_with_every_copy_correct(
    folder: Path, monkeypatch: pytest.MonkeyPatch, step: str, restored: int
) -> None:
    store = _open(folder)
    make_every_copy(store)  # restored; now park them again and kill the server on the way
    # a write: the dumps they were restored from go, the park DUMPs them again
    store.write("MATCH (o:Organisation {id: 'org-kassel-tech'}) SET o.city = 'Kassel'")
    answers = {view: _answers(store, view) for view in VIEWS}
    _kill_during(monkeypatch, folder, parked_module, step)
    store.close()
    store = _open(folder)  # the append-only file as the kill left it
    try:
        for view in VIEWS:
            assert _answers(store, view) == answers[view], view
        assert (store.view_restores, store.view_rebuilds) == (restored, 0)
    finally:
        store.close()
    store = _open(folder)  # and the next clean stop parked them all again
    try:
        assert _in_server(store) == [False] * len(VIEWS)
        for view in VIEWS:
            assert _answers(store, view) == answers[view], view
        assert store.view_restores == len(VIEWS)
    finally:
        store.close()


def test_a_server_killed_before_the_rewrite_gets_it_at_the_next_clean_stop(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after the copies were deleted and before the append-only file was rewritten, the
    server replays the deletion at its next start but its file still holds the copies (loaded
    at every start): the next clean stop rewrites it, though it has nothing to park."""
    store = _open(folder)
    make_every_copy(store)  # restored from their dumps
    _kill_during(monkeypatch, folder, parked_module, "rewrite")
    store.close()
    store = _open(folder)  # no ad-hoc query: nothing restored, nothing to park
    assert _in_server(store) == [False] * len(VIEWS)
    assert store._command("EXISTS", parked_module.REWRITE_PENDING) == 1
    store.close()
    assert _stopped(folder)
    base = list((folder / "appendonlydir").glob("*.base.rdb"))
    assert base and not any(b"scaleup__" in path.read_bytes() for path in base)
    store = _open(folder)
    try:
        assert store._command("EXISTS", parked_module.REWRITE_PENDING) == 0
        assert _answers(store, VIEWS[0])  # restored from the dump
        assert store.view_restores == 1
    finally:
        store.close()


def test_a_server_killed_after_a_restore_restarts_with_the_restored_copy(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restore does not rewrite the append-only file (a rebuild must: a copied graph cannot
    be replayed): the RESTORE is in the file, fsynced before its reply. A server killed right
    after it starts with the copy, which takes later writes; no record names a parked copy
    but the restored copy's own (its dump, kept for the next park), which the next write
    removes: nothing claims a copy that is not in the data."""
    store = _open(folder)
    view = VIEWS[0]
    rewrites: list[str] = []
    rewrite = store._rewrite_append_only_file
    monkeypatch.setattr(
        store, "_rewrite_append_only_file", lambda *a, **k: rewrites.append("x") or rewrite(*a, **k)
    )
    try:
        assert store.server is not None
        pid = store.server.pid()
        assert store.refresh_view(view)
        assert (store.view_restores, rewrites) == (1, [])  # restored, the file not rewritten
        store.server.kill()
        assert store.read("RETURN 1 AS x") == [{"x": 1}]  # the store starts the server again
        assert store.server.pid() not in (None, pid)
        assert _in_server(store)[0]  # from the append-only file: not restored again
        assert store._command("EXISTS", record_key("scaleup", view.suffix)) == 1
        assert dump_path(folder, "scaleup", view.suffix).exists()  # the copy's dump, kept
        store.write("MATCH (o:Organisation {id: 'org-kassel-tech'}) SET o.city = 'Kassel'")
        assert store._command("EXISTS", record_key("scaleup", view.suffix)) == 0
        assert not dump_path(folder, "scaleup", view.suffix).exists()
        rows = _adhoc(
            store, view, "MATCH (o:Organisation {id: 'org-kassel-tech'}) RETURN o.city AS city"
        )
        assert rows == [{"city": "Kassel"}]
        assert (store.view_restores, store.view_rebuilds) == (1, 0)
    finally:
        store.close()


def test_a_bulk_load_discards_the_parked_copies_of_the_graph_it_replaces(
    tmp_path: Path,
) -> None:
    """Copies parked while the graph was empty are of no graph a bulk load leaves: the load
    removes their dumps (data on disk that no copy will ever be restored from; its first
    write, the empty graph's indexes, discards them as every write does)."""
    db = tmp_path / "db"
    store = _open(db)
    store.setup_schema()
    make_every_copy(store)
    store.close()
    assert all(path.exists() for path in _dumps(db))

    store = _open(db)
    try:
        report = load_seed(
            store,
            options=IngestOptions(state_dir=tmp_path / "state", check_duplicates=False),
            bulk=True,
        )
        assert report.bulk_nodes > 300
        assert not any(path.exists() for path in _dumps(db))
        assert store._command("EXISTS", *store._parked_keys()) == 0
        # the next ad-hoc query of each kind builds its copy from the loaded graph
        for view in VIEWS:
            rows = _adhoc(
                store,
                view,
                "MATCH (o:Organisation {id: 'org-ihk-kassel-marburg'}) RETURN o.name AS name",
            )
            assert rows == [{"name": "IHK Kassel-Marburg"}], view
        assert store.view_restores == 0
    finally:
        store.close()
