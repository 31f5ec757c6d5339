"""Development plan pages, messages and reminders in the reader's language and time zone.

The organization is in Asia/Kathmandu (UTC+05:45): 20:11 UTC on 2 December is 01:56 on
3 December there, so a day shown in UTC is obvious.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from goals.development import reminders, services
from goals.development.models import DevelopmentPlan
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import make_competency, make_plan

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]

MOMENT = datetime.datetime(2026, 12, 2, 20, 11, tzinfo=datetime.UTC)


def in_kathmandu(org: OrgPeople, language: str = "en") -> OrgPeople:
    org.organization.time_zone = "Asia/Kathmandu"
    org.organization.locale = language
    org.organization.save(update_fields=["time_zone", "locale"])
    return org


def page(org: OrgPeople, name: str, *args: int) -> str:
    return reverse(f"development:{name}", args=[org.organization.slug, *args])


@pytest.fixture
def agreed_plan(org: OrgPeople) -> DevelopmentPlan:
    """Submitted, commented and agreed at 20:11 UTC, with an objective, a competency and an
    action."""
    competency = make_competency(org)
    plan = make_plan(org)
    with organization_scope(org.organization), time_machine.travel(MOMENT, tick=False):
        services.objective_add(
            actor=org.report, plan=plan, title="Run the architecture review", competency=competency
        )
        services.plan_competency_set(
            actor=org.report, plan=plan, competency=competency, target_level=None
        )
        services.action_create(
            actor=org.report,
            plan=plan,
            kind="mentoring",
            title="Pair with Max",
            due_date=datetime.date(2026, 12, 20),
        )
        services.plan_submit(actor=org.report, plan=plan)
        services.plan_agree(actor=org.manager, plan=plan, comment="Good plan")
        plan.refresh_from_db()
    return plan


def test_a_plan_shows_its_days_on_the_organizations_clock(
    org: OrgPeople, client_for: ClientFor, agreed_plan: DevelopmentPlan
) -> None:
    in_kathmandu(org)
    text = client_for(org.report).get(page(org, "plan", agreed_plan.pk)).content.decode()
    assert "Agreed by Max Manager (acme) on 3 Dec 2026" in text
    assert "Max Manager (acme), 3 Dec 2026" in text  # the comment
    assert "20 Dec 2026" in text  # the action's due day
    assert "1 Jan 2026 to 31 Dec 2026" in text  # the period
    assert "2 Dec 2026" not in text
    assert "20:11" not in text


def test_the_plan_pages_are_in_german_for_a_german_organization(
    org: OrgPeople, client_for: ClientFor, agreed_plan: DevelopmentPlan
) -> None:
    in_kathmandu(org, "de")
    client = client_for(org.report)
    plan = client.get(page(org, "plan", agreed_plan.pk)).content.decode()
    for german in (
        "Mein Entwicklungsplan für 2026",
        "Zusammenfassung",
        "Entwicklungsziele",
        "Zu entwickelnde Kompetenzen",
        "Maßnahmen",
        "Plan bearbeiten",
        "Plan abschließen",
        "Vereinbart von Max Manager (acme) am 3. Dez 2026",
        "1. Jan 2026 bis 31. Dez 2026",
        "20. Dez 2026",
        "Mentoring",
        "Vereinbart",  # the plan's status
    ):
        assert german in plan, german
    for english in (
        "My development plan",
        "Summary",
        "Development objectives",
        "Competencies to build",
        "Edit plan",
        "Close plan",
        "Agreed by",
        "Add an objective",
        "Not started",
    ):
        assert english not in plan, english
    home = client.get(page(org, "home")).content.decode()
    for german in ("Entwicklungspläne", "Meine Pläne", "Plan beginnen", "Kompetenzmodell"):
        assert german in home, german
    for english in ("My plans", "Start a plan", "Competency framework", ">Period<"):
        assert english not in home, english
    framework = client.get(page(org, "framework")).content.decode()
    assert "Kompetenzmodell" in framework
    assert "Competency framework" not in framework


def test_a_refused_plan_change_explains_itself_in_german(
    org: OrgPeople, client_for: ClientFor
) -> None:
    in_kathmandu(org, "de")
    make_plan(org)
    response = client_for(org.report).post(
        page(org, "plan_create"),
        {
            "person": org.report.pk,
            "period": "2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 409
    assert "Für diesen Zeitraum gibt es bereits einen Plan." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        (
            "en",
            "1 development plan waits for your agreement",
            "2 development plans wait for your agreement",
        ),
        (
            "de",
            "1 Entwicklungsplan wartet auf Ihre Zustimmung",
            "2 Entwicklungspläne warten auf Ihre Zustimmung",
        ),
    ],
)
def test_the_home_page_counts_plans_to_agree_in_the_readers_language(
    org: OrgPeople, client_for: ClientFor, language: str, one: str, two: str
) -> None:
    in_kathmandu(org, language)
    home = reverse("web:home", args=[org.organization.slug])
    with organization_scope(org.organization):
        services.plan_submit(actor=org.report, plan=make_plan(org))
    assert one in client_for(org.manager).get(home).content.decode()
    with organization_scope(org.organization):
        services.plan_submit(actor=org.report2, plan=make_plan(org, person=org.report2))
    assert two in client_for(org.manager).get(home).content.decode()


def test_the_waiting_reminder_names_the_day_in_the_managers_zone_and_language(
    org: OrgPeople,
) -> None:
    in_kathmandu(org, "de")
    plan = make_plan(org)
    with organization_scope(org.organization):
        with time_machine.travel(MOMENT, tick=False):
            services.plan_submit(actor=org.report, plan=plan)
        with translation.override("en"):
            later = MOMENT + datetime.timedelta(days=8)
            assert reminders.development_plan_waiting(org.organization, later) == 1
        sent = Notification.objects.get(kind="development-plan-waiting")
        asked = Notification.objects.get(kind="development-plan-submitted")
    assert sent.title == "Der Entwicklungsplan von Rita Report (acme) wartet auf Ihre Zustimmung"
    assert sent.body.startswith("Eingereicht am 3. Dez 2026.")
    assert asked.title == (
        "Rita Report (acme) bittet Sie, dem Entwicklungsplan für 2026 zuzustimmen"
    )


def test_the_overdue_reminder_is_in_the_owners_own_language(org: OrgPeople) -> None:
    in_kathmandu(org, "de")
    org.report.user.language = "en"
    org.report.user.save(update_fields=["language"])
    plan = make_plan(org)
    with organization_scope(org.organization):
        services.action_create(
            actor=org.report,
            plan=plan,
            kind="reading",
            title="Read the book",
            due_date=datetime.date(2026, 3, 1),
        )
        with translation.override("de"):
            local_now = datetime.datetime(2026, 3, 2, 9, tzinfo=org.organization.zone)
            assert reminders.development_action_overdue(org.organization, local_now) == 1
        sent = Notification.objects.get(kind="development-action-overdue")
    assert sent.title == "“Read the book” was due on 1 Mar 2026"
