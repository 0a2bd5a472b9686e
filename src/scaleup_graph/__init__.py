"""ScaleUp Graph: the stakeholder network of a regional development agency as a knowledge graph."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    __version__: str

__all__ = ["__version__"]


@cache
def _version() -> str:
    # importlib.metadata takes a tenth of a second to import: only when the version is asked
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scaleup-graph")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
