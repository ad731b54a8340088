"""GEDCOM stages and face detections whose worker died, and queued work whose message was lost (issue 13).

Reproduced before the fix: a GEDCOM import (or preview, or a photo's detection) whose worker was
SIGKILLed stayed "importing" ("running") for ever, since nothing stamped or swept it; a generation
job, photo or import whose file-broker message was deleted from the queue folder stayed "queued".
The real kills are in tests/integration/test_work_recovery.py; these pin the rules.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import GedcomImport, ImportState, Photo
from cases.models.photos import DetectionStatus
from cases.services.gedcom import gedcom_import_preview, gedcom_upload
from cases.services.photos import photo_detect_faces, photo_upload
from cases.services.recovery import gedcom_requeue_stale, photo_detection_requeue_stale, work_requeue_lost
from cases.services.tasks import GEDCOM_IMPORT, GEDCOM_PREVIEW, PHOTO_DETECT_FACES, task_messages_waiting
from tests.gedcom_files import FILE_70
from tests.images import jpeg_bytes


@pytest.fixture
def enqueued(monkeypatch):
    """The task names and arguments queued (the worker side is the integration tests' business)."""
    calls = []
    monkeypatch.setattr("cases.services.tasks.task_enqueue", lambda *, name, args: calls.append((name, args)))
    return calls


def _ago(settings, extra: float) -> timezone.datetime:
    return timezone.now() - timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS + extra)


@pytest.fixture
def upload(small_tree, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = gedcom_upload(
            access=small_tree.owner_access, upload=io.BytesIO(FILE_70.encode()), original_name="family.ged"
        )
    assert enqueued == [(GEDCOM_PREVIEW, (job.pk,))]
    enqueued.clear()
    return job


def test_import_whose_worker_died_is_queued_again(upload, enqueued, settings, django_capture_on_commit_callbacks):
    GedcomImport.objects.filter(pk=upload.pk).update(
        state=ImportState.IMPORTING, heartbeat_at=_ago(settings, 5), attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert gedcom_requeue_stale() == [upload.pk]
    upload.refresh_from_db()
    assert upload.state == ImportState.IMPORTING and upload.heartbeat_at is None
    assert enqueued == [(GEDCOM_IMPORT, (upload.pk,))]


def test_live_import_is_left_alone_and_a_second_message_skips_it(upload, enqueued, settings):
    GedcomImport.objects.filter(pk=upload.pk).update(heartbeat_at=_ago(settings, -10), attempts=1)
    assert gedcom_requeue_stale() == [] and enqueued == []
    # A copy of the preview's message (a lost one sent again) while the first worker is alive: skipped.
    assert gedcom_import_preview(import_id=upload.pk).state == ImportState.UPLOADED
    assert GedcomImport.objects.get(pk=upload.pk).attempts == 1


def test_import_fails_clearly_after_too_many_dead_workers(upload, enqueued, settings):
    settings.KINSHIP_JOB_MAX_ATTEMPTS = 2
    GedcomImport.objects.filter(pk=upload.pk).update(heartbeat_at=_ago(settings, 5), attempts=2)
    assert gedcom_requeue_stale() == [upload.pk]
    upload.refresh_from_db()
    assert upload.state == ImportState.FAILED and enqueued == []
    assert "worker previewing this file stopped 2 times" in upload.error and "nothing was kept" in upload.error


def test_preview_clears_its_claim_for_the_import(upload):
    job = gedcom_import_preview(import_id=upload.pk)
    assert job.state == ImportState.PREVIEWED and job.heartbeat_at is None and job.attempts == 0


@pytest.fixture
def photo(small_tree, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes())
    assert enqueued == [(PHOTO_DETECT_FACES, (photo.pk,))]
    enqueued.clear()
    return photo


def test_detection_whose_worker_died_is_queued_again_then_fails_clearly(
    photo, enqueued, settings, django_capture_on_commit_callbacks
):
    Photo.objects.filter(pk=photo.pk).update(
        detection_status=DetectionStatus.RUNNING, detection_heartbeat_at=_ago(settings, 5), detection_attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert photo_detection_requeue_stale() == [photo.pk]
    photo.refresh_from_db()
    assert photo.detection_status == DetectionStatus.PENDING and enqueued == [(PHOTO_DETECT_FACES, (photo.pk,))]
    Photo.objects.filter(pk=photo.pk).update(
        detection_status=DetectionStatus.RUNNING,
        detection_heartbeat_at=_ago(settings, 5),
        detection_attempts=settings.KINSHIP_JOB_MAX_ATTEMPTS,
    )
    assert photo_detection_requeue_stale() == [photo.pk]
    photo.refresh_from_db()
    assert photo.detection_status == DetectionStatus.FAILED and "stopped 3 times" in photo.detection_error


def test_detection_left_running_before_heartbeats_existed_is_recovered(photo, enqueued):
    Photo.objects.filter(pk=photo.pk).update(detection_status=DetectionStatus.RUNNING, detection_heartbeat_at=None)
    assert photo_detection_requeue_stale() == [photo.pk]
    assert Photo.objects.get(pk=photo.pk).detection_status == DetectionStatus.PENDING


def test_live_detection_is_not_run_twice(photo, enqueued, settings):
    Photo.objects.filter(pk=photo.pk).update(
        detection_status=DetectionStatus.RUNNING, detection_heartbeat_at=timezone.now(), detection_attempts=1
    )
    assert photo_detection_requeue_stale() == []
    assert photo_detect_faces(photo_id=photo.pk) == []
    assert Photo.objects.get(pk=photo.pk).detection_status == DetectionStatus.RUNNING


@pytest.fixture
def file_broker(settings, tmp_path):
    """This process's Celery client on a file-system broker in tmp_path (not eager), as the embedded default."""
    from tests.integration.conftest import _workers_with

    yield from _workers_with(None, settings, tmp_path)


def _queue_files(tmp_path) -> list:
    return sorted((tmp_path / "data" / "celery" / "queue").glob("*.msg"))


def test_lost_file_broker_message_is_sent_again(
    file_broker, small_tree, tmp_path, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes())
    (message,) = _queue_files(tmp_path)
    assert task_messages_waiting() == {(PHOTO_DETECT_FACES, (photo.pk,))}
    later = timezone.now() + timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS + 5)
    assert work_requeue_lost(now=later) == {}  # its message is still there: waiting, not lost
    message.unlink()
    assert work_requeue_lost() == {}  # too recent to call lost (its message may be on its way)
    assert work_requeue_lost(now=later) == {"photo": [photo.pk]}
    assert task_messages_waiting() == {(PHOTO_DETECT_FACES, (photo.pk,))} and len(_queue_files(tmp_path)) == 1
    assert work_requeue_lost(now=later) == {}  # the new message is seen: not sent a third time
