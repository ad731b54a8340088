"""Generation jobs: requests (web process), the worker's run, content credentials and adoption.

The public service functions are re-exported here so callers may import them from the package.
"""

from cases.services.generation.adoption import (
    candidate_adopt,
    candidate_adoption_undo,
    candidate_download_bytes,
    candidate_record_access,
    candidate_record_thumbnail_view,
)
from cases.services.generation.jobs import generation_audit_inputs
from cases.services.generation.recovery import generation_heartbeat, generation_is_stale, generation_requeue_stale
from cases.services.generation.request import (
    CaseTarget,
    ParentInput,
    QuotaExceeded,
    generation_cancel,
    generation_check_inputs,
    generation_input_notes,
    generation_parents_for,
    generation_request,
    generation_rerun,
    generation_rerun_from_audit,
)
from cases.services.generation.run import JobCancelled, engine_for_job, generation_mark_failed, generation_run
from cases.services.generation.signing import provenance_signer

__all__ = [
    "CaseTarget",
    "JobCancelled",
    "ParentInput",
    "QuotaExceeded",
    "candidate_adopt",
    "candidate_adoption_undo",
    "candidate_download_bytes",
    "candidate_record_access",
    "candidate_record_thumbnail_view",
    "engine_for_job",
    "generation_audit_inputs",
    "generation_cancel",
    "generation_check_inputs",
    "generation_heartbeat",
    "generation_input_notes",
    "generation_is_stale",
    "generation_mark_failed",
    "generation_parents_for",
    "generation_request",
    "generation_requeue_stale",
    "generation_rerun",
    "generation_rerun_from_audit",
    "generation_run",
    "provenance_signer",
]
