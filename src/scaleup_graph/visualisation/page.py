"""The explorer page: served by the API (scripts as separate files) or self-contained (inline).

vis-network comes from the installed ``pyvis`` wheel (``pyvis/lib/vis-9.1.2``), so neither the
served page nor an exported file loads anything from the internet.
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from scaleup_graph.graph_model import METRIC_PREFIX, REL_TYPES, words
from scaleup_graph.visualisation.aggregate import AGGREGATE_ABOVE
from scaleup_graph.visualisation.styles import legend
from scaleup_graph.visualisation.texts import DEFAULT_LANG, LANGS, TEXTS
from scaleup_graph.visualisation.views import MAX_HOPS

__all__ = [
    "ASSETS",
    "VIS_VERSION",
    "asset",
    "boot_data",
    "render_page",
    "script_json",
]

VIS_VERSION = "vis-9.1.2"
#: file name -> (package, path inside it, media type): the only files the app serves
ASSETS: dict[str, tuple[str, str, str]] = {
    "explorer.js": ("scaleup_graph.visualisation", "static/explorer.js", "text/javascript"),
    "explorer.css": ("scaleup_graph.visualisation", "static/explorer.css", "text/css"),
    "vis-network.min.js": ("pyvis", f"lib/{VIS_VERSION}/vis-network.min.js", "text/javascript"),
    "vis-network.css": ("pyvis", f"lib/{VIS_VERSION}/vis-network.css", "text/css"),
}
ASSET_PREFIX = "/explorer/assets/"

# Licence comments and namespace strings in the libraries hold URLs; written as "http:\/\/..."
# they mean the same to JavaScript yet no external URL is left in an exported file.
_SLOT = re.compile(r"@@(TITLE|HEAD|BOOT|SCRIPTS)@@")
_END_SCRIPT = re.compile(r"</(script)", re.IGNORECASE)
_URL = re.compile(r"\b(https?):(?=//)//")


@cache
def asset(name: str) -> str:
    """The text of one served file (KeyError for anything not in :data:`ASSETS`).

    A package's files are found without importing it where it lies in a folder: importing
    ``pyvis`` (IPython-era dependencies) takes 0.2 s, which a fresh worker's first page paid
    before vis-network's first byte."""
    package, path, _ = ASSETS[name]
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    for folder in folders:
        found = Path(folder, path)
        if found.is_file():
            return found.read_text(encoding="utf-8")
    return resources.files(package).joinpath(path).read_text(encoding="utf-8")


def _inline_safe(code: str) -> str:
    # Only "</script" ends an inline script; "<\/script" means the same inside strings and
    # regular expressions (a blanket "</" replacement would break the regex literal "/</").
    code = _URL.sub(lambda m: m.group(1) + r":\/\/", code)
    return _END_SCRIPT.sub(lambda m: "<\\/" + m.group(1), code)


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``</script>``, no
    markup, and no literal URL (slashes escaped, which JSON allows)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("/", "\\/")
    )


def _editor_present() -> bool:
    return resources.files("scaleup_graph.visualisation").joinpath("static/editor.js").is_file()


if _editor_present():  # issue 17's in-page editing, loaded only where it exists
    ASSETS["editor.js"] = ("scaleup_graph.visualisation", "static/editor.js", "text/javascript")
    ASSETS["editor.css"] = ("scaleup_graph.visualisation", "static/editor.css", "text/css")


def boot_data(mode: str, **extra: Any) -> dict[str, Any]:
    """What the page script starts from: texts in every language, legends, the plain words of
    relationship types and measures, limits."""
    return {
        "mode": mode,
        "lang": DEFAULT_LANG,
        "langs": list(LANGS),
        "texts": TEXTS,
        "legend": {lang: legend(lang) for lang in LANGS},
        "relWords": {lang: {t: words.rel_name(t, lang) for t in REL_TYPES} for lang in LANGS},
        "relWordsIn": {
            lang: {t: words.rel_name(t, lang, direction="in") for t in REL_TYPES} for lang in LANGS
        },
        "measureWords": {
            lang: {f"{METRIC_PREFIX}{m}": words.measure_name(m, lang) for m in words.MEASURES}
            for lang in LANGS
        },
        "maxHops": MAX_HOPS,
        "aggregateAbove": AGGREGATE_ABOVE,
        "api": "/api/v1/explorer",
        **extra,
    }


def render_page(boot: dict[str, Any], *, inline: bool) -> str:
    """The HTML page. ``inline=True`` puts every script and style into the file (export)."""
    template = (
        resources.files("scaleup_graph.visualisation")
        .joinpath("static/explorer.html")
        .read_text(encoding="utf-8")
    )
    if inline:
        head = f"<style>{asset('vis-network.css')}</style>\n<style>{asset('explorer.css')}</style>"
        scripts = (
            f"<script>{_inline_safe(asset('vis-network.min.js'))}</script>\n"
            f"<script>{_inline_safe(asset('explorer.js'))}</script>"
        )
    else:
        head = (
            f'<link rel="stylesheet" href="{ASSET_PREFIX}vis-network.css">\n'
            f'<link rel="stylesheet" href="{ASSET_PREFIX}explorer.css">'
        )
        scripts = (
            f'<script src="{ASSET_PREFIX}vis-network.min.js"></script>\n'
            f'<script src="{ASSET_PREFIX}explorer.js"></script>'
        )
        if "editor.js" in ASSETS:
            head += f'\n<link rel="stylesheet" href="{ASSET_PREFIX}editor.css">'
            scripts += f'\n<script src="{ASSET_PREFIX}editor.js"></script>'

    parts = {
        "TITLE": TEXTS[DEFAULT_LANG]["title"],
        "HEAD": head,
        "BOOT": script_json(boot),
        "SCRIPTS": scripts,
    }
    # One pass, so a node named "@@SCRIPTS@@" in the data is never substituted again; not
    # str.format, because the inlined libraries are full of braces.
    return _SLOT.sub(lambda m: parts[m.group(1)], template)
