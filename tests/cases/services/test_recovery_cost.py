"""The workers' recovery sweep costs as many queries over a large finished backlog as over a small one.

Every worker sweeps every few seconds, and finished generation jobs, detected photos and imported
GEDCOM files pile up for ever: the sweep must look at unfinished rows only. Times and query plans on
PostgreSQL are in benchmarks/recovery_sweep_bench.py; this pins the query count.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Face, GedcomImport, GenerationJob, ImportState, JobState, Photo
from cases.models.photos import DetectionStatus
from cases.services.generation.recovery import generation_requeue_stale
from cases.services.recovery import work_recover
from genetics.engine import GenerationParams

STALE = 2  # rows of each kind the sweep must recover: a dead worker's and a lost message's


@pytest.fixture
def broker(monkeypatch):
    """A stand-in broker: what the sweep sends is held, as a real broker holds a message until it is fetched."""
    held: set[tuple[str, tuple]] = set()

    def send(*, name: str, args: tuple) -> None:
        held.add((name, tuple(args)))

    monkeypatch.setattr("cases.services.tasks.task_enqueue", send)  # what task_enqueue_on_commit calls
    monkeypatch.setattr("cases.services.recovery.task_enqueue", send)  # the lost messages' direct send
    monkeypatch.setattr("cases.services.recovery.task_messages_waiting", lambda: set(held))
    return held


def _backlog(small_tree, settings, finished: int, label: str) -> None:
    """Add ``finished`` finished rows of each kind and ``STALE`` dead-worker and lost-message rows of each."""
    tree, user = small_tree.tree, small_tree.users["owner"]
    long_ago = timezone.now() - timedelta(days=30)
    stale = timezone.now() - timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS + 60)

    def photo(index: int, status: str, heartbeat=None) -> Photo:
        return Photo(
            tree=tree,
            original=f"x/{label}{index}.jpg",
            sha256=f"{label}{index}",
            image_format="JPEG",
            byte_size=1,
            width=10,
            height=10,
            detection_status=status,
            detection_heartbeat_at=heartbeat,
        )

    photos = Photo.objects.bulk_create(
        [photo(i, DetectionStatus.DONE, long_ago) for i in range(finished)]
        + [photo(finished + i, DetectionStatus.RUNNING, stale) for i in range(STALE)]
        + [photo(finished + STALE + i, DetectionStatus.PENDING) for i in range(STALE)]
    )
    Photo.objects.filter(pk__in=[p.pk for p in photos[-STALE:]]).update(created_at=stale)
    face = Face.objects.create(photo=photos[0], left=0, top=0, right=10, bottom=10)

    def job(state: str, **extra) -> GenerationJob:
        return GenerationJob(
            tree=tree,
            engine="offline",
            params=GenerationParams().to_dict(),
            seed=1,
            num_candidates=1,
            requested_by=user,
            father_face=face,
            mother_face=face,
            state=state,
            **extra,
        )

    # Finished jobs keep their last heartbeat: an old stamp alone must not make a row a suspect.
    jobs = GenerationJob.objects.bulk_create(
        [
            job(JobState.SUCCEEDED, started_at=long_ago, finished_at=long_ago, heartbeat_at=long_ago, progress=1.0)
            for _ in range(finished)
        ]
        + [job(JobState.RUNNING, started_at=stale, heartbeat_at=stale, attempts=1) for _ in range(STALE)]
        + [job(JobState.QUEUED) for _ in range(STALE)]
    )
    GenerationJob.objects.filter(pk__in=[j.pk for j in jobs[-STALE:]]).update(created_at=stale)

    def gedcom(index: int, state: str, heartbeat=None) -> GedcomImport:
        return GedcomImport(
            tree=tree,
            file=f"x/{label}{index}.ged",
            sha256=f"{label}{index}",
            state=state,
            heartbeat_at=heartbeat,
            attempts=1,
        )

    imports = GedcomImport.objects.bulk_create(
        [gedcom(i, ImportState.DONE, long_ago) for i in range(finished)]
        + [gedcom(finished + i, ImportState.IMPORTING, stale) for i in range(STALE)]
        + [gedcom(finished + STALE + i, ImportState.UPLOADED) for i in range(STALE)]
    )
    GedcomImport.objects.filter(pk__in=[i.pk for i in imports[-STALE:]]).update(updated_at=stale)


def _sweep(django_capture_on_commit_callbacks) -> tuple[int, int]:
    """Run a worker's sweep once; return its query count and how many rows it recovered."""
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        dead_jobs = generation_requeue_stale()
        recovered = work_recover()
    return len(queries), len(dead_jobs) + sum(len(ids) for ids in recovered.values())


def test_sweep_queries_do_not_grow_with_the_finished_backlog(
    small_tree, settings, broker, django_capture_on_commit_callbacks
):
    counts = []
    for finished in (3, 60):
        _backlog(small_tree, settings, finished, label=f"b{finished}-")
        count, recovered = _sweep(django_capture_on_commit_callbacks)
        assert recovered == 6 * STALE  # dead workers' and lost messages' rows of all three kinds
        counts.append(count)
        # Nothing left: the next sweep only looks (the messages it sent are held by the broker).
        idle, recovered = _sweep(django_capture_on_commit_callbacks)
        assert recovered == 0
        counts.append(idle)
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert counts[1] <= 7, counts  # one query per kind of suspect, none per finished row
