"""The retrospective pages: answering, the thank-you state, the results for HR, opening it
by hand, what's next, and their query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from reviews.models import Retrospective, RetrospectiveAnswer, RetrospectiveParticipation
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import running_cycle
from tests.reviews.retrospective_helpers import DAY, answer, open_retrospective, team_cycle

pytestmark = pytest.mark.django_db

GOOD = {
    "goals_realistic": "4",
    "feedback_useful": "5",
    "enough_time": "2",
    "clear_and_fair": "4",
    "comment": "More time for the self-assessment",
}


def answer_url(org: OrgPeople, retrospective: Retrospective) -> str:
    return reverse("reviews:retrospective", args=[org.organization.slug, retrospective.pk])


def results_url(org: OrgPeople, retrospective: Retrospective) -> str:
    return reverse("reviews:retrospective_results", args=[org.organization.slug, retrospective.pk])


def test_the_answer_form_has_a_radio_group_with_a_legend_per_question(
    org: OrgPeople, client_for
) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    page = client_for(org.report).get(answer_url(org, retrospective))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<legend>") == 4
    assert "Goals were realistic" in html
    assert 'type="radio"' in html
    assert 'name="clear_and_fair"' in html
    assert "What should change next time?" in html


def test_answering_thanks_the_person_and_a_second_answer_says_so_with_a_409(
    org: OrgPeople, client_for
) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    client = client_for(org.report)
    sent = client.post(answer_url(org, retrospective), GOOD)
    assert sent.status_code == 302
    thanks = client.get(answer_url(org, retrospective)).content.decode()
    assert "You have answered this retrospective" in thanks
    assert 'type="radio"' not in thanks
    again = client.post(answer_url(org, retrospective), GOOD)
    assert again.status_code == 409
    assert "You have answered this retrospective already." in again.content.decode()
    with organization_scope(org.organization):
        assert RetrospectiveParticipation.objects.count() == 1
        assert RetrospectiveAnswer.objects.count() == 1


def test_a_missing_score_is_a_form_error(org: OrgPeople, client_for) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    missing = {key: value for key, value in GOOD.items() if key != "enough_time"}
    response = client_for(org.report).post(answer_url(org, retrospective), missing)
    assert response.status_code == 400
    assert response.context["form"].errors["enough_time"]
    with organization_scope(org.organization):
        assert not RetrospectiveAnswer.objects.exists()


def test_a_closed_retrospective_shows_that_it_is_closed(org: OrgPeople, client_for) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    with organization_scope(org.organization):
        Retrospective.objects.filter(pk=retrospective.pk).update(
            opened_at=timezone.now() - 20 * DAY, closes_at=timezone.now() - DAY
        )
    client = client_for(org.report)
    page = client.get(answer_url(org, retrospective)).content.decode()
    assert "This retrospective is closed" in page
    assert client.post(answer_url(org, retrospective), GOOD).status_code == 400


def test_someone_who_took_no_part_and_another_organization_get_a_404(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    theirs = open_retrospective(other_org, team_cycle(other_org))
    assert client_for(org.hr).get(answer_url(org, retrospective)).status_code == 404
    assert client_for(org.hr).post(answer_url(org, retrospective), GOOD).status_code == 404
    foreign = reverse("reviews:retrospective", args=[org.organization.slug, theirs.pk])
    assert client_for(org.report).get(foreign).status_code == 404
    foreign_results = reverse(
        "reviews:retrospective_results", args=[org.organization.slug, theirs.pk]
    )
    assert client_for(org.hr).get(foreign_results).status_code == 404


def test_hr_reads_the_results_others_do_not(org: OrgPeople, client_for) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    answer(org, org.report, retrospective, comment="Zebra")
    assert client_for(org.report).get(results_url(org, retrospective)).status_code == 403
    assert client_for(org.manager).get(results_url(org, retrospective)).status_code == 403
    below = client_for(org.hr).get(results_url(org, retrospective)).content.decode()
    assert "1 of 5 people asked have answered (20%)" in below
    assert "Results appear once 3 people have answered." in below
    assert "Zebra" not in below
    answer(org, org.report2, retrospective, comment="Apple")
    answer(org, org.colleague, retrospective)
    shown = client_for(org.hr).get(results_url(org, retrospective)).content.decode()
    assert "Results appear once" not in shown
    assert shown.index("Apple") < shown.index("Zebra")
    assert org.report.display_name not in shown


def test_the_cycle_page_links_the_retrospective_and_hr_opens_one_by_hand(
    org: OrgPeople, client_for
) -> None:
    cycle = running_cycle(org, [org.report])
    client = client_for(org.hr)
    cycle_page = client.get(reverse("reviews:cycle", args=[org.organization.slug, cycle.pk]))
    open_url = reverse("reviews:retrospective_open", args=[org.organization.slug, cycle.pk])
    next_url = reverse("reviews:cycle_next", args=[org.organization.slug, cycle.pk])
    assert open_url in cycle_page.content.decode()
    assert next_url in cycle_page.content.decode()
    assert client.get(open_url).status_code == 200
    assert client.post(open_url, {"days": "0"}).status_code == 400
    opened = client.post(open_url, {"days": "7"})
    assert opened.status_code == 302
    with organization_scope(org.organization):
        retrospective = Retrospective.objects.get()
    assert retrospective.days == 7
    assert opened.url == results_url(org, retrospective)
    after = client.get(reverse("reviews:cycle", args=[org.organization.slug, cycle.pk]))
    assert results_url(org, retrospective) in after.content.decode()
    assert client_for(org.manager).post(open_url, {"days": "7"}).status_code == 403


def test_whats_next_asks_the_person_until_they_answer(org: OrgPeople, client_for) -> None:
    retrospective = open_retrospective(org, team_cycle(org))
    client = client_for(org.report)
    home = reverse("web:home", args=[org.organization.slug])
    assert "Tell us how the cycle went" in client.get(home).content.decode()
    client.post(answer_url(org, retrospective), GOOD)
    assert "Tell us how the cycle went" not in client.get(home).content.decode()


def _people(org: OrgPeople, count: int) -> list:
    return [
        MembershipFactory.create(organization=org.organization, manager=org.manager)
        for _ in range(count)
    ]


def test_the_results_and_answer_pages_ask_the_same_queries_for_5_and_25_answers(
    org: OrgPeople, client_for
) -> None:
    counts = []
    for size in (5, 25):
        people = _people(org, size + 1)
        cycle = running_cycle(org, people, name=f"Cycle of {size}")
        retrospective = open_retrospective(org, cycle)
        for number, person in enumerate(people[:size]):
            answer(org, person, retrospective, (1 + number % 5, 4, 3, 2), f"Comment {number}")
        hr, newcomer = client_for(org.hr), client_for(people[-1])
        hr.get(results_url(org, retrospective))  # warm up the sessions
        newcomer.get(answer_url(org, retrospective))
        with CaptureQueriesContext(connection) as results:
            assert hr.get(results_url(org, retrospective)).status_code == 200
        with CaptureQueriesContext(connection) as answering:
            assert newcomer.get(answer_url(org, retrospective)).status_code == 200
        counts.append((len(results.captured_queries), len(answering.captured_queries)))
    assert counts[0] == counts[1]


def test_the_questions_and_the_invitation_are_in_the_organizations_language(
    org: OrgPeople, client_for, django_capture_on_commit_callbacks
) -> None:
    from perfmgmt.notifications.models import Notification

    org.organization.locale = "de"
    org.organization.save()
    with django_capture_on_commit_callbacks(execute=True):
        retrospective = open_retrospective(org, team_cycle(org))
    page = client_for(org.report).get(answer_url(org, retrospective)).content.decode()
    assert "Die Ziele waren realistisch" in page
    assert "Stimme voll zu" in page
    with organization_scope(org.organization):
        told = Notification.objects.get(recipient=org.report)
    assert told.title == "Sagen Sie uns, wie der Zyklus 2026 mid-year gelaufen ist"
