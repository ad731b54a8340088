"""Notes on persons and families: create, change, delete; empty text and other roles refused."""

from __future__ import annotations

import pytest

from cases.access import tree_access_get
from cases.errors import InvalidInput, PermissionDenied
from cases.models import Note, Role
from cases.services.notes import note_create, note_delete, note_update


def test_notes_on_a_person_and_a_family_are_written_changed_and_deleted(small_tree):
    access = small_tree.owner_access
    family = small_tree.father.families_as_partner1.get()
    on_person = note_create(access=access, person=small_tree.father, text="  Served in the navy.\n")
    on_family = note_create(access=access, family=family, text="Married in secret.")
    assert (on_person.text, on_person.person, on_family.family) == ("Served in the navy.", small_tree.father, family)
    note_update(access=access, note=on_person, text="Served in the Royal Navy, 1948–1950.")
    on_person.refresh_from_db()
    assert on_person.text == "Served in the Royal Navy, 1948–1950."
    note_delete(access=access, note=on_family)
    assert list(Note.objects.all()) == [on_person]


def test_an_empty_note_is_refused_and_nothing_changes(small_tree):
    access = small_tree.owner_access
    note = note_create(access=access, person=small_tree.father, text="Kept")
    with pytest.raises(InvalidInput, match="cannot be empty"):
        note_update(access=access, note=note, text="   ")
    with pytest.raises(InvalidInput, match="cannot be empty"):
        note_create(access=access, person=small_tree.father, text="")
    note.refresh_from_db()
    assert note.text == "Kept" and Note.objects.count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CASEWORKER, Role.AUDITOR])
def test_only_editors_and_owners_write_notes(small_tree, role):
    note = note_create(access=small_tree.owner_access, person=small_tree.father, text="Kept")
    access = tree_access_get(user=small_tree.users[role], tree_id=small_tree.tree.pk)
    for attempt in (
        lambda: note_create(access=access, person=small_tree.father, text="New"),
        lambda: note_update(access=access, note=note, text="Changed"),
        lambda: note_delete(access=access, note=note),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    note.refresh_from_db()
    assert note.text == "Kept"
