"""Goal pages through HTTP: forms, visibility, errors and fixed query counts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from goals.models import Goal, GoalStatus, GoalUpdate, OwnerKind, Visibility
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople

from .factories import GoalFactory, create_goal

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Membership], Client]


def page(org: OrgPeople, name: str, **kwargs: object) -> str:
    return reverse(f"goals:{name}", kwargs={"org_slug": org.organization.slug, **kwargs})


def test_the_navigation_links_to_goals(org: OrgPeople, client_for: ClientFor) -> None:
    response = client_for(org.report).get(reverse("web:home", args=[org.organization.slug]))
    assert page(org, "mine").encode() in response.content


def test_a_person_proposes_a_goal_and_sees_who_will_read_it_first(
    org: OrgPeople, client_for: ClientFor
) -> None:
    client = client_for(org.report)
    form = client.get(page(org, "create"))
    assert b"their managers, the people in Engineering and HR admins" in form.content
    response = client.post(
        page(org, "create"),
        {
            "owner_kind": "person",
            "owner_person": org.report.pk,
            "title": "Write the onboarding guide",
            "goal_type": "qualitative",
            "weight": "1",
            "visibility": "private",
            "milestones": "Outline\nDraft\nReview",
        },
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        goal = Goal.objects.get()
        assert [m.title for m in goal.milestones.all()] == ["Outline", "Draft", "Review"]
    detail = client.get(response["Location"])
    assert b"Only " in detail.content
    assert b"their managers and HR admins" in detail.content


def test_the_audience_sentence_follows_the_form(org: OrgPeople, client_for: ClientFor) -> None:
    response = client_for(org.manager).get(
        page(org, "audience"),
        {"owner_kind": "team", "owner_team": str(org.report.team_id), "visibility": "team"},
        headers={"HX-Request": "true"},
    )
    assert b"The members of Engineering, the managers of any of them" in response.content


def test_a_failed_form_comes_back_filled_in_with_the_error(
    org: OrgPeople, client_for: ClientFor
) -> None:
    response = client_for(org.report).post(
        page(org, "create"),
        {
            "owner_kind": "person",
            "owner_person": org.report.pk,
            "title": "Cut costs",
            "goal_type": "quantitative",
            "start_value": "10",
            "target_value": "10",
            "weight": "1",
            "visibility": "team",
        },
    )
    assert response.status_code == 400
    assert b"The target must differ from the start value." in response.content
    assert b'value="Cut costs"' in response.content
    with organization_scope(org.organization):
        assert not Goal.objects.exists()


def test_a_goal_one_may_not_read_is_a_404(org: OrgPeople, client_for: ClientFor) -> None:
    private = create_goal(org.report, visibility=Visibility.OWNER_AND_MANAGERS)
    client = client_for(org.colleague)
    assert client.get(page(org, "detail", goal_id=private.pk)).status_code == 404
    assert client.get(page(org, "edit", goal_id=private.pk)).status_code == 404
    assert client_for(org.manager).get(page(org, "detail", goal_id=private.pk)).status_code == 200


def test_a_reader_who_may_not_change_the_goal_gets_403_on_its_edit_page(
    org: OrgPeople, client_for: ClientFor
) -> None:
    public = create_goal(org.report, visibility=Visibility.EVERYONE)
    assert client_for(org.colleague).get(page(org, "edit", goal_id=public.pk)).status_code == 403


def test_the_owner_posts_an_update_and_the_history_and_chart_show_it(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = create_goal(org.report)
    client = client_for(org.report)
    response = client.post(
        page(org, "post_update", goal_id=goal.pk),
        {"confidence": "at_risk", "value": "30", "comment": "Blocked on the API"},
    )
    assert response.status_code == 302
    detail = client.get(page(org, "detail", goal_id=goal.pk))
    assert b"Blocked on the API" in detail.content
    assert b"<polyline" in detail.content
    assert b'value="30"' in detail.content  # the progress bar
    bad = client.post(page(org, "post_update", goal_id=goal.pk), {"confidence": "sure"})
    assert bad.status_code == 400


def test_the_manager_agrees_a_goal_with_a_reward_on_its_page(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = create_goal(org.report)
    client = client_for(org.manager)
    assert b"Agree goal" in client.get(page(org, "detail", goal_id=goal.pk)).content
    response = client.post(
        page(org, "agree", goal_id=goal.pk), {"reward_text": "A day off", "reward_amount": ""}
    )
    assert response.status_code == 302
    with organization_scope(org.organization):
        goal.refresh_from_db()
    assert goal.agreed_by == org.manager
    assert goal.reward_text == "A day off"
    assert goal.status == GoalStatus.ACTIVE


def test_editing_the_target_of_an_agreed_goal_asks_for_agreement_again(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = create_goal(org.report)
    client_for(org.manager).post(page(org, "agree", goal_id=goal.pk), {})
    client = client_for(org.report)
    form = client.get(page(org, "edit", goal_id=goal.pk))
    assert b"asks for agreement again" in form.content
    response = client.post(
        page(org, "edit", goal_id=goal.pk),
        {"title": goal.title, "goal_type": "quantitative", "start_value": "0",
         "target_value": "150", "weight": "1", "visibility": "team", "status": "active"},
    )  # fmt: skip
    assert response.status_code == 302
    with organization_scope(org.organization):
        goal.refresh_from_db()
        assert goal.revisions.count() == 1
    assert goal.needs_agreement


def test_a_manager_assigns_a_goal_to_a_whole_team(org: OrgPeople, client_for: ClientFor) -> None:
    response = client_for(org.manager).post(
        page(org, "assign"),
        {"team": org.report.team_id, "title": "Finish the security training",
         "goal_type": "learning", "weight": "1", "visibility": "private",
         "milestones": "Module 1\nModule 2"},
    )  # fmt: skip
    assert response.status_code == 302
    with organization_scope(org.organization):
        owners = set(Goal.objects.values_list("owner_person_id", flat=True))
    # Only the people the manager may set goals for in that team: their two reports.
    assert owners == {org.report.pk, org.report2.pk}


def test_only_hr_changes_the_goal_settings(org: OrgPeople, client_for: ClientFor) -> None:
    assert client_for(org.manager).get(page(org, "settings")).status_code == 403
    response = client_for(org.hr).post(page(org, "settings"), {"stale_after_days": "10"})
    assert response.status_code == 302
    org.organization.refresh_from_db()
    assert org.organization.settings["goals_stale_after_days"] == 10
    bad = client_for(org.hr).post(page(org, "settings"), {"stale_after_days": "0"})
    assert bad.status_code == 400


def test_the_attention_page_lists_goals_at_risk(org: OrgPeople, client_for: ClientFor) -> None:
    fine = create_goal(org.report, title="Going fine")
    risky = create_goal(org.report, title="Going badly")
    for goal in (fine, risky):
        client_for(org.manager).post(page(org, "agree", goal_id=goal.pk), {})
    client = client_for(org.report)
    client.post(page(org, "post_update", goal_id=fine.pk), {"confidence": "on_track", "value": "5"})
    client.post(page(org, "post_update", goal_id=risky.pk), {"confidence": "at_risk", "value": "1"})
    response = client_for(org.manager).get(page(org, "attention"))
    assert b"Going badly" in response.content
    assert b"Going fine" not in response.content


def test_the_home_page_says_a_goal_waits_for_the_managers_agreement(
    org: OrgPeople, client_for: ClientFor
) -> None:
    create_goal(org.report)
    home = client_for(org.manager).get(reverse("web:home", args=[org.organization.slug]))
    assert b"1 goal waits for your agreement" in home.content


# --- Fixed query counts ----------------------------------------------------------------------


def add_goals(org: OrgPeople, count: int) -> None:
    team = GoalFactory.create(organization=org.organization, owner_kind=OwnerKind.TEAM,
                       owner_team=org.report.team, visibility=Visibility.EVERYONE)  # fmt: skip
    for i in range(count):
        owner = org.report if i % 2 else org.report2
        goal = GoalFactory.create(organization=org.organization, owner_person=owner, parent=team,
                           last_confidence="at_risk", status=GoalStatus.ACTIVE)  # fmt: skip
        with organization_scope(org.organization):
            GoalUpdate.objects.create(
                organization=org.organization, goal=goal, author=owner, confidence="at_risk",
                value=Decimal(i), progress=Decimal("0.1"),
            )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "viewer"),
    [("mine", "report"), ("team", "manager"), ("tree", "hr"), ("attention", "manager")],
)
def test_a_list_page_runs_the_same_number_of_queries_at_5_and_at_50_goals(
    org: OrgPeople, client_for: ClientFor, name: str, viewer: str
) -> None:
    client = client_for(getattr(org, viewer))

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page(org, name))
        assert response.status_code == 200
        return len(captured), response.content.count(b"<progress")

    add_goals(org, 5)
    at_five, rows_at_five = queries()
    add_goals(org, 45)
    at_fifty, rows_at_fifty = queries()
    assert rows_at_fifty > rows_at_five >= 3, "the page must actually list the goals"
    assert at_fifty == at_five


def test_the_goal_page_runs_the_same_number_of_queries_whatever_its_history(
    org: OrgPeople, client_for: ClientFor
) -> None:
    goal = create_goal(org.report, goal_type="qualitative", milestones=["A", "B"])
    client = client_for(org.report)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(org, "detail", goal_id=goal.pk)).status_code == 200
        return len(captured)

    def post(count: int) -> None:
        for _ in range(count):
            client.post(page(org, "post_update", goal_id=goal.pk), {"confidence": "on_track"})
            create_goal(org.report, parent=goal)

    post(5)
    at_five = queries()
    post(45)
    assert queries() == at_five


def test_a_goal_under_a_cancelled_parent_can_still_be_edited(
    org: OrgPeople, client_for: ClientFor
) -> None:
    parent = create_goal(org.report, title="Old plan")
    child = create_goal(org.report, title="Part of it", parent=parent)
    with organization_scope(org.organization):
        services.goal_update(actor=org.report, goal=parent, status=GoalStatus.CANCELLED)
    response = client_for(org.report).post(
        page(org, "edit", goal_id=child.pk),
        {"title": "Part of it, renamed", "goal_type": "quantitative", "start_value": "0",
         "target_value": "100", "weight": "1", "visibility": "team", "status": "active",
         "parent": parent.pk},
    )  # fmt: skip
    assert response.status_code == 302
    with organization_scope(org.organization):
        child.refresh_from_db()
    assert (child.title, child.parent_id) == ("Part of it, renamed", parent.pk)
    new_goal_form = client_for(org.report).get(page(org, "create"))
    assert b"Old plan" not in new_goal_form.content
