"""A list's query parameters are applied by its selector (the page's rules), never by the
FilterSet that parses and documents them."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import django_filters
import pytest
from django.urls import get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from feedback.meetings.models import Cadence
from goals.models import GoalUpdate
from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.filters import IdFilter, SelectorFilterBackend, selector_argument
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Membership
from tests.conftest import OrgPeople
from tests.feedback.factories import make_coaching_record, make_feedback, make_request
from tests.feedback.meetings.factories import make_series
from tests.goals.factories import GoalFactory

ApiAs = Callable[[Membership], APIClient]


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _resources() -> list[type[OrgViewSet]]:
    get_resolver().url_patterns  # noqa: B018 - imports every API module
    found = {cls for cls in _subclasses(OrgViewSet) if cls.__module__.split(".")[0] != "tests"}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def filter_problems(view: type[Any]) -> list[str]:
    """Why `view`'s list would be filtered anywhere but in its selector (empty: it is not)."""
    problems = [
        f"{backend.__name__} filters by itself"
        for backend in view.filter_backends
        if not issubclass(backend, SelectorFilterBackend)
    ]
    filterset = getattr(view, "filterset_class", None)
    if filterset is None:
        return problems
    for name, declared in filterset.base_filters.items():
        if declared.method is not None:
            problems.append(f"{filterset.__name__}.{name} filters in method {declared.method!r}")
    selector = vars(view).get("selector") or getattr(view, "selector", None)
    if selector is not None:
        accepted = inspect.signature(selector).parameters
        for name in filterset.base_filters:
            argument = selector_argument(filterset, name)
            if argument not in accepted:
                problems.append(f"{selector.__name__} takes no {argument!r} (from ?{name}=)")
    return problems


def test_the_walk_finds_the_filtered_lists() -> None:
    filtered = [view for view in _resources() if getattr(view, "filterset_class", None)]
    assert len(filtered) >= 15
    names = {view.__name__ for view in filtered}
    assert {"GoalUpdateViewSet", "FeedbackViewSet", "SeriesViewSet"} <= names


@pytest.mark.parametrize("view", _resources(), ids=lambda view: view.__name__)
def test_no_list_is_filtered_outside_its_selector(view: type[OrgViewSet]) -> None:
    assert filter_problems(view) == []


def test_the_check_sees_a_filterset_that_filters_itself() -> None:
    def listed(*, actor: Any, person_id: int | None = None) -> Any:
        raise AssertionError("not called")

    class SelfFiltering(django_filters.FilterSet):
        person = IdFilter()
        waiting = django_filters.BooleanFilter(method="filter_waiting")
        team = IdFilter()

        class Meta:
            model = GoalUpdate
            fields: list[str] = []

    class Resource:
        filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
        filterset_class = SelfFiltering
        selector = staticmethod(listed)

    problems = filter_problems(Resource)
    assert "DjangoFilterBackend filters by itself" in problems
    assert "SelfFiltering.waiting filters in method 'filter_waiting'" in problems
    assert "listed takes no 'team_id' (from ?team=)" in problems
    assert not any("person" in problem for problem in problems)


# The parameters that used to be applied by their FilterSets now reach the selectors -------


def _ids(client: APIClient, path: str) -> set[int]:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _url(org: OrgPeople, resource: str, query: str = "") -> str:
    return f"/api/v1/orgs/{org.organization.slug}/{resource}/" + (f"?{query}" if query else "")


@pytest.mark.django_db
def test_goal_updates_are_filtered_by_author_goal_and_period(org: OrgPeople, api_as: ApiAs) -> None:
    goal = GoalFactory.create(organization=org.organization, owner_person=org.report)
    other = GoalFactory.create(organization=org.organization, owner_person=org.report)
    with organization_scope(org.organization):

        def update(on: Any, author: Membership, days_ago: int) -> GoalUpdate:
            made = GoalUpdate.objects.create(
                organization=org.organization,
                goal=on,
                author=author,
                confidence="on_track",
                value=Decimal(5),
            )
            moment = timezone.now().replace(month=6, day=15) - timedelta(days=days_ago)
            GoalUpdate.objects.filter(pk=made.pk).update(created_at=moment)
            return made

        by_report = update(goal, org.report, 0)
        by_manager = update(goal, org.manager, 0)
        earlier = update(other, org.report, 120)
    year = timezone.now().year
    manager = api_as(org.manager)
    assert _ids(manager, _url(org, "goal-updates", f"author={org.manager.pk}")) == {by_manager.pk}
    assert _ids(manager, _url(org, "goal-updates", f"goal={other.pk}")) == {earlier.pk}
    june = _ids(manager, _url(org, "goal-updates", f"period={year}-06"))
    assert june == {by_report.pk, by_manager.pk}
    refused = manager.get(_url(org, "goal-updates", "period=June"))
    assert refused.status_code == 400
    assert "quarter (2026-Q4)" in refused.json()["error"]["fields"]["period"][0]


@pytest.mark.django_db
def test_the_goal_list_refuses_a_period_it_cannot_read(org: OrgPeople, api_as: ApiAs) -> None:
    response = api_as(org.manager).get(_url(org, "goals", "period=2026-Q5"))
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["period"]


@pytest.mark.django_db
def test_feedback_is_filtered_by_giver(org: OrgPeople, api_as: ApiAs) -> None:
    from_colleague = make_feedback(org.colleague, org.report)
    from_manager = make_feedback(org.manager, org.report)
    report = api_as(org.report)
    assert _ids(report, _url(org, "feedback", f"giver={org.colleague.pk}")) == {from_colleague.pk}
    assert _ids(report, _url(org, "feedback", f"giver={org.manager.pk}")) == {from_manager.pk}


@pytest.mark.django_db
def test_feedback_requests_are_filtered_by_subject(org: OrgPeople, api_as: ApiAs) -> None:
    about_report = make_request(org.manager, [org.colleague], subject=org.report)
    about_other = make_request(org.manager, [org.colleague], subject=org.report2)
    manager = api_as(org.manager)
    path = _url(org, "feedback-requests", f"subject={org.report.pk}")
    assert _ids(manager, path) == {about_report.pk}
    assert about_other.pk in _ids(manager, _url(org, "feedback-requests"))


@pytest.mark.django_db
def test_coaching_records_are_filtered_by_follow_up_date(org: OrgPeople, api_as: ApiAs) -> None:
    today = timezone.localdate()
    soon = make_coaching_record(org.manager, org.report, follow_up_on=today + timedelta(days=3))
    later = make_coaching_record(org.manager, org.report, follow_up_on=today + timedelta(days=40))
    path = _url(org, "coaching-records", f"follow_up_before={today + timedelta(days=7)}")
    listed = _ids(api_as(org.manager), path)
    assert soon.pk in listed
    assert later.pk not in listed


@pytest.mark.django_db
def test_one_on_one_series_are_filtered_by_cadence(org: OrgPeople, api_as: ApiAs) -> None:
    weekly = make_series(org.manager, org.report, cadence=Cadence.WEEKLY)
    monthly = make_series(org.manager, org.report2, cadence=Cadence.MONTHLY)
    manager = api_as(org.manager)
    monthly_only = _ids(manager, _url(org, "one-on-ones/series", f"cadence={Cadence.MONTHLY}"))
    assert monthly_only == {monthly.pk}
    both = _ids(manager, _url(org, "one-on-ones/series", f"person={org.manager.pk}"))
    assert both == {weekly.pk, monthly.pk}
