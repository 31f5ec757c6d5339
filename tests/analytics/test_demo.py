"""The demo organization's analytics page renders with figures in it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership, Organization
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_demo_organization_shows_non_empty_analytics(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("seed_demo")
    capsys.readouterr()
    demo = Organization.objects.get(slug="demo")
    with organization_scope(demo):
        hr = Membership.objects.select_related("user").get(user__email__startswith="hr@")

    response = login(client, hr).get(reverse("analytics:page", kwargs={"org_slug": demo.slug}))

    assert response.status_code == 200
    tables = {
        shown["table"].key: shown["table"]
        for item in response.context["metrics"]
        for shown in item["tables"]
    }
    assert {"checkins", "one_on_ones", "goals", "feedback"} <= set(tables)
    this_month = tables["checkins"].rows[-1]
    assert this_month.figures[1].value, "somebody checked in this month"
    shown = [
        figure.value for table in tables.values() for row in table.rows for figure in row.figures
    ]
    assert sum(value for value in shown if value) > 0
