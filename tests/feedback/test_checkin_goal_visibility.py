"""A check-in's linked goals follow the goals' own visibility in the API."""

from __future__ import annotations

from feedback.models import CheckInGoal
from goals.models import OwnerKind, Visibility
from perfmgmt.tenancy.context import organization_scope
from tests.feedback.factories import make_checkin
from tests.goals.factories import GoalFactory


def link(checkin, goal) -> None:
    with organization_scope(checkin.organization):
        CheckInGoal.objects.create(checkin=checkin, goal=goal)


def test_a_linked_goal_the_reader_may_not_read_is_left_out_of_the_check_in(org, api_as):
    checkin = make_checkin(org.report2, submit=True)
    own = GoalFactory.create(organization=org.organization, owner_person=org.report2)
    private = GoalFactory.create(
        organization=org.organization,
        owner_person=org.colleague,
        visibility=Visibility.OWNER_AND_MANAGERS,
    )
    company = GoalFactory.create(
        organization=org.organization, owner_kind=OwnerKind.ORGANIZATION, owner_person=None
    )
    for goal in (own, private, company):
        link(checkin, goal)
    base = f"/api/v1/orgs/{org.organization.slug}/checkins/"

    as_author = api_as(org.report2).get(f"{base}{checkin.pk}/").json()
    as_manager = api_as(org.manager).get(base).json()["results"]

    assert sorted(as_author["goals"]) == sorted([own.pk, company.pk])
    mine = next(row for row in as_manager if row["id"] == checkin.pk)
    assert sorted(mine["goals"]) == sorted([own.pk, company.pk])
    # The colleague's manager (the owner) may read the private goal; this test's readers not.
    assert private.pk not in as_author["goals"] + mine["goals"]
