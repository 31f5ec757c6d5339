"""Reads for writing reviews: one review with what its page needs, the goals a goal question
rates, the questions of a snapshot, the author's phase window. ("My reviews" is in
`steps`, scores in `scores`, the API's list in `listing`.)

Who reads what is decided in `reviews.policies`; these fetch, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from goals.models import Goal, GoalStatus
from goals.selectors import goals_of
from perfmgmt.errors import NotFoundError
from perfmgmt.ids import object_id
from perfmgmt.tenancy.policies import Actor

from .. import policies
from ..evidence import Citation, mostly_recent, resolve_citations
from ..models import (
    NAMED_KINDS,
    CyclePhase,
    Participant,
    QuestionKind,
    Review,
    ReviewAnswer,
    ReviewCycle,
)
from ..phases import REVIEW_PHASES, WRITING_PHASES, Window, window


def plain_value(value: Decimal | str | None) -> str:
    """A scale value as people and form fields write it: 4.00 -> "4", 2.50 -> "2.5"."""
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def signed_value(value: Decimal | None) -> str:
    """A gap with its sign: +1, -0.5, 0."""
    if value is None:
        return ""
    return ("+" if value > 0 else "") + plain_value(value)


# The statuses of a goal a review looks at: the ones that were worked on.
REVIEWED_GOAL_STATUSES = (GoalStatus.ACTIVE, GoalStatus.COMPLETED, GoalStatus.MISSED)


def review_queryset() -> QuerySet[Review]:
    """Reviews with their participant, cycle, phases, people and answers, in fixed queries."""
    return Review.objects.select_related(
        "participant__cycle",
        "participant__snapshot",
        "participant__reviewee__user",
        "participant__manager__user",
        "author__user",
    ).prefetch_related(
        Prefetch("participant__cycle__phases", queryset=CyclePhase.objects.order_by("opens_at")),
        Prefetch("answers", queryset=ReviewAnswer.objects.order_by("question_id", "item_id")),
    )


def review_get(*, actor: Actor, review_id: object) -> Review:
    """A review the actor may read (`policies.can_read_review`); 404 otherwise, exactly like
    a missing one or another organization's."""
    review = review_queryset().filter(pk=object_id(review_id)).first()
    if review is None or not policies.can_read_review(actor, review):
        raise NotFoundError("No such review.")
    return review


def counterpart(review: Review) -> Review | None:
    """The other open review of the same participant (self for a manager review, and the
    reverse), with its answers."""
    if review.kind not in NAMED_KINDS:
        return None
    return (
        review_queryset()
        .filter(participant_id=review.participant_id, superseded_at=None, kind__in=NAMED_KINDS)
        .exclude(kind=review.kind)
        .first()
    )


def snapshot_questions(snapshot_data: dict[str, Any]) -> Iterator[tuple[dict, dict]]:
    """(section, question) pairs of a snapshot, in order."""
    for section in snapshot_data.get("sections", []):
        for question in section.get("questions", []):
            yield section, question


def snapshot_question(snapshot_data: dict[str, Any], question_id: int) -> dict[str, Any] | None:
    """One question of a snapshot by its id; None when the snapshot has no such question."""
    return next((q for _s, q in snapshot_questions(snapshot_data) if q["id"] == question_id), None)


def questions_answered_by(snapshot_data: dict[str, Any], kind: str) -> dict[int, dict]:
    """The snapshot's questions this kind of author answers, by id."""
    return {
        question["id"]: question
        for _section, question in snapshot_questions(snapshot_data)
        if kind in question.get("answered_by", [])
    }


def has_goal_questions(snapshot_data: dict[str, Any]) -> bool:
    return any(q["kind"] == QuestionKind.GOALS for _s, q in snapshot_questions(snapshot_data))


def period_goals(participant: Participant) -> list[Goal]:
    """The reviewee's own goals worked on within the cycle's period (one query)."""
    cycle = participant.cycle
    return list(
        goals_of(person=participant.reviewee_id, period=(cycle.period_start, cycle.period_end))
        .filter(status__in=REVIEWED_GOAL_STATUSES)
        .order_by("due_date", "id")
    )


def period_goals_by_person(cycle: ReviewCycle, person_ids: Sequence[int]) -> dict[int, list[Goal]]:
    """`period_goals` of a batch of reviewees at once (one query), by person id."""
    found: dict[int, list[Goal]] = {person_id: [] for person_id in person_ids}
    goals = (
        goals_of(people=person_ids, period=(cycle.period_start, cycle.period_end))
        .filter(status__in=REVIEWED_GOAL_STATUSES)
        .order_by("due_date", "id")
    )
    for goal in goals:
        found.setdefault(goal.owner_person_id or 0, []).append(goal)
    return found


def question_items(question: dict, goals: list[Goal]) -> list[int]:
    """The item ids one question is answered by: each competency, each goal, else 0."""
    if question["kind"] == QuestionKind.COMPETENCY:
        return [competency["id"] for competency in question.get("competencies", [])]
    if question["kind"] == QuestionKind.GOALS:
        return [goal.pk for goal in goals]
    return [0]


def answers_by_key(review: Review | None) -> dict[tuple[int, int], ReviewAnswer]:
    if review is None:
        return {}
    return {(answer.question_id, answer.item_id): answer for answer in review.answers.all()}


# --- The review page ---------------------------------------------------------------------


@dataclass
class ItemRow:
    """One answer slot: a question's item (a competency, a goal, or the question itself)."""

    key: str
    item_id: int
    label: str = ""
    competency: dict | None = None
    goal: Goal | None = None
    answer: ReviewAnswer | None = None
    other: ReviewAnswer | None = None  # the counterpart's answer, when the reader may see it
    gap: Decimal | None = None  # manager minus self, in the scale's own values
    gap_display: str = ""
    levels: list[dict] = field(default_factory=list)  # value, label, description
    answer_label: str = ""
    other_label: str = ""
    citations: list[Citation] = field(default_factory=list)
    other_citations: list[Citation] = field(default_factory=list)
    mostly_recent: bool = False  # most evidence this answer cites is from the period's end
    fields: dict[str, Any] | None = None  # bound form fields, set by the view


@dataclass
class QuestionBlock:
    question: dict
    items: list[ItemRow]


@dataclass
class SectionBlock:
    section: dict
    questions: list[QuestionBlock]


@dataclass
class ReviewPage:
    review: Review
    sections: list[SectionBlock]
    counterpart: Review | None  # the other review, when the reader may read it
    show_gap: bool
    goals: list[Goal]
    mostly_recent: bool = False  # most evidence the whole review cites is from the end

    def items(self) -> list[tuple[dict, int]]:
        return [
            (block.question, row.item_id)
            for section in self.sections
            for block in section.questions
            for row in block.items
        ]


def item_levels(question: dict, competency: dict | None) -> list[dict]:
    """The scale's levels for one item; on a behaviourally anchored scale, a competency's
    item reads the competency's own behaviour at each level."""
    scale = question.get("scale") or {}
    behaviours = {}
    if competency is not None and scale.get("anchored_by_competencies"):
        behaviours = {str(level["level"]): level["behaviour"] for level in competency["levels"]}
    levels = []
    for level in scale.get("levels", []):
        value = plain_value(level["value"])
        description = behaviours.get(value) or level.get("description", "")
        levels.append({"value": value, "label": level["label"], "description": description})
    return levels


def rating_label(levels: list[dict], answer: ReviewAnswer | None) -> str:
    """An answer's rating as the scale says it ("4 · Exceeds")."""
    if answer is None or answer.rating is None:
        return ""
    for level in levels:
        if Decimal(level["value"]) == answer.rating:
            return f"{plain_value(answer.rating)} · {level['label']}"
    return plain_value(answer.rating)


def _gap(answer: ReviewAnswer | None, other: ReviewAnswer | None, kind: str) -> Decimal | None:
    if answer is None or other is None or answer.rating is None or other.rating is None:
        return None
    manager, own = (answer, other) if kind == "manager" else (other, answer)
    return (manager.rating or Decimal(0)) - (own.rating or Decimal(0))


def review_page(*, actor: Actor, review: Review) -> ReviewPage:
    """What the review page shows `actor` (who may read `review`): the questions of its
    author's kind that the reader may read, each item with its answer and, where the reader
    may read it, the counterpart's answer and the self/manager gap. Fixed queries."""
    participant = review.participant
    data = participant.snapshot.data
    readable = {
        question["id"]
        for question in policies.readable_questions(
            actor, participant, [q for _s, q in snapshot_questions(data)]
        )
    }
    other = counterpart(review)
    if other is not None and not policies.can_read_review(actor, other):
        other = None
    show_gap = other is not None and policies.can_see_review_gap(actor, participant)
    goals = period_goals(participant) if has_goal_questions(data) else []
    goals_by_id = {goal.pk: goal for goal in goals}
    mine, theirs = answers_by_key(review), answers_by_key(other)
    sections = []
    for section in data.get("sections", []):
        blocks = []
        for question in section.get("questions", []):
            if review.kind not in question["answered_by"] or question["id"] not in readable:
                continue
            competencies = {c["id"]: c for c in question.get("competencies", [])}
            rows = []
            for item in question_items(question, goals):
                answer = mine.get((question["id"], item))
                their = theirs.get((question["id"], item))
                levels = item_levels(question, competencies.get(item))
                gap = _gap(answer, their, review.kind) if show_gap else None
                rows.append(
                    ItemRow(
                        key=f"q{question['id']}_{item}",
                        item_id=item,
                        label=(competencies.get(item) or {}).get("name", "")
                        or getattr(goals_by_id.get(item), "title", ""),
                        competency=competencies.get(item),
                        goal=goals_by_id.get(item),
                        answer=answer,
                        other=their,
                        gap=gap,
                        gap_display=signed_value(gap),
                        levels=levels,
                        answer_label=rating_label(levels, answer),
                        other_label=rating_label(levels, their),
                    )
                )
            blocks.append(QuestionBlock(question, rows))
        if blocks:
            sections.append(SectionBlock(section, blocks))
    page = ReviewPage(review, sections, other, show_gap, goals)
    _cite(actor, page)
    return page


def _cite(actor: Actor, page: ReviewPage) -> None:
    """Resolve every citation on the page at once (one query per kind cited) and mark the
    answers, and the review, whose cited evidence is mostly from the period's last weeks."""
    rows = [row for section in page.sections for block in section.questions for row in block.items]
    refs = {
        ref
        for row in rows
        for answer in (row.answer, row.other)
        if answer is not None
        for ref in answer.citations
    }
    if not refs:
        return
    participant = page.review.participant
    resolved = resolve_citations(actor=actor, participant=participant, refs=sorted(refs))
    period_end = participant.cycle.period_end
    own: list[Citation] = []
    for row in rows:
        row.citations = [resolved[ref] for ref in (row.answer.citations if row.answer else [])]
        row.other_citations = [resolved[ref] for ref in (row.other.citations if row.other else [])]
        row.mostly_recent = mostly_recent(row.citations, period_end=period_end)
        own += row.citations
    page.mostly_recent = mostly_recent(own, period_end=period_end)


def writing_window(review: Review) -> Window | None:
    """The author's phase window, closing at the participant's own extension if later."""
    participant = review.participant
    phase = REVIEW_PHASES[review.kind]
    deadline_field = WRITING_PHASES.get(phase)
    extension = getattr(participant, deadline_field) if deadline_field else None
    return window(participant.cycle.phases.all(), phase, extended_until=extension)


def participant_get(*, actor: Actor, participant_id: object) -> Participant:
    """A participant the actor may see (`policies.can_view_participant`); 404 otherwise."""
    participant = (
        Participant.objects.select_related("cycle", "snapshot", "reviewee__user")
        .filter(pk=object_id(participant_id))
        .first()
    )
    if participant is None or not policies.can_view_participant(actor, participant):
        raise NotFoundError("No such participant.")
    return participant
