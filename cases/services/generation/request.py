"""Generation requests (web process): the parents, the input-quality gate, queueing, cancel and re-run."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import ApplicationError, Conflict, InvalidInput, NotFound, UnprocessableInput
from cases.models import (
    AuditAction,
    AuditEvent,
    Candidate,
    Case,
    CaseGeneration,
    ChildLink,
    Face,
    Family,
    GenerationJob,
    JobState,
    Person,
)
from cases.models.records import Pedigree
from cases.selectors import age_range_on_photo
from cases.services.audit import audit_record
from cases.services.generation.engines import engine_check
from cases.services.generation.jobs import generation_audit_inputs, job_finish
from cases.services.generation.recovery import generation_is_stale
from cases.services.tasks import GENERATION_RUN, task_enqueue_on_commit
from genetics.parameters import MAX_PARENT_AGE


class QuotaExceeded(ApplicationError):
    status_code = 429
    code = "quota_exceeded"


READ_FROM_PHOTOS: dict[str, Any] = {"hair_colours": ["", ""], "parent_ages": [None, None]}
"""What a job stored before parents' hair colours and ages could be given did: hair read from the
photos, ages unknown.

A re-run keeps it, so it makes the same faces whatever the records say now."""


@dataclass(frozen=True)
class ParentInput:
    """One parent of a job: a chosen face on a photo, or an adopted earlier candidate."""

    person: Person | None
    face: Face | None = None
    candidate: Candidate | None = None
    missing: str = ""
    """Why a stored input (of a re-run) cannot be used any more; empty when it can."""


@dataclass(frozen=True)
class CaseTarget:
    """The missing-person case a job is queued for, and the age it aims at."""

    case: Case
    age_group: str
    is_age_today: bool = False


def generation_parents_for(
    *, access: TreeAccess, family: Family | None = None, child: Person | None = None
) -> tuple[Family, ParentInput, ParentInput]:
    """Return the family and the two parents a job on a family or a child node uses.

    For a child node the family is the child's birth family (synthesis uses birth links only).
    The parents come in :attr:`Family.partners_father_first` order.
    """
    if child is not None:
        access.check_person(child)
        link = ChildLink.objects.filter(child=child, pedigree=Pedigree.BIRTH).select_related("family").first()
        if link is None:
            raise UnprocessableInput(
                f"{child.display_name} has no birth parents recorded; link them to a family first."
            )
        family = link.family
    if family is None:
        raise InvalidInput("Say which family or child the candidates are for.")
    access.check_family(family)
    # Fresh rows: the gate must judge the stored portraits and consent, not a caller's cached objects.
    family = Family.objects.select_related(
        "partner1__portrait_face__photo__source_candidate",
        "partner2__portrait_face__photo__source_candidate",
    ).get(pk=family.pk)
    partners = family.partners_father_first
    if len(partners) != 2:
        raise UnprocessableInput("The family needs two partners recorded before children can be generated.")
    return family, _parent_input(partners[0]), _parent_input(partners[1])


def _parent_input(person: Person) -> ParentInput:
    face = person.portrait_face
    if face is not None and face.photo.is_synthetic and face.photo.source_candidate_id:
        return ParentInput(person=person, candidate=face.photo.source_candidate)
    return ParentInput(person=person, face=face)


def generation_check_inputs(*, access: TreeAccess, parents: list[ParentInput]) -> list[str]:
    """Return what must be fixed before these parents may feed generation (empty when all is well)."""
    from cases.selectors.generation import generation_jobs
    from genetics.faces import MAX_YAW, MIN_FACE_SIDE, estimate_yaw

    problems = []
    for parent in parents:
        name = parent.person.display_name if parent.person else "a parent"
        if parent.person is not None and access.person_private(parent.person):
            problems.append(f"You may not see {name}'s details, so you cannot use their face.")
            continue
        if parent.missing:
            problems.append(parent.missing)
            continue
        if parent.candidate is not None:
            # An adopted candidate carries the likeness of its own job's parents: usable only by whom may see that job.
            if not generation_jobs(access=access).filter(pk=parent.candidate.job_id).exists():
                problems.append(f"The synthetic portrait of {name} comes from a generation you may not see.")
            continue
        face = parent.face
        if face is None:
            problems.append(f"Choose a portrait face for {name} (on their person page) before generating.")
            continue
        photo = face.photo
        title = photo.title or photo.original_name or f"photo {photo.pk}"
        if photo.is_synthetic:
            problems.append(
                f"The portrait of {name} is a synthetic image; a generated person can be a parent "
                "only through an adopted candidate."
            )
            continue
        if not photo.consent_to_generation:
            problems.append(
                f"Record consent for “{title}”: who agreed that this photo of {name} may be used to generate faces."
            )
        side = min(face.right - face.left, face.bottom - face.top)
        if side < MIN_FACE_SIDE:
            problems.append(
                f"The face of {name} on “{title}” is only {side} pixels wide; use a photo where the "
                f"face is at least {MIN_FACE_SIDE} pixels."
            )
        if len(face.landmarks) == 68 and abs(estimate_yaw(face.landmarks)) > MAX_YAW:
            problems.append(
                f"The face of {name} on “{title}” is turned too far from the camera; use a photo "
                "looking towards the camera."
            )
    return problems


def generation_input_notes(*, parents: list[ParentInput]) -> list[str]:
    """Return what the user should know about usable but weak inputs (small faces), before the gate runs."""
    from genetics.gate import LOW_RESOLUTION_SIDE

    notes = []
    # By position, not name: the job is read by viewers who may not see a private parent.
    for label, parent in zip(("First parent", "Second parent"), parents):
        face = parent.face
        if face is None or parent.candidate is not None:
            continue
        side = min(face.right - face.left, face.bottom - face.top)
        if side < LOW_RESOLUTION_SIDE:
            notes.append(
                f"{label}: the face is only {side} pixels across: it will be enlarged, so fine detail "
                "in the candidates is invented rather than inherited."
            )
    return notes


def _age_on_photo(parent: ParentInput) -> int | None:
    """Return the oldest a parent can be on the photo of their face, from the records' dates; None
    when a date is unknown or the parent is an earlier candidate (its age is a band, not a record)."""
    if parent.person is None or parent.face is None:
        return None
    ages = age_range_on_photo(person=parent.person, photo=parent.face.photo)
    return None if ages is None else min(ages[1], MAX_PARENT_AGE)


def generation_request(
    *,
    access: TreeAccess,
    params: dict[str, Any],
    family: Family | None = None,
    child: Person | None = None,
    engine: str = "",
    infer_ancestry: bool = False,
    rerun_of: GenerationJob | None = None,
    inputs: tuple[ParentInput, ParentInput] | None = None,
    case_target: CaseTarget | None = None,
    audit_extra: dict[str, Any] | None = None,
) -> GenerationJob:
    """Check everything, then queue a generation job for a family or a child node.

    Every way of starting a job (the jobs API, the family page, a re-run of a job or of an audit
    row, a case's age candidates) comes here, so each check is made in one place and in one order:
    the generate right, the case (assigned caseworkers only), the relatives scope, hidden parents,
    the parents' faces and consent, the parameters, then the tree's quota. ``inputs`` replaces the
    partners' current portraits with the stored faces or candidates of a re-run.
    """
    from genetics.engine import GenerationParams

    access.require(Capability.GENERATE)
    if case_target is not None:
        access.require_case_work(case_target.case)
    engine = engine or settings.KINSHIP_ENGINE
    engine_check(engine=engine)
    family, father, mother = generation_parents_for(access=access, family=family, child=child)
    if inputs is not None:
        father = replace(inputs[0], person=father.person)
        mother = replace(inputs[1], person=mother.person)
    problems = generation_check_inputs(access=access, parents=[father, mother])
    if problems:
        raise UnprocessableInput(
            "These inputs must be fixed before generating: " + " ".join(problems), extra={"problems": problems}
        )
    values = dict(params)
    values.setdefault("seed", secrets.randbelow(2**31))
    values["infer_ancestry"] = infer_ancestry
    if not values.get("ancestry"):
        values["ancestry"] = sorted({p.person.ancestry for p in (father, mother) if p.person and p.person.ancestry})
    if "hair_colours" not in values:
        values["hair_colours"] = [parent.person.hair_colour if parent.person else "" for parent in (father, mother)]
    if "parent_ages" not in values:
        values["parent_ages"] = [_age_on_photo(parent) for parent in (father, mother)]
    try:
        parsed = GenerationParams.from_dict(values)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"Invalid generation parameters: {error}") from error
    with transaction.atomic():
        waiting = GenerationJob.objects.select_for_update().filter(
            tree=access.tree, state__in=(JobState.QUEUED, JobState.RUNNING)
        )
        if waiting.count() >= settings.KINSHIP_GENERATION_QUEUE_QUOTA:
            raise QuotaExceeded(
                f"This tree already has {settings.KINSHIP_GENERATION_QUEUE_QUOTA} generation jobs "
                "waiting or running; wait for one to finish or cancel one."
            )
        job = GenerationJob.objects.create(
            tree=access.tree,
            family=family,
            child=child,
            father_face=father.face,
            mother_face=mother.face,
            father_candidate=father.candidate,
            mother_candidate=mother.candidate,
            engine=engine,
            params=parsed.to_dict(),
            seed=parsed.seed,
            num_candidates=parsed.num_candidates,
            infer_ancestry=infer_ancestry,
            requested_by=access.user,
            rerun_of=rerun_of,
            eta_seconds=_estimate_seconds(parsed.num_candidates),
            input_quality={"notes": generation_input_notes(parents=[father, mother])},
        )
        if case_target is not None:
            # Created before the audit row so the job is case material (hidden like its case) from the start.
            CaseGeneration.objects.create(
                case=case_target.case, job=job, age_group=case_target.age_group, is_age_today=case_target.is_age_today
            )
        audit_record(
            action=AuditAction.GENERATION_REQUESTED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="generation_job",
            object_id=job.pk,
            payload={**generation_audit_inputs(job), **(audit_extra or {})},
        )
        task_enqueue_on_commit(name=GENERATION_RUN, args=(job.pk,))
    return job


def generation_cancel(*, access: TreeAccess, job: GenerationJob) -> GenerationJob:
    """Cancel a queued job, or one whose worker died, at once; ask a running one to stop at its next stage."""
    access.require(Capability.GENERATE)
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.tree_id != access.tree.pk:
            raise NotFound("No such generation job.")
        if job.is_finished:
            raise Conflict(f"The job has already {job.state}.")
        if job.state == JobState.QUEUED:
            job_finish(job, JobState.CANCELLED, stage="Cancelled before it started")
            audit_record(
                action=AuditAction.GENERATION_CANCELLED,
                actor=access.user,
                tree_id=job.tree_id,
                object_type="generation_job",
                object_id=job.pk,
                payload={"while": "queued"},
            )
        elif generation_is_stale(job=job):
            # No live worker will see the request: finish the cancel here and free the quota slot.
            job_finish(job, JobState.CANCELLED, stage="Cancelled")
            audit_record(
                action=AuditAction.GENERATION_CANCELLED,
                actor=access.user,
                tree_id=job.tree_id,
                object_type="generation_job",
                object_id=job.pk,
                payload={"while": "worker stopped"},
            )
        else:
            job.cancel_requested = True
            job.save(update_fields=["cancel_requested"])
    return job


def generation_rerun(*, access: TreeAccess, job: GenerationJob) -> GenerationJob:
    """Queue a new job with exactly the inputs, parameters and seed of an earlier one (same checks as a new job)."""
    gone = "A parent photo or candidate the earlier job used is gone."
    inputs = tuple(
        ParentInput(person=None, face=face, candidate=candidate, missing="" if face or candidate else gone)
        for face, candidate in ((job.father_face, job.father_candidate), (job.mother_face, job.mother_candidate))
    )
    return generation_request(
        access=access,
        params={**READ_FROM_PHOTOS, **job.params},
        family=job.family if not job.child else None,
        child=job.child,
        engine=job.engine,
        infer_ancestry=job.infer_ancestry,
        rerun_of=job,
        inputs=inputs,
        case_target=_case_target_of(job),
    )


def generation_rerun_from_audit(*, access: TreeAccess, event: AuditEvent) -> GenerationJob:
    """Queue a job rebuilt only from what an audit row stores: inputs by hash and box, parameters, seed, engine.

    It is a request like any other: the same checks, errors and quota as ``POST /jobs/``.
    """
    if not isinstance(event, AuditEvent) or event.action not in (
        AuditAction.GENERATION_REQUESTED,
        AuditAction.GENERATION_SUCCEEDED,
    ):
        raise InvalidInput("Only a generation's audit row can be re-run.")
    if event.tree_id != access.tree.pk:
        raise NotFound("No such audit event in this tree.")
    access.require(Capability.GENERATE)
    payload = event.payload
    original = (
        GenerationJob.objects.filter(tree=access.tree, pk=event.object_id)
        .select_related("case_generation__case")
        .first()
    )
    case_target = _case_target_of(original) if original is not None else None
    if case_target is None and payload.get("case_id"):
        # The job row is gone but its audit row says it was case material: it stays so.
        case = Case.objects.filter(tree=access.tree, pk=payload["case_id"]).first()
        if case is None:
            raise NotFound("No such case in this tree.")
        case_target = CaseTarget(case=case, age_group=payload.get("case_age_group", ""))
    child = Person.objects.filter(tree=access.tree, pk=payload["child_id"]).first() if payload.get("child_id") else None
    family = None
    if child is None:
        family = Family.objects.filter(tree=access.tree, pk=payload.get("family_id") or 0).first()
        if family is None:
            raise NotFound("The family or child this generation was for is no longer in this tree.")
    inputs = (_audited_input(access, payload["father"]), _audited_input(access, payload["mother"]))
    engine = payload.get("engine") or payload.get("engine_requested", "auto")
    return generation_request(
        access=access,
        params={**READ_FROM_PHOTOS, **payload["params"]},
        family=family,
        child=child,
        engine=engine,
        infer_ancestry=payload.get("infer_ancestry", False),
        rerun_of=original,
        inputs=inputs,
        case_target=case_target,
        audit_extra={"rerun_of_audit_event": event.pk},
    )


def _case_target_of(job: GenerationJob) -> CaseTarget | None:
    # A re-run of a case job is case material too: queued for the same case and age, or not at all.
    link = CaseGeneration.objects.filter(job=job).select_related("case").first()
    if link is None:
        return None
    return CaseTarget(case=link.case, age_group=link.age_group, is_age_today=link.is_age_today)


def _audited_input(access: TreeAccess, spec: dict[str, Any]) -> ParentInput:
    if "candidate_id" in spec:
        candidate = Candidate.objects.filter(job__tree=access.tree, image_sha256=spec["candidate_sha256"]).first()
        return ParentInput(
            person=None,
            candidate=candidate,
            missing="" if candidate else "The adopted candidate this generation used no longer exists.",
        )
    left, top, right, bottom = spec["face_box"]
    face = (
        Face.objects.filter(
            photo__tree=access.tree, photo__sha256=spec["photo_sha256"], left=left, top=top, right=right, bottom=bottom
        )
        .select_related("photo")
        .first()
    )
    return ParentInput(
        person=None,
        face=face,
        missing="" if face else "A parent photo this generation used (by its sha256 and face box) is gone.",
    )


def _estimate_seconds(count: int) -> float | None:
    recent = (
        GenerationJob.objects.filter(state=JobState.SUCCEEDED)
        .order_by("-finished_at")
        .values_list("timings", flat=True)[:20]
    )
    per_candidate = [t["per_candidate"] for t in recent if isinstance(t, dict) and "per_candidate" in t]
    return sum(per_candidate) / len(per_candidate) * count if per_candidate else None
