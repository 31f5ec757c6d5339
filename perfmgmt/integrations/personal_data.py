from django.db.models.functions import Coalesce, Now

from perfmgmt.privacy.registry import EraseContext, PersonalData, register

from .models import ScimUser, SyncJob, WebhookEndpoint


def _erase_scim_user(context: EraseContext) -> None:
    """The provider's record of the person goes; for SCIM they are deleted from now on."""
    erased = f"erased-{context.person.pk}"
    ScimUser.objects.filter(membership=context.person).update(
        user_name=erased,
        user_name_key=erased,
        attributes={},
        removed_at=Coalesce("removed_at", Now()),
    )


register(
    PersonalData(
        SyncJob,
        person_fields=("membership",),
        # The batch and its result are about many people, not the one who sent it.
        exclude=("people", "result", "options", "idempotency_key"),
        kept="A sync batch lists many people; it is kept as sent.",
    )
)
register(PersonalData(ScimUser, person_fields=("membership",), erase=_erase_scim_user))
register(
    PersonalData(
        WebhookEndpoint,
        person_fields=("created_by",),
        # Signing secrets are never exported; the endpoint is the organization's setting.
        exclude=("secret", "previous_secret"),
        kept="A webhook endpoint is the organization's configuration; it stays as it is.",
    )
)
