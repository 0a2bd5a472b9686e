"""Organisation names that look like a natural person's name: withheld unless the manifest says
``names: public``.

EU and regional registers list sole traders and individual grantees as organisations, under
their own name ("MUELLER ANNA"). Such a name is personal data, and an Organisation's name is
shown to every role. The rule is the one the CORDIS loader applies to private companies: a
name with a legal form (GmbH, Ltd, SA, ...) or a word of an institution (Universität,
Council, Verband, ...) is an organisation's; a name of two or three plain words without either
looks like a person's.

>>> looks_like_person("Mueller Anna")
True
>>> looks_like_person("KAYSER ITALIA SRL")
False
>>> looks_like_person("Universität Kassel")
False
>>> looks_like_person("Scale Up Labs 2")
False
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["INSTITUTIONAL_TYPES", "LEGAL_FORMS", "looks_like_person"]

#: Legal forms (with dots removed, case-folded): the CORDIS manifest's filter for private
#: companies (PRC) and the usual European forms besides.
_LEGAL_FORMS_TEXT = """
    gmbh ag kg ug ltd limited llp plc inc corp sa sas sarl srl spa sl bv nv oy oyj ab as
    aps sro kft zrt doo ou zoo spzoo ike ae epe lda ltda ev eg gbr ohg se co llc kgaa mbh ek
    ekfm bvba sprl scrl scs sca srls snc sas sapa uab dd ks vos sia sp ooo jsc pte pty gie
    sociedad limitada societe societa sccl slu sau cv ehf hf ivs eood ood ad gesmbh sal teoranta
    kft bt zrt nyrt ps pc"""
LEGAL_FORMS = frozenset(_LEGAL_FORMS_TEXT.split())
LEGAL_FORM = re.compile(r"(?i)\b(?:s\.?\s?r\.?\s?l|s\.?\s?p\.?\s?a|sp\.?\s?z\s?o\.?\s?o)\b")
#: Words that name an institution, not a person (German and English, and CORDIS' languages).
_INSTITUTION = re.compile(
    r"(?i)(universit|hochschule|college|school|schule|akademie|academy|institut|"
    r"stiftung|foundation|fondazione|fundacion|association|verband|verein|kammer|chamber|"
    r"\bihk\b|\bhwk\b|council|ministr|stadt|city|gemeinde|kreis|county|region|agentur|agency|"
    r"agenzia|agencia|netzwerk|network|cluster|zentrum|center|centre|centro|bank|kasse|"
    r"group|gruppe|holding|partner|consult|solution|system|technolog|tech\b|labs?\b|software|"
    r"service|management|innovation|research|forschung|development|entwicklung|office|\bamt\b|"
    r"hospital|klinik|clinic|museum|library|bibliothek|program|projekt|project|initiative|"
    r"societ|gesellschaft|company|compagnie|consortium|union|federation|platform|plattform|"
    r"energy|energie|media|medien|industr|engineering|werk|haus|house|studio|team|lab\b|"
    r"stichting|vereniging|sihtasutus|stowarzysz|associa|asocia|fundac|fondaz|federa|forum|"
    r"coalition|communit|europ|national|internation|\bry\b|\blbg\b|\ba?isbl\b|\basbl\b|"
    r"\bvzw\b|\bonlus\b|\bngo\b|\bfond\b|komora|kamara|camera|camara|chambre)"
)
_WORD = re.compile(r"^[^\W\d_]+(?:[-'’.][^\W\d_]*)*$")
#: CORDIS activity types and organisation kinds that are institutions whatever their name (the
#: CORDIS loader treats every type but PRC, private companies, as an institution).
INSTITUTIONAL_TYPES = frozenset(
    {
        "HES",
        "REC",
        "PUB",
        "OTH",
        "PublicBody",
        "ResearchInstitute",
        "PartnerOrganisation",
        "Stakeholder",
    }
)


def looks_like_person(
    name: str, activity_type: str | None = None, kinds: Iterable[str] = ()
) -> bool:
    """True when ``name`` may be a natural person's: two or three words of letters, no digit,
    no legal form, no institution word, and not a university, research, public or other body
    by ``activity_type`` (CORDIS) or ``kinds``.

    >>> looks_like_person("Land Hessen", kinds=["PublicBody"])
    False
    """
    if activity_type in INSTITUTIONAL_TYPES or not INSTITUTIONAL_TYPES.isdisjoint(kinds):
        return False
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(_WORD.match(w) for w in words):
        return False
    tokens = re.findall(r"[^\W\d_]+", name.replace(".", "").casefold())
    if not LEGAL_FORMS.isdisjoint(tokens) or LEGAL_FORM.search(name):
        return False
    return not _INSTITUTION.search(name)
