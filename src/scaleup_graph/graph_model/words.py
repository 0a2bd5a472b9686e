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
