"""The family page links to the tree history narrowed to that family's changes."""

from __future__ import annotations

from django.urls import reverse

from cases.models import RecordChange, Role
from cases.selectors.history import record_changes
from cases.services.events import event_create, event_delete
from cases.services.families import family_update
from cases.services.notes import note_create
from cases.services.persons import person_update
from cases.services.sources import citation_create, source_create


def _parents(small_tree):
    return small_tree.child.parent_links.get().family


def test_family_filter_keeps_the_family_and_what_hangs_on_it(small_tree):
    access, family = small_tree.owner_access, _parents(small_tree)
    grandparents = small_tree.father.parent_links.get().family
    family_update(access=access, family=family, family_type="married")
    family_update(access=access, family=grandparents, family_type="married")
    wedding = event_create(access=access, family=family, tag="MARR", date="1985")
    citation_create(access=access, source=source_create(access=access, title="Parish register"), event=wedding)
    note_create(access=access, family=family, text="Wed in spring")
    divorce = event_create(access=access, family=family, tag="DIV", date="2001")
    event_delete(access=access, event=divorce)
    person_update(access=access, person=small_tree.father, given_names="Charlie")
    kept = {(c.record_type, c.action) for c in record_changes(access=access, family_id=family.pk)}
    assert kept == {
        ("family", "create"),
        ("family", "update"),
        ("child_link", "create"),
        ("event", "create"),
        ("event", "delete"),
        ("citation", "create"),
        ("note", "create"),
    }
    others = record_changes(access=access, family_id=grandparents.pk)
    assert {c.object_id for c in others if c.record_type == "family"} == {grandparents.pk}
    assert all(c.record_type != "person" for c in record_changes(access=access, family_id=family.pk))
    assert RecordChange.objects.filter(record_type="person", object_id=small_tree.father.pk, action="update").exists()


def test_family_page_links_to_its_history_page(small_tree, client):
    family = _parents(small_tree)
    family_update(access=small_tree.owner_access, family=family, family_type="married")
    person_update(access=small_tree.owner_access, person=small_tree.grandfather, given_names="Bert")
    client.force_login(small_tree.users[Role.VIEWER])
    url = reverse("tree-history", kwargs={"tree_id": small_tree.tree.pk}) + f"?family={family.pk}"
    assert f'href="{url}"' in client.get(family.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert "Change history of the family of" in page and "Old, Charles" not in page
    # The mother was born in 1960 and is living: her name stays hidden from a viewer here too.
    assert "Charles Old" in page and "Diana" not in page and "Living person" in page
    assert "3 changes." in page and "Bert" not in page
    assert "Married" not in page and "details hidden from your role" in page
    client.force_login(small_tree.users[Role.OWNER])
    assert "Married" in client.get(url).content.decode()
    filtered = client.get(url + "&record_type=child_link").content.decode()
    assert "1 change." in filtered and f'name="family" value="{family.pk}"' in filtered


def test_a_family_outside_the_tree_or_scope_is_not_found(small_tree, client):
    client.force_login(small_tree.users[Role.VIEWER])
    url = reverse("tree-history", kwargs={"tree_id": small_tree.tree.pk})
    assert client.get(url + "?family=999999").status_code == 404
    assert client.get(url + "?family=abc").status_code == 400


def test_the_api_offers_the_same_filter(small_tree, client):
    family = small_tree.child.parent_links.get().family
    family_update(access=small_tree.owner_access, family=family, family_type="married")
    client.force_login(small_tree.users[Role.OWNER])
    url = reverse("api-history", kwargs={"tree_id": small_tree.tree.pk})
    results = client.get(url, {"family": family.pk}).json()["results"]
    assert {(row["record_type"], row["action"]) for row in results} == {
        ("family", "create"),
        ("family", "update"),
        ("child_link", "create"),
    }
    assert client.get(url, {"family": 999999}).status_code == 404
