"""Field messages in German and English: what is wrong with a value and what to do.

Validation (:mod:`.validation`) and the editors' writes name each problem by a stable ``code``
with ``params``; this table turns the pair into a sentence in the reader's language. The English
sentence is the one ingest's reject reports have always written; the German one is what the
editor's page shows next to the field. Parameters are schema facts (a length, the allowed
choices, a field name), never the value sent: that may be someone's e-mail.

>>> field_message("too_long", "de", max=2, length=3)
'Zu lang: höchstens 2 Zeichen erlaubt (jetzt 3). Bitte kürzen.'
>>> field_message("too_long", "en", max=2, length=3)
'longer than 2 characters (3)'
>>> field_message("not_choice", "de", property="status", choices=["draft", "published"])
'Bitte einen der vorgesehenen Werte wählen: Entwurf, veröffentlicht.'
>>> field_message("no_such_code", "de")
'Dieser Wert passt nicht. Bitte prüfen.'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from scaleup_graph.errors import ScaleUpError
from scaleup_graph.graph_model.words import DEFAULT_LANG, W, choice_name, label_name

__all__ = [
    "MESSAGES",
    "REFUSALS",
    "field_message",
    "refusal_message",
    "refused",
    "summary_message",
]

#: code -> the sentence in both languages, with ``{name}`` parameters.
MESSAGES: dict[str, W] = {
    "required": W(
        "Pflichtfeld: bitte ausfüllen.",
        "is required but empty",
    ),
    "too_long": W(
        "Zu lang: höchstens {max} Zeichen erlaubt (jetzt {length}). Bitte kürzen.",
        "longer than {max} characters ({length})",
    ),
    "nul_byte": W(
        "Enthält ein unzulässiges Steuerzeichen (NUL). Bitte den Text neu eintippen.",
        "contains a NUL byte",
    ),
    "not_text": W(
        "Hier gehört Text hin, keine Liste und kein Ja/Nein.",
        "expected text, got {got}",
    ),
    "not_email": W(
        "Keine gültige E-Mail-Adresse. Bitte so schreiben: name@beispiel.de",
        "is not an e-mail address (expected name@domain.tld)",
    ),
    "not_phone": W(
        "Keine Telefonnummer. Erlaubt sind Ziffern, Leerzeichen und + ( ) / . -, "
        "z. B. +49 561 123456",
        "is not a phone number (digits, spaces, + ( ) / . - only)",
    ),
    "not_url": W(
        "Keine Web-Adresse. Bitte mit http:// oder https:// beginnen, "
        "z. B. https://www.beispiel.de",
        "is not a web address (expected http:// or https://...)",
    ),
    "not_choice": W(
        "Bitte einen der vorgesehenen Werte wählen: {choices}.",
        "must be one of: {choices}",
    ),
    "list_not_choice": W(
        "{bad} ist nicht vorgesehen. Bitte aus diesen Werten wählen: {choices}.",
        "{bad} not allowed; use: {choices}",
    ),
    "list_item_bad": W(
        "Ein Eintrag der Liste ist zu lang (höchstens {max} Zeichen) oder enthält ein "
        "Steuerzeichen. Bitte kürzen.",
        "has an item that is too long or holds a NUL byte",
    ),
    "not_integer": W(
        "Keine ganze Zahl. Bitte nur Ziffern eingeben, z. B. 2.",
        "is not a whole number",
    ),
    "integer_not_bool": W(
        "Hier gehört eine ganze Zahl hin, kein Ja/Nein.",
        "expected a whole number, got true/false",
    ),
    "not_number": W(
        "Keine Zahl. Bitte eine Zahl eingeben, z. B. 1234,5.",
        "is not a number",
    ),
    "number_not_bool": W(
        "Hier gehört eine Zahl hin, kein Ja/Nein.",
        "expected a number, got true/false",
    ),
    "not_finite": W(
        "Keine endliche Zahl. Bitte eine gewöhnliche Zahl eingeben.",
        "is not a finite number",
    ),
    "not_bool": W(
        "Bitte Ja oder Nein angeben (ja/nein, true/false, 1/0).",
        "expected yes/no (true/false, ja/nein, 1/0)",
    ),
    "not_date": W(
        "Kein gültiges Datum. Bitte als TT.MM.JJJJ oder JJJJ-MM-TT eingeben, z. B. 22.09.2022.",
        "is not a date (YYYY-MM-DD or DD.MM.YYYY)",
    ),
    "not_datetime": W(
        "Kein gültiger Zeitpunkt. Bitte als JJJJ-MM-TTTHH:MM:SS eingeben.",
        "is not an ISO timestamp (YYYY-MM-DDTHH:MM:SS)",
    ),
    "unknown_property": W(
        "Dieses Feld gibt es bei „{label}“ nicht. Bitte weglassen.",
        "{label} has no property {property!r}",
    ),
    "metric_property": W(
        "Kennzahlen (metric_*) schreibt die Netzwerkanalyse, nicht ein Formular. Bitte weglassen.",
        "metric_* properties are written by analytics, not ingest",
    ),
    "unknown_parameter": W(
        "Dieses Feld gibt es hier nicht. Bitte weglassen.",
        "is not a field of this request; leave it out",
    ),
    "system_field": W(
        "Wird vom System gesetzt und kann nicht bearbeitet werden. Bitte weglassen.",
        "is set by the system and cannot be edited",
    ),
    "workflow_field": W(
        "Wird durch die Schritte der Challenge gesetzt (veröffentlichen, pitchen, lösen, "
        "schließen). Bitte dort ändern.",
        "is {reason}; use those steps",
    ),
    "version_inside": W(
        "Die Version gehört neben die Felder, nicht in sie.",
        "goes beside the properties, not inside them",
    ),
    "exists": W(
        "Einen Eintrag mit diesem Namen gibt es schon. Bitte diesen öffnen und dort bearbeiten, "
        "oder einen anderen Namen wählen.",
        "exists already: open that node and edit it",
    ),
    "no_such_end": W(
        "Bitte einen vorhandenen Eintrag wählen ({labels}): den Namen tippen und aus der Liste "
        "auswählen.",
        "pick a {labels} that exists",
    ),
    "self_link": W(
        "Ein Eintrag kann nicht mit sich selbst verbunden werden. Bitte einen anderen wählen.",
        "pick another node",
    ),
}

_UNKNOWN = W("Dieser Wert passt nicht. Bitte prüfen.", "is not valid here; check it")

#: German sentences for refused writes as a whole (``code`` -> words with ``{name}`` parameters):
#: the English message is the raiser's own (it may name ids); the German one says the same in
#: the editor page's words. Parameters are counts, versions and choices, never a value sent.
REFUSALS: dict[str, str] = {
    "stale_version": (
        "Jemand anderes hat diesen Eintrag inzwischen geändert (Sie haben Fassung {sent} "
        "bearbeitet, jetzt gilt Fassung {now}). Nichts wurde gespeichert: bitte mit den "
        "aktuellen Werten vergleichen und die Änderung noch einmal senden."
    ),
    "confirm_required": (
        "Mit diesem Eintrag würden {total} Verbindung(en) gelöscht. Bitte bestätigen, um alles "
        "zu löschen."
    ),
    "not_your_change": (
        "Die letzte Änderung an diesem Eintrag stammt von einem anderen Zugang. „Rückgängig“ "
        "nimmt nur Ihre eigene letzte Änderung zurück: bitte den Eintrag stattdessen bearbeiten."
    ),
    "nothing_to_undo": "An diesem Eintrag gibt es keine Änderung von Ihnen, die sich "
    "zurücknehmen lässt.",
    "changed_since": (
        "Dieser Eintrag wurde nach Ihrer Änderung noch einmal geändert (durch einen Import oder "
        "einen Arbeitsschritt); „Rückgängig“ würde das überschreiben. Bitte die Felder von Hand "
        "ändern."
    ),
    "step_not_allowed": (
        "Die Challenge ist „{current}“ und kann nicht zu „{to}“ wechseln. Mögliche nächste "
        "Schritte: {options}."
    ),
    "proposals_closed": (
        "Die Challenge ist „{status}“: Lösungsvorschläge sind nur möglich, solange sie "
        "veröffentlicht ist."
    ),
    "own_challenge": "Eine Organisation kann keine Lösung für ihre eigene Challenge vorschlagen.",
    "already_proposed": (
        "Diese Organisation hat für diese Challenge schon eine Lösung vorgeschlagen (eine je "
        "Organisation und Challenge)."
    ),
    "event_required": (
        "Bitte die Pitch-Veranstaltung wählen, bei der die Challenge vorgestellt wird."
    ),
    "date_before_step": (
        "Das Datum liegt vor dem letzten Schritt der Challenge ({latest}). Die Schritte werden "
        "in ihrer Reihenfolge festgehalten: bitte ein späteres Datum wählen."
    ),
    "date_before_published": (
        "Das Datum liegt vor der Veröffentlichung der Challenge. Bitte ein späteres Datum wählen."
    ),
    "changed_meanwhile": (
        "Die Challenge wurde während dieser Anfrage geändert. Bitte neu laden und noch einmal "
        "versuchen."
    ),
}


def refusal_message(code: str, lang: str, english: str, **params: Any) -> str:
    """A refused write's sentence in ``lang``: the German from :data:`REFUSALS` (statuses named
    in the reader's words), else the raiser's ``english`` message.

    >>> german = refusal_message("step_not_allowed", "de", "...", current="draft", to="solved",
    ...                          options=["published", "closed"])
    >>> german.split(". ")
    ['Die Challenge ist „Entwurf“ und kann nicht zu „gelöst“ wechseln', \
'Mögliche nächste Schritte: veröffentlicht, geschlossen.']
    >>> refusal_message("step_not_allowed", "en", "challenge x is 'draft' ...")
    "challenge x is 'draft' ..."
    """
    words = REFUSALS.get(code)
    if lang == "en" or words is None:
        return english
    values = dict(params)
    for key in ("current", "to", "status"):
        if key in values:
            values[key] = choice_name("status", str(values[key]), lang)
    if isinstance(values.get("options"), list | tuple):
        values["options"] = _choices("status", values["options"], lang) or "keine"
    try:
        return words.format(**values)
    except (KeyError, IndexError, ValueError):
        return english


def refused[E: ScaleUpError](
    kind: type[E],
    message: str,
    words: str,
    field: str | None = None,
    *,
    code: str | None = None,
    details: Mapping[str, Any] | None = None,
    **params: Any,
) -> E:
    """The one way to make a refused write that explains itself in the reader's language.

    An error of ``kind`` whose message is ``message`` (English, the raiser's own: it may name
    ids) and whose German is :data:`REFUSALS` ``[words]`` filled with ``params`` (counts,
    versions, statuses; never a value sent), through :meth:`ScaleUpError.in_language`. ``code``
    is the error's machine code, the kind's own when not given (the challenge steps keep
    ``conflict`` for their clients; the editors name it after the refusal, ``stale_version``);
    ``details`` go into the error body as they are.

    >>> from scaleup_graph.errors import Conflict
    >>> error = refused(Conflict, "challenge c is 'published'", "proposals_closed",
    ...                 "challenge", status="published")
    >>> error.code, error.field, error.message
    ('conflict', 'challenge', "challenge c is 'published'")
    >>> error.in_language("de")
    'Die Challenge ist „veröffentlicht“: Lösungsvorschläge sind nur möglich, solange sie \
veröffentlicht ist.'
    """
    translate = partial(refusal_message, words, english=message, **params)
    return kind(message, field, code=code, translate=translate, **(details or {}))


def _choices(prop: str, values: Sequence[str], lang: str) -> str:
    return ", ".join(choice_name(prop, str(v), lang) if prop else str(v) for v in values)


def field_message(code: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The sentence for a field problem ``code`` in ``lang`` (``de`` or ``en``).

    Choices are named in the reader's words (German "Entwurf" for ``draft``); ``label`` is the
    schema label, named in the reader's words too.
    """
    words = MESSAGES.get(code, _UNKNOWN)
    values = dict(params)
    prop = str(values.get("property") or "")
    for key in ("choices", "bad"):
        if isinstance(values.get(key), list | tuple):
            # English keeps the stored values (what a spreadsheet must hold); German names them
            values[key] = _choices("" if lang == "en" else prop, values[key], lang)
    if lang != "en" and values.get("label"):
        values["label"] = label_name(str(values["label"]), lang)
    if lang != "en" and isinstance(values.get("labels"), list | tuple):
        values["labels"] = " oder ".join(label_name(str(x), lang) for x in values["labels"])
    elif isinstance(values.get("labels"), list | tuple):
        values["labels"] = " or ".join(str(x) for x in values["labels"])
    try:
        return words(lang).format(**values)
    except (KeyError, IndexError, ValueError):
        return _UNKNOWN(lang)


def summary_message(problems: Sequence[tuple[str, str]], lang: str = DEFAULT_LANG) -> str:
    """One sentence over all problems of a refused write: ``(field words, message)`` pairs.

    >>> summary_message([("Name", "Pflichtfeld: bitte ausfüllen.")], "de")
    '1 Feld bitte korrigieren, nichts wurde gespeichert: Name: Pflichtfeld: bitte ausfüllen.'
    """
    if lang == "en":
        head = f"{len(problems)} field(s) need attention: "
        return head + "; ".join(f"{field} {message}" for field, message in problems)
    count = "1 Feld" if len(problems) == 1 else f"{len(problems)} Felder"
    return f"{count} bitte korrigieren, nichts wurde gespeichert: " + " ".join(
        f"{field}: {message}" for field, message in problems
    )
