""" "Level to reach" on a development plan, in a real browser (issue 10, item 8): only the
chosen competency's levels are offered, and they follow the competency when it changes."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from goals.development import services
from goals.development.models import CompetencyCategory, PlanCompetency
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople, login
from tests.goals.development.factories import make_competency, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENTORING = (
    ("Listens", "Lets the mentee find their own answer."),
    ("Guides", "Plans a mentee's growth with them."),
)


def signed_in_page(new_context, base_url: str, member: Membership, path: str):
    client = login(Client(), member)
    context = new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    page = context.new_page()
    page.goto(f"{base_url}{path}")
    return page


def test_the_level_to_reach_offers_only_the_chosen_competencys_levels(
    live_server, new_context, org: OrgPeople
) -> None:
    plan = make_plan(org)
    make_competency(org, "Testing")
    with organization_scope(org.organization):
        category = CompetencyCategory.objects.get(name="Core")
        mentoring = services.competency_create(
            actor=org.hr, category=category, name="Mentoring", levels=MENTORING
        )
    page = signed_in_page(
        new_context, live_server.url, org.report, f"/o/acme/development/plans/{plan.pk}/"
    )
    page.get_by_text("Add a competency").click()
    form = page.locator("form[action$='/competencies/']")
    levels = form.locator("select[name=target_level]")

    form.locator("select[name=competency]").select_option(label="Testing")
    offered = levels.locator("option").all_inner_texts()
    assert offered == ["No target level", "Level 1, Aware", "Level 2, Practising",
                       "Level 3, Leading"]  # fmt: skip

    form.locator("select[name=competency]").select_option(label="Mentoring")
    offered = levels.locator("option").all_inner_texts()
    assert offered == ["No target level", "Level 1, Listens", "Level 2, Guides"]

    levels.select_option(label="Level 2, Guides")
    form.get_by_role("button", name="Add competency").click()
    page.get_by_text("Competency saved.").wait_for()
    assert "Aim: level 2, Guides" in page.locator(".plan-competencies").inner_text()
    with organization_scope(org.organization):
        link = PlanCompetency.objects.get(plan=plan)
    assert link.competency_id == mentoring.pk
    assert link.target_level is not None
    assert link.target_level.name == "Guides"
