"""The grouped overview's groups, kept with what it takes to change them at a few nodes.

:func:`~.aggregate.group_outline` groups a whole outline at once: Python work per node (each
node's group, the members' lists, the degrees), a few hundred ms at 80,000 nodes. After a write
that says at which nodes it changed the structure
(:meth:`~scaleup_graph.store.GraphStore.structure_changes`), :class:`GroupIndex` changes only
what those nodes touch: their own group, the region of the nodes located in them or working at
them, their neighbours' degrees, the links between groups of their relationships, and the
members of a group that joins or leaves the pool of small groups ("Weitere"). The answer is
the one :func:`~.aggregate.group_outline` gives for the outline read afresh (tested after every
kind of write, for every role).

Relationships are kept as sorted arrays of pair codes (``start * 2**31 + end``) per direction,
so the rows of a few nodes are found by binary search and a change copies arrays (no Python per
relationship). Node positions are stable: a node that is gone keeps its position, empty.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scaleup_graph.visualisation.aggregate import OTHER, Grouping, _largest, _outline_regions
from scaleup_graph.visualisation.fetch import Outline, Touched

__all__ = ["DEGREE_BUCKETS", "Changed", "GroupIndex"]

_BASE = np.int64(1 << 31)
_EMPTY = np.empty(0, dtype=np.int64)


class _Table:
    """Directed rows (start, end, weight) between node positions, unique, sorted by start."""

    def __init__(self, start: NDArray[np.int64], end: NDArray[np.int64], weight: Any) -> None:
        codes = start.astype(np.int64) * _BASE + end.astype(np.int64)
        self.code, inverse = np.unique(codes, return_inverse=True)
        weights = np.broadcast_to(np.asarray(weight, dtype=np.int64), codes.shape)
        self.weight = np.bincount(inverse, weights=weights, minlength=len(self.code)).astype(
            np.int64
        )

    def rows(self, starts: Iterable[int]) -> tuple[list[int], list[int], list[int]]:
        """Start, end and weight of the rows of ``starts``."""
        a: list[int] = []
        b: list[int] = []
        w: list[int] = []
        for p in starts:
            lo, hi = np.searchsorted(self.code, [p * _BASE, (p + 1) * _BASE])
            if hi > lo:
                codes = self.code[lo:hi]
                a.extend([p] * int(hi - lo))
                b.extend((codes - p * _BASE).tolist())
                w.extend(self.weight[lo:hi].tolist())
        return a, b, w

    def ends(self, start: int) -> list[int]:
        return self.rows([start])[1]

    def drop(self, codes: NDArray[np.int64]) -> None:
        """Remove the rows ``codes`` (each present)."""
        if len(codes):
            keep = np.ones(len(self.code), dtype=bool)
            keep[np.searchsorted(self.code, codes)] = False
            self.code, self.weight = self.code[keep], self.weight[keep]

    def add(self, codes: NDArray[np.int64], weights: NDArray[np.int64]) -> None:
        """Insert rows ``codes`` (sorted, unique, none present)."""
        if len(codes):
            at = np.searchsorted(self.code, codes)
            self.code = np.insert(self.code, at, codes)
            self.weight = np.insert(self.weight, at, weights)


class _Relation:
    """Rows kept both ways (by start and by end): the rows at a few nodes, either end."""

    def __init__(self, start: NDArray[np.int64], end: NDArray[np.int64], weight: Any = 1) -> None:
        self.out = _Table(start, end, weight)
        self.into = _Table(end, start, weight)

    def at(self, nodes: Iterable[int]) -> dict[tuple[int, int], int]:
        """Every row with an end in ``nodes``: (start, end) -> weight."""
        nodes = list(nodes)
        found: dict[tuple[int, int], int] = {}
        a, b, w = self.out.rows(nodes)
        found.update(((x, y), z) for x, y, z in zip(a, b, w, strict=True))
        a, b, w = self.into.rows(nodes)
        found.update(((y, x), z) for x, y, z in zip(a, b, w, strict=True))
        return found

    def replace(self, old: dict[tuple[int, int], int], new: dict[tuple[int, int], int]) -> None:
        """Drop the rows ``old`` (present), add the rows ``new`` (absent after the drop)."""
        for table, flip in ((self.out, False), (self.into, True)):
            table.drop(np.sort(np.asarray([_code(p, flip) for p in old], dtype=np.int64)))
            codes = np.asarray([_code(p, flip) for p in new], dtype=np.int64)
            order = np.argsort(codes)
            weights = np.asarray(list(new.values()), dtype=np.int64)
            table.add(codes[order], weights[order] if len(weights) else _EMPTY)


#: the degrees are kept in this many parts (by a hash of the node's id)
DEGREE_BUCKETS = 256


def _bucket(key: str) -> int:
    return zlib.crc32(key.encode()) % DEGREE_BUCKETS


@dataclass(frozen=True)
class Changed:
    """What a :meth:`GroupIndex.patch` changed: the groups whose members changed (or that
    are gone) and the buckets of degrees (:meth:`GroupIndex.degree_part`) that changed."""

    groups: set[str]
    buckets: set[int]


def _code(pair: tuple[int, int], flip: bool) -> int:
    a, b = (pair[1], pair[0]) if flip else pair
    return a * int(_BASE) + b


class GroupIndex:
    """The overview's :class:`~.aggregate.Grouping` of an outline, changed in place at the
    nodes a write touched (:meth:`patch`); :meth:`grouping` is the answer now."""

    def __init__(self, outline: Outline) -> None:
        n = len(outline.keys)
        self.keys: list[str] = list(outline.keys)
        self.position: dict[str, int] = {k: i for i, k in enumerate(self.keys)}
        self.labels: list[str | None] = list(outline.labels)
        self.community: dict[int, Any] = dict(outline.community)
        self.present = n
        #: each node's bucket of degrees (a hash of its id, the same in every process)
        self.bucket = np.fromiter((_bucket(k) for k in self.keys), dtype=np.int16, count=n)
        #: one string per group key, shared by every node in it
        self.names: dict[str, str] = {}
        a, b = outline.pairs(outline.codes)
        parts_a, parts_b, parts_w = [a], [b], [outline.counts]
        typed: dict[str, tuple[NDArray[np.int64], NDArray[np.int64]]] = {}
        for kind in ("LOCATED_IN", "WORKS_AT"):
            ta, tb = outline.pairs(outline.typed.get(kind, _EMPTY))
            typed[kind] = (ta, tb)
            parts_a.append(ta)
            parts_b.append(tb)
            parts_w.append(np.ones(len(ta), dtype=np.int64))
        weight = np.concatenate(parts_w)
        linked = weight > 0
        ra, rb = np.concatenate(parts_a)[linked], np.concatenate(parts_b)[linked]
        self.rel = _Relation(ra, rb, weight[linked])
        self.located = _Relation(*typed["LOCATED_IN"])
        self.works = _Relation(*typed["WORKS_AT"])
        by_id = np.argsort(np.asarray(self.keys, dtype=str), kind="stable").astype(np.int64)
        rank = np.empty(n, dtype=np.int64)
        rank[by_id] = np.arange(n)
        before, region = _outline_regions(outline, rank)
        self.before: NDArray[np.int64] = before.astype(np.int64)
        self.region: NDArray[np.int64] = region.astype(np.int64)
        self.by_community = len(self.community) * 2 >= max(n, 1)
        self.raw: list[str | None] = [self._raw(p) for p in range(n)]
        self.sizes: Counter[str] = Counter(k for k in self.raw if k is not None)
        self.kept = _largest(self.sizes)
        final = [self._final(k) for k in self.raw if k is not None]
        self.of_node: dict[str, str] = dict(zip(self.keys, final, strict=True))
        self.members: dict[str, list[str]] = {}
        for p in by_id.tolist():
            self.members.setdefault(final[p], []).append(self.keys[p])
        out = self.rel.out
        starts, ends = out.code // _BASE, out.code % _BASE
        degree = np.bincount(starts, weights=out.weight, minlength=n)
        degree += np.bincount(ends, weights=out.weight, minlength=n)
        nonzero = np.flatnonzero(degree)
        self.degree: Counter[str] = Counter(
            {self.keys[p]: int(degree[p]) for p in nonzero.tolist()}
        )
        names = sorted(set(final))
        index = {k: i for i, k in enumerate(names)}
        of = np.asarray([index[k] for k in final], dtype=np.int64)
        ga, gb = of[starts], of[ends]
        other = ga != gb
        low, high = np.minimum(ga, gb)[other], np.maximum(ga, gb)[other]
        count = len(names)
        links = np.bincount(low * count + high, weights=out.weight[other], minlength=count**2)
        self.links: Counter[tuple[str, str]] = Counter(
            {(names[c // count], names[c % count]): int(links[c]) for c in np.flatnonzero(links)}
        )

    # -- one node's state ----------------------------------------------------------------

    def _before(self, p: int) -> int:
        """The first region (by id) the node is located in, itself for a region, else -1."""
        targets = self.located.out.ends(p)
        if targets:
            return min(targets, key=self.keys.__getitem__)
        return p if self.labels[p] == "Region" else -1

    def _region(self, p: int) -> int:
        """:meth:`_before`, else the region of the first employer (by id) that has one."""
        if self.before[p] >= 0:
            return int(self.before[p])
        employers = [t for t in self.works.out.ends(p) if self.before[t] >= 0]
        if not employers:
            return -1
        return int(self.before[min(employers, key=self.keys.__getitem__)])

    def _raw(self, p: int) -> str | None:
        """The node's group before small groups are pooled; None for a node not there."""
        label = self.labels[p]
        if label is None:
            return None
        if self.by_community and p in self.community:
            key = f"community:{self.community[p]}"
        elif not self.by_community and self.region[p] >= 0:
            key = f"region:{self.keys[self.region[p]]}"
        else:
            key = f"label:{label}"
        return self.names.setdefault(key, key)

    def _final(self, raw: str) -> str:
        return raw if raw in self.kept else OTHER

    # -- the answer ----------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many nodes the outline holds now."""
        return self.present

    def grouping(self) -> Grouping:
        """The groups now. Members' lists, links and degrees are copies a later
        :meth:`patch` does not change (the lists it changes it replaces); ``of_node`` is
        this index's own mapping, changed by the next patch."""
        return Grouping(
            "community" if self.by_community else "region",
            of_node=self.of_node,
            members=dict(self.members),
            links=Counter(self.links),
            degree=self.degree.copy(),
        )

    # -- a change at a few nodes ---------------------------------------------------------

    def patch(self, change: Touched) -> Changed:
        """Apply the nodes ``change`` read again (as :func:`~.fetch.read_touched` reads them):
        each as it is now, with every relationship it has now. Returns the groups whose
        members changed and the buckets of degrees that changed (the parts to write again)."""
        for key in change.wanted:
            if key not in self.position and key in change.now:
                self.position[key] = len(self.keys)
                self.keys.append(key)
                self.labels.append(None)
                self.raw.append(None)
                self.before = np.append(self.before, np.int64(-1))
                self.region = np.append(self.region, np.int64(-1))
                self.bucket = np.append(self.bucket, np.int16(_bucket(key)))
        touched = {self.position[k] for k in change.wanted if k in self.position}
        # the nodes themselves
        for p in touched:
            now = change.now.get(self.keys[p])
            self.present += (now is not None) - (self.labels[p] is not None)
            self.labels[p] = now[0] if now else None
            self.community.pop(p, None)
            if now is not None and now[1] is not None:
                self.community[p] = now[1]
        # their relationships: the rows at them now, between nodes that are there
        fresh: dict[str, dict[tuple[int, int], int]] = {"": {}, "LOCATED_IN": {}, "WORKS_AT": {}}
        for start, kind, end in change.relationships:
            a, b = self.position.get(start, -1), self.position.get(end, -1)
            if a < 0 or b < 0 or self.labels[a] is None or self.labels[b] is None:
                continue
            fresh[""][(a, b)] = fresh[""].get((a, b), 0) + 1
            if kind in fresh:
                fresh[kind][(a, b)] = 1
        old_rel = self.rel.at(touched)
        old_located, old_works = self.located.at(touched), self.works.at(touched)
        self.rel.replace(old_rel, fresh[""])
        self.located.replace(old_located, fresh["LOCATED_IN"])
        self.works.replace(old_works, fresh["WORKS_AT"])
        # regions: the nodes located at a touched node, then those working at a changed one
        moved_before = set()
        for p in touched | {a for a, _ in (*old_located, *fresh["LOCATED_IN"])}:
            value = self._before(p) if self.labels[p] is not None else -1
            if value != self.before[p]:
                self.before[p] = value
                moved_before.add(p)
        again = touched | moved_before | {a for a, _ in (*old_works, *fresh["WORKS_AT"])}
        for q in moved_before:
            again.update(self.works.into.ends(q))
        for p in again:
            self.region[p] = self._region(p) if self.labels[p] is not None else -1
        # each changed node's group before pooling
        by_community = len(self.community) * 2 >= max(self.present, 1)
        if by_community != self.by_community:
            self.by_community = by_community
            again = set(range(len(self.keys)))
        for p in again:
            raw = self._raw(p)
            old = self.raw[p]
            if raw == old:
                continue
            if old is not None:
                self.sizes[old] -= 1
                if not self.sizes[old]:
                    del self.sizes[old]
            if raw is not None:
                self.sizes[raw] += 1
            self.raw[p] = raw
        kept = _largest(self.sizes)
        flipped = kept ^ self.kept
        self.kept = kept
        changed = set(again)
        if flipped:  # a group joins or leaves "Weitere": all its members (a scan, seldom)
            changed.update(p for p, key in enumerate(self.raw) if key in flipped)
        # nodes whose group changed: members, then the links of their relationships
        before_final = {p: self.of_node.get(self.keys[p]) for p in changed}
        after_final = {p: self._final(r) if (r := self.raw[p]) else None for p in changed}
        moved = {p for p in changed if before_final[p] != after_final[p]} | touched
        # links: out with each row at a moved node as it was, in as it is now
        settled = self.rel.at(moved - touched)
        old_rows = {**{k: v for k, v in settled.items() if not (set(k) & touched)}, **old_rel}
        new_rows = {**{k: v for k, v in settled.items() if not (set(k) & touched)}, **fresh[""]}
        for (a, b), w in old_rows.items():
            self._link_as(a, b, -w, before_final)
        for p in moved:
            key = self.keys[p]
            if after_final[p] is None:
                self.of_node.pop(key, None)
            else:
                self.of_node[key] = str(after_final[p])
        for (a, b), w in new_rows.items():
            self._link_as(a, b, w, {})
        # degrees: the rows at the touched nodes
        delta: Counter[int] = Counter()
        for rows, sign in ((old_rel, -1), (fresh[""], 1)):
            for (a, b), w in rows.items():
                delta[a] += sign * w
                delta[b] += sign * w
        buckets: set[int] = set()
        for p, step in delta.items():
            if step:
                key = self.keys[p]
                self.degree[key] += step
                if not self.degree[key]:
                    del self.degree[key]
                buckets.add(int(self.bucket[p]))
        # members' lists: each changed group's list made again, the others kept
        leaving: dict[str, set[str]] = {}
        joining: dict[str, list[str]] = {}
        for p in moved:
            old, new = before_final[p], after_final[p]
            if old == new:
                continue
            if old is not None:
                leaving.setdefault(old, set()).add(self.keys[p])
            if new is not None:
                joining.setdefault(new, []).append(self.keys[p])
        members = dict(self.members)
        for key in leaving.keys() | joining.keys():
            kept_members = [m for m in members.get(key, ()) if m not in leaving.get(key, ())]
            members[key] = sorted(kept_members + joining.get(key, []))
            if not members[key]:
                del members[key]
        self.members = dict(sorted(members.items(), key=lambda item: item[1][0]))
        buckets.update(int(self.bucket[p]) for p in moved)  # a node gone or new: its degree
        return Changed(leaving.keys() | joining.keys(), buckets)

    def degree_part(self, bucket: int) -> dict[str, int]:
        """The degrees of the nodes in ``bucket`` (of :data:`DEGREE_BUCKETS`, by a hash of
        the id: the same in every process), those with links."""
        at = np.flatnonzero(self.bucket == bucket).tolist()
        found = {self.keys[p]: self.degree.get(self.keys[p], 0) for p in at}
        return {k: v for k, v in sorted(found.items()) if v}

    def _link_as(self, a: int, b: int, weight: int, final: dict[int, str | None]) -> None:
        ga = final[a] if a in final else self.of_node.get(self.keys[a])
        gb = final[b] if b in final else self.of_node.get(self.keys[b])
        if ga is None or gb is None or ga == gb:
            return
        pair = (ga, gb) if ga < gb else (gb, ga)
        self.links[pair] += weight
        if not self.links[pair]:
            del self.links[pair]
