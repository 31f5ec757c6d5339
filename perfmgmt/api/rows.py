"""List pages presented from rows (`QuerySet.values()`), exactly as their serializer would.

A list endpoint's selector can read just the columns and annotations a page answers, as
dicts, instead of model instances with their joins; `RowPresenter` then answers each row
as the endpoint's serializer answers the same object, field by field, with the serializer's
own `to_representation` of each field (the identity where DRF's is one: ints, strings,
booleans). The serializer stays what the OpenAPI description is built from, and a field
added to it that the presenter cannot read raises when the presenter is first used, so the
two cannot drift apart silently; tests compare list rows with the detail answers.

    GOAL_ROWS = RowPresenter(
        GoalSerializer,
        computed={"milestones": lambda row: [...]},  # nested or derived fields
        keys={"owner_person": "owner_person_id"},    # else the field's source, "a.b" as "a__b"
        finish=hide_reward,                          # what the serializer's own
    )                                                #   to_representation adds
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rest_framework import serializers

Row = Mapping[str, Any]
Finish = Callable[[dict[str, Any], Row, Mapping[str, Any]], None]

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

_Step = tuple[str, str, Callable[[Any], Any] | None, Callable[[Row], Any] | None]


class RowPresenter:
    """Answers rows as `serializer_class` answers objects (see the module docstring)."""

    def __init__(
        self,
        serializer_class: type[serializers.Serializer[Any]],
        *,
        computed: Mapping[str, Callable[[Row], Any]] | None = None,
        keys: Mapping[str, str] | None = None,
        finish: Finish | None = None,
    ) -> None:
        self.serializer_class = serializer_class
        self.computed = dict(computed or {})
        self.keys = dict(keys or {})
        self.finish = finish
        self._steps: list[_Step] | None = None

    def steps(self) -> list[_Step]:
        """Per field of the serializer, in its order: (name, row key, convert, compute)."""
        if self._steps is None:
            fields = self.serializer_class().fields
            steps: list[_Step] = []
            for name, field in fields.items():
                if field.write_only:
                    continue
                if name in self.computed:
                    steps.append((name, "", None, self.computed[name]))
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

    def keys_read(self) -> list[str]:
        """The row keys the plain fields are read from (the selector's `.values()`)."""
        return [key for _name, key, _convert, compute in self.steps() if compute is None]

    def present(
        self, rows: Iterable[Row], context: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        steps, finish, context = self.steps(), self.finish, context or {}
        answered = []
        for row in rows:
            item: dict[str, Any] = {}
            for name, key, convert, compute in steps:
                if compute is not None:
                    item[name] = compute(row)
                    continue
                value = row[key]
                item[name] = value if value is None or convert is None else convert(value)
            if finish is not None:
                finish(item, row, context)
            answered.append(item)
        return answered


def _converter(field: serializers.Field[Any, Any, Any, Any]) -> Callable[[Any], Any] | None:
    method = type(field).to_representation
    if method in _IDENTITY:
        return None
    return field.to_representation
