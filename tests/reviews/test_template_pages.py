"""The template editor: HR builds sections and questions; each question says who will read
its answers; members read templates, only HR changes them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.tenancy.context import organization_scope
from reviews.models import QuestionKind, ReviewTemplate, TemplateQuestion
from reviews.services import setup as services
from tests.conftest import OrgPeople
from tests.goals.development.factories import make_competency
from tests.reviews.isolation import (
    make_isolation_question,
    make_isolation_scale,
    make_isolation_section,
    make_isolation_template,
)

pytestmark = pytest.mark.django_db


def base(org: OrgPeople) -> str:
    return f"/o/{org.organization.slug}/reviews/templates/"


def test_hr_creates_a_template_and_lands_on_its_editor(org: OrgPeople, client_for) -> None:
    client = client_for(org.hr)
    response = client.post(base(org), {"name": "Annual review", "description": "Once a year"})
    assert response.status_code == 302
    with organization_scope(org.organization):
        template = ReviewTemplate.objects.get(name="Annual review")
    assert response["Location"] == f"{base(org)}{template.pk}/"
    assert "Annual review" in client.get(base(org)).content.decode()


def test_hr_adds_a_section_and_a_question_that_says_who_reads_it(org, client_for) -> None:
    template = make_isolation_template(org)
    scale = make_isolation_scale(org)
    competency = make_competency(org, name="Listening")
    client = client_for(org.hr)
    url = f"{base(org)}{template.pk}/"
    assert client.post(url, {"title": "Potential", "weight": "0"}).status_code == 302
    with organization_scope(org.organization):
        section = template.sections.get()
    response = client.post(
        f"{url}questions/",
        {
            "question-section": section.pk,
            "question-kind": QuestionKind.COMPETENCY,
            "question-prompt": "How well do they listen?",
            "question-scale": scale.pk,
            "question-answered_by": ["manager"],
            "question-readers": "managers",
            "question-goal_scoring": "rated",
            "question-competency_ids": [competency.pk],
            "question-required": "on",
            "question-weight": "1",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "How well do they listen?" in page
    assert "Listening" in page
    # A manager-only question never names the reviewee among its readers.
    assert "Manager review: read by its author, the reviewee&#x27;s managers, HR" in page
    assert "once released" not in page


def test_an_everyone_question_reaches_the_reviewee_at_release(org, client_for) -> None:
    section = make_isolation_section(org)
    scale = make_isolation_scale(org)
    with organization_scope(org.organization):
        services.template_question_create(
            actor=org.hr,
            section=section,
            kind=QuestionKind.RATING,
            prompt="Results",
            answered_by=["self", "manager"],
            scale=scale,
        )
    page = client_for(org.hr).get(f"{base(org)}{section.template_id}/").content.decode()
    assert "Self-assessment: read by its author, the reviewee&#x27;s managers, HR" in page
    assert (
        "Manager review: read by its author, the reviewee&#x27;s managers, HR, "
        "the reviewee, once released" in page
    )


def test_a_refused_question_keeps_what_was_typed(org: OrgPeople, client_for) -> None:
    section = make_isolation_section(org)
    response = client_for(org.hr).post(
        f"{base(org)}{section.template_id}/questions/",
        {
            "question-section": section.pk,
            "question-kind": QuestionKind.RATING,
            "question-prompt": "Typed and kept",
            "question-answered_by": ["self"],
            "question-readers": "everyone",
            "question-goal_scoring": "rated",
            "question-weight": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a rating scale." in html
    assert 'value="Typed and kept"' in html
    with organization_scope(org.organization):
        assert not TemplateQuestion.objects.exists()


def test_hr_removes_a_question_and_a_section(org: OrgPeople, client_for) -> None:
    question = make_isolation_question(org)
    client = client_for(org.hr)
    slug = org.organization.slug
    assert (
        client.post(f"/o/{slug}/reviews/templates/questions/{question.pk}/delete/").status_code
        == 302
    )
    with organization_scope(org.organization):
        assert not TemplateQuestion.objects.filter(pk=question.pk).exists()
    section_id = question.section_id
    assert (
        client.post(f"/o/{slug}/reviews/templates/sections/{section_id}/delete/").status_code == 302
    )


@pytest.mark.parametrize("who", ["manager", "report"])
def test_members_read_templates_but_do_not_change_them(org, client_for, who) -> None:
    question = make_isolation_question(org)
    client = client_for(getattr(org, who))
    slug = org.organization.slug
    page = client.get(f"{base(org)}{question.section.template_id}/")
    assert page.status_code == 200
    assert "Add a section" not in page.content.decode()
    assert client.post(base(org), {"name": "Mine"}).status_code == 403
    assert (
        client.post(
            f"{base(org)}{question.section.template_id}/", {"title": "Mine", "weight": "1"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/o/{slug}/reviews/templates/questions/{question.pk}/delete/").status_code
        == 403
    )
    with organization_scope(org.organization):
        assert TemplateQuestion.objects.filter(pk=question.pk).exists()


def test_the_editor_takes_the_same_queries_for_small_and_large_templates(org, client_for):
    client = client_for(org.hr)
    scale = make_isolation_scale(org)
    competency = make_competency(org)

    def build(sections: int) -> ReviewTemplate:
        template = make_isolation_template(org)
        with organization_scope(org.organization):
            for index in range(sections):
                section = services.template_section_create(
                    actor=org.hr, template=template, title=f"S{index}"
                )
                services.template_question_create(
                    actor=org.hr,
                    section=section,
                    kind=QuestionKind.COMPETENCY,
                    prompt=f"Q{index}",
                    answered_by=["manager"],
                    scale=scale,
                    competency_ids=[competency.pk],
                )
        return template

    counts = []
    for template in (build(1), build(8)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{base(org)}{template.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
