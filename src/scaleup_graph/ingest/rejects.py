"""The reject report: every row that was not written, every cell that was left out and every
name that was withheld, with file, line, column, value, reason and outcome.

Personal values are redacted: the report is read by whoever runs the import, and it must not
become a second copy of the contacts list.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CELL_DROPPED",
    "NAME_WITHHELD",
    "REDACTED",
    "ROW_REJECTED",
    "Reject",
    "write_reject_report",
]

REDACTED = "<personal data redacted>"
#: outcomes: nothing of the row was written / the row was written without this cell /
#: the organisation was written without its name (it looks like a natural person's)
ROW_REJECTED, CELL_DROPPED, NAME_WITHHELD = "row rejected", "cell dropped", "name withheld"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Reject:
    file: str
    line: int
    column: str
    value: Any
    reason: str
    outcome: str = ROW_REJECTED


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell that Excel would run as a formula is written as text (CSV injection).
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_reject_report(rejects: list[Reject], directory: Path) -> tuple[Path, Path]:
    """Write ``rejects.csv`` (semicolon, BOM: opens cleanly in German Excel) and
    ``rejects.json``; returns both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = directory / "rejects.csv", directory / "rejects.json"
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["file", "line", "column", "value", "reason", "outcome"])
        for r in rejects:
            writer.writerow([r.file, r.line, r.column, _cell(r.value), r.reason, r.outcome])
    json_path.write_text(
        json.dumps([asdict(r) for r in rejects], ensure_ascii=False, indent=1, default=str),
        encoding="utf-8",
    )
    return csv_path, json_path
