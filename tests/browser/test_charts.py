"""The four chart kinds in a real browser: readable and centred at first paint, lazy branches, keyboard, phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import ChildLink, Family, Person
from cases.services.trees import tree_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KINDS = ["hourglass", "pedigree", "descendants", "fan"]


@pytest.fixture
def deep_tree():
    """A focus with seven generations of ancestors and four of descendants, written in bulk (about 320 persons)."""
    owner = UserFactory(username="owner")
    tree = tree_create(name="Deep", owner=owner)

    def person(name: str, sex: str, born: int) -> Person:
        return Person(
            tree=tree,
            given_names=name,
            surname=f"Line{born}",
            sex=sex,
            birth_date=f"ABT {born}",
            death_date=str(born + 60),
        )

    focus = Person.objects.create(
        tree=tree, given_names="Focus", surname="Person", sex="M", birth_date="1900", death_date="1970"
    )
    layer, links = [focus], []
    for generation in range(1, 8):
        parents = Person.objects.bulk_create(
            [
                person(
                    f"{'Father' if i % 2 == 0 else 'Mother'}{generation}x{i // 2}", "MF"[i % 2], 1900 - 30 * generation
                )
                for i in range(2 * len(layer))
            ]
        )
        families = Family.objects.bulk_create(
            [Family(tree=tree, partner1=parents[2 * i], partner2=parents[2 * i + 1]) for i in range(len(layer))]
        )
        links += [ChildLink(family=family, child=child, order=0) for family, child in zip(families, layer)]
        layer = parents
    spouse = Person.objects.create(
        tree=tree, given_names="Spouse", surname="Person", sex="F", birth_date="1902", death_date="1980"
    )
    couples = [(focus, spouse)]
    for generation in range(1, 5):
        nxt = []
        for father, mother in couples:
            family = Family.objects.create(tree=tree, partner1=father, partner2=mother)
            for index in range(2):
                child = Person.objects.create(
                    tree=tree,
                    given_names=f"Child{generation}x{len(nxt)}",
                    surname="Person",
                    sex="MF"[index],
                    birth_date=str(1900 + 30 * generation),
                    death_date=str(1960 + 30 * generation),
                )
                links.append(ChildLink(family=family, child=child, order=index))
                partner = Person.objects.create(
                    tree=tree,
                    given_names=f"Partner{generation}x{len(nxt)}",
                    surname="Other",
                    sex="FM"[index],
                    birth_date=str(1900 + 30 * generation),
                    death_date=str(1960 + 30 * generation),
                )
                nxt.append((child, partner) if index == 0 else (partner, child))
        couples = nxt
    ChildLink.objects.bulk_create(links)
    return tree, focus


def _chart(page, live_server, tree, focus, kind: str):
    page.goto(f"{live_server.url}/trees/{tree.pk}/?kind={kind}&focus={focus.pk}")
    page.locator("a.node.focus").wait_for()


READABLE = """() => {
  const svg = document.getElementById('chart-svg'), box = svg.getBoundingClientRect();
  const focus = document.querySelector('a.node.focus').getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('a.node text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {dx: focus.x + focus.width / 2 - (box.x + box.width / 2),
          dy: focus.y + focus.height / 2 - (box.y + box.height / 2),
          inside: focus.x >= box.x && focus.right <= box.right + 1 && focus.y >= box.y
            && focus.bottom <= box.bottom + 1,
          smallest: Math.min(...sizes), links: [...svg.querySelectorAll('a.node')].every(a => a.getAttribute('href')
            && a.getAttribute('aria-label')), overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", KINDS)
def test_opens_centred_on_the_focus_and_readable(log_in, live_server, deep_tree, artifacts: Path, kind, width):
    tree, focus = deep_tree
    page = log_in("owner", width=width, height=844 if width < 500 else 900, has_touch=width < 500)
    _chart(page, live_server, tree, focus, kind)
    seen = page.evaluate(READABLE)
    assert seen["inside"], f"{kind}: the focus person is on screen at first paint"
    assert abs(seen["dx"]) <= 2, f"{kind}: the focus is centred across ({seen['dx']} px off)"
    if kind != "fan":  # a fan opens upwards from its centre, which sits low in the view
        assert abs(seen["dy"]) <= 2, f"{kind}: the focus is centred down ({seen['dy']} px off)"
    assert seen["smallest"] >= 12, f"{kind}: box text {seen['smallest']:.1f} px at first paint"
    assert seen["links"] and seen["overflow"] <= 0
    count = page.locator("a.node").count()
    # Partners are drawn beside each descendant whose children are drawn: 3 generations up, 2 down; 3 down; 4 up.
    assert (
        count
        == {"hourglass": 15 + 1 + 2 + 2 + 4, "pedigree": 15, "descendants": 1 + 1 + 2 + 2 + 4 + 4 + 8, "fan": 31}[kind]
    ), f"{kind}: only the first generations are loaded ({count})"
    outline = page.locator("#chart-outline a")
    assert outline.count() == count, "the screen reader's nested list names the same persons"
    assert page.locator("#chart-outline ul ul").count() > 0
    page.screenshot(path=str(artifacts / f"chart-{kind}-{width}.png"))
    page.context.close()


@pytest.mark.parametrize("kind", KINDS)
def test_expand_a_branch_lazily_and_collapse_it(log_in, live_server, deep_tree, artifacts: Path, kind):
    tree, focus = deep_tree
    page = log_in("owner")
    _chart(page, live_server, tree, focus, kind)
    what = "children" if kind == "descendants" else "parents"
    control = page.locator(f"g.expand[aria-expanded='false'][aria-label^='Show {what} of']").first
    key = control.get_attribute("data-key")
    before = page.locator("a.node").count()
    control.focus()  # brings a branch end outside the view into it, as tabbing to it would
    with page.expect_response(lambda r: "/chart/branch/" in r.url and r.status == 200):
        control.click()
    opened = page.locator(f"g.expand[data-key='{key}']")
    # The response arrives before the script has drawn the branch: wait for the drawing, not just the reply.
    expect(opened).to_have_attribute("aria-expanded", "true")
    after = page.locator("a.node").count()
    assert after > before, f"{kind}: the branch added persons ({before} → {after})"
    assert page.evaluate("document.activeElement.getAttribute('data-key')") == key, "focus stays on the control"
    assert "Showing" in page.locator("#chart-status").inner_text()
    page.screenshot(path=str(artifacts / f"chart-{kind}-expanded.png"))
    opened.click()  # closing needs no request: the branch is kept
    expect(opened).to_have_attribute("aria-expanded", "false")
    assert page.locator("a.node").count() == before
    page.context.close()


@pytest.mark.parametrize("kind", KINDS)
def test_arrow_keys_move_between_relatives(log_in, live_server, deep_tree, kind):
    tree, focus = deep_tree
    father = focus.parent_links.get().family.partner1
    page = log_in("owner")
    _chart(page, live_server, tree, focus, kind)
    active = "document.activeElement.getAttribute('data-person-id')"
    page.locator("a.node.focus").focus()
    to_parents, to_children = {
        "hourglass": ("ArrowLeft", "ArrowRight"),
        "pedigree": ("ArrowRight", "ArrowLeft"),
        "fan": ("ArrowUp", "ArrowDown"),
        "descendants": (None, "ArrowRight"),
    }[kind]
    if to_parents:
        page.keyboard.press(to_parents)
        assert page.evaluate(active) == str(father.pk), f"{kind}: {to_parents} reaches the father"
        page.keyboard.press("ArrowDown" if kind != "fan" else "ArrowRight")
        mother = focus.parent_links.get().family.partner2
        assert page.evaluate(active) == str(mother.pk), f"{kind}: the next one along is the mother"
        page.keyboard.press(to_children)
        assert page.evaluate(active) == str(focus.pk)
    else:
        page.keyboard.press(to_children)
        first_child = focus.families_as_partner1.get().child_links.order_by("order").first().child
        assert page.evaluate(active) == str(first_child.pk), "ArrowRight reaches the first child"
        page.keyboard.press("ArrowLeft")
        assert page.evaluate(active) == str(focus.pk)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#chart-svg') !== null"), "Tab stays among the persons"
    page.locator("a.node.focus").focus()
    page.keyboard.press(to_parents or to_children)
    target = page.evaluate(active)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(f"/trees/{tree.pk}/?kind={kind}&focus={target}"))
    assert page.locator("a.node.focus").get_attribute("data-person-id") == target
    page.context.close()


def test_phone_pans_pinches_and_zooms(log_in, live_server, deep_tree, artifacts: Path):
    tree, focus = deep_tree
    page = log_in("owner", width=390, height=844, has_touch=True)
    _chart(page, live_server, tree, focus, "hourglass")
    view = "(() => { const v = document.getElementById('chart-svg').viewBox.baseVal; return [v.x, v.y, v.width]; })()"
    x, y, width = page.evaluate(view)
    assert width == pytest.approx(page.evaluate("document.getElementById('chart-svg').clientWidth"), abs=1)
    box = page.locator("#chart-svg").bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*middle)
    page.mouse.down()
    page.mouse.move(middle[0] + 120, middle[1] + 40, steps=6)
    page.mouse.up()
    moved = page.evaluate(view)
    assert moved[0] == pytest.approx(x - 120, abs=8) and moved[1] == pytest.approx(y - 40, abs=8), "a drag pans"
    assert page.url.endswith(f"focus={focus.pk}"), "a drag that starts on a person does not open it"
    page.evaluate(
        """([cx, cy]) => {
      const svg = document.getElementById('chart-svg');
      const fire = (type, id, x) => svg.dispatchEvent(new PointerEvent(type, {pointerId: id, clientX: x, clientY: cy,
                                                                             bubbles: true, pointerType: 'touch'}));
      fire('pointerdown', 11, cx - 40); fire('pointerdown', 12, cx + 40);
      for (let step = 1; step <= 5; step++) {
        fire('pointermove', 11, cx - 40 - 12 * step); fire('pointermove', 12, cx + 40 + 12 * step);
      }
      fire('pointerup', 11, cx - 100); fire('pointerup', 12, cx + 100);
    }""",
        list(middle),
    )
    pinched = page.evaluate(view)
    assert pinched[2] < width * 0.8, f"spreading two fingers zooms in ({width:.0f} → {pinched[2]:.0f} units wide)"
    page.get_by_role("button", name="Zoom out").click()
    assert page.evaluate(view)[2] > pinched[2]
    page.get_by_role("button", name=f"Centre on {focus.display_name}").click()
    seen = page.evaluate(READABLE)
    assert abs(seen["dx"]) <= 2 and seen["smallest"] >= 12
    page.screenshot(path=str(artifacts / "chart-phone-after-gestures.png"))
    page.context.close()


@pytest.mark.parametrize("kind", KINDS)
def test_generated_candidates_stay_beside_their_family(log_in, live_server, deep_tree, kind):
    from tests.cases.selectors.test_chart import _job

    tree, focus = deep_tree
    parents = focus.parent_links.get().family
    own = focus.families_as_partner1.get()
    family = own if kind == "descendants" else parents
    _job(family, candidates=2)
    page = log_in("owner")
    _chart(page, live_server, tree, focus, kind)
    group = page.locator(f"g.generated-group[data-family-id='{family.pk}']")
    assert group.count() == 1, f"{kind}: the family's candidates are drawn once"
    assert group.locator(".synthetic-badge text").text_content() == "synthetic"
    assert group.get_by_role("link").get_attribute("aria-label").startswith("2 synthetic candidates")
    assert group.locator("image.generated-thumb").count() == 2
    drawn = group.locator("rect.generated-frame").bounding_box()
    if kind == "descendants":
        # In the children's column, after the family's last real child.
        beside = page.locator("a.node").filter(has_text="Child1x1").bounding_box()
        assert drawn["y"] > beside["y"]
    else:
        # In the focus person's column, next to them: a sibling's place (above in rows, under a fan's centre).
        beside = page.locator("a.node.focus").bounding_box()
        gap = drawn["y"] - beside["y"] if kind == "fan" else beside["y"] - drawn["y"]
        assert 0 < gap <= 2 * beside["height"], kind
    assert abs(drawn["x"] + drawn["width"] / 2 - (beside["x"] + beside["width"] / 2)) <= 2, kind
    page.context.close()
