"""Check-ins, feedback, requests and coaching, each read through its own reader rule."""

from django.db.models import Q

from perfmgmt.privacy.registry import PersonalData, Texts, register
from perfmgmt.tenancy.models import Membership

from .models import CheckIn, CheckInCadence, CoachingRecord, Feedback, FeedbackAsk, FeedbackRequest
from .selectors.checkins import checkin_visible_q
from .selectors.coaching import coaching_visible_q
from .selectors.feedback import feedback_visible_q


def _requests_readable(reader: Membership) -> Q:
    return Q(requester=reader) | Q(asks__person=reader)


def _asks_readable(reader: Membership) -> Q:
    return Q(person=reader) | Q(request__requester=reader)


register(
    PersonalData(
        CheckInCadence,
        person_fields=("updated_by",),
        kept="The organization's check-in settings; only who changed them is recorded.",
    )
)
register(
    PersonalData(
        CheckIn,
        person_fields=("person", "reviewed_by"),
        readable=checkin_visible_q,
        texts=(
            Texts("person", ("answers",), placeholder=[]),
            Texts("reviewed_by", ("manager_reply",)),
        ),
        kept="Scores stay: they count in the team's figures.",
    )
)
register(
    PersonalData(
        Feedback,
        person_fields=("giver", "recipient"),
        readable=feedback_visible_q,
        # A feedback must say something (feedback_not_empty): a blanked one says "—".
        texts=(Texts("giver", ("situation", "behaviour", "impact"), placeholder="—"),),
    )
)
register(
    PersonalData(
        FeedbackRequest,
        person_fields=("requester", "subject"),
        readable=_requests_readable,
        texts=(Texts("requester", ("prompt",)),),
    )
)
register(
    PersonalData(
        FeedbackAsk,
        person_fields=("person",),
        readable=_asks_readable,
        texts=(Texts("person", ("decline_reason",)),),
    )
)
register(
    PersonalData(
        CoachingRecord,
        person_fields=("manager", "person"),
        readable=coaching_visible_q,
        kept="A manager's coaching notes are the record of the person coached; they stay.",
    )
)
