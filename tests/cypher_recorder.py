"""A pytest plugin that records every Cypher statement the project sends while the suite runs.

Loaded by ``tests/conftest.py``. It wraps ``read`` and ``write`` of every concrete GraphStore
class and keeps, per statement text, where it came from. The Neo4j lint
(``tests/store/test_neo4j_cypher_lint.py``) lints what was recorded; it runs after every other
test of the session (moved to the end of the collection), so whatever subset and order a run
has, it sees that run's statements. At the end of the session the records are merged into
``.cache/cypher-lint/recorded.json``, keyed by a hash of the source tree: a later run of the
same code (a subset, or the lint test alone) lints the union, and a code change starts afresh,
so a statement that no longer exists is never linted.

What is recorded and what is not:

- only statements our package sends (the first caller outside the store adapters is a
  ``scaleup_graph`` module): statements a test sends itself, and ad-hoc text an analyst types
  (``read_only``), are not ours to lint;
- named queries (``scaleup_graph.queries.runner``) are skipped: the lint renders the catalogue
  for the Neo4j dialect itself;
- statements of the FalkorDB adapters themselves (``store/falkordb.py``, ``store/embedded.py``)
  never reach Neo4j and are skipped;
- a statement sent from a function that looked at ``store.dialect`` on a FalkorDB store is
  recorded as a FalkorDB branch: linted for Neo4j only when a Neo4j store sent it too.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src" / "scaleup_graph"
CACHE = Path(os.environ.get("SCALEUP_CYPHER_LINT_DIR", REPO / ".cache" / "cypher-lint"))
RECORDED = CACHE / "recorded.json"

#: modules that only ever talk to FalkorDB: what they send never reaches Neo4j (the composed
#: search_organisations text is FalkorDB's; Neo4j runs the catalogue's variant file)
FALKORDB_ONLY = (
    "scaleup_graph.store.falkordb",
    "scaleup_graph.store.embedded",
    "scaleup_graph.queries.search_organisations",
)
#: adapter modules a statement passes through on its way from the code that wrote it
ADAPTERS = (*FALKORDB_ONLY, "scaleup_graph.store.neo4j")
#: named queries: rendered per dialect by the lint itself
NAMED = "scaleup_graph.queries.runner"

_lock = threading.Lock()
#: text -> {"origins": set of modules, "dialects": set, "branch": bool (FalkorDB branch only)}
_seen: dict[str, dict[str, Any]] = {}
#: code objects of functions that read ``store.dialect``
_dialect_readers: set[CodeType] = set()


def source_hash() -> str:
    """A hash of every source and query file: records are only reused for the same code."""
    digest = hashlib.sha256()
    for path in sorted(SOURCE.rglob("*")):
        if path.suffix in (".py", ".cypher") and path.is_file():
            digest.update(str(path.relative_to(SOURCE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _frames() -> Iterator[tuple[str, CodeType]]:
    frame = sys._getframe(1)
    while frame is not None:
        yield frame.f_globals.get("__name__", ""), frame.f_code
        frame = frame.f_back  # type: ignore[assignment]


def _record(store: Any, query: Any) -> None:
    if not isinstance(query, str):
        return
    dialect = getattr(type(store), "_recorded_dialect", "")
    origin = ""
    branch = False
    for module, code in _frames():
        if module == __name__:
            continue
        if not module.startswith("scaleup_graph"):
            if origin:
                break  # past our code: a test, a bench, the web server, pytest itself
            continue  # a helper between the store and our code (contextlib, functools ...)
        if module.startswith(FALKORDB_ONLY) or module == NAMED:
            return
        if code in _dialect_readers:
            branch = True
        if not module.startswith(ADAPTERS) and not origin:
            origin = module
    if not origin:
        return
    with _lock:
        entry = _seen.setdefault(
            query, {"origins": set(), "dialects": set(), "falkordb_branch": True}
        )
        entry["origins"].add(origin)
        entry["dialects"].add(dialect)
        # a FalkorDB branch only as long as every sending was one
        entry["falkordb_branch"] = entry["falkordb_branch"] and branch and dialect == "falkordb"


class _DialectProbe:
    """``store.dialect`` that remembers which functions looked at it."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __get__(self, obj: object, owner: type | None = None) -> str:
        if obj is not None:
            _dialect_readers.add(sys._getframe(1).f_code)
        return self.value


def _wrap(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def recording(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        _record(self, query)
        return method(self, query, *args, **kwargs)

    recording.__cypher_recorder__ = True  # type: ignore[attr-defined]
    return recording


def _install() -> None:
    from scaleup_graph.store import falkordb, neo4j  # noqa: F401 - defines the adapters
    from scaleup_graph.store.base import GraphStore

    todo = list(GraphStore.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        for name in ("read", "write", "read_int_lists", "read_keyed_ids"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "__cypher_recorder__", False):
                setattr(cls, name, _wrap(method))
        dialect = cls.__dict__.get("dialect")
        if isinstance(dialect, str):
            cls._recorded_dialect = dialect  # type: ignore[attr-defined]
            cls.dialect = _DialectProbe(dialect)  # type: ignore[assignment]


def recorded() -> dict[str, dict[str, Any]]:
    """This session's records so far, merged with earlier runs of the same code."""
    out = _load()
    with _lock:
        for text, entry in _seen.items():
            _merge(out, text, entry)
    return out


def _merge(into: dict[str, dict[str, Any]], text: str, entry: dict[str, Any]) -> None:
    old = into.get(text)
    if old is None:
        into[text] = {
            "origins": sorted(entry["origins"]),
            "dialects": sorted(entry["dialects"]),
            "falkordb_branch": bool(entry["falkordb_branch"]),
        }
        return
    old["origins"] = sorted(set(old["origins"]) | set(entry["origins"]))
    old["dialects"] = sorted(set(old["dialects"]) | set(entry["dialects"]))
    old["falkordb_branch"] = bool(old["falkordb_branch"] and entry["falkordb_branch"])


def _load() -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(RECORDED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("source") != source_hash():
        return {}
    statements = data.get("statements")
    return statements if isinstance(statements, dict) else {}


def _save() -> None:
    if not _seen:
        return
    merged = recorded()
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = RECORDED.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps({"source": source_hash(), "statements": merged}, indent=1, sort_keys=True),
            encoding="utf-8",
        )
        tmp.replace(RECORDED)
    except OSError:  # a read-only checkout: this run's lint already saw the records
        pass


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "cypher_lint: lints recorded Cypher; runs after every other test"
    )
    _install()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The lint goes last, whatever the order the other tests run in, so it sees their records.
    last = [item for item in items if item.get_closest_marker("cypher_lint")]
    if last:
        items[:] = [item for item in items if item not in last] + last


def pytest_sessionfinish(session: pytest.Session) -> None:
    _save()
