"""Reads of generation jobs and their candidates, limited to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from cases.access import TreeAccess
from cases.errors import NotFound
from cases.models import Candidate, Family, GenerationJob, Person
from cases.selectors.ages import age_on_photo


@dataclass(frozen=True)
class ParentHairColour:
    """Where one parent's hair colour for generated children comes from, as the generate dialog says it."""

    person: Person
    stated: str
    """The colour the records state, named for people; empty when it is read from the photo."""
    hidden: bool
    """The parent's details are hidden from the user, so the dialog does not say."""
    age_on_photo: str = ""
    """The parent's age on their portrait's photo ("34" or "33–35") where the colour is read from
    it and the dates say; generation reads grey hair as greying only from 40."""


def generation_jobs(
    *, access: TreeAccess, family_id: int | None = None, child_id: int | None = None
) -> QuerySet[GenerationJob]:
    """Return the tree's generation jobs (newest first) with their candidates."""
    jobs = GenerationJob.objects.filter(tree=access.tree).prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.select_related("job"))
    )
    # A missing-person case's jobs are case material: only those who may see the case see them.
    jobs = jobs.filter(Q(case_generation__isnull=True) | Q(case_generation__case__in=access.cases_queryset()))
    if family_id:
        jobs = jobs.filter(family_id=family_id)
    if child_id:
        jobs = jobs.filter(child_id=child_id)
    if access.visible_person_ids is not None:
        ids = access.visible_person_ids
        jobs = jobs.filter(Q(family__partner1__in=ids) | Q(family__partner2__in=ids) | Q(child__in=ids)).distinct()
    if not access.can_see_living:
        # A synthetic child carries its parents' likeness: hidden wherever a parent's details are.
        # Case jobs are governed by case access instead (an auditor of a case sees its material).
        private = Person.objects.filter(tree=access.tree).exclude(access.public_persons_q()).values("pk")
        jobs = jobs.exclude(
            Q(case_generation__isnull=True) & (Q(family__partner1__in=private) | Q(family__partner2__in=private))
        )
    return jobs


def generation_parent_hair_colours(*, access: TreeAccess, family: Family) -> list[ParentHairColour]:
    """Return, first parent first, each parent's stated hair colour (generation passes it on) and,
    where it is read from the photo, their age on it (no queries on a family page's family)."""
    colours = []
    for parent in family.partners_father_first:
        hidden = access.person_hidden(parent)
        stated = parent.get_hair_colour_display() if parent.hair_colour and not hidden else ""
        face = parent.portrait_face
        age = age_on_photo(person=parent, photo=face.photo) if face and not (hidden or stated) else ""
        colours.append(ParentHairColour(person=parent, stated=stated, hidden=hidden, age_on_photo=age))
    return colours


def generation_job_get(*, access: TreeAccess, job_id: int) -> GenerationJob:
    """Return one job of the tree the user may see, or raise NotFound."""
    job = generation_jobs(access=access).filter(pk=job_id).first()
    if job is None:
        raise NotFound("No such generation job.")
    return job


def candidate_get(*, access: TreeAccess, candidate_id: int) -> Candidate:
    """Return one candidate of a job the user may see, or raise NotFound."""
    candidate = Candidate.objects.select_related("job").filter(job__tree=access.tree, pk=candidate_id).first()
    if candidate is None:
        raise NotFound("No such candidate.")
    generation_job_get(access=access, job_id=candidate.job_id)
    return candidate
