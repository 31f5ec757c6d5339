"""Reads with rules about people and reporting lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, JSONObject, NullIf
from django.http import Http404
from django.utils import timezone

from . import facts, policies
from .models import HR_ROLES, SIGNING_IN, Membership, MembershipStatus, Organization, Team
from .policies import Actor

if TYPE_CHECKING:
    from perfmgmt.accounts.models import User


# The reporting line is stored (`Membership.reporting_path`, kept by the database:
# perfmgmt/tenancy/reporting_paths.py), so "everyone above" is one row and "everyone
# below" one indexed predicate; neither walks the manager links.
_CHAIN_UP_SQL = """
SELECT unnest(reporting_path) FROM tenancy_membership WHERE id = %s AND organization_id = %s
"""

_CHAIN_DOWN_SQL = """
SELECT id FROM tenancy_membership
WHERE organization_id = %s AND reporting_path @> ARRAY[%s]::bigint[]
"""


NEW_JOINER_DAYS = 30


def first_day(membership: Membership, zone: ZoneInfo) -> date:
    """The person's first day here, on the organization's calendar: the later of the day
    they joined (their record was made) and their start date. Nothing is asked of anyone
    for a time before it."""
    joined = timezone.localtime(membership.created_at, zone).date()
    start = membership.start_date
    return max(joined, start) if start is not None else joined


def is_new_joiner(membership: Membership, today: date) -> bool:
    """Not started yet, or started within the last `NEW_JOINER_DAYS` days."""
    started = first_day(membership, membership.organization.zone)
    return today < started + timedelta(days=NEW_JOINER_DAYS)


def manager_chain_ids(*, membership: Membership) -> set[int]:
    """Ids of everyone above this person (manager, their manager, ...), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_CHAIN_UP_SQL, [membership.pk, membership.organization_id])
        return {row[0] for row in cursor.fetchall()}


def reports_below(*, manager: Membership) -> RawSQL:
    """Everyone below this person at any depth, as a subquery for `pk__in=` (the statement
    stays the same size whatever the size of the reporting line)."""
    return RawSQL(_CHAIN_DOWN_SQL, [manager.organization_id, manager.pk])  # noqa: S611 (constant SQL)


# The teams of a person and of everyone below them: the same stored line as `_CHAIN_DOWN_SQL`.
_TEAMS_AT_OR_BELOW_SQL = """
SELECT team_id FROM tenancy_membership
WHERE organization_id = %s AND team_id IS NOT NULL
    AND (id = %s OR reporting_path @> ARRAY[%s]::bigint[])
"""


def teams_at_or_below(*, manager: Membership) -> RawSQL:
    """The teams of this person and of everyone below them, as a subquery for `__in=`
    (constant SQL: built and compiled for nothing, which a list's rule that names it
    twice notices)."""
    parameters = [manager.organization_id, manager.pk, manager.pk]
    return RawSQL(_TEAMS_AT_OR_BELOW_SQL, parameters)  # noqa: S611 (constant SQL)


# A team and every team below it (any depth); `depth` stops a cycle of parents.
_TEAM_AND_BELOW_SQL = """
WITH RECURSIVE below(id, depth) AS (
    SELECT id, 0 FROM tenancy_team WHERE id = %s AND organization_id = %s
    UNION
    SELECT t.id, b.depth + 1 FROM tenancy_team t JOIN below b ON t.parent_id = b.id
    WHERE t.organization_id = %s AND b.depth < 64
)
SELECT id FROM below
"""


def team_and_below(*, team: Team) -> RawSQL:
    """The team and every team below it at any depth, as a subquery for `team_id__in=`
    (constant SQL, whatever the size of the tree)."""
    parameters = [team.pk, team.organization_id, team.organization_id]
    return RawSQL(_TEAM_AND_BELOW_SQL, parameters)  # noqa: S611 (constant SQL)


def below_q(*, manager: Membership, person_field: str) -> Q:
    """Rows whose person (reached through `person_field`, a key to a membership; "" for a
    membership itself) is below `manager` at any depth: one predicate on that person's
    stored line, with no subquery, whatever the size of the line."""
    prefix = f"{person_field}__" if person_field else ""
    return Q(**{f"{prefix}reporting_path__contains": [manager.pk]})


class LineBegan(Func):
    """When the line from the person reached through `person_field` up to `manager` began
    (the latest `manager_since` on the way): NULL unless the manager is above them."""

    output_field = DateTimeField()

    def __init__(self, *, manager: Membership, person_field: str) -> None:
        prefix = f"{person_field}__" if person_field else ""
        super().__init__(
            F(f"{prefix}reporting_since"), F(f"{prefix}reporting_path"), Value(manager.pk)
        )

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        parts = [compiler.compile(expression) for expression in self.get_source_expressions()]
        (since, since_params), (path, path_params), (manager, manager_params) = parts
        sql = f"({since})[array_position({path}, ({manager})::bigint)]"
        return sql, [*since_params, *path_params, *manager_params]


def hr_people() -> QuerySet[Membership]:
    """The HR admins and owners of the active organization who can sign in, with their
    logins: whom a reminder or a request for a decision goes to."""
    return Membership.objects.filter(role__in=HR_ROLES, status__in=SIGNING_IN).select_related(
        "user"
    )


def people_for_in(people: Iterable[Membership | int]) -> QuerySet[Any, Any] | list[int]:
    """People for a `person_id__in=` filter: a queryset stays a subquery (the statement
    keeps its size however many it selects); anything else becomes a list of ids."""
    if isinstance(people, QuerySet):
        return people.values("pk")
    return [person if isinstance(person, int) else person.pk for person in people]


def member_queryset() -> QuerySet[Membership]:
    return Membership.objects.select_related("user", "team", "manager__user")


def member_list(
    *,
    actor: Actor,
    include_left: bool = False,
    search: str = "",
    team_id: int | None = None,
    status: str | None = None,
    role: str | None = None,
    manager_id: int | None = None,
    external_id: str = "",
) -> QuerySet[Membership]:
    """The people of the active organization the actor may list, filtered.

    Filters obey the same rules as what is shown: people who left appear only to those who
    may see them, and a search by external id (a detail) only finds people whose details
    the actor may see, so nobody can test guesses of a colleague's hidden id.
    """
    members = member_queryset()
    if status:
        members = members.filter(status=status)
    elif not include_left:
        members = members.exclude(status=MembershipStatus.LEFT)
    if not policies.can_view_departed_members(actor):
        members = members.exclude(status=MembershipStatus.LEFT)
    if team_id:
        members = members.filter(team_id=team_id)
    if role:
        members = members.filter(role=role)
    if manager_id:
        members = members.filter(manager_id=manager_id)
    if external_id:
        members = members.filter(external_id=external_id).filter(_details_visible_to(actor))
    if search:
        members = members.filter(
            Q(full_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(job_title__icontains=search)
            | Q(team__name__icontains=search)
        )
    return members


def display_name_sql(person: str = "") -> Coalesce:
    """`Membership.display_name` (the name, else the login's email) as SQL; `person` is the
    path to the membership from the queried model ("owner_person__"), empty for itself."""
    return Coalesce(
        NullIf(f"{person}full_name", Value("")), f"{person}user__email", output_field=CharField()
    )


def display_name_text_sql(person: str, login: str) -> str:
    """`display_name_sql` for a statement written out (`perfmgmt.api.jsonrows`): `person`
    and `login` are the aliases of the membership's and its login's tables."""
    return f"COALESCE(NULLIF({person}.full_name, ''), {login}.email)"


def member_rows(*, actor: Actor, **filters: Any) -> QuerySet[Any]:
    """`member_list` for the API's list, which reads its ids and `details_visible` (decided
    in SQL, so no statement grows with the reader's reporting line and nothing is checked
    in Python) and has PostgreSQL write the page (`serializers.MEMBER_JSON`)."""
    rule = _details_visible_to(actor)
    visible = (
        Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())
        if rule
        else Value(True)
    )
    return member_list(actor=actor, **filters).annotate(details_visible=visible)


def _details_visible_to(actor: Actor) -> Q:
    """The rows `policies.can_view_member_details` allows, as SQL: the actor and everyone
    below them, unless role or scope already shows everyone's details."""
    person = policies.person_of(actor)
    if person is None:
        return Q() if actor.has_scope("members:read") else Q(pk__in=[])
    if person.is_hr:
        return Q()
    # "Below" read from each row's own stored line: no subquery of everyone below.
    return Q(pk=person.pk) | below_q(manager=person, person_field="")


def member_get(*, member_id: int | str, actor: Actor | None = None) -> Membership:
    """A member of the active organization, or 404 (also for another organization's id).

    With an actor, someone who left is a 404 unless the actor may see people who left.
    """
    try:
        member = member_queryset().get(pk=int(member_id))
    except (Membership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such person.") from None
    if (
        actor is not None
        and member.status == MembershipStatus.LEFT
        and not policies.can_view_departed_members(actor)
    ):
        raise Http404("No such person.")
    return member


def _enterable(user: Any) -> Q:
    return Q(user=user, status__in=[MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE])


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    """The organizations a login can enter. Crosses organizations on purpose (org switcher)."""
    return (
        Membership.unscoped.filter(_enterable(user))
        .select_related("organization")
        .order_by("organization__name")
    )


@dataclass(frozen=True)
class LoginOrganization:
    id: int
    name: str
    slug: str


_LOGIN_ORGANIZATIONS = "_login_organizations"


def _login_organizations() -> ArraySubquery:
    """`memberships_for_user` of the outer row's login, as (id, name, slug) in name order."""
    return ArraySubquery(
        Membership.unscoped.filter(_enterable(OuterRef("user_id")))
        .order_by("organization__name")
        .values(
            json=JSONObject(
                id="organization_id", name="organization__name", slug="organization__slug"
            )
        )
    )


def login_organizations(*, membership: Membership) -> list[LoginOrganization]:
    """The organizations the person's login can enter, in name order: brought by the page's
    membership look-up (`with_facts`), or read now."""
    found = getattr(membership, _LOGIN_ORGANIZATIONS, None)
    if found is None:
        found = (
            Membership.unscoped.filter(pk=membership.pk)
            .annotate(found=_login_organizations())
            .values_list("found", flat=True)
            .first()
        ) or []
    return [LoginOrganization(entry["id"], entry["name"], entry["slug"]) for entry in found]


def membership_for_request(*, user: User, slug: str, with_facts: bool = False) -> Membership:
    """The caller's membership in the organization named by the URL, or 404.

    Not being a member, having left, and the organization not existing all look the same.
    `with_facts` (the HTML pages) brings in the same statement what the page layout shows:
    the registered facts about the person (`facts.py`) and the login's organizations.
    """
    if not user.is_authenticated:
        raise Http404("No such organization.")
    found = Membership.unscoped.select_related("organization", "user", "team").filter(
        organization__slug=slug, user=user
    )
    if with_facts:
        found = facts.with_facts(found, **{_LOGIN_ORGANIZATIONS: _login_organizations})
    membership = found.first()
    if membership is None or not membership.can_sign_in:
        raise Http404("No such organization.")
    return membership


def organization_by_slug(*, slug: str) -> Organization:
    try:
        return Organization.objects.get(slug=slug)
    except Organization.DoesNotExist:
        raise Http404("No such organization.") from None


def member_by_email(*, email: str) -> Membership | None:
    """The member of the active organization whose login has this email (any case), with
    their login, manager and team; None when nobody here has it."""
    return (
        Membership.objects.filter(user__email__iexact=email.strip())
        .select_related("user", "manager__user", "team")
        .first()
    )


def direct_reports(*, manager: Membership) -> QuerySet[Membership]:
    """The people who report to this person and are still here (or invited)."""
    return (
        Membership.objects.filter(manager=manager)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("user", "team")
    )


def manager_choices(*, exclude: Membership | None = None) -> QuerySet[Membership]:
    """People who can be chosen as someone's manager: everyone who has not left."""
    people = Membership.objects.exclude(status=MembershipStatus.LEFT).select_related("user")
    if exclude is not None and exclude.pk is not None:
        people = people.exclude(pk=exclude.pk)
    return people


def team_list() -> QuerySet[Team]:
    """Teams with their parent and how many people (not counting those who left) are in each."""
    return Team.objects.select_related("parent").annotate(
        member_count=Count("members", filter=~Q(members__status=MembershipStatus.LEFT))
    )


def team_get(*, team_id: int | str) -> Team:
    """A team of the active organization, or 404 (also for another organization's id)."""
    try:
        return Team.objects.select_related("parent").get(pk=int(team_id))
    except (Team.DoesNotExist, ValueError, TypeError):
        raise Http404("No such team.") from None
