"""Building a review template over the API: the same services and rules as the pages."""

from __future__ import annotations

import pytest

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from reviews.models import ReviewTemplate, TemplateQuestion, TemplateSection
from tests.conftest import OrgPeople
from tests.reviews.isolation import make_isolation_scale, make_isolation_template

pytestmark = pytest.mark.django_db


def templates(org: OrgPeople, template_id: int | None = None, action: str = "") -> str:
    url = f"/api/v1/orgs/{org.organization.slug}/reviews/templates/"
    if template_id:
        url += f"{template_id}/"
    return url + (f"{action}/" if action else "")


def test_hr_builds_a_template_with_a_section_and_a_manager_only_question(org, api_as) -> None:
    client = api_as(org.hr)
    scale = make_isolation_scale(org)
    created = client.post(templates(org), {"name": "Annual"}, format="json")
    assert created.status_code == 201, created.json()
    template_id = created.json()["id"]
    section = client.post(
        templates(org, template_id, "sections"), {"title": "Results", "weight": "60"}, format="json"
    )
    assert section.status_code == 200, section.json()
    section_id = section.json()["sections"][0]["id"]
    question = client.post(
        templates(org, template_id, "questions"),
        {
            "section": section_id,
            "question_kind": "rating",
            "prompt": "Potential",
            "scale": scale.pk,
            "answered_by": ["manager"],
            "readers": "managers",
        },
        format="json",
    )
    assert question.status_code == 200, question.json()
    [read] = question.json()["sections"][0]["questions"]
    assert read["prompt"] == "Potential"
    assert read["readers"] == "managers"
    assert read["answered_by"] == ["manager"]
    # Everyone reads it, as on the pages.
    assert api_as(org.report).get(templates(org, template_id)).status_code == 200


def test_bad_questions_are_a_400_naming_the_field_and_change_nothing(org, api_as) -> None:
    client = api_as(org.hr)
    template = make_isolation_template(org)
    client.post(templates(org, template.pk, "sections"), {"title": "Growth"}, format="json")
    with organization_scope(org.organization):
        section = TemplateSection.objects.get(template=template)
    rated_without_scale = {
        "section": section.pk,
        "question_kind": "overall",
        "prompt": "Overall",
        "answered_by": ["self"],
    }
    response = client.post(
        templates(org, template.pk, "questions"), rated_without_scale, format="json"
    )
    assert response.status_code == 400
    assert "scale" in response.json()["error"]["fields"]
    negative = client.post(
        templates(org, template.pk, "sections"), {"title": "X", "weight": "-1"}, format="json"
    )
    assert negative.status_code == 400
    assert "weight" in negative.json()["error"]["fields"]
    with organization_scope(org.organization):
        assert not TemplateQuestion.objects.filter(section=section).exists()
        assert TemplateSection.objects.filter(template=template).count() == 1


def test_another_templates_section_or_organizations_scale_is_refused(
    org: OrgPeople, other_org: OrgPeople, api_as
) -> None:
    client = api_as(org.hr)
    mine, theirs = make_isolation_template(org), make_isolation_template(org)
    client.post(templates(org, theirs.pk, "sections"), {"title": "Elsewhere"}, format="json")
    with organization_scope(org.organization):
        elsewhere = TemplateSection.objects.get(template=theirs)
    foreign_scale = make_isolation_scale(other_org)
    question = {"question_kind": "rating", "prompt": "Q", "answered_by": ["self"]}
    wrong_section = client.post(
        templates(org, mine.pk, "questions"), {**question, "section": elsewhere.pk}, format="json"
    )
    assert wrong_section.status_code == 400
    assert "section" in wrong_section.json()["error"]["fields"]
    client.post(templates(org, mine.pk, "sections"), {"title": "Here"}, format="json")
    with organization_scope(org.organization):
        here = TemplateSection.objects.get(template=mine)
    wrong_scale = client.post(
        templates(org, mine.pk, "questions"),
        {**question, "section": here.pk, "scale": foreign_scale.pk},
        format="json",
    )
    assert wrong_scale.status_code == 400
    assert "scale" in wrong_scale.json()["error"]["fields"]
    # Another organization's template is not found at all.
    other = make_isolation_template(other_org)
    assert client.post(templates(org, other.pk, "sections"), {"title": "X"}).status_code == 404


def test_sections_and_questions_are_removed_only_from_their_template(org, api_as) -> None:
    client = api_as(org.hr)
    template = make_isolation_template(org)
    body = client.post(
        templates(org, template.pk, "sections"), {"title": "Results"}, format="json"
    ).json()
    section_id = body["sections"][0]["id"]
    other = make_isolation_template(org)
    refused = client.post(
        templates(org, other.pk, "remove-section"), {"id": section_id}, format="json"
    )
    assert refused.status_code == 400
    removed = client.post(
        templates(org, template.pk, "remove-section"), {"id": section_id}, format="json"
    )
    assert removed.status_code == 200
    assert removed.json()["sections"] == []


def test_only_hr_and_write_keys_build_templates(org: OrgPeople, api_as, api_with_key) -> None:
    assert (
        api_as(org.manager).post(templates(org), {"name": "Mine"}, format="json").status_code == 403
    )
    reader = api_with_key(org, scopes=[Scope.REVIEWS_READ])
    assert reader.post(templates(org), {"name": "Read only"}, format="json").status_code == 403
    writer = api_with_key(org, scopes=[Scope.REVIEWS_WRITE])
    assert writer.post(templates(org), {"name": "By key"}, format="json").status_code == 201
    with organization_scope(org.organization):
        assert list(ReviewTemplate.objects.values_list("name", flat=True)) == ["By key"]
