"""Tenant isolation across every organization URL, found by walking the URL configuration.

New endpoints are picked up automatically: every route with `<org_slug>` must be served by
an organization-scoped view, every object id in such a route must answer 404 for another
organization's object (a kwarg this file cannot map to a model fails until it is added to
`OBJECT_KWARGS`), and an organization one is not a member of looks exactly like one that
does not exist. The tenant context is reset after every request and every task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from rest_framework.views import APIView

from goals.models import Goal, GoalUpdate
from perfmgmt.api.base import OrgScopedMixin
from perfmgmt.api.models import ApiCredential, Scope, hash_secret
from perfmgmt.celery import app as celery_app
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import (
    activate_organization,
    clear_organization,
    current_organization_or_none,
    organization_scope,
)
from perfmgmt.tenancy.models import Invitation, Membership, MembershipStatus, Team
from perfmgmt.web.base import OrgView
from tests.audit.isolation import AUDIT_MAKERS, AUDIT_OBJECT_KWARGS
from tests.conftest import OrgPeople, login
from tests.factories import MembershipFactory, TeamFactory
from tests.feedback.isolation import FEEDBACK_MAKERS, FEEDBACK_OBJECT_KWARGS
from tests.feedback.meetings.isolation import MEETING_MAKERS, MEETING_OBJECT_KWARGS
from tests.goals.development.isolation import DEVELOPMENT_MAKERS, DEVELOPMENT_OBJECT_KWARGS
from tests.goals.factories import make_goal_update, make_key_result
from tests.integrations.isolation import INTEGRATIONS_MAKERS, INTEGRATIONS_OBJECT_KWARGS
from tests.privacy.isolation import PRIVACY_MAKERS, PRIVACY_OBJECT_KWARGS
from tests.reviews.isolation import REVIEWS_MAKERS, REVIEWS_OBJECT_KWARGS
from tests.rewards.isolation import REWARDS_MAKERS, REWARDS_OBJECT_KWARGS

ORG_ROUTE_PREFIXES = ("o/", "api/v1/orgs/")
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
MISSING_SLUG = "no-such-organization"


# --- The URL walker ---------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str
    callback: Callable[..., Any]
    kwargs: tuple[str, ...]

    def __str__(self) -> str:
        return self.name or self.route

    @property
    def view_class(self) -> type | None:
        # DRF viewsets keep the class on `.cls`; Django and DRF class views on `.view_class`.
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def is_api(self) -> bool:
        return isinstance(self.view_class, type) and issubclass(self.view_class, APIView)

    @property
    def object_kwargs(self) -> tuple[str, ...]:
        return tuple(kwarg for kwarg in self.kwargs if kwarg != "org_slug")

    @property
    def methods(self) -> list[str]:
        actions = getattr(self.callback, "actions", None)
        if actions is not None:  # a DRF viewset route: only the bound actions answer
            return [method for method in HTTP_METHODS if method in actions]
        # Django answers only the methods named in http_method_names (the others are 405),
        # so a POST-only form view is not asked for the GET it inherits from its base.
        served = getattr(self.view_class, "http_method_names", HTTP_METHODS)
        return [
            method
            for method in HTTP_METHODS
            if method in served and hasattr(self.view_class, method)
        ]


def _pattern_kwargs(entry: URLPattern | URLResolver) -> tuple[str, ...]:
    pattern = entry.pattern
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    return tuple(pattern.regex.groupindex)


def walk(
    patterns: Sequence[URLPattern | URLResolver],
    prefix: str = "",
    namespace: str = "",
    kwargs: tuple[str, ...] = (),
) -> Iterator[Endpoint]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names = kwargs + _pattern_kwargs(entry)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, inner, names)
        else:
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Endpoint(route, name, entry.callback, names)


def org_endpoints() -> list[Endpoint]:
    return [
        endpoint
        for endpoint in walk(get_resolver().url_patterns)
        if "org_slug" in endpoint.kwargs or endpoint.route.startswith(ORG_ROUTE_PREFIXES)
    ]


ORG_ENDPOINTS = org_endpoints()
OBJECT_ENDPOINTS = [endpoint for endpoint in ORG_ENDPOINTS if endpoint.object_kwargs]


def endpoint_params(endpoints: list[Endpoint]) -> list[Any]:
    return [pytest.param(endpoint, id=str(endpoint)) for endpoint in endpoints]


# --- Objects of each kind, per organization ---------------------------------------------

# URL kwarg -> the model whose id it carries. A new object URL needs an entry here.
OBJECT_KWARGS: dict[str, type[models.Model]] = {
    "member_id": Membership,
    "team_id": Team,
    "notification_id": Notification,
    "credential_id": ApiCredential,
    "invitation_id": Invitation,
    "goal_id": Goal,
    "key_result_id": Goal,
    "goal_update_id": GoalUpdate,
    **MEETING_OBJECT_KWARGS,
    **FEEDBACK_OBJECT_KWARGS,
    **DEVELOPMENT_OBJECT_KWARGS,
    **REVIEWS_OBJECT_KWARGS,
    **INTEGRATIONS_OBJECT_KWARGS,
    **AUDIT_OBJECT_KWARGS,
    **PRIVACY_OBJECT_KWARGS,
    **REWARDS_OBJECT_KWARGS,
}


def model_for(endpoint: Endpoint, kwarg: str) -> type[models.Model]:
    if kwarg in OBJECT_KWARGS:
        return OBJECT_KWARGS[kwarg]
    view = endpoint.view_class
    queryset = getattr(view, "queryset", None)
    if kwarg in ("pk", getattr(view, "lookup_url_kwarg", None)) and queryset is not None:
        return queryset.model
    pytest.fail(
        f"{endpoint} ({endpoint.route}) takes `{kwarg}`, which tests/test_isolation.py does "
        "not know: add it to OBJECT_KWARGS (and a maker to MAKERS) so another organization's "
        "id is tried against it."
    )


def make_member(people: OrgPeople) -> Membership:
    return MembershipFactory.create(organization=people.organization, manager=people.owner)


def make_team(people: OrgPeople) -> Team:
    return TeamFactory.create(organization=people.organization)


def make_notification(people: OrgPeople) -> Notification:
    with organization_scope(people.organization):
        return Notification.objects.create(
            recipient=people.owner,
            kind="test",
            key=f"isolation:{Notification.objects.count()}",
            title="Something happened",
            url="/",
        )


def make_credential(people: OrgPeople, scopes: Sequence[str] = ()) -> tuple[ApiCredential, str]:
    prefix, key = ApiCredential.generate_key()
    with organization_scope(people.organization):
        credential = ApiCredential.objects.create(
            name=f"Sync {prefix}",
            prefix=prefix,
            key_hash=hash_secret(key),
            scopes=list(scopes),
            created_by=people.owner,
        )
    return credential, key


def make_invitation(people: OrgPeople) -> Invitation:
    member = MembershipFactory.create(
        organization=people.organization, status=MembershipStatus.INVITED
    )
    with organization_scope(people.organization):
        return Invitation.objects.create(
            membership=member,
            email=member.user.email,
            token_hash=hash_secret(f"token-{member.pk}"),
            invited_by=people.owner,
            expires_at=timezone.now() + timedelta(days=7),
        )


MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    Membership: make_member,
    Team: make_team,
    Notification: make_notification,
    ApiCredential: lambda people: make_credential(people)[0],
    Invitation: make_invitation,
    Goal: make_key_result,
    GoalUpdate: make_goal_update,
    **MEETING_MAKERS,
    **FEEDBACK_MAKERS,
    **DEVELOPMENT_MAKERS,
    **REVIEWS_MAKERS,
    **INTEGRATIONS_MAKERS,
    **AUDIT_MAKERS,
    **PRIVACY_MAKERS,
    **REWARDS_MAKERS,
}


def objects_for(endpoint: Endpoint, people: OrgPeople) -> dict[str, models.Model]:
    """A fresh object per id in the route, made in `people`'s organization."""
    found = {}
    for kwarg in endpoint.object_kwargs:
        model = model_for(endpoint, kwarg)
        if model not in MAKERS:
            pytest.fail(f"{endpoint}: add a maker for {model._meta.label} to MAKERS.")
        found[kwarg] = MAKERS[model](people)
    return found


def snapshot(people: OrgPeople, objects: dict[str, models.Model]) -> list[dict[str, Any]]:
    with organization_scope(people.organization):
        return [
            type(obj)._default_manager.filter(pk=obj.pk).values().get() for obj in objects.values()
        ]


def url_for(endpoint: Endpoint, slug: str, objects: dict[str, models.Model]) -> str:
    kwargs: dict[str, Any] = {kwarg: obj.pk for kwarg, obj in objects.items()}
    return reverse(endpoint.name, kwargs={"org_slug": slug, **kwargs})


# --- Callers ------------------------------------------------------------------------------


@dataclass
class Caller:
    client: Client
    headers: dict[str, str]

    def request(self, endpoint: Endpoint, method: str, url: str) -> Any:
        if endpoint.is_api:
            return self.client.generic(
                method.upper(), url, "{}", content_type="application/json", headers=self.headers
            )
        data = "" if method == "get" else "next="
        return self.client.generic(
            method.upper(),
            url,
            data,
            content_type="application/x-www-form-urlencoded",
            headers=self.headers,
        )


def owner_session(people: OrgPeople) -> Caller:
    return Caller(login(Client(), people.owner), {})


def credential_caller(people: OrgPeople) -> Caller:
    _, key = make_credential(people, scopes=[scope.value for scope in Scope])
    return Caller(Client(), {"Authorization": f"Bearer {key}"})


def callers_for(endpoint: Endpoint) -> list[str]:
    return ["session", "credential"] if endpoint.is_api else ["session"]


CALLERS: dict[str, Callable[[OrgPeople], Caller]] = {
    "session": owner_session,
    "credential": credential_caller,
}

OBJECT_CASES = [
    pytest.param(endpoint, caller, id=f"{endpoint}-{caller}")
    for endpoint in OBJECT_ENDPOINTS
    for caller in callers_for(endpoint)
]
ORG_CASES = [
    pytest.param(endpoint, caller, id=f"{endpoint}-{caller}")
    for endpoint in ORG_ENDPOINTS
    for caller in callers_for(endpoint)
]


# --- The walker finds what it must --------------------------------------------------------


def test_the_walker_finds_the_organization_pages_and_api() -> None:
    names = {endpoint.name for endpoint in ORG_ENDPOINTS}
    assert {"web:home", "people:profile", "api:member-detail"} <= names
    assert "people:profile" in {endpoint.name for endpoint in OBJECT_ENDPOINTS}


@pytest.mark.parametrize("endpoint", endpoint_params(ORG_ENDPOINTS))
def test_every_organization_route_is_named_and_takes_the_org_slug(endpoint: Endpoint) -> None:
    assert endpoint.name, f"{endpoint.route} has no URL name"
    assert "org_slug" in endpoint.kwargs


@pytest.mark.parametrize("endpoint", endpoint_params(ORG_ENDPOINTS))
def test_every_organization_route_is_served_by_an_organization_scoped_view(
    endpoint: Endpoint,
) -> None:
    view = endpoint.view_class
    assert isinstance(view, type), f"{endpoint} is a function view; use OrgView or OrgAPIView"
    if issubclass(view, APIView):
        assert issubclass(view, OrgScopedMixin), f"{endpoint}: {view} is not an Org* API view"
        for method in ("initial", "perform_authentication", "resolve_organization"):
            owner = next(klass for klass in view.__mro__ if method in vars(klass))
            assert owner.__module__ == "perfmgmt.api.base", (
                f"{view.__name__} overrides {method}() (in {owner.__qualname__}), where the "
                "organization is resolved"
            )
    else:
        assert issubclass(view, OrgView), f"{endpoint}: {view} is not an OrgView"
        assert view.dispatch is OrgView.dispatch, f"{view.__name__} overrides dispatch()"


# --- Another organization's object --------------------------------------------------------


@pytest.mark.parametrize(("endpoint", "caller_kind"), OBJECT_CASES)
def test_another_organizations_object_is_not_found(
    endpoint: Endpoint, caller_kind: str, org: OrgPeople, other_org: OrgPeople
) -> None:
    caller = CALLERS[caller_kind](org)
    theirs = objects_for(endpoint, other_org)
    before = snapshot(other_org, theirs)
    url = url_for(endpoint, org.organization.slug, theirs)

    for method in endpoint.methods:
        response = caller.request(endpoint, method, url)
        assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code}"

    assert snapshot(other_org, theirs) == before, "another organization's object changed"


@pytest.mark.parametrize(("endpoint", "caller_kind"), OBJECT_CASES)
def test_the_same_route_finds_an_object_of_ones_own_organization(
    endpoint: Endpoint, caller_kind: str, org: OrgPeople
) -> None:
    """The control for the test above: the 404 comes from the organization, not the route."""
    caller = CALLERS[caller_kind](org)
    ours = objects_for(endpoint, org)
    method = "get" if "get" in endpoint.methods else endpoint.methods[0]
    response = caller.request(endpoint, method, url_for(endpoint, org.organization.slug, ours))
    assert response.status_code != 404


# --- Organizations one does not belong to -------------------------------------------------


def _normalized(response: Any, slug: str) -> tuple[int, bytes, str]:
    body = response.content.replace(slug.encode(), b"<slug>")
    location = response.headers.get("Location", "").replace(slug, "<slug>")
    return response.status_code, body, location


@pytest.mark.parametrize(("endpoint", "caller_kind"), ORG_CASES)
def test_an_organization_one_is_not_a_member_of_looks_like_one_that_does_not_exist(
    endpoint: Endpoint, caller_kind: str, org: OrgPeople, other_org: OrgPeople
) -> None:
    caller = CALLERS[caller_kind](org)
    theirs = objects_for(endpoint, other_org)
    foreign_slug = other_org.organization.slug
    for method in endpoint.methods:
        foreign = caller.request(endpoint, method, url_for(endpoint, foreign_slug, theirs))
        missing = caller.request(endpoint, method, url_for(endpoint, MISSING_SLUG, theirs))
        assert foreign.status_code == 404, f"{method.upper()} {endpoint}"
        assert _normalized(foreign, foreign_slug) == _normalized(missing, MISSING_SLUG)


@pytest.mark.parametrize("endpoint", endpoint_params(ORG_ENDPOINTS))
def test_an_anonymous_visitor_learns_nothing_about_which_organizations_exist(
    endpoint: Endpoint, org: OrgPeople
) -> None:
    objects = objects_for(endpoint, org)
    caller = Caller(Client(), {})
    method = endpoint.methods[0]
    slug = org.organization.slug
    existing = caller.request(endpoint, method, url_for(endpoint, slug, objects))
    missing = caller.request(endpoint, method, url_for(endpoint, MISSING_SLUG, objects))
    assert existing.status_code in (302, 401, 403, 404)
    assert _normalized(existing, slug) == _normalized(missing, MISSING_SLUG)


def test_someone_who_left_an_organization_gets_the_same_404_as_a_stranger(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.colleague.pk).update(status=MembershipStatus.LEFT)
    client = client_for(org.colleague)
    left = client.get(reverse("web:home", kwargs={"org_slug": org.organization.slug}))
    missing = client.get(reverse("web:home", kwargs={"org_slug": MISSING_SLUG}))
    assert left.status_code == 404
    assert _normalized(left, org.organization.slug) == _normalized(missing, MISSING_SLUG)


# --- The tenant context is reset ----------------------------------------------------------


def test_no_organization_is_active_after_a_page_request(
    org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    response = client_for(org.owner).get(
        reverse("people:directory", kwargs={"org_slug": org.organization.slug})
    )
    assert response.status_code == 200
    assert current_organization_or_none() is None


def test_no_organization_is_active_after_a_request_that_ends_in_404(
    org: OrgPeople, other_org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    url = reverse(
        "people:profile",
        kwargs={"org_slug": org.organization.slug, "member_id": other_org.report.pk},
    )
    assert client_for(org.owner).get(url).status_code == 404
    assert current_organization_or_none() is None


def test_no_organization_is_active_after_an_api_request(org: OrgPeople) -> None:
    caller = credential_caller(org)
    url = reverse("api:member-list", kwargs={"org_slug": org.organization.slug})
    response = caller.client.get(url, headers=caller.headers)
    assert response.status_code == 200
    assert current_organization_or_none() is None


def test_a_request_gives_back_the_scope_that_was_active_before_it(
    org: OrgPeople, other_org: OrgPeople, client_for: Callable[[Membership], Client]
) -> None:
    with organization_scope(other_org.organization):
        response = client_for(org.owner).get(
            reverse("people:directory", kwargs={"org_slug": org.organization.slug})
        )
        assert current_organization_or_none() == other_org.organization
    assert response.status_code == 200
    assert other_org.owner.display_name.encode() not in response.content
    assert current_organization_or_none() is None


# --- Celery tasks -------------------------------------------------------------------------

seen_by_task: list[object] = []


@celery_app.task(name="tests.isolation.leaky_task")
def leaky_task(organization_id: int | None = None, fail: bool = False) -> None:
    """Records the organization it started with, then activates one and never resets it."""
    from perfmgmt.tenancy.models import Organization

    seen_by_task.append(current_organization_or_none())
    if organization_id is not None:
        activate_organization(Organization.objects.get(pk=organization_id))
    if fail:
        raise RuntimeError("the task failed")


@pytest.fixture
def task_log() -> Iterator[list[object]]:
    seen_by_task.clear()
    yield seen_by_task
    seen_by_task.clear()


def test_a_task_that_forgets_to_reset_its_organization_leaves_none_active(
    org: OrgPeople, task_log: list[object]
) -> None:
    leaky_task.apply(args=(org.organization.pk,))
    assert task_log == [None]
    assert current_organization_or_none() is None


def test_a_failing_task_leaves_no_organization_active(
    org: OrgPeople, task_log: list[object]
) -> None:
    result = leaky_task.apply(args=(org.organization.pk,), kwargs={"fail": True}, throw=False)
    assert result.failed()
    assert current_organization_or_none() is None


def test_a_task_never_starts_with_an_organization_left_active_in_its_thread(
    org: OrgPeople, other_org: OrgPeople, task_log: list[object]
) -> None:
    activate_organization(other_org.organization)  # a leak from earlier work on this thread
    try:
        leaky_task.apply()
    finally:
        clear_organization()
    assert task_log == [None]


def test_a_task_run_eagerly_inside_a_scope_gives_the_scope_back(
    org: OrgPeople, task_log: list[object]
) -> None:
    with organization_scope(org.organization):
        leaky_task.apply()
        assert current_organization_or_none() == org.organization
    assert task_log == [None]
