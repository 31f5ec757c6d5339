"""Who may do what with praise, the organization's values and rewards: the one place that
says so.

Praise is public inside its organization: anyone in it reads it (the organization scope
keeps everyone else out), and anyone who has not left gives it. The giver takes their praise
down; so do HR admins and owners (praise is read by everyone, so it is moderated). HR admins
and owners keep the list of values. API keys do none of this: praise is about people.
"""

from __future__ import annotations

from django.db.models import Q

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, is_manager_of, person_of
from perfmgmt.tenancy.selectors import below_q

from .models import Praise, RewardProposal, RewardStatus


def can_read_praise(actor: Actor) -> bool:
    """Anyone of the organization (the scope already decided which organization)."""
    return person_of(actor) is not None


def can_give_praise(actor: Actor) -> bool:
    person = person_of(actor)
    return person is not None and person.status != MembershipStatus.LEFT


def praisable_q(giver: Membership) -> Q:
    """Whom `giver` may name in praise, as a filter of people: someone else of the
    organization (the scope) who has not left."""
    return ~Q(status=MembershipStatus.LEFT) & ~Q(pk=giver.pk)


def can_praise(actor: Actor, person: Membership) -> bool:
    """`praisable_q` for one person (of the giver's organization)."""
    giver = person_of(actor)
    return (
        giver is not None
        and person.organization_id == giver.organization_id
        and person.status != MembershipStatus.LEFT
        and person.pk != giver.pk
    )


def can_remove_praise(actor: Actor, praise: Praise) -> bool:
    person = person_of(actor)
    return person is not None and (person.pk == praise.giver_id or person.is_hr)


def can_manage_values(actor: Actor) -> bool:
    person = person_of(actor)
    return person is not None and person.is_hr


# --- Rewards proposed by managers, decided by HR --------------------------------------------


def can_propose_reward(actor: Actor, person: Membership) -> bool:
    """Managers for anyone in their line (at any depth), HR admins for anyone; never for
    oneself, never for someone who left."""
    proposer = person_of(actor)
    if (
        proposer is None
        or person.organization_id != proposer.organization_id
        or person.pk == proposer.pk
        or person.status == MembershipStatus.LEFT
    ):
        return False
    return proposer.is_hr or is_manager_of(proposer, person)


def proposable_q(proposer: Membership) -> Q:
    """`can_propose_reward` as a filter of people."""
    people = ~Q(status=MembershipStatus.LEFT) & ~Q(pk=proposer.pk)
    return people if proposer.is_hr else people & below_q(manager=proposer, person_field="")


def can_read_rewards(actor: Actor) -> bool:
    """People read rewards as `rewards_visible_q` says; an API key needs `rewards:read`."""
    return person_of(actor) is not None or actor.has_scope(Scope.REWARDS_READ)


def rewards_visible_q(actor: Actor) -> Q:
    """The proposals the actor reads: HR admins all of them; a proposer their own; managers
    those about anyone in their line; the person only their approved rewards (a proposal
    under discussion, or turned down, is not theirs to read). An API key with
    `rewards:read` (payroll, an HR system) reads the approved ones."""
    person = person_of(actor)
    if person is None:
        approved = Q(status=RewardStatus.APPROVED)
        return approved if can_read_rewards(actor) else Q(pk__in=[])
    own_pending = Q(person=person) & ~Q(status=RewardStatus.APPROVED)
    if person.is_hr:
        return ~own_pending  # everything but what is still being decided about them
    return (
        Q(proposed_by=person)
        | below_q(manager=person, person_field="person")
        | Q(person=person, status=RewardStatus.APPROVED)
    )


def can_decide_reward(actor: Actor, proposal: RewardProposal) -> bool:
    """HR admins decide, but not on what they proposed or on a reward for themselves
    (whether it still waits for a decision is the service's to say: a 409)."""
    person = person_of(actor)
    return (
        person is not None
        and person.is_hr
        and person.pk not in (proposal.proposed_by_id, proposal.person_id)
    )


def can_withdraw_reward(actor: Actor, proposal: RewardProposal) -> bool:
    person = person_of(actor)
    return person is not None and person.pk == proposal.proposed_by_id


def can_manage_budgets(actor: Actor) -> bool:
    return can_manage_values(actor)
