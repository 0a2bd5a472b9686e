"""Case- and accent-insensitive matching inside Cypher, the same as graph_model.ids.fold().

Neither FalkorDB nor Neo4j can transliterate "ö" to "oe", so a named query writes
``{{fold n.name}}`` and the catalogue expands it into ``toLower`` plus a ``reduce`` over
``replace`` calls with the pairs in ``$fold_pairs``; the caller folds the search text in Python.
Both sides then agree, and "Koeln" finds "Köln".

Why ``reduce`` over a parameter and not nested ``replace`` calls: FalkorDB's planning time grows
about twofold with every nesting level (18 levels took 17 s, measured), while each ``replace``
costs about a microsecond per node. And why only some pairs: a character whose folded form holds
a letter the search text lacks can never be part of a match, replaced or not (the folded search
text never holds such a character either), so :func:`fold_pairs` sends only the pairs that can
matter, which keeps the per-node work small.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scaleup_graph.graph_model import fold

__all__ = ["FOLD_PARAM", "FOLD_TABLE", "expand_fold", "fold_pairs"]

FOLD_PARAM = "fold_pairs"

# Letters found in the names of our partner regions and organisations (German, French, Spanish,
# Italian, Polish, Czech, Romanian) whose fold() differs from their lower case.
_CANDIDATES = "äöüßàáâãåāăąçćčďđèéêëēėęěìíîïīłñńňòóôõōŕřśšşťţùúûūůűýÿźżž"

#: (character, replacement) pairs, derived from fold() so the two can never disagree.
FOLD_TABLE: tuple[tuple[str, str], ...] = tuple(
    (ch, fold(ch)) for ch in dict.fromkeys(_CANDIDATES) if fold(ch) != ch
)

_MACRO = re.compile(r"\{\{fold ([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}\}")


def _fold_expression(expression: str, n: int) -> str:
    # Each expansion gets its own variable names: FalkorDB mixes up two reduce() calls in one
    # WHERE that share an accumulator name (the second one then never matches).
    acc, pair = f"fold_acc{n}", f"fold_pair{n}"
    return (
        f"reduce({acc} = toLower({expression}), {pair} IN ${FOLD_PARAM} | "
        f"replace({acc}, {pair}[0], {pair}[1]))"
    )


def expand_fold(query: str) -> str:
    """Replace every ``{{fold var.prop}}`` in trusted query text by its Cypher expression.

    Only a variable or ``variable.property`` is accepted inside the macro: no request value
    ever reaches the text.

    >>> expand_fold("WHERE {{fold n.name}} CONTAINS $q").startswith("WHERE reduce(")
    True
    """
    counter = iter(range(1, 1000))
    return _MACRO.sub(lambda m: _fold_expression(m.group(1), next(counter)), query)


def fold_pairs(folded_values: Iterable[str]) -> list[list[str]]:
    """The replacement pairs that can matter when matching the (already folded) values.

    >>> ["ö", "oe"] in fold_pairs(["koeln"])
    True
    >>> ["ß", "ss"] in fold_pairs(["koeln"])
    False
    """
    letters = set("".join(folded_values))
    return [[ch, out] for ch, out in FOLD_TABLE if set(out) <= letters]
