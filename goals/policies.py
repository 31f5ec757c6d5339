"""Who may read, create, change, update and agree goals.

Built on the reporting line (`perfmgmt.tenancy.policies`). Reading has two forms that must
agree: `visible_goals_filter` (a database filter for lists, used by the selectors) and
`can_view_goal` (one goal in Python); tests check them against each other. `audience` says
the same rule in a sentence, for the form shown before saving.

Reading:
- HR admins and owners read every goal; API keys with `goals:read` too.
- Organization goals, and goals marked "everyone", are read by everyone.
- A person's goal: the person and their managers (whole chain); with visibility "team and
  managers" also the people of the person's team.
- A team's goal: the team's members and the managers of any of them; with visibility
  "everyone" anyone.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.models import Membership, Team
from perfmgmt.tenancy.policies import Actor, is_manager_of
from perfmgmt.tenancy.selectors import below_q, reports_below, teams_at_or_below

from .models import Goal, OwnerKind, Visibility


def _is_hr(actor: Actor) -> bool:
    return isinstance(actor, Membership) and actor.is_hr


def visible_goals_filter(actor: Actor) -> Q:
    """The goals this actor may read, as one filter: "below the actor" is a predicate on
    the owner's stored reporting line, so no statement grows with the line."""
    if not isinstance(actor, Membership):
        return Q() if actor.has_scope(Scope.GOALS_READ) else Q(pk__in=[])
    if actor.is_hr:
        return Q()
    below = below_q(manager=actor, person_field="owner_person")
    rule = (
        Q(owner_kind=OwnerKind.ORGANIZATION)
        | Q(visibility=Visibility.EVERYONE)
        | Q(owner_kind=OwnerKind.PERSON, owner_person_id=actor.pk)
        | (Q(owner_kind=OwnerKind.PERSON) & below)
        | Q(owner_kind=OwnerKind.TEAM, owner_team_id__in=teams_at_or_below(manager=actor))
    )
    if actor.team_id is not None:
        rule |= Q(
            owner_kind=OwnerKind.PERSON,
            visibility=Visibility.TEAM_AND_MANAGERS,
            owner_person__team_id=actor.team_id,
        )
    return rule


def _manages_someone_in(actor: Membership, team: Team) -> bool:
    return Membership.objects.filter(team=team, pk__in=reports_below(manager=actor)).exists()


def _belongs_to_or_manages(actor: Membership, team: Team) -> bool:
    return actor.team_id == team.pk or _manages_someone_in(actor, team)


def can_view_goal(actor: Actor, goal: Goal) -> bool:
    if not isinstance(actor, Membership):
        return actor.has_scope(Scope.GOALS_READ)
    if actor.is_hr or goal.owner_kind == OwnerKind.ORGANIZATION:
        return True
    if goal.visibility == Visibility.EVERYONE:
        return True
    if goal.owner_kind == OwnerKind.TEAM:
        assert goal.owner_team is not None
        return _belongs_to_or_manages(actor, goal.owner_team)
    owner = goal.owner_person
    assert owner is not None
    if actor.pk == owner.pk or is_manager_of(actor, owner):
        return True
    return (
        goal.visibility == Visibility.TEAM_AND_MANAGERS
        and actor.team_id is not None
        and actor.team_id == owner.team_id
    )


def can_read_goal_reward(actor: Actor, goal: Goal) -> bool:
    """Who may read the expected reward agreed on a goal.

    A reward (a bonus amount, say) is between the owner and their managers, whatever the
    goal's visibility: a person's goal shows it to the person and their manager chain, a team
    goal to the team and its managers, an organization goal to everyone. HR admins and API
    keys with goals:read read them all. `goal_reward_filter` says the same for a list, in SQL;
    tests hold the two together.
    """
    if not isinstance(actor, Membership):
        return actor.has_scope(Scope.GOALS_READ)
    if actor.is_hr or goal.owner_kind == OwnerKind.ORGANIZATION:
        return True
    if goal.owner_kind == OwnerKind.TEAM:
        return goal.owner_team is not None and _belongs_to_or_manages(actor, goal.owner_team)
    owner = goal.owner_person
    return owner is not None and (actor.pk == owner.pk or is_manager_of(actor, owner))


def goal_reward_filter(actor: Actor) -> Q:
    """`can_read_goal_reward` as one filter for a list, with no query of its own: the goals
    whose expected reward this actor may read (an empty Q: every goal)."""
    if not isinstance(actor, Membership):
        return Q() if actor.has_scope(Scope.GOALS_READ) else Q(pk__in=[])
    if actor.is_hr:
        return Q()
    below = below_q(manager=actor, person_field="owner_person")
    return (
        Q(owner_kind=OwnerKind.ORGANIZATION)
        | Q(owner_kind=OwnerKind.TEAM, owner_team_id__in=teams_at_or_below(manager=actor))
        | (Q(owner_kind=OwnerKind.PERSON) & (Q(owner_person_id=actor.pk) | below))
    )


def can_create_goal_for(
    actor: Actor, *, owner_kind: str, person: Membership | None = None, team: Team | None = None
) -> bool:
    """Anyone sets their own goals; managers their chain's; team goals are set by managers
    of someone in the team; organization goals by HR admins."""
    if not isinstance(actor, Membership):
        return actor.has_scope(Scope.GOALS_WRITE)
    if actor.is_hr:
        return True
    if owner_kind == OwnerKind.PERSON and person is not None:
        return actor.pk == person.pk or is_manager_of(actor, person)
    if owner_kind == OwnerKind.TEAM and team is not None:
        return _manages_someone_in(actor, team)
    return False


def can_edit_goal(actor: Actor, goal: Goal) -> bool:
    return can_create_goal_for(
        actor, owner_kind=goal.owner_kind, person=goal.owner_person, team=goal.owner_team
    )


def can_post_update(actor: Actor, goal: Goal) -> bool:
    """Whoever may change the goal, and for a team goal also the team's members."""
    if can_edit_goal(actor, goal):
        return True
    return (
        isinstance(actor, Membership)
        and goal.owner_kind == OwnerKind.TEAM
        and actor.team_id is not None
        and actor.team_id == goal.owner_team_id
    )


def can_agree_goal(actor: Actor, goal: Goal) -> bool:
    """The other side of the proposal agrees; never the proposer.

    A person's goal proposed by the person is agreed by a manager in their chain or by an
    HR admin or owner of the organization other than the person. Having no manager does not
    make someone the other side of their own goals: an HR admin without a manager has their
    goals agreed by another HR admin or an owner, and the organization's top owner by an HR
    admin or another owner. In an organization whose only HR admin or owner is the person,
    their own goals stay unagreed until someone else holds that role (a company expects
    somebody besides the beneficiary to sign off a goal and its reward).

    A goal proposed by a manager or HR is agreed by the person.

    A team or organization goal is agreed by someone above its proposer in the reporting
    line, or by an HR admin or owner other than the proposer (`_agrees_shared_goal`).
    """
    if not isinstance(actor, Membership) or not goal.needs_agreement:
        return False
    if goal.owner_kind != OwnerKind.PERSON:
        return _agrees_shared_goal(actor, goal)
    owner = goal.owner_person
    assert owner is not None
    if goal.proposed_by_id in (None, owner.pk):
        return actor.pk != owner.pk and (_is_hr(actor) or is_manager_of(actor, owner))
    return actor.pk == owner.pk


def _agrees_shared_goal(actor: Membership, goal: Goal) -> bool:
    """A team or organization goal has no owner to be the other side: its proposer's side
    is the proposer, the other side is above them (their managers, up the chain) or HR.
    Proposed by no one (written by a system through the API), anyone who may change it
    agrees it."""
    proposer = goal.proposed_by
    if proposer is None:
        return can_edit_goal(actor, goal)
    if actor.pk == proposer.pk:
        return False
    return actor.is_hr or is_manager_of(actor, proposer)


def agreeing_side(goal: Goal) -> str:
    """Who may agree this goal, as a sentence for its page (mirrors `can_agree_goal`)."""
    proposer = goal.proposed_by
    if goal.owner_kind != OwnerKind.PERSON:
        if proposer is None:
            return _("Someone who may change this goal agrees it.")
        return _("Someone above %(name)s in the reporting line, or an HR admin, agrees it.") % {
            "name": proposer.display_name
        }
    owner = goal.owner_person
    assert owner is not None
    if proposer is None or proposer.pk == owner.pk:
        return _("A manager of %(name)s, or an HR admin, agrees it.") % {"name": owner.display_name}
    return _("%(name)s agrees it.") % {"name": owner.display_name}


def can_write_reward_when_agreeing(actor: Actor, goal: Goal) -> bool:
    """The side that agrees may write the reward, unless the goal is their own: the person
    accepts the reward as proposed (asking for another one is a change of the goal)."""
    return not (goal.owner_kind == OwnerKind.PERSON and actor.pk == goal.owner_person_id)


def can_assign_goals(actor: Actor) -> bool:
    """HR admins and anyone with reports may assign the same goal to many people."""
    if not isinstance(actor, Membership):
        return actor.has_scope(Scope.GOALS_WRITE)
    return actor.is_hr or Membership.objects.filter(manager=actor).exists()


def can_change_goal_settings(actor: Actor) -> bool:
    return _is_hr(actor)


def audience(
    *,
    owner_kind: str,
    visibility: str,
    person: Membership | None = None,
    team: Team | None = None,
) -> str:
    """Who will be able to read a goal with these settings, as a sentence.

    Mirrors `can_view_goal`; the form shows it before saving.
    """
    if owner_kind == OwnerKind.ORGANIZATION or visibility == Visibility.EVERYONE:
        return _("Everyone in the organization will be able to read this goal.")
    if owner_kind == OwnerKind.TEAM:
        if team is None:
            return _(
                "The members of the team, the managers of any of them, and HR admins will be "
                "able to read this goal."
            )
        return _(
            "The members of %(team)s, the managers of any of them, and HR admins will be able "
            "to read this goal."
        ) % {"team": team.name}
    if person is None:
        if visibility == Visibility.TEAM_AND_MANAGERS:
            return _(
                "The owner, their managers, nobody else (no team) and HR admins will be able to "
                "read this goal."
            )
        return _("Only the owner, their managers and HR admins will be able to read this goal.")
    name = person.display_name
    if visibility == Visibility.TEAM_AND_MANAGERS:
        if person.team:
            return _(
                "%(name)s, their managers, the people in %(team)s and HR admins will be able to "
                "read this goal."
            ) % {"name": name, "team": person.team.name}
        return _(
            "%(name)s, their managers, nobody else (no team) and HR admins will be able to read "
            "this goal."
        ) % {"name": name}
    return _("Only %(name)s, their managers and HR admins will be able to read this goal.") % {
        "name": name
    }
