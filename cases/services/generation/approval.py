"""Approval before a case's synthetic candidate leaves the system, and the visible mark on every exit.

A candidate made for a missing-person case leaves Kinship (a download, the PDF report, a GEDCOM
export, the release copy) only after a second person approved it: an owner or auditor of the tree
who did not request the job. Approving and revoking are audited. Candidates outside casework
(a family's hypothetical children) need no approval; they still carry the visible mark.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.access import TreeAccess
from cases.errors import Conflict, NotFound, PermissionDenied
from cases.models import AuditAction, Candidate, CandidateApproval, Role
from cases.services.audit import audit_record

APPROVER_ROLES = (Role.OWNER, Role.AUDITOR)


def candidate_needs_approval(*, candidate: Candidate) -> bool:
    """Return whether the candidate belongs to casework and so needs a second person's approval to leave."""
    from cases.models import CaseGeneration

    return CaseGeneration.objects.filter(job_id=candidate.job_id).exists()


def candidate_is_cleared(*, candidate: Candidate) -> bool:
    """Return whether the candidate may leave the system: approved, or not a case candidate at all."""
    return (
        not candidate_needs_approval(candidate=candidate)
        or CandidateApproval.objects.filter(candidate_id=candidate.pk).exists()
    )


def candidate_require_cleared(*, candidate: Candidate) -> None:
    """Raise PermissionDenied unless the candidate may leave the system."""
    if not candidate_is_cleared(candidate=candidate):
        raise PermissionDenied(
            f"Synthetic candidate {candidate.index + 1} of job {candidate.job_id} has not been approved to leave "
            "Kinship. An owner or auditor other than the person who requested it must approve it first."
        )


def candidate_approve(*, access: TreeAccess, candidate: Candidate, note: str = "") -> CandidateApproval:
    """Approve a case candidate to leave the system, as an owner or auditor who did not request it."""
    _check(access, candidate)
    if access.role not in APPROVER_ROLES:
        raise PermissionDenied("Only an owner or auditor of the tree may approve a synthetic image to leave Kinship.")
    if candidate.job.requested_by_id == access.user.pk:
        raise PermissionDenied("A second person must approve: you requested this candidate.")
    if not candidate_needs_approval(candidate=candidate):
        raise Conflict("This candidate is not part of a case; it needs no approval.")
    with transaction.atomic():
        if CandidateApproval.objects.select_for_update().filter(candidate=candidate).exists():
            raise Conflict("This candidate is already approved.")
        approval = CandidateApproval.objects.create(
            candidate=candidate,
            approved_by=access.user,
            approved_by_username=access.user.get_username(),
            approver_role=access.role,
            note=note.strip()[:500],
            approved_at=timezone.now(),
        )
        audit_record(
            action=AuditAction.CANDIDATE_APPROVED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="candidate",
            object_id=candidate.pk,
            payload={
                "job_id": candidate.job_id,
                "sha256": candidate.image_sha256,
                "role": access.role,
                "requested_by": candidate.job.requested_by_id,
                "note": approval.note,
            },
        )
    return approval


def candidate_approval_revoke(*, access: TreeAccess, candidate: Candidate) -> None:
    """Withdraw an approval (owner or auditor); later exits refuse the candidate again."""
    _check(access, candidate)
    if access.role not in APPROVER_ROLES:
        raise PermissionDenied("Only an owner or auditor of the tree may revoke an approval.")
    with transaction.atomic():
        approval = CandidateApproval.objects.select_for_update().filter(candidate=candidate).first()
        if approval is None:
            raise Conflict("This candidate is not approved.")
        approval.delete()
        audit_record(
            action=AuditAction.CANDIDATE_APPROVAL_REVOKED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="candidate",
            object_id=candidate.pk,
            payload={"job_id": candidate.job_id, "approved_by": approval.approved_by_username},
        )


def candidate_marked_png(*, candidate: Candidate) -> bytes:
    """Return the candidate's PNG with the visible "SYNTHETIC" mark burnt in and its XMP provenance kept
    (for every display and exit)."""
    from cases import provenance

    with candidate.image.open("rb") as handle:
        data = handle.read()
    return provenance.mark_keeping_provenance(data, placement=settings.KINSHIP_SYNTHETIC_MARK_PLACEMENT)


def _check(access: TreeAccess, candidate: Candidate) -> None:
    if candidate.job.tree_id != access.tree.pk:
        raise NotFound("No such candidate.")
