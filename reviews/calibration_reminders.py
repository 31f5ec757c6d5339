"""Calibration's notifications: the managers taking part are told when a session opens, and
HR is reminded, while the calibration phase is about to close, of the sessions not locked
yet (release waits for locking: only locked ratings are final).

- `calibration-session-opened:<session>`: once per manager per session, sent by
  `session_open` in its transaction (the email goes after commit). It names the session,
  the cycle and the phase's closing, which a manager taking part reads on the session page.
- `calibration-unlocked:<cycle>:<local day>`: once a day on the organization's calendar to
  each HR admin and owner, within the cycle's reminder days before the calibration phase
  closes, while some session of the cycle is not locked. HR reads every session. Whoever
  has today's already is left out in SQL, so a repeated sweep sends nothing twice. Locking
  the session resolves its managers' notices, and locking the last open one HR's reminders
  (`calibration_notices_resolve`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, ngettext

from perfmgmt.localization import format_moment, reader_locale
from perfmgmt.notifications.ledger import Due, deliver
from perfmgmt.notifications.models import Notification, subject_of
from perfmgmt.notifications.services import notifications_resolve, notify
from perfmgmt.notifications.sweep import local_date_key, reminder
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.tenancy.selectors import hr_people
from perfmgmt.web.links import optional_reverse

from . import policies
from .models import CalibrationSession, CyclePhase, CycleStatus, PhaseKind

OPENED, UNLOCKED = "calibration-session-opened", "calibration-unlocked"
NAMES_SHOWN = 10


def _calibration_phase(cycle_id: int) -> CyclePhase | None:
    return CyclePhase.objects.filter(cycle_id=cycle_id, kind=PhaseKind.CALIBRATION).first()


def calibration_session_announce(
    *, session: CalibrationSession, managers: Iterable[Membership]
) -> int:
    """Tell each manager taking part (who may read the session) that it is open and what
    to do; once per manager per session. Returns how many were told now."""
    organization = current_organization()
    phase = _calibration_phase(session.cycle_id)
    url = optional_reverse(
        "reviews:calibration_session", org_slug=organization.slug, session_id=session.pk
    )
    sent = 0
    for manager in {manager.pk: manager for manager in managers}.values():
        if not manager.can_sign_in or not policies.can_view_calibration(manager, session):
            continue
        with reader_locale(user=manager.user, organization=organization):
            title = gettext("You take part in the calibration session %(session)s") % {
                "session": session.name
            }
            body = _opened_body(session, phase)
        _, created = notify(
            recipient=manager,
            kind=OPENED,
            key=f"{OPENED}:{session.pk}",
            title=title,
            body=body,
            url=url,
            subject=subject_of(session),
        )
        sent += created
    return sent


def _opened_body(session: CalibrationSession, phase: CyclePhase | None) -> str:
    text = gettext(
        "HR opened it for %(cycle)s. Compare the ratings of the people you manage with the "
        "group's, move them on the 9-box or adjust their ratings with a written reason."
    ) % {"cycle": session.cycle.name}
    if phase is None:
        return text
    closes = gettext("Calibration closes on %(when)s.") % {"when": format_moment(phase.closes_at)}
    return f"{text} {closes}"


def _closing_phases(now: datetime) -> list[CyclePhase]:
    """Open calibration phases of running cycles within their reminder days of closing."""
    phases = CyclePhase.objects.filter(
        kind=PhaseKind.CALIBRATION,
        opens_at__lte=now,
        closes_at__gt=now,
        cycle__status=CycleStatus.ACTIVE,
        cycle__remind_days_before_close__gt=0,
    ).select_related("cycle")
    return [
        phase
        for phase in phases
        if phase.closes_at <= now + timedelta(days=phase.cycle.remind_days_before_close)
    ]


def _not_notified(key: str) -> Any:
    return ~Exists(Notification.objects.filter(recipient_id=OuterRef("pk"), key=key))


def _hr_to_tell(key: str) -> list[Membership]:
    people = hr_people().filter(_not_notified(key))
    return [person for person in people if policies.can_manage_calibration(person)]


@reminder(UNLOCKED)
def calibration_sessions_unlocked(organization: Organization, now: datetime) -> int:
    """HR's daily reminder of a cycle's sessions not locked while calibration closes soon."""
    day = local_date_key(now)
    sent = 0
    for phase in _closing_phases(now):
        unlocked = CalibrationSession.objects.filter(cycle_id=phase.cycle_id, locked_at=None)
        count = unlocked.count()
        if not count:
            continue
        names = list(unlocked.order_by("name", "id").values_list("name", flat=True)[:NAMES_SHOWN])
        key = f"{UNLOCKED}:{phase.cycle_id}:{day}"
        url = optional_reverse("reviews:calibration", org_slug=organization.slug)
        sent += deliver(
            Due(
                recipient=person,
                kind=UNLOCKED,
                key=key,
                texts=partial(_unlocked_texts, phase, count, names),
                url=url,
                subject=subject_of(phase.cycle),
            )
            for person in _hr_to_tell(key)
        )
    return sent


def _unlocked_texts(phase: CyclePhase, count: int, names: list[str]) -> tuple[str, str]:
    title = ngettext(
        "%(count)d calibration session of %(cycle)s is not locked yet",
        "%(count)d calibration sessions of %(cycle)s are not locked yet",
        count,
    ) % {"count": count, "cycle": phase.cycle.name}
    body = gettext(
        "Calibration closes on %(when)s. Release shows only locked ratings: lock %(names)s."
    ) % {"when": format_moment(phase.closes_at), "names": ", ".join(names)}
    if count > len(names):
        body += " " + gettext("And %(more)d more.") % {"more": count - len(names)}
    return title, body


def calibration_notices_resolve(*, session: CalibrationSession, by: Membership | None) -> int:
    """After a lock: the managers' notices of this session are done (nothing is left to
    adjust), and once no session of the cycle is left unlocked, so are HR's reminders."""
    resolved = notifications_resolve(subject=subject_of(session), kinds=[OPENED], by=by)
    if CalibrationSession.objects.filter(cycle_id=session.cycle_id, locked_at=None).exists():
        return resolved
    return resolved + notifications_resolve(
        subject=subject_of(session.cycle), kinds=[UNLOCKED], by=by
    )
