"""Every Cypher statement ScaleUp Graph sends to Neo4j, linted by Neo4j's own Cypher front end.

No Neo4j server runs where this is built, so the Neo4j path is checked statically on every run:
the statements are linted with ``lintCypherQuery`` of the pinned npm package
``@neo4j-cypher/language-support`` (tests/store/cypher_lint/package.json, installed by
``make cypher-lint`` into .cache/cypher-lint) as CYPHER 5 and as CYPHER 25, against the function
and procedure registry of a Neo4j server without plugins. It passes with 0 errors, and with no
FalkorDB-only function, procedure or command (``db.idx.*``, ``algo.*``, ``GRAPH.*``,
``vecf32`` ...) on the Neo4j path.

The statements (collected anew on every run, so new Cypher is picked up without listing it):

- named queries: every ``*.cypher`` of the catalogue rendered for the ``neo4j`` dialect, with
  every value of every inline parameter (labels, hop counts);
- constants: every module-level string (or tuple/list of strings) in ``scaleup_graph`` that
  starts like a Cypher statement, except in the FalkorDB-only adapter modules;
- the Neo4j adapter: every statement it sends for each of the port's operations (every label,
  every relationship type), caught from a recording driver;
- Neo4j branches: code that sends other Cypher to each store (it reads ``store.dialect``: search,
  bounded neighbourhoods) run on a Neo4j store; the test names any module whose FalkorDB side
  was recorded but whose Neo4j side never ran;
- docs: the Cypher docs/neo4j.md tells an operator to run (the read-only user);
- recorded: every statement the store, ingest, analytics, workflows and edits sent while the
  rest of this test session ran (``tests/cypher_recorder.py``), merged with earlier runs of the
  same source tree.

When node or the package is missing the test is skipped with one line that says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import pkgutil
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import scaleup_graph
from scaleup_graph.graph_model import NODE_TYPES, ORGANISATION_KINDS, REL_TYPES
from scaleup_graph.queries.catalogue import catalogue
from scaleup_graph.queries.neighbourhood import bounded_neighbourhood
from scaleup_graph.queries.search import find_nodes
from scaleup_graph.settings import Settings
from scaleup_graph.store import NodeRow, RelRow
from scaleup_graph.store.neo4j import Neo4jStore, privilege_statements
from tests.cypher_recorder import CACHE, FALKORDB_ONLY, REPO, recorded
from tests.store.test_neo4j_adapter import Call, FakeDriver, records

pytestmark = pytest.mark.cypher_lint

SCRIPT = Path(__file__).with_name("cypher_lint") / "lint.cjs"
PACKAGE = CACHE / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"
REPORT = CACHE / "report.json"
RESULTS = CACHE / "results.json"

#: FalkorDB-only functions, procedures and commands: none may reach Neo4j
FALKORDB_ONLY_CONSTRUCTS = re.compile(
    r"\b(?:db\.idx\.|db\.meta\.|algo\.|GRAPH\.|vecf32\s*\(|vec\.\w+\s*\(|"
    r"list\.(?:dedup|sort|remove|insert\w*)\s*\(|string\.\w+\s*\(|intern\s*\(|typeOf\s*\()",
    re.IGNORECASE,
)
#: how a Cypher statement starts (a constant that does not start like this is not one)
_STATEMENT = re.compile(
    r"^\s*(?:CYPHER\s+\d+\s+)?(?:OPTIONAL\s+MATCH|MATCH|MERGE|CREATE|UNWIND|WITH|RETURN|CALL|"
    r"DETACH\s+DELETE|DELETE|LOAD\s+CSV|FOREACH|SHOW|USE)\b[\s\S]*\b"
    r"(?:RETURN|SET|DELETE|MERGE|CREATE|YIELD|REMOVE|INDEX|CONSTRAINT|TRANSACTIONS)\b",
    re.IGNORECASE,
)
#: a str.format template field: such a constant is completed at run time (and recorded then)
_TEMPLATE = re.compile(r"\{[A-Za-z_]\w*\}|\{\{|\}\}")
#: statements the linter must flag, or it is not working
CANARIES = {
    "CALL db.idx.fulltext.queryNodes('Organisation', 'x') YIELD node RETURN node": "Procedure",
    "MATCH (n RETURN n": "Invalid input",
    "RETURN algo.pageRank(1) AS x": "Function",
}


# --- where the statements come from ------------------------------------------------------------


def named_statements() -> dict[str, set[str]]:
    """Every named query rendered for Neo4j, each inline parameter through all its values."""
    out: dict[str, set[str]] = defaultdict(set)
    for name, query in catalogue().items():
        base = {p.name: (p.default if not p.required else None) for p in query.params}
        for p in query.params:
            if p.inline and p.required:
                base[p.name] = p.choices[0] if p.choices else p.minimum
        variants = [base]
        for p in query.params:
            if not p.inline:
                continue
            values: Iterable[Any] = (
                range(p.minimum, p.maximum + 1)
                if p.type == "int" and p.minimum is not None and p.maximum is not None
                else ("", *p.choices)
            )
            variants += [{**base, p.name: value} for value in values]
        for bound in variants:
            out[query.text("neo4j", bound)].add(f"named query {name}")
    return out


def _statement_constants(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        if _STATEMENT.match(value) and not _TEMPLATE.search(value):
            yield value
    elif isinstance(value, tuple | list | frozenset) and len(value) < 200:
        for item in value:
            if isinstance(item, str):
                yield from _statement_constants(item)


def constant_statements() -> dict[str, set[str]]:
    """Module-level Cypher strings anywhere in the package, except the FalkorDB-only adapters."""
    out: dict[str, set[str]] = defaultdict(set)
    for info in pkgutil.walk_packages(scaleup_graph.__path__, "scaleup_graph."):
        if info.name.startswith(FALKORDB_ONLY) or info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra (bench, report) that is not installed
            continue
        for attr, value in vars(module).items():
            if attr.startswith("__") or getattr(value, "__module__", info.name) != info.name:
                continue
            for text in _statement_constants(value):
                out[text].add(f"constant {info.name}.{attr}")
    return out


def neo4j_adapter_statements() -> dict[str, set[str]]:
    """What the Neo4j adapter sends for every operation of the port, caught from the driver."""
    driver = FakeDriver(lambda call: [])
    store = Neo4jStore(
        "neo4j://db.example:7687", settings=Settings(neo4j_database="scaleup"), driver=driver
    )
    prov = {"source": "lint", "ingest_run": "r", "ingested_at": "2026-01-01T00:00:00"}
    store.setup_schema()
    for label, node_type in NODE_TYPES.items():
        extra = ORGANISATION_KINDS[:1] if label == "Organisation" else ()
        props = {p.name: "x" for p in node_type.properties if not p.name.endswith("_fold")}
        store.upsert_nodes(label, [NodeRow("x-1", props, extra)], provenance=prov)
        store.upsert_nodes(label, [NodeRow("x-2", {}, fill={"name": "x"})], provenance=prov)
        store.existing_ids(label, ["x-1"])
        store.node_properties(label, ["x-1"])
    for type_, rel_type in REL_TYPES.items():
        for start in rel_type.sources:
            for end in rel_type.targets:
                store.upsert_relationships(
                    type_, start, end, [RelRow("a", "b", {})], provenance=prov
                )
    store.counts()
    store.dump_lines()
    store.erase_node("x-1")
    store.add_suppressed(["0" * 64])
    store.suppressed(["0" * 64])
    store.clear()
    store.health()
    out: dict[str, set[str]] = defaultdict(set)
    for call in driver.calls:
        out[call.query].add("Neo4j adapter")
    # the roles ad-hoc Cypher runs as (scaleup neo4j-privileges), run by the operator
    for statement in privilege_statements("scaleup"):
        out[statement].add("neo4j-privileges")
    return out


def neo4j_branch_statements() -> dict[str, set[str]]:
    """The Neo4j side of code that sends other Cypher to Neo4j than to FalkorDB (it reads
    ``store.dialect``): run here on a Neo4j store whose driver answers from a script.

    The suite runs on FalkorDB, so only these calls reach those branches. When someone adds a
    new branch, the lint test below names the module until a call is added here.
    """
    centre = {"node": {"id": "org-1", "_labels": ["Organisation"]}}
    neighbours = {
        "hubs": ["org-2"],
        "kept": [
            {"id": "topic-1", "_labels": ["Topic"]},
            {"id": "project-1", "_labels": ["Project"]},
        ],
        "total": 2,
    }

    def respond(call: Call) -> list[Any]:
        if call.query.endswith("AS node LIMIT 1"):
            return records(centre)
        if "AS kept" in call.query:
            return records(neighbours)
        return []

    driver = FakeDriver(respond)
    store = Neo4jStore(
        "neo4j://db.example:7687", settings=Settings(neo4j_database="scaleup"), driver=driver
    )
    for text in ("Kassel Energie", "Ka", "Göttingen*", "x"):
        find_nodes(store, text)
        find_nodes(store, text, labels=("Organisation",))
    bounded_neighbourhood(store, "admin", "org-1", hops=3)
    bounded_neighbourhood(store, "viewer", "org-1", hops=1, labels=["Topic"])
    out: dict[str, set[str]] = defaultdict(set)
    for call in driver.calls:
        out[call.query].add("Neo4j branch")
    return out


def docs_statements() -> dict[str, set[str]]:
    """The Cypher an operator is told to run on Neo4j (```cypher blocks of docs/neo4j.md)."""
    text = (REPO / "docs" / "neo4j.md").read_text(encoding="utf-8")
    out: dict[str, set[str]] = defaultdict(set)
    for block in re.findall(r"```cypher\n(.*?)```", text, re.S):
        for statement in block.split(";"):
            if statement.strip():
                out[statement.strip()].add("docs/neo4j.md")
    return out


def recorded_statements() -> tuple[dict[str, set[str]], list[str]]:
    """Statements sent while the suite ran, and those sent only on a FalkorDB branch."""
    out: dict[str, set[str]] = defaultdict(set)
    branches = []
    for text, entry in recorded().items():
        if entry["falkordb_branch"] and "neo4j" not in entry["dialects"]:
            branches.append(text)
            continue
        for origin in entry["origins"]:
            out[text].add(f"sent by {origin}")
    return out, branches


# --- the linter --------------------------------------------------------------------------------


def _linter() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Neo4j Cypher lint skipped: node is not installed (apt-get install nodejs)")
    if not PACKAGE.exists():
        pytest.skip(
            "Neo4j Cypher lint skipped: @neo4j-cypher/language-support is not installed "
            "(run make cypher-lint; it needs npm and the npm registry)"
        )
    return node


def _run_linter(node: str, statements: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [node, str(SCRIPT), str(CACHE)],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"the linter failed: {done.stderr[-2000:]}"
    return dict(json.loads(done.stdout))


#: statements per node process: each chunk's results are kept as soon as it is done
_CHUNK = 50


def lint(node: str, statements: list[str]) -> dict[str, Any]:
    """Lint ``statements`` (the canaries always afresh); a statement's diagnostics are kept in
    .cache/cypher-lint/results.json for the same package, script and text, because linting
    takes tens of milliseconds a statement (more on a busy machine) and most statements do not
    change between runs. New statements go in chunks, two node processes at a time, and every
    finished chunk is kept, so a first run that is stopped half-way is not lost."""
    key = hashlib.sha256(PACKAGE.read_bytes() + SCRIPT.read_bytes()).hexdigest()[:16]
    try:
        cache = json.loads(RESULTS.read_text(encoding="utf-8"))
        known: dict[str, Any] = cache["results"] if cache.get("key") == key else {}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    todo = [t for t in statements if digest(t) not in known]
    chunks = [list(CANARIES)] + [todo[i : i + _CHUNK] for i in range(0, len(todo), _CHUNK)]
    first: dict[str, Any] = {}
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        for i, answer in enumerate(pool.map(lambda c: _run_linter(node, c), chunks)):
            if i == 0:
                first = answer  # the canaries
                continue
            known.update({digest(t): r for t, r in zip(chunks[i], answer["results"], strict=True)})
            with contextlib.suppress(OSError):
                RESULTS.write_text(json.dumps({"key": key, "results": known}), encoding="utf-8")
    first["results"] = first["results"] + [known[digest(t)] for t in statements]
    first["linted_now"] = len(todo)
    return first


def _short(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


# A first run lints every statement (about 550 for the whole suite, twice each): minutes on a
# busy machine; later runs lint only what changed. Not a time limit on the code under test.
@pytest.mark.timeout(3600)
def test_every_statement_sent_to_neo4j_lints_clean_as_cypher_5_and_25() -> None:
    node = _linter()
    sources: dict[str, set[str]] = defaultdict(set)
    named = named_statements()
    constants = constant_statements()
    adapter = neo4j_adapter_statements()
    branches = neo4j_branch_statements()
    docs = docs_statements()
    from_suite, falkordb_branches = recorded_statements()
    for part in (named, constants, adapter, branches, docs, from_suite):
        for text, origins in part.items():
            sources[text] |= origins
    statements = sorted(sources)
    answer = lint(node, statements)
    results = answer["results"]

    # the linter works: it flags what Neo4j would refuse
    for (text, says), result in zip(CANARIES.items(), results, strict=False):
        for version in answer["versions"]:
            messages = [m for severity, m, _ in result[version] if severity == 1]
            assert any(says in m for m in messages), f"linter missed {text!r} ({version})"

    errors, warnings = [], defaultdict(int)
    for text, result in zip(statements, results[len(CANARIES) :], strict=True):
        for version, diagnostics in result.items():
            for severity, message, _offset in diagnostics:
                if severity == 1:
                    where = ", ".join(sorted(sources[text]))
                    errors.append(f"{version} [{where}] {message}\n    {_short(text)}")
                else:
                    warnings[message.split(".")[0]] += 1
    falkordb_only = [
        f"[{', '.join(sorted(sources[t]))}] {_short(t)}"
        for t in statements
        if FALKORDB_ONLY_CONSTRUCTS.search(t)
    ]

    summary = {
        "linter": answer["package"],
        "versions": answer["versions"],
        "statements": len(statements),
        "named": len(named),
        "constants": len(constants),
        "neo4j_adapter": len(adapter),
        "neo4j_branches": len(branches),
        "docs": len(docs),
        "recorded": len(from_suite),
        "falkordb_branch_only": len(falkordb_branches),
        "linted_now": answer["linted_now"],
        "errors": len(errors),
        "warnings": dict(warnings),
    }
    with contextlib.suppress(OSError):
        REPORT.write_text(
            json.dumps({**summary, "error_list": errors, "falkordb_only": falkordb_only}, indent=1),
            encoding="utf-8",
        )
    print("Neo4j Cypher lint:", json.dumps(summary))
    # every module that sends FalkorDB-only Cypher on a dialect branch had its Neo4j side linted
    everything = recorded()
    branching = {o for t in falkordb_branches for o in everything[t]["origins"]}
    on_neo4j = {o for e in everything.values() if "neo4j" in e["dialects"] for o in e["origins"]}
    assert branching <= on_neo4j, (
        f"{sorted(branching - on_neo4j)} send other Cypher to FalkorDB than to Neo4j (they read "
        "store.dialect), and their Neo4j side never ran here: call them in "
        "neo4j_branch_statements()"
    )
    assert errors == [], f"{len(errors)} Cypher errors on the Neo4j path:\n" + "\n".join(errors)
    # Cypher 25 deprecates CALL { ... } without a scope clause, and FalkorDB has no scope
    # clause: statements both engines run use no CALL subquery (a Neo4j variant may use CALL ())
    deprecated = [w for w in warnings if "without a variable scope clause" in w]
    assert deprecated == [], f"CALL subqueries without a scope clause: {dict(warnings)}"
    assert falkordb_only == [], "FalkorDB-only Cypher on the Neo4j path:\n" + "\n".join(
        falkordb_only
    )
    assert len(named) >= len(catalogue())
    assert len(docs) >= 2  # CREATE USER and GRANT ROLE
    assert len(adapter) > len(NODE_TYPES)


def test_the_statement_sources_pick_up_new_cypher(tmp_path: Path) -> None:
    """A new named query, a new constant and a new store statement are found without a list."""
    assert any("named query paths" in o for o in set().union(*named_statements().values()))
    constants = set().union(*constant_statements().values())
    assert "constant scaleup_graph.store.cypher.COUNT_NODES" in constants
    assert any(o.startswith("constant scaleup_graph.workflows.") for o in constants)
    assert not any(o.startswith(f"constant {m}") for o in constants for m in FALKORDB_ONLY)
    adapter = neo4j_adapter_statements()
    assert any(t.startswith("CREATE CONSTRAINT scaleup_") for t in adapter)
    assert any("MERGE (n:`Organisation`" in t for t in adapter)


def test_the_recorder_keeps_our_statements_and_tells_falkordb_branches_apart() -> None:
    """Statements of the package are recorded with their module; a test's own statements, the
    FalkorDB adapters' own and named queries are not; a statement sent from a function that
    looked at ``store.dialect`` on a FalkorDB store counts as a FalkorDB branch."""
    from tests import cypher_recorder as recorder

    class Store:
        _recorded_dialect = "falkordb"
        dialect = recorder._DialectProbe("falkordb")

    code = """
def shared(store, record):
    record(store, "MATCH (n) RETURN n AS shared_probe")

def branching(store, record):
    if store.dialect == "falkordb":
        record(store, "CALL db.idx.fulltext.queryNodes('L', 'x') YIELD node RETURN node")
"""
    texts = [
        "MATCH (n) RETURN n AS shared_probe",
        "CALL db.idx.fulltext.queryNodes('L', 'x') YIELD node RETURN node",
        "MATCH (n) RETURN n AS from_a_test",
        "MATCH (n) RETURN n AS from_the_adapter",
    ]
    ours: dict[str, Any] = {"__name__": "scaleup_graph.probe"}
    adapter: dict[str, Any] = {"__name__": "scaleup_graph.store.falkordb"}
    exec(compile(code, "probe", "exec"), ours)
    exec(
        compile("def own(store, record):\n    record(store, " + repr(texts[3]) + ")", "a", "exec"),
        adapter,
    )
    store = Store()
    try:
        ours["shared"](store, recorder._record)
        ours["branching"](store, recorder._record)
        recorder._record(store, texts[2])
        adapter["own"](store, recorder._record)
        seen = recorder._seen
        assert seen[texts[0]]["origins"] == {"scaleup_graph.probe"}
        assert seen[texts[0]]["falkordb_branch"] is False
        assert seen[texts[1]]["falkordb_branch"] is True
        assert texts[2] not in seen and texts[3] not in seen
    finally:
        for text in texts:
            recorder._seen.pop(text, None)


@pytest.mark.parametrize(
    ("text", "falkordb_only"),
    [
        ("CALL db.idx.fulltext.queryNodes('Organisation', $q) YIELD node RETURN node", True),
        ("CALL db.idx.vector.queryNodes('Doc', 'v', 5, vecf32($v)) YIELD node RETURN node", True),
        ("CALL algo.pageRank('Organisation', 'COOPERATES') YIELD node, score RETURN node", True),
        ("MATCH (n) RETURN typeOf(n.x) AS t", True),
        ("RETURN string.join(['a', 'b'], ',') AS s", True),
        ("CALL db.index.fulltext.queryNodes('scaleup_names', $q) YIELD node RETURN node", False),
        ("MATCH (n:Organisation) WHERE n.algo = 1 RETURN n.graph AS graph", False),
        ("MATCH (n) RETURN valueType(n.x) AS t, elementId(n) AS id", False),
    ],
)
def test_falkordb_only_constructs_are_told_from_neo4j_ones(text: str, falkordb_only: bool) -> None:
    assert bool(FALKORDB_ONLY_CONSTRUCTS.search(text)) is falkordb_only
