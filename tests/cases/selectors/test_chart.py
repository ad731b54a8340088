"""Charts put each family's latest generated candidates beside its real children, in constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Candidate, Face, Family, GenerationJob, JobState, Photo
from cases.selectors.chart import GENERATED_THUMBNAILS, ChartGenerated
from cases.selectors.chart_branches import BranchPerson, chart_tree


def _groups(branch: BranchPerson | None) -> list[ChartGenerated]:
    """Every group of generated candidates drawn on a chart, wherever it sits."""
    if branch is None:
        return []
    groups = [branch.sibling_generated] if branch.sibling_generated else []
    for parent in branch.parents or []:
        groups += _groups(parent)
    for family in branch.families or []:
        groups += [family.generated] if family.generated else []
        for child in family.children:
            groups += _groups(child)
    return groups


def tree_chart_groups(*, access, focus_id: int, up: int, down: int) -> list[ChartGenerated]:
    return _groups(chart_tree(access=access, focus_id=focus_id, up=up, down=down))


def _face(tree, person) -> Face:
    photo = Photo.objects.create(
        tree=tree, sha256=f"{Photo.objects.count():064d}", image_format="JPEG", byte_size=1, width=100, height=100
    )
    return Face.objects.create(photo=photo, person=person, left=10, top=10, right=90, bottom=90)


def _job(family: Family, *, candidates: int, state: str = JobState.SUCCEEDED) -> GenerationJob:
    job = GenerationJob.objects.create(
        tree=family.tree,
        family=family,
        father_face=_face(family.tree, family.partner1),
        mother_face=_face(family.tree, family.partner2),
        engine="offline",
        params={},
        seed=7,
        num_candidates=candidates,
        state=state,
    )
    for index in range(candidates):
        Candidate.objects.create(
            job=job,
            index=index,
            image=f"c{job.pk}-{index}.png",
            image_sha256="0" * 64,
            pixels_sha256="0" * 64,
            genes=f"c{job.pk}-{index}.npz",
            seed=7 + index,
        )
    return job


@pytest.fixture
def parents(small_tree) -> Family:
    return small_tree.child.parent_links.get().family


def test_latest_succeeded_job_sits_beside_the_real_children(small_tree, parents):
    older = _job(parents, candidates=2)
    latest = _job(parents, candidates=GENERATED_THUMBNAILS + 1)
    _job(parents, candidates=1, state=JobState.FAILED)
    chart = chart_tree(access=small_tree.owner_access, focus_id=small_tree.father.pk, up=0, down=1)
    (family,) = chart.families
    group = family.generated
    assert group.family_id == parents.pk and group.job_id == latest.pk != older.pk
    assert group.total == GENERATED_THUMBNAILS + 1
    assert group.candidate_ids == list(
        latest.candidates.order_by("index").values_list("pk", flat=True)[:GENERATED_THUMBNAILS]
    )
    assert set(group.parent_ids) == {small_tree.father.pk, small_tree.mother.pk}
    assert [child.node.person_id for child in family.children] == [small_tree.child.pk]
    assert _groups(chart) == [group], "one group, beside the family's real children"


def test_group_beside_the_focus_when_drawn_upwards(small_tree, parents):
    _job(parents, candidates=1)
    chart = chart_tree(access=small_tree.owner_access, focus_id=small_tree.child.pk, up=1, down=0)
    assert chart.sibling_generated is not None and chart.sibling_generated.family_id == parents.pk
    assert _groups(chart) == [chart.sibling_generated]


def test_no_group_without_finished_candidates(small_tree, parents):
    _job(parents, candidates=2, state=JobState.FAILED)
    assert tree_chart_groups(access=small_tree.owner_access, focus_id=small_tree.father.pk, up=0, down=1) == []


def test_generated_groups_keep_the_query_count_constant(small_tree, parents):
    access = small_tree.owner_access
    _job(parents, candidates=2)
    with CaptureQueriesContext(connection) as one:
        assert len(tree_chart_groups(access=access, focus_id=small_tree.grandfather.pk, up=0, down=2)) == 1
    grandparents = small_tree.father.parent_links.get().family
    _job(grandparents, candidates=3)
    _job(grandparents, candidates=2)
    with CaptureQueriesContext(connection) as two:
        assert len(tree_chart_groups(access=access, focus_id=small_tree.grandfather.pk, up=0, down=2)) == 2
    assert len(one) == len(two)


def test_no_group_where_a_parent_is_private_to_the_user(small_tree, parents):
    from cases.access import tree_access_get
    from cases.models import Role

    _job(parents, candidates=2)
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    assert viewer.person_private(small_tree.mother), "the small tree's mother is living"
    assert tree_chart_groups(access=viewer, focus_id=small_tree.father.pk, up=0, down=1) == []
    assert len(tree_chart_groups(access=small_tree.owner_access, focus_id=small_tree.father.pk, up=0, down=1)) == 1


def test_case_candidates_only_for_those_who_may_see_the_case(case_tree):
    """The owner's chart showed a caseworker's case candidates as broken images under their label."""
    from cases.models import CaseGeneration

    family = case_tree.child.parent_links.get().family
    own = _job(family, candidates=2)
    case_job = _job(family, candidates=4)  # newer: it would be "the latest job" of the family
    CaseGeneration.objects.create(case=case_tree.case, job=case_job, age_group="30-39")
    (group,) = tree_chart_groups(access=case_tree.owner_access, focus_id=case_tree.father.pk, up=0, down=1)
    assert (group.job_id, group.total) == (own.pk, 2)
    assert set(group.candidate_ids) == set(own.candidates.values_list("pk", flat=True))
    (group,) = tree_chart_groups(access=case_tree.worker, focus_id=case_tree.father.pk, up=0, down=1)
    assert (group.job_id, group.total) == (case_job.pk, 4)

    own.delete()  # only case candidates left: no group at all, not an empty or broken one
    assert tree_chart_groups(access=case_tree.owner_access, focus_id=case_tree.father.pk, up=0, down=1) == []


def test_family_page_says_candidates_are_hidden_rather_than_none(small_tree, parents, client):
    """A viewer's family page said "No candidates generated yet" while jobs existed."""
    from django.urls import reverse

    from cases.models import Role

    url = reverse("family-detail", kwargs={"tree_id": small_tree.tree.pk, "family_id": parents.pk})
    client.force_login(small_tree.users[Role.VIEWER])
    assert "No candidates to show for this family yet." in client.get(url).content.decode()
    _job(parents, candidates=2)
    page = client.get(url).content.decode()
    assert "No candidates" not in page and "hidden from you" in page and "(1 job)" in page
    assert "/candidates/" not in page
