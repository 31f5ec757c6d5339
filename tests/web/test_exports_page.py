"""The Exports page: a form per export the reader may run, listed from what the apps
registered; a bad filter shows the form again; the menu links it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from perfmgmt import exports
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login
from tests.export_helpers import audit_entries, csv_rows

pytestmark = pytest.mark.django_db


def page(org: OrgPeople, member: Membership) -> str:
    url = reverse("web:exports", kwargs={"org_slug": org.organization.slug})
    response = login(Client(), member).get(url)
    assert response.status_code == 200
    return response.content.decode()


def offered(body: str) -> set[str]:
    return set(re.findall(r'<section [^>]*aria-labelledby="([a-z-]+)-heading"', body))


def test_every_app_registers_its_exports() -> None:
    assert [export.key for export in exports.registered()] == [
        "goals",
        "checkin-coverage",
        "one-on-one-coverage",
        "development-plans",
        "review-results",
        "rewards",
        "analytics",
    ]


def test_each_reader_is_offered_what_they_may_export(org: OrgPeople) -> None:
    mine = {"goals", "development-plans", "rewards"}
    coverage = {"checkin-coverage", "one-on-one-coverage", "analytics"}
    assert offered(page(org, org.report)) == mine
    assert offered(page(org, org.manager)) == mine | coverage
    assert offered(page(org, org.hr)) == mine | coverage | {"review-results"}


def test_every_field_is_labelled_and_ids_do_not_clash_between_forms(org: OrgPeople) -> None:
    body = page(org, org.hr)
    ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', body)
    assert len(ids) == len(set(ids))
    for field_id in ids:
        assert f'<label for="{field_id}">' in body, field_id


def test_the_menu_links_the_page(org: OrgPeople) -> None:
    url = reverse("web:exports", kwargs={"org_slug": org.organization.slug})
    home = reverse("web:home", kwargs={"org_slug": org.organization.slug})
    assert f'href="{url}"' in login(Client(), org.report).get(home).content.decode()


def test_a_bad_filter_shows_the_page_with_that_forms_errors(org: OrgPeople) -> None:
    url = reverse("web:export_development_plans", kwargs={"org_slug": org.organization.slug})
    response = login(Client(), org.manager).get(url, {"file_format": "pdf"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="development-plans-file_format"' in body
    assert "Select a valid choice." in body
    assert offered(body) == {
        "goals",
        "development-plans",
        "rewards",
        "checkin-coverage",
        "one-on-one-coverage",
        "analytics",
    }


def test_the_forms_download_what_they_describe(org: OrgPeople) -> None:
    url = reverse("web:export_goals", kwargs={"org_slug": org.organization.slug})
    assert csv_rows(login(Client(), org.report).get(url))[0][:2] == ["Owner", "Title"]
    assert len(audit_entries(org.organization, "export.goals")) == 1


def test_another_organizations_member_gets_a_404(org: OrgPeople, other_org: OrgPeople) -> None:
    url = reverse("web:exports", kwargs={"org_slug": org.organization.slug})
    assert login(Client(), other_org.hr).get(url).status_code == 404
