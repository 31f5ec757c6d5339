"""A review's score, explained: `scoring.SectionInput`s built from its answers and the
participant's snapshot, and the self/manager gap per question, per section and overall.

Each question counts by its weight; a competency or goal question shares its weight among
its items (goals by their own weights). Text and weightless questions are not scored;
unanswered and "not applicable" ones are skipped, never counted as zero (reviews.scoring).
The reader's questions only (`policies.readable_questions`): the reviewee's view of a score
is computed without manager-only questions, so every number shown can be explained.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from goals.models import Goal
from perfmgmt.tenancy.policies import Actor

from .. import policies, scoring
from ..models import GoalScoring, Participant, QuestionKind, Review, ReviewAnswer
from ..scoring import Answer, SectionInput, Skipped
from .writing import answers_by_key, period_goals, question_items, review_queryset


@dataclass(frozen=True)
class AnswerLine:
    """One scored (or skipped) answer, as the score page explains it."""

    key: str
    prompt: str
    label: str
    rating: Decimal | None
    normalised: Decimal | None
    weight: Decimal
    skipped: str


def _bounds(question: dict) -> tuple[Decimal, Decimal] | None:
    levels = [Decimal(level["value"]) for level in (question.get("scale") or {}).get("levels", [])]
    if len(set(levels)) < 2:
        return None
    return min(levels), max(levels)


def _item_weights(question: dict, items: list[int], goals: dict[int, Goal]) -> dict[int, Decimal]:
    """A question's weight shared among its items (goals by their own weights)."""
    weight = Decimal(question["weight"])
    if not items:
        return {}
    if question["kind"] == QuestionKind.GOALS:
        total = sum((goals[item].weight for item in items), Decimal(0))
        if total > 0:
            return {item: weight * goals[item].weight / total for item in items}
    return {item: weight / len(items) for item in items}


def _answer(
    question: dict, item: int, weight: Decimal, answer: ReviewAnswer | None, goal: Goal | None
) -> Answer:
    key = f"q{question['id']}_{item}"
    if question["kind"] == QuestionKind.TEXT or weight <= 0:
        return Answer(key, weight, None, Skipped.NOT_SCORED)
    if answer is not None and answer.not_applicable:
        return Answer(key, weight, None, Skipped.NOT_APPLICABLE)
    if question["kind"] == QuestionKind.GOALS and question["goal_scoring"] == GoalScoring.PROGRESS:
        progress = scoring.from_progress(goal.progress if goal is not None else None)
        return Answer(key, weight, progress, None if progress is not None else Skipped.UNANSWERED)
    bounds = _bounds(question)
    if answer is None or answer.rating is None or bounds is None:
        return Answer(key, weight, None, Skipped.UNANSWERED)
    normalised = scoring.normalise(answer.rating, lowest=bounds[0], highest=bounds[1])
    return Answer(key, weight, normalised, None)


@dataclass(frozen=True)
class ReviewScore:
    review: Review
    score: scoring.Score
    lines: dict[str, AnswerLine]  # by answer key


def review_score(
    *, review: Review, questions: set[int], goals: list[Goal] | None = None
) -> ReviewScore:
    """The score of `review` over the snapshot questions in `questions` (ids)."""
    data = review.participant.snapshot.data
    goals = period_goals(review.participant) if goals is None else goals
    goals_by_id = {goal.pk: goal for goal in goals}
    stored = answers_by_key(review)
    sections, lines = [], {}
    for section in data.get("sections", []):
        answers = []
        for question in section.get("questions", []):
            if review.kind not in question["answered_by"] or question["id"] not in questions:
                continue
            items = question_items(question, goals)
            weights = _item_weights(question, items, goals_by_id)
            competencies = {c["id"]: c["name"] for c in question.get("competencies", [])}
            for item in items:
                stored_answer = stored.get((question["id"], item))
                answer = _answer(
                    question, item, weights[item], stored_answer, goals_by_id.get(item)
                )
                answers.append(answer)
                goal = goals_by_id.get(item)
                lines[answer.key] = AnswerLine(
                    key=answer.key,
                    prompt=question["prompt"],
                    label=competencies.get(item) or (goal.title if goal is not None else ""),
                    rating=stored_answer.rating if stored_answer is not None else None,
                    normalised=answer.normalised,
                    weight=answer.weight,
                    skipped=str(answer.skipped or ""),
                )
        sections.append(SectionInput(str(section["id"]), Decimal(section["weight"]), answers))
    return ReviewScore(review, scoring.score(sections), lines)


@dataclass(frozen=True)
class Gap:
    key: str
    value: Decimal | None  # manager minus self, 0..1


@dataclass(frozen=True)
class ParticipantScores:
    participant: Participant
    scores: list[ReviewScore]  # the reviews the reader may read, self first
    section_titles: dict[str, str]
    lowest: Decimal | None  # the scale the overall is shown in
    highest: Decimal | None
    gaps: dict[str, Decimal | None]  # "overall", section keys, answer keys
    show_gap: bool

    def in_scale(self, value: Decimal | None) -> Decimal | None:
        if value is None or self.lowest is None or self.highest is None:
            return None
        return scoring.in_scale_terms(value, lowest=self.lowest, highest=self.highest).quantize(
            Decimal("0.01")
        )


def _overall_scale(data: dict[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    """The scale the overall score is read in: the overall question's, else the first."""
    questions = [q for s in data.get("sections", []) for q in s.get("questions", [])]
    questions.sort(key=lambda q: q["kind"] != QuestionKind.OVERALL)
    for question in questions:
        bounds = _bounds(question)
        if bounds is not None:
            return bounds
    return None, None


def participant_scores(*, actor: Actor, participant: Participant) -> ParticipantScores:
    """The scores of the participant's open reviews `actor` may read, and the gaps when the
    reader may see them (managers and HR, once both are submitted)."""
    data = participant.snapshot.data
    readable = {
        question["id"]
        for question in policies.readable_questions(
            actor, participant, [q for s in data.get("sections", []) for q in s["questions"]]
        )
    }
    reviews = [
        review
        for review in review_queryset().filter(participant=participant, superseded_at=None)
        if policies.can_read_review(actor, review)
    ]
    goals = period_goals(participant)
    scores = sorted(
        (review_score(review=review, questions=readable, goals=goals) for review in reviews),
        key=lambda found: found.review.kind != "self",
    )
    by_kind = {found.review.kind: found for found in scores}
    show_gap = (
        policies.can_see_review_gap(actor, participant)
        and "self" in by_kind
        and "manager" in by_kind
        and by_kind["self"].review.is_submitted
    )
    gaps: dict[str, Decimal | None] = {}
    if show_gap:
        own, manager = by_kind["self"], by_kind["manager"]
        gaps["overall"] = scoring.gap(own.score.overall, manager.score.overall)
        for mine, theirs in zip(own.score.sections, manager.score.sections, strict=False):
            gaps[mine.key] = scoring.gap(mine.score, theirs.score)
        for key, line in own.lines.items():
            other = manager.lines.get(key)
            gaps[key] = scoring.gap(line.normalised, other.normalised if other else None)
    lowest, highest = _overall_scale(data)
    titles = {str(section["id"]): section["title"] for section in data.get("sections", [])}
    return ParticipantScores(participant, scores, titles, lowest, highest, gaps, show_gap)
