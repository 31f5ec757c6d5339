from perfmgmt.privacy.registry import EraseContext, PersonalData, register

from .models import ScimUser, SyncJob


def _erase_scim_user(context: EraseContext) -> None:
    erased = f"erased-{context.person.pk}"
    ScimUser.objects.filter(membership=context.person).update(
        user_name=erased, user_name_key=erased, attributes={}
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
