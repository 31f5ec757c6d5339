"""Who may do what about people: one row per actor, relationship, target and action.

The rows run against real memberships and reporting lines in the database. The world is the
`org` fixture (owner -> manager -> report and report2; owner -> hr; owner -> colleague) plus:

    manager -> report -> skip_report      (manager is a skip-level "chain manager")
    hr -> hr_report -> hr_skip            (HR admin as direct and chain manager)
    loner                                 (an employee with no manager)
    co_owner                              (a second owner, with no manager)
    api_full / api_none                   (API credentials with / without member scopes)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from perfmgmt.api.models import ApiCredential, Scope
from perfmgmt.tenancy import policies
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Role
from perfmgmt.tenancy.policies import Actor, Relationship, relationship
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory


@dataclass
class World:
    people: dict[str, Membership]
    credentials: dict[str, ApiCredential]

    def actor(self, name: str) -> Actor:
        return self.credentials.get(name) or self.people[name]


def make_credential(org: OrgPeople, name: str, scopes: list[str]) -> ApiCredential:
    with organization_scope(org.organization):
        return ApiCredential.objects.create(
            name=name, prefix=name, key_hash=f"hash-of-{name}", scopes=scopes
        )


@pytest.fixture
def world(org: OrgPeople) -> World:
    organization = org.organization

    def person(role: str = Role.EMPLOYEE, manager: Membership | None = None) -> Membership:
        return MembershipFactory.create(organization=organization, role=role, manager=manager)

    hr_report = person(manager=org.hr)
    people = {
        "owner": org.owner,
        "hr": org.hr,
        "manager": org.manager,
        "report": org.report,
        "colleague": org.colleague,
        "skip_report": person(manager=org.report),
        "hr_report": hr_report,
        "hr_skip": person(manager=hr_report),
        "loner": person(),
        "co_owner": person(Role.OWNER),
    }
    credentials = {
        "api_full": make_credential(org, "api_full", [Scope.MEMBERS_READ, Scope.MEMBERS_WRITE]),
        "api_none": make_credential(org, "api_none", []),
    }
    return World(people, credentials)


ACTIONS: dict[str, Callable[[Actor, Membership], bool]] = {
    "view_directory": lambda actor, target: policies.can_view_directory(actor),
    "view_details": policies.can_view_member_details,
    "invite": lambda actor, target: policies.can_invite_member(actor),
    "edit": policies.can_edit_member,
    "make_hr_admin": lambda actor, target: policies.can_change_role(actor, target, Role.HR_ADMIN),
    "deactivate": policies.can_deactivate_member,
    "manage_teams": lambda actor, target: policies.can_manage_teams(actor),
    "manage_api_credentials": lambda actor, target: policies.can_manage_api_credentials(actor),
    "edit_organization": lambda actor, target: policies.can_edit_organization(actor),
    "view_audit_log": lambda actor, target: policies.can_view_audit_log(actor),
}

Y, N = True, False
SELF, DIRECT, CHAIN, NONE = (
    Relationship.SELF,
    Relationship.DIRECT_MANAGER,
    Relationship.CHAIN_MANAGER,
    Relationship.NONE,
)

# API clients stand outside the reporting line: their relationship is always NONE.
# Columns follow ACTIONS:
#   dir  = view directory           det  = view member details   inv   = invite
#   edit = edit member              hr   = change role to HR     deact = deactivate
#   team = manage teams             api  = manage API credentials
#   org  = edit organization        log  = view audit log
# fmt: off
TABLE: list[tuple[str, str, Relationship, str, tuple[bool, ...]]] = [
    # role      actor        rel     target         dir det inv edit hr deact team api org log
    ("employee", "report",    SELF,   "report",      (Y,  Y,  N,  N,  N,  N,   N,   N,  N,  N)),
    ("employee", "manager",   DIRECT, "report",      (Y,  Y,  N,  N,  N,  N,   N,   N,  N,  N)),
    ("employee", "manager",   CHAIN,  "skip_report", (Y,  Y,  N,  N,  N,  N,   N,   N,  N,  N)),
    ("employee", "colleague", NONE,   "report",      (Y,  N,  N,  N,  N,  N,   N,   N,  N,  N)),
    # Reporting to someone gives no view of their details.
    ("employee", "report",    NONE,   "manager",     (Y,  N,  N,  N,  N,  N,   N,   N,  N,  N)),
    # "Changing" one's own role to the role one has is a no-op, so it is allowed.
    ("hr_admin", "hr",        SELF,   "hr",          (Y,  Y,  Y,  Y,  Y,  N,   Y,   N,  N,  Y)),
    ("hr_admin", "hr",        DIRECT, "hr_report",   (Y,  Y,  Y,  Y,  N,  Y,   Y,   N,  N,  Y)),
    ("hr_admin", "hr",        CHAIN,  "hr_skip",     (Y,  Y,  Y,  Y,  N,  Y,   Y,   N,  N,  Y)),
    ("hr_admin", "hr",        NONE,   "report",      (Y,  Y,  Y,  Y,  N,  Y,   Y,   N,  N,  Y)),
    # Owner protection: HR sees an owner's details but cannot edit or deactivate them.
    ("hr_admin", "hr",        NONE,   "owner",       (Y,  Y,  Y,  N,  N,  N,   Y,   N,  N,  Y)),
    # Nobody deactivates themselves; an owner does not demote themselves.
    ("owner",    "owner",     SELF,   "owner",       (Y,  Y,  Y,  Y,  N,  N,   Y,   Y,  Y,  Y)),
    ("owner",    "owner",     DIRECT, "manager",     (Y,  Y,  Y,  Y,  Y,  Y,   Y,   Y,  Y,  Y)),
    ("owner",    "owner",     CHAIN,  "report",      (Y,  Y,  Y,  Y,  Y,  Y,   Y,   Y,  Y,  Y)),
    ("owner",    "owner",     NONE,   "loner",       (Y,  Y,  Y,  Y,  Y,  Y,   Y,   Y,  Y,  Y)),
    ("owner",    "owner",     NONE,   "co_owner",    (Y,  Y,  Y,  Y,  Y,  Y,   Y,   Y,  Y,  Y)),
    ("owner",    "owner",     DIRECT, "hr",          (Y,  Y,  Y,  Y,  Y,  Y,   Y,   Y,  Y,  Y)),
    # A system syncs people within its scopes; it never grants roles or touches owners.
    ("api",      "api_full",  NONE,   "report",      (Y,  Y,  Y,  Y,  N,  Y,   N,   N,  N,  N)),
    ("api",      "api_full",  NONE,   "owner",       (Y,  Y,  Y,  N,  N,  N,   N,   N,  N,  N)),
    ("api",      "api_none",  NONE,   "report",      (N,  N,  N,  N,  N,  N,   N,   N,  N,  N)),
]
# fmt: on

ROWS = [
    pytest.param(
        actor,
        rel,
        target,
        action,
        expected,
        id=f"{role}:{actor}-{rel.value}-{target}:{action}={'yes' if expected else 'no'}",
    )
    for role, actor, rel, target, answers in TABLE
    for action, expected in zip(ACTIONS, answers, strict=True)
]


@pytest.mark.parametrize(("actor_name", "rel", "target_name", "action", "expected"), ROWS)
def test_policy_table(
    world: World,
    actor_name: str,
    rel: Relationship,
    target_name: str,
    action: str,
    expected: bool,
) -> None:
    actor, target = world.actor(actor_name), world.people[target_name]
    if isinstance(actor, Membership):
        assert relationship(actor, target) == rel, "the table's relationship column is wrong"
    assert ACTIONS[action](actor, target) is expected


def test_the_table_covers_every_role_and_relationship() -> None:
    covered = {(role, rel) for role, _, rel, _, _ in TABLE}
    for role in ("employee", "hr_admin", "owner"):
        for rel in Relationship:
            assert (role, rel) in covered, (role, rel)
    assert {actor for _, actor, _, _, _ in TABLE} >= {"api_full", "api_none"}


def test_only_owners_change_roles(world: World) -> None:
    for role in (Role.EMPLOYEE, Role.HR_ADMIN, Role.OWNER):
        assert policies.can_change_role(world.people["owner"], world.people["report"], role)
        assert not policies.can_change_role(world.people["hr"], world.people["report"], role)
        assert not policies.can_change_role(
            world.credentials["api_full"], world.people["report"], role
        )


def test_nobody_deactivates_themselves(world: World) -> None:
    for name in ("owner", "co_owner", "hr", "manager", "report"):
        member = world.people[name]
        assert not policies.can_deactivate_member(member, member), name


def test_an_owner_keeps_their_own_role(world: World) -> None:
    owner = world.people["owner"]
    assert policies.can_change_role(owner, owner, Role.OWNER)
    assert not policies.can_change_role(owner, owner, Role.HR_ADMIN)
    assert not policies.can_change_role(owner, owner, Role.EMPLOYEE)


def test_is_manager_of_means_direct_or_skip_level(world: World) -> None:
    manager = world.people["manager"]
    assert policies.is_manager_of(manager, world.people["report"])
    assert policies.is_manager_of(manager, world.people["skip_report"])
    assert not policies.is_manager_of(manager, manager)
    assert not policies.is_manager_of(manager, world.people["colleague"])
    assert not policies.is_manager_of(world.credentials["api_full"], world.people["report"])


class TestRelationship:
    def test_a_person_is_themselves(self, org: OrgPeople) -> None:
        assert relationship(org.report, org.report) is Relationship.SELF

    def test_the_manager_in_the_record_is_the_direct_manager(self, org: OrgPeople) -> None:
        assert relationship(org.manager, org.report) is Relationship.DIRECT_MANAGER
        assert relationship(org.owner, org.manager) is Relationship.DIRECT_MANAGER

    def test_everyone_higher_up_is_a_chain_manager(self, org: OrgPeople) -> None:
        below_report = MembershipFactory.create(organization=org.organization, manager=org.report)
        assert relationship(org.owner, org.report) is Relationship.CHAIN_MANAGER
        assert relationship(org.manager, below_report) is Relationship.CHAIN_MANAGER
        assert relationship(org.owner, below_report) is Relationship.CHAIN_MANAGER

    def test_peers_and_people_higher_up_are_unrelated(self, org: OrgPeople) -> None:
        assert relationship(org.report, org.report2) is Relationship.NONE
        assert relationship(org.report, org.manager) is Relationship.NONE
        assert relationship(org.report, org.owner) is Relationship.NONE
        assert relationship(org.colleague, org.report) is Relationship.NONE

    def test_nobody_is_related_to_a_person_of_another_organization(
        self, org: OrgPeople, other_org: OrgPeople
    ) -> None:
        assert relationship(org.owner, other_org.report) is Relationship.NONE
        assert relationship(other_org.owner, org.report) is Relationship.NONE

    def test_a_loop_in_the_reporting_line_ends_instead_of_running_forever(
        self, org: OrgPeople
    ) -> None:
        with organization_scope(org.organization):
            # Corrupt data on purpose: owner -> manager -> report -> owner.
            Membership.objects.filter(pk=org.owner.pk).update(manager=org.report)
            org.owner.refresh_from_db()
        assert relationship(org.colleague, org.report) is Relationship.NONE
        assert relationship(org.manager, org.owner) is Relationship.CHAIN_MANAGER
