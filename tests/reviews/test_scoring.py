"""The score rules a manager can explain: weights, skipped answers, sections that drop out."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.scoring import (
    Answer,
    SectionInput,
    Skipped,
    from_progress,
    gap,
    in_scale_terms,
    normalise,
    score,
)


def rating(key: str, value: str | None, weight: str = "1", skipped: Skipped | None = None):
    normalised = None if value is None else normalise(D(value), lowest=D(1), highest=D(5))
    if value is None and skipped is None:
        skipped = Skipped.UNANSWERED
    return Answer(key=key, weight=D(weight), normalised=normalised, skipped=skipped)


def test_ratings_are_normalised_on_their_own_scale() -> None:
    assert normalise(D(1), lowest=D(1), highest=D(5)) == 0
    assert normalise(D(4), lowest=D(1), highest=D(5)) == D("0.75")
    assert normalise(D(2), lowest=D(0), highest=D(2)) == 1
    assert in_scale_terms(D("0.75"), lowest=D(1), highest=D(5)) == 4


def test_a_scale_with_one_value_cannot_normalise() -> None:
    with pytest.raises(ValueError, match="two different values"):
        normalise(D(3), lowest=D(3), highest=D(3))


def test_an_unanswered_question_is_skipped_not_counted_as_zero() -> None:
    # Frappe HR #2023: 5 and 5 with one unanswered question must stay the top score.
    result = score(
        [SectionInput("s", D(1), [rating("a", "5"), rating("b", "5"), rating("c", None)])]
    )
    assert result.overall == 1
    assert result.sections[0].counted == result.sections[0].answers[:2]


def test_not_applicable_is_skipped_like_unanswered() -> None:
    result = score(
        [
            SectionInput(
                "s",
                D(1),
                [rating("a", "3"), rating("b", None, skipped=Skipped.NOT_APPLICABLE)],
            )
        ]
    )
    assert result.overall == D("0.5")


def test_question_weights_count_within_a_section() -> None:
    # 5 (weight 3) and 1 (weight 1): (3*1 + 1*0) / 4
    result = score([SectionInput("s", D(1), [rating("a", "5", "3"), rating("b", "1", "1")])])
    assert result.sections[0].score == D("0.75")


def test_a_section_with_nothing_answered_drops_out_and_the_others_are_renormalised() -> None:
    result = score(
        [
            SectionInput("goals", D(60), [rating("g", None)]),
            SectionInput("values", D(30), [rating("v", "4")]),
            SectionInput("growth", D(10), [rating("x", "2")]),
        ]
    )
    goals, values, growth = result.sections
    assert goals.score is None
    assert goals.share == 0
    assert (values.share, growth.share) == (D("0.75"), D("0.25"))
    # (30 * 0.75 + 10 * 0.25) / 40
    assert result.overall == D("0.625")


def test_sections_weigh_by_their_weight() -> None:
    result = score(
        [
            SectionInput("a", D(3), [rating("q1", "5")]),
            SectionInput("b", D(1), [rating("q2", "1")]),
        ]
    )
    assert result.overall == D("0.75")


def test_a_zero_weight_section_is_shown_but_does_not_count() -> None:
    result = score(
        [
            SectionInput("counted", D(1), [rating("q1", "3")]),
            SectionInput("comments only", D(0), [rating("q2", "5")]),
        ]
    )
    assert result.overall == D("0.5")
    assert result.sections[1].score == 1
    assert result.sections[1].share == 0


def test_nothing_answered_has_no_score_rather_than_zero() -> None:
    result = score([SectionInput("s", D(1), [rating("a", None), rating("b", None)])])
    assert result.overall is None
    assert score([]).overall is None


def test_goal_progress_scores_capped_at_one() -> None:
    assert from_progress(D("1.4")) == 1
    assert from_progress(D("0.35")) == D("0.35")
    assert from_progress(D("-0.2")) == 0
    assert from_progress(None) is None


def test_the_gap_is_manager_minus_self_and_needs_both() -> None:
    assert gap(D("0.75"), D("0.5")) == D("-0.25")
    assert gap(None, D("0.5")) is None
    assert gap(D("0.5"), None) is None


values = st.sampled_from(["1", "2", "3", "4", "5", None])
weights = st.sampled_from(["0", "1", "2", "5"])
sections_strategy = st.lists(
    st.lists(st.tuples(values, weights), min_size=1, max_size=5).map(
        lambda answers: [rating(f"q{i}", v, w) for i, (v, w) in enumerate(answers)]
    ),
    min_size=1,
    max_size=4,
)


# No deadline: the machines are shared and noisy; these are pure functions of the input.
@settings(deadline=None)
@given(sections_strategy, st.lists(weights, min_size=4, max_size=4))
def test_the_overall_score_lies_between_the_section_scores(sections, section_weights) -> None:
    result = score(
        [SectionInput(f"s{i}", D(section_weights[i]), a) for i, a in enumerate(sections)]
    )
    counted = [s.score for s in result.sections if s.score is not None and s.weight > 0]
    if not counted:
        assert result.overall is None
        return
    assert result.overall is not None
    assert min(counted) <= result.overall <= max(counted)
    assert sum(s.share for s in result.sections) == pytest.approx(1)


@settings(deadline=None)
@given(sections_strategy)
def test_adding_an_unanswered_question_never_changes_a_score(sections) -> None:
    before = score([SectionInput(f"s{i}", D(1), a) for i, a in enumerate(sections)])
    after = score(
        [SectionInput(f"s{i}", D(1), [*a, rating("new", None)]) for i, a in enumerate(sections)]
    )
    assert after.overall == before.overall
