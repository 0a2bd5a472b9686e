"""``/api/v1/challenges``: the Open Innovation Challenge: entries, proposals, the round.

An SME drafts a challenge with known topics; publishing opens it for proposals; at the pitch
event it is pitched with its proposals; afterwards it is solved or closed. Reads need
``viewer``, writes ``editor`` (audited, also when refused), matches ``analyst``. Thin: every
answer comes from :mod:`scaleup_graph.queries` (the named queries), :mod:`scaleup_graph.workflows`
and :mod:`scaleup_graph.analytics`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from scaleup_graph import workflows as wf
from scaleup_graph.analytics.matchmaking import match_challenge
from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep
from scaleup_graph.api.pagination import PageDep, PageOut, page_body
from scaleup_graph.api.params import (
    Analyst,
    Date,
    Editor,
    Id,
    StrictBody,
    Viewer,
    actor_of,
    audited,
)
from scaleup_graph.queries import daily

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/challenges", tags=["challenges"])
Top = Annotated[int, Query(ge=1, le=1000, description="How many rows to return.")]


class ChallengeDraft(StrictBody):
    posed_by: str = Field(max_length=200, description="id of the organisation (an SME) posing it")
    name: str = Field(max_length=500, description="short title of the problem")
    description: str = Field(default="", max_length=20000)
    topics: list[str] = Field(
        max_length=20, description="known topic ids or names (German or English)"
    )
    date: Date = None


class Transition(StrictBody):
    to: Literal[wf.STATUSES[1:]]  # type: ignore[valid-type]  # from the schema
    date: Date = None
    event: str | None = Field(default=None, max_length=200, description="pitch Event (pitched)")
    proposals: list[str] | None = Field(
        default=None, max_length=200, description="proposals pitched with it (default: all)"
    )
    accepted: list[str] = Field(
        default_factory=list, max_length=200, description="proposals that solved it (solved)"
    )


class ProposalIn(StrictBody):
    organisation: str = Field(max_length=200, description="id of the proposing organisation")
    name: str = Field(max_length=500)
    description: str = Field(default="", max_length=20000)
    date: Date = None


@router.get("", summary="Challenges by topic and status", response_model=PageOut)
def challenges(
    principal: Viewer,
    store: StoreDep,
    page: PageDep,
    topic: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[
        str, Query(max_length=50, description=f"one of: {', '.join(wf.STATUSES)}")
    ] = "",
) -> dict[str, Any]:
    result = daily.challenges(
        store, principal.role, topic=topic, status=status, skip=page.offset, limit=page.limit + 1
    )
    return page_body(result.rows, page)


@router.post(
    "",
    summary="Draft a challenge (Open Innovation Challenge)",
    status_code=201,
    **m.typed(m.ChallengeState, 201),
)
def create_challenge(
    body: ChallengeDraft, request: Request, principal: Editor, store: StoreDep
) -> Any:
    """An SME drafts a challenge with known topics; it starts as `draft`. Publish it with
    `POST /challenges/{id}/transitions {"to": "published"}`."""
    return audited(
        principal,
        "challenge_draft",
        body.posed_by,
        lambda: wf.draft_challenge(
            store,
            posed_by=body.posed_by,
            name=body.name,
            topics=body.topics,
            description=body.description,
            date=body.date,
            actor=principal.key_id,
            by=actor_of(request, principal),
        ),
    )


@router.get(
    "/open", summary="Challenges open for proposals, grouped by topic", **m.typed(m.OpenChallenges)
)
def open_challenges(
    principal: Viewer,
    store: StoreDep,
    topic: Annotated[str, Query(max_length=200, description="a topic id or name")] = "",
) -> Any:
    """Published challenges (the only ones that take proposals) with who posed them, their
    topics and proposal counts, plus `by_topic`: topic -> challenge ids."""
    return wf.open_challenges(store, topic)


@router.get(
    "/{challenge_id}/proposals",
    summary="Proposals submitted for a challenge",
    response_model=PageOut,
)
def proposals(
    challenge_id: str, principal: Viewer, store: StoreDep, page: PageDep
) -> dict[str, Any]:
    result = daily.challenge_proposals(
        store, principal.role, challenge_id, skip=page.offset, limit=page.limit + 1
    )
    return page_body(result.rows, page)


@router.post(
    "/{challenge_id}/proposals",
    summary="Submit a proposal to a published challenge",
    status_code=201,
    **m.typed(m.ProposalOut, 201),
)
def submit_proposal(
    challenge_id: Id, body: ProposalIn, request: Request, principal: Editor, store: StoreDep
) -> Any:
    """One proposal per organisation and challenge, only while it is `published` (409
    otherwise); the poser cannot propose to its own challenge."""
    return audited(
        principal,
        "proposal_submit",
        challenge_id,
        lambda: wf.submit_proposal(
            store,
            challenge_id,
            organisation=body.organisation,
            name=body.name,
            description=body.description,
            date=body.date,
            actor=principal.key_id,
            by=actor_of(request, principal),
        ),
    )


@router.get(
    "/{challenge_id}/round",
    summary="A challenge's lifecycle, proposals, matches",
    **m.typed(m.ChallengeRound),
)
def challenge_round(
    challenge_id: Id,
    principal: Viewer,
    store: StoreDep,
    top: Annotated[int, Query(ge=1, le=50, description="how many suggested providers")] = 5,
) -> Any:
    """Status with dated history and possible next steps, who posed it, the events it was
    pitched at, its proposals and the suggested solution providers (analytics matchmaking,
    each with matching topics and introduction path)."""
    return wf.challenge_round(store, challenge_id, top, role=principal.role)


@router.post(
    "/{challenge_id}/transitions",
    summary="Move a challenge to its next status",
    **m.typed(m.ChallengeState),
)
def challenge_transition(
    challenge_id: Id, body: Transition, request: Request, principal: Editor, store: StoreDep
) -> Any:
    """draft -> published -> pitched (needs `event`) -> solved, or -> closed; dated (`date`,
    default today; for `pitched` the event's date). Out-of-order steps are refused with 409
    naming the possible next steps."""
    return audited(
        principal,
        f"challenge_{body.to}",
        challenge_id,
        lambda: wf.transition(
            store,
            challenge_id,
            body.to,
            date=body.date,
            event=body.event,
            proposals=body.proposals,
            accepted=body.accepted,
            actor=principal.key_id,
            by=actor_of(request, principal),
        ),
    )


@router.get("/{challenge_id}/matches", **m.typed(m.ChallengeMatches))
def challenge_matches(
    store: StoreDep, principal: Analyst, challenge_id: str, top: Top = 10
) -> dict[str, Any]:
    """Potential solution providers for a challenge, each with topics and introduction path."""
    return match_challenge(store, challenge_id, top=top, role=principal.role).as_dict()
