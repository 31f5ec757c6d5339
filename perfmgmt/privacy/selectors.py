"""Reads of the privacy app: a person's personal-data page and the requester's exports."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.tenancy.selectors import member_get

from . import policies
from .models import PersonalDataExport, PersonErasure

# The page lists the requester's latest exports of one person, no more.
EXPORTS_SHOWN = 10


def personal_data_person(*, actor: Actor, member_id: int | str) -> Membership:
    """The person whose data `actor` may see, or 404 (another organization's id, or someone
    the actor may not see the data of: a 404 too, the page says nothing about them)."""
    person = member_get(member_id=member_id, actor=actor)
    if not policies.can_view_personal_data(actor, person):
        raise Http404("No such person.")
    return person


def export_list(*, actor: Actor, person: Membership) -> QuerySet[PersonalDataExport]:
    """The actor's own exports of `person`'s data, newest first (never someone else's)."""
    reader = person_of(actor)
    if reader is None:
        return PersonalDataExport.objects.none()
    return PersonalDataExport.objects.filter(requested_by=reader, person=person).order_by(
        "-created_at", "-id"
    )[:EXPORTS_SHOWN]


def export_get(*, actor: Actor, export_id: int | str) -> PersonalDataExport:
    """An export the actor requested and may still download, or 404."""
    try:
        export = PersonalDataExport.objects.select_related("person__user").get(pk=int(export_id))
    except (PersonalDataExport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such export.") from None
    if not policies.can_download_export(actor, export) or not export.is_downloadable():
        raise Http404("No such export.")
    return export


def erasure_of(*, person: Membership) -> PersonErasure | None:
    return PersonErasure.objects.filter(membership=person).select_related("erased_by").first()


def export_status_get(*, actor: Actor, export_id: int | str) -> PersonalDataExport:
    """An export the actor requested, whatever its state, until it expires; or 404 (someone
    else's export, another organization's, or the actor may no longer see the person)."""
    try:
        export = PersonalDataExport.objects.select_related("person__user").get(pk=int(export_id))
    except (PersonalDataExport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such export.") from None
    if not policies.can_download_export(actor, export) or export.expires_at <= timezone.now():
        raise Http404("No such export.")
    return export
