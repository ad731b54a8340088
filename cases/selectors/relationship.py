"""How is A related to B: nearest common ancestors, the English name, and the path to draw.

The tree's graph is read once (:func:`cases.family_graph.family_graph`, two queries) and the persons on
the path in one more, so the answer costs the same for a 50- or a 50,000-person tree. Scoped members
only walk through persons in their scope; private persons on the path are drawn as "Living person"
and their sex never shows in the wording.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from cases.access import TreeAccess
from cases.family_graph import FamilyGraph, family_graph
from cases.genealogy.relationships import kin_word, relationship_name
from cases.models import Person
from cases.selectors.trees import PRIVATE_NAME, person_get, person_queryset

PATH_NODE_WIDTH, PATH_NODE_HEIGHT, PATH_GAP_X, PATH_GAP_Y = 190, 46, 30, 26


@dataclass
class PathNode:
    person_id: int
    name: str
    x: float
    y: float
    role: str = ""  # "end" for A and B, "ancestor" for a common ancestor


@dataclass
class Relationship:
    """The answer: a sentence, the common ancestors and the path as nodes and lines for a small chart."""

    a: Person
    b: Person
    a_name: str
    b_name: str
    related: bool = False
    name: str = ""  # what B is to A: "first cousin once removed"
    sentence: str = ""
    generations_up: int | None = None
    generations_down: int | None = None
    common_ancestors: list[PathNode] = field(default_factory=list)
    nodes: list[PathNode] = field(default_factory=list)
    lines: list[dict[str, float | str]] = field(default_factory=list)
    width: float = 0
    height: float = 0


@dataclass
class _Blood:
    up: int
    down: int
    ancestors: list[int]
    path_up: list[int]  # the common ancestor down to the first person, both included
    path_down: list[int]  # the common ancestor down to the second person, both included


def relationship_find(*, access: TreeAccess, a_id: int, b_id: int) -> Relationship:
    """Return how B is related to A, by blood or through one partner; NotFound unless both are visible."""
    a, b = person_get(access=access, person_id=a_id), person_get(access=access, person_id=b_id)
    graph = family_graph(access.tree.pk)
    allowed = access.visible_person_ids
    answer = Relationship(a=a, b=b, a_name="", b_name="")
    blood = _blood(graph, a.pk, b.pk, allowed)
    steps: tuple[int | None, int | None] = (None, None)  # partners added beside the blood path
    if blood is None and a.pk != b.pk:
        blood, steps = _by_partner(graph, a.pk, b.pk, allowed)
    ids = {a.pk, b.pk} | ({*blood.path_up, *blood.path_down, *blood.ancestors} if blood else set())
    persons = {p.pk: p for p in person_queryset(access=access).filter(pk__in=ids)}
    names = {pk: PRIVATE_NAME if access.person_hidden(p) else p.display_name for pk, p in persons.items()}
    sexes = {pk: "" if access.person_hidden(p) else p.sex for pk, p in persons.items()}
    answer.a_name, answer.b_name = names[a.pk], names[b.pk]
    if blood is None:
        answer.sentence = f"No relationship between {answer.a_name} and {answer.b_name} is recorded in this tree."
        return answer
    answer.related = True
    if a.pk == b.pk:
        answer.sentence = f"{answer.a_name} was chosen twice: that is the same person."
    answer.generations_up, answer.generations_down = blood.up, blood.down
    wording = _wording(blood, steps, sexes, names, graph, a.pk, b.pk)
    if isinstance(wording, tuple):  # "the wife of Gina Old’s uncle, Charles Old"
        answer.name = wording[0]
        first, _, second = wording[0].partition(" of ")
        answer.sentence = f"{answer.b_name} is the {first} of {answer.a_name}’s {second}, {wording[1]}."
    else:
        answer.name = wording
        answer.sentence = answer.sentence or f"{answer.b_name} is {answer.a_name}’s {answer.name}."
    if steps != (None, None):  # generations count the blood line of someone else: not shown as A's
        answer.generations_up = answer.generations_down = None
    _layout(answer, blood, steps, names)
    return answer


def _ancestors(graph: FamilyGraph, person_id: int, allowed: frozenset[int] | None) -> dict[int, tuple[int, int]]:
    """Return each ancestor (the person included) with its distance and the child it was reached from."""
    found = {person_id: (0, person_id)}
    queue = deque([person_id])
    while queue:
        current = queue.popleft()
        for parent in graph.parents.get(current, ()):
            if parent not in found and (allowed is None or parent in allowed):
                found[parent] = (found[current][0] + 1, current)
                queue.append(parent)
    return found


def _blood(graph: FamilyGraph, a: int, b: int, allowed: frozenset[int] | None) -> _Blood | None:
    up_a, up_b = _ancestors(graph, a, allowed), _ancestors(graph, b, allowed)
    common = up_a.keys() & up_b.keys()
    if not common:
        return None
    best = min(up_a[c][0] + up_b[c][0] for c in common)
    nearest = sorted(c for c in common if up_a[c][0] + up_b[c][0] == best)
    top = nearest[0]
    return _Blood(
        up=up_a[top][0], down=up_b[top][0], ancestors=nearest, path_up=_climb(up_a, top), path_down=_climb(up_b, top)
    )


def _climb(found: dict[int, tuple[int, int]], ancestor: int) -> list[int]:
    """Return the line from the ancestor down to the person the search started from."""
    line = [ancestor]
    while found[line[-1]][0] > 0:
        line.append(found[line[-1]][1])
    return line


def _by_partner(
    graph: FamilyGraph, a: int, b: int, allowed: frozenset[int] | None
) -> tuple[_Blood | None, tuple[int | None, int | None]]:
    """Return a blood link through A's partner or to B's partner (in-laws), the nearest first."""
    options: list[tuple[int, _Blood, tuple[int | None, int | None]]] = []
    if b in graph.partners.get(a, ()):
        return _Blood(0, 0, [b], [b], [b]), (a, None)
    for partner in graph.partners.get(a, ()):
        if allowed is None or partner in allowed:
            found = _blood(graph, partner, b, allowed)
            if found:
                options.append((found.up + found.down, found, (a, None)))
    for partner in graph.partners.get(b, ()):
        if allowed is None or partner in allowed:
            found = _blood(graph, a, partner, allowed)
            if found:
                options.append((found.up + found.down, found, (None, b)))
    if not options:
        return None, (None, None)
    _, found, steps = min(options, key=lambda option: option[0])
    return found, steps


def _wording(
    blood: _Blood,
    steps: tuple[int | None, int | None],
    sexes: dict[int, str],
    names: dict[int, str],
    graph: FamilyGraph,
    a: int,
    b: int,
) -> str | tuple[str, str]:
    """Return what B is to A, or for a distant in-law the wording and the relative it goes through."""
    half = (
        blood.up > 0
        and blood.down > 0
        and len(blood.ancestors) == 1
        and len(graph.partners.get(blood.ancestors[0], ())) > 0
    )
    sex_b = sexes.get(b, "")
    if steps == (None, None):
        return relationship_name(blood.up, blood.down, sex=sex_b, half=half)
    if steps[0] is not None and blood.path_up == blood.path_down == [b]:
        return kin_word("partner", sex_b)
    if steps[0] is not None:  # B is a blood relative of A's partner
        partner = blood.path_up[-1]
        if (blood.up, blood.down) == (1, 0):
            return kin_word("parent-in-law", sex_b)
        if (blood.up, blood.down) == (1, 1):
            return kin_word("sibling-in-law", sex_b)
        return (
            f"{relationship_name(blood.up, blood.down, sex=sex_b, half=half)} of "
            f"{kin_word('partner', sexes.get(partner, ''))}",
            names[partner],
        )
    relative = blood.path_down[-1]  # B is the partner of A's blood relative
    if (blood.up, blood.down) == (0, 1):
        return kin_word("child-in-law", sex_b)
    if (blood.up, blood.down) == (1, 1):
        return kin_word("sibling-in-law", sex_b)
    return (
        f"{kin_word('partner', sex_b)} of "
        f"{relationship_name(blood.up, blood.down, sex=sexes.get(relative, ''), half=half)}",
        names[relative],
    )


def _layout(answer: Relationship, blood: _Blood, steps: tuple[int | None, int | None], names: dict[int, str]) -> None:
    """Place the path as an inverted V: the common ancestor on top, A's line left, B's line right."""
    column_b = 1 if blood.up and blood.down else 0
    offset = 1 if steps[0] is not None else 0  # room for A beside their partner
    step_x, step_y = PATH_NODE_WIDTH + PATH_GAP_X, PATH_NODE_HEIGHT + PATH_GAP_Y
    placed: dict[int, PathNode] = {}

    def place(pk: int, column: float, row: int, role: str = "") -> PathNode:
        node = PathNode(pk, names[pk], (column + offset) * step_x, row * step_y, role)
        placed.setdefault(pk, node)
        return placed[pk]

    top = place(blood.path_up[0], column_b / 2 if blood.up and blood.down else 0, 0, "ancestor")
    for other in blood.ancestors[1:2]:  # the ancestor's partner, when both are ancestors: a couple on top
        if other not in placed and other in names:
            beside = place(other, (top.x / step_x) - offset + 1, 0, "ancestor")
            answer.lines.append(_partner_line(top, beside))
    chain = [top]
    for row, pk in enumerate(blood.path_up[1:], start=1):
        chain.append(place(pk, 0, row))
    answer.lines += _chain_lines(chain)
    chain = [top]
    for row, pk in enumerate(blood.path_down[1:], start=1):
        chain.append(place(pk, column_b, row))
    answer.lines += _chain_lines(chain)
    if steps[0] is not None and steps[0] not in placed:
        start = placed[blood.path_up[-1]]
        partner = PathNode(steps[0], names[steps[0]], start.x - step_x, start.y, "end")
        placed[steps[0]] = partner
        answer.lines.append(_partner_line(partner, start))
    if steps[1] is not None and steps[1] not in placed:
        end = placed[blood.path_down[-1]]
        partner = PathNode(steps[1], names[steps[1]], end.x + step_x, end.y, "end")
        placed[steps[1]] = partner
        answer.lines.append(_partner_line(end, partner))
    for pk in (answer.a.pk, answer.b.pk):
        placed[pk].role = "end"
    answer.common_ancestors = [
        placed.get(pk) or PathNode(pk, names.get(pk, ""), 0, 0) for pk in blood.ancestors if pk in names
    ]
    answer.nodes = list(placed.values())
    answer.width = max(n.x for n in answer.nodes) + PATH_NODE_WIDTH + 4  # the stroke's margin included
    answer.height = max(n.y for n in answer.nodes) + PATH_NODE_HEIGHT + 4


def _chain_lines(chain: list[PathNode]) -> list[dict[str, float | str]]:
    return [
        {
            "x1": upper.x + PATH_NODE_WIDTH / 2,
            "y1": upper.y + PATH_NODE_HEIGHT,
            "x2": lower.x + PATH_NODE_WIDTH / 2,
            "y2": lower.y,
            "kind": "child",
        }
        for upper, lower in zip(chain, chain[1:], strict=False)
    ]


def _partner_line(left: PathNode, right: PathNode) -> dict[str, float | str]:
    return {
        "x1": left.x + PATH_NODE_WIDTH,
        "y1": left.y + PATH_NODE_HEIGHT / 2,
        "x2": right.x,
        "y2": right.y + PATH_NODE_HEIGHT / 2,
        "kind": "partner",
    }
