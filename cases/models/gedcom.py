"""GEDCOM imports, and what GEDCOM carries that the lineage models do not: events and raw records."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from cases.models.records import Family, Person
from cases.models.trees import Tree


def gedcom_upload_path(gedcom_import: "GedcomImport", filename: str) -> str:
    # A random folder: two uploads of files with the same name never collide.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "ged"
    return f"trees/{gedcom_import.tree_id}/gedcom/{uuid.uuid4().hex}.{suffix[:8]}"


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded, preview pending"
    PREVIEWED = "previewed", "Previewed, waiting for confirmation"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


class GedcomImport(models.Model):
    """One uploaded GEDCOM file (.ged, .zip or .gdz) on its way into a tree: preview, then import."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="gedcom_imports")
    file = models.FileField(upload_to=gedcom_upload_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.UPLOADED)
    preview = models.JSONField(
        default=dict, blank=True, help_text="Counts, warnings (with line numbers) and possible duplicates."
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent of records imported.")
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="Rows created, by kind.")
    force = models.BooleanField(default=False, help_text="Import even if this file went into another tree.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last sign of life from the worker previewing or importing; a stale one means the worker died.",
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Workers that claimed the current stage.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [
            # The workers' recovery sweep looks only at stages a worker should be running: the index holds
            # just those rows, however many finished imports pile up.
            models.Index(
                fields=["state", "updated_at"],
                name="gedcomimport_unfinished",
                condition=models.Q(state__in=[ImportState.UPLOADED, ImportState.IMPORTING]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name or 'GEDCOM'} → {self.tree} ({self.state})"


class Event(models.Model):
    """An event or attribute of a person or family other than the birth/death/marriage kept on them."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="events")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    family = models.ForeignKey(Family, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    tag = models.CharField(max_length=32, help_text="GEDCOM tag: BAPM, OCCU, RESI, EVEN, _MILT…")
    event_type = models.CharField(max_length=200, blank=True, help_text="TYPE: what a generic EVEN/FACT is.")
    value = models.TextField(blank=True, help_text="An attribute's value (an occupation, say).")
    date = models.TextField(blank=True, help_text="The date exactly as recorded.")
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    place = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    gedcom_data = models.JSONField(
        default=dict, blank=True, help_text="Notes, citations, media and substructures Kinship does not model."
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(family__isnull=False),
                name="event_attached_to_something",
            ),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.tag, self.event_type, self.date, self.place) if part)


class GedcomRecord(models.Model):
    """A GEDCOM record Kinship does not model (REPO, SUBM, shared NOTE, OBJE, custom), kept for export."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="gedcom_records")
    xref = models.CharField(max_length=40, blank=True)
    tag = models.CharField(max_length=32)
    data = models.JSONField(help_text="The record as GedcomNode.to_json(), or the mapped object's fields.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["tree", "tag"])]

    def __str__(self) -> str:
        return f"{self.tag} {self.xref}".strip()
