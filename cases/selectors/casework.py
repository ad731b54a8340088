"""Reads about missing-person cases, limited to what the user may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cases.access import Capability, TreeAccess
from cases.errors import NotFound
from cases.models import Candidate, Case, CaseGeneration, CaseReminder, FoundPhotoRanking


def case_list(*, access: TreeAccess) -> QuerySet[Case]:
    """Return the cases the user may see; NotFound for roles that never see cases (no existence leak)."""
    if not access.can(Capability.VIEW_CASES):
        raise NotFound("No such page in this tree.")
    return (
        access.cases_queryset()
        .select_related("missing_person", "favoured_parent", "restricted")
        .prefetch_related("caseworkers", "reminders", "attachments")
    )


def case_get(*, access: TreeAccess, case_id: int) -> Case:
    """Return one case the user may see, or raise NotFound."""
    case = (
        Case.objects.filter(tree=access.tree, pk=case_id)
        .select_related("missing_person", "favoured_parent", "restricted")
        .prefetch_related("caseworkers", "reminders", "attachments__relative")
        .first()
    )
    if case is None:
        raise NotFound("No such case in this tree.")
    access.check_case(case)
    return case


def case_generations(*, case: Case) -> QuerySet[CaseGeneration]:
    """Return a case's generation jobs with their candidates, by age group."""
    return (
        CaseGeneration.objects.filter(case=case)
        .select_related("job")
        .prefetch_related(Prefetch("job__candidates", queryset=Candidate.objects.select_related("job", "approval")))
        .order_by("age_group", "job_id")
    )


def case_rankings(*, case: Case) -> QuerySet[FoundPhotoRanking]:
    """Return a case's found-photo rankings, newest first."""
    return FoundPhotoRanking.objects.filter(case=case).select_related("performed_by")


def case_reminder_get(*, case: Case, reminder_id: int) -> CaseReminder:
    """Return one reminder of a case (already checked visible), or raise NotFound."""
    reminder = CaseReminder.objects.filter(case=case, pk=reminder_id).select_related("case").first()
    if reminder is None:
        raise NotFound("No such reminder on this case.")
    return reminder


def tree_caseworkers(*, access: TreeAccess) -> list:
    """Return the users who hold the caseworker role in the tree (the people a case can be given to)."""
    from django.contrib.auth import get_user_model

    from cases.models import Role

    return list(
        get_user_model()
        .objects.filter(memberships__tree=access.tree, memberships__role=Role.CASEWORKER)
        .order_by("username")
    )
