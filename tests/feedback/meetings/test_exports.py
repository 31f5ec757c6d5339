"""The 1:1 coverage export: per manager-report pair in the reader's reach, meetings held,
the last one, days since and open action items; never a note or an agenda."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from feedback.meetings import services
from feedback.meetings.models import Meeting, OneOnOneSeries
from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople, login
from tests.export_helpers import (
    FORMULA_TEXTS,
    audit_entries,
    column,
    content,
    counted,
    csv_rows,
    xlsx_rows,
)
from tests.factories import MembershipFactory
from tests.feedback.meetings.factories import (
    make_action_item,
    make_meeting,
    make_point,
    make_private_note,
    make_series,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def page_url(org: OrgPeople) -> str:
    return reverse("web:export_one_on_one_coverage", kwargs={"org_slug": org.organization.slug})


@pytest.fixture
def clock() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def held(series: OneOnOneSeries, days_ago: int) -> Meeting:
    meeting = make_meeting(series, when=NOW - timedelta(days=days_ago))
    with organization_scope(series.organization):
        return services.meeting_complete(actor=series.manager, meeting=meeting)


@pytest.fixture
def one_on_ones(org: OrgPeople, other_org: OrgPeople, clock: object) -> None:
    for people in (org, other_org):
        series = make_series(people.manager, people.report)
        for days in (40, 20, 5):
            meeting = held(series, days)
        make_point(meeting, people.report, "Secret agenda point")
        make_private_note(meeting, people.manager, "Private thought")
        make_action_item(meeting, people.report, "Write the plan")
        make_series(people.owner, people.colleague)
        make_series(people.owner, people.manager)


def test_a_manager_exports_their_pairs_with_counts_and_dates(
    org: OrgPeople, one_on_ones: None, client: Client
) -> None:
    rows = csv_rows(login(client, org.manager).get(page_url(org), {"period": "2026-11"}))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Manager"] == org.manager.full_name
    assert row["Report"] == org.report.full_name
    assert row["Meetings held"] == "2"  # 20 and 5 days ago; 40 days ago is in October
    assert row["Days since"] == "5"
    assert row["Open action items"] == "1"
    assert row["Last meeting"]


def test_no_note_agenda_or_action_text_is_exported(
    org: OrgPeople, one_on_ones: None, client: Client
) -> None:
    body = content(login(client, org.hr).get(page_url(org))).decode()
    for secret in ("Private thought", "Secret agenda point", "Write the plan"):
        assert secret not in body


def test_hr_exports_every_pair_of_the_organization_and_no_other(
    org: OrgPeople, one_on_ones: None, client: Client
) -> None:
    rows = csv_rows(login(client, org.hr).get(page_url(org)))
    assert sorted(column(rows, "Report")) == sorted(
        [org.report.full_name, org.colleague.full_name, org.manager.full_name]
    )
    assert all("(acme)" in name for name in column(rows, "Manager"))


def test_an_employee_without_reports_has_no_coverage_export(
    org: OrgPeople, one_on_ones: None, client: Client
) -> None:
    assert login(client, org.report).get(page_url(org)).status_code == 403


def test_names_that_look_like_formulas_are_escaped(
    org: OrgPeople, clock: object, client: Client
) -> None:
    for text in FORMULA_TEXTS:
        person = MembershipFactory.create(organization=org.organization, manager=org.manager)
        person.full_name = text
        person.save()
        make_series(org.manager, person)
    rows = xlsx_rows(login(client, org.manager).get(page_url(org), {"file_format": "xlsx"}))
    assert sorted(column(rows, "Report")) == sorted("'" + text for text in FORMULA_TEXTS)
    (entry,) = audit_entries(org.organization, "export.one-on-one-coverage")
    assert entry.changes["format"] == "xlsx"


def test_the_api_serves_keys_with_the_one_on_one_scope(
    org: OrgPeople, other_org: OrgPeople, one_on_ones: None
) -> None:
    url = f"/api/v1/orgs/{org.organization.slug}/exports/one-on-one-coverage/"
    _credential, key = create_key(org, [Scope.ONE_ON_ONES_READ])
    assert len(csv_rows(key_client(key).get(url))) == 1 + 3
    bad = key_client(key).get(url, {"file_format": "doc"})
    assert bad.status_code == 400
    assert "file_format" in bad.json()["error"]["fields"]
    _credential, other = create_key(org, [Scope.GOALS_READ])
    assert key_client(other).get(url).status_code == 403
    _credential, foreign = create_key(other_org, [Scope.ONE_ON_ONES_READ])
    assert key_client(foreign).get(url).status_code == 404


def _queries(org: OrgPeople, client: Client, count: int) -> int:
    for _number in range(count):
        person = MembershipFactory.create(organization=org.organization, manager=org.manager)
        held(make_series(org.manager, person), 3)
    with counted() as queries:
        rows = csv_rows(client.get(page_url(org)))
    assert len(rows) == 1 + count
    return len(queries)


def test_the_query_count_is_the_same_at_5_and_at_50_pairs(
    org: OrgPeople, other_org: OrgPeople, clock: object
) -> None:
    small = _queries(org, login(Client(), org.manager), 5)
    large = _queries(other_org, login(Client(), other_org.manager), 50)
    assert small == large
