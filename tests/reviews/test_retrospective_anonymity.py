"""Nobody can tell who wrote which retrospective answer: not the tables, not the results,
not the API, not the personal-data export, and erasure keeps the combined answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import models

from perfmgmt.privacy.services import person_erase
from perfmgmt.tenancy.context import organization_scope
from reviews.models import RetrospectiveAnswer, RetrospectiveParticipation
from reviews.selectors.retrospectives import retrospective_results
from tests.conftest import OrgPeople
from tests.privacy.scenario import read_export, request_export
from tests.reviews.retrospective_helpers import answer, open_retrospective, team_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_an_answer_row_has_no_author_no_date_and_no_time() -> None:
    fields = RetrospectiveAnswer._meta.concrete_fields
    related = {
        field.related_model._meta.label
        for field in fields
        if field.is_relation and field.related_model is not None
    }
    assert related == {"tenancy.Organization", "reviews.Retrospective"}
    assert not [
        field.name
        for field in fields
        if isinstance(field, (models.DateField, models.DateTimeField, models.TimeField))
    ]


def test_a_participation_row_names_the_person_and_nothing_about_the_answer() -> None:
    names = {field.name for field in RetrospectiveParticipation._meta.concrete_fields}
    assert names == {"id", "organization", "retrospective", "membership"}


def _answered(org: OrgPeople) -> Any:
    retrospective = open_retrospective(org, team_cycle(org))
    answer(org, org.report, retrospective, (1, 1, 1, 1), "RITA-RETRO-COMMENT")
    answer(org, org.report2, retrospective, (5, 5, 5, 5), "RAVI-RETRO-COMMENT")
    answer(org, org.colleague, retrospective, (3, 3, 3, 3), "CORA-RETRO-COMMENT")
    return retrospective


def test_the_export_says_the_person_answered_and_holds_no_answer(
    org: OrgPeople, django_capture_on_commit_callbacks
) -> None:
    _answered(org)
    with django_capture_on_commit_callbacks(execute=True):
        export = request_export(org.report, org.report)
    files = read_export(export)
    answered = json.loads(files["reviews.RetrospectivesAnswered.json"])["rows"]
    assert answered == [
        {"cycle": "2026 mid-year", "what": "answered the retrospective of this cycle"}
    ]
    text = "\n".join(files.values())
    for comment in ("RITA-RETRO-COMMENT", "RAVI-RETRO-COMMENT", "CORA-RETRO-COMMENT"):
        assert comment not in text
    assert "reviews.RetrospectiveAnswer.json" not in files


def test_erasure_removes_who_answered_and_keeps_the_combined_answers(org: OrgPeople) -> None:
    retrospective = _answered(org)
    with organization_scope(org.organization):
        before = retrospective_results(retrospective)
        person_erase(
            actor=org.owner,
            person=org.report,
            confirmation=org.report.display_name,
            blank_texts=True,
        )
        assert not RetrospectiveParticipation.objects.filter(membership=org.report).exists()
        assert RetrospectiveParticipation.objects.count() == 2
        assert RetrospectiveAnswer.objects.count() == 3
        after = retrospective_results(retrospective)
    assert after.answered == before.answered == 3
    assert after.questions == before.questions
    assert after.comments == before.comments


def test_comments_come_sorted_by_text_whatever_order_they_were_written_in(
    org: OrgPeople,
) -> None:
    retrospective = _answered(org)
    with organization_scope(org.organization):
        comments = retrospective_results(retrospective).comments
    assert comments == ["CORA-RETRO-COMMENT", "RAVI-RETRO-COMMENT", "RITA-RETRO-COMMENT"]


def test_the_results_page_and_api_name_nobody_and_no_answer_id(
    org: OrgPeople, client_for, api_as
) -> None:
    retrospective = _answered(org)
    page = client_for(org.hr).get(
        f"/o/{org.organization.slug}/reviews/retrospectives/{retrospective.pk}/results/"
    )
    data = (
        api_as(org.hr)
        .get(f"/api/v1/orgs/{org.organization.slug}/reviews/retrospectives/{retrospective.pk}/")
        .json()
    )
    html = page.content.decode()
    for person in (org.report, org.report2, org.colleague):
        assert person.display_name not in html
        assert person.display_name not in json.dumps(data)
    assert set(data) == {
        "id",
        "cycle",
        "opened_at",
        "closes_at",
        "invited",
        "answered",
        "response_rate",
        "threshold",
        "results_shown",
        "questions",
        "comments",
    }
    assert data["id"] == retrospective.pk
