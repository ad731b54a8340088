"""The boxes on every chart: a person's box (name, readable years, portrait) and a family's generated candidates.

:mod:`cases.selectors.chart_branches` chooses who is on a chart; this module says what each box shows.
A private person's box says only "Living person"; a family's box of generated candidates holds the
latest finished job this user may see, filled for all families on a chart in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.access import TreeAccess
from cases.genealogy.dates import date_display_year
from cases.models import Candidate, Person
from cases.models.generation import JobState
from cases.selectors.generation import generation_jobs
from cases.selectors.trees import PRIVATE_NAME

GENERATED_THUMBNAILS = 3  # thumbnails that fit in one box's width; the rest are counted


@dataclass
class ChartNode:
    person_id: int
    generation: int
    name: str = ""
    years: str = ""
    sex: str = "U"
    private: bool = False
    hypothetical: bool = False
    thumbnail_photo_id: int | None = None
    synthetic_portrait: bool = False  # the portrait is an adopted generated candidate, never a photograph
    is_focus: bool = False


@dataclass
class ChartGenerated:
    """The latest generated candidates of one family, drawn beside its real children."""

    family_id: int
    parent_ids: list[int]
    job_id: int | None = None
    candidate_ids: list[int] = field(default_factory=list)
    total: int = 0


def chart_node(access: TreeAccess, person: Person, level: int, is_focus: bool) -> ChartNode:
    """Return one person's chart box: readable years and portrait, or only "Living person" when private."""
    node = ChartNode(person_id=person.pk, generation=level, is_focus=is_focus, hypothetical=person.is_hypothetical)
    if access.person_private(person):
        node.name, node.private = PRIVATE_NAME, True
        return node
    node.name = person.display_name
    node.sex = person.sex
    # The same reading as the person page: "AFT 1985" is "aft. 1985", never the first day it allows.
    born, died = date_display_year(person.birth_date), date_display_year(person.death_date)
    # "1850–1901", but "c. 1850 – aft. 1901": a spaced dash where either side is already a phrase or range.
    dash = " – " if " " in born + died or "–" in born + died else "–"
    node.years = f"{born}{dash}{died}" if born and died else f"b. {born}" if born else f"d. {died}" if died else ""
    if person.portrait_face_id:
        node.thumbnail_photo_id = person.portrait_face.photo_id
        node.synthetic_portrait = person.portrait_face.photo.is_synthetic
    return node


def _visible_succeeded_jobs(access: TreeAccess):
    # The jobs this user may see (case jobs only for those who may see the case), as the family page does.
    return generation_jobs(access=access).filter(state=JobState.SUCCEEDED, family__isnull=False)


def chart_families_with_candidates(access: TreeAccess) -> set[int]:
    """Return the families with a succeeded job this user may see that produced candidates."""
    return set(
        _visible_succeeded_jobs(access)
        .filter(candidates__isnull=False)
        .order_by()
        .values_list("family_id", flat=True)
        .distinct()
    )


def chart_generated_fill(access: TreeAccess, groups: list[ChartGenerated]) -> None:
    """Give each group the latest succeeded job's candidates that the user may see, in one query."""
    by_family = {group.family_id: group for group in groups}
    if not by_family:
        return
    jobs = _visible_succeeded_jobs(access).filter(family_id__in=by_family).order_by().values("pk")
    rows = (
        Candidate.objects.filter(job__in=jobs)
        .order_by("job__family_id", "-job__created_at", "-job_id", "index")
        .values_list("job__family_id", "job_id", "pk")
    )
    for family_id, job_id, candidate_id in rows:
        group = by_family[family_id]
        if group.job_id is None:
            group.job_id = job_id
        if group.job_id != job_id:
            continue
        group.total += 1
        if len(group.candidate_ids) < GENERATED_THUMBNAILS:
            group.candidate_ids.append(candidate_id)
