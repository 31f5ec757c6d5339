"""The review results export in the common scheme: CSV and XLSX from the Exports page, the
cycle's progress page and the API, audited, for HR only, with peers never named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.context import organization_scope
from reviews.models import Participant
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople, login
from tests.export_helpers import audit_entries, column, content, csv_rows, xlsx_rows
from tests.reviews.peer_helpers import (
    answer,
    approve_peers,
    closed_peer_phases,
    new_peers,
    peer_cycle,
)
from tests.reviews.release_helpers import written_cycle

pytestmark = pytest.mark.django_db


def page_url(org: OrgPeople) -> str:
    return reverse("web:export_review_results", kwargs={"org_slug": org.organization.slug})


def test_hr_exports_a_cycles_results_as_csv_and_as_xlsx(org: OrgPeople, client: Client) -> None:
    cycle = written_cycle(org, [org.report, org.report2])
    login(client, org.hr)
    csv_file = csv_rows(client.get(page_url(org), {"cycle": cycle.pk}))
    xlsx_file = xlsx_rows(
        client.get(page_url(org), {"cycle": str(cycle.pk), "file_format": "xlsx"})
    )
    assert csv_file == xlsx_file
    assert sorted(column(csv_file, "Person")) == [org.report2.full_name, org.report.full_name]
    entries = audit_entries(org.organization, "export.review-results")
    assert [entry.changes for entry in entries] == [
        {"filters": {"cycle": cycle.pk}, "format": "csv"},
        {"filters": {"cycle": cycle.pk}, "format": "xlsx"},
    ]


def test_the_progress_pages_export_is_audited_and_offers_xlsx(
    org: OrgPeople, client: Client
) -> None:
    cycle = written_cycle(org, [org.report])
    url = reverse("reviews:cycle_export", args=[org.organization.slug, cycle.pk])
    login(client, org.hr)
    assert len(xlsx_rows(client.get(url, {"file_format": "xlsx"}))) == 2
    assert client.get(url, {"file_format": "pdf"}).status_code == 400
    (entry,) = audit_entries(org.organization, "export.review-results")
    assert entry.changes["format"] == "xlsx"


def test_nobody_but_hr_exports_results(org: OrgPeople, client: Client) -> None:
    cycle = written_cycle(org, [org.report])
    for person in (org.manager, org.report):
        response = login(Client(), person).get(page_url(org), {"cycle": cycle.pk})
        assert response.status_code == 403


def test_a_cycle_of_another_organization_is_a_form_error(
    org: OrgPeople, other_org: OrgPeople, client: Client
) -> None:
    foreign = written_cycle(other_org, [other_org.report])
    response = login(client, org.hr).get(page_url(org), {"cycle": foreign.pk})
    assert response.status_code == 400
    assert audit_entries(org.organization, "export.review-results") == []


def test_peers_are_never_named_in_either_file(org: OrgPeople, client: Client) -> None:
    cycle = peer_cycle(org, [org.report], phases=closed_peer_phases(), threshold=3)
    peers = new_peers(org, 3, prefix="Secretpeer")
    with organization_scope(org.organization):
        participant = Participant.objects.select_related("snapshot", "cycle").get(cycle=cycle)
        for number, review in enumerate(approve_peers(participant, peers)):
            answer(review, 4, "Kind words", datetime(2003, 3, 3 + number, tzinfo=UTC))
    login(client, org.hr)
    for file_format in ("csv", "xlsx"):
        response = client.get(page_url(org), {"cycle": cycle.pk, "file_format": file_format})
        rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
        cells = " ".join(cell for row in rows for cell in row)
        assert "Secretpeer" not in cells
        assert "2003" not in cells
        assert "Kind words" not in cells
        assert org.report.full_name in cells


def test_the_api_answers_keys_with_the_reviews_scope(org: OrgPeople) -> None:
    cycle = written_cycle(org, [org.report])
    url = f"/api/v1/orgs/{org.organization.slug}/exports/review-results/"
    _credential, key = create_key(org, [Scope.REVIEWS_READ])
    assert len(xlsx_rows(key_client(key).get(url, {"cycle": str(cycle.pk), "file_format": "xlsx"})))
    missing = key_client(key).get(url)
    assert missing.status_code == 400
    assert "cycle" in missing.json()["error"]["fields"]
    old = f"/api/v1/orgs/{org.organization.slug}/reviews/cycle-results/{cycle.pk}/export/"
    assert content(key_client(key).get(old, {"file_format": "xlsx"}))[:2] == b"PK"
    _credential, other = create_key(org, [Scope.GOALS_READ])
    assert key_client(other).get(url, {"cycle": cycle.pk}).status_code == 403
