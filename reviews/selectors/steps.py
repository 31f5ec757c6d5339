"""One status and one next step per review, for "My reviews" and the home page: the
cycles a person is in and the reviews they write, each with its deadline in the reader's
zone (two queries, whatever the number of reviews)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.localization import format_clock, format_moment, format_weekday
from perfmgmt.tenancy.policies import Actor, person_of

from ..models import CyclePhase, Review, ReviewStatus
from .writing import writing_window

# --- My reviews --------------------------------------------------------------------------


@dataclass(frozen=True)
class MyReviews:
    own: list[Review]  # the self-assessments of the cycles the person is in
    writing: list[Review]  # the manager reviews they write (or wrote)
    manager_reviews: dict[int, Review]  # participant id -> the manager review of "own"


def my_reviews(*, actor: Actor) -> MyReviews:
    """The reviews the person writes, and the manager reviews of their own cycles (for
    their status only: what they may read of them is the review page's business)."""
    person = person_of(actor)
    if person is None:
        return MyReviews([], [], {})
    reviews = list(
        Review.objects.select_related(
            "participant__cycle", "participant__reviewee__user", "author__user"
        )
        .prefetch_related(
            Prefetch("participant__cycle__phases", queryset=CyclePhase.objects.order_by("opens_at"))
        )
        .filter(
            Q(author=person) | Q(participant__reviewee=person, kind="manager"),
            superseded_at=None,
        )
        .order_by("-participant__cycle__period_end", "participant_id", "kind", "id")
    )
    own, writing, manager_reviews = [], [], {}
    for review in reviews:
        if review.participant.reviewee_id == person.pk and review.kind == "manager":
            manager_reviews[review.participant_id] = review
        elif review.kind == "self":
            own.append(review)
        else:
            writing.append(review)
    return MyReviews(own, writing, manager_reviews)


# --- One status and one next step per review ("My reviews", the home page) -------------


@dataclass(frozen=True)
class ReviewStep:
    review: Review
    title: str  # the cycle, and whose review
    status: str  # one unambiguous status
    next_step: str  # what to do next, with its deadline in the reader's zone ("" if nothing)
    to_do: bool  # the reader has something to write now
    deadline: datetime | None
    # The reviewee's released review: it is read, commented and acknowledged on the
    # release page (reviews:released), not on the writing page.
    released: bool = False


def _due(moment: datetime) -> str:
    return _("%(day)s, %(clock)s") % {"day": format_weekday(moment), "clock": format_clock(moment)}


def _step_to_write(
    review: Review, now: datetime, *, write: str, due: Callable[[str], str]
) -> ReviewStep | None:
    """The step of an unsubmitted review: write it (phase open), wait (not yet), or closed."""
    title = review.participant.cycle.name
    span = writing_window(review)
    if span is None:
        return None
    if span.is_open(now):
        status = str(ReviewStatus(review.status).label)
        next_step = due(_due(span.closes_at))
        return ReviewStep(review, title, status, next_step, True, span.closes_at)
    if span.has_closed(now):
        status = _("Closed on %(moment)s without being submitted") % {
            "moment": format_moment(span.closes_at)
        }
        return ReviewStep(review, title, status, "", False, None)
    status = _("Opens on %(moment)s") % {"moment": format_moment(span.opens_at)}
    return ReviewStep(review, title, status, write, False, span.opens_at)


def _released_step(manager_review: Review) -> ReviewStep:
    """The reviewee's step once their review is released: read it and acknowledge it."""
    participant = manager_review.participant
    released = _("Released on %(moment)s") % {"moment": format_moment(participant.released_at)}
    if participant.acknowledged_at is not None:
        acknowledged = _("Acknowledged on %(moment)s") % {
            "moment": format_moment(participant.acknowledged_at)
        }
        return ReviewStep(
            manager_review, participant.cycle.name, acknowledged, "", False, None, released=True
        )
    next_step = _("Read your review and acknowledge it")
    return ReviewStep(
        manager_review, participant.cycle.name, released, next_step, True, None, released=True
    )


def _manager_review_due(day: str, *, name: str) -> str:
    return _("Write %(name)s's review - due %(due)s") % {"name": name, "due": day}


def review_steps(*, actor: Actor, now: datetime | None = None) -> list[ReviewStep]:
    """Every review the person writes and every cycle they are in, each with one status and
    its next step (two queries, whatever the number of reviews)."""
    now = now or timezone.now()
    mine = my_reviews(actor=actor)
    steps = []
    for review in mine.own:
        participant = review.participant
        manager_review = mine.manager_reviews.get(review.participant_id)
        if participant.released_at is not None and manager_review is not None:
            steps.append(_released_step(manager_review))
            continue
        if not review.is_submitted:
            step = _step_to_write(
                review,
                now,
                write=_("Write your self-assessment"),
                due=lambda day: _("Write your self-assessment - due %(due)s") % {"due": day},
            )
            if step is not None:
                steps.append(step)
            continue
        submitted = _("Submitted on %(moment)s") % {"moment": format_moment(review.submitted_at)}
        if manager_review is not None and not manager_review.is_submitted:
            next_step = _("Waiting for your manager's review")
        elif manager_review is not None:
            next_step = _("Waiting for the release of your review")
        else:
            next_step = ""
        steps.append(ReviewStep(review, participant.cycle.name, submitted, next_step, False, None))
    for review in mine.writing:
        name = review.participant.reviewee.display_name
        title = _("%(cycle)s: %(name)s") % {"cycle": review.participant.cycle.name, "name": name}
        if review.is_submitted:
            status = _("Submitted on %(moment)s") % {"moment": format_moment(review.submitted_at)}
            steps.append(ReviewStep(review, title, status, "", False, None))
            continue
        step = _step_to_write(
            review,
            now,
            write=_("Write %(name)s's review") % {"name": name},
            due=partial(_manager_review_due, name=name),
        )
        if step is not None:
            steps.append(
                ReviewStep(
                    step.review, title, step.status, step.next_step, step.to_do, step.deadline
                )
            )
    return steps
