from celery import shared_task

from . import services
from .context import organization_scope
from .models import Organization


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, soft_time_limit=60, time_limit=90
)
def send_invitation_email(organization_id: int, invitation_id: int) -> None:
    """Ids only: the link is made again from the invitation (no secret goes through the
    broker), so a retry sends the same link."""
    organization = Organization.objects.get(pk=organization_id)
    with organization_scope(organization):
        services.invitation_email_send(invitation_id=invitation_id)
