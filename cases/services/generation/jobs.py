"""What the request and the worker side share: a job's audit payload and its final state change."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cases.models import Candidate, CaseGeneration, Face, GenerationJob, JobState


def generation_audit_inputs(job: GenerationJob) -> dict[str, Any]:
    """Return everything needed to reproduce a job: node, inputs by hash and box, parameters, seed."""

    def parent(face: Face | None, candidate: Candidate | None) -> dict[str, Any]:
        if candidate is not None:
            return {"candidate_id": candidate.pk, "candidate_sha256": candidate.image_sha256}
        return {"photo_id": face.photo_id, "photo_sha256": face.photo.sha256, "face_id": face.pk, "face_box": face.box}

    inputs = {
        "family_id": job.family_id,
        "child_id": job.child_id,
        "father": parent(job.father_face, job.father_candidate),
        "mother": parent(job.mother_face, job.mother_candidate),
        "engine_requested": job.engine,
        "params": job.params,
        "seed": job.seed,
        "infer_ancestry": job.infer_ancestry,
        "rerun_of": job.rerun_of_id,
    }
    # A case job's row says so: re-run from the trail alone, it stays case material.
    link = CaseGeneration.objects.filter(job_id=job.pk).values("case_id", "age_group").first()
    if link is not None:
        inputs.update(case_id=link["case_id"], case_age_group=link["age_group"])
    return inputs


def job_finish(job: GenerationJob, state: str, *, stage: str) -> None:
    """Move a job (locked by the caller) to a final state and save it."""
    job.state = state
    job.stage = stage
    job.finished_at = timezone.now()
    if state == JobState.SUCCEEDED:
        job.progress = 1.0
    job.eta_seconds = None
    job.save()
