"""Generation tasks (``gpu`` queue; a CPU worker may consume it when no GPU is present)."""

from __future__ import annotations

from celery import shared_task

from cases.services.generation.run import generation_mark_failed, generation_run

TRANSIENT = (ConnectionError, TimeoutError, OSError)
"""Broker, database-connection and storage faults: worth retrying. Domain errors are not."""


def _is_cuda_oom(error: BaseException) -> bool:
    return type(error).__name__ == "OutOfMemoryError"


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=4, soft_time_limit=1800,
             time_limit=1900)
def generation_run_task(self, job_id: int) -> str:
    """Run one generation job; return its final state."""
    try:
        return generation_run(job_id=job_id)
    except Exception as error:
        if not (isinstance(error, TRANSIENT) or _is_cuda_oom(error)):
            generation_mark_failed(job_id=job_id, message="Generation failed unexpectedly; the team has been told.")
            raise
        if self.request.retries >= self.max_retries:
            generation_mark_failed(job_id=job_id, message=f"Generation kept failing on a temporary fault: {error}")
            raise
        raise self.retry(exc=error, countdown=min(2 ** self.request.retries * 5, 120))
