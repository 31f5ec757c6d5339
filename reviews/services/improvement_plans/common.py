"""What the plan services share: the input, its validation, and telling the readers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext

from perfmgmt.errors import DomainError, PermissionDeniedError
from perfmgmt.localization import reader_locale
from perfmgmt.notifications.models import subject_of
from perfmgmt.notifications.services import notify
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor, person_of
from perfmgmt.web.links import optional_reverse

from ...models import ImprovementPlan
from ...selectors.improvement_plans import goal_choices, improvement_plan_list

TEXT_MAX_LENGTH = 5000
MAX_EXPECTATIONS = 20
MAX_REVIEW_DATES = 20


@dataclass(frozen=True)
class ExpectationInput:
    description: str
    measure: str
    goal_id: int | None = None


@dataclass(frozen=True)
class PlanInput:
    start_date: date
    end_date: date
    reason: str
    support: str
    expectations: list[ExpectationInput] = field(default_factory=list)
    review_dates: list[date] = field(default_factory=list)


def plan_url(plan: ImprovementPlan) -> str:
    return optional_reverse(
        "reviews:improvement_plan", org_slug=plan.organization.slug, improvement_plan_id=plan.pk
    )


def require_person(actor: Actor) -> Membership:
    person = person_of(actor)
    if person is None:
        raise PermissionDeniedError(gettext("An API key cannot do this; a person does."))
    return person


def _text_errors(data: PlanInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("reason", "support"):
        value = getattr(data, name)
        if not value.strip():
            errors[name] = [gettext("This field is required.")]
        elif len(value) > TEXT_MAX_LENGTH:
            errors[name] = [gettext("Write at most %(count)d characters.") % {"count": 5000}]
    return errors


def _expectation_errors(actor: Actor, person: Membership, data: PlanInput) -> list[str]:
    if not data.expectations:
        return [gettext("Add at least one expectation, with how it is measured.")]
    if len(data.expectations) > MAX_EXPECTATIONS:
        return [gettext("A plan has at most %(count)d expectations.") % {"count": 20}]
    messages = []
    if any(not item.description.strip() or not item.measure.strip() for item in data.expectations):
        messages.append(gettext("Every expectation needs a description and how it is measured."))
    linked = {item.goal_id for item in data.expectations} - {None}
    if linked and not linked <= {pk for pk, _title in goal_choices(actor=actor, person=person)}:
        messages.append(gettext("An expectation can only link to one of the person's goals."))
    return messages


def _date_errors(data: PlanInput) -> dict[str, list[str]]:
    if data.end_date < data.start_date:
        return {"end_date": [gettext("The plan cannot end before it starts.")]}
    if len(data.review_dates) > MAX_REVIEW_DATES:
        return {
            "review_dates": [gettext("A plan has at most %(count)d review dates.") % {"count": 20}]
        }
    outside = [day for day in data.review_dates if not data.start_date <= day <= data.end_date]
    if outside:
        return {"review_dates": [gettext("Every review date falls within the plan's period.")]}
    return {}


def validate_plan_input(*, actor: Actor, person: Membership, data: PlanInput) -> None:
    """Refuse incomplete or inconsistent input as a whole, with a message per field."""
    errors = _text_errors(data) | _date_errors(data)
    expectation_errors = _expectation_errors(actor, person, data)
    if expectation_errors:
        errors["expectations"] = expectation_errors
    if errors:
        raise DomainError(gettext("The plan is not complete."), fields=errors)


def notify_readers(
    plan: ImprovementPlan,
    recipients: Iterable[Membership | None],
    *,
    kind: str,
    key: str,
    texts: tuple[str, str],
) -> int:
    """Tell each recipient who may read the plan (asked of the plan selector, the same rule
    as its pages): `texts` are the untranslated title and body, translated per reader."""
    sent = 0
    seen: set[int] = set()
    for recipient in recipients:
        if recipient is None or recipient.pk in seen or not recipient.can_sign_in:
            continue
        seen.add(recipient.pk)
        if not improvement_plan_list(actor=recipient).filter(pk=plan.pk).exists():
            continue
        with reader_locale(user=recipient.user, organization=plan.organization):
            values = {"name": plan.person.display_name}
            title, body = (gettext(text) % values for text in texts)
        _, created = notify(
            recipient=recipient,
            kind=kind,
            key=key,
            title=title,
            body=body,
            url=plan_url(plan),
            subject=subject_of(plan),
        )
        sent += created
    return sent
