"""End-to-end generation throughput through Redis and a real worker, with the offline engine.

Starts a private redis-server and one `celery worker` on a throw-away SQLite database (or
DATABASE_URL when set), queues jobs for a couple made from two public-domain portraits, and
prints jobs/minute, candidates/minute, and the latency the queue adds over calling the same
service directly in this process.

    .venv/bin/python benchmarks/generation_bench.py [--jobs 6] [--candidates 4] [--resolution 512]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="kinship-genbench-"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--candidates", type=int, default=4)
    parser.add_argument("--resolution", type=int, default=512)
    args = parser.parse_args()

    port = free_port()
    redis = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    os.environ.update(
        {
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "KINSHIP_DATA_DIR": str(DATA),
            "DJANGO_SETTINGS_MODULE": "kinship_site.settings",
            "KINSHIP_TASKS_EAGER": "0",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kinship_site",
            "worker",
            "-Q",
            "default,gpu",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        run(args)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        redis.terminate()
        shutil.rmtree(DATA, ignore_errors=True)


def couple():
    from django.contrib.auth import get_user_model

    from cases.access import tree_access_get
    from cases.services.families import family_create
    from cases.services.persons import person_create
    from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_set_consent, photo_upload
    from cases.services.trees import tree_create
    from genetics.samples import astronaut, grace_hopper
    from tests.images import jpeg_bytes

    user = get_user_model().objects.create_user("bench")
    tree = tree_create(name="Benchmark", owner=user)
    access = tree_access_get(user=user, tree_id=tree.pk)
    partners = []
    for name, sex, image in (("F", "M", grace_hopper()), ("M", "F", astronaut())):
        person = person_create(access=access, given_names=name, sex=sex)
        photo = photo_upload(access=access, data=jpeg_bytes(image, quality=92), persons=[person])
        (face,) = photo_detect_faces(photo_id=photo.pk)
        person_choose_portrait(access=access, person=person, face=face)
        photo_set_consent(access=access, photo=photo, consent=True, given_by="benchmark")
        partners.append(person)
    return access, family_create(access=access, partner1=partners[0], partner2=partners[1])


def run(args) -> None:
    from django.conf import settings

    from cases.models import GenerationJob
    from cases.services.generation import generation_request, generation_run

    settings.KINSHIP_GENERATION_QUEUE_QUOTA = args.jobs + 1
    access, family = couple()
    params = {"num_candidates": args.candidates, "resolution": args.resolution}

    # Direct: the same service in this process, not queued (parents' encodings cached after the first).
    from cases.services import tasks

    enqueue = tasks.task_enqueue
    tasks.task_enqueue = lambda *, name, args: None if name == tasks.GENERATION_RUN else enqueue(name=name, args=args)
    direct = []
    for seed in range(args.jobs):
        job = generation_request(access=access, family=family, params={**params, "seed": 1000 + seed}, engine="offline")
        started = time.perf_counter()
        generation_run(job_id=job.pk)
        direct.append(time.perf_counter() - started)
    tasks.task_enqueue = enqueue

    latencies = []
    started_all = time.perf_counter()
    jobs = []
    for seed in range(args.jobs):
        jobs.append(
            (
                generation_request(access=access, family=family, params={**params, "seed": seed}, engine="offline"),
                time.perf_counter(),
            )
        )
    finished = {}
    while len(finished) < len(jobs):
        for job, queued_at in jobs:
            if job.pk not in finished:
                job.refresh_from_db()
                if job.is_finished:
                    finished[job.pk] = time.perf_counter()
                    latencies.append(finished[job.pk] - queued_at)
        time.sleep(0.05)
    wall = time.perf_counter() - started_all
    states = {job.state for job, _ in jobs}

    single = []
    for seed in range(3):  # one job at a time: queue latency without waiting behind others
        job = generation_request(access=access, family=family, params={**params, "seed": 500 + seed}, engine="offline")
        queued_at = time.perf_counter()
        while not GenerationJob.objects.get(pk=job.pk).is_finished:
            time.sleep(0.02)
        single.append(time.perf_counter() - queued_at)

    print(
        f"offline engine, {args.candidates} candidates per job at {args.resolution}², {args.jobs} jobs, "
        f"states {sorted(states)}"
    )
    print(f"direct call:        median {statistics.median(direct):.2f} s/job")
    print(
        f"through Redis+worker: {args.jobs / wall * 60:.1f} jobs/min, "
        f"{args.jobs * args.candidates / wall * 60:.1f} candidates/min (wall {wall:.1f} s)"
    )
    print(
        f"single job via queue: median {statistics.median(single):.2f} s; "
        f"added latency ≈ {statistics.median(single) - statistics.median(direct):.2f} s over a direct call"
    )


if __name__ == "__main__":
    main()
