"""Creating the next cycle from a launched one: what is copied, how the dates move, the
unique name, the audit, and the page with the old cycle's retrospective beside the form."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from reviews.models import CyclePhase, CycleStatus, CycleTeam, ReviewCycle
from reviews.services.cycles.configure import (
    CycleRules,
    PhaseInput,
    cycle_create,
    cycle_phases_set,
)
from reviews.services.cycles.next_cycle import (
    NEXT_ACTION,
    cycle_create_next,
    next_cycle_proposal,
)
from reviews.services.peers.settings import PeerSettings, cycle_peer_settings_set
from tests.conftest import OrgPeople
from tests.factories import TeamFactory
from tests.reviews.factories import make_template
from tests.reviews.retrospective_helpers import answer, open_retrospective, team_cycle

pytestmark = pytest.mark.django_db


def launched_source(org: OrgPeople) -> ReviewCycle:
    """A Berlin cycle of the first half of 2026 with rules, peer settings and phases."""
    org.organization.time_zone = "Europe/Berlin"
    org.organization.save()
    template = make_template(org, name="Half-year")
    with organization_scope(org.organization):
        team = TeamFactory.create(organization=org.organization, name="Sales")
        cycle = cycle_create(
            actor=org.hr,
            name="H1 2026",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 6, 30),
            template=template,
            rules=CycleRules(
                teams=[team],
                started_on_or_before=date(2026, 3, 1),
                statuses=[MembershipStatus.ACTIVE],
                include=[org.colleague],
            ),
            remind_days_before_close=5,
        )
        cycle_peer_settings_set(
            actor=org.hr,
            cycle=cycle,
            settings=PeerSettings(minimum=2, maximum=4, threshold=4, anonymous=True),
        )
        cycle_phases_set(
            actor=org.hr,
            cycle=cycle,
            phases=[
                PhaseInput("self", date(2026, 7, 1), time(9), date(2026, 7, 14), time(17)),
                PhaseInput("manager", date(2026, 7, 10), time(9), date(2026, 7, 28), time(17)),
                PhaseInput("release", date(2026, 7, 29), time(9), date(2026, 8, 5), time(17)),
            ],
        )
        ReviewCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.ACTIVE)
        cycle.refresh_from_db()
    return cycle


def test_a_period_that_is_not_whole_months_moves_by_its_number_of_days(org: OrgPeople) -> None:
    source = launched_source(org)
    with organization_scope(org.organization):
        ReviewCycle.objects.filter(pk=source.pk).update(
            period_start=date(2026, 1, 5), period_end=date(2026, 2, 3)
        )
        source.refresh_from_db()
        proposal = next_cycle_proposal(source)
    # 30 days: 4 February to 5 March, and each phase 30 days later.
    assert (proposal.period_start, proposal.period_end) == (date(2026, 2, 4), date(2026, 3, 5))
    by_kind = {phase.kind: phase for phase in proposal.phases}
    assert by_kind["self"].opens_on == date(2026, 7, 31)
    assert proposal.rules.started_on_or_before == date(2026, 3, 31)


def test_the_proposal_copies_the_rules_and_moves_every_date_by_the_period(
    org: OrgPeople,
) -> None:
    source = launched_source(org)
    with organization_scope(org.organization):
        proposal = next_cycle_proposal(source)
    assert proposal.name == "H1 2026 (next)"
    # Evidence starts the day after the old period ends: H1 is followed by H2, and every
    # date of a period of whole months moves by as many months.
    assert (proposal.period_start, proposal.period_end) == (date(2026, 7, 1), date(2026, 12, 31))
    by_kind = {phase.kind: phase for phase in proposal.phases}
    assert by_kind["self"] == PhaseInput(
        "self", date(2027, 1, 1), time(9), date(2027, 1, 14), time(17)
    )
    assert by_kind["release"].closes_on == date(2027, 2, 5)
    assert [phase.kind for phase in proposal.phases] == ["self", "manager", "release"]
    rules = proposal.rules
    assert [team.name for team in rules.teams] == ["Sales"]
    assert rules.started_on_or_before == date(2026, 9, 1)
    assert list(rules.statuses) == [MembershipStatus.ACTIVE]
    assert [person.pk for person in rules.include] == [org.colleague.pk]
    assert proposal.peer_settings == PeerSettings(minimum=2, maximum=4, threshold=4)
    assert proposal.remind_days_before_close == 5


def test_creating_it_makes_an_audited_draft_that_remembers_its_source(org: OrgPeople) -> None:
    source = launched_source(org)
    with organization_scope(org.organization):
        created = cycle_create_next(
            actor=org.hr, source=source, next_cycle=next_cycle_proposal(source)
        )
        assert created.status == CycleStatus.DRAFT
        assert created.previous_cycle_id == source.pk
        assert created.anonymity_threshold == 4
        assert created.peer_maximum == 4
        assert list(
            CycleTeam.objects.filter(cycle=created).values_list("team__name", flat=True)
        ) == ["Sales"]
        opens = CyclePhase.objects.get(cycle=created, kind="self").opens_at
        assert opens.astimezone(org.organization.zone).time() == time(9)
        actions = set(
            AuditEntry.objects.filter(target_id=str(created.pk)).values_list("action", flat=True)
        )
        assert {"review_cycle.create", NEXT_ACTION, "review_cycle.phases"} <= actions
        # The same name again is refused and nothing more is created.
        with pytest.raises(ConflictError) as refused:
            cycle_create_next(actor=org.hr, source=source, next_cycle=next_cycle_proposal(source))
        assert list(refused.value.fields) == ["name"]
        assert ReviewCycle.objects.count() == 2


def test_a_draft_is_not_a_source(org: OrgPeople) -> None:
    source = launched_source(org)
    with organization_scope(org.organization):
        ReviewCycle.objects.filter(pk=source.pk).update(status=CycleStatus.DRAFT)
        source.refresh_from_db()
        with pytest.raises(ConflictError):
            cycle_create_next(actor=org.hr, source=source, next_cycle=next_cycle_proposal(source))


def _post_data(page) -> dict[str, object]:
    """What the browser sends back for the pre-filled form, unchanged."""
    form = page.context["form"]
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif isinstance(value, time):
            data[name] = value.strftime("%H:%M")
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def test_the_page_is_pre_filled_a_taken_name_is_a_form_error_and_saving_opens_the_draft(
    org: OrgPeople, client_for
) -> None:
    source = launched_source(org)
    client = client_for(org.hr)
    url = reverse("reviews:cycle_next", args=[org.organization.slug, source.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="H1 2026 (next)"' in html
    assert 'value="2026-07-01"' in html
    data = _post_data(page)
    taken = client.post(url, {**data, "name": "H1 2026"})
    assert taken.status_code == 409
    assert taken.context["form"].errors["name"]
    created = client.post(url, {**data, "name": "H2 2026"})
    assert created.status_code == 302
    with organization_scope(org.organization):
        cycle = ReviewCycle.objects.get(name="H2 2026")
    assert created.url == reverse("reviews:cycle", args=[org.organization.slug, cycle.pk])
    assert cycle.previous_cycle_id == source.pk
    assert client_for(org.manager).get(url).status_code == 403


def test_the_page_shows_the_old_cycles_retrospective_once_the_threshold_is_met(
    org: OrgPeople, client_for
) -> None:
    source = team_cycle(org)
    retrospective = open_retrospective(org, source)
    url = reverse("reviews:cycle_next", args=[org.organization.slug, source.pk])
    answer(org, org.report, retrospective, comment="Fewer questions")
    below = client_for(org.hr).get(url).content.decode()
    assert "Results appear once 3 people have answered." in below
    assert "Fewer questions" not in below
    answer(org, org.report2, retrospective)
    answer(org, org.colleague, retrospective)
    shown = client_for(org.hr).get(url).content.decode()
    assert "Fewer questions" in shown
