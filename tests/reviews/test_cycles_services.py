"""Review cycles for HR: rules, previews, phases across DST, and the launch job."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from reviews.models import (
    CyclePhase,
    CycleSnapshot,
    CycleStatus,
    Participant,
    PhaseKind,
    Review,
    ReviewCycle,
)
from reviews.phases import window
from reviews.selectors.cycles import participant_candidates, participant_preview
from reviews.services.cycles.configure import (
    CycleRules,
    PhaseInput,
    cycle_create,
    cycle_phases_set,
    cycle_update,
)
from reviews.services.cycles.launch import cycle_launch, cycle_launch_run
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory, TeamFactory
from tests.reviews.factories import make_template

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.now(UTC).year + 1


def phases_from(first: date) -> list[PhaseInput]:
    day = timedelta(days=1)
    nine, five = time(9, 0), time(17, 0)
    return [
        PhaseInput(PhaseKind.SELF, first, nine, first + 14 * day, five),
        PhaseInput(PhaseKind.MANAGER, first + 7 * day, nine, first + 28 * day, five),
        PhaseInput(PhaseKind.RELEASE, first + 29 * day, nine, first + 35 * day, five),
    ]


def draft_cycle(org: OrgPeople, name: str = "Annual", rules: CycleRules | None = None):
    template = make_template(org, name=f"{name} template")
    with organization_scope(org.organization):
        cycle = cycle_create(
            actor=org.hr,
            name=name,
            period_start=date(NEXT_YEAR - 1, 1, 1),
            period_end=date(NEXT_YEAR - 1, 12, 31),
            template=template,
            rules=rules,
        )
        cycle_phases_set(actor=org.hr, cycle=cycle, phases=phases_from(date(NEXT_YEAR, 1, 5)))
    return cycle


def launch(org: OrgPeople, cycle: ReviewCycle, django_capture_on_commit_callbacks) -> ReviewCycle:
    with organization_scope(org.organization), django_capture_on_commit_callbacks(execute=True):
        cycle_launch(actor=org.hr, cycle=cycle)
    with organization_scope(org.organization):
        return ReviewCycle.objects.get(pk=cycle.pk)


def rows(org: OrgPeople, cycle: ReviewCycle) -> tuple[list[tuple], list[tuple], int]:
    with organization_scope(org.organization):
        participants = sorted(
            Participant.objects.filter(cycle=cycle).values_list(
                "reviewee_id", "manager_id", "snapshot_id"
            )
        )
        reviews = sorted(
            Review.objects.filter(participant__cycle=cycle).values_list(
                "participant__reviewee_id", "kind", "author_id"
            )
        )
        return participants, reviews, CycleSnapshot.objects.filter(cycle=cycle).count()


def test_a_cycle_name_is_unique_in_the_organization(org: OrgPeople) -> None:
    draft_cycle(org, name="Annual")
    template = make_template(org, name="Other")
    with organization_scope(org.organization), pytest.raises(ConflictError) as refused:
        cycle_create(
            actor=org.hr,
            name="annual",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            template=template,
        )
    assert "name" in refused.value.fields


def test_only_hr_creates_cycles(org: OrgPeople) -> None:
    template = make_template(org)
    with organization_scope(org.organization), pytest.raises(PermissionDeniedError):
        cycle_create(
            actor=org.manager,
            name="Mine",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            template=template,
        )


def test_a_refused_cycle_saves_nothing(org: OrgPeople) -> None:
    template = make_template(org)
    with organization_scope(org.organization):
        with pytest.raises(DomainError) as refused:
            cycle_create(
                actor=org.hr,
                name="Both",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
                template=template,
                rules=CycleRules(include=[org.report], exclude=[org.report]),
            )
        assert "exclude" in refused.value.fields
        with pytest.raises(DomainError) as refused:
            cycle_create(
                actor=org.hr,
                name="Backwards",
                period_start=date(2026, 12, 31),
                period_end=date(2026, 1, 1),
                template=template,
            )
        assert "period_end" in refused.value.fields
        with pytest.raises(DomainError) as refused:
            cycle_create(
                actor=org.hr,
                name="Invited",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
                template=template,
                rules=CycleRules(statuses=[MembershipStatus.INVITED]),
            )
        assert "statuses" in refused.value.fields
        assert not ReviewCycle.objects.exists()


def test_the_rules_take_a_departments_teams_the_start_date_and_the_explicit_list(
    org: OrgPeople,
) -> None:
    organization = org.organization
    department = TeamFactory.create(organization=organization, name="Product", kind="department")
    squad = TeamFactory.create(organization=organization, name="Squad", parent=department)
    deep = TeamFactory.create(organization=organization, name="Deep", parent=squad)
    in_squad = MembershipFactory.create(organization=organization, team=squad)
    in_deep = MembershipFactory.create(organization=organization, team=deep)
    newcomer = MembershipFactory.create(
        organization=organization, team=deep, start_date=date(NEXT_YEAR, 6, 1)
    )
    on_leave = MembershipFactory.create(
        organization=organization, team=squad, status=MembershipStatus.ON_LEAVE
    )
    invited = MembershipFactory.create(
        organization=organization, team=squad, status=MembershipStatus.INVITED
    )
    left = MembershipFactory.create(
        organization=organization, team=squad, status=MembershipStatus.LEFT
    )
    cycle = draft_cycle(
        org,
        rules=CycleRules(
            teams=[department],
            started_on_or_before=date(NEXT_YEAR, 1, 1),
            include=[org.colleague],
            exclude=[in_deep],
        ),
    )
    with organization_scope(organization):
        chosen = set(participant_candidates(cycle).values_list("pk", flat=True))
    assert chosen == {in_squad.pk, on_leave.pk, org.colleague.pk}
    assert not chosen & {in_deep.pk, newcomer.pk, invited.pk, left.pk, org.report.pk}


def test_the_preview_counts_everyone_and_lists_a_bounded_first_page(
    org: OrgPeople, django_assert_num_queries
) -> None:
    cycle = draft_cycle(org)
    MembershipFactory.create_batch(60, organization=org.organization)
    with organization_scope(org.organization):
        everyone = Membership.objects.filter(status__in=["active", "on_leave"]).count()
        with django_assert_num_queries(3):
            preview = participant_preview(cycle=cycle, limit=50)
            names = [person.display_name for person in preview.first]
            managers = [str(person.manager) for person in preview.first]
    assert preview.count == everyone
    assert len(names) == len(managers) == 50
    assert preview.more == everyone - 50


def test_launch_creates_participants_with_self_and_manager_reviews(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    cycle = draft_cycle(org)
    cycle = launch(org, cycle, django_capture_on_commit_callbacks)
    assert cycle.status == CycleStatus.ACTIVE
    participants, reviews, snapshots = rows(org, cycle)
    people = [org.owner, org.hr, org.manager, org.report, org.report2, org.colleague]
    assert cycle.launch_total == cycle.launch_done == len(people)
    assert snapshots == 1
    assert [row[:2] for row in participants] == sorted(
        (person.pk, person.manager_id) for person in people
    )
    assert (org.report.pk, "manager", org.manager.pk) in reviews
    assert (org.report.pk, "self", org.report.pk) in reviews
    # The owner has no manager: a self-assessment only.
    assert [row for row in reviews if row[0] == org.owner.pk] == [
        (org.owner.pk, "self", org.owner.pk)
    ]


def test_launching_twice_and_running_the_job_twice_create_nothing_twice(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    cycle = draft_cycle(org)
    with organization_scope(org.organization):
        # The job of a first launch is cut off after one small batch: it left half the rows.
        cycle_launch(actor=org.hr, cycle=cycle)
        ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.LAUNCHING)
        from reviews.services.cycles.launch import _launch_batch, _review_kinds, _snapshot_templates

        _snapshot_templates(cycle)
        _launch_batch(cycle, 0, _review_kinds(cycle), 2)
        partial = Participant.objects.filter(cycle=cycle).count()
    assert partial == 2
    launch(org, cycle, django_capture_on_commit_callbacks)
    first = rows(org, cycle)
    launch(org, cycle, django_capture_on_commit_callbacks)
    with organization_scope(org.organization):
        ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.LAUNCHING)
        cycle_launch_run(cycle_id=cycle.pk, batch_size=3)
        cycle_launch_run(cycle_id=cycle.pk)
    assert rows(org, cycle) == first
    assert len(first[0]) == 6


def test_a_rerun_gives_a_participant_left_without_reviews_its_reviews(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    cycle = draft_cycle(org)
    launch(org, cycle, django_capture_on_commit_callbacks)
    first = rows(org, cycle)
    with organization_scope(org.organization):
        # As an interrupted run of an older job could leave them: participants, no reviews.
        Review.objects.filter(participant__cycle=cycle, participant__reviewee=org.report).delete()
        ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.LAUNCHING)
        cycle_launch_run(cycle_id=cycle.pk, batch_size=2)
    assert rows(org, cycle) == first


def test_the_launch_job_runs_one_statement_per_batch(org: OrgPeople) -> None:
    def statements(batch_size: int) -> int:
        cycle = draft_cycle(org, name=f"Cycle {batch_size}")
        with organization_scope(org.organization):
            cycle_launch(actor=org.hr, cycle=cycle)
            with CaptureQueriesContext(connection) as queries:
                cycle_launch_run(cycle_id=cycle.pk, batch_size=batch_size)
            assert Participant.objects.filter(cycle=cycle).count() == 6
        return len(queries)

    # Six people: one batch of 1,000 (short: the last), or three of two and an empty fourth.
    assert statements(2) == statements(1000) + 3


def test_a_group_template_reaches_a_departments_teams(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    organization = org.organization
    department = TeamFactory.create(organization=organization, name="Sales", kind="department")
    team = TeamFactory.create(organization=organization, name="Field", parent=department)
    seller = MembershipFactory.create(organization=organization, team=team)
    sales_template = make_template(org, name="Sales review")
    cycle = draft_cycle(org, rules=CycleRules(group_templates=[(department, sales_template)]))
    launch(org, cycle, django_capture_on_commit_callbacks)
    with organization_scope(organization):
        mine = Participant.objects.select_related("snapshot").get(cycle=cycle, reviewee=seller)
        theirs = Participant.objects.select_related("snapshot").get(
            cycle=cycle, reviewee=org.report
        )
        assert mine.snapshot.source_template_id == sales_template.pk
        assert theirs.snapshot.source_template_id == cycle.template_id
        assert CycleSnapshot.objects.filter(cycle=cycle).count() == 2


def test_the_launch_job_runs_the_same_number_of_statements_for_more_people(
    org: OrgPeople,
) -> None:
    def statements(extra: int) -> int:
        MembershipFactory.create_batch(extra, organization=org.organization)
        cycle = draft_cycle(org, name=f"Cycle {extra}")
        with organization_scope(org.organization):
            cycle_launch(actor=org.hr, cycle=cycle)
            with CaptureQueriesContext(connection) as queries:
                cycle_launch_run(cycle_id=cycle.pk, batch_size=1000)
            assert Participant.objects.filter(cycle=cycle).count() >= extra
        return len(queries)

    assert statements(5) == statements(50)


def test_launch_refuses_a_cycle_without_phases_or_questions(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        from reviews.services.setup import review_template_create

        empty = review_template_create(actor=org.hr, name="Empty")
        cycle = cycle_create(
            actor=org.hr,
            name="Bare",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            template=empty,
        )
        with pytest.raises(DomainError) as refused:
            cycle_launch(actor=org.hr, cycle=cycle)
        assert set(refused.value.fields) >= {"template", "phases"}
        assert ReviewCycle.objects.get(pk=cycle.pk).status == CycleStatus.DRAFT


def test_phases_are_refused_with_messages_by_phase_and_nothing_changes(org: OrgPeople) -> None:
    cycle = draft_cycle(org)
    first = date(NEXT_YEAR, 3, 2)
    backwards = [
        PhaseInput(PhaseKind.SELF, first, time(9), first - timedelta(days=1), time(9)),
        PhaseInput(PhaseKind.MANAGER, first, time(9), first + timedelta(days=9), time(9)),
    ]
    with organization_scope(org.organization):
        before = list(CyclePhase.objects.filter(cycle=cycle).values_list("kind", "opens_at"))
        with pytest.raises(DomainError) as refused:
            cycle_phases_set(actor=org.hr, cycle=cycle, phases=backwards)
        assert PhaseKind.SELF in refused.value.fields
        after = list(CyclePhase.objects.filter(cycle=cycle).values_list("kind", "opens_at"))
    assert after == before


def test_a_running_cycles_phases_move_only_forward(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    cycle = launch(org, draft_cycle(org), django_capture_on_commit_callbacks)
    with organization_scope(org.organization):
        with pytest.raises(DomainError) as refused:
            cycle_phases_set(actor=org.hr, cycle=cycle, phases=phases_from(date(NEXT_YEAR, 1, 4)))
        assert PhaseKind.SELF in refused.value.fields
        with pytest.raises(DomainError):
            cycle_phases_set(
                actor=org.hr, cycle=cycle, phases=phases_from(date(NEXT_YEAR, 1, 5))[:2]
            )
        later = cycle_phases_set(
            actor=org.hr, cycle=cycle, phases=phases_from(date(NEXT_YEAR, 1, 12))
        )
    assert later[0].opens_at.date() == date(NEXT_YEAR, 1, 12)


def test_a_launched_cycle_keeps_its_participant_rules(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    cycle = launch(org, draft_cycle(org), django_capture_on_commit_callbacks)
    with organization_scope(org.organization):
        with pytest.raises(ConflictError):
            cycle_update(
                actor=org.hr,
                cycle=cycle,
                name="Renamed",
                period_start=cycle.period_start,
                period_end=cycle.period_end,
                template=cycle.template,
                rules=CycleRules(started_on_or_before=date(2020, 1, 1)),
            )
        renamed = cycle_update(
            actor=org.hr,
            cycle=cycle,
            name="Renamed",
            period_start=cycle.period_start,
            period_end=cycle.period_end,
            template=cycle.template,
        )
    assert renamed.name == "Renamed"


def test_phases_entered_in_berlin_keep_their_wall_clock_across_the_october_change(
    org: OrgPeople,
) -> None:
    org.organization.time_zone = "Europe/Berlin"
    org.organization.save()
    cycle = draft_cycle(org)
    # 2026's change back to winter time is on Sunday 25 October, 03:00 -> 02:00.
    before, after = date(2026, 10, 24), date(2026, 10, 26)
    phases = [
        PhaseInput(PhaseKind.SELF, before - timedelta(days=3), time(9), before, time(17)),
        PhaseInput(PhaseKind.MANAGER, before - timedelta(days=2), time(9), after, time(17)),
    ]
    with organization_scope(org.organization):
        cycle_phases_set(actor=org.hr, cycle=cycle, phases=phases)
        stored = {phase.kind: phase for phase in CyclePhase.objects.filter(cycle=cycle)}
    assert stored[PhaseKind.SELF].closes_at == datetime(2026, 10, 24, 15, 0, tzinfo=UTC)
    assert stored[PhaseKind.MANAGER].closes_at == datetime(2026, 10, 26, 16, 0, tzinfo=UTC)
    self_window = window(stored.values(), PhaseKind.SELF)
    manager_window = window(stored.values(), PhaseKind.MANAGER)
    assert self_window is not None
    assert manager_window is not None
    with time_machine.travel(datetime(2026, 10, 24, 14, 59, 59, tzinfo=UTC), tick=False):
        assert self_window.is_open(datetime.now(UTC))
    with time_machine.travel(datetime(2026, 10, 24, 15, 0, tzinfo=UTC), tick=False):
        assert not self_window.is_open(datetime.now(UTC))
    with time_machine.travel(datetime(2026, 10, 26, 15, 59, 59, tzinfo=UTC), tick=False):
        assert manager_window.is_open(datetime.now(UTC))
    with time_machine.travel(datetime(2026, 10, 26, 16, 0, tzinfo=UTC), tick=False):
        assert manager_window.has_closed(datetime.now(UTC))


def test_another_organizations_team_is_not_a_rule(org: OrgPeople, other_org: OrgPeople) -> None:
    with organization_scope(other_org.organization):
        foreign = Team.objects.get()
    template = make_template(org)
    with organization_scope(org.organization), pytest.raises(DomainError) as refused:
        cycle_create(
            actor=org.hr,
            name="Leaky",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            template=template,
            rules=CycleRules(teams=[foreign], include=[other_org.report]),
        )
    assert "teams" in refused.value.fields
