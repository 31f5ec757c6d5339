"""Every write of praise and of the organization's values."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.localization import reader_locale
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notifications_resolve, notify
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, require_person
from perfmgmt.web.links import optional_reverse

from .. import policies
from ..models import (
    MAX_MESSAGE,
    MAX_RECIPIENTS,
    MAX_VALUE_DESCRIPTION,
    MAX_VALUE_NAME,
    CompanyValue,
    Praise,
    PraiseRecipient,
)

REMOVED_ACTION = "rewards.praise_removed"
NOTIFIED_KIND = "praise-received"


def _message_problem(message: str) -> str:
    if not message:
        return _("Say what you are thanking them for.")
    if len(message) > MAX_MESSAGE:
        count = formats.number_format(MAX_MESSAGE, force_grouping=True)
        return _("Keep it to at most %(count)s characters.") % {"count": count}
    return ""


def _recipients_problem(giver: Membership, people: list[Membership]) -> str:
    if not people:
        return _("Choose at least one person to praise.")
    if len(people) > MAX_RECIPIENTS:
        return _("Praise at most %(count)d people at once.") % {"count": MAX_RECIPIENTS}
    if any(person.pk == giver.pk for person in people):
        return _("Praise someone other than yourself.")
    if not all(policies.can_praise(giver, person) for person in people):
        return _("Choose people who are still in the organization.")
    return ""


def _value_problem(value: CompanyValue | None) -> str:
    if value is None:
        return ""
    if value.organization_id != current_organization().pk or not value.active:
        return _("Choose one of the organization's values.")
    return ""


@transaction.atomic
def praise_give(
    *,
    actor: Actor,
    recipients: Sequence[Membership],
    message: str,
    value: CompanyValue | None = None,
) -> Praise:
    """Thank one or more colleagues in public, optionally for one of the organization's
    values; each of them is told (in the app and by email, in their language). Every rule
    broken is named on its field at once."""
    giver = require_person(actor, _("Praise is given by people."))
    if not policies.can_give_praise(giver):
        raise PermissionDeniedError(_("Only people of the organization give praise."))
    people = list({person.pk: person for person in recipients}.values())
    message = message.strip()
    problems = {
        "recipients": _recipients_problem(giver, people),
        "message": _message_problem(message),
        "value": _value_problem(value),
    }
    if any(problems.values()):
        fields = {name: [problem] for name, problem in problems.items() if problem}
        raise DomainError(next(iter(fields.values()))[0], fields=fields)
    praise = Praise.objects.create(giver=giver, message=message, value=value)
    PraiseRecipient.objects.bulk_create(
        [
            PraiseRecipient(organization_id=praise.organization_id, praise=praise, person=person)
            for person in people
        ]
    )
    _tell(praise, giver, people)
    return praise


def _tell(praise: Praise, giver: Membership, people: list[Membership]) -> None:
    organization = current_organization()
    url = optional_reverse("rewards:praise_detail", org_slug=organization.slug, praise_id=praise.pk)
    for person in people:
        with reader_locale(user=person.user, organization=organization):
            title = _("%(name)s praised you") % {"name": giver.display_name}
        notify(
            recipient=person,
            kind=NOTIFIED_KIND,
            key=f"{NOTIFIED_KIND}:{praise.pk}",
            title=title,
            body=praise.value.name if praise.value is not None else "",
            url=url,
            subject=subject_of(praise),
        )


@transaction.atomic
def praise_remove(*, actor: Actor, praise: Praise) -> None:
    """Take praise down: its giver, or an HR admin (audited, without the text). The
    notifications about it are resolved, so no email about it goes out any more."""
    person = require_person(actor, _("Praise is removed by people."))
    if not policies.can_remove_praise(person, praise):
        raise PermissionDeniedError(_("Only the person who gave it or an HR admin can remove it."))
    if not Praise.objects.select_for_update().filter(pk=praise.pk).exists():
        return  # removed a moment ago (by its giver, or a second click): nothing more to do
    if person.pk != praise.giver_id:
        recipients = sorted(praise.recipient_links.values_list("person_id", flat=True))
        audit_record(
            actor=person,
            action=REMOVED_ACTION,
            target=praise.giver,
            changes={"praise": praise.pk, "giver": praise.giver_id, "recipients": recipients},
        )
    notifications_resolve(subject=subject_of(praise), by=person)
    praise.delete()


def _value_fields(
    name: str, description: str, *, value: CompanyValue | None = None
) -> dict[str, str]:
    name, description = name.strip(), description.strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = [_("Name the value.")]
    elif len(name) > MAX_VALUE_NAME:
        problems["name"] = [
            _("Keep the name to at most %(count)d characters.") % {"count": MAX_VALUE_NAME}
        ]
    elif _name_taken(name, value):
        problems["name"] = _taken().fields["name"]
    if len(description) > MAX_VALUE_DESCRIPTION:
        problems["description"] = [
            _("Keep the description to at most %(count)d characters.")
            % {"count": MAX_VALUE_DESCRIPTION}
        ]
    if problems:
        raise DomainError(_("The value is not complete."), fields=problems)
    return {"name": name, "description": description}


def _name_taken(name: str, value: CompanyValue | None) -> bool:
    others = CompanyValue.objects.filter(name__iexact=name)
    if value is not None:
        others = others.exclude(pk=value.pk)
    return others.exists()


def _require_manager(actor: Actor) -> Membership:
    person = require_person(actor, _("Values are kept by people."))
    if not policies.can_manage_values(person):
        raise PermissionDeniedError(_("Only HR admins keep the organization's values."))
    return person


@transaction.atomic
def value_create(*, actor: Actor, name: str, description: str = "") -> CompanyValue:
    """Add a value praise can be given for (HR admins)."""
    _require_manager(actor)
    fields = _value_fields(name, description)
    try:
        with transaction.atomic():
            return CompanyValue.objects.create(**fields)
    except IntegrityError:  # the same name, added at the same moment
        raise _taken() from None


@transaction.atomic
def value_update(
    *, actor: Actor, value: CompanyValue, name: str, description: str = "", active: bool = True
) -> CompanyValue:
    """Rename, describe, retire or bring back a value (HR admins). A retired value stays on
    the praise given for it and is offered no more."""
    _require_manager(actor)
    fields = _value_fields(name, description, value=value)
    for field, text in fields.items():
        setattr(value, field, text)
    value.active = active
    try:
        with transaction.atomic():
            value.save(update_fields=[*fields, "active"])
    except IntegrityError:
        raise _taken() from None
    return value


def _taken() -> DomainError:
    problem = _("The organization already has a value of that name.")
    return DomainError(_("The value is not complete."), fields={"name": [problem]})
