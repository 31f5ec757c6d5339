"""1:1s over the REST API: /api/v1/orgs/<org_slug>/one-on-ones/...

Thin: parse input, call one selector or service, serialize. People see the 1:1s they are a
side of; API keys with `one_on_ones:read` read every 1:1 but write nothing, and never see a
private note. Private notes answer only their author. An object the caller may not see is
a 404, exactly like another organization's.
"""

from .agenda import ActionItemViewSet, TalkingPointViewSet
from .filters import (
    ActionItemFilter,
    IdFilter,
    MeetingFilter,
    PrivateNoteFilter,
    SeriesFilter,
    TalkingPointFilter,
)
from .private_notes import PrivateNoteViewSet
from .series import MeetingViewSet, SeriesViewSet

__all__ = [
    "ActionItemFilter",
    "ActionItemViewSet",
    "IdFilter",
    "MeetingFilter",
    "MeetingViewSet",
    "PrivateNoteFilter",
    "PrivateNoteViewSet",
    "SeriesFilter",
    "SeriesViewSet",
    "TalkingPointFilter",
    "TalkingPointViewSet",
]
