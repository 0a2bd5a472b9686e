"""ScaleUp Graph benchmark suite (``python -m bench``); see bench/README.md."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
