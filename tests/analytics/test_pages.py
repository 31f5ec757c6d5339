"""The analytics page and its file: who reads them, the choices, the CSV (the page's
figures, audited), and the menu entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from perfmgmt.analytics.figures import NO_VALUE
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Team
from tests.analytics.factories import figures_for
from tests.analytics.world import World
from tests.conftest import OrgPeople, login
from tests.export_helpers import audit_entries, csv_rows
from tests.test_isolation import ORG_ENDPOINTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def page_url(org: OrgPeople) -> str:
    return reverse("analytics:page", kwargs={"org_slug": org.organization.slug})


def export_url(org: OrgPeople) -> str:
    return reverse("web:export_analytics", kwargs={"org_slug": org.organization.slug})


def page_figures(response: Any) -> list[tuple[str, str, str, str]]:
    """(table, row, column, figure) of every table the page shows, as printed."""
    return [
        (shown["table"].title, row.label, column, str(figure))
        for item in response.context["metrics"]
        for shown in item["tables"]
        for row in shown["table"].rows
        for column, figure in zip(shown["table"].columns, row.figures, strict=True)
    ]


def test_hr_reads_every_metric_as_a_table_and_a_chart(world: World, client: Client) -> None:
    response = login(client, world.org.hr).get(page_url(world.org))

    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Check-in coverage", "1:1 coverage", "Goal completion", "Review completion"):
        assert f">{title}</h2>" in html
    assert "Feedback given and received" in html
    assert "Ratings and self/manager gaps by team" in html
    assert html.count("<svg") >= 6
    assert '<th scope="row">May 2026</th><td>7</td><td>2</td><td>29%</td>' in html
    assert 'aria-labelledby="chart-checkins-title chart-checkins-desc"' in html


@pytest.mark.parametrize("who", ["report", "report2"])
def test_someone_without_reports_gets_a_404_and_no_menu_entry(
    world: World, client: Client, who: str
) -> None:
    signed_in = login(client, getattr(world.org, who))

    assert signed_in.get(page_url(world.org)).status_code == 404
    home = signed_in.get(
        reverse("people:directory", kwargs={"org_slug": world.org.organization.slug})
    )
    assert page_url(world.org) not in home.content.decode()


def test_a_manager_and_hr_find_the_page_in_the_menu(world: World, client: Client) -> None:
    slug = world.org.organization.slug
    for member in (world.org.manager, world.org.hr, world.org.owner):
        home = login(Client(), member).get(reverse("people:directory", kwargs={"org_slug": slug}))
        assert f'href="{page_url(world.org)}"' in home.content.decode()


def test_a_member_of_another_organization_gets_a_404(
    world: World, other_org: OrgPeople, client: Client
) -> None:
    signed_in = login(client, other_org.hr)

    assert signed_in.get(page_url(world.org)).status_code == 404
    assert signed_in.get(export_url(world.org)).status_code == 404


def test_a_team_outside_the_readers_reach_is_a_form_error(
    world: World, other_org: OrgPeople, client: Client
) -> None:
    with organization_scope(other_org.organization):
        elsewhere = Team.objects.get(name="Engineering")
    manager = login(client, world.org.manager)

    for team in (elsewhere.pk, world.sales.pk, "x", 10**12):
        response = manager.get(page_url(world.org), {"team": team})
        assert response.status_code == 400, team
        assert "Select a valid choice" in response.content.decode()
    assert manager.get(page_url(world.org), {"team": world.platform.pk}).status_code == 200
    assert manager.get(page_url(world.org), {"months": "7"}).status_code == 400


def test_the_months_choice_sets_the_rows(world: World, client: Client) -> None:
    hr = login(client, world.org.hr)

    for months in (3, 6, 12, 24):
        response = hr.get(page_url(world.org), {"months": months})
        assert response.status_code == 200
        (checkins,) = response.context["metrics"][0]["tables"]
        assert len(checkins["table"].rows) == months
        assert checkins["table"].rows[-1].label == "June 2026"


def test_the_csv_holds_the_figures_of_the_page_and_is_audited(world: World, client: Client) -> None:
    hr = login(client, world.org.hr)
    choices: dict[str, int | str] = {"months": 6, "team": world.engineering.pk}
    page = page_figures(hr.get(page_url(world.org), choices))

    rows = csv_rows(hr.get(export_url(world.org), {**choices, "file_format": "csv"}))

    assert rows[0] == ["Metric", "Table", "Row", "Column", "Value"]
    # A cell that starts like a formula ("-") is written as text, with a leading '.
    written = [
        (table, row, column, value.removeprefix("'")) for _m, table, row, column, value in rows[1:]
    ]
    assert written == page
    assert ("Feedback given and received", "May 2026", "Feedback given", "2") in written
    assert any(value == NO_VALUE for *_rest, value in written)
    (entry,) = audit_entries(world.org.organization, "export.analytics")
    assert entry.changes == {
        "filters": {"months": 6, "team": world.engineering.pk},
        "format": "csv",
    }


def test_the_page_links_to_the_csv_of_its_choices(world: World, client: Client) -> None:
    response = login(client, world.org.hr).get(
        page_url(world.org), {"months": 3, "team": world.platform.pk}
    )

    expected = f"{export_url(world.org)}?file_format=csv&amp;months=3&amp;team={world.platform.pk}"
    assert expected in response.content.decode()


def test_an_employee_may_not_run_the_export(world: World, client: Client) -> None:
    assert login(client, world.org.report).get(export_url(world.org)).status_code == 403


def test_the_page_is_in_german_for_a_german_reader(world: World, client: Client) -> None:
    user = world.org.hr.user
    user.language = "de"
    user.save()

    response = login(client, world.org.hr).get(page_url(world.org))

    html = response.content.decode()
    assert "Check-in-Abdeckung" in html
    assert "Mai 2026" in html
    assert figures_for(world.org.hr)[("checkins", "May 2026", "Coverage")] == "29%"


def test_the_isolation_walk_asks_for_the_page_and_its_file() -> None:
    walked = {endpoint.name for endpoint in ORG_ENDPOINTS if not endpoint.object_kwargs}
    assert {"analytics:page", "web:export_analytics"} <= walked
