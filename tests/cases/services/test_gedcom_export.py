"""GEDCOM export: round trips through import, extension tags, validity, privacy and synthetic portraits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from cases.access import tree_access_get
from cases.errors import InvalidInput
from cases.genealogy.gedcom import read_gedcom
from cases.models import ChildLink, Event, Family, Note, Person, Photo, Source
from cases.services.gedcom import gedcom_export, gedcom_import
from cases.services.trees import tree_create
from tests.factories import UserFactory
from tests.gedcom_files import FILE_70, FILE_551, zipped


@pytest.fixture
def owner(db):
    return UserFactory(username="exporter")


def _tree_access(owner, name: str):
    return tree_access_get(user=owner, tree_id=tree_create(name=name, owner=owner).pk)


def _import(access, tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    gedcom_import(access=access, path=path)


def _summary(tree, *, same_version: bool = True) -> dict:
    """Return what a round trip must keep, keyed by primary name (database ids and xrefs left out).

    Within one version dates must come back as the same text; across versions the text follows the
    other version's syntax (5.5.1 ``@#DJULIAN@`` is 7.0 ``JULIAN``), so the day ranges are compared.
    """

    def date(text, start, end, data=None):
        if same_version:
            return text, (data or {}).get("phrase", "")
        return start, end

    persons = {}
    for person in Person.objects.filter(tree=tree):
        key = f"{person.given_names} {person.surname}"
        persons[key] = {
            "sex": person.sex,
            "birth": (date(person.birth_date, person.birth_date_start, person.birth_date_end), person.birth_place),
            "death": (
                date(person.death_date, person.death_date_start, person.death_date_end),
                person.death_place,
                person.is_deceased,
            ),
            "names": sorted((n.given_names, n.surname, n.name_type) for n in person.alternate_names.all()),
            "events": sorted(
                (e.tag, e.event_type, e.value, date(e.date, e.date_start, e.date_end, e.gedcom_data), e.place)
                for e in Event.objects.filter(person=person)
            ),
            "notes": sorted(Note.objects.filter(person=person).values_list("text", flat=True)),
            "citations": sorted((c.source.title, c.page) for c in person.citations.all()),
            "photos": sorted(p.sha256 for p in person.photos.all()),
            "extra": person.gedcom_data.get("extra", []),
            "parents": sorted(
                (link.family.partner1.given_names if link.family.partner1 else "", link.pedigree)
                for link in ChildLink.objects.filter(child=person)
            ),
        }
    families = sorted(
        (
            f.partner1.given_names if f.partner1 else "",
            f.partner2.given_names if f.partner2 else "",
            f.start_date,
            f.family_type,
            tuple(sorted(Note.objects.filter(family=f).values_list("text", flat=True))),
            tuple(f.gedcom_data.get("extra", [])).__repr__(),
        )
        for f in Family.objects.filter(tree=tree)
    )
    sources = sorted((s.title, s.author, s.publication) for s in Source.objects.filter(tree=tree))
    return {"persons": persons, "families": families, "sources": sources}


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
@pytest.mark.parametrize("text", [FILE_551, FILE_70], ids=["from-551", "from-70"])
def test_import_export_import_round_trip_keeps_everything(owner, tmp_path, portrait_jpeg, version, text):
    first = _tree_access(owner, "First")
    media = {"photos/jean.jpg": portrait_jpeg} if text is FILE_551 else {"media/ada.png": _png()}
    _import(first, tmp_path, "in.zip", zipped(text, media))
    exported = gedcom_export(access=first, version=version, as_zip=True)
    assert exported.content_type == "application/zip"

    second = _tree_access(owner, "Second")
    _import(second, tmp_path, "out.zip", exported.content)

    same = (version == "7.0") == (text is FILE_70)
    before, after = _summary(first.tree, same_version=same), _summary(second.tree, same_version=same)
    assert after == before
    assert any(p["photos"] for p in after["persons"].values())


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_extension_tags_and_unknown_records_come_back(owner, tmp_path, version):
    access = _tree_access(owner, "Ext")
    _import(access, tmp_path, "in.ged", FILE_551.encode())
    text = gedcom_export(access=access, version=version).content.decode("utf-8")
    for line in (
        "1 _MILT Served in the 3rd regiment",
        "2 _UNIT 3rd",
        "1 _STAT Married",
        "_CUSTOM_RECORD",
        "1 _FIELD kept as is",
        "1 NAME Archives départementales",
        "3 QUAY 2",
        "4 LATI N48.8566",
    ):
        assert line in text, line
    document = read_gedcom(text.encode())
    assert len(document.individuals) == 5 and len(document.families) == 1


def test_70_export_passes_an_independent_validator(owner, tmp_path, portrait_jpeg):
    gedcom7 = pytest.importorskip("gedcom7")
    access = _tree_access(owner, "Valid")
    _import(access, tmp_path, "in.zip", zipped(FILE_551, {"photos/jean.jpg": portrait_jpeg}))
    # A second file in the same tree reuses @I1@, @N1@, @M1@: the export must keep xrefs unique.
    _import(access, tmp_path, "in70.ged", FILE_70.replace("_MILT", "_HOBBY").encode())
    Photo.objects.update(is_synthetic=True)
    written = gedcom_export(access=access, version="7.0").content.decode("utf-8")
    assert [str(f) for f in gedcom7.validate(gedcom7.loads(written))] == []
    document = read_gedcom(written.encode())
    assert len(document.individuals) == 7 and len(document.notes) == 2
    ada = next(p for p in document.individuals if p.names[0].given == "Ada")
    shared = {note.xref: note.text for note in document.notes}
    assert [shared[n.pointer] for n in ada.notes if n.pointer] == ["Shared note text"]


def test_viewer_export_hides_living_persons_details(small_tree):
    from cases.services.persons import person_update

    owner_access = small_tree.owner_access
    person_update(access=owner_access, person=small_tree.child, birth_place="Springfield")
    owner_text = gedcom_export(access=owner_access).content.decode()
    assert "Eve /Old/" in owner_text and "Springfield" in owner_text

    viewer = tree_access_get(user=small_tree.users["viewer"], tree_id=small_tree.tree.pk)
    text = gedcom_export(access=viewer, version="7.0").content.decode()
    assert "Eve" not in text and "Springfield" not in text and "1990" not in text
    assert "Diana" not in text and "Young" not in text
    assert text.count("1 NAME Living //") == 2
    assert "Albert /Old/" in text and "1890" in text  # the dead keep their details
    document = read_gedcom(text.encode())
    living = [p for p in document.individuals if p.names[0].given == "Living"]
    assert all(not p.events and not p.notes and not p.media and not p.sex for p in living)
    assert all(p.child_of or p.partner_in for p in living)  # the tree keeps its shape


def test_synthetic_portraits_are_marked(small_tree, portrait_jpeg):
    photo = Photo(
        tree=small_tree.tree,
        sha256="ab" * 32,
        image_format="JPEG",
        byte_size=len(portrait_jpeg),
        width=10,
        height=10,
        is_synthetic=True,
        original_name="candidate.jpg",
    )
    photo.original.save("x", ContentFile(portrait_jpeg), save=False)
    photo.save()
    photo.persons.add(small_tree.grandfather)
    for version in ("5.5.1", "7.0"):
        exported = gedcom_export(access=small_tree.owner_access, version=version, as_zip=True)
        with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
            text = archive.read("gedcom.ged").decode("utf-8")
            assert f"media/{photo.sha256}.jpeg" in archive.namelist()
        assert "1 _SYNTHETIC Y" in text
        assert "Synthetic portrait generated by Kinship" in text
        if version == "7.0":
            assert "2 TAG _SYNTHETIC https://" in text


def test_synthetic_mark_survives_reimport(owner, tmp_path, portrait_jpeg):
    first = _tree_access(owner, "Synth")
    _import(first, tmp_path, "in.zip", zipped(FILE_551, {"photos/jean.jpg": portrait_jpeg}))
    Photo.objects.filter(tree=first.tree).update(is_synthetic=True)
    exported = gedcom_export(access=first, version="7.0", as_zip=True)
    second = _tree_access(owner, "Synth 2")
    _import(second, tmp_path, "out.gdz", exported.content)
    assert Photo.objects.get(tree=second.tree).is_synthetic


def test_unknown_version_is_refused(small_tree):
    with pytest.raises(InvalidInput):
        gedcom_export(access=small_tree.owner_access, version="5.5")


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_export_query_count_does_not_grow_with_the_tree(small_tree, tmp_path, portrait_jpeg):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    access = small_tree.owner_access
    _import(access, tmp_path, "first.zip", zipped(FILE_551, {"photos/jean.jpg": portrait_jpeg}))
    with CaptureQueriesContext(connection) as small:
        gedcom_export(access=access)
    _import(access, tmp_path, "more.zip", zipped(FILE_70, {"media/ada.png": _png()}))
    with CaptureQueriesContext(connection) as large:
        gedcom_export(access=access)
    assert len(large) == len(small)
