"""The schema: labels, relationship types, properties, keys, PII flags, deterministic ids."""

from scaleup_graph.graph_model.ids import fold, identifier_hashes, make_id, person_id, slugify
from scaleup_graph.graph_model.schema import (
    KEY,
    METRIC_PREFIX,
    NODE_TYPES,
    ORGANISATION_KINDS,
    REL_TYPES,
    SEARCH_KEYS,
    VOLATILE_PROPERTIES,
    NodeType,
    Property,
    PropType,
    RelType,
)
from scaleup_graph.graph_model.validation import (
    FieldError,
    coerce,
    extra_labels,
    node_type,
    rel_type,
    validate_node,
    validate_relationship,
)

__all__ = [
    "KEY",
    "METRIC_PREFIX",
    "NODE_TYPES",
    "ORGANISATION_KINDS",
    "REL_TYPES",
    "SEARCH_KEYS",
    "VOLATILE_PROPERTIES",
    "FieldError",
    "NodeType",
    "PropType",
    "Property",
    "RelType",
    "coerce",
    "extra_labels",
    "fold",
    "identifier_hashes",
    "make_id",
    "node_type",
    "person_id",
    "rel_type",
    "slugify",
    "validate_node",
    "validate_relationship",
]
