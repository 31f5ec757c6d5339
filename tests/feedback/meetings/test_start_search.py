"""Starting a 1:1: the person is found by a search with a limit, never picked from a list of
everyone (issue 13), with and without JavaScript (the shared person search,
perfmgmt/tenancy/person_search.py, source `meetings.partners`), and the form allows exactly
whom the policy allows (anyone still here but oneself)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feedback.meetings.models import OneOnOneSeries
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.person_search import SEARCH_BUTTON, SEARCH_LIMIT
from tests.bulk import bulk_people
from tests.conftest import OrgPeople

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
INDEX = "/o/acme/one-on-ones/"
SEARCH = "/o/acme/people/search/"
PARTNERS = {"source": "meetings.partners", "name": "other", "id": "id_other", "multiple": "0"}
HTMX = {"HX-Request": "true"}


def choices(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<input type="radio" name="other" value="(\d+)"', html)]


def get(client: Client, url: str, data: dict[str, str] | None = None, **headers: str) -> str:
    response = client.get(url, data, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def typed(client: Client, text: str) -> str:
    """What the search box fetches as one types (htmx)."""
    return get(client, SEARCH, {**PARTNERS, "other__search": text}, **HTMX)


def test_the_index_offers_a_search_not_a_list_of_everyone(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.manager)

    def measured() -> tuple[int, int, int]:
        with CaptureQueriesContext(connection) as queries:
            html = get(client, INDEX)
        return len(html), len(queries), html.count("<option")

    with organization_scope(org.organization):
        bulk_people(org.organization, count=30, manager=org.manager)
    get(client, INDEX)
    small = measured()
    with organization_scope(org.organization):
        bulk_people(org.organization, count=300, manager=org.manager)
    large = measured()

    assert large == small
    assert choices(get(client, INDEX)) == []


def test_the_search_finds_a_bounded_number_of_people_one_may_start_a_one_on_one_with(
    org: OrgPeople, other_org: OrgPeople, client_for: ClientFor
) -> None:
    with organization_scope(org.organization):
        many = bulk_people(org.organization, count=SEARCH_LIMIT + 3, manager=None, name="Quill")
        Membership.objects.filter(pk=org.colleague.pk).update(status=MembershipStatus.LEFT)
    client = client_for(org.manager)

    # Without JavaScript the search button sends the form back: the page, with the matches.
    page = client.post(INDEX, {"other__search": "quill", SEARCH_BUTTON: "other"})
    found = typed(client, "quill")

    assert page.status_code == 200
    assert choices(page.content.decode()) == choices(found)
    assert choices(found) == [person.pk for person in many][:SEARCH_LIMIT]
    assert "type more of the name" in found
    assert choices(typed(client, "Max")) == []  # not oneself
    assert choices(typed(client, "Colleague")) == []  # not who left
    assert choices(typed(client, "globex")) == []  # not another org
    assert choices(typed(client, "Rita")) == [org.report.pk]
    assert "Nobody matches" in typed(client, "zzz")
    with organization_scope(org.organization):
        assert not OneOnOneSeries.objects.exists()


@pytest.mark.parametrize("who", ["self", "left", "stranger", "junk", "nobody"])
def test_the_form_refuses_whom_the_policy_refuses_and_starts_nothing(
    org: OrgPeople, other_org: OrgPeople, client_for: ClientFor, who: str
) -> None:
    with organization_scope(org.organization):
        Membership.objects.filter(pk=org.colleague.pk).update(status=MembershipStatus.LEFT)
    other = {
        "self": org.manager.pk,
        "left": org.colleague.pk,
        "stranger": other_org.report.pk,
        "junk": "x",
        "nobody": "",
    }[who]

    response = client_for(org.manager).post(INDEX, {"other": other, "cadence": "weekly"})

    assert response.status_code == 400
    html = response.content.decode()
    expected = "Find the person by name" if who == "nobody" else "Choose a person from the list."
    assert expected in html
    assert choices(html) == []  # a refused person is not offered back as chosen
    with organization_scope(org.organization):
        assert not OneOnOneSeries.objects.exists()


def test_a_choice_made_stays_chosen_when_the_form_comes_back_and_a_good_one_starts_the_series(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.manager)

    refused = client.post(
        INDEX, {"other": org.report.pk, "cadence": "never", "first_meeting_at": ""}
    )
    started = client.post(INDEX, {"other": org.report.pk, "cadence": "weekly"})

    assert refused.status_code == 400
    assert (
        f'name="other" value="{org.report.pk}" id="id_other_chosen_{org.report.pk}" checked'
        in refused.content.decode()
    )
    assert started.status_code == 302
    with organization_scope(org.organization):
        assert OneOnOneSeries.objects.filter(manager=org.manager, report=org.report).exists()


def test_the_search_box_is_labelled_by_the_field_and_its_matches_are_announced(
    org: OrgPeople, client_for: ClientFor
) -> None:
    html = get(client_for(org.manager), INDEX)

    assert '<label for="id_other">With</label>' in html
    assert 'name="other__search" id="id_other"' in html
    assert 'id="id_other_found" aria-live="polite"' in html
    assert "source=meetings.partners" in html
