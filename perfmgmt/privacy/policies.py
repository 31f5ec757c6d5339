"""Who may export or erase a person's data.

An export: HR admins and owners for anyone of their organization, and every person for
themselves. An erasure cannot be undone, so only an owner may do it, never to themselves
nor to another owner (demote them first), and only once.
"""

from __future__ import annotations

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of

from .models import PersonalDataExport


def can_view_personal_data(actor: Actor, person: Membership) -> bool:
    reader = person_of(actor)
    return reader is not None and (reader.is_hr or reader.pk == person.pk)


def can_export_personal_data(actor: Actor, person: Membership) -> bool:
    return can_view_personal_data(actor, person)


def can_download_export(actor: Actor, export: PersonalDataExport) -> bool:
    """Only the requester, and only while they may still see the person's data."""
    reader = person_of(actor)
    return (
        reader is not None
        and export.requested_by_id == reader.pk
        and can_view_personal_data(reader, export.person)
    )


def can_erase_person(actor: Actor, person: Membership) -> bool:
    reader = person_of(actor)
    return reader is not None and reader.is_owner and reader.pk != person.pk and not person.is_owner
