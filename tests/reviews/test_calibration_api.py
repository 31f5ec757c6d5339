"""Calibration over the API: scopes (calibration:write for adjustments), who reads which
people, bad input with field messages and nothing changed, query counts at 5 and 50."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from reviews.models import CalibrationChange, CalibrationPlacement, CalibrationSession
from reviews.services import calibration as services
from tests.conftest import OrgPeople, login
from tests.factories import MembershipFactory
from tests.reviews.calibration_helpers import calibration_cycle, open_session, second_team

pytestmark = pytest.mark.django_db


def api(org: OrgPeople, resource: str, object_id: int | None = None, action: str = "") -> str:
    base = f"/api/v1/orgs/{org.organization.slug}/reviews/{resource}/"
    if object_id is not None:
        base += f"{object_id}/"
    return base + (f"{action}/" if action else "")


def placement_of(org: OrgPeople, person) -> CalibrationPlacement:
    with organization_scope(org.organization):
        return CalibrationPlacement.objects.get(participant__reviewee=person)


def state(org: OrgPeople, placement: CalibrationPlacement) -> tuple:
    with organization_scope(org.organization):
        placement.refresh_from_db()
        return placement.rating, placement.potential, placement.version, placement.changes.count()


def test_a_key_needs_calibration_write_to_adjust(org: OrgPeople, api_with_key) -> None:
    cycle = calibration_cycle(org, [org.report])
    open_session(org, cycle)
    placement = placement_of(org, org.report)
    body = {"placement": placement.pk, "rating": "3", "reason": "Peers rated lower"}
    reader = api_with_key(org, scopes=[Scope.REVIEWS_READ, Scope.REVIEWS_WRITE])
    assert reader.post(api(org, "calibration-adjustments"), body, format="json").status_code == 403
    adjuster = api_with_key(org, scopes=[Scope.REVIEWS_READ, Scope.CALIBRATION_WRITE])
    response = adjuster.post(api(org, "calibration-adjustments"), body, format="json")
    assert response.status_code == 201
    assert response.json()["rating"] == "3.00"
    history = adjuster.get(api(org, "calibration-adjustments"), {"placement": placement.pk})
    assert history.json()["results"][0]["reason"] == "Peers rated lower"


def test_a_move_over_the_api_places_the_person_in_the_box(org: OrgPeople, api_as) -> None:
    cycle = calibration_cycle(org, [org.report])
    open_session(org, cycle)
    placement = placement_of(org, org.report)
    response = api_as(org.hr).post(
        api(org, "calibration-adjustments"),
        {"placement": placement.pk, "performance": 1, "potential": 3, "reason": "Rough diamond"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["box"] == "Rough diamond"
    assert response.json()["rating"] == "2.00"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"rating": "3", "reason": ""}, 400, "reason"),
        ({"rating": "0", "reason": "Below the scale"}, 400, "rating"),
        ({"potential": 7, "reason": "No such band"}, 400, "potential"),
        ({"performance": 9, "potential": 1, "reason": "No such box"}, 400, "potential"),
    ],
)
def test_bad_adjustments_answer_field_messages_and_change_nothing(
    org: OrgPeople, api_as, body, status, field
) -> None:
    cycle = calibration_cycle(org, [org.report])
    open_session(org, cycle)
    placement = placement_of(org, org.report)
    before = state(org, placement)
    response = api_as(org.hr).post(
        api(org, "calibration-adjustments"), {"placement": placement.pk, **body}, format="json"
    )
    assert response.status_code == status
    assert field in response.json()["error"]["fields"]
    assert state(org, placement) == before


def test_a_locked_session_answers_409_and_changes_nothing(org: OrgPeople, api_as) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    placement = placement_of(org, org.report)
    client = api_as(org.hr)
    assert client.post(api(org, "calibration-sessions", session.pk, "lock")).status_code == 200
    before = state(org, placement)
    response = client.post(
        api(org, "calibration-adjustments"),
        {"placement": placement.pk, "rating": "2", "reason": "Late"},
        format="json",
    )
    assert response.status_code == 409
    assert state(org, placement) == before


def test_hr_opens_a_session_and_sets_a_target_over_the_api(org: OrgPeople, api_as) -> None:
    cycle = calibration_cycle(org, [org.report, org.report2])
    client = api_as(org.hr)
    response = client.post(
        api(org, "calibration-sessions"),
        {"cycle": cycle.pk, "name": "API", "group": "organization", "managers": [org.manager.pk]},
        format="json",
    )
    assert response.status_code == 201
    session_id = response.json()["id"]
    assert response.json()["managers"] == [org.manager.pk]
    target = client.post(
        api(org, "calibration-sessions", session_id, "target"),
        {"target": {"4": 60, "3": 40}},
        format="json",
    )
    assert target.status_code == 200
    assert target.json()["target_distribution"] == {"4": 60, "3": 40}
    bad = client.post(
        api(org, "calibration-sessions", session_id, "target"),
        {"target": {"4": 60}},
        format="json",
    )
    assert bad.status_code == 400
    figures = client.get(api(org, "calibration-sessions", session_id, "figures")).json()
    assert {bar["rating"]: bar["count"] for bar in figures["overall"]}["4"] == 2
    assert figures["by_manager"][0]["count"] == 2


def test_a_manager_reads_only_their_people_and_sessions_they_take_part_in(
    org: OrgPeople, api_as
) -> None:
    other_manager, (theirs,) = second_team(org)
    cycle = calibration_cycle(org, [org.report, theirs])
    session = open_session(org, cycle, managers=[org.manager, other_manager])
    client = api_as(org.manager)
    listed = client.get(api(org, "calibration-placements"), {"session": session.pk}).json()
    assert [row["reviewee"] for row in listed["results"]] == [org.report.pk]
    foreign = placement_of(org, theirs)
    assert client.get(api(org, "calibration-placements", foreign.pk)).status_code == 404
    refused = client.post(
        api(org, "calibration-adjustments"),
        {"placement": foreign.pk, "rating": "5", "reason": "Not mine"},
        format="json",
    )
    assert refused.status_code == 404
    outsider = api_as(org.colleague)
    assert outsider.get(api(org, "calibration-sessions")).json()["results"] == []
    assert outsider.get(api(org, "calibration-sessions", session.pk)).status_code == 404


def test_the_session_export_over_the_api_is_csv_or_xlsx(org: OrgPeople, api_with_key) -> None:
    cycle = calibration_cycle(org, [org.report])
    session = open_session(org, cycle)
    reader = api_with_key(org, scopes=[Scope.REVIEWS_READ])
    csv_response = reader.get(api(org, "calibration-sessions", session.pk, "export"))
    assert org.report.display_name in b"".join(csv_response.streaming_content).decode()
    xlsx = reader.get(
        api(org, "calibration-sessions", session.pk, "export"), {"file_format": "xlsx"}
    )
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    bad = reader.get(api(org, "calibration-sessions", session.pk, "export"), {"file_format": "pdf"})
    assert bad.status_code == 400


# Query counts ------------------------------------------------------------------------------


def sized(org: OrgPeople, size: int) -> CalibrationSession:
    """A session of `size` people under two managers, some adjusted."""
    other_manager, others = second_team(org, size=size // 2)
    mine = [
        MembershipFactory.create(organization=org.organization, manager=org.manager, team=None)
        for _ in range(size - len(others))
    ]
    cycle = calibration_cycle(org, [*mine, *others], name=f"Sized {size}")
    session = open_session(org, cycle, managers=[org.manager, other_manager])
    with organization_scope(org.organization):
        for placement in CalibrationPlacement.objects.filter(session=session)[:3]:
            services.placement_adjust(
                actor=org.hr,
                placement=placement,
                change=services.PlacementChange(rating="3", potential=2),
                reason="Calibrated",
            )
    return session


def count(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, path
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(queries)


def _pages(people: OrgPeople, session: CalibrationSession) -> list[str]:
    slug = people.organization.slug
    return [
        reverse("reviews:calibration_session", args=[slug, session.pk]),
        reverse("reviews:calibration_nine_box", args=[slug, session.pk]),
        reverse("reviews:calibration", args=[slug]),
    ]


def _endpoints(people: OrgPeople, session: CalibrationSession) -> list[str]:
    return [
        api(people, "calibration-sessions"),
        api(people, "calibration-sessions", session.pk, "figures"),
        api(people, "calibration-placements"),
        api(people, "calibration-adjustments"),
    ]


@pytest.mark.parametrize("who", ["hr", "manager"])
def test_calibration_pages_and_endpoints_run_the_same_queries_at_5_and_50_people(
    org: OrgPeople, other_org: OrgPeople, client_for, api_as, who: str
) -> None:
    small, large = sized(org, 5), sized(other_org, 50)
    for kind, paths in (("page", _pages), ("api", _endpoints)):
        for small_path, large_path in zip(paths(org, small), paths(other_org, large), strict=True):
            make = client_for if kind == "page" else api_as
            few = count(make(getattr(org, who)), small_path)
            many = count(make(getattr(other_org, who)), large_path)
            assert few == many, f"{small_path}: {few} queries at 5, {many} at 50"


def test_the_export_runs_the_same_queries_at_5_and_50_people(
    org: OrgPeople, other_org: OrgPeople, client_for
) -> None:
    small, large = sized(org, 5), sized(other_org, 50)
    few = count(
        login(client_for(org.hr), org.hr),
        reverse("reviews:calibration_export_csv", args=[org.organization.slug, small.pk]),
    )
    many = count(
        client_for(other_org.hr),
        reverse("reviews:calibration_export_csv", args=[other_org.organization.slug, large.pk]),
    )
    assert few == many
    with organization_scope(org.organization):
        assert CalibrationChange.objects.count() == 3


def test_an_adjustment_of_someone_in_no_session_is_not_found(org: OrgPeople, api_as) -> None:
    cycle = calibration_cycle(org, [org.report])
    open_session(org, cycle)
    response = api_as(org.hr).post(
        api(org, "calibration-adjustments"),
        {"placement": 987654321, "rating": "3", "reason": "Nobody"},
        format="json",
    )
    assert response.status_code == 404
    with organization_scope(org.organization):
        assert not CalibrationChange.objects.exists()
