"""Praise is personal data of its giver (who wrote it) and of the people it names."""

from typing import Any

from django.db.models import Q

from perfmgmt.privacy.registry import ExportContext, PersonalData, Texts, register
from perfmgmt.tenancy.models import Membership

from .models import Praise, PraiseRecipient, RewardBudget, RewardProposal
from .policies import can_manage_budgets, rewards_visible_q


def _everyone(reader: Membership) -> Q:
    # Praise is public inside its organization (policies.can_read_praise).
    return Q()


def _given_or_received(context: ExportContext) -> Any:
    person = context.person
    return Praise.objects.filter(Q(giver=person) | Q(recipient_links__person=person)).distinct()


register(
    PersonalData(
        Praise,
        person_fields=("giver",),
        # A person's export holds the praise they gave and the praise about them.
        rows=_given_or_received,
        readable=_everyone,
        texts=(Texts("giver", ("message",), placeholder="—"),),
    )
)
register(PersonalData(PraiseRecipient, person_fields=("person",), readable=_everyone))
register(
    PersonalData(
        RewardProposal,
        person_fields=("person", "proposed_by", "decided_by"),
        readable=rewards_visible_q,
        texts=(Texts("proposed_by", ("reason",)), Texts("decided_by", ("decision_note",))),
    )
)


def _hr_only(reader: Membership) -> Q:
    return Q() if can_manage_budgets(reader) else Q(pk__in=[])


register(PersonalData(RewardBudget, person_fields=("created_by",), readable=_hr_only))
