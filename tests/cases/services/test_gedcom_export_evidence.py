"""GEDCOM export of what is edited in Kinship: repositories, and citations of one event or fact."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.genealogy.gedcom import read_gedcom
from cases.models import Event, Person
from cases.services.families import family_create
from cases.services.gedcom import gedcom_export, gedcom_import
from cases.services.persons import person_create
from cases.services.repositories import repository_create
from cases.services.sources import citation_create, source_create
from cases.services.trees import tree_create
from tests.factories import UserFactory


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_repositories_and_fact_citations_are_written_where_they_belong(db, tmp_path: Path, version):
    owner = UserFactory(username="exporter")
    access = tree_access_get(user=owner, tree_id=tree_create(name="Evidence", owner=owner).pk)
    archives = repository_create(access=access, name="County Archives", address="Shire Hall, Cambridge")
    register = source_create(access=access, title="Parish register", repository=archives)
    ada = person_create(access=access, given_names="Ada", surname="Byron", sex="F")  # no birth date recorded
    bob = person_create(access=access, given_names="Bob", surname="Byron", sex="M", birth_date="1815")
    family = family_create(access=access, partner1=bob, partner2=ada, start_date="1835")
    census = Event.objects.create(tree=access.tree, person=bob, tag="CENS", date="1841", place="London")
    citation_create(access=access, source=register, person=ada, fact="BIRT", page="entry 42", quality=3)
    citation_create(access=access, source=register, event=census, page="RG 9")
    citation_create(access=access, source=register, family=family, fact="MARR", page="f. 7")
    citation_create(access=access, source=register, person=bob, page="whole")

    text = gedcom_export(access=access, version=version).content.decode("utf-8")
    assert f"0 @KR{archives.pk}@ REPO" in text and "1 NAME County Archives" in text and "Shire Hall" in text
    assert f"1 REPO @KR{archives.pk}@" in text
    document = read_gedcom(io.BytesIO(text.encode("utf-8")))
    people = {i.names[0].given: i for i in document.individuals}
    birth = next(e for e in people["Ada"].events if e.tag == "BIRT")
    assert [(c.page, [(n.tag, n.value) for n in c.extra]) for c in birth.citations] == [("entry 42", [("QUAY", "3")])]
    census_out = next(e for e in people["Bob"].events if e.tag == "CENS")
    assert [c.page for c in census_out.citations] == ["RG 9"]
    assert [c.page for c in people["Bob"].citations] == ["whole"]  # only the whole-record citation stays there
    marriage = next(e for e in document.families[0].events if e.tag == "MARR")
    assert [c.page for c in marriage.citations] == ["f. 7"]

    # Importing the export elsewhere keeps every citation and the repository (as a raw REPO record).
    other = tree_access_get(user=owner, tree_id=tree_create(name="Copy", owner=owner).pk)
    path = tmp_path / "out.ged"
    path.write_bytes(text.encode("utf-8"))
    gedcom_import(access=other, path=path)
    again = gedcom_export(access=other, version=version).content.decode("utf-8")
    for expected in ("entry 42", "RG 9", "f. 7", "whole", "County Archives", "Shire Hall"):
        assert expected in again
    assert Person.objects.filter(tree=other.tree).count() == 2
