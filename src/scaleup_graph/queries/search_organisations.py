"""The FalkorDB text of the named query ``search_organisations``, composed from the filters given.

The catalogue file (queries/cypher/search_organisations.cypher) answers every combination of
filters with one text, so every row pays for every filter: its per-row subqueries for regions
and competences cost 35 ms and 14 ms per 5,000 rows with their filter off, and all matches were
projected before the 20-row page was cut. Here a filter that is not given is not in the text,
and the rows are ranked and cut to the page before anything else is read from them.

The values stay parameters (``$q``, ``$topic``, ``$region`` ...): only the choice of clauses
depends on whether a value is empty. The file's text stays the reference: tests compare the
two on generated data for every combination of filters (tests/queries/test_search_composed.py).
Neo4j keeps its variant file (its CASE does not evaluate the branch it does not take).

>>> text = falkordb_text({"q": "", "topic": "energie", "region": "", "kind": "", "q_all": True})
>>> "LOCATED_IN" in text, "HAS_COMPETENCE" in text, "queryNodes" in text
(False, True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scaleup_graph.store.base import SUFFIX_MARK

__all__ = ["PAGE_BY_IDS", "falkordb_ids_text", "falkordb_text"]

_BY_NAME = (
    "CALL db.idx.fulltext.queryNodes('Organisation', $q_ft) YIELD node, score\n"
    "WITH node AS o, score{carry}"
)
# Without name text every organisation is read ('*') and scores 1.0, as a topic's do: such a
# search is ranked by name, then id (the score of '*' is 1.0 anyway; the literal says so).
_EVERY = (
    "CALL db.idx.fulltext.queryNodes('Organisation', $q_ft) YIELD node\n"
    "WITH node AS o, 1.0 AS score"
)
# The rows of a search without name text that rank no later than the name $up_to: every such
# row scores 1.0, so these are the search's first rows. A name that is not a text ranks by its
# type (FalkorDB: a list before every text; a boolean, a number, none, a point after):
# kept unless its type ranks after the texts (tests/queries/test_search_pages.py checks it).
_UP_TO = (
    "coalesce(o.name <= $up_to,"
    " NOT typeOf(o.name) IN ['Boolean', 'Float', 'Integer', 'Null', 'Point'])"
)
# A topic alone: the index of listed topics and the topic's own links (an organisation may
# have both: UNION keeps it once).
_BY_TOPIC = (
    "CALL {\n"
    "  MATCH (o:Organisation) WHERE $topic IN o.topics_fold RETURN o\n"
    "  UNION\n"
    "  MATCH (t:Topic) WHERE t.id = $topic OR t.name_fold = $topic\n"
    "  MATCH (t)<-[:HAS_COMPETENCE]-(o:Organisation) RETURN o\n"
    "}\n"
    "WITH o, 1.0 AS score"
)
_KIND = "$kind IN coalesce(o.kinds, [])"
# a text without letters or digits ("-") cannot use the index: compare it as it is
_NO_WORDS = "(o.name_fold CONTAINS $q OR o.short_name_fold CONTAINS $q)"
# Region and competence links are read only for rows their cheaper test did not keep already
# (a subquery whose row its WHERE drops reads nothing): an organisation's own NUTS code or
# country, a topic it lists. FalkorDB reads links row by row here (0.1 ms a row), so this
# order matters: most organisations of a region carry its NUTS code.
_REGION = (
    "WITH o, score{carry}, (coalesce(o.nuts_code, '') STARTS WITH $region"
    " OR coalesce(o.country, '') = $region) AS near\n"
    "CALL { WITH o, near WITH o WHERE NOT near"
    " MATCH (o)-[:LOCATED_IN]->(rx:Region)"
    " WHERE rx.id = $region OR rx.nuts_code STARTS WITH $region"
    " RETURN count(rx) AS in_region }\n"
    "WITH o, score{carry}, near, in_region WHERE near OR in_region > 0"
)
# The topic's nodes are looked up once, first; each row then checks its links to them (a link
# between two known nodes: 3x faster than reading the row's topics and comparing them).
_TOPICS = (
    "OPTIONAL MATCH (t:Topic) WHERE t.id = $topic OR t.name_fold = $topic\n"
    "WITH collect(t) AS topics"
)
_TOPIC = (
    "WITH o, score, topics, coalesce($topic IN coalesce(o.topics_fold, []), false) AS listed\n"
    "CALL { WITH o, listed, topics WITH o, topics WHERE NOT listed"
    " UNWIND topics AS t MATCH (o)-[:HAS_COMPETENCE]->(t) RETURN count(t) AS competent }\n"
    "WITH o, score, listed, competent WHERE listed OR competent > 0"
)
# rank: the name itself, starts with the text, a word starts with it, contains it, similar
_RANK = (
    f"WITH o, score, head(split(o.search_text, '{SUFFIX_MARK}')) AS names\n"
    "WITH o, score,\n"
    "     CASE WHEN o.name_fold = $q OR o.short_name_fold = $q OR names = $q_text THEN 0\n"
    "          WHEN names STARTS WITH $q_text OR o.short_name_fold STARTS WITH $q THEN 1\n"
    "          WHEN (' ' + names) CONTAINS (' ' + $q_text) THEN 2\n"
    "          WHEN names CONTAINS $q_text THEN 3\n"
    "          ELSE 4 END AS rank"
)
_COLUMNS = (
    "RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kinds AS kinds,\n"
    "       o.city AS city, o.country AS country, o.nuts_code AS nuts_code, o.topics AS topics,"
)
_MATCH = "['exact', 'prefix', 'word', 'contains', 'similar'][rank] AS match"


def falkordb_text(bound: Mapping[str, Any], *, up_to: bool = False) -> str:
    """The statement for the bound parameters of ``search_organisations`` (FalkorDB).

    Same rows in the same order as the catalogue file's text; ``bound`` is what
    :meth:`~scaleup_graph.queries.catalogue.NamedQuery.bind` returned. ``up_to`` (a search
    without name text only): only the rows ranked no later than the name ``$up_to``, tested
    before any other filter (:func:`falkordb_ids_text`).
    """
    q, topic = bound["q"], bound["topic"]
    by_topic = bool(topic) and not q
    # a topic with a text: the rows come from the text, each checked for the topic
    topic_filter = bool(topic) and not by_topic
    carry = ", topics" if topic_filter else ""
    parts = [_TOPICS] if topic_filter else []
    if by_topic:
        parts.append(_BY_TOPIC)
    elif q:
        parts.append(_BY_NAME.replace("{carry}", carry))
    else:
        parts.append(_EVERY)
    where = []
    if up_to:
        if q:
            raise ValueError("a search with name text is ranked by the text: no name bound")
        where.append(_UP_TO)
    if bound["kind"]:
        where.append(_KIND)
    if q and bound["q_all"]:
        where.append(_NO_WORDS)
    if where:
        parts.append("WHERE " + "\n  AND ".join(where))
    if bound["region"]:
        parts.append(_REGION.replace("{carry}", carry))
    if topic_filter:
        parts.append(_TOPIC)
    if q:
        # ranked, then cut to the page: only the page's rows are read for the columns
        parts += [_RANK, "ORDER BY rank, score DESC, o.name, o.id SKIP $skip LIMIT $limit"]
        parts += [_COLUMNS, "       " + _MATCH]
    else:
        parts += ["WITH o, score ORDER BY score DESC, o.name, o.id SKIP $skip LIMIT $limit"]
        parts += [_COLUMNS, "       NULL AS match"]
    return "\n".join(parts)


#: One page of a search without name text, read by the ids of its rows (an index lookup each),
#: the columns of :func:`falkordb_text`'s answer for such a search.
PAGE_BY_IDS = (
    "UNWIND $ids AS page_id MATCH (o:Organisation {id: page_id})\n"
    + _COLUMNS
    + "\n       NULL AS match"
)


def falkordb_ids_text(bound: Mapping[str, Any], *, up_to: bool = False) -> str:
    """The ids of the first ``$upto`` rows :func:`falkordb_text` answers for a search without
    name text, in its order, as one list, and the name of the last of them
    (:mod:`scaleup_graph.queries.search_pages` keeps them). The engine keeps the best
    ``$upto`` rows as it goes, as it keeps the page's rows.

    ``up_to``: only among the rows ranked no later than the name ``$up_to`` (the last name an
    earlier listing of the same filters held). The engine then tests the filters, and ranks,
    only the rows before that name: the answer is the search's first rows, as many as there
    are up to that name (a row deleted or renamed since makes them fewer, never others).

    >>> print(falkordb_ids_text({"q": "", "topic": "", "region": "", "kind": "SME"}))
    CALL db.idx.fulltext.queryNodes('Organisation', $q_ft) YIELD node
    WITH node AS o, 1.0 AS score
    WHERE $kind IN coalesce(o.kinds, [])
    WITH o, score ORDER BY score DESC, o.name, o.id LIMIT $upto
    WITH collect(o) AS kept
    RETURN [k IN kept | k.id] AS ids, last(kept).name AS last_name
    >>> bounded = falkordb_ids_text({"q": "", "topic": "", "region": "", "kind": ""}, up_to=True)
    >>> bounded.splitlines()[2].startswith("WHERE coalesce(o.name <= $up_to,")
    True
    """
    if bound["q"]:
        raise ValueError("a search with name text is ranked by the text: no ids listing")
    text = falkordb_text({**bound, "q_all": False}, up_to=up_to)
    head, _, _ = text.rpartition(" SKIP $skip LIMIT $limit")
    return (
        head + " LIMIT $upto\nWITH collect(o) AS kept\n"
        "RETURN [k IN kept | k.id] AS ids, last(kept).name AS last_name"
    )
