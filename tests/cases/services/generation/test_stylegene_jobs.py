"""StyleGene from the app: the dialog's offer, the API's refusal, and real jobs run by the worker task.

The jobs run the app's request and case services, the Celery task (eagerly) and a real
:class:`StyleGeneEngine` on tiny generated checkpoints. A tiny folder is shaped like the release
but holds tiny networks, so the only substitution is the model configuration the loader checks
the files against (the release's sizes are the defaults) and the web check, run in process here
instead of in a child process that could not see that substitution.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case, GenerationJob, JobState
from cases.services.casework import case_candidates_request, case_create
from cases.services.generation import generation_request
from cases.services.generation.engines import EngineNotAvailable, engine_availability

PARAMS = {"num_candidates": 2, "seed": 3, "resolution": 32, "age_group": "3-9", "gender": "female"}


@pytest.fixture
def tiny_stylegene(tmp_path, settings, monkeypatch):
    """Point KINSHIP_CHECKPOINT_DIR at tiny checkpoints the loader accepts."""
    from genetics import registry
    from genetics.stylegene import checkpoints, engine
    from tests.genetics.stylegene.conftest import TINY, write_tiny_folder

    folder = write_tiny_folder(tmp_path / "checkpoints")
    for function in (checkpoints.verify_folder, checkpoints.load_models, engine.StyleGeneEngine.__init__):
        monkeypatch.setitem(function.__kwdefaults__, "configs", TINY)
    monkeypatch.setattr("cases.services.generation.engines.checkpoint_problems_isolated", registry.checkpoint_problems)
    settings.KINSHIP_CHECKPOINT_DIR = str(folder)
    registry.clear_cache()
    checkpoints.clear_model_cache()
    yield folder
    registry.clear_cache()
    checkpoints.clear_model_cache()


def _images(job: GenerationJob) -> list[str]:
    return list(job.candidates.order_by("index").values_list("image_sha256", flat=True))


def test_stylegene_is_offered_only_when_the_folder_verifies(settings, tmp_path, small_tree, client):
    settings.KINSHIP_CHECKPOINT_DIR = ""
    assert "KINSHIP_CHECKPOINT_DIR" in engine_availability()["stylegene"]
    settings.KINSHIP_CHECKPOINT_DIR = str(tmp_path / "absent")
    assert "does not exist" in engine_availability()["stylegene"]
    client.force_login(small_tree.users["owner"])
    family = small_tree.child.parent_links.get().family
    page = client.get(reverse("family-detail", kwargs={"tree_id": small_tree.tree.pk, "family_id": family.pk}))
    html = page.content.decode()
    assert '<option value="stylegene" disabled>StyleGene (not available)</option>' in html
    assert "StyleGene is not available: the checkpoint folder" in html
    response = client.post(
        reverse("api-job-list", kwargs={"tree_id": small_tree.tree.pk}),
        {"family": family.pk, "engine": "stylegene", "params": {}},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["error"] == "engine_unavailable"
    assert "does not exist" in response.json()["detail"]
    assert not GenerationJob.objects.exists()


def test_empty_folder_does_not_verify_and_the_answer_is_cached(settings, tmp_path, monkeypatch):
    from cases.services.generation import engines

    folder = tmp_path / "empty"
    folder.mkdir()
    settings.KINSHIP_CHECKPOINT_DIR = str(folder)
    first = engine_availability()["stylegene"]  # verified in a child process: torch stays out of this one
    assert first and "do not verify" in first
    monkeypatch.setattr(engines, "checkpoint_problems_isolated", lambda folder: pytest.fail("verified twice"))
    assert engine_availability()["stylegene"] == first
    with pytest.raises(EngineNotAvailable, match="StyleGene engine cannot be used here"):
        engines.engine_check(engine="stylegene")


def test_stylegene_job_with_region_choices_runs_through_the_worker(
    tiny_stylegene, couple, client, django_capture_on_commit_callbacks
):
    assert engine_availability()["stylegene"] is None
    client.force_login(couple.users["owner"])
    page = client.get(reverse("family-detail", kwargs={"tree_id": couple.tree.pk, "family_id": couple.family.pk}))
    assert '<option value="stylegene">StyleGene</option>' in page.content.decode()
    regions = {
        "eyes": {"mode": "mother", "weight": 0.5},
        "nose": {"mode": "weight", "weight": 0.8},
        "hair": {"mode": "father", "weight": 0.5},
    }
    with django_capture_on_commit_callbacks(execute=True):
        job = generation_request(
            access=couple.owner_access, family=couple.family, engine="stylegene", params={**PARAMS, "regions": regions}
        )
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.engine == "stylegene" and job.candidates.count() == 2
    assert all(c.image and c.image_sha256 for c in job.candidates.all())
    # The same job without the region choices gives other faces: the choices reached the genes.
    with django_capture_on_commit_callbacks(execute=True):
        plain = generation_request(access=couple.owner_access, family=couple.family, engine="stylegene", params=PARAMS)
    plain.refresh_from_db()
    assert plain.state == JobState.SUCCEEDED, plain.error
    assert set(_images(plain)).isdisjoint(_images(job))


def test_case_with_a_favoured_parent_runs_on_stylegene(tiny_stylegene, couple, django_capture_on_commit_callbacks):
    from cases.access import tree_access_get
    from genetics.parameters import FAVOURED_REGIONS

    access = tree_access_get(user=couple.users["caseworker"], tree_id=couple.tree.pk)
    case = case_create(
        access=access, organisation="Agency", number="SG-1", missing_person=couple.child, favoured_parent=couple.mother
    )
    with django_capture_on_commit_callbacks(execute=True):
        (job,) = case_candidates_request(
            access=access,
            case=Case.objects.get(pk=case.pk),
            age_groups=["3-9"],
            include_age_today=False,
            per_group=1,
            engines=["stylegene"],
            params={"resolution": 32, "seed": 4},
        )
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    # The mother is the second input: each favoured region takes 70 % of her gene.
    assert job.params["regions"] == {
        region: {"mode": "weight", "weight": pytest.approx(0.3)} for region in FAVOURED_REGIONS
    }
    assert len(_images(job)) == 1
