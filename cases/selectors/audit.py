"""Reads of a tree's audit log, limited to what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cases.access import Capability, TreeAccess
from cases.models import AuditEvent, Candidate


def audit_events(*, access: TreeAccess, action: str = "", actor: str = "", object_type: str = "",
                 object_id: int | None = None, since: str = "", until: str = "") -> QuerySet[AuditEvent]:
    """Return the tree's audit events, filtered; raises InvalidInput for malformed dates."""
    from django.utils.dateparse import parse_date, parse_datetime

    from cases.errors import InvalidInput

    events = AuditEvent.objects.filter(tree_id=access.tree.pk).order_by("pk")
    if not access.can(Capability.VIEW_CASES):
        events = events.exclude(_case_events_q(access))
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_username=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id is not None:
        events = events.filter(object_id=object_id)
    for value, lookup in ((since, "created_at__gte"), (until, "created_at__lte")):
        if value:
            moment = parse_datetime(value) or parse_date(value)
            if moment is None:
                raise InvalidInput(f"“{value}” is not a date (use YYYY-MM-DD).")
            events = events.filter(**{lookup: moment})
    return events


def _case_events_q(access: TreeAccess) -> Q:
    """Return a filter for the audit rows about the tree's missing-person cases, their jobs and candidates."""
    from cases.models import CaseGeneration

    job_ids = CaseGeneration.objects.filter(case__tree=access.tree).values("job_id")
    candidate_ids = Candidate.objects.filter(job__case_generation__case__tree=access.tree).values("pk")
    return (Q(object_type="case") | Q(object_type="generation_job", object_id__in=job_ids)
            | Q(object_type="candidate", object_id__in=candidate_ids))
