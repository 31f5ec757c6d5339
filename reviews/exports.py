"""A cycle's results as CSV or XLSX: one row per participant with the scores the reader may see.

Scores are the score page's (`reviews.selectors.scores.review_score`: the same numbers
wherever they are shown), over the questions the reader may read. Rows are streamed in
chunks with a fixed number of queries per chunk (the reviewees' goals of the period are
loaded once per chunk). Every cell a person typed is escaped against spreadsheet formulas.

The export is registered with the others (`perfmgmt.exports`): the Exports page, the cycle's
progress page and the API answer it through `export_answer`, audited as
"export.review-results".
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.models import Goal
from perfmgmt.exports import Export, ExportForm, chunked, register
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.policies import Actor

from . import policies, scoring
from .models import NAMED_KINDS, Participant, Review, ReviewCycle, ReviewerKind, ReviewStatus
from .selectors import peers
from .selectors.cycles import cycle_list
from .selectors.scores import review_score
from .selectors.writing import period_goals_by_person, snapshot_questions

CHUNK = 200


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _header() -> list[str]:
    return [
        _("Person"),
        _("Team"),
        _("Manager"),
        _("Self-assessment"),
        _("Self-assessment score (%)"),
        _("Manager review"),
        _("Manager review score (%)"),
        _("Gap (points)"),
        _("Released"),
        _("Acknowledged"),
        _("Comment"),
    ]


def _group_headers(kinds: list[str]) -> list[str]:
    labels = {"peer": _("Peer feedback (responses)"), "upward": _("Upward feedback (responses)")}
    return [labels[kind] for kind in kinds]


def _participants(cycle: ReviewCycle) -> Any:
    return (
        Participant.objects.filter(cycle=cycle)
        .select_related("reviewee__user", "reviewee__team", "manager__user", "snapshot")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(superseded_at=None).prefetch_related("answers"),
            )
        )
        .order_by("reviewee__full_name", "pk")
    )


def _group_cells(
    actor: Actor, participant: Participant, kinds: list[str], closed: bool
) -> list[str]:
    """Peer and upward feedback as the combined results allow it: how many answered, or
    "not enough responses" below the threshold; never who, nor when (reviews.selectors.peers)."""
    reviews = list(participant.reviews.all())
    return [
        peers.group_summary(
            actor=actor, participant=participant, reviews=reviews, kind=kind, closed=closed
        )
        for kind in kinds
    ]


def _row(actor: Actor, participant: Participant, goals: list[Goal]) -> list[str]:
    questions = [question for _s, question in snapshot_questions(participant.snapshot.data)]
    readable = {q["id"] for q in policies.readable_questions(actor, participant, questions)}
    cells: dict[str, tuple[str, Decimal | None]] = {}
    for review in participant.reviews.all():
        if review.kind not in NAMED_KINDS:
            continue
        review.participant = participant
        status = ReviewStatus(review.status).label
        shown = review.is_submitted and policies.can_read_review(actor, review)
        overall = (
            review_score(review=review, questions=readable, goals=goals).score.overall
            if shown
            else None
        )
        cells[review.kind] = (str(status), overall)
    self_status, self_score = cells.get(ReviewerKind.SELF, ("", None))
    manager_status, manager_score = cells.get(ReviewerKind.MANAGER, ("", None))
    gap = scoring.gap(self_score, manager_score)
    reviewee = participant.reviewee
    return [
        reviewee.display_name,
        reviewee.team.name if reviewee.team else "",
        participant.manager.display_name if participant.manager else "",
        self_status,
        _percent(self_score),
        manager_status,
        _percent(manager_score),
        _percent(gap),
        format_moment(participant.released_at) if participant.released_at else "",
        format_moment(participant.acknowledged_at) if participant.acknowledged_at else "",
        participant.employee_comment,
    ]


def results_rows(*, actor: Actor, cycle: ReviewCycle) -> Iterator[list[str]]:
    """The header, then one row per participant, for a reader who may read all the cycle's
    reviews (checked by the caller: `policies.can_view_all_reviews`)."""
    kinds = peers.group_kinds(cycle)
    phase = peers.peer_phase(cycle)
    closed = phase is not None and timezone.now() >= phase.closes_at
    yield _header() + _group_headers(kinds)
    for chunk in chunked(_participants(cycle).iterator(chunk_size=CHUNK), CHUNK):
        goals = period_goals_by_person(cycle, [p.reviewee_id for p in chunk])
        for participant in chunk:
            participant.cycle = cycle
            row = _row(actor, participant, goals[participant.reviewee_id])
            yield row + _group_cells(actor, participant, kinds, closed)


class ResultsExportForm(ExportForm):
    cycle = forms.ModelChoiceField(
        label=gettext_lazy("Review cycle"), queryset=ReviewCycle._base_manager.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cycles = cycle_list().order_by("-period_end", "name")
        self.fields["cycle"].queryset = cycles  # type: ignore[attr-defined]


RESULTS_EXPORT = Export(
    key="review-results",
    label=gettext_lazy("Review results"),
    description=gettext_lazy(
        "One row per participant of a cycle: self and manager scores, the gap, release and "
        "acknowledgement; peer feedback only as counts above the anonymity threshold."
    ),
    form=ResultsExportForm,
    rows=results_rows,
    visible=policies.can_view_all_reviews,
    order=50,
)

register(RESULTS_EXPORT)
