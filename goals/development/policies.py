"""Who may see or change development plans and the competency framework.

A plan is read by its person, everyone above them in the reporting line and HR admins;
nobody else (not even a peer on the same team). The person drafts and submits it; a manager
in their chain comments and agrees it. HR admins and owners edit the framework, which every
member may read. API keys act by scope: they read plans and the framework, and write the
framework; agreeing a plan is a person's act, so keys cannot draft, submit or agree.
"""

from __future__ import annotations

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, Relationship, person_of, relationship

from .models import DevelopmentPlan, PlanStatus

READ_SCOPE = Scope.DEVELOPMENT_READ
WRITE_SCOPE = Scope.DEVELOPMENT_WRITE


def _is_hr(actor: Actor) -> bool:
    person = person_of(actor)
    return person is not None and person.is_hr


def _is_manager_of(actor: Membership, person: Membership) -> bool:
    return relationship(actor, person) in (
        Relationship.DIRECT_MANAGER,
        Relationship.CHAIN_MANAGER,
    )


def can_view_framework(actor: Actor) -> bool:
    if actor.is_api_client:
        return actor.has_scope(READ_SCOPE)
    return True


def can_manage_framework(actor: Actor) -> bool:
    if actor.is_api_client:
        return actor.has_scope(WRITE_SCOPE)
    return _is_hr(actor)


def can_view_all_plans(actor: Actor) -> bool:
    if actor.is_api_client:
        return actor.has_scope(READ_SCOPE)
    return _is_hr(actor)


def can_view_plans_of(actor: Actor, person: Membership) -> bool:
    """A person's plans are read by the person, their managers at any level, and HR."""
    if can_view_all_plans(actor):
        return True
    reader = person_of(actor)
    return reader is not None and relationship(reader, person) != Relationship.NONE


def can_view_plan(actor: Actor, plan: DevelopmentPlan) -> bool:
    return can_view_plans_of(actor, plan.person)


def can_create_plan_for(actor: Actor, person: Membership) -> bool:
    """The person starts their own plan; a manager in their chain may start it for them."""
    me = person_of(actor)
    return me is not None and (me.pk == person.pk or _is_manager_of(me, person))


def can_edit_plan(actor: Actor, plan: DevelopmentPlan) -> bool:
    """Both sides shape the content until the plan is closed."""
    me = person_of(actor)
    if me is None or plan.status == PlanStatus.CLOSED:
        return False
    return me.pk == plan.person_id or _is_manager_of(me, plan.person)


def can_submit_plan(actor: Actor, plan: DevelopmentPlan) -> bool:
    if actor.is_api_client:
        return False
    return actor.pk == plan.person_id and plan.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED)


def can_agree_plan(actor: Actor, plan: DevelopmentPlan) -> bool:
    """A manager in the person's chain; never the person themselves, even an HR admin."""
    me = person_of(actor)
    if me is None or me.pk == plan.person_id:
        return False
    return plan.status in (PlanStatus.SUBMITTED, PlanStatus.AGREED) and _is_manager_of(
        me, plan.person
    )


def can_comment_plan(actor: Actor, plan: DevelopmentPlan) -> bool:
    me = person_of(actor)
    if me is None or me.pk == plan.person_id:
        return False
    return plan.status != PlanStatus.CLOSED and _is_manager_of(me, plan.person)


def can_close_plan(actor: Actor, plan: DevelopmentPlan) -> bool:
    me = person_of(actor)
    if me is None or plan.status == PlanStatus.CLOSED:
        return False
    return me.pk == plan.person_id or _is_manager_of(me, plan.person) or me.is_hr
