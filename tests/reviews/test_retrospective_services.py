"""Retrospectives through their services: opening, who answers, once, in the window, the
threshold, the invitations (exactly once) and the audit."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from reviews.models import (
    CycleStatus,
    Retrospective,
    RetrospectiveAnswer,
    RetrospectiveParticipation,
)
from reviews.retrospective_reminders import review_retrospectives
from reviews.selectors.retrospectives import (
    answering_people,
    retrospective_results,
    retrospectives_to_answer,
)
from reviews.services.retrospectives import (
    INVITED_KIND,
    OPEN_ACTION,
    closes_at,
    retrospective_answer,
    retrospective_invite,
    retrospective_open,
)
from tests.conftest import OrgPeople
from tests.reviews.factories import running_cycle
from tests.reviews.retrospective_helpers import (
    DAY,
    answer,
    ended_cycle,
    open_retrospective,
    scores,
    team_cycle,
)

pytestmark = pytest.mark.django_db


# --- Opening ------------------------------------------------------------------------------


def test_hr_opens_a_launched_cycles_retrospective_by_hand_and_it_is_audited(
    org: OrgPeople,
) -> None:
    cycle = running_cycle(org, [org.report])
    retrospective = open_retrospective(org, cycle, days=10)
    with organization_scope(org.organization):
        entry = AuditEntry.objects.get(action=OPEN_ACTION)
    assert entry.target_id == str(retrospective.pk)
    assert entry.actor_membership_id == org.hr.pk
    assert entry.changes == {"cycle": cycle.pk, "days": 10}
    assert retrospective.opened_by_id == org.hr.pk
    assert retrospective.days == 10
    assert retrospective.is_open(timezone.now())


def test_opening_again_with_the_same_days_changes_nothing_and_other_days_move_the_close(
    org: OrgPeople,
) -> None:
    cycle = running_cycle(org, [org.report])
    first = open_retrospective(org, cycle, days=14)
    again = open_retrospective(org, cycle, days=14)
    longer = open_retrospective(org, cycle, days=20)
    with organization_scope(org.organization):
        assert Retrospective.objects.count() == 1
        assert AuditEntry.objects.filter(action=OPEN_ACTION).count() == 2
    assert again.pk == first.pk
    assert again.closes_at == first.closes_at
    assert longer.closes_at - first.closes_at == timedelta(days=6)


def test_a_draft_cycle_has_no_retrospective_and_only_hr_opens_one(org: OrgPeople) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        cycle.status = CycleStatus.DRAFT
        cycle.save()
        with pytest.raises(ConflictError):
            retrospective_open(actor=org.hr, cycle=cycle)
        cycle.status = CycleStatus.ACTIVE
        cycle.save()
        with pytest.raises(PermissionDeniedError):
            retrospective_open(actor=org.manager, cycle=cycle)
        with pytest.raises(DomainError) as refused:
            retrospective_open(actor=org.hr, cycle=cycle, days=0)
        assert list(refused.value.fields) == ["days"]
        assert not Retrospective.objects.exists()


def test_it_stays_open_to_the_end_of_the_last_day_in_the_organizations_time_zone(
    org: OrgPeople,
) -> None:
    org.organization.time_zone = "Europe/Berlin"
    org.organization.save()
    # 23:30 UTC on 1 March is already 2 March in Berlin.
    opened = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    closing = closes_at(org.organization, opened, 14)
    berlin = closing.astimezone(ZoneInfo("Europe/Berlin"))
    assert berlin.date().isoformat() == "2026-03-16"
    assert berlin.time() == time.max


def test_the_sweep_opens_the_retrospective_of_a_cycle_whose_last_phase_closed_once(
    org: OrgPeople,
) -> None:
    ended = ended_cycle(org, [org.report], name="Ended")
    running_cycle(org, [org.report2], name="Still running")
    long_ago = running_cycle(
        org,
        [org.colleague],
        name="Long ago",
        phases={"self": (timezone.now() - 90 * DAY, timezone.now() - 60 * DAY)},
    )
    with organization_scope(org.organization):
        review_retrospectives(org.organization, timezone.now())
        review_retrospectives(org.organization, timezone.now())
        opened = list(Retrospective.objects.values_list("cycle_id", flat=True))
    assert opened == [ended.pk]
    assert long_ago.pk not in opened


# --- Who answers ---------------------------------------------------------------------------


def test_the_people_reviewed_and_those_asked_to_write_are_asked_and_nobody_else(
    org: OrgPeople,
) -> None:
    cycle = team_cycle(org)
    with organization_scope(org.organization):
        asked = set(answering_people(cycle).values_list("pk", flat=True))
    assert asked == {org.report.pk, org.report2.pk, org.colleague.pk, org.manager.pk, org.owner.pk}


def test_someone_who_took_no_part_cannot_answer_and_learns_nothing(org: OrgPeople) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    with organization_scope(org.organization), pytest.raises(NotFoundError):
        retrospective_answer(actor=org.hr, retrospective=retrospective, scores=scores())


def test_a_person_who_left_cannot_answer_and_is_not_asked(org: OrgPeople) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    with organization_scope(org.organization):
        org.report.status = MembershipStatus.LEFT
        org.report.save()
        with pytest.raises(PermissionDeniedError):
            retrospective_answer(actor=org.report, retrospective=retrospective, scores=scores())
        assert org.report.pk not in set(
            answering_people(retrospective.cycle).values_list("pk", flat=True)
        )
        assert not RetrospectiveAnswer.objects.exists()


def test_each_person_answers_once_and_the_second_answer_is_a_conflict(org: OrgPeople) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    answer(org, org.report, retrospective, (5, 4, 3, 2), "More time")
    with organization_scope(org.organization):
        with pytest.raises(ConflictError):
            retrospective_answer(actor=org.report, retrospective=retrospective, scores=scores())
        assert RetrospectiveParticipation.objects.count() == 1
        only = RetrospectiveAnswer.objects.get()
    assert only.scores == {
        "goals_realistic": 5,
        "feedback_useful": 4,
        "enough_time": 3,
        "clear_and_fair": 2,
    }
    assert only.comment == "More time"


def test_a_closed_retrospective_takes_no_answer(org: OrgPeople) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    with organization_scope(org.organization):
        Retrospective.objects.filter(pk=retrospective.pk).update(
            opened_at=timezone.now() - 20 * DAY, closes_at=timezone.now() - DAY
        )
        retrospective.refresh_from_db()
        with pytest.raises(DomainError) as refused:
            retrospective_answer(actor=org.report, retrospective=retrospective, scores=scores())
        assert "closed" in refused.value.message
        assert not RetrospectiveParticipation.objects.exists()


def test_every_missing_or_wrong_score_and_a_long_comment_are_named(org: OrgPeople) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    with organization_scope(org.organization):
        with pytest.raises(DomainError) as refused:
            retrospective_answer(
                actor=org.report,
                retrospective=retrospective,
                scores={"goals_realistic": 6, "feedback_useful": "x", "enough_time": True},
            )
        assert set(refused.value.fields) == {
            "goals_realistic",
            "feedback_useful",
            "enough_time",
            "clear_and_fair",
        }
        with pytest.raises(DomainError) as too_long:
            retrospective_answer(
                actor=org.report, retrospective=retrospective, scores=scores(), comment="x" * 2001
            )
        assert list(too_long.value.fields) == ["comment"]
        assert not RetrospectiveParticipation.objects.exists()


# --- Results and the threshold ---------------------------------------------------------------


def test_results_stay_hidden_below_the_cycles_threshold_and_show_from_it(org: OrgPeople) -> None:
    cycle = team_cycle(org)
    retrospective = open_retrospective(org, cycle)
    answer(org, org.report, retrospective, (5, 4, 2, 4), "Zebra idea")
    answer(org, org.report2, retrospective, (3, 4, 2, 4), "")
    with organization_scope(org.organization):
        below = retrospective_results(retrospective)
    assert (below.shown, below.answered, below.invited, below.rate) == (False, 2, 5, 40)
    assert below.questions == []
    assert below.comments == []

    answer(org, org.colleague, retrospective, (4, 1, 2, 5), "Apple idea")
    with organization_scope(org.organization):
        shown = retrospective_results(retrospective)
    assert shown.shown
    assert shown.rate == 60
    goals = shown.questions[0]
    assert [(item.score, item.count) for item in goals.counts] == [
        (1, 0),
        (2, 0),
        (3, 1),
        (4, 1),
        (5, 1),
    ]
    assert str(goals.mean) == "4.0"
    assert str(shown.questions[1].mean) == "3.0"
    assert shown.comments == ["Apple idea", "Zebra idea"]  # by text, not by arrival


def test_a_higher_cycle_threshold_keeps_results_hidden_longer(org: OrgPeople) -> None:
    cycle = team_cycle(org)
    with organization_scope(org.organization):
        cycle.anonymity_threshold = 4
        cycle.save()
    retrospective = open_retrospective(org, cycle)
    for person in (org.report, org.report2, org.colleague):
        answer(org, person, retrospective)
    with organization_scope(org.organization):
        assert not retrospective_results(retrospective).shown


# --- Telling people ------------------------------------------------------------------------


def test_opening_tells_each_person_asked_once_in_the_app_and_by_email(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    cycle = team_cycle(org)
    with django_capture_on_commit_callbacks(execute=True):
        retrospective = open_retrospective(org, cycle)
    with organization_scope(org.organization):
        told = Notification.objects.filter(kind=INVITED_KIND)
        assert set(told.values_list("recipient_id", flat=True)) == {
            org.report.pk,
            org.report2.pk,
            org.colleague.pk,
            org.manager.pk,
            org.owner.pk,
        }
        assert told.count() == 5
        assert not told.filter(email_state=Notification.EmailState.NOT_SENT).exists()
        # Again by hand, by the invitation job and by the sweep: nobody is told twice.
        assert retrospective_invite(retrospective=retrospective) == 0
        review_retrospectives(org.organization, timezone.now())
        assert Notification.objects.filter(kind=INVITED_KIND).count() == 5


def test_the_sweep_tells_whoever_a_lost_invitation_missed(org: OrgPeople) -> None:
    cycle = team_cycle(org)
    open_retrospective(org, cycle)  # the on-commit job never ran
    with organization_scope(org.organization):
        assert review_retrospectives(org.organization, timezone.now()) == 5
        assert review_retrospectives(org.organization, timezone.now()) == 0


def test_whats_next_lists_an_open_retrospective_until_it_is_answered(org: OrgPeople) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    with organization_scope(org.organization):
        assert list(retrospectives_to_answer(org.report, timezone.now())) == [retrospective]
        assert list(retrospectives_to_answer(org.hr, timezone.now())) == []
    answer(org, org.report, retrospective)
    with organization_scope(org.organization):
        assert list(retrospectives_to_answer(org.report, timezone.now())) == []
        assert list(retrospectives_to_answer(org.report, retrospective.closes_at)) == []


def test_answering_resolves_the_persons_own_invitation_and_nobody_elses(org: OrgPeople) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    with organization_scope(org.organization):
        review_retrospectives(org.organization, timezone.now())
    answer(org, org.report, retrospective)
    with organization_scope(org.organization):
        told = Notification.objects.filter(kind=INVITED_KIND)
        resolved = told.filter(resolved_at__isnull=False)
        assert list(resolved.values_list("recipient_id", flat=True)) == [org.report.pk]
        # Their email, not sent yet, is not sent now; the others' still are.
        assert resolved.get().email_state == Notification.EmailState.NOT_SENT
        pending = told.filter(email_state=Notification.EmailState.PENDING)
        assert pending.count() == 4
        assert org.report.pk not in pending.values_list("recipient_id", flat=True)
