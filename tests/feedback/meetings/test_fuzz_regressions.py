"""Inputs found by fuzzing the API that once answered 500: each now gets a clear 4xx."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

import pytest
from rest_framework.test import APIClient

from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import make_meeting, make_series

pytestmark = pytest.mark.django_db

ApiAs = Callable[[Membership], APIClient]


def meetings_url(org: OrgPeople) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/one-on-ones/meetings/"


@pytest.mark.parametrize("offset", ["-20:05", "+16:00"])
def test_a_meeting_filter_with_a_utc_offset_postgres_cannot_store_still_filters(
    org: OrgPeople, api_as: ApiAs, offset: str
) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    later = (meeting.scheduled_for + timedelta(days=1)).astimezone(UTC)
    hours, minutes = (int(part) for part in offset[1:].split(":"))
    shift = timedelta(hours=hours, minutes=minutes) * (1 if offset[0] == "+" else -1)
    local = (later + shift).replace(tzinfo=None).isoformat()

    response = api_as(org.manager).get(meetings_url(org), {"before": f"{local}{offset}"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [meeting.pk]


def test_a_meeting_filter_date_that_cannot_be_converted_to_utc_is_a_400(
    org: OrgPeople, api_as: ApiAs
) -> None:
    response = api_as(org.manager).get(
        meetings_url(org), {"after": "0001-01-01T00:00:00+20:00", "status": "done"}
    )

    assert response.status_code == 400
    assert "after" in response.json()["error"]["fields"]


def test_the_fuzzed_meeting_filter_no_longer_fails(org: OrgPeople, api_as: ApiAs) -> None:
    response = api_as(org.manager).get(
        meetings_url(org), {"before": "0166-03-13T01:44:50-20:05", "status": "done"}
    )

    assert response.status_code == 200
    assert response.json()["results"] == []
