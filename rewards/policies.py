"""Who may do what with praise and the organization's values: the one place that says so.

Praise is public inside its organization: anyone in it reads it (the organization scope
keeps everyone else out), and anyone who has not left gives it. The giver takes their praise
down; so do HR admins and owners (praise is read by everyone, so it is moderated). HR admins
and owners keep the list of values. API keys do none of this: praise is about people.
"""

from __future__ import annotations

from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, person_of

from .models import Praise


def can_read_praise(actor: Actor) -> bool:
    """Anyone of the organization (the scope already decided which organization)."""
    return person_of(actor) is not None


def can_give_praise(actor: Actor) -> bool:
    person = person_of(actor)
    return person is not None and person.status != MembershipStatus.LEFT


def can_praise(actor: Actor, person: Membership) -> bool:
    """Whom one may name in praise: someone else of the organization who has not left."""
    giver = person_of(actor)
    return (
        giver is not None
        and person.pk != giver.pk
        and person.organization_id == giver.organization_id
        and person.status != MembershipStatus.LEFT
    )


def can_remove_praise(actor: Actor, praise: Praise) -> bool:
    person = person_of(actor)
    return person is not None and (person.pk == praise.giver_id or person.is_hr)


def can_manage_values(actor: Actor) -> bool:
    person = person_of(actor)
    return person is not None and person.is_hr
