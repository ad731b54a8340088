"""Generation jobs: the input-quality gate, queueing, the worker's run, cancel, re-run and adoption.

The worker side (:func:`generation_run`) never holds a transaction or row lock during inference:
it claims the job in one short atomic block, infers outside it, and stores the candidates in a
second short block. Output file names are deterministic, so a job interrupted and run again
completes exactly once with no duplicate candidates.
"""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cases.access import Capability, TreeAccess
from cases.errors import ApplicationError, Conflict, InvalidInput, NotFound, UnprocessableInput
from cases.models import (
    AuditAction,
    Candidate,
    ChildLink,
    Face,
    FaceEncoding,
    Family,
    GenerationJob,
    JobState,
    Person,
    Photo,
)
from cases.models.records import Pedigree
from cases.services.audit import audit_record

logger = logging.getLogger(__name__)

MIN_PARENT_FACE_SIDE = 64
"""Smallest face box side (pixels on the photo) accepted as a generation parent."""


class QuotaExceeded(ApplicationError):
    status_code = 429
    code = "quota_exceeded"


class JobCancelled(Exception):
    """Raised inside the worker when a user cancelled the running job."""


@dataclass(frozen=True)
class ParentInput:
    """One parent of a job: a chosen face on a photo, or an adopted earlier candidate."""

    person: Person | None
    face: Face | None = None
    candidate: Candidate | None = None


# --- request side (web process) -------------------------------------------------------------------------------


def generation_parents_for(*, access: TreeAccess, family: Family | None = None,
                           child: Person | None = None) -> tuple[Family, ParentInput, ParentInput]:
    """Return the family and the two parents a job on a family or a child node uses.

    For a child node the family is the child's birth family (synthesis uses birth links only).
    The partner recorded as male is the "father" input, the other the "mother"; without recorded
    sexes, partner 1 and partner 2 in that order.
    """
    if child is not None:
        access.check_person(child)
        link = ChildLink.objects.filter(child=child, pedigree=Pedigree.BIRTH).select_related("family").first()
        if link is None:
            raise UnprocessableInput(f"{child.display_name} has no birth parents recorded; link them to a family first.")
        family = link.family
    if family is None:
        raise InvalidInput("Say which family or child the candidates are for.")
    access.check_family(family)
    # Fresh rows: the gate must judge the stored portraits and consent, not a caller's cached objects.
    family = Family.objects.select_related(
        "partner1__portrait_face__photo__source_candidate", "partner2__portrait_face__photo__source_candidate",
    ).get(pk=family.pk)
    partners = [p for p in (family.partner1, family.partner2) if p is not None]
    if len(partners) != 2:
        raise UnprocessableInput("The family needs two partners recorded before children can be generated.")
    if partners[0].sex == "F" or partners[1].sex == "M":
        partners.reverse()
    return family, _parent_input(partners[0]), _parent_input(partners[1])


def _parent_input(person: Person) -> ParentInput:
    face = person.portrait_face
    if face is not None and face.photo.is_synthetic and face.photo.source_candidate_id:
        return ParentInput(person=person, candidate=face.photo.source_candidate)
    return ParentInput(person=person, face=face)


def generation_check_inputs(*, access: TreeAccess, parents: list[ParentInput]) -> list[str]:
    """Return what must be fixed before these parents may feed generation (empty when all is well)."""
    from genetics.faces import MAX_YAW, estimate_yaw

    problems = []
    for parent in parents:
        name = parent.person.display_name if parent.person else "a parent"
        if parent.person is not None and access.person_private(parent.person):
            problems.append(f"You may not see {name}'s details, so you cannot use their face.")
            continue
        if parent.candidate is not None:
            continue
        face = parent.face
        if face is None:
            problems.append(f"Choose a portrait face for {name} (on their person page) before generating.")
            continue
        photo = face.photo
        title = photo.title or photo.original_name or f"photo {photo.pk}"
        if photo.is_synthetic:
            problems.append(f"The portrait of {name} is a synthetic image; a generated person can be a parent "
                            "only through an adopted candidate.")
            continue
        if not photo.consent_to_generation:
            problems.append(f"Record consent for “{title}”: who agreed that this photo of {name} may be used "
                            "to generate faces.")
        side = min(face.right - face.left, face.bottom - face.top)
        if side < MIN_PARENT_FACE_SIDE:
            problems.append(f"The face of {name} on “{title}” is only {side} pixels wide; use a photo where the "
                            f"face is at least {MIN_PARENT_FACE_SIDE} pixels.")
        if len(face.landmarks) == 68 and abs(estimate_yaw(face.landmarks)) > MAX_YAW:
            problems.append(f"The face of {name} on “{title}” is turned too far from the camera; use a photo "
                            "looking towards the camera.")
    return problems


def generation_request(
    *, access: TreeAccess, params: dict[str, Any], family: Family | None = None, child: Person | None = None,
    engine: str = "", infer_ancestry: bool = False, rerun_of: GenerationJob | None = None,
) -> GenerationJob:
    """Check the inputs, then queue a generation job for a family or a child node."""
    from genetics.engine import GenerationParams

    access.require(Capability.GENERATE)
    family, father, mother = generation_parents_for(access=access, family=family, child=child)
    problems = generation_check_inputs(access=access, parents=[father, mother])
    if problems:
        raise UnprocessableInput("These inputs must be fixed before generating: " + " ".join(problems),
                                 extra={"problems": problems})
    values = dict(params)
    values.setdefault("seed", secrets.randbelow(2**31))
    values["infer_ancestry"] = infer_ancestry
    if not values.get("ancestry"):
        values["ancestry"] = sorted({p.person.ancestry for p in (father, mother) if p.person and p.person.ancestry})
    try:
        parsed = GenerationParams.from_dict(values)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"Invalid generation parameters: {error}") from error
    with transaction.atomic():
        waiting = GenerationJob.objects.select_for_update().filter(
            tree=access.tree, state__in=(JobState.QUEUED, JobState.RUNNING))
        if waiting.count() >= settings.KINSHIP_GENERATION_QUEUE_QUOTA:
            raise QuotaExceeded(f"This tree already has {settings.KINSHIP_GENERATION_QUEUE_QUOTA} generation jobs "
                                "waiting or running; wait for one to finish or cancel one.")
        job = GenerationJob.objects.create(
            tree=access.tree, family=family, child=child, father_face=father.face, mother_face=mother.face,
            father_candidate=father.candidate, mother_candidate=mother.candidate,
            engine=engine or settings.KINSHIP_ENGINE, params=parsed.to_dict(), seed=parsed.seed,
            num_candidates=parsed.num_candidates, infer_ancestry=infer_ancestry, requested_by=access.user,
            rerun_of=rerun_of, eta_seconds=_estimate_seconds(parsed.num_candidates),
        )
        audit_record(action=AuditAction.GENERATION_REQUESTED, actor=access.user, tree_id=access.tree.pk,
                     object_type="generation_job", object_id=job.pk, payload=generation_audit_inputs(job))
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def generation_audit_inputs(job: GenerationJob) -> dict[str, Any]:
    """Return everything needed to reproduce a job: node, inputs by hash and box, parameters, seed."""
    def parent(face: Face | None, candidate: Candidate | None) -> dict[str, Any]:
        if candidate is not None:
            return {"candidate_id": candidate.pk, "candidate_sha256": candidate.image_sha256}
        return {"photo_id": face.photo_id, "photo_sha256": face.photo.sha256, "face_id": face.pk, "face_box": face.box}

    return {
        "family_id": job.family_id, "child_id": job.child_id,
        "father": parent(job.father_face, job.father_candidate),
        "mother": parent(job.mother_face, job.mother_candidate),
        "engine_requested": job.engine, "params": job.params, "seed": job.seed,
        "infer_ancestry": job.infer_ancestry, "rerun_of": job.rerun_of_id,
    }


def generation_cancel(*, access: TreeAccess, job: GenerationJob) -> GenerationJob:
    """Cancel a queued job at once, or ask a running one to stop at its next stage."""
    access.require(Capability.GENERATE)
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.tree_id != access.tree.pk:
            raise NotFound("No such generation job.")
        if job.is_finished:
            raise Conflict(f"The job has already {job.state}.")
        if job.state == JobState.QUEUED:
            _finish(job, JobState.CANCELLED, stage="Cancelled before it started")
            audit_record(action=AuditAction.GENERATION_CANCELLED, actor=access.user, tree_id=job.tree_id,
                         object_type="generation_job", object_id=job.pk, payload={"while": "queued"})
        else:
            job.cancel_requested = True
            job.save(update_fields=["cancel_requested"])
    return job


def generation_rerun(*, access: TreeAccess, job: GenerationJob) -> GenerationJob:
    """Queue a new job with exactly the inputs, parameters and seed of an earlier one."""
    return generation_request(access=access, params=job.params, family=job.family if not job.child else None,
                              child=job.child, engine=job.engine, infer_ancestry=job.infer_ancestry, rerun_of=job)


def generation_rerun_from_audit(*, access: TreeAccess, event) -> GenerationJob:
    """Queue a job rebuilt only from what an audit row stores: inputs by hash and box, parameters, seed, engine."""
    from cases.models import AuditEvent

    if not isinstance(event, AuditEvent) or event.action not in (AuditAction.GENERATION_REQUESTED,
                                                                AuditAction.GENERATION_SUCCEEDED):
        raise InvalidInput("Only a generation's audit row can be re-run.")
    if event.tree_id != access.tree.pk:
        raise NotFound("No such audit event in this tree.")
    payload = event.payload
    access.require(Capability.GENERATE)

    def parent(spec: dict[str, Any]) -> tuple[Face | None, Candidate | None]:
        if "candidate_id" in spec:
            candidate = Candidate.objects.filter(job__tree=access.tree, image_sha256=spec["candidate_sha256"]).first()
            if candidate is None:
                raise UnprocessableInput("The adopted candidate this generation used no longer exists.")
            return None, candidate
        face = Face.objects.filter(photo__tree=access.tree, photo__sha256=spec["photo_sha256"],
                                   left=spec["face_box"][0], top=spec["face_box"][1], right=spec["face_box"][2],
                                   bottom=spec["face_box"][3]).select_related("photo").first()
        if face is None:
            raise UnprocessableInput("A parent photo this generation used (by its sha256 and face box) is gone.")
        return face, None

    father_face, father_candidate = parent(payload["father"])
    mother_face, mother_candidate = parent(payload["mother"])
    engine = payload.get("engine") or payload.get("engine_requested", "auto")
    with transaction.atomic():
        job = GenerationJob.objects.create(
            tree=access.tree, family_id=payload.get("family_id"), child_id=payload.get("child_id"),
            father_face=father_face, mother_face=mother_face, father_candidate=father_candidate,
            mother_candidate=mother_candidate, engine=engine, params=payload["params"], seed=payload["seed"],
            num_candidates=payload["params"]["num_candidates"], infer_ancestry=payload.get("infer_ancestry", False),
            requested_by=access.user, rerun_of_id=event.object_id,
        )
        audit_record(action=AuditAction.GENERATION_REQUESTED, actor=access.user, tree_id=access.tree.pk,
                     object_type="generation_job", object_id=job.pk,
                     payload={**generation_audit_inputs(job), "rerun_of_audit_event": event.pk})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from workers.tasks.generation import generation_run_task

    generation_run_task.delay(job_id)


def _estimate_seconds(count: int) -> float | None:
    recent = GenerationJob.objects.filter(state=JobState.SUCCEEDED).order_by("-finished_at") \
        .values_list("timings", flat=True)[:20]
    per_candidate = [t["per_candidate"] for t in recent if isinstance(t, dict) and "per_candidate" in t]
    return sum(per_candidate) / len(per_candidate) * count if per_candidate else None


# --- worker side -------------------------------------------------------------------------------------------------


def generation_run(*, job_id: int) -> str:
    """Run one job (worker side) and return its final state; safe to call again after a crash."""
    job = _claim(job_id)
    if job is None:
        return GenerationJob.objects.get(pk=job_id).state
    started = time.perf_counter()
    try:
        engine = engine_for_job(job)
        _progress(job, 0.05, "Preparing the parents' faces")
        father = _prepare_parent(engine, job.father_face, job.father_candidate)
        _progress(job, 0.2, "Preparing the parents' faces")
        mother = _prepare_parent(engine, job.mother_face, job.mother_candidate)
        _progress(job, 0.3, f"Generating {job.num_candidates} candidates")
        from genetics.engine import GenerationParams

        params = GenerationParams.from_dict(job.params)
        result = engine.generate(father, mother, params)
        inferred = [p.meta.get("attributes", {}).get("race") for p in (father, mother)] \
            if params.infer_ancestry and not params.ancestry else []
        _progress(job, 0.85, "Scoring and storing the candidates")
        embeddings = (_parent_embedding(job.father_face, job.father_candidate),
                      _parent_embedding(job.mother_face, job.mother_candidate))
        outputs = [_candidate_files(job, engine, result, c, embeddings) for c in result.candidates]
    except JobCancelled:
        return _store_cancelled(job)
    except Exception as error:
        from genetics.errors import GeneticsError

        if isinstance(error, GeneticsError):
            return _store_failure(job, _user_message(error))
        raise
    elapsed = time.perf_counter() - started
    return _store_success(job, result, outputs, elapsed, inferred_ancestry=[r for r in inferred if r])


def engine_for_job(job: GenerationJob):
    """Return the worker's engine for a job (loaded once per process by the registry)."""
    from pathlib import Path

    from genetics.registry import get_engine

    name = None if job.engine in ("", "auto") else job.engine
    checkpoint_dir = Path(settings.KINSHIP_CHECKPOINT_DIR) if settings.KINSHIP_CHECKPOINT_DIR else None
    return get_engine(name, checkpoint_dir=checkpoint_dir, device=settings.KINSHIP_DEVICE)


def _claim(job_id: int) -> GenerationJob | None:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.cancel_requested:
            _finish(job, JobState.CANCELLED, stage="Cancelled")
            return None
        job.state = JobState.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.stage = "Starting"
        job.save(update_fields=["state", "attempts", "started_at", "stage"])
    return GenerationJob.objects.select_related(
        "father_face__photo", "mother_face__photo", "father_candidate", "mother_candidate").get(pk=job_id)


def _progress(job: GenerationJob, fraction: float, stage: str) -> None:
    if GenerationJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise JobCancelled()
    remaining = None
    if job.started_at and fraction > 0.3:
        spent = (timezone.now() - job.started_at).total_seconds()
        remaining = spent / fraction * (1 - fraction)
    elif job.eta_seconds is not None:
        remaining = job.eta_seconds * (1 - fraction)
    GenerationJob.objects.filter(pk=job.pk).update(progress=fraction, stage=stage, eta_seconds=remaining)


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

    from genetics import metrics

    buffer = io.BytesIO()
    Image.fromarray(candidate.image).save(buffer, format="PNG")
    png = _with_provenance(buffer.getvalue(), job, result, candidate)
    genes = engine.candidate_as_parent(candidate).to_bytes()
    scores: dict[str, Any] = {"detected_again": False}
    try:
        child_embedding = metrics.embed_image(candidate.image)
        scores["detected_again"] = True
        scores["embedding"] = child_embedding
        if all(e is not None for e in embeddings):
            resemblance = metrics.resemblance(child_embedding, *embeddings)
            scores.update(distance_father=resemblance.to_father, distance_mother=resemblance.to_mother,
                          resemblance_father=resemblance.score_father, resemblance_mother=resemblance.score_mother)
    except Exception as error:  # a candidate the detector cannot find again is reported, not fatal
        from genetics.errors import GeneticsError

        if not isinstance(error, GeneticsError):
            raise
    seed = int(candidate.meta.get("seed", job.seed * 1000 + candidate.index))
    pixels = hashlib.sha256(np.ascontiguousarray(candidate.image).tobytes()).hexdigest()
    return {"index": candidate.index, "png": png, "sha256": hashlib.sha256(png).hexdigest(),
            "pixels_sha256": pixels, "genes": genes,
            "seed": seed, **scores}


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


def _with_provenance(png: bytes, job: GenerationJob, result, candidate) -> bytes:
    from cases import provenance

    info = provenance.ProvenanceInfo(
        engine_name=result.engine, engine_version=result.engine_version, model_checksums=result.model_checksums,
        job_reference=f"kinship-generation-job-{job.pk}", seed=job.seed,
        parameters={**job.params, "candidate_index": candidate.index}, created_at=timezone.now(),
        parents=_ingredients(job),
    )
    return provenance.embed_provenance(png, info, signer=provenance_signer())


def provenance_signer():
    """Return the C2PA signer: the configured key, or in the embedded default a local self-signed one.

    The embedded default's key is made once under the data directory so a fresh install still
    writes content credentials; readers report its signer as untrusted, which is honest. In
    production without a configured key, images carry the XMP marks only.
    """
    from pathlib import Path

    from cases import provenance

    cert, key, alg = settings.KINSHIP_C2PA_CERT, settings.KINSHIP_C2PA_KEY, settings.KINSHIP_C2PA_ALG
    if not (cert and key):
        if settings.PRODUCTION:
            return None
        folder = Path(settings.DATA_DIR) / "c2pa-local-signer"
        cert, key = folder / "chain.pem", folder / "key.pem"
        if not (cert.exists() and key.exists()):
            folder.mkdir(parents=True, exist_ok=True)
            cert, key = provenance.make_test_signing_key(folder)
        alg = "es256"
    return provenance.signer_from_files(cert, key, alg)


def _ingredients(job: GenerationJob) -> list:
    from cases import provenance

    items = []
    for face, candidate in ((job.father_face, job.father_candidate), (job.mother_face, job.mother_candidate)):
        if candidate is not None:
            items.append(provenance.ParentIngredient(title=f"Synthetic candidate {candidate.pk}",
                                                     sha256=candidate.image_sha256))
        else:
            items.append(provenance.ParentIngredient(
                title=face.photo.title or face.photo.original_name or "parent photo", sha256=face.photo.sha256))
    return items


def _store_success(job: GenerationJob, result, outputs: list[dict[str, Any]], elapsed: float, *,
                   inferred_ancestry: list[str]) -> str:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return job.state
        if job.cancel_requested:
            return _store_cancelled(job)
        for output in outputs:
            candidate = Candidate.objects.filter(job=job, index=output["index"]).first() or \
                Candidate(job=job, index=output["index"])
            _save_file(candidate.image, candidate, output["png"])
            _save_file(candidate.genes, candidate, output["genes"])
            for field in ("seed", "detected_again", "distance_father", "distance_mother", "resemblance_father",
                          "resemblance_mother"):
                setattr(candidate, field, output.get(field))
            candidate.image_sha256 = output["sha256"]
            candidate.pixels_sha256 = output["pixels_sha256"]
            candidate.save()
        from genetics import metrics

        found = [o["embedding"] for o in outputs if o.get("embedding") is not None]
        job.diversity = metrics.diversity(found) if len(found) > 1 else None
        job.engine_version = result.engine_version
        job.model_checksums = result.model_checksums
        job.timings = {**result.timings, "total": round(elapsed, 3),
                       "per_candidate": round(elapsed / max(len(outputs), 1), 3)}
        if job.engine in ("", "auto"):
            job.engine = result.engine
        _finish(job, JobState.SUCCEEDED, stage="Done")
        if inferred_ancestry:
            audit_record(action=AuditAction.ANCESTRY_INFERRED, actor=job.requested_by, tree_id=job.tree_id,
                         object_type="generation_job", object_id=job.pk,
                         payload={"engine": result.engine, "predicted": inferred_ancestry, "opted_in": True})
        audit_record(
            action=AuditAction.GENERATION_SUCCEEDED, actor=job.requested_by, tree_id=job.tree_id,
            object_type="generation_job", object_id=job.pk,
            payload={**generation_audit_inputs(job), "engine": result.engine, "engine_version": result.engine_version,
                     "model_checksums": result.model_checksums,
                     "outputs": [{"index": o["index"], "sha256": o["sha256"], "pixels_sha256": o["pixels_sha256"],
                                 "seed": o["seed"]} for o in outputs]},
        )
    return JobState.SUCCEEDED


def _store_failure(job: GenerationJob, message: str) -> str:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return job.state
        job.error = message
        _finish(job, JobState.FAILED, stage="Failed")
        audit_record(action=AuditAction.GENERATION_FAILED, actor=job.requested_by, tree_id=job.tree_id,
                     object_type="generation_job", object_id=job.pk,
                     payload={**generation_audit_inputs(job), "error": message})
    return JobState.FAILED


def generation_mark_failed(*, job_id: int, message: str) -> None:
    """Mark a job failed after its last retry (called by the task on a transient fault that persisted)."""
    _store_failure(GenerationJob.objects.get(pk=job_id), message)


def _store_cancelled(job: GenerationJob) -> str:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return job.state
        _finish(job, JobState.CANCELLED, stage="Cancelled")
        audit_record(action=AuditAction.GENERATION_CANCELLED, actor=job.requested_by, tree_id=job.tree_id,
                     object_type="generation_job", object_id=job.pk, payload={"while": "running"})
    return JobState.CANCELLED


def _finish(job: GenerationJob, state: str, *, stage: str) -> None:
    job.state = state
    job.stage = stage
    job.finished_at = timezone.now()
    if state == JobState.SUCCEEDED:
        job.progress = 1.0
    job.eta_seconds = None
    job.save()


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


# --- candidates --------------------------------------------------------------------------------------------------


def candidate_adopt(*, access: TreeAccess, candidate: Candidate, person: Person) -> Photo:
    """Make a candidate the portrait of a (hypothetical or real) child; it stays marked synthetic."""
    access.require(Capability.EDIT)
    access.check_person(person)
    job = candidate.job
    if job.tree_id != access.tree.pk:
        raise NotFound("No such candidate.")
    allowed = {job.child_id} if job.child_id else set(
        ChildLink.objects.filter(family_id=job.family_id).values_list("child_id", flat=True))
    if person.pk not in allowed:
        raise InvalidInput(f"{person.display_name} is not a child of the family these candidates were made for.")
    with candidate.image.open("rb") as handle:
        data = handle.read()
    with transaction.atomic():
        photo = Photo.objects.filter(tree=access.tree, sha256=candidate.image_sha256).first()
        if photo is None:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
            photo = Photo(tree=access.tree, sha256=candidate.image_sha256, image_format="PNG", byte_size=len(data),
                          width=width, height=height, is_synthetic=True, source_candidate=candidate,
                          title=f"Synthetic candidate {candidate.index + 1} of generation job {job.pk}",
                          uploaded_by=access.user, detection_status="done")
            photo.original.save("original", ContentFile(data), save=False)
            photo.thumbnail.save("thumbnail", ContentFile(_thumbnail(data)), save=False)
            photo.save()
        photo.persons.add(person)
        face = photo.faces.first() or Face.objects.create(photo=photo, left=0, top=0, right=photo.width,
                                                          bottom=photo.height, person=person)
        if face.person_id != person.pk:
            face.person = person
            face.save(update_fields=["person"])
        person.portrait_face = face
        person.save(update_fields=["portrait_face", "updated_at"])
        audit_record(action=AuditAction.CANDIDATE_ADOPTED, actor=access.user, tree_id=access.tree.pk,
                     object_type="candidate", object_id=candidate.pk,
                     payload={"person_id": person.pk, "job_id": job.pk, "sha256": candidate.image_sha256})
    return photo


def candidate_record_access(*, access: TreeAccess, candidate: Candidate, action: str) -> None:
    """Audit that a user viewed or downloaded a synthetic image."""
    audit_record(action=action, actor=access.user, tree_id=access.tree.pk, object_type="candidate",
                 object_id=candidate.pk, payload={"job_id": candidate.job_id, "sha256": candidate.image_sha256})


def candidate_download_bytes(*, candidate: Candidate, marked: bool = True) -> bytes:
    """Return the candidate's PNG for download, with the visible "synthetic" mark unless disabled."""
    from cases import provenance

    with candidate.image.open("rb") as handle:
        data = handle.read()
    if not marked:
        return data
    stamped = provenance.apply_visible_mark(data, placement=settings.KINSHIP_SYNTHETIC_MARK_PLACEMENT)
    info = provenance.read_provenance(data).info
    return provenance.embed_provenance(stamped, info, signer=provenance_signer()) if info else stamped


def _thumbnail(data: bytes) -> bytes:
    from cases.imaging import image_thumbnail_jpeg

    return image_thumbnail_jpeg(data, size=settings.KINSHIP_THUMBNAIL_SIZE)

