"""Who may do what with praise and the organization's values: the one place that says so.

Praise is public inside its organization: anyone in it reads it (the organization scope
keeps everyone else out), and anyone who has not left gives it. The giver takes their praise
down; so do HR admins and owners (praise is read by everyone, so it is moderated). HR admins
and owners keep the list of values. API keys do none of this: praise is about people.
"""

from __future__ import annotations

from django.db.models import Q

from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, person_of

from .models import Praise


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
