"""The worker's run of one generation job: claim, progress, prepare the parents, infer, store.

:func:`generation_run` never holds a transaction or row lock during inference: it claims the job
in one short atomic block, infers outside it, and stores the candidates in a second short block.
Output file names are deterministic, so a job interrupted and run again completes exactly once
with no duplicate candidates.
"""

from __future__ import annotations

import hashlib
import io
import time
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cases.models import AuditAction, Candidate, Face, FaceEncoding, GenerationJob, JobState
from cases.services.audit import audit_record
from cases.services.generation.jobs import generation_audit_inputs, job_finish
from cases.services.generation.recovery import Heartbeat
from cases.services.generation.references import ReferencesUnavailable, generation_references
from cases.services.generation.signing import with_provenance


class JobCancelled(Exception):
    """Raised inside the worker when a user cancelled the running job."""


def generation_run(*, job_id: int) -> str:
    """Run one job (worker side) and return its final state; safe to call again after a crash."""
    job = _claim(job_id)
    if job is None:
        return GenerationJob.objects.get(pk=job_id).state
    started = time.perf_counter()
    try:
        # Inference is one long call with no progress steps: a thread keeps the heartbeat fresh.
        with Heartbeat(job.pk):
            engine, references = engine_for_job(job)
            _progress(job, 0.05, "Preparing the parents' faces")
            father = _prepare_parent(engine, job.father_face, job.father_candidate)
            _progress(job, 0.2, "Preparing the parents' faces")
            mother = _prepare_parent(engine, job.mother_face, job.mother_candidate)
            quality = _input_quality(job, father, mother, references)
            _progress(job, 0.3, f"Generating {job.num_candidates} candidates")
            from genetics.engine import GenerationParams

            params = GenerationParams.from_dict(job.params)
            result = engine.generate(father, mother, params)
            inferred = (
                [p.meta.get("attributes", {}).get("race") for p in (father, mother)]
                if params.infer_ancestry and not params.ancestry
                else []
            )
            _progress(job, 0.85, "Scoring and storing the candidates")
            embeddings = (
                _parent_embedding(job.father_face, job.father_candidate),
                _parent_embedding(job.mother_face, job.mother_candidate),
            )
            outputs = [_candidate_files(job, engine, result, c, embeddings) for c in result.candidates]
    except JobCancelled:
        return _store_cancelled(job)
    except ReferencesUnavailable as error:
        return _store_failure(job, error.message)
    except Exception as error:
        from genetics.errors import GeneticsError

        if isinstance(error, GeneticsError):
            return _store_failure(job, _user_message(error))
        raise
    elapsed = time.perf_counter() - started
    return _store_success(job, result, outputs, elapsed, inferred_ancestry=[r for r in inferred if r], quality=quality)


def engine_for_job(job: GenerationJob) -> tuple[Any, dict[str, Any] | None]:
    """Return the worker's engine for a job and the record of the age references it was given.

    The registry loads each engine once per process. The offline engine learns age appearance
    from reference faces (the setting's CSV plus the tree's own dated photos), which differ per
    tree, so it gets its own instance per job; building one is cheap once the references are
    cached. The record is None for an engine that takes no references.
    """
    from pathlib import Path

    from genetics.registry import get_engine

    name = None if job.engine in ("", "auto") else job.engine
    checkpoint_dir = Path(settings.KINSHIP_CHECKPOINT_DIR) if settings.KINSHIP_CHECKPOINT_DIR else None
    engine = get_engine(name, checkpoint_dir=checkpoint_dir, device=settings.KINSHIP_DEVICE)
    if engine.name != "offline":
        return engine, None
    from genetics.offline import OfflineEngine

    references, record = generation_references(tree=job.tree)
    if references is None:
        return engine, record
    return OfflineEngine(references=references), record


GATE_FIELDS = (
    "face_box",
    "face_side",
    "low_resolution",
    "enlarged",
    "yaw",
    "frontalised",
    "monochrome",
    "tone",
    "tint",
    "detector_score",
    "notes",
    "engine_notes",
)
"""What the input gate says of a prepared parent (genetics.gate.GatedFace.meta), and the engine's
notes on it, that jobs keep."""


def _input_quality(job: GenerationJob, father, mother, references: dict[str, Any] | None) -> dict[str, Any]:
    """Return the job's record of its inputs: the gate's facts per parent, notes for the user, references."""
    quality: dict[str, Any] = {"notes": []}
    # Notes name the parent by position, never by name: viewers who may not see a private parent
    # still read the job.
    for role, label, prepared in (("father", "First parent", father), ("mother", "Second parent", mother)):
        facts = _json_safe({key: prepared.meta[key] for key in GATE_FIELDS if key in prepared.meta})
        quality[role] = facts
        quality["notes"].extend(f"{label}: {note}" for note in prepared.user_notes)
    if references is not None:
        quality["references"] = references
        earlier = (
            GenerationJob.objects.filter(pk=job.rerun_of_id).values_list("input_quality", flat=True).first()
            if job.rerun_of_id
            else None
        )
        # A re-run reads the tree's references as they are now; say so when they are not those of the original.
        if (
            earlier
            and "references" in earlier
            and earlier["references"].get("fingerprint") != references.get("fingerprint")
        ):
            quality["notes"].append(
                f"The age references have changed since job {job.rerun_of_id} (photos added, "
                "removed or re-dated, or a new reference set): these candidates may differ "
                "from that job's."
            )
    return quality


def _claim(job_id: int) -> GenerationJob | None:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.cancel_requested:
            job_finish(job, JobState.CANCELLED, stage="Cancelled")
            return None
        job.state = JobState.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.stage = "Starting"
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["state", "attempts", "started_at", "stage", "heartbeat_at"])
    return GenerationJob.objects.select_related(
        "father_face__photo", "mother_face__photo", "father_candidate", "mother_candidate"
    ).get(pk=job_id)


def _progress(job: GenerationJob, fraction: float, stage: str) -> None:
    if GenerationJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise JobCancelled()
    remaining = None
    if job.started_at and fraction > 0.3:
        spent = (timezone.now() - job.started_at).total_seconds()
        remaining = spent / fraction * (1 - fraction)
    elif job.eta_seconds is not None:
        remaining = job.eta_seconds * (1 - fraction)
    GenerationJob.objects.filter(pk=job.pk).update(
        progress=fraction, stage=stage, eta_seconds=remaining, heartbeat_at=timezone.now()
    )


def _prepare_parent(engine, face: Face | None, candidate: Candidate | None):
    """Return a PreparedParent: from the encoding cache, from an adopted candidate's genes, or encoded now."""
    from genetics.engine import FaceBox, PreparedParent

    if candidate is not None:
        with candidate.genes.open("rb") as handle:
            return PreparedParent.from_bytes(handle.read())
    photo = face.photo
    key = {"photo_sha256": photo.sha256, "box_key": "-".join(map(str, face.box)), "model_key": engine.model_key()}
    cached = FaceEncoding.objects.filter(**key).first()
    if cached is not None and default_storage.exists(cached.data.name):
        with cached.data.open("rb") as handle:
            return PreparedParent.from_bytes(handle.read())
    import numpy as np

    from cases.imaging import image_decode_display

    with photo.original.open("rb") as handle:
        image = image_decode_display(handle.read())
    prepared = engine.prepare_parent(np.asarray(image), face_box=FaceBox(*face.box))
    encoding = cached or FaceEncoding(**key)
    _save_file(encoding.data, encoding, prepared.to_bytes())
    encoding.save()
    return prepared


def _candidate_files(job: GenerationJob, engine, result, candidate, embeddings) -> dict[str, Any]:
    """Encode one candidate: PNG with provenance, genes as a parent-ready encoding, resemblance scores."""
    import numpy as np
    from PIL import Image

    from cases.provenance import fingerprint, watermark
    from genetics import metrics

    # The watermark goes into the stored pixels themselves, so every copy made from them carries it.
    pixels = watermark.watermark_embed(
        np.ascontiguousarray(candidate.image, dtype=np.uint8), key=settings.KINSHIP_WATERMARK_KEY
    )
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    png = with_provenance(buffer.getvalue(), job, result, candidate)
    genes = engine.candidate_as_parent(candidate).to_bytes()
    scores: dict[str, Any] = {"detected_again": False}
    try:
        child_embedding = metrics.embed_image(candidate.image)
        scores["detected_again"] = True
        scores["embedding"] = child_embedding
        if all(e is not None for e in embeddings):
            resemblance = metrics.resemblance(child_embedding, *embeddings)
            scores.update(
                distance_father=resemblance.to_father,
                distance_mother=resemblance.to_mother,
                resemblance_father=resemblance.score_father,
                resemblance_mother=resemblance.score_mother,
            )
    except Exception as error:  # a candidate the detector cannot find again is reported, not fatal
        from genetics.errors import GeneticsError

        if not isinstance(error, GeneticsError):
            raise
    seed = int(candidate.meta.get("seed", job.seed * 1000 + candidate.index))
    return {
        "index": candidate.index,
        "png": png,
        "sha256": hashlib.sha256(png).hexdigest(),
        "pixels_sha256": fingerprint.pixels_sha256(pixels),
        "perceptual_hash": fingerprint.perceptual_hash(pixels),
        "genes": genes,
        "meta": _candidate_meta(candidate.meta),
        "seed": seed,
        **scores,
    }


CANDIDATE_FIELDS = (
    "age_reference",
    "monochrome",
    "tint",
    "hair_style",
    "hair_source",
    "hair_colour_from",
    "hair_colour_stated",
    "crossed",
    "pool_level",
)
"""What the engine says of a candidate (genetics.engine.Candidate.meta) that the app shows and keeps."""


def _candidate_meta(meta: dict[str, Any]) -> dict[str, Any]:
    return _json_safe({key: meta[key] for key in CANDIDATE_FIELDS if key in meta})


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    import json

    # Engine meta may hold numpy scalars, which a JSONField cannot store.
    return json.loads(json.dumps(value, default=lambda item: item.item() if hasattr(item, "item") else str(item)))


def _parent_embedding(face: Face | None, candidate: Candidate | None):
    """Return the 128-D embedding of a parent's face on its photo (or adopted candidate image)."""
    import numpy as np

    from cases.imaging import image_decode_display
    from genetics import metrics
    from genetics.engine import FaceBox
    from genetics.errors import GeneticsError

    source = candidate.image if candidate is not None else face.photo.original
    with source.open("rb") as handle:
        image = np.asarray(image_decode_display(handle.read()))
    try:
        return metrics.embed_image(image, FaceBox(*face.box) if face is not None else None)
    except GeneticsError:
        return None


def _store_success(
    job: GenerationJob,
    result,
    outputs: list[dict[str, Any]],
    elapsed: float,
    *,
    inferred_ancestry: list[str],
    quality: dict[str, Any],
) -> str:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return job.state
        if job.cancel_requested:
            return _store_cancelled(job)
        for output in outputs:
            candidate = Candidate.objects.filter(job=job, index=output["index"]).first() or Candidate(
                job=job, index=output["index"]
            )
            _save_file(candidate.image, candidate, output["png"])
            _save_file(candidate.genes, candidate, output["genes"])
            for field in (
                "seed",
                "detected_again",
                "distance_father",
                "distance_mother",
                "resemblance_father",
                "resemblance_mother",
            ):
                setattr(candidate, field, output.get(field))
            candidate.meta = output["meta"]
            candidate.image_sha256 = output["sha256"]
            candidate.pixels_sha256 = output["pixels_sha256"]
            candidate.perceptual_hash = output["perceptual_hash"]
            candidate.watermarked = True
            found_embedding = output.get("embedding")
            candidate.embedding = [float(x) for x in found_embedding] if found_embedding is not None else None
            candidate.save()
        from genetics import metrics

        found = [o["embedding"] for o in outputs if o.get("embedding") is not None]
        job.diversity = metrics.diversity(found) if len(found) > 1 else None
        job.input_quality = quality
        job.engine_version = result.engine_version
        job.model_checksums = result.model_checksums
        job.timings = {
            **result.timings,
            "total": round(elapsed, 3),
            "per_candidate": round(elapsed / max(len(outputs), 1), 3),
        }
        if job.engine in ("", "auto"):
            job.engine = result.engine
        job_finish(job, JobState.SUCCEEDED, stage="Done")
        if inferred_ancestry:
            audit_record(
                action=AuditAction.ANCESTRY_INFERRED,
                actor=job.requested_by,
                tree_id=job.tree_id,
                object_type="generation_job",
                object_id=job.pk,
                payload={"engine": result.engine, "predicted": inferred_ancestry, "opted_in": True},
            )
        audit_record(
            action=AuditAction.GENERATION_SUCCEEDED,
            actor=job.requested_by,
            tree_id=job.tree_id,
            object_type="generation_job",
            object_id=job.pk,
            payload={
                **generation_audit_inputs(job),
                "engine": result.engine,
                "engine_version": result.engine_version,
                "model_checksums": result.model_checksums,
                "input_quality": quality,
                "outputs": [
                    {"index": o["index"], "sha256": o["sha256"], "pixels_sha256": o["pixels_sha256"], "seed": o["seed"]}
                    for o in outputs
                ],
            },
        )
    return JobState.SUCCEEDED


def _store_failure(job: GenerationJob, message: str) -> str:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return job.state
        job.error = message
        job_finish(job, JobState.FAILED, stage="Failed")
        audit_record(
            action=AuditAction.GENERATION_FAILED,
            actor=job.requested_by,
            tree_id=job.tree_id,
            object_type="generation_job",
            object_id=job.pk,
            payload={**generation_audit_inputs(job), "error": message},
        )
    return JobState.FAILED


def generation_mark_failed(*, job_id: int, message: str) -> None:
    """Mark a job failed after its last retry (called by the task on a transient fault that persisted)."""
    _store_failure(GenerationJob.objects.get(pk=job_id), message)


def _store_cancelled(job: GenerationJob) -> str:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return job.state
        job_finish(job, JobState.CANCELLED, stage="Cancelled")
        audit_record(
            action=AuditAction.GENERATION_CANCELLED,
            actor=job.requested_by,
            tree_id=job.tree_id,
            object_type="generation_job",
            object_id=job.pk,
            payload={"while": "running"},
        )
    return JobState.CANCELLED


def _save_file(field, instance, data: bytes) -> None:
    """Save under the field's deterministic name, replacing what an interrupted attempt left there."""
    name = field.field.generate_filename(instance, "file")
    if default_storage.exists(name):
        default_storage.delete(name)
    field.save(name, ContentFile(data), save=False)


def _user_message(error: Exception) -> str:
    from genetics import errors

    if isinstance(error, errors.FaceError):
        return f"A parent's face could not be used: {error}"
    if isinstance(error, errors.CheckpointError):
        return f"The generation models are not set up correctly: {error}"
    return f"Generation failed: {error}"
