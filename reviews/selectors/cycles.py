"""Reads of review cycles for HR: the cycles, who would take part, the participants.

Who takes part is one query (`participant_candidates`): the rules, the explicit includes
and excludes, and a department's teams at any depth, all in SQL, so a preview and the
launch read the same set in statements that stay the same size for 10 or 10,000 people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from perfmgmt.errors import DomainError, NotFoundError
from perfmgmt.ids import object_id
from perfmgmt.tenancy.models import Membership, MembershipStatus

from ..models import (
    NAMED_KINDS,
    CyclePhase,
    CycleSelection,
    CycleSnapshot,
    CycleTeam,
    Participant,
    PhaseKind,
    Review,
    ReviewCycle,
    ReviewerKind,
    ReviewStatus,
)
from ..phases import window

PREVIEW_SIZE = 50
PAGE_SIZE = 50

# The chosen teams and, for a department, every team below it (any depth).
_CHOSEN_TEAMS_SQL = """
WITH RECURSIVE chosen(id) AS (
    SELECT team_id FROM reviews_cycleteam WHERE cycle_id = %s AND organization_id = %s
    UNION
    SELECT t.id FROM tenancy_team t JOIN chosen c ON t.parent_id = c.id
    WHERE t.organization_id = %s
)
SELECT id FROM chosen
"""

# For every team of the organization, the template of the nearest team or department at or
# above it that has a group template in this cycle (none: the cycle's own template).
GROUP_TEMPLATE_SQL = """
WITH RECURSIVE chain(team_id, ancestor_id, depth) AS (
    SELECT id, id, 0 FROM tenancy_team WHERE organization_id = %s
    UNION ALL
    SELECT c.team_id, t.parent_id, c.depth + 1 FROM chain c
    JOIN tenancy_team t ON t.id = c.ancestor_id
    WHERE t.parent_id IS NOT NULL AND t.organization_id = %s AND c.depth < 64
)
SELECT DISTINCT ON (c.team_id) c.team_id, g.template_id FROM chain c
JOIN reviews_cyclegrouptemplate g ON g.team_id = c.ancestor_id AND g.cycle_id = %s
    AND g.organization_id = %s
ORDER BY c.team_id, c.depth
"""

_TEAM_TEMPLATE_SQL = f"SELECT template_id FROM ({GROUP_TEMPLATE_SQL}) g WHERE team_id = %s"  # noqa: S608 (constant SQL)


def participant_candidates(cycle: ReviewCycle) -> QuerySet[Membership]:
    """Everyone the cycle's rules and its explicit list take in (never invited people)."""
    org_id = cycle.organization_id
    rules = Q(status__in=cycle.statuses or ["active", "on_leave"])
    if cycle.started_on_or_before is not None:
        # An unknown first day does not keep anyone out.
        rules &= Q(start_date__lte=cycle.started_on_or_before) | Q(start_date__isnull=True)
    # Asked first, so the statement has no OR around the team rule: PostgreSQL then reads
    # the chosen teams once instead of once per person.
    if CycleTeam.objects.filter(cycle=cycle).exists():
        chosen = RawSQL(_CHOSEN_TEAMS_SQL, [cycle.pk, org_id, org_id])  # noqa: S611 (constant SQL)
        rules &= Q(team_id__in=chosen)
    selections = CycleSelection.objects.filter(cycle=cycle, membership=OuterRef("pk"))
    included = Exists(selections.filter(included=True))
    excluded = Exists(selections.filter(included=False))
    return Membership.objects.filter(
        (rules | included) & ~excluded & ~Q(status=MembershipStatus.INVITED)
    )


@dataclass(frozen=True)
class ParticipantPreview:
    count: int
    first: list[Membership]  # at most PREVIEW_SIZE, by name

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.first))


def participant_preview(*, cycle: ReviewCycle, limit: int = PREVIEW_SIZE) -> ParticipantPreview:
    """Who would take part: how many, and the first page of names (three queries)."""
    candidates = participant_candidates(cycle)
    first = list(
        candidates.select_related("user", "team", "manager__user").order_by(
            "full_name", "user__email", "id"
        )[:limit]
    )
    count = len(first) if len(first) < limit else candidates.count()
    return ParticipantPreview(count=count, first=first)


def cycle_list() -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.select_related("template").annotate(
        participant_count=Count("participants", distinct=True)
    )


def cycle_get(*, cycle_id: object) -> ReviewCycle:
    cycle = (
        ReviewCycle.objects.select_related("template", "organization")
        .filter(pk=object_id(cycle_id))
        .first()
    )
    if cycle is None:
        raise NotFoundError("No such review cycle.")
    return cycle


def cycle_phases(cycle: ReviewCycle) -> list[CyclePhase]:
    order = {kind: index for index, kind in enumerate(PhaseKind.values)}
    return sorted(CyclePhase.objects.filter(cycle=cycle), key=lambda phase: order[phase.kind])


def _open_review(kind: str) -> Any:
    return Review.objects.filter(participant=OuterRef("pk"), kind=kind, superseded_at=None)


def participant_list(
    *,
    cycle: ReviewCycle | None = None,
    reviewee_id: int | None = None,
    manager_id: int | None = None,
) -> QuerySet[Participant]:
    """Participants with their people and the status of their open reviews (no query per
    row), ordered by id."""
    participants = Participant.objects.select_related(
        "cycle", "reviewee__user", "reviewee__team", "manager__user"
    ).prefetch_related(
        # Only the named reviews: a peer's or direct report's is its author's alone.
        Prefetch(
            "reviews",
            queryset=Review.objects.filter(kind__in=NAMED_KINDS)
            .select_related("author__user")
            .order_by("kind", "id"),
        )
    )
    if cycle is not None:
        participants = participants.filter(cycle=cycle)
    if reviewee_id is not None:
        participants = participants.filter(reviewee_id=reviewee_id)
    if manager_id is not None:
        participants = participants.filter(manager_id=manager_id)
    return participants.order_by("id")


def participant_get(*, participant_id: object) -> Participant:
    participant = participant_list().filter(pk=object_id(participant_id)).first()
    if participant is None:
        raise NotFoundError("No such participant.")
    return participant


def review_get(*, review_id: object) -> Review:
    review = (
        Review.objects.select_related("participant__cycle", "participant__reviewee", "author")
        .filter(pk=object_id(review_id))
        .first()
    )
    if review is None:
        raise NotFoundError("No such review.")
    return review


def open_reviews(participant: Participant) -> dict[str, Review]:
    """The participant's current self and manager reviews (from the prefetched reviews)."""
    return {
        review.kind: review for review in participant.reviews.all() if review.superseded_at is None
    }


def template_for(cycle: ReviewCycle, membership: Membership) -> int:
    """The id of the template this person answers in this cycle (their group's, else the
    cycle's)."""
    if membership.team_id is None:
        return cycle.template_id
    org_id = cycle.organization_id
    with connection.cursor() as cursor:
        cursor.execute(_TEAM_TEMPLATE_SQL, [org_id, org_id, cycle.pk, org_id, membership.team_id])
        row = cursor.fetchone()
    return int(row[0]) if row else cycle.template_id


@dataclass(frozen=True)
class Deadline:
    kind: str
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class LateJoinerPreview:
    membership: Membership
    already_in: bool
    template_id: int
    manager: Membership | None
    questions: dict[str, list[str]]  # reviewer kind -> the prompts they answer
    deadlines: list[Deadline]
    closed: list[str]  # writing phases that have closed: an extension is needed


def late_joiner_preview(
    *, cycle: ReviewCycle, membership: Membership, now: datetime
) -> LateJoinerPreview:
    """What a late joiner would be asked, by whom, and by when."""
    if membership.status == MembershipStatus.INVITED:
        raise DomainError(
            _("Invited people never take part in a cycle."),
            fields={"membership": [_("Only people who have joined can take part.")]},
        )
    template_id = template_for(cycle, membership)
    snapshot = CycleSnapshot.objects.filter(cycle=cycle, source_template_id=template_id).first()
    if snapshot is not None:
        data = snapshot.data
    else:
        from ..models import ReviewTemplate
        from ..snapshots import template_snapshot

        data = template_snapshot(ReviewTemplate.objects.get(pk=template_id))
    questions: dict[str, list[str]] = {ReviewerKind.SELF: [], ReviewerKind.MANAGER: []}
    for section in data["sections"]:
        for question in section["questions"]:
            for kind in question["answered_by"]:
                questions.setdefault(kind, []).append(question["prompt"])
    phases = cycle_phases(cycle)
    deadlines: list[Deadline] = []
    closed: list[str] = []
    for kind in (PhaseKind.SELF, PhaseKind.MANAGER):
        phase_window = window(phases, kind)
        if phase_window is None:
            continue
        deadlines.append(Deadline(kind, phase_window.opens_at, phase_window.closes_at))
        if phase_window.has_closed(now):
            closed.append(kind.value)
    manager = membership.manager
    if manager is not None and not manager.can_sign_in:
        manager = None
    return LateJoinerPreview(
        membership=membership,
        already_in=Participant.objects.filter(cycle=cycle, reviewee=membership).exists(),
        template_id=template_id,
        manager=manager,
        questions=questions,
        deadlines=deadlines,
        closed=closed,
    )


@dataclass(frozen=True)
class ManagerChangePreview:
    participant: Participant
    old_manager: Membership | None
    new_manager: Membership | None
    open_review: Review | None  # the manager review that is being written, if any
    moves: bool  # the open review moves to the new manager (the old one is kept, labelled)
    answers_kept: int  # what the old manager wrote, kept on the old review
    unchanged: bool  # the new manager is the one already writing


def manager_change_preview(
    *, participant: Participant, new_manager: Membership | None
) -> ManagerChangePreview:
    """What a manager change does to this participant's manager review, before it happens."""
    review = (
        Review.objects.filter(
            participant=participant, kind=ReviewerKind.MANAGER, superseded_at=None
        )
        .annotate(answer_count=Count("answers"))
        .first()
    )
    unchanged = getattr(new_manager, "pk", None) == participant.manager_id
    moves = (
        not unchanged
        and review is not None
        and review.status != ReviewStatus.SUBMITTED
        and participant.released_at is None
    )
    return ManagerChangePreview(
        participant=participant,
        old_manager=participant.manager,
        new_manager=new_manager,
        open_review=review,
        moves=moves,
        answers_kept=getattr(review, "answer_count", 0) if moves else 0,
        unchanged=unchanged,
    )
