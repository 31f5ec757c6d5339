from celery import shared_task

from .services.exports import export_build, exports_expired_delete_everywhere


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def personal_data_export_build(organization_id: int, export_id: int) -> None:
    """Ids only; the service opens the organization's scope."""
    export_build(organization_id=organization_id, export_id=export_id)


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def personal_data_exports_expire() -> int:
    """Periodic: delete exports past their expiry, in every organization."""
    return exports_expired_delete_everywhere()
