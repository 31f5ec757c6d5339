"""The personal-data pages: the link on the profile, exports, download and erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from perfmgmt.privacy.models import PersonalDataExport, PersonErasure
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login
from tests.privacy.isolation import make_ready_export

pytestmark = pytest.mark.django_db

# Session, login, membership (which carries the organization's sign-in policy and what the
# page shell shows about the reader), the person, their erasure and the exports.
EXPECTED_QUERIES = 6


def page(org: OrgPeople, name: str, *args: object) -> str:
    return reverse(f"privacy:{name}", args=[org.organization.slug, *args])


def profile(org: OrgPeople, person: Membership) -> str:
    return reverse("people:profile", args=[org.organization.slug, person.pk])


def test_the_profile_links_to_personal_data_for_hr_and_the_person_only(org: OrgPeople) -> None:
    link = page(org, "person", org.report.pk)

    assert link in login(Client(), org.hr).get(profile(org, org.report)).text
    assert link in login(Client(), org.report).get(profile(org, org.report)).text
    assert link not in login(Client(), org.manager).get(profile(org, org.report)).text


def test_someone_without_access_or_another_organizations_person_gets_a_404(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    hr = login(Client(), org.hr)

    assert login(Client(), org.manager).get(page(org, "person", org.report.pk)).status_code == 404
    assert hr.get(page(org, "person", other_org.report.pk)).status_code == 404
    assert hr.post(page(org, "export_request", other_org.report.pk)).status_code == 404
    with organization_scope(other_org.organization):
        assert not PersonalDataExport.objects.exists()


def test_a_requested_export_is_built_and_downloaded_by_its_requester(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    hr = login(Client(), org.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(page(org, "export_request", org.report.pk))
    assert response.status_code == 302
    with organization_scope(org.organization):
        export = PersonalDataExport.objects.get()

    listing = hr.get(page(org, "person", org.report.pk))
    download = hr.get(page(org, "export_download", export.pk))

    assert page(org, "export_download", export.pk) in listing.text
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert b"".join(download.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]


def test_nobody_but_the_requester_downloads_an_export(org: OrgPeople) -> None:
    export = make_ready_export(org)  # requested by the owner
    url = page(org, "export_download", export.pk)

    assert login(Client(), org.hr).get(url).status_code == 404
    assert login(Client(), org.colleague).get(url).status_code == 404
    assert login(Client(), org.owner).get(url).status_code == 200


def test_an_expired_export_is_no_longer_downloadable(org: OrgPeople) -> None:
    export = make_ready_export(org)
    owner = login(Client(), org.owner)

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert owner.get(page(org, "export_download", export.pk)).status_code == 404


def test_a_pending_export_polls_for_its_progress(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        PersonalDataExport.objects.create(
            person=org.report,
            requested_by=org.hr,
            total=10,
            done=4,
            status=PersonalDataExport.Status.RUNNING,
            expires_at=timezone.now() + timedelta(days=1),
        )
    response = login(Client(), org.hr).get(
        page(org, "person", org.report.pk), headers={"HX-Request": "true"}
    )

    assert 'hx-trigger="every 3s"' in response.text
    assert 'value="40"' in response.text
    assert "<html" not in response.text


def test_only_the_owner_sees_the_erasure_page(org: OrgPeople) -> None:
    url = page(org, "erase", org.report.pk)

    assert login(Client(), org.hr).get(url).status_code == 403
    assert login(Client(), org.owner).get(url).status_code == 200


def test_a_wrong_confirmation_is_a_form_error_and_changes_nothing(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        before = Membership.objects.filter(pk=org.report.pk).values().get()

    response = login(Client(), org.owner).post(
        page(org, "erase", org.report.pk), {"texts": "blank", "confirmation": "Nobody"}
    )

    assert response.status_code == 400
    assert "Type the person&#x27;s name or email exactly to confirm." in response.text
    with organization_scope(org.organization):
        assert Membership.objects.filter(pk=org.report.pk).values().get() == before
        assert not PersonErasure.objects.exists()


def test_after_the_erasure_pages_show_an_erased_person(org: OrgPeople) -> None:
    owner = login(Client(), org.owner)
    name = org.report.display_name

    response = owner.post(
        page(org, "erase", org.report.pk), {"texts": "keep", "confirmation": name}
    )

    assert response.status_code == 302
    shown = owner.get(profile(org, org.report)).text
    assert "Erased person" in shown
    assert name not in shown
    assert "has been erased" in owner.get(page(org, "erase", org.report.pk)).text


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", [5, 50])
def test_the_personal_data_page_runs_the_same_queries_whatever_the_number_of_exports(
    org: OrgPeople, size: int
) -> None:
    with organization_scope(org.organization):
        PersonalDataExport.objects.bulk_create(
            PersonalDataExport(
                organization=org.organization,
                person=org.report,
                requested_by=org.hr,
                status=PersonalDataExport.Status.FAILED,
                finished_at=timezone.now(),
                expires_at=timezone.now() + timedelta(days=1),
            )
            for _ in range(size)
        )
    client = login(Client(), org.hr)
    url = page(org, "person", org.report.pk)
    _queries(client, url)  # warm the session and caches

    assert _queries(client, url) == EXPECTED_QUERIES
