"""HR's progress page: completion by team and manager in SQL, the late list, reminding the
late ones once a day, and the CSV export with scores and escaped formulas."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from perfmgmt.exports import escape_cell
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from reviews.models import PhaseKind, ReviewerKind
from reviews.services.release import participant_release
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import running_cycle
from tests.reviews.release_helpers import DAY, submit, written_cycle

pytestmark = pytest.mark.django_db


def late_phases():
    now = timezone.now()
    return {
        PhaseKind.SELF: (now - 10 * DAY, now - DAY),  # closed: the unsubmitted are late
        PhaseKind.MANAGER: (now - 5 * DAY, now + DAY),  # closing tomorrow: due soon
    }


def progress_url(org: OrgPeople, cycle) -> str:
    return reverse("reviews:cycle_progress", args=[org.organization.slug, cycle.pk])


def test_hr_sees_completion_by_team_and_manager_with_text_percentages(
    org: OrgPeople, client_for
) -> None:
    cycle = running_cycle(org, [org.report, org.report2], phases=late_phases())
    with organization_scope(org.organization):
        submit(cycle.participants.get(reviewee=org.report).reviews.get(kind="self"), {})
    response = client_for(org.hr).get(progress_url(org, cycle))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Self-assessments submitted" in page
    assert "50% (1 of 2)" in page
    assert "Engineering" in page
    assert "Max Manager" in page
    assert "Ravi Report" in page  # late with the self-assessment
    assert page.count("<h1") == 1


def test_only_hr_follows_the_progress(org: OrgPeople, client_for) -> None:
    cycle = running_cycle(org, [org.report], phases=late_phases())
    for person in (org.manager, org.report):
        assert client_for(person).get(progress_url(org, cycle)).status_code == 403


def _page_queries(org: OrgPeople, client, count: int, name: str) -> int:
    people = [
        MembershipFactory.create(organization=org.organization, manager=org.manager)
        for _ in range(count)
    ]
    cycle = running_cycle(org, people, phases=late_phases(), name=name)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(progress_url(org, cycle)).status_code == 200
    return len(queries)


def test_the_progress_page_costs_the_same_queries_at_5_and_50_participants(
    org: OrgPeople, client_for
) -> None:
    client = client_for(org.hr)
    assert _page_queries(org, client, 5, "Five") == _page_queries(org, client, 50, "Fifty")


def test_reminding_the_late_ones_sends_once_a_day_and_says_so(org: OrgPeople, client_for) -> None:
    cycle = running_cycle(org, [org.report, org.report2], phases=late_phases())
    client = client_for(org.hr)
    url = reverse("reviews:cycle_remind_late", args=[org.organization.slug, cycle.pk])
    first = client.post(url, follow=True)
    assert "4 reminders sent." in first.content.decode()
    with organization_scope(org.organization):
        sent = Notification.objects.filter(kind="review-late")
        assert sorted(note.recipient.pk for note in sent) == sorted(
            [org.report.pk, org.report2.pk, org.manager.pk, org.manager.pk]
        )
        day = timezone.localtime(timezone.now(), org.organization.zone).date().isoformat()
        participant = cycle.participants.get(reviewee=org.report)
        assert sent.filter(key=f"review-late:{participant.pk}:self:{day}").exists()
    second = client.post(url, follow=True)
    assert "reminded today already" in second.content.decode()
    with organization_scope(org.organization):
        assert Notification.objects.filter(kind="review-late").count() == 4
    assert client_for(org.manager).post(url).status_code == 403


def test_an_extension_beyond_the_reminder_days_is_not_late(org: OrgPeople, scope) -> None:
    from reviews.selectors.progress import late_reviews

    cycle = running_cycle(org, [org.report, org.report2], phases=late_phases())
    cycle.participants.filter(reviewee=org.report2).update(
        self_deadline=timezone.now() + timedelta(days=20)
    )
    late = late_reviews(cycle=cycle, now=timezone.now()).filter(kind=ReviewerKind.SELF)
    assert [review.author for review in late] == [org.report]


def test_the_export_has_a_row_per_participant_with_scores_and_escaped_formulas(
    org: OrgPeople, client_for
) -> None:
    org.report.full_name = "=HYPERLINK(evil)"
    org.report.save()
    cycle = written_cycle(org, [org.report, org.report2])
    with organization_scope(org.organization):
        participant = cycle.participants.get(reviewee=org.report)
        participant_release(actor=org.hr, participant=participant)
    url = reverse("reviews:cycle_export", args=[org.organization.slug, cycle.pk])
    response = client_for(org.hr).get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    by_name = {row[0]: row for row in rows[1:]}
    assert "'=HYPERLINK(evil)" in by_name
    evil = by_name["'=HYPERLINK(evil)"]
    # Self: overall 4 of 1..5 in Results (the only scored section): 75 %. Manager: Results
    # 75 % (weight 60) and Growth's potential 5: 100 % (weight 40): 85 %.
    assert evil[4] == "75.0"
    assert evil[6] == "85.0"
    assert evil[7] == "10.0"
    assert evil[8] != ""
    assert by_name["Ravi Report (acme)"][8] == ""
    assert client_for(org.manager).get(url).status_code == 403


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_is_escaped(start: str) -> None:
    assert escape_cell(f"{start}1+1") == f"'{start}1+1"
    assert escape_cell("plain") == "plain"


def test_the_managers_are_shown_a_page_at_a_time(org: OrgPeople, client_for) -> None:
    managers = [
        MembershipFactory.create(organization=org.organization, full_name=f"Boss {number:02d}")
        for number in range(25)
    ]
    people = [
        MembershipFactory.create(organization=org.organization, manager=manager)
        for manager in managers
    ]
    cycle = running_cycle(org, people, phases=late_phases())
    client = client_for(org.hr)
    first = client.get(progress_url(org, cycle)).content.decode()
    assert "Boss 00" in first
    assert "Boss 19" in first
    assert "Boss 20" not in first
    assert "?managers=2" in first
    second = client.get(progress_url(org, cycle) + "?managers=2").content.decode()
    assert "Boss 24" in second
    assert "Boss 00" not in second
