"""The improvement plan pages: drafting and each step in the browser's forms, bad input,
the evidence of the plan's period (each through its own app's rules, private notes never),
the review date on the next 1:1's agenda, the reminder, and the released review's PDF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.meetings.services.meetings import meeting_update_notes
from feedback.meetings.services.private_notes import private_note_add
from perfmgmt.notifications.models import Notification
from perfmgmt.notifications.sweep import run_sweep
from perfmgmt.tenancy.context import organization_scope
from reviews.models import ImprovementPlan, PlanStatus
from reviews.services.release import participant_release
from tests.conftest import OrgPeople, login
from tests.factories import MembershipFactory
from tests.feedback.factories import make_checkin_for_period
from tests.feedback.meetings.factories import make_meeting, make_series
from tests.reviews.pdf_text import pdf_text
from tests.reviews.plan_helpers import make_plan, today
from tests.reviews.release_helpers import written_cycle

pytestmark = pytest.mark.django_db


def base(org: OrgPeople) -> str:
    return f"/o/{org.organization.slug}/reviews/improvement-plans/"


def form_data(org: OrgPeople, **changes: str) -> dict[str, str]:
    start = today(org)
    return {
        "person": str(org.report.pk),
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=60)).isoformat(),
        "reason": "Missed deadlines.",
        "support": "Coaching every week.",
        "expectation_0": "Deliver on time",
        "measure_0": "4 of 4 sprints",
        "review_date_0": (start + timedelta(days=30)).isoformat(),
        **changes,
    }


def test_a_manager_drafts_on_the_page_and_only_people_below_are_offered(org: OrgPeople) -> None:
    client = login(Client(), org.manager)
    form = client.get(f"{base(org)}new/").content.decode()
    assert org.report.display_name in form
    assert org.colleague.display_name not in form
    response = client.post(f"{base(org)}new/", form_data(org))
    assert response.status_code == 302
    with organization_scope(org.organization):
        plan = ImprovementPlan.objects.get()
    assert response["Location"] == f"{base(org)}{plan.pk}/"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expectation_0": "", "measure_0": ""}, "Add at least one expectation"),
        ({"end_date": "2000-01-01"}, "cannot end before it starts"),
        ({"review_date_0": "2099-01-01"}, "within the plan"),
    ],
)
def test_bad_input_on_the_page_is_a_400_with_the_message_and_saves_nothing(
    org: OrgPeople, changes: dict[str, str], message: str
) -> None:
    response = login(Client(), org.manager).post(f"{base(org)}new/", form_data(org, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    with organization_scope(org.organization):
        assert not ImprovementPlan.objects.exists()


def test_each_step_on_the_plan_page(org: OrgPeople) -> None:
    plan = make_plan(org)
    url = f"{base(org)}{plan.pk}/"
    manager, hr, person = (login(Client(), who) for who in (org.manager, org.hr, org.report))
    edit = manager.post(f"{url}edit/", {**form_data(org), "support": "Pairing twice a week."})
    assert edit.status_code == 302
    assert manager.post(f"{url}submit/").status_code == 302
    assert "Approve the plan" in hr.get(url).content.decode()
    assert hr.post(f"{url}send-back/", {"reason": ""}).status_code == 400
    hr.post(f"{url}send-back/", {"reason": "Add a measure."})
    assert "Add a measure." in manager.get(url).content.decode()
    manager.post(f"{url}submit/")
    hr.post(f"{url}approve/")
    assert "Acknowledge the plan" in person.get(url).content.decode()
    person.post(f"{url}acknowledge/", {"comment": "I see it."})
    again = person.post(f"{url}acknowledge/", {"comment": "Twice."})
    assert again.status_code == 409
    manager.post(f"{url}outcome/", {"outcome": "met", "note": "Well done."})
    with organization_scope(org.organization):
        plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert plan.employee_comment == "I see it."
    assert plan.support == "Pairing twice a week."


def test_the_plan_page_shows_the_periods_evidence_but_never_private_notes(org: OrgPeople) -> None:
    plan = make_plan(org, approve=True)
    series = make_series(org.manager, org.report)
    meeting = make_meeting(series, when=timezone.now() - timedelta(days=2))
    make_checkin_for_period(org.report, plan.start_date)
    with organization_scope(org.organization):
        meeting_update_notes(
            actor=org.manager,
            meeting=meeting,
            shared_notes="Agreed to pair daily.",
            expected_version=None,
        )
        private_note_add(actor=org.manager, meeting=meeting, text="My private worry")
    manager_view = login(Client(), org.manager).get(f"{base(org)}{plan.pk}/").content.decode()
    assert "Agreed to pair daily." in manager_view
    assert "Check-in of" in manager_view
    assert "My private worry" not in manager_view
    hr_view = login(Client(), org.hr).get(f"{base(org)}{plan.pk}/").content.decode()
    assert "Agreed to pair daily." not in hr_view  # a 1:1 is its two sides' alone


def test_the_review_date_is_on_the_next_1_1_for_its_two_sides_only(org: OrgPeople) -> None:
    plan = make_plan(org, approve=True)
    with organization_scope(org.organization):
        review_on = plan.review_dates.get().on
    zone = org.organization.zone
    at = datetime.combine(review_on, datetime.min.time(), tzinfo=zone) + timedelta(hours=10)
    series = make_series(org.manager, org.report)
    before = make_meeting(series, when=at - timedelta(days=7))
    after = make_meeting(series, when=at + timedelta(days=1))
    peers = make_meeting(make_series(org.report2, org.report), when=at + timedelta(days=1))
    slug = org.organization.slug

    def agenda(who, meeting) -> str:
        return (
            login(Client(), who)
            .get(f"/o/{slug}/one-on-ones/meetings/{meeting.pk}/")
            .content.decode()
        )

    assert "Improvement plan review due" in agenda(org.manager, after)
    assert "Improvement plan review due" in agenda(org.report, after)
    assert "Improvement plan review due" not in agenda(org.manager, before)
    assert "Improvement plan review due" not in agenda(org.report, peers)
    assert "Improvement plan review due" not in agenda(org.report2, peers)


def test_a_draft_plans_review_date_is_on_no_agenda(org: OrgPeople) -> None:
    plan = make_plan(org)
    with organization_scope(org.organization):
        review_on = plan.review_dates.get().on
    at = datetime.combine(review_on, datetime.min.time(), tzinfo=org.organization.zone)
    meeting = make_meeting(make_series(org.manager, org.report), when=at + timedelta(days=1))
    page = login(Client(), org.manager).get(
        f"/o/{org.organization.slug}/one-on-ones/meetings/{meeting.pk}/"
    )
    assert "Improvement plan review due" not in page.content.decode()


def test_a_review_date_is_reminded_once_on_the_organizations_calendar(org: OrgPeople) -> None:
    org.organization.time_zone = "Pacific/Auckland"
    org.organization.save()
    plan = make_plan(org, approve=True)
    with organization_scope(org.organization):
        review_on = plan.review_dates.get().on
    # Two days before, at 23:00 in Auckland: not yet; one hour later (the next local day) yes.
    three_days_before = datetime.combine(review_on - timedelta(days=3), datetime.min.time())
    late_evening = three_days_before.replace(hour=23, tzinfo=org.organization.zone)
    run_sweep(organization=org.organization, now=late_evening.astimezone(UTC))
    with organization_scope(org.organization):
        assert not Notification.objects.filter(kind="improvement-plan-review-due").exists()

    def told() -> list[int]:
        with organization_scope(org.organization):
            return sorted(
                Notification.objects.filter(kind="improvement-plan-review-due").values_list(
                    "recipient_id", flat=True
                )
            )

    # Midnight in Auckland is still the day before in UTC: the local calendar decides.
    run_sweep(
        organization=org.organization, now=(late_evening + timedelta(hours=1)).astimezone(UTC)
    )
    assert told() == sorted([org.report.pk, org.manager.pk])
    for hours in (2, 30):
        run_sweep(
            organization=org.organization,
            now=(late_evening + timedelta(hours=hours)).astimezone(UTC),
        )
    assert told() == sorted([org.report.pk, org.manager.pk])


def test_the_released_review_pdf_holds_what_its_reader_reads(org: OrgPeople) -> None:
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
        participant_release(actor=org.hr, participant=participant)
    url = f"/o/{org.organization.slug}/reviews/released/{participant.pk}/review.pdf"
    own = login(Client(), org.report).get(url)
    assert own["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(own.content).split())
    assert "Your review in 2026 annual" in text
    assert "manager plans" in text
    assert "Potential" not in text  # a manager-only question
    managers = " ".join(pdf_text(login(Client(), org.manager).get(url).content).split())
    assert "Potential" in managers
    assert login(Client(), org.report2).get(url).status_code == 404


def test_the_list_page_runs_the_same_queries_at_5_and_50_plans(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    def fill(people: OrgPeople, count: int) -> Client:
        with organization_scope(people.organization):
            reports = [
                MembershipFactory.create(organization=people.organization, manager=people.manager)
                for _number in range(count)
            ]
        for person in reports:
            make_plan(people, person=person, approve=True)
        return login(Client(), people.manager)

    def count(client: Client, people: OrgPeople) -> int:
        client.get(base(people))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(base(people)).status_code == 200
        return len(queries)

    small, large = fill(org, 5), fill(other_org, 50)
    assert count(small, org) == count(large, other_org)


def test_the_agenda_item_comes_from_the_hook_reviews_registers_on(org: OrgPeople) -> None:
    """Meetings knows nothing of plans: without the handler reviews registered, no item."""
    from feedback.meetings.hooks import agenda_items_wanted
    from reviews.agenda import plan_review_dates_on_agenda

    assert plan_review_dates_on_agenda in agenda_items_wanted.handlers
    plan = make_plan(org, approve=True)
    with organization_scope(org.organization):
        review_on = plan.review_dates.get().on
    at = datetime.combine(review_on, datetime.min.time(), tzinfo=org.organization.zone)
    meeting = make_meeting(make_series(org.manager, org.report), when=at + timedelta(days=1))
    url = f"/o/{org.organization.slug}/one-on-ones/meetings/{meeting.pk}/"
    with agenda_items_wanted.restored_after(cleared=True):
        page = login(Client(), org.manager).get(url).content.decode()
    assert "Improvement plan review due" not in page


def test_the_review_pdf_speaks_the_readers_language_and_the_organizations_time(
    org: OrgPeople,
) -> None:
    from django.utils import translation

    from perfmgmt.localization import format_clock

    org.organization.time_zone, org.organization.locale = "Pacific/Auckland", "de"
    org.organization.save()
    cycle = written_cycle(org, [org.report])
    with organization_scope(org.organization):
        participant = cycle.participants.get()
        released = participant_release(actor=org.hr, participant=participant)
    url = f"/o/{org.organization.slug}/reviews/released/{participant.pk}/review.pdf"
    text = " ".join(pdf_text(login(Client(), org.report).get(url).content).split())
    assert "Selbsteinschätzung" in text
    assert "Freigegeben" in text
    with timezone.override(org.organization.zone), translation.override("de"):
        clock = format_clock(released.released_at)
    with timezone.override(UTC), translation.override("de"):
        utc_clock = format_clock(released.released_at)
    assert clock != utc_clock
    assert clock in text
