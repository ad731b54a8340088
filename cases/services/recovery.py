"""Background work that a dead worker or a lost message would strand: heartbeats and the workers' sweep.

Generation jobs have their own rules (cases/services/generation/recovery.py); this module gives the
same to GEDCOM previews and imports and to face detection, and finds queued work of every kind
whose broker message is gone:

* **Dead worker.** The worker holding a GEDCOM stage or a photo's detection stamps a heartbeat
  (at the claim and from a thread while it works). A stamp older than ``KINSHIP_JOB_STALE_SECONDS``
  means the worker died: the work goes back to the queue, or fails with a clear message after
  ``KINSHIP_JOB_MAX_ATTEMPTS`` claims. A GEDCOM import is one transaction, so a killed import left
  nothing behind and simply runs again.
* **Lost message.** The file-system broker keeps a message as a file until a worker fetches it; a
  file deleted or lost (a crash mid-write, a cleaned folder) used to leave the row "queued" for
  ever. Work waiting longer than the stale limit with no message in the broker is queued again.
  A duplicate message is harmless: GEDCOM and detection claims lock their row and skip work a live
  worker holds or that is done; a generation job is idempotent (deterministic names, success stored
  once), and its claim still takes an immediate redelivery after a prefork child died.

Every worker runs :func:`work_recover` from its sweeper thread, so no beat process is needed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import GedcomImport, GenerationJob, ImportState, JobState, Photo
from cases.models.photos import DetectionStatus
from cases.services.tasks import (
    GEDCOM_IMPORT,
    GEDCOM_PREVIEW,
    GENERATION_RUN,
    PHOTO_DETECT_FACES,
    task_enqueue,
    task_enqueue_on_commit,
    task_messages_waiting,
)

logger = logging.getLogger(__name__)


def heartbeat_is_stale(stamp: datetime | None, *, now: datetime | None = None) -> bool:
    """Return whether a worker's last stamp is older than the stale limit (None: never stamped)."""
    if stamp is None:
        return True
    return (now or timezone.now()) - stamp > timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS)


def work_recover(*, now: datetime | None = None) -> dict[str, list[int]]:
    """Re-queue or fail the GEDCOM stages and detections whose worker died, and re-queue lost messages."""
    recovered = {"gedcom": gedcom_requeue_stale(now=now), "photo": photo_detection_requeue_stale(now=now)}
    for kind, ids in work_requeue_lost(now=now).items():  # added to, not replacing, the dead workers' rows
        recovered[kind] = recovered.get(kind, []) + ids
    return {kind: ids for kind, ids in recovered.items() if ids}


# --- GEDCOM previews and imports -----------------------------------------------------------------

_GEDCOM_TASKS = {
    ImportState.UPLOADED: (GEDCOM_PREVIEW, "previewing"),
    ImportState.IMPORTING: (GEDCOM_IMPORT, "importing"),
}


def gedcom_heartbeat(*, import_id: int) -> None:
    """Stamp the heartbeat of a GEDCOM preview or import a worker is running."""
    GedcomImport.objects.filter(pk=import_id, state__in=list(_GEDCOM_TASKS)).update(heartbeat_at=timezone.now())


def gedcom_requeue_stale(*, now: datetime | None = None) -> list[int]:
    """Re-queue (or fail) the previews and imports whose worker stopped beating; return their ids."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS)
    suspects = list(
        GedcomImport.objects.filter(state__in=list(_GEDCOM_TASKS), heartbeat_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    recovered = []
    for import_id in suspects:
        with transaction.atomic():
            job = GedcomImport.objects.select_for_update().filter(pk=import_id).first()
            if (
                job is None
                or job.state not in _GEDCOM_TASKS
                or job.heartbeat_at is None
                or not heartbeat_is_stale(job.heartbeat_at, now=now)
            ):
                continue
            task, doing = _GEDCOM_TASKS[job.state]
            if job.attempts >= settings.KINSHIP_JOB_MAX_ATTEMPTS:
                job.state = ImportState.FAILED
                job.error = (
                    f"The worker {doing} this file stopped {job.attempts} times (killed or out of memory); "
                    "it was not tried again and nothing was kept. Try a smaller file, or ask the "
                    "administrator to check the workers."
                )
                job.finished_at = timezone.now()
                job.save(update_fields=["state", "error", "finished_at", "updated_at"])
                logger.warning("GEDCOM import %s failed after %s lost workers", job.pk, job.attempts)
            else:
                job.heartbeat_at = None
                job.save(update_fields=["heartbeat_at", "updated_at"])
                task_enqueue_on_commit(name=task, args=(job.pk,))
                logger.warning("GEDCOM import %s re-queued (%s): its worker stopped", job.pk, doing)
        recovered.append(import_id)
    return recovered


# --- Face detection ------------------------------------------------------------------------------


def photo_detection_heartbeat(*, photo_id: int) -> None:
    """Stamp the heartbeat of a face detection a worker is running."""
    Photo.objects.filter(pk=photo_id, detection_status=DetectionStatus.RUNNING).update(
        detection_heartbeat_at=timezone.now()
    )


def photo_detection_requeue_stale(*, now: datetime | None = None) -> list[int]:
    """Re-queue (or fail) the detections whose worker stopped beating; return the photos' ids."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS)
    # No stamp at all: a detection claimed before heartbeats existed, whose worker is long gone.
    suspects = list(
        Photo.objects.filter(
            Q(detection_heartbeat_at__lt=cutoff) | Q(detection_heartbeat_at__isnull=True),
            detection_status=DetectionStatus.RUNNING,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    recovered = []
    for photo_id in suspects:
        with transaction.atomic():
            photo = Photo.objects.select_for_update().filter(pk=photo_id).first()
            if (
                photo is None
                or photo.detection_status != DetectionStatus.RUNNING
                or not heartbeat_is_stale(photo.detection_heartbeat_at, now=now)
            ):
                continue
            if photo.detection_attempts >= settings.KINSHIP_JOB_MAX_ATTEMPTS:
                photo.detection_status = DetectionStatus.FAILED
                photo.detection_error = (
                    f"The worker detecting faces on this photo stopped {photo.detection_attempts} "
                    "times (killed or out of memory); it was not tried again. Mark the faces "
                    "by hand, or upload a smaller copy."
                )
                photo.save(update_fields=["detection_status", "detection_error"])
            else:
                photo.detection_status = DetectionStatus.PENDING
                photo.detection_heartbeat_at = None
                photo.save(update_fields=["detection_status", "detection_heartbeat_at"])
                task_enqueue_on_commit(name=PHOTO_DETECT_FACES, args=(photo.pk,))
            logger.warning(
                "Face detection for photo %s recovered from a dead worker (%s)", photo.pk, photo.detection_status
            )
        recovered.append(photo_id)
    return recovered


# --- Lost messages -------------------------------------------------------------------------------


def work_requeue_lost(*, now: datetime | None = None) -> dict[str, list[int]]:
    """Queue again the work waiting longer than the stale limit whose message the broker no longer holds."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS)
    # Only rows that have waited long enough are looked at, so a message just fetched is not mistaken for lost.
    # Every query here and above reads unfinished rows only, through an index that holds little else
    # (GenerationJob.state, the partial indexes photo_detection_unfinished and gedcomimport_unfinished): the
    # sweep's cost follows the work in flight, not the finished backlog (benchmarks/recovery_sweep_bench.py).
    waiting = {
        "generation": [
            (GENERATION_RUN, pk)
            for pk in GenerationJob.objects.filter(state=JobState.QUEUED, created_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)
        ],
        "gedcom": [
            (_GEDCOM_TASKS[state][0], pk)
            for pk, state in GedcomImport.objects.filter(
                state__in=list(_GEDCOM_TASKS), heartbeat_at__isnull=True, updated_at__lt=cutoff
            )
            .order_by("pk")
            .values_list("pk", "state")
        ],
        "photo": [
            (PHOTO_DETECT_FACES, pk)
            for pk in Photo.objects.filter(detection_status=DetectionStatus.PENDING, created_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)
        ],
    }
    if not any(waiting.values()):
        return {}
    held = task_messages_waiting()
    if held is None:  # a broker this sweep cannot read (memory, eager): nothing can be said to be lost
        return {}
    requeued: dict[str, list[int]] = {}
    for kind, entries in waiting.items():
        for task, pk in entries:
            if (task, (pk,)) not in held:
                # Nothing is stamped: once sent again the message is in the broker and the next sweep sees it
                # (or the row claimed). One fetched but not yet claimed may be sent twice: its copy is skipped
                # (GEDCOM, detection) or harmless (an idempotent generation job).
                task_enqueue(name=task, args=(pk,))
                requeued.setdefault(kind, []).append(pk)
    if requeued:
        logger.warning("Queued again, their messages lost: %s", requeued)
    return requeued


# --- The worker side -----------------------------------------------------------------------------


class Heartbeat:
    """Call ``beat`` every ``interval`` seconds from a daemon thread while the worker is busy in one long call."""

    def __init__(self, beat: Callable[[], None], interval: float | None = None, name: str = "heartbeat") -> None:
        self.beat = beat
        self.interval = interval if interval is not None else settings.KINSHIP_JOB_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except Exception as error:  # a missed beat is not fatal; a dead database shows in the work itself
                    logger.warning("Heartbeat %s failed: %s", self._thread.name, error)
                    close_old_connections()
        finally:
            # The thread's own database connection, so the worker does not leak one per job.
            connection.close()
