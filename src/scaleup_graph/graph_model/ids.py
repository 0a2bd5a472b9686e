"""Deterministic, content-derived ids: re-importing the same record gives the same key.

Ids are safe to show and to log: a Person's id is a keyed hash (HMAC-SHA256 with the
installation's secret, ``SCALEUP_SUPPRESSION_SALT``), never a name or an e-mail, and without the
secret nobody can test a guessed e-mail against it. Every Person id has the form
``person-<24 hex>``; a Person key given in an input file (``person-anna``, or the unkeyed
``person-<16 hex>`` of earlier versions) is keyed on the way in, so ids and the references to
them stay consistent, and :func:`keyed_person_id` is idempotent.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from scaleup_graph.graph_model.schema import NODE_TYPES

__all__ = [
    "KEYED_PERSON_ID",
    "fold",
    "identifier_hashes",
    "keyed_person_id",
    "make_id",
    "natural_person_key",
    "person_id",
    "search_fold",
    "set_installation_secret",
    "slugify",
]

#: The form of every Person id in the graph.
KEYED_PERSON_ID = re.compile(r"person-[0-9a-f]{24}")
_SECRET: dict[str, str] = {"value": ""}


def set_installation_secret(secret: str) -> None:
    """Set the secret Person ids are keyed with (open_store does it from the settings)."""
    _SECRET["value"] = secret


def keyed_person_id(key: str, secret: str | None = None) -> str:
    """The Person id for a given key: ``person-`` and 24 hex digits of HMAC-SHA256.

    A key already of that form is returned as it is (an export read back, a migrated graph).

    >>> keyed_person_id("person-anna", "s3cret")
    'person-ce09431d0ff409b69a2bc5c2'
    >>> keyed_person_id(keyed_person_id("person-anna", "s3cret"), "other")
    'person-ce09431d0ff409b69a2bc5c2'
    """
    return _keyed_person_id(key.strip(), _SECRET["value"] if secret is None else secret)


@lru_cache(maxsize=1 << 16)
def _keyed_person_id(key: str, secret: str) -> str:
    # cached: a file of relationships names the same persons on many rows
    if KEYED_PERSON_ID.fullmatch(key):
        return key
    digest = hmac.new(secret.encode(), f"person-id|{key}".encode(), hashlib.sha256).hexdigest()
    return f"person-{digest[:24]}"


_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def _german(text: str) -> str:
    """``text.translate(_GERMAN)``, 20 times faster (str.translate with a dictionary looks up
    every character; each replace is one scan in C, and no replacement holds a letter that
    another one replaces)."""
    for letter, spelled in _GERMAN_PAIRS:
        if letter in text:
            text = text.replace(letter, spelled)
    return text


_GERMAN_PAIRS = tuple((chr(code), spelled) for code, spelled in _GERMAN.items())


def fold(text: str) -> str:
    """Lower-case, German umlauts transliterated, accents dropped: "Köln" -> "koeln".

    >>> fold("Köln") == fold("Koeln") == "koeln"
    True
    >>> fold("Région de Bruxelles")
    'region de bruxelles'
    """
    return _fold(text)


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    # cached: a load folds the same words again and again (a topic, a city), and a name's
    # search key and its search text both fold it
    if text.isascii():  # nothing to transliterate or drop (most names): 10x faster
        return text.lower().strip()
    text = _german(unicodedata.normalize("NFKC", text))
    if text.isascii():  # only umlauts or ß, now transliterated
        return text.lower().strip()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


_UMLAUT_SPELLINGS = re.compile(r"(?<=[aou])e")


def search_fold(text: str) -> str:
    """fold(), then "ae", "oe", "ue" to "a", "o", "u": one form for every umlaut spelling.

    fold() writes "ü" as "ue"; people also type "u" (no umlaut key) or "ue". Applied to both the
    stored names and the search text, "für", "fuer" and "fur" all become "fur", and "Müller",
    "Mueller" and "Muller" all "muller".

    >>> search_fold("für") == search_fold("fuer") == search_fold("FUR") == "fur"
    True
    >>> search_fold("Straße"), search_fold("Fördertechnik")
    ('strasse', 'fordertechnik')
    """
    return _search_fold(text)


@lru_cache(maxsize=1 << 16)
def _search_fold(text: str) -> str:
    # _UMLAUT_SPELLINGS.sub("", ...), a third of the time: removing an "e" leaves its a, o or
    # u before the next letter, which never makes a pair an earlier replace should have seen
    return _fold(text).replace("ae", "a").replace("oe", "o").replace("ue", "u")


def slugify(text: str, max_length: int = 80) -> str:
    """A readable, ASCII-only id part; long ones end in a hash of the whole.

    >>> slugify("IHK Kassel-Marburg")
    'ihk-kassel-marburg'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) > max_length:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
        slug = slug[: max_length - 9].rstrip("-") + "-" + digest
    return slug or hashlib.sha256(text.encode()).hexdigest()[:12]


def make_id(label: str, natural_key: str) -> str:
    """The id of a node from its label and a natural key (a name, a code).

    >>> make_id("Organisation", "IHK Kassel-Marburg")
    'org-ihk-kassel-marburg'
    >>> make_id("Region", "DE73")
    'region-de73'
    """
    return _make_id(label, natural_key, _SECRET["value"])


@lru_cache(maxsize=65536)  # ingest derives the same ids again and again (one row per link)
def _make_id(label: str, natural_key: str, secret: str) -> str:
    if NODE_TYPES[label].personal:
        return person_id(natural_key, secret)
    return f"{NODE_TYPES[label].id_prefix}-{slugify(natural_key)}"


def person_id(natural_key: str, secret: str | None = None) -> str:
    """A person's id from a natural key (an e-mail, a name): keyed, so ids carry no personal
    data and cannot be reversed by trying names.

    >>> person_id("astrid.szogs@example.org").startswith("person-")
    True
    """
    return keyed_person_id(natural_person_key(natural_key), secret)


def natural_person_key(natural_key: str) -> str:
    """The key a file gives for a person (``person-`` and an unkeyed hash of the e-mail or
    name, as ids were made before issue 15): ingest keys it with the installation's secret.
    The demo generator writes these, so its files do not depend on a secret.

    >>> natural_person_key("Anna@Example.org")
    'person-a3bf86238a1c59bd'
    """
    digest = hashlib.sha256(fold(natural_key).encode()).hexdigest()[:16]
    return f"person-{digest}"


def identifier_hashes(props: dict[str, object], salt: str) -> set[str]:
    """Salted hashes of every value that identifies a person (name, e-mail, phone).

    The suppression list keeps only these, so an erased person is recognised on re-import
    without the list itself holding their data.
    """
    values: list[str] = []
    for field in ("name", "email"):
        value = props.get(field)
        if isinstance(value, str) and value.strip():
            values.append(f"{field}:{fold(value)}")
    phone = props.get("phone")
    if isinstance(phone, str):
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= 4:
            values.append(f"phone:{digits}")
    return {hashlib.sha256(f"{salt}|{v}".encode()).hexdigest() for v in values}
