"""``scaleup challenge ...``, ``scaleup lineage``, ``scaleup reach``, ``scaleup digest``: thin
commands over :mod:`scaleup_graph.workflows`.

The workflows package is imported inside each command, so ``scaleup --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from scaleup_graph.cli.common import JsonOption, console, fail, opened_store, print_json
from scaleup_graph.graph_model import choices

_NEXT_STATUSES = choices("Challenge", "status")[1:]  # every status but the first, draft

__all__ = ["challenge_app", "register"]

challenge_app = typer.Typer(
    help="The Open Innovation Challenge round: draft, move, propose, open, programme.",
    no_args_is_help=True,
)


def _step(run: Callable[[Any], Any]) -> Any:
    """Run a workflow step on the configured store (a refusal: one line, exit 2)."""
    with opened_store() as store:
        return run(store)


@challenge_app.command("draft")
def draft(
    posed_by: Annotated[str, typer.Option("--by", help="id of the organisation posing it")],
    name: Annotated[str, typer.Option(help="title of the challenge")],
    topic: Annotated[list[str], typer.Option(help="a known topic (repeat the option)")],
    description: Annotated[str, typer.Option(help="what is needed")] = "",
    date: Annotated[str | None, typer.Option(help="YYYY-MM-DD, default today")] = None,
    json_out: JsonOption = False,
) -> None:
    """Draft a challenge posed by an organisation.

    Example: scaleup challenge draft --by org-syn2021-000001 --name "Tourenplanung"
    --topic Logistics --topic Digitalisierung
    """
    from scaleup_graph.workflows import draft_challenge

    state = _step(
        lambda s: draft_challenge(
            s, posed_by=posed_by, name=name, topics=topic, description=description, date=date
        )
    )
    _show_state(state, json_out)


@challenge_app.command("move")
def move(
    challenge_id: Annotated[str, typer.Argument(help="the challenge id")],
    to: Annotated[str, typer.Argument(help=f"one of: {', '.join(_NEXT_STATUSES)}")],
    event: Annotated[str | None, typer.Option(help="the pitch Event (for pitched)")] = None,
    date: Annotated[str | None, typer.Option(help="YYYY-MM-DD, default today")] = None,
    accept: Annotated[
        list[str] | None, typer.Option(help="an accepted proposal (for solved; repeat)")
    ] = None,
    json_out: JsonOption = False,
) -> None:
    """Move a challenge to its next status.

    Example: scaleup challenge move challenge-tourenplanung-syn2021-000001 pitched
    --event event-oic-pitch-2022
    """
    from scaleup_graph.workflows import transition

    state = _step(
        lambda s: transition(s, challenge_id, to, date=date, event=event, accepted=accept or [])
    )
    _show_state(state, json_out)


@challenge_app.command("propose")
def propose(
    challenge_id: Annotated[str, typer.Argument(help="the challenge id")],
    organisation: Annotated[str, typer.Option("--org", help="the proposing organisation")],
    name: Annotated[str, typer.Option(help="title of the proposal")],
    description: Annotated[str, typer.Option(help="the idea")] = "",
    json_out: JsonOption = False,
) -> None:
    """Submit a proposal to a published challenge.

    Example: scaleup challenge propose challenge-... --org org-science-park-kassel --name "Idee"
    """
    from scaleup_graph.workflows import submit_proposal

    made = _step(
        lambda s: submit_proposal(
            s, challenge_id, organisation=organisation, name=name, description=description
        )
    )
    if json_out:
        print_json(made)
    else:
        console.print(f"Proposal {made['id']} submitted to {challenge_id}.", highlight=False)


@challenge_app.command("open")
def open_(
    topic: Annotated[str, typer.Option(help="only this topic (id or name)")] = "",
    json_out: JsonOption = False,
) -> None:
    """List the challenges open for proposals, grouped by topic.

    Example: scaleup challenge open --topic Digitalisierung
    """
    from scaleup_graph.workflows import open_challenges

    found = _step(lambda s: open_challenges(s, topic))
    if json_out:
        print_json(found)
        return
    if not found["challenges"]:
        console.print("No challenge is open for proposals.")
    for row in found["challenges"]:
        c, topics = row["challenge"], ", ".join(t["name"] for t in row["topics"])
        console.print(
            f"{c['id']}  {c['name']}  [{topics}]  {row['proposals']} proposal(s)", highlight=False
        )


@challenge_app.command("programme")
def programme(
    event_id: Annotated[str, typer.Argument(help="the pitch Event id")],
    json_out: JsonOption = False,
) -> None:
    """Show a pitch event's programme: challenges and the proposals pitched for them.

    Example: scaleup challenge programme event-oic-pitch-2022
    """
    from scaleup_graph.workflows import pitch_programme

    prog = _step(lambda s: pitch_programme(s, event_id))
    if json_out:
        print_json(prog)
        return
    console.print(f"{prog['event']['name']} ({prog['event']['date']})", highlight=False)
    for c in prog["challenges"]:
        posers = ", ".join(p["name"] or p["id"] for p in c["posers"])
        console.print(f"- {c['name']} ({posers})", highlight=False)
        for p in c["proposals"]:
            console.print(f"    * {p['organisation_name'] or p['organisation']}", highlight=False)


def _show_state(state: dict[str, Any], json_out: bool) -> None:
    if json_out:
        print_json(state)
        return
    history = ", ".join(f"{h['status']} {h['date'] or '?'}" for h in state["history"])
    nxt = ", ".join(state["next"]) or "none"
    console.print(f"{state['id']}: {state['status']} ({history}); next: {nxt}", highlight=False)


def lineage(
    practice_id: Annotated[str, typer.Argument(help="a BestPractice id")],
    json_out: JsonOption = False,
) -> None:
    """Show who presented a best practice, where it was transferred and what it inspired.

    Example: scaleup lineage practice-mowin-innovation-lab
    """
    from scaleup_graph.workflows import practice_lineage

    found = _step(lambda s: practice_lineage(s, practice_id))
    if json_out:
        print_json(found)
        return
    console.print(found["practice"]["name"], style="bold", highlight=False)
    for title, key in (
        ("presented by", "presented_by"),
        ("transferred to", "transferred_to"),
        ("inspired", "inspired"),
        ("modelled on", "modelled_on"),
    ):
        names = ", ".join(f"{n.get('name') or n['id']} ({n['id']})" for n in found[key])
        console.print(f"  {title}: {names or '-'}", highlight=False)


def reach(
    content_id: Annotated[str, typer.Argument(help="a ContentItem id")],
    json_out: JsonOption = False,
) -> None:
    """Show who received a content item, in how many hops, and which regions it reached.

    Example: scaleup reach content-syn2021-00001
    """
    from scaleup_graph.workflows import content_reach

    found = _step(lambda s: content_reach(s, content_id))
    if json_out:
        print_json(found)
        return
    console.print(
        f"{found['total_receivers']} receiver(s); by hops {found['by_hops']}; countries "
        f"{', '.join(found['countries']) or '-'}",
        highlight=False,
    )
    for r in found["receivers"]:
        console.print(f"  {r['hops']}  {r['name'] or r['id']}", highlight=False)


def digest(
    org_id: Annotated[str, typer.Argument(help="the organisation id")],
    out: Annotated[Path | None, typer.Option(help="write to this file (default: print)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or html")] = "text",
    lang: Annotated[str, typer.Option(help="de or en")] = "de",
    week_ending: Annotated[str | None, typer.Option(help="YYYY-MM-DD, default today")] = None,
) -> None:
    """Write an organisation's weekly digest as text or HTML (nothing is sent).

    Example: scaleup digest org-syn2021-000022 --format html --out digest.html
    """
    from scaleup_graph.workflows import weekly_digest

    body = _step(lambda s: weekly_digest(s, org_id, fmt=fmt, lang=lang, week_ending=week_ending))
    if out is None:
        typer.echo(body, nl=False)
        return
    try:
        out.write_text(body, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror}; choose another --out path")
    console.print(f"Digest written to {out}.", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(challenge_app, name="challenge")
    app.command("lineage")(lineage)
    app.command("reach")(reach)
    app.command("digest")(digest)
