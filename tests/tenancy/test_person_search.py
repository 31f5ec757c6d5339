"""Choosing people by searching (perfmgmt/tenancy/person_search.py): form pages never list
the whole organization, the search finds a bounded number, only among whom the reader may
choose, and never anyone of another organization."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import FeedbackRequest
from perfmgmt.tenancy import person_search
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SEARCH = "/o/acme/people/search/"
ASKABLE = {"source": "feedback.askable", "name": "people", "id": "id_people", "multiple": "1"}


def crowd(org: OrgPeople, count: int, name: str = "Sam Crowd") -> None:
    for number in range(count):
        MembershipFactory.create(
            organization=org.organization, full_name=f"{name} {number:03d}", manager=org.owner
        )


@pytest.mark.parametrize(
    "page",
    ["feedback/requests/new/", "feedback/give/", "people/invite/", "goals/assign/", "one-on-ones/"],
)
def test_a_form_page_lists_nobody_before_a_search(org, client_for, page) -> None:
    crowd(org, 30)
    response = client_for(org.hr).get(f"/o/acme/{page}")

    assert response.status_code == 200
    assert "Sam Crowd" not in response.content.decode()
    assert "<option" not in response.content.decode().split("person-search")[1][:2000]


def test_the_search_shows_a_bounded_number_and_says_there_are_more(org, client_for) -> None:
    crowd(org, person_search.SEARCH_LIMIT + 5)
    response = client_for(org.report).get(SEARCH, {**ASKABLE, "people__search": "crowd"})
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count('name="people"') == person_search.SEARCH_LIMIT
    assert "type more of the name" in html


def test_the_search_finds_by_email_and_leaves_out_who_is_chosen_and_oneself(
    org, client_for
) -> None:
    with organization_scope(org.organization):
        email = org.colleague.user.email
    response = client_for(org.report).get(
        SEARCH, {**ASKABLE, "people__search": email.split("@")[0], "people": [org.manager.pk]}
    )
    html = response.content.decode()
    assert f'value="{org.colleague.pk}"' in html

    everyone = client_for(org.report).get(
        SEARCH, {**ASKABLE, "people__search": "(acme)", "people": [org.manager.pk]}
    )
    html = everyone.content.decode()
    assert f'value="{org.manager.pk}"' not in html  # chosen already
    assert f'value="{org.report.pk}"' not in html  # oneself: not askable
    assert f'value="{org.report2.pk}"' in html


def test_another_organizations_people_are_never_found(org, other_org, client_for) -> None:
    response = client_for(org.report).get(SEARCH, {**ASKABLE, "people__search": "other"})
    assert "(other" not in response.content.decode()
    response = client_for(org.report).get(SEARCH, {**ASKABLE, "people__search": "Report"})
    assert f'value="{other_org.report.pk}"' not in response.content.decode()
    assert f'value="{org.report2.pk}"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {**ASKABLE, "source": "no.such.source"},
        {**ASKABLE, "name": "<script>"},
        {**ASKABLE, "id": 'x" onmouseover="y'},
        {},
    ],
)
def test_an_unknown_source_or_a_crafted_field_name_is_a_404(org, client_for, query) -> None:
    assert client_for(org.report).get(SEARCH, query).status_code == 404


def test_a_person_of_another_organization_sent_as_a_choice_is_refused(
    org, other_org, client_for
) -> None:
    response = client_for(org.report).post(
        "/o/acme/feedback/requests/new/",
        {
            "subject": org.report.pk,
            "people": [other_org.colleague.pk],
            "prompt": "How was my demo?",
            "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )

    assert response.status_code == 400
    assert "Choose people from the list." in response.content.decode()
    with organization_scope(org.organization):
        assert not FeedbackRequest.objects.exists()


def test_the_search_button_shows_the_matches_keeps_what_was_typed_and_changes_nothing(
    org, client_for
) -> None:
    response = client_for(org.report).post(
        "/o/acme/feedback/requests/new/",
        {
            "subject": org.report.pk,
            "people": [org.manager.pk],
            "people__search": "Cora",
            person_search.SEARCH_BUTTON: "people",
            "prompt": "How was my demo?",
        },
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "How was my demo?" in html
    assert f'value="{org.colleague.pk}" id="id_people_found_{org.colleague.pk}"' in html
    assert f'value="{org.manager.pk}" id="id_people_chosen_{org.manager.pk}" checked' in html
    assert "errorlist" not in html  # not finished yet: nothing to complain about
    with organization_scope(org.organization):
        assert not FeedbackRequest.objects.exists()


def test_choosing_more_people_than_a_field_keeps_is_refused(org, client_for) -> None:
    crowd(org, person_search.MAX_CHOSEN + 1)
    with organization_scope(org.organization):
        ids = list(
            Membership.objects.filter(full_name__startswith="Sam Crowd").values_list(
                "pk", flat=True
            )
        )
    response = client_for(org.report).post(
        "/o/acme/feedback/requests/new/",
        {"subject": org.report.pk, "people": ids, "prompt": "x", "due_on": "2030-01-01"},
    )
    assert response.status_code == 400
    assert f"Choose at most {person_search.MAX_CHOSEN} people." in response.content.decode()
