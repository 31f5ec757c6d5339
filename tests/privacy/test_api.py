"""Personal-data export and erasure over the API, with the rules of the pages."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from perfmgmt.privacy.models import ExportStatus, PersonalDataExport, PersonErasure
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.privacy.isolation import make_ready_export

pytestmark = pytest.mark.django_db


def base(org: OrgPeople) -> str:
    return f"/api/v1/orgs/{org.organization.slug}"


def export_url(org: OrgPeople, member: Membership) -> str:
    return f"{base(org)}/personal-data/{member.pk}/exports/"


def erasure_url(org: OrgPeople, member: Membership) -> str:
    return f"{base(org)}/personal-data/{member.pk}/erasure/"


def test_requesting_an_export_is_a_202_whose_status_url_reports_it_until_the_zip_downloads(
    org: OrgPeople, other_org: OrgPeople, api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = api_as(org.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(export_url(org, org.colleague))

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["person"] == org.colleague.pk
    status = client.get(body["url"])
    assert status.status_code == 200
    assert status.json()["status"] == ExportStatus.READY
    download = client.get(status.json()["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist()


def test_a_queued_export_has_a_status_but_no_download_yet(org: OrgPeople, api_as: Any) -> None:
    client = api_as(org.report)

    body = client.post(export_url(org, org.report)).json()  # one's own data

    status = client.get(body["url"]).json()
    assert (status["status"], status["download_url"]) == (ExportStatus.QUEUED, None)
    assert client.get(f"{body['url']}download/").status_code == 404
    assert client.post(export_url(org, org.report)).status_code == 409


def test_only_the_requester_reads_or_downloads_an_export_and_only_until_it_expires(
    org: OrgPeople, api_as: Any
) -> None:
    export = make_ready_export(org)  # requested by the owner
    status_url = f"{base(org)}/personal-data-exports/{export.pk}/"

    assert api_as(org.owner).get(f"{status_url}download/").status_code == 200
    assert api_as(org.hr).get(status_url).status_code == 404
    assert api_as(org.hr).get(f"{status_url}download/").status_code == 404

    with organization_scope(org.organization):
        PersonalDataExport.objects.filter(pk=export.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert api_as(org.owner).get(status_url).status_code == 404
    assert api_as(org.owner).get(f"{status_url}download/").status_code == 404


def test_a_colleague_may_not_export_someone_else_and_learns_nothing(
    org: OrgPeople, api_as: Any
) -> None:
    response = api_as(org.colleague).post(export_url(org, org.report))

    assert response.status_code == 404


def test_another_organizations_ids_are_404s(
    org: OrgPeople, other_org: OrgPeople, api_as: Any
) -> None:
    foreign_export = make_ready_export(other_org)
    client = api_as(org.owner)

    assert client.post(export_url(org, other_org.colleague)).status_code == 404
    erase = {"confirmation": other_org.colleague.display_name, "texts": "blank"}
    assert client.post(erasure_url(org, other_org.colleague), erase).status_code == 404
    foreign = f"{base(org)}/personal-data-exports/{foreign_export.pk}/"
    assert client.get(foreign).status_code == 404
    assert client.get(f"{foreign}download/").status_code == 404


def test_an_owner_erases_with_the_exact_confirmation_and_a_second_erasure_is_a_409(
    org: OrgPeople, api_as: Any
) -> None:
    client = api_as(org.owner)
    url = erasure_url(org, org.colleague)

    wrong = client.post(url, {"confirmation": "someone else", "texts": "blank"}, format="json")
    assert wrong.status_code == 400
    assert "confirmation" in wrong.json()["error"]["fields"]
    missing = client.post(url, {"texts": "keep"}, format="json")
    assert missing.status_code == 400
    assert "confirmation" in missing.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert not PersonErasure.objects.exists()

    name = org.colleague.display_name
    done = client.post(url, {"confirmation": name, "texts": "keep"}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["person"], done.json()["texts_blanked"]) == (org.colleague.pk, False)
    again = client.post(url, {"confirmation": name, "texts": "keep"}, format="json")
    assert again.status_code == 409


def test_only_an_owner_erases(org: OrgPeople, api_as: Any) -> None:
    body = {"confirmation": org.colleague.display_name, "texts": "blank"}

    response = api_as(org.hr).post(erasure_url(org, org.colleague), body, format="json")

    assert response.status_code == 403
    with organization_scope(org.organization):
        assert not PersonErasure.objects.exists()


def test_api_keys_may_not_export_or_erase_but_a_foreign_id_stays_a_404(
    org: OrgPeople, other_org: OrgPeople, api_with_key: Any
) -> None:
    client = api_with_key(org)
    export = make_ready_export(org)

    assert client.post(export_url(org, org.colleague)).status_code == 403
    body = {"confirmation": org.colleague.display_name, "texts": "blank"}
    assert client.post(erasure_url(org, org.colleague), body, format="json").status_code == 403
    assert client.get(f"{base(org)}/personal-data-exports/{export.pk}/").status_code == 403
    assert client.post(export_url(org, other_org.colleague)).status_code == 404


def test_the_openapi_description_says_what_each_personal_data_route_takes_and_answers(
    db: None,
) -> None:
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    paths = document["paths"]
    prefix = "/api/v1/orgs/{org_slug}"

    export = paths[f"{prefix}/personal-data/{{member_id}}/exports/"]["post"]
    assert "requestBody" not in export
    assert set(export["responses"]) == {"202", "401", "403", "404", "409", "429"}
    erase = paths[f"{prefix}/personal-data/{{member_id}}/erasure/"]["post"]
    assert set(erase["responses"]) == {"200", "400", "401", "403", "404", "409", "429"}
    body = erase["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert sorted(document["components"]["schemas"][body]["required"]) == [
        "confirmation",
        "texts",
    ]
    status = paths[f"{prefix}/personal-data-exports/{{export_id}}/"]
    assert set(status) == {"get"}
    download = paths[f"{prefix}/personal-data-exports/{{export_id}}/download/"]["get"]
    assert set(download["responses"]["200"]["content"]) == {"application/zip"}
