"""Rewards: a manager proposes one for someone in their line, HR admins decide (never on
their own proposal or their own reward), within a budget when one is chosen; the person
reads it once approved. Through the services, the pages and the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfmgmt.api.models import Scope
from perfmgmt.audit.models import AuditEntry
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.notifications.models import Notification
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import MembershipStatus
from rewards import selectors, services
from rewards.models import RewardKind, RewardProposal, RewardStatus
from tests.api.conftest import create_key, key_client
from tests.conftest import OrgPeople
from tests.factories import MembershipFactory
from tests.rewards.factories import make_budget, make_reward

pytestmark = pytest.mark.django_db


def _api(org: OrgPeople) -> str:
    return f"/api/v1/orgs/{org.organization.slug}/rewards/"


def _pages(org: OrgPeople) -> str:
    return f"/o/{org.organization.slug}/rewards/"


def _readers(org: OrgPeople, reward: RewardProposal) -> set[str]:
    names = ("owner", "hr", "manager", "report", "report2", "colleague")
    readable = set()
    for name in names:
        with organization_scope(org.organization):
            if selectors.reward_list(actor=getattr(org, name)).filter(pk=reward.pk).exists():
                readable.add(name)
    return readable


def _told(org: OrgPeople, kind: str) -> list[int]:
    with organization_scope(org.organization):
        rows = Notification.objects.filter(kind=kind).order_by("recipient_id")
        return [row.recipient_id for row in rows]


def test_a_proposal_is_read_by_hr_and_the_line_and_by_the_person_once_approved(
    org: OrgPeople,
) -> None:
    reward = make_reward(org.manager, org.report)

    assert _readers(org, reward) == {"owner", "hr", "manager"}
    assert _told(org, "reward-proposed") == sorted([org.owner.pk, org.hr.pk])
    with organization_scope(org.organization):
        services.reward_approve(actor=org.hr, proposal=reward, note="Well earned")
        entry = AuditEntry.objects.get(action=services.APPROVED_ACTION)
    assert _readers(org, reward) == {"owner", "hr", "manager", "report"}
    assert _told(org, "reward-given") == [org.report.pk]
    assert _told(org, "reward-approved") == [org.manager.pk]
    # The entry is about the reward (HR admins read it), not on the person's own trail,
    # and names the facts, never the reason or the note.
    assert (entry.target_type, entry.target_id) == ("rewards.RewardProposal", str(reward.pk))
    assert "Shipped" not in str(entry.changes)
    assert "Well earned" not in str(entry.changes)


def test_a_rejected_reward_is_never_the_persons_to_read_and_hr_never_reads_its_own_pending(
    org: OrgPeople,
) -> None:
    rejected = make_reward(org.manager, org.report)
    for_hr = make_reward(org.owner, org.hr, kind=RewardKind.EXTRA_LEAVE, amount=None)
    with organization_scope(org.organization):
        services.reward_reject(actor=org.hr, proposal=rejected, note="Next cycle")
    assert "report" not in _readers(org, rejected)
    assert _readers(org, for_hr) == {"owner"}


@pytest.mark.parametrize(
    ("proposer", "person"),
    [("manager", "colleague"), ("manager", "manager"), ("report", "report2"), ("hr", "hr")],
)
def test_only_a_manager_of_the_person_or_hr_proposes_and_never_for_oneself(
    org: OrgPeople, proposer: str, person: str
) -> None:
    with organization_scope(org.organization), pytest.raises(DomainError) as refused:
        services.reward_propose(
            actor=getattr(org, proposer),
            person=getattr(org, person),
            kind=RewardKind.EXTRA_LEAVE,
            reason="Covered the release weekend",
        )
    assert "person" in refused.value.fields


def test_nobody_proposes_a_reward_for_someone_who_left(org: OrgPeople) -> None:
    left = MembershipFactory.create(
        organization=org.organization, manager=org.manager, status=MembershipStatus.LEFT
    )
    with organization_scope(org.organization), pytest.raises(DomainError):
        services.reward_propose(
            actor=org.hr, person=left, kind=RewardKind.EXTRA_LEAVE, reason="Too late"
        )


@pytest.mark.parametrize(
    ("kind", "money", "field"),
    [
        (RewardKind.BONUS, {}, "amount"),
        (RewardKind.BONUS, {"amount": Decimal("100")}, "currency"),
        (RewardKind.BONUS, {"amount": Decimal("100"), "currency": "euro"}, "currency"),
        (RewardKind.RAISE, {"amount": Decimal("0.001"), "currency": "EUR"}, "amount"),
        (RewardKind.EXTRA_LEAVE, {"amount": Decimal("100")}, "amount"),
    ],
)
def test_money_is_an_amount_in_a_currency_for_a_bonus_or_raise_only(
    org: OrgPeople, kind: str, money: dict[str, Any], field: str
) -> None:
    with organization_scope(org.organization), pytest.raises(DomainError) as refused:
        services.reward_propose(
            actor=org.manager, person=org.report, kind=kind, reason="Good work", **money
        )
    assert field in refused.value.fields
    with organization_scope(org.organization):
        assert not RewardProposal.objects.exists()


def test_a_budget_takes_rewards_up_to_its_amount_and_no_further(org: OrgPeople) -> None:
    budget = make_budget(org.hr, amount="500.00")
    first = make_reward(org.manager, org.report, amount="300.00", budget=budget)
    second = make_reward(org.manager, org.report2, amount="200.00", budget=budget)
    third = make_reward(org.manager, org.report, amount="0.01", budget=budget)

    with organization_scope(org.organization):
        services.reward_approve(actor=org.hr, proposal=first)
        services.reward_approve(actor=org.hr, proposal=second)  # exactly the amount
        with pytest.raises(DomainError, match=r"0\.00 EUR left"):
            services.reward_approve(actor=org.hr, proposal=third)
        third.refresh_from_db()
        assert third.status == RewardStatus.PROPOSED
        spent = selectors.budget_spent(budget_id=budget.pk)
        assert spent == Decimal("500.00")
        assert first.currency == "EUR"  # the budget's


def test_a_budget_in_another_currency_is_refused(org: OrgPeople) -> None:
    budget = make_budget(org.hr)
    with organization_scope(org.organization), pytest.raises(DomainError) as refused:
        services.reward_propose(
            actor=org.manager,
            person=org.report,
            kind=RewardKind.BONUS,
            reason="x",
            amount=Decimal("10"),
            currency="USD",
            budget=budget,
        )
    assert list(refused.value.fields) == ["currency"]


def test_hr_never_decides_on_its_own_proposal_or_its_own_reward(org: OrgPeople) -> None:
    own_proposal = make_reward(org.hr, org.report)
    for_hr = make_reward(org.owner, org.hr)
    with organization_scope(org.organization):
        with pytest.raises(PermissionDeniedError):
            services.reward_approve(actor=org.hr, proposal=own_proposal)
        with pytest.raises(PermissionDeniedError):
            services.reward_approve(actor=org.hr, proposal=for_hr)
        with pytest.raises(PermissionDeniedError):
            services.reward_approve(actor=org.manager, proposal=own_proposal)
        services.reward_approve(actor=org.owner, proposal=own_proposal)
        # Nobody was asked to decide what they may not decide: the owner alone for the HR
        # admin's proposal; for the owner's proposal for the HR admin, nobody here.
        asked = Notification.objects.filter(kind="reward-proposed")
        assert [n.recipient_id for n in asked.filter(key__endswith=f":{own_proposal.pk}")] == [
            org.owner.pk
        ]
        assert not asked.filter(key__endswith=f":{for_hr.pk}").exists()


def test_turning_down_says_why_and_a_decided_reward_is_not_decided_again(org: OrgPeople) -> None:
    reward = make_reward(org.manager, org.report)
    with organization_scope(org.organization):
        with pytest.raises(DomainError) as silent:
            services.reward_reject(actor=org.hr, proposal=reward, note="  ")
        assert list(silent.value.fields) == ["note"]
        stale = RewardProposal.objects.get(pk=reward.pk)
        services.reward_reject(actor=org.hr, proposal=reward, note="Next cycle")
        with pytest.raises(ConflictError):
            services.reward_approve(actor=org.owner, proposal=stale)
        services.reward_reject(actor=org.owner, proposal=stale, note="Again")  # no-op
        stale.refresh_from_db()
        assert (stale.status, stale.decided_by_id) == (RewardStatus.REJECTED, org.hr.pk)
    assert _told(org, "reward-rejected") == [org.manager.pk]
    assert _told(org, "reward-given") == []


def test_each_settled_state_is_a_conflict_for_another_step_and_a_repeat_changes_nothing(
    org: OrgPeople,
) -> None:
    approved = make_reward(org.manager, org.report)
    withdrawn = make_reward(org.manager, org.report2)
    with organization_scope(org.organization):
        services.reward_approve(actor=org.hr, proposal=approved)
        services.reward_approve(actor=org.owner, proposal=approved)  # twice: nothing more
        services.reward_withdraw(actor=org.manager, proposal=withdrawn)
        services.reward_withdraw(actor=org.manager, proposal=withdrawn)
        with pytest.raises(ConflictError, match="approved meanwhile"):
            services.reward_withdraw(actor=org.manager, proposal=approved)
        with pytest.raises(ConflictError, match="withdrawn meanwhile"):
            services.reward_approve(actor=org.hr, proposal=withdrawn)
        with pytest.raises(ConflictError):
            services.reward_reject(actor=org.hr, proposal=approved, note="No")
        assert AuditEntry.objects.filter(action=services.APPROVED_ACTION).count() == 1
    assert _told(org, "reward-given") == [org.report.pk]


def test_no_service_call_with_a_non_finite_amount_is_a_500(org: OrgPeople) -> None:
    for amount in (Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")):
        with organization_scope(org.organization), pytest.raises(DomainError) as refused:
            services.reward_propose(
                actor=org.manager,
                person=org.report,
                kind=RewardKind.BONUS,
                reason="x",
                amount=amount,
                currency="EUR",
            )
        assert "amount" in refused.value.fields


def test_a_budget_outside_its_period_is_not_drawn_on(org: OrgPeople) -> None:
    budget = make_budget(org.hr)
    with organization_scope(org.organization):
        type(budget).objects.filter(pk=budget.pk).update(
            starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31)
        )
        budget.refresh_from_db()
        with pytest.raises(DomainError) as refused:
            services.reward_propose(
                actor=org.manager,
                person=org.report,
                kind=RewardKind.BONUS,
                reason="x",
                amount=Decimal("10"),
                budget=budget,
            )
    assert list(refused.value.fields) == ["budget"]


def test_the_proposer_withdraws_while_it_waits_and_the_hr_reminder_is_resolved(
    org: OrgPeople,
) -> None:
    reward = make_reward(org.manager, org.report)
    with organization_scope(org.organization):
        with pytest.raises(PermissionDeniedError):
            services.reward_withdraw(actor=org.hr, proposal=reward)
        services.reward_withdraw(actor=org.manager, proposal=reward)
        told = Notification.objects.filter(kind="reward-proposed")
        assert all(row.resolved_at is not None for row in told)


# --- The API ------------------------------------------------------------------------------


def test_the_api_proposes_lists_and_approves(org: OrgPeople, api_as: Any) -> None:
    budget = make_budget(org.hr)
    created = api_as(org.manager).post(
        _api(org),
        {
            "person": org.report.pk,
            "kind": "bonus",
            "amount": "250.50",
            "budget": budget.pk,
            "reason": "Led the migration",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["amount"], body["currency"], body["status"]) == ("250.50", "EUR", "proposed")
    assert api_as(org.report).get(f"{_api(org)}{body['id']}/").status_code == 404
    approved = api_as(org.hr).post(f"{_api(org)}{body['id']}/approve/", {}, format="json")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert api_as(org.report).get(_api(org)).json()["results"][0]["id"] == body["id"]
    again = api_as(org.owner).post(f"{_api(org)}{body['id']}/reject/", {"note": "x"}, format="json")
    assert again.status_code == 409


def test_the_api_refuses_another_organizations_budget_and_amounts_that_are_not_money(
    org: OrgPeople, other_org: OrgPeople, api_as: Any
) -> None:
    foreign = make_budget(other_org.hr)
    api = api_as(org.manager)
    base = {"person": org.report.pk, "kind": "bonus", "currency": "EUR", "reason": "x"}
    for extra, field in (
        ({"amount": "10", "budget": foreign.pk}, "budget"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "Infinity"}, "amount"),
        ({"amount": "1e400"}, "amount"),
    ):
        refused = api.post(_api(org), {**base, **extra}, format="json")
        assert refused.status_code == 400, (extra, refused.json())
        assert field in refused.json()["error"]["fields"]


def test_an_api_key_reads_approved_rewards_with_its_scope_and_does_nothing_else(
    org: OrgPeople, other_org: OrgPeople, api_as: Any
) -> None:
    approved = make_reward(org.manager, org.report)
    pending = make_reward(org.manager, org.report2)
    theirs = make_reward(other_org.manager, other_org.report)
    with organization_scope(org.organization):
        services.reward_approve(actor=org.hr, proposal=approved)
    _credential, key = create_key(org, scopes=[Scope.REWARDS_READ])
    _other, unscoped = create_key(org, scopes=[Scope.GOALS_READ], name="Goals only")
    reader, stranger = key_client(key), key_client(unscoped)

    assert [row["id"] for row in reader.get(_api(org)).json()["results"]] == [approved.pk]
    assert reader.get(f"{_api(org)}{approved.pk}/").json()["amount"] == "300.00"
    assert reader.get(f"{_api(org)}{pending.pk}/").status_code == 404
    assert reader.get(f"{_api(org)}{theirs.pk}/").status_code == 404
    proposed = reader.post(
        _api(org), {"person": org.report.pk, "kind": "extra_leave", "reason": "x"}, format="json"
    )
    assert proposed.status_code == 403
    assert reader.post(f"{_api(org)}{pending.pk}/approve/", {}, format="json").status_code == 403
    assert reader.post(f"{_api(org)}{theirs.pk}/approve/", {}, format="json").status_code == 404
    assert stranger.get(_api(org)).status_code == 403
    assert stranger.get(f"{_api(org)}{theirs.pk}/").status_code == 404
    assert stranger.get(f"{_api(org)}{approved.pk}/").status_code == 403
    refused = api_as(org.manager).post(
        _api(org),
        {"person": other_org.report.pk, "kind": "extra_leave", "reason": "x"},
        format="json",
    )
    assert refused.status_code == 400
    assert "person" in refused.json()["error"]["fields"]


# --- The pages ----------------------------------------------------------------------------


def test_a_manager_proposes_on_the_page_and_hr_decides_on_it(
    org: OrgPeople, client_for: Any
) -> None:
    manager, hr = client_for(org.manager), client_for(org.hr)
    assert manager.get(f"{_pages(org)}propose/").status_code == 200
    refused = manager.post(
        f"{_pages(org)}propose/", {"person": org.report.pk, "kind": "bonus", "reason": "x"}
    )
    assert refused.status_code == 400
    posted = manager.post(
        f"{_pages(org)}propose/",
        {"person": org.report.pk, "kind": "extra_leave", "reason": "Covered the weekend"},
    )
    assert posted.status_code == 302
    detail = posted["Location"]
    assert "Approve" not in manager.get(detail).content.decode()
    assert "Approve" in hr.get(detail).content.decode()
    silent = hr.post(f"{detail}decide/", {"decision": "reject", "note": ""})
    assert silent.status_code == 400
    assert hr.post(f"{detail}decide/", {"decision": "approve", "note": ""}).status_code == 302
    assert "Covered the weekend" in client_for(org.report).get(detail).content.decode()
    listed = client_for(org.report).get(f"{_pages(org)}?status=approved").content.decode()
    assert detail.removeprefix("http://testserver") in listed


def test_budgets_are_hr_admins_and_show_what_was_approved(org: OrgPeople, client_for: Any) -> None:
    budgets = f"{_pages(org)}budgets/"
    assert client_for(org.manager).get(budgets).status_code == 403
    hr = client_for(org.hr)
    added = hr.post(
        budgets,
        {
            "name": "Spot bonuses",
            "currency": "eur",
            "amount": "2000",
            "starts_on": "2026-01-01",
            "ends_on": "2026-06-30",
        },
    )
    assert added.status_code == 302
    backwards = hr.post(
        budgets,
        {
            "name": "Backwards",
            "currency": "EUR",
            "amount": "1",
            "starts_on": "2026-06-30",
            "ends_on": "2026-01-01",
        },
    )
    assert backwards.status_code == 400
    assert "Spot bonuses" in hr.get(budgets).content.decode()


def test_the_list_page_and_the_api_list_ask_the_same_queries_for_5_and_50_rewards(
    org: OrgPeople, client_for: Any, api_as: Any
) -> None:
    page, api = client_for(org.hr), api_as(org.hr)
    counts = []
    for rows in (5, 50):
        with organization_scope(org.organization):
            RewardProposal.objects.all().delete()
        for n in range(rows):
            make_reward(org.manager, [org.report, org.report2][n % 2])
        page.get(_pages(org))
        with CaptureQueriesContext(connection) as shown:
            assert page.get(_pages(org)).status_code == 200
        with CaptureQueriesContext(connection) as listed:
            assert len(api.get(f"{_api(org)}?page_size=100").json()["results"]) == rows
        counts.append((len(shown.captured_queries), len(listed.captured_queries)))
    assert counts[0] == counts[1]


def test_the_person_page_shows_their_rewards_only_to_whoever_may_read_them(
    org: OrgPeople, client_for: Any
) -> None:
    from django.urls import reverse

    reward = make_reward(org.manager, org.report)
    url = reverse("people:profile", args=[org.organization.slug, org.report.pk])
    link = f"/rewards/{reward.pk}/"

    assert link in client_for(org.manager).get(url).content.decode()
    assert link in client_for(org.hr).get(url).content.decode()
    assert link not in client_for(org.colleague).get(url).content.decode()
    assert link not in client_for(org.report).get(url).content.decode()  # not approved yet
    with organization_scope(org.organization):
        services.reward_approve(actor=org.hr, proposal=reward)
    assert link in client_for(org.report).get(url).content.decode()


def test_the_service_itself_refuses_a_person_of_another_organization_even_for_hr(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    with organization_scope(org.organization), pytest.raises(DomainError) as refused:
        services.reward_propose(
            actor=org.hr, person=other_org.report, kind=RewardKind.EXTRA_LEAVE, reason="x"
        )
    assert list(refused.value.fields) == ["person"]
    with organization_scope(org.organization):
        assert not RewardProposal.objects.exists()


def test_the_propose_page_shows_the_chosen_persons_record_as_the_proposer_reads_it(
    org: OrgPeople, other_org: OrgPeople, client_for: Any
) -> None:
    from tests.goals.factories import create_goal

    create_goal(org.report, title="Cut the release time in half", visibility="private")
    create_goal(org.colleague, title="The colleague's own goal", visibility="private")
    manager = client_for(org.manager)
    page = f"{_pages(org)}propose/"

    chosen = manager.get(f"{page}?person={org.report.pk}").content.decode()
    assert "Rita Report" in chosen
    assert "Cut the release time in half" in chosen
    # Nobody chosen, or somebody the manager may not propose for (outside the line, in
    # another organization, nonsense): no record, and nothing of them on the page.
    for person in ("", org.colleague.pk, other_org.report.pk, "x"):
        shown = manager.get(f"{page}?person={person}").content.decode()
        assert "record-heading" not in shown
        assert "The colleague's own goal" not in shown
    # A sent form that is refused keeps the record of the person it named beside it.
    refused = manager.post(page, {"person": org.report.pk, "kind": "bonus", "reason": "x"})
    assert refused.status_code == 400
    assert "Cut the release time in half" in refused.content.decode()


def test_hr_decides_beside_the_record_and_the_proposer_does_not_get_it_there(
    org: OrgPeople, client_for: Any
) -> None:
    from tests.goals.factories import create_goal

    create_goal(org.report, title="Cut the release time in half")
    reward = make_reward(org.manager, org.report)
    detail = f"{_pages(org)}{reward.pk}/"
    assert "Cut the release time in half" in client_for(org.hr).get(detail).content.decode()
    assert "record-heading" not in client_for(org.manager).get(detail).content.decode()
    with organization_scope(org.organization):
        services.reward_approve(actor=org.hr, proposal=reward)
    assert "record-heading" not in client_for(org.hr).get(detail).content.decode()


def test_the_person_page_offers_to_propose_a_reward_to_whoever_may(
    org: OrgPeople, client_for: Any
) -> None:
    from django.urls import reverse

    url = reverse("people:profile", args=[org.organization.slug, org.report.pk])
    propose = f"{_pages(org)}propose/?person={org.report.pk}"
    assert propose in client_for(org.manager).get(url).content.decode()
    assert propose in client_for(org.hr).get(url).content.decode()
    for name in ("colleague", "report2", "report"):
        assert propose not in client_for(getattr(org, name)).get(url).content.decode()
