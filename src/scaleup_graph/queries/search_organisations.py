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
# Without name text every organisation is read, by its label (as on Neo4j), and scores 1.0,
# as a topic's do: such a search is ranked by name, then id.
_EVERY = "MATCH (o:Organisation)\nWITH o, 1.0 AS score"
# The rows of a search without name text up to the name $up_to: every text name not after it
# and every name that is not a text (one comparison a row; a name that is not a text ranks by
# its type, before or after every text: search_pages keeps the rows up to the last text name).
_UP_TO = "coalesce(o.name <= $up_to, true)"
_EVERY_UP_TO = f"MATCH (o:Organisation) WHERE {_UP_TO}\nWITH o, 1.0 AS score"
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
    if up_to and q:
        raise ValueError("a search with name text is ranked by the text: no name bound")
    where = []
    if by_topic:
        parts.append(_BY_TOPIC)
        if up_to:
            where.append(_UP_TO)
    elif q:
        parts.append(_BY_NAME.replace("{carry}", carry))
    else:
        parts.append(_EVERY_UP_TO if up_to else _EVERY)
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
    name text, in its order, as one list, and their names
    (:mod:`scaleup_graph.queries.search_pages` keeps the ids). The engine keeps the best
    ``$upto`` rows as it goes, as it keeps the page's rows.

    ``up_to``: only among the rows whose name is not after the text ``$up_to`` (the last name
    an earlier listing of the same filters held) and those whose name is not a text. The
    engine then tests the filters, and ranks, only those rows. Up to the last text name among
    the answer's rows, they are the search's first rows (a name of another type ranks by type,
    before or after every text); there may be fewer of them than there are up to that name
    (a row deleted or renamed since), never others.

    >>> print(falkordb_ids_text({"q": "", "topic": "", "region": "", "kind": "SME"}))
    MATCH (o:Organisation)
    WITH o, 1.0 AS score
    WHERE $kind IN coalesce(o.kinds, [])
    WITH o, score ORDER BY score DESC, o.name, o.id LIMIT $upto
    WITH collect(o) AS kept
    RETURN [k IN kept | k.id] AS ids, [k IN kept | k.name] AS names
    >>> bounded = falkordb_ids_text({"q": "", "topic": "x", "region": "", "kind": ""}, up_to=True)
    >>> bounded.splitlines()[7]
    'WHERE coalesce(o.name <= $up_to, true)'
    """
    if bound["q"]:
        raise ValueError("a search with name text is ranked by the text: no ids listing")
    text = falkordb_text({**bound, "q_all": False}, up_to=up_to)
    head, _, _ = text.rpartition(" SKIP $skip LIMIT $limit")
    return (
        head + " LIMIT $upto\nWITH collect(o) AS kept\n"
        "RETURN [k IN kept | k.id] AS ids, [k IN kept | k.name] AS names"
    )
