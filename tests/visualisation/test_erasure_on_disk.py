"""After an erasure, the database's files on disk hold no kept overview group, no journal entry
and no write that names the erased person: the erasure drops the kept groups and the journal's
entries naming them and rewrites the append-only file before it returns. Only the suppression
list keeps the person's pseudonymous id (by design: a re-import skips them)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaleup_graph.queries.persons import erase_person
from scaleup_graph.store import GraphStore, RelRow, open_store
from scaleup_graph.visualisation import explorer_view
from tests.support.graphs import ANNA, PROV, build_small_graph

ROLES = ("viewer", "contacts", "contacts+editor")  # the three visibilities' kept groups


@pytest.fixture
def own_folder(tmp_path: Path) -> Iterator[tuple[GraphStore, Path]]:
    """A database folder of its own: the session's server holds other tests' graphs."""
    folder = tmp_path / "db"
    store = open_store(f"embedded://{folder}", graph="erasure")
    yield store, folder
    store.close()


def _files(folder: Path) -> dict[str, bytes]:
    """Every file the server keeps in the folder (once the rewrite's old files are gone: the
    server deletes them in the background after it switched to the new ones)."""
    aof = folder / "appendonlydir"
    for _ in range(300):
        manifest = next(aof.glob("*.manifest"), None)
        listed = manifest.read_text() if manifest else ""
        if all(p.name in listed or p.suffix == ".manifest" for p in aof.iterdir()):
            break
        time.sleep(0.1)
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in (".sock", ".log")
    }


def _count(files: dict[str, bytes], value: str) -> int:
    return sum(data.count(value.encode()) for data in files.values())


def test_an_erasure_leaves_no_kept_group_naming_the_person_on_disk(
    own_folder: tuple[GraphStore, Path],
) -> None:
    store, folder = own_folder
    build_small_graph(store)
    person = "person-anna"
    for role in ROLES:  # every visibility's groups are kept beside the graph
        explorer_view(store, role=role)
    # a described write at the person (the journal names them), then the groups changed there
    org = store.read("MATCH (o:Organisation) RETURN o.id AS id ORDER BY o.id LIMIT 1")[0]["id"]
    store.upsert_relationships(
        "WORKS_AT", "Person", "Organisation", [RelRow(person, org)], provenance=PROV
    )
    for role in ROLES:
        explorer_view(store, role=role)
    before = _files(folder)
    assert _count(before, person) > 3  # the writes, the kept groups, the journal
    assert _count(before, "explorer-overview") and _count(before, ANNA["name"])

    report = erase_person(store, person, salt="s")

    assert report.erased
    after = _files(folder)
    assert _count(after, "explorer-overview") == 0  # no kept groups at all until asked again
    assert _count(after, ANNA["name"]) == 0 and _count(after, ANNA["email"]) == 0
    # the id stays once: the suppression list, which keeps a re-import from bringing them back
    assert store.suppressed([person]) == {person}
    assert _count(after, person) == 1, [name for name, d in after.items() if person.encode() in d]
    # asked again, the groups are derived without the person and kept again
    for role in ROLES:
        explorer_view(store, role=role)
    again = _files(folder)
    assert _count(again, "explorer-overview") and _count(again, person) == 1
