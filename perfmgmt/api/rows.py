"""List pages presented from rows (`QuerySet.values()`), exactly as their serializer would.

A list endpoint's selector can read just the columns and annotations a page answers, as
dicts, instead of model instances with their joins; `RowPresenter` then answers each row
as the endpoint's serializer answers the same object, field by field: DRF's own
`to_representation` of each field, or a shortcut that gives the same text for the values
a database column holds (ints, strings and string choices as they are; ISO dates; ISO
date-times in the reader's zone; decimals already at the field's scale). The serializer
stays what the OpenAPI description is built from, and a serializer field the presenter
cannot read raises when the presenter is first used, so the two cannot drift apart
silently; tests compare list rows with the detail answers.

    GOAL_ROWS = RowPresenter(
        GoalSerializer,
        computed={"milestones": lambda row: [...]},  # nested or derived fields
        keys={"owner_name": "owner_shown_name"},     # else the field's source, "a.b" as "a__b"
        finish=hide_reward,                          # what the serializer's own
        reads=("milestone_rows", "reward_visible"),  #   to_representation adds; the keys
    )                                                #   those two read

The list's selector gives the queryset (with its annotations); `columns` are the keys the
page selects from it, derived from the serializer's fields, so a new field is named once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

Row = Mapping[str, Any]
Finish = Callable[[dict[str, Any], Row, Mapping[str, Any]], None]
Convert = Callable[[Any], Any]
# Per page, the converter of one field's values (None: the value as it is).
ConverterFor = Callable[[], Convert | None]

# Fields whose DRF representation of a database value of their own type is the value.
_IDENTITY = (
    serializers.IntegerField.to_representation,
    serializers.CharField.to_representation,
    serializers.BooleanField.to_representation,
)
# Fields whose value is not a column: nested serializers, methods, JSON.
_NOT_COLUMNS = (
    serializers.BaseSerializer,
    serializers.SerializerMethodField,
    serializers.JSONField,
    serializers.ListField,
    serializers.DictField,
)

_Step = tuple[str, str, ConverterFor, Callable[[Row], Any] | None]


class RowPresenter:
    """Answers rows as `serializer_class` answers objects (see the module docstring)."""

    def __init__(
        self,
        serializer_class: type[serializers.Serializer[Any]],
        *,
        computed: Mapping[str, Callable[[Row], Any]] | None = None,
        keys: Mapping[str, str] | None = None,
        finish: Finish | None = None,
        reads: Iterable[str] = (),
    ) -> None:
        self.serializer_class = serializer_class
        self.computed = dict(computed or {})
        self.keys = dict(keys or {})
        self.finish = finish
        # Row keys that `computed` and `finish` read besides the fields' own.
        self.reads = tuple(reads)
        self._steps: list[_Step] | None = None
        self._cached_layout: _Layout | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The row keys the presenter reads, in the serializer's order: what the list's
        queryset selects (`OrgViewSet.page` passes them to `.values()`), so a field added to
        the serializer is read without being named again."""
        keys = [key for _name, key, _make, compute in self.steps() if compute is None]
        return tuple(dict.fromkeys([*keys, *self.reads]))

    def steps(self) -> list[_Step]:
        """Per field of the serializer, in its order: (name, row key, converter, compute)."""
        if self._steps is None:
            steps: list[_Step] = []
            for name, field in self.serializer_class().fields.items():
                if field.write_only:
                    continue
                if name in self.computed:
                    steps.append((name, "", _as_is, self.computed[name]))
                    continue
                if isinstance(field, _NOT_COLUMNS):
                    raise TypeError(
                        f"{self.serializer_class.__name__}.{name} is not a column: "
                        "give it in `computed`."
                    )
                key = self.keys.get(name) or (field.source or name).replace(".", "__")
                steps.append((name, key, _converter(field), None))
            self._steps = steps
        return self._steps

    def present(
        self, rows: Iterable[Row], context: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        layout = self._layout()
        # The converters of this page (a date-time's depends on the reader's zone); a column
        # whose values are answered as they are has none.
        converters = [(name, convert) for name, make in layout.converted if (convert := make())]
        finish, context = self.finish, context or {}
        names, read, computed = layout.names, layout.read, layout.computed
        answered = []
        for row in rows:
            # Every field in the serializer's order, read in one call (a computed field's
            # place is kept by a stand-in value), then the few that need work.
            item = dict(zip(names, read(row), strict=True))
            for name, convert in converters:
                value = item[name]
                if value is not None:
                    item[name] = convert(value)
            for name, compute in computed:
                item[name] = compute(row)
            if finish is not None:
                finish(item, row, context)
            answered.append(item)
        return answered

    def _layout(self) -> _Layout:
        if self._cached_layout is None:
            steps = self.steps()
            keys = [key for _name, key, _make, compute in steps if compute is None]
            # A computed field reads a column's value as its stand-in (or None if none).
            stand_in = keys[0] if keys else None
            read_keys = [stand_in if compute else key for _name, key, _make, compute in steps]
            self._cached_layout = _Layout(
                names=tuple(name for name, _key, _make, _compute in steps),
                read=_reader(read_keys),
                converted=tuple(
                    (name, make)
                    for name, _key, make, compute in steps
                    if compute is None and make is not _as_is
                ),
                computed=tuple(
                    (name, compute) for name, _key, _make, compute in steps if compute is not None
                ),
            )
        return self._cached_layout


@dataclass(frozen=True)
class _Layout:
    names: tuple[str, ...]  # every field, in the serializer's order
    read: Callable[[Row], tuple[Any, ...]]  # a row's value of each, in that order
    converted: tuple[tuple[str, ConverterFor], ...]
    computed: tuple[tuple[str, Callable[[Row], Any]], ...]


def _reader(keys: list[str | None]) -> Callable[[Row], tuple[Any, ...]]:
    read = [key for key in keys if key is not None]
    if len(read) < len(keys):  # only computed fields: nothing to read
        return lambda row: (None,) * len(keys)
    if len(read) == 1:
        (key,) = read
        return lambda row: (row[key],)
    return itemgetter(*read)


def _as_is() -> None:
    return None


def _converter(field: Any) -> ConverterFor:
    """How to present the database values of `field` as DRF does."""
    method = type(field).to_representation
    if method in _IDENTITY:
        return _as_is
    if method is serializers.ChoiceField.to_representation and all(
        isinstance(choice, str) for choice in field.choices
    ):
        return _as_is  # DRF answers a string choice as the string itself
    if (
        method is serializers.DateTimeField.to_representation
        and _iso(field, "DATETIME_FORMAT")
        and settings.USE_TZ
        and not hasattr(field, "timezone")  # DRF then answers in the current zone
    ):
        return lambda: _iso_datetime_in(timezone.get_current_timezone(), field)
    if method is serializers.DateField.to_representation and _iso(field, "DATE_FORMAT"):
        return lambda: _iso_date
    if method is serializers.DecimalField.to_representation and _plain_decimal(field):
        return lambda: _decimal_at(field)
    return lambda: field.to_representation


def _iso(field: Any, setting: str) -> bool:
    output_format = getattr(field, "format", getattr(api_settings, setting))
    return isinstance(output_format, str) and output_format.lower() == ISO_8601


def _iso_datetime_in(zone: tzinfo, field: Any) -> Convert:
    def present(value: Any) -> Any:
        if not isinstance(value, datetime) or value.tzinfo is None:
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return present


def _iso_date(value: Any) -> Any:
    return value if isinstance(value, str) else value.isoformat()


def _plain_decimal(field: Any) -> bool:
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    return (
        bool(coerce)
        and not field.localize
        and not field.normalize_output
        and field.decimal_places is not None
    )


def _decimal_at(field: Any) -> Convert:
    """A decimal already at the field's scale is what DRF's quantize leaves it; any other
    goes through DRF."""
    exponent = -field.decimal_places

    def present(value: Any) -> Any:
        if isinstance(value, Decimal) and value.as_tuple().exponent == exponent:
            return f"{value:f}"
        return field.to_representation(value)

    return present
