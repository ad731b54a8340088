"""Missing-person cases: open, update, assign, release, attach, age candidates and reminders.

Only caseworkers assigned to a case change it; auditors read it; every other role is told the
case does not exist (see :meth:`cases.access.TreeAccess.check_case`). Found-photo ranking lives in
:mod:`cases.services.found_photos`, the PDF report in :mod:`cases.services.case_report`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, InvalidInput, UnprocessableInput
from cases.models import (
    AuditAction,
    Case,
    CaseAttachment,
    CaseReminder,
    CaseRestricted,
    CaseStatus,
    ChildLink,
    Family,
    GenerationJob,
    Membership,
    Person,
    Role,
)
from cases.models.records import Pedigree
from cases.progression import age_group_for, age_on, next_progression_due
from cases.services.audit import audit_record
from genetics import parameters

FAVOURED_PARENT_WEIGHT = 0.7
"""Share of the favoured parent in each facial region's gene when the case names one."""

FAVOURED_REGIONS: tuple[str, ...] = parameters.FAVOURED_REGIONS
"""Facial regions weighted toward the favoured parent (hair, skin and texture stay stochastic)."""

PUBLIC_FIELDS = frozenset(Case.PUBLIC_FIELDS) | {"favoured_parent"}
RESTRICTED_FIELDS = frozenset({"agency_references", "circumstances", "notes"})
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def case_create(
    *,
    access: TreeAccess,
    organisation: str,
    number: str,
    missing_person: Person,
    date_last_seen: datetime.date | None = None,
    age_last_seen: int | None = None,
    public_description: str = "",
    favoured_parent: Person | None = None,
    agency_references: Sequence[dict[str, str]] = (),
    circumstances: str = "",
    notes: str = "",
    caseworkers: Iterable[AbstractBaseUser] = (),
) -> Case:
    """Open a case on a person in the tree; the caseworker opening it is assigned to it."""
    access.require(Capability.WORK_CASES)
    access.check_person(missing_person)
    if favoured_parent is not None:
        _check_parent(missing_person, favoured_parent)
    organisation, number = organisation.strip(), number.strip()
    if not organisation or not number:
        raise InvalidInput("A case needs an organisation and a case number.")
    others = _caseworkers(access, caseworkers)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                tree=access.tree,
                organisation=organisation,
                number=number,
                missing_person=missing_person,
                date_last_seen=date_last_seen,
                age_last_seen=age_last_seen,
                public_description=public_description,
                favoured_parent=favoured_parent,
                created_by=access.user,
            )
            CaseRestricted.objects.create(
                case=case, agency_references=_references(agency_references), circumstances=circumstances, notes=notes
            )
            case.caseworkers.set({access.user, *others})
            audit_record(
                action=AuditAction.CASE_CREATED,
                actor=access.user,
                tree_id=access.tree.pk,
                object_type="case",
                object_id=case.pk,
                payload={
                    "organisation": organisation,
                    "number": number,
                    "missing_person_id": missing_person.pk,
                    "caseworkers": sorted(u.get_username() for u in {access.user, *others}),
                },
            )
    except IntegrityError as error:
        raise Conflict(f"{organisation} already has a case numbered {number}.") from error
    return case


def case_update(*, access: TreeAccess, case: Case, data: dict[str, Any]) -> Case:
    """Change a case's public and restricted fields; the audit row names the fields, not their values."""
    access.require_case_work(case)
    unknown = set(data) - PUBLIC_FIELDS - RESTRICTED_FIELDS
    if unknown:
        raise InvalidInput(f"These case fields cannot be changed: {', '.join(sorted(unknown))}.")
    if "status" in data and data["status"] not in CaseStatus.values:
        raise InvalidInput(f"A case's status is one of {', '.join(CaseStatus.values)}.")
    if data.get("favoured_parent") is not None:
        _check_parent(case.missing_person, data["favoured_parent"])
    if "agency_references" in data:
        data = {**data, "agency_references": _references(data["agency_references"])}
    restricted = case.restricted
    changed_public = sorted(name for name in PUBLIC_FIELDS & set(data) if getattr(case, name) != data[name])
    changed_restricted = sorted(
        name for name in RESTRICTED_FIELDS & set(data) if getattr(restricted, name) != data[name]
    )
    try:
        with transaction.atomic():
            for name in changed_public:
                setattr(case, name, data[name])
            for name in changed_restricted:
                setattr(restricted, name, data[name])
            if changed_public:
                case.save(update_fields=[*changed_public, "updated_at"])
            if changed_restricted:
                restricted.save(update_fields=changed_restricted)
            if changed_public or changed_restricted:
                audit_record(
                    action=AuditAction.CASE_UPDATED,
                    actor=access.user,
                    tree_id=access.tree.pk,
                    object_type="case",
                    object_id=case.pk,
                    payload={"fields": sorted(changed_public + changed_restricted), "status": case.status},
                )
    except IntegrityError as error:
        raise Conflict("Another case of that organisation already has this number.") from error
    return case


def case_assign(*, access: TreeAccess, case: Case, caseworkers: Iterable[AbstractBaseUser]) -> Case:
    """Set who works on a case; each must be a caseworker in the tree, and the list may not be empty."""
    access.require_case_work(case)
    users = _caseworkers(access, caseworkers)
    if not users:
        raise InvalidInput("A case needs at least one assigned caseworker.")
    with transaction.atomic():
        case.caseworkers.set(users)
        audit_record(
            action=AuditAction.CASE_ASSIGNED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="case",
            object_id=case.pk,
            payload={"caseworkers": sorted(u.get_username() for u in users)},
        )
    return case


def case_release_copy(*, access: TreeAccess, case: Case) -> dict[str, Any]:
    """Return the public fields of a case (never a restricted one) for release, and audit the release."""
    access.require_case_work(case)
    person = case.missing_person
    copy: dict[str, Any] = {name: getattr(case, name) for name in Case.PUBLIC_FIELDS}
    copy["missing_person"] = person.display_name
    copy["date_last_seen"] = case.date_last_seen.isoformat() if case.date_last_seen else None
    copy["birth_date"] = person.birth_date
    copy["age_candidates"] = _released_candidates(case)
    audit_record(
        action=AuditAction.CASE_RELEASED,
        actor=access.user,
        tree_id=access.tree.pk,
        object_type="case",
        object_id=case.pk,
        payload={"fields": sorted(copy), "candidates": [c["candidate_id"] for c in copy["age_candidates"]]},
    )
    return copy


def _released_candidates(case: Case) -> list[dict[str, Any]]:
    """Return the case's approved candidates for the release copy: marked PNGs and who approved them."""
    import base64

    from cases.models import Candidate
    from cases.services.generation.approval import candidate_marked_png

    approved = (
        Candidate.objects.filter(job__case_generation__case=case, approval__isnull=False)
        .select_related("approval", "job__case_generation")
        .order_by("job_id", "index")
    )
    return [
        {
            "candidate_id": c.pk,
            "synthetic": True,
            "age_group": c.job.case_generation.age_group,
            "statement": "Synthetic image generated by Kinship — not a photograph",
            "approved_by": c.approval.approved_by_username,
            "approved_at": c.approval.approved_at.isoformat(),
            "image_png_base64": base64.b64encode(candidate_marked_png(candidate=c)).decode("ascii"),
        }
        for c in approved
    ]


def case_attachment_add(
    *,
    access: TreeAccess,
    case: Case,
    data: bytes,
    original_name: str = "",
    content_type: str = "",
    description: str = "",
    relative: Person | None = None,
    age_group: str = "",
) -> CaseAttachment:
    """Attach a file to a case: a document, or a relative's photo at a target age as a reference."""
    from genetics.engine import AGE_GROUPS

    access.require_case_work(case)
    if not data:
        raise InvalidInput("The attachment is empty.")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(f"Attachments are limited to {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB.")
    if relative is not None:
        access.check_person(relative)
    if age_group and age_group not in AGE_GROUPS:
        raise InvalidInput(f"The age group is one of {', '.join(AGE_GROUPS)}.")
    attachment = CaseAttachment(
        case=case,
        original_name=original_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type[:100],
        description=description[:300],
        relative=relative,
        age_group=age_group,
        uploaded_by=access.user,
    )
    with transaction.atomic():
        attachment.file.save("attachment", ContentFile(data), save=False)
        attachment.save()
        audit_record(
            action=AuditAction.CASE_ATTACHMENT_ADDED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="case",
            object_id=case.pk,
            payload={
                "attachment_id": attachment.pk,
                "sha256": attachment.sha256,
                "relative_id": relative.pk if relative else None,
                "age_group": age_group,
            },
        )
    return attachment


def case_age_today(*, case: Case, today: datetime.date | None = None) -> int | None:
    """Return the missing person's age in years today, or None when no birth date is recorded."""
    birth = case.missing_person.birth_date_start
    if birth is None:
        return None
    return age_on(birth, today or timezone.localdate())


def case_candidates_request(
    *,
    access: TreeAccess,
    case: Case,
    age_groups: Sequence[str] = (),
    include_age_today: bool = True,
    per_group: int = 4,
    engines: Sequence[str] = ("",),
    gender: str = "",
    params: dict[str, Any] | None = None,
    today: datetime.date | None = None,
) -> list[GenerationJob]:
    """Queue generation jobs for the child's age today and the chosen age groups, on each engine.

    The favoured parent, when the case names one, is the inheritance default: each facial region
    takes :data:`FAVOURED_PARENT_WEIGHT` of that parent's gene unless ``params["regions"]`` says
    otherwise. The progression is recorded as done today and the next one scheduled.
    """
    from cases.services.generation.request import CaseTarget, generation_request
    from genetics.engine import AGE_GROUPS

    access.require_case_work(case)
    today = today or timezone.localdate()
    child = case.missing_person
    targets: list[tuple[str, bool]] = []
    if include_age_today:
        age = case_age_today(case=case, today=today)
        if age is None:
            raise UnprocessableInput(
                f"{child.display_name} has no birth date recorded, so their age today is "
                "unknown; record it or choose age groups."
            )
        targets.append((age_group_for(age), True))
    for group in age_groups:
        if group not in AGE_GROUPS:
            raise InvalidInput(f"The age group is one of {', '.join(AGE_GROUPS)}.")
        if group not in [t for t, _ in targets]:
            targets.append((group, False))
    if not targets:
        raise InvalidInput("Choose at least one age group, or the age today.")
    gender = gender or {"M": "male", "F": "female"}.get(child.sex, "")
    if not gender:
        raise InvalidInput(f"{child.display_name}'s sex is not recorded; say which gender to generate.")
    base = dict(params or {})
    base["regions"] = {**_favoured_regions(case), **base.get("regions", {})}
    jobs = []
    with transaction.atomic():
        for engine in engines:
            for group, is_today in targets:
                job = generation_request(
                    access=access,
                    child=child,
                    engine=engine,
                    params={**base, "age_group": group, "gender": gender, "num_candidates": per_group},
                    case_target=CaseTarget(case=case, age_group=group, is_age_today=is_today),
                )
                jobs.append(job)
        audit_record(
            action=AuditAction.CASE_CANDIDATES_REQUESTED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="case",
            object_id=case.pk,
            payload={
                "jobs": [j.pk for j in jobs],
                "age_groups": [t for t, _ in targets],
                "favoured_parent_id": case.favoured_parent_id,
                "per_group": per_group,
            },
        )
        case_progression_done(case=case, day=today)
    return jobs


def case_progression_done(*, case: Case, day: datetime.date) -> Case:
    """Record a progression made on ``day``, schedule the next and put a reminder on the case."""
    birth = case.missing_person.birth_date_start
    case.progression_last_done = day
    case.progression_next_due = next_progression_due(birth=birth, last_done=day) if birth else None
    case.save(update_fields=["progression_last_done", "progression_next_due", "updated_at"])
    if case.progression_next_due is not None:
        CaseReminder.objects.get_or_create(
            case=case,
            due_on=case.progression_next_due,
            defaults={"message": f"Age progression of {case.missing_person.display_name} due again"},
        )
    return case


def case_reminder_done(*, access: TreeAccess, reminder: CaseReminder) -> CaseReminder:
    """Mark a reminder on a case done (the re-progression was made or scheduled otherwise)."""
    access.require_case_work(reminder.case)
    if reminder.done_at is None:
        reminder.done_at = timezone.now()
        reminder.save(update_fields=["done_at"])
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=access.user,
            tree_id=access.tree.pk,
            object_type="case",
            object_id=reminder.case_id,
            payload={"reminder_done": reminder.pk, "due_on": reminder.due_on},
        )
    return reminder


def case_reminders_due(*, access: TreeAccess, today: datetime.date | None = None) -> list[CaseReminder]:
    """Return the open reminders due by ``today`` on the cases this user may see."""
    today = today or timezone.localdate()
    return list(
        CaseReminder.objects.filter(
            case__in=access.cases_queryset(), due_on__lte=today, done_at__isnull=True
        ).select_related("case")
    )


def case_birth_parents(case: Case) -> list[Person]:
    """Return the missing person's birth parents that are recorded (zero, one or two)."""
    family = _birth_family(case)
    return [p for p in (family.partner1, family.partner2) if p is not None] if family else []


def _birth_family(case: Case) -> Family | None:
    link = (
        ChildLink.objects.filter(child=case.missing_person, pedigree=Pedigree.BIRTH)
        .select_related("family__partner1", "family__partner2")
        .first()
    )
    return link.family if link else None


def _favoured_regions(case: Case) -> dict[str, dict[str, Any]]:
    if case.favoured_parent_id is None:
        return {}
    family = _birth_family(case)
    parents = family.partners_father_first if family else []
    if len(parents) != 2:
        return {}
    father = parents[0]
    weight = FAVOURED_PARENT_WEIGHT if case.favoured_parent_id == father.pk else 1.0 - FAVOURED_PARENT_WEIGHT
    return {region: {"mode": "weight", "weight": weight} for region in FAVOURED_REGIONS}


def _check_parent(child: Person, parent: Person) -> None:
    link = ChildLink.objects.filter(child=child, pedigree=Pedigree.BIRTH).select_related("family").first()
    if link is None or parent.pk not in (link.family.partner1_id, link.family.partner2_id):
        raise InvalidInput(f"{parent.display_name} is not a recorded birth parent of {child.display_name}.")


def _caseworkers(access: TreeAccess, users: Iterable[AbstractBaseUser]) -> set[AbstractBaseUser]:
    users = set(users)
    ids = {u.pk for u in users}
    allowed = set(
        Membership.objects.filter(tree=access.tree, role=Role.CASEWORKER, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    refused = sorted(u.get_username() for u in users if u.pk not in allowed)
    if refused:
        raise InvalidInput(f"Only caseworkers of this tree can be assigned to a case: {', '.join(refused)}.")
    return users


def caseworkers_by_username(*, access: TreeAccess, usernames: Iterable[str]) -> list[AbstractBaseUser]:
    """Return the users named, refusing names that are not caseworkers of the tree."""
    usernames = set(usernames)
    users = list(get_user_model().objects.filter(username__in=usernames))
    missing = usernames - {u.get_username() for u in users}
    if missing:
        raise InvalidInput(f"Only caseworkers of this tree can be assigned to a case: {', '.join(sorted(missing))}.")
    return sorted(_caseworkers(access, users), key=lambda u: u.get_username())


def _references(references: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for item in references:
        agency, reference = str(item.get("agency", "")).strip(), str(item.get("reference", "")).strip()
        if not agency or not reference:
            raise InvalidInput("Each agency reference needs an agency and a reference number.")
        cleaned.append({"agency": agency, "reference": reference})
    return cleaned
