"""Praise is personal data of its giver (who wrote it) and of the people it names."""

from django.db.models import Q

from perfmgmt.privacy.registry import PersonalData, Texts, register
from perfmgmt.tenancy.models import Membership

from .models import Praise, PraiseRecipient


def _everyone(reader: Membership) -> Q:
    # Praise is public inside its organization (policies.can_read_praise).
    return Q()


register(
    PersonalData(
        Praise,
        person_fields=("giver",),
        readable=_everyone,
        texts=(Texts("giver", ("message",), placeholder="—"),),
    )
)
register(PersonalData(PraiseRecipient, person_fields=("person",), readable=_everyone))
