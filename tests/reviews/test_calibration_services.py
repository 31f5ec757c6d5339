"""Calibration services: opening a session, adjusting and moving people with a reason,
locking, and release showing the calibrated rating; bad input changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from reviews.models import (
    CalibrationChange,
    CalibrationPlacement,
    CyclePhase,
    PhaseKind,
    ReviewAnswer,
    ReviewerKind,
    SessionGroup,
)
from reviews.selectors.calibration import calibrated_rating, final_ratings
from reviews.selectors.progress import released_reviews
from reviews.selectors.scores import participant_scores
from reviews.services import calibration as services
from reviews.services.release import participant_release
from tests.conftest import OrgPeople
from tests.reviews.calibration_helpers import (
    calibration_cycle,
    open_session,
    second_team,
    set_rating,
)
from tests.reviews.release_helpers import questions

pytestmark = pytest.mark.django_db


def _placement(session, person) -> CalibrationPlacement:
    return CalibrationPlacement.objects.select_related("participant", "session").get(
        session=session, participant__reviewee=person
    )


def _state(placement: CalibrationPlacement) -> tuple:
    placement.refresh_from_db()
    return (placement.rating, placement.potential, placement.version, placement.session_id)


def test_opening_takes_each_persons_manager_rating_self_rating_and_potential(
    scope, org: OrgPeople
) -> None:
    cycle = calibration_cycle(org, [org.report, org.report2])
    set_rating(cycle, org.report2, ReviewerKind.MANAGER, "2")
    set_rating(cycle, org.report2, ReviewerKind.SELF, "5")
    session = open_session(org, cycle, managers=[org.manager])
    first, second = _placement(session, org.report), _placement(session, org.report2)
    assert (first.original_rating, first.rating, first.performance) == (4, 4, 3)
    assert (second.original_rating, second.self_rating, second.performance) == (2, 5, 1)
    assert first.potential == first.original_potential == 3  # potential 5 of 1..5: high
    assert AuditEntry.objects.filter(action="calibration.session_opened").count() == 1


def test_a_person_is_calibrated_in_one_session_only_and_groups_narrow_who(
    scope, org: OrgPeople
) -> None:
    _manager, (theirs,) = second_team(org)
    cycle = calibration_cycle(org, [org.report, org.report2, theirs])
    session = open_session(
        org, cycle, name="Max's org", group=SessionGroup.MANAGER_ORG, leader=org.manager
    )
    assert set(session.placements.values_list("participant__reviewee", flat=True)) == {
        org.report.pk,
        org.report2.pk,
    }
    rest = open_session(org, cycle, name="Everyone else")
    assert list(rest.placements.values_list("participant__reviewee", flat=True)) == [theirs.pk]
    with pytest.raises(DomainError) as refused:
        open_session(org, cycle, name="Third")
    assert "group" in refused.value.fields


def test_a_session_opens_only_while_the_calibration_phase_is_open(scope, org: OrgPeople) -> None:
    cycle = calibration_cycle(org, [org.report])
    CyclePhase.objects.filter(cycle=cycle, kind=PhaseKind.CALIBRATION).delete()
    with pytest.raises(DomainError):
        open_session(org, cycle)
    assert not cycle.calibration_sessions.exists()


def test_only_hr_opens_a_session(scope, org: OrgPeople) -> None:
    cycle = calibration_cycle(org, [org.report])
    with pytest.raises(PermissionDeniedError):
        services.session_open(
            actor=org.manager,
            cycle=cycle,
            data=services.SessionInput(name="Mine", group=SessionGroup.ORGANIZATION),
        )


def test_an_adjustment_keeps_before_after_and_reason_in_history_and_audit(
    scope, org: OrgPeople
) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle, managers=[org.manager])
    placement = _placement(session, org.report)
    services.placement_adjust(
        actor=org.manager,
        placement=placement,
        change=services.PlacementChange(rating="3", potential=2),
        reason="Delivered less than the peers rated 4.",
    )
    placement.refresh_from_db()
    assert (placement.rating, placement.performance, placement.potential) == (3, 2, 2)
    assert placement.original_rating == 4
    change = CalibrationChange.objects.get(placement=placement)
    assert (change.rating_before, change.rating_after) == (4, 3)
    assert (change.potential_before, change.potential_after) == (3, 2)
    assert change.actor == org.manager
    entry = AuditEntry.objects.get(action="calibration.adjusted")
    assert entry.changes["before"] == {"rating": "4.00", "potential": 3}
    assert entry.changes["after"] == {"rating": "3.00", "potential": 2}
    assert entry.changes["reason"] == "Delivered less than the peers rated 4."
    # The same values again change nothing and record nothing.
    services.placement_adjust(
        actor=org.manager,
        placement=placement,
        change=services.PlacementChange(rating="3", potential=2),
        reason="Again",
    )
    assert CalibrationChange.objects.filter(placement=placement).count() == 1


def test_a_move_on_the_nine_box_picks_the_nearest_rating_of_the_band(scope, org: OrgPeople) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    placement = _placement(session, org.report)
    services.placement_move(
        actor=org.hr, placement=placement, performance=2, potential=1, reason="Calibrated down"
    )
    placement.refresh_from_db()
    assert (placement.rating, placement.performance, placement.potential) == (3, 2, 1)
    services.placement_move(
        actor=org.hr, placement=placement, performance=1, potential=1, reason="Lower still"
    )
    placement.refresh_from_db()
    assert placement.rating == 2
    assert placement.changes.count() == 2


@pytest.mark.parametrize(
    ("change", "reason", "field"),
    [
        (services.PlacementChange(rating="4"), "", "reason"),
        (services.PlacementChange(rating="4"), "   ", "reason"),
        (services.PlacementChange(rating="7"), "Out of scale", "rating"),
        (services.PlacementChange(rating="3.5"), "Between levels", "rating"),
        (services.PlacementChange(rating="abc"), "Not a number", "rating"),
        (services.PlacementChange(rating="sNaN"), "Signalling", "rating"),
        (services.PlacementChange(rating="Infinity"), "Endless", "rating"),
        (services.PlacementChange(potential=4), "No such band", "potential"),
    ],
)
def test_bad_input_is_refused_with_a_field_message_and_nothing_changes(
    scope, org: OrgPeople, change, reason, field
) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    placement = _placement(session, org.report)
    before = _state(placement)
    with pytest.raises(DomainError) as refused:
        services.placement_adjust(actor=org.hr, placement=placement, change=change, reason=reason)
    assert field in refused.value.fields
    assert _state(placement) == before
    assert not CalibrationChange.objects.exists()


def test_nothing_changes_in_a_locked_session(scope, org: OrgPeople) -> None:
    cycle = calibration_cycle(org, [org.report, org.report2])
    session = open_session(
        org, cycle, name="First", group=SessionGroup.MANAGER_ORG, leader=org.manager
    )
    placement = _placement(session, org.report)
    services.session_lock(actor=org.hr, session=session)
    before = _state(placement)
    with pytest.raises(ConflictError):
        services.placement_adjust(
            actor=org.hr,
            placement=placement,
            change=services.PlacementChange(rating="3"),
            reason="Too late",
        )
    with pytest.raises(ConflictError):
        services.placement_move(
            actor=org.hr, placement=placement, performance=1, potential=1, reason="Too late"
        )
    assert _state(placement) == before


def test_nobody_moves_into_a_locked_session(scope, org: OrgPeople) -> None:
    _manager, (theirs,) = second_team(org)
    cycle = calibration_cycle(org, [org.report, theirs])
    locked = open_session(
        org, cycle, name="Max", group=SessionGroup.MANAGER_ORG, leader=org.manager
    )
    other = open_session(org, cycle, name="Rest")
    services.session_lock(actor=org.hr, session=locked)
    placement = _placement(other, theirs)
    before = _state(placement)
    with pytest.raises(ConflictError):
        services.placement_transfer(
            actor=org.hr, placement=placement, session=locked, reason="Belongs there"
        )
    assert _state(placement) == before


def test_a_manager_adjusts_only_their_people_and_never_themselves(scope, org: OrgPeople) -> None:
    other_manager, (theirs,) = second_team(org)
    cycle = calibration_cycle(org, [org.report, theirs, org.manager])
    session = open_session(org, cycle, managers=[org.manager, other_manager])
    for person in (theirs, org.manager):
        placement = _placement(session, person)
        before = _state(placement)
        with pytest.raises(PermissionDeniedError):
            services.placement_adjust(
                actor=org.manager,
                placement=placement,
                change=services.PlacementChange(rating="5"),
                reason="Mine now",
            )
        assert _state(placement) == before


def test_a_stale_version_is_a_conflict(scope, org: OrgPeople) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    placement = _placement(session, org.report)
    services.placement_adjust(
        actor=org.hr, placement=placement, change=services.PlacementChange(rating="3"), reason="A"
    )
    with pytest.raises(ConflictError):
        services.placement_adjust(
            actor=org.hr,
            placement=placement,
            change=services.PlacementChange(rating="2", version=0),
            reason="B",
        )
    placement.refresh_from_db()
    assert placement.rating == 3


def test_release_waits_for_the_lock_then_shows_the_calibrated_rating(scope, org: OrgPeople) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    placement = _placement(session, org.report)
    participant = placement.participant
    services.placement_adjust(
        actor=org.hr, placement=placement, change=services.PlacementChange(rating="5"), reason="Top"
    )
    with pytest.raises(DomainError):
        participant_release(actor=org.hr, participant=participant)
    assert calibrated_rating(participant=participant) is None
    services.session_lock(actor=org.hr, session=session)
    services.session_lock(actor=org.hr, session=session)  # idempotent
    participant_release(actor=org.hr, participant=participant)
    overall = questions(participant)["How did the period go overall?"]["id"]
    answer = ReviewAnswer.objects.get(
        review__participant=participant, review__kind="manager", question_id=overall
    )
    assert answer.rating == 5
    assert calibrated_rating(participant=participant) == 5
    row = final_ratings(cycle=cycle).get(pk=participant.pk)
    assert (row.original_rating, row.calibrated_rating, row.final_rating) == (4, 5, 5)
    shown = released_reviews(actor=org.report, participant=participant)
    manager_rows = [
        r
        for item in shown
        if item["review"].kind == "manager"
        for s in item["sections"]
        for r in s["questions"]
    ]
    calibrated = [row for row in manager_rows if row["question"]["id"] == overall]
    assert calibrated[0]["calibrated"] is True
    assert calibrated[0]["answers"][0][0].rating == Decimal(5)
    scores = participant_scores(actor=org.report, participant=participant)
    assert any(score.review.kind == "manager" for score in scores.scores)
    assert AuditEntry.objects.filter(action="review.answer_calibrated").count() == 1
    assert AuditEntry.objects.filter(action="calibration.session_locked").count() == 1


def test_target_shares_must_name_levels_and_add_up_to_100(scope, org: OrgPeople) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    for shares in ({"3": 50, "4": 40}, {"9": 100}, {"3": 150}):
        with pytest.raises(DomainError):
            services.session_target_set(actor=org.hr, session=session, shares=shares)
    services.session_target_set(
        actor=org.hr, session=session, shares={"1": 10, "2": 20, "3": 40, "4": 20, "5": 10}
    )
    session.refresh_from_db()
    assert session.target_distribution["3"] == 40


def test_nobody_moves_into_a_session_of_another_cycle(scope, org: OrgPeople) -> None:
    first = calibration_cycle(org, [org.report], name="2025")
    second = calibration_cycle(org, [org.report2], name="2026")
    session = open_session(org, first, name="2025 session")
    elsewhere = open_session(org, second, name="2026 session")
    placement = _placement(session, org.report)
    before = _state(placement)
    with pytest.raises(DomainError) as refused:
        services.placement_transfer(
            actor=org.hr, placement=placement, session=elsewhere, reason="Wrong cycle"
        )
    assert "session" in refused.value.fields
    assert _state(placement) == before
