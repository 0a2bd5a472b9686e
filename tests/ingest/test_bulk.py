"""``scaleup ingest --bulk``: a first load through GRAPH.BULK gives the graph the ordinary ingest
gives (nodes, labels, every property with the derived search keys and versions, relationships,
indexes, rejects), refuses what it cannot do, and leaves nothing half-written."""

from __future__ import annotations

import json
import multiprocessing
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.errors import Conflict, Invalid
from scaleup_graph.ingest import (
    IngestOptions,
    bulk_ingest,
    load_cordis,
    load_manifest,
    load_seed,
    run_ingest,
)
from scaleup_graph.queries.persons import erase_person
from scaleup_graph.store import GraphStore, StoreError, open_store
from scaleup_graph.store import bulk as bulk_format
from scaleup_graph.store.falkordb import FalkorDBStore
from scaleup_graph.store.staged import StagedGraph
from tests.ingest.test_resilience import write_population
from tests.support.cli import scaleup
from tests.support.graph_compare import (
    assert_same_graph,
    cordis_subset,
    graph_state,
    rejects_of,
)
from tests.support.reading_process import kill_the_reading_process


def options(tmp_path: Path, name: str, **kw: Any) -> IngestOptions:
    return IngestOptions(state_dir=tmp_path / name, **{"check_duplicates": False, **kw})


@pytest.mark.parametrize("parallel", [True, False], ids=["reading-process", "one-process"])
def test_demo_data_in_bulk_is_the_graph_the_ordinary_ingest_writes(
    store: GraphStore, second: GraphStore, tmp_path: Path, parallel: bool
) -> None:
    ordinary = load_seed(store, options=options(tmp_path, "a"))
    bulk = load_seed(second, options=options(tmp_path, "b", parallel=parallel), bulk=True)

    assert bulk.reading_process is parallel  # the files were read where the test says
    got = assert_same_graph(store, second)
    assert len(got["nodes"]) > 300 and len(got["rels"]) > 500
    assert bulk.bulk_nodes == len(got["nodes"]) and bulk.bulk_relationships == len(got["rels"])
    assert (bulk.nodes_written, bulk.relationships_written) == (
        ordinary.nodes_written,
        ordinary.relationships_written,
    )
    assert rejects_of([bulk]) == rejects_of([ordinary])
    # the derived search keys work through the index the load built
    [ihk] = [p for (key, _), p in got["nodes"].items() if key == "org-ihk-kassel-marburg"]
    assert ihk["name_fold"] == "ihk kassel-marburg" and ihk["version"] >= 1
    query = (
        "CALL db.idx.fulltext.queryNodes('Organisation', 'kassel*') YIELD node "
        "RETURN node.id AS id ORDER BY id"
    )
    assert second.read(query) == store.read(query) != []


def test_a_load_split_over_many_commands_is_the_same_graph(
    store: GraphStore, second: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine numbers nodes across commands; a relationship in a later command must still
    reach the right node."""
    load_seed(store, options=options(tmp_path, "a"))
    commands: list[int] = []
    small_commands(monkeypatch, 4_000, commands)
    load_seed(second, options=options(tmp_path, "b"), bulk=True)
    assert len(commands) > 2 and commands[0] > 10 and sum(commands) > 20
    assert_same_graph(store, second)


def small_commands(monkeypatch: pytest.MonkeyPatch, max_bytes: int, counts: list[int]) -> None:
    """The bulk writer's commands at most ``max_bytes`` each; ``counts`` gets how many each
    call of the encoder made (the nodes', then each batch of relationship types')."""

    def nodes(graph: Any) -> tuple[list[bulk_format.BulkCommand], dict[int, int]]:
        out, position = bulk_format.encode_nodes(graph, max_bytes=max_bytes)
        counts.append(len(out))
        return out, position

    def relationships(graph: Any, types: Any, position: Any) -> list[bulk_format.BulkCommand]:
        out = bulk_format.encode_relationships(graph, types, position, max_bytes=max_bytes)
        counts.append(len(out))
        return out

    monkeypatch.setattr("scaleup_graph.store.falkordb.encode_nodes", nodes)
    monkeypatch.setattr("scaleup_graph.store.falkordb.encode_relationships", relationships)


@pytest.mark.parametrize("parallel", [True, False], ids=["reading-process", "one-process"])
def test_a_cordis_subset_in_bulk_is_the_graph_the_ordinary_ingest_writes(
    store: GraphStore, second: GraphStore, tmp_path: Path, parallel: bool
) -> None:
    data = cordis_subset(tmp_path / "open-data")
    ordinary = load_cordis(store, data, options=options(tmp_path, "a", check_duplicates=True))
    seen: list[tuple[str, int, int]] = []
    bulk = load_cordis(
        second,
        data,
        options=options(tmp_path, "b", check_duplicates=True, parallel=parallel, batch_size=700),
        bulk=True,
        progress=lambda phase, done, total: seen.append((phase, done, total)),
    )

    assert bulk.reading_process is parallel
    # the progress a user sees counts every row of every mapping once, up to the total
    assert seen and seen[-1][1] == seen[-1][2] > bulk.rows_read
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)
    # a total (estimated while files are unread) is shown before the end, never below the rows
    # done: the bar never runs past its end
    assert any(0 < done < total for _, done, total in seen)
    assert all(done <= total for _, done, total in seen if total)
    got = assert_same_graph(store, second)
    assert rejects_of([bulk]) == rejects_of([ordinary])
    reasons = " ".join(r.reason for r in bulk.rejects)
    assert "empty pic" in reasons and "never closed" in reasons
    # the last run's check runs while the database makes the load durable: same pairs, same file
    assert bulk.near_duplicates == ordinary.near_duplicates != []
    assert (Path(bulk.report_dir or "") / "near_duplicates.csv").read_bytes() == (
        Path(ordinary.report_dir or "") / "near_duplicates.csv"
    ).read_bytes()
    assert (Path(bulk.report_dir or "") / "rejects.csv").read_text(encoding="utf-8-sig") == (
        Path(ordinary.report_dir or "") / "rejects.csv"
    ).read_text(encoding="utf-8-sig")
    orgs = [p for (_, labels), p in got["nodes"].items() if "Organisation" in labels]
    # names from the organisation file overwrite, "PIC n" only fills a gap (if_missing)
    assert any(p["name"].startswith("PIC ") for p in orgs)
    assert any(not p["name"].startswith("PIC ") and p.get("city") for p in orgs)
    partners = [r for r in got["rels"] if '"PARTNER_IN"' in r]
    assert len(partners) > 2000 and any('"contribution"' in r for r in partners)


def test_bulk_refuses_a_graph_that_holds_nodes_and_changes_nothing(
    seeded_store: GraphStore, tmp_path: Path
) -> None:
    before = seeded_store.fingerprint()
    manifest = load_manifest(write_population(tmp_path, rows=10))
    with pytest.raises(Conflict) as refused:
        bulk_ingest(seeded_store, [manifest], options(tmp_path, "s"))
    message = refused.value.message
    assert "empty graph" in message and "without --bulk" in message and "nodes" in message
    assert seeded_store.fingerprint() == before
    assert not (tmp_path / "s" / "checkpoints").exists()


def test_neo4j_has_no_bulk_path_and_says_what_to_use() -> None:
    from tests.store.test_neo4j_adapter import make_store

    neo4j, driver = make_store()
    with pytest.raises(Invalid) as refused:
        bulk_ingest(neo4j, [], IngestOptions())
    assert "GRAPH.BULK" in refused.value.message
    assert "neo4j-import" in refused.value.message and "without --bulk" in refused.value.message
    assert not [c for c in driver.calls if "MERGE" in str(c)]


def test_a_failed_bulk_write_is_undone_and_the_rerun_resumes_the_run(
    store: GraphStore, second: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = load_manifest(write_population(tmp_path, rows=400))
    reference = run_ingest(store, manifest, options(tmp_path, "a"))
    assert isinstance(second, FalkorDBStore)
    empty = graph_state(second)
    small_commands(monkeypatch, 2_000, [])
    sent = []
    real_command = second._command

    def failing(*args: Any) -> Any:
        if args[0] == "GRAPH.BULK":
            sent.append(args)
            if len(sent) == 3:  # two commands are in the graph when the third is refused
                return real_command("GRAPH.BULK", second.graph_name, "not a count")
        return real_command(*args)

    monkeypatch.setattr(second, "_command", failing)
    with pytest.raises(StoreError) as failed:
        bulk_ingest(second, [manifest], options(tmp_path, "b"))
    assert "undone" in failed.value.message and "empty as before" in failed.value.message
    assert len(sent) == 3 and graph_state(second) == empty  # no node, the same indexes
    assert not real_command("GET", f"scaleup:{second.graph_name}:bulk-load")
    checkpoints = list((tmp_path / "b" / "checkpoints").glob("*.json"))
    assert len(checkpoints) == 1  # the run is not finished: its id is kept for the rerun
    run_id = json.loads(checkpoints[0].read_text())["run_id"]

    monkeypatch.setattr(second, "_command", real_command)
    [report] = bulk_ingest(second, [manifest], options(tmp_path, "b"))
    assert report.resumed and report.run_id == run_id
    assert rejects_of([report]) == rejects_of([reference])
    assert_same_graph(store, second)
    assert not list((tmp_path / "b" / "checkpoints").glob("*.json"))


def test_a_bulk_load_killed_half_way_is_finished_by_running_it_again(
    store: GraphStore,
    db_url: str,
    store_env: dict[str, str],
    tmp_path: Path,
    make_client: Callable[[GraphStore | None], TestClient],
    keys: dict[str, dict[str, str]],
) -> None:
    """A real kill -9 of ``scaleup ingest --bulk`` while the load writes; an ordinary ingest
    then is refused (it would merge into a part of the load), so is an editor's change (the
    load's next run replaces the graph and would drop it), and the same --bulk command again
    ends in the graph an uninterrupted run gives."""
    manifest = write_population(tmp_path, rows=8_000)
    reference = open_store(db_url, graph=f"ref_{uuid.uuid4().hex[:8]}")
    try:
        run_ingest(reference, load_manifest(manifest), options(tmp_path, "ref"))
        expected = graph_state(reference)
    finally:
        reference.clear()
        reference.close()
    assert isinstance(store, FalkorDBStore)
    marker = f"scaleup:{store.graph_name}:bulk-load"
    cmd = [sys.executable, "-m", "scaleup_graph", "ingest", str(manifest), "--bulk", "--json"]
    proc = subprocess.Popen(cmd, env=store_env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if store._command("GET", marker):
            break
        time.sleep(0.002)
    assert proc.poll() is None, "the load finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert store._command("GET", marker)  # the database shows a load that did not finish
    partial = store.fingerprint()

    # an ordinary ingest would merge into a part of the load: refused, nothing written
    merge = scaleup(store_env, "ingest", str(manifest), "--json")
    assert merge.returncode == 5, merge.stderr  # Conflict
    assert "unfinished bulk first load" in merge.stderr and "--bulk command again" in merge.stderr
    assert "Traceback" not in merge.stderr
    assert store.fingerprint() == partial and store._command("GET", marker)
    with pytest.raises(Conflict):
        run_ingest(store, load_manifest(manifest), options(tmp_path, "in-process"))
    assert store.fingerprint() == partial

    # an editor's new organisation would be lost when the load runs again: refused, kept out
    made = make_client(store).post(
        "/api/v1/nodes/Organisation",
        json={"properties": {"name": "Neue Firma GmbH"}},
        headers=keys["editor"],
    )
    assert made.status_code == 409, made.text
    error = made.json()["error"]
    assert error["code"] == "bulk_load_unfinished", error
    assert "nothing was written" in error["message"] and "--bulk" in error["hint"]
    assert store.fingerprint() == partial

    again = scaleup(store_env, "ingest", str(manifest), "--bulk", "--json")
    assert again.returncode == 1, again.stderr  # the population has rejected rows
    report = json.loads(again.stdout)
    assert report["resumed"] is True and report["bulk_nodes"] == len(expected["nodes"])
    got = graph_state(store)
    assert got == expected
    assert not store._command("GET", marker)


def test_a_bulk_loaded_graph_survives_a_kill_of_the_database(tmp_path: Path) -> None:
    url = f"embedded://{tmp_path / 'db'}"
    first = open_store(url)
    load_seed(first, options=options(tmp_path, "s"), bulk=True)
    expected = graph_state(first)
    assert isinstance(first, FalkorDBStore) and first.server is not None
    first.server.kill()
    reopened = open_store(url)
    try:
        assert graph_state(reopened) == expected
        # later writes replay after the bulk-created graph too
        reopened.write("MATCH (t:Topic) SET t.note = 'after'")
        assert isinstance(reopened, FalkorDBStore) and reopened.server is not None
        reopened.server.kill()
        third = open_store(url)
        notes = third.read("MATCH (t:Topic) RETURN count(t.note) AS n, count(t) AS all")
        third.close()
        assert notes[0]["n"] == notes[0]["all"] > 0
    finally:
        first.close()
        reopened.close()


def test_the_redacted_copy_is_rebuilt_after_a_bulk_load(second: GraphStore, tmp_path: Path) -> None:
    assert isinstance(second, FalkorDBStore)
    second.refresh_redacted_copy()  # the copy is on (an ad-hoc query without contacts ran)
    load_seed(second, options=options(tmp_path, "b"), bulk=True)
    rows, _ = second.read_only_redacted(
        "MATCH (p:Person) RETURN count(p) AS persons, count(p.email) AS emails, "
        "count(p.name) AS names",
        timeout_ms=5000,
        row_cap=10,
    )
    persons = second.read("MATCH (p:Person) RETURN count(p) AS n, count(p.email) AS e")[0]
    assert persons["n"] > 0 and persons["e"] > 0
    assert rows == [{"persons": persons["n"], "emails": 0, "names": 0}]
    orgs = "MATCH (o:Organisation) RETURN count(o) AS n"
    assert second.read_only_redacted(orgs, timeout_ms=5000, row_cap=1)[0] == second.read(orgs)


def test_cli_bulk_load_reports_it_and_refuses_a_second_bulk_load(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    manifest = write_population(tmp_path, rows=200)
    first = scaleup(store_env, "ingest", str(manifest), "--bulk")
    assert first.returncode == 1, first.stderr  # rows were rejected, as without --bulk
    assert "loaded in bulk (GRAPH.BULK)" in first.stdout and "rejected" in first.stdout
    # small files: read in the command's own process (a second one costs more than it saves)
    assert "a second process read" not in " ".join(first.stdout.split())
    assert store.counts()["nodes"]["Organisation"] == 190

    again = scaleup(store_env, "ingest", str(manifest), "--bulk")
    assert again.returncode == 5  # Conflict: the graph's state forbids it
    assert "empty graph" in again.stderr and "without --bulk" in again.stderr
    assert "Traceback" not in again.stderr
    assert store.counts()["nodes"]["Organisation"] == 190


def test_a_bad_value_repeated_on_many_rows_is_reported_on_each_row(
    store: GraphStore, second: GraphStore, tmp_path: Path
) -> None:
    """Cells are checked once per distinct value of a column: a bad value that repeats is still
    listed on every row that has it, with its line, in both paths."""
    with open(tmp_path / "orgs.csv", "w", encoding="utf-8") as f:
        f.write("id;name;website;country\n")
        for i in range(12):
            website = "www.example.org" if i % 4 == 1 else f"https://o{i}.example.org"
            f.write(f"org-{i};Firma {i} GmbH;{website};DE\n")
    with open(tmp_path / "links.csv", "w", encoding="utf-8") as f:
        f.write("a;b;since\n")
        for i in range(11):
            f.write(f"org-{i};org-{i + 1};{'31.02.2021' if i % 5 == 2 else '01.03.2021'}\n")
    (tmp_path / "manifest.yaml").write_text(
        """
files:
  - path: orgs.csv
    nodes: [{label: Organisation, key: id,
             properties: {name: name, website: website, country: country}}]
  - path: links.csv
    relationships:
      - {type: COOPERATES_WITH, start: {label: Organisation, key: a},
         end: {label: Organisation, key: b}, properties: {since: since}}
""",
        encoding="utf-8",
    )
    manifest = load_manifest(tmp_path / "manifest.yaml")
    ordinary = run_ingest(store, manifest, options(tmp_path, "a"))
    [bulk] = bulk_ingest(second, [manifest], options(tmp_path, "b"))

    assert rejects_of([bulk]) == rejects_of([ordinary])
    websites = [(r.file, r.line, r.value) for r in bulk.rejects if r.column == "website"]
    assert websites == [("orgs.csv", line, "www.example.org") for line in (3, 7, 11)]
    dates = [(r.line, r.value) for r in bulk.rejects if r.column == "since"]
    assert dates == [(4, "31.02.2021"), (9, "31.02.2021")]
    got = assert_same_graph(store, second)
    assert sum('"since"' in r for r in got["rels"]) == 9


def test_a_load_stopped_while_the_relationships_are_read_leaves_the_empty_graph(
    store: GraphStore, second: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nodes are in the database while the relationships are still read; Ctrl-C (or any
    failure) then deletes them: the graph is empty with its indexes, as before, and the same
    command again gives the whole graph."""
    from scaleup_graph.ingest.engine import _Run

    manifest = load_manifest(write_population(tmp_path, rows=400))
    run_ingest(store, manifest, options(tmp_path, "a"))
    assert isinstance(second, FalkorDBStore)
    empty = graph_state(second)
    real = _Run.relationships

    def interrupted(self: Any, *args: Any) -> None:
        # the writer has had the nodes since the node mappings were through
        assert self.store.nodes_sent
        raise KeyboardInterrupt

    monkeypatch.setattr(_Run, "relationships", interrupted)
    with pytest.raises(KeyboardInterrupt):
        bulk_ingest(second, [manifest], options(tmp_path, "b", parallel=True))
    assert graph_state(second) == empty
    assert multiprocessing.active_children() == []  # the reading process was stopped
    assert not second._command("GET", f"scaleup:{second.graph_name}:bulk-load")

    monkeypatch.setattr(_Run, "relationships", real)
    [report] = bulk_ingest(second, [manifest], options(tmp_path, "b", parallel=True))
    assert report.resumed
    assert_same_graph(store, second)


@pytest.mark.parametrize("broken", ["missing column", "header twice"])
def test_a_file_the_reading_process_cannot_read_stops_the_load_as_in_one_process(
    second: GraphStore, tmp_path: Path, broken: str
) -> None:
    """The error found in the reading process is the one the load raises in one process,
    nothing is written, and no process is left behind."""
    import multiprocessing

    from scaleup_graph.ingest import ManifestError, ReadError

    path = write_population(tmp_path, rows=300)
    if broken == "missing column":
        (tmp_path / "links.csv").write_text("a,c\norg-1,org-2\n", encoding="utf-8")
    else:  # found when the file is read (preflight), not by the header check
        (tmp_path / "links.csv").write_text("a,b,b\norg-1,org-2,x\n", encoding="utf-8")
    manifest = load_manifest(path)
    empty = graph_state(second)
    errors = []
    for parallel in (True, False):
        with pytest.raises((ManifestError, ReadError)) as failed:
            bulk_ingest(second, [manifest], options(tmp_path, f"s{parallel}", parallel=parallel))
        errors.append((type(failed.value), failed.value.message))
        assert graph_state(second) == empty
        assert multiprocessing.active_children() == []
    assert errors[0] == errors[1]
    assert "links.csv" in errors[0][1]


def test_a_reading_process_that_dies_stops_the_load_and_the_rerun_finishes_it(
    store: GraphStore, second: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed while it reads the relationships (after the nodes were sent): the load says
    so, leaves the empty graph, and the same command again gives the whole graph."""

    manifest = load_manifest(write_population(tmp_path, rows=400))
    run_ingest(store, manifest, options(tmp_path, "a"))
    empty = graph_state(second)
    read_again = kill_the_reading_process(monkeypatch)
    with pytest.raises(StoreError) as stopped:
        bulk_ingest(second, [manifest], options(tmp_path, "b", parallel=True))
    assert "stopped unexpectedly" in stopped.value.message
    assert "run the same command again" in stopped.value.message
    assert graph_state(second) == empty

    read_again()
    [report] = bulk_ingest(second, [manifest], options(tmp_path, "b", parallel=True))
    assert report.reading_process and report.resumed
    assert_same_graph(store, second)


def test_a_repeated_node_whose_later_row_adds_a_name_is_found_by_it(
    store: GraphStore, second: GraphStore, tmp_path: Path
) -> None:
    """One row per participation: an organisation's later row adds its short name. The search
    keys the reading process derived from the first row are not the ones written: they are
    derived again from the merged row, as in one process."""
    (tmp_path / "participations.csv").write_text(
        "pic;name;short;project\n"
        + "".join(
            f"{i % 50};Firma {i % 50} GmbH;{'FX' + str(i % 50) if i >= 50 else ''};p{i}\n"
            for i in range(120)
        ),
        encoding="utf-8",
    )
    (tmp_path / "manifest.yaml").write_text(
        "source: test\n"
        "files:\n"
        "  - path: participations.csv\n"
        "    nodes:\n"
        "      - label: Organisation\n"
        '        key_template: "org-{pic}"\n'
        "        unique: false\n"
        "        properties: {name: name, short_name: short}\n",
        encoding="utf-8",
    )
    manifest = load_manifest(tmp_path / "manifest.yaml")
    run_ingest(store, manifest, options(tmp_path, "a"))
    [report] = bulk_ingest(second, [manifest], options(tmp_path, "b", parallel=True))
    assert report.reading_process
    got = assert_same_graph(store, second)
    [org] = [p for (key, _), p in got["nodes"].items() if key == "org-7"]
    assert org["short_name"] == "FX7" and "fx7" in org["search_text"]


def test_nodes_encoded_ahead_and_changed_later_are_sent_as_they_end(
    store: GraphStore, second: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk writer encodes staged nodes while ingest waits for its input; a node that a
    later batch or mapping changes must be sent with its last values, not the ones encoded
    ahead. Here every node is encoded right after each write, so every later change meets an
    encoding made before it."""
    changed_after_encoding = 0
    upsert = StagedGraph.upsert_nodes

    def upsert_then_encode(graph: StagedGraph, label: str, rows: Any, **kw: Any) -> int:
        nonlocal changed_after_encoding
        for row in rows:
            node = graph.by_label.get(label, {}).get(row.id)
            changed_after_encoding += node is not None and node.encoded is not None
        written = upsert(graph, label, rows, **kw)
        while bulk_format.encode_ahead(graph, count=7):
            pass
        return written

    monkeypatch.setattr(StagedGraph, "upsert_nodes", upsert_then_encode)
    load_seed(store, options=options(tmp_path, "a"))
    load_seed(second, options=options(tmp_path, "b", parallel=False), bulk=True)
    assert_same_graph(store, second)
    assert changed_after_encoding > 10  # the seed writes many nodes in more than one mapping


@pytest.mark.parametrize("parallel", [True, False], ids=["reading-process", "one-process"])
def test_a_bulk_load_does_not_bring_back_an_erased_person(
    store: GraphStore, second: GraphStore, tmp_path: Path, parallel: bool
) -> None:
    """An erased person's identifiers stay on the suppression list; a bulk first load of the
    same files (the graph emptied, the list kept) skips the person and their links, as the
    ordinary ingest does."""
    salt = "s3cret"
    load_seed(store, options=options(tmp_path, "a", suppression_salt=salt))
    [person] = store.read(
        "MATCH (p:Person)-[r]-() WHERE p.email IS NOT NULL "
        "RETURN p.id AS id, p.email AS email, count(r) AS links ORDER BY links DESC, id LIMIT 1"
    )
    assert person["links"] > 0
    erase_person(store, person["id"], salt)
    second.add_suppressed(store.all_suppressed())

    bulk = load_seed(
        second, options=options(tmp_path, "b", suppression_salt=salt, parallel=parallel), bulk=True
    )

    assert bulk.reading_process is parallel and bulk.suppressed >= 1 + person["links"]
    gone = "MATCH (p:Person) WHERE p.id = $id OR p.email = $email RETURN p.id AS id"
    assert second.read(gone, dict(person)) == [] == store.read(gone, dict(person))
    count = "MATCH (n) WHERE NOT n:History RETURN count(n) AS n"
    assert second.read(count) == store.read(count)
