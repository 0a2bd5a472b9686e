"""Near-duplicate organisation names, listed for a person to review, never merged silently.

"IHK Kassel-Marburg" and "IHK Kassel Marburg" get different ids; whether they are one
organisation is a judgement for the agency, so ingest reports the pair with its similarity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process, utils

from scaleup_graph.graph_model import fold

__all__ = ["NearDuplicate", "near_duplicates"]

_DIGITS = re.compile(r"\d+")
_NOT_LETTERS = re.compile(r"[^a-z]+")


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    id_a: str
    name_a: str
    id_b: str
    name_b: str
    score: float


_CHUNK = 256


def _block(name: str) -> str | None:
    """Names are compared only within a block (same first word), which true near-duplicates
    share. Names with fewer than four letters besides digits ("PIC 1234") are not compared:
    they differ only in a number, which makes them different things."""
    words = _NOT_LETTERS.sub(" ", fold(_DIGITS.sub("", name))).split()
    if sum(len(w) for w in words) < 4:
        return None
    return words[0]


def near_duplicates(
    new: Mapping[str, str], existing: Mapping[str, str], *, threshold: float = 92.0
) -> list[NearDuplicate]:
    """Pairs of different ids whose names are at least ``threshold`` similar (0-100), where at
    least one of the two is in ``new``.

    >>> near_duplicates({"org-a": "IHK Kassel-Marburg"}, {"org-b": "IHK Kassel Marburg"})[0].score
    100.0
    """
    names = {**existing, **new}
    blocks: dict[str, list[str]] = defaultdict(list)
    for node_id, name in names.items():
        key = _block(name)
        if key is not None:
            blocks[key].append(node_id)
    found: dict[tuple[str, str], NearDuplicate] = {}
    for ids in blocks.values():
        if len(ids) < 2 or not any(i in new for i in ids):
            continue
        choices = [names[i] for i in ids]
        queries = [i for i in ids if i in new]
        for first in range(0, len(queries), _CHUNK):  # bounded memory on large blocks
            chunk = queries[first : first + _CHUNK]
            matrix = process.cdist(
                [names[i] for i in chunk],
                choices,
                scorer=fuzz.token_sort_ratio,
                processor=utils.default_process,
                score_cutoff=threshold,
                workers=1,
                dtype=np.uint8,
            )
            _collect(chunk, ids, names, matrix, found)
    return sorted(found.values(), key=lambda d: (-d.score, d.id_a, d.id_b))


def _collect(
    queries: list[str],
    ids: list[str],
    names: Mapping[str, str],
    matrix: Any,
    found: dict[tuple[str, str], NearDuplicate],
) -> None:
    for qi, id_a in enumerate(queries):
        for ci in matrix[qi].nonzero()[0]:
            id_b = ids[int(ci)]
            if id_a == id_b:
                continue
            a, b = names[id_a], names[id_b]
            if _DIGITS.sub("", a) == _DIGITS.sub("", b) and a != b:
                continue  # "Lab 1" / "Lab 2": numbered siblings, not duplicates
            pair = (min(id_a, id_b), max(id_a, id_b))
            if pair not in found:
                x, y = pair
                found[pair] = NearDuplicate(x, names[x], y, names[y], float(matrix[qi][ci]))
