"""Benchmark the periodic recovery sweep with a large backlog of finished work.

Every worker sweeps every ``KINSHIP_JOB_SWEEP_SECONDS``: running generation jobs, GEDCOM stages and
face detections whose worker stopped beating, and queued work whose broker message is gone
(cases/services/generation/recovery.py, cases/services/recovery.py). Finished rows pile up for ever,
so the sweep must find the few unfinished ones through indexes, not by reading the backlog.

Builds, per backlog size, finished generation jobs, photos whose detection is done and finished
GEDCOM imports, plus a few stale rows of each kind (a dead worker's, a lost message's); then prints
the SQL query count and time of the first sweep (which recovers them) and the median of the later
sweeps (nothing left to do: the steady cost every worker pays; most of it is reading the broker's
queue), the part of it PostgreSQL spends executing the queries (EXPLAIN ANALYZE), and EXPLAIN of
each query the sweep issues (``--explain``; ``--without-indexes`` drops migration 0016's indexes to
compare).

    DATABASE_URL=postgres://postgres@127.0.0.1:54330/kinship_bench \\
        .venv/bin/python benchmarks/recovery_sweep_bench.py [--jobs 0 50000] [--photos 0 10000] [--explain]

Uses a throw-away SQLite database unless DATABASE_URL is set (then a test database is created there and
dropped afterwards). The broker is the embedded file-system one in a temporary folder (no worker runs).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KINSHIP_DATA_DIR", tempfile.mkdtemp(prefix="kinship-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinship_site.settings")
os.environ["KINSHIP_TASKS_EAGER"] = "0"  # re-queued work goes to the broker folder, as in production
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

STALE = 3  # of each kind: running jobs, detections and imports whose worker died, and lost queued messages


def build_backlog(jobs: int, photos: int, imports: int, label: str) -> None:
    """Create a tree with ``jobs`` finished generation jobs, ``photos`` detected photos and ``imports``
    finished GEDCOM imports, plus ``STALE`` stale rows of every kind the sweep recovers."""
    from cases.access import tree_access_get
    from cases.models import Face, GedcomImport, GenerationJob, ImportState, JobState, Photo
    from cases.models.photos import DetectionStatus
    from cases.services.families import family_create
    from cases.services.persons import person_create
    from cases.services.trees import tree_create
    from genetics.engine import GenerationParams

    user = get_user_model().objects.create_user(f"sweep{label}", password="x")
    tree = tree_create(name=f"Sweep {label}", owner=user)
    access = tree_access_get(user=user, tree_id=tree.pk)
    father = person_create(access=access, given_names="Father", sex="M", birth_date="1900", death_date="1980")
    mother = person_create(access=access, given_names="Mother", sex="F", birth_date="1905", death_date="1985")
    family = family_create(access=access, partner1=father, partner2=mother)
    long_ago = timezone.now() - timedelta(days=30)
    stale = timezone.now() - timedelta(seconds=settings.KINSHIP_JOB_STALE_SECONDS + 60)

    def photo(index: int, status: str, heartbeat=None) -> Photo:
        return Photo(
            tree=tree,
            original=f"bench/{label}/{index}.jpg",
            sha256=f"{label}-{index}",
            image_format="JPEG",
            byte_size=1000,
            width=200,
            height=200,
            detection_status=status,
            detection_heartbeat_at=heartbeat,
        )

    done = [photo(i, DetectionStatus.DONE, long_ago) for i in range(photos)]
    dying = [photo(photos + i, DetectionStatus.RUNNING, stale) for i in range(STALE)]
    lost = [photo(photos + STALE + i, DetectionStatus.PENDING) for i in range(STALE)]
    Photo.objects.bulk_create(done + dying + lost, batch_size=2000)
    Photo.objects.filter(pk__in=[p.pk for p in lost]).update(created_at=stale)  # waited past the stale limit
    parent = Photo.objects.filter(tree=tree).first() or Photo.objects.create(
        tree=tree,
        original="bench/parent.jpg",
        sha256=f"{label}-parent",
        image_format="JPEG",
        byte_size=1,
        width=200,
        height=200,
        detection_status=DetectionStatus.DONE,
    )
    faces = [Face.objects.create(photo=parent, left=x, top=0, right=x + 100, bottom=100) for x in (0, 100)]
    params = GenerationParams().to_dict()

    def job(state: str, **extra) -> GenerationJob:
        return GenerationJob(
            tree=tree,
            family=family,
            engine="offline",
            params=params,
            seed=1,
            num_candidates=1,
            requested_by=user,
            father_face=faces[0],
            mother_face=faces[1],
            state=state,
            **extra,
        )

    # Finished jobs keep their last heartbeat (job_finish leaves it): the sweep must not read them.
    finished = [
        job(
            JobState.SUCCEEDED,
            started_at=long_ago,
            finished_at=long_ago,
            heartbeat_at=long_ago,
            progress=1.0,
            attempts=1,
        )
        for _ in range(jobs)
    ]
    dead = [job(JobState.RUNNING, started_at=stale, heartbeat_at=stale, attempts=1) for _ in range(STALE)]
    queued = [job(JobState.QUEUED) for _ in range(STALE)]
    GenerationJob.objects.bulk_create(finished + dead + queued, batch_size=2000)
    GenerationJob.objects.filter(pk__in=[j.pk for j in queued]).update(created_at=stale)

    def gedcom(index: int, state: str, heartbeat=None) -> GedcomImport:
        return GedcomImport(
            tree=tree,
            file=f"bench/{label}/{index}.ged",
            sha256=f"{index}",
            state=state,
            heartbeat_at=heartbeat,
            attempts=1,
        )

    GedcomImport.objects.bulk_create(
        [gedcom(i, ImportState.DONE) for i in range(imports)]
        + [gedcom(imports + i, ImportState.IMPORTING, stale) for i in range(STALE)]
        + [gedcom(imports + STALE + i, ImportState.UPLOADED) for i in range(STALE)],
        batch_size=2000,
    )
    GedcomImport.objects.filter(tree=tree, state=ImportState.UPLOADED).update(updated_at=stale)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load


def sweep() -> dict[str, list[int]]:
    """Run what a worker's sweeper thread runs once (StaleJobSweeper._run)."""
    from cases.services.generation.recovery import generation_requeue_stale
    from cases.services.recovery import work_recover

    dead = generation_requeue_stale()
    recovered = work_recover()
    recovered["generation"] = dead + recovered.get("generation", [])
    return recovered


def explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return [row[0] for row in cursor.fetchall()]


def server_time(queries: list[dict], repeat: int) -> str:
    """Return the median time PostgreSQL spends executing a sweep's queries (EXPLAIN ANALYZE), in ms."""
    if connection.vendor != "postgresql":
        return "-"
    totals = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            total = 0.0
            for query in queries:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
                total += cursor.fetchone()[0][0]["Execution Time"]
            totals.append(total)
    return f"{statistics.median(totals):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, nargs="+", default=[0, 50000])
    parser.add_argument("--photos", type=int, nargs="+", default=[0, 10000])
    parser.add_argument("--imports", type=int, default=2000, help="finished GEDCOM imports with the largest backlog")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true", help="print the plan of every query of a steady sweep")
    parser.add_argument(
        "--without-indexes", action="store_true", help="drop the sweep's partial indexes first (migration 0016)"
    )
    args = parser.parse_args()
    if len(args.jobs) != len(args.photos):
        parser.error("--jobs and --photos take as many sizes each")
    logging.getLogger("cases").setLevel(logging.ERROR)  # each recovery logs a warning; the table is the output
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        if args.without_indexes:
            with connection.cursor() as cursor:
                for name in ("photo_detection_unfinished", "gedcomimport_unfinished"):
                    cursor.execute(f"DROP INDEX {name}")
        dropped = "; without the partial indexes" if args.without_indexes else ""
        print(f"database: {connection.vendor}; stale rows of each kind: {STALE}{dropped}")
        print(
            f"{'jobs':>7} {'photos':>7} {'imports':>7} {'recovered':>9} {'1st q':>6} {'1st ms':>8} "
            f"{'steady q':>8} {'steady ms':>9} {'server ms':>9}"
        )
        for step, (jobs, photos) in enumerate(zip(args.jobs, args.photos, strict=True)):
            imports = args.imports if jobs else 0
            build_backlog(jobs, photos, imports, label=str(step))
            with CaptureQueriesContext(connection) as first_queries:
                start = time.perf_counter()
                recovered = sweep()
                first_ms = (time.perf_counter() - start) * 1000
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                assert not any(sweep().values()), "a steady sweep found work again"
                times.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as steady_queries:
                sweep()
            server_ms = server_time(steady_queries.captured_queries, args.repeat)
            count = sum(len(ids) for ids in recovered.values())
            print(
                f"{jobs:>7} {photos:>7} {imports:>7} {count:>9} {len(first_queries):>6} {first_ms:>8.1f} "
                f"{len(steady_queries):>8} {statistics.median(times):>9.2f} {server_ms:>9}"
            )
            if args.explain and connection.vendor == "postgresql" and jobs:
                for query in steady_queries.captured_queries:
                    print("\n" + query["sql"])
                    print("\n".join("    " + line for line in explain(query["sql"])))
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
