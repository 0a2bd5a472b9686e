"""The explorer's own UI texts in German (default, this is a German agency) and English.

Node and relationship names come from ``graph_model.words``; everything else the page shows
is here, so a translation is one dictionary entry and a test can check both languages are complete.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["DEFAULT_LANG", "LANGS", "TEXTS", "plural", "text"]

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
        "no_community": "ohne Community",
        "by_shape": "Form:",
        "size_by": "Größe nach",
        "size_none": "– gleich –",
        "legend": "Legende",
        "legend_hint": "Was Größe und Linien bedeuten: zeigen oder ausblenden",
        "title_short": "ScaleUp Graph",
        "side_toggle": "Details",
        "side_toggle_hint": "Seitenleiste (Details, Wege, Perspektiven) zeigen oder ausblenden",
        # the filter bar's short words in a small window (the long ones stay for screen readers)
        "only_matches_short": "nur Treffer",
        "colour_short": "Farbe",
        "size_short": "Größe",
        "png_short": "PNG",
        "copy_link_short": "Link",
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
        "start_hint": "Start: {name} mit direkten Nachbarn – "
        "„Übersicht“ zeigt alle {total} Knoten.",
        "aggregate_hint": "Große Ansicht: Gruppen werden als Sammelknoten gezeigt; "
        "Klick öffnet eine Gruppe.",
        "group": "Gruppe",
        "members": "Mitglieder",
        "err_unknown_node": "Diesen Knoten gibt es nicht (mehr)",
        "err_hops": "Die Schrittzahl muss zwischen 1 und {max} liegen.",
        "err_filter_empty": "Kein Knoten passt zu den gewählten Filtern.",
        "err_slow": "Die Datenbank antwortet gerade zu langsam. Bitte Auswahl verkleinern "
        "oder später erneut versuchen.",
        "err_unavailable": "Die Datenbank ist nicht erreichbar. Bitte später erneut versuchen.",
        "err_key": "Der API-Schlüssel wurde nicht akzeptiert.",
        "err_forbidden": "Diese Rolle darf das nicht sehen.",
        "err_network": "Der Server antwortet nicht.",
        "err_bad_request": "Ungültige Eingabe: {detail}",
        "err_server": "{message}",
        "err_unknown_group": "Diese Gruppe gibt es in der Ansicht nicht.",
        "empty_graph": "Die Datenbank enthält noch keine Knoten.",
        "truncated": "Es werden {shown} von {total} Knoten gezeigt.",
        "bounded_hubs": "Ab Schritt {hop} gekürzt: {hubs} {hubs|Knotenpunkt|Knotenpunkte} "
        "(Regionen, Themen, sehr große Knoten) gezeigt, nicht weiter verfolgt – mehr über "
        "„Alle Nachbarn zeigen“.",
        "bounded": "Ab Schritt {hop} gekürzt: {left_out} Knoten nicht gezeigt, {hubs} "
        "{hubs|Knotenpunkt|Knotenpunkte} nicht weiter verfolgt – mehr über „Alle Nachbarn zeigen“.",
        "expanded": "{n} {n|neuer Nachbar|neue Nachbarn}",
        "nothing_to_expand": "Keine weiteren Nachbarn.",
        "offline": "Offline-Export",
        "offline_no_expand": "Im Offline-Export sind nur die exportierten Knoten enthalten.",
        "personal_hidden": "Personenbezogene Daten sind für diese Rolle ausgeblendet.",
        "language": "English",
        # workflows (issue 6): challenge, programme and lineage panel
        "wf_challenge": "Challenge-Runde",
        "wf_status": "Status",
        "wf_history": "Verlauf",
        "wf_next": "Mögliche nächste Schritte",
        "wf_none": "keine",
        "wf_posed_by": "Gestellt von",
        "wf_proposals": "Lösungsvorschläge",
        "wf_no_proposals": "Noch keine Lösungsvorschläge.",
        "wf_matches": "Vorgeschlagene Lösungsanbieter",
        "wf_no_matches": "Keine passenden Anbieter gefunden.",
        "wf_programme": "Pitch-Programm",
        "wf_no_pitches": "Bei dieser Veranstaltung wurde nichts gepitcht.",
        "wf_lineage": "Herkunft und Transfer",
        "wf_presented": "Präsentiert von",
        "wf_transferred": "Übertragen nach",
        "wf_inspired": "Hat inspiriert",
        "wf_modelled": "Vorbild",
        "wf_error": "Konnte nicht geladen werden: {detail}",
        "wf_st_draft": "Entwurf",
        "wf_st_published": "veröffentlicht",
        "wf_st_pitched": "gepitcht",
        "wf_st_solved": "gelöst",
        "wf_st_closed": "geschlossen",
        # /workflows
        # explorer for stakeholders (issue 12)
        "yes": "ja",
        "no": "nein",
        "rank_of": "Platz {place} von {total}",
        "group_links": "{n} {n|Verbindung|Verbindungen}",
        "group_around": "{a}, {b} u. a.",
        "group_other": "Weitere",
        "group_page": "Mitglieder {first}–{last} von {total}",
        "page_next": "Weitere Mitglieder →",
        "page_prev": "← Vorherige",
        "facts": "Steckbrief",
        "measures": "Kennzahlen",
        "origin": "Herkunft",
        "not_in_export": "{n} {n|weitere Verbindung ist|weitere Verbindungen sind} nicht in diesem "
        "Export.",
        "key_what": "Ein API-Schlüssel ist ein persönliches Kennwort für den Netzwerk-Explorer. "
        "Er legt fest, was Sie sehen dürfen, etwa ob Kontaktdaten von Personen angezeigt werden.",
        "key_who": "Einen Schlüssel erhalten Sie beim Regionalmanagement Nordhessen, das "
        "ScaleUp Graph betreut (Ansprechpartner: die Administration von ScaleUp Graph).",
        "key_cancel": "Abbrechen",
        "sign_in": "Anmelden",
        "signed_out": "Sie sind nicht angemeldet. Mit „Anmelden“ geben Sie Ihren Schlüssel ein.",
        "access": "Zugang",
        "role_viewer": "Lesen",
        "role_contacts": "Lesen mit Kontaktdaten",
        "role_analyst": "Analyse",
        "role_editor": "Bearbeiten",
        "role_admin": "Verwaltung",
        "only_matches": "nur Treffer zeigen",
        "matches": "{n} von {total} Knoten {n|passt|passen}",
        "no_match": "Kein Knoten passt zu den gewählten Filtern. Das Bild bleibt unverändert.",
        "clear_filters": "Filter aufheben",
        "expand_all": "Alle Nachbarn zeigen",
        "expand_by": "Nachbarn zeigen",
        "hide": "Ausblenden",
        "focus_here": "In die Mitte stellen",
        "undo": "Rückgängig",
        "redo": "Wiederholen",
        "hidden_n": "{n} ausgeblendet",
        "show_hidden": "Ausgeblendete zeigen",
        "path_title": "Wer kann mich vorstellen?",
        "path_from": "Von",
        "path_to": "Zu",
        "path_find": "Wege suchen",
        "path_none": "Kein Weg über höchstens 4 Schritte gefunden.",
        "path_via": "über",
        "path_direct": "direkt verbunden",
        "path_pick": "Organisation suchen …",
        "path_offline": "Die Wegsuche braucht die Verbindung zum Server.",
        "views_offline": "Perspektiven speichern geht nur im Live-Explorer – hier hält „Link "
        "kopieren“ die Ansicht fest.",
        "views_none_offline": "Gespeicherte Perspektiven gibt es nur im Live-Explorer.",
        "path_offline_scope": "Offline-Export: Wege nur über die {n} Knoten dieses Exports; "
        "Wege über nicht exportierte Knoten findet nur der Live-Explorer.",
        "path_none_offline": "Kein Weg über höchstens 4 Schritte innerhalb dieses Exports. "
        "Über Knoten, die nicht im Export sind, kann es Wege geben: im Live-Explorer suchen.",
        "path_pick_both": "Bitte zwei Akteure wählen: „Von“ und „Zu“.",
        "path_found": "{n} {n|Weg|Wege} von {from} zu {to}. Ein Klick auf einen Weg hebt ihn im "
        "Bild hervor.",
        "path_n": "Weg {n}",
        "path_steps": "{n} {n|Schritt|Schritte}",
        "path_linked": "ist verbunden mit",
        "path_back": "← Zurück zur vorigen Ansicht",
        "path_to_start": "← Zum Ausgangspunkt",
        "views_title": "Perspektiven",
        "view_save": "Ansicht speichern",
        "view_name": "Name der Perspektive",
        "view_saved": "Perspektive „{name}“ gespeichert.",
        "views_none": "Noch keine gespeicherten Perspektiven.",
        "view_rename": "Umbenennen",
        "view_delete": "Löschen",
        "view_rename_save": "Namen speichern",
        "view_cancel": "Abbrechen",
        "view_delete_ask": "„{name}“ für alle löschen?",
        "view_delete_yes": "Ja, löschen",
        "view_renamed": "Die Perspektive heißt jetzt „{name}“.",
        "view_deleted": "Perspektive „{name}“ gelöscht.",
        "view_mine": "Ihre",
        "view_not_yours": "Ändern darf nur, wer die Perspektive gespeichert hat, die Redaktion "
        "oder die Verwaltung.",
        "png": "Bild speichern (PNG)",
        "size_meaning": "Größe: {metric}",
        "size_equal": "Alle Knoten gleich groß.",
        "size_ego": "Größe: die Mitte am größten, direkte Nachbarn mittel, weitere klein.",
        "size_path": "Größe: Start und Ziel groß, Vermittler mittel. Blau und dick: der gewählte "
        "Weg, jede Linie mit ihrer Bedeutung.",
        "legend_links": "Linien: Beziehungen; beim Zeigen steht ihre Bedeutung.",
        "copy_link": "Link kopieren",
        "link_copied": "Link kopiert. Wer einen Schlüssel hat, sieht damit dieselbe Ansicht.",
        "menu": "Aktionen",
        "degree_n": "{n} {n|Verbindung|Verbindungen}",
        # /issue 12
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
        "no_community": "no community",
        "by_shape": "Shape:",
        "size_by": "Size by",
        "size_none": "– equal –",
        "legend": "Legend",
        "legend_hint": "What sizes and lines mean: show or hide",
        "title_short": "ScaleUp Graph",
        "side_toggle": "Details",
        "side_toggle_hint": "Side panel (details, paths, perspectives): show or hide",
        "only_matches_short": "matches only",
        "colour_short": "Colour",
        "size_short": "Size",
        "png_short": "PNG",
        "copy_link_short": "Link",
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
        "start_hint": "Start: {name} with its direct neighbours – "
        "“Overview” shows all {total} nodes.",
        "aggregate_hint": "Large view: groups are shown as aggregate nodes; click one to open it.",
        "group": "Group",
        "members": "Members",
        "err_unknown_node": "This node does not exist (any more)",
        "err_hops": "Hops must be between 1 and {max}.",
        "err_filter_empty": "No node matches the chosen filters.",
        "err_slow": "The database is answering too slowly. Narrow the view or try again later.",
        "err_unavailable": "The database cannot be reached. Please try again later.",
        "err_key": "The API key was not accepted.",
        "err_forbidden": "This role may not see that.",
        "err_network": "The server does not answer.",
        "err_bad_request": "Invalid input: {detail}",
        "err_server": "{message}",
        "err_unknown_group": "This group is not part of the view.",
        "empty_graph": "The database holds no nodes yet.",
        "truncated": "Showing {shown} of {total} {total|node|nodes}.",
        "bounded_hubs": "Cut from step {hop} on: {hubs} {hubs|hub|hubs} (regions, topics, very "
        "large nodes) shown, not walked through – more via “Show all neighbours”.",
        "bounded": "Cut from step {hop} on: {left_out} {left_out|node|nodes} not shown, {hubs} "
        "{hubs|hub|hubs} not "
        "walked through – more via “Show all neighbours”.",
        "expanded": "{n} new {n|neighbour|neighbours}",
        "nothing_to_expand": "No further neighbours.",
        "offline": "Offline export",
        "offline_no_expand": "The offline export holds only the exported nodes.",
        "personal_hidden": "Personal data is hidden for this role.",
        "language": "Deutsch",
        # workflows (issue 6): challenge, programme and lineage panel
        "wf_challenge": "Challenge round",
        "wf_status": "Status",
        "wf_history": "History",
        "wf_next": "Possible next steps",
        "wf_none": "none",
        "wf_posed_by": "Posed by",
        "wf_proposals": "Proposals",
        "wf_no_proposals": "No proposals yet.",
        "wf_matches": "Suggested solution providers",
        "wf_no_matches": "No matching providers found.",
        "wf_programme": "Pitch programme",
        "wf_no_pitches": "Nothing was pitched at this event.",
        "wf_lineage": "Lineage",
        "wf_presented": "Presented by",
        "wf_transferred": "Transferred to",
        "wf_inspired": "Inspired",
        "wf_modelled": "Modelled on",
        "wf_error": "Could not be loaded: {detail}",
        "wf_st_draft": "draft",
        "wf_st_published": "published",
        "wf_st_pitched": "pitched",
        "wf_st_solved": "solved",
        "wf_st_closed": "closed",
        # /workflows
        # explorer for stakeholders (issue 12)
        "yes": "yes",
        "no": "no",
        "rank_of": "rank {place} of {total}",
        "group_links": "{n} {n|link|links}",
        "group_around": "{a}, {b} and others",
        "group_other": "Others",
        "group_page": "Members {first}–{last} of {total}",
        "page_next": "More members →",
        "page_prev": "← Previous",
        "facts": "Profile",
        "measures": "Measures",
        "origin": "Provenance",
        "not_in_export": "{n} more {n|link is|links are} not in this export.",
        "key_what": "An API key is a personal password for the network explorer. It decides "
        "what you may see, for example whether contact details of persons are shown.",
        "key_who": "Ask Regionalmanagement Nordhessen, who run ScaleUp Graph, for a key "
        "(contact: the ScaleUp Graph administration).",
        "key_cancel": "Cancel",
        "sign_in": "Sign in",
        "signed_out": "You are not signed in. Use “Sign in” to enter your key.",
        "access": "Access",
        "role_viewer": "read",
        "role_contacts": "read with contact details",
        "role_analyst": "analysis",
        "role_editor": "edit",
        "role_admin": "administration",
        "only_matches": "show matches only",
        "matches": "{n} of {total} {total|node|nodes} {n|matches|match}",
        "no_match": "No node matches the chosen filters. The picture stays as it was.",
        "clear_filters": "Clear filters",
        "expand_all": "Show all neighbours",
        "expand_by": "Show neighbours",
        "hide": "Hide",
        "focus_here": "Put in the middle",
        "undo": "Undo",
        "redo": "Redo",
        "hidden_n": "{n} hidden",
        "show_hidden": "Show hidden",
        "path_title": "Who can introduce me?",
        "path_from": "From",
        "path_to": "To",
        "path_find": "Find paths",
        "path_none": "No path of at most 4 steps found.",
        "path_via": "via",
        "path_direct": "directly linked",
        "path_pick": "Search an organisation …",
        "path_offline": "Finding paths needs the server.",
        "views_offline": "Perspectives are saved only in the live explorer – here “Copy link” "
        "keeps the view.",
        "views_none_offline": "Saved perspectives exist only in the live explorer.",
        "path_offline_scope": "Offline export: paths only through the {n} {n|node|nodes} of this "
        "export; paths through nodes it left out are found only in the live explorer.",
        "path_none_offline": "No path of at most 4 steps within this export. There may be "
        "paths through nodes the export left out: search in the live explorer.",
        "path_pick_both": "Please choose two actors: “From” and “To”.",
        "path_found": "{n} {n|path|paths} from {from} to {to}. Click a path to highlight it in the "
        "picture.",
        "path_n": "Path {n}",
        "path_steps": "{n} {n|step|steps}",
        "path_linked": "is linked to",
        "path_back": "← Back to the previous view",
        "path_to_start": "← To the starting point",
        "views_title": "Perspectives",
        "view_save": "Save view",
        "view_name": "Name of the perspective",
        "view_saved": "Perspective “{name}” saved.",
        "views_none": "No saved perspectives yet.",
        "view_rename": "Rename",
        "view_delete": "Delete",
        "view_rename_save": "Save name",
        "view_cancel": "Cancel",
        "view_delete_ask": "Delete “{name}” for everyone?",
        "view_delete_yes": "Yes, delete",
        "view_renamed": "The perspective is now called “{name}”.",
        "view_deleted": "Perspective “{name}” deleted.",
        "view_mine": "yours",
        "view_not_yours": "Only the key that saved the perspective, editors and admins may change "
        "it.",
        "png": "Save picture (PNG)",
        "size_meaning": "Size: {metric}",
        "size_equal": "All nodes the same size.",
        "size_ego": "Size: the focus largest, direct neighbours medium, others small.",
        "size_path": "Size: start and goal large, intermediaries medium. Thick and blue: the "
        "chosen path, each link with its meaning.",
        "legend_links": "Lines: relationships; pointing at one shows its meaning.",
        "copy_link": "Copy link",
        "link_copied": "Link copied. Anyone with a key sees the same view with it.",
        "menu": "Actions",
        "degree_n": "{n} {n|link|links}",
        # /issue 12
    },
}


#: ``{n|one|other}``: the word for one or for any other count of the value ``n`` (the page's
#: explorer.js reads the same form)
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def plural(template: str, values: Mapping[str, object]) -> str:
    """``template`` with every ``{name|one|other}`` replaced by the form for ``values[name]``.

    >>> plural("{n} {n|Verbindung|Verbindungen}", {"n": 1})
    '{n} Verbindung'
    """

    def form(m: re.Match[str]) -> str:
        count = values.get(m.group(1))
        return m.group(2) if count == 1 or count == "1" else m.group(3)

    return _PLURAL.sub(form, template)


def text(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """One UI text in ``lang`` (falling back to German) with ``{placeholders}`` filled and the
    singular or plural chosen by the count (``{n|one|other}``).

    >>> text("err_hops", "en", max=3)
    'Hops must be between 1 and 3.'
    >>> text("not_in_export", "de", n=1)
    '1 weitere Verbindung ist nicht in diesem Export.'
    >>> text("not_in_export", "en", n=5)
    '5 more links are not in this export.'
    """
    table = TEXTS.get(lang, TEXTS[DEFAULT_LANG])
    return plural(table.get(key, TEXTS[DEFAULT_LANG][key]), values).format(**values)
