"""A cycle's results as CSV: one row per participant with the scores the reader may see.

Scores come from `reviews.scoring` over the participant's snapshot and answers (the writing
area's scoring selector is not on this branch, so `review_score` here builds the scorer's
input: ratings on their own scale, items of a competency or goal question sharing its
weight, goals scored by progress left out). Rows are streamed in chunks with a fixed number
of queries per chunk. Every cell a person typed is escaped against spreadsheet formulas.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from perfmgmt.localization import format_moment
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.policies import Actor

from . import policies, scoring
from .models import Participant, Review, ReviewCycle, ReviewerKind, ReviewStatus

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SCORED_KINDS = {"rating", "overall", "competency", "goals"}


def escape_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _scale_bounds(question: dict[str, Any]) -> tuple[Decimal, Decimal] | None:
    values = [Decimal(level["value"]) for level in (question.get("scale") or {}).get("levels", [])]
    if len(set(values)) < 2:
        return None
    return min(values), max(values)


def _question_answers(question: dict[str, Any], rows: Sequence[Any]) -> list[scoring.Answer]:
    key, weight = str(question["id"]), Decimal(question.get("weight") or "1")
    bounds = _scale_bounds(question)
    if bounds is None or question.get("goal_scoring") == "progress":
        return [scoring.Answer(key, weight, None, scoring.Skipped.NOT_SCORED)]
    if not rows:
        return [scoring.Answer(key, weight, None, scoring.Skipped.UNANSWERED)]
    share = weight / len(rows)
    answers = []
    for row in rows:
        if row.not_applicable:
            answers.append(scoring.Answer(key, share, None, scoring.Skipped.NOT_APPLICABLE))
        elif row.rating is None:
            answers.append(scoring.Answer(key, share, None, scoring.Skipped.UNANSWERED))
        else:
            value = scoring.normalise(row.rating, lowest=bounds[0], highest=bounds[1])
            answers.append(scoring.Answer(key, share, value))
    return answers


def review_score(
    review: Review, sections: Sequence[dict[str, Any]], readable: set[int]
) -> scoring.Score:
    """The review's score over the questions whose ids are in `readable`."""
    by_question: dict[int, list[Any]] = {}
    for answer in review.answers.all():
        by_question.setdefault(answer.question_id, []).append(answer)
    inputs = []
    for section in sections:
        answers: list[scoring.Answer] = []
        for question in section.get("questions", []):
            if (
                question["id"] in readable
                and question.get("kind") in SCORED_KINDS
                and review.kind in question.get("answered_by", [])
            ):
                answers += _question_answers(question, by_question.get(question["id"], []))
        inputs.append(
            scoring.SectionInput(str(section["id"]), Decimal(section.get("weight") or "1"), answers)
        )
    return scoring.score(inputs)


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _header() -> list[str]:
    return [
        _("Person"),
        _("Team"),
        _("Manager"),
        _("Self-assessment"),
        _("Self-assessment score (%)"),
        _("Manager review"),
        _("Manager review score (%)"),
        _("Gap (points)"),
        _("Released"),
        _("Acknowledged"),
        _("Comment"),
    ]


def _participants(cycle: ReviewCycle) -> Any:
    return (
        Participant.objects.filter(cycle=cycle)
        .select_related("reviewee__user", "reviewee__team", "manager__user", "snapshot")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(superseded_at=None).prefetch_related("answers"),
            )
        )
        .order_by("reviewee__full_name", "pk")
    )


def _row(actor: Actor, participant: Participant) -> list[str]:
    sections = participant.snapshot.data.get("sections", [])
    questions = [question for section in sections for question in section.get("questions", [])]
    readable = {q["id"] for q in policies.readable_questions(actor, participant, questions)}
    cells: dict[str, tuple[str, Decimal | None]] = {}
    for review in participant.reviews.all():
        review.participant = participant
        status = ReviewStatus(review.status).label
        shown = review.is_submitted and policies.can_read_review(actor, review)
        overall = review_score(review, sections, readable).overall if shown else None
        cells[review.kind] = (str(status), overall)
    self_status, self_score = cells.get(ReviewerKind.SELF, ("", None))
    manager_status, manager_score = cells.get(ReviewerKind.MANAGER, ("", None))
    gap = scoring.gap(self_score, manager_score)
    reviewee = participant.reviewee
    return [
        reviewee.display_name,
        reviewee.team.name if reviewee.team else "",
        participant.manager.display_name if participant.manager else "",
        self_status,
        _percent(self_score),
        manager_status,
        _percent(manager_score),
        _percent(gap),
        format_moment(participant.released_at) if participant.released_at else "",
        format_moment(participant.acknowledged_at) if participant.acknowledged_at else "",
        participant.employee_comment,
    ]


def results_csv(*, actor: Actor, cycle: ReviewCycle) -> Iterator[str]:
    """The CSV lines of the cycle's results, for a reader who may read all its reviews
    (checked by the caller: `policies.can_view_all_reviews`)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(_header())
    # A streamed response is read after the view returned: open the scope for the rows.
    with organization_scope(cycle.organization):
        for participant in _participants(cycle).iterator(chunk_size=200):
            yield writer.writerow([escape_cell(cell) for cell in _row(actor, participant)])
