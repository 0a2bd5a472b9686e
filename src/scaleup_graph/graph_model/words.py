"""Plain words for the schema: German and English names of every label, relationship type,
property, choice value and measure, kept once here.

The explorer, the OpenAPI descriptions, the exports, the editing forms and the analyst report all
take their words from this module, so a stakeholder reads the same "Mitglied von" everywhere and
a translation is one entry. ``tests/graph_model/test_words.py`` fails when the schema gains a
label, relationship type, property or choice without words here.

German is the default language: this is a German agency.

>>> label_name("BestPractice", "en")
'Best practice'
>>> label_name("Organisation", "en", plural=True)
'Organisations'
>>> rel_name("MEMBER_OF")
'ist Mitglied von'
>>> rel_name("MEMBER_OF", direction="in")
'hat als Mitglied'
>>> rel_group("MEMBER_OF", direction="in")
'Mitglieder'
>>> prop_name("ingested_at")
'erfasst am'
>>> choice_name("status", "draft")
'Entwurf'
>>> measure_name("betweenness")
'Brückenbauer'
>>> is_technical("name_fold"), is_technical("city")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CHOICES",
    "DEFAULT_LANG",
    "EXTRA_LABELS",
    "LABELS",
    "LANGS",
    "MEASURES",
    "PROPERTIES",
    "RELATIONSHIPS",
    "REPORT",
    "TECHNICAL_PROPERTIES",
    "Label",
    "Measure",
    "Relationship",
    "W",
    "choice_name",
    "is_technical",
    "label_name",
    "measure_explanation",
    "measure_name",
    "prop_name",
    "rel_group",
    "rel_name",
    "report_text",
]

Lang = Literal["de", "en"]
Direction = Literal["out", "in"]

DEFAULT_LANG: Lang = "de"
LANGS: tuple[Lang, ...] = ("de", "en")


@dataclass(frozen=True, slots=True)
class W:
    """One word or phrase in both languages."""

    de: str
    en: str

    def __call__(self, lang: str = DEFAULT_LANG) -> str:
        return self.en if lang == "en" else self.de


@dataclass(frozen=True, slots=True)
class Label:
    """A node label: singular and plural, both languages."""

    one: W
    many: W


@dataclass(frozen=True, slots=True)
class Relationship:
    """A relationship type read from either end.

    ``out`` reads from the start node ("IHK *ist Mitglied von* Netzwerk"), ``in`` from the end
    node ("Netzwerk *hat als Mitglied* IHK"); ``out_group`` and ``in_group`` name the set of
    nodes at the other end, as a menu or a details section shows it ("Mitgliedschaften",
    "Mitglieder").
    """

    out: W
    inverse: W
    out_group: W
    in_group: W


@dataclass(frozen=True, slots=True)
class Measure:
    """A network measure: its plain name and one sentence a non-specialist understands."""

    name: W
    explanation: W


LABELS: dict[str, Label] = {
    "Organisation": Label(W("Organisation", "organisation"), W("Organisationen", "organisations")),
    "Person": Label(W("Person", "person"), W("Personen", "persons")),
    "Region": Label(W("Region", "region"), W("Regionen", "regions")),
    "Project": Label(W("Projekt", "project"), W("Projekte", "projects")),
    "Programme": Label(W("Förderprogramm", "programme"), W("Förderprogramme", "programmes")),
    "Challenge": Label(W("Challenge", "challenge"), W("Challenges", "challenges")),
    "Proposal": Label(
        W("Lösungsvorschlag", "proposed solution"), W("Lösungsvorschläge", "proposed solutions")
    ),
    "BestPractice": Label(
        W("Best Practice", "best practice"), W("Best Practices", "best practices")
    ),
    "Event": Label(W("Veranstaltung", "event"), W("Veranstaltungen", "events")),
    "ContentItem": Label(W("Beitrag", "content item"), W("Beiträge", "content items")),
    "Topic": Label(W("Thema", "topic"), W("Themen", "topics")),
}

#: The extra labels an organisation can carry (schema.ORGANISATION_KINDS).
EXTRA_LABELS: dict[str, Label] = {
    "Stakeholder": Label(W("Stakeholder", "stakeholder"), W("Stakeholder", "stakeholders")),
    "SME": Label(W("KMU", "SME"), W("KMU", "SMEs")),
    "ResearchInstitute": Label(
        W("Forschungseinrichtung", "research institute"),
        W("Forschungseinrichtungen", "research institutes"),
    ),
    "PublicBody": Label(
        W("Öffentliche Einrichtung", "public body"), W("Öffentliche Einrichtungen", "public bodies")
    ),
    "PartnerOrganisation": Label(
        W("Projektpartner Scale Up", "Scale Up partner"),
        W("Projektpartner Scale Up", "Scale Up partners"),
    ),
}


def _rel(
    out: tuple[str, str], inv: tuple[str, str], og: tuple[str, str], ig: tuple[str, str]
) -> Relationship:
    return Relationship(W(*out), W(*inv), W(*og), W(*ig))


RELATIONSHIPS: dict[str, Relationship] = {
    "WORKS_AT": _rel(
        ("arbeitet bei", "works at"),
        ("beschäftigt", "employs"),
        ("Arbeitgeber", "employers"),
        ("Ansprechpersonen", "contact persons"),
    ),
    "LOCATED_IN": _rel(
        ("liegt in", "is located in"),
        ("ist Standort von", "is home to"),
        ("Standort", "location"),
        ("Ansässige", "based here"),
    ),
    "PART_OF": _rel(
        ("gehört zu", "is part of"),
        ("umfasst", "includes"),
        ("Übergeordnet", "part of"),
        ("Bestandteile", "parts"),
    ),
    "PARTNER_IN": _rel(
        ("ist Partner in", "is a partner in"),
        ("hat als Partner", "has as partner"),
        ("Projekte", "projects"),
        ("Projektpartner", "project partners"),
    ),
    "FUNDS": _rel(
        ("fördert", "funds"),
        ("wird gefördert von", "is funded by"),
        ("Gefördertes", "funded"),
        ("Förderer", "funders"),
    ),
    "COOPERATES_WITH": _rel(
        ("kooperiert mit", "cooperates with"),
        ("kooperiert mit", "cooperates with"),
        ("Kooperationen", "cooperations"),
        ("Kooperationen", "cooperations"),
    ),
    "MEMBER_OF": _rel(
        ("ist Mitglied von", "is a member of"),
        ("hat als Mitglied", "has as member"),
        ("Mitgliedschaften", "memberships"),
        ("Mitglieder", "members"),
    ),
    "POSES": _rel(
        ("stellt die Challenge", "poses the challenge"),
        ("gestellt von", "posed by"),
        ("Gestellte Challenges", "challenges posed"),
        ("Gestellt von", "posed by"),
    ),
    "PROPOSES": _rel(
        ("schlägt vor", "proposes"),
        ("vorgeschlagen von", "proposed by"),
        ("Lösungsvorschläge", "proposed solutions"),
        ("Vorgeschlagen von", "proposed by"),
    ),
    "ADDRESSES": _rel(
        ("antwortet auf", "answers"),
        ("erhält den Vorschlag", "receives the proposal"),
        ("Challenge", "challenge"),
        ("Lösungsvorschläge", "proposed solutions"),
    ),
    "HAS_COMPETENCE": _rel(
        ("ist kompetent in", "is competent in"),
        ("Kompetenz von", "competence of"),
        ("Kompetenzen", "competences"),
        ("Kompetente Organisationen", "competent organisations"),
    ),
    "CONCERNS": _rel(
        ("betrifft", "concerns"),
        ("ist Thema von", "is the topic of"),
        ("Themen", "topics"),
        ("Challenges zum Thema", "challenges on this topic"),
    ),
    "PRESENTED": _rel(
        ("hat vorgestellt", "presented"),
        ("vorgestellt von", "presented by"),
        ("Vorgestellte Best Practices", "practices presented"),
        ("Vorgestellt von", "presented by"),
    ),
    "TRANSFERRED_TO": _rel(
        ("übertragen nach", "transferred to"),
        ("hat übernommen", "adopted"),
        ("Übertragen nach", "transferred to"),
        ("Übernommene Best Practices", "practices adopted"),
    ),
    "INSPIRED_BY": _rel(
        ("nach dem Vorbild von", "modelled on"),
        ("ist Vorbild für", "is the model for"),
        ("Vorbilder", "models"),
        ("Hat inspiriert", "inspired"),
    ),
    "ORGANISES": _rel(
        ("organisiert", "organises"),
        ("organisiert von", "organised by"),
        ("Veranstaltungen", "events"),
        ("Veranstalter", "organisers"),
    ),
    "PARTICIPATES_IN": _rel(
        ("nimmt teil an", "takes part in"),
        ("hat als Teilnehmende", "has as participant"),
        ("Teilnahmen", "events attended"),
        ("Teilnehmende", "participants"),
    ),
    "PITCHED_AT": _rel(
        ("gepitcht bei", "pitched at"),
        ("Pitch von", "pitch of"),
        ("Pitch-Veranstaltungen", "pitch events"),
        ("Pitches", "pitches"),
    ),
    "PUBLISHES": _rel(
        ("veröffentlicht", "publishes"),
        ("veröffentlicht von", "published by"),
        ("Beiträge", "content items"),
        ("Herausgeber", "publishers"),
    ),
    "ABOUT": _rel(
        ("handelt von", "is about"),
        ("ist Thema von", "is the subject of"),
        ("Themen", "topics"),
        ("Beiträge und Projekte zum Thema", "items on this topic"),
    ),
    "SHARED_WITH": _rel(
        ("geteilt mit", "shared with"),
        ("hat erhalten", "received"),
        ("Geteilt mit", "shared with"),
        ("Erhaltene Beiträge", "items received"),
    ),
    "SUBSCRIBES_TO": _rel(
        ("folgt dem Thema", "follows the topic"),
        ("hat als Abonnenten", "is followed by"),
        ("Abonnierte Themen", "topics followed"),
        ("Abonnenten", "followers"),
    ),
    "KNOWS": _rel(
        ("kennt", "knows"),
        ("kennt", "knows"),
        ("Bekannte", "acquaintances"),
        ("Bekannte", "acquaintances"),
    ),
}

#: Property names, shared by every label that has the property (the schema uses each name
#: in one meaning). Relationship properties are here too.
PROPERTIES: dict[str, W] = {
    "id": W("Kennung", "identifier"),
    "synthetic": W("Demo-Daten (erfunden)", "demo data (invented)"),
    "description": W("Beschreibung", "description"),
    "source": W("Quelle", "source"),
    "ingest_run": W("Import-Lauf", "import run"),
    "ingested_at": W("erfasst am", "recorded on"),
    "updated_at": W("zuletzt geändert am", "last changed on"),
    "name": W("Name", "name"),
    "short_name": W("Kurzname", "short name"),
    "alt_names": W("weitere Namen", "other names"),
    "kinds": W("Art", "kind"),
    "sector": W("Branche", "sector"),
    "city": W("Ort", "city"),
    "country": W("Land", "country"),
    "nuts_code": W("NUTS-Code", "NUTS code"),
    "website": W("Website", "website"),
    "pic": W("EU-Teilnehmer-ID (PIC)", "EU participant id (PIC)"),
    "activity_type": W("Art der Einrichtung (EU)", "type of organisation (EU)"),
    "topics": W("Themen", "topics"),
    "email": W("E-Mail", "e-mail"),
    "phone": W("Telefon", "phone"),
    "role": W("Funktion", "role"),
    "lawful_basis": W("Rechtsgrundlage", "lawful basis"),
    "consent": W("Einwilligungen", "consents"),
    "collected_at": W("erhoben am", "collected on"),
    "public_role": W("öffentliche Funktion", "public role"),
    "level": W("Ebene", "level"),
    "acronym": W("Kürzel", "acronym"),
    "start_date": W("Beginn", "start"),
    "end_date": W("Ende", "end"),
    "rcn": W("CORDIS-Nummer (RCN)", "CORDIS record number (RCN)"),
    "total_cost": W("Gesamtkosten (EUR)", "total cost (EUR)"),
    "programme_parts": W("Programmteile", "programme parts"),
    "url": W("Link", "link"),
    "status": W("Stand", "status"),
    "created_at": W("angelegt am", "created on"),
    "published_at": W("veröffentlicht am", "published on"),
    "pitched_at": W("gepitcht am", "pitched on"),
    "closed_at": W("abgeschlossen am", "closed on"),
    "submitted_at": W("eingereicht am", "submitted on"),
    "date": W("Datum", "date"),
    "location": W("Ort", "venue"),
    "kind": W("Art", "kind"),
    "name_de": W("Name (deutsch)", "name (German)"),
    # relationship properties
    "since": W("seit", "since"),
    "contribution": W("EU-Beitrag (EUR)", "EU contribution (EUR)"),
    "amount": W("Betrag (EUR)", "amount (EUR)"),
    "context": W("Zusammenhang", "context"),
    "phase": W("Phase", "phase"),
    "by": W("geteilt von", "shared by"),
    # written by the store and the analytics, not declared in the schema
    "version": W("Version", "version"),
    "name_fold": W("Suchschlüssel Name", "search key name"),
    "short_name_fold": W("Suchschlüssel Kurzname", "search key short name"),
    "topics_fold": W("Suchschlüssel Themen", "search key topics"),
    "search_text": W("Suchtext", "search text"),
}

#: Fields a stakeholder does not need to read: provenance, search keys, bookkeeping. Pages show
#: them folded away ("Herkunft"), never in the first view.
TECHNICAL_PROPERTIES = frozenset(
    {
        "id",
        "source",
        "ingest_run",
        "ingested_at",
        "updated_at",
        "name_fold",
        "short_name_fold",
        "topics_fold",
        "search_text",
        "version",
        "synthetic",
        "pic",
        "rcn",
        "nuts_code",
    }
)

#: Words for choice values, per property name.
CHOICES: dict[str, dict[str, W]] = {
    "kinds": {k: v.one for k, v in EXTRA_LABELS.items()},
    "activity_type": {
        "HES": W("Hochschule", "higher education"),
        "PRC": W("Unternehmen", "private company"),
        "REC": W("Forschungseinrichtung", "research organisation"),
        "PUB": W("Öffentliche Einrichtung", "public body"),
        "OTH": W("Sonstige", "other"),
    },
    "lawful_basis": {
        "consent": W("Einwilligung", "consent"),
        "contract": W("Vertrag", "contract"),
        "legitimate_interest": W("berechtigtes Interesse", "legitimate interest"),
        "public_task": W("öffentliche Aufgabe", "public task"),
    },
    "status": {
        # Challenge
        "draft": W("Entwurf", "draft"),
        "published": W("veröffentlicht", "published"),
        "pitched": W("gepitcht", "pitched"),
        "solved": W("gelöst", "solved"),
        "closed": W("geschlossen", "closed"),
        # Proposal
        "submitted": W("eingereicht", "submitted"),
        "shortlisted": W("in der engeren Wahl", "shortlisted"),
        "accepted": W("angenommen", "accepted"),
        "declined": W("abgelehnt", "declined"),
    },
    "kind": {
        "news": W("Nachricht", "news"),
        "offer": W("Angebot", "offer"),
        "event": W("Veranstaltungshinweis", "event notice"),
        "study": W("Studie", "study"),
    },
}

#: Network measures (analytics.metrics.METRICS names, brokerage roles, link prediction).
MEASURES: dict[str, Measure] = {
    "degree": Measure(
        W("Vernetzung", "connectedness"),
        W(
            "Wie viele direkte Verbindungen ein Akteur hat: wer viele hat, ist gut vernetzt.",
            "How many direct links an actor has: many links mean well connected.",
        ),
    ),
    "pagerank": Measure(
        W("Bedeutung im Netz", "standing in the network"),
        W(
            "Wer mit vielen gut vernetzten Akteuren verbunden ist, zählt mehr "
            "(wie bei Empfehlungen: wichtig ist, wer auf einen verweist).",
            "Links from well-connected actors count more "
            "(like recommendations: it matters who points to you).",
        ),
    ),
    "betweenness": Measure(
        W("Brückenbauer", "bridge builders"),
        W(
            "Liegen oft auf kürzesten Wegen zwischen anderen: über sie laufen Kontakte "
            "zwischen Gruppen, die sonst kaum verbunden wären.",
            "Lie often on the shortest ways between others: contacts between groups that "
            "would hardly meet otherwise run through them.",
        ),
    ),
    "eigenvector": Measure(
        W("Nähe zum Kern", "closeness to the core"),
        W(
            "Hoch bei Akteuren, deren Partner selbst zentral sind: sie gehören zum inneren Kreis.",
            "High for actors whose partners are central themselves: the inner circle.",
        ),
    ),
    "closeness": Measure(
        W("Erreichbarkeit", "reach"),
        W(
            "Wie schnell ein Akteur alle anderen über wenige Zwischenschritte erreicht.",
            "How quickly an actor reaches everyone else in few steps.",
        ),
    ),
    "kcore": Measure(
        W("Kernzugehörigkeit", "core membership"),
        W(
            "Je höher, desto tiefer sitzt der Akteur in einem dicht verflochtenen Kern des Netzes.",
            "The higher, the deeper the actor sits in a densely knit core of the network.",
        ),
    ),
    "community": Measure(
        W("Gruppe", "community"),
        W(
            "Gruppen von Akteuren, die untereinander deutlich enger verbunden sind als nach außen.",
            "Groups of actors linked much more closely among themselves than to the outside.",
        ),
    ),
    "constraint": Measure(
        W("Eingebundenheit", "constraint"),
        W(
            "Hoch, wenn alle Partner eines Akteurs auch untereinander verbunden sind; "
            "niedrig bei Akteuren, die sonst getrennte Kreise verbinden.",
            "High when all of an actor's partners also know each other; low for actors who "
            "join circles that are otherwise apart.",
        ),
    ),
    "effective_size": Measure(
        W("Reichweite ohne Doppelungen", "non-redundant reach"),
        W(
            "Wie viele voneinander unabhängige Kontakte ein Akteur hat.",
            "How many mutually independent contacts an actor has.",
        ),
    ),
    "articulation": Measure(
        W("Einzige Verbindung", "single point of failure"),
        W(
            "Fiele dieser Akteur weg, zerfiele das Netz: so viele andere wären abgeschnitten.",
            "If this actor dropped out, the network would split: this many others would be "
            "cut off.",
        ),
    ),
    "brokerage": Measure(
        W("Vermittlerrollen", "brokerage roles"),
        W(
            "Wie oft ein Akteur zwischen zwei anderen vermittelt, die nicht direkt verbunden "
            "sind, gezählt nach den Gruppen (z. B. Regionen) der Beteiligten.",
            "How often an actor stands between two others who are not directly linked, counted "
            "by the groups (e.g. regions) of those involved.",
        ),
    ),
    "brokerage_total": Measure(
        W("Vermittlungen insgesamt", "brokerage, all roles"),
        W(
            "Wie oft ein Akteur zwischen zwei anderen steht, die nicht direkt verbunden sind.",
            "How often an actor stands between two others who are not directly linked.",
        ),
    ),
    "brokerage_coordinator": Measure(
        W("Koordinator", "coordinator"),
        W(
            "Vermittelt innerhalb der eigenen Gruppe.",
            "Mediates within its own group.",
        ),
    ),
    "brokerage_itinerant": Measure(
        W("Externer Vermittler", "itinerant broker"),
        W(
            "Vermittelt als Außenstehender zwischen zwei Mitgliedern einer anderen Gruppe.",
            "Mediates as an outsider between two members of another group.",
        ),
    ),
    "brokerage_gatekeeper": Measure(
        W("Türöffner", "gatekeeper"),
        W(
            "Lässt Außenstehende in die eigene Gruppe hinein.",
            "Lets an outsider into its own group.",
        ),
    ),
    "brokerage_representative": Measure(
        W("Sprecher", "representative"),
        W(
            "Vertritt die eigene Gruppe gegenüber Außenstehenden.",
            "Speaks for its own group to outsiders.",
        ),
    ),
    "brokerage_liaison": Measure(
        W("Verbindungsglied", "liaison"),
        W(
            "Verbindet zwei fremde Gruppen, ohne selbst zu einer davon zu gehören.",
            "Links two other groups without belonging to either.",
        ),
    ),
    "adamic_adar": Measure(
        W("Gemeinsame Kontakte (gewichtet)", "shared contacts (weighted)"),
        W(
            "Zwei Akteure sollten sich kennenlernen, wenn sie gemeinsame Partner haben; "
            "seltene gemeinsame Partner zählen mehr als sehr verbreitete.",
            "Two actors should meet when they share partners; rare shared partners count more "
            "than very common ones.",
        ),
    ),
    "resource_allocation": Measure(
        W("Gemeinsame Kontakte (Ressourcen)", "shared contacts (resource allocation)"),
        W(
            "Wie Gemeinsame Kontakte, aber Partner mit vielen Verbindungen zählen noch weniger.",
            "Like shared contacts, but partners with many links count even less.",
        ),
    ),
    "jaccard": Measure(
        W("Überschneidung der Kontakte", "overlap of contacts"),
        W(
            "Anteil der gemeinsamen an allen Partnern zweier Akteure.",
            "The share of shared partners among all partners of two actors.",
        ),
    ),
}


def _pick(w: W, lang: str) -> str:
    return w(lang)


def _heading(w: W, lang: str) -> str:
    """Names that stand alone (legend, menu, heading) start with a capital in both languages."""
    text = w(lang)
    return text[:1].upper() + text[1:]


def label_name(label: str, lang: str = DEFAULT_LANG, *, plural: bool = False) -> str:
    """The plain name of a node label or an organisation's extra label, capitalised as a
    legend shows it; the label itself when it is unknown (new data shows up, named as stored)."""
    entry = LABELS.get(label) or EXTRA_LABELS.get(label)
    if entry is None:
        return label
    return _heading(entry.many if plural else entry.one, lang)


def rel_name(rel_type: str, lang: str = DEFAULT_LANG, *, direction: Direction = "out") -> str:
    """The relationship as a phrase, read from its start (``out``) or its end (``in``)."""
    entry = RELATIONSHIPS.get(rel_type)
    if entry is None:
        return rel_type.replace("_", " ").lower()
    return _pick(entry.out if direction == "out" else entry.inverse, lang)


def rel_group(rel_type: str, lang: str = DEFAULT_LANG, *, direction: Direction = "out") -> str:
    """The nodes at the other end as a group: a menu entry or a details section
    ("Mitglieder" for the incoming MEMBER_OF of a network)."""
    entry = RELATIONSHIPS.get(rel_type)
    if entry is None:
        return rel_type.replace("_", " ").lower()
    return _heading(entry.out_group if direction == "out" else entry.in_group, lang)


def prop_name(prop: str, lang: str = DEFAULT_LANG) -> str:
    """A property's plain name; measures written back as ``metric_<name>`` get the measure's."""
    entry = PROPERTIES.get(prop)
    if entry is not None:
        return _pick(entry, lang)
    if prop.startswith("metric_") and prop[len("metric_") :] in MEASURES:
        return measure_name(prop[len("metric_") :], lang)
    return prop.replace("_", " ")


def choice_name(prop: str, value: str, lang: str = DEFAULT_LANG) -> str:
    """The plain word for one choice value of a property (``status=draft`` -> "Entwurf")."""
    entry = CHOICES.get(prop, {}).get(value)
    return _pick(entry, lang) if entry is not None else value


def measure_name(metric: str, lang: str = DEFAULT_LANG) -> str:
    entry = MEASURES.get(metric)
    return _pick(entry.name, lang) if entry is not None else metric.replace("_", " ")


def measure_explanation(metric: str, lang: str = DEFAULT_LANG) -> str:
    entry = MEASURES.get(metric)
    return _pick(entry.explanation, lang) if entry is not None else ""


def is_technical(prop: str) -> bool:
    """True for provenance, search keys and bookkeeping: shown folded away, if at all."""
    return prop in TECHNICAL_PROPERTIES or prop.endswith("_fold") or prop.startswith("metric_")


#: Headings and sentences of the analyst report (analytics/report); ``{name}`` fields are filled
#: in by the report.
REPORT: dict[str, W] = {
    "title": W("Netzwerkanalyse", "Network analysis"),
    "subtitle": W(
        "Akteure, Gruppen, Regionen und Themen im Netzwerk",
        "Actors, communities, regions and topics of the network",
    ),
    "as_of": W("Stand: {date}", "As of {date}"),
    "contents": W("Inhalt", "Contents"),
    "summary": W("Das Wichtigste in Kürze", "Key points"),
    "fig_organisations": W("Organisationen", "organisations"),
    "fig_ties": W("Verbindungen zwischen Organisationen", "ties between organisations"),
    "fig_communities": W("Gruppen mit mindestens 3 Mitgliedern", "communities of 3 or more"),
    "fig_synthetic": W("davon erfundene Demo-Daten", "of them invented demo data"),
    "synthetic_warning": W(
        "Achtung: {share} der Organisationen in diesem Bericht sind erfundene Demo-Daten "
        "(gekennzeichnet mit synthetic: true). Die Befunde zeigen, wie die Analyse arbeitet, "
        "nicht den tatsächlichen Stand des Netzwerks.",
        "Note: {share} of the organisations in this report are invented demo data (marked "
        "synthetic: true). The findings show how the analysis works, not the actual state of "
        "the network.",
    ),
    "f_hub": W(
        "{name} ist an {share} aller Verbindungen beteiligt, mehr als jede andere Organisation.",
        "{name} takes part in {share} of all ties, more than any other organisation.",
    ),
    "f_bridge": W(
        "Wichtigste Brückenbauer sind {names}.",
        "The main bridge builders are {names}.",
    ),
    "f_groups": W(
        "Das Netz besteht aus {n} Gruppen mit mindestens 3 Mitgliedern; die größte ist die "
        "{name} mit {size} Organisationen.",
        "The network has {n} communities of 3 or more; the largest is the {name} with {size} "
        "organisations.",
    ),
    "f_regions": W(
        "Zwischen Nordhessen und den Scale Up Partnerregionen bestehen {n} direkte Verbindungen.",
        "There are {n} direct ties between Nordhessen and the Scale Up partner regions.",
    ),
    "f_topics": W(
        "Das meistgenannte Kompetenzthema ist {topic} ({n} Organisationen).",
        "The most common competence is {topic} ({n} organisations).",
    ),
    "reading": W(
        "Lesehilfe: Akteure sind Organisationen. Zwei Organisationen gelten als verbunden, wenn "
        "sie direkt kooperieren oder Mitglied beieinander sind oder gemeinsam an einem Projekt, "
        "einer Veranstaltung, einer Challenge, einer Best Practice oder einem Programm beteiligt "
        "sind. Themen und Regionen sind keine Akteure und haben eigene Abschnitte. Zahlen sind "
        "auf drei Stellen gerundet; die genauen Werte stehen in der Datei {csv}.",
        "How to read: actors are organisations. Two organisations count as tied when they "
        "cooperate directly, one is a member of the other, or they take part in the same "
        "project, event, challenge, best practice or programme. Topics and regions are not "
        "actors and have sections of their own. Numbers are rounded to three digits; the exact "
        "values are in the file {csv}.",
    ),
    "overview": W("Akteure im Überblick", "Actors at a glance"),
    "overview_intro": W(
        "Die {n} Organisationen mit der größten Bedeutung im Netz, mit allen drei Maßen. "
        "Was die Maße bedeuten, erklären die folgenden Seiten.",
        "The {n} organisations with the highest standing in the network, with all three "
        "measures. The following pages explain what the measures mean.",
    ),
    "what_it_measures": W("Was das Maß zeigt", "What it shows"),
    "what_it_suggests": W("Was das nahelegt", "What it suggests"),
    "measure_caption": W(
        "Die {n} Organisationen mit den höchsten Werten für „{measure}“; Farbe: Art der "
        "Organisation.",
        "The {n} organisations with the highest values for “{measure}”; colour: kind of "
        "organisation.",
    ),
    "suggest_pagerank": W(
        "{first} und {second} sind die Knotenpunkte des Netzes: was dort ankommt, erreicht die "
        "meisten Akteure. Sie sind die ersten Adressen, um Scale-Up-Inhalte zu verbreiten.",
        "{first} and {second} are the hubs of the network: what reaches them reaches most "
        "actors. They are the first addresses for spreading Scale Up content.",
    ),
    "suggest_betweenness": W(
        "Über {first} und {second} laufen die meisten Kontakte zwischen sonst getrennten "
        "Gruppen. Sie eignen sich, um Organisationen einander vorzustellen; fielen sie aus, "
        "verlören diese Gruppen den Draht zueinander.",
        "Most contacts between otherwise separate groups run through {first} and {second}. "
        "They are well placed to introduce organisations to each other; without them those "
        "groups would lose touch.",
    ),
    "suggest_degree": W(
        "{first} hat mit {value} die meisten direkten Partner. {low} von {total} "
        "Organisationen haben höchstens zwei Verbindungen: dort kann das Netzwerk am meisten "
        "wachsen.",
        "{first} has the most direct partners ({value}). {low} of {total} organisations have "
        "two ties or fewer: that is where the network can grow most.",
    ),
    "communities": W("Gruppen im Netzwerk", "Communities in the network"),
    "community_name": W("Gruppe um {leader}", "group around {leader}"),
    "community_legend": W("{name} ({size})", "{name} ({size})"),
    "community_ties": W(
        "Linie: Verbindungen zwischen Gruppen (mit Anzahl)",
        "Line: ties between communities (with number)",
    ),
    "community_caption": W(
        "Die {n} größten Gruppen als Kreise (Fläche und Zahl: Mitglieder), am Kreis fett das "
        "zentralste Mitglied, das der Gruppe den Namen gibt, und die nächsten. Nicht gezeigt: "
        "{small} kleinere Gruppen und {isolated} Organisationen ohne Verbindung.",
        "The {n} largest communities as circles (area and number: members); beside each, in "
        "bold, the most central member, which names the community, and the next ones. Not "
        "shown: {small} smaller groups and {isolated} organisations without ties.",
    ),
    "col_members": W("Mitglieder", "members"),
    "col_main_region": W("Schwerpunktregion", "main region"),
    "col_topics": W("Häufigste Kompetenzen", "most common competences"),
    "suggest_communities": W(
        "{between} von {total} Verbindungen laufen zwischen den Gruppen, der Rest innerhalb. "
        "Veranstaltungen, die Mitglieder verschiedener Gruppen zusammenbringen, stärken das "
        "Netz dort, wo es am dünnsten ist.",
        "{between} of {total} ties run between communities, the rest within them. Events "
        "that bring members of different communities together strengthen the network where "
        "it is thinnest.",
    ),
    "brokers": W("Vermittler nach Regionen", "Brokers by region"),
    "brokers_caption": W(
        "Vermittlerrollen der Organisationen jeder Region als Anteile; am Balkenende die Zahl "
        "der Vermittlungen. Gruppen sind die Regionen der Beteiligten.",
        "Brokerage roles of each region's organisations as shares; at the end of each bar the "
        "number of brokered pairs. Groups are the regions of those involved.",
    ),
    "col_role": W("Rolle", "role"),
    "col_meaning": W("Bedeutung", "meaning"),
    "col_leading": W("Führende Organisationen", "leading organisations"),
    "suggest_brokers": W(
        "Die meisten Vermittlungen gibt es in {region} ({n}); die häufigste Rolle dort ist "
        "„{role}“. Regionen mit wenig Vermittlung hängen von Partnern außerhalb ab.",
        "Most brokerage happens in {region} ({n}); the most common role there is “{role}”. "
        "Regions with little brokerage depend on partners elsewhere.",
    ),
    "no_brokers": W(
        "Keine Vermittlerrollen: keiner Organisation ist eine Region zugeordnet.",
        "No brokerage roles: no organisation is located in a region.",
    ),
    "regions": W("Regionen und Partnerregionen", "Regions and partner regions"),
    "regions_intro": W(
        "Wie viele Verbindungen zwischen Organisationen aus zwei Regionen bestehen; auf der "
        "Diagonale die Verbindungen innerhalb einer Region.",
        "How many ties link organisations of two regions; on the diagonal the ties within a "
        "region.",
    ),
    "regions_caption": W(
        "Verbindungen zwischen Organisationen nach Region: die Kreise Nordhessens (NUTS 3), "
        "Nordhessen regionsweit und die Scale Up Partnerregionen. Je dunkler, desto mehr "
        "Verbindungen; leere Felder: keine.",
        "Ties between organisations by region: Nordhessen's districts (NUTS 3), Nordhessen as a "
        "whole and the Scale Up partner regions. The darker, the more ties; empty cells: none.",
    ),
    "rest_regions": W("Alle weiteren Regionen", "all further regions"),
    "home_wide": W("Nordhessen, regionsweit", "Nordhessen, region-wide"),
    "group_home": W("Nordhessen", "Nordhessen"),
    "group_partner": W("Scale Up Partnerregionen", "Scale Up partner regions"),
    "group_other": W("Übrige Regionen", "other regions"),
    "scale": W(
        "Zahl der Verbindungen (hell: wenige, dunkel: bis {max})",
        "number of ties (light: few, dark: up to {max})",
    ),
    "suggest_regions_carrier": W(
        "{n} dieser Verbindungen laufen über {name}: fällt dieser Kontakt weg, verliert "
        "Nordhessen den Draht zu den Partnern.",
        "{n} of these ties run through {name}: without this contact Nordhessen loses touch "
        "with the partners.",
    ),
    "col_community": W("Gruppe um", "group around"),
    "col_inside": W("Verbindungen innerhalb", "ties within"),
    "col_outside": W("Verbindungen nach außen", "ties outside"),
    "suggest_regions_partners": W(
        "Zwischen Nordhessen und den Partnerregionen bestehen {n} Verbindungen.",
        "There are {n} ties between Nordhessen and the partner regions.",
    ),
    "suggest_regions": W(
        "Am stärksten nach außen vernetzt ist {region} ({m} Verbindungen in andere Regionen).",
        "{region} has the most ties to other regions ({m}).",
    ),
    "suggest_regions_isolated": W(
        "{isolated} Regionen haben keine Verbindung in eine andere Region: dort fehlen Brücken.",
        "{isolated} regions have no tie to another region: bridges are missing there.",
    ),
    "topics": W("Themen im Zentrum", "Topics at the centre"),
    "topics_intro": W(
        "Themen sind keine Akteure. Hier zählt, wie viele Organisationen ein Thema als Kompetenz "
        "haben (Angebot) und wie viele Challenges es betreffen (Nachfrage).",
        "Topics are not actors. What counts here is how many organisations list a topic as a "
        "competence (supply) and how many challenges concern it (demand).",
    ),
    "topics_caption": W(
        "Die {n} Themen mit dem meisten Angebot und der meisten Nachfrage.",
        "The {n} topics with the most supply and demand.",
    ),
    "col_content": W("Beiträge, Projekte, Veranstaltungen", "content, projects, events"),
    "suggest_topics": W(
        "Die meiste Nachfrage je Anbieter haben {topics}: hier lohnt es, Anbieter zu suchen "
        "oder Challenges gezielt zu streuen.",
        "{topics} have the most demand per provider: worth finding providers or spreading "
        "these challenges widely.",
    ),
    "suggest_topics_none": W(
        "Keine Challenge betrifft ein Thema ohne Anbieter.",
        "No challenge concerns a topic without providers.",
    ),
    "risks": W("Risiken und Chancen", "Risks and opportunities"),
    "col_cut_off": W("Organisationen abgeschnitten", "organisations cut off"),
    "col_pieces": W("Teile danach", "pieces after"),
    "col_common": W("Gemeinsame Partner", "shared partners"),
    "col_shared_topics": W("Gemeinsame Themen", "shared topics"),
    "no_spof": W(
        "Kein einzelner Akteur hält das Netz zusammen.",
        "No single actor holds the network together.",
    ),
    "no_introductions": W(
        "Keine Vorschläge: keine zwei Organisationen teilen Partner.",
        "No suggestions: no two organisations share partners.",
    ),
    "suggest_spof": W(
        "{name} ist die einzige Verbindung für {n} Organisationen: eine zweite Verbindung "
        "für diese Organisationen macht das Netz robuster.",
        "{name} is the only link for {n} organisations: a second tie for them makes the "
        "network more robust.",
    ),
    "suggest_introductions": W(
        "{a} und {b} haben gemeinsame Partner, kennen sich aber noch nicht direkt: eine "
        "Vorstellung liegt nahe.",
        "{a} and {b} share partners but are not tied yet: an introduction suggests itself.",
    ),
    "changes": W("Veränderungen seit „{name}“", "Changes since “{name}”"),
    "changes_intro": W(
        "Verglichen mit dem Snapshot „{name}“ vom {date}: beide Stände als Netz der "
        "Organisationen, mit denselben Maßen wie in diesem Bericht.",
        "Compared with the snapshot “{name}” of {date}: both states as the network of "
        "organisations, with the same measures as in this report.",
    ),
    "ch_organisations": W("Organisationen im Netz", "organisations in the network"),
    "ch_ties": W(
        "Verbindungen zwischen Organisationen: neu / weggefallen",
        "ties between organisations: new / gone",
    ),
    "ch_new_ties": W("Neue Verbindungen (Auswahl)", "New ties (a selection)"),
    "ch_risers": W("Aufsteiger", "risers"),
    "ch_fallers": W("Absteiger", "fallers"),
    "ch_caption": W(
        "Größte Veränderungen der {measure} seit „{name}“: nach rechts gestiegen, nach links "
        "gefallen.",
        "Largest changes in {measure} since “{name}”: right risen, left fallen.",
    ),
    "ch_merged": W(
        "Die Gruppen um {sources} sind zur {target} zusammengewachsen ({size} Mitglieder).",
        "The groups around {sources} merged into the {target} ({size} members).",
    ),
    "ch_split": W(
        "Die {source} hat sich geteilt in: {targets}.", "The {source} split into: {targets}."
    ),
    "ch_no_community_change": W(
        "Keine Gruppe ist zusammengewachsen oder zerfallen.", "No community merged or split."
    ),
    "persons": W("Vernetzte Kontaktpersonen", "Well-connected contact persons"),
    "persons_intro": W(
        "Nur für Rollen, die personenbezogene Daten sehen dürfen (hier: {role}). Bitte nicht "
        "weitergeben.",
        "Only for roles allowed to see personal data (here: {role}). Do not forward.",
    ),
    "col_acquaintances": W("Bekannte im Netz", "acquaintances in the network"),
    "col_links": W("Verbindungen", "links"),
    "notes": W("Datenhinweise und Methode", "Data notes and method"),
    "notes_sources": W("Quellen und Lizenzen", "Sources and licences"),
    "col_source": W("Quelle", "source"),
    "col_nodes": W("Knoten", "nodes"),
    "col_synthetic": W("erfunden (synthetic: true)", "invented (synthetic: true)"),
    "col_licence": W("Lizenz und Nutzung", "licence and use"),
    "licence_nuts": W(
        "© Europäische Union (Eurostat); Weiterverwendung mit Quellenangabe",
        "© European Union (Eurostat); reuse with attribution",
    ),
    "licence_cordis": W("CC BY 4.0 (© Europäische Union)", "CC BY 4.0 (© European Union)"),
    "licence_synthetic": W(
        "erfunden für die Demo, keine realen Daten", "invented for the demo, no real data"
    ),
    "licence_other": W(
        "nur Fakten übernommen, Quelle genannt", "facts only, with the source named"
    ),
    "and": W("und", "and"),
    "no_topics": W(
        "Im gefilterten Netz hat keine Organisation ein Thema als Kompetenz und keine Challenge "
        "betrifft ein Thema; nehmen Sie Themen in den Filter auf (--label Topic).",
        "In the filtered network no organisation lists a topic as a competence and no challenge "
        "concerns one; keep topics in the filter (--label Topic).",
    ),
    "no_communities": W(
        "Keine Gruppe mit mindestens 3 Organisationen: das gefilterte Netz ist zu dünn.",
        "No community of 3 or more organisations: the filtered network is too sparse.",
    ),
    "no_regions": W(
        "Keiner Organisation ist eine Region zugeordnet (Beziehung „liegt in“).",
        "No organisation is located in a region (relationship “is located in”).",
    ),
    "yes": W("ja", "yes"),
    "no": W("nein", "no"),
    "source_unknown": W("(ohne Quellenangabe)", "(no source given)"),
    "notes_synthetic": W(
        "{orgs} von {orgs_total} Organisationen ({share}), {ties} von {ties_total} Verbindungen "
        "zwischen Organisationen und {nodes} von {nodes_total} Knoten insgesamt sind erfundene "
        "Demo-Daten (Eigenschaft synthetic: true).",
        "{orgs} of {orgs_total} organisations ({share}), {ties} of {ties_total} ties between "
        "organisations and {nodes} of {nodes_total} nodes overall are invented demo data "
        "(property synthetic: true).",
    ),
    "notes_licence": W(
        "Offene Daten behalten ihre Namensnennung:", "Open data keeps its attribution:"
    ),
    "notes_no_open_data": W(
        "Keine offenen Daten mit Lizenzpflicht im Bericht.",
        "No open data with an attribution duty in this report.",
    ),
    "notes_filters": W("Filter", "Filters"),
    "no_filter": W(
        "keine: das ganze Netz ohne Personen", "none: the whole network without persons"
    ),
    "filter_labels": W("Typen", "types"),
    "filter_rel_types": W("Beziehungen", "relationships"),
    "filter_region": W("Region", "region"),
    "filter_projects": W("Projekte", "projects"),
    "filter_since": W("ab", "from"),
    "filter_until": W("bis", "until"),
    "notes_crowded": W(
        "Projekte, Veranstaltungen und Programme mit mehr als {n} beteiligten Organisationen "
        "verbinden ihre Mitglieder nicht untereinander (so viele kennen sich nicht alle): {names}.",
        "Projects, events and programmes with more than {n} organisations taking part do not tie "
        "their members to each other (so many do not all know each other): {names}.",
    ),
    "notes_date": W(
        "Erstellt am {date} (UTC) aus {nodes} Knoten und {links} Verbindungen.",
        "Made on {date} (UTC) from {nodes} nodes and {links} links.",
    ),
    "notes_csv": W(
        "Genaue Werte aller Zahlen: {csv} (gleicher Ordner).",
        "Exact values of every number: {csv} (same folder).",
    ),
    "notes_method": W("Wie gerechnet wurde", "How it was computed"),
    "col_algorithm": W("Verfahren", "algorithm"),
    "col_backend": W("Bibliothek", "library"),
    "col_parameters": W("Parameter", "parameters"),
    "col_seed": W("Zufallsstart", "seed"),
    "col_seconds": W("Sekunden", "seconds"),
    "col_value": W("Wert", "value"),
    "col_measure": W("Maß", "measure"),
    "legend": W("Legende", "Legend"),
}


def report_text(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """One heading or sentence of the analyst report, with ``values`` filled in.

    >>> report_text("community_name", leader="IHK Kassel-Marburg")
    'Gruppe um IHK Kassel-Marburg'
    """
    text = REPORT[key](lang)
    return text.format(**values) if values else text
