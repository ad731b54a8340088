"""The upload bad-input matrix and the face pipeline."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from cases.access import tree_access_get
from cases.errors import Conflict, PermissionDenied, RejectedUpload
from cases.models import Face, Photo
from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_upload
from tests.images import jpeg_bytes


def _stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()]


def _png(array: np.ndarray, mode: str | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, mode=mode).save(buffer, format="PNG")
    return buffer.getvalue()


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG that claims a huge size (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 8)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _truncated_jpeg() -> bytes:
    data = jpeg_bytes(np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8))
    return data[: len(data) // 2]


BAD_UPLOADS = {
    "empty": (lambda: b"", "empty"),
    "text named .jpg": (lambda: b"name,surname\nAda,Lovelace\n", "not an image"),
    "truncated jpeg": (_truncated_jpeg, "damaged"),
    "binary garbage": (
        lambda: np.random.default_rng(1).integers(0, 255, 5000, dtype=np.uint8).tobytes(),
        "not an image",
    ),
    "decompression bomb": (lambda: _bomb_png(30000, 30000), "pixels"),
    "svg": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "not an image"),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_bad_upload_rejected_and_leaves_nothing(case, small_tree, settings):
    make, reason = BAD_UPLOADS[case]
    with pytest.raises(RejectedUpload, match=reason):
        photo_upload(access=small_tree.owner_access, data=make(), original_name="photo.jpg")
    assert Photo.objects.count() == 0
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_too_many_bytes_rejected(small_tree, settings):
    settings.KINSHIP_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(RejectedUpload, match="limit"):
        photo_upload(access=small_tree.owner_access, data=jpeg_bytes(quality=100) + b"\0" * 1000)
    assert Photo.objects.count() == 0 and _stored_files(settings.MEDIA_ROOT) == []


def test_too_many_pixels_rejected_before_decoding(small_tree, settings):
    settings.KINSHIP_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(RejectedUpload, match="megapixels"):
        photo_upload(access=small_tree.owner_access, data=jpeg_bytes())
    assert Photo.objects.count() == 0


def test_original_kept_byte_for_byte_and_hashed(small_tree):
    data = jpeg_bytes()
    photo = photo_upload(
        access=small_tree.owner_access,
        data=data,
        original_name="g.jpg",
        persons=[small_tree.mother],
        date_taken="ABT 1985",
    )
    with photo.original.open("rb") as handle:
        assert handle.read() == data
    import hashlib

    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert (photo.width, photo.height, photo.image_format) == (64, 48, "JPEG")
    assert photo.date_taken == "ABT 1985" and photo.date_taken_start.year == 1985
    assert list(photo.persons.all()) == [small_tree.mother]
    thumb = Image.open(photo.thumbnail.open("rb"))
    assert thumb.format == "JPEG" and max(thumb.size) <= 320


def test_exif_orientation_honoured(small_tree):
    image = Image.fromarray(np.zeros((40, 100, 3), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    photo = photo_upload(access=small_tree.owner_access, data=buffer.getvalue())
    assert photo.exif_orientation == 6
    assert (photo.width, photo.height) == (40, 100)
    thumb = Image.open(photo.thumbnail.open("rb"))
    assert thumb.size[0] < thumb.size[1]


@pytest.mark.parametrize("kind", ["cmyk", "16-bit", "alpha", "palette"])
def test_unusual_colour_modes_converted(kind, small_tree):
    rgb = np.full((30, 30, 3), 120, dtype=np.uint8)
    buffer = io.BytesIO()
    if kind == "cmyk":
        Image.fromarray(rgb).convert("CMYK").save(buffer, format="JPEG")
    elif kind == "16-bit":
        Image.fromarray(np.full((30, 30), 40000, dtype=np.uint16)).save(buffer, format="PNG")
    elif kind == "alpha":
        Image.fromarray(np.dstack([rgb, np.full((30, 30), 10, np.uint8)])).save(buffer, format="PNG")
    else:
        Image.fromarray(rgb).convert("P").save(buffer, format="PNG")
    photo = photo_upload(access=small_tree.owner_access, data=buffer.getvalue())
    thumb = Image.open(photo.thumbnail.open("rb"))
    assert thumb.mode == "RGB"
    pixel = thumb.getpixel((5, 5))
    if kind == "alpha":
        assert min(pixel) > 230  # nearly transparent over white stays light
    elif kind == "16-bit":
        assert 140 < pixel[0] < 170  # 40000/65535 of full scale
    else:
        assert 90 < pixel[0] < 140  # the web palette quantises 120 to 102


def test_duplicate_upload_is_a_conflict_and_adds_nothing(small_tree, settings):
    data = jpeg_bytes()
    first = photo_upload(access=small_tree.owner_access, data=data)
    files = _stored_files(settings.MEDIA_ROOT)
    with pytest.raises(Conflict) as error:
        photo_upload(access=small_tree.owner_access, data=data)
    assert error.value.extra["photo_id"] == first.pk
    assert Photo.objects.count() == 1 and _stored_files(settings.MEDIA_ROOT) == files


def test_viewer_cannot_upload(small_tree, settings):
    viewer = tree_access_get(user=small_tree.users["viewer"], tree_id=small_tree.tree.pk)
    with pytest.raises(PermissionDenied):
        photo_upload(access=viewer, data=jpeg_bytes())
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_storage_failure_leaves_no_file_or_row(small_tree, settings, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Photo, "save", broken_save)
    with pytest.raises(RuntimeError):
        photo_upload(access=small_tree.owner_access, data=jpeg_bytes())
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_faces_detected_on_real_portrait_and_portrait_chosen(small_tree, portrait_jpeg):
    photo = photo_upload(access=small_tree.owner_access, data=portrait_jpeg, persons=[small_tree.mother])
    faces = photo_detect_faces(photo_id=photo.pk)
    assert len(faces) == 1
    face = faces[0]
    # Grace Hopper's face sits in the upper middle of the 512×600 portrait.
    assert 100 < face.left < face.right < 420 and 50 < face.top < face.bottom < 400
    assert len(face.landmarks) == 68
    person_choose_portrait(access=small_tree.owner_access, person=small_tree.mother, face=face)
    small_tree.mother.refresh_from_db()
    assert small_tree.mother.portrait_face_id == face.pk
    assert Face.objects.get(pk=face.pk).person == small_tree.mother
    assert photo_detect_faces(photo_id=photo.pk) == faces  # a second run changes nothing


def test_detection_on_large_scan_maps_boxes_back(small_tree, portrait_jpeg, settings):
    from genetics.samples import grace_hopper

    big = np.asarray(Image.fromarray(grace_hopper()).resize((2048, 2400)))
    settings.KINSHIP_FACE_DETECTION_MAX_SIDE = 600
    photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes(big))
    (face,) = photo_detect_faces(photo_id=photo.pk)
    assert face.right <= 2048 and face.bottom <= 2400
    assert 400 < face.left < face.right < 1700  # in original pixels, not the downscaled copy's


def test_a_face_in_a_hat_and_sunglasses_is_detected_as_the_gate_accepts_it(small_tree):
    from genetics.samples import astronaut
    from tests.images import in_hat_and_sunglasses

    data = jpeg_bytes(in_hat_and_sunglasses(astronaut()), quality=95)
    photo = photo_upload(access=small_tree.owner_access, data=data)
    (face,) = photo_detect_faces(photo_id=photo.pk)
    # Her face, in the upper middle of the 512² photo, not the helmet or a hand.
    assert 150 < face.left < face.right < 300 and 50 < face.top < face.bottom < 200


def test_photo_without_face_marks_done_with_no_faces(small_tree):
    photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes())
    assert photo_detect_faces(photo_id=photo.pk) == []
    photo.refresh_from_db()
    assert photo.detection_status == "done"


def test_a_photos_title_and_date_can_be_given_after_the_upload(small_tree):
    import datetime

    from cases.errors import InvalidInput
    from cases.selectors import age_on_photo
    from cases.services.photos import photo_update

    access = small_tree.owner_access
    photo = photo_upload(access=access, data=jpeg_bytes(), persons=[small_tree.mother])
    assert age_on_photo(person=small_tree.mother, photo=photo) == ""
    photo_update(access=access, photo=photo, title=" At the seaside ", date_taken="ABT 1985")
    photo.refresh_from_db()
    assert (photo.title, photo.date_taken) == ("At the seaside", "ABT 1985")
    assert photo.date_taken_start <= datetime.date(1985, 6, 30) <= photo.date_taken_end
    # Born in 1960 (the small tree's mother): her age on it is now known.
    assert age_on_photo(person=small_tree.mother, photo=photo) != ""
    photo_update(access=access, photo=photo, date_taken="12 JUN 1984")
    photo.refresh_from_db()
    assert photo.title == "At the seaside"
    assert photo.date_taken_start == photo.date_taken_end == datetime.date(1984, 6, 12)
    assert age_on_photo(person=small_tree.mother, photo=photo) == "23–24"  # born some time in 1960
    for wrong, field in (("the summer before last", "date_taken"), ("x" * 301, "title")):
        with pytest.raises(InvalidInput) as refused:
            photo_update(access=access, photo=photo, **{field: wrong})
        assert refused.value.extra["field"] == field
    photo.refresh_from_db()
    assert (photo.title, photo.date_taken) == ("At the seaside", "12 JUN 1984")  # nothing changed
    # A date stored as imported, unreadable, does not stop a new title being saved beside it.
    odd = {"date_taken": "the year of the flood", "date_taken_start": None, "date_taken_end": None}
    Photo.objects.filter(pk=photo.pk).update(**odd)
    photo.refresh_from_db()
    photo_update(access=access, photo=photo, title="Flood", date_taken="the year of the flood")
    photo.refresh_from_db()
    assert (photo.title, photo.date_taken) == ("Flood", "the year of the flood")
    photo_update(access=access, photo=photo, date_taken="")
    photo.refresh_from_db()
    assert (photo.date_taken, photo.date_taken_start, photo.date_taken_end) == ("", None, None)
    viewer = tree_access_get(user=small_tree.users["viewer"], tree_id=small_tree.tree.pk)
    with pytest.raises(PermissionDenied):
        photo_update(access=viewer, photo=photo, title="Mine now")
