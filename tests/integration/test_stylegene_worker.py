"""A StyleGene case job through the API, Redis, a real worker process and tiny generated checkpoints.

The checkpoint folder declares its tiny sizes in ``model_configs.json``, so nothing is patched:
the web process verifies it in a child process, and the worker, given only the folder through
``KINSHIP_CHECKPOINT_DIR``, loads it as it would load the released files.
"""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from tests.cases.conftest import case_tree, portraits, small_tree  # noqa: F401  (fixtures)
from tests.integration.conftest import _workers_with, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REGIONS = {
    "eyes": {"mode": "mother", "weight": 0.5},
    "nose": {"mode": "weight", "weight": 0.8},
    "hair": {"mode": "father", "weight": 0.5},
    "skin": {"mode": "mutate", "weight": 0.5},
}
"""Explicit choices: they win over the case's favoured parent where both name a region."""


@pytest.fixture
def stylegene_workers(redis_server, settings, tmp_path):
    """Workers on a private Redis whose one setting points at a tiny StyleGene checkpoint folder."""
    from tests.genetics.stylegene.conftest import write_tiny_folder

    folder = write_tiny_folder(tmp_path / "checkpoints", declare_configs=True)
    settings.KINSHIP_CHECKPOINT_DIR = str(folder)
    for pool in _workers_with(redis_server, settings, tmp_path, KINSHIP_CHECKPOINT_DIR=str(folder)):
        pool.folder = folder
        yield pool


def _finished(job, workers):
    if not wait_for(lambda: _state(job) in ("succeeded", "failed", "cancelled"), timeout=300):
        pytest.fail(f"job still {job.state} ({job.stage})\n" + workers.output())
    assert job.state == "succeeded", f"{job.error}\n" + workers.output()
    return job


def _state(job) -> str:
    job.refresh_from_db()
    return job.state


def _pixels(job) -> list[tuple[int, int, str]]:
    return list(job.candidates.order_by("index").values_list("index", "seed", "pixels_sha256"))


def test_stylegene_case_job_runs_in_a_worker_and_reruns_identically(stylegene_workers, portraits, client):  # noqa: F811
    from cases.models import AuditAction, AuditEvent, GenerationJob, Role
    from cases.provenance import is_marked_synthetic
    from cases.services.generation.engines import engine_availability
    from genetics.parameters import FAVOURED_REGIONS

    tree = portraits
    assert engine_availability()["stylegene"] is None, "the tiny folder must verify from its own declaration"
    stylegene_workers.start()
    client.force_login(tree.users[Role.CASEWORKER])
    response = client.post(
        reverse("api-case-candidates", kwargs={"tree_id": tree.tree.pk, "case_id": tree.case.pk}),
        {
            "age_groups": ["3-9"],
            "include_age_today": False,
            "per_group": 3,
            "engines": ["stylegene"],
            "params": {"resolution": 32, "seed": 11, "regions": REGIONS},
        },
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    job = _finished(GenerationJob.objects.get(case_generation__case=tree.case), stylegene_workers)

    # The case's favoured parent (the mother, second input) weights the features it covers; the
    # explicit choices replace it on eyes and nose and add hair and skin.
    favoured = {r: {"mode": "weight", "weight": pytest.approx(0.3)} for r in FAVOURED_REGIONS}
    assert job.params["regions"] == {**favoured, **REGIONS}
    assert job.engine == "stylegene" and job.num_candidates == 3
    # Both parents went through the shared input gate, whose facts the job keeps.
    for role in ("father", "mother"):
        facts = job.input_quality[role]
        assert facts["tone"] == "colour" and facts["low_resolution"] is False and len(facts["face_box"]) == 4

    # Stored, and labelled synthetic in the API and in the image files themselves.
    detail = client.get(reverse("api-job-detail", kwargs={"tree_id": tree.tree.pk, "job_id": job.pk})).json()
    assert [c["synthetic"] for c in detail["candidates"]] == [True, True, True]
    for candidate in job.candidates.all():
        with candidate.image.open("rb") as handle:
            png = handle.read()
        assert hashlib.sha256(png).hexdigest() == candidate.image_sha256
        assert is_marked_synthetic(png)
        assert candidate.genes and candidate.seed is not None
    assert len({pixels for _, _, pixels in _pixels(job)}) == 3

    # The audit row names the engine, every checkpoint file's sha256 (the size declaration too)
    # and the seed: enough to reproduce the images.
    event = AuditEvent.objects.get(action=AuditAction.GENERATION_SUCCEEDED, object_id=job.pk)
    folder = stylegene_workers.folder
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert event.payload["engine"] == "stylegene"
    assert event.payload["model_checksums"] == on_disk and "model_configs.json" in on_disk
    assert event.payload["seed"] == job.seed and event.payload["params"]["seed"] == 11
    assert [o["seed"] for o in event.payload["outputs"]] == [seed for _, seed, _ in _pixels(job)]

    # Case material: re-run by the caseworker (the owner may not see case jobs' audit rows).
    response = client.post(reverse("api-audit-rerun", kwargs={"tree_id": tree.tree.pk, "event_id": event.pk}))
    assert response.status_code == 202, response.content
    rerun = _finished(GenerationJob.objects.get(pk=response.json()["id"]), stylegene_workers)
    assert rerun.rerun_of_id == job.pk and rerun.engine == "stylegene"
    assert _pixels(rerun) == _pixels(job)
    assert rerun.model_checksums == job.model_checksums
