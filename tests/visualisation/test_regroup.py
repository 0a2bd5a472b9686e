"""The overview's groups changed at the nodes a write touched (visualisation/regroup.py) equal
the groups of the outline read afresh, after every kind of structural change, for every role:
new and deleted nodes and relationships, a region that goes (its organisations and their people
move), a draft published, an erasure, communities that change and that switch the grouping."""

from __future__ import annotations

import random

import pytest

from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation.aggregate import MIN_GROUP, Grouping, group_outline
from scaleup_graph.visualisation.fetch import fetch_outline_arrays, read_touched
from scaleup_graph.visualisation.regroup import GroupIndex, _bucket

ROLES = ["viewer", "contacts", "contacts+editor"]


def _same(patched: Grouping, fresh: Grouping, step: str) -> None:
    assert patched.by == fresh.by, step
    assert patched.members == fresh.members, step
    assert list(patched.members) == list(fresh.members), step  # the groups' order too
    assert dict(patched.links) == dict(fresh.links), step
    assert dict(patched.degree) == dict(fresh.degree), step
    assert patched.of_node == fresh.of_node, step


def _ids(store: GraphStore, query: str) -> list[str]:
    return sorted(str(r["id"]) for r in store.read(query))


class _Writes:
    """Random structural writes, each returning the nodes it changed the structure at."""

    def __init__(self, store: GraphStore, seed: int) -> None:
        self.store, self.rng, self.made = store, random.Random(seed), 0

    def pick(self, query: str) -> str | None:
        found = _ids(self.store, query)
        return self.rng.choice(found) if found else None

    def new_org(self) -> list[str]:
        self.made += 1
        org = f"org-regroup-{self.made}"
        region = self.pick("MATCH (r:Region) RETURN r.id AS id")
        self.store.write(
            "CREATE (o:Organisation {id: $id, name: $id}) WITH o "
            "MATCH (r:Region {id: $r}) CREATE (o)-[:LOCATED_IN]->(r)",
            {"id": org, "r": region},
        )
        return [org]

    def link(self) -> list[str]:
        a = self.pick("MATCH (o:Organisation) RETURN o.id AS id")
        b = self.pick("MATCH (o:Organisation) RETURN o.id AS id")
        kind = self.rng.choice(["COOPERATES_WITH", "MEMBER_OF"])
        self.store.write(
            f"MATCH (a:Organisation {{id: $a}}), (b:Organisation {{id: $b}}) "
            f"CREATE (a)-[:{kind}]->(b)",
            {"a": a, "b": b},
        )
        return [str(a)]

    def unlink(self) -> list[str]:
        row = self.store.read(
            "MATCH (a)-[e]->(b) WHERE a.id IS NOT NULL AND b.id IS NOT NULL "
            "RETURN a.id AS a, id(e) AS e ORDER BY a.id, id(e)"
        )
        chosen = self.rng.choice(row)
        self.store.write("MATCH ()-[e]->() WHERE id(e) = $e DELETE e", {"e": chosen["e"]})
        return [str(chosen["a"])]

    def move_org(self) -> list[str]:
        org = self.pick("MATCH (o:Organisation)-[:LOCATED_IN]->() RETURN o.id AS id")
        region = self.pick("MATCH (r:Region) RETURN r.id AS id")
        self.store.write(
            "MATCH (o:Organisation {id: $o})-[e:LOCATED_IN]->() DELETE e WITH DISTINCT o "
            "MATCH (r:Region {id: $r}) CREATE (o)-[:LOCATED_IN]->(r)",
            {"o": org, "r": region},
        )
        return [str(org)]

    def delete_region(self) -> list[str]:
        region = self.pick("MATCH (r:Region)<-[:LOCATED_IN]-() RETURN r.id AS id")
        self.store.write("MATCH (r:Region {id: $r}) DETACH DELETE r", {"r": region})
        return [str(region)]

    def delete_org(self) -> list[str]:
        org = self.pick("MATCH (o:Organisation)<-[:WORKS_AT]-() RETURN o.id AS id")
        self.store.write("MATCH (o:Organisation {id: $o}) DETACH DELETE o", {"o": org})
        return [str(org)]

    def new_job(self) -> list[str]:
        person = self.pick("MATCH (p:Person) RETURN p.id AS id")
        org = self.pick("MATCH (o:Organisation) RETURN o.id AS id")
        self.store.write(
            "MATCH (p:Person {id: $p}), (o:Organisation {id: $o}) CREATE (p)-[:WORKS_AT]->(o)",
            {"p": person, "o": org},
        )
        return [str(org)]  # one end is enough: the other's group follows

    def publish(self) -> list[str]:
        draft = self.pick("MATCH (c:Challenge {status: 'draft'}) RETURN c.id AS id")
        if draft is None:
            return self.new_org()
        self.store.write("MATCH (c:Challenge {id: $c}) SET c.status = 'published'", {"c": draft})
        return [draft]

    def new_draft(self) -> list[str]:
        self.made += 1
        org = self.pick("MATCH (o:Organisation) RETURN o.id AS id")
        draft = f"challenge-regroup-{self.made}"
        self.store.write(
            "MATCH (o:Organisation {id: $o}) "
            "CREATE (o)-[:POSES]->(:Challenge {id: $c, name: $c, status: 'draft'})",
            {"o": org, "c": draft},
        )
        return [draft]

    def erase(self) -> list[str]:
        person = self.pick("MATCH (p:Person) RETURN p.id AS id")
        if person is None:
            return self.new_org()
        self.store.erase_node(person)
        return [person]

    def community(self) -> list[str]:
        nodes = _ids(
            self.store, "MATCH (n) WHERE n.id IS NOT NULL AND NOT n:_History RETURN n.id AS id"
        )
        chosen = self.rng.sample(nodes, min(len(nodes), self.rng.choice([1, 3, 40])))
        value = self.rng.choice([0, 1, 2, 7, None])
        self.store.write(
            "UNWIND $ids AS i MATCH (n {id: i}) SET n.metric_community = $c",
            {"ids": chosen, "c": value},
        )
        return chosen

    def small_group(self) -> list[str]:
        """Topics without links: a label group that reaches MIN_GROUP (leaves "Weitere")."""
        made = []
        for _ in range(MIN_GROUP):
            self.made += 1
            made.append(f"topic-regroup-{self.made}")
        self.store.write("UNWIND $ids AS i CREATE (:Topic {id: i, name: i})", {"ids": made})
        return made


@pytest.mark.parametrize("role", ROLES)
def test_groups_patched_at_the_touched_nodes_equal_a_fresh_grouping(
    seeded_store: GraphStore, role: str
) -> None:
    index = GroupIndex(fetch_outline_arrays(seeded_store, role=role))
    _same(index.grouping(), group_outline(fetch_outline_arrays(seeded_store, role=role)), "start")
    writes = _Writes(seeded_store, seed=len(role))
    steps = [
        "new_org", "link", "unlink", "move_org", "new_job", "delete_org", "publish",
        "new_draft", "erase", "small_group", "delete_region", "link", "unlink",
    ]  # fmt: skip
    order = steps + [writes.rng.choice(steps + ["community"] * 3) for _ in range(40)]
    for number, name in enumerate(order):
        before = index.grouping()
        touched = getattr(writes, name)()
        changed = index.patch(read_touched(seeded_store, touched, role=role))
        fresh = group_outline(fetch_outline_arrays(seeded_store, role=role))
        _same(index.grouping(), fresh, f"step {number}: {name}")
        assert index.total == sum(len(m) for m in fresh.members.values())
        # the parts said to have changed are every group whose members changed and every
        # bucket of degrees that did (the parts the store is sent again)
        after = index.grouping()
        differ = {
            key
            for key in before.members.keys() | after.members.keys()
            if before.members.get(key) != after.members.get(key)
        }
        assert differ <= changed.groups, (number, name)
        moved = {
            k
            for k in before.degree.keys() | after.degree.keys()
            if before.degree[k] != after.degree[k]
        }
        assert {_bucket(k) for k in moved} <= changed.buckets, (number, name)
    assert index.by_community or writes.made  # the run got somewhere
