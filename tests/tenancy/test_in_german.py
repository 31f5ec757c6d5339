"""People pages, invitation and notification emails in the organization's language (German
here), and in the reader's own language when they chose one; dates in the one format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from perfmgmt.notifications import services as notifications
from perfmgmt.tenancy import services
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db


@pytest.fixture
def german(org: OrgPeople) -> OrgPeople:
    org.organization.locale = "de"
    org.organization.time_zone = "Europe/Berlin"
    org.organization.save(update_fields=["locale", "time_zone"])
    return org


def page(org: OrgPeople, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"org_slug": org.organization.slug, **kwargs})


def test_the_directory_profile_and_teams_speak_german(german: OrgPeople, client_for) -> None:
    client = client_for(german.hr)
    directory = client.get(page(german, "people:directory")).content.decode()
    assert "<h1>Personen</h1>" in directory
    assert "Stellenbezeichnung" in directory
    assert "Personen</caption>" in directory  # the plural of the count
    profile = client.get(page(german, "people:profile", member_id=german.report.pk))
    text = profile.content.decode()
    assert "Führungskraft" in text
    assert "Direkt unterstellte Personen" in text
    assert "Mitarbeitende Person" in text  # the role's label
    assert "Job title" not in text
    teams = client.get(page(german, "people:teams")).content.decode()
    assert "Team anlegen" in teams
    home = client.get(page(german, "web:home")).content.decode()
    assert f"Hallo, {german.hr.display_name}" in home
    assert "HR-Administration bei" in home


def test_a_refusal_of_the_people_services_is_german(german: OrgPeople, client_for) -> None:
    response = client_for(german.hr).post(
        page(german, "people:edit", member_id=german.manager.pk),
        {"full_name": "Max", "role": "employee", "status": "active", "manager": german.report.pk},
    )
    assert response.status_code == 400
    assert "berichtet bereits an" in response.content.decode()


def test_the_invitation_email_is_german_and_dated_in_the_one_format(
    german: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    with (
        time_machine.travel(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), tick=False),
        organization_scope(german.organization),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.member_invite(actor=german.hr, email="neu@example.com", full_name="Nora Neu")
    message = mail.outbox[-1]
    assert message.subject.endswith(
        f"hat Sie zu {german.organization.name} auf perfmgmt eingeladen"
    )
    assert "Hallo Nora Neu," in message.body
    # 14 days from 2 March in Berlin (already the 2nd there at 23:30 UTC).
    assert "Der Link gilt bis 16. Mär 2026 und nur einmal." in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    assert '<html lang="de">' in html


def test_a_notification_email_follows_its_readers_own_language(
    german: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    german.report.user.language = "en"
    german.report.user.save(update_fields=["language"])
    with organization_scope(german.organization), django_capture_on_commit_callbacks(execute=True):
        for person in (german.report, german.manager):
            notifications.notify(
                recipient=person, kind="test", key=f"test:{person.pk}", title="Hallo", url="/"
            )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Open it in" in by_recipient[german.report.email].body
    assert "In " in by_recipient[german.manager.email].body
    assert "öffnen" in by_recipient[german.manager.email].body
    assert "Open it in" not in by_recipient[german.manager.email].body
