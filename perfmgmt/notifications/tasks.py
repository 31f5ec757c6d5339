from celery import shared_task

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

from . import services
from .email import send_templated_email


@shared_task(bind=True, max_retries=5)
def send_notification_email(self, organization_id: int, notification_id: int) -> None:  # type: ignore[no-untyped-def]
    """Email a notification once. The PENDING->SENDING claim stops a duplicate delivery of
    this task from sending a second email; a failed send returns it to PENDING and retries."""
    organization = Organization.objects.get(pk=organization_id)
    with organization_scope(organization):
        notification = services.claim_email(notification_id=notification_id)
        if notification is None:
            return
        try:
            send_templated_email(
                template="emails/notification",
                to=notification.recipient.user.email,
                context={"notification": notification, "organization": organization},
            )
        except OSError as error:
            services.email_finished(notification=notification, sent=False)
            raise self.retry(exc=error, countdown=60) from error
        services.email_finished(notification=notification, sent=True)
