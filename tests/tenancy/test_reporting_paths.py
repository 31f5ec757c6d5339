"""The stored reporting line always equals the one the manager links give.

Every kind of write the product makes to a manager link is here: a service, a queryset
update of many rows in one statement (the people sync's way), a late save of an instance
holding a stale line, the removal of a manager, an insert of a whole branch at once. After
each, `reporting_path_mismatches` (which walks the manager links apart from the triggers)
finds nothing, and the reads that use the stored line answer what the links say.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from perfmgmt.tenancy import services
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.reporting_paths import reporting_path_mismatches, reporting_paths_repair
from perfmgmt.tenancy.selectors import below_q, manager_chain_ids
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _below(manager: Membership) -> set[int]:
    """Everyone the stored lines put below `manager`."""
    return set(
        Membership.objects.filter(below_q(manager=manager, person_field="")).values_list(
            "pk", flat=True
        )
    )


def _stored(member: Membership) -> list[int]:
    return list(Membership.objects.values_list("reporting_path", flat=True).get(pk=member.pk))


def _consistent(*organizations) -> None:
    for organization in organizations:
        assert reporting_path_mismatches(organization_id=organization.pk) == []


def test_the_line_is_stored_top_first_for_everyone_the_fixture_builds(org, other_org, scope):
    assert _stored(org.owner) == []
    assert _stored(org.manager) == [org.owner.pk]
    assert _stored(org.report) == [org.owner.pk, org.manager.pk]
    _consistent(org.organization, other_org.organization)


def test_moving_a_manager_moves_everyone_below_them(org, other_org, scope):
    deeper = MembershipFactory.create(organization=org.organization, manager=org.report)
    services.member_update(actor=org.owner, member=org.manager, manager=org.colleague)
    assert _stored(org.report) == [org.owner.pk, org.colleague.pk, org.manager.pk]
    assert _stored(deeper) == [org.owner.pk, org.colleague.pk, org.manager.pk, org.report.pk]
    assert _below(org.colleague) == {
        org.manager.pk,
        org.report.pk,
        org.report2.pk,
        deeper.pk,
    }
    assert manager_chain_ids(membership=deeper) == {
        org.owner.pk,
        org.colleague.pk,
        org.manager.pk,
        org.report.pk,
    }
    _consistent(org.organization, other_org.organization)


def test_one_statement_that_rewires_many_lines_leaves_every_line_right(org, other_org, scope):
    # Managers set in the order that is hardest for a row-at-a-time rule: the reports of
    # a person first, then that person under someone new, all in one UPDATE.
    a = MembershipFactory.create(organization=org.organization)
    b = MembershipFactory.create(organization=org.organization)
    c = MembershipFactory.create(organization=org.organization)
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE tenancy_membership m SET manager_id = v.manager_id
                 FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, manager_id)
                WHERE m.id = v.id""",
            [[c.pk, b.pk, a.pk], [b.pk, a.pk, org.report.pk]],
        )
    assert _stored(c) == [org.owner.pk, org.manager.pk, org.report.pk, a.pk, b.pk]
    assert c.pk in _below(org.manager)
    _consistent(org.organization, other_org.organization)


def test_a_branch_inserted_in_one_statement_gets_its_lines(org, other_org, scope):
    top = MembershipFactory.create(organization=org.organization, manager=org.colleague)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('tenancy_membership', 'id'))"
            " FROM generate_series(1, 3)"
        )
        ids = [row[0] for row in cursor.fetchall()]
    people = MembershipFactory.build_batch(3, organization=org.organization)
    # The last one's manager is inserted after it, in the same statement.
    for person, pk, manager_id in zip(people, ids, [ids[2], ids[0], top.pk], strict=True):
        person.user.save()
        person.user_id, person.pk, person.manager_id = person.user.pk, pk, manager_id
    Membership.objects.bulk_create(people)
    assert _stored(people[1]) == [org.owner.pk, org.colleague.pk, top.pk, ids[2], ids[0]]
    _consistent(org.organization, other_org.organization)


def test_a_stale_instance_saved_late_cannot_write_an_old_line(org, other_org, scope):
    stale = Membership.objects.get(pk=org.report.pk)
    services.member_update(actor=org.owner, member=org.manager, manager=org.colleague)
    stale.job_title = "Staff engineer"
    stale.save()
    assert _stored(stale) == [org.owner.pk, org.colleague.pk, org.manager.pk]
    Membership.objects.filter(pk=org.report2.pk).update(reporting_path=[123456789])
    assert _stored(org.report2) == [org.owner.pk, org.colleague.pk, org.manager.pk]
    _consistent(org.organization, other_org.organization)


def test_removing_a_manager_shortens_the_line_of_everyone_below(org, other_org, scope):
    services.member_update(actor=org.owner, member=org.manager, manager=None)
    assert _stored(org.report) == [org.manager.pk]
    assert org.report.pk not in _below(org.owner)
    _consistent(org.organization, other_org.organization)


def test_deleting_a_manager_leaves_their_reports_at_the_top(org, other_org, scope):
    deeper = MembershipFactory.create(organization=org.organization, manager=org.report)
    Membership.objects.filter(pk=org.report.pk).delete()
    assert _stored(deeper) == []
    _consistent(org.organization, other_org.organization)


def test_the_stored_since_is_the_latest_link_on_the_way_up(org, other_org, scope):
    long_ago = timezone.now() - timedelta(days=400)
    Membership.objects.filter(pk__in=[org.manager.pk, org.report.pk]).update(manager_since=long_ago)
    services.member_update(actor=org.owner, member=org.manager, manager=org.colleague)
    org.manager.refresh_from_db()
    since = Membership.objects.values_list("reporting_since", flat=True).get(pk=org.report.pk)
    # Over the report: the owner and the colleague since the manager moved, the manager
    # since long ago (the report's own link did not change).
    assert since == [org.manager.manager_since, org.manager.manager_since, long_ago]
    _consistent(org.organization, other_org.organization)


def test_a_repair_rewrites_nothing_when_the_lines_are_right_and_mends_them_when_not(
    org, other_org, scope
):
    assert reporting_paths_repair(organization_id=org.organization.pk) == 0
    with connection.cursor() as cursor:
        # Bypass the triggers, as a restore of an old dump without them would.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE tenancy_membership SET reporting_path = '{}' WHERE id = %s", [org.report.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert reporting_path_mismatches(organization_id=org.organization.pk) == [org.report.pk]
    assert reporting_paths_repair(organization_id=org.organization.pk) == 1
    _consistent(org.organization, other_org.organization)


def test_the_command_finds_a_line_written_around_the_triggers_and_repairs_it(org, other_org):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE tenancy_membership SET reporting_path = '{}' WHERE id = %s", [org.report.pk]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("reporting_paths", stdout=out)
    assert f"{org.organization.slug}: 1 lines differ" in out.getvalue()
    call_command("reporting_paths", "--repair", stdout=out)
    assert "Every stored reporting line matches" in out.getvalue()
    _consistent(org.organization, other_org.organization)


def _updated_memberships() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'tenancy_membership'"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _insert_written(manager: Membership, manager_since, path: list[int], since: list) -> int:
    """A new row under `manager` whose writer states its stored line (as the people sync
    does); the id of the row."""
    user = UserFactory.create()
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO tenancy_membership
                   (organization_id, user_id, external_id, full_name, job_title, status, role,
                    manager_id, manager_since, created_at, updated_at, reporting_path,
                    reporting_since)
               VALUES (%s, %s, NULL, 'Written', '', 'active', 'employee', %s, %s, now(), now(),
                       %s::bigint[], %s::timestamptz[])
               RETURNING id""",
            [manager.organization_id, user.pk, manager.pk, manager_since, path, since],
        )
        return int(cursor.fetchone()[0])


def _since(member_id: int) -> list:
    return list(Membership.objects.values_list("reporting_since", flat=True).get(pk=member_id))


def test_a_new_row_stated_right_under_older_links_is_not_rewritten(org, other_org, scope):
    # The usual case (the people sync's): the new link begins after every link above it.
    now = timezone.now()
    line = [org.owner.pk, org.manager.pk, org.report.pk]
    before = _updated_memberships()

    added = _insert_written(org.report, now, line, [now, now, now])

    assert _updated_memberships() == before
    assert _since(added) == [now, now, now]
    _consistent(org.organization, other_org.organization)


def test_a_new_row_whose_stated_times_are_wrong_is_mended_though_its_path_is_right(
    org, other_org, scope
):
    now = timezone.now()
    line = [org.owner.pk, org.manager.pk, org.report.pk]

    added = _insert_written(org.report, now, line, [now, now - timedelta(days=3), now])

    assert _since(added) == [now, now, now]
    _consistent(org.organization, other_org.organization)


def test_a_new_row_whose_link_began_before_the_links_above_takes_their_later_times(
    org, other_org, scope
):
    # An import of history: the new link began long ago, the links above it later, so
    # each entry is the later of the two and only the last one is the new link's start.
    long_ago = timezone.now() - timedelta(days=400)
    line = [org.owner.pk, org.manager.pk, org.report.pk]
    expected = [*_since(org.report.pk), long_ago]
    assert expected[0] > long_ago

    stated_wrong = _insert_written(org.report, long_ago, line, [long_ago] * 3)
    before = _updated_memberships()
    stated_right = _insert_written(org.report, long_ago, line, expected)

    assert _updated_memberships() == before
    assert _since(stated_wrong) == expected
    assert _since(stated_right) == expected
    _consistent(org.organization, other_org.organization)
