"""The report as one offline HTML document: one ``<section>`` a page, pictures as inline SVG.

Every heading, measure name and explanation comes from :mod:`scaleup_graph.graph_model.words`;
numbers are rounded for reading (:mod:`.numbers`). Each section starts a new page when printed,
and is laid out to fit on one A4 page, so the PDF has exactly one page per section.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scaleup_graph.analytics.brokerage import ROLES
from scaleup_graph.analytics.report.charts import (
    OKABE_ITO,
    Bar,
    Bubble,
    Figure,
    bar_chart,
    community_map,
    diverging_bars,
    grouped_bars,
    matrix_chart,
    stacked_bars,
)
from scaleup_graph.analytics.report.data import ACTOR_MEASURES, KIND_ORDER, MAX_AFFILIATION
from scaleup_graph.analytics.report.numbers import fmt, pct
from scaleup_graph.graph_model.words import (
    label_name,
    measure_explanation,
    measure_name,
    prop_name,
    rel_group,
    report_text,
)

__all__ = ["Section", "render", "sections"]


@dataclass(slots=True)
class Section:
    key: str
    title: str
    body: str


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    """Long names are shortened so every table row stays one or two lines (one page a
    section); the CSV beside the report has them in full."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, cls: str = "") -> str:
    head = "".join(f"<th>{_e(_cap(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(fig: Figure, lang: str) -> str:
    items = []
    for entry in fig.legend:
        if entry.gradient:
            light, dark = entry.gradient
            swatch = (
                f'<span class="swatch scale" style="background:linear-gradient(90deg,'
                f'{light},{dark})"></span>'
            )
        else:
            swatch = f'<span class="swatch" style="background:{entry.colour}"></span>'
        items.append(f"<li>{swatch}{_e(entry.text)}</li>")
    legend_word = report_text("legend", lang)
    return (
        f'<figure class="chart" id="fig-{_e(fig.key)}">{fig.svg}'
        f'<div class="legend" aria-label="{_e(legend_word)}"><b>{_e(legend_word)}:</b>'
        f"<ul>{''.join(items)}</ul></div>"
        f"<figcaption>{_e(fig.caption)}</figcaption></figure>"
    )


def _explain(metric: str, lang: str, *, named: bool = True) -> str:
    """The measure's one-sentence explanation, after its name unless a heading just named it
    (marked with the measure, so a test can find every explanation)."""
    name = f"<b>{_e(_cap(measure_name(metric, lang)))}:</b> " if named else ""
    return (
        f'<p class="explain" data-measure="{_e(metric)}">{name}'
        f"{_e(measure_explanation(metric, lang))}</p>"
    )


def _suggest(text: str, lang: str) -> str:
    return f'<p class="suggest"><b>{_e(report_text("what_it_suggests", lang))}:</b> {_e(text)}</p>'


def _kind_colours(lang: str) -> dict[str, str]:
    kinds = (*KIND_ORDER, "Organisation")
    return {label_name(k, lang): OKABE_ITO[i] for i, k in enumerate(kinds)}


def _names(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    word = f" {report_text('and', lang)} "
    return ", ".join(items[:-1]) + word + items[-1]


def _cap(text: str) -> str:
    """Words stand alone (heading, column, legend) with a capital, in English too."""
    return text[:1].upper() + text[1:]


def _community_name(c: dict[str, Any], lang: str, *, alone: bool = True) -> str:
    name = report_text("community_name", lang, leader=c["leader"])
    return _cap(name) if alone else name


# ----------------------------------------------------------------------------- sections


def _summary(data: dict[str, Any], csv_name: str) -> Section:
    lang = data["lang"]
    f, syn = data["figures"], data["synthetic"]
    share = syn["organisations"] / syn["organisations_total"] if syn["organisations_total"] else 0
    listed = data["communities"]["listed"]
    figures = [
        (fmt(f["organisations"], lang), report_text("fig_organisations", lang)),
        (fmt(f["ties"], lang), report_text("fig_ties", lang)),
        (fmt(len(listed), lang), report_text("fig_communities", lang)),
        (pct(share, lang), report_text("fig_synthetic", lang)),
    ]
    tiles = "".join(
        f'<div class="tile"><span class="big">{_e(v)}</span><span>{_e(t)}</span></div>'
        for v, t in figures
    )
    findings = []
    top = data["measures"]["degree"]
    if top:
        findings.append(
            report_text("f_hub", lang, name=top[0]["name"], share=pct(f["top_share"], lang))
        )
    bridges = [m["name"] for m in data["measures"]["betweenness"][:3]]
    if bridges:
        findings.append(report_text("f_bridge", lang, names=_names(bridges, lang)))
    if listed:
        findings.append(
            report_text(
                "f_groups",
                lang,
                n=len(listed),
                name=_community_name(listed[0], lang, alone=False),
                size=listed[0]["size"],
            )
        )
    partner_ties = _home_partner_ties(data)
    if partner_ties is not None:
        findings.append(report_text("f_regions", lang, n=fmt(partner_ties, lang)))
    if data["topics"]:
        best = max(data["topics"], key=lambda t: (t["competent"], t["name"]))
        findings.append(report_text("f_topics", lang, topic=best["name"], n=best["competent"]))
    warn = (
        f'<p class="warning">{_e(report_text("synthetic_warning", lang, share=pct(share, lang)))}'
        "</p>"
        if syn["organisations"]
        else ""
    )
    body = (
        f'<p class="subtitle">{_e(report_text("subtitle", lang))}</p>'
        f'<p class="date">{_e(report_text("as_of", lang, date=data["generated_at"][:10]))}</p>'
        f'<div class="tiles">{tiles}</div>{warn}'
        f"<h3>{_e(report_text('summary', lang))}</h3>"
        "<ul class='findings'>" + "".join(f"<li>{_e(x)}</li>" for x in findings) + "</ul>"
        f'<p class="reading">{_e(report_text("reading", lang, csv=csv_name))}</p>'
    )
    return Section("summary", report_text("title", lang), body)


def _home_partner_ties(data: dict[str, Any]) -> int | None:
    rows = data["region_rows"]
    home = [i for i, r in enumerate(rows) if r["group"] == "home"]
    partner = [i for i, r in enumerate(rows) if r["group"] == "partner"]
    if not home or not partner:
        return None
    return sum(data["matrix"][i][j] for i in home for j in partner)


def _overview(data: dict[str, Any]) -> Section:
    lang = data["lang"]
    listed = data["communities"]["listed"]
    headers = [
        label_name("Organisation", lang),
        prop_name("kinds", lang),
        label_name("Region", lang),
        *(_cap(measure_name(m, lang)) for m in ACTOR_MEASURES),
        report_text("col_community", lang),
    ]
    rows = [
        [
            _clip(a["name"], 38),
            label_name(a["kind"], lang),
            _clip(a["region"], 24),
            *(fmt(a[m], lang) for m in ACTOR_MEASURES),
            _clip(listed[a["community"]]["leader"], 26) if a["community"] is not None else "–",
        ]
        for a in data["overview"][:12]
    ]
    body = (
        f"<p>{_e(report_text('overview_intro', lang, n=len(rows)))}</p>"
        + _table(headers, rows, cls="actors small")
        + "".join(_explain(m, lang) for m in ACTOR_MEASURES)
        + _explain("community", lang)
    )
    return Section("actors", report_text("overview", lang), body)


def _measure(data: dict[str, Any], metric: str) -> Section:
    lang = data["lang"]
    rows = data["measures"][metric]
    colours = _kind_colours(lang)
    fig = bar_chart(
        f"measure-{metric}",
        [Bar(r["name"], r["value"], label_name(r["kind"], lang)) for r in rows],
        colours=colours,
        value_text=lambda v: fmt(v, lang),
        caption=report_text(
            "measure_caption", lang, n=len(rows), measure=measure_name(metric, lang)
        ),
        alt=measure_name(metric, lang),
    )
    names = [r["name"] for r in rows] + ["–", "–"]
    if metric == "degree":
        suggestion = report_text(
            "suggest_degree",
            lang,
            first=names[0],
            value=fmt(rows[0]["value"], lang) if rows else "0",
            low=fmt(data["figures"]["low_degree"], lang),
            total=fmt(data["figures"]["organisations"], lang),
        )
    else:
        suggestion = report_text(f"suggest_{metric}", lang, first=names[0], second=names[1])
    body = (
        f'<p class="explain" data-measure="{_e(metric)}"><b>'
        f"{_e(report_text('what_it_measures', lang))}:</b> "
        f"{_e(measure_explanation(metric, lang))}</p>"
        + _figure(fig, lang)
        + _suggest(suggestion, lang)
    )
    return Section(f"measure-{metric}", _cap(measure_name(metric, lang)), body)


def _communities(data: dict[str, Any]) -> Section:
    lang = data["lang"]
    com = data["communities"]
    shown = com["listed"][:8]
    if not shown:
        return _empty(
            "communities", report_text("communities", lang), report_text("no_communities", lang)
        )
    bubbles = [
        Bubble(
            _community_name(c, lang),
            c["size"],
            tuple(m["name"] for m in c["members"][1:3]),
            label=c["leader"],
        )
        for c in shown
    ]
    ties = {k: v for k, v in com["ties"].items() if k[0] < len(shown) and k[1] < len(shown)}
    fig = community_map(
        "communities",
        bubbles,
        ties,
        caption=report_text(
            "community_caption",
            lang,
            n=len(shown),
            small=com["small_groups"] + max(0, len(com["listed"]) - len(shown)),
            isolated=com["isolated"],
        ),
        alt=report_text("communities", lang),
        legend_text=lambda b: report_text(
            "community_legend", lang, name=_clip(b.name, 40), size=b.size
        ),
        tie_text=report_text("community_ties", lang),
    )
    rows = [
        [
            _clip(_community_name(c, lang), 36),
            c["size"],
            f"{c['region']} ({pct(c['region_share'], lang)})" if c["region"] else "–",
            ", ".join(c["topics"]) or "–",
        ]
        for c in shown
    ]
    table = _table(
        [
            _cap(measure_name("community", lang)),
            _cap(report_text("col_members", lang)),
            report_text("col_main_region", lang),
            report_text("col_topics", lang),
        ],
        rows,
        cls="small communities",
    )
    between = sum(com["ties"].values())
    inside = sum(c["inside"] for c in com["listed"])
    body = (
        _explain("community", lang)
        + _figure(fig, lang)
        + table
        + _suggest(
            report_text(
                "suggest_communities",
                lang,
                between=fmt(between, lang),
                total=fmt(between + inside, lang),
            ),
            lang,
        )
    )
    return Section("communities", report_text("communities", lang), body)


def _brokers(data: dict[str, Any]) -> Section:
    lang = data["lang"]
    br = data["brokerage"]
    names = {r["code"]: r["name"] for r in data["region_rows"]}
    per_region = sorted(
        (
            (names.get(code, code), counts)
            for code, counts in br["per_region"].items()
            if sum(counts.values()) > 0
        ),
        key=lambda kv: (-sum(kv[1].values()), kv[0]),
    )
    parts = [(role, _cap(measure_name(f"brokerage_{role}", lang))) for role in ROLES]
    if not per_region:
        body = _explain("brokerage", lang) + f"<p>{_e(report_text('no_brokers', lang))}</p>"
        return Section("brokers", report_text("brokers", lang), body)
    fig = stacked_bars(
        "brokers",
        [(name, {k: float(v) for k, v in counts.items()}) for name, counts in per_region],
        parts=parts,
        total_text=lambda v: fmt(int(v), lang),
        caption=report_text("brokers_caption", lang),
        alt=report_text("brokers", lang),
    )
    rows = [
        [
            _cap(measure_name(f"brokerage_{role}", lang)),
            measure_explanation(f"brokerage_{role}", lang),
            ", ".join(
                f"{b['name']} ({fmt(b['value'], lang)})"
                for b in br["top_per_role"].get(role, [])[:2]
            )
            or "–",
        ]
        for role in ROLES
    ]
    table = _table(
        [
            report_text("col_role", lang),
            report_text("col_meaning", lang),
            report_text("col_leading", lang),
        ],
        rows,
        cls="small",
    )
    top_name, top_counts = per_region[0]
    main_role = max(ROLES, key=lambda r: top_counts.get(r, 0))
    body = (
        _explain("brokerage", lang)
        + _figure(fig, lang)
        + table
        + _suggest(
            report_text(
                "suggest_brokers",
                lang,
                region=top_name,
                n=fmt(sum(top_counts.values()), lang),
                role=measure_name(f"brokerage_{main_role}", lang),
            ),
            lang,
        )
    )
    return Section("brokers", report_text("brokers", lang), body)


def _regions(data: dict[str, Any]) -> Section:
    lang = data["lang"]
    rows = data["region_rows"]
    if not rows:
        return _empty("regions", report_text("regions", lang), report_text("no_regions", lang))
    matrix = data["matrix"]
    most = max((v for row in matrix for v in row), default=0)
    groups = {g: report_text(f"group_{g}", lang) for g in ("home", "partner", "other")}
    present = {r["group"] for r in rows}
    fig = matrix_chart(
        "regions",
        [f"{r['name']} ({r['organisations']})" for r in rows],
        matrix,
        groups=[r["group"] for r in rows],
        group_text={g: t for g, t in groups.items() if g in present},
        scale_text=report_text("scale", lang, max=fmt(most, lang)),
        caption=report_text("regions_caption", lang),
        alt=report_text("regions", lang),
    )
    sentences = []
    partner_ties = _home_partner_ties(data)
    if partner_ties is not None:
        sentences.append(report_text("suggest_regions_partners", lang, n=fmt(partner_ties, lang)))
        carrier = data.get("partner_carrier")
        if carrier:
            sentences.append(
                report_text(
                    "suggest_regions_carrier",
                    lang,
                    name=carrier["name"],
                    n=fmt(carrier["ties"], lang),
                )
            )
    best = max(rows, key=lambda r: (r["outside"], r["name"])) if rows else None
    if best and best["outside"]:
        sentences.append(
            report_text("suggest_regions", lang, region=best["name"], m=fmt(best["outside"], lang))
        )
    isolated = sum(1 for r in rows if r["organisations"] and r["outside"] == 0)
    if isolated:
        sentences.append(report_text("suggest_regions_isolated", lang, isolated=isolated))
    suggestion = " ".join(sentences) or report_text("regions_intro", lang)
    body = (
        f"<p>{_e(report_text('regions_intro', lang))}</p>"
        + _figure(fig, lang)
        + _suggest(suggestion, lang)
    )
    return Section("regions", report_text("regions", lang), body)


def _empty(key: str, title: str, text: str) -> Section:
    """A section whose subject the filter left out: said in one sentence, no empty picture."""
    return Section(key, title, f'<p class="empty">{_e(text)}</p>')


def _topics(data: dict[str, Any]) -> Section:
    lang = data["lang"]
    topics = [t for t in data["topics"] if t["competent"] or t["challenges"]][:12]
    if not topics:
        return _empty("topics", report_text("topics", lang), report_text("no_topics", lang))
    supply = rel_group("HAS_COMPETENCE", lang, direction="in")
    demand = rel_group("CONCERNS", lang, direction="in")
    fig = grouped_bars(
        "topics",
        [(t["name"], {"competent": t["competent"], "challenges": t["challenges"]}) for t in topics],
        series=[("competent", supply), ("challenges", demand)],
        value_text=lambda v: fmt(int(v), lang),
        caption=report_text("topics_caption", lang, n=len(topics)),
        alt=report_text("topics", lang),
    )
    gaps = sorted(
        (t for t in data["topics"] if t["challenges"] > 0),
        key=lambda t: (-t["challenges"] / (t["competent"] + 1), t["name"]),
    )[:2]
    suggestion = (
        report_text("suggest_topics", lang, topics=_names([t["name"] for t in gaps], lang))
        if gaps
        else report_text("suggest_topics_none", lang)
    )
    table = _table(
        [label_name("Topic", lang), supply, demand, report_text("col_content", lang)],
        [[t["name"], t["competent"], t["challenges"], t["content"]] for t in topics[:8]],
        cls="small",
    )
    body = (
        f"<p>{_e(report_text('topics_intro', lang))}</p>"
        + _figure(fig, lang)
        + _suggest(suggestion, lang)
        + table
    )
    return Section("topics", report_text("topics", lang), body)


def _risks(data: dict[str, Any]) -> Section:
    lang = data["lang"]
    spof = data["spof"][:6]
    parts = [
        f"<h3>{_e(_cap(measure_name('articulation', lang)))}</h3>",
        _explain("articulation", lang, named=False),
    ]
    if spof:
        parts.append(
            _table(
                [
                    label_name("Organisation", lang),
                    report_text("col_cut_off", lang),
                    report_text("col_pieces", lang),
                ],
                [[a["name"], a["cut_off"], a["pieces"]] for a in spof],
                cls="small",
            )
        )
        parts.append(
            _suggest(
                report_text(
                    "suggest_spof", lang, name=spof[0]["name"], n=fmt(spof[0]["cut_off"], lang)
                ),
                lang,
            )
        )
    else:
        parts.append(f"<p>{_e(report_text('no_spof', lang))}</p>")
    intro = data["introductions"][:5]
    parts += [
        f"<h3>{_e(_cap(measure_name('adamic_adar', lang)))}</h3>",
        _explain("adamic_adar", lang, named=False),
    ]
    if intro:
        parts.append(
            _table(
                [
                    label_name("Organisation", lang),
                    label_name("Organisation", lang),
                    report_text("col_value", lang),
                    report_text("col_common", lang),
                    report_text("col_shared_topics", lang),
                ],
                [
                    [
                        s["source_name"] or s["source"],
                        s["target_name"] or s["target"],
                        fmt(s["score"], lang),
                        ", ".join(_clip(c["name"] or c["id"], 30) for c in s["common"][:2]) or "–",
                        ", ".join(s["shared_topics"][:2]) or "–",
                    ]
                    for s in intro
                ],
                cls="small introductions",
            )
        )
        first = intro[0]
        parts.append(
            _suggest(
                report_text(
                    "suggest_introductions",
                    lang,
                    a=first["source_name"] or first["source"],
                    b=first["target_name"] or first["target"],
                ),
                lang,
            )
        )
    else:
        parts.append(f"<p>{_e(report_text('no_introductions', lang))}</p>")
    return Section("risks", report_text("risks", lang), "".join(parts))


def _changes(data: dict[str, Any]) -> Section:
    lang = data["lang"]
    ch = data["changes"]
    name = ch["name"]
    figures = [
        (
            f"{fmt(ch['organisations_before'], lang)} → {fmt(ch['organisations_after'], lang)}",
            report_text("ch_organisations", lang),
        ),
        (
            f"+{fmt(ch['new_ties_count'], lang)} / −{fmt(ch['removed_ties_count'], lang)}",
            report_text("ch_ties", lang),
        ),
        (
            f"{fmt(ch['communities_before'], lang)} → {fmt(ch['communities_after'], lang)}",
            report_text("fig_communities", lang),
        ),
    ]
    tiles = "".join(
        f'<div class="tile"><span class="big">{_e(v)}</span><span>{_e(t)}</span></div>'
        for v, t in figures
    )
    metric = "betweenness"
    moves = [(r["name"] or r["id"], r["change"]) for r in ch["risers"][metric][:5]]
    moves += [(r["name"] or r["id"], r["change"]) for r in ch["fallers"][metric][:5]]
    since = (ch["created_at"] or "")[:10]
    parts = [
        f"<p>{_e(report_text('changes_intro', lang, name=name, date=since))}</p>",
        f'<div class="tiles">{tiles}</div>',
    ]
    if moves:
        fig = diverging_bars(
            "changes",
            moves,
            up_text=report_text("ch_risers", lang),
            down_text=report_text("ch_fallers", lang),
            value_text=lambda v: ("+" if v > 0 else "") + fmt(v, lang),
            caption=report_text("ch_caption", lang, measure=measure_name(metric, lang), name=name),
            alt=report_text("changes", lang, name=name),
        )
        parts += [_explain(metric, lang), _figure(fig, lang)]
    new_ties = ch["new_ties"][:4]
    if new_ties:
        parts.append(
            f"<h3>{_e(report_text('ch_new_ties', lang))}</h3>"
            + _table(
                [label_name("Organisation", lang), label_name("Organisation", lang)],
                [
                    [
                        _clip(t["source"]["name"] or t["source"]["id"], 50),
                        _clip(t["target"]["name"] or t["target"]["id"], 50),
                    ]
                    for t in new_ties
                ],
                cls="small",
            )
        )
    sentences = [
        report_text(
            "ch_merged",
            lang,
            sources=_names(m["from"], lang),
            target=report_text("community_name", lang, leader=m["into"]),
            size=m["size"],
        )
        for m in ch["merged"][:3]
    ] + [
        report_text(
            "ch_split",
            lang,
            source=report_text("community_name", lang, leader=s["community"]),
            targets=", ".join(s["into"]),
        )
        for s in ch["split"][:3]
    ]
    parts.append(f"<h3>{_e(_cap(measure_name('community', lang)))}</h3>")
    parts.append(
        "<ul>" + "".join(f"<li>{_e(s)}</li>" for s in sentences) + "</ul>"
        if sentences
        else f"<p>{_e(report_text('ch_no_community_change', lang))}</p>"
    )
    return Section("changes", report_text("changes", lang, name=name), "".join(parts))


def _persons(data: dict[str, Any], role: str) -> Section:
    lang = data["lang"]
    rows = [
        [
            p["name"],
            p["role"] or "–",
            ", ".join(p["organisations"]) or "–",
            p["acquaintances"],
            p["links"],
        ]
        for p in data["persons"]
    ]
    body = f'<p class="warning">{_e(report_text("persons_intro", lang, role=role))}</p>' + _table(
        [
            label_name("Person", lang),
            prop_name("role", lang),
            label_name("Organisation", lang, plural=True),
            report_text("col_acquaintances", lang),
            report_text("col_links", lang),
        ],
        rows,
        cls="small",
    )
    return Section("persons", report_text("persons", lang), body)


def _filters(data: dict[str, Any]) -> str:
    lang = data["lang"]
    flt = data["filter"]
    parts = []
    for key in ("labels", "rel_types", "region", "projects", "since", "until"):
        value = flt.get(key)
        if not value:
            continue
        if key == "labels":
            value = ", ".join(label_name(x, lang) for x in value)
        elif isinstance(value, list):
            value = ", ".join(value)
        parts.append(f"{report_text('filter_' + key, lang)}: {value}")
    return "; ".join(parts) or report_text("no_filter", lang)


def _licence(source: dict[str, Any]) -> str:
    """The words key of a source's licence, from what its ``source`` text names."""
    text = str(source["source"] or "").lower()
    if source["synthetic"]:
        return "licence_synthetic"
    if "cordis" in text:
        return "licence_cordis"
    if "nuts" in text or "eurostat" in text:
        return "licence_nuts"
    return "licence_other"


def _notes(data: dict[str, Any], csv_name: str) -> Section:
    lang = data["lang"]
    crowded = ", ".join(_clip(n, 40) for n in data.get("crowded", [])[:5])
    syn = data["synthetic"]
    share = syn["organisations"] / syn["organisations_total"] if syn["organisations_total"] else 0
    sources = _table(
        [
            report_text("col_source", lang),
            report_text("col_nodes", lang),
            report_text("col_synthetic", lang),
            report_text("col_licence", lang),
        ],
        [
            [
                s["source"] or report_text("source_unknown", lang),
                fmt(s["nodes"], lang),
                report_text("yes" if s["synthetic"] else "no", lang),
                report_text(_licence(s), lang),
            ]
            for s in data["sources"]
        ],
        cls="small sources",
    )
    attribution = (
        f"<p>{_e(report_text('notes_licence', lang))}</p><ul>"
        + "".join(f"<li>{_e(a)}</li>" for a in data["attribution"])
        + "</ul>"
        if data["attribution"]
        else f"<p>{_e(report_text('notes_no_open_data', lang))}</p>"
    )
    synthetic = report_text(
        "notes_synthetic",
        lang,
        orgs=fmt(syn["organisations"], lang),
        orgs_total=fmt(syn["organisations_total"], lang),
        share=pct(share, lang),
        ties=fmt(syn["ties"], lang),
        ties_total=fmt(syn["ties_total"], lang),
        nodes=fmt(syn["nodes"], lang),
        nodes_total=fmt(syn["nodes_total"], lang),
    )
    runs = _table(
        [
            report_text("col_algorithm", lang),
            report_text("col_backend", lang),
            report_text("col_parameters", lang),
            report_text("col_seed", lang),
            report_text("col_nodes", lang),
            report_text("col_seconds", lang),
        ],
        [
            [
                r["algorithm"],
                r["backend"],
                _clip(", ".join(f"{k}={v}" for k, v in r["params"].items()), 60) or "–",
                r["seed"] if r["seed"] is not None else "–",
                fmt(r["nodes"], lang),
                fmt(r["seconds"], lang),
            ]
            for r in data["runs"]
        ],
        cls="small runs",
    )
    f = data["figures"]
    body = (
        f"<h3>{_e(report_text('notes_sources', lang))}</h3>{sources}{attribution}"
        f'<p class="warning">{_e(synthetic)}</p>'
        f"<p><b>{_e(report_text('notes_filters', lang))}:</b> {_e(_filters(data))}</p>"
        + (
            f"<p>{_e(report_text('notes_crowded', lang, n=MAX_AFFILIATION, names=crowded))}</p>"
            if crowded
            else ""
        )
        + f"<p>{_e(report_text('notes_date', lang, date=data['generated_at'].replace('T', ' ')[:16], nodes=fmt(f['nodes'], lang), links=fmt(f['links'], lang)))}</p>"  # noqa: E501
        f"<p>{_e(report_text('notes_csv', lang, csv=csv_name))}</p>"
        f"<h3>{_e(report_text('notes_method', lang))}</h3>{runs}"
    )
    return Section("notes", report_text("notes", lang), body)


def sections(data: dict[str, Any], *, csv_name: str, role: str = "viewer") -> list[Section]:
    """The report's sections in reading order (one printed page each)."""
    out = [_summary(data, csv_name), _overview(data)]
    out += [_measure(data, m) for m in ACTOR_MEASURES]
    out += [_communities(data), _brokers(data), _regions(data), _topics(data), _risks(data)]
    if data.get("changes"):
        out.append(_changes(data))
    if data.get("persons") is not None:
        out.append(_persons(data, role))
    out.append(_notes(data, csv_name))
    return out


_CSS = """
@page { size: A4; margin: 13mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222;
  max-width: 182mm; margin: 0 auto; font-size: 10.5pt; line-height: 1.4; }
section { padding: 4mm 0 8mm; border-bottom: 1px solid #ddd; }
section + section { break-before: page; page-break-before: always; }
h1 { font-size: 20pt; margin: 0 0 2mm; color: #0b3d66; }
h2 { font-size: 16pt; margin: 0 0 3mm; color: #0b3d66; border-bottom: 2px solid #0072B2;
  padding-bottom: 1mm; }
h3 { font-size: 12pt; margin: 4mm 0 2mm; color: #0b3d66; }
.subtitle { font-size: 13pt; margin: 0; }
.date { color: #555; margin: 1mm 0 5mm; }
.tiles { display: flex; gap: 3mm; margin: 3mm 0; }
.tile { flex: 1; border: 1px solid #c9d6e3; border-radius: 2mm; padding: 3mm; background: #f4f8fb; }
.tile .big { display: block; font-size: 17pt; font-weight: bold; color: #0b3d66; }
.warning { background: #fff4e0; border-left: 4px solid #E69F00; padding: 2mm 3mm; }
.findings li { margin: 1.5mm 0; }
.reading { color: #444; font-size: 9.5pt; }
.explain { margin: 1.5mm 0; }
.suggest { background: #eef6f1; border-left: 4px solid #009E73; padding: 2mm 3mm; }
table { border-collapse: collapse; margin: 2mm 0 3mm; width: 100%; font-size: 9.5pt;
  table-layout: fixed; overflow-wrap: anywhere; }
table.actors th:nth-child(1) { width: 23%; } table.actors th:nth-child(2) { width: 12%; }
table.actors th:nth-child(3) { width: 14%; } table.actors th:nth-child(7) { width: 19%; }
table.introductions th:nth-child(3) { width: 8%; }
table.sources th:nth-child(1) { width: 44%; } table.sources th:nth-child(2) { width: 9%; }
table.sources th:nth-child(3) { width: 14%; }
table.runs th:nth-child(1) { width: 18%; } table.runs th:nth-child(3) { width: 32%; }
table.runs th:nth-child(4) { width: 14%; }
table.communities th:nth-child(1) { width: 36%; } table.communities th:nth-child(2) { width: 12%; }
td, th { border: 1px solid #ccd3da; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
table.small { font-size: 8.5pt; }
figure { margin: 2mm 0; break-inside: avoid; }
figure svg { display: block; max-height: 150mm; margin: 0 auto; }
#fig-communities svg { max-height: 100mm; }
.legend { font-size: 8.5pt; margin-top: 1mm; }
.legend ul { display: inline; padding: 0; margin: 0; }
#fig-communities .legend ul { display: grid; grid-template-columns: 1fr 1fr 1fr; }
.legend li { display: inline-block; margin: 0 3mm 0 2mm; }
.swatch { display: inline-block; width: 3.2mm; height: 3.2mm; margin-right: 1mm;
  vertical-align: -0.4mm; border: 1px solid #666; }
.swatch.scale { width: 14mm; }
figcaption { font-size: 9pt; color: #333; font-style: italic; margin-top: 1mm; }
nav ol { columns: 2; font-size: 9.5pt; }
@media print {
  body { font-size: 9.5pt; }
  section { border-bottom: none; padding: 0; }
  table.small { font-size: 7.8pt; }
  figcaption, .legend { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
}
"""


def render(data: dict[str, Any], *, csv_name: str = "analyse.csv", role: str = "viewer") -> str:
    """The whole report as one HTML document (no external resource of any kind)."""
    lang = data["lang"]
    parts = sections(data, csv_name=csv_name, role=role)
    nav = (
        "<nav><ol>"
        + "".join(f'<li><a href="#{_e(s.key)}">{_e(s.title)}</a></li>' for s in parts[1:])
        + "</ol></nav>"
    )
    out = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report_text('title', lang))}</title><style>{_CSS}</style></head><body>",
    ]
    for i, s in enumerate(parts):
        heading = "h1" if i == 0 else "h2"
        extra = f"<h3>{_e(report_text('contents', lang))}</h3>{nav}" if i == 0 else ""
        out.append(
            f'<section id="{_e(s.key)}"><{heading}>{_e(s.title)}</{heading}>{s.body}{extra}'
            "</section>"
        )
    out.append("</body></html>")
    return "\n".join(out)
