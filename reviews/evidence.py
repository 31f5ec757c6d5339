"""The evidence panel: what THE READER may see about the reviewee during the cycle's period.

Each kind is read through its own app's selector and visibility rule (goals, check-ins,
feedback, coaching, 1:1 action items, development plans), so the panel never shows what the
reader could not open on that app's own page; manager-only content the reader sees is
audited by the feedback app's own service, as on its pages. Each kind is bounded (the latest
few, with a link to the rest), one query per kind, whatever the size of the record.

Answers cite items as "kind:id"; `resolve_citations` turns them into links to the item's
page (which stays valid: the page applies its own rules when opened), and says whether most
of the cited evidence comes from the end of the period (recency bias).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from feedback.meetings.selectors import action_item_list
from feedback.selectors.checkins import checkin_list
from feedback.selectors.coaching import coaching_record_list
from feedback.selectors.feedback import feedback_list
from feedback.services.reads import manager_content_read
from goals.development.selectors import plan_progress, plans_of
from goals.models import OwnerKind
from goals.selectors import goal_update_list, visible_goals
from perfmgmt.localization import format_day
from perfmgmt.tenancy.policies import Actor
from perfmgmt.web.links import optional_reverse

from .models import Participant

LATEST = 5
RECENT = timedelta(weeks=4)
RECENT_SHARE = 0.6


@dataclass(frozen=True)
class EvidenceItem:
    ref: str  # "kind:id", what an answer cites
    label: str
    url: str
    at: date | datetime | None = None
    detail: str = ""


@dataclass(frozen=True)
class EvidenceGroup:
    kind: str
    title: str
    items: list[EvidenceItem]
    more_url: str = ""


@dataclass(frozen=True)
class Evidence:
    groups: list[EvidenceGroup] = field(default_factory=list)

    def by_ref(self) -> dict[str, EvidenceItem]:
        return {item.ref: item for group in self.groups for item in group.items}


def _day(moment: date | datetime | None) -> date | None:
    return moment.date() if isinstance(moment, datetime) else moment


def _bounded(queryset: Any) -> tuple[list[Any], bool]:
    rows = list(queryset[: LATEST + 1])
    return rows[:LATEST], len(rows) > LATEST


def cited_or_in_period(queryset: Any, ids: Iterable[int], in_period: Q) -> Any:
    """The cited rows when resolving citations (whatever their date), else the period's."""
    ids = list(ids)
    return queryset.filter(pk__in=ids) if ids else queryset.filter(in_period)


def _period_moments(participant: Participant) -> tuple[date, date]:
    cycle = participant.cycle
    return cycle.period_start, cycle.period_end


def _goal_items(actor: Actor, participant: Participant, slug: str, ids: Iterable[int] = ()):
    first, last = _period_moments(participant)
    goals = visible_goals(actor=actor).filter(
        owner_kind=OwnerKind.PERSON, owner_person_id=participant.reviewee_id
    )
    goals = cited_or_in_period(goals, ids, ~Q(start_date__gt=last) & ~Q(due_date__lt=first))
    return goals.prefetch_related(None).order_by(
        "-last_update_at", "-id"
    ), lambda goal: EvidenceItem(
        ref=f"goal:{goal.pk}",
        label=goal.title,
        url=optional_reverse("goals:detail", org_slug=slug, goal_id=goal.pk),
        at=goal.last_update_at,
        detail=_("Progress %(percent)d %%, %(status)s")
        % {"percent": goal.progress_percent, "status": goal.get_status_display()},
    )


def _update_items(actor: Actor, participant: Participant, slug: str, ids: Iterable[int] = ()):
    first, last = _period_moments(participant)
    updates = goal_update_list(actor=actor).filter(
        goal__owner_kind=OwnerKind.PERSON, goal__owner_person_id=participant.reviewee_id
    )
    updates = cited_or_in_period(updates, ids, Q(created_at__date__range=(first, last)))
    return updates.select_related("goal").order_by(
        "-created_at", "-id"
    ), lambda update: EvidenceItem(
        ref=f"goal_update:{update.pk}",
        label=_("Update of %(goal)s") % {"goal": update.goal.title},
        url=optional_reverse("goals:detail", org_slug=slug, goal_id=update.goal_id),
        at=update.created_at,
        detail=update.comment[:200],
    )


def _checkin_items(actor: Actor, participant: Participant, slug: str, ids: Iterable[int] = ()):
    first, last = _period_moments(participant)
    checkins = checkin_list(actor=actor, person_id=participant.reviewee_id).prefetch_related(None)
    checkins = cited_or_in_period(checkins, ids, Q(period_end__gte=first, period_start__lte=last))
    return checkins.order_by("-period_end", "-id"), lambda checkin: EvidenceItem(
        ref=f"checkin:{checkin.pk}",
        label=_("Check-in of %(day)s") % {"day": format_day(checkin.period_end)},
        url=optional_reverse("feedback:checkin_detail", org_slug=slug, checkin_id=checkin.pk),
        at=checkin.period_end,
        detail=(
            _("Manager's reply: %(reply)s") % {"reply": checkin.manager_reply[:200]}
            if checkin.manager_reply
            else ""
        ),
    )


def _feedback_items(actor: Actor, participant: Participant, slug: str, ids: Iterable[int] = ()):
    first, last = _period_moments(participant)
    feedback = feedback_list(actor=actor, recipient_id=participant.reviewee_id)
    feedback = cited_or_in_period(feedback, ids, Q(created_at__date__range=(first, last)))
    return feedback.order_by("-created_at", "-id"), lambda item: EvidenceItem(
        ref=f"feedback:{item.pk}",
        label=_("Feedback from %(name)s") % {"name": item.giver.display_name},
        url=optional_reverse("feedback:feedback_detail", org_slug=slug, feedback_id=item.pk),
        at=item.created_at,
        detail=item.behaviour[:200],
    )


def _coaching_items(actor: Actor, participant: Participant, slug: str, ids: Iterable[int] = ()):
    first, last = _period_moments(participant)
    records = coaching_record_list(actor=actor, person_id=participant.reviewee_id)
    records = cited_or_in_period(records, ids, Q(held_on__gte=first, held_on__lte=last))
    return records.order_by("-held_on", "-id"), lambda record: EvidenceItem(
        ref=f"coaching:{record.pk}",
        label=record.topic,
        url=optional_reverse(
            "feedback:coaching_detail", org_slug=slug, coaching_record_id=record.pk
        ),
        at=record.held_on,
        detail=record.agreed[:200],
    )


def _action_items(actor: Actor, participant: Participant, slug: str, ids: Iterable[int] = ()):
    first, last = _period_moments(participant)
    items = action_item_list(actor=actor, owner_id=participant.reviewee_id)
    items = cited_or_in_period(items, ids, Q(created_at__date__range=(first, last)))
    return items.order_by("-created_at", "-id"), lambda item: EvidenceItem(
        ref=f"action_item:{item.pk}",
        label=item.text[:120],
        url=optional_reverse("one_on_ones:meeting", org_slug=slug, meeting_id=item.meeting_id),
        at=item.created_at,
        detail=_("Done") if item.done_at else _("Open"),
    )


def _plan_items(actor: Actor, participant: Participant, slug: str, ids: Iterable[int] = ()):
    first, last = _period_moments(participant)
    plans = plans_of(actor=actor, person=participant.reviewee)
    plans = cited_or_in_period(plans, ids, Q(period_end__gte=first, period_start__lte=last))

    def item(plan: Any) -> EvidenceItem:
        progress = plan_progress(plan=plan)
        percent = progress.overall_percent
        return EvidenceItem(
            ref=f"development:{plan.pk}",
            label=_("Development plan %(period)s") % {"period": plan.period},
            url=optional_reverse("development:plan", org_slug=slug, plan_id=plan.pk),
            at=plan.period_end,
            detail=(
                _("%(percent)d %% done, %(done)d of %(actions)d actions")
                % {
                    "percent": percent,
                    "done": progress.actions_done,
                    "actions": progress.action_count,
                }
                if percent is not None
                else ""
            ),
        )

    return plans.order_by("-period_end", "-id"), item


# kind -> (title, reader of its items, the "more" page: a URL name, or a function of the
# organization's slug and the participant giving the URL)
KINDS: dict[str, tuple[Any, Any, Any]] = {
    "goal": (lambda: _("Goals"), _goal_items, "goals:team"),
    "goal_update": (lambda: _("Goal updates"), _update_items, "goals:team"),
    "checkin": (lambda: _("Check-ins"), _checkin_items, "feedback:checkin_reviews"),
    "feedback": (lambda: _("Feedback received"), _feedback_items, "feedback:feedback_team"),
    "coaching": (
        lambda: _("Coaching"),
        _coaching_items,
        lambda slug, participant: optional_reverse(
            "feedback:coaching_person", org_slug=slug, member_id=participant.reviewee_id
        ),
    ),
    "action_item": (lambda: _("1:1 action items"), _action_items, "one_on_ones:index"),
    "development": (lambda: _("Development"), _plan_items, "development:home"),
}


Reader = Callable[..., tuple[Any, Callable[[Any], EvidenceItem]]]


def register_evidence(
    kind: str,
    *,
    title: Callable[[], str],
    reader: Reader,
    more: str | Callable[[str, Participant], str],
) -> None:
    """A kind of evidence of an app above reviews (praise received): shown in the panel
    after the kinds above and citable as "kind:id". `reader(actor, participant, slug, ids=())`
    gives the rows the actor may read (the cited `ids` when given, else the period's) and
    how each is shown, as the readers above do; the app registers from its `ready()`."""
    if kind in KINDS and KINDS[kind][1] is not reader:
        raise ValueError(f"Evidence of kind {kind!r} is already registered.")
    KINDS[kind] = (title, reader, more)


def _more_url(more: Any, slug: str, participant: Participant) -> str:
    if callable(more):
        return str(more(slug, participant))
    return optional_reverse(more, org_slug=slug)


def _audit(actor: Actor, kind: str, rows: list[Any]) -> None:
    """Manager-only feedback and coaching records read here are audited as on their pages."""
    if kind == "feedback" and rows:
        manager_content_read(actor=actor, feedback=rows)
    elif kind == "coaching" and rows:
        manager_content_read(actor=actor, coaching_records=rows)


def evidence_for(*, actor: Actor, participant: Participant) -> Evidence:
    """The latest items of each kind about the reviewee in the period that `actor` may read."""
    slug = participant.organization.slug
    groups = []
    for kind, (title, reader, more_name) in KINDS.items():
        queryset, present = reader(actor, participant, slug)
        rows, more = _bounded(queryset)
        _audit(actor, kind, rows)
        more_url = _more_url(more_name, slug, participant) if more else ""
        groups.append(EvidenceGroup(kind, title(), [present(row) for row in rows], more_url))
    return Evidence(groups)


# --- Citations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    ref: str
    label: str
    url: str = ""  # "" when the reader may not open it (or it is gone)
    at: date | datetime | None = None


def parse_refs(refs: Iterable[str]) -> dict[str, set[int]]:
    by_kind: dict[str, set[int]] = {}
    for ref in refs:
        kind, _sep, number = ref.partition(":")
        if kind in KINDS and number.isdigit():
            by_kind.setdefault(kind, set()).add(int(number))
    return by_kind


def resolve_citations(
    *, actor: Actor, participant: Participant, refs: Iterable[str]
) -> dict[str, Citation]:
    """Each cited "kind:id" as a link the reader may open, through the same selectors (one
    query per kind cited). What the reader may not open is named, not linked."""
    refs = list(refs)
    slug = participant.organization.slug
    found: dict[str, Citation] = {}
    for kind, ids in parse_refs(refs).items():
        _title, reader, _more = KINDS[kind]
        queryset, present = reader(actor, participant, slug, ids)
        rows = list(queryset)
        for row in rows:
            item = present(row)
            found[item.ref] = Citation(item.ref, item.label, item.url, item.at)
    hidden = _("An item you cannot open")
    return {ref: found.get(ref) or Citation(ref, hidden) for ref in refs}


def mostly_recent(citations: Iterable[Citation], *, period_end: date) -> bool:
    """Whether more than 60 % of the dated cited evidence is from the period's last 4 weeks."""
    days = [_day(citation.at) for citation in citations]
    dated = [day for day in days if day is not None]
    if not dated:
        return False
    recent = [day for day in dated if day > period_end - RECENT]
    return len(recent) / len(dated) > RECENT_SHARE
