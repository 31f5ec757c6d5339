"""Demo goals for `manage.py seed_demo`: company, team and personal goals with updates.

Idempotent: a goal is found again by its owner and title, so running the seed twice adds
nothing. Everything is written through the services (progress is derived as in real use);
only the dates of the demo updates are moved into the past, so the charts have a history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from perfmgmt.tenancy.demo import DemoData, demo_loader
from perfmgmt.tenancy.models import Membership, Organization, Team

from . import services
from .models import Goal, GoalType, GoalUpdate, OwnerKind, Visibility


@dataclass(frozen=True)
class DemoUpdate:
    days_ago: int
    confidence: str
    value: str | None = None
    milestones_done: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class DemoGoal:
    key: str
    title: str
    author: str  # who proposes it (a person key of the demo)
    owner: str  # "organization", "team:<name>" or a person key
    goal_type: str = GoalType.QUANTITATIVE
    unit: str = ""
    start: str | None = None
    target: str | None = None
    parent: str | None = None
    agreed_by: str | None = None
    visibility: str = Visibility.EVERYONE
    weight: str = "1"
    milestones: tuple[str, ...] = ()
    updates: tuple[DemoUpdate, ...] = field(default_factory=tuple)
    description: str = ""


GOALS = (
    DemoGoal("arr", "Grow annual recurring revenue to €5M", "hr", "organization",
             unit="M€", start="3.2", target="5", agreed_by="owner",
             description="The company goal for the year: more customers, who stay longer."),
    DemoGoal("nps", "Customers love the product: NPS of 45", "hr", "organization",
             start="30", target="45", agreed_by="owner"),
    DemoGoal("sales-h2", "Close €1.2M of new business this half", "manager2", "team:Sales",
             unit="M€", start="0", target="1.2", parent="arr", agreed_by="owner", weight="2"),
    DemoGoal("ben-accounts", "Close 10 new accounts", "ben", "ben", start="0", target="10",
             parent="sales-h2", agreed_by="manager2", visibility=Visibility.TEAM_AND_MANAGERS,
             updates=(DemoUpdate(35, "on_track", "2", comment="Two pilots signed."),
                      DemoUpdate(20, "on_track", "4"),
                      DemoUpdate(6, "at_risk", "5", comment="Two deals slipped to next quarter."))),
    DemoGoal("latency", "Cut p95 API response time to 300 ms", "manager", "team:Engineering",
             unit="ms", start="800", target="300", parent="nps", agreed_by="director",
             updates=(DemoUpdate(28, "on_track", "700"), DemoUpdate(9, "on_track", "560"))),
    DemoGoal("caching", "Ship query caching for the reports API", "employee", "employee",
             goal_type=GoalType.QUALITATIVE, parent="latency", agreed_by="manager",
             visibility=Visibility.TEAM_AND_MANAGERS,
             milestones=("Design reviewed", "Cache layer merged", "Rolled out to all customers"),
             updates=(DemoUpdate(21, "on_track", milestones_done=1, comment="Design approved."),
                      DemoUpdate(4, "on_track", milestones_done=2))),
    DemoGoal("errors", "Reduce the API error rate to 0.5%", "lena", "lena", unit="%",
             start="2", target="0.5", parent="latency", visibility=Visibility.TEAM_AND_MANAGERS),
    DemoGoal("a11y", "Learn accessibility testing", "priya", "priya",
             goal_type=GoalType.LEARNING, agreed_by="manager",
             visibility=Visibility.OWNER_AND_MANAGERS,
             milestones=("Finish the WCAG course", "Audit the sign-in page", "Teach the team"),
             updates=(DemoUpdate(40, "on_track", milestones_done=1),)),
)  # fmt: skip


def seed_goals(
    *, organization: Organization, people: dict[str, Membership], teams: dict[str, Team]
) -> int:
    """Create the demo goals that are missing; returns how many were created."""
    needed = {goal.author for goal in GOALS} | {goal.agreed_by or "hr" for goal in GOALS}
    if not needed <= set(people):
        return 0  # not the organization these goals were written for
    made: dict[str, Goal] = {}
    created = 0
    today = timezone.localdate(timezone.now(), organization.zone)
    for spec in GOALS:
        owner_kind, person, team = _owner(spec, people, teams)
        existing = Goal.objects.filter(
            owner_kind=owner_kind, owner_person=person, owner_team=team, title=spec.title
        ).first()
        if existing is not None:
            made[spec.key] = existing
            continue
        goal = services.goal_create(
            actor=people[spec.author],
            owner_kind=owner_kind,
            owner_person=person,
            owner_team=team,
            title=spec.title,
            description=spec.description,
            goal_type=spec.goal_type,
            unit=spec.unit,
            start_value=Decimal(spec.start) if spec.start else None,
            target_value=Decimal(spec.target) if spec.target else None,
            start_date=date(today.year, 1, 1),
            due_date=date(today.year, 12, 31),
            weight=Decimal(spec.weight),
            visibility=spec.visibility,
            parent=made.get(spec.parent or ""),
            milestones=spec.milestones,
        )
        if spec.agreed_by:
            goal = services.goal_agree(actor=people[spec.agreed_by], goal=goal)
        _post_updates(goal, spec, people)
        made[spec.key] = goal
        created += 1
    return created


def _owner(
    spec: DemoGoal, people: dict[str, Membership], teams: dict[str, Team]
) -> tuple[str, Membership | None, Team | None]:
    if spec.owner == "organization":
        return OwnerKind.ORGANIZATION, None, None
    if spec.owner.startswith("team:"):
        return OwnerKind.TEAM, None, teams[spec.owner.removeprefix("team:")]
    return OwnerKind.PERSON, people[spec.owner], None


def _post_updates(goal: Goal, spec: DemoGoal, people: dict[str, Membership]) -> None:
    author = people[spec.author]
    milestone_ids = list(goal.milestones.order_by("order", "id").values_list("pk", flat=True))
    for update in spec.updates:
        done = None
        if update.milestones_done is not None:
            done = milestone_ids[: update.milestones_done]
        posted = services.goal_update_post(
            actor=author,
            goal=goal,
            confidence=update.confidence,
            value=Decimal(update.value) if update.value else None,
            done_milestones=done,
            comment=update.comment,
        )
        # Demo only: spread the history over the past weeks so the chart has a shape.
        moment = timezone.now() - timedelta(days=update.days_ago)
        GoalUpdate.objects.filter(pk=posted.pk).update(created_at=moment)
        Goal.objects.filter(pk=goal.pk).update(last_update_at=moment)


@demo_loader(order=10)
def load_goals(demo: DemoData) -> None:
    seed_goals(organization=demo.organization, people=demo.people, teams=demo.teams)
