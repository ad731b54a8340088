"""Generated candidates after the run: adoption as a portrait, audited access and marked downloads."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput, NotFound
from cases.models import AuditAction, Candidate, ChildLink, Face, Person, Photo
from cases.services.audit import access_log_record, audit_record
from cases.services.generation.signing import provenance_signer
from cases.services.photos import photo_store


def candidate_adopt(
    *,
    access: TreeAccess,
    candidate: Candidate,
    person: Person,
    confirm_person_name: str = "",
) -> Photo:
    """Make a candidate the portrait of a child; it stays marked synthetic, and the adoption can be undone.

    A hypothetical child adopts directly. A real person (who may be living, or missing) adopts only
    when ``confirm_person_name`` repeats their displayed name: a synthetic face standing for a real
    person is a decision to take deliberately, and the audit trail records who confirmed it.
    """
    access.require(Capability.EDIT)
    access.check_person(person)
    confirmed = " ".join(confirm_person_name.split())
    if not person.is_hypothetical and confirmed.casefold() != person.display_name.casefold():
        raise InvalidInput(
            f"{person.display_name} is a real person, not a hypothetical child. To make a synthetic face their "
            f"portrait, confirm by typing their name exactly as shown: {person.display_name}.",
            extra={"confirm_person_name": person.display_name},
        )
    job = candidate.job
    if job.tree_id != access.tree.pk:
        raise NotFound("No such candidate.")
    allowed = (
        {job.child_id}
        if job.child_id
        else set(ChildLink.objects.filter(family_id=job.family_id).values_list("child_id", flat=True))
    )
    if person.pk not in allowed:
        raise InvalidInput(f"{person.display_name} is not a child of the family these candidates were made for.")
    with candidate.image.open("rb") as handle:
        data = handle.read()
    with transaction.atomic():
        photo, _ = photo_store(
            tree=access.tree,
            data=data,
            uploaded_by=access.user,
            source_candidate=candidate,
            title=f"Synthetic candidate {candidate.index + 1} of generation job {job.pk}",
        )
        previous_face_id = person.portrait_face_id
        photo.persons.add(person)
        face = photo.faces.first() or Face.objects.create(
            photo=photo, left=0, top=0, right=photo.width, bottom=photo.height, person=person
        )
        if face.person_id != person.pk:
            face.person = person
            face.save(update_fields=["person"])
        person.portrait_face = face
        person.save(update_fields=["portrait_face", "updated_at"])
        audit_record(
            action=AuditAction.CANDIDATE_ADOPTED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="candidate",
            object_id=candidate.pk,
            payload={
                "person_id": person.pk,
                "job_id": job.pk,
                "sha256": candidate.image_sha256,
                "hypothetical": person.is_hypothetical,
                "previous_portrait_face_id": previous_face_id,
                "confirmed_name": "" if person.is_hypothetical else confirmed,
            },
        )
    return photo


def candidate_adoption_undo(*, access: TreeAccess, person: Person) -> Person:
    """Undo the adoption behind a person's synthetic portrait: restore the portrait they had before."""
    from cases.errors import Conflict
    from cases.models import AuditEvent

    access.require(Capability.EDIT)
    access.check_person(person)
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("portrait_face__photo").get(pk=person.pk)
        portrait = person.portrait_face
        if portrait is None or not portrait.photo.is_synthetic:
            raise Conflict(f"{person.display_name}'s portrait is not an adopted synthetic candidate.")
        adoption = (
            AuditEvent.objects.filter(
                tree_id=access.tree.pk,
                action=AuditAction.CANDIDATE_ADOPTED,
                payload__person_id=person.pk,
                object_id=portrait.photo.source_candidate_id,
            )
            .order_by("-pk")
            .first()
        )
        previous_id = adoption.payload.get("previous_portrait_face_id") if adoption else None
        previous = Face.objects.filter(pk=previous_id, photo__tree=access.tree).first() if previous_id else None
        if previous is not None and previous.person_id not in (None, person.pk):
            previous = None  # the old face now belongs to someone else: leave no portrait rather than a wrong one
        person.portrait_face = previous
        person.save(update_fields=["portrait_face", "updated_at"])
        portrait.photo.faces.filter(person=person).update(person=None)
        portrait.photo.persons.remove(person)
        audit_record(
            action=AuditAction.CANDIDATE_ADOPTION_UNDONE,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="candidate",
            object_id=portrait.photo.source_candidate_id,
            payload={
                "person_id": person.pk,
                "photo_id": portrait.photo_id,
                "restored_portrait_face_id": previous.pk if previous else None,
                "adoption_event_id": adoption.pk if adoption else None,
            },
        )
    return person


def candidate_record_access(*, access: TreeAccess, candidate: Candidate, action: str) -> None:
    """Audit that a user viewed or downloaded a synthetic image."""
    audit_record(
        action=action,
        actor=access.user,
        tree_id=access.tree.pk,
        object_type="candidate",
        object_id=candidate.pk,
        payload={"job_id": candidate.job_id, "sha256": candidate.image_sha256},
    )


def candidate_record_thumbnail_view(*, access: TreeAccess, candidate: Candidate) -> None:
    """Log a routine in-page view of a synthetic image in the access log, apart from the audit trail."""
    access_log_record(actor=access.user, tree_id=access.tree.pk, object_type="candidate", object_id=candidate.pk)


def candidate_download_bytes(*, candidate: Candidate, marked: bool = True) -> bytes:
    """Return the candidate's PNG for download, with the visible "synthetic" mark unless disabled."""
    from cases import provenance

    with candidate.image.open("rb") as handle:
        data = handle.read()
    if not marked:
        return data
    return provenance.mark_keeping_provenance(
        data, placement=settings.KINSHIP_SYNTHETIC_MARK_PLACEMENT, signer=provenance_signer()
    )
