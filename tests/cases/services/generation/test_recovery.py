"""Jobs whose worker died: stale heartbeats are re-queued, bounded, cancellable; live jobs are left alone."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import AuditEvent, GenerationJob
from cases.services.generation import (
    QuotaExceeded,
    generation_cancel,
    generation_heartbeat,
    generation_request,
    generation_requeue_stale,
    generation_run,
)
from cases.services.generation.recovery import Heartbeat

PARAMS = {"age_group": "3-9", "gender": "female", "num_candidates": 2, "seed": 11, "resolution": 256}


def _running(job: GenerationJob, *, beat_seconds_ago: float, attempts: int = 1) -> GenerationJob:
    """Put a job in the state a worker leaves it in when it claims the job and then dies."""
    beat = timezone.now() - timedelta(seconds=beat_seconds_ago)
    GenerationJob.objects.filter(pk=job.pk).update(
        state="running", started_at=beat, heartbeat_at=beat, attempts=attempts, progress=0.3
    )
    job.refresh_from_db()
    return job


@pytest.fixture
def enqueued(monkeypatch):
    """The task names and arguments queued on commit (the worker side is another test's business)."""
    calls = []
    monkeypatch.setattr("cases.services.tasks.task_enqueue", lambda *, name, args: calls.append((name, args)))
    return calls


def test_stale_job_goes_back_to_the_queue(couple, enqueued, django_capture_on_commit_callbacks, settings):
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    _running(job, beat_seconds_ago=settings.KINSHIP_JOB_STALE_SECONDS + 5)
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert generation_requeue_stale() == [job.pk]
    job.refresh_from_db()
    assert job.state == "queued" and "worker stopped" in job.stage and job.heartbeat_at is None
    assert enqueued == [("workers.tasks.generation.generation_run_task", (job.pk,))]
    # The queued message then runs the job to the end, exactly as a first delivery would.
    assert generation_run(job_id=job.pk) == "succeeded"
    assert GenerationJob.objects.get(pk=job.pk).attempts == 2


def test_live_job_is_left_alone(couple, enqueued, django_capture_on_commit_callbacks, settings):
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    _running(job, beat_seconds_ago=settings.KINSHIP_JOB_STALE_SECONDS - 10)
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert generation_requeue_stale() == []
    assert GenerationJob.objects.get(pk=job.pk).state == "running" and enqueued == []


def test_attempts_are_bounded(couple, enqueued, settings):
    settings.KINSHIP_JOB_MAX_ATTEMPTS = 2
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    _running(job, beat_seconds_ago=settings.KINSHIP_JOB_STALE_SECONDS + 5, attempts=2)
    assert generation_requeue_stale() == [job.pk]
    job.refresh_from_db()
    assert job.state == "failed" and "stopped 2 times" in job.error and job.finished_at
    assert AuditEvent.objects.filter(action="generation.failed", object_id=job.pk).exists()


def test_cancel_works_on_a_stale_job_and_frees_the_quota(couple, settings):
    settings.KINSHIP_GENERATION_QUEUE_QUOTA = 1
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    _running(job, beat_seconds_ago=3600)
    with pytest.raises(QuotaExceeded):
        generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    generation_cancel(access=couple.owner_access, job=job)
    job.refresh_from_db()
    assert job.state == "cancelled" and job.finished_at
    assert AuditEvent.objects.filter(
        action="generation.cancelled", object_id=job.pk, payload__while="worker stopped"
    ).exists()
    generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")


def test_cancel_requested_before_the_worker_died_is_honoured_by_the_sweep(couple, enqueued, settings):
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    _running(job, beat_seconds_ago=10)
    generation_cancel(access=couple.owner_access, job=job)
    assert GenerationJob.objects.get(pk=job.pk).state == "running"  # the live worker is asked
    _running(job, beat_seconds_ago=settings.KINSHIP_JOB_STALE_SECONDS + 5)
    assert generation_requeue_stale() == [job.pk]
    assert GenerationJob.objects.get(pk=job.pk).state == "cancelled"


def test_heartbeat_stamps_only_a_running_job(couple):
    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")
    generation_heartbeat(job_id=job.pk)
    assert GenerationJob.objects.get(pk=job.pk).heartbeat_at is None  # queued: nobody holds it
    _running(job, beat_seconds_ago=600)
    generation_heartbeat(job_id=job.pk)
    assert timezone.now() - GenerationJob.objects.get(pk=job.pk).heartbeat_at < timedelta(seconds=5)


def test_heartbeat_thread_beats_until_the_work_ends(monkeypatch):
    beats = []
    monkeypatch.setattr(
        "cases.services.generation.recovery.generation_heartbeat", lambda *, job_id: beats.append(job_id)
    )
    with Heartbeat(7, interval=0.02):
        time.sleep(0.3)
    count = len(beats)
    time.sleep(0.1)
    assert count >= 5 and set(beats) == {7} and len(beats) == count  # and none after the block


@pytest.mark.parametrize("after_limit", [True, False])
def test_a_failure_once_the_soft_time_limit_has_passed_is_reported_as_the_limit(
    couple, enqueued, monkeypatch, after_limit
):
    """The soft limit's exception, raised inside C2PA signing's stream callbacks, is swallowed there, and the
    signing fails with an error of its own (seen as "Generation failed unexpectedly" in a worker)."""
    from genetics.provenance import ProvenanceError
    from workers.tasks.generation import generation_run_task

    job = generation_request(access=couple.owner_access, family=couple.family, params=PARAMS, engine="offline")

    def run(*, job_id: int) -> str:
        time.sleep(0.3 if after_limit else 0.0)
        raise ProvenanceError("C2PA signing failed: the stream's callback failed")

    monkeypatch.setattr("workers.tasks.generation.generation_run", run)
    monkeypatch.setattr(generation_run_task, "soft_time_limit", 0.2)
    with pytest.raises(ProvenanceError):
        generation_run_task.apply(args=(job.pk,), throw=True)
    job.refresh_from_db()
    assert job.state == "failed"
    if after_limit:
        assert "longer than its limit of 0.2 seconds" in job.error
    else:
        assert job.error == "Generation failed unexpectedly; the team has been told."
