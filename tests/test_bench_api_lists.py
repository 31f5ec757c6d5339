"""The API list benchmark runs (tiny), so it cannot rot: it seeds, checks every list's
serialize path and floor against what the API answers, measures and rolls back."""

from __future__ import annotations

import pytest

from bench.api_lists import ENDPOINTS, HEADER, run
from perfmgmt.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_the_benchmark_measures_every_list_for_every_reader_and_leaves_nothing_behind() -> None:
    before = Organization.objects.count()

    results = run(profile="tiny", rounds=1)

    expected = [
        (endpoint.name, reader)
        for endpoint in ENDPOINTS
        for reader in (("vp", "key") if endpoint.keys_read else ("vp",))
    ]
    assert [(result.endpoint, result.reader) for result in results] == expected
    for result in results:
        assert result.rows > 0, result
        assert result.serialize_ratio > 0
        assert result.request_ratio > 0
        assert result.line().endswith(("pass", "FAIL"))
    assert "result" in HEADER
    assert Organization.objects.count() == before
