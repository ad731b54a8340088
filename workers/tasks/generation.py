"""Generation tasks (``gpu`` queue; a CPU worker may consume it when no GPU is present).

Time limits come from settings (``CELERY_TASK_ANNOTATIONS``, per task kind). Every worker also
sweeps for jobs whose worker died (cases/services/generation/recovery.py) from a thread started
when it is ready, so recovery needs no beat process on either broker.
"""

from __future__ import annotations

import time

from celery import shared_task, signals
from celery.exceptions import SoftTimeLimitExceeded

from cases.services.generation.recovery import StaleJobSweeper, generation_requeue_stale
from cases.services.generation.run import generation_mark_failed, generation_run
from cases.services.recovery import work_recover
from workers.limits import soft_time_limit_of

TRANSIENT = (ConnectionError, TimeoutError, OSError)
"""Broker, database-connection and storage faults: worth retrying. Domain errors are not."""


def _is_cuda_oom(error: BaseException) -> bool:
    return type(error).__name__ == "OutOfMemoryError"


def _mark_timed_out(task, job_id: int) -> None:
    generation_mark_failed(
        job_id=job_id,
        message=f"Generation took longer than its limit of {soft_time_limit_of(task)} seconds and was "
        "stopped; try fewer candidates or a lower resolution.",
    )


def _past_soft_limit(task, started: float) -> bool:
    limit = soft_time_limit_of(task)
    return bool(limit) and time.monotonic() - started >= limit


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=4)
def generation_run_task(self, job_id: int) -> str:
    """Run one generation job; return its final state."""
    started = time.monotonic()
    try:
        return generation_run(job_id=job_id)
    except SoftTimeLimitExceeded:
        _mark_timed_out(self, job_id)
        raise
    except Exception as error:
        if _past_soft_limit(self, started):
            # The soft limit's signal raises wherever the worker is. Inside a native library's
            # callback (C2PA signing reads and writes its streams through them) the exception is
            # swallowed and the library fails with an error of its own: the limit is still the cause.
            _mark_timed_out(self, job_id)
            raise
        if not (isinstance(error, TRANSIENT) or _is_cuda_oom(error)):
            generation_mark_failed(job_id=job_id, message="Generation failed unexpectedly; the team has been told.")
            raise
        if self.request.retries >= self.max_retries:
            generation_mark_failed(job_id=job_id, message=f"Generation kept failing on a temporary fault: {error}")
            raise
        raise self.retry(exc=error, countdown=min(2**self.request.retries * 5, 120))


@shared_task
def generation_recover_task() -> list[int]:
    """Re-queue work whose worker died or whose message was lost (for a beat schedule; workers also sweep)."""
    recovered = generation_requeue_stale()
    work_recover()
    return recovered


_sweeper: StaleJobSweeper | None = None


@signals.worker_ready.connect
def _sweeper_start(**kwargs) -> None:
    global _sweeper
    if _sweeper is None:
        _sweeper = StaleJobSweeper()
        _sweeper.start()


@signals.worker_shutdown.connect
def _sweeper_stop(**kwargs) -> None:
    if _sweeper is not None:
        _sweeper.stop()
