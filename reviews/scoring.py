"""How a review's numbers are computed: weighted, renormalised, never a missing answer as zero.

Every rating is first normalised to 0..1 on its own scale (lowest level 0, highest 1), so
scales of different lengths can be combined. Within a section, each answered question counts
by its weight; unanswered and "not applicable" questions are skipped and the weights of the
others renormalised. A section with nothing answered drops out of the overall score, and the
weights of the remaining sections are renormalised in the same way. A goal question can score
from the goal's progress (capped at 100 %).

This is the known failure of Frappe HR (#2023) that we do not repeat: averaging a missing
score as zero drags everybody with an unanswered question down.

Pure functions over plain values: the same numbers on the score page, in the API, in exports
and later in calibration and rewards. The explanation (which answers, which weights) is part
of the result, so the page that shows a number can say how it was computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Skipped(StrEnum):
    UNANSWERED = "unanswered"
    NOT_APPLICABLE = "not_applicable"
    NOT_SCORED = "not_scored"  # free text, or a question with no weight


@dataclass(frozen=True)
class Answer:
    """One question's answer as the scorer sees it: `normalised` in 0..1, or None with why."""

    key: str
    weight: Decimal
    normalised: Decimal | None
    skipped: Skipped | None = None

    @property
    def counts(self) -> bool:
        return self.normalised is not None and self.weight > 0


@dataclass(frozen=True)
class SectionInput:
    key: str
    weight: Decimal
    answers: Sequence[Answer]


@dataclass(frozen=True)
class SectionScore:
    key: str
    weight: Decimal
    score: Decimal | None  # None: nothing in it was answered, so it drops out
    answers: tuple[Answer, ...]
    share: Decimal  # this section's part of the overall score after renormalising (0..1)

    @property
    def counted(self) -> tuple[Answer, ...]:
        return tuple(answer for answer in self.answers if answer.counts)


@dataclass(frozen=True)
class Score:
    overall: Decimal | None  # None: nothing at all was answered
    sections: tuple[SectionScore, ...]


def normalise(value: Decimal, *, lowest: Decimal, highest: Decimal) -> Decimal:
    """A rating on a scale from `lowest` to `highest` as 0..1. Values outside the scale are
    refused by the services before they get here; this clamps rather than trusts that."""
    if highest <= lowest:
        raise ValueError("A scale needs at least two different values.")
    position = (Decimal(value) - lowest) / (highest - lowest)
    return min(Decimal(1), max(Decimal(0), position))


def from_progress(progress: Decimal | None) -> Decimal | None:
    """A goal's progress (0..1, may exceed 1 for over-achievement) as a score, capped at 1."""
    if progress is None:
        return None
    return min(Decimal(1), max(Decimal(0), Decimal(progress)))


def in_scale_terms(normalised: Decimal, *, lowest: Decimal, highest: Decimal) -> Decimal:
    """A 0..1 score back on the scale's own values: 0.75 on 1..5 is 4."""
    return lowest + normalised * (highest - lowest)


# Scores are kept to four places: enough for any scale a person reads, and the same number
# wherever it is computed (a division's last digit would otherwise differ by the order).
PRECISION = Decimal("0.0001")


def _weighted_mean(pairs: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Mean of values by weight over the pairs that count; None when none do."""
    total_weight = sum((weight for weight, _value in pairs), Decimal(0))
    if total_weight <= 0:
        return None
    mean = sum((weight * value for weight, value in pairs), Decimal(0)) / total_weight
    return mean.quantize(PRECISION)


def score(sections: Sequence[SectionInput]) -> Score:
    section_scores = []
    for section in sections:
        counted = [
            (answer.weight, answer.normalised)
            for answer in section.answers
            if answer.counts and answer.normalised is not None
        ]
        section_scores.append((section, _weighted_mean(counted)))
    contributing = [
        (section.weight, value)
        for section, value in section_scores
        if value is not None and section.weight > 0
    ]
    overall = _weighted_mean(contributing)
    total_weight = sum((weight for weight, _value in contributing), Decimal(0))
    return Score(
        overall=overall,
        sections=tuple(
            SectionScore(
                key=section.key,
                weight=section.weight,
                score=value,
                answers=tuple(section.answers),
                share=(
                    section.weight / total_weight
                    if value is not None and section.weight > 0 and total_weight > 0
                    else Decimal(0)
                ),
            )
            for section, value in section_scores
        ),
    )


def gap(self_score: Decimal | None, manager_score: Decimal | None) -> Decimal | None:
    """Manager minus self, on the 0..1 scale; None unless both were given. Positive: the
    manager rated higher than the person rated themselves."""
    if self_score is None or manager_score is None:
        return None
    return manager_score - self_score
