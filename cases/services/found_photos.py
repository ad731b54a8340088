"""Found-photo ranking: compare a photo of an unidentified person with a case's faces.

The face on the found photo is embedded (dlib's 128-D descriptor) and the case's synthetic
candidates, the missing person's parents and, on request, the tree's other persons with a
portrait are ranked by embedding distance. A ranking is a lead for a caseworker to follow, never
an identification; the warning is stored with every ranking and shown wherever it is.

Persons compared with are stored by id, never by name: the ranking and its audit row are read by
auditors, who see living persons as "Living person". Names are put in when a ranking is shown, for
the user looking at it (:func:`found_photo_rankings_labelled`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from cases.access import TreeAccess
from cases.errors import RejectedUpload, UnprocessableInput
from cases.imaging import ImageRejected, image_decode_display, image_inspect
from cases.models import AuditAction, Candidate, Case, Face, FoundPhotoRanking, Person
from cases.services.audit import audit_record
from cases.services.casework import case_birth_parents

logger = logging.getLogger(__name__)

PERSON_GONE_LABEL = "a person no longer in the tree"

RANKING_WARNING = (
    "This ranking is a lead, not an identification: face similarity cannot confirm who "
    "someone is. Follow it up with evidence before acting on it."
)


@dataclass(frozen=True)
class _Entry:
    kind: str
    object_id: int
    label: str
    embedding: object


def found_photo_rank(
    *,
    access: TreeAccess,
    case: Case,
    data: bytes,
    original_name: str = "",
    face_box: list[int] | None = None,
    include_tree_persons: bool = False,
) -> FoundPhotoRanking:
    """Detect the face on a found photo, rank the case's faces by similarity, store and audit the ranking."""
    from genetics.metrics import rank_by_similarity, similarity

    access.require_case_work(case)
    try:
        info = image_inspect(
            data, max_bytes=settings.KINSHIP_MAX_UPLOAD_BYTES, max_pixels=settings.KINSHIP_MAX_IMAGE_PIXELS
        )
    except ImageRejected as error:
        raise RejectedUpload(str(error)) from error
    query, box = _embed_found(data, face_box)
    entries = _case_entries(access, case, include_tree_persons)
    if not entries:
        raise UnprocessableInput(
            "There is nothing to compare with yet: generate age candidates or choose portraits for the parents first."
        )
    ranked = rank_by_similarity(query, [e.embedding for e in entries])
    results = [
        {
            "rank": position,
            "kind": entries[index].kind,
            "object_id": entries[index].object_id,
            "label": entries[index].label,
            "distance": round(distance, 4),
            "similarity": round(similarity(distance), 4),
        }
        for position, (index, distance) in enumerate(ranked, start=1)
    ]
    ranking = FoundPhotoRanking(
        case=case,
        original_name=original_name[:255],
        sha256=info.sha256,
        face_box=box,
        include_tree_persons=include_tree_persons,
        results=results,
        warning=RANKING_WARNING,
        performed_by=access.user,
    )
    with transaction.atomic():
        ranking.image.save("found", ContentFile(data), save=False)
        ranking.save()
        audit_record(
            action=AuditAction.CASE_PHOTO_RANKED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="case",
            object_id=case.pk,
            payload={
                "ranking_id": ranking.pk,
                "photo_sha256": info.sha256,
                "face_box": box,
                "include_tree_persons": include_tree_persons,
                "results": results,
                "warning": RANKING_WARNING,
            },
        )
    return ranking


def found_photo_rankings_labelled(
    *, access: TreeAccess, rankings: Iterable[FoundPhotoRanking]
) -> list[FoundPhotoRanking]:
    """Return the rankings with ``labelled_results``: persons named for this user, "Living person" if hidden.

    Labels stored by earlier versions named persons; they are replaced here too. One query for all rankings.
    """
    from cases.selectors.trees import PRIVATE_NAME

    rankings = list(rankings)
    person_ids = {r["object_id"] for ranking in rankings for r in ranking.results if r["kind"] != "candidate"}
    persons = Person.objects.filter(tree=access.tree, pk__in=person_ids).in_bulk()
    for ranking in rankings:
        labelled = []
        for result in ranking.results:
            if result["kind"] != "candidate":
                person = persons.get(result["object_id"])
                label = (
                    PERSON_GONE_LABEL
                    if person is None
                    else PRIVATE_NAME
                    if access.person_hidden(person)
                    else person.display_name
                )
                result = {**result, "label": label}
            labelled.append(result)
        ranking.labelled_results = labelled
    return rankings


def _embed_found(data: bytes, face_box: list[int] | None) -> tuple[object, list[int]]:
    import numpy as np

    from genetics.engine import FaceBox
    from genetics.errors import GeneticsError, MultipleFacesFound
    from genetics.faces import choose_face, detect_faces
    from genetics.metrics import embed_face

    image = np.asarray(image_decode_display(data))
    wanted = FaceBox(*face_box) if face_box else None
    try:
        found = detect_faces(image, upsample=1) or detect_faces(image, upsample=0)
        face = choose_face(found, wanted)
        return embed_face(image, face), face.box.as_list()
    except MultipleFacesFound as error:
        raise UnprocessableInput(
            "The photo shows more than one face; say which one to compare.",
            extra={"boxes": [b.as_list() for b in error.boxes]},
        ) from error
    except GeneticsError as error:
        raise UnprocessableInput(f"No usable face was found on the photo ({error}).") from error


def _case_entries(access: TreeAccess, case: Case, include_tree_persons: bool) -> list[_Entry]:
    entries: list[_Entry] = []
    candidates = (
        Candidate.objects.filter(job__case_generation__case=case)
        .select_related("job__case_generation")
        .order_by("job_id", "index")
    )
    for candidate in candidates:
        # Embedded once by the worker when the candidate was stored; a face it could not find has none.
        embedding = None if candidate.embedding is None else np.asarray(candidate.embedding, dtype=np.float64)
        if embedding is not None:
            group = candidate.job.case_generation.age_group
            entries.append(
                _Entry(
                    "candidate",
                    candidate.pk,
                    f"Synthetic candidate {candidate.index} of job {candidate.job_id} (age {group})",
                    embedding,
                )
            )
    parents = case_birth_parents(case)
    for person in parents:
        entry = _person_entry(access, person, "parent")
        if entry is not None:
            entries.append(entry)
    if include_tree_persons:
        skip = {p.pk for p in parents}
        others = (
            Person.objects.filter(tree=case.tree, portrait_face__isnull=False)
            .exclude(pk__in=skip)
            .select_related("portrait_face__photo")
        )
        for person in others:
            entry = _person_entry(access, person, "person")
            if entry is not None:
                entries.append(entry)
    return entries


def _person_entry(access: TreeAccess, person: Person, kind: str) -> _Entry | None:
    face: Face | None = person.portrait_face
    if face is None or face.photo.is_synthetic or access.person_hidden(person):
        return None
    with face.photo.original.open("rb") as handle:
        embedding = _embed_or_none(handle.read(), face.box)
    if embedding is None:
        return None
    # No name stored: found_photo_rankings_labelled names the person for whoever reads the ranking.
    return _Entry(kind, person.pk, f"person {person.pk}", embedding)


def _embed_or_none(data: bytes, box: list[int] | None) -> object | None:
    import numpy as np

    from genetics.engine import FaceBox
    from genetics.errors import GeneticsError
    from genetics.metrics import embed_image

    try:
        image = np.asarray(image_decode_display(data))
        return embed_image(image, FaceBox(*box) if box else None)
    except (GeneticsError, ImageRejected, OSError) as error:
        # A face that cannot be embedded is left out of the ranking rather than failing all of it.
        logger.info("Left a face out of a found-photo ranking: %s", error)
        return None
