"""The improvement plan workflow through its services: who drafts, HR approves or sends
back, the person acknowledges, the outcome is recorded; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from perfmgmt.api.models import Scope
from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from reviews.models import ImprovementPlan, PlanOutcome, PlanStatus
from reviews.services.improvement_plans.common import ExpectationInput
from reviews.services.improvement_plans.decisions import (
    OutcomeInput,
    improvement_plan_acknowledge,
    improvement_plan_approve,
    improvement_plan_record_outcome,
    improvement_plan_return,
)
from reviews.services.improvement_plans.drafting import (
    improvement_plan_create,
    improvement_plan_submit,
    improvement_plan_update,
)
from tests.api.conftest import create_key
from tests.conftest import OrgPeople
from tests.goals.factories import GoalFactory
from tests.reviews.plan_helpers import make_plan, plan_input

pytestmark = pytest.mark.django_db


def actions(plan: ImprovementPlan) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(plan.pk), target_type="reviews.ImprovementPlan")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_manager_drafts_a_plan_for_a_report_and_it_is_audited(org: OrgPeople, scope) -> None:
    plan = make_plan(org)
    assert plan.status == PlanStatus.DRAFT
    assert plan.drafted_by == org.manager
    assert [e.description for e in plan.expectations.all()] == ["Deliver on the agreed date"]
    assert plan.review_dates.count() == 1
    assert actions(plan) == ["improvement_plan.drafted"]


def test_a_skip_level_manager_may_draft_too(org: OrgPeople, scope) -> None:
    plan = make_plan(org, drafter=org.owner)
    assert plan.drafted_by == org.owner


@pytest.mark.parametrize("who", ["colleague", "report2", "hr"])
def test_nobody_drafts_for_someone_not_below_them(org: OrgPeople, scope, who: str) -> None:
    with pytest.raises(DomainError) as refused:
        improvement_plan_create(actor=getattr(org, who), person=org.report, data=plan_input(org))
    assert "person" in refused.value.fields
    assert not ImprovementPlan.objects.exists()


def test_nobody_drafts_a_plan_for_someone_who_left(org: OrgPeople, scope) -> None:
    org.report.status = MembershipStatus.LEFT
    org.report.save()
    with pytest.raises(DomainError, match="has left"):
        improvement_plan_create(actor=org.manager, person=org.report, data=plan_input(org))
    assert not ImprovementPlan.objects.exists()


def test_an_api_key_cannot_draft(org: OrgPeople, scope) -> None:
    credential, _key = create_key(org, [Scope.REVIEWS_WRITE])
    with pytest.raises(PermissionDeniedError):
        improvement_plan_create(actor=credential, person=org.report, data=plan_input(org))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expectations": []}, "expectations"),
        ({"expectations": [ExpectationInput("Ship it", " ")]}, "expectations"),
        ({"reason": "  "}, "reason"),
        ({"support": ""}, "support"),
        ("end_before_start", "end_date"),
        ("review_after_end", "review_dates"),
        ("review_before_start", "review_dates"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_is_saved(
    org: OrgPeople, scope, changes: object, field: str
) -> None:
    base = plan_input(org)
    if changes == "end_before_start":
        changes = {"end_date": base.start_date - timedelta(days=1)}
    elif changes == "review_after_end":
        changes = {"review_dates": [base.end_date + timedelta(days=1)]}
    elif changes == "review_before_start":
        changes = {"review_dates": [base.start_date - timedelta(days=1)]}
    assert isinstance(changes, dict)
    with pytest.raises(DomainError) as refused:
        improvement_plan_create(
            actor=org.manager, person=org.report, data=plan_input(org, **changes)
        )
    assert field in refused.value.fields
    assert not ImprovementPlan.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="improvement_plan").exists()


def test_an_expectation_links_only_to_one_of_the_persons_goals(org: OrgPeople, scope) -> None:
    theirs = GoalFactory.create(organization=org.organization, owner_person=org.report)
    someone_elses = GoalFactory.create(organization=org.organization, owner_person=org.report2)
    linked = make_plan(org, expectations=[ExpectationInput("Hit it", "100 %", theirs.pk)])
    assert linked.expectations.get().goal == theirs
    with pytest.raises(DomainError) as refused:
        make_plan(org, expectations=[ExpectationInput("Hit it", "100 %", someone_elses.pk)])
    assert "expectations" in refused.value.fields


def test_submitting_twice_submits_once_and_tells_hr_but_not_the_person(
    org: OrgPeople, scope
) -> None:
    plan = make_plan(org)
    improvement_plan_submit(actor=org.manager, plan=plan)
    improvement_plan_submit(actor=org.manager, plan=plan)
    assert actions(plan).count("improvement_plan.submitted") == 1
    told = set(
        Notification.objects.filter(kind="improvement-plan-submitted").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {org.hr.pk, org.owner.pk}


def test_hr_approves_once_and_the_person_is_asked_to_acknowledge(org: OrgPeople, scope) -> None:
    plan = make_plan(org)
    improvement_plan_submit(actor=org.manager, plan=plan)
    improvement_plan_approve(actor=org.hr, plan=plan)
    approved = improvement_plan_approve(actor=org.hr, plan=plan)
    assert approved.status == PlanStatus.APPROVED
    assert approved.approved_by == org.hr
    assert actions(plan).count("improvement_plan.approved") == 1
    asked = Notification.objects.get(kind="improvement-plan-approved", recipient=org.report)
    assert f"/improvement-plans/{plan.pk}/" in asked.url
    submitted = Notification.objects.filter(kind="improvement-plan-submitted")
    assert all(notification.resolved_at for notification in submitted)


def test_a_draft_cannot_be_approved_before_it_is_submitted(org: OrgPeople, scope) -> None:
    plan = make_plan(org)
    with pytest.raises(ConflictError):
        improvement_plan_approve(actor=org.hr, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_hr_does_not_approve_a_plan_they_drafted(org: OrgPeople, scope) -> None:
    plan = make_plan(org, drafter=org.owner)
    improvement_plan_submit(actor=org.owner, plan=plan)
    with pytest.raises(PermissionDeniedError):
        improvement_plan_approve(actor=org.owner, plan=plan)
    assert improvement_plan_approve(actor=org.hr, plan=plan).status == PlanStatus.APPROVED


def test_a_manager_cannot_approve(org: OrgPeople, scope) -> None:
    plan = make_plan(org)
    improvement_plan_submit(actor=org.manager, plan=plan)
    with pytest.raises(PermissionDeniedError):
        improvement_plan_approve(actor=org.manager, plan=plan)


def test_hr_sends_a_plan_back_with_a_reason_and_the_drafter_edits_and_resubmits(
    org: OrgPeople, scope
) -> None:
    plan = make_plan(org)
    improvement_plan_submit(actor=org.manager, plan=plan)
    with pytest.raises(DomainError) as refused:
        improvement_plan_return(actor=org.hr, plan=plan, reason=" ")
    assert "reason" in refused.value.fields
    returned = improvement_plan_return(actor=org.hr, plan=plan, reason="Make it measurable.")
    assert returned.status == PlanStatus.RETURNED
    assert Notification.objects.filter(
        kind="improvement-plan-returned", recipient=org.manager
    ).exists()
    edited = improvement_plan_update(
        actor=org.manager, plan=plan, data=plan_input(org, support="More time.")
    )
    assert edited.support == "More time."
    assert improvement_plan_submit(actor=org.manager, plan=plan).status == PlanStatus.SUBMITTED


def test_a_submitted_plan_cannot_be_edited(org: OrgPeople, scope) -> None:
    plan = make_plan(org)
    improvement_plan_submit(actor=org.manager, plan=plan)
    with pytest.raises(ConflictError):
        improvement_plan_update(actor=org.manager, plan=plan, data=plan_input(org, support="X"))
    plan.refresh_from_db()
    assert plan.support != "X"


def test_the_person_acknowledges_once_with_a_comment(org: OrgPeople, scope) -> None:
    plan = make_plan(org, approve=True)
    acknowledged = improvement_plan_acknowledge(actor=org.report, plan=plan, comment="Understood.")
    assert acknowledged.acknowledged_at is not None
    with pytest.raises(ConflictError, match="already acknowledged"):
        improvement_plan_acknowledge(actor=org.report, plan=plan, comment="Changed my mind.")
    plan.refresh_from_db()
    assert plan.employee_comment == "Understood."
    assert actions(plan).count("improvement_plan.acknowledged") == 1


def test_nobody_but_the_person_acknowledges_and_not_before_approval(org: OrgPeople, scope) -> None:
    draft = make_plan(org)
    with pytest.raises(ConflictError):
        improvement_plan_acknowledge(actor=org.report, plan=draft)
    approved = make_plan(org, person=org.report2, approve=True)
    with pytest.raises(PermissionDeniedError):
        improvement_plan_acknowledge(actor=org.manager, plan=approved)
    approved.refresh_from_db()
    assert approved.acknowledged_at is None


def test_no_outcome_before_approval(org: OrgPeople, scope) -> None:
    plan = make_plan(org)
    with pytest.raises(ConflictError, match="approved"):
        improvement_plan_record_outcome(
            actor=org.manager, plan=plan, data=OutcomeInput("met", "Done well.")
        )
    assert not PlanOutcome.objects.exists()


def test_an_extension_moves_the_end_and_adds_a_review_on_the_new_last_day(
    org: OrgPeople, scope
) -> None:
    plan = make_plan(org, approve=True)
    old_end = plan.end_date
    with pytest.raises(DomainError) as refused:
        improvement_plan_record_outcome(
            actor=org.manager, plan=plan, data=OutcomeInput("extended", "Needs a month more.")
        )
    assert "new_end_date" in refused.value.fields
    new_end = old_end + timedelta(days=30)
    data = OutcomeInput("extended", "Needs a month more.", new_end_date=new_end)
    extended = improvement_plan_record_outcome(actor=org.manager, plan=plan, data=data)
    improvement_plan_record_outcome(actor=org.manager, plan=plan, data=data)  # no-op again
    assert extended.end_date == new_end
    assert extended.status == PlanStatus.APPROVED
    assert PlanOutcome.objects.get().previous_end_date == old_end
    assert extended.review_dates.filter(on=new_end).exists()
    entry = AuditEntry.objects.get(action="improvement_plan.outcome")
    assert entry.changes["end_date"] == [old_end.isoformat(), new_end.isoformat()]


def test_met_closes_the_plan_and_a_closed_plan_takes_no_other_outcome(
    org: OrgPeople, scope
) -> None:
    plan = make_plan(org, approve=True)
    closed = improvement_plan_record_outcome(
        actor=org.hr, plan=plan, data=OutcomeInput("met", "Every sprint delivered.")
    )
    assert closed.status == PlanStatus.CLOSED
    with pytest.raises(ConflictError, match="closed"):
        improvement_plan_record_outcome(
            actor=org.hr, plan=plan, data=OutcomeInput("not_met", "Wrong.")
        )
    assert PlanOutcome.objects.count() == 1


def test_neither_the_person_nor_a_peer_records_an_outcome(org: OrgPeople, scope) -> None:
    plan = make_plan(org, approve=True)
    for who in (org.report, org.report2, org.colleague):
        with pytest.raises(PermissionDeniedError):
            improvement_plan_record_outcome(
                actor=who, plan=plan, data=OutcomeInput("met", "I did it.")
            )
    assert not PlanOutcome.objects.exists()


def test_an_outcome_decided_before_the_plan_started_is_refused(org: OrgPeople, scope) -> None:
    plan = make_plan(org, approve=True)
    data = OutcomeInput("met", "Early.", decided_on=plan.start_date - timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        improvement_plan_record_outcome(actor=org.manager, plan=plan, data=data)
    assert "decided_on" in refused.value.fields


def test_a_plan_in_another_organization_is_out_of_scope(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    theirs = make_plan(other_org)
    with organization_scope(org.organization):
        assert not ImprovementPlan.objects.filter(pk=theirs.pk).exists()
