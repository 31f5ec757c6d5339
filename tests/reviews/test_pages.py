"""The rating scale pages: HR builds scales in the browser; others read, never edit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from perfmgmt.tenancy.context import organization_scope
from reviews.models import RatingScale
from tests.conftest import OrgPeople
from tests.reviews.isolation import make_isolation_scale

pytestmark = pytest.mark.django_db


def scale_form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Five points",
        "description": "",
        "level_1_value": "1",
        "level_1_label": "Below",
        "level_1_description": "Misses most goals.",
        "level_2_value": "3",
        "level_2_label": "Meets",
        "level_3_value": "5",
        "level_3_label": "Outstanding",
    }
    return {**data, **overrides}


def url(org: OrgPeople, path: str = "") -> str:
    return f"/o/{org.organization.slug}/reviews/scales/{path}"


def test_hr_adds_a_scale_and_reads_it_in_the_list(org: OrgPeople, client_for) -> None:
    client = client_for(org.hr)
    response = client.post(url(org, "new/"), scale_form())
    assert response.status_code == 302
    with organization_scope(org.organization):
        scale = RatingScale.objects.get(name="Five points")
        assert list(scale.levels.values_list("value", "label")) == [
            (Decimal("1.00"), "Below"),
            (Decimal("3.00"), "Meets"),
            (Decimal("5.00"), "Outstanding"),
        ]
    page = client.get(url(org)).content.decode()
    assert "Five points" in page
    assert "3 levels" in page
    assert "Misses most goals." in page


def test_a_refused_scale_shows_the_error_and_keeps_what_was_typed(org, client_for) -> None:
    response = client_for(org.hr).post(
        url(org, "new/"), scale_form(level_2_value="1", description="Kept text")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Each level needs its own value and label." in html
    assert "Kept text" in html
    with organization_scope(org.organization):
        assert not RatingScale.objects.exists()


def test_a_value_without_a_label_is_a_field_error(org: OrgPeople, client_for) -> None:
    response = client_for(org.hr).post(url(org, "new/"), scale_form(level_4_value="7"))
    assert response.status_code == 400
    assert "level_4_label" in response.context["form"].errors


def test_hr_edits_a_scale_and_the_form_shows_its_levels(org: OrgPeople, client_for) -> None:
    scale = make_isolation_scale(org)
    client = client_for(org.hr)
    form = client.get(url(org, f"{scale.pk}/")).content.decode()
    assert 'value="Low"' in form
    assert 'value="High"' in form
    response = client.post(
        url(org, f"{scale.pk}/"),
        scale_form(name="Renamed", level_3_value="", level_3_label=""),
    )
    assert response.status_code == 302
    scale.refresh_from_db()
    assert scale.name == "Renamed"
    with organization_scope(org.organization):
        assert scale.levels.count() == 2


@pytest.mark.parametrize("who", ["manager", "report"])
def test_only_hr_and_owners_edit_scales(org: OrgPeople, client_for, who: str) -> None:
    scale = make_isolation_scale(org)
    client = client_for(getattr(org, who))
    assert client.get(url(org, "new/")).status_code == 403
    assert client.post(url(org, f"{scale.pk}/"), scale_form()).status_code == 403
    page = client.get(url(org))
    assert page.status_code == 200
    assert "Add a scale" not in page.content.decode()


def test_another_organizations_scale_is_not_found(org, other_org, client_for) -> None:
    foreign = make_isolation_scale(other_org)
    assert client_for(org.hr).get(url(org, f"{foreign.pk}/")).status_code == 404


def test_the_admin_menu_offers_scales_to_hr_only(org: OrgPeople, client_for) -> None:
    home = f"/o/{org.organization.slug}/"
    assert url(org) in client_for(org.hr).get(home).content.decode()
    assert url(org) not in client_for(org.report).get(home).content.decode()


def test_a_german_organization_reads_the_scales_in_german(org: OrgPeople, client_for) -> None:
    org.organization.locale = "de"
    org.organization.save(update_fields=["locale"])
    make_isolation_scale(org)
    page = client_for(org.hr).get(url(org)).content.decode()
    assert "Bewertungsskalen" in page
    assert "2 Stufen" in page
    assert "Skala hinzufügen" in page
    with translation.override("de"):
        assert ngettext("%(levels)s level", "%(levels)s levels", 1) == "%(levels)s Stufe"
