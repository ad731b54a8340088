"""Jobs whose worker died: the running worker's heartbeat, and the sweep that re-queues stale jobs.

Neither broker gives a killed worker's job back in time: the file-system broker forgets a message
once a worker has fetched it, and Redis redelivers an unacknowledged one only after its visibility
timeout (an hour). A job's hard time limit is shorter than that timeout, so Redis never hands a
live worker's job to a second one. So the worker running a job stamps ``heartbeat_at`` on every progress step and
from a small thread during inference, and every worker sweeps now and then: a running job whose
heartbeat is older than ``KINSHIP_JOB_STALE_SECONDS`` goes back to the queue, or fails with a clear
message after ``KINSHIP_JOB_MAX_ATTEMPTS`` claims. A job is idempotent (deterministic file names,
the success stored once under a row lock), so a late second delivery of the same job is harmless.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from cases.models import AuditAction, GenerationJob, JobState
from cases.services.audit import audit_record
from cases.services.generation.jobs import generation_audit_inputs, job_finish
from cases.services.recovery import Heartbeat as WorkHeartbeat, work_recover
from cases.services.tasks import GENERATION_RUN, task_enqueue_on_commit

logger = logging.getLogger(__name__)


def generation_heartbeat(*, job_id: int) -> None:
    """Stamp a running job's heartbeat (the worker is alive and still holds it)."""
    GenerationJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(heartbeat_at=timezone.now())


def generation_is_stale(*, job: GenerationJob) -> bool:
    """Return whether a running job's worker has shown no sign of life for longer than the stale limit."""
    if job.state != JobState.RUNNING:
        return False
    last = job.heartbeat_at or job.started_at
    return last is None or timezone.now() - last > timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS)


def generation_requeue_stale(*, now=None) -> list[int]:
    """Re-queue (or fail, or finish cancelling) running jobs whose worker died; return their ids."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS)
    suspects = list(
        GenerationJob.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # A job claimed before heartbeats existed (or whose first stamp was lost) falls back on started_at.
    suspects += (
        GenerationJob.objects.filter(state=JobState.RUNNING, heartbeat_at__isnull=True, started_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    recovered = []
    for job_id in suspects:
        with transaction.atomic():
            job = GenerationJob.objects.select_for_update().filter(pk=job_id).first()
            # Another worker's sweep, or the job's own worker, may have moved it since the query.
            if job is None or not generation_is_stale(job=job):
                continue
            _recover(job)
        recovered.append(job_id)
    return recovered


def _recover(job: GenerationJob) -> None:
    """Decide what becomes of one stale job (locked by the caller)."""
    if job.cancel_requested:
        job_finish(job, JobState.CANCELLED, stage="Cancelled")
        audit_record(
            action=AuditAction.GENERATION_CANCELLED,
            actor=job.requested_by,
            tree_id=job.tree_id,
            object_type="generation_job",
            object_id=job.pk,
            payload={"while": "worker stopped"},
        )
        return
    if job.attempts >= settings.KINSHIP_JOB_MAX_ATTEMPTS:
        job.error = (
            f"The worker running this job stopped {job.attempts} times (killed or out of memory); "
            "it was not tried again. Try fewer candidates or a lower resolution, or ask the administrator "
            "to check the workers."
        )
        job_finish(job, JobState.FAILED, stage="Failed")
        audit_record(
            action=AuditAction.GENERATION_FAILED,
            actor=job.requested_by,
            tree_id=job.tree_id,
            object_type="generation_job",
            object_id=job.pk,
            payload={**generation_audit_inputs(job), "error": job.error},
        )
        logger.warning("Generation job %s failed after %s lost workers", job.pk, job.attempts)
        return
    job.state = JobState.QUEUED
    job.stage = "Queued again: its worker stopped"
    job.heartbeat_at = None
    job.save(update_fields=["state", "stage", "heartbeat_at"])
    task_enqueue_on_commit(name=GENERATION_RUN, args=(job.pk,))
    logger.warning("Generation job %s re-queued: no heartbeat from its worker (attempt %s)", job.pk, job.attempts)


class Heartbeat(WorkHeartbeat):
    """Stamp a job's heartbeat from a daemon thread while the worker is busy in one long call (inference)."""

    def __init__(self, job_id: int, interval: float | None = None) -> None:
        self.job_id = job_id
        # Looked up at each beat, so tests may replace generation_heartbeat.
        super().__init__(lambda: generation_heartbeat(job_id=job_id), interval=interval, name=f"heartbeat-job-{job_id}")


class StaleJobSweeper:
    """Run the sweeps now and every ``KINSHIP_JOB_SWEEP_SECONDS`` in a daemon thread.

    :func:`generation_requeue_stale` for generation jobs, then :func:`cases.services.recovery.work_recover` for
    GEDCOM stages and face detections whose worker died and for queued work whose message was lost.
    """

    def __init__(self, interval: float | None = None) -> None:
        self.interval = interval if interval is not None else settings.KINSHIP_JOB_SWEEP_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stale-job-sweeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        try:
            while True:
                try:
                    recovered = generation_requeue_stale()
                    if recovered:
                        logger.warning("Recovered generation jobs %s from dead workers", recovered)
                    work_recover()
                except Exception:
                    logger.exception("The stale-job sweep failed; trying again in %s s", self.interval)
                    close_old_connections()
                if self._stop.wait(self.interval):
                    return
        finally:
            connection.close()
