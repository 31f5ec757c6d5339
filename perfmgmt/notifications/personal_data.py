from perfmgmt.privacy.registry import EraseContext, PersonalData, register

from .models import Notification


def _erase(context: EraseContext) -> None:
    # A notification is only ever its recipient's: it goes with them.
    Notification.objects.filter(recipient=context.person).delete()


register(
    PersonalData(
        Notification,
        person_fields=("recipient", "resolved_by"),
        exclude=("email_claimed_at", "email_attempts"),
        erase=_erase,
    )
)
