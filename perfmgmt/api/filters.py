"""Query filter types shared by every API list.

Use `IdFilter` for every id: a whole number (NumberFilter alone would accept 1.5).

A FilterSet parses and documents a list's query parameters; it never filters. The list's
selector does, with the same rules as the page's: `selector_arguments` turns the parsed
parameters into the selector's keyword arguments (an id filter `person` is the selector's
`person_id`, every other filter keeps its name; parameters not sent are left out), and
`SelectorFilterBackend`, the API's default backend, filters nothing. A FilterSet that filters
itself (a `method=`, a backend of its own) is refused by tests/api/test_filters_call_selectors.py.

Use `UtcDateTimeFilter` for every moment in a query string: Python accepts UTC offsets up to
±23:59 that PostgreSQL refuses ("time zone displacement out of range"), so a filter value is
converted to UTC before it reaches the database, and a moment that has no UTC equivalent
(year 1 at +20:00, year 9999 at -05:00) is a 400 on that parameter.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.request import Request


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A whole-number id (NumberFilter alone would accept 1.5)."""

    field_class = forms.IntegerField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, answered in UTC."""

    default_error_messages = {
        "out_of_range": _("Enter a date and time between years 1 and 9999 in UTC."),
    }

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError(
                self.error_messages["out_of_range"], code="out_of_range"
            ) from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class SelectorFilterBackend(DjangoFilterBackend):
    """Documents the view's FilterSet and filters nothing: the view's selector does."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        return queryset


def parsed_filters(
    filterset_class: type[django_filters.FilterSet], request: Request
) -> dict[str, Any]:
    """The query parameters `filterset_class` declares, parsed; 400 with field messages."""
    query = request.query_params
    if not any(key.startswith(name) for key in query for name in filterset_class.base_filters):
        # A query naming none of the filters (a first page, a cursor) parses as an empty one
        # does: parsed once per FilterSet rather than a form built for every request.
        unasked = _parsed_unasked(filterset_class)
        if unasked is not None:
            return copy.deepcopy(unasked)
    return _parsed(filterset_class, query)


def _parsed(filterset_class: type[django_filters.FilterSet], query: Any) -> dict[str, Any]:
    empty = filterset_class._meta.model._base_manager.none()
    filterset = filterset_class(query, queryset=empty)
    if not filterset.is_valid():
        raise exceptions.ValidationError(filterset.errors)
    return dict(filterset.form.cleaned_data)


# Per FilterSet, what an empty query parses to (None: a 400).
_UNASKED: dict[type[django_filters.FilterSet], dict[str, Any] | None] = {}


def _parsed_unasked(filterset_class: type[django_filters.FilterSet]) -> dict[str, Any] | None:
    """What `filterset_class` parses an empty query to; None when that is refused (a
    required filter), which each request then answers itself."""
    if filterset_class not in _UNASKED:
        try:
            _UNASKED[filterset_class] = _parsed(filterset_class, QueryDict())
        except exceptions.ValidationError:
            _UNASKED[filterset_class] = None
    return _UNASKED[filterset_class]


def selector_argument(filterset_class: type[django_filters.FilterSet], name: str) -> str:
    """The selector keyword a query parameter becomes: `<name>_id` for an id, else `name`."""
    declared = filterset_class.base_filters[name]
    return f"{name}_id" if isinstance(declared, IdFilter) else name


def selector_arguments(
    filterset_class: type[django_filters.FilterSet], request: Request
) -> dict[str, Any]:
    """The query parameters sent, parsed, as the list selector's keyword arguments."""
    return {
        selector_argument(filterset_class, name): value
        for name, value in parsed_filters(filterset_class, request).items()
        if value is not None and value != ""
    }
