"""Print the report's HTML to PDF with Debian's chromium (headless), offline.

Chromium lays out the same HTML a reader opens, honours the sections' page breaks and keeps the
SVG pictures as vectors and the text as a text layer (search, copy, pdftotext).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from scaleup_graph.analytics.errors import AnalyticsError

__all__ = ["CHROMIUM_CANDIDATES", "find_chromium", "html_to_pdf"]

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")
_TIMEOUT = 180


def find_chromium() -> str | None:
    """The chromium executable on this machine, or None."""
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html_file: Path, pdf_file: Path) -> None:
    """Print ``html_file`` to ``pdf_file`` (written only when printing succeeded).

    Raises
    ------
    AnalyticsError
        When chromium is missing (with how to install it) or fails.
    """
    exe = find_chromium()
    if exe is None:
        raise AnalyticsError(
            "writing a PDF needs chromium, which is not installed: install Debian's package "
            "(sudo apt-get install chromium) and run the command again, or write the report "
            "as .html and print it from a browser"
        )
    with tempfile.TemporaryDirectory(prefix="scaleup-pdf-") as profile:
        target = Path(profile) / "report.pdf"
        command = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={profile}/user",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            html_file.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise AnalyticsError(
                f"chromium did not finish printing the PDF within {_TIMEOUT} s; try again, or "
                "write the report as .html"
            ) from None
        if not target.exists() or target.read_bytes()[:5] != b"%PDF-":
            tail = " ".join((done.stderr or "").strip().splitlines()[-2:])
            raise AnalyticsError(
                f"chromium could not print the PDF (exit code {done.returncode}: {tail[:300]}); "
                "write the report as .html instead"
            )
        shutil.move(str(target), pdf_file)
