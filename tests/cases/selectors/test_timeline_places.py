"""The person page reads like a genealogist's: all events with ages and evidence; places list what happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.models import Event, Person, Role
from cases.selectors import person_page, place_events, place_list
from cases.services.gedcom.jobs import gedcom_import
from cases.services.trees import membership_set, tree_create
from tests.factories import UserFactory
from tests.gedcom_files import FILE_551


@pytest.fixture
def imported(db, tmp_path: Path):
    owner = UserFactory(username="genealogist")
    tree = tree_create(name="Dubois", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    path = tmp_path / "tree.ged"
    path.write_text(FILE_551, encoding="utf-8")
    gedcom_import(access=access, path=path)
    return access


def test_timeline_has_every_event_in_date_order_with_ages_and_citations(imported):
    jean = Person.objects.get(tree=imported.tree, given_names="Jean-Pierre")
    page = person_page(access=imported, person_id=jean.pk)
    rows = {row.label: row for row in page.timeline}
    assert {
        "Birth",
        "Death",
        "Occupation",
        "Residence",
        "Award",
        "Census",
        "Graduation",
        "Emigration",
        "Immigration",
        "Christening",
        "Marriage",
        "Military service",
    } <= rows.keys()
    assert rows["Birth"].date == "about 12 March 1850" and rows["Birth"].place == "Lyon, Rhône, France"
    (citation,) = rows["Birth"].citations
    assert (citation.source_title, citation.page, citation.quality) == ("Parish register of Saint-Jean", "folio 3", 2)
    assert rows["Marriage"].age == "25" and rows["Marriage"].place == "Lyon"
    assert rows["Marriage"].family is not None
    assert rows["Occupation"].description == "Carpenter" and rows["Occupation"].date == "from 1870 to 1890"
    assert rows["Immigration"].date == "3 March 1890 (Julian), 15 March 1890"
    assert rows["Death"].age == "50–51"
    assert rows["Military service"].description == "Served in the 3rd regiment"  # a _MILT kept raw
    dated = [row.sort_key for row in page.timeline if row.sort_key]
    assert dated == sorted(dated) and page.timeline[-1].label == "Christening"  # undated last
    assert [m.path for m in page.media_references] == ["photos/jean.jpg"]
    assert {c.page for c in page.person.citations.all()} == {"p. 12"}


def test_titles_and_burials_with_notes_show(imported):
    marie = Person.objects.get(tree=imported.tree, given_names="Marie")
    Event.objects.create(tree=imported.tree, person=marie, tag="TITL", value="Countess of Lyon", date="1890")
    Event.objects.create(
        tree=imported.tree,
        person=marie,
        tag="BURI",
        date="ABT 1920",
        place="Lyon",
        gedcom_data={"notes": [{"text": "In the family vault."}]},
    )
    rows = {row.label: row for row in person_page(access=imported, person_id=marie.pk).timeline}
    assert rows["Title"].description == "Countess of Lyon"
    assert rows["Burial"].date == "about 1920" and rows["Burial"].notes == ["In the family vault."]


def test_siblings_are_the_other_children(imported):
    claire = Person.objects.get(tree=imported.tree, given_names="Claire")
    page = person_page(access=imported, person_id=claire.pk)
    assert {p.given_names for p in page.siblings} == {"Paul", "Luc"}


def test_a_private_person_shows_no_timeline(small_tree):
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    page = person_page(access=viewer, person_id=small_tree.child.pk)
    assert page.private and page.timeline == [] and page.media_references == []


def test_family_events_are_hidden_when_the_partner_is_private(small_tree):
    access = small_tree.owner_access
    family = small_tree.child.parent_links.get().family
    Event.objects.create(tree=small_tree.tree, family=family, tag="ENGA", date="1985", place="Bath")
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    assert "Engagement" in {row.label for row in person_page(access=access, person_id=small_tree.father.pk).timeline}
    assert "Engagement" not in {
        row.label for row in person_page(access=viewer, person_id=small_tree.father.pk).timeline
    }


def test_places_and_place_pages(imported):
    names = {p.name: p.count for p in place_list(access=imported)}
    assert names == {"Lyon, Rhône, France": 1, "Paris": 1, "Lyon": 1}
    france = place_events(access=imported, place="France")
    assert [(e.label, e.person.given_names) for e in france] == [("Birth", "Jean-Pierre")]
    lyon = place_events(access=imported, place="Lyon")
    assert {e.label for e in lyon} == {"Marriage"}
    assert place_events(access=imported, place="") == []


def test_places_of_living_persons_stay_hidden(small_tree):
    access = small_tree.owner_access
    small_tree.child.birth_place = "Secret Town"
    small_tree.child.save(update_fields=["birth_place"])
    small_tree.grandfather.death_place = "Old Town"
    small_tree.grandfather.save(update_fields=["death_place"])
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    assert {p.name for p in place_list(access=access)} == {"Secret Town", "Old Town"}
    assert {p.name for p in place_list(access=viewer)} == {"Old Town"}
    assert place_events(access=viewer, place="Secret Town") == []
    scoped_user = small_tree.users[Role.EDITOR]
    membership_set(access=access, user=scoped_user, role=Role.EDITOR, scope_person=small_tree.child, scope_depth=1)
    scoped = tree_access_get(user=scoped_user, tree_id=small_tree.tree.pk)
    assert {p.name for p in place_list(access=scoped)} == {"Secret Town"}


def test_a_place_page_stops_at_its_limit_keeping_the_oldest(imported, monkeypatch):
    import cases.selectors.places as places

    jean = Person.objects.get(tree=imported.tree, given_names="Jean-Pierre")
    Event.objects.create(tree=imported.tree, person=jean, tag="CENS", date="", place="Paris")  # undated: last
    monkeypatch.setattr(places, "PLACE_PAGE_LIMIT", 1)
    (event,) = place_events(access=imported, place="Paris")
    assert event.label == "Residence"  # BET 1880 AND 1885 comes before an undated census
