"""Name search through the engine's full-text index, forgiving spellings.

The store keeps one ``search_text`` per node (name, short name and other names in
:func:`~scaleup_graph.graph_model.search_fold` form) under a full-text index
(FalkorDB: ``db.idx.fulltext``; Neo4j: a ``FULLTEXT INDEX``). A search text is folded the same
way, split into words, and each word becomes "a word of the name starts with it, or is within a
small edit distance of it"; all words must match. The middle of a word is found too: the search
text also holds the endings of longer words (store.base.search_text), so "technik" is a prefix
of a word of "Fördertechnik". The index hands back only the matching
nodes, so a search costs what its answer costs, not what the graph costs.

Hits are ranked: the name itself, then names that start with the text, then names with a word
that starts with it, then names that contain it, then the rest (words in another order, typos).

>>> fulltext_query(search_fold("für Wirtschaft"), "falkordb")
'(fur*) (wirtschaft*|%%wirtschaft%%)'
>>> fulltext_query(search_fold("Kasel"), "neo4j")
'(kasel* OR kasel~1)'
"""

from __future__ import annotations

import re
from typing import Any

from scaleup_graph.graph_model import KEY, NODE_TYPES, SEARCH_TEXT, fold, search_fold
from scaleup_graph.store import GraphStore
from scaleup_graph.store.base import SUFFIX_MARK
from scaleup_graph.store.cypher import fulltext_index_name
from scaleup_graph.store.cypher import label as cypher_label

__all__ = [
    "ALL",
    "MATCH_KINDS",
    "find_nodes",
    "fulltext_query",
    "rank_expression",
    "search_params",
    "words",
]

#: The engine query that matches every indexed node (FalkorDB); Neo4j gets a flag instead.
ALL = "*"
#: Rank 0..4 in words, as responses give it in ``match``.
MATCH_KINDS = ("exact", "prefix", "word", "contains", "similar")

_WORD = re.compile(r"[^\W_]+")
_ONE_EDIT_FROM = 5  # "kasel" finds "kassel"; shorter words have too many neighbours
_TWO_EDITS_FROM = 8
_NEO4J_NOTHING = "scaleupnomatch"  # a harmless query when the index is not used


def words(text: str) -> list[str]:
    """The words of an already folded text, as the full-text index splits names.

    >>> words("ihk kassel-marburg")
    ['ihk', 'kassel', 'marburg']
    """
    return _WORD.findall(text)


def _falkordb_word(word: str) -> str:
    forms = [f"{word}*"]
    if len(word) >= _TWO_EDITS_FROM:
        forms.append(f"%%{word}%%")
    elif len(word) >= _ONE_EDIT_FROM:
        forms.append(f"%{word}%")
    return "(" + "|".join(forms) + ")"


def _neo4j_word(word: str) -> str:
    forms = [f"{word}*"]
    if len(word) >= _TWO_EDITS_FROM:
        forms.append(f"{word}~2")
    elif len(word) >= _ONE_EDIT_FROM:
        forms.append(f"{word}~1")
    return "(" + " OR ".join(forms) + ")"


def fulltext_query(text: str, dialect: str) -> str:
    """The engine's full-text query for ``text`` (already in search_fold() form).

    Only letters and digits reach the query (the words), so no query syntax can be injected.
    Empty when ``text`` has no words.
    """
    found = words(text)
    if not found:
        return ""
    if dialect == "neo4j":
        return " AND ".join(_neo4j_word(w) for w in found)
    return " ".join(_falkordb_word(w) for w in found)


def search_params(name: str, folded: str, dialect: str) -> dict[str, Any]:
    """The parameters a named query with a ``search`` parameter ``name`` receives.

    ``{name}_text``: the search text in search_fold() form (for ranking);
    ``{name}_ft``: the engine query (every node when there is nothing to search for);
    ``{name}_all``: true when the index is not used (no text, or no letters in it).
    """
    text = search_fold(folded)
    query = fulltext_query(text, dialect)
    use_all = not query
    if use_all:
        query = _NEO4J_NOTHING if dialect == "neo4j" else ALL
    return {f"{name}_text": text, f"{name}_ft": query, f"{name}_all": use_all}


def rank_expression(var: str) -> str:
    """Cypher for the rank (0 = the name itself ... 4 = a typo or words in another order).

    Compares with the names part of the search text (before the word endings).
    """
    names = f"head(split({var}.{SEARCH_TEXT}, '{SUFFIX_MARK}'))"
    return (
        f"CASE WHEN $q = '' THEN 0 "
        f"WHEN {var}.name_fold = $q OR {var}.short_name_fold = $q OR {names} = $q_text THEN 0 "
        f"WHEN {names} STARTS WITH $q_text OR {var}.short_name_fold STARTS WITH $q THEN 1 "
        f"WHEN (' ' + {names}) CONTAINS (' ' + $q_text) THEN 2 "
        f"WHEN {names} CONTAINS $q_text THEN 3 ELSE 4 END"
    )


def _label_branch(node_label: str, dialect: str) -> str:
    if dialect == "neo4j":
        call = (
            f"CALL db.index.fulltext.queryNodes('{fulltext_index_name(node_label)}', $q_ft) "
            "YIELD node, score"
        )
    else:
        call = f"CALL db.idx.fulltext.queryNodes('{node_label}', $q_ft) YIELD node, score"
    return (
        f"{call} WITH node, score WHERE node:{cypher_label(node_label)} "
        f"RETURN node.{KEY} AS id, '{node_label}' AS label, node.name AS name, "
        f"{rank_expression('node')} AS rank, score "
        "ORDER BY rank, size(name), name, id LIMIT $limit"
    )


def _order(hit: dict[str, Any]) -> tuple[int, int, str, str]:
    name = hit["name"] or ""
    return (hit["rank"], len(name), name, hit["id"] or "")


def find_nodes(
    store: GraphStore,
    text: str,
    *,
    labels: tuple[str, ...] | None = None,
    limit: int = 10,
    timeout_ms: int | None = None,
) -> list[dict[str, Any]]:
    """Nodes of ``labels`` (default: every label whose names are not personal) found by name.

    Returns ``[{id, label, name, match}]``, best first: rank, then shorter names, then name.
    Persons are never searched here (their names are personal data).

    Parameters
    ----------
    store
        The graph store.
    text
        What the user typed; any case, accents and umlaut spelling.
    labels
        Schema labels to search (Person is refused).
    limit
        Most hits returned.
    """
    chosen = labels or tuple(lbl for lbl, nt in NODE_TYPES.items() if "name" not in nt.pii_fields)
    if any(NODE_TYPES[lbl].pii_fields & {"name"} for lbl in chosen):
        raise ValueError("names of persons are personal data and not searched here")
    folded = fold(text)
    params = search_params("q", folded, store.dialect)
    if params["q_all"]:
        return []
    params["q"] = folded
    params["limit"] = limit
    # One statement, a branch per label, each ranked and cut at the limit by the engine; the
    # best of them are merged here. (A CALL around the union would rank them in one ORDER BY,
    # but FalkorDB has no CALL scope clause and Neo4j deprecates a CALL without one.)
    union = " UNION ALL ".join(_label_branch(lbl, store.dialect) for lbl in chosen)
    hits = store.read(union, params, timeout_ms=timeout_ms)
    rows = sorted(hits, key=_order)[:limit]
    return [
        {"id": r["id"], "label": r["label"], "name": r["name"], "match": MATCH_KINDS[r["rank"]]}
        for r in rows
    ]
