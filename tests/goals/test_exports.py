"""The goals export: the reader's visible goals in their reach, escaped, audited, as CSV
or XLSX, from the page and the API, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from goals.models import GoalStatus, OwnerKind, Visibility
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.models import Membership
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople, login
from tests.export_helpers import (
    FORMULA_TEXTS,
    audit_entries,
    column,
    counted,
    csv_rows,
    xlsx_rows,
)
from tests.factories import MembershipFactory
from tests.goals.factories import GoalFactory

pytestmark = pytest.mark.django_db


def page_url(org: OrgPeople) -> str:
    return reverse("web:export_goals", kwargs={"org_slug": org.organization.slug})


def api_url(org: OrgPeople) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/exports/goals/"


def goal(owner: Membership, title: str, **kwargs: object) -> None:
    kwargs.setdefault("visibility", Visibility.EVERYONE)
    GoalFactory.create(organization=owner.organization, owner_person=owner, title=title, **kwargs)


@pytest.fixture
def goals(org: OrgPeople, other_org: OrgPeople) -> None:
    for people in (org, other_org):
        slug = people.organization.slug
        for person in (people.owner, people.manager, people.report, people.report2):
            goal(person, f"{person.full_name} goal {slug}")
        goal(people.colleague, f"Colleague goal {slug}")


def exported(client: Client, url: str, **params: str) -> list[list[str]]:
    return csv_rows(client.get(url, params))


def test_a_manager_exports_their_reporting_line_and_no_one_else(
    org: OrgPeople, goals: None, client: Client
) -> None:
    rows = exported(login(client, org.manager), page_url(org))
    assert sorted(column(rows, "Owner")) == sorted(
        [org.manager.full_name, org.report.full_name, org.report2.full_name]
    )
    assert not any("globex" in cell for row in rows for cell in row)


def test_an_employee_exports_only_their_own_goals(
    org: OrgPeople, goals: None, client: Client
) -> None:
    rows = exported(login(client, org.report), page_url(org))
    assert column(rows, "Owner") == [org.report.full_name]


def test_hr_exports_the_organization_and_never_another_one(
    org: OrgPeople, goals: None, client: Client
) -> None:
    rows = exported(login(client, org.hr), page_url(org))
    assert len(rows) == 1 + 5
    assert all("acme" in title for title in column(rows, "Title"))


def test_a_goal_the_reader_may_not_read_is_not_exported(org: OrgPeople, client: Client) -> None:
    """The selector decides: the parent column names only a parent the reader may read."""
    outsider = MembershipFactory.create(organization=org.organization, manager=org.owner)
    secret = GoalFactory.create(
        organization=org.organization,
        owner_kind=OwnerKind.PERSON,
        owner_person=outsider,
        visibility=Visibility.TEAM_AND_MANAGERS,
        title="Colleague's private parent",
    )
    GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        title="Child",
        parent=secret,
        visibility=Visibility.EVERYONE,
    )
    rows = exported(login(client, org.manager), page_url(org))
    assert column(rows, "Title") == ["Child"]
    assert column(rows, "Supports") == [""]
    assert "Child" in column(exported(login(Client(), org.hr), page_url(org)), "Title")
    hr_rows = exported(login(Client(), org.hr), page_url(org))
    assert column(hr_rows, "Supports")[column(hr_rows, "Title").index("Child")] == secret.title


def test_filters_narrow_the_file(org: OrgPeople, goals: None, client: Client) -> None:
    goal(org.report, "Done one", status=GoalStatus.COMPLETED)
    login(client, org.manager)
    rows = exported(client, page_url(org), status="completed")
    assert column(rows, "Title") == ["Done one"]
    rows = exported(client, page_url(org), person=org.report2.user.email)
    assert column(rows, "Owner") == [org.report2.full_name]


def test_every_formula_start_is_escaped(org: OrgPeople, client: Client) -> None:
    for text in FORMULA_TEXTS:
        goal(org.report, text, unit=text)
    login(client, org.report)
    for rows in (
        exported(client, page_url(org)),
        xlsx_rows(client.get(page_url(org), {"file_format": "xlsx"})),
    ):
        assert sorted(column(rows, "Title")) == sorted("'" + text for text in FORMULA_TEXTS)
        assert all(unit.startswith("'") for unit in column(rows, "Unit"))


def test_the_xlsx_file_opens_with_the_same_rows_as_the_csv(
    org: OrgPeople, goals: None, client: Client
) -> None:
    login(client, org.hr)
    csv_file = exported(client, page_url(org))
    xlsx_file = xlsx_rows(client.get(page_url(org), {"file_format": "xlsx"}))
    assert xlsx_file[0] == csv_file[0]
    assert len(xlsx_file) == len(csv_file) == 6
    assert sorted(column(xlsx_file, "Title")) == sorted(column(csv_file, "Title"))


def test_each_export_is_audited_with_its_filters_and_format(
    org: OrgPeople, goals: None, client: Client
) -> None:
    login(client, org.manager)
    exported(client, page_url(org), status="active", period="2026-Q4")
    (entry,) = audit_entries(org.organization, "export.goals")
    assert entry.actor_membership_id == org.manager.pk
    assert entry.changes["format"] == "csv"
    assert entry.changes["filters"]["status"] == "active"
    assert entry.changes["filters"]["period"] == ["2026-10-01", "2026-12-31"]
    assert audit_entries(org.organization, "export.goals")[0].organization_id == (
        org.organization.pk
    )


def test_a_bad_filter_shows_the_form_again_with_the_message(org: OrgPeople, client: Client) -> None:
    login(client, org.manager)
    response = client.get(page_url(org), {"period": "soon", "file_format": "pdf"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Use a year (2026)" in body
    assert 'id="goals-period"' in body
    assert audit_entries(org.organization, "export.goals") == []


def test_a_person_outside_the_readers_reach_is_a_form_error(
    org: OrgPeople, other_org: OrgPeople, client: Client
) -> None:
    login(client, org.manager)
    for email in (org.colleague.user.email, other_org.report.user.email):
        response = client.get(page_url(org), {"person": email})
        assert response.status_code == 400
        assert "Nobody you may export has this email." in response.content.decode()


def test_the_api_answers_csv_or_xlsx_and_a_400_with_field_messages(
    org: OrgPeople, goals: None
) -> None:
    _credential, key = create_key(org, [Scope.GOALS_READ])
    client = key_client(key)
    rows = csv_rows(client.get(api_url(org)))
    assert len(rows) == 1 + 5
    assert xlsx_rows(client.get(api_url(org), {"file_format": "xlsx"}))[0] == rows[0]
    bad = client.get(api_url(org), {"file_format": "pdf", "period": "x"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"file_format", "period"}
    (first, _second) = audit_entries(org.organization, "export.goals")
    assert first.actor_membership_id is None
    assert first.actor_label.startswith("API client")


def test_a_key_without_the_goals_scope_is_refused(org: OrgPeople) -> None:
    _credential, key = create_key(org, [Scope.MEMBERS_READ])
    assert key_client(key).get(api_url(org)).status_code == 403


def test_another_organizations_key_is_not_found(org: OrgPeople, other_org: OrgPeople) -> None:
    _credential, key = create_key(other_org, [Scope.GOALS_READ])
    assert key_client(key).get(api_url(org)).status_code == 404


def _queries(org: OrgPeople, client: Client, count: int) -> int:
    for number in range(count):
        person = MembershipFactory.create(organization=org.organization, manager=org.manager)
        goal(person, f"Goal {number}", agreed_by=org.manager)
    with counted() as queries:
        rows = exported(client, page_url(org))
    assert len(rows) == 1 + count
    return len(queries)


def test_the_query_count_is_the_same_at_5_and_at_50_rows(
    org: OrgPeople, other_org: OrgPeople, client: Client
) -> None:
    small = _queries(org, login(Client(), org.manager), 5)
    large = _queries(other_org, login(client, other_org.manager), 50)
    assert small == large


def test_times_are_in_the_organizations_time_zone(org: OrgPeople, client: Client) -> None:
    org.organization.time_zone = "Asia/Kathmandu"  # UTC+05:45
    org.organization.save()
    goal(
        org.report,
        "Agreed goal",
        agreed_by=org.manager,
        agreed_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    )
    for file_format in ("csv", "xlsx"):
        response = login(client, org.report).get(page_url(org), {"file_format": file_format})
        rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
        assert "17:45" in column(rows, "Agreed at")[0]
