from celery import shared_task

from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization

from .delivery import delivery_attempt


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=60, time_limit=90)
def webhook_deliver(organization_id: int, delivery_id: int) -> None:
    """One attempt of one delivery, if it is due (an early or repeated message does nothing)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return
    with organization_scope(organization):
        delivery_attempt(delivery_id=delivery_id)
