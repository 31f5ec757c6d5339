"""The notice a peer gets the moment they are asked for feedback (a nomination approved,
or a peer added by a manager or HR).

One notification per peer review (key `peer-request-opened:<review>`), so approving twice,
or a retried request, tells nobody twice; a peer removed and asked again has a new review
and is told again. It names only the person to write about, the cycle, the deadline and
whether the answers are anonymous: never who nominated them, who else was asked or who
answered. The daily `peer-requests` reminder (peer_reminders.py) still nags until they
answer.
"""

from __future__ import annotations

from django.utils.translation import gettext

from perfmgmt.localization import format_moment, reader_locale
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.links import optional_reverse

from .models import CyclePhase, PhaseKind, Review

REQUEST_OPENED = "peer-request-opened"


def peer_request_announce(*, review: Review, peer: Membership) -> bool:
    """Tell the peer what they are asked to write, once per review; True if told now."""
    participant = review.participant
    cycle = participant.cycle
    organization = current_organization()
    phase = CyclePhase.objects.filter(cycle=cycle, kind=PhaseKind.PEER).first()
    with reader_locale(user=peer.user, organization=organization):
        title = gettext("You are asked for feedback about %(name)s in %(cycle)s") % {
            "name": participant.reviewee.display_name,
            "cycle": cycle.name,
        }
        body = _body(cycle.peers_anonymous, phase)
    _, created = notify(
        recipient=peer,
        kind=REQUEST_OPENED,
        key=f"{REQUEST_OPENED}:{review.pk}",
        title=title,
        body=body,
        url=optional_reverse("reviews:peer_requests", org_slug=organization.slug),
        subject=subject_of(cycle),
    )
    return created


def _body(anonymous: bool, phase: CyclePhase | None) -> str:
    if anonymous:
        kind = gettext(
            "Your answers are shown only combined with other people's, never with your name."
        )
    else:
        kind = gettext("This feedback is not anonymous: your name is shown with your answers.")
    if phase is None:
        return kind
    deadline = gettext("Please answer by %(when)s.") % {"when": format_moment(phase.closes_at)}
    return f"{kind} {deadline}"
