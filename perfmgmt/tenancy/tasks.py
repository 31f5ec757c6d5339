from celery import shared_task
from django.conf import settings
from django.urls import reverse

from perfmgmt.notifications.email import send_templated_email

from .context import organization_scope
from .models import Invitation, Organization


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(organization_id: int, invitation_id: int, token: str) -> None:
    organization = Organization.objects.get(pk=organization_id)
    with organization_scope(organization):
        invitation = (
            Invitation.objects.select_related("membership__user", "invited_by__user")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.is_usable:
            return
        link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
        send_templated_email(
            template="emails/invitation",
            to=invitation.email,
            context={
                "organization": organization,
                "invitation": invitation,
                "inviter": invitation.invited_by.display_name
                if invitation.invited_by
                else organization.name,
                "link": link,
            },
        )
