"""Who reads an improvement plan, asked of every way in: the page, its PDF, the API, the
list, the person page. The person (once approved), everyone above them, HR and keys with
reviews:read; never a peer, a colleague, or another organization."""

from __future__ import annotations

import pytest
from django.test import Client

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.selectors.improvement_plans import improvement_plan_list
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople, login
from tests.factories import MembershipFactory
from tests.reviews.pdf_text import pdf_text
from tests.reviews.plan_helpers import REASON, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def skip(org: OrgPeople) -> Membership:
    """A skip-level manager who is not HR: above the manager, below the owner."""
    with organization_scope(org.organization):
        skip_level: Membership = MembershipFactory.create(
            organization=org.organization, manager=org.owner, full_name="Sam Skip"
        )
        org.manager.manager = skip_level
        org.manager.save()
    return skip_level


def page(org: OrgPeople, plan_id: int, tail: str = "") -> str:
    return f"/o/{org.organization.slug}/reviews/improvement-plans/{plan_id}/{tail}"


def api(org: OrgPeople, plan_id: int | None = None) -> str:
    url = f"/api/v1/orgs/{org.organization.slug}/reviews/improvement-plans/"
    return url if plan_id is None else f"{url}{plan_id}/"


def reader(org: OrgPeople, skip: Membership, who: str) -> Membership:
    return skip if who == "skip" else getattr(org, who)


READS_APPROVED = {"report": True, "manager": True, "skip": True, "owner": True, "hr": True}
NEVER = ("report2", "colleague")


@pytest.mark.parametrize("who", [*READS_APPROVED, *NEVER])
def test_an_approved_plan_is_read_by_the_person_their_line_and_hr_only(
    org: OrgPeople, skip: Membership, who: str
) -> None:
    plan = make_plan(org, approve=True)
    client = login(Client(), reader(org, skip, who))
    expected = 200 if who in READS_APPROVED else 404
    assert client.get(page(org, plan.pk)).status_code == expected
    assert client.get(page(org, plan.pk, "plan.pdf")).status_code == expected
    assert client.get(api(org, plan.pk)).status_code == expected
    listed = client.get(api(org)).json()["results"]
    assert (plan.pk in [row["id"] for row in listed]) is (expected == 200)


@pytest.mark.parametrize(("who", "expected"), [("report", 404), ("manager", 200), ("hr", 200)])
def test_a_draft_is_not_read_by_the_person_it_is_about(
    org: OrgPeople, who: str, expected: int
) -> None:
    plan = make_plan(org)
    client = login(Client(), getattr(org, who))
    assert client.get(page(org, plan.pk)).status_code == expected
    assert client.get(api(org, plan.pk)).status_code == expected


def test_an_hr_admin_does_not_read_a_draft_about_themselves(org: OrgPeople) -> None:
    plan = make_plan(org, person=org.hr, drafter=org.owner)
    assert login(Client(), org.hr).get(page(org, plan.pk)).status_code == 404
    assert login(Client(), org.owner).get(page(org, plan.pk)).status_code == 200


def test_a_key_reads_plans_with_reviews_read_and_only_then(org: OrgPeople) -> None:
    plan = make_plan(org, approve=True)
    _credential, reading = create_key(org, [Scope.REVIEWS_READ])
    assert key_client(reading).get(api(org, plan.pk)).status_code == 200
    _credential, other = create_key(org, [Scope.MEMBERS_READ])
    assert key_client(other).get(api(org, plan.pk)).status_code == 403


def test_another_organizations_people_and_keys_find_nothing(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    plan = make_plan(org, approve=True)
    their_hr = login(Client(), other_org.hr)
    assert their_hr.get(page(org, plan.pk)).status_code == 404
    assert their_hr.get(page(other_org, plan.pk)).status_code == 404
    _credential, key = create_key(other_org, [Scope.REVIEWS_READ])
    assert key_client(key).get(api(other_org, plan.pk)).status_code == 404


def test_the_reader_rule_is_one_statement_whatever_the_reporting_line(
    org: OrgPeople, skip: Membership
) -> None:
    """No id list: the query text names the reader once, not the people below them."""
    make_plan(org, approve=True)
    with organization_scope(org.organization):
        sql = str(improvement_plan_list(actor=skip).query)
    assert "reporting_path @> ARRAY[" in sql  # the stored line, not a list of people
    assert str(org.report.pk) not in sql.replace(str(skip.pk), "")


def test_the_person_page_shows_the_plan_to_its_readers_and_hides_it_from_peers(
    org: OrgPeople,
) -> None:
    plan = make_plan(org, approve=True)
    url = f"/o/{org.organization.slug}/people/{org.report.pk}/"
    link = page(org, plan.pk)
    assert link in login(Client(), org.manager).get(url).content.decode()
    peer_view = login(Client(), org.report2).get(url)
    assert peer_view.status_code == 200
    assert link not in peer_view.content.decode()
    assert "Improvement plans" not in peer_view.content.decode()


def test_the_pdf_is_a_pdf_with_the_plan_in_it(org: OrgPeople) -> None:
    plan = make_plan(org, approve=True)
    response = login(Client(), org.report).get(page(org, plan.pk, "plan.pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Your improvement plan" in text
    assert REASON.split(" ")[0] in text
    assert "Deliver on the agreed date" in text
    assert org.organization.name in text


def test_the_notification_of_an_approval_reaches_only_readers(org: OrgPeople) -> None:
    from perfmgmt.notifications.models import Notification

    make_plan(org, approve=True)
    with organization_scope(org.organization):
        told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert org.report2.pk not in told
    assert org.colleague.pk not in told
    assert {org.report.pk, org.manager.pk} <= told
