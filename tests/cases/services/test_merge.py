"""Merging two records of one person: every attached record moves, refusals, one transaction, audited."""

from __future__ import annotations

import pytest

from cases.access import tree_access_get
from cases.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cases.models import (
    AuditEvent,
    Case,
    ChildLink,
    Citation,
    Event,
    Face,
    Family,
    GenerationJob,
    Membership,
    Note,
    Person,
    PersonName,
    Photo,
    Role,
    Source,
)
from cases.services import merge as merge_service
from cases.services.families import family_child_add, family_create
from cases.services.merge import persons_merge
from cases.services.persons import person_create
from cases.services.trees import tree_create
from tests.factories import MembershipFactory, UserFactory


def _photo(tree, name: str) -> Photo:
    return Photo.objects.create(
        tree=tree,
        original=f"{name}.jpg",
        sha256=name.ljust(64, "0"),
        image_format="JPEG",
        byte_size=1,
        width=100,
        height=100,
    )


@pytest.fixture
def royals(db):
    """Victoria recorded twice: once with her parents, once (as HANOVER) with her husband, records and photo."""
    owner = UserFactory(username="merge-owner")
    tree = tree_create(name="Royals", owner=owner)
    access = tree_access_get(user=owner, tree_id=tree.pk)
    p = {}
    for key, given, surname, sex, born in [
        ("edward", "Edward", "Kent", "M", "1767"),
        ("victoire", "Victoire", "Saxe-Coburg", "F", "1786"),
        ("victoria", "Victoria", "Hanover", "F", ""),
        ("copy", "Alexandrina Victoria", "HANOVER", "F", "24 MAY 1819"),
        ("albert", "Albert", "Saxe-Coburg", "M", "1819"),
        ("vicky", "Victoria", "Saxe-Coburg", "F", "1840"),
        ("bertie", "Albert Edward", "Saxe-Coburg", "M", "1841"),
    ]:
        p[key] = person_create(access=access, given_names=given, surname=surname, sex=sex, birth_date=born)
    kent = family_create(access=access, partner1=p["edward"], partner2=p["victoire"])
    family_child_add(access=access, family=kent, child=p["victoria"])
    family_child_add(access=access, family=kent, child=p["copy"])  # the same child recorded twice
    royal = family_create(access=access, partner1=p["albert"], partner2=p["victoria"], start_date="10 FEB 1840")
    family_child_add(access=access, family=royal, child=p["vicky"])
    royal_copy = family_create(access=access, partner1=p["albert"], partner2=p["copy"], family_type="married")
    family_child_add(access=access, family=royal_copy, child=p["vicky"])
    family_child_add(access=access, family=royal_copy, child=p["bertie"])
    copy = p["copy"]
    copy.gedcom_xref, copy.gedcom_data = "@I9@", {"extra": [{"tag": "_UID", "value": "X"}]}
    copy.birth_place = "Kensington Palace"
    copy.save()
    PersonName.objects.create(person=copy, name_type="religious", given_names="Drina")
    Event.objects.create(tree=tree, person=copy, tag="TITL", value="Queen")
    Note.objects.create(tree=tree, person=copy, text="Crowned 1838.")
    Citation.objects.create(source=Source.objects.create(tree=tree, title="Court Circular"), person=copy, page="1")
    photo = _photo(tree, "aa")
    photo.persons.add(copy)
    face = Face.objects.create(photo=photo, person=copy, left=1, top=1, right=50, bottom=50)
    copy.portrait_face = face
    copy.save(update_fields=["portrait_face"])
    shared = _photo(tree, "bb")
    shared.persons.add(copy, p["victoria"])
    reader = UserFactory(username="merge-reader")
    MembershipFactory(tree=tree, user=reader, role=Role.VIEWER, scope_person=copy, scope_depth=1)
    Case.objects.create(tree=tree, organisation="Agency", number="1", missing_person=copy, favoured_parent=copy)
    albert_face = Face.objects.create(photo=shared, person=p["albert"], left=60, top=1, right=99, bottom=50)
    GenerationJob.objects.create(
        tree=tree,
        family=royal_copy,
        child=copy,
        engine="offline",
        params={},
        seed=1,
        num_candidates=1,
        father_face=albert_face,
        mother_face=face,
    )
    return (
        access,
        p,
        {"kent": kent, "royal": royal, "royal_copy": royal_copy, "photo": photo, "face": face, "shared": shared},
    )


def test_everything_attached_moves_to_the_kept_person(royals):
    access, p, f = royals
    keep, copy = p["victoria"], p["copy"]
    merged = persons_merge(access=access, keep=keep, remove=copy, choices={"birth_date": "remove"})
    assert not Person.objects.filter(pk=copy.pk).exists()
    assert merged.pk == keep.pk
    assert (merged.given_names, merged.surname) == ("Victoria", "Hanover")
    assert merged.birth_date == "24 MAY 1819" and merged.birth_date_start.year == 1819
    assert merged.birth_place == "Kensington Palace"  # only the copy had one: taken without asking
    assert merged.estimated_birth_year == 1819  # refreshed after the merge
    names = {(n.name_type, n.given_names, n.surname) for n in merged.alternate_names.all()}
    assert names == {("religious", "Drina", ""), ("aka", "Alexandrina Victoria", "HANOVER")}
    assert list(merged.events.values_list("tag", flat=True)) == ["TITL"]
    assert list(merged.notes.values_list("text", flat=True)) == ["Crowned 1838."]
    assert merged.citations.get().page == "1"
    # One child link per family; the copy's parents were the same family.
    assert list(ChildLink.objects.filter(child=merged).values_list("family_id", flat=True)) == [f["kent"].pk]
    # The two marriages to Albert became identical: one family with both children, the copy's type kept.
    families = list(Family.objects.filter(partner2=merged))
    assert [family.pk for family in families] == [f["royal"].pk]
    royal = families[0]
    assert royal.family_type == "married" and royal.start_date == "10 FEB 1840"
    assert sorted(royal.child_links.values_list("child__given_names", flat=True)) == ["Albert Edward", "Victoria"]
    assert not Family.objects.filter(pk=f["royal_copy"].pk).exists()
    assert GenerationJob.objects.get().family_id == royal.pk and GenerationJob.objects.get().child_id == merged.pk
    assert set(Photo.objects.filter(persons=merged).values_list("pk", flat=True)) == {f["photo"].pk, f["shared"].pk}
    assert Face.objects.get(pk=f["face"].pk).person_id == merged.pk
    assert merged.portrait_face_id == f["face"].pk  # the kept person had none
    assert Membership.objects.get(user__username="merge-reader").scope_person_id == merged.pk
    case = Case.objects.get()
    assert (case.missing_person_id, case.favoured_parent_id) == (merged.pk, merged.pk)
    assert merged.gedcom_xref == "@I9@"
    assert merged.gedcom_data["extra"] == [{"tag": "_UID", "value": "X"}]
    assert merged.gedcom_data["merged_xrefs"] == ["@I9@"]
    event = AuditEvent.objects.get(action="person.merged")
    assert event.object_id == merged.pk and event.actor == access.user
    assert event.payload["removed_person_id"] == copy.pk and event.payload["removed_gedcom_xref"] == "@I9@"
    assert "Alexandrina" not in str(event.payload)  # no names in the append-only trail
    assert event.payload["choices"]["birth_date"] == "remove"
    assert event.payload["moved"]["families merged"] == 1


def test_the_chosen_name_wins_and_the_other_stays_as_an_alternate(royals):
    access, p, _ = royals
    merged = persons_merge(access=access, keep=p["victoria"], remove=p["copy"], choices={"name": "remove"})
    assert (merged.given_names, merged.surname) == ("Alexandrina Victoria", "HANOVER")
    assert merged.alternate_names.filter(given_names="Victoria", surname="Hanover").exists()


def test_a_hair_colour_only_the_removed_record_states_is_kept_and_a_choice_settles_two(royals):
    access, p, _ = royals
    Person.objects.filter(pk=p["copy"].pk).update(hair_colour="light_brown")
    merged = persons_merge(access=access, keep=p["victoria"], remove=p["copy"])
    assert merged.hair_colour == "light_brown"
    Person.objects.filter(pk=p["edward"].pk).update(hair_colour="black")
    twin = person_create(access=access, given_names="Edward", surname="Hanover", hair_colour="red")
    merged = persons_merge(access=access, keep=p["edward"], remove=twin, choices={"hair_colour": "remove"})
    assert merged.hair_colour == "red"


def test_conflicting_pedigrees_are_refused_then_settled_by_a_choice(royals):
    access, p, f = royals
    ChildLink.objects.filter(child=p["copy"], family=f["kent"]).update(pedigree="adopted")
    with pytest.raises(Conflict, match="choose which pedigree to keep"):
        persons_merge(access=access, keep=p["victoria"], remove=p["copy"])
    assert Person.objects.filter(pk=p["copy"].pk).exists()
    merged = persons_merge(
        access=access, keep=p["victoria"], remove=p["copy"], choices={f"pedigree_{f['kent'].pk}": "remove"}
    )
    assert ChildLink.objects.get(child=merged, family=f["kent"]).pedigree == "adopted"


def test_an_error_midway_leaves_nothing_half_done(royals, monkeypatch):
    access, p, f = royals
    before = {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Person, Family, ChildLink, PersonName, Event, Note, Citation, Face)
    }

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(merge_service, "audit_record", broken)
    with pytest.raises(RuntimeError):
        persons_merge(access=access, keep=p["victoria"], remove=p["copy"])
    after = {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Person, Family, ChildLink, PersonName, Event, Note, Citation, Face)
    }
    assert after == before
    assert Face.objects.get(pk=f["face"].pk).person_id == p["copy"].pk
    assert Case.objects.get().missing_person_id == p["copy"].pk
    assert Family.objects.get(pk=f["royal_copy"].pk).partner2_id == p["copy"].pk


def test_refusals(royals):
    access, p, _ = royals
    with pytest.raises(InvalidInput, match="themself"):
        persons_merge(access=access, keep=p["victoria"], remove=p["victoria"])
    with pytest.raises(InvalidInput, match="own parent or child"):
        persons_merge(access=access, keep=p["victoria"], remove=p["vicky"])
    with pytest.raises(InvalidInput, match="own parent or child"):
        persons_merge(access=access, keep=p["edward"], remove=p["copy"])
    with pytest.raises(InvalidInput, match="partner"):
        persons_merge(access=access, keep=p["albert"], remove=p["victoria"])
    with pytest.raises(InvalidInput, match="Unknown merge choice"):
        persons_merge(access=access, keep=p["victoria"], remove=p["copy"], choices={"favourite_colour": "keep"})
    other_tree = tree_create(name="Elsewhere", owner=access.user)
    stranger = person_create(
        access=tree_access_get(user=access.user, tree_id=other_tree.pk), given_names="Victoria", surname="Hanover"
    )
    with pytest.raises(InvalidInput, match="same tree"):
        persons_merge(access=access, keep=p["victoria"], remove=stranger)
    assert Person.objects.filter(pk=p["copy"].pk).exists()


def test_persons_hidden_from_the_user_cannot_be_merged(royals):
    access, p, _ = royals
    editor = UserFactory(username="merge-editor")
    MembershipFactory(tree=access.tree, user=editor, role=Role.EDITOR, can_see_living=False)
    editor_access = tree_access_get(user=editor, tree_id=access.tree.pk)
    living = person_create(access=access, given_names="Young", surname="Windsor", birth_date="2001")
    twin = person_create(access=access, given_names="Young", surname="Windsor", birth_date="2001")
    with pytest.raises(PermissionDenied, match="hidden from you"):
        persons_merge(access=editor_access, keep=living, remove=twin)
    scoped = UserFactory(username="merge-scoped")
    MembershipFactory(tree=access.tree, user=scoped, role=Role.EDITOR, scope_person=p["edward"], scope_depth=1)
    with pytest.raises(NotFound):
        persons_merge(
            access=tree_access_get(user=scoped, tree_id=access.tree.pk), keep=p["victoria"], remove=p["vicky"]
        )
    reader = tree_access_get(user=Membership.objects.get(user__username="merge-reader").user, tree_id=access.tree.pk)
    with pytest.raises(PermissionDenied):
        persons_merge(access=reader, keep=p["victoria"], remove=p["copy"])
