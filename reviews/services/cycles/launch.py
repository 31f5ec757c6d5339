"""Launching a review cycle: checked at once, then run as a background job.

`cycle_launch` checks the cycle, marks it launching and queues the job after commit.
`cycle_launch_run` (the job) copies each template used once into a `CycleSnapshot`, then
creates the participants and their reviews in batches of `BATCH_SIZE` with
`INSERT ... SELECT ... ON CONFLICT DO NOTHING`: the unique constraints decide, so a rerun, a
redelivered message or a second launch creates nothing twice. Each batch commits with the
progress the page shows. The statements do not grow with the number of people; their count
grows by four per batch.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError
from perfmgmt.tenancy.policies import Actor

from ...locks import lock_cycle
from ...models import (
    CycleGroupTemplate,
    CyclePhase,
    CycleSnapshot,
    CycleStatus,
    Participant,
    PhaseKind,
    ReviewCycle,
    ReviewTemplate,
    TemplateQuestion,
)
from ...phases import phase_errors
from ...selectors.cycles import GROUP_TEMPLATE_SQL, participant_candidates
from ...snapshots import template_snapshot
from .configure import require_cycle_rights

BATCH_SIZE = 1000

_PARTICIPANTS_SQL = """
WITH batch AS ({candidates}),
groups AS ({groups}),
inserted AS (
    INSERT INTO reviews_participant (
        organization_id, cycle_id, reviewee_id, manager_id, snapshot_id, added_late,
        created_at, employee_comment
    )
    SELECT %s, %s, b.id, boss.id, s.id, false, %s, ''
    FROM batch b
    LEFT JOIN tenancy_membership boss ON boss.id = b.manager_id
        AND boss.organization_id = %s AND boss.status IN ('active', 'on_leave')
    LEFT JOIN groups g ON g.team_id = b.team_id
    JOIN reviews_cyclesnapshot s ON s.cycle_id = %s AND s.organization_id = %s
        AND s.source_template_id = COALESCE(g.template_id, %s)
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT max(b.id), count(*), (SELECT count(*) FROM inserted) FROM batch b
"""

_REVIEWS_SQL = """
INSERT INTO reviews_review (organization_id, participant_id, kind, author_id, status, version)
SELECT p.organization_id, p.id, %s, {author}, 'not_started', 0
FROM reviews_participant p
WHERE p.organization_id = %s AND p.cycle_id = %s AND p.reviewee_id > %s AND p.reviewee_id <= %s
    AND {author} IS NOT NULL
ON CONFLICT DO NOTHING
"""


def templates_used(cycle: ReviewCycle) -> list[int]:
    groups = CycleGroupTemplate.objects.filter(cycle=cycle).values_list("template_id", flat=True)
    return list(dict.fromkeys([cycle.template_id, *groups]))


def launch_errors(cycle: ReviewCycle) -> dict[str, list[str]]:
    """Why this cycle cannot launch yet (empty: it can)."""
    errors: dict[str, list[str]] = {}
    used = templates_used(cycle)
    with_questions = set(
        TemplateQuestion.objects.filter(section__template_id__in=used)
        .values_list("section__template_id", flat=True)
        .distinct()
    )
    empty = ReviewTemplate.objects.filter(pk__in=set(used) - with_questions)
    for template in empty:
        errors.setdefault("template", []).append(
            _("%(name)s has no questions yet.") % {"name": template.name}
        )
    phases = list(CyclePhase.objects.filter(cycle=cycle))
    if not phases:
        errors.setdefault("phases", []).append(_("Set the cycle's phases first."))
    else:
        for messages in phase_errors(phases).values():
            errors.setdefault("phases", []).extend(messages)
    if not participant_candidates(cycle).exists():
        errors.setdefault("participants", []).append(_("Nobody takes part with these rules."))
    return errors


def cycle_launch(*, actor: Actor, cycle: ReviewCycle) -> ReviewCycle:
    """Launch the cycle in the background. Launching a running cycle changes nothing;
    launching one whose job is still under way queues the job again (it is idempotent)."""
    require_cycle_rights(actor)
    from ...tasks import cycle_launch_job

    with transaction.atomic():
        cycle = lock_cycle(cycle.pk)
        if cycle.status == CycleStatus.ACTIVE:
            return cycle
        if cycle.status == CycleStatus.CLOSED:
            raise ConflictError(_("This cycle is closed."))
        if cycle.status == CycleStatus.DRAFT:
            errors = launch_errors(cycle)
            if errors:
                raise DomainError(_("This cycle cannot launch yet."), fields=errors)
            cycle.status = CycleStatus.LAUNCHING
            cycle.launched_at = timezone.now()
            cycle.launch_total = participant_candidates(cycle).count()
            cycle.launch_done = 0
            cycle.save(update_fields=["status", "launched_at", "launch_total", "launch_done"])
            audit_record(actor=actor, action="review_cycle.launch", target=cycle)
        ids = (cycle.organization_id, cycle.pk)
        transaction.on_commit(lambda: cycle_launch_job.delay(*ids))
    return cycle


def _snapshot_templates(cycle: ReviewCycle) -> None:
    used = templates_used(cycle)
    done = set(
        CycleSnapshot.objects.filter(cycle=cycle).values_list("source_template_id", flat=True)
    )
    missing = ReviewTemplate.objects.filter(pk__in=set(used) - done)
    CycleSnapshot.objects.bulk_create(
        [
            CycleSnapshot(
                organization=cycle.organization,
                cycle=cycle,
                source_template_id=template.pk,
                data=template_snapshot(template),
            )
            for template in missing
        ],
        ignore_conflicts=True,
    )


def _review_kinds(cycle: ReviewCycle) -> list[tuple[str, str]]:
    """The reviews each participant gets: the self-assessment and the manager review when
    the cycle has their phase (the author column for each)."""
    kinds = set(CyclePhase.objects.filter(cycle=cycle).values_list("kind", flat=True))
    wanted = [(PhaseKind.SELF.value, "p.reviewee_id"), (PhaseKind.MANAGER.value, "p.manager_id")]
    return [(kind, author) for kind, author in wanted if kind in kinds]


def _launch_batch(
    cycle: ReviewCycle, after_id: int, kinds: list[tuple[str, str]], batch_size: int
) -> tuple[int | None, int]:
    """One batch of people with ids above `after_id`: their participants, their reviews and
    the progress, in one transaction. Returns the last id done and how many were read."""
    candidates = (
        participant_candidates(cycle)
        .filter(pk__gt=after_id)
        .order_by("pk")
        .values("id", "manager_id", "team_id")[:batch_size]
    )
    candidates_sql, candidates_params = candidates.query.sql_with_params()
    org_id = cycle.organization_id
    group_params = [org_id, org_id, cycle.pk, org_id]
    sql = _PARTICIPANTS_SQL.format(candidates=candidates_sql, groups=GROUP_TEMPLATE_SQL)
    params = [
        *candidates_params,
        *group_params,
        *(org_id, cycle.pk, timezone.now(), org_id, cycle.pk, org_id, cycle.template_id),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        last_id, read, _inserted = cursor.fetchone()
        if not read:
            return None, 0
        for kind, author in kinds:
            cursor.execute(
                _REVIEWS_SQL.format(author=author), [kind, org_id, cycle.pk, after_id, last_id]
            )
        done = Participant.objects.filter(cycle=OuterRef("pk")).values("cycle")
        ReviewCycle.objects.filter(pk=cycle.pk).update(
            launch_done=Subquery(done.annotate(count=Count("id")).values("count")[:1])
        )
    return int(last_id), int(read)


def cycle_launch_run(*, cycle_id: int, batch_size: int = BATCH_SIZE) -> ReviewCycle:
    """The launch job: snapshots, participants and reviews, then the cycle is running.
    Running it again (or for a running cycle) creates nothing twice."""
    cycle = ReviewCycle.objects.select_related("organization").get(pk=cycle_id)
    if cycle.status != CycleStatus.LAUNCHING:
        return cycle
    with transaction.atomic():
        _snapshot_templates(cycle)
    kinds = _review_kinds(cycle)
    after_id: int | None = 0
    while after_id is not None:
        after_id, _read = _launch_batch(cycle, after_id, kinds, batch_size)
    with transaction.atomic():
        cycle = lock_cycle(cycle.pk)
        if cycle.status == CycleStatus.LAUNCHING:
            count = Participant.objects.filter(cycle=cycle).count()
            cycle.status = CycleStatus.ACTIVE
            cycle.launch_total = cycle.launch_done = count
            cycle.save(update_fields=["status", "launch_total", "launch_done"])
    return cycle
