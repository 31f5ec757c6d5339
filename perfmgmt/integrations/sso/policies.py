"""Who may configure single sign-on: the organization's owners only."""

from __future__ import annotations

from perfmgmt.tenancy.policies import Actor, person_of


def can_manage_sso(actor: Actor) -> bool:
    person = person_of(actor)
    return person is not None and person.is_owner and person.can_sign_in
