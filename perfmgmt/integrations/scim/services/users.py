"""Provisioning people: POST, PUT, PATCH and DELETE of SCIM Users.

One way in for every write: the desired values (from a POST or PUT body, or the resource
after a PATCH is applied) go to `_apply`, which writes the SCIM record and hands the rest
to the member services (`member_update`, `member_deactivate`, `member_reactivate`), so
validation, reporting lines, the `managers_changed` hook and the owner rule are the ones of
the rest of perfmgmt. The login is found by address or created, and never written: other
organizations may share it.

Each request sends the member webhooks of the other ways of changing a person, one event
per person it changed (`coalesced_events`: a PUT that reactivates and renames someone is
one member.updated, a POST of someone new one member.created), and none when it changed
nothing the member record holds.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from scim2_models import PatchOp

from perfmgmt.accounts.models import User
from perfmgmt.audit.services import audit_record
from perfmgmt.integrations.webhooks.events import coalesced_events, emit
from perfmgmt.tenancy.models import Membership, MembershipStatus, Role, Team
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.services import (
    member_deactivate,
    member_reactivate,
    member_update,
    team_create,
)

from ...models import ScimUser
from .. import locks
from ..errors import ScimConflict, ScimError
from ..present import PLACEHOLDER_DOMAIN, user_resource
from ..resources import ENTERPRISE_SCHEMA_ID, POLICY, EnterpriseModel
from ..selectors import members_by_id, record_of, require_provider

MAX_TEXT = 200
MAX_EMAILS = 20
# The attributes a write may carry, as `_values` names them.
USER_FIELDS = (
    "user_name",
    "name",
    "display_name",
    "emails",
    "title",
    "active",
    "external_id",
    "department",
    "manager",
)


def _dumped(value: Any) -> Any:
    if isinstance(value, list):
        return [_dumped(item) for item in value]
    if hasattr(value, "model_dump"):
        return {k: v for k, v in value.model_dump(by_alias=True).items() if v is not None}
    return value


def values_of(resource: Any) -> dict[str, Any]:
    """Every attribute a User resource says, as `_apply` reads it."""
    enterprise = resource[EnterpriseModel]
    manager = getattr(enterprise, "manager", None) if enterprise is not None else None
    return {
        "user_name": resource.user_name,
        "name": _dumped(resource.name) or None,
        "display_name": resource.display_name,
        "emails": _dumped(resource.emails) or None,
        "title": resource.title,
        "active": resource.active,
        "external_id": resource.external_id,
        "department": getattr(enterprise, "department", None) if enterprise else None,
        "manager": getattr(manager, "value", None) if manager is not None else None,
    }


def given_fields(resource: Any) -> set[str]:
    """What a PUT body names: an attribute it leaves out stays as it is (as in the people
    sync); one it sends empty is cleared."""
    core = ("user_name", "name", "display_name", "emails", "title", "active", "external_id")
    given = {field for field in core if field in resource.model_fields_set}
    enterprise = resource[EnterpriseModel]
    if enterprise is not None:
        given |= {name for name in ("department", "manager") if name in enterprise.model_fields_set}
    return given


def _text(value: Any, field: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if "\x00" in text or len(text) > MAX_TEXT:
        raise ScimError(
            _("%(field)s: at most %(count)d characters.") % {"field": field, "count": MAX_TEXT},
            scim_type="invalidValue",
        )
    return text


# A person the provider gave no address yet gets a login of their own that nobody signs in
# with (`.invalid` is reserved, RFC 2606); the first address it sends moves them to the
# login of that address. No login is ever re-addressed.


def login_email(values: dict[str, Any]) -> str | None:
    """The address that finds or makes the login: the primary email, else the first, else
    userName when it is an address; None when there is none."""
    emails = values.get("emails") or []
    primary = [e for e in emails if isinstance(e, dict) and e.get("primary")] or emails
    candidates = [e.get("value") for e in primary if isinstance(e, dict)]
    candidates.append(values.get("user_name"))
    for candidate in candidates:
        text = (candidate or "").strip().lower() if isinstance(candidate, str) else ""
        try:
            validate_email(text)
        except ValidationError:
            continue
        if not text.endswith(f"@{PLACEHOLDER_DOMAIN}"):
            return text
    return None


def _login(email: str | None) -> Any:
    if email is None:
        return User.objects.create_user(email=f"{uuid.uuid4().hex}@{PLACEHOLDER_DOMAIN}")
    user = get_user_model().objects.filter(email__iexact=email).first()
    return user if user is not None else User.objects.create_user(email=email)


def _relink(member: Membership, values: dict[str, Any], given: set[str]) -> None:
    """Someone who had no address yet moves to the login of the first one sent."""
    if not member.user.email.endswith(f"@{PLACEHOLDER_DOMAIN}"):
        return
    email = login_email(values) if given & {"emails", "user_name"} else None
    if email is None:
        return
    user = _login(email)
    if Membership.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise ScimConflict(_("This person is already in the organization."))
    member.user = user
    member.save(update_fields=["user", "updated_at"])


def scim_user_create(*, actor: Actor, resource: Any) -> Membership:
    """Provision a person: a new membership, or the return of one who left. Someone already
    here is a 409; a login another organization uses is reused exactly like a new one."""
    require_provider(actor)
    values = values_of(resource)
    with transaction.atomic(), coalesced_events():
        member = _member_for(login_email(values))
        is_new = not _returning(member)
        values["active"] = values["active"] is not False
        given = {field for field in USER_FIELDS if values.get(field) is not None} | {"active"}
        member = _apply(actor, member, values, given, revive=True)
        if is_new:
            emit("member.created", resource=member)
        _audit(actor, "scim.user.create", member, values, given)
    return member


def _member_for(email: str | None) -> Membership:
    """The membership a POST provisions: new, or someone who left coming back. A request
    racing another for the same person loses with a 409, not a 500."""
    try:
        with transaction.atomic():
            user = _login(email)
            member = Membership.objects.filter(user=user).first()
            if member is None:
                member = Membership(user=user, role=Role.EMPLOYEE, status=MembershipStatus.ACTIVE)
                member.save()
                return member
    except IntegrityError:
        raise ScimConflict(_("This person is already in the organization.")) from None
    if not _returning(member):
        raise ScimConflict(_("This person is already in the organization."))
    return member


def _returning(member: Membership) -> bool:
    record = record_of(member)
    return member.status == MembershipStatus.LEFT or (
        record is not None and record.removed_at is not None
    )


def scim_user_replace(*, actor: Actor, member: Membership, resource: Any) -> Membership:
    """PUT: the attributes the body names take its values."""
    require_provider(actor)
    values, given = values_of(resource), given_fields(resource)
    with transaction.atomic(), coalesced_events():
        member = _apply(actor, locks.lock_member(member.pk), values, given)
        _audit(actor, "scim.user.replace", member, values, given)
    return member


def scim_user_patch(
    *, actor: Actor, member: Membership, patch: PatchOp[Any], base_url: str
) -> Membership:
    """PATCH: the operations are applied to the resource as it is now (scim2-models, with
    Okta's and Entra ID's forms), and what they changed is written."""
    require_provider(actor)
    with transaction.atomic(), coalesced_events():
        member = locks.lock_member(member.pk)
        current = user_resource(member, base_url)
        patched = current.model_copy(deep=True)
        patch.patch(patched, scim_policy=POLICY)
        before, after = values_of(current), values_of(patched)
        given = {field for field in USER_FIELDS if before[field] != after[field]}
        if not given:
            return member
        member = _apply(actor, member, after, given)
        _audit(actor, "scim.user.patch", member, after, given)
    return member


def scim_user_remove(*, actor: Actor, member: Membership) -> None:
    """DELETE: the person is deactivated (never deleted) and SCIM no longer shows them."""
    require_provider(actor)
    with transaction.atomic(), coalesced_events():
        member = locks.lock_member(member.pk)
        if member.status != MembershipStatus.LEFT:
            member = member_deactivate(actor=actor, member=member)
        record = _record(member)
        record.removed_at = timezone.now()
        record.save()
        audit_record(actor=actor, action="scim.user.delete", target=member)


def _record(member: Membership) -> ScimUser:
    record = ScimUser.objects.filter(membership=member).first()
    if record is None:
        email = member.user.email
        record = ScimUser(membership=member, user_name=email, user_name_key=email.lower())
    return record


def _apply(
    actor: Actor, member: Membership, values: dict[str, Any], given: set[str], revive: bool = False
) -> Membership:
    record = _record(member)
    if revive:
        record.removed_at = None
    _write_record(record, member, values, given)
    _relink(member, values, given)
    if (
        values.get("active") is True
        and "active" in given
        and member.status == MembershipStatus.LEFT
    ):
        member = member_reactivate(actor=actor, member=member)
    changes = _unchanged_dropped(member, _member_changes(actor, values, given))
    if changes:
        member = member_update(actor=actor, member=member, **changes)
    if values.get("active") is False and "active" in given:
        member = member_deactivate(actor=actor, member=member)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # the same userName written by a concurrent request
        raise ScimConflict(_("This userName is already used in the organization.")) from None
    return member


def _write_record(
    record: ScimUser, member: Membership, values: dict[str, Any], given: set[str]
) -> None:
    if "user_name" in given:
        user_name = _text(values["user_name"], "userName")
        if not user_name:
            raise ScimError(_("userName is required."), scim_type="invalidValue")
        _claim_user_name(member, user_name.lower())
        record.user_name, record.user_name_key = user_name, user_name.lower()
    attributes = dict(record.attributes)
    for field, key in (("name", "name"), ("emails", "emails"), ("display_name", "displayName")):
        if field in given:
            attributes[key] = values[field] or ([] if field == "emails" else None)
    if len(attributes.get("emails") or []) > MAX_EMAILS:
        raise ScimError(_("At most 20 addresses."), scim_type="invalidValue")
    record.attributes = attributes


def _claim_user_name(member: Membership, key: str) -> None:
    """userName is unique in the organization. A person the provider deleted gives theirs
    up; anyone else holding it (or whose login address it is) makes this a 409."""
    others = ScimUser.objects.filter(user_name_key=key).exclude(membership=member)
    for other in others:
        if other.removed_at is None:
            raise ScimConflict(_("This userName is already used in the organization."))
        other.user_name_key = f"~removed~{other.pk}"
        other.save(update_fields=["user_name_key", "updated_at"])
    undescribed = Membership.objects.filter(Q(scim_records__isnull=True), user__email=key)
    if undescribed.exclude(pk=member.pk).exists():
        raise ScimConflict(_("This userName is already used in the organization."))


def _full_name(values: dict[str, Any]) -> str:
    name = values.get("name") or {}
    parts = " ".join(p for p in (name.get("givenName"), name.get("familyName")) if p)
    return _text(values.get("display_name") or name.get("formatted") or parts, "displayName")


def _member_changes(actor: Actor, values: dict[str, Any], given: set[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if given & {"name", "display_name"}:
        changes["full_name"] = _full_name(values)
    if "title" in given:
        changes["job_title"] = _text(values["title"], "title")
    if "external_id" in given:
        changes["external_id"] = _text(values["external_id"], "externalId") or None
    if "department" in given:
        changes["team"] = _team_named(actor, _text(values["department"], "department"))
    if "manager" in given:
        changes["manager"] = _manager(values["manager"])
    return changes


def _unchanged_dropped(member: Membership, changes: dict[str, Any]) -> dict[str, Any]:
    """Only what differs goes to `member_update`: a provider re-sending an owner's record
    unchanged is not refused (only an owner changes an owner's record)."""
    return {
        field: value
        for field, value in changes.items()
        if getattr(member, f"{field}_id" if field in ("team", "manager") else field)
        != (getattr(value, "pk", None) if field in ("team", "manager") else value)
    }


def _team_named(actor: Actor, name: str) -> Team | None:
    """A department is the person's team, found by name or made, as in the people sync."""
    if not name:
        return None
    team = Team.objects.filter(name__iexact=name).first()
    return team if team is not None else team_create(actor=actor, name=name)


def _manager(value: Any) -> Membership | None:
    if not value:
        return None
    found = members_by_id(values=[str(value)])
    if not found:
        raise ScimError(_("manager: no user with this id."), scim_type="invalidValue")
    return found[str(value)]


def _audit(
    actor: Actor, action: str, member: Membership, values: dict[str, Any], given: set[str]
) -> None:
    changes = {field: values.get(field) for field in sorted(given) if field != "emails"}
    if "emails" in given:
        changes["emails"] = len(values.get("emails") or [])
    audit_record(actor=actor, action=action, target=member, changes=changes)


__all__ = ["ENTERPRISE_SCHEMA_ID", "scim_user_create", "scim_user_patch", "scim_user_remove"]
