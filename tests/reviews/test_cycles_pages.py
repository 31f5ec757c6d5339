"""The review cycle pages: HR creates a cycle, sets its phases in the organization's zone,
previews who takes part, launches it and watches the progress, and changes one person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfmgmt.tenancy.context import organization_scope
from reviews.models import CyclePhase, CycleStatus, Participant, Review, ReviewCycle, ReviewStatus
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.reviews.factories import make_template, running_cycle

pytestmark = pytest.mark.django_db

YEAR = datetime.now(UTC).year + 1


def url(org: OrgPeople, path: str = "") -> str:
    return f"/o/{org.organization.slug}/reviews/cycles/{path}"


def cycle_form(template_id: int, **overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Annual",
        "period_start": f"{YEAR - 1}-01-01",
        "period_end": f"{YEAR - 1}-12-31",
        "template": str(template_id),
        "statuses": ["active", "on_leave"],
        "remind_days_before_close": "3",
    }
    return {**data, **overrides}


def phases_form() -> dict[str, str]:
    return {
        "self_opens_on": f"{YEAR}-02-02",
        "self_opens_time": "09:00",
        "self_closes_on": f"{YEAR}-02-16",
        "self_closes_time": "17:00",
        "manager_opens_on": f"{YEAR}-02-09",
        "manager_opens_time": "09:00",
        "manager_closes_on": f"{YEAR}-03-02",
        "manager_closes_time": "17:00",
    }


def create_cycle(org: OrgPeople, client) -> ReviewCycle:
    template = make_template(org)
    response = client.post(url(org, "new/"), cycle_form(template.pk))
    assert response.status_code == 302, response.content.decode()
    with organization_scope(org.organization):
        return ReviewCycle.objects.get(name="Annual")


def test_hr_creates_a_cycle_sets_phases_in_the_org_zone_previews_and_launches(
    org: OrgPeople, client_for, django_capture_on_commit_callbacks
) -> None:
    org.organization.time_zone = "Europe/Berlin"
    org.organization.save()
    client = client_for(org.hr)
    cycle = create_cycle(org, client)
    phases_page = client.get(url(org, f"{cycle.pk}/phases/")).content.decode()
    assert "Self-assessment opens on (Europe/Berlin)" in phases_page
    assert client.post(url(org, f"{cycle.pk}/phases/"), phases_form()).status_code == 302
    with organization_scope(org.organization):
        closes = CyclePhase.objects.get(cycle=cycle, kind="self").closes_at
    assert closes == datetime(YEAR, 2, 16, 16, 0, tzinfo=UTC)  # 17:00 in Berlin's winter
    page = client.get(url(org, f"{cycle.pk}/")).content.decode()
    assert "6 people would take part." in page
    assert "Max Manager (acme)" in page
    assert "Launch the cycle" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(org, f"{cycle.pk}/launch/"))
    assert response.status_code == 302
    with organization_scope(org.organization):
        cycle.refresh_from_db()
        assert cycle.status == CycleStatus.ACTIVE
        assert Participant.objects.filter(cycle=cycle).count() == 6
    progress = client.get(url(org, f"{cycle.pk}/launch/progress/")).content.decode()
    assert "hx-trigger" not in progress
    assert "6 people take part" in progress


def test_a_refused_phase_shows_its_message_and_keeps_what_was_typed(
    org: OrgPeople, client_for
) -> None:
    client = client_for(org.hr)
    cycle = create_cycle(org, client)
    data = {**phases_form(), "self_closes_on": f"{YEAR}-01-01"}
    response = client.post(url(org, f"{cycle.pk}/phases/"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "It must close after it opens." in html
    assert f"{YEAR}-01-01" in html
    with organization_scope(org.organization):
        assert not CyclePhase.objects.filter(cycle=cycle).exists()


def test_the_progress_bar_polls_while_launching(org: OrgPeople, client_for) -> None:
    cycle = running_cycle(org, [org.report])
    with organization_scope(org.organization):
        ReviewCycle.objects.filter(pk=cycle.pk).update(
            status=CycleStatus.LAUNCHING, launch_total=10, launch_done=4
        )
    html = client_for(org.hr).get(url(org, f"{cycle.pk}/launch/progress/")).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="4"' in html
    assert "4 of 10" in html


def test_only_hr_reaches_the_cycle_pages(org: OrgPeople, client_for) -> None:
    assert client_for(org.manager).get(url(org)).status_code == 403
    page = client_for(org.hr).get(f"/o/{org.organization.slug}/").content.decode()
    assert "Review cycles" in page


def test_the_participant_list_runs_the_same_queries_at_5_and_50(org: OrgPeople, client_for) -> None:
    client = client_for(org.hr)

    def queries(count: int) -> int:
        people = MembershipFactory.create_batch(
            count, organization=org.organization, manager=org.manager
        )
        cycle = running_cycle(org, people, name=f"Cycle {count}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(org, f"{cycle.pk}/participants/"))
        assert response.status_code == 200
        assert response.content.decode().count("Extend, reopen, change manager") == min(count, 50)
        return len(captured)

    assert queries(5) == queries(50)


def test_hr_extends_reopens_and_changes_the_manager_from_the_participant_page(
    org: OrgPeople, client_for
) -> None:
    cycle = running_cycle(org, [org.report])
    client = client_for(org.hr)
    with organization_scope(org.organization):
        participant = Participant.objects.get(cycle=cycle)
        review = Review.objects.get(participant=participant, kind="self")
        review.status, review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
        review.save()
        later = (cycle.phases.get(kind="self").closes_at + timedelta(days=3)).astimezone(
            org.organization.zone
        )
    page = client.get(url(org, f"participants/{participant.pk}/")).content.decode()
    assert "Reopen the review by" in page
    with organization_scope(org.organization):
        manager_closes = cycle.phases.get(kind="manager").closes_at
    manager_later = (manager_closes + timedelta(days=3)).astimezone(org.organization.zone)
    too_early = {"kind": "manager", "until_day": later.date().isoformat(), "until_time": "09:00"}
    refused = client.post(url(org, f"participants/{participant.pk}/"), too_early)
    assert refused.status_code == 400
    assert "Give a moment after the phase closes" in refused.content.decode()
    day, clock = later.date().isoformat(), later.strftime("%H:%M")
    response = client.post(
        url(org, f"participants/{participant.pk}/"),
        {
            "kind": "manager",
            "until_day": manager_later.date().isoformat(),
            "until_time": manager_later.strftime("%H:%M"),
        },
    )
    assert response.status_code == 302
    refused = client.post(
        url(org, f"participants/{participant.pk}/reopen/"),
        {"review": review.pk, "reason": "", "until_day": day, "until_time": clock},
    )
    assert refused.status_code == 400
    response = client.post(
        url(org, f"participants/{participant.pk}/reopen/"),
        {"review": review.pk, "reason": "Wrong goal rated", "until_day": day, "until_time": clock},
    )
    assert response.status_code == 302
    preview = client.get(
        url(org, f"participants/{participant.pk}/manager/"), {"email": org.colleague.email}
    ).content.decode()
    assert "The manager review moves to Cora Colleague (acme)" in preview
    response = client.post(
        url(org, f"participants/{participant.pk}/manager/"), {"email": org.colleague.email}
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        participant.refresh_from_db()
        review.refresh_from_db()
        assert participant.manager == org.colleague
        assert participant.manager_deadline is not None
        assert review.status == ReviewStatus.DRAFT


def test_hr_previews_and_adds_a_late_joiner(org: OrgPeople, client_for) -> None:
    cycle = running_cycle(org, [org.report])
    client = client_for(org.hr)
    preview = client.get(
        url(org, f"{cycle.pk}/add-late/"), {"email": org.report2.email}
    ).content.decode()
    assert "What will you learn next?" in preview
    assert "Written by Max Manager (acme)." in preview
    response = client.post(url(org, f"{cycle.pk}/add-late/"), {"email": org.report2.email})
    assert response.status_code == 302
    with organization_scope(org.organization):
        assert Participant.objects.get(cycle=cycle, reviewee=org.report2).added_late


def test_an_email_of_another_organization_is_unknown(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    cycle = running_cycle(org, [org.report])
    response = client_for(org.hr).post(
        url(org, f"{cycle.pk}/add-late/"), {"email": other_org.report2.email}
    )
    assert response.status_code == 400
    assert "Nobody here has this email." in response.content.decode()


def test_a_cycle_page_of_a_launched_cycle_refuses_rule_changes(org: OrgPeople, client_for) -> None:
    cycle = running_cycle(org, [org.report])
    response = client_for(org.hr).post(
        url(org, f"{cycle.pk}/"),
        cycle_form(cycle.template_id, name="Renamed", started_on_or_before="2020-01-01"),
    )
    assert response.status_code == 409
    assert "Add late joiners from the participant list instead." in response.content.decode()


def test_a_running_cycle_leads_to_its_progress_and_release_page(org: OrgPeople, client_for) -> None:
    cycle = running_cycle(org, [org.report])
    html = client_for(org.hr).get(url(org, f"{cycle.pk}/")).content.decode()
    progress = f'href="/o/{org.organization.slug}/reviews/cycles/{cycle.pk}/progress/"'
    assert progress in html
    assert client_for(org.hr).get(url(org, f"{cycle.pk}/progress/")).status_code == 200
