"""Sources, repositories and citations: editing them, what they may point at, and who may."""

from __future__ import annotations

import pytest

from cases.access import tree_access_get
from cases.errors import InvalidInput, NotFound, PermissionDenied
from cases.models import Citation, Event, Repository, Role, Source
from cases.services.repositories import repository_create, repository_delete, repository_update
from cases.services.sources import (
    citation_create,
    citation_delete,
    citation_update,
    source_create,
    source_delete,
    source_update,
)
from cases.services.trees import tree_create
from tests.factories import UserFactory


def test_source_update_changes_fields_and_repository(small_tree):
    access = small_tree.owner_access
    archives = repository_create(access=access, name="  County Archives ", address="1 High St")
    source = source_create(access=access, title="Register")
    source_update(
        access=access,
        source=source,
        title=" Parish register ",
        author="Rev. Smith",
        publication="MS",
        repository=archives,
    )
    source.refresh_from_db()
    assert (source.title, source.author, source.publication, source.repository) == (
        "Parish register",
        "Rev. Smith",
        "MS",
        archives,
    )
    assert archives.name == "County Archives"
    with pytest.raises(InvalidInput, match="needs a title"):
        source_update(access=access, source=source, title="  ")
    source.refresh_from_db()
    assert source.title == "Parish register"


def test_deleting_a_repository_keeps_its_sources(small_tree):
    access = small_tree.owner_access
    archives = repository_create(access=access, name="Archives")
    source = source_create(access=access, title="Census", repository=archives)
    repository_update(access=access, repository=archives, name="Record office", address="Ely")
    assert Repository.objects.get(pk=archives.pk).name == "Record office"
    repository_delete(access=access, repository=archives)
    source.refresh_from_db()
    assert source.repository is None


def test_source_delete_takes_its_citations_but_not_the_person(small_tree):
    access = small_tree.owner_access
    source = source_create(access=access, title="Census")
    citation_create(access=access, source=source, person=small_tree.child, page="p. 3")
    citation_create(access=access, source=source, family=small_tree.child.parent_links.get().family)
    assert source_delete(access=access, source=source) == 2
    assert not Citation.objects.exists() and not Source.objects.exists()
    small_tree.child.refresh_from_db()


def test_citation_of_an_event_belongs_to_the_events_owner(small_tree):
    access = small_tree.owner_access
    source = source_create(access=access, title="Census")
    event = Event.objects.create(tree=small_tree.tree, person=small_tree.father, tag="RESI", place="Ely")
    citation = citation_create(access=access, source=source, event=event, page="RG14", quality=2)
    assert (citation.person, citation.family, citation.event) == (small_tree.father, None, event)
    with pytest.raises(InvalidInput, match="belongs to someone else"):
        citation_create(access=access, source=source, event=event, person=small_tree.child)
    with pytest.raises(InvalidInput, match="cannot also name another fact"):
        citation_update(access=access, citation=citation, source=source, fact="BIRT")


def test_citation_update_and_delete(small_tree):
    access = small_tree.owner_access
    census, register = (source_create(access=access, title=t) for t in ("Census", "Register"))
    citation = citation_create(access=access, source=census, person=small_tree.child, fact="BIRT")
    citation_update(
        access=access, citation=citation, source=register, fact="DEAT", page=" f. 9 ", quality=0, text="Buried 3 May"
    )
    citation.refresh_from_db()
    assert (citation.source, citation.fact, citation.page, citation.quality, citation.text) == (
        register,
        "DEAT",
        "f. 9",
        0,
        "Buried 3 May",
    )
    for bad in ({"quality": 4}, {"fact": "BAPM"}):
        with pytest.raises(InvalidInput):
            citation_update(access=access, citation=citation, source=register, **bad)
    citation.refresh_from_db()
    assert citation.quality == 0 and citation.fact == "DEAT"
    citation_delete(access=access, citation=citation)
    assert not Citation.objects.exists() and Source.objects.count() == 2


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CASEWORKER, Role.AUDITOR])
def test_only_editors_edit_evidence(small_tree, role):
    owner = small_tree.owner_access
    archives = repository_create(access=owner, name="Archives")
    source = source_create(access=owner, title="Census")
    citation = citation_create(access=owner, source=source, person=small_tree.child)
    access = tree_access_get(user=small_tree.users[role], tree_id=small_tree.tree.pk)
    attempts = [
        lambda: source_create(access=access, title="X"),
        lambda: source_update(access=access, source=source, title="X"),
        lambda: source_delete(access=access, source=source),
        lambda: repository_create(access=access, name="X"),
        lambda: repository_update(access=access, repository=archives, name="X"),
        lambda: repository_delete(access=access, repository=archives),
        lambda: citation_create(access=access, source=source, person=small_tree.father),
        lambda: citation_update(access=access, citation=citation, source=source, page="X"),
        lambda: citation_delete(access=access, citation=citation),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert (Source.objects.get().title, Repository.objects.get().name, Citation.objects.get().page) == (
        "Census",
        "Archives",
        "",
    )


def test_evidence_of_another_tree_is_refused(small_tree):
    access = small_tree.owner_access
    other_access = tree_access_get(user=(other := UserFactory()), tree_id=tree_create(name="Other", owner=other).pk)
    foreign_repository = repository_create(access=other_access, name="Elsewhere")
    foreign_source = source_create(access=other_access, title="Theirs")
    with pytest.raises(InvalidInput):
        source_create(access=access, title="Mine", repository=foreign_repository)
    with pytest.raises(NotFound):
        source_update(access=access, source=foreign_source, title="Mine")
    with pytest.raises(NotFound):
        repository_delete(access=access, repository=foreign_repository)
    with pytest.raises(InvalidInput):
        citation_create(access=access, source=foreign_source, person=small_tree.child)


def test_an_imported_quality_is_shown_edited_and_cleared_for_good(small_tree, tmp_path):
    from cases.services.gedcom import gedcom_export, gedcom_import
    from tests.factories import UserFactory as Users

    owner = Users()
    access = tree_access_get(user=owner, tree_id=tree_create(name="Imported", owner=owner).pk)
    path = tmp_path / "quay.ged"
    path.write_text(
        "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n2 FORM LINEAGE-LINKED\n1 CHAR UTF-8\n"
        "0 @I1@ INDI\n1 NAME Ann /Lee/\n1 SOUR @S1@\n2 PAGE p. 4\n2 QUAY 2\n"
        "0 @S1@ SOUR\n1 TITL Census\n0 TRLR\n",
        encoding="utf-8",
    )
    gedcom_import(access=access, path=path)
    citation = Citation.objects.get(source__tree=access.tree)
    assert citation.quality == 2
    citation_update(access=access, citation=citation, source=citation.source, page="p. 4", quality=None)
    assert "QUAY" not in gedcom_export(access=access).content.decode()
    citation_update(access=access, citation=citation, source=citation.source, page="p. 4", quality=1)
    assert "2 QUAY 1" in gedcom_export(access=access).content.decode()
