from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .services.people_sync import MODES, ON_ERROR

MAX_ROWS = 50_000


class SyncOptionsSerializer(serializers.Serializer[Any]):
    """How to apply a batch. In a JSON body beside `people`; for CSV, query parameters."""

    mode = serializers.ChoiceField(
        choices=MODES,
        default="partial",
        help_text=_("full: people missing from the batch leave (never deleted)."),
    )
    dry_run = serializers.BooleanField(default=False)
    on_error = serializers.ChoiceField(choices=ON_ERROR, default="all_or_nothing")


class SyncRequestSerializer(SyncOptionsSerializer):
    people = serializers.ListField(
        child=serializers.JSONField(), allow_empty=True, max_length=MAX_ROWS
    )

    def to_internal_value(self, data: Any) -> Any:
        # The rows are checked one by one by the sync (errors naming row and field); here
        # only that they are a list of at most MAX_ROWS, without a field object per row.
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Expected an object.")]})
        people = data.get("people")
        if not isinstance(people, list):
            raise serializers.ValidationError({"people": [_("Expected a list of people.")]})
        if len(people) > MAX_ROWS:
            message = _("At most %(count)d people per request.") % {"count": MAX_ROWS}
            raise serializers.ValidationError({"people": [message]})
        options = SyncOptionsSerializer(data={k: v for k, v in data.items() if k != "people"})
        options.is_valid(raise_exception=True)
        return {"people": people, **options.validated_data}
