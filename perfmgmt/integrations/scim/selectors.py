"""What an identity provider reads: the organization's people and teams, a page at a time.

Only an API key with the `scim` scope reads here (`policies.can_provision`). The lookup of
one object comes first, so another organization's id is a 404 before anything else.
People the provider deleted (`ScimUser.removed_at`) are gone for SCIM and stay on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from perfmgmt import ids
from perfmgmt.errors import NotFoundError, PermissionDeniedError
from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from perfmgmt.tenancy.policies import Actor

from .. import policies
from ..models import ScimGroup, ScimUser
from .filters import Comparison, parse_filter
from .resources import DEFAULT_COUNT, MAX_RESULTS

USER_FILTERS = frozenset({"id", "username", "externalid", "emails.value", "emails", "active"})
GROUP_FILTERS = frozenset({"id", "displayname", "externalid", "members.value", "members"})
_NO_RECORD = Q(scim_records__isnull=True)


@dataclass
class Page:
    total: int
    start_index: int
    items: list[Any]


def require_provider(actor: Actor) -> None:
    if not policies.can_provision(actor):
        raise PermissionDeniedError(_("SCIM takes an API key with the scim scope."))


def _not_removed() -> Q:
    return _NO_RECORD | Q(scim_records__removed_at=None)


def _people() -> QuerySet[Membership]:
    records = Prefetch("scim_records", queryset=ScimUser.objects.all(), to_attr="scim")
    return (
        Membership.objects.select_related("user", "team")
        .prefetch_related(records)
        .filter(_not_removed())
        .order_by("pk")
    )


def _user_condition(comparison: Comparison) -> Q:
    name, value = comparison.attribute, comparison.value
    if name == "active":
        left = Q(status=MembershipStatus.LEFT)
        return ~left if value is True else left if value is False else Q(pk__in=[])
    if not isinstance(value, str):
        return Q(pk__in=[])
    if name == "id":
        return Q(pk=_id_or_none(value))
    if name == "externalid":
        return Q(external_id=value)
    if name == "username":
        key = value.lower()
        return Q(scim_records__user_name_key=key) | (_NO_RECORD & Q(user__email=key))
    # emails.value: what the provider set, or for someone it never described, the login's.
    return Q(scim_records__attributes__emails__contains=[{"value": value}]) | (
        _NO_RECORD & Q(user__email=value.lower())
    )


def _id_or_none(value: str) -> int | None:
    try:
        return ids.object_id(value)
    except Exception:
        return None


def _bounds(start_index: Any, count: Any) -> tuple[int, int]:
    """RFC 7644 §3.4.2.4: startIndex below 1 is 1, a negative count is 0; at most
    MAX_RESULTS a page."""
    return max(1, start_index), min(max(0, count), MAX_RESULTS)


def scim_user_page(
    *, actor: Actor, filter_text: str | None, start_index: int = 1, count: int = DEFAULT_COUNT
) -> Page:
    require_provider(actor)
    people = _people()
    condition = Q()
    for comparison in parse_filter(filter_text, USER_FILTERS):
        condition &= _user_condition(comparison)
    people = people.filter(condition)
    start, size = _bounds(start_index, count)
    total = people.count()
    items = list(people[start - 1 : start - 1 + size]) if size else []
    return Page(total=total, start_index=start, items=items)


def scim_user_get(*, actor: Actor, member_id: Any) -> Membership:
    number = ids.object_id(member_id)
    member = _people().filter(pk=number).first()
    if member is None:
        raise NotFoundError(_("No such user."))
    require_provider(actor)
    return member


def record_of(member: Membership) -> ScimUser | None:
    records = getattr(member, "scim", None)
    if records is None:
        records = list(ScimUser.objects.filter(membership=member))
    return records[0] if records else None


def _teams(with_members: bool) -> QuerySet[Team]:
    records = Prefetch("scim_records", queryset=ScimGroup.objects.all(), to_attr="scim")
    teams = Team.objects.select_related("organization").prefetch_related(records).order_by("pk")
    if with_members:
        members = Membership.objects.filter(_not_removed()).only("pk", "team_id").order_by("pk")
        teams = teams.prefetch_related(Prefetch("members", queryset=members, to_attr="listed"))
    return teams


def _group_condition(comparison: Comparison) -> Q:
    name, value = comparison.attribute, comparison.value
    if not isinstance(value, str):
        return Q(pk__in=[])
    if name == "id":
        return Q(pk=_id_or_none(value))
    if name == "displayname":
        return Q(name__iexact=value)
    if name == "externalid":
        return Q(scim_records__external_id=value)
    return Q(members__pk=_id_or_none(value))


def scim_group_page(
    *,
    actor: Actor,
    filter_text: str | None,
    start_index: int = 1,
    count: int = DEFAULT_COUNT,
    with_members: bool = True,
) -> Page:
    require_provider(actor)
    condition = Q()
    for comparison in parse_filter(filter_text, GROUP_FILTERS):
        condition &= _group_condition(comparison)
    teams = _teams(with_members).filter(condition).distinct()
    start, size = _bounds(start_index, count)
    total = teams.count()
    items = list(teams[start - 1 : start - 1 + size]) if size else []
    return Page(total=total, start_index=start, items=items)


def scim_group_get(*, actor: Actor, team_id: Any, with_members: bool = True) -> Team:
    team = _teams(with_members).filter(pk=ids.object_id(team_id)).first()
    if team is None:
        raise NotFoundError(_("No such group."))
    require_provider(actor)
    return team


def group_record_of(team: Team) -> ScimGroup | None:
    records = getattr(team, "scim", None)
    if records is None:
        records = list(ScimGroup.objects.filter(team=team))
    return records[0] if records else None


def members_by_id(*, values: list[str]) -> dict[str, Membership]:
    """The people a group's `members` name, by their SCIM id (one statement)."""
    numbers = {value: _id_or_none(value) for value in values}
    wanted = [number for number in numbers.values() if number is not None]
    found = {m.pk: m for m in Membership.objects.filter(_not_removed(), pk__in=wanted)}
    return {value: found[n] for value, n in numbers.items() if n is not None and n in found}
