"""What a reader may do with a goal or a plan is decided once (`*_capabilities`): the page's
buttons and the API's `capabilities` agree, for every kind of reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from goals import selectors
from goals.development import selectors as development_selectors
from goals.development import services as development_services
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.goals.development.factories import make_plan
from tests.goals.factories import create_goal

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]
ClientFor = Callable[[Membership], Client]


def _readers(org: OrgPeople) -> list[Membership]:
    return [org.report, org.manager, org.owner, org.hr]


def test_the_goal_page_offers_what_the_api_says_the_reader_may_do(
    org: OrgPeople, api_as: ApiAs, client_for: ClientFor
) -> None:
    goal = create_goal(org.report)  # proposed by the report: their manager agrees it
    slug = org.organization.slug
    seen = set()
    for reader in _readers(org):
        with organization_scope(org.organization):
            decided = selectors.goal_capabilities(actor=reader, goal=goal)
        answer = api_as(reader).get(f"/api/v1/orgs/{slug}/goals/{goal.pk}/")
        assert answer.status_code == 200, answer.content
        assert answer.json()["capabilities"] == asdict(decided)

        page = client_for(reader).get(reverse("goals:detail", args=[slug, goal.pk])).content
        offered = {
            "edit": reverse("goals:edit", args=[slug, goal.pk]).encode() in page,
            "post_update": reverse("goals:post_update", args=[slug, goal.pk]).encode() in page,
            "agree": reverse("goals:agree", args=[slug, goal.pk]).encode() in page,
        }
        assert offered == asdict(decided), reader
        seen.add(tuple(sorted(asdict(decided).items())))
    # The readers do not all get the same answer, so the comparison above compares something.
    assert len(seen) > 1
    with organization_scope(org.organization):
        assert selectors.goal_capabilities(actor=org.manager, goal=goal).agree
        assert not selectors.goal_capabilities(actor=org.report, goal=goal).agree


def test_the_plan_page_offers_what_the_api_says_the_reader_may_do(
    org: OrgPeople, api_as: ApiAs, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    slug = org.organization.slug

    def offered(reader: Membership) -> dict[str, bool]:
        page = client_for(reader).get(reverse("development:plan", args=[slug, plan.pk])).content
        return {
            "edit": reverse("development:objective_add", args=[slug, plan.pk]).encode() in page,
            "comment": reverse("development:plan_comment", args=[slug, plan.pk]).encode() in page,
            "submit": reverse("development:plan_submit", args=[slug, plan.pk]).encode() in page,
            "agree": reverse("development:plan_agree", args=[slug, plan.pk]).encode() in page,
            "close": reverse("development:plan_close", args=[slug, plan.pk]).encode() in page,
        }

    def check(reader: Membership) -> dict[str, bool]:
        with organization_scope(org.organization):
            plan.refresh_from_db()
            decided = asdict(development_selectors.plan_capabilities(actor=reader, plan=plan))
        answer = api_as(reader).get(f"/api/v1/orgs/{slug}/development/plans/{plan.pk}/")
        assert answer.status_code == 200, answer.content
        assert answer.json()["capabilities"] == decided
        assert offered(reader) == decided, reader
        return decided

    assert check(org.report)["submit"]
    assert not check(org.manager)["agree"]  # a draft is not agreed yet
    with organization_scope(org.organization):
        development_services.plan_submit(actor=org.report, plan=plan)
    assert not check(org.report)["submit"]
    manager = check(org.manager)
    assert manager["agree"]
    assert manager["comment"]
