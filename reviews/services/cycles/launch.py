"""Launching a review cycle: checked at once, then run as a background job.

`cycle_launch` checks the cycle, marks it launching and queues the job after commit.
`cycle_launch_run` (the job) copies each template used once into a `CycleSnapshot`, then
creates the participants and their reviews in batches of `BATCH_SIZE` people, one statement
a batch (`INSERT ... SELECT ... ON CONFLICT DO NOTHING` in data-modifying CTEs): the unique
constraints decide, so a rerun, a redelivered message or a second launch creates nothing
twice. Each batch commits by itself with the progress the page shows. No statement grows
with the number of people (nor do their parameters); their count grows by one per batch.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError
from perfmgmt.tenancy.models import Membership
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
from ..peers.upward import upward_reviews_assign
from .configure import require_cycle_rights

BATCH_SIZE = 5000

# One statement per batch: the batch's people, their participants, the reviews of both the
# new participants and those an earlier, interrupted run already created (the statement's
# snapshot does not see the rows its own `inserted` creates, so both are named), and the
# progress. A statement is atomic by itself: a batch is all done or not at all, with no
# transaction or savepoint around it.
_BATCH_SQL = """
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
    RETURNING id, reviewee_id, manager_id
),
participants AS (
    SELECT id, reviewee_id, manager_id FROM inserted
    UNION ALL
    SELECT p.id, p.reviewee_id, p.manager_id FROM reviews_participant p
    WHERE p.organization_id = %s AND p.cycle_id = %s
        -- The range keeps the read to the batch's slice of the unique index, whatever the
        -- planner believes about a table that is growing under it.
        AND p.reviewee_id > %s AND p.reviewee_id <= (SELECT max(id) FROM batch)
        AND p.reviewee_id IN (SELECT id FROM batch)
),
reviews AS (
    INSERT INTO reviews_review (organization_id, participant_id, kind, author_id, status, version)
    SELECT %s, p.id, k.kind, a.author_id, 'not_started', 0
    FROM participants p
    CROSS JOIN unnest(%s::varchar[]) AS k(kind)
    CROSS JOIN LATERAL (
        SELECT CASE k.kind WHEN 'self' THEN p.reviewee_id ELSE p.manager_id END
    ) AS a(author_id)
    WHERE a.author_id IS NOT NULL
    ON CONFLICT DO NOTHING
),
progress AS (
    UPDATE reviews_reviewcycle
    SET launch_done = launch_done + (SELECT count(*) FROM inserted)
    WHERE id = %s AND organization_id = %s
)
SELECT max(b.id), count(*) FROM batch b
"""

# ANALYZE tenancy_membership when it has no statistics or autovacuum would soon refresh them
# (its default threshold: 50 rows plus 10% changed). Without statistics the planner reads
# the whole organization for each manager the batch joins (48 s instead of half a second for
# 10,000 people after a bulk people sync). One statement either way, so the job's statement
# count does not depend on the table's statistics.
_STATISTICS_SQL = """
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_stat_user_tables s
        WHERE s.relid = 'tenancy_membership'::regclass
            AND (COALESCE(s.last_analyze, s.last_autoanalyze) IS NULL
                OR s.n_mod_since_analyze > 50 + 0.1 * s.n_live_tup)
    ) THEN
        ANALYZE tenancy_membership;
    END IF;
END
$$
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
    if cycle.upward_reviews and not any(phase.kind == PhaseKind.PEER for phase in phases):
        errors.setdefault("phases", []).append(
            _("Upward feedback is written in the peer feedback phase: set that phase.")
        )
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


def _review_kinds(cycle: ReviewCycle) -> list[str]:
    """The reviews each participant gets: the self-assessment and the manager review when
    the cycle has their phase."""
    kinds = set(CyclePhase.objects.filter(cycle=cycle).values_list("kind", flat=True))
    return [kind for kind in (PhaseKind.SELF.value, PhaseKind.MANAGER.value) if kind in kinds]


def _launch_batch(
    cycle: ReviewCycle,
    after_id: int,
    kinds: list[str],
    batch_size: int,
    candidates: QuerySet[Membership] | None = None,
) -> tuple[int | None, int]:
    """One batch of people with ids above `after_id`: their participants, their reviews and
    the progress, in one statement. Returns the last id done and how many were read."""
    if candidates is None:
        candidates = participant_candidates(cycle)
    batch = (
        candidates.filter(pk__gt=after_id)
        .order_by("pk")
        .values("id", "manager_id", "team_id")[:batch_size]
    )
    batch_sql, batch_params = batch.query.sql_with_params()
    org_id, cycle_id = cycle.organization_id, cycle.pk
    sql = _BATCH_SQL.format(candidates=batch_sql, groups=GROUP_TEMPLATE_SQL)
    params = [
        *batch_params,
        *(org_id, org_id, cycle_id, org_id),  # groups
        *(org_id, cycle_id, timezone.now(), org_id, cycle_id, org_id, cycle.template_id),
        *(org_id, cycle_id, after_id),  # participants an earlier run created
        *(org_id, kinds),  # reviews
        *(cycle_id, org_id),  # progress
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        last_id, read = cursor.fetchone()
    if not read:
        return None, 0
    return int(last_id), int(read)


def _refresh_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute(_STATISTICS_SQL)


def cycle_launch_run(*, cycle_id: int, batch_size: int = BATCH_SIZE) -> ReviewCycle:
    """The launch job: snapshots, participants and reviews, then the cycle is running.
    Running it again (or for a running cycle) creates nothing twice."""
    cycle = ReviewCycle.objects.select_related("organization").get(pk=cycle_id)
    if cycle.status != CycleStatus.LAUNCHING:
        return cycle
    with transaction.atomic():
        _snapshot_templates(cycle)
    _refresh_statistics()
    kinds = _review_kinds(cycle)
    candidates = participant_candidates(cycle)
    after_id, read = 0, batch_size
    # A short batch is the last one: no statement is spent reading nobody.
    while read == batch_size:
        last_id, read = _launch_batch(cycle, after_id, kinds, batch_size, candidates)
        if last_id is None:
            break
        after_id = last_id
    upward_reviews_assign(cycle=cycle)
    with transaction.atomic():
        cycle = lock_cycle(cycle.pk)
        if cycle.status == CycleStatus.LAUNCHING:
            count = Participant.objects.filter(cycle=cycle).count()
            cycle.status = CycleStatus.ACTIVE
            cycle.launch_total = cycle.launch_done = count
            cycle.save(update_fields=["status", "launch_total", "launch_done"])
    return cycle
