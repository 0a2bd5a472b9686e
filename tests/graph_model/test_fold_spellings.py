"""fold() and search_fold() spell umlauts with plain string replaces (faster than
str.translate and a regular expression): every short text of the letters that matter, and
the names of the open data, fold as the translation table and the expression did."""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata

from scaleup_graph.graph_model import ids
from scaleup_graph.ingest import open_data_dir

_TABLE = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
_UMLAUT_SPELLINGS = re.compile(r"(?<=[aou])e")


def _fold_before(text: str) -> str:
    if text.isascii():
        return text.lower().strip()
    text = unicodedata.normalize("NFKC", text).translate(_TABLE)
    if text.isascii():
        return text.lower().strip()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _texts() -> list[str]:
    letters = "aouAOUeEäöüÄÖÜßé x"
    short = ["".join(t) for n in range(5) for t in itertools.product(letters, repeat=n)]
    names = ["Fördertechnik Müller GmbH", "Straße der Ölmühle", "Région Übersee", "ẞ", "ﬁrma"]
    data = open_data_dir()
    if data is not None:  # real names too, where the open data is at hand
        for path in sorted(data.rglob("*.csv"))[:5]:
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                for row in itertools.islice(csv.reader(handle, delimiter=";"), 2000):
                    names += row[:3]
    return short + names


def test_fold_and_search_fold_spell_as_before() -> None:
    for text in _texts():
        assert ids.fold(text) == _fold_before(text), text
        assert ids.search_fold(text) == _UMLAUT_SPELLINGS.sub("", _fold_before(text)), text


def test_umlauts_fold_to_one_spelling() -> None:
    assert ids.fold("Müller") == ids.fold("Mueller") == "mueller"
    assert ids.search_fold("Müller") == ids.search_fold("Muller") == "muller"
    assert ids.search_fold("Aue") == "au"  # an e after a, o, u goes, whatever spelled it
