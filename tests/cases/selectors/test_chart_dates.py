"""The chart reads dates as the person page does: "AFT 1985" is never drawn as 1986 (issue 12)."""

from __future__ import annotations

from cases.access import tree_access_get
from cases.models import Role
from cases.selectors.chart_branches import BranchPerson, chart_tree
from cases.services.persons import person_update


def _nodes(branch: BranchPerson | None) -> list:
    if branch is None:
        return []
    nodes = [branch.node]
    for parent in branch.parents or []:
        nodes += _nodes(parent)
    for family in branch.families or []:
        nodes += _nodes(family.partner)
        for child in family.children:
            nodes += _nodes(child)
    return nodes


def test_chart_years_keep_the_qualifier(small_tree):
    access = small_tree.owner_access
    person_update(access=access, person=small_tree.grandmother, birth_date="ABT 1895", death_date="AFT 1970")
    person_update(access=access, person=small_tree.father, birth_date="BET 1929 AND 1931", death_date="2000")
    chart = chart_tree(access=access, focus_id=small_tree.child.pk, up=3, down=1)
    years = {node.name: node.years for node in _nodes(chart)}
    assert years["Beatrice Old"] == "c. 1895 – aft. 1970"
    assert years["Charles Old"] == "bet. 1929–1931 – 2000"
    assert years["Eve Old"] == "b. 1990" and years["Albert Old"] == "1890–1960"


def test_private_persons_have_no_years_on_a_viewers_chart(small_tree):
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    chart = chart_tree(access=viewer, focus_id=small_tree.child.pk, up=3, down=1)
    private = [node for node in _nodes(chart) if node.private]
    assert {node.person_id for node in private} == {small_tree.child.pk, small_tree.mother.pk}
    assert all(node.years == "" for node in private)
