"""Change history: every write to a lineage record is recorded, attributed and revertible."""

from __future__ import annotations

import pytest

from cases.access import tree_access_get
from cases.errors import Conflict, NotFound, PermissionDenied
from cases.history import acting_as
from cases.models import (
    ChangeAction,
    Citation,
    Face,
    Family,
    Note,
    Person,
    PersonName,
    Photo,
    RecordChange,
    RecordType,
    Role,
    Source,
)
from cases.models.gedcom import Event
from cases.selectors.history import change_rows, record_changes
from cases.services.families import family_child_add, family_child_remove, family_create, family_delete
from cases.services.history import change_revert
from cases.services.notes import note_create
from cases.services.persons import person_create, person_delete, person_name_add, person_update
from cases.services.sources import citation_create, source_create


def latest(record_type: str | None = None) -> RecordChange:
    changes = RecordChange.objects.order_by("-pk")
    if record_type:
        changes = changes.filter(record_type=record_type)
    return changes.first()


@pytest.fixture
def owner(small_tree):
    return small_tree.owner_access


def test_person_update_is_recorded_with_user_before_and_after(small_tree, owner):
    with acting_as(owner.user):
        person_update(access=owner, person=small_tree.child, given_names="Evelyn", birth_date="1991")
    change = latest()
    assert change.record_type == RecordType.PERSON and change.action == ChangeAction.UPDATE
    assert change.object_id == small_tree.child.pk and change.user == owner.user and change.username == "owner"
    assert change.before["given_names"] == "Eve" and change.after["given_names"] == "Evelyn"
    assert change.before["birth_date_start"] == "1990-01-01" and change.after["birth_date_start"] == "1991-01-01"
    # Derived fields are not part of the snapshot, and the estimate refresh adds no change of its own.
    assert "estimated_birth_year" not in change.after and "updated_at" not in change.after
    assert (
        RecordChange.objects.filter(
            object_id=small_tree.child.pk, record_type=RecordType.PERSON, pk__gt=change.pk
        ).count()
        == 0
    )
    assert "Given names" in change.summary and "Birth date" in change.summary
    assert list(change.persons.values_list("person_id", flat=True)) == [small_tree.child.pk]


def test_no_change_without_a_real_difference(small_tree, owner):
    before = RecordChange.objects.count()
    person_update(access=owner, person=small_tree.child, given_names="Eve")
    small_tree.child.save(update_fields=["updated_at"])
    assert RecordChange.objects.count() == before


def test_without_acting_user_the_change_is_the_systems(small_tree, owner):
    person_update(access=owner, person=small_tree.child, surname="New")
    assert latest().user is None and latest().username == ""


def test_each_record_type_is_captured(small_tree, owner):
    child = small_tree.child
    family = Family.objects.get(partner1=small_tree.father)
    with acting_as(owner.user):
        person_name_add(access=owner, person=child, name_type="married", surname="Wed")
        assert latest().record_type == RecordType.ALTERNATE_NAME
        note_create(access=owner, text="Went to sea", person=child)
        assert latest().record_type == RecordType.NOTE and latest().after["text"] == "Went to sea"
        source = source_create(access=owner, title="Parish register")
        assert latest().record_type == RecordType.SOURCE
        citation_create(access=owner, source=source, person=child, page="p. 3")
        assert latest().record_type == RecordType.CITATION
        Event.objects.create(tree=small_tree.tree, person=child, tag="OCCU", value="Sailor")
        assert latest().record_type == RecordType.EVENT
        other = person_create(access=owner, given_names="Fred", surname="Young")
        assert latest(RecordType.PERSON).action == ChangeAction.CREATE
        new_family = family_create(access=owner, partner1=child, partner2=other)
        assert latest().record_type == RecordType.FAMILY
        assert set(latest().persons.values_list("person_id", flat=True)) == {child.pk, other.pk}
        link = family_child_add(access=owner, family=family, child=other)
        assert latest().record_type == RecordType.CHILD_LINK
        assert set(latest().persons.values_list("person_id", flat=True)) == {
            other.pk,
            small_tree.father.pk,
            small_tree.mother.pk,
        }
        family_child_remove(access=owner, link=link)
        assert latest().action == ChangeAction.DELETE and latest().record_type == RecordType.CHILD_LINK
        family_delete(access=owner, family=new_family)
        assert latest().record_type == RecordType.FAMILY and latest().after is None
    assert set(RecordChange.objects.filter(user=owner.user).values_list("record_type", flat=True)) == {
        RecordType.ALTERNATE_NAME,
        RecordType.NOTE,
        RecordType.SOURCE,
        RecordType.CITATION,
        RecordType.EVENT,
        RecordType.PERSON,
        RecordType.FAMILY,
        RecordType.CHILD_LINK,
    }


def test_face_assignment_and_portrait_are_captured(small_tree, owner):
    photo = Photo.objects.create(
        tree=small_tree.tree, sha256="a" * 64, image_format="JPEG", byte_size=1, width=100, height=100
    )
    face = Face.objects.create(photo=photo, left=1, top=1, right=50, bottom=50)
    assert not RecordChange.objects.filter(record_type=RecordType.FACE).exists()  # unassigned: detection output
    from cases.services.photos import person_choose_portrait

    person_choose_portrait(access=owner, person=small_tree.father, face=face)
    face_change = latest(RecordType.FACE)
    assert face_change.before["person_id"] is None and face_change.after["person_id"] == small_tree.father.pk
    person_change = latest(RecordType.PERSON)
    assert person_change.after["portrait_face_id"] == face.pk
    change_revert(access=owner, change=person_change)
    small_tree.father.refresh_from_db()
    assert small_tree.father.portrait_face_id is None


def test_revert_update_restores_before_values_and_is_recorded(small_tree, owner):
    person_update(access=owner, person=small_tree.child, given_names="Evelyn", birth_date="1991")
    change = latest()
    with acting_as(small_tree.users[Role.EDITOR]):
        editor = tree_access_get(user=small_tree.users[Role.EDITOR], tree_id=small_tree.tree.pk)
        revert = change_revert(access=editor, change=change)
    child = Person.objects.get(pk=small_tree.child.pk)
    assert child.given_names == "Eve" and child.birth_date == "1990" and child.estimated_birth_year == 1990
    assert revert.action == ChangeAction.REVERT and revert.reverts == change and revert.username == "editor"
    assert revert.before["given_names"] == "Evelyn" and revert.after["given_names"] == "Eve"
    with pytest.raises(Conflict, match=f"already reverted by change #{revert.pk}"):
        change_revert(access=owner, change=change)
    # Reverting the revert redoes the change.
    change_revert(access=owner, change=revert)
    assert Person.objects.get(pk=small_tree.child.pk).given_names == "Evelyn"


def test_revert_create_deletes_and_revert_delete_recreates_with_same_id(small_tree, owner):
    person = person_create(access=owner, given_names="Temp", surname="Person")
    created = latest(RecordType.PERSON)
    change_revert(access=owner, change=created)
    assert not Person.objects.filter(pk=person.pk).exists()
    deleted = latest(RecordType.PERSON)
    assert deleted.action == ChangeAction.REVERT and deleted.after is None
    change_revert(access=owner, change=deleted)
    again = Person.objects.get(pk=person.pk)
    assert (again.given_names, again.surname) == ("Temp", "Person")


def test_revert_of_person_deletion_brings_back_links_names_and_partner_places(small_tree, owner):
    mother = small_tree.mother
    mother_id = mother.pk
    person_name_add(access=owner, person=mother, name_type="birth", surname="Maiden")
    note_create(access=owner, text="A note", person=mother)
    family = Family.objects.get(partner2=mother)
    person_delete(access=owner, person=mother)
    family.refresh_from_db()
    assert family.partner2_id is None
    deletion = latest(RecordType.PERSON)
    assert deletion.action == ChangeAction.DELETE
    change_revert(access=owner, change=deletion)
    family.refresh_from_db()
    assert family.partner2_id == mother_id
    assert PersonName.objects.filter(person_id=mother_id, surname="Maiden").exists()
    assert Note.objects.filter(person_id=mother_id, text="A note").exists()


def test_refuses_to_revert_a_change_overtaken_by_a_newer_one(small_tree, owner):
    person_update(access=owner, person=small_tree.child, given_names="First")
    first = latest()
    person_update(access=owner, person=small_tree.child, given_names="Second")
    second = latest()
    with pytest.raises(
        Conflict,
        match=rf"changed again since change #{first.pk} \(Given names\); "
        rf"revert the newer change first \(change #{second.pk}\)",
    ):
        change_revert(access=owner, change=first)
    change_revert(access=owner, change=second)
    change_revert(access=owner, change=first)
    assert Person.objects.get(pk=small_tree.child.pk).given_names == "Eve"


def test_refuses_when_a_referenced_record_is_gone(small_tree, owner):
    source = source_create(access=owner, title="Census")
    citation = citation_create(access=owner, source=source, person=small_tree.child)
    Source.objects.filter(pk=source.pk).delete()
    citation_deletion = RecordChange.objects.get(
        record_type=RecordType.CITATION, object_id=citation.pk, action=ChangeAction.DELETE
    )
    with pytest.raises(Conflict, match="no longer exists; revert its deletion first"):
        change_revert(access=owner, change=citation_deletion)
    # The source's deletion restores its citations with it.
    change_revert(access=owner, change=latest(RecordType.SOURCE))
    assert Citation.objects.filter(pk=citation.pk, source_id=source.pk).exists()


def test_refuses_to_revert_a_creation_of_a_deleted_record(small_tree, owner):
    note = note_create(access=owner, text="Gone soon", person=small_tree.child)
    created = latest(RecordType.NOTE)
    Note.objects.filter(pk=note.pk).delete()
    with pytest.raises(Conflict, match="has been deleted since"):
        change_revert(access=owner, change=created)


def test_viewer_may_not_revert_and_sees_no_living_persons_values(small_tree, owner):
    person_update(access=owner, person=small_tree.child, given_names="Secret")  # living
    living_change = latest()
    person_update(access=owner, person=small_tree.grandfather, given_names="Bert")  # dead long ago
    dead_change = latest()
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    with pytest.raises(PermissionDenied):
        change_revert(access=viewer, change=dead_change)
    rows = {row.change.pk: row for row in change_rows(access=viewer, changes=list(record_changes(access=viewer)))}
    assert rows[living_change.pk].hidden and rows[living_change.pk].diffs == []
    assert "Secret" not in rows[living_change.pk].summary and "Eve" not in rows[living_change.pk].summary
    assert not rows[dead_change.pk].hidden
    assert [(d.label, d.before, d.after) for d in rows[dead_change.pk].diffs] == [("Given names", "Albert", "Bert")]
    # A family naming a living partner is hidden as a whole too.
    family_rows = [row for row in rows.values() if row.change.record_type == RecordType.FAMILY]
    assert family_rows and all(row.hidden == (small_tree.mother.pk in row.person_ids) for row in family_rows)
    owner_rows = change_rows(access=owner, changes=[living_change])
    assert not owner_rows[0].hidden and owner_rows[0].diffs[0].after == "Secret"


def test_scoped_member_never_sees_changes_outside_the_scope(small_tree, owner):
    from cases.models import Membership

    Membership.objects.filter(user=small_tree.users[Role.EDITOR]).update(
        scope_person=small_tree.grandfather, scope_depth=0
    )
    person_update(access=owner, person=small_tree.child, given_names="Outside")
    outside = latest()
    editor = tree_access_get(user=small_tree.users[Role.EDITOR], tree_id=small_tree.tree.pk)
    assert outside.pk not in set(record_changes(access=editor).values_list("pk", flat=True))
    with pytest.raises(NotFound):
        change_revert(access=editor, change=outside)


def test_change_person_filter(small_tree, owner):
    person_update(access=owner, person=small_tree.father, surname="Other")
    changes = record_changes(access=owner, person_id=small_tree.father.pk)
    types = set(changes.values_list("record_type", flat=True))
    assert types == {RecordType.PERSON, RecordType.FAMILY, RecordType.CHILD_LINK}
    assert set(record_changes(access=owner, record_type=RecordType.FAMILY).values_list("record_type", flat=True)) == {
        RecordType.FAMILY
    }


def test_bulk_gedcom_import_records_one_summary_not_one_row_per_record(small_tree, owner, tmp_path):
    from cases.services.gedcom.jobs import gedcom_import

    before = RecordChange.objects.count()
    path = tmp_path / "tiny.ged"
    path.write_text(
        "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n0 @I1@ INDI\n1 NAME Ann /Gale/\n"
        "0 @I2@ INDI\n1 NAME Bob /Gale/\n0 @F1@ FAM\n1 HUSB @I2@\n1 WIFE @I1@\n0 TRLR\n"
    )
    result = gedcom_import(access=owner, path=path)
    assert Person.objects.filter(tree=small_tree.tree, surname="Gale").count() == 2
    assert RecordChange.objects.count() == before, result


def test_finished_import_is_recorded_once_as_a_summary(small_tree, owner):
    from cases.models import GedcomImport, ImportState

    job = GedcomImport.objects.create(
        tree=small_tree.tree,
        original_name="kin.ged",
        sha256="b" * 64,
        state=ImportState.IMPORTING,
        created_by=owner.user,
    )
    job.state, job.result = ImportState.DONE, {"counts": {"persons": 2, "families": 1, "notes": 0}, "warning_count": 3}
    job.save()
    job.save()
    changes = RecordChange.objects.filter(record_type=RecordType.GEDCOM_IMPORT)
    assert [(c.object_id, c.user, c.summary) for c in changes] == [
        (job.pk, owner.user, "Imported GEDCOM file “kin.ged”: 2 persons, 1 families")
    ]


def test_deleting_a_tree_takes_its_history_without_recording_the_cascade(small_tree, owner):
    from cases.models import Tree

    person_update(access=owner, person=small_tree.child, given_names="Gone")
    tree_id = small_tree.tree.pk
    Tree.objects.get(pk=tree_id).delete()
    assert not RecordChange.objects.filter(tree_id=tree_id).exists()
    assert not Person.objects.filter(tree_id=tree_id).exists()


def test_refuses_a_revert_that_would_make_someone_their_own_ancestor(small_tree, owner):
    from cases.models import ChildLink

    link = ChildLink.objects.get(child=small_tree.father)
    family_child_remove(access=owner, link=link)
    removal = latest(RecordType.CHILD_LINK)
    # Since then the grandfather was recorded as the father's son.
    family_child_add(access=owner, family=Family.objects.get(partner1=small_tree.father), child=small_tree.grandfather)
    with pytest.raises(Conflict, match="their own ancestor"):
        change_revert(access=owner, change=removal)
    assert not ChildLink.objects.filter(pk=link.pk).exists()


def test_reverting_a_creation_keeps_the_deletion_rules(case_tree):
    owner = case_tree.owner_access
    created = RecordChange.objects.get(
        record_type=RecordType.PERSON, object_id=case_tree.child.pk, action=ChangeAction.CREATE
    )
    with pytest.raises(Conflict, match="cannot be deleted"):
        change_revert(access=owner, change=created)
    assert Person.objects.filter(pk=case_tree.child.pk).exists()


def test_reverting_a_creation_cascades_as_ordinary_deletions(small_tree, owner):
    person = person_create(access=owner, given_names="Brief")
    created = latest(RecordType.PERSON)
    note_create(access=owner, text="About Brief", person=person)
    revert = change_revert(access=owner, change=created)
    assert revert.record_type == RecordType.PERSON and revert.reverts == created
    note_deletion = latest(RecordType.NOTE)
    assert note_deletion.action == ChangeAction.DELETE and note_deletion.reverts is None
    assert note_deletion.batch == revert.batch != ""
    # Undoing the revert brings the note back with the person.
    change_revert(access=owner, change=revert)
    assert Note.objects.filter(person_id=created.object_id, text="About Brief").exists()


def test_deleted_persons_changes_follow_their_last_values(small_tree, owner):
    living = person_create(access=owner, given_names="Young", birth_date="2000")
    dead = person_create(access=owner, given_names="Old", birth_date="1800", death_date="1870")
    person_delete(access=owner, person=Person.objects.get(pk=living.pk))
    person_delete(access=owner, person=Person.objects.get(pk=dead.pk))
    viewer = tree_access_get(user=small_tree.users[Role.VIEWER], tree_id=small_tree.tree.pk)
    changes = list(RecordChange.objects.filter(record_type=RecordType.PERSON, action=ChangeAction.DELETE))
    hidden = {row.change.before["given_names"]: row.hidden for row in change_rows(access=viewer, changes=changes)}
    assert hidden == {"Young": True, "Old": False}
    assert not any(row.hidden for row in change_rows(access=owner, changes=changes))


def test_repository_changes_are_recorded_and_a_deletion_reverts(small_tree, owner):
    from cases.models import Repository
    from cases.services.repositories import repository_create, repository_delete, repository_update

    with acting_as(owner.user):
        repository = repository_create(access=owner, name="County Record Office")
        assert latest().record_type == RecordType.REPOSITORY and latest().action == ChangeAction.CREATE
        repository_update(access=owner, repository=repository, name="County Archives", address="High St")
        assert latest().before["name"] == "County Record Office" and latest().after["name"] == "County Archives"
        repository_id = repository.pk  # delete() clears it on the instance
        repository_delete(access=owner, repository=repository)
        deletion = latest(RecordType.REPOSITORY)
        assert deletion.action == ChangeAction.DELETE and deletion.before["address"] == "High St"
        change_revert(access=owner, change=deletion)
    assert Repository.objects.get(pk=repository_id).name == "County Archives"
