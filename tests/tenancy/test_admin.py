"""The Django admin, as the operator (a superuser) uses it: every registered model's list, add
and change page opens, and every tenant model's admin derives from the one base that reads
across organizations on purpose (security issue 8, item 11)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from feedback.models import CheckInCadence
from perfmgmt.accounts.models import User
from perfmgmt.tenancy.admin import ReadOnlyTenantAdmin
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from perfmgmt.tenancy.scoping import TenantModel
from tests.conftest import OrgPeople
from tests.factories import UserFactory
from tests.test_isolation import MAKERS

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def make_cadence(people: OrgPeople) -> CheckInCadence:
    with organization_scope(people.organization):
        return CheckInCadence.objects.create(team=people.owner.team, updated_by=people.owner)


def make_periodic_task(people: OrgPeople) -> PeriodicTask:
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    return PeriodicTask.objects.create(name="Sweep", task="tests.sweep", interval=interval)


# Objects of the models that tests/test_isolation.py has no maker for (global ones mostly).
def make_social_app(people: OrgPeople) -> SocialApp:
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id=f"org-{people.organization.pk}",
        name="Company sign-in",
        client_id="client",
        secret="secret",
    )


def make_social_account(people: OrgPeople) -> SocialAccount:
    return SocialAccount.objects.create(
        user=people.report.user, provider="openid_connect", uid=f"uid-{people.report.pk}"
    )


ADMIN_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    **MAKERS,
    CheckInCadence: make_cadence,
    Organization: lambda people: people.organization,
    User: lambda people: people.report.user,
    Group: lambda people: Group.objects.create(name="Operators"),
    EmailAddress: lambda people: EmailAddress.objects.create(
        user=people.report.user, email=people.report.user.email, verified=True, primary=True
    ),
    Authenticator: lambda people: Authenticator.objects.create(
        user=people.report.user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"}
    ),
    SocialApp: lambda people: make_social_app(people),
    SocialAccount: lambda people: make_social_account(people),
    SocialToken: lambda people: SocialToken.objects.create(
        app=make_social_app(people), account=make_social_account(people), token="token"
    ),
    PeriodicTask: make_periodic_task,
    IntervalSchedule: lambda people: IntervalSchedule.objects.create(every=5, period="minutes"),
    CrontabSchedule: lambda people: CrontabSchedule.objects.create(minute="0", hour="7"),
    SolarSchedule: lambda people: SolarSchedule.objects.create(
        event="sunrise", latitude=52.5, longitude=13.4
    ),
    ClockedSchedule: lambda people: ClockedSchedule.objects.create(
        clocked_time=timezone.now() + timedelta(days=1)
    ),
}


@pytest.fixture
def operator() -> Client:
    client = Client(raise_request_exception=False)
    user = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def admin_url(model: type[models.Model], page: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.mark.parametrize(
    "model", [pytest.param(model, id=model._meta.label) for model, _ in REGISTERED]
)
def test_every_admin_page_of_every_registered_model_opens_for_a_superuser(
    model: type[models.Model], org: OrgPeople, operator: Client
) -> None:
    if model not in ADMIN_MAKERS:
        pytest.fail(f"Add a maker for {model._meta.label} to ADMIN_MAKERS.")
    obj = ADMIN_MAKERS[model](org)

    listing = operator.get(admin_url(model, "changelist"))
    adding = operator.get(admin_url(model, "add"))
    page = operator.get(admin_url(model, "change", obj.pk))

    assert listing.status_code == 200
    assert adding.status_code in (200, 403)  # tenant rows are read-only here
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("model", "model_admin"),
    [
        pytest.param(model, model_admin, id=model._meta.label)
        for model, model_admin in REGISTERED
        if issubclass(model, TenantModel)
    ],
)
def test_every_tenant_model_admin_derives_from_the_read_only_tenant_admin(
    model: type[models.Model],
    model_admin: admin.ModelAdmin,
) -> None:
    assert isinstance(model_admin, ReadOnlyTenantAdmin), (
        f"{type(model_admin).__name__} ({model._meta.label}) must derive from "
        "perfmgmt.tenancy.admin.ReadOnlyTenantAdmin"
    )


def test_a_change_page_is_built_in_the_objects_own_organization(
    org: OrgPeople, other_org: OrgPeople, operator: Client
) -> None:
    """Whatever the form reads through a scoped manager (a foreign key's choices) is the
    object's organization's, never another one's and never a "no active organization"."""
    cadence = make_cadence(org)
    seen: list[object] = []
    model_admin = admin.site._registry[CheckInCadence]
    original = type(model_admin).get_form

    def get_form(self: Any, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        form = original(self, request, obj, **kwargs)
        team = form.base_fields.get("team")
        seen.extend(team.queryset if team is not None else [])  # type: ignore[attr-defined]
        return form

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(model_admin), "get_form", get_form)
        page = operator.get(admin_url(CheckInCadence, "change", cadence.pk))

    assert page.status_code == 200
    assert seen
    assert set(seen) == {org.owner.team}
    assert other_org.owner.team not in seen


def test_an_unknown_id_on_a_change_page_is_not_a_500(operator: Client) -> None:
    for object_id in ("999999", "not-a-number"):
        response = operator.get(admin_url(CheckInCadence, "change", object_id))
        assert response.status_code == 302  # the admin's "doesn't exist" message
