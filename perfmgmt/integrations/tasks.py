from celery import shared_task

from .services.requests import sync_job_run


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def people_sync_job_run(organization_id: int, job_id: int) -> None:
    """Ids only: the batch is read from the job row, never passed through the broker."""
    sync_job_run(organization_id=organization_id, job_id=job_id)


from .webhooks.tasks import (  # noqa: E402, F401  (found by Celery's autodiscovery)
    webhook_deliver,
    webhook_deliver_batch,
)
