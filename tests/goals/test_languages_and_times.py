"""Goal pages, messages and reminders in the reader's language and time zone.

The organization is in Asia/Kathmandu (UTC+05:45): 20:11 UTC on 2 December is 01:56 on
3 December there, so a time or a day shown in UTC is obvious.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from goals import services
from goals.models import Goal
from goals.reminders import goal_not_updated
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import create_goal, post_update

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]

MOMENT = datetime.datetime(2026, 12, 2, 20, 11, tzinfo=datetime.UTC)


def in_kathmandu(org: OrgPeople, language: str = "en") -> OrgPeople:
    org.organization.time_zone = "Asia/Kathmandu"
    org.organization.locale = language
    org.organization.save(update_fields=["time_zone", "locale"])
    return org


def page(org: OrgPeople, name: str, **kwargs: object) -> str:
    return reverse(f"goals:{name}", kwargs={"org_slug": org.organization.slug, **kwargs})


@pytest.fixture
def goal_with_history(org: OrgPeople) -> Goal:
    """Agreed, updated and changed after agreement (a revision), all at 20:11 UTC."""
    with time_machine.travel(MOMENT, tick=False):
        goal = create_goal(org.report, title="Cut the build time", unit="min")
        with organization_scope(org.organization):
            goal = services.goal_agree(actor=org.manager, goal=goal)
        goal = post_update(org.report, goal, value=Decimal("40"), comment="Cache is in")
        with organization_scope(org.organization):
            goal = services.goal_update(actor=org.report, goal=goal, target_value=Decimal("120"))
    return goal


def test_a_goals_page_shows_its_times_on_the_organizations_clock(
    org: OrgPeople, client_for: ClientFor, goal_with_history: Goal
) -> None:
    in_kathmandu(org)
    html = client_for(org.manager).get(page(org, "detail", goal_id=goal_with_history.pk))
    text = html.content.decode()
    assert "3 Dec 2026, 01:56" in text  # the update in the history
    assert "Until 3 Dec 2026" in text  # the earlier agreed version
    assert "3 Dec 2026: 40%" in text  # the chart point's label
    assert "20:11" not in text
    assert "2 Dec 2026" not in text


def test_a_goal_list_shows_the_last_update_on_the_organizations_day(
    org: OrgPeople, client_for: ClientFor, goal_with_history: Goal
) -> None:
    in_kathmandu(org)
    text = client_for(org.report).get(page(org, "mine")).content.decode()
    assert "Cut the build time" in text
    assert "3 Dec 2026" in text
    assert "2 Dec 2026" not in text
    assert "20:11" not in text


def test_an_agreed_goal_shows_the_day_of_agreement_on_the_organizations_clock(
    org: OrgPeople, client_for: ClientFor
) -> None:
    in_kathmandu(org)
    with time_machine.travel(MOMENT, tick=False):
        goal = create_goal(org.report)
        with organization_scope(org.organization):
            services.goal_agree(actor=org.manager, goal=goal)
    text = client_for(org.report).get(page(org, "detail", goal_id=goal.pk)).content.decode()
    assert "Agreed by Max Manager (acme) on 3 Dec 2026" in text


def test_the_goal_pages_are_in_german_for_a_german_organization(
    org: OrgPeople, client_for: ClientFor, goal_with_history: Goal
) -> None:
    in_kathmandu(org, "de")
    client = client_for(org.report)
    detail = client.get(page(org, "detail", goal_id=goal_with_history.pk)).content.decode()
    for german in (
        "Über dieses Ziel",
        "Verlauf",
        "Aktualisierung eintragen",
        "Ziele, die darauf einzahlen",
        "Ziel bearbeiten",
        "Meine Ziele",
        "Neues Ziel",
        "Inhaber:in",
        "Früher vereinbarte Fassungen",
        "3. Dez 2026, 01:56",
        "Auf Kurs",  # the confidence "On track"
    ):
        assert german in detail, german
    # The chart's coordinates are not localized: points, never decimal commas.
    assert re.search(
        r'<circle class="goal-chart-point" cx="[0-9]+(\.[0-9]+)?" cy="[0-9]+(\.[0-9]+)?"', detail
    )
    assert "300,0" not in detail
    for english in (
        "About this goal",
        "History",
        "Post an update",
        "Post update",
        "Goals supporting it",
        "Edit goal",
        "My goals",
        "New goal",
        "Earlier agreed versions",
        "On track",
        "Awaiting agreement",
    ):
        assert english not in detail, english
    listing = client.get(page(org, "mine")).content.decode()
    for german in ("Meine Ziele", "Letzte Aktualisierung", "Fällig", "Filtern", "3. Dez 2026"):
        assert german in listing, german
    for english in ("Last update", "Any status", ">Filter<", ">Due<"):
        assert english not in listing, english
    form = client.get(page(org, "create")).content.decode()
    for german in ("Ziel vorschlagen", "Abbrechen", "Zielwert", "Wer kann es lesen"):
        assert german in form, german
    assert "Propose goal" not in form
    assert "Target value" not in form


def test_a_refused_goal_explains_itself_in_german(org: OrgPeople, client_for: ClientFor) -> None:
    in_kathmandu(org, "de")
    response = client_for(org.report).post(
        page(org, "create"),
        {
            "owner_kind": "person",
            "owner_person": org.report.pk,
            "title": "Cut costs",
            "goal_type": "quantitative",
            "weight": "1",
            "visibility": "team",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Für ein quantitatives Ziel erforderlich." in text
    assert "Required for a quantitative goal." not in text


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 goal waits for your agreement", "2 goals wait for your agreement"),
        ("de", "1 Ziel wartet auf Ihre Zustimmung", "2 Ziele warten auf Ihre Zustimmung"),
    ],
)
def test_the_home_page_counts_goals_to_agree_in_the_readers_language(
    org: OrgPeople, client_for: ClientFor, language: str, one: str, two: str
) -> None:
    in_kathmandu(org, language)
    home = reverse("web:home", args=[org.organization.slug])
    create_goal(org.report, title="First")
    assert one in client_for(org.manager).get(home).content.decode()
    create_goal(org.report2, title="Second")
    assert two in client_for(org.manager).get(home).content.decode()


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "Assigned “Learn SQL” to 1 person.", "Assigned “Learn SQL” to 2 people."),
        (
            "de",
            "„Learn SQL“ wurde 1 Person zugewiesen.",
            "„Learn SQL“ wurde 2 Personen zugewiesen.",
        ),
    ],
)
def test_assigning_to_many_counts_the_people_in_the_readers_language(
    org: OrgPeople, client_for: ClientFor, language: str, one: str, two: str
) -> None:
    in_kathmandu(org, language)
    fields = {"title": "Learn SQL", "goal_type": "learning", "weight": "1", "visibility": "team"}
    for people, said in (([org.report.pk], one), ([org.report.pk, org.report2.pk], two)):
        response = client_for(org.manager).post(page(org, "assign"), {**fields, "people": people})
        assert [str(message) for message in get_messages(response.wsgi_request)] == [said]


def test_the_not_updated_reminder_names_the_day_in_the_owners_language_and_zone(
    org: OrgPeople, goal_with_history: Goal
) -> None:
    in_kathmandu(org, "de")
    with organization_scope(org.organization):
        goal = services.goal_agree(actor=org.manager, goal=goal_with_history)
        assert goal.is_agreed
        # The person chose English for themselves; the organization speaks German.
        org.report.user.language = "en"
        org.report.user.save(update_fields=["language"])
        with translation.override("de"):
            assert goal_not_updated(org.organization, MOMENT + datetime.timedelta(days=15)) == 1
        sent = Notification.objects.get(kind="goal-not-updated")
    assert sent.title == "Update your goal “Cut the build time”"
    assert "Its last update was on 3 Dec 2026." in sent.body


def test_the_not_updated_reminder_is_german_for_a_german_reader(
    org: OrgPeople, goal_with_history: Goal
) -> None:
    in_kathmandu(org, "de")
    with organization_scope(org.organization):
        services.goal_agree(actor=org.manager, goal=goal_with_history)
        with translation.override("en"):
            goal_not_updated(org.organization, MOMENT + datetime.timedelta(days=15))
        sent = Notification.objects.get(kind="goal-not-updated")
    assert sent.title == "Aktualisieren Sie Ihr Ziel „Cut the build time“"
    assert "3. Dez 2026" in sent.body


def test_asking_to_agree_again_is_written_in_the_recipients_language(
    org: OrgPeople, goal_with_history: Goal
) -> None:
    in_kathmandu(org, "de")
    with organization_scope(org.organization):
        sent = Notification.objects.get(kind="goal-agreement-asked")
    # Written when the report changed the agreed goal, for the manager who agreed it:
    # the manager reads the organization's language whatever the request spoke.
    assert sent.recipient_id == org.manager.pk
    assert "changed the agreed goal" in sent.title  # written before the org chose German

    with organization_scope(org.organization):
        goal = services.goal_agree(actor=org.manager, goal=goal_with_history)
        with translation.override("en"):
            services.goal_update(actor=org.report, goal=goal, target_value=Decimal("130"))
        again = Notification.objects.filter(kind="goal-agreement-asked").latest("id")
    assert again.title == (
        "Rita Report (acme) hat das vereinbarte Ziel „Cut the build time“ geändert: "
        "Bitte stimmen Sie erneut zu"
    )


def test_a_measure_is_written_with_the_readers_decimal_comma_but_typed_with_a_point(
    org: OrgPeople, client_for: ClientFor
) -> None:
    in_kathmandu(org, "de")
    goal = create_goal(
        org.report, start_value=Decimal("0.5"), target_value=Decimal("2.5"), unit="h"
    )
    client = client_for(org.report)
    detail = client.get(page(org, "detail", goal_id=goal.pk)).content.decode()
    assert "von 0,5 auf 2,5 h" in detail
    assert 'name="value" value="0.5"' in detail  # the update form's input stays parseable
    edit = client.get(page(org, "edit", goal_id=goal.pk)).content.decode()
    assert 'value="2.5"' in edit
    org.organization.locale = "en"
    org.organization.save(update_fields=["locale"])
    assert "from 0.5 to 2.5 h" in client.get(page(org, "detail", goal_id=goal.pk)).content.decode()
