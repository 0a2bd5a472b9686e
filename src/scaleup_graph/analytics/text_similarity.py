"""TF-IDF cosine similarity for short German and English texts (challenges, competences).

Small on purpose: texts are folded (umlauts, accents, case) and split into words of three or
more letters; the commonest function words of both languages are dropped.

Example
-------
>>> scores = similarities("Digitalisierung der Logistik", {
...     "a": "Logistik und Digitalisierung fuer KMU", "b": "Baeckerei in Kassel"})
>>> scores["a"] > scores["b"] == 0.0
True
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

from scaleup_graph.graph_model import fold

__all__ = ["similarities", "tokens"]

_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "from",
        "that",
        "this",
        "are",
        "was",
        "were",
        "has",
        "have",
        "not",
        "but",
        "our",
        "their",
        "into",
        "about",
        "und",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "fuer",
        "mit",
        "von",
        "auf",
        "aus",
        "bei",
        "nach",
        "wie",
        "wir",
        "sie",
        "ist",
        "sind",
        "oder",
        "auch",
        "als",
        "zur",
        "zum",
        "ueber",
        "durch",
        "werden",
        "wird",
        "kann",
    ]
)


def tokens(text: str) -> list[str]:
    """Folded content words of ``text``.

    >>> tokens("Die Logistik-Lösungen für KMU")
    ['logistik', 'loesungen', 'kmu']
    """
    return [w for w in _WORD.findall(fold(text)) if w not in _STOP]


def _vector(words: list[str], idf: Mapping[str, float]) -> dict[str, float]:
    counts = Counter(words)
    vec = {w: (1 + math.log(c)) * idf.get(w, 0.0) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {w: v / norm for w, v in vec.items()} if norm else {}


def similarities(query: str, documents: Mapping[str, str]) -> dict[str, float]:
    """Cosine similarity (0..1) of ``query`` to each document, with IDF over all of them."""
    docs = {key: tokens(text) for key, text in documents.items()}
    q = tokens(query)
    df: Counter[str] = Counter()
    for words in [*docs.values(), q]:
        df.update(set(words))
    total = len(docs) + 1
    idf = {w: math.log((1 + total) / (1 + n)) + 1 for w, n in df.items()}
    qv = _vector(q, idf)
    out = {}
    for key, words in docs.items():
        dv = _vector(words, idf)
        out[key] = round(sum(v * dv.get(w, 0.0) for w, v in qv.items()), 6)
    return out
