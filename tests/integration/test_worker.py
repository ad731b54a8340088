"""A real Celery worker process on a real Redis broker and the PostgreSQL test database.

Skipped without PostgreSQL and Redis on a developer machine; in CI (CI=true) the suite refuses
to start without them (see the root conftest), so these tests always run there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _require_services() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        if os.environ.get("CI") == "true":
            pytest.fail("integration tests need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) in CI")
        pytest.skip("needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)")


@pytest.fixture
def worker(settings, tmp_path):
    """Start `celery worker` against the test database and a temporary media folder."""
    _require_services()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "KINSHIP_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KINSHIP_DATA_DIR": str(tmp_path / "data"),
        "KINSHIP_TASKS_EAGER": "0",
        "KINSHIP_TESTING": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kinship_site", "worker", "-Q", "default,gpu", "--pool", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    from kinship_site.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield process
    app.conf.task_always_eager = previous
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _wait_for(predicate, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_uploaded_photo_gets_faces_from_a_real_worker(worker, portrait_jpeg):
    from cases.access import tree_access_get
    from cases.models import Photo
    from cases.services.photos import photo_upload
    from cases.services.trees import tree_create
    from tests.factories import UserFactory

    user = UserFactory(username="integrator")
    tree = tree_create(name="Integration", owner=user)
    access = tree_access_get(user=user, tree_id=tree.pk)
    photo = photo_upload(access=access, data=portrait_jpeg)  # commits, then enqueues on Redis
    done = _wait_for(lambda: Photo.objects.get(pk=photo.pk).detection_status == "done")
    if not done:
        worker.terminate()
        pytest.fail("worker did not detect faces in time:\n" + worker.communicate(timeout=30)[0][-3000:])
    assert Photo.objects.get(pk=photo.pk).faces.count() == 1


def test_redis_cache_round_trip(db):
    _require_services()
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("kinship-ci-probe", {"ok": 1}, 30)
    assert cache.get("kinship-ci-probe") == {"ok": 1}
