"""What the agency does with the network every week, as workflows stored in the graph.

* :mod:`.challenges`: the Open Innovation Challenge lifecycle and proposals;
* :mod:`.challenge_views`: open challenges by topic, proposals, the pitch programme, matches;
* :mod:`.lineage`: where a best practice came from and went;
* :mod:`.content`, :mod:`.reach`, :mod:`.digest`: Scale-Up content exchange;
* :mod:`.newsletter`: the consent-checked contact export.

Every step validates all of its input before it writes, and writes in one Cypher statement.
"""

from __future__ import annotations

from scaleup_graph.workflows.challenge_views import (
    challenge_round,
    open_challenges,
    pitch_programme,
    proposals,
    suggested_providers,
)
from scaleup_graph.workflows.challenges import (
    STATUSES,
    TRANSITIONS,
    challenge_state,
    draft_challenge,
    next_statuses,
    submit_proposal,
    transition,
)
from scaleup_graph.workflows.content import (
    feed,
    publish_content,
    share_content,
    subscribe,
    subscriptions,
)
from scaleup_graph.workflows.digest import build_digest, render_digest, weekly_digest
from scaleup_graph.workflows.errors import Conflict, Invalid, NotFound
from scaleup_graph.workflows.lineage import practice_lineage
from scaleup_graph.workflows.newsletter import as_csv, newsletter_contacts
from scaleup_graph.workflows.reach import content_reach

__all__ = [
    "STATUSES",
    "TRANSITIONS",
    "Conflict",
    "Invalid",
    "NotFound",
    "as_csv",
    "build_digest",
    "challenge_round",
    "challenge_state",
    "content_reach",
    "draft_challenge",
    "feed",
    "newsletter_contacts",
    "next_statuses",
    "open_challenges",
    "pitch_programme",
    "practice_lineage",
    "proposals",
    "publish_content",
    "render_digest",
    "share_content",
    "submit_proposal",
    "subscribe",
    "subscriptions",
    "suggested_providers",
    "transition",
    "weekly_digest",
]
