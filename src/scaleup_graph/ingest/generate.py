"""Generate a synthetic demo population of any size: comma CSV files plus a manifest.yaml.

Every generated node says ``synthetic: true``; nothing in it describes a real company or person
(invented company names, ``example.org`` e-mails, phone numbers that cannot be dialled). The same
``seed`` gives the same bytes on every machine, so a generated population can be committed and
checked (``src/scaleup_graph/seed/synthetic`` is one, see :func:`write_demo_seed`).

Rows are streamed to their files while they are generated and kept in memory only as the small
integer indexes later rows link to, so 50,000 organisations with ~300,000 relationships take a few
seconds.

Regions and topics are shared vocabulary, not invented facts: the manifest writes them with
``if_missing``, so a population loaded after the Nordhessen seed never renames a real region or
marks it synthetic, and one loaded alone is self-contained.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import IO, Any

import yaml

from scaleup_graph.graph_model.ids import fold, make_id, natural_person_key
from scaleup_graph.graph_model.schema import choices

__all__ = [
    "DEMO_ORGS",
    "DEMO_SEED",
    "NORDHESSEN_ANCHORS",
    "REGIONS",
    "TOPICS",
    "Anchors",
    "Population",
    "generate",
    "generate_population",
    "write_demo_seed",
]

#: the committed demo population (seed/synthetic) is generate(DEMO_ORGS, DEMO_SEED, anchored)
DEMO_ORGS = 120
DEMO_SEED = 2021

_WINDOW_START = dt.date(2021, 12, 1)  # the Open Innovation Challenge Nordhessen runs in this window
_WINDOW_END = dt.date(2023, 1, 31)


@dataclass(frozen=True, slots=True)
class Anchors:
    """Nodes of another manifest (the Nordhessen seed) that the population links to.

    With anchors the generator writes no chambers and no pitch events of its own: SMEs are
    members of ``chamber_id`` and challenges are pitched at ``pitch_event_id`` on ``pitch_date``.
    That manifest must be ingested first, or these links are rejected as missing endpoints.
    """

    chamber_id: str
    pitch_event_id: str
    pitch_date: dt.date


NORDHESSEN_ANCHORS = Anchors(
    chamber_id="org-ihk-kassel-marburg",
    pitch_event_id="event-oic-pitch-2022",
    pitch_date=dt.date(2022, 9, 22),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# NUTS 2021 (Eurostat): Nordhessen's NUTS-3 regions with towns in them and their dialling codes.
#: code -> (name, parent code, level, towns, area code, weight for drawing an SME's location)
# fmt: off
REGIONS: dict[str, tuple[str, str, int, tuple[str, ...], str, int]] = {
    "DE": ("Deutschland", "", 0, (), "", 0),
    "DE7": ("Hessen", "DE", 1, (), "", 0),
    "DE73": ("Kassel", "DE7", 2, (), "", 0),
    "DE731": ("Kassel, Kreisfreie Stadt", "DE73", 3, ("Kassel",), "561", 20),
    "DE732": ("Fulda", "DE73", 3, ("Fulda", "Künzell", "Petersberg", "Hünfeld"), "661", 17),
    "DE733": ("Hersfeld-Rotenburg", "DE73", 3,
              ("Bad Hersfeld", "Bebra", "Rotenburg an der Fulda"), "6621", 9),
    "DE734": ("Kassel, Landkreis", "DE73", 3,
              ("Baunatal", "Vellmar", "Hofgeismar", "Wolfhagen"), "561", 18),
    "DE735": ("Schwalm-Eder-Kreis", "DE73", 3,
              ("Homberg (Efze)", "Melsungen", "Fritzlar", "Schwalmstadt"), "5681", 14),
    "DE736": ("Waldeck-Frankenberg", "DE73", 3,
              ("Korbach", "Frankenberg (Eder)", "Bad Arolsen"), "5631", 12),
    "DE737": ("Werra-Meißner-Kreis", "DE73", 3,
              ("Eschwege", "Witzenhausen", "Hessisch Lichtenau"), "5651", 8),
}

#: (English name, German name); ids are make_id("Topic", English name) as in the Nordhessen seed
TOPICS: tuple[tuple[str, str], ...] = (
    ("Digitalisation", "Digitalisierung"),
    ("Mobility", "Mobilität"),
    ("Innovation", "Innovation"),
    ("Open innovation", "Open Innovation"),
    ("Internationalisation", "Internationalisierung"),
    ("SME growth", "KMU-Wachstum (Scale-up)"),
    ("Innovation consulting", "Innovationsberatung"),
    ("Regional development", "Regionalentwicklung"),
    ("Logistics", "Logistik"),
    ("Energy", "Energie"),
    ("Manufacturing", "Produktion"),
    ("Health", "Gesundheitswirtschaft"),
    ("Tourism", "Tourismus"),
    ("Software", "Softwareentwicklung"),
    ("Artificial intelligence", "Künstliche Intelligenz"),
    ("Sustainability", "Nachhaltigkeit"),
    ("Skilled workers", "Fachkräftesicherung"),
    ("IT security", "IT-Sicherheit"),
    ("Circular economy", "Kreislaufwirtschaft"),
    ("Financing", "Finanzierung"),
)
_T = {name: i for i, (name, _) in enumerate(TOPICS)}
#: topics any firm may add to its sector's, and what challenges are mostly about
_CROSS_TOPICS = tuple(_T[n] for n in (
    "Digitalisation", "Innovation", "Internationalisation", "Sustainability",
    "Artificial intelligence", "IT security", "Skilled workers", "Financing", "SME growth",
))

#: sector -> (word in company names, core topics)
_SECTORS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("Maschinenbau", "Fördertechnik", (_T["Manufacturing"],)),
    ("Logistik", "Logistik", (_T["Logistics"], _T["Mobility"])),
    ("Software & IT", "Software", (_T["Software"], _T["Digitalisation"])),
    ("Energietechnik", "Energietechnik", (_T["Energy"], _T["Sustainability"])),
    ("Fahrzeugzulieferer", "Fahrzeugtechnik", (_T["Mobility"], _T["Manufacturing"])),
    ("Gesundheitswirtschaft", "Medizintechnik", (_T["Health"],)),
    ("Tourismus", "Touristik", (_T["Tourism"],)),
    ("Handwerk", "Bau", (_T["Manufacturing"], _T["Skilled workers"])),
    ("Recycling", "Recycling", (_T["Circular economy"], _T["Sustainability"])),
    ("Beratung", "Consulting", (_T["Innovation consulting"], _T["Financing"])),
    ("Künstliche Intelligenz", "Data", (_T["Artificial intelligence"], _T["Software"])),
)
# Invented brand syllables: the names are meant to sound like firms without being any real one.
_STEM_A = _words("Nor Kas Ful Wer Ed Schwa Mel Hom Kor Esch Fri Ba Lo Vel Ro Hün Wal Ar Tes Qui")
_STEM_B = _words("avo ion tek ix ora umo elia ando ivo ento ara eon ica yra")
_STEM_C = ("", "a", "o", "is", "en", "ar")
_LEGAL = ("GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "KG", "AG", "UG (haftungsbeschränkt)", "e.K.")
_FIRST = _words("""Anna Lena Sophie Marie Laura Julia Sarah Katharina Hannah Lea Jonas Lukas Leon
    Felix Paul Maximilian Tobias Jan Niklas David Stefan Andrea Thomas Sabine Michael Petra
    Markus Claudia Ayşe Mehmet Olga Piotr Elena Marco""")
_LAST = _words("""Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch
    Richter Klein Wolf Schröder Neumann Schwarz Braun Zimmermann Hartmann Krüger Lange Werner
    Krause Lehmann Köhler Herrmann König Walter Yılmaz Nowak Rossi""")
_ROLES = _words("Geschäftsführung Innovationsmanagement Vertrieb Entwicklung Einkauf Marketing "
                "Produktion Personal")
_CONTEXTS = ("Lieferbeziehung", "Gemeinsames Projekt", "Forschungskooperation",
             "Vertriebspartnerschaft", "Ausbildungsverbund")
#: challenge titles per topic; other topics use the generic pattern
_CHALLENGES: dict[int, tuple[str, ...]] = {
    _T["Digitalisation"]: ("Auftragsabwicklung ohne Medienbrüche digitalisieren",
                           "Papierlose Dokumentation in der Fertigung",
                           "Kundenportal für Ersatzteilbestellungen"),
    _T["Logistics"]: ("Leerfahrten in der regionalen Auslieferung vermeiden",
                      "Lagerbestände in Echtzeit sehen"),
    _T["Mobility"]: ("Pendelverkehr der Belegschaft klimafreundlich organisieren",
                     "Werksverkehr mit E-Fahrzeugen planen"),
    _T["Energy"]: ("Lastspitzen im Stromverbrauch senken", "Abwärme der Produktion nutzen"),
    _T["Skilled workers"]: ("Auszubildende für technische Berufe gewinnen",
                            "Wissen ausscheidender Fachkräfte sichern"),
    _T["Artificial intelligence"]: ("Qualitätsprüfung mit Bildverarbeitung automatisieren",
                                    "Angebote mit KI schneller kalkulieren"),
    _T["IT security"]: ("Produktionsnetz gegen Cyberangriffe absichern",),
    _T["Sustainability"]: ("CO2-Bilanz für Kunden nachweisen", "Verpackungsmüll reduzieren"),
    _T["Internationalisation"]: ("Vertriebspartner im europäischen Ausland finden",),
    _T["Circular economy"]: ("Produktionsreste als Rohstoff vermarkten",),
}
_CONTENT = {
    "news": "{topic}: Neuigkeiten aus dem Netzwerk ({town})",
    "offer": "Angebot: Workshop {topic} für KMU",
    "event": "Veranstaltungshinweis: {topic}-Stammtisch in {town}",
    "study": "Kurzstudie: {topic} im nordhessischen Mittelstand",
}
_STATUSES = choices("Challenge", "status")  # draft, published, pitched, solved, closed
#: cumulative percent per status: 15 % drafts ... 15 % closed (one share per schema choice)
_STATUS_CUM = (15, 40, 65, 85, 100)


@dataclass(frozen=True, slots=True)
class _NodeFile:
    name: str
    label: str
    columns: tuple[str, ...]
    shared: bool = False  # vocabulary (regions, topics): every property only if missing


@dataclass(frozen=True, slots=True)
class _RelFile:
    name: str
    type: str
    start: str
    end: str
    columns: tuple[str, ...] = ()


_NODE_FILES = (
    _NodeFile("regions.csv", "Region",
              ("id", "name", "nuts_code", "country", "level", "synthetic"), shared=True),
    _NodeFile("topics.csv", "Topic", ("id", "name", "name_de", "synthetic"), shared=True),
    _NodeFile("organisations.csv", "Organisation",
              ("id", "name", "kinds", "sector", "city", "country", "nuts_code", "website",
               "topics", "description")),
    _NodeFile("persons.csv", "Person",
              ("id", "name", "email", "phone", "role", "lawful_basis", "consent",
               "collected_at")),
    _NodeFile("events.csv", "Event", ("id", "name", "date", "location", "description")),
    _NodeFile("challenges.csv", "Challenge",
              ("id", "name", "status", "topics", "created_at", "published_at", "pitched_at",
               "closed_at", "description")),
    _NodeFile("proposals.csv", "Proposal", ("id", "name", "status", "submitted_at")),
    _NodeFile("content.csv", "ContentItem",
              ("id", "name", "kind", "url", "published_at", "topics")),
)
_REL_FILES = (
    _RelFile("region_part_of.csv", "PART_OF", "Region", "Region"),
    _RelFile("located_in.csv", "LOCATED_IN", "Organisation", "Region"),
    _RelFile("has_competence.csv", "HAS_COMPETENCE", "Organisation", "Topic", ("level",)),
    _RelFile("cooperates_with.csv", "COOPERATES_WITH", "Organisation", "Organisation",
             ("since", "context")),
    _RelFile("member_of.csv", "MEMBER_OF", "Organisation", "Organisation", ("since",)),
    _RelFile("subscribes_to.csv", "SUBSCRIBES_TO", "Organisation", "Topic"),
    _RelFile("works_at.csv", "WORKS_AT", "Person", "Organisation", ("role",)),
    _RelFile("knows.csv", "KNOWS", "Person", "Person"),
    _RelFile("organises.csv", "ORGANISES", "Organisation", "Event"),
    _RelFile("event_located_in.csv", "LOCATED_IN", "Event", "Region"),
    _RelFile("poses.csv", "POSES", "Organisation", "Challenge"),
    _RelFile("concerns.csv", "CONCERNS", "Challenge", "Topic"),
    _RelFile("proposes.csv", "PROPOSES", "Organisation", "Proposal"),
    _RelFile("addresses.csv", "ADDRESSES", "Proposal", "Challenge"),
    _RelFile("challenge_pitched_at.csv", "PITCHED_AT", "Challenge", "Event"),
    _RelFile("proposal_pitched_at.csv", "PITCHED_AT", "Proposal", "Event"),
    _RelFile("participates_in.csv", "PARTICIPATES_IN", "Organisation", "Event", ("role",)),
    _RelFile("publishes.csv", "PUBLISHES", "Organisation", "ContentItem"),
    _RelFile("about.csv", "ABOUT", "ContentItem", "Topic"),
    _RelFile("shared_with.csv", "SHARED_WITH", "ContentItem", "Organisation", ("by", "date")),
)
# fmt: on


@dataclass(slots=True)
class Population:
    """What :func:`generate` wrote: the manifest and the row counts per label and type."""

    manifest: Path
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


class _Sink:
    """One CSV file, opened on its first row, so a population without (say) events has no
    events.csv and no manifest entry for it."""

    def __init__(self, directory: Path, name: str, header: tuple[str, ...]) -> None:
        self.path = directory / name
        self.header = header
        self.rows = 0
        self._handle: IO[str] | None = None
        self._writer: Any = None

    def write(self, row: Iterable[Any]) -> None:
        if self._writer is None:
            # newline="" and "\n": identical bytes on every platform, for the committed seed
            self._handle = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._handle, lineterminator="\n")
            self._writer.writerow(self.header)
        self._writer.writerow(row)
        self.rows += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def _date_between(rng: Random, start: dt.date, end: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(start.toordinal(), max(start, end).toordinal()))


def _clamp(day: dt.date) -> dt.date:
    return min(day, _WINDOW_END)


def _ascii(text: str) -> str:
    """For e-mail local parts: 'Müller' -> 'mueller', 'Ayşe' -> 'ayse', 'Yılmaz' -> 'yilmaz'."""
    return re.sub(r"[^a-z0-9]", "", fold(text).replace("ı", "i"))


class _Generator:
    def __init__(
        self,
        orgs: int,
        seed: int,
        out_dir: Path,
        anchors: Anchors | None,
        persons_ratio: float,
        challenges_ratio: float,
        max_proposals: int,
        content_ratio: float,
        cooperation_rate: float,
    ) -> None:
        if orgs < 1:
            raise ValueError("orgs must be at least 1")
        self.rng = Random(seed)
        self.n_orgs = orgs
        self.seed = seed
        self.out = out_dir
        self.anchors = anchors
        self.persons_ratio = persons_ratio
        self.challenges_ratio = challenges_ratio
        self.max_proposals = max_proposals
        self.content_ratio = content_ratio
        self.cooperation_rate = cooperation_rate
        self.ns = f"syn{seed}"  # ids of two populations with different seeds never collide
        self.sinks = {f.name: _Sink(out_dir, f.name, f.columns) for f in _NODE_FILES}
        for r in _REL_FILES:
            self.sinks[r.name] = _Sink(out_dir, r.name, ("start", "end", *r.columns))
        self.topic_ids = [make_id("Topic", name) for name, _ in TOPICS]
        self.region_codes = [c for c, r in REGIONS.items() if r[2] == 3]
        self.region_ids = {c: make_id("Region", c) for c in REGIONS}
        self.region_cum: list[int] = []
        total = 0
        for code in self.region_codes:
            total += REGIONS[code][5]
            self.region_cum.append(total)
        # indexes later rows link to: per organisation its id, name, region and topics
        self.org_ids: list[str] = []
        self.org_names: list[str] = []
        self.org_region: list[int] = []
        self.org_topics: list[tuple[int, ...]] = []
        self.by_region: list[list[int]] = [[] for _ in self.region_codes]
        self.by_topic: list[list[int]] = [[] for _ in TOPICS]
        self.hubs: list[str] = []  # generated chambers/networks (only without anchors)
        self.events: list[tuple[str, dt.date]] = []

    def _w(self, name: str, *row: Any) -> None:
        self.sinks[name].write(row)

    # -- vocabulary -----------------------------------------------------------------------

    def vocabulary(self) -> None:
        for code, (name, parent, level, *_rest) in REGIONS.items():
            self._w("regions.csv", self.region_ids[code], name, code, code[:2], level, "true")
            if parent:
                self._w("region_part_of.csv", self.region_ids[code], self.region_ids[parent])
        for tid, (name, name_de) in zip(self.topic_ids, TOPICS, strict=True):
            self._w("topics.csv", tid, name, name_de, "true")

    # -- organisations ----------------------------------------------------------------------

    def organisations(self) -> None:
        rng, n = self.rng, self.n_orgs
        codes, cum = self.region_codes, self.region_cum
        # every stem once before any repeats: no two firms of a small population share a name
        stems = [a + b + c for a in _STEM_A for b in _STEM_B for c in _STEM_C]
        rng.shuffle(stems)
        for i in range(n):
            oid = f"org-{self.ns}-{i:06d}"
            sector, word, core = _SECTORS[rng.randrange(len(_SECTORS))]
            stem = stems[i % len(stems)]
            # past the number of distinct stems, a number keeps the names apart
            suffix = f" {i // len(stems) + 1}" if n > len(stems) else ""
            name = f"{stem} {word}{suffix} {rng.choice(_LEGAL)}"
            r = rng.choices(range(len(codes)), cum_weights=cum)[0]
            code = codes[r]
            topics = [core[0]]
            if len(core) > 1 and rng.random() < 0.5:
                topics.append(core[1])
            if rng.random() < 0.4:
                extra = rng.choice(_CROSS_TOPICS)
                if extra not in topics:
                    topics.append(extra)
            self.org_ids.append(oid)
            self.org_names.append(name)
            self.org_region.append(r)
            self.org_topics.append(tuple(topics))
            self.by_region[r].append(i)
            for t in topics:
                self.by_topic[t].append(i)
            self._w(
                "organisations.csv",
                oid,
                name,
                "SME",
                sector,
                rng.choice(REGIONS[code][3]),
                "DE",
                code,
                f"https://{stem.lower()}-{i}.example.org",
                "; ".join(TOPICS[t][0] for t in topics),
                "Synthetisches Demo-Unternehmen, kein reales Unternehmen.",
            )
            self._w("located_in.csv", oid, self.region_ids[code])
            for t in topics:
                self._w("has_competence.csv", oid, self.topic_ids[t], rng.randint(1, 5))
            if rng.random() < 0.2:
                self._w("subscribes_to.csv", oid, self.topic_ids[rng.choice(topics)])
        self._hubs()
        self._cooperation()

    def _hubs(self) -> None:
        """Chambers and networks the SMEs are members of: the anchor's chamber, or our own."""
        rng = self.rng
        if self.anchors is not None:
            targets = [self.anchors.chamber_id]
        else:
            for j in range(max(1, self.n_orgs // 150)):
                hid = f"org-{self.ns}-net-{j:04d}"
                code = self.region_codes[j % len(self.region_codes)]
                topic = TOPICS[_CROSS_TOPICS[j % len(_CROSS_TOPICS)]]
                town = REGIONS[code][3][0]
                self._w(
                    "organisations.csv",
                    hid,
                    f"Netzwerk {topic[1]} {town} {j + 1}",
                    "Stakeholder",
                    "Netzwerk",
                    town,
                    "DE",
                    code,
                    "",
                    topic[0],
                    "Synthetisches Demo-Netzwerk, keine reale Organisation.",
                )
                self._w("located_in.csv", hid, self.region_ids[code])
                self.hubs.append(hid)
            targets = self.hubs
        for oid in self.org_ids:
            if rng.random() < 0.4:
                since = _date_between(rng, dt.date(2005, 1, 1), dt.date(2021, 11, 30))
                self._w("member_of.csv", oid, rng.choice(targets), since.isoformat())

    def _cooperation(self) -> None:
        """Mostly local or same-topic partners, so communities and brokers have a structure."""
        rng, n = self.rng, self.n_orgs
        if n < 2:
            return
        seen: set[tuple[int, int]] = set()
        for i in range(n):
            if rng.random() >= self.cooperation_rate:
                continue
            roll = rng.random()
            if roll < 0.5:
                pool = self.by_region[self.org_region[i]]
            elif roll < 0.8:
                pool = self.by_topic[rng.choice(self.org_topics[i])]
            else:
                pool = []
            j = rng.choice(pool) if len(pool) > 1 else rng.randrange(n)
            pair = (min(i, j), max(i, j))
            if i == j or pair in seen:
                continue
            seen.add(pair)
            since = _date_between(rng, dt.date(2010, 1, 1), dt.date(2022, 12, 31))
            self._w(
                "cooperates_with.csv",
                self.org_ids[i],
                self.org_ids[j],
                since.isoformat(),
                rng.choice(_CONTEXTS),
            )

    # -- persons -------------------------------------------------------------------------------

    def persons(self) -> None:
        rng = self.rng
        n = round(self.n_orgs * self.persons_ratio)
        ids: list[str] = []
        employer: list[int] = []
        staff: dict[int, list[int]] = {}
        firsts = [(name, _ascii(name)) for name in _FIRST]
        lasts = [(name, _ascii(name)) for name in _LAST]
        for k in range(n):
            (first, first_a), (last, last_a) = rng.choice(firsts), rng.choice(lasts)
            email = f"{first_a}.{last_a}.{k}@example.org"
            pid = natural_person_key(email)  # keyed by ingest
            org = rng.randrange(self.n_orgs)
            area = REGIONS[self.region_codes[self.org_region[org]]][4]
            # German subscriber numbers never start with 0: these cannot reach anyone
            phone = f"+49 {area} 0{rng.randrange(1000, 9999)}" if rng.random() < 0.6 else ""
            consent = []
            if rng.random() < 0.5:
                consent.append("newsletter")
            if rng.random() < 0.3:
                consent.append("events")
            if rng.random() < 0.2:
                consent.append("matchmaking")
            role = rng.choice(_ROLES)
            collected = _date_between(rng, _WINDOW_START, _WINDOW_END)
            self._w(
                "persons.csv",
                pid,
                f"{first} {last}",
                email,
                phone,
                role,
                "consent" if consent else "legitimate_interest",
                "; ".join(consent),
                collected.isoformat(),
            )
            self._w("works_at.csv", pid, self.org_ids[org], role)
            ids.append(pid)
            employer.append(org)
            staff.setdefault(org, []).append(k)
        seen: set[tuple[int, int]] = set()
        for k in range(n):
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                colleagues = staff[employer[k]]
                other = (
                    rng.choice(colleagues)
                    if len(colleagues) > 1 and rng.random() < 0.5
                    else rng.randrange(n)
                )
                pair = (min(k, other), max(k, other))
                if other == k or pair in seen:
                    continue
                seen.add(pair)
                self._w("knows.csv", ids[k], ids[other])

    # -- the Open Innovation Challenge ------------------------------------------------------

    def _pitch_events(self, n_challenges: int) -> None:
        if self.anchors is not None:
            self.events = [(self.anchors.pitch_event_id, self.anchors.pitch_date)]
            return
        rng = self.rng
        for j in range(max(1, n_challenges // 25)):
            eid = f"event-{self.ns}-pitch-{j:04d}"
            day = _date_between(rng, dt.date(2022, 5, 2), dt.date(2022, 11, 30))
            code = rng.choice(self.region_codes)
            town = REGIONS[code][3][0]
            self._w(
                "events.csv",
                eid,
                f"Pitch-Event {j + 1} ({town})",
                day.isoformat(),
                town,
                "Synthetische Veranstaltung.",
            )
            self._w("organises.csv", rng.choice(self.hubs), eid)
            self._w("event_located_in.csv", eid, self.region_ids[code])
            self.events.append((eid, day))

    def challenges(self) -> None:
        rng, n = self.rng, self.n_orgs
        n_challenges = round(n * self.challenges_ratio)
        self._pitch_events(n_challenges)
        # (organisation, event) -> role; the first role wins when a firm is on both sides
        participants: dict[tuple[int, str], str] = {}
        for c in range(n_challenges):
            cid = f"challenge-{self.ns}-{c:05d}"
            poser = rng.randrange(n)
            own = self.org_topics[poser]
            topics = [rng.choice(own)]
            if rng.random() < 0.6:
                extra = rng.choice(_CROSS_TOPICS)
                if extra not in topics:
                    topics.append(extra)
            titles = _CHALLENGES.get(topics[0])
            title = rng.choice(titles) if titles else f"Lösungen für {TOPICS[topics[0]][1]} gesucht"
            roll = rng.randrange(100)
            status = _STATUSES[next(i for i, p in enumerate(_STATUS_CUM) if roll < p)]
            event_id, event_day = rng.choice(self.events)
            # published at least two weeks before the pitch, inside the challenge window
            created = _date_between(rng, _WINDOW_START, event_day - dt.timedelta(days=60))
            published = created + dt.timedelta(days=rng.randint(7, 45))
            pitched: dt.date | None = None
            closed: dt.date | None = None
            if status in ("pitched", "solved") or (status == "closed" and rng.random() < 0.5):
                pitched = event_day
            if status in ("solved", "closed"):
                closed = _clamp((pitched or published) + dt.timedelta(days=rng.randint(14, 120)))
            self._w(
                "challenges.csv",
                cid,
                title,
                status,
                "; ".join(TOPICS[t][0] for t in topics),
                created.isoformat(),
                "" if status == "draft" else published.isoformat(),
                pitched.isoformat() if pitched else "",
                closed.isoformat() if closed else "",
                f"Synthetische Challenge von {self.org_names[poser]}.",
            )
            self._w("poses.csv", self.org_ids[poser], cid)
            for t in topics:
                self._w("concerns.csv", cid, self.topic_ids[t])
            if pitched:
                self._w("challenge_pitched_at.csv", cid, event_id)
                participants.setdefault((poser, event_id), "Challenge-Geber")
            if status != "draft":
                self._proposals(
                    c, cid, poser, topics, status, published, pitched, event_id, participants
                )
        for (org, event_id), role in sorted(participants.items()):
            self._w("participates_in.csv", self.org_ids[org], event_id, role)

    def _proposals(
        self,
        c: int,
        cid: str,
        poser: int,
        topics: list[int],
        status: str,
        published: dt.date,
        pitched: dt.date | None,
        event_id: str,
        participants: dict[tuple[int, str], str],
    ) -> None:
        rng, n = self.rng, self.n_orgs
        chosen: list[int] = []
        for _ in range(rng.randint(1, self.max_proposals)):
            pool = self.by_topic[rng.choice(topics)]
            # most proposers are competent in the topic: matchmaking has something to find
            org = rng.choice(pool) if pool and rng.random() < 0.8 else rng.randrange(n)
            if org != poser and org not in chosen:
                chosen.append(org)
        last = (pitched - dt.timedelta(days=7)) if pitched else published + dt.timedelta(days=60)
        for k, org in enumerate(chosen):
            pid = f"proposal-{self.ns}-{c:05d}-{k}"
            if status == "published":
                p_status = "shortlisted" if rng.random() < 0.3 else "submitted"
            elif status == "pitched":
                p_status = rng.choice(("pitched", "pitched", "shortlisted", "declined"))
            elif status == "solved":
                p_status = "accepted" if k == 0 else rng.choice(("pitched", "declined"))
            else:
                p_status = "declined"
            submitted = _clamp(_date_between(rng, published + dt.timedelta(days=1), last))
            self._w(
                "proposals.csv",
                pid,
                f"Lösungsvorschlag von {self.org_names[org]}",
                p_status,
                submitted.isoformat(),
            )
            self._w("proposes.csv", self.org_ids[org], pid)
            self._w("addresses.csv", pid, cid)
            if pitched and p_status in ("pitched", "accepted"):
                self._w("proposal_pitched_at.csv", pid, event_id)
                participants.setdefault((org, event_id), "Lösungsanbieter")

    # -- content -----------------------------------------------------------------------------

    def content(self) -> None:
        rng, n = self.rng, self.n_orgs
        kinds = tuple(_CONTENT)
        for k in range(round(n * self.content_ratio)):
            xid = f"content-{self.ns}-{k:05d}"
            kind = rng.choice(kinds)
            topics = [rng.randrange(len(TOPICS))]
            if rng.random() < 0.5:
                extra = rng.choice(_CROSS_TOPICS)
                if extra not in topics:
                    topics.append(extra)
            if self.hubs and rng.random() < 0.5:
                publisher = rng.choice(self.hubs)
                town = "Nordhessen"
            else:
                org = rng.randrange(n)
                publisher = self.org_ids[org]
                town = REGIONS[self.region_codes[self.org_region[org]]][3][0]
            day = _date_between(rng, _WINDOW_START, _WINDOW_END)
            title = _CONTENT[kind].format(topic=TOPICS[topics[0]][1], town=town)
            self._w(
                "content.csv",
                xid,
                title,
                kind,
                f"https://example.org/inhalte/{xid}",
                day.isoformat(),
                "; ".join(TOPICS[t][0] for t in topics),
            )
            self._w("publishes.csv", publisher, xid)
            for t in topics:
                self._w("about.csv", xid, self.topic_ids[t])
            shared: set[int] = set()
            for _ in range(rng.randint(0, 3)):
                pool = self.by_topic[topics[0]]
                org = rng.choice(pool) if pool else rng.randrange(n)
                if org in shared or self.org_ids[org] == publisher:
                    continue
                shared.add(org)
                when = _clamp(day + dt.timedelta(days=rng.randint(0, 14)))
                self._w("shared_with.csv", xid, self.org_ids[org], publisher, when.isoformat())

    # -- manifest ----------------------------------------------------------------------------

    def manifest(self) -> Population:
        for sink in self.sinks.values():
            sink.close()
        files: list[dict[str, Any]] = []
        population = Population(self.out / "manifest.yaml")
        for nf in _NODE_FILES:
            sink = self.sinks[nf.name]
            if not sink.rows:
                continue
            population.nodes[nf.label] = population.nodes.get(nf.label, 0) + sink.rows
            props: dict[str, Any] = {}
            for column in nf.columns[1:]:
                props[column] = {"column": column, "if_missing": True} if nf.shared else column
            if not nf.shared:
                props["synthetic"] = {"value": True}
            files.append(
                {"path": nf.name, "nodes": [{"label": nf.label, "key": "id", "properties": props}]}
            )
        for rf in _REL_FILES:
            sink = self.sinks[rf.name]
            if not sink.rows:
                continue
            population.relationships[rf.type] = population.relationships.get(rf.type, 0) + sink.rows
            rel: dict[str, Any] = {
                "type": rf.type,
                "start": {"label": rf.start, "key": "start"},
                "end": {"label": rf.end, "key": "end"},
            }
            if rf.columns:
                rel["properties"] = {c: c for c in rf.columns}
            files.append({"path": rf.name, "relationships": [rel]})
        anchored = " --link-seed" if self.anchors else ""
        header = (
            "# Synthetic demo population: generated, not real data. Do not edit by hand; "
            "regenerate with\n"
            f"#   scaleup generate --orgs {self.n_orgs} --seed {self.seed}{anchored} --out DIR\n"
            "# Every node is synthetic: true. Regions and topics are shared vocabulary,\n"
            "# written only where missing, so real nodes keep their names and flags.\n"
        )
        if self.anchors:
            header += (
                "# Links to nodes of the Nordhessen seed (ingest seed/nordhessen/manifest.yaml "
                "first):\n"
                f"#   {self.anchors.chamber_id}, {self.anchors.pitch_event_id}\n"
            )
        body = yaml.safe_dump(
            {
                "source": f"Synthetische Demo-Population (seed {self.seed}, {self.n_orgs} "
                "Organisationen), keine realen Daten",
                "files": files,
            },
            sort_keys=False,
            default_flow_style=None,  # leaf mappings on one line: {column: name, if_missing: true}
            allow_unicode=True,
            width=100,
        )
        population.manifest.write_text(header + body, encoding="utf-8")
        return population


def generate(
    orgs: int,
    seed: int,
    out_dir: Path,
    *,
    anchors: Anchors | None = None,
    persons_ratio: float = 0.5,
    challenges_ratio: float = 0.125,
    max_proposals: int = 4,
    content_ratio: float = 0.1,
    cooperation_rate: float = 0.5,
) -> Population:
    """Write a population of ``orgs`` SMEs (and their persons, challenges, proposals, content)
    into ``out_dir``; return the manifest path and the counts.

    Ratios are per organisation; each challenge past its draft gets 1..``max_proposals``
    proposals. ``anchors`` links the population to an existing network (see :class:`Anchors`).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    # A smaller population must not leave an old file behind; only our own names are touched.
    for name in [f.name for f in _NODE_FILES] + [f.name for f in _REL_FILES]:
        (out_dir / name).unlink(missing_ok=True)
    gen = _Generator(
        orgs,
        seed,
        out_dir,
        anchors,
        persons_ratio,
        challenges_ratio,
        max_proposals,
        content_ratio,
        cooperation_rate,
    )
    try:
        gen.vocabulary()
        gen.organisations()
        gen.persons()
        gen.challenges()
        gen.content()
    finally:
        for sink in gen.sinks.values():
            sink.close()
    return gen.manifest()


def generate_population(
    orgs: int,
    seed: int,
    out_dir: Path,
    *,
    anchors: Anchors | None = None,
    persons_ratio: float = 0.5,
    challenges_ratio: float = 0.125,
    max_proposals: int = 4,
    content_ratio: float = 0.1,
    cooperation_rate: float = 0.5,
) -> Path:
    """Like :func:`generate`, returning only the manifest's path."""
    return generate(
        orgs,
        seed,
        out_dir,
        anchors=anchors,
        persons_ratio=persons_ratio,
        challenges_ratio=challenges_ratio,
        max_proposals=max_proposals,
        content_ratio=content_ratio,
        cooperation_rate=cooperation_rate,
    ).manifest


def write_demo_seed(out_dir: Path) -> Population:
    """The committed demo population: 120 SMEs in Nordhessen linked to the Nordhessen seed."""
    return generate(DEMO_ORGS, DEMO_SEED, out_dir, anchors=NORDHESSEN_ANCHORS)
