"""Run the ``scaleup`` command as a user would: a new process, its own environment."""

from __future__ import annotations

import subprocess
import sys


def scaleup(
    env: dict[str, str], *args: str, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m scaleup_graph ARGS`` with ``env``; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "scaleup_graph", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
