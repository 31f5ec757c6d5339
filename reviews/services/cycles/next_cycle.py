"""Creating the next cycle from a launched or closed one.

`next_cycle_proposal` is what the "new cycle" form starts from: the same template, the same
participant rules, peer settings and reminders, and the same phases (their lengths and the
gaps between them) moved so that the new evidence period starts the day after the old one
ends. A period of whole calendar months moves by as many months (H1, 1 January to 30 June,
is followed by H2, 1 July to 31 December; a phase on 14 July moves to 14 January); any
other period by its number of days. The participant rule "started on or before" moves too.
HR changes any of it; `cycle_create_next` then creates a draft through the same
services as any new cycle (`cycle_create`, `cycle_peer_settings_set`, `cycle_phases_set`,
each audited as usual), records where it came from, and audits that too.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Team
from perfmgmt.tenancy.policies import Actor

from ...models import (
    LAUNCHED_STATUSES,
    PHASE_ORDER,
    CycleGroupTemplate,
    CyclePhase,
    CycleSelection,
    CycleTeam,
    ReviewCycle,
    ReviewTemplate,
)
from ..peers.settings import PeerSettings, cycle_peer_settings_set
from .configure import (
    DEFAULT_STATUSES,
    CycleRules,
    PhaseInput,
    cycle_create,
    cycle_phases_set,
    require_cycle_rights,
)

NEXT_ACTION = "review_cycle.create_next"


@dataclass(frozen=True)
class NextCycle:
    """Everything a new cycle is created with."""

    name: str
    description: str
    period_start: date
    period_end: date
    template: ReviewTemplate
    rules: CycleRules
    remind_days_before_close: int
    peer_settings: PeerSettings
    phases: Sequence[PhaseInput]


def suggested_name(cycle: ReviewCycle) -> str:
    return _("%(name)s (next)") % {"name": cycle.name}


def _add_months(day: date, months: int) -> date:
    """The same day `months` months later (the month's last day where it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _whole_months(first: date, last: date) -> int | None:
    """How many calendar months `first` to `last` are, if they are whole ones."""
    if first.day != 1 or (last + timedelta(days=1)).day != 1:
        return None
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _mover(cycle: ReviewCycle) -> Callable[[date], date]:
    """How a day of `cycle` moves into the next cycle (see the module)."""
    months = _whole_months(cycle.period_start, cycle.period_end)
    if months is None:
        length = cycle.period_end - cycle.period_start + timedelta(days=1)
        return lambda day: day + length
    return lambda day: _add_months(day, months)


def _shifted_phases(cycle: ReviewCycle, move: Callable[[date], date]) -> list[PhaseInput]:
    zone = current_organization().zone
    order = {kind: index for index, kind in enumerate(PHASE_ORDER)}
    phases = sorted(CyclePhase.objects.filter(cycle=cycle), key=lambda p: order[p.kind])
    shifted = []
    for phase in phases:
        opens, closes = phase.opens_at.astimezone(zone), phase.closes_at.astimezone(zone)
        shifted.append(
            PhaseInput(
                phase.kind,
                move(opens.date()),
                opens.time().replace(tzinfo=None),
                move(closes.date()),
                closes.time().replace(tzinfo=None),
            )
        )
    return shifted


def _rules(cycle: ReviewCycle) -> CycleRules:
    teams = Team.objects.filter(
        pk__in=CycleTeam.objects.filter(cycle=cycle).values("team_id")
    ).order_by("pk")
    selections = list(CycleSelection.objects.filter(cycle=cycle).select_related("membership"))
    groups = CycleGroupTemplate.objects.filter(cycle=cycle).select_related("team", "template")
    return CycleRules(
        teams=list(teams),
        started_on_or_before=cycle.started_on_or_before,
        statuses=list(cycle.statuses or DEFAULT_STATUSES),
        include=[s.membership for s in selections if s.included],
        exclude=[s.membership for s in selections if not s.included],
        group_templates=[(group.team, group.template) for group in groups.order_by("id")],
    )


def next_cycle_proposal(cycle: ReviewCycle) -> NextCycle:
    """The next cycle as `cycle` suggests it (see the module); nothing is saved."""
    move = _mover(cycle)
    rules = _rules(cycle)
    if rules.started_on_or_before is not None:
        rules = replace(rules, started_on_or_before=move(rules.started_on_or_before))
    return NextCycle(
        name=suggested_name(cycle),
        description=cycle.description,
        period_start=cycle.period_end + timedelta(days=1),
        period_end=move(cycle.period_end + timedelta(days=1)) - timedelta(days=1),
        template=cycle.template,
        rules=rules,
        remind_days_before_close=cycle.remind_days_before_close,
        peer_settings=PeerSettings(
            minimum=cycle.peer_minimum,
            maximum=cycle.peer_maximum,
            threshold=cycle.anonymity_threshold,
            anonymous=cycle.peers_anonymous,
            upward=cycle.upward_reviews,
        ),
        phases=_shifted_phases(cycle, move),
    )


def cycle_create_next(*, actor: Actor, source: ReviewCycle, next_cycle: NextCycle) -> ReviewCycle:
    """A draft cycle made from `next_cycle`, recorded as following `source` (a launched or
    closed cycle). Nothing is saved when any part is refused."""
    require_cycle_rights(actor)
    if source.status not in LAUNCHED_STATUSES:
        raise ConflictError(_("The next cycle is made from a cycle that has launched."))
    with transaction.atomic():
        cycle = cycle_create(
            actor=actor,
            name=next_cycle.name,
            period_start=next_cycle.period_start,
            period_end=next_cycle.period_end,
            template=next_cycle.template,
            rules=next_cycle.rules,
            description=next_cycle.description,
            remind_days_before_close=next_cycle.remind_days_before_close,
        )
        cycle.previous_cycle = source
        cycle.save(update_fields=["previous_cycle"])
        cycle_peer_settings_set(actor=actor, cycle=cycle, settings=next_cycle.peer_settings)
        if next_cycle.phases:
            cycle_phases_set(actor=actor, cycle=cycle, phases=next_cycle.phases)
        audit_record(
            actor=actor, action=NEXT_ACTION, target=cycle, changes={"previous_cycle": source.pk}
        )
    cycle.refresh_from_db()
    return cycle
