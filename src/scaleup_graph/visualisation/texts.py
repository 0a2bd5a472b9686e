"""The explorer's own UI texts in German (default, this is a German agency) and English.

Node and relationship names come from the schema (``label_de``); everything else the page shows
is here, so a translation is one dictionary entry and a test can check both languages are complete.
"""

from __future__ import annotations

__all__ = ["DEFAULT_LANG", "LANGS", "TEXTS", "text"]

DEFAULT_LANG = "de"
LANGS = ("de", "en")

TEXTS: dict[str, dict[str, str]] = {
    "de": {
        "title": "ScaleUp Graph – Netzwerk-Explorer",
        "search": "Suche nach Namen …",
        "hops": "Schritte",
        "filters": "Filter",
        "all_labels": "Alle Typen",
        "topic": "Thema",
        "region": "Region",
        "project": "Projekt",
        "any": "– alle –",
        "colour_by": "Farbe nach",
        "by_label": "Typ",
        "by_community": "Community",
        "size_by": "Größe nach",
        "size_none": "– gleich –",
        "legend": "Legende",
        "details": "Details",
        "links": "Verbindungen",
        "overview": "Übersicht",
        "back": "Zurück zur Übersicht",
        "key_prompt": "API-Schlüssel eingeben",
        "key_hint": "Der Schlüssel bleibt nur für diese Sitzung im Browser.",
        "key_submit": "Anmelden",
        "logout": "Abmelden",
        "role": "Rolle",
        "loading": "Lädt …",
        "no_hits": "Keine Treffer",
        "select_hint": "Knoten anklicken für Details, Doppelklick klappt Nachbarn auf.",
        "aggregate_hint": "Große Ansicht: Gruppen werden als Sammelknoten gezeigt; "
        "Klick öffnet eine Gruppe.",
        "group": "Gruppe",
        "members": "Mitglieder",
        "err_unknown_node": "Diesen Knoten gibt es nicht (mehr): {id}",
        "err_hops": "Die Schrittzahl muss zwischen 1 und {max} liegen.",
        "err_filter_empty": "Kein Knoten passt zu den gewählten Filtern.",
        "err_slow": "Die Datenbank antwortet gerade zu langsam. Bitte Auswahl verkleinern "
        "oder später erneut versuchen.",
        "err_unavailable": "Die Datenbank ist nicht erreichbar. Bitte später erneut versuchen.",
        "err_key": "Der API-Schlüssel wurde nicht akzeptiert.",
        "err_forbidden": "Diese Rolle darf das nicht sehen.",
        "err_network": "Der Server antwortet nicht.",
        "err_bad_request": "Ungültige Eingabe: {detail}",
        "err_unknown_group": "Diese Gruppe gibt es in der Ansicht nicht.",
        "empty_graph": "Die Datenbank enthält noch keine Knoten.",
        "truncated": "Es werden {shown} von {total} Knoten gezeigt.",
        "expanded": "{n} neue Nachbarn",
        "nothing_to_expand": "Keine weiteren Nachbarn.",
        "offline": "Offline-Export",
        "offline_no_expand": "Im Offline-Export sind nur die exportierten Knoten enthalten.",
        "personal_hidden": "Personenbezogene Daten sind für diese Rolle ausgeblendet.",
        "language": "English",
    },
    "en": {
        "title": "ScaleUp Graph – network explorer",
        "search": "Search by name …",
        "hops": "Hops",
        "filters": "Filters",
        "all_labels": "All types",
        "topic": "Topic",
        "region": "Region",
        "project": "Project",
        "any": "– any –",
        "colour_by": "Colour by",
        "by_label": "Type",
        "by_community": "Community",
        "size_by": "Size by",
        "size_none": "– equal –",
        "legend": "Legend",
        "details": "Details",
        "links": "Links",
        "overview": "Overview",
        "back": "Back to overview",
        "key_prompt": "Enter your API key",
        "key_hint": "The key stays in this browser for this session only.",
        "key_submit": "Sign in",
        "logout": "Sign out",
        "role": "Role",
        "loading": "Loading …",
        "no_hits": "No matches",
        "select_hint": "Click a node for details, double-click to expand its neighbours.",
        "aggregate_hint": "Large view: groups are shown as aggregate nodes; click one to open it.",
        "group": "Group",
        "members": "Members",
        "err_unknown_node": "This node does not exist (any more): {id}",
        "err_hops": "Hops must be between 1 and {max}.",
        "err_filter_empty": "No node matches the chosen filters.",
        "err_slow": "The database is answering too slowly. Narrow the view or try again later.",
        "err_unavailable": "The database cannot be reached. Please try again later.",
        "err_key": "The API key was not accepted.",
        "err_forbidden": "This role may not see that.",
        "err_network": "The server does not answer.",
        "err_bad_request": "Invalid input: {detail}",
        "err_unknown_group": "This group is not part of the view.",
        "empty_graph": "The database holds no nodes yet.",
        "truncated": "Showing {shown} of {total} nodes.",
        "expanded": "{n} new neighbours",
        "nothing_to_expand": "No further neighbours.",
        "offline": "Offline export",
        "offline_no_expand": "The offline export holds only the exported nodes.",
        "personal_hidden": "Personal data is hidden for this role.",
        "language": "Deutsch",
    },
}


def text(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """One UI text in ``lang`` (falling back to German) with ``{placeholders}`` filled.

    >>> text("err_hops", "en", max=3)
    'Hops must be between 1 and 3.'
    """
    table = TEXTS.get(lang, TEXTS[DEFAULT_LANG])
    return table.get(key, TEXTS[DEFAULT_LANG][key]).format(**values)
