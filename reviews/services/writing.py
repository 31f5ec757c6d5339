"""Writing a review: saving a draft (`review_save`) and submitting it (`review_submit`).

Only the author writes (`policies.can_write_review`), and only while the phase of their
kind is open on the clock (`reviews.phases.window`, with the participant's own extension).
Answers are validated against the participant's snapshot, never the live template: a rating
is one of the scale's values, a question the author's kind does not answer is refused.

Every save names the version it started from. The version is bumped in one conditional
UPDATE, so two tabs (or two devices) cannot both win: the later one gets a
`ReviewConflictError` carrying the stored version and answers, and its own text is kept by
the caller (the page shows both). Answers are upserted in one statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.policies import Actor, require_person

from .. import policies
from ..evidence import KINDS as EVIDENCE_KINDS
from ..models import (
    PRIVATE_AUTHOR_KINDS,
    GoalScoring,
    QuestionKind,
    Review,
    ReviewAnswer,
    ReviewStatus,
)
from ..selectors.writing import (
    period_goals,
    plain_value,
    question_items,
    questions_answered_by,
    writing_window,
)

MAX_TEXT = 10_000
MAX_CITATIONS = 20


@dataclass(frozen=True)
class AnswerInput:
    question_id: int
    item_id: int = 0
    rating: Decimal | str | None = None
    not_applicable: bool = False
    text: str = ""
    citations: Sequence[str] = field(default_factory=tuple)


class ReviewConflictError(ConflictError):
    """A save from an older version: carries what is stored now, so nothing is lost."""

    def __init__(self, message: str, *, review: Review) -> None:
        stored = list(ReviewAnswer.objects.filter(review=review).order_by("question_id", "item_id"))
        self.stored_version = review.version
        self.stored_answers = [answer_payload(answer) for answer in stored]
        super().__init__(
            message,
            fields={
                "version": [_("The saved version is %(version)d.") % {"version": review.version}]
            },
        )

    @property
    def current(self) -> dict[str, Any]:
        return {"version": self.stored_version, "answers": self.stored_answers}


def answer_payload(answer: ReviewAnswer) -> dict[str, Any]:
    return {
        "question_id": answer.question_id,
        "item_id": answer.item_id,
        "rating": None if answer.rating is None else plain_value(answer.rating),
        "not_applicable": answer.not_applicable,
        "text": answer.text,
        "citations": list(answer.citations),
    }


# --- Who may write, and when -------------------------------------------------------------


def writing_refusal(review: Review, now: datetime) -> str | None:
    """Why the author cannot write now (the phase's dates), or None when they can."""
    window = writing_window(review)
    if window is None:
        return _("This cycle has no phase for this review.")
    if window.has_closed(now):
        return _("This review closed on %(moment)s; it can no longer be changed.") % {
            "moment": format_moment(window.closes_at)
        }
    if not window.is_open(now):
        return _("This review opens on %(moment)s.") % {"moment": format_moment(window.opens_at)}
    return None


def _require_writable(actor: Actor, review: Review, now: datetime) -> None:
    require_person(actor, _("An API key cannot write a review; a person does."))
    if not policies.can_write_review(actor, review):
        raise PermissionDeniedError(_("Only its author writes this review."))
    if review.is_submitted:
        raise ConflictError(_("This review has been submitted and can no longer be changed."))
    refusal = writing_refusal(review, now)
    if refusal is not None:
        raise ConflictError(refusal)


# --- Validation against the snapshot -----------------------------------------------------


def _invalid(key: str, message: str) -> DomainError:
    return DomainError(_("Some answers are not valid."), fields={key: [message]})


def answer_key(question_id: int, item_id: int) -> str:
    """The name an answer's errors go under (and the page's field prefix)."""
    return f"q{question_id}_{item_id}"


def _rating(question: dict, value: Decimal | str | None, key: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if question["kind"] == QuestionKind.TEXT or (
        question["kind"] == QuestionKind.GOALS and question["goal_scoring"] == GoalScoring.PROGRESS
    ):
        raise _invalid(key, _("This question is not rated."))
    try:
        rating = Decimal(str(value))
    except InvalidOperation:
        raise _invalid(key, _("Choose one of the scale's levels.")) from None
    allowed = {Decimal(level["value"]) for level in (question.get("scale") or {}).get("levels", [])}
    if rating not in allowed:
        raise _invalid(key, _("Choose one of the scale's levels."))
    return rating


def _citations(values: Sequence[str], key: str) -> list[str]:
    cleaned = []
    for value in values:
        kind, _sep, number = str(value).partition(":")
        if kind not in EVIDENCE_KINDS or not number.isdigit() or len(value) > 40:
            raise _invalid(
                key, _("%(citation)s is not evidence this page can cite.") % {"citation": value}
            )
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > MAX_CITATIONS:
        raise _invalid(key, _("Cite at most %(count)d items.") % {"count": MAX_CITATIONS})
    return cleaned


def validated_answers(review: Review, answers: Sequence[AnswerInput]) -> list[ReviewAnswer]:
    """The answers as rows, or a DomainError naming the answer (`q<question>_<item>`)."""
    questions = questions_answered_by(review.participant.snapshot.data, review.kind)
    goals = None
    rows: dict[tuple[int, int], ReviewAnswer] = {}
    now = timezone.now()
    for answer in answers:
        key = answer_key(answer.question_id, answer.item_id)
        question = questions.get(answer.question_id)
        if question is None:
            raise _invalid(key, _("This question is not yours to answer in this review."))
        if question["kind"] == QuestionKind.GOALS and goals is None:
            goals = period_goals(review.participant)
        if answer.item_id not in question_items(question, goals or []):
            raise _invalid(key, _("This item is not part of the question."))
        text = (answer.text or "").strip()
        if len(text) > MAX_TEXT:
            raise _invalid(
                key,
                _("Keep it under %(limit)d characters (it has %(length)d).")
                % {"limit": MAX_TEXT, "length": len(text)},
            )
        rating = None if answer.not_applicable else _rating(question, answer.rating, key)
        rows[(answer.question_id, answer.item_id)] = ReviewAnswer(
            organization_id=review.organization_id,
            review=review,
            question_id=answer.question_id,
            item_id=answer.item_id,
            rating=rating,
            not_applicable=bool(answer.not_applicable),
            text=text,
            citations=_citations(answer.citations, key),
            updated_at=now,
        )
    return list(rows.values())


# --- Saving and submitting ---------------------------------------------------------------


STALE = gettext_lazy(
    "This review was saved elsewhere (another tab or device) since you opened it. What you "
    "typed is kept: compare it with the saved version, then save again."
)


def review_save(
    *, actor: Actor, review: Review, answers: Sequence[AnswerInput], version: int
) -> Review:
    """Save the author's draft answers; returns the review with its new version.

    Refused: by anyone but the author, outside the author's phase window (saying when it
    closed), after submitting, and from an older `version` (`ReviewConflictError`).
    """
    now = timezone.now()
    _require_writable(actor, review, now)
    rows = validated_answers(review, answers)
    with transaction.atomic():
        bumped = (
            Review.objects.filter(pk=review.pk, version=version)
            .exclude(status=ReviewStatus.SUBMITTED)
            .update(
                version=F("version") + 1,
                status=ReviewStatus.DRAFT,
                started_at=review.started_at or now,
                updated_at=now,
            )
        )
        if not bumped:
            review.refresh_from_db()
            if review.is_submitted:
                raise ConflictError(
                    _("This review has been submitted and can no longer be changed.")
                )
            raise ReviewConflictError(str(STALE), review=review)
        if rows:
            ReviewAnswer.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["organization", "review", "question_id", "item_id"],
                update_fields=["rating", "not_applicable", "text", "citations", "updated_at"],
            )
    review.refresh_from_db(fields=["version", "status", "started_at", "updated_at"])
    if hasattr(review, "_prefetched_objects_cache"):
        review._prefetched_objects_cache.pop("answers", None)
    return review


def missing_answers(review: Review) -> list[str]:
    """The required answers still missing, as `q<question>_<item>` keys (a rating, N/A or
    text answers; a goal question scored from progress needs nothing)."""
    questions = questions_answered_by(review.participant.snapshot.data, review.kind)
    stored = {
        (answer.question_id, answer.item_id): answer
        for answer in ReviewAnswer.objects.filter(review=review)
    }
    goals = None
    missing = []
    for question in questions.values():
        if not question.get("required"):
            continue
        if question["kind"] == QuestionKind.GOALS:
            if question["goal_scoring"] == GoalScoring.PROGRESS:
                continue
            goals = period_goals(review.participant) if goals is None else goals
        for item in question_items(question, goals or []):
            answer = stored.get((question["id"], item))
            if answer is None or not (
                answer.rating is not None or answer.not_applicable or answer.text.strip()
            ):
                missing.append(answer_key(question["id"], item))
    return missing


def review_submit(
    *,
    actor: Actor,
    review: Review,
    version: int | None = None,
    answers: Sequence[AnswerInput] | None = None,
) -> Review:
    """Submit the review: every required question answered, phase open. Submitting twice is
    a no-op. After this the author can no longer edit it (HR may reopen it).

    With `answers` (the page's form, typed since the last autosave), they are saved first
    from `version`, and kept even when the submission is then refused.
    """
    if review.is_submitted and policies.can_write_review(actor, review):
        return review
    if answers is not None:
        review = review_save(actor=actor, review=review, answers=answers, version=version or 0)
        version = review.version
    now = timezone.now()
    _require_writable(actor, review, now)
    missing = missing_answers(review)
    if missing:
        raise DomainError(
            _("Answer every required question before you submit."),
            fields={key: [_("This question needs an answer.")] for key in missing},
        )
    with transaction.atomic():
        query = Review.objects.filter(pk=review.pk).exclude(status=ReviewStatus.SUBMITTED)
        if version is not None:
            query = query.filter(version=version)
        submitted = query.update(
            status=ReviewStatus.SUBMITTED,
            submitted_at=now,
            started_at=review.started_at or now,
            updated_at=now,
            version=F("version") + 1,
        )
        # Peer and upward authors are known to nobody but themselves: not even to the trail.
        if submitted and review.kind not in PRIVATE_AUTHOR_KINDS:
            audit_record(actor=actor, action="review.submitted", target=review)
    review.refresh_from_db(fields=["version", "status", "started_at", "updated_at", "submitted_at"])
    if not submitted and not review.is_submitted:
        raise ReviewConflictError(str(STALE), review=review)
    return review
