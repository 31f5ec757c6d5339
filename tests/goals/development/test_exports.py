"""The development plans export: the plans the reader may read in their reach, with
objectives, actions by status and competencies, escaped, audited, in constant queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from goals.development import services
from goals.development.models import ActionKind, ActionStatus
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople, login
from tests.export_helpers import FORMULA_TEXTS, audit_entries, column, counted, csv_rows, xlsx_rows
from tests.factories import MembershipFactory
from tests.goals.development.factories import make_competency, make_plan

pytestmark = pytest.mark.django_db


def page_url(org: OrgPeople) -> str:
    return reverse("web:export_development_plans", kwargs={"org_slug": org.organization.slug})


def plan_with_contents(org: OrgPeople, person: Membership, action_titles: tuple[str, ...]) -> None:
    plan = make_plan(org, person)
    competency = make_competency(org, name="Communication")
    with organization_scope(org.organization):
        for title, status in zip(action_titles, ActionStatus.values, strict=False):
            services.action_create(
                actor=person, plan=plan, kind=ActionKind.TRAINING, title=title, status=status
            )
        services.plan_competency_set(actor=person, plan=plan, competency=competency)


@pytest.fixture
def plans(org: OrgPeople, other_org: OrgPeople) -> None:
    for people in (org, other_org):
        for person in (people.manager, people.report, people.colleague):
            make_plan(people, person)


def test_a_manager_exports_their_lines_plans_and_no_one_elses(
    org: OrgPeople, plans: None, client: Client
) -> None:
    rows = csv_rows(login(client, org.manager).get(page_url(org)))
    assert sorted(column(rows, "Person")) == sorted([org.manager.full_name, org.report.full_name])


def test_an_employee_exports_their_own_plan_and_hr_the_organizations(
    org: OrgPeople, plans: None, client: Client
) -> None:
    assert column(csv_rows(login(client, org.report).get(page_url(org))), "Person") == [
        org.report.full_name
    ]
    everyone = column(csv_rows(login(Client(), org.hr).get(page_url(org))), "Person")
    assert len(everyone) == 3
    assert all("(acme)" in name for name in everyone)


def test_actions_are_counted_by_status_and_competencies_named(
    org: OrgPeople, client: Client
) -> None:
    plan_with_contents(org, org.report, ("Course", "Mentor", "Book", "Dropped"))
    rows = csv_rows(login(client, org.manager).get(page_url(org)))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert [row[str(label)] for label in ActionStatus.labels] == ["1", "1", "1", "1"]
    assert row["Competencies"] == "Communication"
    assert row["Objectives"] == "0"
    assert "Course" not in " ".join(rows[1])


def test_competency_names_that_look_like_formulas_are_escaped(
    org: OrgPeople, client: Client
) -> None:
    plan = make_plan(org, org.report)
    for text in FORMULA_TEXTS:
        competency = make_competency(org, name=text.replace("\t", "t"), category="Core")
        with organization_scope(org.organization):
            services.plan_competency_set(actor=org.report, plan=plan, competency=competency)
    response = login(client, org.report).get(page_url(org), {"file_format": "xlsx"})
    (competencies,) = column(xlsx_rows(response), "Competencies")
    assert competencies.startswith("'")
    (entry,) = audit_entries(org.organization, "export.development-plans")
    assert entry.changes == {
        "filters": {"person": None, "team": None, "status": ""},
        "format": "xlsx",
    }


def test_a_bad_status_is_a_form_error_and_an_api_400(org: OrgPeople, client: Client) -> None:
    response = login(client, org.manager).get(page_url(org), {"status": "lost"})
    assert response.status_code == 400
    _credential, key = create_key(org, [Scope.DEVELOPMENT_READ])
    url = f"/api/v1/orgs/{org.organization.slug}/exports/development-plans/"
    bad = key_client(key).get(url, {"status": "lost"})
    assert bad.status_code == 400
    assert "status" in bad.json()["error"]["fields"]
    assert csv_rows(key_client(key).get(url))[0][0] == "Person"


def _queries(org: OrgPeople, client: Client, count: int) -> int:
    competency = make_competency(org)
    for _number in range(count):
        person = MembershipFactory.create(organization=org.organization, manager=org.manager)
        plan = make_plan(org, person)
        with organization_scope(org.organization):
            services.plan_competency_set(actor=person, plan=plan, competency=competency)
    with counted() as queries:
        rows = csv_rows(client.get(page_url(org)))
    assert len(rows) == 1 + count
    return len(queries)


def test_the_query_count_is_the_same_at_5_and_at_50_plans(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    small = _queries(org, login(Client(), org.manager), 5)
    large = _queries(other_org, login(Client(), other_org.manager), 50)
    assert small == large
