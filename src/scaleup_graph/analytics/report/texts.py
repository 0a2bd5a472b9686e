"""The report's sentences in German and English (moved into graph_model/words.py when it lands)."""

from __future__ import annotations

from scaleup_graph.graph_model.words import W

__all__ = ["REPORT_TEXTS", "report_text"]

REPORT_TEXTS: dict[str, W] = {
    "title": W("Netzwerkanalyse", "Network analysis"),
    "subtitle": W(
        "Akteure, Gruppen, Regionen und Themen im Netzwerk",
        "Actors, communities, regions and topics of the network",
    ),
    "as_of": W("Stand: {date}", "As of {date}"),
    "contents": W("Inhalt", "Contents"),
    "summary": W("Das Wichtigste in Kürze", "Key points"),
    "fig_organisations": W("Organisationen", "organisations"),
    "fig_ties": W("Verbindungen zwischen Organisationen", "ties between organisations"),
    "fig_communities": W("Gruppen mit mindestens 3 Mitgliedern", "communities of 3 or more"),
    "fig_synthetic": W("davon erfundene Demo-Daten", "of them invented demo data"),
    "synthetic_warning": W(
        "Achtung: {share} der Organisationen in diesem Bericht sind erfundene Demo-Daten "
        "(gekennzeichnet mit synthetic: true). Die Befunde zeigen, wie die Analyse arbeitet, "
        "nicht den tatsächlichen Stand des Netzwerks.",
        "Note: {share} of the organisations in this report are invented demo data (marked "
        "synthetic: true). The findings show how the analysis works, not the actual state of "
        "the network.",
    ),
    "f_hub": W(
        "{name} ist an {share} aller Verbindungen beteiligt: das Netz hängt stark an diesem "
        "einen Knoten.",
        "{name} takes part in {share} of all ties: the network depends heavily on this one hub.",
    ),
    "f_bridge": W(
        "Wichtigste Brückenbauer sind {names}.",
        "The main bridge builders are {names}.",
    ),
    "f_groups": W(
        "Das Netz besteht aus {n} Gruppen mit mindestens 3 Mitgliedern; die größte ist die "
        "{name} mit {size} Organisationen.",
        "The network has {n} communities of 3 or more; the largest is the {name} with {size} "
        "organisations.",
    ),
    "f_regions": W(
        "Zwischen Nordhessen und den Scale Up Partnerregionen bestehen {n} direkte Verbindungen.",
        "There are {n} direct ties between Nordhessen and the Scale Up partner regions.",
    ),
    "f_topics": W(
        "Das meistgenannte Kompetenzthema ist {topic} ({n} Organisationen).",
        "The most common competence is {topic} ({n} organisations).",
    ),
    "reading": W(
        "Lesehilfe: Akteure sind Organisationen. Zwei Organisationen gelten als verbunden, wenn "
        "sie direkt kooperieren oder Mitglied beieinander sind oder gemeinsam an einem Projekt, "
        "einer Veranstaltung, einer Challenge, einer Best Practice oder einem Programm beteiligt "
        "sind. Themen und Regionen sind keine Akteure und haben eigene Abschnitte. Zahlen sind "
        "auf drei Stellen gerundet; die genauen Werte stehen in der Datei {csv}.",
        "How to read: actors are organisations. Two organisations count as tied when they "
        "cooperate directly, one is a member of the other, or they take part in the same "
        "project, event, challenge, best practice or programme. Topics and regions are not "
        "actors and have sections of their own. Numbers are rounded to three digits; the exact "
        "values are in the file {csv}.",
    ),
    "overview": W("Akteure im Überblick", "Actors at a glance"),
    "overview_intro": W(
        "Die {n} Organisationen mit der größten Bedeutung im Netz, mit allen drei Maßen. "
        "Was die Maße bedeuten, erklären die folgenden Seiten.",
        "The {n} organisations with the highest standing in the network, with all three "
        "measures. The following pages explain what the measures mean.",
    ),
    "what_it_measures": W("Was das Maß zeigt", "What it shows"),
    "what_it_suggests": W("Was das nahelegt", "What it suggests"),
    "measure_caption": W(
        "Die {n} Organisationen mit den höchsten Werten für „{measure}“; Farbe: Art der "
        "Organisation.",
        "The {n} organisations with the highest values for “{measure}”; colour: kind of "
        "organisation.",
    ),
    "suggest_pagerank": W(
        "{first} und {second} sind die Knotenpunkte des Netzes: was dort ankommt, erreicht die "
        "meisten Akteure. Sie sind die ersten Adressen, um Scale-Up-Inhalte zu verbreiten.",
        "{first} and {second} are the hubs of the network: what reaches them reaches most "
        "actors. They are the first addresses for spreading Scale Up content.",
    ),
    "suggest_betweenness": W(
        "Über {first} und {second} laufen die meisten Kontakte zwischen sonst getrennten "
        "Gruppen. Sie eignen sich, um Organisationen einander vorzustellen; fielen sie aus, "
        "verlören diese Gruppen den Draht zueinander.",
        "Most contacts between otherwise separate groups run through {first} and {second}. "
        "They are well placed to introduce organisations to each other; without them those "
        "groups would lose touch.",
    ),
    "suggest_degree": W(
        "{first} hat mit {value} die meisten direkten Partner. {low} von {total} "
        "Organisationen haben höchstens zwei Verbindungen: dort kann das Netzwerk am meisten "
        "wachsen.",
        "{first} has the most direct partners ({value}). {low} of {total} organisations have "
        "two ties or fewer: that is where the network can grow most.",
    ),
    "communities": W("Gruppen im Netzwerk", "Communities in the network"),
    "community_name": W("Gruppe um {leader}", "group around {leader}"),
    "community_legend": W("{name}: {size} Organisationen", "{name}: {size} organisations"),
    "community_ties": W(
        "Linie: Verbindungen zwischen zwei Gruppen (Zahl in der Mitte)",
        "Line: ties between two communities (number in the middle)",
    ),
    "community_caption": W(
        "Die {n} größten Gruppen als Kreise (Fläche und Zahl: Mitglieder), darunter fett das "
        "zentralste Mitglied, das der Gruppe den Namen gibt, und die nächsten. Nicht gezeigt: {small} kleinere Gruppen und {isolated} "
        "Organisationen ohne Verbindung.",
        "The {n} largest communities as circles (area and number: members); below each, in "
        "bold, the most central member, which names the community, and the next ones. Not shown: {small} smaller groups and {isolated} "
        "organisations without ties.",
    ),
    "col_members": W("Mitglieder", "members"),
    "col_central_members": W("Zentrale Mitglieder", "central members"),
    "col_main_region": W("Schwerpunktregion", "main region"),
    "col_topics": W("Häufigste Kompetenzen", "most common competences"),
    "suggest_communities": W(
        "{between} von {total} Verbindungen laufen zwischen den Gruppen, der Rest innerhalb. "
        "Veranstaltungen, die Mitglieder verschiedener Gruppen zusammenbringen, stärken das "
        "Netz dort, wo es am dünnsten ist.",
        "{between} of {total} ties run between communities, the rest within them. Events "
        "that bring members of different communities together strengthen the network where "
        "it is thinnest.",
    ),
    "brokers": W("Vermittler nach Regionen", "Brokers by region"),
    "brokers_caption": W(
        "Vermittlerrollen der Organisationen jeder Region als Anteile; am Balkenende die Zahl "
        "der Vermittlungen. Gruppen sind die Regionen der Beteiligten.",
        "Brokerage roles of each region's organisations as shares; at the end of each bar the "
        "number of brokered pairs. Groups are the regions of those involved.",
    ),
    "col_role": W("Rolle", "role"),
    "col_meaning": W("Bedeutung", "meaning"),
    "col_leading": W("Führende Organisationen", "leading organisations"),
    "suggest_brokers": W(
        "Die meisten Vermittlungen gibt es in {region} ({n}); die häufigste Rolle dort ist "
        "„{role}“. Regionen mit wenig Vermittlung hängen von Partnern außerhalb ab.",
        "Most brokerage happens in {region} ({n}); the most common role there is “{role}”. "
        "Regions with little brokerage depend on partners elsewhere.",
    ),
    "no_brokers": W(
        "Keine Vermittlerrollen: keiner Organisation ist eine Region zugeordnet.",
        "No brokerage roles: no organisation is located in a region.",
    ),
    "regions": W("Regionen und Partnerregionen", "Regions and partner regions"),
    "regions_intro": W(
        "Wie viele Verbindungen zwischen Organisationen aus zwei Regionen bestehen; auf der "
        "Diagonale die Verbindungen innerhalb einer Region.",
        "How many ties link organisations of two regions; on the diagonal the ties within a "
        "region.",
    ),
    "regions_caption": W(
        "Verbindungen zwischen Organisationen nach Region: die Kreise Nordhessens (NUTS 3), "
        "Nordhessen regionsweit und die Scale Up Partnerregionen. Je dunkler, desto mehr "
        "Verbindungen; leere Felder: keine.",
        "Ties between organisations by region: Nordhessen's districts (NUTS 3), Nordhessen as a "
        "whole and the Scale Up partner regions. The darker, the more ties; empty cells: none.",
    ),
    "home_wide": W("Nordhessen, regionsweit", "Nordhessen, region-wide"),
    "group_home": W("Nordhessen", "Nordhessen"),
    "group_partner": W("Scale Up Partnerregionen", "Scale Up partner regions"),
    "group_other": W("Übrige Regionen", "other regions"),
    "scale": W("Zahl der Verbindungen (hell: wenige, dunkel: bis {max})",
               "number of ties (light: few, dark: up to {max})"),
    "suggest_regions_carrier": W(
        "{n} dieser Verbindungen laufen über {name}: fällt dieser Kontakt weg, verliert "
        "Nordhessen den Draht zu den Partnern.",
        "{n} of these ties run through {name}: without this contact Nordhessen loses touch "
        "with the partners.",
    ),
    "col_community": W("Gruppe um", "group around"),
    "col_inside": W("Verbindungen innerhalb", "ties within"),
    "col_outside": W("Verbindungen nach außen", "ties outside"),
    "suggest_regions": W(
        "Zwischen Nordhessen und den Partnerregionen bestehen {n} Verbindungen. Am stärksten "
        "nach außen vernetzt ist {region} ({m} Verbindungen); {isolated} Regionen haben keine "
        "Verbindung in eine andere Region.",
        "There are {n} ties between Nordhessen and the partner regions. {region} has the most "
        "ties to other regions ({m}); {isolated} regions have no tie to another region.",
    ),
    "topics": W("Themen im Zentrum", "Topics at the centre"),
    "topics_intro": W(
        "Themen sind keine Akteure. Hier zählt, wie viele Organisationen ein Thema als Kompetenz "
        "haben (Angebot) und wie viele Challenges es betreffen (Nachfrage).",
        "Topics are not actors. What counts here is how many organisations list a topic as a "
        "competence (supply) and how many challenges concern it (demand).",
    ),
    "topics_caption": W(
        "Die {n} Themen mit dem meisten Angebot und der meisten Nachfrage.",
        "The {n} topics with the most supply and demand.",
    ),
    "col_content": W("Beiträge, Projekte, Veranstaltungen", "content, projects, events"),
    "suggest_topics": W(
        "Die meiste Nachfrage je Anbieter haben {topics}: hier lohnt es, Anbieter zu suchen "
        "oder Challenges gezielt zu streuen.",
        "{topics} have the most demand per provider: worth finding providers or spreading "
        "these challenges widely.",
    ),
    "suggest_topics_none": W(
        "Keine Challenge betrifft ein Thema ohne Anbieter.",
        "No challenge concerns a topic without providers.",
    ),
    "risks": W("Risiken und Chancen", "Risks and opportunities"),
    "col_cut_off": W("Organisationen abgeschnitten", "organisations cut off"),
    "col_pieces": W("Teile danach", "pieces after"),
    "col_common": W("Gemeinsame Partner", "shared partners"),
    "col_shared_topics": W("Gemeinsame Themen", "shared topics"),
    "no_spof": W("Kein einzelner Akteur hält das Netz zusammen.",
                 "No single actor holds the network together."),
    "no_introductions": W("Keine Vorschläge: keine zwei Organisationen teilen Partner.",
                          "No suggestions: no two organisations share partners."),
    "suggest_spof": W(
        "{name} ist die einzige Verbindung für {n} Organisationen: eine zweite Verbindung "
        "für diese Organisationen macht das Netz robuster.",
        "{name} is the only link for {n} organisations: a second tie for them makes the "
        "network more robust.",
    ),
    "suggest_introductions": W(
        "{a} und {b} haben gemeinsame Partner, kennen sich aber noch nicht direkt: eine "
        "Vorstellung liegt nahe.",
        "{a} and {b} share partners but are not tied yet: an introduction suggests itself.",
    ),
    "changes": W("Veränderungen seit „{name}“", "Changes since “{name}”"),
    "changes_intro": W(
        "Verglichen mit dem Snapshot „{name}“ vom {date}, mit dessen Filter. Werte im "
        "Gesamtnetz, wie der Snapshot sie speichert; gezeigt werden nur Organisationen.",
        "Compared with the snapshot “{name}” of {date}, using its filter. Values in the whole "
        "network, as the snapshot stores them; only organisations are shown.",
    ),
    "ch_organisations": W("Organisationen im Netz", "organisations in the network"),
    "ch_new_ties": W("neue Verbindungen zwischen Organisationen",
                     "new ties between organisations"),
    "ch_links": W("Verbindungen insgesamt (alle Knoten)", "links overall (all nodes)"),
    "ch_communities": W("Gruppen", "communities"),
    "ch_risers": W("Aufsteiger", "risers"),
    "ch_fallers": W("Absteiger", "fallers"),
    "ch_caption": W(
        "Größte Veränderungen der {measure} seit „{name}“: nach rechts gestiegen, nach links "
        "gefallen.",
        "Largest changes in {measure} since “{name}”: right risen, left fallen.",
    ),
    "ch_merged": W("{sources} sind zur {target} zusammengewachsen ({size} Mitglieder).",
                   "{sources} merged into the {target} ({size} members)."),
    "ch_split": W("Die {source} hat sich geteilt in: {targets}.",
                  "The {source} split into: {targets}."),
    "ch_no_community_change": W("Keine Gruppe ist zusammengewachsen oder zerfallen.",
                                "No community merged or split."),
    "ch_none": W("keine", "none"),
    "persons": W("Vernetzte Kontaktpersonen", "Well-connected contact persons"),
    "persons_intro": W(
        "Nur für Rollen, die personenbezogene Daten sehen dürfen (hier: {role}). Bitte nicht "
        "weitergeben.",
        "Only for roles allowed to see personal data (here: {role}). Do not forward.",
    ),
    "col_acquaintances": W("Bekannte im Netz", "acquaintances in the network"),
    "col_links": W("Verbindungen", "links"),
    "notes": W("Datenhinweise und Methode", "Data notes and method"),
    "notes_sources": W("Quellen und Lizenzen", "Sources and licences"),
    "col_source": W("Quelle", "source"),
    "col_nodes": W("Knoten", "nodes"),
    "col_synthetic": W("erfunden (synthetic: true)", "invented (synthetic: true)"),
    "yes": W("ja", "yes"),
    "no": W("nein", "no"),
    "source_unknown": W("(ohne Quellenangabe)", "(no source given)"),
    "notes_synthetic": W(
        "{orgs} von {orgs_total} Organisationen ({share}), {ties} von {ties_total} Verbindungen "
        "zwischen Organisationen und {nodes} von {nodes_total} Knoten insgesamt sind erfundene "
        "Demo-Daten (Eigenschaft synthetic: true).",
        "{orgs} of {orgs_total} organisations ({share}), {ties} of {ties_total} ties between "
        "organisations and {nodes} of {nodes_total} nodes overall are invented demo data "
        "(property synthetic: true).",
    ),
    "notes_licence": W(
        "Offene Daten behalten ihre Namensnennung:", "Open data keeps its attribution:"
    ),
    "notes_no_open_data": W("Keine offenen Daten mit Lizenzpflicht im Bericht.",
                            "No open data with an attribution duty in this report."),
    "notes_filters": W("Filter", "Filters"),
    "no_filter": W("keine: das ganze Netz ohne Personen", "none: the whole network without persons"),
    "filter_labels": W("Typen", "types"),
    "filter_rel_types": W("Beziehungen", "relationships"),
    "filter_region": W("Region", "region"),
    "filter_projects": W("Projekte", "projects"),
    "filter_since": W("ab", "from"),
    "filter_until": W("bis", "until"),
    "notes_date": W("Erstellt am {date} (UTC) aus {nodes} Knoten und {links} Verbindungen.",
                    "Made on {date} (UTC) from {nodes} nodes and {links} links."),
    "notes_csv": W("Genaue Werte aller Zahlen: {csv} (gleicher Ordner).",
                   "Exact values of every number: {csv} (same folder)."),
    "notes_method": W("Wie gerechnet wurde", "How it was computed"),
    "col_algorithm": W("Verfahren", "algorithm"),
    "col_backend": W("Bibliothek", "library"),
    "col_parameters": W("Parameter", "parameters"),
    "col_seed": W("Zufallsstart", "seed"),
    "col_seconds": W("Sekunden", "seconds"),
    "col_value": W("Wert", "value"),
    "col_measure": W("Maß", "measure"),
    "legend": W("Legende", "Legend"),
}


def report_text(key: str, lang: str = "de", **values: object) -> str:
    """One report sentence in ``lang`` with ``values`` filled in."""
    text = REPORT_TEXTS[key](lang)
    return text.format(**values) if values else text
