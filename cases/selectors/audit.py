"""Reads of a tree's audit log, limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cases.access import Capability, TreeAccess
from cases.models import AccessLog, AuditEvent, Candidate, CaseGeneration, Family, GenerationJob


def audit_events(*, access: TreeAccess, action: str = "", actor: str = "", object_type: str = "",
                 object_id: int | None = None, since: str = "", until: str = "", person_id: int | None = None,
                 family_id: int | None = None, case_id: int | None = None) -> QuerySet[AuditEvent]:
    """Return the tree's audit events, filtered; raises InvalidInput for malformed dates.

    ``person_id`` gives a person's history: events about the person, naming them in the payload, or about
    jobs (and their candidates) for families the person is a partner or child of. ``family_id`` and
    ``case_id`` match events about that family or case and about its generation jobs and candidates.
    """
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
    if person_id is not None:
        events = events.filter(_person_q(access, person_id))
    if family_id is not None:
        jobs = GenerationJob.objects.filter(tree_id=access.tree.pk, family_id=family_id).values("pk")
        events = events.filter(Q(object_type="family", object_id=family_id) | Q(payload__family_id=family_id)
                               | _jobs_q(jobs))
    if case_id is not None:
        jobs = CaseGeneration.objects.filter(case__tree=access.tree, case_id=case_id).values("job_id")
        events = events.filter(Q(object_type="case", object_id=case_id) | Q(payload__case_id=case_id)
                               | _jobs_q(jobs))
    for value, lookup in ((since, "created_at__gte"), (until, "created_at__lte")):
        if value:
            try:
                day = parse_date(value)
                moment = None if day else parse_datetime(value)
            except ValueError:  # well-formed but impossible, such as 2026-02-31
                day = moment = None
            if moment is None and day is None:
                raise InvalidInput(f"“{value}” is not a date (use YYYY-MM-DD).")
            # A bare date covers the whole day: "until 2026-12-02" includes that day's events.
            events = events.filter(**{lookup: moment} if moment else {lookup.replace("__", "__date__"): day})
    return events


def _jobs_q(job_ids: QuerySet) -> Q:
    """Return a filter for the audit rows about these generation jobs and their candidates."""
    candidate_ids = Candidate.objects.filter(job_id__in=job_ids).values("pk")
    return (Q(object_type="generation_job", object_id__in=job_ids)
            | Q(object_type="candidate", object_id__in=candidate_ids))


def _person_q(access: TreeAccess, person_id: int) -> Q:
    """Return a filter for a person's history (see :func:`audit_events`)."""
    families = Family.objects.filter(Q(partner1_id=person_id) | Q(partner2_id=person_id)
                                     | Q(child_links__child_id=person_id), tree_id=access.tree.pk).values("pk")
    jobs = GenerationJob.objects.filter(Q(family_id__in=families) | Q(child_id=person_id),
                                        tree_id=access.tree.pk).values("pk")
    # Payload ids are stored as JSON numbers; both spellings that services use are matched.
    return (Q(object_type="person", object_id=person_id) | Q(payload__person_id=person_id)
            | Q(payload__missing_person_id=person_id) | _jobs_q(jobs))


def _case_events_q(access: TreeAccess) -> Q:
    """Return a filter for the audit rows about the tree's missing-person cases, their jobs and candidates."""
    job_ids = CaseGeneration.objects.filter(case__tree=access.tree).values("job_id")
    candidate_ids = Candidate.objects.filter(job__case_generation__case__tree=access.tree).values("pk")
    return (Q(object_type="case") | Q(object_type="generation_job", object_id__in=job_ids)
            | Q(object_type="candidate", object_id__in=candidate_ids))


def access_log_entries(*, access: TreeAccess, actor: str = "") -> QuerySet[AccessLog]:
    """Return the tree's routine-view log, newest first; case candidates only for roles that may see cases."""
    entries = AccessLog.objects.filter(tree_id=access.tree.pk).order_by("-pk")
    if not access.can(Capability.VIEW_CASES):
        entries = entries.exclude(object_type="candidate", object_id__in=Candidate.objects.filter(
            job__case_generation__case__tree=access.tree).values("pk"))
    if actor:
        entries = entries.filter(actor_username=actor)
    return entries


def audit_payload_rows(*, access: TreeAccess,
                       events: list[AuditEvent]) -> list[tuple[AuditEvent, list[tuple[str, Any]]]]:
    """Return each event with its payload as (label, value) pairs, the generation inputs named for reading.

    Payloads keep the engine's "father"/"mother" input keys (re-runs read them). For display they are
    "father"/"mother" only when the partners' recorded sexes differ; otherwise "partner 1 (name)" and
    "partner 2 (name)", with "Living person" for those the user may not see. Names are resolved now, never
    stored in the trail. One query for all the events' families.
    """
    from cases.selectors.trees import PRIVATE_NAME

    family_ids = {e.payload.get("family_id") for e in events if isinstance(e.payload.get("father"), dict)}
    families = Family.objects.filter(tree_id=access.tree.pk, pk__in=family_ids - {None}).select_related(
        "partner1", "partner2")
    labels: dict[int, tuple[str, str]] = {}
    for family in families:
        partners = family.partners_father_first
        sexes = {p.sex for p in partners}
        if len(partners) == 2 and sexes == {"M", "F"}:
            labels[family.pk] = ("father", "mother")
        elif len(partners) == 2:
            # The inputs follow partners_father_first, which may put partner 2 first: name each by its role.
            labels[family.pk] = tuple(  # type: ignore[assignment]
                f"partner {1 if p.pk == family.partner1_id else 2} "
                f"({PRIVATE_NAME if access.person_hidden(p) else p.display_name})" for p in partners)
    rows = []
    for event in events:
        names = labels.get(event.payload.get("family_id"), ("father", "mother"))
        rename = {"father": names[0], "mother": names[1]}
        # Sorted by stored key: PostgreSQL's jsonb does not keep the order the payload was written in.
        rows.append((event, [(rename.get(key, key), value) for key, value in sorted(event.payload.items())]))
    return rows
