"""Read the files people have into rows: CSV (German Excel exports included), XLSX, JSON, YAML.

Every reader yields ``(line, row)`` pairs, ``line`` being what a person sees in their editor
(the CSV line where the record starts, the spreadsheet row, the position in a JSON list), so a
reject report points at the right place.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import yaml

from scaleup_graph.errors import Invalid

__all__ = ["ReadError", "detect_delimiter", "read_header", "read_rows"]

_DELIMITERS = (";", ",", "\t", "|")
csv.field_size_limit(10_000_000)


class ReadError(Invalid):
    """A file cannot be read at all; the message says why and what to do."""

    code = "unreadable_file"


def detect_delimiter(header_line: str) -> str:
    """The delimiter German or English Excel used, judged from the header line.

    >>> detect_delimiter("ID;Name;Ort")
    ';'
    >>> detect_delimiter("id,name,city")
    ','
    """
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _open_bytes(path: Path) -> IO[bytes]:
    """The file's bytes, a gzip file's unpacked."""
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    return cast(IO[bytes], raw)


def _open_text(path: Path, encoding: str) -> IO[str]:
    # closed by the wrapper that reads it
    return io.TextIOWrapper(_open_bytes(path), encoding=encoding, newline="")


def _decode_error(path: Path, exc: UnicodeDecodeError, encoding: str) -> ReadError:
    return ReadError(
        f"{path.name} is not valid {encoding} text (byte 0x{exc.object[exc.start]:02x} at "
        f"offset {exc.start}); in Excel save it as 'CSV UTF-8', or, if it came from an "
        "older Windows export, run scaleup ingest with --encoding cp1252 (or write "
        "encoding: cp1252 under the file in the manifest)"
    )


def _read_csv(
    path: Path, delimiter: str | None, encoding: str, na_values: frozenset[str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    # utf-8-sig strips the byte-order mark German Excel writes, and reads plain UTF-8 alike.
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        with _open_text(path, enc) as handle:
            header_line = handle.readline()
            if not header_line.strip():
                raise ReadError(f"{path.name} is empty: it needs a header row and data rows")
            sep = delimiter or detect_delimiter(header_line)
            header = next(csv.reader([header_line], delimiter=sep))
            header = [h.strip() for h in header]
            _check_header(path, header)
            # The raw lines of each record: a record that ends inside quotes (a file cut off
            # in a quoted value) is read by csv as if the quote were closed; its lines show it.
            raw: list[str] = []

            def lines() -> Iterator[str]:
                for text in handle:
                    raw.append(text)
                    yield text

            reader = csv.reader(lines(), delimiter=sep)
            previous_end = 1
            width = len(header)
            for record in reader:
                start = previous_end + 1
                previous_end = reader.line_num + 1
                spans = len(raw) > 1 or not raw[-1].endswith("\n")
                open_quote = spans and "".join(raw).count('"') % 2 == 1
                raw.clear()
                if open_quote:
                    yield start, {"__error__": _OPEN_QUOTE}
                    continue
                if not "".join(record).strip():  # every cell blank (one C call, not one a cell)
                    continue
                if len(record) != width and (
                    len(record) < width or any(c.strip() for c in record[width:])
                ):
                    yield start, {"__error__": _width_problem(len(record), width, sep)}
                    continue
                row = (
                    {
                        name: (None if value in na_values else value)
                        for name, value in zip(header, record, strict=False)
                    }
                    if na_values
                    else dict(zip(header, record, strict=False))
                )
                yield start, row
    except UnicodeDecodeError as exc:
        raise _decode_error(path, exc, encoding) from None
    except csv.Error as exc:
        raise ReadError(f"{path.name} is not valid CSV: {exc}") from None
    except (gzip.BadGzipFile, EOFError) as exc:
        raise ReadError(f"{path.name} is not a valid gzip file: {exc}") from None


_OPEN_QUOTE = (
    "a quoted value is never closed: the file ends inside quotes (was it cut off?); this row "
    "was not read"
)


def _width_problem(cells: int, width: int, sep: str) -> str:
    if cells < width:
        return (
            f"row has {cells} cells but the header has {width}; the row is cut short or "
            f"a value holds an unquoted line break"
        )
    return (
        f"row has {cells} cells but the header has {width}; check for a stray "
        f"'{sep}' in a value without quotes"
    )


def _check_header(path: Path, header: list[str]) -> None:
    if any(not h for h in header):
        position = header.index("") + 1
        raise ReadError(f"{path.name}: header column {position} has no name; name every column")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ReadError(f"{path.name}: the header names column {name!r} twice; rename one")
        seen.add(name)


def _blank_cell(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_xlsx(path: Path, sheet: str | None) -> Iterator[tuple[int, dict[str, Any]]]:
    import openpyxl

    try:
        # Not read_only: formula cells then come back as their text ("=HYPERLINK(...)"), which
        # is what we keep; we never evaluate spreadsheet formulas.
        book = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ReadError(f"{path.name} is not a readable .xlsx workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ReadError(
                f"{path.name} has no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}"
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or all(c is None for c in first):
            raise ReadError(f"{path.name} is empty: the first row must be the header")
        header = [str(c).strip() if c is not None else "" for c in first]
        while header and header[-1] == "":
            header.pop()
        _check_header(path, header)
        for number, values in enumerate(rows, start=2):
            if all(_blank_cell(v) for v in values):
                continue
            if any(not _blank_cell(v) for v in values[len(header) :]):
                yield (
                    number,
                    {
                        "__error__": f"row has a value right of the last named column "
                        f"({header[-1]}); give that column a header or clear the cell"
                    },
                )
                continue
            yield number, dict(zip(header, values, strict=False))
    finally:
        book.close()


def _read_structured(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with _open_text(path, "utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise _decode_error(path, exc, "utf-8") from None
    if not text.strip():
        raise ReadError(f"{path.name} is empty")
    try:
        data = json.loads(text) if ".json" in path.suffixes else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ReadError(f"{path.name} is not valid {path.suffix[1:].upper()}: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise ReadError(
            f"{path.name} must hold a list of records (or {{rows: [...]}}), not "
            f"{type(data).__name__}"
        )
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            yield number, {"__error__": f"record {number} is not an object with fields"}
            continue
        yield number, item


def estimate_rows(path: Path) -> int | None:
    """About how many rows a text file holds, from its line breaks (a record over several
    lines or a blank line makes it more, never fewer): for a progress bar's total before the
    file is read. None for a spreadsheet or a file that cannot be read.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "a.csv"
    ...     _ = f.write_text("id;name\\n1;A\\n2;B")
    ...     estimate_rows(f)
    2
    """
    suffixes = [s.lower() for s in path.suffixes]
    if not {".csv", ".tsv", ".txt"} & set(suffixes):
        return None
    lines, last = 0, b"\n"
    try:
        with _open_bytes(path) as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError):
        return None
    return max(0, lines - 1 + (last != b"\n"))


def read_rows(
    path: Path,
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    na_values: frozenset[str] = frozenset(),
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, row)`` from a data file; a row may hold ``__error__`` for a broken record.

    Raises ReadError when the file as a whole cannot be read.
    """
    if not path.exists():
        raise ReadError(f"{path} does not exist")
    if path.is_dir():
        raise ReadError(f"{path} is a folder; give a file, or a manifest.yaml")
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name} is empty: it needs a header row and data rows")
    suffixes = [s.lower() for s in path.suffixes]
    if ".xlsx" in suffixes:
        return _read_xlsx(path, sheet)
    if ".json" in suffixes or ".yaml" in suffixes or ".yml" in suffixes:
        return _read_structured(path)
    if ".csv" in suffixes or ".tsv" in suffixes or ".txt" in suffixes:
        sep = "\t" if ".tsv" in suffixes and delimiter is None else delimiter
        return _read_csv(path, sep, encoding, na_values)
    raise ReadError(
        f"{path.name}: unknown file type; use .csv, .csv.gz, .tsv, .xlsx, .json or .yaml"
    )


def read_header(
    path: Path,
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
) -> list[str]:
    """The column names of a data file (for JSON/YAML: every field any record has).

    Raises ReadError when the file cannot be read.
    """
    suffixes = [s.lower() for s in path.suffixes]
    if path.is_file() and (".csv" in suffixes or ".tsv" in suffixes or ".txt" in suffixes):
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        try:
            with _open_text(path, enc) as handle:
                line = handle.readline()
        except UnicodeDecodeError as exc:
            raise _decode_error(path, exc, encoding) from None
        except (OSError, EOFError) as exc:
            raise ReadError(f"{path.name} cannot be read: {exc}") from None
        sep = delimiter or ("\t" if ".tsv" in suffixes else detect_delimiter(line))
        return [h.strip() for h in next(csv.reader([line], delimiter=sep), [])]
    if path.is_file() and ".xlsx" in suffixes:
        return _xlsx_header(path, sheet)
    names: dict[str, None] = {}
    for _, row in read_rows(path, sheet=sheet, delimiter=delimiter, encoding=encoding):
        names.update(dict.fromkeys(k for k in row if k != "__error__"))
    return list(names)


def _xlsx_header(path: Path, sheet: str | None) -> list[str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ReadError(f"{path.name} is not a readable .xlsx workbook: {exc}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ReadError(
                f"{path.name} has no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}"
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        first = next(ws.iter_rows(max_row=1, values_only=True), ())
        return [str(c).strip() for c in first if c is not None and str(c).strip()]
    finally:
        book.close()
