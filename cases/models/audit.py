"""The append-only audit trail: every row carries the hash of the one before it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    GENERATION_REQUESTED = "generation.requested", "Generation requested"
    GENERATION_SUCCEEDED = "generation.succeeded", "Generation succeeded"
    GENERATION_FAILED = "generation.failed", "Generation failed"
    GENERATION_CANCELLED = "generation.cancelled", "Generation cancelled"
    CANDIDATE_VIEWED = "candidate.viewed", "Synthetic image viewed"
    CANDIDATE_DOWNLOADED = "candidate.downloaded", "Synthetic image downloaded"
    CANDIDATE_ADOPTED = "candidate.adopted", "Synthetic image adopted as portrait"
    CANDIDATE_DELETED = "candidate.deleted", "Synthetic image deleted"
    CANDIDATE_ADOPTION_UNDONE = "candidate.adoption_undone", "Adoption of a synthetic portrait undone"
    CANDIDATE_APPROVED = "candidate.approved", "Synthetic image approved to leave the system"
    CANDIDATE_APPROVAL_REVOKED = "candidate.approval_revoked", "Approval of a synthetic image revoked"
    EXPORT = "export", "Export containing synthetic images"
    ANCESTRY_INFERRED = "ancestry.inferred", "Ancestry inferred automatically (opt-in)"
    CASE_CREATED = "case.created", "Case opened"
    CASE_UPDATED = "case.updated", "Case updated"
    CASE_ASSIGNED = "case.assigned", "Caseworkers assigned to a case"
    CASE_ATTACHMENT_ADDED = "case.attachment_added", "Attachment added to a case"
    CASE_RELEASED = "case.released", "Public release copy of a case made"
    CASE_CANDIDATES_REQUESTED = "case.candidates_requested", "Age candidates requested for a case"
    CASE_PHOTO_RANKED = "case.photo_ranked", "Found photo ranked against a case"
    CASE_REPORT = "case.report", "Case report produced"
    MEMBERSHIP_SET = "membership.set", "Member added or role changed"
    MEMBERSHIP_REMOVED = "membership.removed", "Member removed"
    PERSON_MERGED = "person.merged", "Two records of one person merged"
    TREE_SETTINGS_CHANGED = "tree.settings_changed", "Tree settings changed"


class AuditEvent(models.Model):
    """One audited event. Rows are never updated or deleted (database triggers refuse it)."""

    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    actor_username = models.CharField(max_length=150, blank=True)
    tree_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=40, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_username or 'system'}"


class AuditChainHead(models.Model):
    """A single row locked while appending, so concurrent appends form one chain, not a fork."""

    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash


class AccessLog(models.Model):
    """One routine view (a synthetic thumbnail shown inside a page): kept apart from the chain-of-custody trail.

    Appended only; rows are never changed. Downloads, full-size views, adoptions and approvals stay in
    :class:`AuditEvent`, so the trail is not buried under page loads.
    """

    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    actor_username = models.CharField(max_length=150, blank=True)
    tree_id = models.BigIntegerField(db_index=True)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.actor_username or 'system'} viewed {self.object_type} #{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        # Append-only: a stored row is a record of what happened, never rewritten.
        if self.pk is not None:
            raise ValueError("Access-log rows are never changed.")
        super().save(*args, **kwargs)
