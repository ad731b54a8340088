"""Photo preparation through a real worker process and Redis; the Redis cache in CI."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.integration.conftest import require_services, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_uploaded_photo_gets_faces_from_a_real_worker(workers, portrait_jpeg):
    from cases.access import tree_access_get
    from cases.models import Photo
    from cases.services.photos import photo_upload
    from cases.services.trees import tree_create
    from tests.factories import UserFactory

    workers.start()
    user = UserFactory(username="integrator")
    tree = tree_create(name="Integration", owner=user)
    photo = photo_upload(access=tree_access_get(user=user, tree_id=tree.pk), data=portrait_jpeg)
    if not wait_for(lambda: Photo.objects.get(pk=photo.pk).detection_status == "done"):
        pytest.fail("the worker did not detect faces in time:\n" + workers.output())
    assert Photo.objects.get(pk=photo.pk).faces.count() == 1


def test_redis_cache_round_trip(db):
    require_services()
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI") == "true":
            pytest.fail("REDIS_URL must be set in CI")
        pytest.skip("REDIS_URL is not set")
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("kinship-ci-probe", {"ok": 1}, 30)
    assert cache.get("kinship-ci-probe") == {"ok": 1}
