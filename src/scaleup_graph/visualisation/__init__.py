"""The network explorer: views of the graph as vis-network JSON, the page, the offline export.

Layering: reads the store (through :mod:`.fetch`) and the privacy rules of
:mod:`scaleup_graph.queries.privacy`; the API route and the CLI only call what is here.
"""

from scaleup_graph.visualisation.aggregate import AGGREGATE_ABOVE
from scaleup_graph.visualisation.export import export_data, export_html, write_export
from scaleup_graph.visualisation.page import ASSETS, asset, boot_data, render_page
from scaleup_graph.visualisation.texts import DEFAULT_LANG, LANGS, TEXTS
from scaleup_graph.visualisation.views import (
    MAX_HOPS,
    ViewFilter,
    details,
    expand,
    explorer_view,
    filter_options,
    node_tags,
    path_view,
    search,
)

__all__ = [
    "AGGREGATE_ABOVE",
    "ASSETS",
    "DEFAULT_LANG",
    "LANGS",
    "MAX_HOPS",
    "TEXTS",
    "ViewFilter",
    "asset",
    "boot_data",
    "details",
    "expand",
    "explorer_view",
    "export_data",
    "export_html",
    "filter_options",
    "node_tags",
    "path_view",
    "render_page",
    "search",
    "write_export",
]
