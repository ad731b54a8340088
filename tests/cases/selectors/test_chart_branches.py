"""The chart kinds read only the generations asked for, mark branch ends, hide who must be hidden, keep candidates."""

from __future__ import annotations

import pytest

from cases.access import tree_access_get
from cases.models import Role
from cases.selectors.chart_branches import MAX_BRANCH_GENERATIONS, BranchPerson, chart_branch, chart_tree
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create
from tests.cases.selectors.test_chart import _job
from tests.factories import MembershipFactory, UserFactory


def _depth(branch: BranchPerson, attribute: str) -> int:
    """Return how many generations are loaded above (``parents``) or below (``families``) a person."""
    # A person whose branch is not loaded adds nothing; one whose branch is loaded adds a generation.
    if attribute == "parents":
        nxt = branch.parents or []
    else:
        nxt = [child for family in branch.families or [] for child in family.children]
    return 1 + max((_depth(b, attribute) for b in nxt), default=0) if getattr(branch, attribute) is not None else 0


@pytest.fixture
def pedigree(small_tree):
    """Five generations of ancestors above the small tree's grandfather, each a couple."""
    access = small_tree.owner_access
    child = small_tree.grandfather
    for generation in range(5):
        father = person_create(
            access=access,
            given_names=f"Father{generation}",
            surname="Old",
            sex="M",
            birth_date=f"ABT {1860 - 30 * generation}",
            death_date="1900",
        )
        mother = person_create(
            access=access,
            given_names=f"Mother{generation}",
            surname="Old",
            sex="F",
            birth_date=str(1862 - 30 * generation),
            death_date="1901",
        )
        family_child_add(
            access=access, family=family_create(access=access, partner1=father, partner2=mother), child=child
        )
        child = father
    return small_tree


def test_ancestors_stop_at_the_generations_asked_for(pedigree):
    root = chart_tree(access=pedigree.owner_access, focus_id=pedigree.child.pk, up=3, down=0)
    assert root.node.is_focus and root.node.name == "Eve Old"
    assert _depth(root, "parents") == 3
    (father,) = [p for p in root.parents if p.node.person_id == pedigree.father.pk]
    (grandfather,) = [p for p in father.parents if p.node.person_id == pedigree.grandfather.pk]
    assert grandfather.parents is not None and {p.node.name for p in grandfather.parents} == {
        "Father0 Old",
        "Mother0 Old",
    }
    end = grandfather.parents[0]
    assert end.parents is None and end.more_parents, "a branch end says there is more beyond it"
    assert root.families is None and not root.more_children


def test_branch_end_without_parents_has_nothing_more(pedigree):
    root = chart_tree(access=pedigree.owner_access, focus_id=pedigree.father.pk, up=6, down=0)
    assert [p.node.name for p in root.parents] == ["Albert Old", "Beatrice Old"]
    grandmother = root.parents[1]
    assert grandmother.parents == [] and not grandmother.more_parents, "no parents recorded: no expand control"
    assert _depth(root, "parents") == 6


def test_lazy_branch_continues_where_the_chart_stopped(pedigree):
    access = pedigree.owner_access
    end = chart_tree(access=access, focus_id=pedigree.child.pk, up=3, down=0).parents[0].parents[0].parents[0]
    branch = chart_branch(access=access, person_id=end.node.person_id, direction="up", generations=2)
    assert branch.node.person_id == end.node.person_id and not branch.node.is_focus
    assert _depth(branch, "parents") == 2 and branch.families is None
    far = chart_branch(access=access, person_id=pedigree.child.pk, direction="up", generations=99)
    assert _depth(far, "parents") == MAX_BRANCH_GENERATIONS, "a lazy fetch is capped"


def test_descendants_with_partners_and_branch_ends(small_tree):
    access = small_tree.owner_access
    grandchild = person_create(access=access, given_names="Gina", surname="Old", sex="F", birth_date="2015")
    family_child_add(access=access, family=family_create(access=access, partner1=small_tree.child), child=grandchild)
    root = chart_tree(access=access, focus_id=small_tree.grandfather.pk, up=0, down=2)
    assert root.parents is None and root.more_parents is False
    (family,) = root.families
    assert family.partner.node.person_id == small_tree.grandmother.pk
    (father,) = family.children
    (own,) = father.families
    assert own.partner.node.name == "Diana Young"
    (child,) = own.children
    assert child.node.name == "Eve Old" and child.families is None and child.more_children
    down = chart_branch(access=access, person_id=small_tree.child.pk, direction="down", generations=1)
    assert [c.node.name for f in down.families for c in f.children] == ["Gina Old"]
    assert down.families[0].partner is None and down.parents is None


def test_living_persons_stay_hidden_from_viewers(small_tree):
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    root = chart_tree(access=viewer, focus_id=small_tree.father.pk, up=1, down=1)
    (family,) = root.families
    assert family.partner.node.private and family.partner.node.name == "Living person"
    assert family.partner.node.years == "" and family.children[0].node.name == "Living person"
    assert not root.node.private and root.node.years == "1930–2000"


def test_persons_outside_a_scoped_membership_are_left_out(small_tree):
    user = UserFactory(username="scoped")
    MembershipFactory(tree=small_tree.tree, user=user, role=Role.EDITOR, scope_person=small_tree.child, scope_depth=1)
    scoped = tree_access_get(user=user, tree_id=small_tree.tree.pk)
    root = chart_tree(access=scoped, focus_id=small_tree.child.pk, up=3, down=0)
    assert {p.node.person_id for p in root.parents} == {small_tree.father.pk, small_tree.mother.pk}
    father = next(p for p in root.parents if p.node.person_id == small_tree.father.pk)
    assert father.parents == [] and not father.more_parents, "the grandparents are out of scope: no expand control"
    from cases.errors import NotFound

    with pytest.raises(NotFound):
        chart_branch(access=scoped, person_id=small_tree.grandfather.pk, direction="up", generations=1)


def test_candidates_stay_beside_their_family(small_tree):
    parents = small_tree.child.parent_links.get().family
    job = _job(parents, candidates=2)
    access = small_tree.owner_access
    down = chart_tree(access=access, focus_id=small_tree.father.pk, up=0, down=1)
    (family,) = down.families
    assert family.generated.family_id == parents.pk and family.generated.job_id == job.pk
    assert family.generated.total == 2 and len(family.generated.candidate_ids) == 2
    up = chart_tree(access=access, focus_id=small_tree.child.pk, up=1, down=0)
    assert up.sibling_generated.family_id == parents.pk, "beside the child, as a sibling would stand"
    above = chart_tree(access=access, focus_id=small_tree.child.pk, up=0, down=0)
    assert above.sibling_generated is None, "not while the family itself is off the chart"
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    (hidden,) = chart_tree(access=viewer, focus_id=small_tree.father.pk, up=0, down=1).families
    assert hidden.generated is None, "the mother is living: no synthetic faces of her child for a viewer"
