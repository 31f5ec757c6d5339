"""Development plans through the services: the flow, the rules and the framework."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from goals.development import selectors, services
from goals.development.models import (
    ActionStatus,
    CompetencyLevel,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanStatus,
)
from goals.models import Goal, GoalStatus, GoalType, Visibility
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import make_competency, make_plan

pytestmark = pytest.mark.django_db


def test_a_person_drafts_a_plan_for_a_period(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    assert plan.status == PlanStatus.DRAFT
    assert plan.person == org.report
    assert plan.created_by == org.report


def test_a_second_plan_for_the_same_period_is_a_conflict_and_changes_nothing(
    org: OrgPeople, scope: object
) -> None:
    make_plan(org)
    with pytest.raises(ConflictError) as error:
        make_plan(org)
    assert "period" in error.value.fields
    assert DevelopmentPlan.objects.filter(person=org.report).count() == 1


def test_a_period_ending_before_it_starts_is_refused(org: OrgPeople, scope: object) -> None:
    with pytest.raises(DomainError) as error:
        services.plan_create(
            actor=org.report,
            person=org.report,
            period="2026",
            period_start=date(2026, 6, 1),
            period_end=date(2026, 1, 1),
        )
    assert error.value.fields == {"period_end": ["The period cannot end before it starts."]}
    assert not DevelopmentPlan.objects.exists()


def test_a_colleague_cannot_start_someone_elses_plan_but_their_manager_can(
    org: OrgPeople, scope: object
) -> None:
    def start(actor: Membership) -> DevelopmentPlan:
        return services.plan_create(
            actor=actor,
            person=org.report,
            period="2026",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )

    with pytest.raises(PermissionDeniedError):
        start(org.colleague)
    plan = start(org.manager)
    assert plan.created_by == org.manager


def test_a_person_of_another_organization_is_refused(
    org: OrgPeople, other_org: OrgPeople, scope: object
) -> None:
    with pytest.raises(DomainError) as error:
        services.plan_create(
            actor=org.hr,
            person=other_org.report,
            period="2026",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
    assert error.value.fields == {"person": ["Unknown person."]}


def test_an_objective_is_a_private_learning_goal_of_the_person_spanning_the_period(
    org: OrgPeople, scope: object
) -> None:
    plan = make_plan(org)
    objective = services.objective_add(
        actor=org.report, plan=plan, title="Lead a design review", milestones=["Shadow", "Lead"]
    )
    goal = Goal.objects.get(pk=objective.goal_id)
    assert goal.goal_type == GoalType.LEARNING
    assert goal.owner_person == org.report
    assert goal.visibility == Visibility.OWNER_AND_MANAGERS
    assert (goal.start_date, goal.due_date) == (plan.period_start, plan.period_end)
    assert goal.milestones.count() == 2


def test_the_manager_agrees_a_submitted_plan_recording_who_and_when_and_its_goals(
    org: OrgPeople, scope: object
) -> None:
    plan = make_plan(org)
    objective = services.objective_add(actor=org.report, plan=plan, title="Public speaking")
    services.plan_submit(actor=org.report, plan=plan)
    assert Notification.objects.filter(
        recipient=org.manager, kind="development-plan-submitted"
    ).exists()

    plan = services.plan_agree(actor=org.manager, plan=plan, comment="Good plan.")

    assert plan.status == PlanStatus.AGREED
    assert plan.agreed_by == org.manager
    assert plan.agreed_at is not None
    assert plan.manager_comment == "Good plan."
    goal = Goal.objects.get(pk=objective.goal_id)
    assert goal.agreed_by == org.manager
    assert goal.status == GoalStatus.ACTIVE
    assert (
        Notification.objects.filter(recipient=org.report, kind="development-plan-agreed").count()
        == 1
    )


def test_agreeing_twice_changes_nothing(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    services.plan_submit(actor=org.report, plan=plan)
    first = services.plan_agree(actor=org.manager, plan=plan)
    second = services.plan_agree(actor=org.owner, plan=plan)
    assert second.agreed_by == org.manager
    assert second.agreed_at == first.agreed_at


def test_the_person_cannot_agree_their_own_plan_nor_can_a_colleague(
    org: OrgPeople, scope: object
) -> None:
    plan = make_plan(org)
    services.plan_submit(actor=org.report, plan=plan)
    for actor in (org.report, org.colleague, org.hr):
        with pytest.raises(PermissionDeniedError):
            services.plan_agree(actor=actor, plan=plan)
    assert DevelopmentPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_a_skip_level_manager_may_agree(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    services.plan_submit(actor=org.report, plan=plan)
    assert services.plan_agree(actor=org.owner, plan=plan).agreed_by == org.owner


def test_a_draft_cannot_be_agreed_before_it_is_submitted(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    with pytest.raises(ConflictError):
        services.plan_agree(actor=org.manager, plan=plan)


def test_changing_an_agreed_plans_objectives_sends_it_back_for_agreement(
    org: OrgPeople, scope: object
) -> None:
    plan = make_plan(org)
    objective = services.objective_add(actor=org.report, plan=plan, title="Public speaking")
    services.plan_submit(actor=org.report, plan=plan)
    agreed = services.plan_agree(actor=org.manager, plan=plan)

    services.objective_update(actor=org.report, objective=objective, title="Speak at a meetup")

    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.agreed_by is None
    assert (plan.last_agreed_by, plan.last_agreed_at) == (org.manager, agreed.agreed_at)


def test_updating_an_action_of_an_agreed_plan_keeps_the_agreement(
    org: OrgPeople, scope: object
) -> None:
    plan = make_plan(org)
    action = services.action_create(
        actor=org.report, plan=plan, kind="training", title="Course on facilitation"
    )
    services.plan_submit(actor=org.report, plan=plan)
    services.plan_agree(actor=org.manager, plan=plan)

    action = services.action_update(actor=org.report, action=action, status=ActionStatus.DONE)

    assert action.completed_at is not None
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED


def test_an_action_owner_must_be_the_person_or_a_manager_of_theirs(
    org: OrgPeople, scope: object
) -> None:
    plan = make_plan(org)
    with pytest.raises(DomainError) as error:
        services.action_create(
            actor=org.report, plan=plan, kind="mentoring", title="Pairing", owner=org.colleague
        )
    assert "owner" in error.value.fields
    action = services.action_create(
        actor=org.report, plan=plan, kind="mentoring", title="Pairing", owner=org.manager
    )
    assert action.owner == org.manager


def test_an_unknown_action_kind_is_a_field_error(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    with pytest.raises(DomainError) as error:
        services.action_create(actor=org.report, plan=plan, kind="party", title="Fun")
    assert "kind" in error.value.fields


def test_progress_counts_objectives_and_actions_done(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    services.objective_add(actor=org.report, plan=plan, title="Read about design")
    for title, status in (("A", ActionStatus.DONE), ("B", ActionStatus.NOT_STARTED)):
        services.action_create(
            actor=org.report, plan=plan, kind="reading", title=title, status=status
        )
    services.action_create(
        actor=org.report, plan=plan, kind="reading", title="C", status=ActionStatus.CANCELLED
    )
    progress = selectors.plan_progress(plan=selectors.plan_get(actor=org.report, plan_id=plan.pk))
    assert (progress.action_count, progress.actions_done, progress.action_percent) == (2, 1, 50)
    assert (progress.objective_count, progress.objective_percent) == (1, 0)
    assert progress.overall_percent == 33


def test_a_closed_plan_is_read_only(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    services.plan_close(actor=org.report, plan=plan)
    with pytest.raises(ConflictError):
        services.action_create(actor=org.report, plan=plan, kind="reading", title="Late")


def test_plans_are_visible_to_the_person_their_chain_and_hr_only(
    org: OrgPeople, scope: object
) -> None:
    plan = make_plan(org)
    for viewer in (org.report, org.manager, org.owner, org.hr):
        assert list(selectors.plan_list(actor=viewer)) == [plan], viewer
    for stranger in (org.colleague, org.report2):
        assert list(selectors.plan_list(actor=stranger)) == []
        with pytest.raises(Http404):
            selectors.plan_get(actor=stranger, plan_id=plan.pk)


def test_levels_are_kept_in_place_when_the_framework_is_edited(
    org: OrgPeople, scope: object
) -> None:
    competency = make_competency(org)
    first = CompetencyLevel.objects.get(competency=competency, level=1)
    services.competency_update(
        actor=org.hr,
        competency=competency,
        levels=[("Beginner", "Explains the basics."), ("Expert", "Teaches it.")],
    )
    levels = list(CompetencyLevel.objects.filter(competency=competency).order_by("level"))
    assert [(level.level, level.name) for level in levels] == [(1, "Beginner"), (2, "Expert")]
    assert levels[0].pk == first.pk


def test_only_hr_edits_the_framework(org: OrgPeople, scope: object) -> None:
    competency = make_competency(org)
    with pytest.raises(PermissionDeniedError):
        services.competency_update(actor=org.manager, competency=competency, name="Talking")


def test_a_level_without_its_behaviour_is_refused(org: OrgPeople, scope: object) -> None:
    competency = make_competency(org)
    with pytest.raises(DomainError) as error:
        services.competency_update(actor=org.hr, competency=competency, levels=[("Novice", "")])
    assert "levels" in error.value.fields
    assert CompetencyLevel.objects.filter(competency=competency).count() == 3


def test_the_target_level_must_belong_to_the_competency(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    speaking = make_competency(org, "Speaking")
    writing = make_competency(org, "Writing")
    wrong = CompetencyLevel.objects.get(competency=writing, level=2)
    with pytest.raises(DomainError):
        services.plan_competency_set(
            actor=org.report, plan=plan, competency=speaking, target_level=wrong
        )
    right = CompetencyLevel.objects.get(competency=speaking, level=2)
    link = services.plan_competency_set(
        actor=org.report, plan=plan, competency=speaking, target_level=right
    )
    assert link.target_level == right


def test_removing_an_objective_cancels_its_goal(org: OrgPeople, scope: object) -> None:
    plan = make_plan(org)
    objective = services.objective_add(actor=org.report, plan=plan, title="Old idea")
    services.objective_remove(actor=org.report, objective=objective)
    assert not DevelopmentObjective.objects.exists()
    assert Goal.objects.get(pk=objective.goal_id).status == GoalStatus.CANCELLED


def test_another_organizations_competency_cannot_be_added(
    org: OrgPeople, other_org: OrgPeople, scope: object
) -> None:
    theirs = make_competency(other_org)
    plan = make_plan(org)
    with organization_scope(org.organization), pytest.raises(DomainError):
        services.plan_competency_set(actor=org.report, plan=plan, competency=theirs)
