"""One person's records across the apps, beside other people's and another organization's.

The person is `org.report` (Rita). Marker strings name whose text is whose, so a test can
grep the whole ZIP for what must not be there.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from feedback.models import Feedback
from goals.models import Goal
from perfmgmt.privacy.models import PersonalDataExport
from perfmgmt.privacy.services import export_request
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from reviews.models import Participant, ReviewerKind
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.feedback.factories import make_checkin, make_feedback
from tests.feedback.meetings.factories import (
    make_meeting,
    make_point,
    make_private_note,
    make_series,
)
from tests.goals.factories import create_goal, post_update
from tests.reviews.peer_helpers import (
    answer,
    approve_peers,
    closed_peer_phases,
    new_peers,
    peer_cycle,
)

PEER_TEXTS = ("PEER-ABOUT-RITA-1", "PEER-ABOUT-RITA-2", "PEER-ABOUT-RITA-3")


@dataclass
class Scenario:
    org: OrgPeople
    person: Membership
    goal: Goal
    other_goal: Goal
    given: Feedback
    received: Feedback
    peers: list[Membership]


def build_scenario(org: OrgPeople, other_org: OrgPeople) -> Scenario:
    person = org.report
    goal = create_goal(person, title="RITA-GOAL")
    post_update(person, goal, value=Decimal(40), comment="RITA-UPDATE-COMMENT")
    other_goal = create_goal(org.report2, title="RAVI-GOAL")
    post_update(org.report2, other_goal, value=Decimal(70), comment="RAVI-UPDATE-COMMENT")
    given = make_feedback(person, org.report2, situation="RITA-GAVE-FEEDBACK")
    received = make_feedback(org.colleague, person, situation="CORA-TO-RITA")
    make_feedback(org.colleague, org.report2, situation="CORA-TO-RAVI")
    meeting = make_meeting(make_series(org.manager, person))
    make_point(meeting, person, text="RITA-TALKING-POINT")
    make_private_note(meeting, person, text="RITA-PRIVATE-NOTE")
    make_private_note(meeting, org.manager, text="MAX-PRIVATE-NOTE")
    make_checkin(person, submit=True, answers=["RITA-CHECKIN"] * 3)
    peers = _reviews(org, person)
    _other_organization(other_org)
    return Scenario(org, person, goal, other_goal, given, received, peers)


def _reviews(org: OrgPeople, person: Membership) -> list[Membership]:
    """Three anonymous peers about Rita, released; Rita a peer of Ravi."""
    peers = new_peers(org, 3)
    cycle = peer_cycle(org, [person, org.report2], phases=closed_peer_phases())
    with organization_scope(org.organization):
        rita = Participant.objects.get(cycle=cycle, reviewee=person)
        ravi = Participant.objects.get(cycle=cycle, reviewee=org.report2)
        for number, review in enumerate(approve_peers(rita, peers)):
            answer(review, 4 + number % 2, PEER_TEXTS[number])
        (mine,) = approve_peers(ravi, [person])
        answer(mine, 3, "RITA-WROTE-ABOUT-RAVI")
        Participant.objects.filter(pk=rita.pk).update(released_at=cycle.created_at)
        assert mine.kind == ReviewerKind.PEER
    return peers


def _other_organization(other_org: OrgPeople) -> None:
    create_goal(other_org.report, title="GLOBEX-GOAL")
    make_feedback(other_org.colleague, other_org.report, situation="GLOBEX-FEEDBACK")


def share_login(person: Membership, other_org: OrgPeople) -> Membership:
    """The person's login also belongs to the other organization, with a goal there."""
    elsewhere = MembershipFactory.create(
        organization=other_org.organization, user=person.user, manager=other_org.owner
    )
    create_goal(elsewhere, title="SHARED-LOGIN-GLOBEX-GOAL")
    return elsewhere


def request_export(requester: Membership, person: Membership) -> PersonalDataExport:
    with organization_scope(person.organization):
        return export_request(actor=requester, person=person)


def read_export(export: PersonalDataExport) -> dict[str, str]:
    """Every file of the built export's ZIP, as text."""
    with organization_scope(export.organization):
        export.refresh_from_db()
        assert export.status == PersonalDataExport.Status.READY
        with export.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as zf:
            return {name: zf.read(name).decode() for name in zf.namelist()}
