"""The analyst report on the demo data, as the agency's analyst would check it before sending.

German by default and English on request; actors are organisations only; every measure shown is
explained; every picture has a legend and a caption; numbers are rounded for reading with the
exact values in a CSV beside; the PDF has one page per section and its text holds the headings.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.projection import ProjectionFilter, project
from scaleup_graph.analytics.report import ReportOptions, build_report, render, write_report
from scaleup_graph.analytics.report import pdf as report_pdf
from scaleup_graph.analytics.report.data import ACTOR_MEASURES
from scaleup_graph.analytics.report.numbers import fmt, round_sig
from scaleup_graph.analytics.snapshots import create_snapshot
from scaleup_graph.errors import Forbidden, NotFound
from scaleup_graph.graph_model.words import measure_explanation, report_text
from scaleup_graph.store import GraphStore


class Page(HTMLParser):
    """What a reader sees of the report: sections, headings, figures, table cells."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: list[dict[str, Any]] = []
        self.figures: list[dict[str, Any]] = []
        self.explained: dict[str, str] = {}
        self.actor_cells: list[list[str]] = []
        self.links: list[str] = []
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._text: list[str] = []
        self._row: list[str] | None = None
        self.feed(text)

    def _inside(self, tag: str, cls: str | None = None) -> bool:
        for t, a in reversed(self._stack):
            wanted = cls is None or cls in a.get("class", "").split()
            if t == tag and wanted:
                return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("src", "href"):
            if key in a:
                self.links.append(a[key])
        if tag == "section":
            self.sections.append({"id": a.get("id"), "heading": ""})
        if tag == "figure":
            self.figures.append({"id": a.get("id"), "svg": False, "legend": 0, "caption": ""})
        if tag == "svg" and self._inside("figure"):
            self.figures[-1]["svg"] = True
        if tag == "li" and self._inside("div", "legend"):
            self.figures[-1]["legend"] += 1
        if tag == "tr" and self._inside("table", "actors") and self._inside("tbody"):
            self._row = []
        self._stack.append((tag, a))
        self._text = []

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        top: tuple[str, dict[str, str]] = ("", {})
        while self._stack:  # void elements (meta) have no end tag: pop up to this one
            top = self._stack.pop()
            if top[0] == tag:
                break
        if tag in ("h1", "h2") and self.sections:
            self.sections[-1]["heading"] = text
        if tag == "figcaption" and self.figures:
            self.figures[-1]["caption"] = text
        if tag == "td" and self._row is not None:
            self._row.append(text)
        if tag == "tr" and self._row is not None:
            self.actor_cells.append(self._row)
            self._row = None
        if tag == "p" and "explain" in top[1].get("class", ""):
            self.explained[top[1]["data-measure"]] = text
        self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def _names(store: GraphStore, label: str) -> set[str]:
    return {r["name"] for r in store.read(f"MATCH (n:{label}) RETURN n.name AS name")}


@pytest.fixture(scope="module")
def reports(seeded: GraphStore) -> dict[str, tuple[dict[str, Any], str]]:
    out = {}
    for lang in ("de", "en"):
        data = build_report(seeded, options=ReportOptions(lang=lang))
        out[lang] = (data, render(data, csv_name="analyse.csv"))
    return out


@pytest.mark.parametrize("lang", ["de", "en"])
def test_actors_table_holds_organisations_only(
    reports: dict[str, tuple[dict[str, Any], str]], seeded: GraphStore, lang: str
) -> None:
    _, text = reports[lang]
    page = Page(text)
    names = [row[0].rstrip("…") for row in page.actor_cells]
    assert len(names) >= 10
    organisations = _names(seeded, "Organisation")
    others = _names(seeded, "Topic") | _names(seeded, "Region")
    for name in names:
        assert any(o.startswith(name) for o in organisations), name
        assert name not in others, name
    assert "IHK Kassel-Marburg" in names


@pytest.mark.parametrize("lang", ["de", "en"])
def test_topics_and_regions_have_their_own_sections(
    reports: dict[str, tuple[dict[str, Any], str]], lang: str
) -> None:
    data, text = reports[lang]
    headings = [s["heading"] for s in Page(text).sections]
    assert report_text("topics", lang) in headings
    assert report_text("regions", lang) in headings
    if lang == "de":
        assert "Themen im Zentrum" in headings and "Regionen und Partnerregionen" in headings
    else:
        assert "Themen im Zentrum" not in text and "Topics at the centre" in headings
    topics = {t["name"] for t in data["topics"]}
    assert ("Produktion" if lang == "de" else "Manufacturing") in topics
    rows = {r["name"]: r for r in data["region_rows"]}
    # The Nordhessen districts and every Scale Up partner region get a row of the matrix.
    assert {r["group"] for r in data["region_rows"]} >= {"home", "partner"}
    assert sum(1 for r in rows.values() if r["group"] == "partner") == 6
    assert "Lazio" in rows and "Fulda" in rows


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_measure_shown_is_explained(
    reports: dict[str, tuple[dict[str, Any], str]], lang: str
) -> None:
    _, text = reports[lang]
    page = Page(text)
    shown = set(page.explained)
    expected = {*ACTOR_MEASURES, "community", "brokerage", "articulation", "adamic_adar"}
    assert expected <= shown, expected - shown
    for metric in shown:
        sentence = measure_explanation(metric, lang)
        assert sentence and sentence in " ".join(text.split()).replace("&#x27;", "'"), metric
    # Each actor measure page says what the top entries suggest, naming the leader.
    for metric in ACTOR_MEASURES:
        section = text.split(f'id="measure-{metric}"')[1].split("</section>")[0]
        assert report_text("what_it_suggests", lang) in section
        top = reports[lang][0]["measures"][metric][0]["name"]
        assert top in section.split('class="suggest"')[1]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_picture_has_a_legend_and_a_caption_and_nothing_is_fetched(
    reports: dict[str, tuple[dict[str, Any], str]], lang: str
) -> None:
    _, text = reports[lang]
    page = Page(text)
    keys = {f["id"] for f in page.figures}
    assert {
        "fig-measure-pagerank",
        "fig-measure-betweenness",
        "fig-measure-degree",
        "fig-communities",
        "fig-brokers",
        "fig-regions",
        "fig-topics",
    } <= keys
    for fig in page.figures:
        assert fig["svg"], fig
        assert fig["legend"] >= 1, fig
        assert len(fig["caption"]) > 20, fig
    # Offline: the only links are to the page's own sections; no image, font or script loads.
    assert all(link.startswith("#") for link in page.links), page.links
    assert "<script" not in text and "url(" not in text and "<img" not in text


def test_community_map_names_communities_and_their_central_members(
    reports: dict[str, tuple[dict[str, Any], str]],
) -> None:
    data, text = reports["de"]
    listed = data["communities"]["listed"]
    assert 2 <= len(listed) <= 20
    svg = text.split('id="fig-communities"')[1].split("</svg>")[0]
    assert svg.count("<circle") == min(8, len(listed))  # one circle a community, no hairball
    for c in listed[:8]:
        assert html.escape(c["leader"][:20]) in svg
        assert html.escape(f"Gruppe um {c['leader']}") in text
    assert sum(c["size"] for c in listed) <= data["figures"]["organisations"]


def test_numbers_are_rounded_for_reading_and_exact_in_the_csv(
    seeded: GraphStore, tmp_path: Path
) -> None:
    out = tmp_path / "analyse.html"
    summary = write_report(seeded, out)
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    for row in page.actor_cells:
        for cell in row[3:6]:  # the three measures: decimals to 3 significant digits
            if "," in cell:
                significant = cell.replace(".", "").replace(",", "").lstrip("0")
                assert 1 <= len(significant) <= 3, cell
    rows = list(csv.reader(Path(summary["csv"]).read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["section", "measure", "id", "name", "value"]
    exact = {
        r[2]: float(r[4].replace(",", ".")) for r in rows if r[0] == "actors" and r[1] == "pagerank"
    }
    ihk = next(r for r in page.actor_cells if r[0] == "IHK Kassel-Marburg")
    ihk_id = next(r[2] for r in rows if r[3] == "IHK Kassel-Marburg")
    assert ihk[3] == fmt(exact[ihk_id], "de")
    assert len(str(exact[ihk_id])) > len(ihk[3])  # the CSV keeps the digits the page rounds
    assert Path(summary["csv"]).read_bytes().startswith(b"\xef\xbb\xbf")  # German Excel


def test_number_format() -> None:
    assert [fmt(v, "de") for v in (0.162712, 0.0264473, 1716, 2.147, 0.0)] == [
        "0,163",
        "0,0264",
        "1.716",
        "2,15",
        "0",
    ]
    assert [fmt(v, "en") for v in (0.162712, 12345.678, 999.6)] == ["0.163", "12,300", "1,000"]
    assert round_sig(0.00012345) == 0.000123


def test_data_notes_say_how_much_is_synthetic(
    reports: dict[str, tuple[dict[str, Any], str]],
) -> None:
    data, text = reports["de"]
    syn = data["synthetic"]
    assert 0 < syn["organisations"] < syn["organisations_total"]
    notes = text.split('id="notes"')[1]
    assert "synthetic: true" in notes
    assert f"{syn['organisations']} von {syn['organisations_total']} Organisationen" in notes
    assert "Eurostat" in notes  # the open data keeps its attribution
    assert "keine: das ganze Netz ohne Personen" in notes  # the filters used
    assert data["generated_at"][:10] in notes


def test_persons_only_where_asked_and_for_roles_that_may_see_them(seeded: GraphStore) -> None:
    persons = _names(seeded, "Person")
    plain = render(build_report(seeded), csv_name="a.csv")
    assert not any(p in plain for p in persons if p)
    with pytest.raises(Forbidden, match="may not see persons"):
        ReportOptions(persons=True, role="viewer")
    data = build_report(seeded, options=ReportOptions(persons=True, role="contacts"))
    page = render(data, csv_name="a.csv", role="contacts")
    assert 'id="persons"' in page
    assert any(p in page for p in persons if p)


def test_change_since_a_snapshot(seeded: GraphStore, tmp_path: Path) -> None:
    early = project(seeded, ProjectionFilter(until="2021-12-31"))
    create_snapshot(tmp_path, "phase-1", early)
    opts = ReportOptions(since_snapshot="phase-1", state_dir=tmp_path)
    data = build_report(seeded, options=opts)
    ch = data["changes"]
    assert ch["new_ties_count"] > 0
    organisations = _names(seeded, "Organisation")
    for tie in ch["new_ties"]:
        assert tie["source"]["name"] in organisations and tie["target"]["name"] in organisations
    assert ch["risers"]["betweenness"] and ch["fallers"]["betweenness"]
    assert ch["merged"] or ch["split"] or ch["communities_before"] != ch["communities_after"]
    text = render(data, csv_name="a.csv")
    assert "Veränderungen seit „phase-1“" in text and 'id="fig-changes"' in text
    assert not list((tmp_path / "snapshots").glob("now*"))  # the user's snapshots untouched
    with pytest.raises(NotFound, match="no snapshot with this name"):
        build_report(seeded, options=ReportOptions(since_snapshot="nope", state_dir=tmp_path))


def test_missing_chromium_is_one_clear_error_and_writes_nothing(
    seeded: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_pdf, "CHROMIUM_CANDIDATES", ("no-such-chromium-here",))
    with pytest.raises(AnalyticsError, match="apt-get install chromium"):
        write_report(seeded, tmp_path / "analyse.pdf")
    assert list(tmp_path.iterdir()) == []


def _missing(name: str, package: str) -> None:
    """Skip with one line saying what to install; CI (SCALEUP_REQUIRE_BROWSER=1) fails."""
    message = f"{name} is missing: apt-get install {package} (CI's .ci/chromium does it)"
    if os.environ.get("SCALEUP_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        _missing(name, package)
    return str(found)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["de", "en"])
def test_pdf_has_one_page_a_section_and_the_headings_in_its_text(
    seeded: GraphStore, tmp_path: Path, lang: str
) -> None:
    if report_pdf.find_chromium() is None:
        _missing("chromium", "chromium")
    pdftotext = _tool("pdftotext", "poppler-utils")
    pdfinfo = _tool("pdfinfo", "poppler-utils")
    create_snapshot(tmp_path, "phase-1", project(seeded, ProjectionFilter(until="2021-12-31")))
    out = tmp_path / f"analyse-{lang}.pdf"
    opts = ReportOptions(lang=lang, since_snapshot="phase-1", state_dir=tmp_path)
    summary = write_report(seeded, out, options=opts)
    assert out.read_bytes().startswith(b"%PDF-") and Path(summary["csv"]).exists()
    info = subprocess.run([pdfinfo, str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pages == len(summary["sections"]) == 12
    for page, heading in enumerate(summary["sections"], start=1):
        text = subprocess.run(
            [pdftotext, "-f", str(page), "-l", str(page), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert " ".join(heading.split()) in " ".join(text.split()), (page, heading)


def test_every_report_sentence_has_both_languages_with_the_same_blanks() -> None:
    import string

    from scaleup_graph.graph_model.words import REPORT

    for key, words in REPORT.items():
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(words(lang)) if name}
            for lang in ("de", "en")
        ]
        assert words.de and words.en and words.de != "" and fields[0] == fields[1], key


def test_many_regions_make_at_most_twenty_matrix_rows() -> None:
    import networkx as nx

    from scaleup_graph.analytics.report.data import _region_rows

    regions = {
        f"r{i}": {"id": f"r{i}", "code": f"FR{i:02d}", "name": f"Région {i}"} for i in range(40)
    }
    regions |= {
        "de731": {"id": "de731", "code": "DE731", "name": "Kassel, Kreisfreie Stadt"},
        "iti4": {"id": "iti4", "code": "ITI4", "name": "Lazio"},
    }
    actors = nx.Graph()
    for i in range(40):
        for k in range(i % 4 + 1):
            actors.add_node(f"o{i}-{k}", region=f"r{i}", kinds=["SME"])
    actors.add_node("home", region="de731", kinds=["Stakeholder"])
    actors.add_node("lazio", region="iti4", kinds=["PartnerOrganisation"])
    row_of, rows = _region_rows(actors, regions, "DE73", "Nordhessen", "Alle weiteren")
    assert len(rows) <= 20
    codes = [r["code"] for r in rows]
    assert codes[0] == "DE731" and "ITI4" in codes and rows[-1]["name"] == "Alle weiteren"
    assert set(row_of) == set(actors) and set(row_of.values()) <= set(codes)
    # The regions with most organisations keep their own row; the smaller ones share the last.
    kept = {r["code"] for r in rows if r["group"] == "other" and r["name"] != "Alle weiteren"}
    size = {f"FR{i:02d}": i % 4 + 1 for i in range(40)}
    merged = {c for c in size if c not in codes}
    assert merged
    assert min(size[c] for c in kept) >= max(size[c] for c in merged)


def test_a_filter_without_topics_says_so_instead_of_an_empty_picture(seeded: GraphStore) -> None:
    data = build_report(seeded, ProjectionFilter(labels=("Organisation",)))
    text = render(data)
    assert 'id="fig-topics"' not in text
    assert report_text("no_topics", "de") in html.unescape(text)
    assert "Themen im Zentrum" in text
