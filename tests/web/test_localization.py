"""Which language and time zone a reader gets: their own choice, else the organization's,
else the browser's (outside any organization). Pages, the API and emails ask one place."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from perfmgmt.localization import (
    format_day,
    format_moment,
    format_weekday,
    reader_language,
    reader_locale,
    reader_time_zone,
)
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Role
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# 20:11 UTC is 21:11 in Berlin in winter.
MOMENT = datetime.datetime(2026, 12, 2, 20, 11, tzinfo=datetime.UTC)


def german(org: OrgPeople) -> OrgPeople:
    org.organization.locale = "de"
    org.organization.save(update_fields=["locale"])
    return org


def test_an_organizations_pages_are_in_its_language(org: OrgPeople, client_for) -> None:
    german(org)
    response = client_for(org.report).get(f"/o/{org.organization.slug}/")
    html = response.content.decode()
    assert response.headers["Content-Language"] == "de"
    assert '<html lang="de">' in html
    assert ">Ziele<" in html  # the navigation entry "Goals"


def test_a_persons_own_language_comes_before_the_organizations(org: OrgPeople, client_for):
    german(org)
    org.report.user.language = "en"
    org.report.user.save(update_fields=["language"])
    html = client_for(org.report).get(f"/o/{org.organization.slug}/").content.decode()
    assert '<html lang="en">' in html
    assert ">Goals<" in html
    # A colleague in the same organization who chose nothing reads German.
    html = client_for(org.manager).get(f"/o/{org.organization.slug}/").content.decode()
    assert '<html lang="de">' in html


def test_each_organization_of_one_login_speaks_its_own_language(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    german(org)
    MembershipFactory.create(organization=other_org.organization, user=org.report.user)
    client = client_for(org.report)
    assert ">Ziele<" in client.get(f"/o/{org.organization.slug}/").content.decode()
    # Nothing carries over to the next request on the same thread.
    english = client.get(f"/o/{other_org.organization.slug}/")
    assert english.headers["Content-Language"] == "en"
    assert ">Goals<" in english.content.decode()


def test_outside_an_organization_the_browser_decides_until_the_person_chooses(
    org: OrgPeople, client_for
) -> None:
    anonymous = Client(headers={"accept-language": "de-AT,de;q=0.9"})
    assert anonymous.get("/accounts/login/").headers["Content-Language"] == "de"
    client = client_for(org.report)
    page = client.get("/preferences/", headers={"accept-language": "en"})
    assert "Save preferences" in page.content.decode()
    org.report.user.language = "de"
    org.report.user.save(update_fields=["language"])
    page = client.get("/preferences/", headers={"accept-language": "en"})
    assert "Einstellungen speichern" in page.content.decode()


def test_a_person_sets_their_own_language_and_time_zone(org: OrgPeople, client_for) -> None:
    client = client_for(org.report)
    response = client.post("/preferences/", {"language": "de", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    org.report.user.refresh_from_db()
    assert (org.report.user.language, org.report.user.time_zone) == ("de", "Asia/Tokyo")
    # The page after saving is already in the chosen language.
    assert "Persönliche Einstellungen" in client.get(response["Location"]).content.decode()
    # Back to the organization's: blank.
    client.post("/preferences/", {"language": "", "time_zone": ""})
    org.report.user.refresh_from_db()
    assert (org.report.user.language, org.report.user.time_zone) == ("", "")


def test_an_unknown_language_or_time_zone_is_a_form_error(org: OrgPeople, client_for) -> None:
    response = client_for(org.report).post(
        "/preferences/", {"language": "xx", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"language", "time_zone"}
    org.report.user.refresh_from_db()
    assert (org.report.user.language, org.report.user.time_zone) == ("", "")


def test_the_preferences_page_needs_a_sign_in(db: None) -> None:
    response = Client().get("/preferences/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_api_errors_are_in_the_organizations_language(org: OrgPeople) -> None:
    german(org)
    _credential, key = create_key(org)
    response = key_client(key).get(f"/api/v1/orgs/{org.organization.slug}/members/999999999/")
    assert response.status_code == 404
    assert response.headers["Content-Language"] == "de"
    with translation.override("de"):
        assert (
            response.json()["error"]["message"]
            == translation.gettext("Not found.")
            != ("Not found.")
        )


def test_the_readers_time_zone_comes_before_the_organizations(org: OrgPeople) -> None:
    organization = org.organization
    organization.time_zone = "Europe/Berlin"
    user = org.report.user
    assert reader_time_zone(user=user, organization=organization) == BERLIN
    user.time_zone = "America/New_York"
    assert reader_time_zone(user=user, organization=organization).key == "America/New_York"
    assert reader_time_zone(user=None, organization=None).key == "UTC"
    user.language = ""
    assert reader_language(user=user, organization=organization) == "en"
    organization.locale = "de"
    assert reader_language(user=user, organization=organization) == "de"


@pytest.mark.parametrize(
    ("language", "moment", "day", "weekday"),
    [
        ("en", "2 Dec 2026, 21:11", "2 Dec 2026", "Wednesday 2 December"),
        ("de", "2. Dez 2026, 21:11", "2. Dez 2026", "Mittwoch, 2. Dezember"),
    ],
)
def test_one_format_per_language_in_the_readers_zone(
    language: str, moment: str, day: str, weekday: str
) -> None:
    with translation.override(language), timezone.override(BERLIN):
        assert format_moment(MOMENT) == moment
        assert format_day(MOMENT) == day
        assert format_weekday(MOMENT.date()) == weekday
        rendered = Template("{% load moments %}{{ at|moment }} {% when at %}").render(
            Context({"at": MOMENT})
        )
    assert rendered == f'{moment} <time datetime="2026-12-02T21:11:00+01:00">{moment}</time>'


def test_a_moment_near_midnight_is_on_the_readers_day() -> None:
    late = datetime.datetime(2026, 12, 2, 23, 30, tzinfo=datetime.UTC)
    with translation.override("en"), timezone.override(BERLIN):
        assert format_day(late) == "3 Dec 2026"


def test_an_email_is_rendered_for_its_reader_and_the_request_keeps_its_own(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    german(org)
    reader = MembershipFactory.create(organization=org.organization, role=Role.EMPLOYEE)
    reader.user.time_zone = "Asia/Tokyo"
    with translation.override("en"), timezone.override(datetime.UTC):
        with (
            organization_scope(org.organization),
            reader_locale(user=reader.user, organization=org.organization),
        ):
            assert translation.get_language() == "de"
            assert format_moment(MOMENT) == "3. Dez 2026, 05:11"
        assert translation.get_language() == "en"
        assert format_moment(MOMENT) == "2 Dec 2026, 20:11"


def test_a_german_page_leaves_the_thread_in_the_default_language(org, client_for) -> None:
    german(org)
    response = client_for(org.report).get(f"/o/{org.organization.slug}/")
    assert response.headers["Content-Language"] == "de"
    assert translation.get_language() == "en"
