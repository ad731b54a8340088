"""Synthetic provenance: XMP and C2PA written and read back, tamper detection, the visible mark."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cases.provenance import (
    C2paSigner,
    apply_visible_mark,
    embed_provenance,
    is_marked_synthetic,
    read_provenance,
    signer_from_files,
)
from genetics.provenance import (
    DEFAULT_STATEMENT,
    TRAINED_ALGORITHMIC_MEDIA,
    ParentIngredient,
    ProvenanceError,
    ProvenanceInfo,
    xmp_packet,
)
from genetics.provenance.containers import MalformedContainer, jpeg_set_xmp
from tests.images import jpeg_bytes
from tests.signing_keys import make_test_signing_key

GENERATOR_CHECKSUM = hashlib.sha256(b"generator weights").hexdigest()
ENCODER_CHECKSUM = hashlib.sha256(b"encoder weights").hexdigest()


def _image_bytes(image_format: str, size: tuple[int, int] = (64, 48)) -> bytes:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=image_format)
    return buffer.getvalue()


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


@pytest.fixture(scope="module")
def mother_jpeg() -> bytes:
    return jpeg_bytes()


@pytest.fixture(scope="module")
def info(mother_jpeg: bytes) -> ProvenanceInfo:
    return ProvenanceInfo(
        engine_name="stylegene",
        engine_version="1.0+ffhq256",
        model_checksums={"generator.pt": GENERATOR_CHECKSUM, "encoder.pt": ENCODER_CHECKSUM},
        job_reference="job-42/audit-1007",
        seed=1234,
        parameters={"age_group": "20-29", "gamma": 0.47, "regions": {"eyes": "mother"}},
        created_at=dt.datetime(2026, 11, 23, 12, 30, tzinfo=dt.UTC),
        parents=[
            ("Mother, 1962 portrait.jpg", hashlib.sha256(mother_jpeg).hexdigest(), mother_jpeg),
            ParentIngredient("Father <wedding> & co.jpg", hashlib.sha256(b"father photo").hexdigest()),
        ],
        application_version="0.6.0",
    )


@pytest.fixture(scope="module")
def key_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_test_signing_key(tmp_path_factory.mktemp("c2pa"))


@pytest.fixture(scope="module")
def signer(key_files: tuple[Path, Path]) -> C2paSigner:
    return signer_from_files(*key_files, "es256")


def _without_bytes(info: ProvenanceInfo) -> ProvenanceInfo:
    return dataclasses.replace(info, parents=[parent._replace(data=None) for parent in info.parents])


# --- XMP ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_xmp_round_trip_keeps_pixels_and_every_field(image_format: str, info: ProvenanceInfo) -> None:
    original = _image_bytes(image_format)

    marked = embed_provenance(original, info, signer=None)
    read = read_provenance(marked)

    assert read.image_format == image_format
    assert read.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    assert read.info == _without_bytes(info)
    assert read.info.statement == DEFAULT_STATEMENT
    assert read.c2pa_store is None and read.problems == ()
    assert np.array_equal(_pixels(marked), _pixels(original))
    assert "stylegene 1.0+ffhq256" in read.xmp and "Kinship 0.6.0" in read.xmp  # xmp:CreatorTool


def test_png_xmp_is_an_itxt_chunk_and_jpeg_xmp_an_app1_segment(info: ProvenanceInfo) -> None:
    png = embed_provenance(_image_bytes("PNG"), info, signer=None)
    jpeg = embed_provenance(_image_bytes("JPEG"), info, signer=None)

    with Image.open(io.BytesIO(png)) as image:
        assert "DigitalSourceType" in image.info["XML:com.adobe.xmp"]
    assert png.index(b"iTXtXML:com.adobe.xmp") < png.index(b"IDAT")
    app1 = jpeg.index(b"\xff\xe1")
    assert jpeg[app1 + 4 : app1 + 33] == b"http://ns.adobe.com/xap/1.0/\x00"
    assert app1 < jpeg.index(b"\xff\xda")


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_embedding_twice_replaces_the_packet(image_format: str, info: ProvenanceInfo) -> None:
    once = embed_provenance(_image_bytes(image_format), info, signer=None)
    again = embed_provenance(once, dataclasses.replace(info, seed=99), signer=None)

    assert again.count(b"x:xmpmeta xmlns") == 1
    assert read_provenance(again).info.seed == 99


def test_jpeg_exif_stays_before_the_xmp(info: ProvenanceInfo) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(buffer, "JPEG", exif=exif.tobytes())

    marked = embed_provenance(buffer.getvalue(), info, signer=None)

    assert marked.index(b"Exif\x00\x00") < marked.index(b"http://ns.adobe.com/xap/1.0/")
    with Image.open(io.BytesIO(marked)) as image:
        assert image.getexif()[0x010F] == "Camera maker"


def test_png_keeps_its_other_chunks(info: ProvenanceInfo) -> None:
    from PIL import ImageCms, PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "kept")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (9, 8, 7)).save(buffer, "PNG", pnginfo=text, icc_profile=icc)

    marked = embed_provenance(buffer.getvalue(), info, signer=None)

    with Image.open(io.BytesIO(marked)) as image:
        assert image.info["Comment"] == "kept" and image.info["icc_profile"] == icc
        assert "DigitalSourceType" in image.info["xmp"].decode()


def test_xmp_escapes_markup_in_titles_and_statements(info: ProvenanceInfo) -> None:
    tricky = dataclasses.replace(info, statement='Not a photo </rdf:li> "quoted" & <b>bold</b>')

    read = read_provenance(embed_provenance(_image_bytes("PNG"), tricky, signer=None))

    assert read.info.statement == tricky.statement
    assert read.info.parents[1].title == "Father <wedding> & co.jpg"


# --- C2PA --------------------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_signed_image_carries_c2pa_created_action_ingredients_and_agent(
    image_format: str, info: ProvenanceInfo, signer: C2paSigner, mother_jpeg: bytes
) -> None:
    original = _image_bytes(image_format)

    signed = embed_provenance(original, info, signer=signer)
    read = read_provenance(signed)

    # Signature and hashes check out; the throwaway CA is on no trust list, and the reader says so.
    assert read.c2pa_validation_state == "Valid"
    assert read.c2pa_failures == ()
    assert read.c2pa_signature_valid and not read.c2pa_signer_trusted
    codes = [status["code"] for status in read.c2pa_store["validation_status"]]
    assert codes == ["signingCredential.untrusted"]

    [action] = read.c2pa_actions
    assert action["action"] == "c2pa.created"
    assert action["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    assert action["softwareAgent"] == {"name": "stylegene", "version": "1.0+ffhq256"}
    assert len(action["parameters"]["ingredients"]) == 2

    manifest = read.c2pa_active_manifest
    assert manifest["claim_generator_info"][0]["name"] == "Kinship"
    assert manifest["claim_generator_info"][0]["version"] == "0.6.0"
    assert manifest["signature_info"]["common_name"] == "Kinship test signer"
    ingredients = {item["title"]: item for item in manifest["ingredients"]}
    assert set(ingredients) == {"Mother, 1962 portrait.jpg", "Father <wedding> & co.jpg"}
    assert (
        ingredients["Mother, 1962 portrait.jpg"]["metadata"]["org.kinship.sha256"]
        == hashlib.sha256(mother_jpeg).hexdigest()
    )
    assert ingredients["Mother, 1962 portrait.jpg"]["format"] == "image/jpeg"
    assert ingredients["Father <wedding> & co.jpg"]["metadata"]["org.kinship.sha256"] == info.parents[1].sha256
    assert all(item["relationship"] == "inputTo" for item in ingredients.values())
    # No thumbnails: the parents' photos must not travel inside every downloaded candidate.
    assert "thumbnail" not in manifest and not any("thumbnail" in item for item in ingredients.values())

    [kinship] = [a["data"] for a in manifest["assertions"] if a["label"] == "org.kinship.generation"]
    assert kinship["job_reference"] == info.job_reference and kinship["seed"] == 1234
    assert kinship["model_checksums"] == {"encoder.pt": ENCODER_CHECKSUM, "generator.pt": GENERATOR_CHECKSUM}

    # Signing keeps the XMP and the pixels.
    assert read.digital_source_type == TRAINED_ALGORITHMIC_MEDIA
    assert read.info == _without_bytes(info)
    assert np.array_equal(_pixels(signed), _pixels(original))


def test_configured_trust_anchor_makes_the_signer_trusted(
    info: ProvenanceInfo, signer: C2paSigner, key_files: tuple[Path, Path]
) -> None:
    signed = embed_provenance(_image_bytes("PNG"), info, signer=signer)

    read = read_provenance(signed, trust_anchors_pem=key_files[0].read_text())

    assert read.c2pa_validation_state == "Trusted"
    assert read.c2pa_signer_trusted and read.c2pa_signature_valid


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_tampered_pixels_are_detected(image_format: str, info: ProvenanceInfo, signer: C2paSigner) -> None:
    signed = bytearray(embed_provenance(_image_bytes(image_format), info, signer=signer))
    # Flip one byte of compressed image data: inside the first IDAT chunk, or just before JPEG's EOI.
    position = signed.index(b"IDAT") + 8 if image_format == "PNG" else len(signed) - 10
    signed[position] ^= 0x01

    read = read_provenance(bytes(signed))

    assert read.c2pa_validation_state == "Invalid"
    assert "assertion.dataHash.mismatch" in read.c2pa_failures
    assert not read.c2pa_signature_valid


def test_edited_xmp_after_signing_is_detected(info: ProvenanceInfo, signer: C2paSigner) -> None:
    signed = embed_provenance(_image_bytes("JPEG"), info, signer=signer)
    forged = signed.replace(b'kinship:Seed="1234"', b'kinship:Seed="4321"')
    assert forged != signed

    read = read_provenance(forged)

    assert read.info.seed == 4321
    assert read.c2pa_validation_state == "Invalid"
    assert "assertion.dataHash.mismatch" in read.c2pa_failures


def test_ps256_test_key_signs_too(info: ProvenanceInfo, tmp_path: Path) -> None:
    signer = signer_from_files(*make_test_signing_key(tmp_path, algorithm="ps256"), "PS256")

    read = read_provenance(embed_provenance(_image_bytes("PNG"), info, signer=signer))

    assert read.c2pa_active_manifest["signature_info"]["alg"].lower() == "ps256"
    assert read.c2pa_signature_valid


def test_a_generated_parent_chains_its_own_credentials(info: ProvenanceInfo, signer: C2paSigner) -> None:
    parent = embed_provenance(_image_bytes("JPEG"), info, signer=signer)
    child_info = dataclasses.replace(
        info,
        job_reference="job-43",
        parents=[("Generated child of job 42", hashlib.sha256(parent).hexdigest(), parent)],
    )

    read = read_provenance(embed_provenance(_image_bytes("PNG"), child_info, signer=signer))

    [ingredient] = read.c2pa_active_manifest["ingredients"]
    assert ingredient["active_manifest"] in read.c2pa_store["manifests"]
    assert read.c2pa_failures == ()


# --- is_marked_synthetic -----------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_marked_images_are_synthetic_and_plain_photos_are_not(
    image_format: str, info: ProvenanceInfo, signer: C2paSigner, portrait_jpeg: bytes
) -> None:
    plain = _image_bytes(image_format)

    assert is_marked_synthetic(embed_provenance(plain, info, signer=None))
    assert is_marked_synthetic(embed_provenance(plain, info, signer=signer))
    assert not is_marked_synthetic(plain)
    assert not is_marked_synthetic(portrait_jpeg)


def test_c2pa_alone_marks_an_image_synthetic(info: ProvenanceInfo, signer: C2paSigner) -> None:
    signed = embed_provenance(_image_bytes("JPEG"), info, signer=signer)
    # Blank the XMP's digital source type and Kinship namespace (same length, so offsets hold).
    stripped = signed.replace(b'trainedAlgorithmicMedia"', b'digitalCapture_________"', 1)
    stripped = stripped.replace(b"kinship:JobReference=", b"kinship:JobReferencX=")

    read = read_provenance(stripped)

    assert read.info is None and not read.digital_source_type.endswith("trainedAlgorithmicMedia")
    assert is_marked_synthetic(stripped)


def test_third_party_xmp_declaring_a_composite_is_synthetic() -> None:
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><Iptc4xmpExt:DigitalSourceType>'
        "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
        "</Iptc4xmpExt:DigitalSourceType></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG", xmp=packet.encode())

    assert is_marked_synthetic(buffer.getvalue())


def test_png_xmp_after_the_image_data_is_found(info: ProvenanceInfo) -> None:
    marked = embed_provenance(_image_bytes("PNG"), info, signer=None)
    start = marked.index(b"iTXtXML:com.adobe.xmp") - 4
    length = int.from_bytes(marked[start : start + 4], "big")
    chunk = marked[start : start + 12 + length]
    iend = marked.index(b"IEND") - 4
    moved = marked[:start] + marked[start + len(chunk) : iend] + chunk + marked[iend:]
    assert moved.index(b"iTXt") > moved.index(b"IDAT")

    assert read_provenance(moved).info == _without_bytes(info)
    assert is_marked_synthetic(moved)


def test_xmp_with_a_dtd_is_ignored_not_expanded() -> None:
    packet = b'<!DOCTYPE x [<!ENTITY a "trainedAlgorithmicMedia">]><x:xmpmeta xmlns:x="adobe:ns:meta/">&a;</x:xmpmeta>'
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "WEBP", xmp=packet)

    read = read_provenance(buffer.getvalue())

    assert read.digital_source_type is None and "DTD" in read.problems[0]
    assert not is_marked_synthetic(buffer.getvalue())


# --- visible mark ------------------------------------------------------------------------------

CORNERS = {
    "top-left": (slice(0, 120), slice(0, 160)),
    "top-right": (slice(0, 120), slice(160, 320)),
    "bottom-left": (slice(120, 240), slice(0, 160)),
    "bottom-right": (slice(120, 240), slice(160, 320)),
    "band-bottom": (slice(160, 240), slice(0, 320)),
}


@pytest.mark.parametrize("placement", list(CORNERS))
def test_visible_mark_changes_only_its_region_and_is_high_contrast(placement: str) -> None:
    image = Image.new("RGB", (320, 240), (128, 128, 128))

    marked = np.asarray(apply_visible_mark(image, placement=placement)).astype(int)

    changed = np.abs(marked - 128).sum(axis=2) > 0
    rows, columns = CORNERS[placement]
    inside = np.zeros_like(changed)
    inside[rows, columns] = True
    assert changed[inside].sum() > 500
    assert not changed[~inside].any()
    label = marked[changed]
    assert (label.min(axis=1) > 200).sum() > 50  # white text
    assert (label.max(axis=1) < 60).sum() > 500  # dark box behind it
    if placement == "band-bottom":
        assert changed[-1].all()  # spans the full width


def test_visible_mark_on_bytes_keeps_format_and_scales_with_the_image() -> None:
    small = apply_visible_mark(_image_bytes("PNG", (96, 64)))
    large = apply_visible_mark(_image_bytes("JPEG", (640, 480)), placement="top-left")

    with Image.open(io.BytesIO(small)) as image:
        assert image.format == "PNG" and image.size == (96, 64)
    with Image.open(io.BytesIO(large)) as image:
        assert image.format == "JPEG" and image.size == (640, 480)

    def label_height(data: bytes) -> int:
        dark_rows = (_pixels(data).max(axis=2) < 60).sum(axis=1) > 20
        return int(dark_rows.sum())

    assert label_height(large) > 3 * label_height(small) > 0


def test_visible_mark_follows_exif_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: viewers turn it 90° clockwise
    buffer = io.BytesIO()
    Image.new("RGB", (240, 320), (128, 128, 128)).save(buffer, "JPEG", exif=exif.tobytes(), quality=95)

    marked = _pixels(apply_visible_mark(buffer.getvalue(), placement="bottom-right")).astype(int)

    assert marked.shape[:2] == (240, 320)
    dark = marked.max(axis=2) < 60
    assert dark[120:, 160:].sum() > 500 and dark[:120].sum() == 0 and dark[:, :160].sum() == 0


def test_visible_mark_keeps_alpha_and_accepts_other_text() -> None:
    image = Image.new("RGBA", (200, 100), (10, 200, 10, 128))

    marked = apply_visible_mark(image, text="KI-GENERIERT", placement="top-right")

    assert marked.mode == "RGBA" and marked.size == image.size
    assert marked.tobytes() != image.tobytes()


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("garbage", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40])
def test_garbage_is_refused_clearly(garbage: bytes, info: ProvenanceInfo) -> None:
    with pytest.raises(ProvenanceError, match="image"):
        embed_provenance(garbage, info, signer=None)
    with pytest.raises(ProvenanceError, match="image"):
        read_provenance(garbage)
    with pytest.raises(ProvenanceError, match="image"):
        is_marked_synthetic(garbage)
    with pytest.raises(ProvenanceError, match="image"):
        apply_visible_mark(garbage)


def test_truncated_files_are_refused(info: ProvenanceInfo) -> None:
    png, jpeg = _image_bytes("PNG"), _image_bytes("JPEG")

    with pytest.raises(ProvenanceError, match="PNG file is truncated"):
        embed_provenance(png[: len(png) - 20], info, signer=None)
    # Cut inside the quantisation table segment, before any image data.
    with pytest.raises(MalformedContainer, match="JPEG file is malformed or truncated"):
        jpeg_set_xmp(jpeg[:30], b"<x/>")


def test_only_png_and_jpeg_are_written(info: ProvenanceInfo) -> None:
    with pytest.raises(ProvenanceError, match="PNG or JPEG"):
        embed_provenance(_image_bytes("WEBP"), info, signer=None)


def test_bad_provenance_info_is_refused(info: ProvenanceInfo) -> None:
    with pytest.raises(ProvenanceError, match="timezone-aware"):
        dataclasses.replace(info, created_at=dt.datetime(2026, 1, 1))
    with pytest.raises(ProvenanceError, match="checksum"):
        dataclasses.replace(info, model_checksums={"generator.pt": "not-a-hash"})
    with pytest.raises(ProvenanceError, match="do not match"):
        dataclasses.replace(info, parents=[("Mother", "0" * 64, b"other bytes")])
    with pytest.raises(ProvenanceError, match="JSON"):
        dataclasses.replace(info, parameters={"when": dt.date.today()})
    with pytest.raises(ProvenanceError, match="seed"):
        dataclasses.replace(info, seed=-1)


def test_bad_signing_material_is_refused(key_files: tuple[Path, Path], tmp_path: Path) -> None:
    chain, key = key_files
    other_chain, other_key = make_test_signing_key(tmp_path)

    with pytest.raises(ProvenanceError, match="does not belong"):
        signer_from_files(chain, other_key, "es256")
    with pytest.raises(ProvenanceError, match="does not suit"):
        signer_from_files(chain, key, "ps256")
    with pytest.raises(ProvenanceError, match="Unknown"):
        signer_from_files(chain, key, "md5")
    with pytest.raises(ProvenanceError, match="Cannot read"):
        signer_from_files(tmp_path / "missing.pem", key, "es256")
    with pytest.raises(ProvenanceError, match="no readable PEM certificate"):
        C2paSigner(certificate_chain_pem=b"junk", private_key_pem=key.read_bytes())
    assert "PRIVATE KEY" not in repr(signer_from_files(chain, key))


def test_c2pa_refuses_a_self_signed_leaf(info: ProvenanceInfo, key_files: tuple[Path, Path]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self-signed")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    signer = C2paSigner(
        certificate_chain_pem=cert.public_bytes(serialization.Encoding.PEM),
        private_key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )

    with pytest.raises(ProvenanceError, match="C2PA signing failed"):
        embed_provenance(_image_bytes("PNG"), info, signer=signer)


def test_xmp_packet_is_well_formed_utf8(info: ProvenanceInfo) -> None:
    from xml.etree import ElementTree

    packet = xmp_packet(info).decode("utf-8")

    ElementTree.fromstring(packet[packet.index("<x:xmpmeta") : packet.index("<?xpacket end")])
    assert "—" in packet


def test_module_does_not_import_django() -> None:
    code = "import sys, cases.provenance; assert 'django' not in sys.modules, sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[3])


def test_genetics_provenance_imports_neither_django_nor_the_app() -> None:
    code = (
        "import sys, genetics.provenance; "
        "assert not {'django', 'cases', 'c2pa'} & {m.split('.')[0] for m in sys.modules}, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[3])


def test_a_candidate_the_command_line_writes_is_refused_as_a_photo(tmp_path: Path) -> None:
    from genetics.cli import main

    out = tmp_path / "out"
    args = ["synthesize", "--engine", "offline", "--father", "sample:obama", "--mother", "sample:astronaut"]
    assert main([*args, "-n", "1", "--resolution", "128", "--seed", "3", "--out", str(out)]) == 0
    data = (out / "candidate_00.png").read_bytes()
    assert is_marked_synthetic(data)
    provenance = read_provenance(data)
    assert provenance.digital_source_type == TRAINED_ALGORITHMIC_MEDIA and provenance.info is not None
    assert (provenance.info.engine_name, provenance.info.seed) == ("offline", 3)
    assert [parent.title for parent in provenance.info.parents] == ["father: sample:obama", "mother: sample:astronaut"]
