"""The sync at size: no duplicates on replay, and statements that do not grow with rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.integrations.services import sql
from perfmgmt.integrations.services.people_sync import people_sync
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.reporting_paths import reporting_path_mismatches
from tests.api.conftest import create_key
from tests.integrations.conftest import chain, person, synced


def tree(count: int) -> list[dict]:
    """`count` people in a tree, every manager appearing after their reports."""
    return [person(n, manager=(n + count) // 2 if n < count - 1 else None) for n in range(count)]


def sync(org, rows):
    credential, _key = create_key(org, ["people:sync"])
    with organization_scope(org.organization):
        return people_sync(actor=credential, people=rows)


def queries_for(org, rows) -> int:
    credential, _key = create_key(org, ["people:sync"])
    with organization_scope(org.organization), CaptureQueriesContext(connection) as captured:
        people_sync(actor=credential, people=rows)
    return len(captured)


def test_a_10000_row_batch_replayed_three_times_creates_no_duplicates(org) -> None:
    rows = tree(10_000)

    first = sync(org, rows)
    replays = [sync(org, rows) for _ in range(3)]

    assert (first.created, first.updated, first.errors) == (10_000, 0, [])
    for replay in replays:
        assert (replay.created, replay.updated, replay.unchanged) == (0, 0, 10_000)
    with organization_scope(org.organization):
        assert Membership.objects.exclude(external_id=None).count() == 10_000
        assert Membership.objects.filter(external_id="E0").get().manager is not None
    assert reporting_path_mismatches(organization_id=org.organization.pk) == []


def _memberships_updated() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'tenancy_membership'"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def test_new_people_are_written_with_their_reporting_lines_so_no_row_is_rewritten(org) -> None:
    """The sync's INSERT writes each new person's stored line (tenancy migration 0008), so
    the database's check of new rows rewrites none, even with every manager after their
    reports in the batch; and the lines are the ones the manager links give."""
    before = _memberships_updated()

    result = sync(org, tree(1000))

    assert result.created == 1000
    assert _memberships_updated() == before
    assert reporting_path_mismatches(organization_id=org.organization.pk) == []


def test_new_people_below_someone_already_there_get_the_whole_line_above_them(org) -> None:
    """A new person's stored line starts with the line of the person above the batch (read
    by the INSERT) and goes on down the new managers, whatever their order in the batch."""
    sync(org, [person(1)])
    with organization_scope(org.organization):
        Membership.objects.filter(external_id="E1").update(manager=org.manager)
    top = synced(org)["E1"]
    before = _memberships_updated()

    result = sync(org, [person(3, manager=2), person(4, manager=1), person(2, manager=1)])

    assert result.created == 3
    assert _memberships_updated() == before
    people = synced(org)
    line = [org.owner.pk, org.manager.pk, top.pk]
    assert people["E4"].reporting_path == line
    assert people["E2"].reporting_path == line
    assert people["E3"].reporting_path == [*line, people["E2"].pk]
    assert people["E3"].manager_id == people["E2"].pk
    assert len(people["E3"].reporting_since) == 4
    assert reporting_path_mismatches(organization_id=org.organization.pk) == []


def test_the_number_of_statements_does_not_grow_with_rows(org, other_org) -> None:
    small, large = tree(100), tree(1000)

    created = (queries_for(org, small), queries_for(other_org, large))
    updated = (
        queries_for(org, [dict(row, job_title="Lead", team="New") for row in small]),
        queries_for(other_org, [dict(row, job_title="Lead", team="New") for row in large]),
    )
    unchanged = (queries_for(org, small), queries_for(other_org, large))

    assert created[0] == created[1]
    assert updated[0] == updated[1]
    assert unchanged[0] == unchanged[1]
    assert created[0] <= 15


def test_the_reporting_lines_of_a_chain_are_set_whatever_the_order(org) -> None:
    rows = list(reversed(chain(50)))  # managers first this time

    result = sync(org, rows)

    assert result.created == 50
    with organization_scope(org.organization):
        members = {m.external_id: m for m in Membership.objects.exclude(external_id=None)}
    assert all(members[f"E{n}"].manager_id == members[f"E{n + 1}"].pk for n in range(49))
    assert reporting_path_mismatches(organization_id=org.organization.pk) == []


def test_someone_written_between_plan_and_insert_keeps_their_row_and_every_line_holds(
    org, monkeypatch
) -> None:
    """New people are written with reserved ids and their managers in one statement; when a
    row with the same external id appears after the plan was read (another writer, here
    simulated by hiding it from the plan's read), it keeps its id and every reporting line
    is set again, so nobody points at an id that was reserved and never used."""
    sync(org, [person(1)])
    with organization_scope(org.organization):
        existing = Membership.objects.get(external_id="E1")
    members_of = sql.members_of
    monkeypatch.setattr(
        sql,
        "members_of",
        lambda organization_id: [
            m for m in members_of(organization_id) if m["external_id"] != "E1"
        ],
    )

    result = sync(
        org,
        [
            person(4, manager=1),
            person(1, manager=3, email="late@hris.example.com"),
            person(3),
        ],
    )

    assert result.errors == []
    people = synced(org)
    assert people["E1"].pk == existing.pk
    assert people["E4"].manager_id == existing.pk
    assert people["E1"].manager_id == people["E3"].pk
    assert people["E3"].manager_id is None
    assert reporting_path_mismatches(organization_id=org.organization.pk) == []


def test_logins_the_sync_creates_have_unusable_passwords_each_its_own(org) -> None:
    sync(org, [person(1), person(2)])

    people = synced(org)
    first, second = people["E1"].user, people["E2"].user
    assert not first.has_usable_password()
    assert not second.has_usable_password()
    assert len(first.password) > 30
    assert first.password != second.password
