"""Generated candidates after the run: adoption as a portrait, audited access and marked downloads."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput, NotFound
from cases.models import AuditAction, Candidate, ChildLink, Face, Person, Photo
from cases.services.audit import audit_record
from cases.services.generation.signing import provenance_signer
from cases.services.photos import photo_store


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
        photo, _ = photo_store(tree=access.tree, data=data, uploaded_by=access.user, source_candidate=candidate,
                               title=f"Synthetic candidate {candidate.index + 1} of generation job {job.pk}")
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

