"""`parsed_filters` answers a query naming none of a FilterSet's filters from one parse per
FilterSet: that must answer exactly what parsing the query would."""

from __future__ import annotations

import django_filters
import pytest
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from perfmgmt.api.filters import IdFilter, parsed_filters
from perfmgmt.tenancy.models import Membership


class _Optional(django_filters.FilterSet):
    team = IdFilter(field_name="team_id")
    joined = django_filters.DateFromToRangeFilter(field_name="start_date")

    class Meta:
        model = Membership
        fields = ["team"]


class _Required(django_filters.FilterSet):
    team = IdFilter(field_name="team_id", required=True)

    class Meta:
        model = Membership
        fields = ["team"]


def _request(query: str) -> Request:
    return Request(APIRequestFactory().get(f"/list/?{query}"))


def test_a_query_naming_no_filter_parses_as_an_empty_one() -> None:
    first = parsed_filters(_Optional, _request("page_size=100&cursor=abc"))

    assert first == {"team": None, "joined": None}
    first["team"] = 7  # a caller's change does not leak into the next request
    assert parsed_filters(_Optional, _request(""))["team"] is None


def test_a_filter_sent_is_parsed_and_refused_when_bad() -> None:
    assert parsed_filters(_Optional, _request("team=3"))["team"] == 3
    with pytest.raises(ValidationError):
        parsed_filters(_Optional, _request("team=1.5"))
    # A filter's widget may read its parameter under a suffix.
    joined = parsed_filters(_Optional, _request("joined_after=2026-01-01"))["joined"]
    assert joined is not None
    assert str(joined.start.date()) == "2026-01-01"


def test_a_required_filter_left_out_is_still_refused() -> None:
    with pytest.raises(ValidationError):
        parsed_filters(_Required, _request("page_size=100"))
    assert parsed_filters(_Required, _request("team=2"))["team"] == 2
