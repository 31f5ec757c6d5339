"""Who may see or do what with check-ins, feedback, feedback requests and coaching records.

Decisions, in one place (selectors.py builds the matching querysets; tests keep both in step):

- Check-ins are a conversation between a person and their manager chain: the person and
  every manager above them read it; the direct manager (or anyone above) reviews it.
- Feedback is always readable by its giver. Otherwise it follows the visibility chosen
  before sending: "private" — the recipient only; "recipient and manager" — the recipient
  and their current manager chain; "manager only" — the recipient's manager chain, not the
  recipient (a manager note).
- A manager reads through the reporting line only what was written while that line
  existed: feedback (either visibility managers read) and coaching records by another
  author created at or after the recipient's (or person's) `manager_since` and that of
  every person between them and the reader (`feedback/reporting_lines.py`). Someone who
  becomes a manager, directly or above, does not read what was written before; moving
  reporting lines cannot grant reading rights backwards. HR admins and owners cannot make
  themselves anyone's manager (perfmgmt/tenancy/services), and such reads are audited
  (`services.manager_content_read`).
- HR admins and owners get NO extra right to read check-ins, feedback or coaching records:
  the product promises that private notes are private even from HR. They configure the
  check-in cadence and questions.
- Feedback requests are seen by the requester and the people asked (each sees the request
  and their own answer). A request about oneself is also the subject's own request.
- Coaching records are written by a manager in the person's chain, and read by the person,
  the author, and their manager chain (what was written while the line existed, above).
- API keys (systems) read none of this: it is personal. They get 403 after the object is
  looked up, so another organization's id stays a 404.
"""

from __future__ import annotations

from perfmgmt.tenancy.models import Membership, MembershipStatus
from perfmgmt.tenancy.policies import Actor, is_manager_of, person_of

from .models import CheckIn, CoachingRecord, Feedback, FeedbackRequest, FeedbackVisibility
from .reporting_lines import reads_through_line

RECIPIENT_READS = (FeedbackVisibility.PRIVATE, FeedbackVisibility.RECIPIENT_AND_MANAGER)
MANAGERS_READ = (FeedbackVisibility.RECIPIENT_AND_MANAGER, FeedbackVisibility.MANAGER_ONLY)


def can_configure_checkins(actor: Actor) -> bool:
    person = person_of(actor)
    return person is not None and person.is_hr


# Check-ins -----------------------------------------------------------------------------


def can_view_checkin(actor: Actor, checkin: CheckIn) -> bool:
    person = person_of(actor)
    if person is None:
        return False
    if checkin.person_id == person.pk:
        return True
    # A draft is the person's own until they submit it.
    return checkin.status != CheckIn.Status.DRAFT and is_manager_of(person, checkin.person)


def can_edit_checkin(actor: Actor, checkin: CheckIn) -> bool:
    """The person writes their own check-in until a manager has reviewed it."""
    person = person_of(actor)
    return (
        person is not None
        and checkin.person_id == person.pk
        and checkin.status != CheckIn.Status.REVIEWED
    )


def can_review_checkin(actor: Actor, checkin: CheckIn) -> bool:
    person = person_of(actor)
    return person is not None and is_manager_of(person, checkin.person)


# Feedback ------------------------------------------------------------------------------


def can_give_feedback(actor: Actor, recipient: Membership) -> bool:
    """Anyone to anyone else in the organization who has not left."""
    person = person_of(actor)
    return (
        person is not None
        and recipient.pk != person.pk
        and recipient.status != MembershipStatus.LEFT
        and recipient.organization_id == person.organization_id
    )


def can_view_feedback(actor: Actor, feedback: Feedback) -> bool:
    person = person_of(actor)
    if person is None:
        return False
    if feedback.giver_id == person.pk:
        return True
    if feedback.recipient_id == person.pk:
        return feedback.visibility in RECIPIENT_READS
    if feedback.visibility in MANAGERS_READ:
        return reads_through_line(
            reader=person, person=feedback.recipient, written_at=feedback.created_at
        )
    return False


def can_edit_feedback(actor: Actor, feedback: Feedback) -> bool:
    """The giver may correct what they wrote; the visibility stays as it was sent."""
    person = person_of(actor)
    return person is not None and feedback.giver_id == person.pk


# Feedback requests ---------------------------------------------------------------------


def can_request_feedback_about(actor: Actor, subject: Membership) -> bool:
    """About oneself, or as a manager (of the chain) about a report."""
    person = person_of(actor)
    return person is not None and (subject.pk == person.pk or is_manager_of(person, subject))


def can_view_feedback_request(
    actor: Actor, request: FeedbackRequest, asked_ids: set[int] | None = None
) -> bool:
    person = person_of(actor)
    if person is None:
        return False
    if request.requester_id == person.pk:
        return True
    if asked_ids is None:
        asked_ids = {ask.person_id for ask in request.asks.all()}
    return person.pk in asked_ids


def can_edit_feedback_request(actor: Actor, request: FeedbackRequest) -> bool:
    person = person_of(actor)
    return person is not None and request.requester_id == person.pk


def answer_visibilities(request: FeedbackRequest) -> list[str]:
    """The visibilities an answer may have: the person who asked must be able to read it."""
    if request.is_about_requester:
        return [FeedbackVisibility.PRIVATE, FeedbackVisibility.RECIPIENT_AND_MANAGER]
    return [FeedbackVisibility.RECIPIENT_AND_MANAGER, FeedbackVisibility.MANAGER_ONLY]


# Coaching records ----------------------------------------------------------------------


def can_write_coaching_record(actor: Actor, person: Membership) -> bool:
    me = person_of(actor)
    return me is not None and is_manager_of(me, person)


def can_view_coaching_records_of(actor: Actor, person: Membership) -> bool:
    me = person_of(actor)
    return me is not None and (person.pk == me.pk or is_manager_of(me, person))


def can_view_coaching_record(actor: Actor, record: CoachingRecord) -> bool:
    person = person_of(actor)
    if person is None:
        return False
    if person.pk in (record.manager_id, record.person_id):
        return True
    return reads_through_line(reader=person, person=record.person, written_at=record.created_at)


def can_edit_coaching_record(actor: Actor, record: CoachingRecord) -> bool:
    """Its author, while still in the person's chain."""
    person = person_of(actor)
    return (
        person is not None
        and record.manager_id == person.pk
        and is_manager_of(person, record.person)
    )
