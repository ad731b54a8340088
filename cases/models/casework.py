"""Missing-person cases: the case file, its restricted part, attachments, reminders, age
candidates and found-photo rankings.

A case's public fields live on :class:`Case`; everything that must never leave the agency lives
on :class:`CaseRestricted`, a separate row, so a release copy built from the case alone cannot
carry a restricted field by accident.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models.generation import GenerationJob
from cases.models.records import Person
from cases.models.trees import Tree


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


def case_attachment_path(attachment: "CaseAttachment", filename: str) -> str:
    return f"trees/{attachment.case.tree_id}/cases/{attachment.case_id}/attachments/{attachment.sha256}"


def found_photo_path(ranking: "FoundPhotoRanking", filename: str) -> str:
    return f"trees/{ranking.case.tree_id}/cases/{ranking.case_id}/found/{ranking.sha256}"


class Case(models.Model):
    """A missing-person case in a tree. Every field here may appear in a public release."""

    PUBLIC_FIELDS = ("organisation", "number", "status", "date_last_seen", "age_last_seen", "public_description")
    """The fields a release copy carries (with the missing person's name)."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="cases")
    organisation = models.CharField(max_length=200, help_text="The agency or organisation that numbers the case.")
    number = models.CharField(max_length=60, help_text="Case number, unique within the organisation.")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True)
    missing_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    date_last_seen = models.DateField(null=True, blank=True)
    age_last_seen = models.PositiveSmallIntegerField(null=True, blank=True)
    public_description = models.TextField(blank=True, help_text="What may be published to ask for information.")
    favoured_parent = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The parent the child is thought to favour; the default for inheritance in age candidates.",
    )
    caseworkers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="assigned_cases")
    progression_last_done = models.DateField(null=True, blank=True, help_text="Day of the last age progression.")
    progression_next_due = models.DateField(null=True, blank=True, help_text="Day the next re-progression is due.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_unique_number_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"Case {self.organisation} {self.number}"


class CaseRestricted(models.Model):
    """The restricted part of a case: agency references, investigative notes, circumstances."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="restricted")
    agency_references = models.JSONField(default=list, blank=True, help_text='[{"agency": "...", "reference": "..."}]')
    circumstances = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Restricted details of {self.case}"


class CaseAttachment(models.Model):
    """A file on a case: a document, or a relative's photo at a target age used as a reference."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=case_attachment_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=300, blank=True)
    relative = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose photo this is, for a reference photo of a relative.",
    )
    age_group = models.CharField(max_length=10, blank=True, help_text="The age the relative is on the photo.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return self.description or self.original_name or f"Attachment {self.pk}"


class CaseReminder(models.Model):
    """A dated reminder on a case (re-progression due)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(db_index=True)
    message = models.CharField(max_length=300)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "due_on"], name="casereminder_unique_day_per_case")]

    def __str__(self) -> str:
        return f"{self.message} ({self.due_on})"


class CaseGeneration(models.Model):
    """A generation job queued for a case, and the age it aims at."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="generations")
    job = models.OneToOneField(GenerationJob, on_delete=models.CASCADE, related_name="case_generation")
    age_group = models.CharField(max_length=10)
    is_age_today = models.BooleanField(default=False, help_text="Aimed at the child's age today.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "age_group", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: job {self.job_id} at {self.age_group}"


class FoundPhotoRanking(models.Model):
    """A found photo compared with a case's candidates and relatives: a lead, not an identification."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rankings")
    image = models.FileField(upload_to=found_photo_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    face_box = models.JSONField(help_text="[left, top, right, bottom] of the compared face, in photo pixels.")
    include_tree_persons = models.BooleanField(default=False)
    results = models.JSONField(
        default=list, help_text='[{"rank", "kind", "object_id", "label", "distance", "similarity"}], closest first.'
    )
    warning = models.CharField(max_length=300)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Ranking {self.pk} on {self.case}"
