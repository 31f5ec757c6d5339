"""The audit trail is append-only: the person's entries are exported, never rewritten.

An entry keeps the actor's name as it was (`actor_label`) and its `changes`, which may
name people; erasure leaves them (documented in perfmgmt/privacy/services/erasure.py).
"""

from django.db.models import Q, QuerySet

from perfmgmt.privacy.registry import ExportContext, PersonalData, register
from perfmgmt.tenancy.models import Membership

from .models import AuditEntry


def _entries(context: ExportContext) -> QuerySet[AuditEntry]:
    about = Q(target_type=Membership._meta.label, target_id=str(context.person.pk))
    return AuditEntry.objects.filter(Q(actor_membership=context.person) | about)


register(
    PersonalData(
        AuditEntry,
        person_fields=("actor_membership",),
        rows=_entries,
        kept="Append-only: the actor's name and the recorded changes stay as they were.",
    )
)
