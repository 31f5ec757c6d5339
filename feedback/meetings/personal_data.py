"""1:1s: only their two participants read them, so an export holds them only when the
person asks for their own data. A private note reaches nobody but its author."""

from django.db.models import Q

from perfmgmt.privacy.registry import PersonalData, Texts, register
from perfmgmt.tenancy.models import Membership

from .models import ActionItem, OneOnOneSeries, PrivateNote, TalkingPoint
from .policies import visible_series_filter


def _own_notes(reader: Membership) -> Q:
    return Q(author=reader)


register(
    PersonalData(
        OneOnOneSeries,
        person_fields=("manager", "report", "created_by"),
        readable=visible_series_filter,
    )
)
register(
    PersonalData(
        TalkingPoint,
        person_fields=("author",),
        readable=lambda reader: visible_series_filter(reader, "meeting__series__"),
        texts=(Texts("author", ("text",)),),
    )
)
register(
    PersonalData(
        PrivateNote,
        person_fields=("author",),
        readable=_own_notes,
        texts=(Texts("author", ("text",)),),
    )
)
register(
    PersonalData(
        ActionItem,
        person_fields=("owner", "created_by"),
        readable=lambda reader: visible_series_filter(reader, "series__"),
        kept="Action items stay as written: both sides of the 1:1 follow them up.",
    )
)
