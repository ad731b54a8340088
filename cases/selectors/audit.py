"""Reads of a tree's audit log, limited to what the user may see."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q, QuerySet

from cases.access import Capability, TreeAccess
from cases.models import (
    AccessLog,
    AuditAction,
    AuditEvent,
    Candidate,
    CaseGeneration,
    Family,
    GenerationJob,
    Person,
)


def audit_events(
    *,
    access: TreeAccess,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: int | None = None,
    since: str = "",
    until: str = "",
    person_id: int | None = None,
    family_id: int | None = None,
    case_id: int | None = None,
) -> QuerySet[AuditEvent]:
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
        events = events.filter(
            Q(object_type="family", object_id=family_id) | Q(payload__family_id=family_id) | _jobs_q(jobs)
        )
    if case_id is not None:
        jobs = CaseGeneration.objects.filter(case__tree=access.tree, case_id=case_id).values("job_id")
        events = events.filter(Q(object_type="case", object_id=case_id) | Q(payload__case_id=case_id) | _jobs_q(jobs))
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
    return Q(object_type="generation_job", object_id__in=job_ids) | Q(
        object_type="candidate", object_id__in=candidate_ids
    )


def _person_q(access: TreeAccess, person_id: int) -> Q:
    """Return a filter for a person's history (see :func:`audit_events`)."""
    families = Family.objects.filter(
        Q(partner1_id=person_id) | Q(partner2_id=person_id) | Q(child_links__child_id=person_id), tree_id=access.tree.pk
    ).values("pk")
    jobs = GenerationJob.objects.filter(
        Q(family_id__in=families) | Q(child_id=person_id), tree_id=access.tree.pk
    ).values("pk")
    # Payload ids are stored as JSON numbers; both spellings that services use are matched.
    return (
        Q(object_type="person", object_id=person_id)
        | Q(payload__person_id=person_id)
        | Q(payload__missing_person_id=person_id)
        | _jobs_q(jobs)
    )


def _case_events_q(access: TreeAccess) -> Q:
    """Return a filter for the audit rows about the tree's missing-person cases, their jobs and candidates."""
    job_ids = CaseGeneration.objects.filter(case__tree=access.tree).values("job_id")
    candidate_ids = Candidate.objects.filter(job__case_generation__case__tree=access.tree).values("pk")
    return (
        Q(object_type="case")
        | Q(object_type="generation_job", object_id__in=job_ids)
        | Q(object_type="candidate", object_id__in=candidate_ids)
    )


def access_log_entries(*, access: TreeAccess, actor: str = "") -> QuerySet[AccessLog]:
    """Return the tree's routine-view log, newest first; case candidates only for roles that may see cases."""
    entries = AccessLog.objects.filter(tree_id=access.tree.pk).order_by("-pk")
    if not access.can(Capability.VIEW_CASES):
        entries = entries.exclude(
            object_type="candidate",
            object_id__in=Candidate.objects.filter(job__case_generation__case__tree=access.tree).values("pk"),
        )
    if actor:
        entries = entries.filter(actor_username=actor)
    return entries


def audit_payload_rows(
    *, access: TreeAccess, events: list[AuditEvent]
) -> list[tuple[AuditEvent, list[tuple[str, Any]]]]:
    """Return each event with its payload as (label, value) pairs, the generation inputs named for reading.

    Payloads keep the engine's "father"/"mother" input keys (re-runs read them). For display they are
    "father"/"mother" only when the partners' recorded sexes differ; otherwise "partner 1 (name)" and
    "partner 2 (name)", with "Living person" for those the user may not see. Names are resolved now, never
    stored in the trail. One query for all the events' families.
    """
    from cases.selectors.trees import PRIVATE_NAME

    events = audit_events_redacted(access=access, events=events)
    family_ids = {e.payload.get("family_id") for e in events if isinstance(e.payload.get("father"), dict)}
    families = Family.objects.filter(tree_id=access.tree.pk, pk__in=family_ids - {None}).select_related(
        "partner1", "partner2"
    )
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
                f"({PRIVATE_NAME if access.person_hidden(p) else p.display_name})"
                for p in partners
            )
    rows = []
    for event in events:
        names = labels.get(event.payload.get("family_id"), ("father", "mother"))
        rename = {"father": names[0], "mother": names[1]}
        # Sorted by stored key: PostgreSQL's jsonb does not keep the order the payload was written in.
        rows.append((event, [(rename.get(key, key), value) for key, value in sorted(event.shown_payload.items())]))
    return rows


# Person details that rows written before "ids only, never names" (the merge's old snapshot) carried.
_MERGE_SNAPSHOT_PERSONAL = ("given_names", "surname", "birth_date", "birth_place", "death_date", "death_place")


def audit_events_redacted(*, access: TreeAccess, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Return the events with ``shown_payload`` (what this reader may see) and ``payload_redacted``.

    The trail is append-only, so rows written before persons were stored by id only still name them:
    found-photo rankings (a result's ``label``), adoptions (``confirmed_name``) and merges (the removed
    record's snapshot). Those names are withheld here, at display, from readers who may not see the person
    (living, or outside a scoped membership: :meth:`TreeAccess.person_hidden`), as "Living person"; a person
    no longer in the tree is withheld from everyone who does not see the whole tree. ``payload`` itself is
    never changed: a redacted row no longer matches its hash, which ``payload_redacted`` says. One query.
    """
    events = list(events)
    person_ids = {pk for event in events for pk in _named_person_ids(event)}
    persons = Person.objects.filter(tree_id=access.tree.pk, pk__in=person_ids).in_bulk() if person_ids else {}
    sees_all = access.can_see_living and access.visible_person_ids is None

    def hidden(person_id: object) -> bool:
        person = persons.get(person_id) if isinstance(person_id, int) else None
        return not sees_all if person is None else access.person_hidden(person)

    for event in events:
        event.shown_payload = _redacted_payload(event, hidden)
        event.payload_redacted = event.shown_payload is not event.payload
    return events


def _named_person_ids(event: AuditEvent) -> list[int]:
    """Return the ids of the persons whose names an event's payload may carry."""
    payload = event.payload
    if event.action == AuditAction.CASE_PHOTO_RANKED:
        return [r.get("object_id") for r in _ranking_results(payload) if r.get("kind") != "candidate"]
    if event.action == AuditAction.CANDIDATE_ADOPTED:
        return [payload.get("person_id")]
    if event.action == AuditAction.PERSON_MERGED:
        return [payload.get("person_id", payload.get("kept"))]
    return []


def _ranking_results(payload: dict[str, Any]) -> list[dict[str, Any]]:
    results = payload.get("results")
    return [r for r in results if isinstance(r, dict)] if isinstance(results, list) else []


def _redacted_payload(event: AuditEvent, hidden: Callable[[object], bool]) -> dict[str, Any]:
    """Return the payload with hidden persons' names withheld; the stored dict itself when nothing is."""
    from cases.selectors.trees import PRIVATE_NAME

    payload = event.payload
    if event.action == AuditAction.CASE_PHOTO_RANKED:
        if not isinstance(payload.get("results"), list):
            return payload
        results, changed = [], False
        for result in payload["results"]:
            person_id = result.get("object_id") if isinstance(result, dict) else None
            # Since the fix a ranking stores "person <id>", which names nobody; older rows stored the name.
            if (
                isinstance(result, dict)
                and result.get("kind") != "candidate"
                and result.get("label") != f"person {person_id}"
                and hidden(person_id)
            ):
                result, changed = {**result, "label": PRIVATE_NAME}, True
            results.append(result)
        return {**payload, "results": results} if changed else payload
    if event.action == AuditAction.CANDIDATE_ADOPTED:
        if payload.get("confirmed_name") and hidden(payload.get("person_id")):
            return {**payload, "confirmed_name": PRIVATE_NAME}
        return payload
    if event.action == AuditAction.PERSON_MERGED:
        removed = payload.get("removed")
        # The removed record was the kept person's double: it is as living (or as out of scope) as they are.
        if (
            isinstance(removed, dict)
            and any(removed.get(k) for k in _MERGE_SNAPSHOT_PERSONAL)
            and hidden(payload.get("person_id", payload.get("kept")))
        ):
            shown = {k: v for k, v in removed.items() if k not in _MERGE_SNAPSHOT_PERSONAL}
            return {**payload, "removed": {**shown, "given_names": PRIVATE_NAME}}
        return payload
    return payload
