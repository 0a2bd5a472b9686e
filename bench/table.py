"""The results as a plain-text / Markdown table: ratios beside the absolute numbers."""

from __future__ import annotations

from typing import Any

HEADER = (
    "| size | task | subject | median s | min s | max s | runs | peer/ours time | peak RSS MB "
    "| note |"
)


def _num(value: Any, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _note(row: dict[str, Any]) -> str:
    parts = [str(row["note"])] if row.get("note") else []
    if row.get("backend"):
        parts.append(f"backend {row['backend']}")
    agreement = row.get("rank_agreement_vs_exact")
    if agreement:
        parts.append(
            f"k={row.get('sample_size')}, vs exact: Spearman {agreement['spearman']}, "
            f"top-20 overlap {agreement['top_overlap']}"
        )
    if row.get("modularity") is not None:
        parts.append(f"Q={row['modularity']}")
    if row.get("server_peak_rss_mb"):
        parts.append(f"server peak RSS {row['server_peak_rss_mb']} MB")
    if row.get("rows"):
        parts.append(f"{row['rows']:,} rows")
    return "; ".join(parts)


def render(doc: dict[str, Any]) -> str:
    """Markdown table of a result document, then the machine, load and versions."""
    rows = doc["rows"]
    ours = {
        (r["size"], r["task"]): r["stats"]["median"]
        for r in rows
        if r["subject"] == "ours" and r["stats"]
    }
    shapes: dict[str, str] = {}
    for r in rows:
        if r.get("nodes") and r["size"] not in shapes:
            shapes[r["size"]] = f"{r['nodes']:,} nodes / {r.get('relationships') or 0:,} rels"
    lines = [HEADER, "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        st = r["stats"] or {}
        base = ours.get((r["size"], r["task"]))
        ratio = "-"
        if r["subject"] != "ours" and base and st.get("median"):
            value = st["median"] / base
            ratio = f"{value:.2f}x" if value >= 0.1 else f"{value:.3f}x"
        lines.append(
            f"| {r['size']} | {r['task']} | {r['subject']} | {_num(st.get('median'))} | "
            f"{_num(st.get('min'))} | {_num(st.get('max'))} | {st.get('runs', '-')} | {ratio} | "
            f"{r.get('peak_rss_mb', '-')} | {_note(r)} |"
        )
    env = doc["environment"]
    machine = env["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    sizes = "; ".join(f"{k}: {v}" for k, v in shapes.items())
    return "\n".join(
        [
            *lines,
            "",
            "peer/ours time: the peer's median divided by ours (above 1: we are faster).",
            f"Sizes: {sizes}.",
            f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, "
            f"{machine['os']}, Python {machine['python']}; load average (1/5/15 min) "
            f"{env['load_average_start']} at the start, {env.get('load_average_end')} at the end; "
            f"wall time {doc.get('wall_s')} s.",
            f"Versions: {versions}.",
        ]
    )
