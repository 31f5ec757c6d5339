"""The people API's filters and lists obey the same field and row rules as its responses.

Security issue 8, item 5: any employee could test guesses of a colleague's hidden
`external_id` through the filter, and list and open people who left, which the pages hide.
"""

from __future__ import annotations

import pytest

from perfmgmt.api.models import Scope
from perfmgmt.tenancy import services
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.api.conftest import members_url
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db


def give_external_ids(org: OrgPeople) -> None:
    with organization_scope(org.organization):
        for member in (org.report, org.colleague, org.manager):
            Membership.objects.filter(pk=member.pk).update(external_id=f"E-{member.pk}")


def found_by_external_id(client, org: OrgPeople, member: Membership) -> list[int]:
    response = client.get(members_url(org), {"external_id": f"E-{member.pk}"})
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_an_employee_cannot_find_a_colleague_by_a_guessed_external_id(org, api_as) -> None:
    give_external_ids(org)

    assert found_by_external_id(api_as(org.report), org, org.colleague) == []
    assert found_by_external_id(api_as(org.report), org, org.manager) == []


def test_a_person_finds_themselves_and_a_manager_their_reports_by_external_id(org, api_as) -> None:
    give_external_ids(org)

    assert found_by_external_id(api_as(org.report), org, org.report) == [org.report.pk]
    assert found_by_external_id(api_as(org.manager), org, org.report) == [org.report.pk]
    assert found_by_external_id(api_as(org.owner), org, org.report) == [org.report.pk]


def test_hr_and_an_api_key_find_anyone_by_external_id(org, api_as, api_with_key) -> None:
    give_external_ids(org)

    assert found_by_external_id(api_as(org.hr), org, org.colleague) == [org.colleague.pk]
    key = api_with_key(org, scopes=[Scope.MEMBERS_READ])
    assert found_by_external_id(key, org, org.colleague) == [org.colleague.pk]


def leave(org: OrgPeople, member: Membership) -> None:
    with organization_scope(org.organization):
        services.member_deactivate(actor=org.hr, member=member)


def listed_ids(client, org: OrgPeople, **params: str) -> set[int]:
    response = client.get(members_url(org), params)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_an_employee_neither_lists_nor_opens_people_who_left(org, api_as) -> None:
    leave(org, org.colleague)
    client = api_as(org.report)

    assert org.colleague.pk not in listed_ids(client, org)
    assert listed_ids(client, org, status="left") == set()
    assert client.get(members_url(org, org.colleague.pk)).status_code == 404


def test_hr_and_an_api_key_still_list_and_open_people_who_left(org, api_as, api_with_key) -> None:
    leave(org, org.colleague)

    for client in (api_as(org.hr), api_with_key(org, scopes=[Scope.MEMBERS_READ])):
        assert listed_ids(client, org, status="left") == {org.colleague.pk}
        assert client.get(members_url(org, org.colleague.pk)).status_code == 200


def test_a_bad_filter_value_is_a_400_naming_the_field(org, api_as) -> None:
    response = api_as(org.report).get(members_url(org), {"status": "gone", "team": "x"})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status", "team"}
