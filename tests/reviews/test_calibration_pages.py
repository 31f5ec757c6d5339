"""Calibration pages: opening, the figures, the 9-box, adjusting with a reason, locking,
release showing the calibrated rating, exports; each reader sees only their people."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy.context import organization_scope
from reviews.models import CalibrationChange, CalibrationPlacement, CalibrationSession
from reviews.services import calibration as services
from tests.conftest import OrgPeople
from tests.reviews.calibration_helpers import (
    calibration_cycle,
    open_session,
    second_team,
    set_rating,
)

pytestmark = pytest.mark.django_db


def url(org: OrgPeople, name: str, *args: object) -> str:
    return reverse(f"reviews:{name}", args=[org.organization.slug, *args])


def placement_of(org: OrgPeople, session: CalibrationSession, person) -> CalibrationPlacement:
    with organization_scope(org.organization):
        return CalibrationPlacement.objects.get(session=session, participant__reviewee=person)


def state(org: OrgPeople, placement: CalibrationPlacement) -> tuple:
    with organization_scope(org.organization):
        placement.refresh_from_db()
        changes = CalibrationChange.objects.filter(placement=placement).count()
    return placement.rating, placement.potential, placement.version, changes


def test_hr_opens_a_session_from_the_page(org: OrgPeople, client_for) -> None:
    cycle = calibration_cycle(org, [org.report, org.report2])
    client = client_for(org.hr)
    page = client.get(url(org, "calibration_open", cycle.pk))
    assert page.status_code == 200
    response = client.post(
        url(org, "calibration_open", cycle.pk),
        {"name": "Engineering", "group": "organization", "managers": org.manager.email},
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        session = CalibrationSession.objects.get()
        assert session.placements.count() == 2
        assert list(session.manager_links.values_list("manager", flat=True)) == [org.manager.pk]


def test_opening_with_a_missing_team_is_a_form_error(org: OrgPeople, client_for) -> None:
    cycle = calibration_cycle(org, [org.report])
    response = client_for(org.hr).post(
        url(org, "calibration_open", cycle.pk), {"name": "Team", "group": "team"}
    )
    assert response.status_code == 400
    assert "Choose the team or department." in response.content.decode()
    with organization_scope(org.organization):
        assert not CalibrationSession.objects.exists()


def test_the_session_page_draws_the_distribution_with_a_text_alternative_and_leniency(
    org: OrgPeople, client_for
) -> None:
    other_manager, (theirs,) = second_team(org)
    cycle = calibration_cycle(org, [org.report, org.report2, theirs])
    set_rating(cycle, theirs, "manager", "2")
    session = open_session(org, cycle, managers=[org.manager, other_manager])
    with organization_scope(org.organization):
        services.session_target_set(
            actor=org.hr, session=session, shares={"2": 20, "3": 50, "4": 30}
        )
    page = client_for(org.hr).get(url(org, "calibration_session", session.pk)).content.decode()
    assert "<svg" in page
    assert "<desc" in page
    assert "The same figures as a table" in page
    assert "More lenient" in page
    assert "Stricter" in page
    assert "target 50%" in page
    assert "How did the period go overall?" in page  # per question
    assert "Potential" in page


def test_a_manager_taking_part_sees_only_their_people(org: OrgPeople, client_for) -> None:
    other_manager, (theirs,) = second_team(org)
    cycle = calibration_cycle(org, [org.report, theirs])
    session = open_session(org, cycle, managers=[org.manager, other_manager])
    client = client_for(org.manager)
    box = client.get(url(org, "calibration_nine_box", session.pk)).content.decode()
    assert org.report.display_name in box
    assert theirs.display_name not in box
    foreign = placement_of(org, session, theirs)
    assert client.get(url(org, "calibration_placement", foreign.pk)).status_code == 404
    csv_text = b"".join(client.get(url(org, "calibration_export_csv", session.pk))).decode()
    assert org.report.display_name in csv_text
    assert theirs.display_name not in csv_text


def test_someone_not_taking_part_gets_404(org: OrgPeople, client_for) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle, managers=[org.manager])
    for person in (org.colleague, org.report):
        client = client_for(person)
        assert client.get(url(org, "calibration_session", session.pk)).status_code == 404
        assert client.get(url(org, "calibration_nine_box", session.pk)).status_code == 404


def test_a_move_on_the_nine_box_with_a_reason_is_saved_and_shown_in_the_history(
    org: OrgPeople, client_for
) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle, managers=[org.manager])
    placement = placement_of(org, session, org.report)
    client = client_for(org.manager)
    response = client.post(
        url(org, "calibration_move", placement.pk),
        {"move-box": "2-3", "move-reason": "Solid year, big potential"},
    )
    assert response.status_code == 302
    assert state(org, placement)[:2] == (3, 3)
    page = client.get(url(org, "calibration_placement", placement.pk)).content.decode()
    assert "Solid year, big potential" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"adjust-rating": "3", "adjust-reason": ""}, "A reason is required."),
        ({"adjust-rating": "9", "adjust-reason": "Too high"}, "Select a valid choice"),
    ],
)
def test_bad_adjustments_are_form_errors_and_change_nothing(
    org: OrgPeople, client_for, data, message
) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    placement = placement_of(org, session, org.report)
    before = state(org, placement)
    response = client_for(org.hr).post(url(org, "calibration_placement", placement.pk), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state(org, placement) == before


def test_after_locking_changes_are_refused_with_409_and_release_shows_the_calibrated_rating(
    org: OrgPeople, client_for
) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    placement = placement_of(org, session, org.report)
    hr = client_for(org.hr)
    hr.post(
        url(org, "calibration_placement", placement.pk),
        {"adjust-rating": "5", "adjust-potential": "3", "adjust-reason": "Carried the launch"},
    )
    assert hr.post(url(org, "calibration_lock", session.pk)).status_code == 302
    before = state(org, placement)
    refused = hr.post(
        url(org, "calibration_placement", placement.pk),
        {"adjust-rating": "2", "adjust-reason": "After the lock"},
    )
    assert refused.status_code == 409
    assert state(org, placement) == before
    hr.post(url(org, "participant_release", placement.participant_id))
    page = client_for(org.report).get(url(org, "released", placement.participant_id))
    text = page.content.decode()
    assert "Outstanding (5)" in text
    assert "Calibrated" in text


def test_exports_escape_formulas_and_are_audited(org: OrgPeople, client_for) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    placement = placement_of(org, session, org.report)
    with organization_scope(org.organization):
        services.placement_adjust(
            actor=org.hr,
            placement=placement,
            change=services.PlacementChange(rating="3"),
            reason='=HYPERLINK("http://evil")',
        )
    client = client_for(org.hr)
    csv_text = b"".join(client.get(url(org, "calibration_export_csv", session.pk))).decode()
    assert "'=HYPERLINK" in csv_text
    xlsx = client.get(url(org, "calibration_export_xlsx", session.pk))
    assert xlsx.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(xlsx.streaming_content)))
    sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    strings = (
        archive.read("xl/sharedStrings.xml").decode()
        if "xl/sharedStrings.xml" in archive.namelist()
        else sheet
    )
    assert "'=HYPERLINK" in strings.replace("&apos;", "'")
    assert "<f>" not in sheet
    with organization_scope(org.organization):
        formats = sorted(
            e.changes["format"] for e in AuditEntry.objects.filter(action="calibration.exported")
        )
    assert formats == ["csv", "xlsx"]


def test_hr_exports_cycles_side_by_side(org: OrgPeople, client_for) -> None:
    first = calibration_cycle(org, [org.report], name="2025")
    second = calibration_cycle(org, [org.report], name="2026")
    session = open_session(org, second)
    placement = placement_of(org, session, org.report)
    with organization_scope(org.organization):
        services.placement_adjust(
            actor=org.hr,
            placement=placement,
            change=services.PlacementChange(rating="5"),
            reason="Exceptional",
        )
        services.session_lock(actor=org.hr, session=session)
    client = client_for(org.hr)
    response = client.get(
        url(org, "calibration_cycles_export"), {"cycles": [first.pk, second.pk], "format": "csv"}
    )
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("Person,2025: manager rating,2025: final rating,2026")
    assert lines[1].endswith(",4,4,4,5")
    assert client_for(org.manager).get(url(org, "calibration_cycles_export")).status_code == 403
    too_many = client.get(url(org, "calibration_cycles_export"), {"cycles": ["999999"]})
    assert too_many.status_code == 400


def test_hr_sets_a_target_on_the_page_and_a_wrong_total_is_a_form_error(
    org: OrgPeople, client_for
) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    client = client_for(org.hr)
    wrong = client.post(url(org, "calibration_target", session.pk), {"level_3": "50"})
    assert wrong.status_code == 400
    assert "The shares add up to 100 percent." in wrong.content.decode()
    with organization_scope(org.organization):
        session.refresh_from_db()
    assert session.target_distribution == {}
    right = client.post(
        url(org, "calibration_target", session.pk), {"level_3": "60", "level_4": "40"}
    )
    assert right.status_code == 302
    with organization_scope(org.organization):
        session.refresh_from_db()
    assert session.target_distribution == {"3": 60, "4": 40}
    assert (
        client_for(org.manager)
        .post(url(org, "calibration_target", session.pk), {"level_3": "100"})
        .status_code
        == 403
    )
