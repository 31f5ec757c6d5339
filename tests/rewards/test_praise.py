"""Praise: given in public to colleagues, read by everyone of the organization and nobody
outside it, told to each person praised, taken down by its giver or an HR admin; values kept
by HR admins. Through the services, the pages and the API."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from perfmgmt.web.person_page import SECTION_ROWS
from rewards import services
from rewards.models import MAX_MESSAGE, CompanyValue, Praise
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.rewards.factories import make_praise, make_value

pytestmark = pytest.mark.django_db


def _feed(org: OrgPeople) -> str:
    return f"/o/{org.organization.slug}/praise/"


def _api(org: OrgPeople) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/praise/"


# --- Giving -------------------------------------------------------------------------------


def test_praise_is_on_everyones_feed_and_each_person_praised_is_told(
    org: OrgPeople, client_for: Any
) -> None:
    value = make_value(org.owner)
    praise = make_praise(org.manager, [org.report, org.report2], "Shipped the beta", value)

    for reader in (org.colleague, org.hr, org.report):
        page = client_for(reader).get(_feed(org)).content.decode()
        assert "Shipped the beta" in page
        assert "Customers first" in page
    with organization_scope(org.organization):
        told = Notification.objects.filter(kind="praise-received").order_by("recipient_id")
        assert [n.recipient_id for n in told] == sorted([org.report.pk, org.report2.pk])
        assert all(org.manager.display_name in n.title for n in told)
        assert all(n.url.endswith(f"/praise/{praise.pk}/") for n in told)


def test_another_organization_reads_none_of_it(
    org: OrgPeople, other_org: OrgPeople, client_for: Any, api_as: Any
) -> None:
    praise = make_praise(org.manager, [org.report], "Only for acme")

    outsider = client_for(other_org.owner)
    assert outsider.get(_feed(org)).status_code == 404
    assert "Only for acme" not in outsider.get(_feed(other_org)).content.decode()
    detail = f"/o/{other_org.organization.slug}/praise/{praise.pk}/"
    assert outsider.get(detail).status_code == 404
    assert api_as(other_org.owner).get(f"{_api(other_org)}{praise.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("nobody", "recipients"),
        ("oneself", "recipients"),
        ("left", "recipients"),
        ("empty", "message"),
        ("too long", "message"),
        ("retired value", "value"),
        ("too many", "recipients"),
    ],
)
def test_praise_that_breaks_a_rule_is_refused_on_its_field(
    org: OrgPeople, case: str, field: str
) -> None:
    left = MembershipFactory.create(organization=org.organization, status=MembershipStatus.LEFT)
    value = make_value(org.owner)
    with organization_scope(org.organization):
        CompanyValue.objects.filter(pk=value.pk).update(active=False)
        value.refresh_from_db()
    many = [MembershipFactory.create(organization=org.organization) for _ in range(21)]
    cases: dict[str, dict[str, Any]] = {
        "nobody": {"recipients": []},
        "oneself": {"recipients": [org.report, org.manager]},
        "left": {"recipients": [left]},
        "empty": {"message": "   "},
        "too long": {"message": "x" * (MAX_MESSAGE + 1)},
        "retired value": {"value": value},
        "too many": {"recipients": many},
    }
    call = {"recipients": [org.report], "message": "Thanks", **cases[case]}

    with organization_scope(org.organization), pytest.raises(DomainError) as refused:
        services.praise_give(actor=org.manager, **call)

    assert list(refused.value.fields) == [field]
    with organization_scope(org.organization):
        assert not Praise.objects.exists()


def test_the_give_page_posts_praise_and_keeps_what_was_typed_on_a_refusal(
    org: OrgPeople, client_for: Any
) -> None:
    client = client_for(org.report)
    give = f"{_feed(org)}give/"
    assert client.get(give).status_code == 200

    refused = client.post(give, {"recipients": [org.report2.pk], "message": ""})
    assert refused.status_code == 400
    posted = client.post(give, {"recipients": [org.report2.pk], "message": "Great pairing"})

    assert posted.status_code == 302
    with organization_scope(org.organization):
        praise = Praise.objects.get()
    assert posted["Location"].endswith(f"/praise/{praise.pk}/")
    assert "Great pairing" in client.get(posted["Location"]).content.decode()


def test_someone_of_another_organization_cannot_be_praised(
    org: OrgPeople, other_org: OrgPeople, client_for: Any, api_as: Any
) -> None:
    page = client_for(org.report).post(
        f"{_feed(org)}give/", {"recipients": [other_org.report.pk], "message": "Hi"}
    )
    api = api_as(org.report).post(
        _api(org), {"recipients": [other_org.report.pk], "message": "Hi"}, format="json"
    )

    assert page.status_code == 400
    assert api.status_code == 400
    assert "recipients" in api.json()["error"]["fields"]
    with organization_scope(other_org.organization):
        assert not Notification.objects.filter(kind="praise-received").exists()


# --- Reading: the feed and its filters ----------------------------------------------------


def test_the_feed_shows_praise_for_one_person_or_one_value(org: OrgPeople, client_for: Any) -> None:
    value = make_value(org.owner)
    first = make_praise(org.manager, [org.report], "For the report", value)
    second = make_praise(org.manager, [org.report2], "For the other report")
    client = client_for(org.colleague)

    for_person = client.get(f"{_feed(org)}?person={org.report2.pk}").content.decode()
    for_value = client.get(f"{_feed(org)}?value={value.pk}").content.decode()

    assert f"/praise/{second.pk}/" in for_person
    assert f"/praise/{first.pk}/" not in for_person
    assert f"/praise/{first.pk}/" in for_value
    assert f"/praise/{second.pk}/" not in for_value


def test_a_filter_naming_another_organizations_person_or_someone_who_left_is_not_found(
    org: OrgPeople, other_org: OrgPeople, client_for: Any
) -> None:
    left = MembershipFactory.create(organization=org.organization, status=MembershipStatus.LEFT)
    client = client_for(org.report)
    assert client.get(f"{_feed(org)}?person={other_org.report.pk}").status_code == 404
    assert client.get(f"{_feed(org)}?person={left.pk}").status_code == 404
    assert client.get(f"{_feed(org)}?person=nonsense").status_code == 404


def test_the_api_filters_by_person_and_value_and_zero_matches_nothing(
    org: OrgPeople, api_as: Any
) -> None:
    value = make_value(org.owner)
    first = make_praise(org.manager, [org.report], "For the report", value)
    second = make_praise(org.manager, [org.report2], "For the other report")
    api = api_as(org.colleague)

    def ids(query: str) -> list[int]:
        return [row["id"] for row in api.get(f"{_api(org)}?{query}").json()["results"]]

    assert ids(f"person={org.report2.pk}") == [second.pk]
    assert ids(f"value={value.pk}") == [first.pk]
    assert ids("person=0") == []
    assert ids("value=0") == []


def test_the_service_itself_refuses_another_organizations_person_and_value(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    foreign_value = make_value(other_org.owner)
    with organization_scope(org.organization):
        with pytest.raises(DomainError) as person:
            services.praise_give(actor=org.manager, recipients=[other_org.report], message="x")
        with pytest.raises(DomainError) as value:
            services.praise_give(
                actor=org.manager, recipients=[org.report], message="x", value=foreign_value
            )
        assert not Praise.objects.exists()
    assert list(person.value.fields) == ["recipients"]
    assert list(value.value.fields) == ["value"]


def test_every_broken_rule_is_named_at_once(org: OrgPeople) -> None:
    with organization_scope(org.organization), pytest.raises(DomainError) as refused:
        services.praise_give(actor=org.manager, recipients=[], message=" ")
    assert set(refused.value.fields) == {"recipients", "message"}


def test_the_feed_and_the_api_list_ask_the_same_number_of_queries_for_5_and_50_praise(
    org: OrgPeople, client_for: Any, api_as: Any
) -> None:
    value = make_value(org.owner)
    people = [org.report, org.report2, org.colleague]
    client, api = client_for(org.hr), api_as(org.hr)
    counts = []
    for rows in (5, 50):
        with organization_scope(org.organization):
            Praise.objects.all().delete()
        for n in range(rows):
            make_praise(org.manager, people[: 1 + n % 3], f"Thanks {n}", value if n % 2 else None)
        client.get(_feed(org))  # warm up the session
        with CaptureQueriesContext(connection) as page:
            assert client.get(_feed(org)).status_code == 200
        with CaptureQueriesContext(connection) as listed:
            answer = api.get(f"{_api(org)}?page_size=100")
        assert len(answer.json()["results"]) == rows
        counts.append((len(page.captured_queries), len(listed.captured_queries)))

    assert counts[0] == counts[1]


# --- Removing -----------------------------------------------------------------------------


def test_the_giver_and_an_hr_admin_remove_praise_and_nobody_else_does(
    org: OrgPeople, client_for: Any
) -> None:
    first = make_praise(org.manager, [org.report], "First")
    second = make_praise(org.manager, [org.report], "Second")

    refused = client_for(org.report).post(f"{_feed(org)}{first.pk}/remove/")
    by_giver = client_for(org.manager).post(f"{_feed(org)}{first.pk}/remove/")
    by_hr = client_for(org.hr).post(f"{_feed(org)}{second.pk}/remove/")

    assert refused.status_code == 403
    assert (by_giver.status_code, by_hr.status_code) == (302, 302)
    with organization_scope(org.organization):
        assert not Praise.objects.exists()
        # Only HR's removal of someone else's praise is audited, and without its text.
        [entry] = AuditEntry.objects.filter(action=services.REMOVED_ACTION)
        assert entry.actor_membership_id == org.hr.pk
        assert entry.changes == {
            "praise": second.pk,
            "giver": org.manager.pk,
            "recipients": [org.report.pk],
        }
        # The notifications about removed praise say nothing more and send no email.
        told = Notification.objects.filter(kind="praise-received")
        assert told.count() == 2
        assert all(n.resolved_at is not None for n in told)


# --- The API ------------------------------------------------------------------------------


def test_hr_removes_praise_through_the_api_audited_and_a_second_removal_changes_nothing(
    org: OrgPeople, api_as: Any
) -> None:
    praise = make_praise(org.manager, [org.report], "Remove me")
    with organization_scope(org.organization):
        stale = Praise.objects.get(pk=praise.pk)

    assert api_as(org.hr).delete(f"{_api(org)}{praise.pk}/").status_code == 204
    with organization_scope(org.organization):
        services.praise_remove(actor=org.manager, praise=stale)  # the giver, a moment later
        entries = AuditEntry.objects.filter(action=services.REMOVED_ACTION)
        assert [entry.actor_membership_id for entry in entries] == [org.hr.pk]
    assert api_as(org.hr).delete(f"{_api(org)}{praise.pk}/").status_code == 404


def test_the_api_gives_lists_reads_and_removes_praise(org: OrgPeople, api_as: Any) -> None:
    value = make_value(org.owner)
    api = api_as(org.report)

    created = api.post(
        _api(org),
        {"recipients": [org.report2.pk, org.colleague.pk], "message": "Thanks", "value": value.pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert [r["id"] for r in body["recipients"]] == [org.report2.pk, org.colleague.pk]
    assert (body["giver"], body["value_name"], body["message"]) == (
        org.report.pk,
        "Customers first",
        "Thanks",
    )
    assert api_as(org.colleague).get(f"{_api(org)}{body['id']}/").json() == body
    assert api_as(org.colleague).get(_api(org)).json()["results"] == [body]
    assert api_as(org.colleague).delete(f"{_api(org)}{body['id']}/").status_code == 403
    assert api.delete(f"{_api(org)}{body['id']}/").status_code == 204
    assert api.get(f"{_api(org)}{body['id']}/").status_code == 404


def test_api_keys_cannot_use_praise_and_learn_nothing_of_another_organizations(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    praise = make_praise(org.manager, [org.report])
    foreign = make_praise(other_org.manager, [other_org.report])
    _credential, key = create_key(org)
    client = key_client(key)

    assert client.get(_api(org)).status_code == 403
    assert client.get(f"{_api(org)}{praise.pk}/").status_code == 403
    assert client.get(f"{_api(org)}{foreign.pk}/").status_code == 404
    assert (
        client.post(_api(org), {"recipients": [org.report.pk], "message": "x"}).status_code == 403
    )


# --- Values -------------------------------------------------------------------------------


def test_hr_keeps_the_values_and_a_retired_one_is_offered_no_more(
    org: OrgPeople, client_for: Any
) -> None:
    hr = client_for(org.hr)
    values = f"{_feed(org)}values/"

    assert client_for(org.report).get(values).status_code == 403
    assert (
        hr.post(values, {"name": "Be kind", "description": "Assume good intent"}).status_code == 302
    )
    duplicate = hr.post(values, {"name": "BE KIND"})
    assert duplicate.status_code == 400
    assert "already has a value of that name" in duplicate.content.decode()
    with organization_scope(org.organization):
        value = CompanyValue.objects.get(name="Be kind")
    assert "Be kind" in client_for(org.report).get(f"{_feed(org)}give/").content.decode()

    make_value(org.owner, name="Own it")
    renamed = hr.post(f"{values}{value.pk}/", {"name": "own IT", "active": "on"})
    assert renamed.status_code == 400
    retired = hr.post(f"{values}{value.pk}/", {"name": "Be kind", "description": ""})
    assert retired.status_code == 302
    with organization_scope(org.organization):
        value.refresh_from_db()
        assert not value.active
        with pytest.raises(DomainError):
            services.praise_give(
                actor=org.report, recipients=[org.manager], message="x", value=value
            )
        with pytest.raises(PermissionDeniedError):
            services.value_create(actor=org.manager, name="Mine")
    assert "Be kind" not in client_for(org.report).get(f"{_feed(org)}give/").content.decode()


def test_the_person_page_shows_the_praise_they_received_with_a_link_to_all_of_it(
    org: OrgPeople, client_for: Any
) -> None:
    theirs = [make_praise(org.manager, [org.report], f"Thanks {n}") for n in range(SECTION_ROWS)]
    other = make_praise(org.manager, [org.report2], "Not about the report")
    url = reverse("people:profile", args=[org.organization.slug, org.report.pk])
    reader = client_for(org.colleague)

    page = reader.get(url).content.decode()

    assert "Praise received" in page
    assert f"From {org.manager.display_name}" in page
    assert all(f"/praise/{praise.pk}/" in page for praise in theirs)
    assert f"/praise/{other.pk}/" not in page
    assert f"praise/?person={org.report.pk}" not in page  # nothing more to show
    make_praise(org.manager, [org.report], "One more")
    assert f"praise/?person={org.report.pk}" in reader.get(url).content.decode()


# --- Evidence for a review ----------------------------------------------------------------


def test_praise_received_in_the_period_is_evidence_a_review_can_cite(org: OrgPeople) -> None:
    from reviews.evidence import evidence_for, resolve_citations
    from reviews.models import Participant
    from tests.reviews.factories import running_cycle

    running_cycle(org, [org.report])
    theirs = make_praise(org.colleague, [org.report], "Thanks for covering my on-call")
    other = make_praise(org.colleague, [org.report2], "Not the reviewee's")
    earlier = make_praise(org.colleague, [org.report], "Long before the period")
    with organization_scope(org.organization):
        participant = Participant.objects.get(reviewee=org.report)
        before = participant.cycle.period_start - timedelta(days=30)
        Praise.objects.filter(pk=earlier.pk).update(
            created_at=datetime.combine(before, time(12), tzinfo=UTC)
        )
        evidence = evidence_for(actor=org.manager, participant=participant)
        [group] = [group for group in evidence.groups if group.kind == "praise"]
        cited = resolve_citations(
            actor=org.manager,
            participant=participant,
            refs=[f"praise:{theirs.pk}", f"praise:{earlier.pk}", f"praise:{other.pk}"],
        )

    assert [item.ref for item in group.items] == [f"praise:{theirs.pk}"]
    assert f"praise:{other.pk}" not in evidence.by_ref()
    assert cited[f"praise:{theirs.pk}"].url.endswith(f"/praise/{theirs.pk}/")
    # Cited praise of the reviewee from before the period still resolves; another
    # person's is not the reviewee's evidence: named, not linked.
    assert cited[f"praise:{earlier.pk}"].url.endswith(f"/praise/{earlier.pk}/")
    assert cited[f"praise:{other.pk}"].url == ""


def test_the_person_page_asks_the_same_queries_for_5_and_50_praise(
    org: OrgPeople, client_for: Any
) -> None:
    url = reverse("people:profile", args=[org.organization.slug, org.report.pk])
    reader = client_for(org.colleague)
    counts = []
    for rows in (5, 50):
        with organization_scope(org.organization):
            Praise.objects.all().delete()
        for n in range(rows):
            make_praise(org.manager, [org.report, org.report2], f"Thanks {n}")
        reader.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
