"""Who reads the analytics page, and how far."""

from __future__ import annotations

from perfmgmt.tenancy.policies import Actor, has_reports_here, person_of


def reads_whole_organization(actor: Actor) -> bool:
    """HR admins and owners read the figures of the whole organization."""
    person = person_of(actor)
    return person is not None and person.is_hr


def can_view_analytics(actor: Actor) -> bool:
    """HR admins and owners, and anyone with people reporting to them (their line's
    figures). Not API keys: the figures are a page and its export."""
    person = person_of(actor)
    if person is None:
        return False
    return person.is_hr or has_reports_here(person)
