"""The review set-up over the API: the same rules as the pages, keys by scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from reviews.models import RatingScale, ReviewTemplate
from tests.conftest import OrgPeople
from tests.reviews.isolation import (
    make_isolation_question,
    make_isolation_scale,
    make_isolation_template,
)

pytestmark = pytest.mark.django_db

SCALE = {
    "name": "Four points",
    "levels": [
        {"value": "1", "label": "Low", "description": "Rarely"},
        {"value": "4", "label": "High"},
        {"value": "2", "label": "Some"},
    ],
}


def scales(org: OrgPeople, scale_id: int | None = None) -> str:
    url = f"/api/v1/orgs/{org.organization.slug}/reviews/scales/"
    return f"{url}{scale_id}/" if scale_id else url


def test_hr_adds_a_scale_and_everyone_reads_it(org: OrgPeople, api_as) -> None:
    response = api_as(org.hr).post(scales(org), SCALE, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [level["label"] for level in body["levels"]] == ["Low", "Some", "High"]
    listed = api_as(org.report).get(scales(org)).json()
    assert [scale["name"] for scale in listed["results"]] == ["Four points"]


def test_bad_levels_are_a_400_naming_the_field(org: OrgPeople, api_as) -> None:
    bad = {**SCALE, "levels": [{"value": "1", "label": "A"}, {"value": "1", "label": "B"}]}
    response = api_as(org.hr).post(scales(org), bad, format="json")
    assert response.status_code == 400
    assert "levels" in response.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert not RatingScale.objects.exists()


def test_a_manager_may_not_change_scales(org: OrgPeople, api_as) -> None:
    assert api_as(org.manager).post(scales(org), SCALE, format="json").status_code == 403
    scale = make_isolation_scale(org)
    response = api_as(org.manager).put(scales(org, scale.pk), SCALE, format="json")
    assert response.status_code == 403


def test_replacing_a_scale_replaces_its_levels(org: OrgPeople, api_as) -> None:
    scale = make_isolation_scale(org)
    response = api_as(org.hr).put(scales(org, scale.pk), SCALE, format="json")
    assert response.status_code == 200
    assert len(response.json()["levels"]) == 3


def test_keys_read_with_reviews_read_and_write_with_reviews_write(org, api_with_key) -> None:
    reader = api_with_key(org, scopes=[Scope.REVIEWS_READ])
    assert reader.get(scales(org)).status_code == 200
    assert reader.post(scales(org), SCALE, format="json").status_code == 403
    writer = api_with_key(org, scopes=[Scope.REVIEWS_WRITE])
    assert writer.post(scales(org), SCALE, format="json").status_code == 201
    nobody = api_with_key(org, scopes=[Scope.GOALS_READ])
    assert nobody.get(scales(org)).status_code == 403


def test_another_organizations_scale_and_template_are_not_found(org, other_org, api_as):
    scale = make_isolation_scale(other_org)
    template = make_isolation_template(other_org)
    client = api_as(org.hr)
    assert client.get(scales(org, scale.pk)).status_code == 404
    assert client.put(scales(org, scale.pk), SCALE, format="json").status_code == 404
    url = f"/api/v1/orgs/{org.organization.slug}/reviews/templates/{template.pk}/"
    assert client.get(url).status_code == 404


def test_a_template_reads_with_its_sections_and_questions(org: OrgPeople, api_as) -> None:
    question = make_isolation_question(org)
    url = f"/api/v1/orgs/{org.organization.slug}/reviews/templates/{question.section.template_id}/"
    body = api_as(org.report).get(url).json()
    assert body["sections"][0]["questions"][0]["prompt"] == "What went well?"
    assert body["sections"][0]["questions"][0]["answered_by"] == ["self"]


@pytest.mark.parametrize(
    ("resource", "make", "model"),
    [
        ("scales", make_isolation_scale, RatingScale),
        ("templates", make_isolation_question, ReviewTemplate),
    ],
)
def test_lists_take_the_same_queries_at_5_and_at_50_rows(
    org, api_as, resource, make, model
) -> None:
    url = f"/api/v1/orgs/{org.organization.slug}/reviews/{resource}/?limit=100"
    client = api_as(org.hr)
    counts = []
    for total in (5, 50):
        with organization_scope(org.organization):
            missing = total - model.objects.count()
        for _ in range(missing):
            make(org)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.json()["results"]) == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
