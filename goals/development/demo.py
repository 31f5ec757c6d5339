"""Demo development data for `manage.py seed_demo`: a competency framework and one plan.

Idempotent: categories, competencies and the plan are found again by name (and person and
period), and only what is missing is added, always through the services.
"""

from __future__ import annotations

from datetime import date

from perfmgmt.tenancy.demo import DemoData, demo_loader
from perfmgmt.tenancy.models import Membership, Organization

from . import services
from .models import (
    ActionKind,
    ActionStatus,
    Competency,
    CompetencyCategory,
    CompetencyLevel,
    DevelopmentAction,
    DevelopmentObjective,
    DevelopmentPlan,
    PlanCompetency,
    PlanStatus,
)

FRAMEWORK: tuple[tuple[str, str, tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]], ...] = (
    (
        "Core",
        "What we expect of everyone.",
        (
            (
                "Communication",
                "Shares information clearly, listens, adapts to the audience.",
                (
                    ("Clear", "Writes and speaks so the team understands them the first time."),
                    ("Adaptive", "Tailors the message to the audience; checks understanding."),
                    ("Influential", "Aligns groups with different views on a decision."),
                ),
            ),
            (
                "Ownership",
                "Takes responsibility for outcomes, not just tasks.",
                (
                    ("Reliable", "Finishes what they commit to, or says early that they can't."),
                    ("Proactive", "Spots problems outside their task and gets them fixed."),
                    ("Accountable", "Owns a team outcome end to end, including setbacks."),
                ),
            ),
        ),
    ),
    (
        "Craft and leadership",
        "How we do the work and help others do theirs.",
        (
            (
                "Technical depth",
                "Knows the tools and the system well enough to make sound trade-offs.",
                (
                    ("Practising", "Delivers well-tested changes in their area with guidance."),
                    ("Independent", "Designs changes across components without help."),
                    ("Expert", "Sets technical direction others follow; reviews designs."),
                ),
            ),
            (
                "Coaching others",
                "Helps colleagues grow through feedback, pairing and teaching.",
                (
                    ("Helpful", "Answers questions and shares what they know when asked."),
                    ("Mentor", "Regularly pairs with and gives feedback to a colleague."),
                    ("Multiplier", "Grows several people; the team is stronger for it."),
                ),
            ),
        ),
    ),
)

PERIOD = "2026"
OBJECTIVES = (
    (
        "Lead the design of one service end to end",
        "Technical depth",
        ("Write the design document", "Run the design review", "Ship the first version"),
    ),
    ("Present our work at the engineering all-hands", "Communication", ("Draft the talk",)),
)
ACTIONS = (
    (ActionKind.TRAINING, "Course: Designing Data-Intensive Applications", ActionStatus.DONE,
     date(2026, 3, 31)),
    (ActionKind.MENTORING, "Monthly design sessions with Daniel", ActionStatus.IN_PROGRESS,
     date(2026, 12, 15)),
    (ActionKind.READING, "Read “The Staff Engineer's Path”", ActionStatus.NOT_STARTED,
     date(2026, 9, 30)),
)  # fmt: skip


def seed_framework(*, organization: Organization, hr: Membership) -> dict[str, Competency]:
    found: dict[str, Competency] = {}
    for position, (category_name, about, competencies) in enumerate(FRAMEWORK):
        category = CompetencyCategory.objects.filter(name=category_name).first()
        if category is None:
            category = services.competency_category_create(
                actor=hr, name=category_name, description=about, position=position
            )
        for order, (name, description, levels) in enumerate(competencies):
            competency = Competency.objects.filter(name=name).first()
            if competency is None:
                competency = services.competency_create(
                    actor=hr,
                    category=category,
                    name=name,
                    description=description,
                    levels=levels,
                    position=order,
                )
            found[name] = competency
    return found


def seed_plan(
    *,
    person: Membership,
    manager: Membership,
    mentor: Membership,
    competencies: dict[str, Competency],
) -> DevelopmentPlan:
    plan = DevelopmentPlan.objects.filter(person=person, period=PERIOD).first()
    if plan is None:
        plan = services.plan_create(
            actor=person,
            person=person,
            period=PERIOD,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            aspiration="Grow towards a senior role: own the design of a service and explain "
            "technical decisions to the wider team.",
        )
    if plan.status != PlanStatus.DRAFT:
        return plan  # already seeded and moved on: leave it as it is
    titles = set(
        DevelopmentObjective.objects.filter(plan=plan).values_list("goal__title", flat=True)
    )
    for title, competency_name, milestones in OBJECTIVES:
        if title not in titles:
            services.objective_add(
                actor=person,
                plan=plan,
                title=title,
                competency=competencies.get(competency_name),
                milestones=milestones,
            )
    for name, level in (("Technical depth", 2), ("Communication", 2)):
        competency = competencies.get(name)
        if (
            competency
            and not PlanCompetency.objects.filter(plan=plan, competency=competency).exists()
        ):
            target = CompetencyLevel.objects.filter(competency=competency, level=level).first()
            services.plan_competency_set(
                actor=person, plan=plan, competency=competency, target_level=target
            )
    existing = set(DevelopmentAction.objects.filter(plan=plan).values_list("title", flat=True))
    for kind, title, status, due_date in ACTIONS:
        if title not in existing:
            owner = mentor if kind == ActionKind.MENTORING else person
            services.action_create(
                actor=person,
                plan=plan,
                kind=kind,
                title=title,
                owner=owner,
                status=status,
                due_date=due_date,
            )
    services.plan_submit(actor=person, plan=plan)
    return services.plan_agree(
        actor=manager, plan=plan, comment="A good stretch for this year. Let's review in June."
    )


def seed_development(*, organization: Organization, people: dict[str, Membership]) -> None:
    """The framework for every demo organization; a plan for the demo employee (if any)."""
    hr = people.get("hr") or people.get("owner")
    if hr is None:
        return
    competencies = seed_framework(organization=organization, hr=hr)
    person, manager = people.get("employee"), people.get("manager")
    if person is not None and manager is not None:
        seed_plan(
            person=person,
            manager=manager,
            mentor=people.get("director") or manager,
            competencies=competencies,
        )


@demo_loader(order=40)
def load_development(demo: DemoData) -> None:
    seed_development(organization=demo.organization, people=demo.people)
