"""The rewards export: the rewards the reader may read, one row each (for payroll).

Rows come from `selectors.reward_list` (what the rewards pages list, with its rule: HR
admins every reward but the ones still being decided about themselves, managers their
line's, a person their own approved ones, a key with rewards:read the approved ones),
narrowed by status and by the day a reward was decided, in the organization's time zone.
Read in chunks with the people and the budget joined: a fixed number of queries per chunk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.exports import PeriodField, plain
from perfmgmt.api.models import Scope
from perfmgmt.exports import Export, ExportForm, register
from perfmgmt.localization import format_moment
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.policies import Actor

from .models import RewardKind, RewardProposal, RewardStatus
from .selectors import reward_list

CHUNK = 500


class RewardExportForm(ExportForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    period = PeriodField(
        label=gettext_lazy("Decided in"),
        help_text=gettext_lazy("A year (2026), a quarter (2026-Q4) or a month (2026-11)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Any status")), *RewardStatus.choices]
        self.fields["status"].choices = choices  # type: ignore[attr-defined]
        self.fields["status"].initial = RewardStatus.APPROVED

    def clean_status(self) -> str:
        """Approved rewards unless a status (or "any", the empty choice) is asked for."""
        if "status" not in self.data:
            return RewardStatus.APPROVED
        return str(self.cleaned_data.get("status") or "")


def _header(external_ids: bool) -> list[str]:
    return [
        _("Person"),
        *([_("External id")] if external_ids else []),
        _("Reward"),
        _("Amount"),
        _("Currency"),
        _("Budget"),
        _("Status"),
        _("Proposed by"),
        _("Proposed at"),
        _("Decided by"),
        _("Decided at"),
        _("Reason"),
    ]


def _row(reward: RewardProposal, external_ids: bool) -> list[object]:
    return [
        reward.person.display_name,
        *([reward.person.external_id] if external_ids else []),
        RewardKind(reward.kind).label,
        plain(reward.amount),
        reward.currency,
        reward.budget.name if reward.budget else "",
        RewardStatus(reward.status).label,
        reward.proposed_by.display_name,
        format_moment(reward.created_at),
        reward.decided_by.display_name if reward.decided_by else "",
        format_moment(reward.decided_at),
        reward.reason,
    ]


def _decided_within(period: tuple[date, date]) -> Q:
    """Decided on a day of `period` in the organization's time zone."""
    start, end = current_organization().days(*period)
    return Q(decided_at__gte=start, decided_at__lt=end)


def reward_rows(
    *, actor: Actor, status: str = "", period: tuple[date, date] | None = None
) -> Iterator[Sequence[object]]:
    """The header, then one row per reward the reader may read (see the module)."""
    # A person's external id (what payroll matches on) is a member detail: a key reads it
    # only with members:read; the people who read a reward are its person, their managers
    # and HR admins, who all read the person's details.
    external_ids = not actor.is_api_client or bool(actor.has_scope(Scope.MEMBERS_READ))
    yield _header(external_ids)
    rewards = reward_list(actor=actor, status=status or None)
    if period is not None:
        rewards = rewards.filter(_decided_within(period))
    ordered = rewards.order_by("person__full_name", "person_id", "created_at", "pk")
    for reward in ordered.iterator(CHUNK):
        yield _row(reward, external_ids)


def can_export_rewards(actor: Actor) -> bool:
    if actor.is_api_client:
        return bool(actor.has_scope(Scope.REWARDS_READ))
    return True


REWARDS_EXPORT = Export(
    key="rewards",
    label=gettext_lazy("Rewards"),
    description=gettext_lazy(
        "The rewards you may read: your approved ones and your reporting line's "
        "(HR: the organization's); approved ones unless you choose another status."
    ),
    form=RewardExportForm,
    rows=reward_rows,
    visible=can_export_rewards,
    order=60,
)

register(REWARDS_EXPORT)
