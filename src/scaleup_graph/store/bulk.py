"""FalkorDB's bulk insert protocol (GRAPH.BULK), as falkordb-bulk-loader speaks it.

One command creates a graph that does not exist yet (first token ``BEGIN``) and later commands
add to it::

    GRAPH.BULK graph [BEGIN] node_count edge_count label_count type_count LABEL... TYPE...

A LABEL token is the label text (several labels joined by ``:``), NUL-terminated, a uint32
property count and the property names (NUL-terminated), then for each node one typed value per
property. A TYPE token is the same header, then for each relationship the uint64 positions of its
start and end node in the order nodes were sent (counted over all commands) and its values. A
value is a type byte and the value: 0 null (the property is not set), 1 bool, 2 double (float64),
3 string (UTF-8, NUL-terminated), 4 long (int64), 5 array (int64 length, then typed values).
Multi-byte numbers are little-endian as the loader packs them ("=" on the machines both run on).

:func:`encode` turns a :class:`~.staged.StagedGraph` into the commands' arguments, at most
``max_bytes`` of tokens per command (the loader's default, 64 MB); :func:`encode_nodes`,
:func:`encode_relationships` (some types) and :func:`encode_history` do it in parts, so the
store's bulk writer can send the nodes while ingest still stages the relationships. That writer
sends no ``BEGIN``: it creates the empty graph with its indexes first (setup_schema), and the
engine keeps the indexes up as GRAPH.BULK adds to the (new, so densely numbered) graph.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from scaleup_graph.store.cypher import HISTORY_LABEL
from scaleup_graph.store.staged import StagedGraph, StagedNode

__all__ = [
    "BulkCommand",
    "encode",
    "encode_ahead",
    "encode_history",
    "encode_nodes",
    "encode_relationships",
    "encode_value",
]

MAX_BYTES = 64_000_000
_NULL = b"\x00"
_TRUE = struct.pack("=B?", 1, True)
_FALSE = struct.pack("=B?", 1, False)
_DOUBLE = struct.Struct("=Bd")
_LONG = struct.Struct("=Bq")
_ARRAY = struct.Struct("=Bq")
_ENDS = struct.Struct("=QQ")
_COUNT = struct.Struct("=I")
_INT64 = range(-(2**63), 2**63)
_MIN_INT64, _MAX_INT64 = -(2**63), 2**63 - 1


def encode_value(value: Any) -> bytes:
    """One property value in the bulk format.

    >>> encode_value("Kassel")
    b'\\x03Kassel\\x00'
    >>> encode_value(None), encode_value(True), len(encode_value(1.5)), len(encode_value(7))
    (b'\\x00', b'\\x01\\x01', 9, 9)
    >>> encode_value(["a"])
    b'\\x05\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x03a\\x00'
    """
    kind = type(value)
    if kind is str:  # most values: checked first, by exact type
        return b"\x03" + value.encode() + b"\x00"
    if kind is float:
        return _DOUBLE.pack(2, value)
    if value is None:
        return _NULL
    if isinstance(value, str):
        return b"\x03" + value.encode() + b"\x00"
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, int):
        if value not in _INT64:
            raise ValueError(f"{value} does not fit a 64-bit integer")
        return _LONG.pack(4, value)
    if isinstance(value, float):
        return _DOUBLE.pack(2, value)
    if isinstance(value, list | tuple):
        return _ARRAY.pack(5, len(value)) + b"".join(encode_value(v) for v in value)
    raise ValueError(f"a {type(value).__name__} cannot be stored as a property")


def _texts(texts: Sequence[str]) -> bytes:
    """Texts in a row, each a type byte, the text and a NUL, encoded at once (a text holds no
    NUL: the validator refuses one)."""
    return b"\x03" + "\x00\x03".join(texts).encode() + b"\x00"


def _values(props: dict[str, Any], names: Sequence[str]) -> bytes:
    """The values of ``names`` in ``props``, in order: :func:`encode_value` with the commonest
    cases inline (a run of texts encoded at once: :func:`_texts`), which halves the time of a
    large load."""
    out: list[bytes] = []
    texts: list[str] = []
    append, get = out.append, props.get
    for name in names:
        value: Any = get(name)
        kind = type(value)
        if kind is str:
            texts.append(value)
            continue
        if texts:
            append(_texts(texts))
            texts.clear()
        if value is None:
            append(_NULL)
        elif kind is float:
            append(_DOUBLE.pack(2, value))
        elif kind is bool:
            append(_TRUE if value else _FALSE)
        elif kind is int and _MIN_INT64 <= value <= _MAX_INT64:
            append(_LONG.pack(4, value))
        elif kind is list and all(type(item) is str for item in value):
            append(_ARRAY.pack(5, len(value)))
            if value:
                append(_texts(value))
        else:
            append(encode_value(value))
    if texts:
        append(_texts(texts))
    return b"".join(out)


def _header(name: str, props: Sequence[str]) -> bytes:
    parts = [name.encode(), b"\x00", _COUNT.pack(len(props))]
    for prop in props:
        parts += [prop.encode(), b"\x00"]
    return b"".join(parts)


@dataclass(slots=True)
class BulkCommand:
    """The arguments of one GRAPH.BULK command after the graph name."""

    nodes: int = 0
    relationships: int = 0
    labels: list[bytes] = field(default_factory=list)
    types: list[bytes] = field(default_factory=list)
    size: int = 0

    def args(self, begin: bool) -> list[Any]:
        head: list[Any] = ["BEGIN"] if begin else []
        return [
            *head,
            self.nodes,
            self.relationships,
            len(self.labels),
            len(self.types),
            *self.labels,
            *self.types,
        ]


class _Packer:
    """Fills commands token by token; a token or command that would pass the limit is closed."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.command = BulkCommand()
        self.done: list[BulkCommand] = []

    def add(self, header: bytes, entities: Iterator[bytes], relationships: bool) -> None:
        chunk: list[bytes] = []
        size = len(header)
        for entity in entities:
            if chunk and self.command.size + size + len(entity) > self.max_bytes:
                self._close_token(header, chunk, relationships)
                self._next_command()
                chunk, size = [], len(header)
            chunk.append(entity)
            size += len(entity)
        if chunk:
            self._close_token(header, chunk, relationships)

    def _close_token(self, header: bytes, chunk: list[bytes], relationships: bool) -> None:
        token = header + b"".join(chunk)
        if relationships:
            self.command.types.append(token)
            self.command.relationships += len(chunk)
        else:
            self.command.labels.append(token)
            self.command.nodes += len(chunk)
        self.command.size += len(token)

    def _next_command(self) -> None:
        self.done.append(self.command)
        self.command = BulkCommand()

    def finish(self) -> list[BulkCommand]:
        if self.command.nodes or self.command.relationships or not self.done:
            self.done.append(self.command)
        return self.done


def _node_entity(node: StagedNode) -> tuple[tuple[str, ...], bytes]:
    """A node's property names (sorted) and its values in that order: its entity in a LABEL
    token whose header names exactly these properties."""
    names = tuple(sorted(node.props))
    return names, _values(node.props, names)


def encode_ahead(graph: StagedGraph, count: int = 256) -> bool:
    """Encode up to ``count`` of the nodes written since the last call (their encoding is kept
    on the node until it changes again), so that :func:`encode_nodes` has less left to do; a
    bulk load calls this while it waits for its input. False when none is left."""
    changed = graph.changed
    if not changed or graph.nodes_sent:
        return False
    take = changed[-count:]
    del changed[-count:]
    for node in take:
        if node.encoded is None:
            node.encoded = _node_entity(node)
    return bool(changed)


def encode_nodes(
    graph: StagedGraph, max_bytes: int = MAX_BYTES
) -> tuple[list[BulkCommand], dict[int, int]]:
    """The commands that create the nodes of ``graph`` (one LABEL token per label set and set
    of properties: no node sends a null), and each node's position in the order they are sent
    (by serial): what a relationship names its ends by. Nodes that :func:`encode_ahead`
    encoded and that did not change since are not encoded again."""
    packer = _Packer(max_bytes)
    #: (label set, property names) -> each node's serial and entity
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[int, bytes]]] = {}
    for node in graph.nodes():
        names, entity = node.encoded = node.encoded or _node_entity(node)
        groups.setdefault((tuple(node.labels), names), []).append((node.serial, entity))
    graph.changed.clear()
    position: dict[int, int] = {}
    for (labels, names), members in groups.items():
        for serial, _ in members:
            position[serial] = len(position)
        entities = (entity for _, entity in members)
        packer.add(_header(":".join(labels), names), entities, relationships=False)
    return packer.finish(), position


def encode_history(graph: StagedGraph, max_bytes: int = MAX_BYTES) -> list[BulkCommand]:
    """The commands that create the nodes' history entries (no relationship points at them, so
    they can follow everything else)."""
    packer = _Packer(max_bytes)
    if graph.history:
        names = sorted({name for entry in graph.history for name in entry})
        packer.add(
            _header(HISTORY_LABEL, names),
            (_values(entry, names) for entry in graph.history),
            relationships=False,
        )
    return packer.finish()


def encode_relationships(
    graph: StagedGraph,
    types: Iterable[str],
    position: dict[int, int],
    max_bytes: int = MAX_BYTES,
) -> list[BulkCommand]:
    """The commands that create the relationships of ``types``, grouped by type; ``position``
    is :func:`encode_nodes`'s."""
    packer = _Packer(max_bytes)
    for type_ in types:
        rels = graph.relationships.get(type_)
        if not rels:
            continue
        names = tuple(sorted({name for _, _, props in rels.values() for name in props}))
        packer.add(
            _header(type_, names), _relationship_entities(rels.values(), names, position), True
        )
    return packer.finish()


#: a type's relationships repeat their values (provenance, a level, a role): their encoding is
#: looked up by the values, unless after this many distinct ones most were not repeated
_MEMO_TRIAL = 2048


def _relationship_entities(
    rels: Iterable[tuple[StagedNode, StagedNode, dict[str, Any]]],
    names: tuple[str, ...],
    position: dict[int, int],
) -> Iterator[bytes]:
    memo: dict[tuple[Any, ...], bytes] | None = {}
    hits = 0
    pack = _ENDS.pack
    for a, b, props in rels:
        ends = pack(position[a.serial], position[b.serial])
        if memo is None:
            yield ends + _values(props, names)
            continue
        key = tuple(map(props.get, names))
        try:
            values = memo.get(key)
        except TypeError:  # a list value: not a key
            yield ends + _values(props, names)
            continue
        if values is None:
            values = memo[key] = _values(props, names)
            if len(memo) > _MEMO_TRIAL and hits < len(memo):
                memo = None  # the values hardly repeat: not worth a lookup
        else:
            hits += 1
        yield ends + values


def encode(graph: StagedGraph, max_bytes: int = MAX_BYTES) -> list[BulkCommand]:
    """The GRAPH.BULK commands that create ``graph`` at once: :func:`encode_nodes`, the history
    entries, then :func:`encode_relationships` of every type, each command at most
    ``max_bytes`` of tokens (a single larger entity gets a command of its own)."""
    nodes, position = encode_nodes(graph, max_bytes)
    commands = [*nodes, *encode_history(graph, max_bytes)]
    commands += encode_relationships(graph, list(graph.relationships), position, max_bytes)
    return [c for c in commands if c.nodes or c.relationships] or [BulkCommand()]
