"""The rewards export: the rewards the reader may read (approved ones unless asked
otherwise), for payroll: escaped, audited, in the organization's time zone, from the page
and the API, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from rewards.models import RewardProposal
from rewards.services import reward_approve, reward_reject
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople, login
from tests.export_helpers import FORMULA_TEXTS, audit_entries, column, counted, csv_rows
from tests.factories import MembershipFactory
from tests.rewards.factories import make_reward

pytestmark = pytest.mark.django_db


def page_url(org: OrgPeople) -> str:
    return reverse("web:export_rewards", kwargs={"org_slug": org.organization.slug})


def api_url(org: OrgPeople) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/exports/rewards/"


def approved(proposer: Membership, person: Membership, hr: Membership) -> RewardProposal:
    reward = make_reward(proposer, person)
    with organization_scope(person.organization):
        return reward_approve(actor=hr, proposal=reward)


@pytest.fixture
def rewards(org: OrgPeople, other_org: OrgPeople) -> dict[str, RewardProposal]:
    """In each organization: the report's and report2's approved, the colleague's approved
    (outside the manager's line), report2's rejected one and the report's pending one."""
    made = {}
    for people in (org, other_org):
        slug = people.organization.slug
        people.report.external_id = f"payroll-{slug}"
        people.report.save()
        made[f"report {slug}"] = approved(people.manager, people.report, people.hr)
        made[f"report2 {slug}"] = approved(people.manager, people.report2, people.hr)
        made[f"colleague {slug}"] = approved(people.owner, people.colleague, people.hr)
        with organization_scope(people.organization):
            reward_reject(
                actor=people.hr,
                proposal=make_reward(people.manager, people.report2),
                note="Not this quarter",
            )
        made[f"pending {slug}"] = make_reward(people.manager, people.report)
    return made


def people_in(rows: list[list[str]]) -> list[str]:
    return sorted(column(rows, "Person"))


def test_hr_exports_the_organizations_approved_rewards_with_their_external_ids(
    org: OrgPeople, rewards: dict[str, RewardProposal], client: Client
) -> None:
    rows = csv_rows(login(client, org.hr).get(page_url(org)))
    assert people_in(rows) == sorted(
        [org.report.display_name, org.report2.display_name, org.colleague.display_name]
    )
    assert set(column(rows, "Status")) == {"Approved"}
    assert f"payroll-{org.organization.slug}" in column(rows, "External id")
    assert set(column(rows, "Amount")) == {"300"}
    # Any status: the rejected and the pending one too (HR reads both).
    everything = csv_rows(login(client, org.hr).get(page_url(org), {"status": ""}))
    assert len(everything) - 1 == 5
    first, second = audit_entries(org.organization, "export.rewards")
    assert first.actor_membership_id == org.hr.pk
    assert first.changes["format"] == "csv"
    assert first.changes["filters"]["status"] == "approved"
    assert second.changes["filters"]["status"] == ""


def test_a_manager_exports_their_lines_rewards_and_a_person_their_own_approved(
    org: OrgPeople, rewards: dict[str, RewardProposal], client: Client
) -> None:
    managed = csv_rows(login(client, org.manager).get(page_url(org)))
    assert people_in(managed) == sorted([org.report.display_name, org.report2.display_name])
    own = csv_rows(login(Client(), org.report).get(page_url(org), {"status": ""}))
    assert people_in(own) == [org.report.display_name]
    assert column(own, "Status") == ["Approved"]  # not the one still being decided


def test_a_key_with_rewards_read_exports_approved_rewards_and_needs_members_read_for_ids(
    org: OrgPeople, other_org: OrgPeople, rewards: dict[str, RewardProposal]
) -> None:
    payroll = key_client(create_key(org, [Scope.REWARDS_READ])[1])
    rows = csv_rows(payroll.get(api_url(org), {"status": ""}))
    assert len(rows) - 1 == 3
    assert set(column(rows, "Status")) == {"Approved"}
    assert "External id" not in rows[0]
    hris = key_client(create_key(org, [Scope.REWARDS_READ, Scope.MEMBERS_READ])[1])
    assert f"payroll-{org.organization.slug}" in column(
        csv_rows(hris.get(api_url(org))), "External id"
    )
    goals_only = key_client(create_key(org, [Scope.GOALS_READ])[1])
    assert goals_only.get(api_url(org)).status_code == 403
    # Another organization's export with this key: not found, like a missing one.
    assert payroll.get(api_url(other_org)).status_code == 404


def test_reasons_are_escaped_and_a_bad_period_is_a_form_error(
    org: OrgPeople, client: Client
) -> None:
    for text in FORMULA_TEXTS:
        reward = make_reward(org.manager, org.report)
        with organization_scope(org.organization):
            RewardProposal.objects.filter(pk=reward.pk).update(reason=text)
            reward_approve(actor=org.hr, proposal=reward)
    reasons = column(csv_rows(login(client, org.hr).get(page_url(org))), "Reason")
    assert sorted(reasons) == sorted("'" + text for text in FORMULA_TEXTS)
    refused = login(client, org.hr).get(page_url(org), {"period": "2026-13"})
    assert refused.status_code == 400


def test_the_decided_in_period_is_the_organizations_calendar(
    org: OrgPeople, client: Client
) -> None:
    org.organization.time_zone = "Europe/Berlin"  # UTC+1 in winter
    org.organization.save()
    reward = approved(org.manager, org.report, org.hr)
    with organization_scope(org.organization):
        # 23:30 UTC on New Year's Eve is 00:30 on 1 January in Berlin.
        decided = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
        RewardProposal.objects.filter(pk=reward.pk).update(decided_at=decided)
    hr = login(client, org.hr)
    assert len(csv_rows(hr.get(page_url(org), {"period": "2026"}))) == 2
    assert len(csv_rows(hr.get(page_url(org), {"period": "2025"}))) == 1
    assert column(csv_rows(hr.get(page_url(org))), "Decided at") == ["1 Jan 2026, 00:30"]


def _queries(org: OrgPeople, client: Client, count: int) -> int:
    for _ in range(count):
        person = MembershipFactory.create(organization=org.organization, manager=org.manager)
        approved(org.manager, person, org.hr)
    with counted() as queries:
        rows = csv_rows(client.get(page_url(org)))
    assert len(rows) == 1 + count
    return len(queries)


def test_the_query_count_is_the_same_at_3_and_at_30_rewards(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    small = _queries(org, login(Client(), org.hr), 3)
    large = _queries(other_org, login(Client(), other_org.hr), 30)
    assert small == large
