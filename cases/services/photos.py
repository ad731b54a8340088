"""Photo uploads (checked, hashed, stored untouched), face detection and choosing faces."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, NotFound, RejectedUpload
from cases.imaging import ImageRejected, image_decode_display, image_inspect, image_thumbnail_jpeg
from cases.models import Face, Person, Photo
from cases.models.photos import DetectionStatus
from cases.services.dates import stored_date

logger = logging.getLogger(__name__)


def photo_upload(
    *, access: TreeAccess, data: bytes, original_name: str = "", persons: Iterable[Person] = (),
    title: str = "", date_taken: str = "",
) -> Photo:
    """Store an uploaded photo after checking it; queue face detection.

    The original bytes are kept unchanged under a content-addressed name; only a thumbnail is
    derived now. A refused upload raises RejectedUpload and leaves no file and no row behind.
    """
    access.require(Capability.EDIT)
    persons = list(persons)
    for person in persons:
        access.check_person(person)
    try:
        info = image_inspect(data, max_bytes=settings.KINSHIP_MAX_UPLOAD_BYTES,
                             max_pixels=settings.KINSHIP_MAX_IMAGE_PIXELS)
        thumbnail = image_thumbnail_jpeg(data, size=settings.KINSHIP_THUMBNAIL_SIZE)
    except ImageRejected as error:
        raise RejectedUpload(str(error)) from error
    existing = Photo.objects.filter(tree=access.tree, sha256=info.sha256).first()
    if existing is not None:
        raise Conflict("This photo is already in the tree.", extra={"photo_id": existing.pk})
    taken = stored_date(date_taken)
    photo = Photo(
        tree=access.tree, original_name=original_name[:255], sha256=info.sha256,
        image_format=info.image_format, byte_size=info.byte_size, width=info.width, height=info.height,
        exif_orientation=info.exif_orientation, title=title.strip(), date_taken=taken.text,
        date_taken_start=taken.start, date_taken_end=taken.end, uploaded_by=access.user,
    )
    saved: list[str] = []
    try:
        with transaction.atomic():
            photo.original.save("original", ContentFile(data), save=False)
            saved.append(photo.original.name)
            photo.thumbnail.save("thumbnail", ContentFile(thumbnail), save=False)
            saved.append(photo.thumbnail.name)
            photo.save()
            if persons:
                photo.persons.set(persons)
            transaction.on_commit(lambda: _enqueue_detection(photo.pk))
    except Exception:
        for name in saved:
            default_storage.delete(name)
        raise
    return photo


def photo_delete(*, access: TreeAccess, photo: Photo) -> None:
    """Delete a photo, its faces and its files (files only once the rows are gone)."""
    access.require(Capability.EDIT)
    _check_photo(access, photo)
    names = [f.name for f in (photo.original, photo.thumbnail) if f]
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def photo_detect_faces(*, photo_id: int) -> list[Face]:
    """Detect faces on a photo (worker side) and store their boxes and landmarks.

    Detection runs on a copy downscaled to ``KINSHIP_FACE_DETECTION_MAX_SIDE`` so memory stays
    bounded on large scans; boxes are mapped back to the photo's displayed pixels. Faces already
    assigned to persons are kept. Safe to run twice.
    """
    with transaction.atomic():
        photo = Photo.objects.select_for_update().get(pk=photo_id)
        if photo.detection_status == DetectionStatus.DONE:
            return list(photo.faces.all())
        photo.detection_status = DetectionStatus.RUNNING
        photo.save(update_fields=["detection_status"])
    try:
        detected = _detect(photo)
    except Exception as error:
        from genetics.errors import GeneticsError

        if not isinstance(error, (GeneticsError, ImageRejected, OSError)):
            raise
        logger.warning("Face detection failed for photo %s: %s", photo_id, error)
        Photo.objects.filter(pk=photo_id).update(
            detection_status=DetectionStatus.FAILED,
            detection_error="Faces could not be detected on this photo: " + str(error),
        )
        return []
    with transaction.atomic():
        photo = Photo.objects.select_for_update().get(pk=photo_id)
        photo.faces.filter(person__isnull=True).delete()
        kept = list(photo.faces.all())
        new_faces = [face for face in detected if not any(_overlaps(face, old) for old in kept)]
        Face.objects.bulk_create(new_faces)
        photo.detection_status = DetectionStatus.DONE
        photo.detection_error = ""
        photo.save(update_fields=["detection_status", "detection_error"])
        return list(photo.faces.all())


def face_assign(*, access: TreeAccess, face: Face, person: Person | None) -> Face:
    """Say who a face is (or clear it); the person also gets the photo in their photos."""
    access.require(Capability.EDIT)
    _check_photo(access, face.photo)
    if person is not None:
        access.check_person(person)
    with transaction.atomic():
        previous = face.person
        face.person = person
        face.save(update_fields=["person"])
        if person is not None:
            face.photo.persons.add(person)
        if previous is not None and previous.portrait_face_id == face.pk and previous != person:
            previous.portrait_face = None
            previous.save(update_fields=["portrait_face"])
    return face


def person_choose_portrait(*, access: TreeAccess, person: Person, face: Face) -> Person:
    """Make a face the person's portrait (the face generation uses); assigns the face if needed."""
    access.require(Capability.EDIT)
    access.check_person(person)
    _check_photo(access, face.photo)
    if face.person_id not in (None, person.pk):
        raise Conflict("That face is assigned to someone else; reassign it first.")
    with transaction.atomic():
        if face.person_id is None:
            face_assign(access=access, face=face, person=person)
        person.portrait_face = face
        person.save(update_fields=["portrait_face", "updated_at"])
    return person


def _enqueue_detection(photo_id: int) -> None:
    from workers.tasks.photos import photo_detect_faces_task

    photo_detect_faces_task.delay(photo_id)


def _detect(photo: Photo) -> list[Face]:
    import numpy as np
    from genetics.faces import detect_faces

    with photo.original.open("rb") as handle:
        data = handle.read()
    image = image_decode_display(data, max_side=settings.KINSHIP_FACE_DETECTION_MAX_SIDE)
    scale = photo.width / image.width
    faces = []
    for found in detect_faces(np.asarray(image)):
        box = found.box
        faces.append(Face(
            photo=photo,
            left=max(0, round(box.left * scale)), top=max(0, round(box.top * scale)),
            right=min(photo.width, round(box.right * scale)), bottom=min(photo.height, round(box.bottom * scale)),
            landmarks=[[round(float(x) * scale, 1), round(float(y) * scale, 1)] for x, y in found.landmarks],
            created_at=timezone.now(),
        ))
    return faces


def _overlaps(a: Face, b: Face) -> bool:
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return False
    inter = width * height
    union = (a.right - a.left) * (a.bottom - a.top) + (b.right - b.left) * (b.bottom - b.top) - inter
    return inter / union > 0.5


def _check_photo(access: TreeAccess, photo: Photo) -> None:
    if photo.tree_id != access.tree.pk:
        raise NotFound("No such photo in this tree.")
