"""1:1 pages: the list of one's 1:1s, a series, and the meeting as a live document.

Every change on the meeting page is a small POST that works without JavaScript (it
redirects back to the page) and, with htmx, answers the re-rendered section only. A refused
change (400) or a stale edit (409) re-renders the section with the typed text kept in the
form and the message next to it.
"""

from .action_items import ActionItemAddView, ActionItemDoneView
from .base import SECTIONS, MeetingPageMixin, OneOnOneView
from .meeting import MeetingStatusView, MeetingView
from .notes import PrivateNoteAddView, PrivateNoteChangeView, SharedNotesView
from .series import IndexView, SeriesView
from .talking_points import TalkingPointAddView, TalkingPointChangeView
from .team import TeamView

__all__ = [
    "SECTIONS",
    "ActionItemAddView",
    "ActionItemDoneView",
    "IndexView",
    "MeetingPageMixin",
    "MeetingStatusView",
    "MeetingView",
    "OneOnOneView",
    "PrivateNoteAddView",
    "PrivateNoteChangeView",
    "SeriesView",
    "SharedNotesView",
    "TalkingPointAddView",
    "TalkingPointChangeView",
    "TeamView",
]
