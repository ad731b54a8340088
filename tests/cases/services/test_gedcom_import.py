"""GEDCOM import into a tree: mapping, media, warnings, atomicity, re-import and malformed input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings

from cases.access import tree_access_get
from cases.errors import Conflict, GedcomRejected, PermissionDenied
from cases.models import (
    ChildLink,
    Citation,
    Event,
    Family,
    GedcomImport,
    GedcomRecord,
    ImportState,
    Note,
    Person,
    PersonName,
    Photo,
    Source,
)
from cases.services.gedcom import gedcom_import, gedcom_import_preview, gedcom_preview, gedcom_upload
from cases.services.trees import tree_create
from tests.factories import UserFactory
from tests.gedcom_files import BROKEN, FILE_70, FILE_551, zipped

MODELS = (Person, PersonName, Family, ChildLink, Event, Note, Source, Citation, Photo, GedcomRecord)


@pytest.fixture
def owner(db):
    return UserFactory(username="importer")


@pytest.fixture
def access(owner):
    tree = tree_create(name="Imported", owner=owner)
    return tree_access_get(user=owner, tree_id=tree.pk)


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _person(access, given: str) -> Person:
    return Person.objects.get(tree=access.tree, given_names=given)


def _files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _snapshot() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_551_maps_names_sex_events_places_notes_sources_and_pedigree(access, tmp_path):
    result = gedcom_import(access=access, path=_write(tmp_path, "tree.ged", FILE_551))

    assert result["counts"]["persons"] == 5 and result["counts"]["families"] == 1
    jean = _person(access, "Jean-Pierre")
    assert (jean.surname, jean.sex, jean.gedcom_xref) == ("Dubois", "M", "@I1@")
    assert jean.gedcom_data["name"]["prefix"] == "Dr." and jean.gedcom_data["name"]["nickname"] == "Pierrot"
    aka = jean.alternate_names.get()
    assert (aka.given_names, aka.surname, aka.name_type) == ("Jean", "Dubosc", "aka")
    assert jean.birth_date == "ABT 12 MAR 1850" and jean.birth_place == "Lyon, Rhône, France"
    assert str(jean.birth_date_start) == "1850-03-12"
    assert jean.death_date == "INT 1901 (the year of the flood)" and jean.is_deceased
    dates = dict(Event.objects.filter(person=jean).values_list("tag", "date"))
    assert dates == {
        "OCCU": "FROM 1870 TO 1890",
        "RESI": "BET 1880 AND 1885",
        "EVEN": "CAL 1888",
        "CENS": "EST 1881",
        "GRAD": "AFT 1869",
        "EMIG": "11 FEB 1731/32",
        "IMMI": "@#DJULIAN@ 3 MAR 1890",
        "CHR": "(in the spring)",
    }
    occupation = Event.objects.get(person=jean, tag="OCCU")
    assert occupation.value == "Carpenter" and occupation.date_start.year == 1870
    assert Event.objects.get(person=jean, tag="EVEN").event_type == "Award"
    assert Event.objects.get(person=jean, tag="RESI").place == "Paris"
    notes = sorted(Note.objects.filter(person=jean).values_list("text", flat=True))
    assert notes == [
        "A note that was long enough that it needed a CONC line,\nand a second line.",
        "A shared note\non two lines.",
    ]
    source = Source.objects.get(tree=access.tree)
    assert (source.title, source.author, source.publication) == (
        "Parish register of Saint-Jean",
        "Abbé Martin",
        "Lyon archives",
    )
    assert Citation.objects.get(person=jean).page == "p. 12"
    assert jean.gedcom_data["BIRT"]["citations"][0]["page"] == "folio 3"
    family = Family.objects.get(tree=access.tree)
    assert (family.partner1, family.partner2) == (jean, _person(access, "Marie"))
    assert family.start_date == "3 JUN 1875" and family.family_type == "married"
    pedigrees = dict(ChildLink.objects.filter(family=family).values_list("child__given_names", "pedigree"))
    assert pedigrees == {"Paul": "adopted", "Claire": "birth", "Luc": "foster"}
    assert _person(access, "Paul").is_deceased  # "DEAT Y"
    assert {r.tag for r in GedcomRecord.objects.filter(tree=access.tree)} >= {"SUBM", "REPO", "_CUSTOM_RECORD", "OBJE"}
    assert jean.gedcom_data["extra"][0]["tag"] == "_MILT"


def test_70_maps_phrases_shared_notes_and_step_pedigree(access, tmp_path):
    gedcom_import(access=access, path=_write(tmp_path, "tree.ged", FILE_70))

    ada = _person(access, "Ada")
    assert ada.death_date == "27 NOV 1852" and ada.gedcom_data["DEAT"]["phrase"] == "the twenty-seventh of November"
    burial = Event.objects.get(person=ada, tag="BURI")
    assert burial.date == "" and burial.gedcom_data["phrase"] == "shortly after her death"
    assert ada.alternate_names.get().name_type == "birth"
    assert sorted(Note.objects.filter(person=ada).values_list("text", flat=True)) == [
        "@mention at the start",
        "Shared note text",
    ]
    assert ChildLink.objects.get(child=ada).pedigree == "step"
    assert ada.estimated_birth_year == 1815  # refreshed after the bulk import


def test_zip_media_become_photos_on_the_right_person_and_missing_media_is_reported(access, tmp_path, portrait_jpeg):
    path = _write(tmp_path, "tree.zip", zipped(FILE_551, {"photos/jean.jpg": portrait_jpeg}))
    result = gedcom_import(access=access, path=path)

    photo = Photo.objects.get(tree=access.tree)
    assert list(photo.persons.all()) == [_person(access, "Jean-Pierre")]
    assert photo.gedcom_xref == "@M1@" and photo.title == "Jean in 1890" and not photo.is_synthetic
    assert photo.original.read() == portrait_jpeg
    assert any("photos/missing.jpg" in w["message"] for w in result["warnings"])


def test_gdz_media(access, tmp_path):
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (40, 30), (200, 10, 10)).save(png, format="PNG")
    path = _write(tmp_path, "tree.gdz", zipped(FILE_70, {"media/ada.png": png.getvalue()}, name="gedcom.ged"))
    gedcom_import(access=access, path=path)
    assert Photo.objects.get(tree=access.tree).persons.get().given_names == "Ada"


def test_preview_counts_warnings_duplicates_and_writes_nothing(access, tmp_path):
    from cases.services.persons import person_create

    existing = person_create(access=access, given_names="Claire", surname="Dubois", birth_date="1878")
    text = FILE_551.replace("2 DATE MAR 1878", "2 DATE 1878").replace("1 CHIL @I5@", "1 CHIL @I5@\n1 CHIL @I99@")
    before = _snapshot()
    preview = gedcom_preview(path=_write(tmp_path, "tree.ged", text), access=access)

    assert _snapshot() == before
    assert preview["counts"]["persons"] == 5 and preview["counts"]["families"] == 1
    dangling = [w for w in preview["warnings"] if "@I99@" in w["message"]]
    assert dangling and dangling[0]["line"] > 1
    assert [d["person_id"] for d in preview["duplicates"]] == [existing.pk]


def test_failure_mid_import_leaves_database_and_storage_as_before(access, tmp_path, portrait_jpeg, monkeypatch):
    from cases.services.gedcom import jobs

    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "persons_refresh_estimated_birth", explode)
    before, files = _snapshot(), _files()
    path = _write(tmp_path, "tree.zip", zipped(FILE_551, {"photos/jean.jpg": portrait_jpeg}))
    with pytest.raises(RuntimeError):
        gedcom_import(access=access, path=path)
    assert _snapshot() == before
    assert _files() == files


def test_own_ancestor_is_refused_with_a_line_and_nothing_kept(access, tmp_path):
    text = FILE_551.replace("1 FAMS @F1@\n1 NOTE A note", "1 FAMS @F1@\n1 FAMC @F1@\n1 NOTE A note")
    before = _snapshot()
    with pytest.raises(GedcomRejected) as caught:
        gedcom_import(access=access, path=_write(tmp_path, "tree.ged", text))
    assert "own ancestor" in caught.value.message and caught.value.message.startswith("line ")
    assert _snapshot() == before


@pytest.mark.parametrize("broken, line", list(BROKEN.values()), ids=list(BROKEN))
def test_malformed_input_is_refused_with_its_line(access, tmp_path, broken, line):
    path = _write(tmp_path, "bad.ged", broken)
    with pytest.raises(GedcomRejected) as caught:
        gedcom_import(access=access, path=path)
    assert caught.value.message.startswith(f"line {line}:")
    assert Person.objects.filter(tree=access.tree).count() == 0
    with pytest.raises(GedcomRejected, match=f"^line {line}:"):
        gedcom_preview(path=path, access=access)


def test_zip_with_traversal_path_is_refused(access, tmp_path):
    archive = zipped(FILE_70, {"../evil.png": b"x"}, name="tree.ged")
    with pytest.raises(GedcomRejected, match=r"\.\."):
        gedcom_import(access=access, path=_write(tmp_path, "bad.zip", archive))


def _upload_and_import(access, data: bytes, name: str = "tree.ged", force: bool = False) -> GedcomImport:
    from cases.services.gedcom import gedcom_import_run

    job = gedcom_upload(access=access, upload=io.BytesIO(data), original_name=name, force=force, preview_now=True)
    assert job.state == ImportState.PREVIEWED, job.error
    job.state = ImportState.IMPORTING
    job.save(update_fields=["state"])
    return gedcom_import_run(import_id=job.pk, access=access)


def test_reimporting_the_same_file_is_refused(access, owner):
    data = FILE_551.encode()
    assert _upload_and_import(access, data).state == ImportState.DONE
    count = Person.objects.count()
    with pytest.raises(Conflict, match="already imported into this tree"):
        gedcom_upload(access=access, upload=io.BytesIO(data), original_name="again.ged")
    other = tree_access_get(user=owner, tree_id=tree_create(name="Second", owner=owner).pk)
    with pytest.raises(Conflict, match="force"):
        gedcom_upload(access=other, upload=io.BytesIO(data), original_name="again.ged")
    assert Person.objects.count() == count
    assert _upload_and_import(other, data, force=True).state == ImportState.DONE
    assert Person.objects.filter(tree=other.tree).count() == 5


def test_an_import_that_dies_before_it_is_marked_done_leaves_no_rows(access, monkeypatch):
    from cases.services.gedcom import gedcom_import_run

    job = gedcom_upload(access=access, upload=io.BytesIO(FILE_551.encode()), original_name="tree.ged", preview_now=True)
    job.state = ImportState.IMPORTING
    job.save(update_fields=["state"])
    saved = GedcomImport.save

    def dies_when_done(self, *args, **kwargs):
        # The worker is killed after the rows are written, before the job says "done".
        if self.state == ImportState.DONE:
            raise KeyboardInterrupt("worker killed")
        return saved(self, *args, **kwargs)

    monkeypatch.setattr(GedcomImport, "save", dies_when_done)
    with pytest.raises(KeyboardInterrupt):
        gedcom_import_run(import_id=job.pk, access=access)
    # Nothing stays behind for the sweep's rerun to import a second time.
    assert not Person.objects.filter(tree=access.tree).exists()
    assert GedcomImport.objects.get(pk=job.pk).state == ImportState.IMPORTING
    monkeypatch.setattr(GedcomImport, "save", saved)
    GedcomImport.objects.filter(pk=job.pk).update(heartbeat_at=None)
    assert gedcom_import_run(import_id=job.pk, access=access).state == ImportState.DONE
    assert Person.objects.filter(tree=access.tree).count() == 5


def test_failed_preview_is_stored_with_the_line(access):
    job = gedcom_upload(
        access=access, upload=io.BytesIO(b"0 HEAD\n1 GEDC\n2 VERS 5.5.1\n0 @I1@ INDI\n"), original_name="cut.ged"
    )
    job = gedcom_import_preview(import_id=job.pk)
    assert job.state == ImportState.FAILED and job.error.startswith("line 4:")


def test_viewer_cannot_import(small_tree, tmp_path):
    viewer = tree_access_get(user=small_tree.users["viewer"], tree_id=small_tree.tree.pk)
    with pytest.raises(PermissionDenied):
        gedcom_import(access=viewer, path=_write(tmp_path, "tree.ged", FILE_551))


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r").encode("utf-8"),  # UTF-8 BOM, CR line ends
        lambda text: text.replace("\n", "\r\n").encode("utf-16"),  # UTF-16 with BOM, CRLF
        lambda text: text.replace("\n", "\r\n").encode("utf-16-be"),  # UTF-16 BE without BOM
    ],
    ids=["utf8-bom-cr", "utf16-crlf", "utf16be"],
)
def test_encodings_and_line_endings(access, tmp_path, encode):
    gedcom_import(access=access, path=_write(tmp_path, "tree.ged", encode(FILE_551)))
    jean = _person(access, "Jean-Pierre")
    assert jean.birth_place == "Lyon, Rhône, France"
    assert "A note that was long enough that it needed a CONC line,\nand a second line." in set(
        Note.objects.filter(person=jean).values_list("text", flat=True)
    )
    assert Source.objects.get(tree=access.tree).author == "Abbé Martin"


def test_duplicate_upload_never_names_another_users_tree(access):
    """Issue 13 item 5: the message named the private tree of another user ("… into the tree “Private”")."""
    data = FILE_551.encode()
    assert _upload_and_import(access, data).state == ImportState.DONE
    stranger = UserFactory(username="stranger")
    theirs = tree_access_get(user=stranger, tree_id=tree_create(name="Theirs", owner=stranger).pk)
    # Nothing is said about another tenant's import: the upload goes ahead as for any new file.
    job = gedcom_upload(access=theirs, upload=io.BytesIO(data), original_name="same.ged")
    assert access.tree.name not in (job.error or "")
    assert job.state != ImportState.FAILED
