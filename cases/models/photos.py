"""Photos (originals kept untouched and hashed) and the faces detected on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models.records import Person
from cases.models.trees import Tree


def photo_original_path(photo: "Photo", filename: str) -> str:
    # Content-addressed names: a re-upload never overwrites another photo's file.
    return f"trees/{photo.tree_id}/photos/{photo.sha256[:2]}/{photo.sha256}.{photo.image_format.lower()}"


def photo_thumbnail_path(photo: "Photo", filename: str) -> str:
    return f"trees/{photo.tree_id}/thumbnails/{photo.sha256}.jpg"


class DetectionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for face detection"
    RUNNING = "running", "Detecting faces"
    DONE = "done", "Faces detected"
    FAILED = "failed", "Face detection failed"


class Photo(models.Model):
    """An uploaded image. ``original`` is stored byte-for-byte as uploaded; ``width``/``height``
    are the displayed size after EXIF orientation, the frame face boxes refer to."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="photos")
    persons = models.ManyToManyField(Person, blank=True, related_name="photos")
    original = models.FileField(upload_to=photo_original_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    image_format = models.CharField(max_length=10)
    byte_size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    exif_orientation = models.PositiveSmallIntegerField(default=1)
    thumbnail = models.FileField(upload_to=photo_thumbnail_path, max_length=300, blank=True)
    title = models.CharField(max_length=300, blank=True)
    date_taken = models.CharField(max_length=100, blank=True)
    date_taken_start = models.DateField(null=True, blank=True)
    date_taken_end = models.DateField(null=True, blank=True)
    consent_to_generation = models.BooleanField(
        default=False, help_text="Someone entitled to agree has agreed that this photo may feed face generation."
    )
    consent_given_by = models.CharField(max_length=200, blank=True, help_text="Who agreed, in words.")
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False, help_text="Made by Kinship (an adopted candidate), not a photo.")
    source_candidate = models.ForeignKey(
        "cases.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="adoptions"
    )
    gedcom_xref = models.CharField(max_length=40, blank=True, help_text="The GEDCOM OBJE record it came from.")
    detection_status = models.CharField(max_length=10, choices=DetectionStatus.choices, default=DetectionStatus.PENDING)
    detection_error = models.TextField(blank=True)
    detection_heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker detecting faces; stale means it died."
    )
    detection_attempts = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tree", "sha256"], name="photo_unique_content_per_tree"),
        ]
        indexes = [
            # The workers' recovery sweep looks only at detections not yet done; the index holds just those rows.
            models.Index(
                fields=["detection_status", "created_at"],
                name="photo_detection_unfinished",
                condition=models.Q(detection_status__in=[DetectionStatus.PENDING, DetectionStatus.RUNNING]),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or f"Photo {self.pk}"


class Face(models.Model):
    """A face found on a photo; ``person`` says who it is once someone has chosen."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="faces")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="faces")
    left = models.PositiveIntegerField()
    top = models.PositiveIntegerField()
    right = models.PositiveIntegerField()
    bottom = models.PositiveIntegerField()
    landmarks = models.JSONField(default=list, blank=True, help_text="68 [x, y] points in photo pixels.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["photo", "left", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(right__gt=models.F("left")) & models.Q(bottom__gt=models.F("top")),
                name="face_box_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"Face {self.box} on {self.photo}"

    @property
    def box(self) -> list[int]:
        return [self.left, self.top, self.right, self.bottom]
