"""The analyst report: what the Regionalmanagement forwards, as one offline HTML file or a PDF.

German by default (``lang="en"`` for English); actors are organisations; topics and regions
have their own sections; every measure is explained in one sentence with its top entries and
what they suggest; the pictures are inline SVG in the colour-blind-safe Okabe-Ito palette, each
with a legend and a caption. Numbers are rounded to three significant digits; the exact values
go to a CSV beside the report.

Example
-------
``scaleup report analyse.html`` / ``scaleup report analyse.pdf --lang en``
(see docs/analytics.md).
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.projection import ProjectionFilter
from scaleup_graph.analytics.report.data import ACTOR_MEASURES, ReportOptions, build_report
from scaleup_graph.analytics.report.pdf import find_chromium, html_to_pdf
from scaleup_graph.analytics.report.render import render, sections
from scaleup_graph.store import GraphStore

__all__ = [
    "FORMATS",
    "ReportOptions",
    "build_report",
    "find_chromium",
    "render",
    "sections",
    "values_csv",
    "write_report",
]

FORMATS = (".html", ".pdf")


def _number(value: Any, lang: str) -> str:
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if lang == "de" else text
    return "" if value is None else str(value)


def values_csv(data: dict[str, Any]) -> str:
    """Every number behind the report, unrounded: one row per value.

    German reports get a CSV as German Excel reads it (``;``, decimal comma, a BOM is added
    when writing); English ones a plain comma CSV.
    """
    lang = data["lang"]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if lang == "de" else ",", lineterminator="\n")
    writer.writerow(["section", "measure", "id", "name", "value"])
    values = data["values"]
    names = values["names"]
    for key, figure in data["figures"].items():
        writer.writerow(["figures", key, "", "", _number(figure, lang)])
    for metric in (*ACTOR_MEASURES, "community"):
        for node in sorted(names, key=lambda n: (names[n], n)):
            value = values[metric].get(node)
            writer.writerow(["actors", metric, node, names[node], _number(value, lang)])
    for node, counts in sorted(values["brokerage"].items()):
        for role, count in counts.items():
            writer.writerow(["brokerage", role, node, names.get(node, node), count])
    rows = data["region_rows"]
    for i, a in enumerate(rows):
        for j, b in enumerate(rows):
            if j >= i and data["matrix"][i][j]:
                writer.writerow(
                    [
                        "regions",
                        "ties",
                        f"{a['code']}|{b['code']}",
                        f"{a['name']} | {b['name']}",
                        data["matrix"][i][j],
                    ]
                )
    for t in data["topics"]:
        for key in ("competent", "challenges", "content", "followers"):
            writer.writerow(["topics", key, t["id"], t["name"], t[key]])
    for s in data["introductions"]:
        writer.writerow(
            [
                "introductions",
                "adamic_adar",
                f"{s['source']}|{s['target']}",
                f"{s['source_name']} | {s['target_name']}",
                _number(float(s["score"]), lang),
            ]
        )
    return buf.getvalue()


def write_report(
    store: GraphStore,
    out: Path,
    *,
    flt: ProjectionFilter | None = None,
    options: ReportOptions | None = None,
) -> dict[str, Any]:
    """Write the report to ``out`` (``.html`` or ``.pdf``) and the exact values beside it
    (``<name>.csv``). Both files appear together or not at all; returns a summary."""
    opts = options or ReportOptions()
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise AnalyticsError(
            f"cannot write a report as {out.name!r}: name the file .html (one offline page) or "
            ".pdf (printed with chromium), e.g. analyse.pdf"
        )
    if not out.parent.exists():
        raise AnalyticsError(f"the folder {out.parent} does not exist; create it first")
    if suffix == ".pdf" and find_chromium() is None:
        html_to_pdf(out, out)  # raises the clear "install chromium" error before any work
    data = build_report(store, flt, opts)
    csv_path = out.with_suffix(".csv")
    text = render(data, csv_name=csv_path.name, role=opts.role)
    parts = sections(data, csv_name=csv_path.name, role=opts.role)
    tmp_csv = csv_path.with_name(f".{csv_path.name}.tmp")
    tmp_out = out.with_name(f".{out.name}.tmp")
    try:
        tmp_csv.write_text(values_csv(data), encoding="utf-8-sig" if opts.lang == "de" else "utf-8")
        if suffix == ".pdf":
            with tempfile.TemporaryDirectory(prefix="scaleup-report-") as folder:
                page = Path(folder) / "report.html"
                page.write_text(text, encoding="utf-8")
                html_to_pdf(page, tmp_out)
        else:
            tmp_out.write_text(text, encoding="utf-8")
        tmp_out.replace(out)
        tmp_csv.replace(csv_path)
    finally:
        tmp_out.unlink(missing_ok=True)
        tmp_csv.unlink(missing_ok=True)
    return {
        "path": str(out),
        "csv": str(csv_path),
        "format": suffix[1:],
        "lang": opts.lang,
        "bytes": out.stat().st_size,
        "sections": [s.title for s in parts],
        "organisations": data["figures"]["organisations"],
        "nodes": data["figures"]["nodes"],
    }
