"""Creating and changing a review cycle: its rules, groups, selections and phases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership, MembershipStatus, Team
from perfmgmt.tenancy.policies import Actor, person_of

from ... import policies
from ...locks import lock_cycle
from ...models import (
    PHASE_ORDER,
    CycleGroupTemplate,
    CyclePhase,
    CycleSelection,
    CycleStatus,
    CycleTeam,
    PhaseKind,
    ReviewCycle,
    ReviewTemplate,
)
from ...phases import local_instant, phase_errors

# Who takes part when HR chooses no status; invited people never do.
DEFAULT_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE)
ALLOWED_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE, MembershipStatus.LEFT)


@dataclass(frozen=True)
class CycleRules:
    """Who takes part: the rules, then the explicit list (an exclusion wins over the rules,
    an inclusion over the rules, never both for one person)."""

    teams: Sequence[Team] = ()
    started_on_or_before: date | None = None
    statuses: Sequence[str] = DEFAULT_STATUSES
    include: Sequence[Membership] = ()
    exclude: Sequence[Membership] = ()
    group_templates: Sequence[tuple[Team, ReviewTemplate]] = field(default_factory=tuple)


@dataclass(frozen=True)
class PhaseInput:
    """A phase as HR enters it: days and wall-clock times in the organization's zone."""

    kind: str
    opens_on: date
    opens_time: time
    closes_on: date
    closes_time: time


@dataclass(frozen=True)
class _Instants:
    kind: str
    opens_at: datetime
    closes_at: datetime


def require_cycle_rights(actor: Actor) -> None:
    if not policies.can_manage_cycles(actor):
        raise PermissionDeniedError(_("Only HR admins and owners run review cycles."))


def _check_own(rules: CycleRules) -> None:
    """Teams and people of another organization are unknown here."""
    org_id = current_organization().pk
    teams = [*rules.teams, *(team for team, _template in rules.group_templates)]
    if any(team.organization_id != org_id for team in teams):
        raise DomainError(_("Unknown team."), fields={"teams": [_("Choose teams of yours.")]})
    templates = [template for _team, template in rules.group_templates]
    if any(template.organization_id != org_id for template in templates):
        raise DomainError(
            _("Unknown template."), fields={"group_templates": [_("Choose your templates.")]}
        )
    for name, people in (("include", rules.include), ("exclude", rules.exclude)):
        if any(person.organization_id != org_id for person in people):
            raise DomainError(_("Unknown person."), fields={name: [_("Choose people of yours.")]})


def _check_rules(rules: CycleRules) -> None:
    _check_own(rules)
    statuses = set(rules.statuses)
    if not statuses:
        raise DomainError(
            _("Choose at least one membership status."),
            fields={"statuses": [_("Choose at least one status.")]},
        )
    if not statuses <= set(ALLOWED_STATUSES):
        raise DomainError(
            _("Invited people never take part in a cycle."),
            fields={"statuses": [_("Choose active, on leave or left.")]},
        )
    both = {person.pk for person in rules.include} & {person.pk for person in rules.exclude}
    if both:
        raise DomainError(
            _("Nobody can be both included and excluded."),
            fields={"exclude": [_("Remove these people from one of the two lists.")]},
        )
    if any(person.status == MembershipStatus.INVITED for person in rules.include):
        raise DomainError(
            _("Invited people never take part in a cycle."),
            fields={"include": [_("Only people who have joined can take part.")]},
        )
    teams = [team.pk for team, _template in rules.group_templates]
    if len(teams) != len(set(teams)):
        raise DomainError(
            _("A team or department has one template in a cycle."),
            fields={"group_templates": [_("Each team or department at most once.")]},
        )


def _check_template(template: ReviewTemplate, field_name: str = "template") -> None:
    if template.organization_id != current_organization().pk:
        raise DomainError(
            _("Unknown template."), fields={field_name: [_("Choose your templates.")]}
        )
    if template.archived_at is not None:
        raise DomainError(
            _("This template is archived."), fields={field_name: [_("Choose another template.")]}
        )


def _unique_name(name: str, exclude_pk: int | None) -> None:
    clash = ReviewCycle.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError(_("This name is in use."), fields={"name": [_("Already in use.")]})


def _save_rules(cycle: ReviewCycle, rules: CycleRules) -> None:
    organization = cycle.organization
    CycleTeam.objects.filter(cycle=cycle).delete()
    CycleTeam.objects.bulk_create(
        CycleTeam(organization=organization, cycle=cycle, team=team)
        for team in dict.fromkeys(rules.teams)
    )
    CycleGroupTemplate.objects.filter(cycle=cycle).delete()
    CycleGroupTemplate.objects.bulk_create(
        CycleGroupTemplate(organization=organization, cycle=cycle, team=team, template=template)
        for team, template in rules.group_templates
    )
    CycleSelection.objects.filter(cycle=cycle).delete()
    chosen = [(person, True) for person in rules.include]
    chosen += [(person, False) for person in rules.exclude]
    CycleSelection.objects.bulk_create(
        CycleSelection(organization=organization, cycle=cycle, membership=person, included=flag)
        for person, flag in dict(chosen).items()
    )


def cycle_create(
    *,
    actor: Actor,
    name: str,
    period_start: date,
    period_end: date,
    template: ReviewTemplate,
    rules: CycleRules | None = None,
    description: str = "",
    remind_days_before_close: int = 3,
) -> ReviewCycle:
    """A draft cycle with its participant rules; nothing is saved when anything is refused."""
    require_cycle_rights(actor)
    rules = rules or CycleRules()
    cycle = ReviewCycle(
        organization=current_organization(),
        name=name.strip(),
        description=description.strip(),
        period_start=period_start,
        period_end=period_end,
        template=template,
        started_on_or_before=rules.started_on_or_before,
        statuses=sorted(set(rules.statuses)),
        remind_days_before_close=remind_days_before_close,
        created_by=person_of(actor),
    )
    _validate(cycle, rules)
    with transaction.atomic():
        _unique_name(cycle.name, None)
        cycle.save()
        _save_rules(cycle, rules)
        audit_record(actor=actor, action="review_cycle.create", target=cycle)
    return cycle


def _validate(cycle: ReviewCycle, rules: CycleRules) -> None:
    if cycle.period_start and cycle.period_end and cycle.period_end < cycle.period_start:
        raise DomainError(
            _("The period ends before it starts."),
            fields={"period_end": [_("Give a day on or after the start of the period.")]},
        )
    _check_template(cycle.template)
    for _team, template in rules.group_templates:
        _check_template(template, "group_templates")
    _check_rules(rules)
    full_clean_or_raise(cycle, exclude=["organization", "template", "created_by"])


def cycle_update(
    *,
    actor: Actor,
    cycle: ReviewCycle,
    name: str,
    period_start: date,
    period_end: date,
    template: ReviewTemplate,
    rules: CycleRules | None = None,
    description: str = "",
    remind_days_before_close: int = 3,
) -> ReviewCycle:
    """Change a cycle. Once launched only its name, description and reminders change: who
    takes part and what they answer were fixed at launch (add late joiners one by one)."""
    require_cycle_rights(actor)
    rules = rules or CycleRules()
    with transaction.atomic():
        cycle = lock_cycle(cycle.pk)
        launched = cycle.status != CycleStatus.DRAFT
        if launched and _rules_changed(cycle, period_start, period_end, template, rules):
            raise ConflictError(
                _("This cycle has launched: its period, template and participants are fixed."),
                fields={"__all__": [_("Add late joiners from the participant list instead.")]},
            )
        cycle.name, cycle.description = name.strip(), description.strip()
        cycle.remind_days_before_close = remind_days_before_close
        if not launched:
            cycle.period_start, cycle.period_end, cycle.template = (
                period_start,
                period_end,
                template,
            )
            cycle.started_on_or_before = rules.started_on_or_before
            cycle.statuses = sorted(set(rules.statuses))
            _validate(cycle, rules)
        else:
            full_clean_or_raise(cycle, exclude=["organization", "template", "created_by"])
        _unique_name(cycle.name, cycle.pk)
        cycle.save()
        if not launched:
            _save_rules(cycle, rules)
        audit_record(actor=actor, action="review_cycle.update", target=cycle)
    return cycle


def _rules_changed(
    cycle: ReviewCycle,
    period_start: date,
    period_end: date,
    template: ReviewTemplate,
    rules: CycleRules,
) -> bool:
    return (
        (cycle.period_start, cycle.period_end, cycle.template_id)
        != (period_start, period_end, template.pk)
        or cycle.started_on_or_before != rules.started_on_or_before
        or sorted(cycle.statuses) != sorted(set(rules.statuses))
        or set(CycleTeam.objects.filter(cycle=cycle).values_list("team_id", flat=True))
        != {team.pk for team in rules.teams}
    )


def _instants(phases: Sequence[PhaseInput]) -> list[_Instants]:
    zone = current_organization().zone
    kinds = [phase.kind for phase in phases]
    if len(kinds) != len(set(kinds)):
        raise DomainError(_("Each phase once."), fields={"phases": [_("Each phase once.")]})
    return [
        _Instants(
            phase.kind,
            local_instant(phase.opens_on, phase.opens_time, zone),
            local_instant(phase.closes_on, phase.closes_time, zone),
        )
        for phase in phases
    ]


def _forward_only(existing: dict[str, CyclePhase], wanted: list[_Instants]) -> None:
    """A running cycle's phases move only later, and a phase that closed stays closed
    (one person's extension is how a closed phase reopens for them)."""
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    wanted_kinds = {phase.kind for phase in wanted}
    for kind in existing:
        if kind not in wanted_kinds:
            errors.setdefault(kind, []).append(_("A running cycle keeps its phases."))
    for phase in wanted:
        old = existing.get(phase.kind)
        if old is None:
            if phase.kind == PhaseKind.PEER:
                # Who is asked, and what they were promised, is fixed before launch.
                errors.setdefault(phase.kind, []).append(
                    _("Peer feedback is set before the cycle launches.")
                )
            elif phase.opens_at < now:
                errors.setdefault(phase.kind, []).append(_("A new phase opens in the future."))
            continue
        if (phase.opens_at, phase.closes_at) == (old.opens_at, old.closes_at):
            continue
        if old.closes_at <= now:
            errors.setdefault(phase.kind, []).append(
                _("This phase has closed; extend one person's deadline instead.")
            )
        elif phase.opens_at < old.opens_at or phase.closes_at < old.closes_at:
            errors.setdefault(phase.kind, []).append(_("A running cycle's phases move only later."))
        elif old.opens_at <= now and phase.opens_at != old.opens_at:
            errors.setdefault(phase.kind, []).append(_("This phase has opened already."))
    if errors:
        raise DomainError(_("These phases cannot change like this."), fields=errors)


def cycle_phases_set(
    *, actor: Actor, cycle: ReviewCycle, phases: Sequence[PhaseInput]
) -> list[CyclePhase]:
    """Set the cycle's phases from days and times in the organization's zone.

    A draft cycle's phases are replaced; a launched one's move only forward and stay valid.
    Refusals name the phase they are about (field names are the phase kinds).
    """
    require_cycle_rights(actor)
    wanted = _instants(phases)
    errors = phase_errors(wanted)
    if errors:
        raise DomainError(_("Some phases are not valid."), fields=errors)
    with transaction.atomic():
        cycle = lock_cycle(cycle.pk)
        if cycle.status == CycleStatus.CLOSED:
            raise ConflictError(_("This cycle is closed."))
        existing = {phase.kind: phase for phase in CyclePhase.objects.filter(cycle=cycle)}
        if cycle.status != CycleStatus.DRAFT:
            _forward_only(existing, wanted)
        CyclePhase.objects.filter(cycle=cycle).exclude(
            kind__in=[phase.kind for phase in wanted]
        ).delete()
        for phase in wanted:
            CyclePhase.objects.update_or_create(
                cycle=cycle,
                kind=phase.kind,
                defaults={"opens_at": phase.opens_at, "closes_at": phase.closes_at},
            )
        audit_record(
            actor=actor,
            action="review_cycle.phases",
            target=cycle,
            changes={
                phase.kind: [phase.opens_at.isoformat(), phase.closes_at.isoformat()]
                for phase in wanted
            },
        )
    order = {kind: index for index, kind in enumerate(PHASE_ORDER)}
    return sorted(CyclePhase.objects.filter(cycle=cycle), key=lambda p: order[p.kind])
