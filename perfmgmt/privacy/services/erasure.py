"""Erasing one person of one organization: irreversible, owner only, audited.

What goes: the person's name, job title and external id in this organization, the texts
they wrote (when the organization chooses to blank them), their exports and notifications,
and every registration's own erasure step. What stays: every row that counts for someone
else or for the organization (goals and their progress, ratings in distributions, other
people's reviews, feedback and 1:1s), now naming "Erased person".

The login is shared between organizations. One that still belongs to another organization
is left exactly as it is: this organization's membership moves to a fresh placeholder
login, so the person can no longer enter this organization. A login of nobody else is
anonymised in place (email, names, password, allauth emails and authenticators).

Audit entries are append-only and are not rewritten; the entry of the erasure names only
ids and the options chosen.
"""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from perfmgmt.accounts.models import User
from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.services import member_deactivate

from .. import policies
from ..models import PersonErasure
from ..registry import EraseContext, PersonalData, registrations
from .exports import exports_delete_for

ERASED_DOMAIN = "erased.invalid"


def erased_name(person: Membership) -> str:
    """What pages call an erased person, in the organization's language (stored once)."""
    with translation.override(person.organization.locale):
        return _("Erased person")


def is_erased(person: Membership) -> bool:
    return PersonErasure.objects.filter(membership=person).exists()


def confirms(person: Membership, confirmation: str) -> bool:
    typed = confirmation.strip().casefold()
    return bool(typed) and typed in {person.display_name.casefold(), person.email.casefold()}


def person_erase(
    *, actor: Membership, person: Membership, confirmation: str, blank_texts: bool
) -> PersonErasure:
    """Erase `person` once `confirmation` is their name or email (see the module)."""
    if not policies.can_erase_person(actor, person):
        raise PermissionDeniedError(_("Only an owner may erase a person, never an owner."))
    if is_erased(person):
        raise ConflictError(_("This person has already been erased."))
    if not confirms(person, confirmation):
        message = _("Type the person's name or email exactly to confirm.")
        raise DomainError(message, fields={"confirmation": [message]})
    with transaction.atomic():
        person = Membership.objects.select_for_update().select_related("user").get(pk=person.pk)
        if is_erased(person):
            raise ConflictError(_("This person has already been erased."))
        member_deactivate(actor=actor, member=person)
        context = EraseContext(
            person=person, actor=actor, blank_texts=blank_texts, name=erased_name(person)
        )
        for entry in registrations():
            _erase_registration(entry, context)
        exports_delete_for(person=person)
        login_anonymised = _release_login(person)
        _erase_membership(person)
        erasure = PersonErasure.objects.create(
            membership=person, erased_by=actor, texts_blanked=blank_texts
        )
        audit_record(
            actor=actor,
            action="person.erase",
            target=person,
            changes={
                "texts": "blanked" if blank_texts else "kept",
                "login": "anonymised" if login_anonymised else "kept for other organizations",
            },
        )
    return erasure


def _erase_registration(entry: PersonalData, context: EraseContext) -> None:
    manager = entry.model._default_manager
    if context.blank_texts:
        for texts in entry.texts:
            values = dict.fromkeys(texts.fields, texts.placeholder)
            manager.filter(entry.person_filter_on(texts.author, context.person)).update(**values)
    if entry.erase is not None:
        entry.erase(context)


def _erase_membership(person: Membership) -> None:
    person.full_name = erased_name(person)
    person.job_title = ""
    person.external_id = None
    person.start_date = None
    person.status = MembershipStatus.LEFT
    person.deactivated_at = person.deactivated_at or timezone.now()
    person.save(
        update_fields=[
            "full_name",
            "job_title",
            "external_id",
            "start_date",
            "status",
            "deactivated_at",
            "updated_at",
            "user",
        ]
    )


def belongs_elsewhere(login: User, person: Membership) -> bool:
    """Whether the login has a membership in another organization. Counted through the
    login (a global table), without reading those memberships."""
    other = ~Q(memberships__organization=person.organization_id)
    counted = User.objects.filter(pk=login.pk).annotate(others=Count("memberships", filter=other))
    return counted.values_list("others", flat=True).get() > 0


def _release_login(person: Membership) -> bool:
    """Detach or anonymise the login (see the module); True when it was anonymised."""
    login = person.user
    if belongs_elsewhere(login, person):
        person.user = User.objects.create_user(
            email=f"erased-{uuid.uuid4().hex}@{ERASED_DOMAIN}", is_active=False
        )
        return False
    login.email = f"erased-{login.pk}@{ERASED_DOMAIN}"
    login.full_name = login.first_name = login.last_name = ""
    login.language = login.time_zone = ""
    login.is_active = False
    login.set_unusable_password()
    login.save()
    EmailAddress.objects.filter(user=login).delete()
    Authenticator.objects.filter(user=login).delete()
    return True
