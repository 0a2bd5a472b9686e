"""The analyst report as a reader opens it in chromium: every section photographed for a person
to look at (test-artifacts/report-<lang>-NN-<section>.png), nothing fetched, every picture with a
visible legend and caption, no label of a picture cut off at its edge, and every section fits
one printed A4 page; for the whole demo network and for Nordhessen alone (``--region DE73``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.analytics.projection import ProjectionFilter, project
from scaleup_graph.analytics.report import ReportOptions, write_report
from scaleup_graph.analytics.snapshots import create_snapshot
from scaleup_graph.store import GraphStore

pytestmark = pytest.mark.browser

# Text boxes of every SVG that reach outside the picture's own drawing area (cut off when shown).
_CLIPPED = """
() => {
  const out = [];
  for (const svg of document.querySelectorAll('figure svg')) {
    const box = svg.getBoundingClientRect();  // on screen, after rotations of labels
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBoundingClientRect();
      if (b.left < box.left - 1 || b.top < box.top - 1 || b.right > box.right + 1
          || b.bottom > box.bottom + 1) {
        out.push(svg.closest('figure').id + ': ' + t.textContent);
      }
    }
  }
  return out;
}
"""

_FIGURES = """
() => Array.from(document.querySelectorAll('figure')).map(f => ({
  id: f.id,
  svg: f.querySelector('svg').getBoundingClientRect().height,
  legend: f.querySelector('.legend').getBoundingClientRect().height,
  entries: f.querySelectorAll('.legend li').length,
  caption: f.querySelector('figcaption').innerText,
}))
"""


@pytest.mark.parametrize(("lang", "region"), [("de", None), ("en", None), ("en", "DE73")])
def test_report_pages_read_well(
    browser: Any,
    seed_graph: GraphStore,
    artifacts: Path,
    tmp_path: Path,
    lang: str,
    region: str | None,
) -> None:
    create_snapshot(tmp_path, "phase-1", project(seed_graph, ProjectionFilter(until="2021-12-31")))
    name = f"{lang}-{region}" if region else lang
    out = tmp_path / f"analyse-{name}.html"
    opts = ReportOptions(lang=lang, since_snapshot="phase-1", state_dir=tmp_path)
    summary = write_report(seed_graph, out, flt=ProjectionFilter(region=region), options=opts)
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(out.as_uri())
    assert requested == [out.as_uri()]  # one offline file: nothing else is loaded
    figures = page.evaluate(_FIGURES)
    assert len(figures) >= 8
    for fig in figures:
        assert fig["svg"] > 100 and fig["legend"] > 5 and fig["entries"] >= 1, fig
        assert len(fig["caption"]) > 20, fig
    assert page.evaluate(_CLIPPED) == []
    sections = page.query_selector_all("section")
    assert [s.query_selector("h1, h2").inner_text() for s in sections] == summary["sections"]
    for old in artifacts.glob(f"report-{name}-[0-9]*.png"):
        old.unlink()
    for i, section in enumerate(sections):
        key = section.get_attribute("id")
        section.screenshot(path=str(artifacts / f"report-{name}-{i:02d}-{key}.png"))
    # Printed on A4 (182 mm wide inside the margins), every section fits its one page.
    page.set_viewport_size({"width": 688, "height": 1000})
    page.emulate_media(media="print")
    for section in page.query_selector_all("section"):
        height_mm = section.bounding_box()["height"] / 96 * 25.4
        assert height_mm < 265, (section.get_attribute("id"), round(height_mm))
    page.close()
