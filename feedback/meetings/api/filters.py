"""Query filters of the 1:1 list endpoints."""

from __future__ import annotations

import django_filters

from perfmgmt.api.filters import IdFilter, UtcDateTimeFilter

from ..models import (
    ActionItem,
    Cadence,
    Meeting,
    MeetingStatus,
    OneOnOneSeries,
    PrivateNote,
    TalkingPoint,
)


class SeriesFilter(django_filters.FilterSet):
    person = IdFilter(help_text="Series with this person on a side.")
    cadence = django_filters.ChoiceFilter(choices=Cadence.choices)

    class Meta:
        model = OneOnOneSeries
        fields = ["person", "cadence"]


class MeetingFilter(django_filters.FilterSet):
    series = IdFilter(field_name="series_id")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    after = UtcDateTimeFilter(field_name="scheduled_for", lookup_expr="gte")
    before = UtcDateTimeFilter(field_name="scheduled_for", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["series", "status", "after", "before"]


class TalkingPointFilter(django_filters.FilterSet):
    meeting = IdFilter(field_name="meeting_id")
    discussed = django_filters.BooleanFilter()

    class Meta:
        model = TalkingPoint
        fields = ["meeting", "discussed"]


class ActionItemFilter(django_filters.FilterSet):
    series = IdFilter(field_name="series_id")
    owner = IdFilter(field_name="owner_id")
    done = django_filters.BooleanFilter(help_text="Done (true) or still open (false).")

    class Meta:
        model = ActionItem
        fields = ["series", "owner", "done"]


class PrivateNoteFilter(django_filters.FilterSet):
    meeting = IdFilter(field_name="meeting_id")

    class Meta:
        model = PrivateNote
        fields = ["meeting"]
