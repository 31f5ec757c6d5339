"""Privacy review: what a goal shows about the goals around it follows their own rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from goals import selectors
from goals.models import Goal, Visibility
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import GoalFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]
SECRET = "Move to the competitor in March"


def _open_goal_under_a_private_one(org: OrgPeople) -> Goal:
    private = GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        title=SECRET,
        visibility=Visibility.OWNER_AND_MANAGERS,
    )
    return GoalFactory.create(
        organization=org.organization,
        owner_person=org.report,
        title="Ship the onboarding guide",
        visibility=Visibility.EVERYONE,
        parent=private,
    )


def test_a_goal_page_does_not_name_a_parent_goal_the_reader_may_not_read(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = _open_goal_under_a_private_one(org)
    url = reverse("goals:detail", args=[org.organization.slug, goal.pk])
    colleague_page = client_for(org.colleague).get(url)
    assert colleague_page.status_code == 200
    assert b"Ship the onboarding guide" in colleague_page.content
    assert SECRET.encode() not in colleague_page.content
    assert SECRET.encode() in client_for(org.manager).get(url).content


def test_goal_lists_load_only_the_parents_the_reader_may_read(org: OrgPeople) -> None:
    goal = _open_goal_under_a_private_one(org)
    with organization_scope(org.organization):
        seen_by_colleague = selectors.goal_list(actor=org.colleague).get(pk=goal.pk)
        seen_by_manager = selectors.goal_list(actor=org.manager).get(pk=goal.pk)
        assert seen_by_colleague.parent is None
        assert seen_by_colleague.parent_id is not None  # the link itself is kept
        assert seen_by_manager.parent is not None
        assert seen_by_manager.parent.title == SECRET
