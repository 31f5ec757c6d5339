"""Check-ins through the services: periods, the cadence-change rule, submit and review."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from feedback import policies, selectors, services
from feedback.models import CheckIn, CheckInCadence, CheckInGoal, Frequency
from feedback.periods import cadence_bounds, due_date
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from tests.conftest import OrgPeople
from tests.feedback.factories import make_checkin

pytestmark = pytest.mark.django_db

WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # Wed 18 Nov 2026


def set_cadence(
    org: OrgPeople, frequency: str, weekday: int = 4, team=None, *, now: datetime
) -> CheckInCadence:
    """HR saves the cadence at `now` (it applies from the next period boundary)."""
    with time_machine.travel(now):
        return services.cadence_save(
            actor=org.hr,
            team=team,
            frequency=frequency,
            due_weekday=weekday,
            questions=["What went well?", "What's next?", "Any blockers?"],
            remind_again_after_days=2,
        )


def test_weekly_periods_run_monday_to_sunday_and_are_due_on_the_chosen_weekday() -> None:
    start, end = cadence_bounds(Frequency.WEEKLY, date(2026, 11, 18))
    assert (start, end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert due_date(start, end, 4) == date(2026, 11, 20)


def test_monthly_periods_are_due_on_the_last_chosen_weekday_of_the_month() -> None:
    start, end = cadence_bounds(Frequency.MONTHLY, date(2026, 11, 18))
    assert (start, end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert due_date(start, end, 4) == date(2026, 11, 27)


def test_biweekly_periods_are_fortnights_that_do_not_depend_on_the_day_asked() -> None:
    first = cadence_bounds(Frequency.BIWEEKLY, date(2026, 11, 16))
    assert cadence_bounds(Frequency.BIWEEKLY, date(2026, 11, 29)) == first
    assert (first[1] - first[0]).days == 13
    assert first[0].weekday() == 0


def test_periods_follow_the_organizations_time_zone(org: OrgPeople, scope: object) -> None:
    # Sunday 23:30 UTC is already Monday in Berlin: a new weekly period.
    late_sunday = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    checkin = services.checkin_current(actor=org.report, now=late_sunday)
    assert checkin.period_start == date(2026, 11, 23)


def test_a_person_gets_one_check_in_per_period_with_the_default_questions(
    org: OrgPeople, scope: object
) -> None:
    first = services.checkin_current(actor=org.report, now=WEDNESDAY)
    again = services.checkin_current(actor=org.report, now=WEDNESDAY.replace(day=20))
    assert first.pk == again.pk
    assert first.questions == ["What went well?", "What's next?", "Any blockers?"]
    assert (first.period_start, first.period_end, first.due_on) == (
        date(2026, 11, 16),
        date(2026, 11, 22),
        date(2026, 11, 20),
    )


def test_changing_the_cadence_mid_period_keeps_the_current_check_in_and_drops_no_day(
    org: OrgPeople, scope: object
) -> None:
    set_cadence(org, Frequency.WEEKLY, now=WEDNESDAY)
    weekly = services.checkin_current(actor=org.report, now=WEDNESDAY)
    set_cadence(org, Frequency.MONTHLY, now=WEDNESDAY)

    same_day = services.checkin_current(actor=org.report, now=WEDNESDAY)
    assert same_day.pk == weekly.pk
    assert CheckIn.objects.filter(person=org.report).count() == 1

    next_week = services.checkin_current(actor=org.report, now=datetime(2026, 11, 25, tzinfo=UTC))
    assert next_week.pk != weekly.pk
    # Starts the day after the weekly one ended, ends with the new monthly period.
    assert next_week.period_start == date(2026, 11, 23)
    assert next_week.period_end == date(2026, 11, 30)
    assert next_week.due_on == date(2026, 11, 27)


def test_changing_from_monthly_to_weekly_keeps_the_monthly_check_in_until_it_ends(
    org: OrgPeople, scope: object
) -> None:
    # Saved in October, the monthly cadence applies from Monday 26 October.
    set_cadence(org, Frequency.MONTHLY, now=datetime(2026, 10, 20, tzinfo=UTC))
    monthly = services.checkin_current(actor=org.report, now=datetime(2026, 11, 3, tzinfo=UTC))
    set_cadence(org, Frequency.WEEKLY, now=datetime(2026, 11, 3, tzinfo=UTC))
    assert services.checkin_current(actor=org.report, now=WEDNESDAY).pk == monthly.pk
    december = services.checkin_current(actor=org.report, now=datetime(2026, 12, 2, tzinfo=UTC))
    assert (december.period_start, december.period_end) == (date(2026, 12, 1), date(2026, 12, 6))


def test_a_team_cadence_overrides_the_organization_default(org: OrgPeople, scope: object) -> None:
    set_cadence(org, Frequency.WEEKLY, now=WEDNESDAY)
    set_cadence(org, Frequency.MONTHLY, team=org.report.team, now=WEDNESDAY)
    monday = date(2026, 11, 23)
    assert selectors.cadence_for(org.report, day=monday).frequency == Frequency.MONTHLY


def test_only_hr_admins_change_the_cadence(org: OrgPeople, scope: object) -> None:
    with pytest.raises(PermissionDeniedError):
        services.cadence_save(
            actor=org.manager,
            frequency=Frequency.WEEKLY,
            due_weekday=4,
            questions=["Q"],
            remind_again_after_days=2,
        )


def test_cadence_questions_must_not_be_empty(org: OrgPeople, scope: object) -> None:
    with pytest.raises(DomainError) as error:
        services.cadence_save(
            actor=org.hr,
            frequency=Frequency.WEEKLY,
            due_weekday=4,
            questions=["  ", ""],
            remind_again_after_days=2,
        )
    assert "questions" in error.value.fields
    assert not CheckInCadence.objects.exists()


def test_submitting_needs_a_score_and_an_answer_and_changes_nothing_when_refused(
    org: OrgPeople, scope: object
) -> None:
    checkin = services.checkin_current(actor=org.report, now=WEDNESDAY)
    with pytest.raises(DomainError) as error:
        services.checkin_submit(actor=org.report, checkin=checkin)
    assert set(error.value.fields) == {"score", "answers"}
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.DRAFT


def test_answers_must_match_the_questions(org: OrgPeople, scope: object) -> None:
    checkin = services.checkin_current(actor=org.report, now=WEDNESDAY)
    with pytest.raises(DomainError) as error:
        services.checkin_update(actor=org.report, checkin=checkin, answers=["only one"])
    assert "answers" in error.value.fields


def test_a_score_outside_one_to_five_is_refused(org: OrgPeople, scope: object) -> None:
    checkin = services.checkin_current(actor=org.report, now=WEDNESDAY)
    with pytest.raises(DomainError):
        services.checkin_update(actor=org.report, checkin=checkin, score=6)


def test_submitting_twice_keeps_the_first_submission_time(org: OrgPeople, scope: object) -> None:
    checkin = make_checkin(org.report, now=WEDNESDAY, submit=True)
    first = checkin.submitted_at
    again = services.checkin_submit(actor=org.report, checkin=checkin)
    assert again.status == CheckIn.Status.SUBMITTED
    assert again.submitted_at == first


def test_the_manager_replies_and_marks_it_reviewed_once(org: OrgPeople, scope: object) -> None:
    checkin = make_checkin(org.report, now=WEDNESDAY, submit=True)
    reviewed = services.checkin_review(actor=org.manager, checkin=checkin, reply="Great week")
    assert reviewed.status == CheckIn.Status.REVIEWED
    assert reviewed.reviewed_by == org.manager
    first_time = reviewed.reviewed_at
    again = services.checkin_review(actor=org.owner, checkin=reviewed, reply="Agreed")
    assert again.reviewed_by == org.manager
    assert again.reviewed_at == first_time
    assert again.manager_reply == "Agreed"


def test_a_reviewed_check_in_can_no_longer_be_edited(org: OrgPeople, scope: object) -> None:
    checkin = make_checkin(org.report, now=WEDNESDAY, submit=True)
    checkin = services.checkin_review(actor=org.manager, checkin=checkin, reply="")
    with pytest.raises(ConflictError):
        services.checkin_update(actor=org.report, checkin=checkin, score=1)


def test_a_draft_cannot_be_reviewed(org: OrgPeople, scope: object) -> None:
    checkin = make_checkin(org.report, now=WEDNESDAY)
    with pytest.raises(ConflictError):
        services.checkin_review(actor=org.manager, checkin=checkin, reply="")


@pytest.mark.parametrize("who", ["colleague", "report2", "hr"])
def test_people_outside_the_chain_cannot_review_or_read_a_check_in(
    org: OrgPeople, scope: object, who: str
) -> None:
    checkin = make_checkin(org.report, now=WEDNESDAY, submit=True)
    outsider = getattr(org, who)
    with pytest.raises(PermissionDeniedError):
        services.checkin_review(actor=outsider, checkin=checkin, reply="")
    assert not policies.can_view_checkin(outsider, checkin)
    assert not selectors.checkin_list(actor=outsider).filter(pk=checkin.pk).exists()


def test_the_person_and_their_whole_chain_read_the_check_in(org: OrgPeople, scope: object) -> None:
    checkin = make_checkin(org.report, now=WEDNESDAY, submit=True)
    for reader in (org.report, org.manager, org.owner):
        assert policies.can_view_checkin(reader, checkin)
        assert selectors.checkin_list(actor=reader).filter(pk=checkin.pk).exists()


def test_submitting_links_the_goals_the_person_updated_in_the_period(
    org: OrgPeople, scope: object
) -> None:
    from goals.models import Goal, GoalUpdate

    goal = Goal.objects.create(
        owner_kind="person",
        owner_person=org.report,
        title="Ship the importer",
        goal_type="qualitative",
    )
    GoalUpdate.objects.create(
        goal=goal, author=org.report, confidence="on_track", created_at=WEDNESDAY
    )
    checkin = make_checkin(org.report, now=WEDNESDAY, submit=True)
    assert list(CheckInGoal.objects.filter(checkin=checkin).values_list("goal_id", flat=True)) == [
        goal.pk
    ]


def test_last_checkins_for_a_team_take_one_query(
    org: OrgPeople, scope: object, django_assert_num_queries: object
) -> None:
    make_checkin(org.report, now=WEDNESDAY, submit=True)
    make_checkin(org.report2, now=WEDNESDAY)  # a draft does not count
    with django_assert_num_queries(1):  # type: ignore[operator]
        latest = selectors.last_checkins_for([org.report, org.report2, org.colleague])
    assert set(latest) == {org.report.pk}


def test_new_questions_apply_from_the_next_check_in_and_keep_earlier_answers_aligned(
    org: OrgPeople, scope: object
) -> None:
    current = services.checkin_current(actor=org.report, now=WEDNESDAY)
    services.checkin_update(actor=org.report, checkin=current, answers=["a", "b", "c"])
    services.cadence_save(
        actor=org.hr,
        frequency=Frequency.WEEKLY,
        due_weekday=4,
        questions=["What did you learn?"],
        remind_again_after_days=2,
    )
    current.refresh_from_db()
    assert current.question_answers[0] == ("What went well?", "a")
    following = services.checkin_current(actor=org.report, now=datetime(2026, 11, 25, tzinfo=UTC))
    assert following.questions == ["What did you learn?"]
