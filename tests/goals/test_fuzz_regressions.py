"""Inputs found by fuzzing the API that once answered 500: each now gets a clear 4xx."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from goals.models import Goal
from perfmgmt.api.models import Scope
from tests.conftest import OrgPeople

from .factories import make_key_result

pytestmark = pytest.mark.django_db

ApiWithKey = Callable[..., APIClient]


@pytest.mark.parametrize("field", ["parent", "start_value", "target_value"])
def test_clearing_what_makes_a_key_result_through_key_results_is_a_400_and_changes_nothing(
    org: OrgPeople, api_with_key: ApiWithKey, field: str
) -> None:
    key_result = make_key_result(org)
    client = api_with_key(org, scopes=[Scope.GOALS_READ, Scope.GOALS_WRITE])

    response = client.patch(
        f"/api/v1/orgs/{org.organization.slug}/key-results/{key_result.pk}/",
        {field: None, "title": "Renamed"},
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    stored = Goal.unscoped.get(pk=key_result.pk)
    assert stored.is_key_result
    assert stored.title == key_result.title
