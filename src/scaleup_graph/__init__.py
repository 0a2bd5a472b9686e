"""ScaleUp Graph: the stakeholder network of a regional development agency as a knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scaleup-graph")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
