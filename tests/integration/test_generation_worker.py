"""Generation jobs through Redis and real worker processes: normal runs, a worker killed mid-job,
and Redis restarted under a running worker."""

from __future__ import annotations

import pytest

from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _request(access, family, **params):
    from cases.services.generation import generation_request

    values = {"num_candidates": 2, "resolution": 256, "seed": 5, **params}
    return generation_request(access=access, family=family, params=values, engine="offline")


def _state(job) -> str:
    job.refresh_from_db()
    return job.state


def test_job_completes_through_redis_and_a_worker(workers, family_with_portraits):
    access, family = family_with_portraits
    workers.start()
    job = _request(access, family)
    if not wait_for(lambda: _state(job) == "succeeded"):
        pytest.fail(f"job ended {job.state}: {job.error}\n" + workers.output())
    assert job.candidates.count() == 2 and job.progress == 1.0


def test_worker_killed_mid_job_completes_exactly_once(workers, family_with_portraits):
    from cases.models import AuditEvent, Candidate

    access, family = family_with_portraits
    first = workers.start()
    job = _request(access, family, num_candidates=6, resolution=512)
    assert wait_for(lambda: _state(job) == "running", timeout=120), workers.output()
    workers.kill(first)
    assert _state(job) == "running"
    workers.start()
    if not wait_for(lambda: _state(job) == "succeeded", timeout=240):
        pytest.fail(f"job ended {job.state}: {job.error}\n" + workers.output())
    assert Candidate.objects.filter(job=job).count() == 6
    assert sorted(Candidate.objects.filter(job=job).values_list("index", flat=True)) == list(range(6))
    assert AuditEvent.objects.filter(action="generation.succeeded", object_id=job.pk).count() == 1
    assert job.attempts >= 2


def test_redis_restart_under_a_running_worker(workers, redis_server, family_with_portraits):
    access, family = family_with_portraits
    workers.start()
    warm = _request(access, family)
    assert wait_for(lambda: _state(warm) == "succeeded"), workers.output()
    redis_server.stop()
    redis_server.start()
    # Neither this process (the publisher) nor the worker is told: both must reconnect on their own.
    job = _request(access, family, seed=6)
    if not wait_for(lambda: _state(job) == "succeeded", timeout=240):
        pytest.fail(f"job ended {job.state}: {job.error}\n" + workers.output())
    assert job.candidates.count() == 2
