"""POST /api/v1/orgs/<slug>/people/sync/: what an HR system sends, and what it gets back."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from tests.api.conftest import create_key, key_client
from tests.integrations.conftest import chain, person, sync_url, synced


def test_a_sync_creates_people_logins_teams_and_reporting_lines_to_managers_later_in_the_batch(
    org, sync_client
) -> None:
    response = sync_client(org).post(sync_url(org), {"people": chain(4)}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (4, 0, 0)
    assert body["teams_created"] == ["Platform"]
    people = synced(org)
    assert people["E0"].manager_id == people["E1"].pk
    assert people["E2"].manager_id == people["E3"].pk
    assert people["E3"].manager_id is None
    assert people["E0"].full_name == "Person 0"
    assert people["E0"].user.email == "sync0@hris.example.com"
    assert people["E0"].role == Membership.Role.EMPLOYEE
    assert people["E0"].team is not None
    assert people["E0"].team.name == "Platform"
    assert str(people["E0"].start_date) == "2024-01-15"


def test_replaying_the_same_batch_without_a_key_changes_nothing(org, sync_client) -> None:
    client = sync_client(org)
    client.post(sync_url(org), {"people": chain(5)}, format="json")
    before = {key: member.updated_at for key, member in synced(org).items()}

    replay = client.post(sync_url(org), {"people": chain(5)}, format="json").json()

    assert (replay["created"], replay["updated"], replay["unchanged"]) == (0, 0, 5)
    assert {key: member.updated_at for key, member in synced(org).items()} == before


def test_only_what_changed_is_updated(org, sync_client) -> None:
    client = sync_client(org)
    client.post(sync_url(org), {"people": chain(3)}, format="json")
    rows = chain(3)
    rows[1]["job_title"] = "Staff engineer"
    rows[0]["manager_external_id"] = "E2"

    body = client.post(sync_url(org), {"people": rows}, format="json").json()

    assert (body["created"], body["updated"], body["unchanged"]) == (0, 2, 1)
    people = synced(org)
    assert people["E1"].job_title == "Staff engineer"
    assert people["E0"].manager_id == people["E2"].pk


def test_an_existing_login_is_reused_and_never_renamed(org, other_org, sync_client) -> None:
    login = other_org.colleague.user
    login_name, other_name = login.full_name, other_org.colleague.full_name
    row = person(1, email=login.email.upper(), first_name="Renamed", last_name="Here")

    body = sync_client(org).post(sync_url(org), {"people": [row]}, format="json").json()

    assert body["created"] == 1
    member = synced(org)["E1"]
    assert member.user_id == login.pk
    assert member.full_name == "Renamed Here"
    login.refresh_from_db()
    assert (login.full_name, login.email) == (login_name, login.email.lower())
    with organization_scope(other_org.organization):
        assert Membership.objects.get(pk=other_org.colleague.pk).full_name == other_name
    assert get_user_model().objects.filter(email__iexact=login.email).count() == 1


def test_a_person_already_in_the_organization_without_an_external_id_is_matched_by_email(
    org, sync_client
) -> None:
    row = person(9, email=org.report.user.email, manager_external_id="")

    body = sync_client(org).post(sync_url(org), {"people": [row]}, format="json").json()

    assert (body["created"], body["updated"]) == (0, 1)
    assert synced(org)["E9"].pk == org.report.pk


def test_an_external_id_of_another_organization_is_independent(org, other_org, sync_client) -> None:
    sync_client(other_org).post(sync_url(other_org), {"people": chain(2)}, format="json")
    other_before = {k: (m.pk, m.full_name, m.updated_at) for k, m in synced(other_org).items()}
    rows = [person(0, first_name="Ada"), person(1)]

    body = sync_client(org).post(sync_url(org), {"people": rows}, format="json").json()

    assert body["created"] == 2
    assert synced(org)["E0"].full_name == "Ada 0"
    after = {k: (m.pk, m.full_name, m.updated_at) for k, m in synced(other_org).items()}
    assert after == other_before


def test_a_loop_in_the_reporting_lines_is_refused_naming_its_rows(org, sync_client) -> None:
    rows = [person(0, manager=1), person(1, manager=2), person(2, manager=0), person(3)]

    response = sync_client(org).post(sync_url(org), {"people": rows}, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["row"], e["external_id"], e["field"]) for e in errors} == {
        (0, "E0", "manager_external_id"),
        (1, "E1", "manager_external_id"),
        (2, "E2", "manager_external_id"),
    }
    assert "0 (E0)" in errors[0]["message"]
    assert "2 (E2)" in errors[0]["message"]
    assert synced(org) == {}


def test_a_loop_through_someone_already_synced_is_refused(org, sync_client) -> None:
    client = sync_client(org)
    client.post(sync_url(org), {"people": chain(3)}, format="json")

    response = client.post(sync_url(org), {"people": [person(2, manager=0)]}, format="json")

    assert response.status_code == 400
    assert [e["row"] for e in response.json()["errors"]] == [0]
    assert synced(org)["E2"].manager_id is None


def test_apply_valid_applies_the_valid_rows_and_reports_the_others(org, sync_client) -> None:
    rows = [
        person(0),
        person(1, email="not an email"),
        person(2, manager=1),  # its manager's row is refused
        person(3, start_date="15/01/2024"),
        person(4, manager=77),
        person(5, status="retired"),
        person(6),
    ]

    response = sync_client(org).post(
        sync_url(org), {"people": rows, "on_error": "apply_valid"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert {(e["row"], e["field"]) for e in body["errors"]} == {
        (1, "email"),
        (2, "manager_external_id"),
        (3, "start_date"),
        (4, "manager_external_id"),
        (5, "status"),
    }
    assert (body["created"], body["refused"], body["applied"]) == (2, 5, True)
    assert set(synced(org)) == {"E0", "E6"}


def test_all_or_nothing_applies_nothing_when_one_row_fails(org, sync_client) -> None:
    rows = [person(0), person(1), {"external_id": "", "email": "x@example.com"}]

    response = sync_client(org).post(sync_url(org), {"people": rows}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "external_id": "", "field": "external_id", "message": "This field is required."}
    ]
    assert response.json()["applied"] is False
    assert synced(org) == {}


def test_the_same_external_id_or_email_twice_in_a_batch_is_refused_on_both_rows(
    org, sync_client
) -> None:
    rows = [person(0), person(0, email="other@example.com"), person(1), person(2)]
    rows[3]["email"] = rows[2]["email"]

    response = sync_client(org).post(sync_url(org), {"people": rows}, format="json")

    assert response.status_code == 400
    fields = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert fields == {(0, "external_id"), (1, "external_id"), (2, "email"), (3, "email")}


def test_a_full_sync_deactivates_people_missing_from_the_batch_but_never_an_owner(
    org, other_org, sync_client
) -> None:
    client = sync_client(org)
    client.post(sync_url(org), {"people": chain(3)}, format="json")

    body = client.post(
        sync_url(org), {"people": chain(3)[1:], "mode": "full"}, format="json"
    ).json()

    assert body["owners_kept"] == [f"id:{org.owner.pk}"]
    people = synced(org)
    assert people["E0"].status == MembershipStatus.LEFT
    assert people["E0"].deactivated_at is not None
    with organization_scope(org.organization):
        assert Membership.objects.get(pk=org.owner.pk).status == MembershipStatus.ACTIVE
        assert Membership.objects.get(pk=org.report.pk).status == MembershipStatus.LEFT
        assert Membership.objects.filter(pk=org.report.pk).exists()  # never deleted
        # The reports of someone leaving move up to their manager.
        assert Membership.objects.get(pk=org.hr.pk).manager_id == org.owner.pk
    assert body["deactivated"] == 6  # E0, and hr, manager, report, report2, colleague
    with organization_scope(other_org.organization):
        assert not Membership.objects.filter(status=MembershipStatus.LEFT).exists()


def test_a_partial_sync_leaves_people_missing_from_the_batch_alone(org, sync_client) -> None:
    client = sync_client(org)
    client.post(sync_url(org), {"people": chain(3)}, format="json")

    body = client.post(sync_url(org), {"people": chain(3)[1:]}, format="json").json()

    assert body["deactivated"] == 0
    assert synced(org)["E0"].status == MembershipStatus.ACTIVE


def test_an_owner_is_not_deactivated_by_a_row_either(org, sync_client) -> None:
    row = person(1, email=org.owner.user.email, status="left", manager_external_id="")

    response = sync_client(org).post(sync_url(org), {"people": [row]}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_a_dry_run_says_what_would_change_and_changes_nothing(org, sync_client) -> None:
    client = sync_client(org)
    client.post(sync_url(org), {"people": chain(2)}, format="json")
    rows = [*chain(2), person(5)]
    rows[0]["job_title"] = "Lead"

    body = client.post(sync_url(org), {"people": rows, "dry_run": True}, format="json").json()

    assert (body["created"], body["updated"], body["unchanged"], body["applied"]) == (
        1,
        1,
        1,
        False,
    )
    changes = {change["external_id"]: change for change in body["changes"]}
    assert changes["E0"]["fields"] == ["job_title"]
    assert changes["E5"]["action"] == "create"
    assert synced(org)["E0"].job_title == "Engineer"
    assert "E5" not in synced(org)


def test_the_batch_may_be_sent_as_csv_with_the_options_as_query_parameters(
    org, sync_client
) -> None:
    csv_body = (
        "\ufeffexternal_id,email,full_name,job_title,team,manager_external_id,start_date,status\n"
        "C1,c1@example.com,Carla One,Engineer,Data,C2,2023-05-01,active\n"
        'C2,c2@example.com,"Two, Carl",Head of data,Data,,,on_leave\n'
    )

    response = sync_client(org).post(
        sync_url(org) + "?mode=partial", csv_body.encode(), content_type="text/csv"
    )

    assert response.status_code == 200, response.json()
    people = synced(org)
    assert people["C1"].manager_id == people["C2"].pk
    assert people["C2"].full_name == "Two, Carl"
    assert people["C2"].status == MembershipStatus.ON_LEAVE
    assert people["C2"].start_date is None


def test_bad_csv_and_bad_options_are_400s(org, sync_client) -> None:
    client = sync_client(org)
    ragged = "external_id,email\nA,a@example.com,extra\n"
    assert client.post(sync_url(org), ragged, content_type="text/csv").status_code == 400
    not_utf8 = b"external_id,email\nA,\xff@example.com\n"
    assert client.post(sync_url(org), not_utf8, content_type="text/csv").status_code == 400
    bad_mode = client.post(sync_url(org), {"people": [], "mode": "all"}, format="json")
    assert bad_mode.status_code == 400
    assert "mode" in bad_mode.json()["error"]["fields"]
    not_a_list = client.post(sync_url(org), {"people": {"a": 1}}, format="json")
    assert not_a_list.status_code == 400
    not_rows = client.post(sync_url(org), {"people": [1, "x"]}, format="json")
    assert [e["field"] for e in not_rows.json()["errors"]] == ["non_field_errors"] * 2


def test_only_a_key_with_the_sync_scope_or_hr_may_sync(org, api_as, sync_client) -> None:
    _credential, key = create_key(org, ["members:write"])
    refused = key_client(key).post(sync_url(org), {"people": [person(1)]}, format="json")
    assert refused.status_code == 403
    employee = api_as(org.report).post(sync_url(org), {"people": [person(1)]}, format="json")
    assert employee.status_code == 403
    hr = api_as(org.hr).post(sync_url(org), {"people": [person(1)]}, format="json")
    assert hr.status_code == 200
    assert synced(org)["E1"].full_name == "Person 1"


def test_another_organizations_key_is_a_404(org, other_org, sync_client) -> None:
    response = sync_client(other_org).post(sync_url(org), {"people": [person(1)]}, format="json")
    assert response.status_code == 404
    assert synced(org) == {}


def test_a_sync_is_audited_with_its_counts_and_key(org, sync_client) -> None:
    sync_client(org).post(
        sync_url(org), {"people": chain(2)}, format="json", HTTP_IDEMPOTENCY_KEY="nightly-1"
    )
    with organization_scope(org.organization):
        entry = AuditEntry.objects.get(action="people.sync")
        assert entry.changes["created"] == 2
        assert entry.changes["idempotency_key"] == "nightly-1"
        assert entry.actor_label.startswith("API client")
        assert Team.objects.filter(name="Platform").count() == 1
