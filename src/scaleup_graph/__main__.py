"""``python -m scaleup_graph`` runs the ``scaleup`` command."""

from scaleup_graph.cli import main

main()
