""" "Level to reach" offers the chosen competency's levels (issue 10, item 8): grouped by
competency without JavaScript, filtered to the chosen one with it (the browser test), and a
level of another competency is refused with a clear field error that keeps the input."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from goals.development.models import CompetencyLevel, PlanCompetency
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import make_competency, make_plan

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]


def level_select(html: str) -> str:
    return html.split('name="target_level"', 1)[1].split("</select>", 1)[0]


def test_the_levels_to_reach_are_grouped_under_their_competency(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    speaking = make_competency(org, "Speaking")
    writing = make_competency(org, "Writing")
    url = reverse("development:plan", args=[org.organization.slug, plan.pk])
    select = level_select(client_for(org.report).get(url).content.decode())
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.DOTALL)
    assert [name for name, _ in groups] == ["Speaking", "Writing"]
    for (_, options), competency in zip(groups, (speaking, writing), strict=True):
        assert options.count("<option") == 3
        assert options.count(f'data-competency="{competency.pk}"') == 3
        assert "Level 2, Practising" in options
    assert "Speaking: level" not in select, "the competency is the group, not in every option"


def test_a_level_of_another_competency_is_refused_on_the_field_and_the_input_kept(
    org: OrgPeople, client_for: ClientFor
) -> None:
    plan = make_plan(org)
    speaking = make_competency(org, "Speaking")
    writing = make_competency(org, "Writing")
    with organization_scope(org.organization):
        wrong = CompetencyLevel.objects.get(competency=writing, level=3)
    url = reverse("development:plan_competency_add", args=[org.organization.slug, plan.pk])
    response = client_for(org.report).post(
        url, {"competency": speaking.pk, "target_level": wrong.pk}
    )
    assert response.status_code == 400
    form = response.content.decode().split('action="' + url + '"', 1)[1].split("</form>", 1)[0]
    message = "“Leading” is a level of Writing, not of Speaking: choose one of Speaking's"
    assert message in html.unescape(form)
    assert f'<option value="{speaking.pk}" selected>' in form
    assert f'value="{wrong.pk}" data-competency="{writing.pk}" selected' in form
    with organization_scope(org.organization):
        assert not PlanCompetency.objects.filter(plan=plan).exists()
