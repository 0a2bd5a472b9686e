"""What issue 15's guards cost: the plan-based ad-hoc guard and the redacted copy, at M.

    .venv/bin/python -m bench.adhoc_privacy [--size M] [--repeat 20]

One generated graph (``--size``, M = 40,000 organisations) in an embedded server. Per ad-hoc
query (a small set of typical analyst queries, each run ``--repeat`` times, alternating):

- baseline: the query as before, GRAPH.RO_QUERY with the time limit, rows cut after fetching;
- guarded: ``store.read_only`` (GRAPH.EXPLAIN, refusal of procedure calls / LOAD CSV / writes
  from the plan, the row cap injected as ``CALL { ... } RETURN * LIMIT cap + 1``);
- redacted: ``store.read_only_redacted`` on the copy without personal properties, drafts and
  system nodes, when the copy is current (the usual case: the write path keeps it in step);
- contacts: the copy an analyst with contacts but without editor runs on (personal properties
  kept; drafts and system nodes left out), against ``guarded`` on the graph itself (where such
  a key ran before drafts and system nodes were left out).

Per write (a batch of 100 Person upserts, the editor's and ingest's write path): without a
redacted copy vs with one, which every write is mirrored to, then cleaned up: by the ids the
write named (now) and, as the baseline, by a scan of every Person of the copy (before); and
with the copy but without the draft tracking a copy without drafts needs (the draft ids read
before and after each write that may touch a draft, drafts deleted from the copy; ``--drafts``
drafts added to the generated ones); and the edit of one challenge, which is tracked.
And with both copies (redacted and contacts) kept in step. And
what one full rebuild of the copy costs (GRAPH.COPY + redaction + AOF rewrite; only when the
copy fell behind, e.g. another process wrote while the copy was missing). And a write of
100 organisations (whose search text the full-text indexes take in) without copies, with two
copies holding the graph's full-text indexes (as GRAPH.COPY left them before) and with two
copies without them (now: ad-hoc Cypher cannot call the procedures that read them).

Per publication (a draft challenge published by the workflow's ``transition``, with both
copies without drafts kept): the publication and the next ad-hoc query of an analyst without
editor, with the challenge and its relationships copied into the copies in the write's
transaction (now) and, as the baseline, with the copies rebuilt before that next query (before:
forced through the fallback path; ``--publications`` times each). The claims are ratios of
medians. Results: bench/results/adhoc_privacy-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

from bench.scratch import scratch_folder
from bench.suite import ORGS
from scaleup_graph.ingest import IngestOptions, load_manifest, run_ingest
from scaleup_graph.ingest.generate import generate
from scaleup_graph.store import NodeRow, StoreUnavailable, falkordb, open_store
from scaleup_graph.store.falkordb import FalkorDBStore
from scaleup_graph.store.views import VIEWS, AdhocView
from scaleup_graph.workflows.challenges import transition

RESULTS = Path(__file__).resolve().parent / "results"
QUERIES = {
    "count by label": "MATCH (o:Organisation) RETURN count(o) AS n",
    "top regions": (
        "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) "
        "RETURN r.name AS region, count(o) AS n ORDER BY n DESC LIMIT 10"
    ),
    "2-hop persons": (
        "MATCH (p:Person)-[:WORKS_AT]->(o:Organisation)-[:COOPERATES_WITH]-(x) "
        "RETURN p.id AS person, count(DISTINCT x) AS partners ORDER BY partners DESC LIMIT 20"
    ),
    "5,000 rows": "MATCH (o:Organisation) RETURN o.id AS id, o.name AS name",
}
TIMEOUT_MS, ROW_CAP = 10_000, 5_000
PROV = {"source": "bench", "ingest_run": "bench", "ingested_at": "2026-01-01T00:00:00"}


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3)


def _kept(views: list[AdhocView]) -> Callable[[], list[AdhocView]]:
    """A stand-in for ``FalkorDBStore._views_kept``: these copies are the ones kept."""
    return lambda: list(views)


def _no_drafts(before: object = ()) -> dict[str, bool]:
    """A stand-in for ``FalkorDBStore._drafts``: writes without the draft tracking."""
    return {}


def _no_mirror(*args: object, **kwargs: object) -> None:
    """A stand-in for ``FalkorDBStore._mirror``: writes not replayed on the copies."""


def _copy(store: FalkorDBStore, view: AdhocView) -> float:
    """Seconds to make ``view``'s copy current. GRAPH.COPY forks the server: on a crowded
    machine the fork can fail (503 in the API), so the bench waits and tries again."""
    for attempt in range(6):
        try:
            started = time.perf_counter()
            store.refresh_view(view)
            return time.perf_counter() - started
        except StoreUnavailable as exc:
            if "fork" not in str(exc) or attempt == 5:
                raise
            time.sleep(10)
    raise AssertionError("unreachable")


def _publications(store: FalkorDBStore, times: int) -> dict[str, dict[str, float]]:
    """Medians (ms) of a publication and of the next ad-hoc query on the copy without personal
    data and drafts, with the publication copied in (``copied``) or the copies rebuilt
    (``rebuilt``, the fallback path forced, as every publication did before)."""
    restore = falkordb.restore_published
    made = iter(range(10**9))

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("bench: the rebuild of before")

    out: dict[str, dict[str, list[float]]] = {
        mode: {"publish_ms": [], "next_query_ms": []} for mode in ("copied", "rebuilt")
    }
    for _ in range(times):
        for mode in ("copied", "rebuilt"):  # alternate, so drift hits both
            cid = f"challenge-bench-publish-{next(made)}"
            store.write(
                "MATCH (o:Organisation) WITH o LIMIT 1 "
                "CREATE (o)-[:POSES]->(:Challenge {id: $id, name: $id, status: 'draft'})",
                {"id": cid},
            )
            with patch.object(
                falkordb, "restore_published", refuse if mode == "rebuilt" else restore
            ):
                started = time.perf_counter()
                transition(store, cid, "published")
                publish = time.perf_counter() - started
            started = time.perf_counter()
            for attempt in range(6):  # the rebuild forks the server: retry as _copy does
                try:
                    store.read_only_redacted(
                        QUERIES["count by label"], {}, timeout_ms=TIMEOUT_MS, row_cap=ROW_CAP
                    )
                    break
                except StoreUnavailable as exc:
                    if "fork" not in str(exc) or attempt == 5:
                        raise
                    time.sleep(10)
            out[mode]["publish_ms"].append(publish * 1000)
            out[mode]["next_query_ms"].append((time.perf_counter() - started) * 1000)
            _copy(store, AdhocView(personal=True, drafts=False))  # both current for the next
    return {
        mode: {k: round(statistics.median(v), 3) for k, v in row.items()}
        for mode, row in out.items()
    }


def _full_text_upkeep(store: FalkorDBStore, repeat: int) -> dict[str, float]:
    """Medians (ms) of a write of 100 organisations (each with a search text the full-text
    index of its label takes in): without copies, with two copies holding the graph's
    full-text indexes (as GRAPH.COPY made them before) and with two copies without them (now).
    The two copies without drafts are made the old way, the two with drafts the new way, so
    the three cases take turns without a rebuild in between."""
    before = [v for v in VIEWS if not v.drafts]
    now = [v for v in VIEWS if v.drafts]

    def keep_fulltext_indexes(copy: Any, timeout_s: float = 120.0) -> None:
        """As GRAPH.COPY made the copies before: with the graph's full-text indexes."""

    with patch.object(store, "_drop_fulltext_indexes", keep_fulltext_indexes):
        for view in before:
            store._command("GRAPH.DELETE", store.view_names[view])
            _copy(store, view)
    for view in now:
        _copy(store, view)
    made = iter(range(10**9))

    def write_organisations() -> None:
        n = next(made)
        rows = [
            NodeRow(f"org-bench-ft-{n}-{i}", {"name": f"Bench Werkzeugbau {n} {i}"})
            for i in range(100)
        ]
        store.upsert_nodes("Organisation", rows, provenance=PROV)

    out = dict.fromkeys(("without_copies", "two_copies_full_text", "two_copies"), 0.0)
    for _ in range(2):  # alternate, so drift hits all three
        for case, views in (
            ("without_copies", []),
            ("two_copies_full_text", before),
            ("two_copies", now),
        ):
            with patch.object(store, "_views_kept", _kept(views)):
                out[case] += _median_ms(write_organisations, max(1, repeat // 2)) / 2
    return {k: round(v, 3) for k, v in out.items()}


def run(
    size: str, repeat: int, work: Path, drafts: int = 20, publications: int = 3
) -> dict[str, Any]:
    population = generate(ORGS[size], 7, work / f"gen-{ORGS[size]}")
    store = open_store(f"embedded://{work / 'db'}", graph="bench")
    assert isinstance(store, FalkorDBStore)
    try:
        store.clear()
        store.setup_schema()
        options = IngestOptions(state_dir=work / "state", batch_size=5000, check_duplicates=False)
        run_ingest(store, load_manifest(population.manifest), options)
        store.upsert_nodes(
            "Challenge",
            [NodeRow(f"challenge-bench-draft-{i}", {"name": f"D{i}", "status": "draft"})
             for i in range(drafts)],
            provenance=PROV,
        )  # fmt: skip
        rebuild_s = _copy(store, AdhocView(personal=False, drafts=False))
        _copy(store, AdhocView(personal=True, drafts=False))  # the contacts copy

        def baseline(q: str) -> object:
            rows = store.read(q, {}, timeout_ms=TIMEOUT_MS)
            return rows[:ROW_CAP]

        queries: dict[str, dict[str, float]] = {}
        for name, q in QUERIES.items():
            row: dict[str, float] = {}
            for _ in range(2):  # alternate the three, so drift on a shared machine hits all
                for label, fn in (
                    ("baseline_ms", lambda q=q: baseline(q)),
                    ("guarded_ms", lambda q=q: store.read_only(
                        q, {}, timeout_ms=TIMEOUT_MS, row_cap=ROW_CAP)),
                    ("redacted_ms", lambda q=q: store.read_only_redacted(
                        q, {}, timeout_ms=TIMEOUT_MS, row_cap=ROW_CAP)),
                    ("contacts_ms", lambda q=q: store.read_adhoc(
                        q, {}, timeout_ms=TIMEOUT_MS, row_cap=ROW_CAP, personal=True,
                        drafts=False)),
                ):  # fmt: skip
                    row.setdefault(label, 0.0)
                    row[label] += _median_ms(fn, max(1, repeat // 2)) / 2
            row = {k: round(v, 3) for k, v in row.items()}
            row["guard_cost"] = round(row["guarded_ms"] / row["baseline_ms"] - 1, 3)
            row["redacted_vs_guarded"] = round(row["redacted_ms"] / row["guarded_ms"] - 1, 3)
            row["contacts_vs_guarded"] = round(row["contacts_ms"] / row["guarded_ms"] - 1, 3)
            queries[name] = row

        counter = iter(range(10**9))

        def write_batch() -> None:
            n = next(counter)
            rows = [
                NodeRow(f"person-bench-{n}-{i}", {"name": f"Bench {i}", "email": f"b{i}@x.org"})
                for i in range(100)
            ]
            store.upsert_nodes("Person", rows, provenance=PROV)

        def full_scan(
            query: str, params: Any, *, personal: bool = False
        ) -> list[tuple[str, dict[str, Any]]]:
            """The clean-up before issue 15's point 3: every Person of the copy scanned."""
            return [(statement, {}) for statement in (*falkordb.REDACT, *falkordb.PURGE)]

        totals = dict.fromkeys(
            ("without_copy", "with_copy", "with_copy_full_scan", "with_copy_no_draft_tracking"),
            0.0,
        )
        _copy(store, AdhocView(personal=True, drafts=False))  # current again after the queries
        kept = store._views_kept()
        contacts_view = [v for v in kept if v.personal]
        half = max(1, repeat // 2)
        # alternate the four, so drift on a shared machine hits all
        with patch.object(store, "_views_kept", _kept([v for v in kept if not v.personal])):
            for _ in range(2):
                with patch.object(store, "_drafts", _no_drafts):
                    totals["with_copy_no_draft_tracking"] += _median_ms(write_batch, half) / 2
                with patch.object(store, "_mirror", _no_mirror):
                    totals["without_copy"] += _median_ms(write_batch, half) / 2
                with patch.object(falkordb, "clean_up", full_scan):
                    totals["with_copy_full_scan"] += _median_ms(write_batch, half) / 2
                totals["with_copy"] += _median_ms(write_batch, half) / 2

        def edit_challenge() -> None:  # a write the draft tracking follows (names Challenge)
            n = next(counter)
            row = NodeRow("challenge-bench-edited", {"name": f"E{n}", "status": "published"})
            store.upsert_nodes("Challenge", [row], provenance=PROV)

        challenge = {"untracked": 0.0, "tracked": 0.0}
        with patch.object(store, "_views_kept", _kept(kept)):
            with_both = _median_ms(write_batch, repeat)
            for _ in range(2):
                with patch.object(store, "_drafts", _no_drafts):
                    challenge["untracked"] += _median_ms(edit_challenge, half) / 2
                challenge["tracked"] += _median_ms(edit_challenge, half) / 2
        published = _publications(store, publications)
        organisations = _full_text_upkeep(store, repeat)
        assert contacts_view, "the contacts copy was not kept"
        without_copy, with_copy, scan_copy, untracked = (
            round(totals[k], 3)
            for k in (
                "without_copy",
                "with_copy",
                "with_copy_full_scan",
                "with_copy_no_draft_tracking",
            )
        )
        persons = store.counts()["nodes"].get("Person", 0)
        # no personal value in the copy after the targeted clean-ups (read on the copy itself:
        # the writes left out above put it behind, and a rebuild is not what is measured)
        assert store._wdb is not None
        copy = store._wdb.select_graph(store.redacted_name)
        leaked = copy.query(
            "MATCH (p:Person) WHERE p.email IS NOT NULL OR p.name IS NOT NULL RETURN count(p)"
        ).result_set[0][0]
        assert leaked == 0, "the redacted copy holds personal properties"
        shown = copy.query("MATCH (c:Challenge {status: 'draft'}) RETURN count(c)").result_set
        assert shown[0][0] == 0, "the redacted copy holds drafts"
        counts = store.counts()
        drafts_in_graph = len([1 for v in store._drafts().values() if v])
    finally:
        store.clear()
        store.close()
    return {
        "size": size,
        "organisations": ORGS[size],
        "nodes": sum(counts["nodes"].values()),
        "relationships": sum(counts["relationships"].values()),
        "repeat": repeat,
        "queries": queries,
        "persons": persons,
        "write_100_persons_ms": {
            "without_copy": without_copy,
            "with_copy": with_copy,
            "with_copy_full_scan": scan_copy,
            "with_copy_no_draft_tracking": untracked,
            "with_two_copies": with_both,
        },
        "write_1_challenge_ms": {k: round(v, 3) for k, v in challenge.items()},
        "write_100_organisations_ms": organisations,
        "write_cost_of_two_copies_full_text": round(
            organisations["two_copies_full_text"] / organisations["without_copies"] - 1, 3
        ),
        "write_cost_of_two_copies_without_full_text": round(
            organisations["two_copies"] / organisations["without_copies"] - 1, 3
        ),
        "drafts_in_graph": drafts_in_graph,
        "drafts": drafts,
        "write_cost_of_copy": round(with_copy / without_copy - 1, 3),
        "write_cost_of_draft_tracking": round(with_copy / untracked - 1, 3),
        "write_cost_of_two_copies": round(with_both / without_copy - 1, 3),
        "write_cost_of_copy_full_scan": round(scan_copy / without_copy - 1, 3),
        "copy_rebuild_s": round(rebuild_s, 2),
        "publication": published,
        "next_query_after_publication_speedup": round(
            published["rebuilt"]["next_query_ms"] / published["copied"]["next_query_ms"], 1
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=sorted(ORGS))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--drafts", type=int, default=20, help="challenges in draft added")
    parser.add_argument(
        "--publications", type=int, default=3, help="publications timed per way (each rebuild: s)"
    )
    args = parser.parse_args(argv)
    with scratch_folder("adhoc-privacy-") as tmp:
        result = run(args.size, args.repeat, Path(tmp), args.drafts, args.publications)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"adhoc_privacy-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"{result['size']}: {result['nodes']:,} nodes, {result['relationships']:,} rels")
    print(
        f"{'query':<16} {'baseline':>10} {'guarded':>10} {'redacted':>10} {'contacts':>10} "
        f"{'guard':>8} {'contacts':>9}"
    )
    for name, row in result["queries"].items():
        print(
            f"{name:<16} {row['baseline_ms']:>8.1f}ms {row['guarded_ms']:>8.1f}ms "
            f"{row['redacted_ms']:>8.1f}ms {row['contacts_ms']:>8.1f}ms "
            f"{row['guard_cost']:>+8.0%} {row['contacts_vs_guarded']:>+9.0%}"
        )
    w = result["write_100_persons_ms"]
    print(
        f"write of 100 persons ({result['persons']:,} persons in the graph): "
        f"{w['without_copy']:.1f} ms without the copy, "
        f"{w['with_copy']:.1f} ms with it ({result['write_cost_of_copy']:+.0%}), "
        f"{w['with_copy_full_scan']:.1f} ms with the full-scan clean-up of before "
        f"({result['write_cost_of_copy_full_scan']:+.0%}); "
        f"a full rebuild of the copy: {result['copy_rebuild_s']} s"
    )
    print(
        f"draft tracking ({result['drafts']} drafts): {w['with_copy_no_draft_tracking']:.1f} ms "
        f"-> {w['with_copy']:.1f} ms ({result['write_cost_of_draft_tracking']:+.0%}); "
        f"with two copies (redacted, contacts): {w['with_two_copies']:.1f} ms "
        f"({result['write_cost_of_two_copies']:+.0%} against no copy)"
    )
    c = result["write_1_challenge_ms"]
    print(
        f"edit of one challenge ({result['drafts_in_graph']:,} drafts in the graph): "
        f"{c['untracked']:.1f} ms without the draft tracking, {c['tracked']:.1f} ms with it"
    )
    o = result["write_100_organisations_ms"]
    print(
        f"write of 100 organisations: {o['without_copies']:.1f} ms without copies, "
        f"{o['two_copies_full_text']:.1f} ms with two copies holding full-text indexes "
        f"({result['write_cost_of_two_copies_full_text']:+.0%}, before), "
        f"{o['two_copies']:.1f} ms with two copies without them "
        f"({result['write_cost_of_two_copies_without_full_text']:+.0%}, now)"
    )
    p = result["publication"]
    print(
        f"publication of a draft: {p['copied']['publish_ms']:.1f} ms copied into the copies "
        f"({p['rebuilt']['publish_ms']:.1f} ms when they are rebuilt instead); the next ad-hoc "
        f"query: {p['copied']['next_query_ms']:.1f} ms, against "
        f"{p['rebuilt']['next_query_ms']:.1f} ms with the rebuild of before "
        f"({result['next_query_after_publication_speedup']}x)"
    )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
