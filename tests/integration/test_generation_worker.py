"""Generation jobs through Redis and real worker processes: normal runs, a worker killed mid-job,
and Redis restarted under a running worker."""

from __future__ import annotations

import pytest

from tests.images import jpeg_bytes
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def family_with_portraits(db):
    from cases.access import tree_access_get
    from cases.services.families import family_create
    from cases.services.persons import person_create
    from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_set_consent, photo_upload
    from cases.services.trees import tree_create
    from genetics.samples import astronaut, grace_hopper
    from tests.factories import UserFactory

    user = UserFactory(username="generator")
    tree = tree_create(name="Generation", owner=user)
    access = tree_access_get(user=user, tree_id=tree.pk)
    parents = []
    for name, sex, image in (("Father", "M", grace_hopper()), ("Mother", "F", astronaut())):
        person = person_create(access=access, given_names=name, sex=sex, birth_date="1950")
        photo = photo_upload(access=access, data=jpeg_bytes(image, quality=92), persons=[person])
        (face,) = photo_detect_faces(photo_id=photo.pk)
        person_choose_portrait(access=access, person=person, face=face)
        photo_set_consent(access=access, photo=photo, consent=True, given_by="test")
        parents.append(person)
    family = family_create(access=access, partner1=parents[0], partner2=parents[1])
    return access, family


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
