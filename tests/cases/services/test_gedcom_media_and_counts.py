"""GEDCOM import: counts defined once (preview = result), every media file not attached reported, archives streamed."""

from __future__ import annotations

import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from cases.access import tree_access_get
from cases.errors import GedcomRejected
from cases.models import Event, Person, PersonName, Photo
from cases.services.gedcom import gedcom_import, gedcom_preview
from cases.services.gedcom.counts import COUNT_KEYS
from cases.services.gedcom.inputs import gedcom_open
from cases.services.trees import tree_create
from tests.factories import UserFactory
from tests.gedcom_files import FILE_551, MEDIA_FILE, zipped


@pytest.fixture
def access(db):
    owner = UserFactory(username="counter")
    return tree_access_get(user=owner, tree_id=tree_create(name="Counted", owner=owner).pk)


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_preview_and_result_counts_are_the_same_and_count_every_name_and_event(access, tmp_path, portrait_jpeg):
    path = _write(tmp_path, "tree.zip", zipped(FILE_551, {"photos/jean.jpg": portrait_jpeg}))

    preview = gedcom_preview(path=path, access=access)
    result = gedcom_import(access=access, path=path)

    assert list(preview["counts"]) == list(COUNT_KEYS)
    assert result["counts"] == preview["counts"]
    persons = Person.objects.filter(tree=access.tree)
    # every NAME counts, the primary one on the person row as well as the alternates
    assert result["counts"]["names"] == persons.count() + PersonName.objects.filter(person__tree=access.tree).count()
    # every event counts, births and deaths kept on the person's own fields too
    on_rows = sum(bool(p.birth_date) + bool(p.death_date) for p in persons)
    assert result["counts"]["events"] >= Event.objects.filter(tree=access.tree).count() + on_rows
    assert result["counts"]["events"] > Event.objects.filter(tree=access.tree).count()
    assert result["counts"]["photos"] == preview["media_included"] == Photo.objects.filter(tree=access.tree).count()


def test_every_media_file_not_attached_is_reported_with_its_reason(access, tmp_path, portrait_jpeg):
    media = {
        "media/ada.jpg": portrait_jpeg,
        "media/ada-2.jpg": portrait_jpeg,
        "media/letter.txt": b"Dear Ada",
        "media/wedding.jpg": portrait_jpeg,
        "media/nobody.jpg": portrait_jpeg,
        "media/birth.jpg": portrait_jpeg,
    }
    path = _write(tmp_path, "tree.zip", zipped(MEDIA_FILE, media))

    preview = gedcom_preview(path=path, access=access)
    result = gedcom_import(access=access, path=path)

    reasons = {item["file"]: item["reason"] for item in result["media_not_attached"]}
    assert set(reasons) == {
        "media/ada-2.jpg",
        "media/gone.jpg",
        "media/letter.txt",
        "media/wedding.jpg",
        "media/nobody.jpg",
        "https://example.org/ada.jpg",
        "media/birth.jpg",
    }
    assert "one photo per record" in reasons["media/ada-2.jpg"]
    assert reasons["media/gone.jpg"] == "the archive does not contain this file"
    assert reasons["media/letter.txt"].startswith("not an image Kinship accepts")
    assert "linked only to a family" in reasons["media/wedding.jpg"]
    assert "linked only to a family, an event" in reasons["media/birth.jpg"]
    assert reasons["media/nobody.jpg"] == "no person refers to it"
    assert "web address" in reasons["https://example.org/ada.jpg"]
    assert result["media_not_attached_count"] == 7
    assert preview["media_not_attached"] == result["media_not_attached"]
    assert Photo.objects.filter(tree=access.tree).count() == 1 == result["counts"]["photos"]
    assert sum("was not attached" in w["message"] for w in result["warnings"]) == 7


def test_a_bare_ged_reports_its_media_as_not_carried(access, tmp_path):
    result = gedcom_import(access=access, path=_write(tmp_path, "tree.ged", MEDIA_FILE.encode()))

    reasons = {item["file"]: item["reason"] for item in result["media_not_attached"]}
    assert "bare .ged" in reasons["media/ada.jpg"]
    assert result["counts"]["photos"] == 0 and result["counts"]["media"] == 7


def test_zip_bomb_is_refused_with_a_clear_error_and_nothing_kept(access, tmp_path):
    text = FILE_551.replace("0 TRLR\n", "0 @N9@ NOTE " + "x" * 200 + "\n" + "1 CONT " + "x" * 200 + "\n0 TRLR\n")
    # 50 MB of zeros: ~1000× compression.
    bomb = zipped(text, {"photos/jean.jpg": b"\0" * (50 << 20)}, name="tree.ged", compression=zipfile.ZIP_DEFLATED)
    path = _write(tmp_path, "bomb.zip", bomb)

    for run in (lambda: gedcom_preview(path=path, access=access), lambda: gedcom_import(access=access, path=path)):
        with pytest.raises(GedcomRejected, match="zip bomb"):
            run()
    assert not Person.objects.filter(tree=access.tree).exists()


def test_a_ged_inside_a_zip_is_streamed_not_read_whole(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from gedcom_sample import write_sample

    ged = write_sample(tmp_path / "big.ged", 8_000)  # ~2 MB
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(ged, "big.ged")
    peaks = []
    for source_path in (ged, path):
        tracemalloc.start()
        with gedcom_open(source_path) as source:
            persons = sum(type(record).__name__ == "Individual" for record in source.records)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert persons == 8_000
    # The zip costs what the bare file costs (one record, read buffers, the date cache), give or take
    # the inflater's buffers: never the 2 MB file, let alone the whole document.
    assert peaks[1] < peaks[0] + (1 << 20), peaks


def test_preview_refuses_an_own_ancestor_found_through_a_one_sided_famc(access, tmp_path):
    text = FILE_551.replace("1 FAMS @F1@\n1 NOTE A note", "1 FAMS @F1@\n1 FAMC @F1@\n1 NOTE A note")
    assert text != FILE_551

    with pytest.raises(GedcomRejected, match="own ancestor"):
        gedcom_preview(path=_write(tmp_path, "cycle.ged", text.encode()), access=access)


@pytest.mark.django_db
def test_import_page_lists_every_media_file_not_attached_with_its_reason(access, tmp_path, portrait_jpeg, client):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from cases.models import GedcomImport

    media = {"media/ada.jpg": portrait_jpeg, "media/letter.txt": b"Dear Ada"}
    path = _write(tmp_path, "tree.zip", zipped(MEDIA_FILE, media))
    result = gedcom_import(access=access, path=path)
    job = GedcomImport.objects.create(
        tree=access.tree, original_name="tree.zip", sha256="0" * 64, state="done", result=result, created_by=access.user
    )
    job.file.save("tree.zip", ContentFile(b"PK"), save=True)
    client.force_login(access.user)

    page = client.get(reverse("gedcom-import", args=[access.tree.pk, job.pk])).content.decode()

    assert f"Media not attached ({result['media_not_attached_count']})" in page
    assert "media/letter.txt" in page and "not an image Kinship accepts" in page
