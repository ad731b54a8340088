"""Notes on persons and families: free text a genealogist writes down."""

from __future__ import annotations

from cases.access import TreeAccess
from cases.errors import InvalidInput
from cases.models import Family, Note, Person
from cases.services.records import record_subject_check


def note_create(*, access: TreeAccess, text: str, person: Person | None = None, family: Family | None = None) -> Note:
    """Attach a note to a person or a family."""
    record_subject_check(access=access, person=person, family=family)
    return Note.objects.create(tree=access.tree, person=person, family=family, text=_text(text))


def note_update(*, access: TreeAccess, note: Note, text: str) -> Note:
    """Change a note's text."""
    _check_note(access, note)
    note.text = _text(text)
    note.save(update_fields=["text"])
    return note


def note_delete(*, access: TreeAccess, note: Note) -> None:
    """Delete a note."""
    _check_note(access, note)
    note.delete()


def _text(text: str) -> str:
    if not text.strip():
        raise InvalidInput("A note cannot be empty.", extra={"field": "text"})
    return text.strip()


def _check_note(access: TreeAccess, note: Note) -> None:
    if note.tree_id != access.tree.pk:
        raise InvalidInput("That note belongs to another tree.")
    record_subject_check(access=access, person=note.person, family=note.family)
