"""Change history of lineage records: who changed what, when, with the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models.trees import Tree


class RecordType(models.TextChoices):
    PERSON = "person", "Person"
    ALTERNATE_NAME = "alternate_name", "Alternate name"
    FAMILY = "family", "Family"
    CHILD_LINK = "child_link", "Child link"
    EVENT = "event", "Event"
    NOTE = "note", "Note"
    SOURCE = "source", "Source"
    REPOSITORY = "repository", "Repository"
    CITATION = "citation", "Citation"
    FACE = "face", "Face assignment"
    GEDCOM_IMPORT = "gedcom_import", "GEDCOM import"


class ChangeAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    REVERT = "revert", "Reverted"
    IMPORT = "import", "Imported"


class RecordChange(models.Model):
    """One write to one lineage record, recorded by the model signals in ``cases.history``.

    ``before``/``after`` hold the record's own stored fields (foreign keys by id, dates as ISO text);
    ``before`` is null for a creation and ``after`` for a deletion, also when ``action`` is
    ``revert``, so what a change did is always read from the two snapshots. ``batch`` groups the
    changes of one request or command (a deletion and the rows it cascaded to).
    """

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="record_changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, help_text="Kept when the user account is deleted.")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    summary = models.CharField(max_length=300)
    reverts = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverted_by")
    batch = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["tree", "record_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_record_type_display().lower()} #{self.object_id}"


class RecordChangePerson(models.Model):
    """A person a change concerns (its subject, a partner, a child): for per-person history and privacy.

    A plain id, not a foreign key: the history of a deleted person stays.
    """

    change = models.ForeignKey(RecordChange, on_delete=models.CASCADE, related_name="persons")
    person_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["change", "person_id"], name="recordchangeperson_unique")]

    def __str__(self) -> str:
        return f"Person #{self.person_id} in change #{self.change_id}"
