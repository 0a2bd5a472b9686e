"""The weekly digest of one organisation, as plain text and as HTML (written, never sent).

It lists the week's feed items (its topics, items shared with it) and the challenges open for
proposals in its topics. It holds no personal data: items, organisations and challenges only.
Every value is escaped in the HTML, so a title cannot inject markup.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from scaleup_graph.graph_model import fold
from scaleup_graph.store import GraphStore
from scaleup_graph.workflows.challenge_views import open_challenges
from scaleup_graph.workflows.content import feed
from scaleup_graph.workflows.errors import Conflict, Invalid
from scaleup_graph.workflows.lookup import require_node
from scaleup_graph.workflows.records import parse_date

__all__ = ["FORMATS", "LANGS", "build_digest", "render_digest", "weekly_digest"]

FORMATS = ("text", "html")
LANGS = ("de", "en")
_TEXTS = {
    "de": {
        "title": "Scale-Up Wochenüberblick für {org}",
        "week": "Woche {start} bis {end}",
        "topics": "Ihre Themen",
        "items": "Neue Inhalte",
        "none": "Keine neuen Inhalte in dieser Woche.",
        "shared": "geteilt von",
        "challenges": "Offene Challenges in Ihren Themen",
        "no_challenges": "Keine offenen Challenges in Ihren Themen.",
        "proposals": "Vorschläge",
        "footer": "Erstellt aus dem ScaleUp Graph; nicht versendet.",
    },
    "en": {
        "title": "Scale-Up weekly digest for {org}",
        "week": "Week {start} to {end}",
        "topics": "Your topics",
        "items": "New content",
        "none": "No new content this week.",
        "shared": "shared by",
        "challenges": "Open challenges in your topics",
        "no_challenges": "No open challenges in your topics.",
        "proposals": "proposals",
        "footer": "Made from the ScaleUp Graph; not sent.",
    },
}


def _open_challenges(store: GraphStore) -> list[dict[str, Any]]:
    """Open challenges as the digest lists them: name, topic names, proposal count, posers."""
    return [
        {
            "id": row["challenge"]["id"],
            "name": row["challenge"].get("name"),
            "topics": [t["name"] for t in row["topics"]],
            "proposals": row["proposals"],
            "posed_by": row["posed_by"],
        }
        for row in open_challenges(store)["challenges"]
    ]


def build_digest(
    store: GraphStore, organisation: str, *, week_ending: str | None = None
) -> dict[str, Any]:
    """The digest's content for the seven days ending on ``week_ending`` (default today).

    Raises
    ------
    Conflict
        The organisation subscribes to no topic: there is nothing to build a digest from.
    """
    org = require_node(store, "Organisation", organisation, "organisation")
    end = parse_date(week_ending, "week_ending")
    start = (dt.date.fromisoformat(end) - dt.timedelta(days=6)).isoformat()
    week = feed(store, organisation, since=start, until=end, limit=200)
    if not week["subscriptions"]:
        raise Conflict(
            f"{organisation} subscribes to no topic, so there is no digest to build; subscribe "
            f"first: PUT /api/v1/organisations/{organisation}/subscriptions "
            '{"topics": ["Digitalisation", ...]}',
            "organisation",
        )
    topics = {fold(t["name"]) for t in week["subscriptions"]}
    challenges = [
        c
        for c in _open_challenges(store)
        if topics & {fold(t) for t in c["topics"]}
        and organisation not in {p["id"] for p in c["posed_by"]}
    ]
    return {
        "organisation": {"id": organisation, "name": org.get("name")},
        "week": {"start": start, "end": end},
        "subscriptions": week["subscriptions"],
        "items": week["items"],
        "challenges": challenges,
    }


def _text(d: dict[str, Any], t: dict[str, str]) -> str:
    lines = [
        t["title"].format(org=d["organisation"]["name"]),
        t["week"].format(**d["week"]),
        "",
        f"{t['topics']}: " + ", ".join(s["name"] for s in d["subscriptions"]),
        "",
        t["items"],
        "-" * len(t["items"]),
    ]
    if not d["items"]:
        lines.append(t["none"])
    for item in d["items"]:
        it = item["item"]
        lines.append(f"* {it.get('name')} ({it.get('kind')}, {it.get('published_at')})")
        if it.get("url"):
            lines.append(f"  {it['url']}")
        if item["shared_by"]:
            names = ", ".join(s["name"] or s["id"] for s in item["shared_by"])
            lines.append(f"  {t['shared']} {names}")
    lines += ["", t["challenges"], "-" * len(t["challenges"])]
    if not d["challenges"]:
        lines.append(t["no_challenges"])
    for c in d["challenges"]:
        lines.append(
            f"* {c['name']} [{', '.join(c['topics'])}] ({c['proposals']} {t['proposals']})"
        )
    lines += ["", t["footer"]]
    return "\n".join(lines) + "\n"


def _html(d: dict[str, Any], t: dict[str, str], lang: str) -> str:
    e = html.escape
    parts = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{e(t['title'].format(org=d['organisation']['name']))}</title></head><body>",
        f"<h1>{e(t['title'].format(org=d['organisation']['name']))}</h1>",
        f"<p>{e(t['week'].format(**d['week']))}</p>",
        f"<p>{e(t['topics'])}: {e(', '.join(s['name'] for s in d['subscriptions']))}</p>",
        f"<h2>{e(t['items'])}</h2>",
    ]
    if not d["items"]:
        parts.append(f"<p>{e(t['none'])}</p>")
    else:
        parts.append("<ul>")
        for item in d["items"]:
            it = item["item"]
            title = e(str(it.get("name") or it["id"]))
            if it.get("url") and str(it["url"]).startswith(("https://", "http://")):
                title = f'<a href="{e(it["url"])}">{title}</a>'
            shared = ""
            if item["shared_by"]:
                names = ", ".join(s["name"] or s["id"] for s in item["shared_by"])
                shared = f" – {e(t['shared'])} {e(names)}"
            parts.append(
                f"<li>{title} <small>({e(str(it.get('kind')))}, {e(str(it.get('published_at')))})"
                f"</small>{shared}</li>"
            )
        parts.append("</ul>")
    parts.append(f"<h2>{e(t['challenges'])}</h2>")
    if not d["challenges"]:
        parts.append(f"<p>{e(t['no_challenges'])}</p>")
    else:
        parts.append("<ul>")
        for c in d["challenges"]:
            parts.append(
                f"<li>{e(c['name'])} <small>[{e(', '.join(c['topics']))}] "
                f"({c['proposals']} {e(t['proposals'])})</small></li>"
            )
        parts.append("</ul>")
    parts.append(f"<p><small>{e(t['footer'])}</small></p></body></html>")
    return "\n".join(parts) + "\n"


def render_digest(digest: dict[str, Any], fmt: str = "text", lang: str = "de") -> str:
    """The digest as plain text or HTML in German or English."""
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}", "format")
    if lang not in LANGS:
        raise Invalid(f"lang must be one of {', '.join(LANGS)}", "lang")
    texts = _TEXTS[lang]
    return _text(digest, texts) if fmt == "text" else _html(digest, texts, lang)


def weekly_digest(
    store: GraphStore,
    organisation: str,
    *,
    fmt: str = "text",
    lang: str = "de",
    week_ending: str | None = None,
) -> str:
    """Build and render the weekly digest of ``organisation``."""
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}", "format")
    return render_digest(build_digest(store, organisation, week_ending=week_ending), fmt, lang)
