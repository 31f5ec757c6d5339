"""Goals through the services: derived progress and roll-up, bad input, agreement, bulk
assignment and goal updates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from goals import services
from goals.models import Goal, GoalRevision, GoalStatus, GoalType, GoalUpdate, OwnerKind
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople

from .factories import agree_goal, create_goal, create_roll_up_goal, post_update

pytestmark = pytest.mark.django_db


def refreshed(goal: Goal) -> Goal:
    with organization_scope(goal.organization):
        goal.refresh_from_db()
    return goal


# --- Progress --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        ("0", "100", "25", "0.25"),
        ("200", "100", "150", "0.5"),  # "cut response time": the target is below the start
        ("0", "10", "15", "1"),  # past the target: clamped at 100%
        ("0", "10", "-5", "0"),  # below the start: clamped at 0%
        ("0", "10", None, "0"),
    ],
)
def test_a_measures_progress_is_its_share_of_the_way_from_start_to_target(
    start: str, target: str, current: str | None, expected: str
) -> None:
    progress = services.measure_progress(
        start=Decimal(start),
        target=Decimal(target),
        current=None if current is None else Decimal(current),
    )
    assert progress == Decimal(expected)


def test_posting_a_value_updates_the_goals_progress(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    goal = post_update(org.report, goal, value=Decimal("40"))
    assert goal.progress == Decimal("0.4")
    assert goal.current_value == Decimal("40")


def test_a_parent_rolls_up_the_weighted_progress_of_its_children(org: OrgPeople) -> None:
    team_goal = create_roll_up_goal(
        org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team, title="Faster support"
    )
    light = agree_goal(org.manager, create_goal(org.report, parent=team_goal, weight=Decimal("1")))
    heavy = agree_goal(org.manager, create_goal(org.report2, parent=team_goal, weight=Decimal("3")))
    post_update(org.report, light, value=Decimal("100"))
    post_update(org.report2, heavy, value=Decimal("20"))
    # (1 * 1.0 + 3 * 0.2) / 4 = 0.4
    assert refreshed(team_goal).progress == Decimal("0.4")


def test_the_roll_up_reaches_every_ancestor(org: OrgPeople) -> None:
    company = create_roll_up_goal(org.hr, owner_kind=OwnerKind.ORGANIZATION, title="Grow revenue")
    team = create_roll_up_goal(
        org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team, parent=company
    )
    agree_goal(org.owner, team)
    mine = agree_goal(org.manager, create_goal(org.report, parent=team))
    post_update(org.report, mine, value=Decimal("50"))
    assert refreshed(team).progress == Decimal("0.5")
    assert refreshed(company).progress == Decimal("0.5")


def test_a_cancelled_child_no_longer_counts_in_the_roll_up(org: OrgPeople) -> None:
    parent = create_roll_up_goal(org.manager, owner_person=org.manager)
    done = agree_goal(org.manager, create_goal(org.report, parent=parent))
    stalled = agree_goal(org.manager, create_goal(org.report, parent=parent))
    post_update(org.report, done, value=Decimal("100"))
    assert refreshed(parent).progress == Decimal("0.5")
    with organization_scope(org.organization):
        services.goal_update(actor=org.manager, goal=stalled, status=GoalStatus.CANCELLED)
    assert refreshed(parent).progress == Decimal("1")


def test_moving_a_child_to_another_parent_updates_both_parents(org: OrgPeople) -> None:
    old = create_roll_up_goal(org.manager, owner_person=org.manager, title="Old parent")
    new = create_roll_up_goal(org.manager, owner_person=org.manager, title="New parent")
    child = agree_goal(org.manager, create_goal(org.report, parent=old))
    post_update(org.report, child, value=Decimal("80"))
    assert refreshed(old).progress == Decimal("0.8")
    with organization_scope(org.organization):
        services.goal_update(actor=org.report, goal=child, parent=new)
    assert refreshed(new).progress == Decimal("0.8")
    # Without goals below it and with no measure of its own, the old parent is at 0%.
    assert refreshed(old).progress == Decimal("0")


def test_milestones_count_done_over_total(org: OrgPeople) -> None:
    goal = create_goal(
        org.report,
        goal_type=GoalType.QUALITATIVE,
        milestones=["Draft the guide", "Review it with the team", "Publish it", "Present it"],
    )
    with organization_scope(org.organization):
        first, second, *_ = goal.milestones.all()
    goal = post_update(org.report, goal, done_milestones=[first.pk, second.pk])
    assert goal.progress == Decimal("0.5")
    goal = post_update(org.report, goal, done_milestones=[first.pk])
    assert goal.progress == Decimal("0.25")


def test_a_completed_goal_is_at_full_progress(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    with organization_scope(org.organization):
        goal = services.goal_update(actor=org.report, goal=goal, status=GoalStatus.COMPLETED)
    assert goal.progress == Decimal("1")


# --- Bad input changes nothing -------------------------------------------------------------


def test_a_target_equal_to_the_start_is_refused(org: OrgPeople) -> None:
    with pytest.raises(DomainError) as error:
        create_goal(org.report, start_value=Decimal("5"), target_value=Decimal("5"))
    assert "target" in str(error.value.fields).lower()
    with organization_scope(org.organization):
        assert not Goal.objects.exists()


def test_a_due_date_before_the_start_is_refused(org: OrgPeople) -> None:
    with pytest.raises(DomainError) as error:
        create_goal(org.report, start_date=date(2026, 6, 1), due_date=date(2026, 5, 1))
    assert "due date" in str(error.value.fields).lower()
    with organization_scope(org.organization):
        assert not Goal.objects.exists()


def test_a_quantitative_goal_needs_a_measure(org: OrgPeople) -> None:
    with pytest.raises(DomainError) as error:
        create_goal(org.report, start_value=None, target_value=None)
    assert set(error.value.fields) == {"start_value", "target_value"}


def test_a_parent_in_another_organization_is_refused(org: OrgPeople, other_org: OrgPeople) -> None:
    theirs = create_goal(other_org.report)
    with pytest.raises(DomainError) as error:
        create_goal(org.report, parent=theirs)
    assert error.value.fields == {"parent": ["Unknown goal."]}
    with organization_scope(org.organization):
        assert not Goal.objects.exists()


def test_a_parent_one_may_not_read_is_refused_like_a_missing_one(org: OrgPeople) -> None:
    private = create_goal(org.colleague, visibility=Goal.Visibility.OWNER_AND_MANAGERS)
    with pytest.raises(DomainError) as error:
        create_goal(org.report, parent=private)
    assert error.value.fields == {"parent": ["Unknown goal."]}


def test_a_cycle_in_the_tree_is_refused_and_changes_nothing(org: OrgPeople) -> None:
    top = create_goal(org.report, title="Top")
    middle = create_goal(org.report, title="Middle", parent=top)
    bottom = create_goal(org.report, title="Bottom", parent=middle)
    with organization_scope(org.organization), pytest.raises(DomainError) as error:
        services.goal_update(actor=org.report, goal=top, parent=bottom)
    assert "cycle" in str(error.value.fields["parent"])
    assert refreshed(top).parent_id is None
    with organization_scope(org.organization), pytest.raises(DomainError):
        services.goal_update(actor=org.report, goal=top, parent=top)


def test_nobody_sets_goals_for_someone_outside_their_reporting_line(org: OrgPeople) -> None:
    with pytest.raises(PermissionDeniedError):
        create_goal(org.colleague, owner_person=org.report)
    with pytest.raises(PermissionDeniedError):
        create_goal(org.report, owner_kind=OwnerKind.ORGANIZATION)


# --- Agreement -------------------------------------------------------------------------------


def test_a_goal_the_owner_proposes_is_agreed_by_their_manager_with_who_and_when(
    org: OrgPeople,
) -> None:
    goal = create_goal(org.report)
    assert goal.status == GoalStatus.DRAFT
    assert goal.proposed_by == org.report
    with organization_scope(org.organization):
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=org.report, goal=goal)
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=org.colleague, goal=goal)
        goal = services.goal_agree(
            actor=org.manager,
            goal=goal,
            reward_text="A conference of your choice",
            reward_amount=Decimal("1500"),
        )
    assert goal.status == GoalStatus.ACTIVE
    assert goal.agreed_by == org.manager
    assert goal.agreed_at is not None
    assert goal.reward_text == "A conference of your choice"
    assert goal.reward_amount == Decimal("1500")


def test_a_goal_the_manager_proposes_is_agreed_by_the_owner(org: OrgPeople) -> None:
    goal = create_goal(org.manager, owner_person=org.report)
    with organization_scope(org.organization):
        with pytest.raises(PermissionDeniedError):
            services.goal_agree(actor=org.manager, goal=goal)
        goal = services.goal_agree(actor=org.report, goal=goal)
        again = services.goal_agree(actor=org.report, goal=goal)
    assert goal.agreed_by == org.report
    assert again.agreed_at == goal.agreed_at


def test_changing_an_agreed_target_keeps_the_old_version_and_asks_again(org: OrgPeople) -> None:
    goal = create_goal(org.report, target_value=Decimal("100"))
    with organization_scope(org.organization):
        goal = services.goal_agree(actor=org.manager, goal=goal)
        goal = services.goal_update(actor=org.report, goal=goal, visibility="everyone")
        assert goal.is_agreed, "who reads a goal is not part of what was agreed"
        goal = services.goal_update(actor=org.report, goal=goal, target_value=Decimal("80"))
        revision = GoalRevision.objects.get(goal=goal)
    assert goal.needs_agreement
    assert goal.agreed_at is None
    assert goal.status == GoalStatus.ACTIVE
    assert revision.previous["target_value"] == "100.0000"
    assert revision.previous["agreed_by"] == org.manager.pk
    assert revision.changed_by == org.report


# --- Assigning to many -----------------------------------------------------------------------


def test_a_manager_assigns_the_same_goal_to_each_report_under_one_parent(org: OrgPeople) -> None:
    team_goal = create_goal(
        org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team, title="Quality"
    )
    with organization_scope(org.organization):
        copies = services.goal_assign_many(
            actor=org.manager,
            people=[org.report, org.report2, org.report],
            title="Close 20 bugs",
            start_value=Decimal("0"),
            target_value=Decimal("20"),
            parent=team_goal,
        )
    assert sorted(goal.owner_person_id or 0 for goal in copies) == sorted(
        [org.report.pk, org.report2.pk]
    )
    assert {goal.parent_id for goal in copies} == {team_goal.pk}
    assert len({goal.pk for goal in copies}) == 2


def test_assigning_to_someone_outside_ones_chain_gives_nobody_a_goal(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        with pytest.raises(PermissionDeniedError):
            services.goal_assign_many(
                actor=org.manager,
                people=[org.report, org.colleague],
                title="Close 20 bugs",
                start_value=Decimal("0"),
                target_value=Decimal("20"),
            )
        assert not Goal.objects.exists()


# --- Goal updates ----------------------------------------------------------------------------


def test_every_update_is_kept_with_the_progress_it_reached(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    post_update(org.report, goal, value=Decimal("10"), comment="Started")
    post_update(org.report, goal, value=Decimal("30"), confidence="at_risk", comment="Slow")
    with organization_scope(org.organization):
        history = list(GoalUpdate.objects.filter(goal=goal).order_by("created_at", "id"))
        goal.refresh_from_db()
    assert [(u.value, u.progress, u.confidence) for u in history] == [
        (Decimal("10"), Decimal("0.1"), "on_track"),
        (Decimal("30"), Decimal("0.3"), "at_risk"),
    ]
    assert goal.last_confidence == "at_risk"
    assert goal.last_update_at == history[-1].created_at


def test_a_colleague_cannot_post_updates_on_someone_elses_goal(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    with organization_scope(org.organization), pytest.raises(PermissionDeniedError):
        services.goal_update_post(actor=org.colleague, goal=goal, confidence="on_track")


def test_a_value_on_a_goal_without_a_measure_is_refused(org: OrgPeople) -> None:
    goal = create_goal(org.report, goal_type=GoalType.QUALITATIVE, milestones=["One"])
    with organization_scope(org.organization), pytest.raises(DomainError) as error:
        services.goal_update_post(
            actor=org.report, goal=goal, confidence="on_track", value=Decimal("3")
        )
    assert "value" in error.value.fields


def test_a_closed_goal_takes_no_more_updates(org: OrgPeople) -> None:
    goal = create_goal(org.report)
    with organization_scope(org.organization):
        goal = services.goal_update(actor=org.report, goal=goal, status=GoalStatus.MISSED)
        with pytest.raises(DomainError):
            services.goal_update_post(actor=org.report, goal=goal, confidence="on_track")
        assert not GoalUpdate.objects.exists()


# --- Settings --------------------------------------------------------------------------------


def test_hr_sets_after_how_many_days_a_goal_counts_as_not_updated(org: OrgPeople) -> None:
    assert services.stale_after_days(org.organization) == 14
    with organization_scope(org.organization):
        services.goal_settings_update(
            actor=org.hr, organization=org.organization, stale_after_days=7
        )
        with pytest.raises(PermissionDeniedError):
            services.goal_settings_update(
                actor=org.manager, organization=org.organization, stale_after_days=3
            )
        with pytest.raises(DomainError):
            services.goal_settings_update(
                actor=org.hr, organization=org.organization, stale_after_days=0
            )
    org.organization.refresh_from_db()
    assert services.stale_after_days(org.organization) == 7


def test_agreeing_and_changing_agreed_terms_are_in_the_audit_log(org: OrgPeople) -> None:
    from perfmgmt.audit.models import AuditEntry

    goal = create_goal(org.report, target_value=Decimal("100"))
    with organization_scope(org.organization):
        goal = services.goal_agree(actor=org.manager, goal=goal, reward_text="Dinner")
        services.goal_update(actor=org.report, goal=goal, target_value=Decimal("80"))
        entries = list(
            AuditEntry.objects.filter(target_id=str(goal.pk))
            .order_by("id")
            .values_list("action", "actor_membership_id")
        )
    assert entries == [
        ("goals.agreed", org.manager.pk),
        ("goals.agreed_terms_changed", org.report.pk),
    ]
