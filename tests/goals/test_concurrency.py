"""Two people update sibling goals at the same moment: the parent's roll-up counts both."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from goals import services
from goals.models import Goal, OwnerKind
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import agree_goal, create_goal, create_roll_up_goal

ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_of_siblings_both_reach_the_parents_progress(org: OrgPeople) -> None:
    team_goal = create_roll_up_goal(
        org.manager, owner_kind=OwnerKind.TEAM, owner_team=org.report.team, title="Team"
    )
    first = agree_goal(org.manager, create_goal(org.report, parent=team_goal))
    second = agree_goal(org.manager, create_goal(org.report2, parent=team_goal))

    for round_number in range(1, ROUNDS + 1):
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def post(
            author: Membership,
            goal: Goal,
            value: int,
            barrier: threading.Barrier = barrier,
            errors: list[BaseException] = errors,
        ) -> None:
            try:
                with organization_scope(org.organization):
                    barrier.wait(timeout=10)
                    services.goal_update_post(
                        actor=author, goal=goal, confidence="on_track", value=Decimal(value)
                    )
            except BaseException as error:  # reported to the test, not swallowed
                errors.append(error)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=post, args=(org.report, first, 10 * round_number)),
            threading.Thread(target=post, args=(org.report2, second, 20 * round_number - 10)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors
        with organization_scope(org.organization):
            team_goal.refresh_from_db()
        expected = (Decimal(10 * round_number) + Decimal(20 * round_number - 10)) / 200
        assert team_goal.progress == expected.quantize(Decimal("0.0001")), round_number
