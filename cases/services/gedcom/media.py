"""Decide, once for the preview and the import, which media records become photos and why others do not."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from cases.genealogy.gedcom import GedcomIssue, MediaObject
from cases.imaging import ImageInfo, ImageRejected, image_inspect
from cases.services.gedcom.inputs import MediaSource

NOT_LINKED = "no person refers to it"
LINKED_ELSEWHERE = (
    "it is linked only to a family, an event or a source; photos attach to persons, so the link "
    "is kept and exported again"
)


@dataclass
class PlannedPhoto:
    """A media record that should become a photo: the file chosen and the persons pointing at it."""

    media: MediaObject
    path: str
    persons: list[Hashable]


@dataclass
class MediaPlan:
    """Media records to turn into photos, and every media file that will not be attached, with the reason."""

    photos: list[PlannedPhoto] = field(default_factory=list)
    not_attached: list[dict[str, Any]] = field(default_factory=list)  # {"xref", "file", "reason", "line"}

    def refuse(self, media: MediaObject, path: str, reason: str) -> None:
        """Record that a media file is not attached."""
        self.not_attached.append({"xref": media.xref, "file": path, "reason": reason, "line": media.line or None})

    def issues(self) -> list[GedcomIssue]:
        """Return one warning per media file not attached (shown with the other warnings)."""
        return [
            GedcomIssue(
                f"media file {item['file'] or '(no FILE)'} ({item['xref']}) was not attached: {item['reason']}",
                line=item["line"],
            )
            for item in self.not_attached
        ]


def media_plan(
    *,
    media_objects: dict[str, MediaObject],
    person_links: dict[str, list[Hashable]],
    other_links: set[str],
    source: MediaSource,
) -> MediaPlan:
    """Return which media records become photos (first file the upload holds) and why the rest do not."""
    plan = MediaPlan()
    for xref, media in media_objects.items():
        persons = list(dict.fromkeys(person_links.get(xref, ())))
        paths = [f.path for f in media.files]
        if not paths:
            plan.refuse(media, "", "the media record names no file")
            continue
        if not persons:
            reason = LINKED_ELSEWHERE if xref in other_links else NOT_LINKED
            for path in paths:
                plan.refuse(media, path, reason)
            continue
        chosen = next((p for p in paths if p in source), None)
        for path in paths:
            if chosen is None:
                plan.refuse(media, path, source.missing_reason(path))
            elif path != chosen:
                plan.refuse(media, path, f"the record already gives its photo from {chosen}; one photo per record")
        if chosen is not None:
            plan.photos.append(PlannedPhoto(media=media, path=chosen, persons=persons))
    return plan


def media_inspect(data: bytes) -> ImageInfo:
    """Check a media file as an uploaded photo would be checked; raise ImageRejected with the reason."""
    return image_inspect(
        data, max_bytes=settings.KINSHIP_MAX_UPLOAD_BYTES, max_pixels=settings.KINSHIP_MAX_IMAGE_PIXELS
    )


def media_check_planned(plan: MediaPlan, source: MediaSource) -> None:
    """Check each planned photo's file now (for the preview): refused images move to `not_attached`."""
    kept = []
    for photo in plan.photos:
        try:
            media_inspect(source.path(photo.path).read_bytes())
        except ImageRejected as error:
            plan.refuse(photo.media, photo.path, f"not an image Kinship accepts: {error}")
            continue
        kept.append(photo)
    plan.photos = kept
