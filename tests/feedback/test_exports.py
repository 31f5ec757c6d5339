"""The check-in coverage export: per person in the reader's reach, expected, submitted,
last submitted and overdue check-ins of a period; never an answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from feedback import services
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople, login
from tests.export_helpers import audit_entries, column, content, counted, csv_rows, xlsx_rows
from tests.factories import MembershipFactory
from tests.feedback.factories import make_checkin_for_period

pytestmark = pytest.mark.django_db

SET_UP = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
JOINED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday


def page_url(org: OrgPeople) -> str:
    return reverse("web:export_checkin_coverage", kwargs={"org_slug": org.organization.slug})


@pytest.fixture(autouse=True)
def _set_up(org: OrgPeople, other_org: OrgPeople) -> None:
    """Everyone joined in October; HR of each organization set a weekly cadence (due on
    Fridays) on 2 November; the clock stands at Monday 30 November."""
    for people in (org, other_org):
        with organization_scope(people.organization):
            Membership.objects.update(created_at=JOINED)
            with time_machine.travel(SET_UP):
                services.cadence_save(
                    actor=people.hr,
                    frequency="weekly",
                    due_weekday=4,
                    questions=["What went well?"],
                    remind_again_after_days=2,
                )


@pytest.fixture
def clock() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def by_person(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


@pytest.mark.usefixtures("clock")
def test_a_manager_sees_expected_submitted_and_overdue_for_their_line(
    org: OrgPeople, client: Client
) -> None:
    make_checkin_for_period(org.report, date(2026, 11, 9))
    make_checkin_for_period(org.report, date(2026, 11, 16))
    make_checkin_for_period(org.report2, date(2026, 11, 9), submit=False)  # a draft
    rows = csv_rows(login(client, org.manager).get(page_url(org), {"period": "2026-11"}))
    found = by_person(rows)
    assert set(found) == {org.manager.full_name, org.report.full_name, org.report2.full_name}
    report, report2 = found[org.report.full_name], found[org.report2.full_name]
    expected = int(report["Expected check-ins"])
    assert expected == 3  # Fridays 13, 20, 27 November: the cadence applies from 9 November
    assert report["Submitted"] == "2"
    assert report["Overdue"] == str(expected - 2)
    assert report["Last submitted"]
    assert report2["Submitted"] == "0"
    assert report2["Overdue"] == str(expected)
    assert report["Period"] == "2026-11-01 to 2026-11-30"


@pytest.mark.usefixtures("clock")
def test_no_answer_of_a_check_in_is_exported(org: OrgPeople, client: Client) -> None:
    make_checkin_for_period(org.report, date(2026, 11, 9))
    body = content(login(client, org.hr).get(page_url(org), {"period": "2026-11"})).decode()
    assert "Done" not in body
    assert org.report.full_name in body


@pytest.mark.usefixtures("clock")
def test_hr_sees_the_organization_and_never_another_one(
    org: OrgPeople, other_org: OrgPeople, client: Client
) -> None:
    rows = csv_rows(login(client, org.hr).get(page_url(org)))
    assert len(rows) == 1 + 6
    assert all("(acme)" in name for name in column(rows, "Person"))


@pytest.mark.usefixtures("clock")
def test_an_employee_without_reports_has_no_coverage_export(org: OrgPeople, client: Client) -> None:
    assert login(client, org.report).get(page_url(org)).status_code == 403


@pytest.mark.usefixtures("clock")
def test_xlsx_is_audited_and_opens(org: OrgPeople, client: Client) -> None:
    response = login(client, org.manager).get(page_url(org), {"file_format": "xlsx"})
    rows = xlsx_rows(response)
    assert rows[0][:2] == ["Person", "Team"]
    assert len(rows) == 1 + 3
    (entry,) = audit_entries(org.organization, "export.checkin-coverage")
    assert entry.changes == {
        "filters": {"person": None, "team": None, "period": None},
        "format": "xlsx",
    }


@pytest.mark.usefixtures("clock")
def test_a_bad_period_is_a_form_error(org: OrgPeople, client: Client) -> None:
    response = login(client, org.manager).get(page_url(org), {"period": "2026-13"})
    assert response.status_code == 400
    assert "Use a year (2026)" in response.content.decode()


@pytest.mark.usefixtures("clock")
def test_the_api_answers_people_and_refuses_keys(org: OrgPeople, api_as) -> None:
    url = f"/api/v1/orgs/{org.organization.slug}/exports/checkin-coverage/"
    assert len(csv_rows(api_as(org.manager).get(url))) == 1 + 3
    assert api_as(org.manager).get(url, {"period": "x"}).json()["error"]["fields"]["period"]
    _credential, key = create_key(org, list(Scope))
    assert key_client(key).get(url).status_code == 403


def _queries(org: OrgPeople, client: Client, count: int) -> int:
    for _number in range(count):
        person = MembershipFactory.create(organization=org.organization, manager=org.manager)
        make_checkin_for_period(person, date(2026, 11, 9))
    with counted() as queries:
        rows = csv_rows(client.get(page_url(org), {"period": "2026-11"}))
    assert len(rows) == 1 + 3 + count
    return len(queries)


@pytest.mark.usefixtures("clock")
def test_the_query_count_is_the_same_at_5_and_at_50_people(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    small = _queries(org, login(Client(), org.manager), 5)
    large = _queries(other_org, login(Client(), other_org.manager), 50)
    assert small == large
