"""Who may set up and read review configuration.

HR admins and owners build rating scales and templates; every member may read them (a
template says what will be asked, and of whom: there is nothing secret in it). API keys get
review scopes with the reviews API; until then they do neither.
"""

from __future__ import annotations

from perfmgmt.tenancy.policies import Actor, person_of


def can_manage_review_setup(actor: Actor) -> bool:
    person = person_of(actor)
    return person is not None and person.is_hr


def can_view_review_setup(actor: Actor) -> bool:
    return person_of(actor) is not None
