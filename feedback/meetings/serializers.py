"""API shapes of 1:1s. Parsing and presenting only: every rule lives in services/policies."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from perfmgmt.api.jsonrows import JsonRows
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.serializers import OrgScopedPrimaryKeyField

from .models import ActionItem, Cadence, Meeting, MeetingStatus, OneOnOneSeries, PrivateNote

MAX_ID = 2**63 - 1


def _person_field(**kwargs: Any) -> OrgScopedPrimaryKeyField:
    return OrgScopedPrimaryKeyField(
        model=Membership, error_messages={"does_not_exist": _("Unknown person.")}, **kwargs
    )


def _id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class SeriesSerializer(serializers.Serializer[OneOnOneSeries]):
    id = serializers.IntegerField(read_only=True)
    manager = serializers.IntegerField(source="manager_id", read_only=True)
    manager_name = serializers.CharField(source="manager.display_name", read_only=True)
    report = serializers.IntegerField(source="report_id", read_only=True)
    report_name = serializers.CharField(source="report.display_name", read_only=True)
    cadence = serializers.ChoiceField(choices=Cadence.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


CONFIRM_PAST_HELP = (
    "A day before today (the organization's) is refused unless this says the 1:1 took place."
)


class SeriesCreateSerializer(serializers.Serializer[OneOnOneSeries]):
    with_person = _person_field(help_text="Id of the other person in the 1:1.")
    cadence = serializers.ChoiceField(choices=Cadence.choices, default=Cadence.WEEKLY)
    first_meeting_at = serializers.DateTimeField(
        required=False, help_text="Schedule the first meeting at this time (with time zone)."
    )
    confirm_past = serializers.BooleanField(default=False, help_text=CONFIRM_PAST_HELP)


class SeriesUpdateSerializer(serializers.Serializer[OneOnOneSeries]):
    cadence = serializers.ChoiceField(choices=Cadence.choices)


class MeetingSerializer(serializers.Serializer[Meeting]):
    id = serializers.IntegerField(read_only=True)
    series = serializers.IntegerField(source="series_id", read_only=True)
    scheduled_for = serializers.DateTimeField(read_only=True)
    status = serializers.ChoiceField(choices=MeetingStatus.choices, read_only=True)
    shared_notes = serializers.CharField(read_only=True)
    notes_version = serializers.IntegerField(
        read_only=True, help_text="Send it back as `notes_version` when saving the notes."
    )
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


# The API's list (`selectors.meeting_rows`: the ids), written out by PostgreSQL as
# MeetingSerializer answers each meeting (perfmgmt/api/jsonrows.py).
MEETING_JSON = JsonRows(MeetingSerializer, model=Meeting)


class MeetingCreateSerializer(serializers.Serializer[Meeting]):
    series = _id_field(help_text="Id of the 1:1 series.")
    scheduled_for = serializers.DateTimeField()
    confirm_past = serializers.BooleanField(default=False, help_text=CONFIRM_PAST_HELP)


class MeetingUpdateSerializer(serializers.Serializer[Meeting]):
    """Send `status` to mark the meeting done or cancelled, `scheduled_for` to move it,
    `shared_notes` with the `notes_version` you read to save the notes."""

    status = serializers.ChoiceField(
        choices=[MeetingStatus.DONE, MeetingStatus.CANCELLED], required=False
    )
    scheduled_for = serializers.DateTimeField(required=False)
    confirm_past = serializers.BooleanField(default=False, help_text=CONFIRM_PAST_HELP)
    shared_notes = serializers.CharField(
        required=False, allow_blank=True, max_length=50_000, trim_whitespace=False
    )
    notes_version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class TalkingPointSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    author = serializers.IntegerField(source="author_id", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    text = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    discussed = serializers.BooleanField(read_only=True)
    goal = serializers.IntegerField(source="goal_id", read_only=True, allow_null=True)
    feedback = serializers.IntegerField(source="feedback_id", read_only=True, allow_null=True)
    carried_from = serializers.IntegerField(
        source="carried_from_id", read_only=True, allow_null=True
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back as `version` when editing the text."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class TalkingPointCreateSerializer(serializers.Serializer[Any]):
    meeting = _id_field(help_text="Id of the meeting.")
    text = serializers.CharField(max_length=5000)
    goal = _id_field(required=False, allow_null=True, default=None)
    feedback = _id_field(required=False, allow_null=True, default=None)


class TalkingPointUpdateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=5000, required=False)
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="The version you edited."
    )
    discussed = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False, min_value=0, max_value=10_000)
    goal = _id_field(required=False, allow_null=True)
    feedback = _id_field(required=False, allow_null=True)


class ActionItemSerializer(serializers.Serializer[ActionItem]):
    id = serializers.IntegerField(read_only=True)
    series = serializers.IntegerField(source="series_id", read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    text = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    done = serializers.BooleanField(source="is_done", read_only=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)
    done_in = serializers.IntegerField(source="done_in_id", read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ActionItemCreateSerializer(serializers.Serializer[ActionItem]):
    meeting = _id_field(help_text="Id of the meeting it was agreed in.")
    owner = _person_field(help_text="Id of the person who does it (one of the two sides).")
    text = serializers.CharField(max_length=5000)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class ActionItemUpdateSerializer(serializers.Serializer[ActionItem]):
    text = serializers.CharField(max_length=5000, required=False)
    owner = _person_field(required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    done = serializers.BooleanField(required=False)
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="The version you edited."
    )


class PrivateNoteSerializer(serializers.Serializer[PrivateNote]):
    id = serializers.IntegerField(read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    text = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PrivateNoteCreateSerializer(serializers.Serializer[PrivateNote]):
    meeting = _id_field(help_text="Id of the meeting.")
    text = serializers.CharField(max_length=50_000)


class PrivateNoteUpdateSerializer(serializers.Serializer[PrivateNote]):
    text = serializers.CharField(max_length=50_000)
    version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
